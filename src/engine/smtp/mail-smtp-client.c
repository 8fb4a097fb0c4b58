/* mail-smtp-client.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-smtp"

#include "config.h"

#include "mail-smtp-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-smtp-client-private.h"

/* An SMTP submission client (RFC 5321, RFC 6409) over a #MailConnection.
 *
 * Security rules (SECURITY.md): with STARTTLS the upgrade is mandatory; everything the
 * server said before it (greeting, EHLO extensions, AUTH mechanisms) is forgotten and EHLO
 * is sent again over TLS; HELO is only tried when the person chose no encryption at all;
 * server text received before TLS never reaches an error message. */

struct _MailSmtpClient
{
  GObject               parent_instance;

  /* owned */
  MailConnection       *connection;
  MailSmtpReplyParser  *parser;
  MailSmtpCapabilities *capabilities;
  char                 *helo_name;
  char                 *dsn_notify;
  char                 *mechanism;

  /* state */
  guint                 busy : 1;
  guint                 connected : 1;
  guint                 authenticated : 1;
};

G_DEFINE_FINAL_TYPE (MailSmtpClient, mail_smtp_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_HELO_NAME,
  PROP_DSN_NOTIFY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Reading replies and sending commands */

static void
read_reply_line_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  MailSmtpReply *reply = NULL;
  gsize len = 0;

  line = mail_connection_read_line_finish (self->connection, result, &len, &error);
  if (line == NULL)
    {
      mail_smtp_reply_parser_reset (self->parser);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_smtp_reply_parser_feed (self->parser, line, len, &reply, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (reply == NULL)
    {
      mail_connection_read_line_async (self->connection, cancellable,
                                       read_reply_line_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, reply, (GDestroyNotify) mail_smtp_reply_unref);
}

void
mail_smtp_client_read_reply_async (MailSmtpClient      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, mail_smtp_client_read_reply_async);
  mail_connection_read_line_async (self->connection, cancellable,
                                   read_reply_line_cb, g_steal_pointer (&task));
}

MailSmtpReply *
mail_smtp_client_read_reply_finish (MailSmtpClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
command_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_write_line_finish (self->connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_connection_read_line_async (self->connection, cancellable,
                                   read_reply_line_cb, g_steal_pointer (&task));
}

/* Writes one command line and reads its whole reply. */
void
mail_smtp_client_command_async (MailSmtpClient      *self,
                                const char          *line,
                                MailLogFlags         flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, mail_smtp_client_command_async);
  mail_connection_write_line_async (self->connection, line, flags, cancellable,
                                    command_written_cb, g_steal_pointer (&task));
}

MailSmtpReply *
mail_smtp_client_command_finish (MailSmtpClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Whether server text may be shown: only what arrived over TLS. */
gboolean
mail_smtp_client_may_show_server_text (MailSmtpClient *self)
{
  return mail_connection_get_is_encrypted (self->connection);
}

GError *
mail_smtp_client_error_from_reply (MailSmtpClient      *self,
                                   const MailSmtpReply *reply,
                                   MailSmtpStage        stage,
                                   const char          *subject)
{
  return mail_smtp_error_from_reply (reply, stage, subject,
                                     mail_smtp_client_may_show_server_text (self));
}

void
mail_smtp_client_set_busy (MailSmtpClient *self,
                           gboolean        busy)
{
  self->busy = !!busy;
}

gboolean
mail_smtp_client_check_ready (MailSmtpClient  *self,
                              gboolean         need_connected,
                              GError         **error)
{
  if (self->busy)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("Another SMTP operation is still running"));
      return FALSE;
    }

  if (need_connected && !self->connected)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected to the outgoing mail server"));
      return FALSE;
    }

  return TRUE;
}

void
mail_smtp_client_set_authenticated (MailSmtpClient *self,
                                    const char     *mechanism)
{
  g_free (self->mechanism);
  self->mechanism = g_strdup (mechanism);
  self->authenticated = TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Connect: greeting, EHLO, STARTTLS, EHLO */

static void ehlo_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
send_ehlo (GTask *task)
{
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autofree char *line = g_strdup_printf ("EHLO %s", self->helo_name);

  mail_smtp_client_command_async (self, line, MAIL_LOG_NORMAL, g_task_get_cancellable (task),
                                  ehlo_cb, task);
}

static void
starttls_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_starttls_finish (self->connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* RFC 3207 §4.2: forget everything learnt before TLS and ask again. */
  g_clear_pointer (&self->capabilities, mail_smtp_capabilities_free);
  send_ehlo (g_steal_pointer (&task));
}

static void
starttls_reply_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mail_smtp_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL))
        {
          g_task_return_new_error (task, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE,
                                   _("The server answered the request to start encryption "
                                     "with garbage"));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_smtp_reply_get_code (reply) != 220)
    {
      g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                    MAIL_SMTP_STAGE_STARTTLS,
                                                                    NULL));
      return;
    }

  mail_connection_starttls_async (self->connection, cancellable,
                                  starttls_done_cb, g_steal_pointer (&task));
}

