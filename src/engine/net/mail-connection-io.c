/* mail-connection-io.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-net"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mail-connection-private.h"
#include "mail-op-guard.h"
#include "mail-redact.h"

/* Largest single read when copying counted bytes (literals, message bodies). */
#define READ_CHUNK_SIZE (64 * 1024)

/* ------------------------------------------------------------------------------------ */
/* Read a line */

typedef struct
{
  MailOpGuard guard;
} ReadData;

static void
read_data_free (gpointer data)
{
  ReadData *rd = data;

  mail_op_guard_clear (&rd->guard);
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
        mail_connection_mark_broken (self);
      g_task_return_error (task,
                           mail_op_guard_translate (&rd->guard, g_steal_pointer (&error),
                                               MAIL_OP_READ, self->host));
      return;
    }

  if (n == 0)
    {
      mail_connection_mark_broken (self);
      if (self->line->len > 0)
        g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                                 _("The server %s closed the connection in the middle of a "
                                   "reply"), self->host);
      else
        g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                                 _("The server %s closed the connection"), self->host);
      return;
    }

  mail_op_guard_arm (&rd->guard);
  read_line_step (g_steal_pointer (&task));
}

static void
fail_line_too_long (MailConnection *self,
                    GTask          *task)
{
  mail_connection_mark_broken (self);
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
      mail_connection_log (self, "S", (const char *)self->line->data, out_len, MAIL_LOG_NORMAL);
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

  mail_connection_log (self, "S", out, out_len, MAIL_LOG_NORMAL);

  /* NULs were refused above, so strlen() in _finish gives the exact length. */
  g_task_return_pointer (task, out, g_free);
  g_object_unref (task);
}

/* ------------------------------------------------------------------------------------ */
/* Read counted bytes */

typedef struct
{
  MailOpGuard guard;
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

  mail_op_guard_clear (&rb->guard);
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
      mail_connection_mark_broken (g_task_get_source_object (task));
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
      mail_connection_mark_broken (self);
      g_task_return_error (task,
                           mail_op_guard_translate (&rb->guard, g_steal_pointer (&error),
                                               MAIL_OP_READ, self->host));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      mail_connection_mark_broken (self);
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                               _("The server %s closed the connection in the middle of a "
                                 "message"), self->host);
      return;
    }

  g_assert (size <= rb->remaining);
  rb->remaining -= size;
  mail_op_guard_arm (&rb->guard);

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
      mail_connection_log (self, "S", NULL, rb->total, MAIL_LOG_BODY);
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
  MailOpGuard guard;
  guint8 *data;
  gsize len;
  gboolean sensitive;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *wd = data;

  mail_op_guard_clear (&wd->guard);
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
                           mail_op_guard_translate (&wd->guard, g_steal_pointer (&error),
                                               MAIL_OP_WRITE, self->host));
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

  mail_connection_log (self, "C", (const char *)data, log_len, flags);
  mail_op_guard_init (&wd->guard, cancellable, self->read_timeout_ms);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   wd->data, wd->len, G_PRIORITY_DEFAULT,
                                   wd->guard.cancellable, write_cb, task);
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

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

  if (!mail_connection_check_readable (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  rd = g_new0 (ReadData, 1);
  mail_op_guard_init (&rd->guard, cancellable, self->read_timeout_ms);
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

  if (!mail_connection_check_readable (self, &error))
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
  mail_op_guard_init (&rb->guard, cancellable, self->read_timeout_ms);
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
