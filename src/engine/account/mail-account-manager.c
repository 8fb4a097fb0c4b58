/* mail-account-manager.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-account"

#include "config.h"

#include "mail-account-manager.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/*
 * Accounts are kept in one keyfile, `accounts.ini` in the config directory, one group per
 * account. Passwords are never written there: they live in the keyring (MailSecretStore).
 * Each account also has a data directory, <data dir>/accounts/<id>, for its cache and its
 * certificate pins. Account ids are checked to be plain tokens, so an id read from a damaged
 * file can never name a path outside that directory.
 */

struct _MailAccountManager
{
  GObject     parent_instance;

  char       *config_dir;
  char       *data_dir;
  char       *file;
  GListStore *accounts;
};

G_DEFINE_FINAL_TYPE (MailAccountManager, mail_account_manager, G_TYPE_OBJECT)
G_DEFINE_QUARK (mail-account-error-quark, mail_account_error)

#define GROUP_PREFIX "account "

static gboolean
id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

static void
write_server (GKeyFile               *keyfile,
              const char             *group,
              const char             *prefix,
              const MailServerConfig *config)
{
  g_autofree char *k_protocol = g_strconcat (prefix, "-protocol", NULL);
  g_autofree char *k_host = g_strconcat (prefix, "-host", NULL);
  g_autofree char *k_port = g_strconcat (prefix, "-port", NULL);
  g_autofree char *k_security = g_strconcat (prefix, "-security", NULL);
  g_autofree char *k_auth = g_strconcat (prefix, "-auth", NULL);
  g_autofree char *k_user = g_strconcat (prefix, "-username", NULL);
  g_autofree char *k_ca = g_strconcat (prefix, "-ca-file", NULL);
  g_autofree char *k_plain = g_strconcat (prefix, "-allow-plaintext", NULL);

  if (config == NULL)
    return;

  g_key_file_set_string (keyfile, group, k_protocol, mail_protocol_to_string (config->protocol));
  g_key_file_set_string (keyfile, group, k_host, config->hostname ? config->hostname : "");
  g_key_file_set_integer (keyfile, group, k_port, config->port);
  g_key_file_set_string (keyfile, group, k_security, mail_security_to_string (config->security));
  g_key_file_set_string (keyfile, group, k_auth, config->auth ? config->auth : "auto");
  g_key_file_set_string (keyfile, group, k_user, config->username ? config->username : "");
  if (config->ca_file != NULL)
    g_key_file_set_string (keyfile, group, k_ca, config->ca_file);
  g_key_file_set_boolean (keyfile, group, k_plain, config->allow_plaintext);
}

static MailServerConfig *
read_server (GKeyFile    *keyfile,
             const char  *group,
             const char  *prefix,
             GError     **error)
{
  g_autofree char *k_protocol = g_strconcat (prefix, "-protocol", NULL);
  g_autofree char *k_host = g_strconcat (prefix, "-host", NULL);
  g_autofree char *k_port = g_strconcat (prefix, "-port", NULL);
  g_autofree char *k_security = g_strconcat (prefix, "-security", NULL);
  g_autofree char *k_auth = g_strconcat (prefix, "-auth", NULL);
  g_autofree char *k_user = g_strconcat (prefix, "-username", NULL);
  g_autofree char *k_ca = g_strconcat (prefix, "-ca-file", NULL);
  g_autofree char *k_plain = g_strconcat (prefix, "-allow-plaintext", NULL);
  g_autofree char *protocol_s = NULL;
  g_autofree char *security_s = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autoptr(MailServerConfig) config = NULL;
  MailProtocol protocol;
  MailSecurity security;
  int port;

  if (!g_key_file_has_key (keyfile, group, k_protocol, NULL))
    return NULL;

  protocol_s = g_key_file_get_string (keyfile, group, k_protocol, NULL);
  security_s = g_key_file_get_string (keyfile, group, k_security, NULL);
  host = g_key_file_get_string (keyfile, group, k_host, NULL);
  user = g_key_file_get_string (keyfile, group, k_user, NULL);
  port = g_key_file_get_integer (keyfile, group, k_port, NULL);

  if (!mail_protocol_from_string (protocol_s, &protocol) ||
      !mail_security_from_string (security_s, &security) ||
      host == NULL || *host == '\0' || port <= 0 || port > G_MAXUINT16)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The %s server settings of an account are damaged"), prefix);
      return NULL;
    }

  config = mail_server_config_new (protocol, host, (guint16) port, security, user);
  if (g_key_file_has_key (keyfile, group, k_auth, NULL))
    {
      g_free (config->auth);
      config->auth = g_key_file_get_string (keyfile, group, k_auth, NULL);
    }
  config->ca_file = g_key_file_get_string (keyfile, group, k_ca, NULL);
  config->allow_plaintext = g_key_file_get_boolean (keyfile, group, k_plain, NULL);

  return g_steal_pointer (&config);
}

