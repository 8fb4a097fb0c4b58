/* mail-imap-client-connect.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-sasl.h"

/*
 * Opening a session: greeting, CAPABILITY, STARTTLS and CAPABILITY again; then logging in
 * with AUTHENTICATE (through MailSasl, SASL-IR when offered) or, only when nothing better
 * is offered and LOGINDISABLED is absent, LOGIN.
 *
 * Security rules (SECURITY.md): with STARTTLS required, nothing learnt before TLS is kept
 * (greeting capability codes are ignored, the plaintext CAPABILITY answer only tells
 * whether STARTTLS is offered), a PREAUTH greeting is refused (IMAP forbids STARTTLS after
 * it), any refusal of STARTTLS ends the session, and no credential is ever written before
 * the connection is encrypted (MailConnection also refuses sensitive writes then).
 */

/* CAPABILITY answered with BAD is asked again this many times, then the session ends. */
#define MAX_CAPABILITY_TRIES 3
#define MAX_SASL_ROUND_TRIPS 10

/* ------------------------------------------------------------------------------------ */
/* CAPABILITY */

typedef struct
{
  GStrv capabilities;
  guint tries;
} CapaData;

static void
capa_data_free (gpointer data)
{
  CapaData *cd = data;

  g_strfreev (cd->capabilities);
  g_free (cd);
}

static gboolean
capa_untagged (MailImapClient   *self,
               MailImapResponse *response,
               gpointer          data)
{
  CapaData *cd = data;

  if (!mail_imap_response_is_name (response, "CAPABILITY"))
    return FALSE;

  g_clear_pointer (&cd->capabilities, g_strfreev);
  cd->capabilities = mail_imap_decode_capability (response, NULL);
  return TRUE;
}

static void send_capability (GTask *task);

static void
capability_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  CapaData *cd = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_BAD &&
      cd->tries < MAX_CAPABILITY_TRIES)
    {
      /* Asked again from the main loop, never by recursion. */
      send_capability (g_steal_pointer (&task));
      return;
    }

  if (mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_BAD)
    {
      error = g_error_new_literal (MAIL_IMAP_CLIENT_ERROR,
                                   MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES,
                                   _("The server keeps rejecting the request for its "
                                     "capabilities"));
      mail_imap_client_fail (self, g_error_copy (error));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_imap_client_check_ok (self, response, "CAPABILITY", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (cd->capabilities == NULL)
    {
      g_task_return_new_error (task, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                               _("The server did not list its capabilities"));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&cd->capabilities), (GDestroyNotify) g_strfreev);
}

static void
send_capability (GTask *task)
{
  MailImapClient *self = g_task_get_source_object (task);
  CapaData *cd = g_task_get_task_data (task);

  cd->tries++;
  g_clear_pointer (&cd->capabilities, g_strfreev);
  mail_imap_client_run_async (self, mail_imap_command_new ("CAPABILITY"), MAIL_IMAP_RUN_NONE,
                              capa_untagged, NULL, cd, g_task_get_cancellable (task),
                              capability_cb, task);
}

/**
 * mail_imap_client_capability_async:
 * @self: a connected #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks the server for its capabilities (CAPABILITY). A BAD answer is retried a few times,
 * then the session ends with %MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES.
 */
void
mail_imap_client_capability_async (MailImapClient      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_capability_async);
  g_task_set_task_data (task, g_new0 (CapaData, 1), capa_data_free);
  send_capability (task);
}

/**
 * mail_imap_client_capability_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the capabilities, upper-cased
 */
