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
#include "mail-protocol-log.h"
#include "mail-redact.h"

/* Size of the read buffer. A line longer than this is assembled in self->line, which
 * is capped at max_line_length + 1 while it grows (see read_line_step()). */
#define INPUT_BUFFER_SIZE (16 * 1024)

/* Largest single read when copying counted bytes (literals, message bodies). */
#define READ_CHUNK_SIZE (64 * 1024)

#define DEFAULT_CONNECT_TIMEOUT_MS (30 * 1000)
#define DEFAULT_READ_TIMEOUT_MS    (60 * 1000)

struct _MailConnection
{
  GObject parent_instance;

  /* owned references */
  MailTlsPolicy *tls_policy;
  GSocketConnection *socket_connection;
  GIOStream *stream;
  GBufferedInputStream *input;
  MailCertificateInfo *certificate_info;
  GByteArray *line;

  /* state */
  char *host;
  char *log_label;
  gsize max_line_length;
  gsize peak_line_buffer;
  guint connect_timeout_ms;
  guint read_timeout_ms;
  guint16 port;
  MailSecurity security;
  guint allow_plaintext : 1;
  guint is_encrypted : 1;
  guint was_upgraded : 1;
  guint loopback_plaintext : 1;
  guint log_protocol : 1;
  guint broken : 1;
  guint busy_connecting : 1;
};

G_DEFINE_FINAL_TYPE (MailConnection, mail_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_ALLOW_PLAINTEXT,
  PROP_TLS_POLICY,
  PROP_CONNECT_TIMEOUT,
  PROP_READ_TIMEOUT,
  PROP_MAX_LINE_LENGTH,
  PROP_LOG_LABEL,
  PROP_IS_CONNECTED,
  PROP_IS_ENCRYPTED,
  PROP_WAS_UPGRADED,
  PROP_IS_LOOPBACK_PLAINTEXT,
  PROP_CERTIFICATE_INFO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Operation guard: one internal GCancellable per operation, cancelled by the caller's
 * cancellable or by a timer. The timer is an inactivity timeout: it is re-armed whenever
 * data arrives, so a large message body does not time out while it is flowing, but a
 * server that goes silent does. A timed-out operation reports MAIL_NET_ERROR_TIMEOUT,
 * a cancelled one G_IO_ERROR_CANCELLED. */

typedef struct
{
  GCancellable *cancellable;
  GCancellable *user_cancellable;
  GSource *timeout_source;
  GMainContext *context;
  gulong user_handler;
  guint timeout_ms;
  gboolean timed_out;
} OpGuard;

static gboolean
op_guard_timeout_cb (gpointer user_data)
{
  OpGuard *guard = user_data;

  guard->timed_out = TRUE;
  g_cancellable_cancel (guard->cancellable);
  return G_SOURCE_REMOVE;
}

static void
op_guard_user_cancelled_cb (GCancellable *user_cancellable,
                            gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
op_guard_arm (OpGuard *guard)
{
  if (guard->timeout_source != NULL)
    {
      g_source_destroy (guard->timeout_source);
      g_clear_pointer (&guard->timeout_source, g_source_unref);
    }

  if (guard->timeout_ms == 0 || g_cancellable_is_cancelled (guard->cancellable))
    return;

  guard->timeout_source = g_timeout_source_new (guard->timeout_ms);
  g_source_set_static_name (guard->timeout_source, "[mail-connection] timeout");
  g_source_set_callback (guard->timeout_source, op_guard_timeout_cb, guard, NULL);
  g_source_attach (guard->timeout_source, guard->context);
}

static void
op_guard_init (OpGuard      *guard,
               GCancellable *user_cancellable,
               guint         timeout_ms)
{
  memset (guard, 0, sizeof *guard);
  guard->cancellable = g_cancellable_new ();
  guard->context = g_main_context_ref_thread_default ();
  guard->timeout_ms = timeout_ms;

  if (user_cancellable != NULL)
    {
      guard->user_cancellable = g_object_ref (user_cancellable);
      guard->user_handler = g_cancellable_connect (user_cancellable,
                                                   G_CALLBACK (op_guard_user_cancelled_cb),
                                                   g_object_ref (guard->cancellable),
                                                   g_object_unref);
    }

  op_guard_arm (guard);
}

static void
op_guard_clear (OpGuard *guard)
{
  if (guard->timeout_source != NULL)
    {
      g_source_destroy (guard->timeout_source);
      g_clear_pointer (&guard->timeout_source, g_source_unref);
    }

  if (guard->user_cancellable != NULL)
    {
      g_cancellable_disconnect (guard->user_cancellable, guard->user_handler);
      g_clear_object (&guard->user_cancellable);
    }

  g_clear_object (&guard->cancellable);
  g_clear_pointer (&guard->context, g_main_context_unref);
}

typedef enum
{
  CONTEXT_CONNECT,
  CONTEXT_TLS,
  CONTEXT_READ,
  CONTEXT_WRITE,
} ErrorContext;

/* Turns a GIO error into ours, in plain words that name the server. Cancellation by the
 * caller stays G_IO_ERROR_CANCELLED; cancellation by our timer becomes TIMEOUT. */
static GError *
op_guard_translate (OpGuard      *guard,
                    GError       *error,
                    ErrorContext  context,
                    const char   *host)
{
  GError *ret = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !guard->timed_out)
    return error;

  if (error->domain == MAIL_NET_ERROR)
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      if (context == CONTEXT_CONNECT)
        ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_TIMEOUT,
                           _("Connecting to %s took too long"), host);
      else
        ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_TIMEOUT,
                           _("The server %s did not respond in time"), host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
           g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                       _("The server %s closed the connection"), host);
  else
    {
      switch (context)
        {
        case CONTEXT_CONNECT:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CONNECT,
                             _("Could not connect to %s: %s"), host, error->message);
          break;
        case CONTEXT_TLS:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_TLS,
                             _("Could not establish a secure connection to %s: %s"),
                             host, error->message);
          break;
        case CONTEXT_READ:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                             _("The connection to %s was lost: %s"), host, error->message);
          break;
        case CONTEXT_WRITE:
        default:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                             _("Could not send data to %s: %s"), host, error->message);
          break;
        }
    }

  g_error_free (error);
  return ret;
}