static MailAccount *
read_account (GKeyFile    *keyfile,
              const char  *group,
              GError     **error)
{
  const char *id = group + strlen (GROUP_PREFIX);
  g_autoptr(MailAccount) account = NULL;
  g_autoptr(MailServerConfig) incoming = NULL;
  g_autoptr(MailServerConfig) outgoing = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *real_name = NULL;
  g_autofree char *email = NULL;
  GError *local_error = NULL;

  if (!id_is_valid (id))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("An account has an invalid identifier"));
      return NULL;
    }

  incoming = read_server (keyfile, group, "incoming", &local_error);
  if (local_error == NULL)
    outgoing = read_server (keyfile, group, "outgoing", &local_error);
  if (local_error == NULL && incoming != NULL && incoming->protocol == MAIL_PROTOCOL_SMTP)
    g_set_error (&local_error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                 _("An account’s incoming server uses SMTP"));
  if (local_error == NULL && outgoing != NULL && outgoing->protocol != MAIL_PROTOCOL_SMTP)
    g_set_error (&local_error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                 _("An account’s outgoing server does not use SMTP"));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  display_name = g_key_file_get_string (keyfile, group, "display-name", NULL);
  real_name = g_key_file_get_string (keyfile, group, "real-name", NULL);
  email = g_key_file_get_string (keyfile, group, "email", NULL);

  account = mail_account_new (id);
  mail_account_set_display_name (account, display_name);
  mail_account_set_real_name (account, real_name);
  mail_account_set_email (account, email);
  mail_account_set_incoming (account, incoming);
  mail_account_set_outgoing (account, outgoing);
  if (g_key_file_has_key (keyfile, group, "pop3-leave-on-server", NULL))
    mail_account_set_pop3_leave_on_server (account,
                                           g_key_file_get_boolean (keyfile, group,
                                                                   "pop3-leave-on-server", NULL));
  mail_account_set_pop3_delete_after_days (account,
                                           CLAMP (g_key_file_get_integer (keyfile, group,
                                                                          "pop3-delete-after-days",
                                                                          NULL), 0, 3650));

  return g_steal_pointer (&account);
}

static void
write_account (GKeyFile    *keyfile,
               MailAccount *account)
{
  g_autofree char *group = g_strconcat (GROUP_PREFIX, mail_account_get_id (account), NULL);
  const char *real_name = mail_account_get_real_name (account);
  const char *email = mail_account_get_email (account);

  g_key_file_set_string (keyfile, group, "display-name", mail_account_get_display_name (account)
                                                         ? mail_account_get_display_name (account)
                                                         : "");
  g_key_file_set_string (keyfile, group, "real-name", real_name ? real_name : "");
  g_key_file_set_string (keyfile, group, "email", email ? email : "");
  g_key_file_set_boolean (keyfile, group, "pop3-leave-on-server",
                          mail_account_get_pop3_leave_on_server (account));
  g_key_file_set_integer (keyfile, group, "pop3-delete-after-days",
                          mail_account_get_pop3_delete_after_days (account));
  write_server (keyfile, group, "incoming", mail_account_get_incoming (account));
  write_server (keyfile, group, "outgoing", mail_account_get_outgoing (account));
}

static gboolean
remove_tree (GFile         *file,
             GError       **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Iterative over one level at a time; the data directory is shallow and ours. Links are
   * removed, never followed. */
  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, error) && info != NULL)
        {
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            {
              if (!remove_tree (child, error))
                return FALSE;
            }
          else if (!g_file_delete (child, NULL, error))
            return FALSE;
        }
    }
  else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return g_file_delete (file, NULL, error);
}

static void
mail_account_manager_finalize (GObject *object)
{
  MailAccountManager *self = MAIL_ACCOUNT_MANAGER (object);

  g_clear_pointer (&self->config_dir, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->file, g_free);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (mail_account_manager_parent_class)->finalize (object);
}

static void
mail_account_manager_class_init (MailAccountManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mail_account_manager_finalize;
}

static void
mail_account_manager_init (MailAccountManager *self)
{
  self->accounts = g_list_store_new (MAIL_TYPE_ACCOUNT);
}

/**
 * mail_account_manager_generate_id:
 *
 * Returns: (transfer full): a new, random account identifier
 */
char *
mail_account_manager_generate_id (void)
{
  return g_uuid_string_random ();
}

/**
 * mail_account_manager_new:
 * @config_dir: where `accounts.ini` lives
 * @data_dir: where each account's data directory is created
 *
 * Returns: (transfer full): a manager; call mail_account_manager_load() next
 */
MailAccountManager *
mail_account_manager_new (const char *config_dir,
                          const char *data_dir)
{
  MailAccountManager *self;

  g_return_val_if_fail (config_dir != NULL, NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (MAIL_TYPE_ACCOUNT_MANAGER, NULL);
  self->config_dir = g_strdup (config_dir);
  self->data_dir = g_strdup (data_dir);
  self->file = g_build_filename (config_dir, "accounts.ini", NULL);

  return self;
}

/**
 * mail_account_manager_new_default:
 *
 * Returns: (transfer full): a manager for the person's own accounts, under the XDG config and
 *   data directories
 */
MailAccountManager *
mail_account_manager_new_default (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "example-mail", NULL);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "example-mail", NULL);

  return mail_account_manager_new (config_dir, data_dir);
}

