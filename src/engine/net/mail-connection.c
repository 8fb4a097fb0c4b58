/* mail-connection.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-net"

#include "config.h"

#include "mail-connection.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mail-connection-private.h"
#include "mail-op-guard.h"
#include "mail-protocol-log.h"

/* Size of the read buffer. A line longer than this is assembled in self->line, which
 * is capped at max_line_length + 1 while it grows (see read_line_step()). */
#define INPUT_BUFFER_SIZE (16 * 1024)

#define DEFAULT_CONNECT_TIMEOUT_MS (30 * 1000)
#define DEFAULT_READ_TIMEOUT_MS    (60 * 1000)

G_DEFINE_FINAL_TYPE (MailConnection, mail_connection, G_TYPE_OBJECT)


static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Helpers, shared with the other mail-connection-*.c files */

void
mail_connection_notify (MailConnection     *self,
                        MailConnectionProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
mail_connection_log (MailConnection *self,
          const char     *direction,
          const char     *data,
          gsize           len,
          MailLogFlags    flags)
{
  if (self->log_protocol)
    mail_protocol_log (self->log_label, direction, data, len, flags);
}

static gboolean
host_is_loopback_literal (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
peer_is_loopback (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) remote = NULL;

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return FALSE;

  return g_inet_address_get_is_loopback (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

void
mail_connection_set_stream (MailConnection *self,
            GIOStream      *stream)
{
  GInputStream *base;

  g_set_object (&self->stream, stream);
  g_clear_object (&self->input);
  g_byte_array_set_size (self->line, 0);

  if (stream == NULL)
    return;

  base = g_io_stream_get_input_stream (stream);
  self->input = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new_sized (base,
                                                                            INPUT_BUFFER_SIZE));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (self->input), FALSE);
}

void
mail_connection_mark_broken (MailConnection *self)
{
  self->broken = TRUE;
}

void
mail_connection_drop (MailConnection *self)
{
  gboolean was_connected = self->stream != NULL;

  mail_connection_mark_broken (self);
  if (self->stream != NULL)
    g_io_stream_close (self->stream, NULL, NULL);
  mail_connection_set_stream (self, NULL);
  g_clear_object (&self->socket_connection);

  if (was_connected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CONNECTED]);
}

gboolean
mail_connection_check_readable (MailConnection  *self,
                GError         **error)
{
  if (self->stream == NULL || self->broken)
    {
      g_set_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                   _("The connection to %s is closed"), self->host);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Connect */

typedef struct
{
  MailOpGuard guard;
} ConnectData;

static void
connect_data_free (gpointer data)
{
  ConnectData *cd = data;

  mail_op_guard_clear (&cd->guard);
  g_free (cd);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  MailConnection *self = g_task_get_source_object (task);
  ConnectData *cd = g_task_get_task_data (task);

  self->busy_connecting = FALSE;
  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      g_task_return_error (task,
                           mail_op_guard_translate (&cd->guard, g_steal_pointer (&error),
                                               MAIL_OP_CONNECT, self->host));
      return;
    }

  g_set_object (&self->socket_connection, connection);
  self->broken = FALSE;

  if (self->security == MAIL_SECURITY_NONE)
    {
      /* Judge by the address actually connected to, not by the name. */
      gboolean loopback = peer_is_loopback (connection);

      if (!loopback && !self->allow_plaintext)
        {
          mail_connection_drop (self);
          g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                                   _("Refusing an unencrypted connection to %s: "
                                     "the account does not allow it"), self->host);
          return;
        }
      self->loopback_plaintext = loopback;
    }

  if (self->security == MAIL_SECURITY_TLS)
    {
      /* Replaces the task data: cd is gone after this. */
      mail_connection_start_handshake (self, g_steal_pointer (&task), FALSE);
      return;
    }

  mail_connection_set_stream (self, G_IO_STREAM (connection));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CONNECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_LOOPBACK_PLAINTEXT]);
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Close */

typedef struct
{
  MailOpGuard guard;
  GSocketConnection *socket_connection;
} CloseData;

static void
close_data_free (gpointer data)
{
  CloseData *cd = data;

  mail_op_guard_clear (&cd->guard);
  g_clear_object (&cd->socket_connection);
  g_free (cd);
}

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CloseData *cd = g_task_get_task_data (task);

  /* Closing is best effort: a peer that vanished cannot receive close_notify, and a
   * stream with a read still pending refuses to close. Either way the socket goes. */
  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    g_debug ("Closing the connection: %s", error->message);
  if (cd->socket_connection != NULL)
    g_socket_close (g_socket_connection_get_socket (cd->socket_connection), NULL);

  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* GObject */

