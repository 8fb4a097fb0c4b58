/* mail-sasl-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gsasl.h>

#include "mail-sasl.h"

G_BEGIN_DECLS

Gsasl      *mail_sasl_get_gsasl               (void);
gboolean    mail_sasl_mechanism_is_custom     (const char   *mechanism);
const char *mail_sasl_canonical_name          (const char   *mechanism);
gboolean    mail_sasl_ntlm_challenge_is_valid (const guint8 *msg,
                                               gsize         len);

G_END_DECLS
