/* mail-smtp-client-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-smtp-client.h"

G_BEGIN_DECLS

/* Shared by mail-smtp-client.c, mail-smtp-client-auth.c and mail-smtp-client-send.c. */

void           mail_smtp_client_read_reply_async     (MailSmtpClient       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
MailSmtpReply *mail_smtp_client_read_reply_finish    (MailSmtpClient       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void           mail_smtp_client_command_async        (MailSmtpClient       *self,
                                                      const char           *line,
                                                      MailLogFlags          flags,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
MailSmtpReply *mail_smtp_client_command_finish       (MailSmtpClient       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean       mail_smtp_client_may_show_server_text (MailSmtpClient       *self);
GError        *mail_smtp_client_error_from_reply     (MailSmtpClient       *self,
                                                      const MailSmtpReply  *reply,
                                                      MailSmtpStage         stage,
                                                      const char           *subject);
gboolean       mail_smtp_client_check_ready          (MailSmtpClient       *self,
                                                      gboolean              need_connected,
                                                      GError              **error);
void           mail_smtp_client_set_busy             (MailSmtpClient       *self,
                                                      gboolean              busy);
void           mail_smtp_client_set_authenticated    (MailSmtpClient       *self,
                                                      const char           *mechanism);

G_END_DECLS