static void
mail_connection_dispose (GObject *object)
{
  MailConnection *self = (MailConnection *)object;

  /* No blocking close here: dropping the last reference closes the socket. */
  g_clear_object (&self->input);
  g_clear_object (&self->stream);
  g_clear_object (&self->socket_connection);
  g_clear_object (&self->tls_policy);
  g_clear_object (&self->certificate_info);

  G_OBJECT_CLASS (mail_connection_parent_class)->dispose (object);
}

static void
mail_connection_finalize (GObject *object)
{
  MailConnection *self = (MailConnection *)object;

  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->log_label, g_free);

  G_OBJECT_CLASS (mail_connection_parent_class)->finalize (object);
}

static void
mail_connection_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MailConnection *self = MAIL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, mail_connection_get_host (self));
      break;
    case PROP_PORT:
      g_value_set_uint (value, mail_connection_get_port (self));
      break;
    case PROP_SECURITY:
      g_value_set_int (value, mail_connection_get_security (self));
      break;
    case PROP_ALLOW_PLAINTEXT:
      g_value_set_boolean (value, mail_connection_get_allow_plaintext (self));
      break;
    case PROP_TLS_POLICY:
      g_value_set_object (value, mail_connection_get_tls_policy (self));
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, mail_connection_get_connect_timeout (self));
      break;
    case PROP_READ_TIMEOUT:
      g_value_set_uint (value, mail_connection_get_read_timeout (self));
      break;
    case PROP_MAX_LINE_LENGTH:
      g_value_set_uint64 (value, mail_connection_get_max_line_length (self));
      break;
    case PROP_LOG_LABEL:
      g_value_set_string (value, mail_connection_get_log_label (self));
      break;
    case PROP_IS_CONNECTED:
      g_value_set_boolean (value, mail_connection_get_is_connected (self));
      break;
    case PROP_IS_ENCRYPTED:
      g_value_set_boolean (value, mail_connection_get_is_encrypted (self));
      break;
    case PROP_WAS_UPGRADED:
      g_value_set_boolean (value, mail_connection_get_was_upgraded (self));
      break;
    case PROP_IS_LOOPBACK_PLAINTEXT:
      g_value_set_boolean (value, mail_connection_get_is_loopback_plaintext (self));
      break;
    case PROP_CERTIFICATE_INFO:
      g_value_set_object (value, mail_connection_get_certificate_info (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_connection_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MailConnection *self = MAIL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = (guint16)g_value_get_uint (value);
      break;
    case PROP_SECURITY:
      self->security = g_value_get_int (value);
      break;
    case PROP_ALLOW_PLAINTEXT:
      mail_connection_set_allow_plaintext (self, g_value_get_boolean (value));
      break;
    case PROP_TLS_POLICY:
      mail_connection_set_tls_policy (self, g_value_get_object (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      mail_connection_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_READ_TIMEOUT:
      mail_connection_set_read_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_LINE_LENGTH:
      mail_connection_set_max_line_length (self, g_value_get_uint64 (value));
      break;
    case PROP_LOG_LABEL:
      mail_connection_set_log_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_connection_constructed (GObject *object)
{
  MailConnection *self = (MailConnection *)object;

  G_OBJECT_CLASS (mail_connection_parent_class)->constructed (object);

  if (self->host == NULL)
    self->host = g_strdup ("localhost");
  if (self->log_label == NULL)
    self->log_label = g_strdup_printf ("%s:%u", self->host, self->port);
}

static void
mail_connection_class_init (MailConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_connection_dispose;
  object_class->finalize = mail_connection_finalize;
  object_class->constructed = mail_connection_constructed;
  object_class->get_property = mail_connection_get_property;
  object_class->set_property = mail_connection_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* MailSecurity has no GType; the property holds its integer value. */
  properties[PROP_SECURITY] =
    g_param_spec_int ("security", NULL, NULL, MAIL_SECURITY_TLS, MAIL_SECURITY_NONE,
                      MAIL_SECURITY_TLS,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_PLAINTEXT] =
    g_param_spec_boolean ("allow-plaintext", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_POLICY] =
    g_param_spec_object ("tls-policy", NULL, NULL, MAIL_TYPE_TLS_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_CONNECT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_TIMEOUT] =
    g_param_spec_uint ("read-timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_READ_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_LINE_LENGTH] =
    g_param_spec_uint64 ("max-line-length", NULL, NULL, 1, G_MAXSIZE / 2,
                         MAIL_CONNECTION_DEFAULT_MAX_LINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_LABEL] =
    g_param_spec_string ("log-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_CONNECTED] =
    g_param_spec_boolean ("is-connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_ENCRYPTED] =
    g_param_spec_boolean ("is-encrypted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAS_UPGRADED] =
    g_param_spec_boolean ("was-upgraded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_LOOPBACK_PLAINTEXT] =
    g_param_spec_boolean ("is-loopback-plaintext", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CERTIFICATE_INFO] =
    g_param_spec_object ("certificate-info", NULL, NULL, MAIL_TYPE_CERTIFICATE_INFO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_connection_init (MailConnection *self)
{
  self->line = g_byte_array_new ();
  self->max_line_length = MAIL_CONNECTION_DEFAULT_MAX_LINE;
  self->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  self->read_timeout_ms = DEFAULT_READ_TIMEOUT_MS;
  self->log_protocol = mail_protocol_log_enabled ();
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

/**
 * mail_connection_new:
 * @host: the server's host name (also the TLS server identity)
 * @port: the server's port
 * @security: how the connection is protected
 *
 * Creates an unconnected connection. Configure it, then call
 * mail_connection_connect_async().
 *
 * Returns: (transfer full): a new #MailConnection
 */
MailConnection *
mail_connection_new (const char   *host,
                     guint16       port,
                     MailSecurity  security)
{
  g_return_val_if_fail (host != NULL && *host != '\0', NULL);
  g_return_val_if_fail (security <= MAIL_SECURITY_NONE, NULL);

  return g_object_new (MAIL_TYPE_CONNECTION,
                       "host", host,
                       "port", (guint)port,
                       "security", (int)security,
                       NULL);
}

/**
 * mail_connection_get_host:
 * @self: a #MailConnection
 *
 * Returns: the host name
 */
const char *
mail_connection_get_host (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);
  return self->host;
}

/**
 * mail_connection_get_port:
 * @self: a #MailConnection
 *
 * Returns: the port
 */
guint16
mail_connection_get_port (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), 0);
  return self->port;
}

/**
 * mail_connection_get_security:
 * @self: a #MailConnection
 *
 * Returns: the security mode given at construction
 */
MailSecurity
mail_connection_get_security (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), MAIL_SECURITY_TLS);
  return self->security;
}

/**
 * mail_connection_get_allow_plaintext:
 * @self: a #MailConnection
 *
 * Returns: whether the person consented to an unencrypted connection
 */
gboolean
mail_connection_get_allow_plaintext (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  return self->allow_plaintext;
}

/**
 * mail_connection_set_allow_plaintext:
 * @self: a #MailConnection
 * @allow_plaintext: the account's explicit consent to %MAIL_SECURITY_NONE
 *
 * Without this consent, %MAIL_SECURITY_NONE connects only to loopback addresses
 * (127.0.0.1, ::1), reported by #MailConnection:is-loopback-plaintext. It has no effect
 * on %MAIL_SECURITY_TLS or %MAIL_SECURITY_STARTTLS: those never fall back to plaintext.
 */
void
mail_connection_set_allow_plaintext (MailConnection *self,
                                     gboolean        allow_plaintext)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));

  allow_plaintext = !!allow_plaintext;
  if (self->allow_plaintext == allow_plaintext)
    return;

  self->allow_plaintext = allow_plaintext;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_PLAINTEXT]);
}

/**
 * mail_connection_get_tls_policy:
 * @self: a #MailConnection
 *
 * Returns: (transfer none) (nullable): the certificate policy
 */
MailTlsPolicy *
mail_connection_get_tls_policy (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);
  return self->tls_policy;
}

/**
 * mail_connection_set_tls_policy:
 * @self: a #MailConnection
 * @policy: (nullable): the account's certificate policy; %NULL means system trust, no pins
 *
 * Sets how server certificates are verified.
 */
void
mail_connection_set_tls_policy (MailConnection *self,
                                MailTlsPolicy  *policy)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (policy == NULL || MAIL_IS_TLS_POLICY (policy));

  if (g_set_object (&self->tls_policy, policy))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_POLICY]);
}

