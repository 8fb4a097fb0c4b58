/* mail-cli-sync.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-cli"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mail-account-manager.h"
#include "mail-account.h"
#include "mail-cli.h"
#include "mail-engine.h"
#include "mail-pop3-sync.h"
#include "mail-secret-store.h"
#include "mail-server-check.h"
#include "mail-store.h"
#include "mail-tls-policy.h"

/* `example-mail-cli sync --profile DIR [--account ID | --protocol imap|pop3 --host H --port P
 *   --security tls|starttls|none --user U [--ca-file F]] [--headers-only] [--folder NAME]`
 *
 * Brings a server's mail into a local store under DIR. With --account, the account comes from
 * DIR/config/accounts.ini (a MailAccountManager whose data lives in DIR/data) and the password
 * from the keyring; otherwise the server is given on the command line, the password comes from
 * $MAIL_PASSWORD or one line of standard input, and the store lives in
 * DIR/cli/<hash of protocol, user, host, port>/. The options and exit codes (MailCliExit) are a
 * contract for scripts: extend, never rename. */

#define STORE_BASENAME "store.sqlite"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static int
exit_code_for_error (const GError *error)
{
  switch (mail_server_check_classify_error (error))
    {
    case MAIL_SERVER_CHECK_PROBLEM_CONNECTION:
      return MAIL_CLI_EXIT_CONNECTION;
    case MAIL_SERVER_CHECK_PROBLEM_TLS:
    case MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE:
      return MAIL_CLI_EXIT_TLS;
    case MAIL_SERVER_CHECK_PROBLEM_STARTTLS:
      return MAIL_CLI_EXIT_STARTTLS;
    case MAIL_SERVER_CHECK_PROBLEM_PROTOCOL:
      return MAIL_CLI_EXIT_PROTOCOL;
    case MAIL_SERVER_CHECK_PROBLEM_INSECURE:
      return MAIL_CLI_EXIT_INSECURE;
    case MAIL_SERVER_CHECK_PROBLEM_AUTH:
    case MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED:
    case MAIL_SERVER_CHECK_PROBLEM_AUTH_REQUIRED:
      return MAIL_CLI_EXIT_AUTH;
    case MAIL_SERVER_CHECK_PROBLEM_CANCELLED:
    case MAIL_SERVER_CHECK_PROBLEM_OTHER:
    default:
      return MAIL_CLI_EXIT_FAILURE;
    }
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  fprintf (stderr, "example-mail-cli sync: %s\n\n%s", message, help);
  return MAIL_CLI_EXIT_USAGE;
}

static void
progress_cb (MailPop3Sync *sync,
             guint         done,
             guint         total,
             guint64       bytes,
             gpointer      user_data)
{
  g_autofree char *size = g_format_size (bytes);

  /* One line, rewritten in place; only ever on a terminal. */
  fprintf (stdout, "\r\033[K");
  fprintf (stdout, _("Downloading %u of %u (%s)"), done, total, size);
  fflush (stdout);
}

static void
free_password (char     *password,
               gboolean  from_keyring)
{
  if (from_keyring)
    {
      secret_password_free (password);
      return;
    }
  memset (password, 0, strlen (password));
  g_free (password);
}