/* ------------------------------------------------------------------------------------ */
/* Helpers */

static void
log_data (MailConnection *self,
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

static void
set_stream (MailConnection *self,
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

static void
mark_broken (MailConnection *self)
{
  self->broken = TRUE;
}

static void
drop_connection (MailConnection *self)
{
  gboolean was_connected = self->stream != NULL;

  mark_broken (self);
  if (self->stream != NULL)
    g_io_stream_close (self->stream, NULL, NULL);
  set_stream (self, NULL);
  g_clear_object (&self->socket_connection);

  if (was_connected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CONNECTED]);
}

static gboolean
check_readable (MailConnection  *self,
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
/* TLS handshake, shared by implicit TLS and STARTTLS */

typedef struct
{
  OpGuard guard;
  GTlsConnection *tls;
  GTlsCertificate *rejected_certificate;
  GTlsCertificateFlags rejected_errors;
  gulong accept_handler;
  gboolean upgrade;
} HandshakeData;

static void
handshake_data_free (gpointer data)
{
  HandshakeData *hd = data;

  if (hd->tls != NULL && hd->accept_handler != 0)
    g_signal_handler_disconnect (hd->tls, hd->accept_handler);
  g_clear_object (&hd->tls);
  g_clear_object (&hd->rejected_certificate);
  op_guard_clear (&hd->guard);
  g_free (hd);
}

/* Decides synchronously from the pin store; nothing here may block or ask anyone. A pin
 * names the exact certificate, so accepting it despite its flags is safe, unlike ignoring
 * individual flags (which GIO rightly warns against). */
static gboolean
accept_certificate_cb (GTlsConnection       *tls,
                       GTlsCertificate      *peer_cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GTask *task = user_data;
  MailConnection *self = g_task_get_source_object (task);
  HandshakeData *hd = g_task_get_task_data (task);

  if (self->tls_policy != NULL &&
      mail_tls_policy_accept (self->tls_policy, self->host, self->port, peer_cert, errors))
    {
      g_debug ("Accepting pinned certificate for %s:%u", self->host, self->port);
      return TRUE;
    }

  g_set_object (&hd->rejected_certificate, peer_cert);
  hd->rejected_errors = errors;
  return FALSE;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MailConnection *self = g_task_get_source_object (task);
  HandshakeData *hd = g_task_get_task_data (task);
  GTlsCertificate *peer;

  if (!g_tls_connection_handshake_finish (hd->tls, result, &error))
    {
      if (hd->rejected_certificate != NULL)
        {
          g_autoptr(MailCertificateInfo) info = NULL;
          g_autofree char *reasons = NULL;
          GError *cert_error;

          info = mail_certificate_info_new (hd->rejected_certificate, self->host, self->port,
                                            hd->rejected_errors);
          g_set_object (&self->certificate_info, info);
          reasons = mail_certificate_info_describe_errors (info);
          cert_error = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE,
                                    _("The certificate of %s is not trusted.\n%s"),
                                    self->host, reasons);
          mail_net_error_set_certificate_info (cert_error, info);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE_INFO]);
          drop_connection (self);
          g_task_return_error (task, cert_error);
          return;
        }

      drop_connection (self);
      g_task_return_error (task,
                           op_guard_translate (&hd->guard, g_steal_pointer (&error),
                                               CONTEXT_TLS, self->host));
      return;
    }

  peer = g_tls_connection_get_peer_certificate (hd->tls);
  if (peer != NULL)
    {
      g_autoptr(MailCertificateInfo) info = NULL;

      info = mail_certificate_info_new (peer, self->host, self->port,
                                        g_tls_connection_get_peer_certificate_errors (hd->tls));
      g_set_object (&self->certificate_info, info);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE_INFO]);
    }

  set_stream (self, G_IO_STREAM (hd->tls));
  self->is_encrypted = TRUE;
  self->loopback_plaintext = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ENCRYPTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_LOOPBACK_PLAINTEXT]);
  if (hd->upgrade)
    {
      self->was_upgraded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAS_UPGRADED]);
    }
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CONNECTED]);

  log_data (self, "*", "TLS established", strlen ("TLS established"), MAIL_LOG_NORMAL);
  g_task_return_boolean (task, TRUE);
}