/**
 * mail_connection_get_connect_timeout:
 * @self: a #MailConnection
 *
 * Returns: the connect timeout in milliseconds (0: none)
 */
guint
mail_connection_get_connect_timeout (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), 0);
  return self->connect_timeout_ms;
}

/**
 * mail_connection_set_connect_timeout:
 * @self: a #MailConnection
 * @timeout_ms: milliseconds, 0 for none
 *
 * Bounds name resolution, TCP connect and each TLS handshake. Default 30 s.
 */
void
mail_connection_set_connect_timeout (MailConnection *self,
                                     guint           timeout_ms)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));

  if (self->connect_timeout_ms == timeout_ms)
    return;

  self->connect_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

/**
 * mail_connection_get_read_timeout:
 * @self: a #MailConnection
 *
 * Returns: the per-response timeout in milliseconds (0: none)
 */
guint
mail_connection_get_read_timeout (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), 0);
  return self->read_timeout_ms;
}

/**
 * mail_connection_set_read_timeout:
 * @self: a #MailConnection
 * @timeout_ms: milliseconds, 0 for none
 *
 * How long a read (or write) may wait without any data moving before it fails with
 * %MAIL_NET_ERROR_TIMEOUT. Default 60 s. Protocol clients doing IMAP IDLE set it to 0 or
 * to a value above their IDLE refresh interval.
 */