static char *
lookup_password (MailAccount  *account,
                 GError      **error)
{
  g_autoptr(MailSecretStore) secrets = mail_secret_store_new ();
  const MailServerConfig *incoming = mail_account_get_incoming (account);
  Wait wait = { 0 };
  char *password;

  mail_secret_store_lookup_async (secrets, mail_account_get_id (account), incoming->protocol,
                                  incoming->hostname, incoming->username, NULL,
                                  wait_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  password = mail_secret_store_lookup_finish (secrets, wait.result, error);
  g_object_unref (wait.result);
  if (password == NULL && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                 _("No password for this account in the keyring"));
  return password;
}

int
mail_cli_sync (int    argc,
               char **argv)
{
  g_autofree char *profile = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *protocol_str = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_str = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *folder = NULL;
  gboolean headers_only = FALSE;
  gboolean allow_plaintext = FALSE;
  int port = 0;
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile,
      N_("The directory with the accounts and the local mail"), "DIR" },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id,
      N_("Sync this account of the profile (password from the keyring)"), "ID" },
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol_str, N_("imap or pop3"), "PROTO" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The server’s host name"), "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The port (default: the protocol’s)"), "PORT" },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_str,
      N_("tls, starttls or none"), "MODE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name"), "USER" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust only the certificate authorities in this PEM file"), "FILE" },
    { "allow-plaintext", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext,
      N_("Allow --security none (the password travels unencrypted)"), NULL },
    { "headers-only", 0, 0, G_OPTION_ARG_NONE, &headers_only,
      N_("Download headers and structure only (IMAP)"), NULL },
    { "folder", 0, 0, G_OPTION_ARG_STRING, &folder,
      N_("Sync only this folder (default: INBOX)"), "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailAccountManager) manager = NULL;
  g_autoptr(MailStore) store = NULL;
  g_autoptr(MailPop3Sync) sync = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *bytes_text = NULL;
  MailAccount *account = NULL;
  char *password = NULL;
  gboolean from_keyring = FALSE;
  gboolean leave_on_server = TRUE;
  guint delete_after_days = 0;
  gboolean tty;
  gint64 started;
  double seconds;
  gboolean ok;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Download a server’s mail into the local store of a profile. "
                                  "Without --account the password comes from $MAIL_PASSWORD or "
                                  "one line of standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("example-mail-cli sync");
  ok = g_option_context_parse (context, &argc, &argv, &error);
  g_set_prgname ("example-mail-cli");
  if (!ok)
    return usage_error (context, error->message);

  if (argc > 1)
    return usage_error (context, _("Unexpected argument"));
  if (profile == NULL || *profile == '\0')
    return usage_error (context, _("--profile is required"));

  if (account_id != NULL)
    {
      g_autofree char *config_dir = g_build_filename (profile, "config", NULL);
      g_autofree char *manager_data = g_build_filename (profile, "data", NULL);

      if (protocol_str != NULL || host != NULL || security_str != NULL || user != NULL ||
          port != 0 || ca_file != NULL)
        return usage_error (context, _("--account cannot be combined with server options"));

      manager = mail_account_manager_new (config_dir, manager_data);
      if (!mail_account_manager_load (manager, &error))
        {
          fprintf (stderr, "%s: %s\n", g_get_prgname (), error->message);
          return MAIL_CLI_EXIT_FAILURE;
        }
      account = mail_account_manager_lookup (manager, account_id);
      if (account == NULL || mail_account_get_incoming (account) == NULL)
        return usage_error (context, _("No such account in this profile"));
      config = mail_server_config_copy (mail_account_get_incoming (account));
      leave_on_server = mail_account_get_pop3_leave_on_server (account);
      delete_after_days = mail_account_get_pop3_delete_after_days (account);
      data_dir = mail_account_manager_dup_data_dir (manager, account);

    }
  else
    {
      g_autofree char *absolute_ca = NULL;
      g_autofree char *key = NULL;
      g_autofree char *hash = NULL;
      MailProtocol protocol;
      MailSecurity security;

      if (protocol_str == NULL || !mail_protocol_from_string (protocol_str, &protocol) ||
          (protocol != MAIL_PROTOCOL_IMAP && protocol != MAIL_PROTOCOL_POP3))
        return usage_error (context, _("--protocol must be imap or pop3 (or use --account)"));
      if (security_str == NULL || !mail_security_from_string (security_str, &security))
        return usage_error (context, _("--security must be tls, starttls or none"));
      if (host == NULL || *host == '\0')
        return usage_error (context, _("--host is required"));
      if (user == NULL || *user == '\0')
        return usage_error (context, _("--user is required"));
      if (port < 0 || port > G_MAXUINT16)
        return usage_error (context, _("--port must be between 1 and 65535"));
      if (port == 0)
        port = mail_protocol_default_port (protocol, security);

      if (security == MAIL_SECURITY_NONE && !allow_plaintext)
        {
          fprintf (stderr, "%s: %s\n", g_get_prgname (),
                   _("Refusing to connect without encryption: the password would travel in "
                     "the clear. Pass --allow-plaintext to do it anyway."));
          return MAIL_CLI_EXIT_INSECURE;
        }

      if (ca_file != NULL)
        {
          g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();

          /* GIO wants an absolute path for a CA file; a bad file is a usage error. */
          absolute_ca = g_canonicalize_filename (ca_file, NULL);
          if (!mail_tls_policy_set_ca_file (policy, absolute_ca, &error))
            return usage_error (context, error->message);
        }

      config = mail_server_config_new (protocol, host, (guint16) port, security, user);
      g_free (config->auth);
      config->auth = g_strdup ("auto");
      config->ca_file = g_steal_pointer (&absolute_ca);
      config->allow_plaintext = allow_plaintext;

      /* Never a user or host name as a path: a digest of them names the store's folder. */
      key = g_strdup_printf ("%s\n%s\n%s\n%d", protocol_str, user, host, port);
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
      data_dir = g_build_filename (profile, "cli", hash, NULL);
    }

  if (config->protocol == MAIL_PROTOCOL_IMAP)
    {
      fprintf (stderr, "%s: %s\n", g_get_prgname (),
               _("IMAP sync is not built yet; only POP3 accounts can be synced for now."));
      return MAIL_CLI_EXIT_FAILURE;
    }
  if (config->protocol != MAIL_PROTOCOL_POP3)
    return usage_error (context, _("The account’s incoming server is neither IMAP nor POP3"));
  if (headers_only)
    return usage_error (context, _("--headers-only applies to IMAP accounts only"));
  if (folder != NULL && g_strcmp0 (folder, MAIL_POP3_SYNC_FOLDER) != 0)
    return usage_error (context, _("A POP3 server has only the folder INBOX"));

  if (account != NULL)
    {
      password = lookup_password (account, &error);
      if (password == NULL)
        {
          fprintf (stderr, "%s: %s\n", g_get_prgname (), error->message);
          return MAIL_CLI_EXIT_AUTH;
        }
      /* In libsecret's non-pageable memory: freed (and wiped) by secret_password_free(). */
      from_keyring = TRUE;
    }
  else
    {
      password = mail_cli_read_password (&error);
      if (password == NULL)
        return usage_error (context, error->message);
    }

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      fprintf (stderr, "%s: %s: %s\n", g_get_prgname (), data_dir, g_strerror (errno));
      free_password (password, from_keyring);
      return MAIL_CLI_EXIT_FAILURE;
    }
  store_path = g_build_filename (data_dir, STORE_BASENAME, NULL);

  started = g_get_monotonic_time ();
  store = mail_store_open_sync (store_path, NULL, &error);
  if (store != NULL)
    {
      sync = mail_pop3_sync_new (store, config, data_dir);
      mail_pop3_sync_set_password (sync, password);
      mail_pop3_sync_set_leave_on_server (sync, leave_on_server);
      mail_pop3_sync_set_delete_after_days (sync, delete_after_days);
    }
  free_password (g_steal_pointer (&password), from_keyring);
  if (store == NULL)
    {
      fprintf (stderr, "%s: %s\n", g_get_prgname (), error->message);
      return MAIL_CLI_EXIT_FAILURE;
    }

  tty = isatty (STDOUT_FILENO);
  if (tty)
    g_signal_connect (sync, "progress", G_CALLBACK (progress_cb), NULL);

  ok = mail_pop3_sync_run_sync (sync, NULL, &error);
  if (tty)
    fprintf (stdout, "\r\033[K");
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  if (!ok)
    {
      g_autofree char *fix = NULL;
      g_autofree char *message = mail_server_check_describe_error (error, config, &fix);

      fprintf (stderr, "%s: %s\n", g_get_prgname (), message != NULL ? message : error->message);
      if (fix != NULL)
        fprintf (stderr, "%s\n", fix);
      return exit_code_for_error (error);
    }

  bytes_text = g_strdup_printf ("%" G_GUINT64_FORMAT, mail_pop3_sync_get_n_bytes (sync));
  /* The summary line is read by scripts: keep its shape. */
  fprintf (stdout, _("Synced: %u messages, %s bytes, %.2f seconds (%u deleted from the server, "
                     "%u too large)\n"),
           mail_pop3_sync_get_n_downloaded (sync), bytes_text, seconds,
           mail_pop3_sync_get_n_deleted (sync), mail_pop3_sync_get_n_skipped (sync));
  return MAIL_CLI_EXIT_OK;
}
