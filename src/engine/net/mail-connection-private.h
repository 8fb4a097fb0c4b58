/* mail-connection-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-connection.h"

G_BEGIN_DECLS

/* For tests: the most bytes ever held for one partial line (proves the cap holds while
 * buffering, not after). */
gsize mail_connection_get_peak_line_buffer (MailConnection *self);

G_END_DECLS