/**
 * mail_account_manager_load:
 * @self: a manager
 * @error: return location for an error
 *
 * Reads the accounts file. A missing file means no accounts. A damaged account is skipped
 * (and reported in @error when nothing else went wrong), the others are loaded; the file
 * is not rewritten, so nothing is lost until the person changes something.
 *
 * Returns: %TRUE when every account was read
 */
gboolean
mail_account_manager_load (MailAccountManager  *self,
                           GError             **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) first_problem = NULL;
  g_auto(GStrv) groups = NULL;
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);

  if (!g_key_file_load_from_file (keyfile, self->file, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_list_store_remove_all (self->accounts);
          return TRUE;
        }

      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("The list of accounts in %s cannot be read: %s"),
                   self->file, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) account_error = NULL;
      MailAccount *account;

      if (!g_str_has_prefix (groups[i], GROUP_PREFIX))
        continue;

      account = read_account (keyfile, groups[i], &account_error);
      if (account != NULL)
        g_ptr_array_add (loaded, account);
      else if (first_problem == NULL)
        first_problem = g_steal_pointer (&account_error);
    }

  g_list_store_splice (self->accounts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                       loaded->pdata, loaded->len);

  if (first_problem != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_problem));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_account_manager_save:
 * @self: a manager
 * @error: return location for an error
 *
 * Writes all accounts, atomically and durably (a crash leaves the old or the new file, never a
 * mix), readable by the owner only.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_account_manager_save (MailAccountManager  *self,
                           GError             **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint n;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MailAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      write_account (keyfile, account);
    }

  if (g_mkdir_with_parents (self->config_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), self->config_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  contents = g_key_file_to_data (keyfile, &len, NULL);
  return g_file_set_contents_full (self->file, contents, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/**
 * mail_account_manager_get_accounts:
 * @self: a manager
 *
 * Returns: (transfer none): a list model of #MailAccount, in the order they were added
 */
GListModel *
mail_account_manager_get_accounts (MailAccountManager *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

/**
 * mail_account_manager_lookup:
 * @self: a manager
 * @id: an account id
 *
 * Returns: (transfer none) (nullable): the account with @id
 */
MailAccount *
mail_account_manager_lookup (MailAccountManager *self,
                             const char         *id)
{
  guint n;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      MailAccount *account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      /* The store keeps its own reference. */
      g_object_unref (account);
      if (g_strcmp0 (mail_account_get_id (account), id) == 0)
        return account;
    }

  return NULL;
}

/**
 * mail_account_manager_add:
 * @self: a manager
 * @account: a new account
 * @error: return location for an error
 *
 * Adds @account and saves the list. On failure the list is unchanged.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_account_manager_add (MailAccountManager  *self,
                          MailAccount         *account,
                          GError             **error)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), FALSE);

  if (!id_is_valid (mail_account_get_id (account)))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID,
                   _("An account has an invalid identifier"));
      return FALSE;
    }

  if (mail_account_manager_lookup (self, mail_account_get_id (account)) != NULL)
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS,
                   _("This account exists already"));
      return FALSE;
    }

  g_list_store_append (self->accounts, account);
  if (!mail_account_manager_save (self, error))
    {
      guint pos;

      if (g_list_store_find (self->accounts, account, &pos))
        g_list_store_remove (self->accounts, pos);
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_account_manager_remove:
 * @self: a manager
 * @account: an account of @self
 * @error: return location for an error
 *
 * Removes @account from the list and deletes its data directory (its cache and certificate
 * pins). The caller removes its passwords from the keyring
 * (mail_secret_store_clear_account_async()).
 *
 * Returns: %TRUE on success
 */
gboolean
mail_account_manager_remove (MailAccountManager  *self,
                             MailAccount         *account,
                             GError             **error)
{
  g_autofree char *data_dir = NULL;
  g_autoptr(GFile) dir = NULL;
  guint pos;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), FALSE);

  if (!g_list_store_find (self->accounts, account, &pos))
    {
      g_set_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND,
                   _("This account does not exist"));
      return FALSE;
    }

  data_dir = mail_account_manager_dup_data_dir (self, account);
  g_object_ref (account);
  g_list_store_remove (self->accounts, pos);
  if (!mail_account_manager_save (self, error))
    {
      g_list_store_insert (self->accounts, pos, account);
      g_object_unref (account);
      return FALSE;
    }
  g_object_unref (account);

  dir = g_file_new_for_path (data_dir);
  return remove_tree (dir, error);
}

/**
 * mail_account_manager_dup_data_dir:
 * @self: a manager
 * @account: an account
 *
 * Returns: (transfer full): the directory for @account's cache and pins (not created here)
 */
char *
mail_account_manager_dup_data_dir (MailAccountManager *self,
                                   MailAccount        *account)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (id_is_valid (mail_account_get_id (account)), NULL);

  return g_build_filename (self->data_dir, "accounts", mail_account_get_id (account), NULL);
}

/**
 * mail_account_manager_get_file:
 * @self: a manager
 *
 * Returns: (transfer none): the path of the accounts file
 */
const char *
mail_account_manager_get_file (MailAccountManager *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (self), NULL);

  return self->file;
}
