/* mail-server-check.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-account"

#include "config.h"

#include "mail-server-check.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-cert-store.h"
#include "mail-connection.h"
#include "mail-net-error.h"
#include "mail-imap-client.h"
#include "mail-pop3-client.h"
#include "mail-pop3-error.h"
#include "mail-sasl.h"
#include "mail-smtp-client.h"
#include "mail-smtp-error.h"
#include "mail-tls-policy.h"

/* A server check connects, logs in and says goodbye: the same steps for the wizard and for
 * `example-mail-cli check`, so that both judge a server the same way. One protocol client is
 * driven at a time; the GTask owns everything (CheckData) until it returns. */

typedef struct
{
  MailConnection        *connection;
  GObject               *client;
  char                  *user;
  char                  *password;
  char                  *auth;
  MailServerCheckResult *result;
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *check = data;

  if (check->password != NULL)
    {
      /* The password was only needed for the login; wipe it before freeing. */
      memset (check->password, 0, strlen (check->password));
      g_free (check->password);
    }
  g_free (check->user);
  g_free (check->auth);
  g_clear_pointer (&check->result, mail_server_check_result_free);
  g_clear_object (&check->client);
  g_clear_object (&check->connection);
  g_free (check);
}

static void
return_result (GTask *task)
{
  CheckData *check = g_task_get_task_data (task);
  MailServerCheckResult *result = check->result;

  result->encrypted = mail_connection_get_is_encrypted (check->connection);
  if (result->encrypted && mail_connection_get_certificate_info (check->connection) != NULL)
    result->certificate = g_object_ref (mail_connection_get_certificate_info (check->connection));
  if (result->capabilities == NULL)
    result->capabilities = g_new0 (char *, 1);

  check->result = NULL;
  g_task_return_pointer (task, result, (GDestroyNotify) mail_server_check_result_free);
}

static gboolean
wants_login (CheckData *check)
{
  /* Only an outgoing server may be used without a login ("none"). */
  return g_ascii_strcasecmp (check->auth, "none") != 0;
}

/* SMTP ---------------------------------------------------------------------------------- */

static void
smtp_quit_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* The login succeeded; a failing goodbye does not change that. */
  mail_smtp_client_quit_finish (MAIL_SMTP_CLIENT (object), result, NULL);
  return_result (task);
}

