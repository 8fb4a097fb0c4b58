/* mail-smtp-client.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

#include "mail-connection.h"
#include "mail-smtp-capabilities.h"
#include "mail-smtp-error.h"
#include "mail-smtp-reply.h"

G_BEGIN_DECLS

#define MAIL_TYPE_SMTP_CLIENT (mail_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (MailSmtpClient, mail_smtp_client, MAIL, SMTP_CLIENT, GObject)

/*
 * Usage:
 *
 *   client = mail_smtp_client_new (connection);
 *   mail_smtp_client_connect_async (client, ...);   // greeting, EHLO, STARTTLS + EHLO again
 *   mail_smtp_client_login_async (client, user, password, "auto", ...);
 *   mail_smtp_client_send_async (client, message, NULL, NULL, ...);
 *   mail_smtp_client_quit_async (client, ...);
 *
 * One operation at a time. After any error other than a refused recipient or message, the
 * session should be considered finished: quit (or just drop) the client.
 */

MailSmtpClient             *mail_smtp_client_new              (MailConnection       *connection)
                                                              G_GNUC_WARN_UNUSED_RESULT;
MailConnection             *mail_smtp_client_get_connection   (MailSmtpClient       *self);
const char                 *mail_smtp_client_get_helo_name    (MailSmtpClient       *self);
void                        mail_smtp_client_set_helo_name    (MailSmtpClient       *self,
                                                               const char           *helo_name);
const char                 *mail_smtp_client_get_dsn_notify   (MailSmtpClient       *self);
void                        mail_smtp_client_set_dsn_notify   (MailSmtpClient       *self,
                                                               const char           *dsn_notify);
const MailSmtpCapabilities *mail_smtp_client_get_capabilities (MailSmtpClient       *self);
const char                 *mail_smtp_client_get_mechanism    (MailSmtpClient       *self);
gboolean                    mail_smtp_client_get_is_authenticated (MailSmtpClient   *self);

void                        mail_smtp_client_connect_async    (MailSmtpClient       *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean                    mail_smtp_client_connect_finish   (MailSmtpClient       *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void                        mail_smtp_client_login_async      (MailSmtpClient       *self,
                                                               const char           *username,
                                                               const char           *password,
                                                               const char           *mechanism,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean                    mail_smtp_client_login_finish     (MailSmtpClient       *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void                        mail_smtp_client_send_async       (MailSmtpClient       *self,
                                                               GMimeMessage         *message,
                                                               const char           *from,
                                                               const char * const   *recipients,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean                    mail_smtp_client_send_finish      (MailSmtpClient       *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void                        mail_smtp_client_reset_async      (MailSmtpClient       *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean                    mail_smtp_client_reset_finish     (MailSmtpClient       *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void                        mail_smtp_client_quit_async       (MailSmtpClient       *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean                    mail_smtp_client_quit_finish      (MailSmtpClient       *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