/* Takes over @task, whose task data must be a HandshakeData. */
static void
start_handshake (MailConnection *self,
                 GTask          *task)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  HandshakeData *hd = g_task_get_task_data (task);
  GIOStream *tls;

  g_assert (self->socket_connection != NULL);

  identity = g_network_address_new (self->host, self->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (self->socket_connection), identity, &error);
  if (tls == NULL)
    {
      drop_connection (self);
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS,
                               _("Could not establish a secure connection to %s: %s"),
                               self->host, error->message);
      g_object_unref (task);
      return;
    }

  hd->tls = G_TLS_CONNECTION (tls);
  if (self->tls_policy == NULL)
    self->tls_policy = mail_tls_policy_new ();
  g_tls_connection_set_database (hd->tls, mail_tls_policy_get_database (self->tls_policy));
  hd->accept_handler = g_signal_connect (hd->tls, "accept-certificate",
                                         G_CALLBACK (accept_certificate_cb), task);

  g_tls_connection_handshake_async (hd->tls, G_PRIORITY_DEFAULT, hd->guard.cancellable,
                                    handshake_cb, task);
}

/* ------------------------------------------------------------------------------------ */
/* Connect */

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  MailConnection *self = g_task_get_source_object (task);
  HandshakeData *hd = g_task_get_task_data (task);

  self->busy_connecting = FALSE;
  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      g_task_return_error (task,
                           op_guard_translate (&hd->guard, g_steal_pointer (&error),
                                               CONTEXT_CONNECT, self->host));
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
          drop_connection (self);
          g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                                   _("Refusing an unencrypted connection to %s: "
                                     "the account does not allow it"), self->host);
          return;
        }
      self->loopback_plaintext = loopback;
    }

  if (self->security == MAIL_SECURITY_TLS)
    {
      start_handshake (self, g_steal_pointer (&task));
      return;
    }

  set_stream (self, G_IO_STREAM (connection));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CONNECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_LOOPBACK_PLAINTEXT]);
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Read a line */

typedef struct
{
  OpGuard guard;
} ReadData;

static void
read_data_free (gpointer data)
{
  ReadData *rd = data;

  op_guard_clear (&rd->guard);
  g_free (rd);
}

static void read_line_step (GTask *task);