GStrv
mail_imap_client_capability_finish (MailImapClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Connect */

/* Takes ownership of @task and @capabilities. */
static void
connected (GTask *task,
           GStrv  capabilities)
{
  MailImapClient *self = g_task_get_source_object (task);

  mail_imap_client_set_capabilities (self, capabilities);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
final_capability_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GStrv caps;

  caps = mail_imap_client_capability_finish (MAIL_IMAP_CLIENT (object), result, &error);
  if (caps == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  connected (g_steal_pointer (&task), caps);
}

static void
starttls_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailImapClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_starttls_finish (self->connection, result, &error))
    {
      mail_imap_client_fail (self, g_error_copy (error));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* RFC 3501 §6.2.1 / RFC 2595: forget everything from before TLS and ask again. */
  self->upgrading = FALSE;
  mail_imap_client_set_capabilities (self, NULL);
  mail_imap_client_capability_async (self, cancellable,
                                     final_capability_cb, g_steal_pointer (&task));
}

static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      if (error->domain == MAIL_IMAP_ERROR)
        {
          g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR,
                                   MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE,
                                   _("The server answered the request to start encryption "
                                     "with garbage; the connection was not used"));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_imap_response_get_status (response) != MAIL_IMAP_STATUS_OK)
    {
      error = g_error_new_literal (MAIL_IMAP_CLIENT_ERROR,
                                   MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE,
                                   _("The server refused to start encryption, which this "
                                     "account requires; the connection was not used"));
      mail_imap_client_fail (self, g_error_copy (error));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Responses after the OK and before the handshake are an injection attack; the parser
   * holds none (it was fed line by line), MailConnection checks its own buffer. */
  if (mail_imap_parser_has_pending_data (self->parser))
    {
      error = g_error_new_literal (MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION,
                                   _("The server sent data before encryption started; "
                                     "the connection was closed"));
      mail_imap_client_fail (self, g_error_copy (error));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_connection_starttls_async (self->connection, cancellable,
                                  starttls_done_cb, g_steal_pointer (&task));
}

static void
first_capability_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) caps = NULL;

  caps = mail_imap_client_capability_finish (self, result, &error);
  if (caps == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_connection_get_security (self->connection) != MAIL_SECURITY_STARTTLS ||
      mail_connection_get_is_encrypted (self->connection))
    {
      connected (g_steal_pointer (&task), g_steal_pointer (&caps));
      return;
    }

  /* Plaintext capabilities only say whether STARTTLS is there; they are then dropped. */
  if (!mail_imap_capabilities_has ((const char * const *) caps, "STARTTLS"))
    {
      error = g_error_new_literal (MAIL_IMAP_CLIENT_ERROR,
                                   MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE,
                                   _("The server does not offer encryption (STARTTLS), "
                                     "which this account requires; the connection was "
                                     "not used"));
      mail_imap_client_fail (self, g_error_copy (error));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_imap_client_run_async (self, mail_imap_command_new ("STARTTLS"),
                              MAIL_IMAP_RUN_EXCLUSIVE | MAIL_IMAP_RUN_STARTTLS,
                              NULL, NULL, NULL, cancellable,
                              starttls_cb, g_steal_pointer (&task));
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailImapClient *self = g_task_get_source_object (task);
  g_autoptr(MailImapResponse) greeting = NULL;
  g_autoptr(GError) error = NULL;
  MailSecurity security = mail_connection_get_security (self->connection);
  gboolean encrypted = mail_connection_get_is_encrypted (self->connection);
  const char *code;

  greeting = g_task_propagate_pointer (G_TASK (result), &error);
  if (greeting == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (mail_imap_response_get_status (greeting))
    {
    case MAIL_IMAP_STATUS_BYE:
      error = mail_imap_client_error_from_response (greeting, "the connection",
                                                    mail_imap_client_may_show_server_text (self));
      error->code = MAIL_IMAP_CLIENT_ERROR_GREETING;
      mail_imap_client_fail (self, g_error_copy (error));
      g_task_return_error (task, g_steal_pointer (&error));
      return;

    case MAIL_IMAP_STATUS_PREAUTH:
      if (security == MAIL_SECURITY_STARTTLS && !encrypted)
        {
          error = g_error_new (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INSECURE,
                               _("The server %s started an unencrypted session without "
                                 "a login (PREAUTH), so encryption cannot be started; the "
                                 "connection was not used"),
                               mail_connection_get_host (self->connection));
          mail_imap_client_fail (self, g_error_copy (error));
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      mail_imap_client_set_state (self, MAIL_IMAP_STATE_AUTHENTICATED);
      mail_imap_client_set_mechanism (self, "PREAUTH");
      break;

    case MAIL_IMAP_STATUS_OK:
    case MAIL_IMAP_STATUS_NONE:
    case MAIL_IMAP_STATUS_NO:
    case MAIL_IMAP_STATUS_BAD:
    default:
      mail_imap_client_set_state (self, MAIL_IMAP_STATE_NOT_AUTHENTICATED);
      break;
    }

  /* A capability code in the greeting is only believed over implicit TLS. */
  code = mail_imap_response_get_code (greeting);
  if (encrypted && code != NULL && g_ascii_strcasecmp (code, "CAPABILITY") == 0)
    {
      GStrv caps = mail_imap_decode_capability (greeting, NULL);

      if (caps != NULL)
        {
          connected (g_steal_pointer (&task), caps);
          return;
        }
    }

  mail_imap_client_capability_async (self, cancellable,
                                     first_capability_cb, g_steal_pointer (&task));
}

static void
connection_connect_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_connect_finish (self->connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->greeting_task = g_task_new (self, cancellable, greeting_cb, g_steal_pointer (&task));
  self->awaiting_greeting = TRUE;
  mail_imap_client_ensure_reading (self);
}

/**
 * mail_imap_client_connect_async:
 * @self: a #MailImapClient whose connection is not connected yet
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Connects, reads the greeting and the capabilities, and for %MAIL_SECURITY_STARTTLS
 * upgrades the connection and asks for the capabilities again. A PREAUTH greeting logs
 * the session in, except when STARTTLS is required (then it is refused).
 */
void
mail_imap_client_connect_async (MailImapClient      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_connect_async);

  if (self->error != NULL || self->capabilities != NULL || self->awaiting_greeting)
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STATE,
                               _("This connection was already used"));
      return;
    }

  mail_connection_connect_async (self->connection, cancellable, connection_connect_cb,
                                 g_steal_pointer (&task));
}

