/* mail-smtp-client-auth.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-smtp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-sasl.h"
#include "mail-smtp-client-private.h"

/* AUTH (RFC 4954) through the SASL layer. The mechanism is chosen only from the EHLO
 * reply the client holds, which after STARTTLS is the one received over TLS: mechanisms
 * offered before TLS were thrown away with the rest of that reply. */

/* No real mechanism needs more round trips; a server that keeps challenging is broken. */
#define MAX_ROUND_TRIPS 10

typedef struct
{
  MailSmtpClient *self;      /* borrowed: the task's source object */
  MailSasl       *sasl;
  guint           round_trips;
  GError         *pending;   /* the error to report once the cancelled exchange ends */
} AuthData;

static void
auth_data_free (gpointer data)
{
  AuthData *ad = data;

  mail_smtp_client_set_busy (ad->self, FALSE);
  g_clear_object (&ad->sasl);
  g_clear_error (&ad->pending);
  g_free (ad);
}

static void auth_reply_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
cancel_reply_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailSmtpReply) reply = NULL;

  /* The server should answer "*" with 501; whatever it says, report our own reason. */
  reply = mail_smtp_client_command_finish (self, result, NULL);
  g_task_return_error (task, g_steal_pointer (&ad->pending));
}

/* Converts errors of the SASL layer into this protocol's terms, keeping their message. */
static GError *
sasl_error_to_smtp (GError *error)
{
  MailSmtpError code;
  GError *ret;

  if (error->domain != MAIL_SASL_ERROR)
    return error;

  switch ((MailSaslError) error->code)
    {
    case MAIL_SASL_ERROR_PLAINTEXT_REFUSED:
      code = MAIL_SMTP_ERROR_INSECURE;
      break;

    case MAIL_SASL_ERROR_UNSUPPORTED:
    case MAIL_SASL_ERROR_NO_MECHANISM:
      code = MAIL_SMTP_ERROR_AUTH_UNSUPPORTED;
      break;

    case MAIL_SASL_ERROR_BAD_CHALLENGE:
    case MAIL_SASL_ERROR_STATE:
      code = MAIL_SMTP_ERROR_PROTOCOL;
      break;

    case MAIL_SASL_ERROR_MISSING_CREDENTIALS:
    case MAIL_SASL_ERROR_FAILED:
    default:
      code = MAIL_SMTP_ERROR_AUTH_FAILED;
      break;
    }

  ret = g_error_new_literal (MAIL_SMTP_ERROR, code, error->message);
  g_error_free (error);
  return ret;
}

static void
response_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_write_line_finish (mail_smtp_client_get_connection (self), result,
                                          &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_smtp_client_read_reply_async (self, cancellable, auth_reply_cb,
                                     g_steal_pointer (&task));
}

static void
auth_reply_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  AuthData *ad = g_task_get_task_data (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  char *response;

  reply = mail_smtp_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_smtp_reply_get_code (reply) == 235)
    {
      mail_smtp_client_set_authenticated (self, mail_sasl_get_mechanism (ad->sasl));
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (mail_smtp_reply_get_code (reply) != 334)
    {
      g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                    MAIL_SMTP_STAGE_AUTH, NULL));
      return;
    }

  if (++ad->round_trips > MAX_ROUND_TRIPS || mail_smtp_reply_get_n_lines (reply) != 1)
    {
      ad->pending = g_error_new_literal (MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                                         _("The server sent an invalid login challenge"));
      mail_smtp_client_command_async (self, "*", MAIL_LOG_NORMAL, cancellable,
                                      cancel_reply_cb, g_steal_pointer (&task));
      return;
    }

  response = mail_sasl_step64 (ad->sasl, mail_smtp_reply_get_lines (reply)[0], &error);
  if (response == NULL)
    {
      /* RFC 4954 §4: a client that cannot go on answers "*" to cancel the exchange. */
      ad->pending = sasl_error_to_smtp (g_steal_pointer (&error));
      mail_smtp_client_command_async (self, "*", MAIL_LOG_NORMAL, cancellable,
                                      cancel_reply_cb, g_steal_pointer (&task));
      return;
    }

  mail_connection_write_line_async (mail_smtp_client_get_connection (self), response,
                                    MAIL_LOG_SENSITIVE, cancellable,
                                    response_written_cb, g_steal_pointer (&task));
  mail_sasl_response_free (response);
}