void
mail_connection_set_read_timeout (MailConnection *self,
                                  guint           timeout_ms)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));

  if (self->read_timeout_ms == timeout_ms)
    return;

  self->read_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_TIMEOUT]);
}

/**
 * mail_connection_get_max_line_length:
 * @self: a #MailConnection
 *
 * Returns: the longest line mail_connection_read_line_async() accepts
 */
gsize
mail_connection_get_max_line_length (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), 0);
  return self->max_line_length;
}

/**
 * mail_connection_set_max_line_length:
 * @self: a #MailConnection
 * @max_line_length: the cap in bytes, without the line terminator
 *
 * Sets the cap on one received line; default %MAIL_CONNECTION_DEFAULT_MAX_LINE.
 */
void
mail_connection_set_max_line_length (MailConnection *self,
                                     gsize           max_line_length)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (max_line_length > 0 && max_line_length <= G_MAXSIZE / 2);

  if (self->max_line_length == max_line_length)
    return;

  self->max_line_length = max_line_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LINE_LENGTH]);
}

/**
 * mail_connection_get_log_label:
 * @self: a #MailConnection
 *
 * Returns: the prefix of this connection's protocol log lines
 */
const char *
mail_connection_get_log_label (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);
  return self->log_label;
}

/**
 * mail_connection_set_log_label:
 * @self: a #MailConnection
 * @label: (nullable): e.g. `"imap work"`; %NULL for `host:port`
 *
 * Sets the prefix of this connection's protocol log lines.
 */
void
mail_connection_set_log_label (MailConnection *self,
                               const char     *label)
{
  g_autofree char *new_label = NULL;

  g_return_if_fail (MAIL_IS_CONNECTION (self));

  new_label = label != NULL ? g_strdup (label)
                            : g_strdup_printf ("%s:%u", self->host, self->port);
  if (g_strcmp0 (new_label, self->log_label) == 0)
    return;

  g_free (self->log_label);
  self->log_label = g_steal_pointer (&new_label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_LABEL]);
}

/**
 * mail_connection_get_is_connected:
 * @self: a #MailConnection
 *
 * Returns: whether the connection is established and not closed
 */
gboolean
mail_connection_get_is_connected (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  return self->stream != NULL;
}

/**
 * mail_connection_get_is_encrypted:
 * @self: a #MailConnection
 *
 * Returns: whether TLS is established (implicit TLS, or after STARTTLS)
 */
gboolean
mail_connection_get_is_encrypted (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  return self->is_encrypted;
}

/**
 * mail_connection_get_was_upgraded:
 * @self: a #MailConnection
 *
 * Whether the connection was upgraded by STARTTLS. Protocol clients must then drop every
 * piece of state learnt before the upgrade (capabilities, greeting) and ask again.
 *
 * Returns: %TRUE after a successful mail_connection_starttls_async()
 */
gboolean
mail_connection_get_was_upgraded (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  return self->was_upgraded;
}

/**
 * mail_connection_get_is_loopback_plaintext:
 * @self: a #MailConnection
 *
 * Whether this is an unencrypted connection to this computer (127.0.0.1 or ::1). It is
 * allowed without consent; the UI shows a calm note rather than a warning.
 *
 * Returns: %TRUE for plaintext to a loopback address
 */