/* Takes over @task. */
static void
finish_connect (GTask *task)
{
  MailSmtpClient *self = g_task_get_source_object (task);

  self->connected = TRUE;
  self->busy = FALSE;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
helo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mail_smtp_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_smtp_reply_is_positive (reply))
    {
      g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                    MAIL_SMTP_STAGE_EHLO, NULL));
      return;
    }

  /* A HELO reply lists no extensions: the capabilities stay empty. */
  self->capabilities = mail_smtp_capabilities_parse (reply, &error);
  if (self->capabilities == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  finish_connect (g_steal_pointer (&task));
}

static void
ehlo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  MailSecurity security = mail_connection_get_security (self->connection);

  reply = mail_smtp_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_smtp_reply_get_code (reply) == 421)
    {
      g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                    MAIL_SMTP_STAGE_EHLO, NULL));
      return;
    }

  if (!mail_smtp_reply_is_positive (reply))
    {
      g_autofree char *line = NULL;

      /* A server that does not know EHLO cannot do STARTTLS or AUTH. Falling back to HELO
       * is only acceptable when the person chose no encryption; otherwise this is exactly
       * what a downgrade attack looks like. */
      if (security != MAIL_SECURITY_NONE)
        {
          if (security == MAIL_SECURITY_STARTTLS &&
              !mail_connection_get_is_encrypted (self->connection))
            g_task_return_new_error (task, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE,
                                     _("The server does not support encryption (it does not "
                                       "speak ESMTP), so the connection was not used"));
          else
            g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                          MAIL_SMTP_STAGE_EHLO,
                                                                          NULL));
          return;
        }

      line = g_strdup_printf ("HELO %s", self->helo_name);
      mail_smtp_client_command_async (self, line, MAIL_LOG_NORMAL,
                                      cancellable, helo_cb,
                                      g_steal_pointer (&task));
      return;
    }

  g_clear_pointer (&self->capabilities, mail_smtp_capabilities_free);
  self->capabilities = mail_smtp_capabilities_parse (reply, &error);
  if (self->capabilities == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (security == MAIL_SECURITY_STARTTLS && !mail_connection_get_is_encrypted (self->connection))
    {
      if (!mail_smtp_capabilities_has (self->capabilities, MAIL_SMTP_EXTENSION_STARTTLS))
        {
          g_clear_pointer (&self->capabilities, mail_smtp_capabilities_free);
          g_task_return_new_error (task, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE,
                                   _("The server does not offer encryption (STARTTLS), which "
                                     "this account requires; the connection was not used"));
          return;
        }

      g_clear_pointer (&self->capabilities, mail_smtp_capabilities_free);
      mail_smtp_client_command_async (self, "STARTTLS", MAIL_LOG_NORMAL,
                                      cancellable, starttls_reply_cb,
                                      g_steal_pointer (&task));
      return;
    }

  finish_connect (g_steal_pointer (&task));
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mail_smtp_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_smtp_reply_get_code (reply) != 220)
    {
      g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                    MAIL_SMTP_STAGE_GREETING,
                                                                    NULL));
      return;
    }

  send_ehlo (g_steal_pointer (&task));
}

static void
connection_connect_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_connect_finish (self->connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_smtp_client_read_reply_async (self, cancellable, greeting_cb,
                                     g_steal_pointer (&task));
}

static void
unset_busy (gpointer data)
{
  MailSmtpClient *self = data;

  self->busy = FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* RSET and QUIT */

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mail_smtp_client_command_finish (self, result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!mail_smtp_reply_is_positive (reply))
    g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                  MAIL_SMTP_STAGE_OTHER, NULL));
  else
    g_task_return_boolean (task, TRUE);
}

