/* mail-message-reply.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "mail-message-builder.h"

G_BEGIN_DECLS

/* At most this many Message-IDs go into References (the first and the latest ones). */
#define MAIL_REPLY_MAX_REFERENCES 20

/**
 * MailReplyMode:
 * @MAIL_REPLY_MODE_SENDER: reply to the Reply-To address, or the sender
 * @MAIL_REPLY_MODE_ALL: also to every other recipient, except ourselves
 *
 * Whom a reply goes to.
 */
typedef enum
{
  MAIL_REPLY_MODE_SENDER,
  MAIL_REPLY_MODE_ALL,
} MailReplyMode;

/**
 * MailForwardMode:
 * @MAIL_FORWARD_MODE_INLINE: the text is quoted in the body under a "Forwarded message"
 *   block; attachments are attached again
 * @MAIL_FORWARD_MODE_ATTACHMENT: the whole message is attached as message/rfc822
 *
 * How a message is forwarded.
 */
typedef enum
{
  MAIL_FORWARD_MODE_INLINE,
  MAIL_FORWARD_MODE_ATTACHMENT,
} MailForwardMode;

char               *mail_message_reply_subject       (const char          *subject)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_message_forward_subject     (const char          *subject)
  G_GNUC_WARN_UNUSED_RESULT;
char              **mail_message_reply_references    (GMimeMessage        *original)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_message_dup_quotable_text   (GMimeMessage        *original)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_message_format_attribution  (GMimeMessage        *original)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_message_format_forward_text (GMimeMessage        *original)
  G_GNUC_WARN_UNUSED_RESULT;
MailMessageBuilder *mail_message_builder_new_reply   (GMimeMessage        *original,
                                                      MailReplyMode        mode,
                                                      const char          *from_name,
                                                      const char          *from_address,
                                                      const char * const  *aliases)
  G_GNUC_WARN_UNUSED_RESULT;
MailMessageBuilder *mail_message_builder_new_forward (GMimeMessage        *original,
                                                      MailForwardMode      mode,
                                                      const char          *from_name,
                                                      const char          *from_address)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