static void
read_line_fill_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MailConnection *self = g_task_get_source_object (task);
  ReadData *rd = g_task_get_task_data (task);
  gssize n;

  n = g_buffered_input_stream_fill_finish (G_BUFFERED_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        mark_broken (self);
      g_task_return_error (task,
                           op_guard_translate (&rd->guard, g_steal_pointer (&error),
                                               CONTEXT_READ, self->host));
      return;
    }

  if (n == 0)
    {
      mark_broken (self);
      if (self->line->len > 0)
        g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                                 _("The server %s closed the connection in the middle of a "
                                   "reply"), self->host);
      else
        g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                                 _("The server %s closed the connection"), self->host);
      return;
    }

  op_guard_arm (&rd->guard);
  read_line_step (g_steal_pointer (&task));
}

static void
fail_line_too_long (MailConnection *self,
                    GTask          *task)
{
  mark_broken (self);
  g_byte_array_set_size (self->line, 0);
  g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_LINE_TOO_LONG,
                           _("The server %s sent a line longer than %" G_GSIZE_FORMAT " bytes"),
                           self->host, self->max_line_length);
  g_object_unref (task);
}

/* Looks for a line feed in the buffered data. The bytes before it are appended to
 * self->line and consumed from the buffer; the cap is checked BEFORE appending, so
 * self->line never holds more than max_line_length + 1 bytes (the +1 is a CR that may
 * precede the LF), however long the server's line is.
 *
 * Line ends: CRLF is the protocol's terminator. A bare LF is accepted as a terminator too
 * (servers and proxies in the wild send it, and treating it as data would only let a line
 * grow); a CR not followed by LF stays part of the line. */
static void
read_line_step (GTask *task)
{
  MailConnection *self = g_task_get_source_object (task);
  ReadData *rd = g_task_get_task_data (task);
  const char *data;
  const char *lf;
  gsize available = 0;
  gsize chunk;
  char *out;
  gsize out_len;

  data = g_buffered_input_stream_peek_buffer (self->input, &available);
  lf = available > 0 ? memchr (data, '\n', available) : NULL;
  chunk = lf != NULL ? (gsize)(lf - data) : available;

  if (self->line->len + chunk > self->max_line_length + 1)
    {
      fail_line_too_long (self, task);
      return;
    }

  g_byte_array_append (self->line, (const guint8 *)data, chunk);
  self->peak_line_buffer = MAX (self->peak_line_buffer, self->line->len);
  g_input_stream_skip (G_INPUT_STREAM (self->input), chunk + (lf != NULL ? 1 : 0), NULL, NULL);

  if (lf == NULL)
    {
      g_buffered_input_stream_fill_async (self->input, -1, G_PRIORITY_DEFAULT,
                                          rd->guard.cancellable, read_line_fill_cb, task);
      return;
    }

  out_len = self->line->len;
  if (out_len > 0 && self->line->data[out_len - 1] == '\r')
    out_len--;

  if (out_len > self->max_line_length)
    {
      fail_line_too_long (self, task);
      return;
    }

  /* A NUL can never appear in a protocol line; letting it through would make the line
   * read differently as a C string than as counted bytes. */
  if (memchr (self->line->data, '\0', out_len) != NULL)
    {
      log_data (self, "S", (const char *)self->line->data, out_len, MAIL_LOG_NORMAL);
      g_byte_array_set_size (self->line, 0);
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_PROTOCOL,
                               _("The server %s sent invalid data (a NUL byte)"), self->host);
      g_object_unref (task);
      return;
    }

  out = g_malloc (out_len + 1);
  memcpy (out, self->line->data, out_len);
  out[out_len] = '\0';
  g_byte_array_set_size (self->line, 0);

  log_data (self, "S", out, out_len, MAIL_LOG_NORMAL);

  /* NULs were refused above, so strlen() in _finish gives the exact length. */
  g_task_return_pointer (task, out, g_free);
  g_object_unref (task);
}

/* ------------------------------------------------------------------------------------ */
/* Read counted bytes */

typedef struct
{
  OpGuard guard;
  GOutputStream *sink;
  GByteArray *buffer;
  GBytes *chunk;
  gsize remaining;
  gsize total;
} ReadBytesData;

static void
read_bytes_data_free (gpointer data)
{
  ReadBytesData *rb = data;

  op_guard_clear (&rb->guard);
  g_clear_object (&rb->sink);
  g_clear_pointer (&rb->buffer, g_byte_array_unref);
  g_clear_pointer (&rb->chunk, g_bytes_unref);
  g_free (rb);
}

static void read_bytes_step (GTask *task);

