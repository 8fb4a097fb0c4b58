/* mail-message-builder.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

#define MAIL_TYPE_MESSAGE_BUILDER (mail_message_builder_get_type ())

G_DECLARE_FINAL_TYPE (MailMessageBuilder, mail_message_builder, MAIL, MESSAGE_BUILDER, GObject)

MailMessageBuilder  *mail_message_builder_new                     (void) G_GNUC_WARN_UNUSED_RESULT;
void                 mail_message_builder_set_from                (MailMessageBuilder  *self,
                                                                   const char          *name,
                                                                   const char          *address);
const char          *mail_message_builder_get_from_address        (MailMessageBuilder  *self);
gboolean             mail_message_builder_set_recipients_text     (MailMessageBuilder  *self,
                                                                   GMimeAddressType     type,
                                                                   const char          *text,
                                                                   GError             **error);
void                 mail_message_builder_set_recipients          (MailMessageBuilder  *self,
                                                                   GMimeAddressType     type,
                                                                   InternetAddressList *list);
InternetAddressList *mail_message_builder_get_recipients          (MailMessageBuilder  *self,
                                                                   GMimeAddressType     type);
char               **mail_message_builder_get_envelope_recipients (MailMessageBuilder  *self)
  G_GNUC_WARN_UNUSED_RESULT;
void                 mail_message_builder_set_subject             (MailMessageBuilder  *self,
                                                                   const char          *subject);
const char          *mail_message_builder_get_subject             (MailMessageBuilder  *self);
void                 mail_message_builder_set_text                (MailMessageBuilder  *self,
                                                                   const char          *text);
const char          *mail_message_builder_get_text                (MailMessageBuilder  *self);
void                 mail_message_builder_set_html                (MailMessageBuilder  *self,
                                                                   const char          *html);
void                 mail_message_builder_set_in_reply_to         (MailMessageBuilder  *self,
                                                                   const char          *message_id);
const char          *mail_message_builder_get_in_reply_to         (MailMessageBuilder  *self);
void                 mail_message_builder_set_references          (MailMessageBuilder  *self,
                                                                   const char * const  *ids);
const char * const  *mail_message_builder_get_references          (MailMessageBuilder  *self);
void                 mail_message_builder_set_date                (MailMessageBuilder  *self,
                                                                   GDateTime           *date);
void                 mail_message_builder_set_message_id          (MailMessageBuilder  *self,
                                                                   const char          *message_id);
void                 mail_message_builder_set_user_agent          (MailMessageBuilder  *self,
                                                                   const char          *user_agent);
void                 mail_message_builder_set_allow_8bit          (MailMessageBuilder  *self,
                                                                   gboolean             allow_8bit);
void                 mail_message_builder_add_attachment_bytes    (MailMessageBuilder  *self,
                                                                   GBytes              *data,
                                                                   const char          *filename,
                                                                   const char          *mime_type,
                                                                   gboolean             is_inline,
                                                                   const char          *content_id);
gboolean             mail_message_builder_add_attachment_file     (MailMessageBuilder  *self,
                                                                   GFile               *file,
                                                                   const char          *mime_type,
                                                                   gboolean             is_inline,
                                                                   GCancellable        *cancellable,
                                                                   GError             **error);
void                 mail_message_builder_add_message_attachment  (MailMessageBuilder  *self,
                                                                   GMimeMessage        *message);
void                 mail_message_builder_add_attachment_object   (MailMessageBuilder  *self,
                                                                   GMimeObject         *object);
guint                mail_message_builder_get_n_attachments       (MailMessageBuilder  *self);
GMimeMessage        *mail_message_builder_build                   (MailMessageBuilder  *self,
                                                                   GError             **error)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean             mail_message_builder_write_to_stream         (MailMessageBuilder  *self,
                                                                   GMimeStream         *stream,
                                                                   GError             **error);
gboolean             mail_message_builder_write_to_output_stream  (MailMessageBuilder  *self,
                                                                   GOutputStream       *stream,
                                                                   GCancellable        *cancellable,
                                                                   GError             **error);
void                 mail_message_builder_write_async             (MailMessageBuilder  *self,
                                                                   GOutputStream       *stream,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
gboolean             mail_message_builder_write_finish            (MailMessageBuilder  *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);
GBytes              *mail_message_builder_to_bytes                (MailMessageBuilder  *self,
                                                                   GError             **error)
  G_GNUC_WARN_UNUSED_RESULT;

gboolean             mail_message_write_crlf                      (GMimeMessage        *message,
                                                                   GMimeStream         *stream,
                                                                   GError             **error);

G_END_DECLS
