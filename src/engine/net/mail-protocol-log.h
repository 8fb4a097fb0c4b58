/* mail-protocol-log.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-connection.h"

G_BEGIN_DECLS

/**
 * MAIL_PROTOCOL_LOG_DOMAIN:
 *
 * The log domain of protocol traces: see them with
 * `MAIL_DEBUG=protocol G_MESSAGES_DEBUG=mail-protocol`.
 */
#define MAIL_PROTOCOL_LOG_DOMAIN "mail-protocol"

gboolean mail_protocol_log_enabled (void);
void     mail_protocol_log         (const char   *label,
                                    const char   *direction,
                                    const char   *data,
                                    gsize         len,
                                    MailLogFlags  flags);

G_END_DECLS