static void
read_bytes_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ReadBytesData *rb = g_task_get_task_data (task);

  g_clear_pointer (&rb->chunk, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      /* A failing sink (disk full…) is the caller's error, not the network's: pass it on
       * unchanged, but the connection is now mid-literal and unusable. */
      mark_broken (g_task_get_source_object (task));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  read_bytes_step (g_steal_pointer (&task));
}

static void
read_bytes_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  MailConnection *self = g_task_get_source_object (task);
  ReadBytesData *rb = g_task_get_task_data (task);
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      mark_broken (self);
      g_task_return_error (task,
                           op_guard_translate (&rb->guard, g_steal_pointer (&error),
                                               CONTEXT_READ, self->host));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      mark_broken (self);
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                               _("The server %s closed the connection in the middle of a "
                                 "message"), self->host);
      return;
    }

  g_assert (size <= rb->remaining);
  rb->remaining -= size;
  op_guard_arm (&rb->guard);

  if (rb->sink != NULL)
    {
      rb->chunk = g_steal_pointer (&bytes);
      g_output_stream_write_all_async (rb->sink,
                                       g_bytes_get_data (rb->chunk, NULL), size,
                                       G_PRIORITY_DEFAULT, rb->guard.cancellable,
                                       read_bytes_written_cb, g_steal_pointer (&task));
      return;
    }

  g_byte_array_append (rb->buffer, g_bytes_get_data (bytes, NULL), size);
  read_bytes_step (g_steal_pointer (&task));
}

static void
read_bytes_step (GTask *task)
{
  MailConnection *self = g_task_get_source_object (task);
  ReadBytesData *rb = g_task_get_task_data (task);

  if (rb->remaining == 0)
    {
      log_data (self, "S", NULL, rb->total, MAIL_LOG_BODY);
      if (rb->buffer != NULL)
        g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&rb->buffer)),
                               (GDestroyNotify)g_bytes_unref);
      else
        g_task_return_pointer (task, g_bytes_new (NULL, 0), (GDestroyNotify)g_bytes_unref);
      g_object_unref (task);
      return;
    }

  /* Reads from the buffered stream are served from its buffer first. */
  g_input_stream_read_bytes_async (G_INPUT_STREAM (self->input),
                                   MIN (rb->remaining, READ_CHUNK_SIZE),
                                   G_PRIORITY_DEFAULT, rb->guard.cancellable,
                                   read_bytes_read_cb, task);
}

/* ------------------------------------------------------------------------------------ */
/* Write */

typedef struct
{
  OpGuard guard;
  guint8 *data;
  gsize len;
  gboolean sensitive;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *wd = data;

  op_guard_clear (&wd->guard);
  if (wd->sensitive)
    mail_wipe (wd->data, wd->len);
  g_free (wd->data);
  g_free (wd);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MailConnection *self = g_task_get_source_object (task);
  WriteData *wd = g_task_get_task_data (task);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_task_return_error (task,
                           op_guard_translate (&wd->guard, g_steal_pointer (&error),
                                               CONTEXT_WRITE, self->host));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
start_write (MailConnection *self,
             GTask          *task,
             guint8         *data,
             gsize           len,
             gsize           log_len,
             MailLogFlags    flags,
             GCancellable   *cancellable)
{
  g_autoptr(GError) error = NULL;
  WriteData *wd;

  wd = g_new0 (WriteData, 1);
  wd->data = data;
  wd->len = len;
  wd->sensitive = (flags & MAIL_LOG_SENSITIVE) != 0;
  g_task_set_task_data (task, wd, write_data_free);

  if (self->stream == NULL)
    {
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                               _("The connection to %s is closed"), self->host);
      g_object_unref (task);
      return;
    }

  if (wd->sensitive && !mail_connection_may_send_secrets (self))
    {
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                               _("Refusing to send a password to %s over an unencrypted "
                                 "connection"), self->host);
      g_object_unref (task);
      return;
    }

  log_data (self, "C", (const char *)data, log_len, flags);
  op_guard_init (&wd->guard, cancellable, self->read_timeout_ms);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   wd->data, wd->len, G_PRIORITY_DEFAULT,
                                   wd->guard.cancellable, write_cb, task);
}

