/* mail-secret-store.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-engine-types.h"

G_BEGIN_DECLS

#define MAIL_TYPE_SECRET_STORE (mail_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (MailSecretStore, mail_secret_store, MAIL, SECRET_STORE, GObject)

MailSecretStore *mail_secret_store_new                 (void) G_GNUC_WARN_UNUSED_RESULT;
void             mail_secret_store_store_async         (MailSecretStore      *self,
                                                        const char           *account_id,
                                                        MailProtocol          protocol,
                                                        const char           *host,
                                                        const char           *user,
                                                        const char           *password,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean         mail_secret_store_store_finish        (MailSecretStore      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             mail_secret_store_lookup_async        (MailSecretStore      *self,
                                                        const char           *account_id,
                                                        MailProtocol          protocol,
                                                        const char           *host,
                                                        const char           *user,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
char            *mail_secret_store_lookup_finish       (MailSecretStore      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             mail_secret_store_clear_account_async (MailSecretStore      *self,
                                                        const char           *account_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean         mail_secret_store_clear_account_finish (MailSecretStore     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
