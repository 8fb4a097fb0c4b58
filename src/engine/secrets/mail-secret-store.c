/* mail-secret-store.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-secrets"

#include "config.h"

#include "mail-secret-store.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

/*
 * Passwords live only in the system keyring (the Secret Service, through libsecret), under a
 * schema of ours whose attributes say which account, protocol, server and user a password is for.
 * Nothing here keeps a copy: the password handed in is given straight to libsecret, and the one
 * looked up is returned in libsecret's non-pageable memory, to be freed with
 * secret_password_free(), which wipes it.
 */

struct _MailSecretStore
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (MailSecretStore, mail_secret_store, G_TYPE_OBJECT)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.example.Mail.Password", SECRET_SCHEMA_NONE,
    {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static GHashTable *
build_attributes (const char   *account_id,
                  MailProtocol  protocol,
                  const char   *host,
                  const char   *user)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "account-id", (gpointer) account_id);
  g_hash_table_insert (attributes, (gpointer) "protocol",
                       (gpointer) mail_protocol_to_string (protocol));
  g_hash_table_insert (attributes, (gpointer) "host", (gpointer) host);
  g_hash_table_insert (attributes, (gpointer) "user", (gpointer) user);

  return attributes;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_nonpageable_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (password == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                             _("No password is saved for this account"));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means there was nothing to remove, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
mail_secret_store_class_init (MailSecretStoreClass *klass)
{
}

static void
mail_secret_store_init (MailSecretStore *self)
{
}

/**
 * mail_secret_store_new:
 *
 * Returns: (transfer full): a store of account passwords in the system keyring
 */
MailSecretStore *
mail_secret_store_new (void)
{
  return g_object_new (MAIL_TYPE_SECRET_STORE, NULL);
}

/**
 * mail_secret_store_store_async:
 * @self: a secret store
 * @account_id: the account the password belongs to
 * @protocol: the protocol it is used for
 * @host: the server it is sent to
 * @user: the user name it goes with
 * @password: the password; not kept after the call
 * @cancellable: (nullable): a cancellable
 * @callback: called when the password is stored
 * @user_data: data for @callback
 *
 * Stores a password in the system keyring, replacing the one saved for the same attributes.
 */
void
mail_secret_store_store_async (MailSecretStore     *self,
                               const char          *account_id,
                               MailProtocol         protocol,
                               const char          *host,
                               const char          *user,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (MAIL_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL && host != NULL && user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_secret_store_store_async);

  attributes = build_attributes (account_id, protocol, host, user);
  /* Translators: the label of a password in the keyring, e.g. "Mail: alice@example.com on
   * imap.example.com (imap)" */
  label = g_strdup_printf (_("Mail: %s on %s (%s)"), user, host,
                           mail_protocol_to_string (protocol));

  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, password,
                          cancellable, store_cb, g_steal_pointer (&task));
}

gboolean
mail_secret_store_store_finish (MailSecretStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_secret_store_lookup_async:
 * @self: a secret store
 * @account_id: the account
 * @protocol: the protocol
 * @host: the server
 * @user: the user name
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks a password up. Finishing fails with %G_IO_ERROR_NOT_FOUND when none is saved.
 */
void
mail_secret_store_lookup_async (MailSecretStore     *self,
                                const char          *account_id,
                                MailProtocol         protocol,
                                const char          *host,
                                const char          *user,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (MAIL_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL && host != NULL && user != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_secret_store_lookup_async);

  attributes = build_attributes (account_id, protocol, host, user);
  secret_password_lookupv (get_schema (), attributes, cancellable, lookup_cb,
                           g_steal_pointer (&task));
}

/**
 * mail_secret_store_lookup_finish:
 * @self: a secret store
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the password, to be freed with secret_password_free()
 */
char *
mail_secret_store_lookup_finish (MailSecretStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mail_secret_store_clear_account_async:
 * @self: a secret store
 * @account_id: the account being removed
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes every password saved for @account_id, whatever its server or protocol.
 */
void
mail_secret_store_clear_account_async (MailSecretStore     *self,
                                       const char          *account_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (MAIL_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_secret_store_clear_account_async);

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "account-id", (gpointer) account_id);
  secret_password_clearv (get_schema (), attributes, cancellable, clear_cb,
                          g_steal_pointer (&task));
}

gboolean
mail_secret_store_clear_account_finish (MailSecretStore  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