/* ------------------------------------------------------------------------------------ */
/* Close */

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Closing is best effort: a peer that vanished cannot receive close_notify. */
  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    g_debug ("Closing the connection: %s", error->message);

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
  HandshakeData *hd;

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

  hd = g_new0 (HandshakeData, 1);
  op_guard_init (&hd->guard, cancellable, self->connect_timeout_ms);
  g_task_set_task_data (task, hd, handshake_data_free);

  self->is_encrypted = FALSE;
  self->was_upgraded = FALSE;
  self->loopback_plaintext = FALSE;
  self->busy_connecting = TRUE;
  g_clear_object (&self->certificate_info);

  client = g_socket_client_new ();
  g_socket_client_connect_to_host_async (client, self->host, self->port,
                                         hd->guard.cancellable, connect_cb,
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
 * mail_connection_starttls_async:
 * @self: a #MailConnection, connected with %MAIL_SECURITY_STARTTLS (or NONE)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called after the handshake
 * @user_data: data for @callback
 *
 * Upgrades the connection to TLS. Call it right after reading the server's go-ahead to
 * STARTTLS/STLS. If the server sent anything after the go-ahead, whether it is buffered
 * already or waiting in the socket, that is a response injection attack: the connection
 * is closed and the call fails with %MAIL_NET_ERROR_STARTTLS_INJECTION. The handshake uses
 * the same certificate policy as implicit TLS, with the account's host name as identity.
 * On success, #MailConnection:is-encrypted and #MailConnection:was-upgraded become %TRUE;
 * the caller must forget everything learnt before.
 */
void
mail_connection_starttls_async (MailConnection      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GSocket *socket;
  HandshakeData *hd;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_starttls_async);

  if (!check_readable (self, NULL) || self->socket_connection == NULL)
    {
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                               _("The connection to %s is closed"), self->host);
      return;
    }

  if (self->is_encrypted)
    {
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS,
                               _("The connection to %s is already encrypted"), self->host);
      return;
    }

  socket = g_socket_connection_get_socket (self->socket_connection);
  if (self->line->len > 0 ||
      g_buffered_input_stream_get_available (self->input) > 0 ||
      g_socket_get_available_bytes (socket) > 0)
    {
      log_data (self, "*", "STARTTLS response injection detected",
                strlen ("STARTTLS response injection detected"), MAIL_LOG_NORMAL);
      drop_connection (self);
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION,
                               _("The server %s sent unexpected data before starting "
                                 "encryption. Someone may be tampering with the connection, "
                                 "so it was closed."), self->host);
      return;
    }

  hd = g_new0 (HandshakeData, 1);
  hd->upgrade = TRUE;
  op_guard_init (&hd->guard, cancellable, self->connect_timeout_ms);
  g_task_set_task_data (task, hd, handshake_data_free);

  start_handshake (self, g_steal_pointer (&task));
}

/**
 * mail_connection_starttls_finish:
 * @self: a #MailConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the connection is now encrypted
 */