/**
 * mail_imap_client_connect_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the session is ready to log in (or logged in by PREAUTH)
 */
gboolean
mail_imap_client_connect_finish (MailImapClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Login */

typedef struct
{
  MailSasl *sasl;
  char     *username;
  char     *password;
  char     *mechanism;
  guint     round_trips;
  GError   *pending;
  GStrv     capabilities;
} AuthData;

static void
auth_data_free (gpointer data)
{
  AuthData *ad = data;

  g_clear_object (&ad->sasl);
  g_clear_pointer (&ad->username, g_free);
  if (ad->password != NULL)
    {
      memset (ad->password, 0, strlen (ad->password));
      g_clear_pointer (&ad->password, g_free);
    }
  g_clear_pointer (&ad->mechanism, g_free);
  g_clear_error (&ad->pending);
  g_clear_pointer (&ad->capabilities, g_strfreev);
  g_free (ad);
}

static GError *
sasl_error_to_imap (GError *error)
{
  MailImapClientError code;
  GError *ret;

  if (error->domain != MAIL_SASL_ERROR)
    return error;

  switch ((MailSaslError) error->code)
    {
    case MAIL_SASL_ERROR_PLAINTEXT_REFUSED:
      code = MAIL_IMAP_CLIENT_ERROR_INSECURE;
      break;
    case MAIL_SASL_ERROR_UNSUPPORTED:
    case MAIL_SASL_ERROR_NO_MECHANISM:
      code = MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED;
      break;
    case MAIL_SASL_ERROR_MISSING_CREDENTIALS:
    case MAIL_SASL_ERROR_BAD_CHALLENGE:
    case MAIL_SASL_ERROR_FAILED:
    case MAIL_SASL_ERROR_STATE:
    default:
      code = MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED;
      break;
    }

  ret = g_error_new_literal (MAIL_IMAP_CLIENT_ERROR, code, error->message);
  g_error_free (error);
  return ret;
}

static void
auth_capability_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  g_autoptr(GError) error = NULL;
  GStrv caps;

  caps = mail_imap_client_capability_finish (self, result, &error);
  if (caps == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_imap_client_set_capabilities (self, caps);
  g_task_return_boolean (task, TRUE);
}

static gboolean
auth_untagged (MailImapClient   *self,
               MailImapResponse *response,
               gpointer          data)
{
  AuthData *ad = data;

  if (!mail_imap_response_is_name (response, "CAPABILITY"))
    return FALSE;

  g_clear_pointer (&ad->capabilities, g_strfreev);
  ad->capabilities = mail_imap_decode_capability (response, NULL);
  return TRUE;
}

static void
auth_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *code;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (ad->pending != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&ad->pending));
      return;
    }

  if (!mail_imap_client_check_ok (self, response, ad->mechanism, &error))
    {
      if (g_error_matches (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_NO))
        error->code = MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_imap_client_set_state (self, MAIL_IMAP_STATE_AUTHENTICATED);
  mail_imap_client_set_mechanism (self, ad->mechanism);

  /* Capabilities change after login (RFC 3501 §6.2.2): take them from the OK, or ask. */
  code = mail_imap_response_get_code (response);
  if (code != NULL && g_ascii_strcasecmp (code, "CAPABILITY") == 0)
    {
      GStrv caps = mail_imap_decode_capability (response, NULL);

      if (caps != NULL)
        {
          mail_imap_client_set_capabilities (self, caps);
          g_task_return_boolean (task, TRUE);
          return;
        }
    }

  if (ad->capabilities != NULL)
    {
      mail_imap_client_set_capabilities (self, g_steal_pointer (&ad->capabilities));
      g_task_return_boolean (task, TRUE);
      return;
    }

  mail_imap_client_capability_async (self, cancellable, auth_capability_cb,
                                     g_steal_pointer (&task));
}

