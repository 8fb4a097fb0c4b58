/* mail-imap-decode-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-response.h"

G_BEGIN_DECLS

gboolean mail_imap_decode_fail      (GError              **error,
                                     const char           *what);
gboolean mail_imap_decode_nstring   (const MailImapValue  *value,
                                     char                **out,
                                     const char           *what,
                                     GError              **error);
gboolean mail_imap_decode_string    (const MailImapValue  *value,
                                     char                **out,
                                     const char           *what,
                                     GError              **error);
gboolean mail_imap_decode_number    (const MailImapValue  *value,
                                     guint64               max,
                                     guint64              *out,
                                     const char           *what,
                                     GError              **error);

G_END_DECLS