gboolean
mail_connection_get_is_loopback_plaintext (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  return self->loopback_plaintext;
}

/**
 * mail_connection_may_send_secrets:
 * @self: a #MailConnection
 *
 * Whether passwords (or password-derived SASL responses) may be sent now: over TLS; or,
 * with %MAIL_SECURITY_NONE, with the person's consent or to a loopback address. Never on
 * a %MAIL_SECURITY_STARTTLS connection before the upgrade. Writes flagged
 * %MAIL_LOG_SENSITIVE enforce this.
 *
 * Returns: %TRUE if secrets may be sent
 */
gboolean
mail_connection_may_send_secrets (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  if (self->stream == NULL)
    return FALSE;
  if (self->is_encrypted)
    return TRUE;
  if (self->security != MAIL_SECURITY_NONE)
    return FALSE;

  return self->allow_plaintext || self->loopback_plaintext;
}

/**
 * mail_connection_get_certificate_info:
 * @self: a #MailConnection
 *
 * The server certificate seen by the last TLS handshake: after a
 * %MAIL_NET_ERROR_CERTIFICATE failure, what the person is asked about; after success,
 * what the UI can show.
 *
 * Returns: (transfer none) (nullable): the certificate description
 */
MailCertificateInfo *
mail_connection_get_certificate_info (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);
  return self->certificate_info;
}

/**
 * mail_connection_connect_async:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when connected (and, for %MAIL_SECURITY_TLS, after the handshake)
 * @user_data: data for @callback
 *
 * Resolves the host, connects, and for %MAIL_SECURITY_TLS performs the TLS handshake
 * under the certificate policy. %MAIL_SECURITY_NONE is refused with
 * %MAIL_NET_ERROR_PLAINTEXT_REFUSED unless plaintext is allowed or the peer is a loopback
 * address.
 */
void
mail_connection_connect_async (MailConnection      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  ConnectData *cd;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_connect_async);

  if (self->stream != NULL || self->busy_connecting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The connection to %s is already open"), self->host);
      return;
    }

  if (self->security == MAIL_SECURITY_NONE && !self->allow_plaintext &&
      !host_is_loopback_literal (self->host))
    {
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                               _("Refusing an unencrypted connection to %s: "
                                 "the account does not allow it"), self->host);
      return;
    }

  cd = g_new0 (ConnectData, 1);
  mail_op_guard_init (&cd->guard, cancellable, self->connect_timeout_ms);
  g_task_set_task_data (task, cd, connect_data_free);

  self->is_encrypted = FALSE;
  self->was_upgraded = FALSE;
  self->loopback_plaintext = FALSE;
  self->busy_connecting = TRUE;
  g_clear_object (&self->certificate_info);

  client = g_socket_client_new ();
  g_socket_client_connect_to_host_async (client, self->host, self->port,
                                         cd->guard.cancellable, connect_cb,
                                         g_steal_pointer (&task));
}

/**
 * mail_connection_connect_finish:
 * @self: a #MailConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError: %MAIL_NET_ERROR_CONNECT, _TIMEOUT, _TLS,
 *   _CERTIFICATE (see mail_net_error_get_certificate_info()), _PLAINTEXT_REFUSED, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_connection_connect_finish (MailConnection  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_connection_close_async:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when closed
 * @user_data: data for @callback
 *
 * Closes the connection (sending TLS close_notify when encrypted). Closing is best
 * effort and always succeeds; afterwards reads fail with %MAIL_NET_ERROR_CLOSED.
 */
void
mail_connection_close_async (MailConnection      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GIOStream) stream = NULL;
  CloseData *cd;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_close_async);

  if (self->stream == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Sending close_notify is bounded by the read timeout, like any write. */
  cd = g_new0 (CloseData, 1);
  cd->socket_connection = g_steal_pointer (&self->socket_connection);
  mail_op_guard_init (&cd->guard, cancellable, self->read_timeout_ms);
  g_task_set_task_data (task, cd, close_data_free);

  stream = g_object_ref (self->stream);
  mail_connection_mark_broken (self);
  mail_connection_set_stream (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CONNECTED]);

  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, cd->guard.cancellable, close_cb,
                           g_steal_pointer (&task));
}

/**
 * mail_connection_close_finish:
 * @self: a #MailConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE
 */
gboolean
mail_connection_close_finish (MailConnection  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Private API for tests */

gsize
mail_connection_get_peak_line_buffer (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), 0);
  return self->peak_line_buffer;
}
