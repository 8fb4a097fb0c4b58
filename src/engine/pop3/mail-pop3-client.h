/* mail-pop3-client.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-connection.h"
#include "mail-pop3-capabilities.h"
#include "mail-pop3-error.h"
#include "mail-pop3-response.h"

G_BEGIN_DECLS

/* Default cap on one message fetched with RETR or TOP. */
#define MAIL_POP3_DEFAULT_MAX_MESSAGE_SIZE (256 * 1024 * 1024)

#define MAIL_TYPE_POP3_CLIENT (mail_pop3_client_get_type ())

G_DECLARE_FINAL_TYPE (MailPop3Client, mail_pop3_client, MAIL, POP3_CLIENT, GObject)

/*
 * Usage:
 *
 *   client = mail_pop3_client_new (connection);
 *   mail_pop3_client_connect_async (client, ...);    // greeting, CAPA, STLS + CAPA again
 *   mail_pop3_client_login_async (client, user, password, "auto", ...);
 *   mail_pop3_client_uidl_async (...); mail_pop3_client_retr_async (..., sink, ...);
 *   mail_pop3_client_quit_async (client, ...);       // commits DELE
 *
 * One operation at a time. After a protocol or network error the session is over.
 */

MailPop3Client             *mail_pop3_client_new                (MailConnection       *connection)
                                                                G_GNUC_WARN_UNUSED_RESULT;
MailConnection             *mail_pop3_client_get_connection     (MailPop3Client       *self);
const MailPop3Capabilities *mail_pop3_client_get_capabilities   (MailPop3Client       *self);
const char                 *mail_pop3_client_get_apop_timestamp (MailPop3Client       *self);
const char                 *mail_pop3_client_get_mechanism      (MailPop3Client       *self);
guint64                     mail_pop3_client_get_max_message_size (MailPop3Client     *self);
void                        mail_pop3_client_set_max_message_size (MailPop3Client     *self,
                                                                   guint64             max_size);

void                        mail_pop3_client_connect_async      (MailPop3Client       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_connect_finish     (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                        mail_pop3_client_login_async        (MailPop3Client       *self,
                                                                 const char           *username,
                                                                 const char           *password,
                                                                 const char           *mechanism,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_login_finish       (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                        mail_pop3_client_stat_async         (MailPop3Client       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_stat_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 guint                *count,
                                                                 guint64              *size,
                                                                 GError              **error);
void                        mail_pop3_client_list_async         (MailPop3Client       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
GArray                     *mail_pop3_client_list_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                        mail_pop3_client_uidl_async         (MailPop3Client       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
GArray                     *mail_pop3_client_uidl_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                        mail_pop3_client_retr_async         (MailPop3Client       *self,
                                                                 guint                 msgno,
                                                                 GOutputStream        *sink,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_retr_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 guint64              *size,
                                                                 GError              **error);
void                        mail_pop3_client_top_async          (MailPop3Client       *self,
                                                                 guint                 msgno,
                                                                 guint                 lines,
                                                                 GOutputStream        *sink,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_top_finish         (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 guint64              *size,
                                                                 GError              **error);
void                        mail_pop3_client_dele_async         (MailPop3Client       *self,
                                                                 guint                 msgno,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_dele_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                        mail_pop3_client_rset_async         (MailPop3Client       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_rset_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                        mail_pop3_client_noop_async         (MailPop3Client       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_noop_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                        mail_pop3_client_quit_async         (MailPop3Client       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                    mail_pop3_client_quit_finish        (MailPop3Client       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

G_END_DECLS