static void
smtp_login_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CheckData *check = g_task_get_task_data (task);
  MailSmtpClient *client = MAIL_SMTP_CLIENT (object);
  g_autoptr(GError) error = NULL;

  if (!mail_smtp_client_login_finish (client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  check->result->mechanism = g_strdup (mail_smtp_client_get_mechanism (client));
  mail_smtp_client_quit_async (client, cancellable, smtp_quit_cb,
                               g_steal_pointer (&task));
}

static void
smtp_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CheckData *check = g_task_get_task_data (task);
  MailSmtpClient *client = MAIL_SMTP_CLIENT (object);
  const MailSmtpCapabilities *caps;
  g_autoptr(GError) error = NULL;

  if (!mail_smtp_client_connect_finish (client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  caps = mail_smtp_client_get_capabilities (client);
  check->result->capabilities = g_strdupv ((char **) mail_smtp_capabilities_get_keywords (caps));
  if (!wants_login (check))
    {
      mail_smtp_client_quit_async (client, cancellable, smtp_quit_cb,
                                   g_steal_pointer (&task));
      return;
    }

  mail_smtp_client_login_async (client, check->user, check->password, check->auth,
                                cancellable, smtp_login_cb,
                                g_steal_pointer (&task));
}

/* POP3 ---------------------------------------------------------------------------------- */

static void
pop3_quit_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  mail_pop3_client_quit_finish (MAIL_POP3_CLIENT (object), result, NULL);
  return_result (task);
}

static void
pop3_login_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CheckData *check = g_task_get_task_data (task);
  MailPop3Client *client = MAIL_POP3_CLIENT (object);
  g_autoptr(GError) error = NULL;

  if (!mail_pop3_client_login_finish (client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  check->result->mechanism = g_strdup (mail_pop3_client_get_mechanism (client));
  mail_pop3_client_quit_async (client, cancellable, pop3_quit_cb,
                               g_steal_pointer (&task));
}

static void
pop3_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CheckData *check = g_task_get_task_data (task);
  MailPop3Client *client = MAIL_POP3_CLIENT (object);
  const MailPop3Capabilities *caps;
  g_autoptr(GError) error = NULL;

  if (!mail_pop3_client_connect_finish (client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  caps = mail_pop3_client_get_capabilities (client);
  check->result->capabilities = g_strdupv ((char **) mail_pop3_capabilities_get_keywords (caps));
  mail_pop3_client_login_async (client, check->user, check->password, check->auth,
                                cancellable, pop3_login_cb,
                                g_steal_pointer (&task));
}

/* IMAP ---------------------------------------------------------------------------------- */

static void
imap_logout_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  mail_imap_client_logout_finish (MAIL_IMAP_CLIENT (object), result, NULL);
  return_result (task);
}

static void
imap_login_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CheckData *check = g_task_get_task_data (task);
  MailImapClient *client = MAIL_IMAP_CLIENT (object);
  g_autoptr(GError) error = NULL;

  if (!mail_imap_client_login_finish (client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* After login the server may announce more; report what a session would use. */
  g_strfreev (check->result->capabilities);
  check->result->capabilities = g_strdupv ((char **) mail_imap_client_get_capabilities (client));
  check->result->mechanism = g_strdup (mail_imap_client_get_mechanism (client));
  mail_imap_client_logout_async (client, cancellable, imap_logout_cb, g_steal_pointer (&task));
}

static void
imap_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CheckData *check = g_task_get_task_data (task);
  MailImapClient *client = MAIL_IMAP_CLIENT (object);
  g_autoptr(GError) error = NULL;

  if (!mail_imap_client_connect_finish (client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  check->result->capabilities = g_strdupv ((char **) mail_imap_client_get_capabilities (client));
  mail_imap_client_login_async (client, check->user, check->password, check->auth,
                                cancellable, imap_login_cb, g_steal_pointer (&task));
}

/* Public API ---------------------------------------------------------------------------- */

/**
 * mail_server_check_async:
 * @config: the server to check
 * @password: (nullable): the password to log in with (copied, wiped after use)
 * @pin_dir: (nullable): the directory where a #MailCertStore keeps this account's
 *   certificate pins; pinned certificates are then accepted for their host and port
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the check is over
 * @user_data: data for @callback
 *
 * Connects to the server as @config describes (TLS policy, CA file and plaintext consent
 * included), logs in, and logs out again. Nothing is remembered: no pin is added, no
 * password stored. An outgoing server whose @config auth is "none" is only greeted.
 */
void
mail_server_check_async (const MailServerConfig *config,
                         const char             *password,
                         const char             *pin_dir,
                         GCancellable           *cancellable,
                         GAsyncReadyCallback     callback,
                         gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MailTlsPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  CheckData *check;

  g_return_if_fail (config != NULL);
  g_return_if_fail (config->hostname != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_server_check_async);

  check = g_new0 (CheckData, 1);
  check->user = g_strdup (config->username != NULL ? config->username : "");
  check->password = g_strdup (password != NULL ? password : "");
  check->auth = g_strdup (config->auth != NULL ? config->auth : "auto");
  check->result = g_new0 (MailServerCheckResult, 1);
  check->result->protocol = config->protocol;
  check->result->host = g_strdup (config->hostname);
  check->result->port = config->port;
  check->result->security = config->security;
  g_task_set_task_data (task, check, check_data_free);

  if (config->port == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("The port must be between 1 and 65535"));
      return;
    }

  policy = mail_tls_policy_new ();
  if (config->ca_file != NULL && !mail_tls_policy_set_ca_file (policy, config->ca_file, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (pin_dir != NULL)
    {
      g_autoptr(MailCertStore) store = mail_cert_store_new (pin_dir);

      if (!mail_cert_store_load (store, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      mail_tls_policy_set_cert_store (policy, store);
    }

  check->connection = mail_connection_new (config->hostname, config->port, config->security);
  mail_connection_set_tls_policy (check->connection, policy);
  mail_connection_set_allow_plaintext (check->connection, config->allow_plaintext);
  mail_connection_set_log_label (check->connection, "check");

  if (config->protocol == MAIL_PROTOCOL_IMAP)
    {
      MailImapClient *client = mail_imap_client_new (check->connection);

      check->client = G_OBJECT (client);
      mail_imap_client_connect_async (client, cancellable, imap_connect_cb,
                                      g_steal_pointer (&task));
    }
  else if (config->protocol == MAIL_PROTOCOL_SMTP)
    {
      MailSmtpClient *client = mail_smtp_client_new (check->connection);

      check->client = G_OBJECT (client);
      mail_smtp_client_connect_async (client, cancellable, smtp_connect_cb,
                                      g_steal_pointer (&task));
    }
  else
    {
      MailPop3Client *client = mail_pop3_client_new (check->connection);

      check->client = G_OBJECT (client);
      mail_pop3_client_connect_async (client, cancellable, pop3_connect_cb,
                                      g_steal_pointer (&task));
    }
}

/**
 * mail_server_check_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError; classify it with mail_server_check_classify_error()
 *
 * Returns: (transfer full) (nullable): what the check learnt, or %NULL with @error set
 */
MailServerCheckResult *
mail_server_check_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_server_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mail_server_check_result_free:
 * @result: (transfer full) (nullable): a check result
 *
 * Frees @result.
 */
void
mail_server_check_result_free (MailServerCheckResult *result)
{
  if (result == NULL)
    return;

  g_free (result->host);
  g_strfreev (result->capabilities);
  g_free (result->mechanism);
  g_clear_object (&result->certificate);
  g_free (result);
}

/* Servers say "use an app password" in many ways; these are the ones providers use
 * (Google's 534 5.7.9, Yahoo and iCloud alerts, Microsoft's "basic authentication"). */
static gboolean
mentions_app_password (const char *message)
{
  static const char * const needles[] = {
    "5.7.9", "application-specific", "application specific", "app password",
    "app-specific", "web login required", "webloginrequired",
  };
  g_autofree char *lower = NULL;

  if (message == NULL)
    return FALSE;

  lower = g_utf8_strdown (message, -1);
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    {
      if (strstr (lower, needles[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

/**
 * mail_server_check_classify_error:
 * @error: an error from mail_server_check_finish() (or any protocol client)
 *
 * Returns: what kind of problem @error is, for choosing the words and the fix
 */
MailServerCheckProblem
mail_server_check_classify_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, MAIL_SERVER_CHECK_PROBLEM_OTHER);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return MAIL_SERVER_CHECK_PROBLEM_CANCELLED;

  if (error->domain == MAIL_NET_ERROR)
    {
      switch ((MailNetError) error->code)
        {
        case MAIL_NET_ERROR_CONNECT:
        case MAIL_NET_ERROR_TIMEOUT:
        case MAIL_NET_ERROR_CLOSED:
          return MAIL_SERVER_CHECK_PROBLEM_CONNECTION;
        case MAIL_NET_ERROR_TLS:
          return MAIL_SERVER_CHECK_PROBLEM_TLS;
        case MAIL_NET_ERROR_CERTIFICATE:
          return MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE;
        case MAIL_NET_ERROR_STARTTLS_INJECTION:
          return MAIL_SERVER_CHECK_PROBLEM_STARTTLS;
        case MAIL_NET_ERROR_LINE_TOO_LONG:
        case MAIL_NET_ERROR_PROTOCOL:
          return MAIL_SERVER_CHECK_PROBLEM_PROTOCOL;
        case MAIL_NET_ERROR_PLAINTEXT_REFUSED:
          return MAIL_SERVER_CHECK_PROBLEM_INSECURE;
        case MAIL_NET_ERROR_PIN_STORE:
        default:
          return MAIL_SERVER_CHECK_PROBLEM_OTHER;
        }
    }

  if (error->domain == MAIL_SMTP_ERROR)
    {
      switch ((MailSmtpError) error->code)
        {
        case MAIL_SMTP_ERROR_PROTOCOL:
          return MAIL_SERVER_CHECK_PROBLEM_PROTOCOL;
        case MAIL_SMTP_ERROR_GREETING:
        case MAIL_SMTP_ERROR_SERVICE_CLOSING:
          return MAIL_SERVER_CHECK_PROBLEM_CONNECTION;
        case MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE:
          return MAIL_SERVER_CHECK_PROBLEM_STARTTLS;
        case MAIL_SMTP_ERROR_INSECURE:
          return MAIL_SERVER_CHECK_PROBLEM_INSECURE;
        case MAIL_SMTP_ERROR_AUTH_REQUIRED:
          return MAIL_SERVER_CHECK_PROBLEM_AUTH_REQUIRED;
        case MAIL_SMTP_ERROR_AUTH_WEAK:
          return MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED;
        case MAIL_SMTP_ERROR_AUTH_FAILED:
        case MAIL_SMTP_ERROR_AUTH_UNSUPPORTED:
          return mentions_app_password (error->message) ?
                 MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED : MAIL_SERVER_CHECK_PROBLEM_AUTH;
        case MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE:
        case MAIL_SMTP_ERROR_SENDER_REJECTED:
        case MAIL_SMTP_ERROR_RECIPIENT_REJECTED:
        case MAIL_SMTP_ERROR_MESSAGE_REJECTED:
        case MAIL_SMTP_ERROR_UNSUPPORTED:
        case MAIL_SMTP_ERROR_TEMPORARY:
        case MAIL_SMTP_ERROR_PERMANENT:
        default:
          return MAIL_SERVER_CHECK_PROBLEM_OTHER;
        }
    }

  if (error->domain == MAIL_POP3_ERROR)
    {
      switch ((MailPop3Error) error->code)
        {
        case MAIL_POP3_ERROR_PROTOCOL:
          return MAIL_SERVER_CHECK_PROBLEM_PROTOCOL;
        case MAIL_POP3_ERROR_GREETING:
          return MAIL_SERVER_CHECK_PROBLEM_CONNECTION;
        case MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE:
          return MAIL_SERVER_CHECK_PROBLEM_STARTTLS;
        case MAIL_POP3_ERROR_INSECURE:
          return MAIL_SERVER_CHECK_PROBLEM_INSECURE;
        case MAIL_POP3_ERROR_AUTH_FAILED:
        case MAIL_POP3_ERROR_AUTH_UNSUPPORTED:
        case MAIL_POP3_ERROR_IN_USE:
          return mentions_app_password (error->message) ?
                 MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED : MAIL_SERVER_CHECK_PROBLEM_AUTH;
        case MAIL_POP3_ERROR_TEMPORARY:
        case MAIL_POP3_ERROR_NO_SUCH_MESSAGE:
        case MAIL_POP3_ERROR_MESSAGE_TOO_LARGE:
        case MAIL_POP3_ERROR_FAILED:
        default:
          return MAIL_SERVER_CHECK_PROBLEM_OTHER;
        }
    }

  if (error->domain == MAIL_IMAP_ERROR)
    return MAIL_SERVER_CHECK_PROBLEM_PROTOCOL;

  if (error->domain == MAIL_IMAP_CLIENT_ERROR)
    {
      switch ((MailImapClientError) error->code)
        {
        case MAIL_IMAP_CLIENT_ERROR_GREETING:
        case MAIL_IMAP_CLIENT_ERROR_BYE:
          return MAIL_SERVER_CHECK_PROBLEM_CONNECTION;
        case MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE:
          return MAIL_SERVER_CHECK_PROBLEM_STARTTLS;
        case MAIL_IMAP_CLIENT_ERROR_INSECURE:
          return MAIL_SERVER_CHECK_PROBLEM_INSECURE;
        case MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED:
        case MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED:
          return mentions_app_password (error->message) ?
                 MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED : MAIL_SERVER_CHECK_PROBLEM_AUTH;
        case MAIL_IMAP_CLIENT_ERROR_BAD:
        case MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES:
          return MAIL_SERVER_CHECK_PROBLEM_PROTOCOL;
        case MAIL_IMAP_CLIENT_ERROR_REFERRAL:
        case MAIL_IMAP_CLIENT_ERROR_NO:
        case MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED:
        case MAIL_IMAP_CLIENT_ERROR_STATE:
        case MAIL_IMAP_CLIENT_ERROR_INVALID:
        default:
          return MAIL_SERVER_CHECK_PROBLEM_OTHER;
        }
    }

  if (error->domain == MAIL_SASL_ERROR)
    {
      if (error->code == MAIL_SASL_ERROR_PLAINTEXT_REFUSED)
        return MAIL_SERVER_CHECK_PROBLEM_INSECURE;
      return mentions_app_password (error->message) ?
             MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED : MAIL_SERVER_CHECK_PROBLEM_AUTH;
    }

  return MAIL_SERVER_CHECK_PROBLEM_OTHER;
}

/**
 * mail_server_check_describe_error:
 * @error: an error from mail_server_check_finish()
 * @config: (nullable): the server that was checked, to name it and suggest ports
 * @fix: (out) (optional) (transfer full): what the person can do about it
 *
 * Returns: (transfer full): what went wrong, in plain words
 */
char *
mail_server_check_describe_error (const GError           *error,
                                  const MailServerConfig *config,
                                  char                  **fix)
{
  const char *host = config != NULL && config->hostname != NULL ? config->hostname
                                                                : _("the server");
  guint port = config != NULL ? config->port : 0;
  char *message = NULL;
  char *advice = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  switch (mail_server_check_classify_error (error))
    {
    case MAIL_SERVER_CHECK_PROBLEM_CONNECTION:
      /* Translators: %s is a host name, %u a port number */
      message = g_strdup_printf (_("The server %s did not answer on port %u."), host, port);
      if (config != NULL)
        {
          MailSecurity other = config->security == MAIL_SECURITY_TLS ? MAIL_SECURITY_STARTTLS
                                                                     : MAIL_SECURITY_TLS;
          guint16 other_port = mail_protocol_default_port (config->protocol, other);

          if (other_port != port)
            /* Translators: %u are port numbers */
            advice = g_strdup_printf (_("Check the server name. Your network may block port "
                                        "%u: try port %u instead."), port, other_port);
        }
      if (advice == NULL)
        advice = g_strdup (_("Check the server name and port, and that you are online."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_TLS:
      message = g_strdup_printf (_("An encrypted connection to %s could not be set up."), host);
      advice = g_strdup (_("Check the security setting: ports 993, 995 and 465 use SSL/TLS, "
                           "ports 143, 110 and 587 use STARTTLS."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE:
      message = g_strdup_printf (_("The identity of %s could not be verified."), host);
      advice = g_strdup (_("Look at the certificate. Only trust it if you know this server "
                           "uses its own certificate, for example because your provider or "
                           "administrator told you so."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_STARTTLS:
      message = g_strdup_printf (_("%s did not switch to encryption safely (STARTTLS)."),
                                 host);
      advice = g_strdup (_("Try SSL/TLS instead. If it keeps happening, something on the "
                           "network may be interfering with your connection."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_AUTH:
      message = g_strdup (_("The server did not accept the user name or password."));
      advice = g_strdup (_("Check the password and the user name. If your provider uses app "
                           "passwords, create one in your account’s security settings and "
                           "enter it here."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED:
      message = g_strdup (_("Your provider wants an app password for this program."));
      advice = g_strdup (_("Create an app password in your account’s security settings on "
                           "the provider’s website, and enter it instead of your usual "
                           "password."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_AUTH_REQUIRED:
      message = g_strdup (_("The outgoing server wants you to log in before sending."));
      advice = g_strdup (_("Choose a password login for the outgoing server."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_PROTOCOL:
      message = g_strdup_printf (_("%s answered in a way Mail does not understand."), host);
      advice = g_strdup (_("Check that the port belongs to the right kind of server (IMAP, "
                           "POP3 or SMTP)."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_INSECURE:
      message = g_strdup (_("Mail did not send your password, because the connection is not "
                            "encrypted."));
      advice = g_strdup (_("Choose SSL/TLS or STARTTLS. Only if the server offers no "
                           "encryption, confirm that you accept the risk."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_CANCELLED:
      message = g_strdup (_("The check was cancelled."));
      advice = g_strdup (_("Try again when you are ready."));
      break;

    case MAIL_SERVER_CHECK_PROBLEM_OTHER:
    default:
      message = g_strdup (error->message);
      advice = g_strdup (_("Try again later, or check the settings."));
      break;
    }

  if (fix != NULL)
    *fix = advice;
  else
    g_free (advice);

  return message;
}
