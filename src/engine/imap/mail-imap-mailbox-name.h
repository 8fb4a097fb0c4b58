/* mail-imap-mailbox-name.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MailImapNameFlags:
 * @MAIL_IMAP_NAME_PLAIN: nothing remarkable
 * @MAIL_IMAP_NAME_EMPTY: the empty name
 * @MAIL_IMAP_NAME_CONTROL: contains C0/C1 control characters or DEL
 * @MAIL_IMAP_NAME_BIDI: contains bidirectional overrides, embeddings, isolates or marks
 * @MAIL_IMAP_NAME_INVISIBLE: contains zero-width or other invisible format characters
 * @MAIL_IMAP_NAME_PATH: looks like a path (`/`, `\`, a `.` or `..` component, leading `~`)
 * @MAIL_IMAP_NAME_SHELL: contains shell metacharacters (backquote, `$`, `;`, `|`, ...)
 * @MAIL_IMAP_NAME_MARKUP: contains markup characters (`<`, `>`, `&`, quotes)
 *
 * What mail_imap_mailbox_name_check() found in a server-supplied name. None of it makes the
 * name invalid, but such a name must never reach a path, a shell or markup unescaped, and
 * control/bidi/invisible characters should be shown flagged.
 */
typedef enum
{
  MAIL_IMAP_NAME_PLAIN     = 0,
  MAIL_IMAP_NAME_EMPTY     = 1 << 0,
  MAIL_IMAP_NAME_CONTROL   = 1 << 1,
  MAIL_IMAP_NAME_BIDI      = 1 << 2,
  MAIL_IMAP_NAME_INVISIBLE = 1 << 3,
  MAIL_IMAP_NAME_PATH      = 1 << 4,
  MAIL_IMAP_NAME_SHELL     = 1 << 5,
  MAIL_IMAP_NAME_MARKUP    = 1 << 6,
} MailImapNameFlags;

char              *mail_imap_mailbox_name_decode      (const char  *wire,
                                                       gssize       len,
                                                       gboolean     utf8_accept,
                                                       GError     **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
char              *mail_imap_mailbox_name_encode      (const char  *name,
                                                       gboolean     utf8_accept)
                                                       G_GNUC_WARN_UNUSED_RESULT;
MailImapNameFlags  mail_imap_mailbox_name_check       (const char  *name);
GStrv              mail_imap_mailbox_name_split       (const char  *name,
                                                       char         delimiter,
                                                       guint        max_depth,
                                                       GError     **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
char              *mail_imap_mailbox_name_to_filename (const char  *account_id,
                                                       const char  *name)
                                                       G_GNUC_WARN_UNUSED_RESULT;
char              *mail_imap_mailbox_name_to_display  (const char  *name)
                                                       G_GNUC_WARN_UNUSED_RESULT;
char              *mail_imap_mailbox_name_to_markup   (const char  *name)
                                                       G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
