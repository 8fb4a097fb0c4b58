/* mail-message-summary.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MailMessageFlags:
 * @MAIL_MESSAGE_FLAG_SEEN: `\Seen`
 * @MAIL_MESSAGE_FLAG_ANSWERED: `\Answered`
 * @MAIL_MESSAGE_FLAG_FLAGGED: `\Flagged`
 * @MAIL_MESSAGE_FLAG_DELETED: `\Deleted`
 * @MAIL_MESSAGE_FLAG_DRAFT: `\Draft`
 *
 * The IMAP system flags, as stored. Keywords are kept apart as a string.
 */
typedef enum
{
  MAIL_MESSAGE_FLAG_SEEN     = 1 << 0,
  MAIL_MESSAGE_FLAG_ANSWERED = 1 << 1,
  MAIL_MESSAGE_FLAG_FLAGGED  = 1 << 2,
  MAIL_MESSAGE_FLAG_DELETED  = 1 << 3,
  MAIL_MESSAGE_FLAG_DRAFT    = 1 << 4,
} MailMessageFlags;

#define MAIL_MESSAGE_FLAGS_ALL 0x1f

#define MAIL_TYPE_MESSAGE_SUMMARY (mail_message_summary_get_type ())

/**
 * MailMessageSummary:
 * @id: the store's id of the message (0 until inserted)
 * @folder_id: the folder it is in
 * @uid: its IMAP UID in that folder
 * @flags: #MailMessageFlags
 * @keywords: (nullable): space-separated IMAP keywords
 * @internal_date: the server's INTERNALDATE, Unix time
 * @date: the Date header (or @internal_date when it has none), Unix time; the sort key
 * @size: RFC822.SIZE
 * @sender_name: (nullable): display name of the sender
 * @sender_address: (nullable): address of the sender
 * @recipients: (nullable): To and Cc, as shown and searched
 * @subject: (nullable): decoded subject
 * @message_id: (nullable): Message-ID, with its angle brackets
 * @in_reply_to: (nullable): In-Reply-To header
 * @references: (nullable): References header
 * @thread_id: conversation id, computed by the store on insert
 * @preview: (nullable): a short snippet of the text
 * @has_attachment: whether the message has an attachment
 * @body_structure: (nullable): a summary of the MIME structure, opaque to the store
 *
 * One message's header data. The sync engine fills it to insert messages; queries return it
 * with every field but @in_reply_to, @references and @body_structure filled.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  gint64    id;
  gint64    folder_id;
  guint32   uid;
  guint     flags;
  char     *keywords;
  gint64    internal_date;
  gint64    date;
  gint64    size;
  char     *sender_name;
  char     *sender_address;
  char     *recipients;
  char     *subject;
  char     *message_id;
  char     *in_reply_to;
  char     *references;
  gint64    thread_id;
  char     *preview;
  gboolean  has_attachment;
  char     *body_structure;
} MailMessageSummary;

GType               mail_message_summary_get_type (void) G_GNUC_CONST;
MailMessageSummary *mail_message_summary_new      (void) G_GNUC_WARN_UNUSED_RESULT;
MailMessageSummary *mail_message_summary_ref      (MailMessageSummary *self);
void                mail_message_summary_unref    (MailMessageSummary *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailMessageSummary, mail_message_summary_unref)

G_END_DECLS