static void
sasl_continuation (MailImapClient   *self,
                   MailImapResponse *response,
                   gpointer          data)
{
  AuthData *ad = data;
  g_autoptr(GError) error = NULL;
  const char *challenge = mail_imap_response_get_text (response);
  char *reply;

  if (ad->pending != NULL)
    return;

  if (++ad->round_trips > MAX_SASL_ROUND_TRIPS)
    {
      ad->pending = g_error_new_literal (MAIL_IMAP_CLIENT_ERROR,
                                         MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED,
                                         _("The server sent too many login challenges"));
      mail_imap_client_send_line (self, "*", MAIL_LOG_NORMAL);
      return;
    }

  reply = mail_sasl_step64 (ad->sasl, challenge != NULL ? challenge : "", &error);
  if (reply == NULL)
    {
      /* RFC 3501 §6.2.2: "*" cancels the exchange; the server answers BAD. */
      ad->pending = sasl_error_to_imap (g_steal_pointer (&error));
      mail_imap_client_send_line (self, "*", MAIL_LOG_NORMAL);
      return;
    }

  mail_imap_client_send_line (self, reply, MAIL_LOG_SENSITIVE);
  mail_sasl_response_free (reply);
}

static void
start_sasl (GTask      *task,
            const char *chosen)
{
  MailImapClient *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  MailImapRunFlags flags = MAIL_IMAP_RUN_EXCLUSIVE | MAIL_IMAP_RUN_CONTINUATION;

  ad->mechanism = g_ascii_strup (chosen, -1);
  ad->sasl = mail_sasl_new (ad->mechanism, &error);
  if (ad->sasl == NULL)
    {
      g_task_return_error (task, sasl_error_to_imap (g_steal_pointer (&error)));
      g_object_unref (task);
      return;
    }

  mail_sasl_set_service (ad->sasl, "imap", mail_connection_get_host (self->connection),
                         mail_connection_get_port (self->connection));
  mail_sasl_set_credentials (ad->sasl, ad->username, ad->password);

  command = mail_imap_command_new ("AUTHENTICATE");
  mail_imap_command_add_atom (command, ad->mechanism);

  /* SASL-IR (RFC 4959): the initial response goes with the command. */
  if (mail_sasl_get_client_first (ad->sasl) &&
      mail_imap_client_has_capability (self, "SASL-IR"))
    {
      char *initial = mail_sasl_step64 (ad->sasl, NULL, &error);

      if (initial == NULL)
        {
          g_task_return_error (task, sasl_error_to_imap (g_steal_pointer (&error)));
          g_object_unref (task);
          return;
        }

      mail_imap_command_add_atom (command, *initial != '\0' ? initial : "=");
      mail_sasl_response_free (initial);
      flags |= MAIL_IMAP_RUN_SENSITIVE;
    }

  mail_imap_client_run_async (self, g_steal_pointer (&command), flags, auth_untagged,
                              sasl_continuation, ad, g_task_get_cancellable (task),
                              auth_done_cb, task);
}

