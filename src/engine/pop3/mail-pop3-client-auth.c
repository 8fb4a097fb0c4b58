/* mail-pop3-client-auth.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-pop3"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-pop3-client-private.h"
#include "mail-sasl.h"

/* Logging in: AUTH through the SASL layer (RFC 5034), APOP (RFC 1939 §7) or USER/PASS.
 * Only the capabilities received over TLS count after STLS. Every write that carries a
 * password or something derived from it is %MAIL_LOG_SENSITIVE, which also makes the
 * connection refuse it when secrets may not be sent. */

/* RFC 5034 §4: the AUTH command line, initial response included, is at most 255 octets. */
#define MAX_AUTH_LINE   255
#define MAX_ROUND_TRIPS 10

typedef enum
{
  METHOD_SASL,
  METHOD_APOP,
  METHOD_USER,
} Method;

typedef struct
{
  MailPop3Client *self;      /* borrowed: the task's source object */
  Method          method;
  MailSasl       *sasl;
  char           *username;
  char           *password;
  guint           round_trips;
  GError         *pending;
} AuthData;

static void
auth_data_free (gpointer data)
{
  AuthData *ad = data;

  mail_pop3_client_set_busy (ad->self, FALSE);
  g_clear_object (&ad->sasl);
  g_clear_pointer (&ad->username, g_free);
  if (ad->password != NULL)
    {
      memset (ad->password, 0, strlen (ad->password));
      g_clear_pointer (&ad->password, g_free);
    }
  g_clear_error (&ad->pending);
  g_free (ad);
}

static GError *
sasl_error_to_pop3 (GError *error)
{
  MailPop3Error code;
  GError *ret;

  if (error->domain != MAIL_SASL_ERROR)
    return error;

  switch ((MailSaslError) error->code)
    {
    case MAIL_SASL_ERROR_PLAINTEXT_REFUSED:
      code = MAIL_POP3_ERROR_INSECURE;
      break;

    case MAIL_SASL_ERROR_UNSUPPORTED:
    case MAIL_SASL_ERROR_NO_MECHANISM:
      code = MAIL_POP3_ERROR_AUTH_UNSUPPORTED;
      break;

    case MAIL_SASL_ERROR_BAD_CHALLENGE:
    case MAIL_SASL_ERROR_STATE:
      code = MAIL_POP3_ERROR_PROTOCOL;
      break;

    case MAIL_SASL_ERROR_MISSING_CREDENTIALS:
    case MAIL_SASL_ERROR_FAILED:
    default:
      code = MAIL_POP3_ERROR_AUTH_FAILED;
      break;
    }

  ret = g_error_new_literal (MAIL_POP3_ERROR, code, error->message);
  g_error_free (error);
  return ret;
}

static void
succeed (GTask      *task,
         const char *mechanism)
{
  MailPop3Client *self = g_task_get_source_object (task);

  mail_pop3_client_set_authenticated (self, mechanism);
  g_task_return_boolean (task, TRUE);
}

/* ---- SASL ---- */

static void sasl_reply_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
cancel_reply_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailPop3Client *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailPop3Response) response = NULL;

  response = mail_pop3_client_command_finish (self, result, NULL, NULL);
  g_task_return_error (task, g_steal_pointer (&ad->pending));
}

static void
send_sasl_line (GTask        *task,
                const char   *line,
                MailLogFlags  flags)
{
  MailPop3Client *self = g_task_get_source_object (task);

  mail_pop3_client_command_async (self, line, flags,
                                  MAIL_POP3_COMMAND_RAW | MAIL_POP3_COMMAND_CONTINUE,
                                  MAIL_POP3_STAGE_AUTH, g_task_get_cancellable (task),
                                  sasl_reply_cb, task);
}