static void
quit_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  GError *error = g_task_get_task_data (task);

  mail_connection_close_finish (self->connection, result, NULL);
  self->connected = FALSE;

  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = mail_smtp_client_command_finish (self, result, &error);
  if (reply != NULL && mail_smtp_reply_get_code (reply) != 221)
    error = mail_smtp_client_error_from_reply (self, reply, MAIL_SMTP_STAGE_OTHER, NULL);

  /* Whatever the server said, the session is over. */
  if (error != NULL)
    g_task_set_task_data (task, error, (GDestroyNotify) g_error_free);
  mail_connection_close_async (self->connection, NULL, quit_closed_cb, g_steal_pointer (&task));
}

/* ------------------------------------------------------------------------------------ */
/* GObject */

static void
mail_smtp_client_finalize (GObject *object)
{
  MailSmtpClient *self = (MailSmtpClient *)object;

  g_clear_object (&self->connection);
  g_clear_pointer (&self->parser, mail_smtp_reply_parser_free);
  g_clear_pointer (&self->capabilities, mail_smtp_capabilities_free);
  g_clear_pointer (&self->helo_name, g_free);
  g_clear_pointer (&self->dsn_notify, g_free);
  g_clear_pointer (&self->mechanism, g_free);

  G_OBJECT_CLASS (mail_smtp_client_parent_class)->finalize (object);
}