gboolean
mail_connection_starttls_finish (MailConnection  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_connection_read_line_async:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the line
 * @user_data: data for @callback
 *
 * Reads one line. The line may end in CRLF or a bare LF; the terminator is removed. The
 * cap (#MailConnection:max-line-length) is enforced while buffering: an endless line
 * costs at most the cap in memory before %MAIL_NET_ERROR_LINE_TOO_LONG. A line
 * containing a NUL byte fails with %MAIL_NET_ERROR_PROTOCOL (the line is consumed).
 * Lines are logged as `S: …` in the protocol log.
 */
void
mail_connection_read_line_async (MailConnection      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  ReadData *rd;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_read_line_async);

  if (!check_readable (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  rd = g_new0 (ReadData, 1);
  op_guard_init (&rd->guard, cancellable, self->read_timeout_ms);
  g_task_set_task_data (task, rd, read_data_free);

  read_line_step (g_steal_pointer (&task));
}

/**
 * mail_connection_read_line_finish:
 * @self: a #MailConnection
 * @result: the #GAsyncResult
 * @length: (out) (optional): the length of the line
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the line without its terminator, or %NULL on error
 */
char *
mail_connection_read_line_finish (MailConnection  *self,
                                  GAsyncResult    *result,
                                  gsize           *length,
                                  GError         **error)
{
  char *line;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  line = g_task_propagate_pointer (G_TASK (result), error);
  if (length != NULL)
    *length = line != NULL ? strlen (line) : 0;

  return line;
}

/**
 * mail_connection_read_bytes_async:
 * @self: a #MailConnection
 * @count: exactly how many bytes to read (an IMAP literal, a counted body)
 * @sink: (nullable): where to stream the bytes; %NULL to collect them in memory
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when all @count bytes were read
 * @user_data: data for @callback
 *
 * Reads exactly @count bytes, in chunks, without trusting @count for allocation: memory
 * grows only as data actually arrives, and with a @sink it stays at one chunk. The caller
 * validates @count against its own cap first. EOF before @count bytes is
 * %MAIL_NET_ERROR_CLOSED. The data is only summarised in the protocol log.
 */
void
mail_connection_read_bytes_async (MailConnection      *self,
                                  gsize                count,
                                  GOutputStream       *sink,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  ReadBytesData *rb;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (sink == NULL || G_IS_OUTPUT_STREAM (sink));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_read_bytes_async);

  if (!check_readable (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->line->len > 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Counted read started in the middle of a line");
      return;
    }

  rb = g_new0 (ReadBytesData, 1);
  rb->remaining = count;
  rb->total = count;
  rb->sink = sink != NULL ? g_object_ref (sink) : NULL;
  if (sink == NULL)
    rb->buffer = g_byte_array_sized_new (MIN (count, READ_CHUNK_SIZE));
  op_guard_init (&rb->guard, cancellable, self->read_timeout_ms);
  g_task_set_task_data (task, rb, read_bytes_data_free);

  read_bytes_step (g_steal_pointer (&task));
}

/**
 * mail_connection_read_bytes_finish:
 * @self: a #MailConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the bytes read (empty when a sink was given), or
 *   %NULL on error
 */
GBytes *
mail_connection_read_bytes_finish (MailConnection  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mail_connection_write_line_async:
 * @self: a #MailConnection
 * @line: one protocol line without terminator; CRLF is appended
 * @flags: %MAIL_LOG_SENSITIVE for secrets (AUTH payloads, PASS, LOGIN arguments)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the line was written
 * @user_data: data for @callback
 *
 * Sends one line. A line containing CR, LF or NUL is refused with
 * %G_IO_ERROR_INVALID_ARGUMENT (it would inject a second command). A sensitive line is
 * refused with %MAIL_NET_ERROR_PLAINTEXT_REFUSED unless mail_connection_may_send_secrets(),
 * is logged only as `C: <redacted N bytes>`, and its copy is wiped after sending.
 */
void
mail_connection_write_line_async (MailConnection      *self,
                                  const char          *line,
                                  MailLogFlags         flags,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint8 *data;
  gsize len;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (line != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_write_line_async);

  len = strlen (line);
  if (strpbrk (line, "\r\n") != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A command for %s contained a line break"), self->host);
      return;
    }

  data = g_malloc (len + 2);
  memcpy (data, line, len);
  data[len] = '\r';
  data[len + 1] = '\n';

  start_write (self, g_steal_pointer (&task), data, len + 2, len, flags, cancellable);
}

/**
 * mail_connection_write_line_finish:
 * @self: a #MailConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the line was written
 */
gboolean
mail_connection_write_line_finish (MailConnection  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_connection_write_bytes_async:
 * @self: a #MailConnection
 * @bytes: raw data, sent as is (a message body, a literal)
 * @flags: %MAIL_LOG_BODY to summarise it in the log, %MAIL_LOG_SENSITIVE for secrets
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when all bytes were written
 * @user_data: data for @callback
 *
 * Sends raw bytes. Unlike mail_connection_write_line_async() nothing is appended or
 * checked; dot-stuffing and the like are the protocol client's job.
 */
void
mail_connection_write_bytes_async (MailConnection      *self,
                                   GBytes              *bytes,
                                   MailLogFlags         flags,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gsize len = 0;
  const guint8 *src;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_write_bytes_async);

  src = g_bytes_get_data (bytes, &len);
  start_write (self, g_steal_pointer (&task), g_memdup2 (src, len), len, len, flags,
               cancellable);
}

/**
 * mail_connection_write_bytes_finish:
 * @self: a #MailConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the bytes were written
 */
gboolean
mail_connection_write_bytes_finish (MailConnection  *self,
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

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_close_async);

  if (self->stream == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  stream = g_object_ref (self->stream);
  mark_broken (self);
  set_stream (self, NULL);
  g_clear_object (&self->socket_connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CONNECTED]);

  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, cancellable, close_cb,
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