static void
start_login (GTask *task)
{
  MailImapClient *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailImapCommand) command = mail_imap_command_new ("LOGIN");
  g_autoptr(GError) error = NULL;

  ad->mechanism = g_strdup ("IMAP-LOGIN");
  if (!mail_imap_command_add_string (command, ad->username, FALSE, &error) ||
      !mail_imap_command_add_string (command, ad->password, FALSE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  mail_imap_client_run_async (self, g_steal_pointer (&command),
                              MAIL_IMAP_RUN_EXCLUSIVE | MAIL_IMAP_RUN_SENSITIVE,
                              auth_untagged, NULL, ad, g_task_get_cancellable (task),
                              auth_done_cb, task);
}

static gboolean
has_control_chars (const char *s)
{
  for (; *s != '\0'; s++)
    {
      if ((guchar) *s < 0x20 || *s == 0x7f)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_imap_client_login_async:
 * @self: a connected #MailImapClient
 * @username: the user name
 * @password: the password; the client's copy is wiped after use
 * @mechanism: (nullable): "auto" (or %NULL), "imap-login" (the LOGIN command), or a SASL
 *   mechanism name ("plain", "login", "scram-sha-256", …)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Logs in. "auto" takes the strongest SASL mechanism both sides support; the LOGIN
 * command only when no usable mechanism is offered and LOGINDISABLED is absent (then
 * mail_imap_client_get_mechanism() says `IMAP-LOGIN`). Nothing
 * is sent unless the connection may carry secrets (encrypted, loopback, or consented).
 * A session logged in by PREAUTH succeeds at once.
 */
void
mail_imap_client_login_async (MailImapClient      *self,
                              const char          *username,
                              const char          *password,
                              const char          *mechanism,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) offered = NULL;
  const char *pref = mechanism != NULL ? mechanism : "auto";
  gboolean may_send;
  AuthData *ad;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_login_async);

  if (!mail_imap_client_check_ready (self, MAIL_IMAP_STATE_NOT_AUTHENTICATED, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->state != MAIL_IMAP_STATE_NOT_AUTHENTICATED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (*username == '\0' || has_control_chars (username) || has_control_chars (password))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID,
                               _("The user name or password contains characters that "
                                 "cannot be sent"));
      return;
    }

  may_send = mail_connection_may_send_secrets (self->connection);
  if (!may_send)
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INSECURE,
                               _("The connection to %s is not encrypted, so the password "
                                 "was not sent"),
                               mail_connection_get_host (self->connection));
      return;
    }

  ad = g_new0 (AuthData, 1);
  ad->username = g_strdup (username);
  ad->password = g_strdup (password);
  g_task_set_task_data (task, ad, auth_data_free);

  if (g_ascii_strcasecmp (pref, "imap-login") == 0)
    {
      if (mail_imap_client_has_capability (self, "LOGINDISABLED"))
        {
          g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR,
                                   MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED,
                                   _("The server %s does not allow the LOGIN command"),
                                   mail_connection_get_host (self->connection));
          return;
        }
      start_login (g_steal_pointer (&task));
      return;
    }

  offered = mail_imap_capabilities_get_auth_mechanisms (
              (const char * const *) self->capabilities);
  if (offered != NULL && offered[0] != NULL)
    {
      const char *chosen = mail_sasl_choose_mechanism ((const char * const *) offered, pref,
                                                       FALSE, may_send, &error);

      if (chosen != NULL)
        {
          start_sasl (g_steal_pointer (&task), chosen);
          return;
        }

      if (g_ascii_strcasecmp (pref, "auto") != 0)
        {
          g_task_return_error (task, sasl_error_to_imap (g_steal_pointer (&error)));
          return;
        }
      g_clear_error (&error);
    }
  else if (g_ascii_strcasecmp (pref, "auto") != 0)
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR,
                               MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED,
                               _("The server %s does not support the login method “%s”"),
                               mail_connection_get_host (self->connection), pref);
      return;
    }

  if (mail_imap_client_has_capability (self, "LOGINDISABLED"))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR,
                               MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED,
                               _("The server %s offers no login method this account can "
                                 "use"),
                               mail_connection_get_host (self->connection));
      return;
    }

  start_login (g_steal_pointer (&task));
}

/**
 * mail_imap_client_login_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when logged in; see mail_imap_client_get_mechanism()
 */
gboolean
mail_imap_client_login_finish (MailImapClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