static void
mail_smtp_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MailSmtpClient *self = MAIL_SMTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, mail_smtp_client_get_connection (self));
      break;

    case PROP_HELO_NAME:
      g_value_set_string (value, mail_smtp_client_get_helo_name (self));
      break;

    case PROP_DSN_NOTIFY:
      g_value_set_string (value, mail_smtp_client_get_dsn_notify (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_smtp_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MailSmtpClient *self = MAIL_SMTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_HELO_NAME:
      mail_smtp_client_set_helo_name (self, g_value_get_string (value));
      break;

    case PROP_DSN_NOTIFY:
      mail_smtp_client_set_dsn_notify (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_smtp_client_class_init (MailSmtpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_smtp_client_finalize;
  object_class->get_property = mail_smtp_client_get_property;
  object_class->set_property = mail_smtp_client_set_property;

  /**
   * MailSmtpClient:connection:
   *
   * The connection the client speaks over; not yet connected when the client is made.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         MAIL_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * MailSmtpClient:helo-name:
   *
   * The name given in EHLO. The default, an address literal, reveals nothing about this
   * computer.
   */
  properties[PROP_HELO_NAME] =
    g_param_spec_string ("helo-name", NULL, NULL,
                         "[127.0.0.1]",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * MailSmtpClient:dsn-notify:
   *
   * When set and the server offers DSN (RFC 3461), sent as `NOTIFY=` with each recipient
   * (e.g. "FAILURE,DELAY"), together with `RET=HDRS`.
   */
  properties[PROP_DSN_NOTIFY] =
    g_param_spec_string ("dsn-notify", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_smtp_client_init (MailSmtpClient *self)
{
  self->parser = mail_smtp_reply_parser_new ();
  self->helo_name = g_strdup ("[127.0.0.1]");
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

/**
 * mail_smtp_client_new:
 * @connection: a connection that is not yet connected
 *
 * Returns: (transfer full): a new SMTP client
 */
MailSmtpClient *
mail_smtp_client_new (MailConnection *connection)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (connection), NULL);

  return g_object_new (MAIL_TYPE_SMTP_CLIENT,
                       "connection", connection,
                       NULL);
}

/**
 * mail_smtp_client_get_connection:
 * @self: a #MailSmtpClient
 *
 * Returns: (transfer none): the connection
 */
MailConnection *
mail_smtp_client_get_connection (MailSmtpClient *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  return self->connection;
}

/**
 * mail_smtp_client_get_helo_name:
 * @self: a #MailSmtpClient
 *
 * Returns: (transfer none): the name sent with EHLO
 */
const char *
mail_smtp_client_get_helo_name (MailSmtpClient *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  return self->helo_name;
}

/**
 * mail_smtp_client_set_helo_name:
 * @self: a #MailSmtpClient
 * @helo_name: a domain or address literal, without spaces
 */
void
mail_smtp_client_set_helo_name (MailSmtpClient *self,
                                const char     *helo_name)
{
  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (helo_name != NULL && *helo_name != '\0');
  g_return_if_fail (strpbrk (helo_name, " \r\n\t") == NULL);

  if (g_strcmp0 (self->helo_name, helo_name) == 0)
    return;

  g_free (self->helo_name);
  self->helo_name = g_strdup (helo_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELO_NAME]);
}

/**
 * mail_smtp_client_get_dsn_notify:
 * @self: a #MailSmtpClient
 *
 * Returns: (nullable) (transfer none): the DSN `NOTIFY=` value, or %NULL
 */
const char *
mail_smtp_client_get_dsn_notify (MailSmtpClient *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  return self->dsn_notify;
}

/**
 * mail_smtp_client_set_dsn_notify:
 * @self: a #MailSmtpClient
 * @dsn_notify: (nullable): "NEVER", or a comma-separated list of SUCCESS, FAILURE, DELAY
 */
void
mail_smtp_client_set_dsn_notify (MailSmtpClient *self,
                                 const char     *dsn_notify)
{
  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (dsn_notify == NULL || strpbrk (dsn_notify, " \r\n\t") == NULL);

  if (g_strcmp0 (self->dsn_notify, dsn_notify) == 0)
    return;

  g_free (self->dsn_notify);
  self->dsn_notify = g_strdup (dsn_notify);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DSN_NOTIFY]);
}

/**
 * mail_smtp_client_get_capabilities:
 * @self: a #MailSmtpClient
 *
 * What the server offered in its last EHLO reply: after STARTTLS, only what it said over
 * TLS.
 *
 * Returns: (nullable) (transfer none): the capabilities, or %NULL before connecting
 */
const MailSmtpCapabilities *
mail_smtp_client_get_capabilities (MailSmtpClient *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  return self->capabilities;
}

/**
 * mail_smtp_client_get_mechanism:
 * @self: a #MailSmtpClient
 *
 * Returns: (nullable) (transfer none): the SASL mechanism of the successful login
 */
const char *
mail_smtp_client_get_mechanism (MailSmtpClient *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  return self->mechanism;
}

/**
 * mail_smtp_client_get_is_authenticated:
 * @self: a #MailSmtpClient
 *
 * Returns: whether a login succeeded
 */
gboolean
mail_smtp_client_get_is_authenticated (MailSmtpClient *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);

  return self->authenticated;
}

/**
 * mail_smtp_client_connect_async:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the session is ready for login or sending
 * @user_data: data for @callback
 *
 * Connects, reads the greeting, sends EHLO and, for %MAIL_SECURITY_STARTTLS, upgrades the
 * connection and sends EHLO again. Fails with %MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE when
 * the upgrade is impossible; nothing else is sent then.
 */
void
mail_smtp_client_connect_async (MailSmtpClient      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_smtp_client_connect_async);

  if (!mail_smtp_client_check_ready (self, FALSE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->busy = TRUE;
  g_task_set_task_data (task, self, unset_busy);
  mail_smtp_reply_parser_reset (self->parser);
  mail_connection_set_max_line_length (self->connection, MAIL_SMTP_REPLY_MAX_LINE_LENGTH);
  mail_connection_connect_async (self->connection, cancellable, connection_connect_cb,
                                 g_steal_pointer (&task));
}

/**
 * mail_smtp_client_connect_finish:
 * @self: a #MailSmtpClient
 * @result: the result
 * @error: return location for a %MAIL_SMTP_ERROR or %MAIL_NET_ERROR error
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_smtp_client_connect_finish (MailSmtpClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* Not busy any more, even while the task lingers in its callback. */
  self->busy = FALSE;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_smtp_client_reset_async:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Sends RSET, abandoning a half-finished transaction.
 */
void
mail_smtp_client_reset_async (MailSmtpClient      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_smtp_client_reset_async);

  if (!mail_smtp_client_check_ready (self, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_smtp_client_command_async (self, "RSET", MAIL_LOG_NORMAL, cancellable, reset_cb,
                                  g_steal_pointer (&task));
}

/**
 * mail_smtp_client_reset_finish:
 * @self: a #MailSmtpClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the server accepted RSET
 */
gboolean
mail_smtp_client_reset_finish (MailSmtpClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_smtp_client_quit_async:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Sends QUIT and closes the connection, whatever the server answers.
 */
void
mail_smtp_client_quit_async (MailSmtpClient      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_smtp_client_quit_async);

  if (!mail_smtp_client_check_ready (self, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_smtp_client_command_async (self, "QUIT", MAIL_LOG_NORMAL, cancellable, quit_cb,
                                  g_steal_pointer (&task));
}

/**
 * mail_smtp_client_quit_finish:
 * @self: a #MailSmtpClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the server said goodbye properly; the connection is closed either way
 */
gboolean
mail_smtp_client_quit_finish (MailSmtpClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