/**
 * mail_smtp_client_login_async:
 * @self: a connected #MailSmtpClient
 * @username: the user name
 * @password: the password; copied by the SASL layer and wiped after use
 * @mechanism: (nullable): "auto" (or %NULL) for the strongest mechanism both sides
 *   support, or a SASL mechanism name ("plain", "login", "cram-md5", "ntlm", …)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Logs in with AUTH. Only the mechanisms of the EHLO reply received over TLS count;
 * password mechanisms are never used over an unencrypted connection without consent.
 * Fails with %MAIL_SMTP_ERROR_AUTH_UNSUPPORTED, before sending anything, when the server
 * offers no usable mechanism.
 */
void
mail_smtp_client_login_async (MailSmtpClient      *self,
                              const char          *username,
                              const char          *password,
                              const char          *mechanism,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  MailConnection *connection;
  const MailSmtpCapabilities *caps;
  const char *chosen;
  AuthData *ad;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_smtp_client_login_async);

  if (!mail_smtp_client_check_ready (self, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  connection = mail_smtp_client_get_connection (self);
  caps = mail_smtp_client_get_capabilities (self);

  if (!mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_AUTH) ||
      mail_smtp_capabilities_get_mechanisms (caps)[0] == NULL)
    {
      g_task_return_new_error (task, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_UNSUPPORTED,
                               _("The server %s does not offer a way to log in"),
                               mail_connection_get_host (connection));
      return;
    }

  chosen = mail_sasl_choose_mechanism (mail_smtp_capabilities_get_mechanisms (caps),
                                       mechanism != NULL ? mechanism : "auto", FALSE,
                                       mail_connection_may_send_secrets (connection), &error);
  if (chosen == NULL)
    {
      g_task_return_error (task, sasl_error_to_smtp (g_steal_pointer (&error)));
      return;
    }

  ad = g_new0 (AuthData, 1);
  ad->self = self;
  mail_smtp_client_set_busy (self, TRUE);
  g_task_set_task_data (task, ad, auth_data_free);

  ad->sasl = mail_sasl_new (chosen, &error);
  if (ad->sasl == NULL)
    {
      g_task_return_error (task, sasl_error_to_smtp (g_steal_pointer (&error)));
      return;
    }

  mail_sasl_set_service (ad->sasl, "smtp", mail_connection_get_host (connection),
                         mail_connection_get_port (connection));
  mail_sasl_set_credentials (ad->sasl, username, password);

  /* SMTP always allows an initial response (RFC 4954 §4); "=" stands for an empty one. */
  if (mail_sasl_get_client_first (ad->sasl))
    {
      char *initial = mail_sasl_step64 (ad->sasl, NULL, &error);

      if (initial == NULL)
        {
          g_task_return_error (task, sasl_error_to_smtp (g_steal_pointer (&error)));
          return;
        }

      line = g_strdup_printf ("AUTH %s %s", chosen, *initial != '\0' ? initial : "=");
      mail_sasl_response_free (initial);
      mail_connection_write_line_async (connection, line, MAIL_LOG_SENSITIVE, cancellable,
                                        response_written_cb, g_steal_pointer (&task));
      memset (line, 0, strlen (line));
      return;
    }

  line = g_strdup_printf ("AUTH %s", chosen);
  mail_connection_write_line_async (connection, line, MAIL_LOG_NORMAL, cancellable,
                                    response_written_cb, g_steal_pointer (&task));
}

/**
 * mail_smtp_client_login_finish:
 * @self: a #MailSmtpClient
 * @result: the result
 * @error: return location for a %MAIL_SMTP_ERROR or %MAIL_NET_ERROR error
 *
 * Returns: %TRUE when logged in; see mail_smtp_client_get_mechanism()
 */
gboolean
mail_smtp_client_login_finish (MailSmtpClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  mail_smtp_client_set_busy (self, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