static void
sasl_reply_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(GError) error = NULL;
  gboolean show_text = mail_pop3_client_may_show_server_text (self);
  char *reply;

  response = mail_pop3_client_command_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (mail_pop3_response_get_status (response))
    {
    case MAIL_POP3_STATUS_OK:
      succeed (task, mail_sasl_get_mechanism (ad->sasl));
      return;

    case MAIL_POP3_STATUS_ERR:
      g_task_return_error (task,
                           mail_pop3_error_from_response (response, MAIL_POP3_STAGE_AUTH,
                                                          show_text));
      return;

    case MAIL_POP3_STATUS_CONTINUE:
    default:
      break;
    }

  if (++ad->round_trips > MAX_ROUND_TRIPS)
    {
      ad->pending = g_error_new_literal (MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
                                         _("The server sent an invalid login challenge"));
      mail_pop3_client_command_async (self, "*", MAIL_LOG_NORMAL, MAIL_POP3_COMMAND_RAW,
                                      MAIL_POP3_STAGE_AUTH, cancellable,
                                      cancel_reply_cb, g_steal_pointer (&task));
      return;
    }

  /* An initial response too long for the AUTH line goes out after the first, empty,
   * challenge. */
  reply = g_object_steal_data (G_OBJECT (task), "initial");
  if (reply != NULL)
    {
      send_sasl_line (g_steal_pointer (&task), reply, MAIL_LOG_SENSITIVE);
      mail_sasl_response_free (reply);
      return;
    }

  reply = mail_sasl_step64 (ad->sasl, mail_pop3_response_get_text (response), &error);
  if (reply == NULL)
    {
      /* RFC 5034 §4: "*" cancels the exchange. */
      ad->pending = sasl_error_to_pop3 (g_steal_pointer (&error));
      mail_pop3_client_command_async (self, "*", MAIL_LOG_NORMAL, MAIL_POP3_COMMAND_RAW,
                                      MAIL_POP3_STAGE_AUTH, cancellable,
                                      cancel_reply_cb, g_steal_pointer (&task));
      return;
    }

  send_sasl_line (g_steal_pointer (&task), reply, MAIL_LOG_SENSITIVE);
  mail_sasl_response_free (reply);
}

static void
start_sasl (GTask      *task,
            const char *chosen)
{
  MailPop3Client *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  MailConnection *connection = mail_pop3_client_get_connection (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  char *initial = NULL;

  ad->sasl = mail_sasl_new (chosen, &error);
  if (ad->sasl == NULL)
    {
      g_task_return_error (task, sasl_error_to_pop3 (g_steal_pointer (&error)));
      g_object_unref (task);
      return;
    }

  mail_sasl_set_service (ad->sasl, "pop", mail_connection_get_host (connection),
                         mail_connection_get_port (connection));
  mail_sasl_set_credentials (ad->sasl, ad->username, ad->password);

  if (mail_sasl_get_client_first (ad->sasl))
    {
      initial = mail_sasl_step64 (ad->sasl, NULL, &error);
      if (initial == NULL)
        {
          g_task_return_error (task, sasl_error_to_pop3 (g_steal_pointer (&error)));
          g_object_unref (task);
          return;
        }

      /* Send the initial response with the command when it fits (RFC 5034 §4);
       * otherwise wait for the server's empty challenge and send it then. */
      line = g_strdup_printf ("AUTH %s %s", chosen, *initial != '\0' ? initial : "=");
      if (strlen (line) <= MAX_AUTH_LINE)
        {
          mail_sasl_response_free (initial);
          send_sasl_line (task, line, MAIL_LOG_SENSITIVE);
          memset (line, 0, strlen (line));
          return;
        }

      memset (line, 0, strlen (line));
      g_clear_pointer (&line, g_free);
      g_object_set_data_full (G_OBJECT (task), "initial", initial,
                              (GDestroyNotify) mail_sasl_response_free);
    }

  line = g_strdup_printf ("AUTH %s", chosen);
  send_sasl_line (task, line, MAIL_LOG_NORMAL);
}

/* ---- APOP and USER/PASS ---- */

static void
pass_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailPop3Client *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_pop3_client_command_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  succeed (task, ad->method == METHOD_APOP ? "APOP" : "USER");
}

static void
user_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  response = mail_pop3_client_command_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  line = g_strdup_printf ("PASS %s", ad->password);
  mail_pop3_client_command_async (self, line, MAIL_LOG_SENSITIVE, MAIL_POP3_COMMAND_SINGLE,
                                  MAIL_POP3_STAGE_AUTH, cancellable, pass_cb,
                                  g_steal_pointer (&task));
  memset (line, 0, strlen (line));
}

static void
start_apop (GTask *task)
{
  MailPop3Client *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  const char *timestamp = mail_pop3_client_get_apop_timestamp (self);
  g_autofree char *line = NULL;

  /* RFC 1939 §7: the digest is MD5 over the timestamp followed by the shared secret. */
  g_checksum_update (md5, (const guchar *) timestamp, (gssize) strlen (timestamp));
  g_checksum_update (md5, (const guchar *) ad->password, (gssize) strlen (ad->password));

  line = g_strdup_printf ("APOP %s %s", ad->username, g_checksum_get_string (md5));
  mail_pop3_client_command_async (self, line, MAIL_LOG_SENSITIVE, MAIL_POP3_COMMAND_SINGLE,
                                  MAIL_POP3_STAGE_AUTH, g_task_get_cancellable (task), pass_cb,
                                  task);
}

