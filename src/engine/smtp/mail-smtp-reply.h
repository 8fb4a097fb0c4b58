/* mail-smtp-reply.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* RFC 5321 allows 512 octets per reply line; real servers are looser, so allow more but cap it. */
#define MAIL_SMTP_REPLY_MAX_LINE_LENGTH 4096
/* An EHLO reply lists one extension a line; no real server needs more than a few dozen. */
#define MAIL_SMTP_REPLY_MAX_LINES       128

#define MAIL_TYPE_SMTP_REPLY (mail_smtp_reply_get_type ())

typedef struct _MailSmtpReply       MailSmtpReply;
typedef struct _MailSmtpReplyParser MailSmtpReplyParser;

GType                mail_smtp_reply_get_type          (void) G_GNUC_CONST;
MailSmtpReply       *mail_smtp_reply_ref               (MailSmtpReply        *reply);
void                 mail_smtp_reply_unref             (MailSmtpReply        *reply);
guint                mail_smtp_reply_get_code          (const MailSmtpReply  *reply);
gboolean             mail_smtp_reply_get_enhanced_code (const MailSmtpReply  *reply,
                                                        guint                *klass,
                                                        guint                *subject,
                                                        guint                *detail);
const char          *mail_smtp_reply_get_enhanced     (const MailSmtpReply  *reply);
const char * const  *mail_smtp_reply_get_lines         (const MailSmtpReply  *reply);
guint                mail_smtp_reply_get_n_lines       (const MailSmtpReply  *reply);
char                *mail_smtp_reply_dup_text          (const MailSmtpReply  *reply)
                                                       G_GNUC_WARN_UNUSED_RESULT;
gboolean             mail_smtp_reply_is_positive       (const MailSmtpReply  *reply);
gboolean             mail_smtp_reply_is_intermediate   (const MailSmtpReply  *reply);
gboolean             mail_smtp_reply_is_transient      (const MailSmtpReply  *reply);
gboolean             mail_smtp_reply_is_permanent      (const MailSmtpReply  *reply);
MailSmtpReply       *mail_smtp_reply_parse             (const char           *data,
                                                        gsize                 len,
                                                        GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;

MailSmtpReplyParser *mail_smtp_reply_parser_new        (void) G_GNUC_WARN_UNUSED_RESULT;
void                 mail_smtp_reply_parser_free       (MailSmtpReplyParser  *parser);
void                 mail_smtp_reply_parser_reset      (MailSmtpReplyParser  *parser);
gboolean             mail_smtp_reply_parser_is_idle    (const MailSmtpReplyParser *parser);
gboolean             mail_smtp_reply_parser_feed       (MailSmtpReplyParser  *parser,
                                                        const char           *line,
                                                        gsize                 len,
                                                        MailSmtpReply       **reply,
                                                        GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSmtpReply, mail_smtp_reply_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSmtpReplyParser, mail_smtp_reply_parser_free)

G_END_DECLS