static void
start_user (GTask *task)
{
  MailPop3Client *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autofree char *line = g_strdup_printf ("USER %s", ad->username);

  mail_pop3_client_command_async (self, line, MAIL_LOG_NORMAL, MAIL_POP3_COMMAND_SINGLE,
                                  MAIL_POP3_STAGE_AUTH, g_task_get_cancellable (task), user_cb,
                                  task);
}

static gboolean
has_forbidden_chars (const char *s)
{
  for (; *s != '\0'; s++)
    {
      if ((guchar) *s < 0x20 || *s == 0x7f)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_pop3_client_login_async:
 * @self: a connected #MailPop3Client
 * @username: the user name
 * @password: the password; wiped from the client's copy after use
 * @mechanism: (nullable): "auto" (or %NULL), "user" (USER/PASS), "apop", or a SASL
 *   mechanism name ("plain", "login", "cram-md5", "ntlm", …)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Logs in. "auto" prefers SASL (the strongest mechanism both sides support), then APOP
 * when the greeting carried a timestamp, then USER/PASS. Only capabilities received over
 * TLS count; secrets never go over an unencrypted connection without consent.
 */
void
mail_pop3_client_login_async (MailPop3Client      *self,
                              const char          *username,
                              const char          *password,
                              const char          *mechanism,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const MailPop3Capabilities *caps;
  MailConnection *connection;
  gboolean may_send;
  const char *pref = mechanism != NULL ? mechanism : "auto";
  AuthData *ad;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_pop3_client_login_async);

  if (!mail_pop3_client_check_ready (self, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (*username == '\0' || has_forbidden_chars (username) || has_forbidden_chars (password))
    {
      g_task_return_new_error (task, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_FAILED,
                               _("The user name or password contains characters that "
                                 "cannot be sent"));
      return;
    }

  connection = mail_pop3_client_get_connection (self);
  caps = mail_pop3_client_get_capabilities (self);
  may_send = mail_connection_may_send_secrets (connection);

  if (!may_send)
    {
      g_task_return_new_error (task, MAIL_POP3_ERROR, MAIL_POP3_ERROR_INSECURE,
                               _("The connection to %s is not encrypted, so the password "
                                 "was not sent"), mail_connection_get_host (connection));
      return;
    }

  ad = g_new0 (AuthData, 1);
  ad->self = self;
  ad->username = g_strdup (username);
  ad->password = g_strdup (password);
  mail_pop3_client_set_busy (self, TRUE);
  g_task_set_task_data (task, ad, auth_data_free);

  if (g_ascii_strcasecmp (pref, "user") == 0)
    {
      ad->method = METHOD_USER;
      start_user (g_steal_pointer (&task));
      return;
    }

  if (g_ascii_strcasecmp (pref, "apop") == 0)
    {
      if (mail_pop3_client_get_apop_timestamp (self) == NULL)
        {
          g_task_return_new_error (task, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_UNSUPPORTED,
                                   _("The server %s does not support APOP"),
                                   mail_connection_get_host (connection));
          return;
        }
      ad->method = METHOD_APOP;
      start_apop (g_steal_pointer (&task));
      return;
    }

  if (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_SASL) &&
      mail_pop3_capabilities_get_mechanisms (caps)[0] != NULL)
    {
      const char *chosen;

      chosen = mail_sasl_choose_mechanism (mail_pop3_capabilities_get_mechanisms (caps), pref,
                                           FALSE, may_send, &error);
      if (chosen != NULL)
        {
          ad->method = METHOD_SASL;
          start_sasl (g_steal_pointer (&task), chosen);
          return;
        }

      if (g_ascii_strcasecmp (pref, "auto") != 0)
        {
          g_task_return_error (task, sasl_error_to_pop3 (g_steal_pointer (&error)));
          return;
        }
      g_clear_error (&error);
    }
  else if (g_ascii_strcasecmp (pref, "auto") != 0)
    {
      g_task_return_new_error (task, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_UNSUPPORTED,
                               _("The server %s does not support the login method “%s”"),
                               mail_connection_get_host (connection), pref);
      return;
    }

  if (mail_pop3_client_get_apop_timestamp (self) != NULL)
    {
      ad->method = METHOD_APOP;
      start_apop (g_steal_pointer (&task));
      return;
    }

  ad->method = METHOD_USER;
  start_user (g_steal_pointer (&task));
}

/**
 * mail_pop3_client_login_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for a %MAIL_POP3_ERROR or %MAIL_NET_ERROR error
 *
 * Returns: %TRUE when logged in; see mail_pop3_client_get_mechanism()
 */
gboolean
mail_pop3_client_login_finish (MailPop3Client  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  mail_pop3_client_set_busy (self, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
