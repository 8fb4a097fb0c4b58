/* mail-pop3-client.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-pop3"

#include "config.h"

#include "mail-pop3-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-pop3-client-private.h"

/* A POP3 client (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH) over a
 * #MailConnection.
 *
 * Security rules (SECURITY.md): with STARTTLS the upgrade is mandatory; the plaintext CAPA
 * is thrown away and asked again over TLS; server text received before TLS never reaches
 * an error message. Listings are strict (empty, odd or duplicate unique ids are errors) and
 * capped; messages stream into a caller's GOutputStream under a size cap. */

/* Message data is buffered up to this much before each write to the sink. */
#define SINK_BUFFER_SIZE (64 * 1024)

struct _MailPop3Client
{
  GObject               parent_instance;

  /* owned */
  MailConnection       *connection;
  MailPop3Capabilities *capabilities;
  char                 *apop_timestamp;
  char                 *mechanism;

  /* state */
  guint64               max_message_size;
  guint                 busy : 1;
  guint                 connected : 1;
  guint                 authenticated : 1;
};

G_DEFINE_FINAL_TYPE (MailPop3Client, mail_pop3_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------ */
/* Commands */

typedef struct
{
  MailPop3CommandFlags  flags;
  MailPop3Stage         stage;
  MailPop3Response     *response;
  MailPop3Multiline    *lines;
} CommandData;

static void
command_data_free (gpointer data)
{
  CommandData *cd = data;

  g_clear_pointer (&cd->response, mail_pop3_response_free);
  g_clear_pointer (&cd->lines, mail_pop3_multiline_free);
  g_free (cd);
}

static void
listing_line_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  CommandData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gboolean done = FALSE;
  gsize len = 0;

  line = mail_connection_read_line_finish (self->connection, result, &len, &error);
  if (line == NULL || !mail_pop3_multiline_feed (cd->lines, line, len, &done, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!done)
    {
      mail_connection_read_line_async (self->connection, cancellable,
                                       listing_line_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
status_line_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  CommandData *cd = g_task_get_task_data (task);
  gboolean show_text = mail_pop3_client_may_show_server_text (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize len = 0;

  line = mail_connection_read_line_finish (self->connection, result, &len, &error);
  if (line == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cd->response = mail_pop3_response_parse (line, len,
                                           (cd->flags & MAIL_POP3_COMMAND_CONTINUE) != 0,
                                           &error);
  if (cd->response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_pop3_response_get_status (cd->response) == MAIL_POP3_STATUS_ERR &&
      (cd->flags & MAIL_POP3_COMMAND_RAW) == 0)
    {
      g_task_return_error (task,
                           mail_pop3_error_from_response (cd->response, cd->stage,
                                                          show_text));
      return;
    }

  if (mail_pop3_response_is_ok (cd->response) && (cd->flags & MAIL_POP3_COMMAND_MULTILINE) != 0)
    {
      cd->lines = mail_pop3_multiline_new (MAIL_POP3_MAX_LIST_LINES, MAIL_POP3_MAX_LIST_BYTES);
      mail_connection_read_line_async (self->connection, cancellable,
                                       listing_line_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
command_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_write_line_finish (self->connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_connection_read_line_async (self->connection, cancellable,
                                   status_line_cb, g_steal_pointer (&task));
}

/* Writes @line (or nothing, for the greeting) and reads the status line and, with
 * %MAIL_POP3_COMMAND_MULTILINE after +OK, the listing. -ERR becomes an error for @stage
 * unless %MAIL_POP3_COMMAND_RAW. */
void
mail_pop3_client_command_async (MailPop3Client        *self,
                                const char            *line,
                                MailLogFlags           log_flags,
                                MailPop3CommandFlags   flags,
                                MailPop3Stage          stage,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CommandData *cd = g_new0 (CommandData, 1);

  g_task_set_source_tag (task, mail_pop3_client_command_async);
  cd->flags = flags;
  cd->stage = stage;
  g_task_set_task_data (task, cd, command_data_free);

  if (line == NULL)
    mail_connection_read_line_async (self->connection, cancellable, status_line_cb,
                                     g_steal_pointer (&task));
  else
    mail_connection_write_line_async (self->connection, line, log_flags, cancellable,
                                      command_written_cb, g_steal_pointer (&task));
}

MailPop3Response *
mail_pop3_client_command_finish (MailPop3Client     *self,
                                 GAsyncResult       *result,
                                 MailPop3Multiline **lines,
                                 GError            **error)
{
  CommandData *cd = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  if (lines != NULL)
    *lines = g_steal_pointer (&cd->lines);

  return g_steal_pointer (&cd->response);
}

gboolean
mail_pop3_client_may_show_server_text (MailPop3Client *self)
{
  return mail_connection_get_is_encrypted (self->connection);
}

gboolean
mail_pop3_client_check_ready (MailPop3Client  *self,
                              gboolean         need_connected,
                              GError         **error)
{
  if (self->busy)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("Another POP3 operation is still running"));
      return FALSE;
    }

  if (need_connected && !self->connected)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected to the incoming mail server"));
      return FALSE;
    }

  return TRUE;
}

void
mail_pop3_client_set_busy (MailPop3Client *self,
                           gboolean        busy)
{
  self->busy = !!busy;
}

void
mail_pop3_client_set_authenticated (MailPop3Client *self,
                                    const char     *mechanism)
{
  g_free (self->mechanism);
  self->mechanism = g_strdup (mechanism);
  self->authenticated = TRUE;
}

static void
unset_busy (gpointer data)
{
  MailPop3Client *self = data;

  self->busy = FALSE;
}

/* Starts an operation: fails it at once when the client is busy or not connected,
 * otherwise marks the client busy until the task is gone. */
static GTask *
begin_operation (MailPop3Client      *self,
                 gboolean             need_connected,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, source_tag);

  if (!mail_pop3_client_check_ready (self, need_connected, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  self->busy = TRUE;
  g_task_set_task_data (task, self, unset_busy);
  return g_steal_pointer (&task);
}

/* ------------------------------------------------------------------------------------ */
/* Connect: greeting, CAPA, STLS, CAPA */

static void capa_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
send_capa (GTask *task)
{
  MailPop3Client *self = g_task_get_source_object (task);

  mail_pop3_client_command_async (self, "CAPA", MAIL_LOG_NORMAL,
                                  MAIL_POP3_COMMAND_MULTILINE | MAIL_POP3_COMMAND_RAW,
                                  MAIL_POP3_STAGE_OTHER, g_task_get_cancellable (task),
                                  capa_cb, task);
}

static void
starttls_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_starttls_finish (self->connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* RFC 2595 §4: forget the plaintext capabilities and ask again over TLS. */
  g_clear_pointer (&self->capabilities, mail_pop3_capabilities_free);
  send_capa (g_steal_pointer (&task));
}

static void
stls_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_pop3_client_command_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL))
        {
          g_task_return_new_error (task, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE,
                                   _("The server answered the request to start encryption "
                                     "with garbage"));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_connection_starttls_async (self->connection, cancellable,
                                  starttls_done_cb, g_steal_pointer (&task));
}

static void
capa_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(MailPop3Multiline) lines = NULL;
  g_autoptr(GError) error = NULL;
  const char *no_lines[] = { NULL };

  response = mail_pop3_client_command_finish (self, result, &lines, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A server without CAPA (-ERR) has no extensions that we could rely on. */
  g_clear_pointer (&self->capabilities, mail_pop3_capabilities_free);
  self->capabilities = mail_pop3_capabilities_parse (lines != NULL
                                                     ? mail_pop3_multiline_get_lines (lines)
                                                     : no_lines);

  if (mail_connection_get_security (self->connection) == MAIL_SECURITY_STARTTLS &&
      !mail_connection_get_is_encrypted (self->connection))
    {
      gboolean offered = mail_pop3_capabilities_has (self->capabilities,
                                                     MAIL_POP3_EXTENSION_STLS);

      g_clear_pointer (&self->capabilities, mail_pop3_capabilities_free);
      if (!offered)
        {
          g_task_return_new_error (task, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE,
                                   _("The server does not offer encryption (STLS), which "
                                     "this account requires; the connection was not used"));
          return;
        }

      mail_pop3_client_command_async (self, "STLS", MAIL_LOG_NORMAL, MAIL_POP3_COMMAND_SINGLE,
                                      MAIL_POP3_STAGE_STLS, cancellable,
                                      stls_cb, g_steal_pointer (&task));
      return;
    }

  self->connected = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_pop3_client_command_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The APOP timestamp is the only thing kept from a plaintext greeting: it is a nonce,
   * and a forged one only makes the APOP login fail. */
  g_clear_pointer (&self->apop_timestamp, g_free);
  self->apop_timestamp = mail_pop3_greeting_get_timestamp (mail_pop3_response_get_text (response));

  send_capa (g_steal_pointer (&task));
}

static void
connection_connect_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_connect_finish (self->connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_pop3_client_command_async (self, NULL, MAIL_LOG_NORMAL, MAIL_POP3_COMMAND_SINGLE,
                                  MAIL_POP3_STAGE_GREETING, cancellable,
                                  greeting_cb, g_steal_pointer (&task));
}

/* ------------------------------------------------------------------------------------ */
/* Simple commands */

typedef enum
{
  SIMPLE_STAT,
  SIMPLE_LIST,
  SIMPLE_UIDL,
  SIMPLE_DELE,
  SIMPLE_RSET,
  SIMPLE_NOOP,
} SimpleKind;

typedef struct
{
  SimpleKind  kind;
  guint       count;
  guint64     size;
  GArray     *listing;
} SimpleData;

static void
simple_data_free (gpointer data)
{
  SimpleData *sd = data;

  g_clear_pointer (&sd->listing, g_array_unref);
  g_free (sd);
}

static void
simple_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailPop3Client *self = g_task_get_source_object (task);
  SimpleData *sd = g_object_get_data (G_OBJECT (task), "simple-data");
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(MailPop3Multiline) lines = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_pop3_client_command_finish (self, result, &lines, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (sd->kind)
    {
    case SIMPLE_STAT:
      if (!mail_pop3_parse_stat (mail_pop3_response_get_text (response), &sd->count, &sd->size,
                                 &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      break;

    case SIMPLE_LIST:
    case SIMPLE_UIDL:
      sd->listing = mail_pop3_parse_listing (mail_pop3_multiline_get_lines (lines),
                                             sd->kind == SIMPLE_UIDL, &error);
      if (sd->listing == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      break;

    case SIMPLE_DELE:
    case SIMPLE_RSET:
    case SIMPLE_NOOP:
    default:
      break;
    }

  g_task_return_boolean (task, TRUE);
}

static void
run_simple (MailPop3Client      *self,
            SimpleKind           kind,
            const char          *line,
            gboolean             multiline,
            MailPop3Stage        stage,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SimpleData *sd;

  task = begin_operation (self, TRUE, source_tag, cancellable, callback, user_data);
  if (task == NULL)
    return;

  sd = g_new0 (SimpleData, 1);
  sd->kind = kind;
  g_object_set_data_full (G_OBJECT (task), "simple-data", sd, simple_data_free);

  mail_pop3_client_command_async (self, line, MAIL_LOG_NORMAL,
                                  multiline ? MAIL_POP3_COMMAND_MULTILINE
                                            : MAIL_POP3_COMMAND_SINGLE,
                                  stage, cancellable, simple_cb, g_steal_pointer (&task));
}

static gboolean
finish_simple (MailPop3Client  *self,
               GAsyncResult    *result,
               gpointer         source_tag,
               SimpleData     **sd,
               GError         **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  /* Not busy any more, even while the task lingers in its callback. */
  self->busy = FALSE;

  if (sd != NULL)
    *sd = g_object_get_data (G_OBJECT (result), "simple-data");

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* RETR and TOP: stream the message into a sink */

typedef struct
{
  GOutputStream *sink;
  GByteArray    *buffer;
  guint64        total;
  gboolean       done;
} FetchData;

static void
fetch_data_free (gpointer data)
{
  FetchData *fd = data;

  g_clear_object (&fd->sink);
  g_clear_pointer (&fd->buffer, g_byte_array_unref);
  g_free (fd);
}

/* A failure in the middle of a message leaves the rest of it unread: the session cannot
 * continue, so drop the connection. */
static void
fail_fetch (GTask  *task,
            GError *error)
{
  MailPop3Client *self = g_task_get_source_object (task);

  self->connected = FALSE;
  mail_connection_close_async (self->connection, NULL, NULL, NULL);
  g_task_return_error (task, error);
}

static void fetch_line_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
fetch_flushed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  FetchData *fd = g_object_get_data (G_OBJECT (task), "fetch-data");
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (fd->sink, result, NULL, &error))
    {
      fail_fetch (task, error);
      return;
    }

  g_byte_array_set_size (fd->buffer, 0);

  if (fd->done)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  mail_connection_read_line_async (self->connection, cancellable,
                                   fetch_line_cb, g_steal_pointer (&task));
}

static void
fetch_line_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  FetchData *fd = g_object_get_data (G_OBJECT (task), "fetch-data");
  g_autofree char *line = NULL;
  GError *error = NULL;
  gsize offset = 0;
  gsize len = 0;

  line = mail_connection_read_line_finish (self->connection, result, &len, &error);
  if (line == NULL)
    {
      fail_fetch (task, error);
      return;
    }

  if (mail_pop3_unstuff_line (line, len, &offset))
    fd->done = TRUE;
  else
    {
      fd->total += len - offset + 2;
      if (fd->total > self->max_message_size)
        {
          g_autofree char *limit = g_format_size (self->max_message_size);

          fail_fetch (task, g_error_new (MAIL_POP3_ERROR, MAIL_POP3_ERROR_MESSAGE_TOO_LARGE,
                                         _("The message is larger than %s, the most this "
                                           "account downloads"), limit));
          return;
        }

      g_byte_array_append (fd->buffer, (const guint8 *) line + offset, (guint) (len - offset));
      g_byte_array_append (fd->buffer, (const guint8 *) "\r\n", 2);
    }

  if (fd->done || fd->buffer->len >= SINK_BUFFER_SIZE)
    {
      if (fd->buffer->len == 0)
        {
          g_task_return_boolean (task, TRUE);
          return;
        }

      g_output_stream_write_all_async (fd->sink, fd->buffer->data, fd->buffer->len,
                                       G_PRIORITY_DEFAULT, cancellable,
                                       fetch_flushed_cb, g_steal_pointer (&task));
      return;
    }

  mail_connection_read_line_async (self->connection, cancellable,
                                   fetch_line_cb, g_steal_pointer (&task));
}

static void
fetch_status_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(MailPop3Response) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_pop3_client_command_finish (self, result, NULL, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_connection_read_line_async (self->connection, cancellable,
                                   fetch_line_cb, g_steal_pointer (&task));
}

static void
run_fetch (MailPop3Client      *self,
           const char          *line,
           GOutputStream       *sink,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchData *fd;

  task = begin_operation (self, TRUE, source_tag, cancellable, callback, user_data);
  if (task == NULL)
    return;

  fd = g_new0 (FetchData, 1);
  fd->sink = g_object_ref (sink);
  fd->buffer = g_byte_array_sized_new (SINK_BUFFER_SIZE + 1024);
  g_object_set_data_full (G_OBJECT (task), "fetch-data", fd, fetch_data_free);

  /* The status line goes through the strict parser; the message lines after it are data. */
  mail_pop3_client_command_async (self, line, MAIL_LOG_NORMAL, MAIL_POP3_COMMAND_SINGLE,
                                  MAIL_POP3_STAGE_MESSAGE, cancellable, fetch_status_cb,
                                  g_steal_pointer (&task));
}

static gboolean
finish_fetch (MailPop3Client  *self,
              GAsyncResult    *result,
              gpointer         source_tag,
              guint64         *size,
              GError         **error)
{
  FetchData *fd;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  /* Not busy any more, even while the task lingers in its callback. */
  self->busy = FALSE;
  fd = g_object_get_data (G_OBJECT (result), "fetch-data");
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (size != NULL)
    *size = fd->total;

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* QUIT */

static void
quit_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailPop3Client *self = g_task_get_source_object (task);
  GError *error = g_object_get_data (G_OBJECT (task), "quit-error");

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
  MailPop3Client *self = g_task_get_source_object (task);
  g_autoptr(MailPop3Response) response = NULL;
  GError *error = NULL;

  /* -ERR to QUIT means the server could not remove the deleted messages (RFC 1939 §6). */
  response = mail_pop3_client_command_finish (self, result, NULL, &error);
  if (error != NULL)
    g_object_set_data_full (G_OBJECT (task), "quit-error", error, (GDestroyNotify) g_error_free);

  mail_connection_close_async (self->connection, NULL, quit_closed_cb, g_steal_pointer (&task));
}

/* ------------------------------------------------------------------------------------ */
/* GObject */

static void
mail_pop3_client_finalize (GObject *object)
{
  MailPop3Client *self = (MailPop3Client *)object;

  g_clear_object (&self->connection);
  g_clear_pointer (&self->capabilities, mail_pop3_capabilities_free);
  g_clear_pointer (&self->apop_timestamp, g_free);
  g_clear_pointer (&self->mechanism, g_free);

  G_OBJECT_CLASS (mail_pop3_client_parent_class)->finalize (object);
}

static void
mail_pop3_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MailPop3Client *self = MAIL_POP3_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, mail_pop3_client_get_connection (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_pop3_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MailPop3Client *self = MAIL_POP3_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_pop3_client_class_init (MailPop3ClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_pop3_client_finalize;
  object_class->get_property = mail_pop3_client_get_property;
  object_class->set_property = mail_pop3_client_set_property;

  /**
   * MailPop3Client:connection:
   *
   * The connection the client speaks over; not yet connected when the client is made.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         MAIL_TYPE_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_pop3_client_init (MailPop3Client *self)
{
  self->max_message_size = MAIL_POP3_DEFAULT_MAX_MESSAGE_SIZE;
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

/**
 * mail_pop3_client_new:
 * @connection: a connection that is not yet connected
 *
 * Returns: (transfer full): a new POP3 client
 */
MailPop3Client *
mail_pop3_client_new (MailConnection *connection)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (connection), NULL);

  return g_object_new (MAIL_TYPE_POP3_CLIENT, "connection", connection, NULL);
}

/**
 * mail_pop3_client_get_connection:
 * @self: a #MailPop3Client
 *
 * Returns: (transfer none): the connection
 */
MailConnection *
mail_pop3_client_get_connection (MailPop3Client *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  return self->connection;
}

/**
 * mail_pop3_client_get_capabilities:
 * @self: a #MailPop3Client
 *
 * Returns: (nullable) (transfer none): what the last CAPA said (over TLS after STLS)
 */
const MailPop3Capabilities *
mail_pop3_client_get_capabilities (MailPop3Client *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  return self->capabilities;
}

/**
 * mail_pop3_client_get_apop_timestamp:
 * @self: a #MailPop3Client
 *
 * Returns: (nullable) (transfer none): the APOP timestamp of the greeting, if any
 */
const char *
mail_pop3_client_get_apop_timestamp (MailPop3Client *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  return self->apop_timestamp;
}

/**
 * mail_pop3_client_get_mechanism:
 * @self: a #MailPop3Client
 *
 * Returns: (nullable) (transfer none): how the login succeeded: "USER", "APOP" or a SASL
 *   mechanism name
 */
const char *
mail_pop3_client_get_mechanism (MailPop3Client *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  return self->mechanism;
}

/**
 * mail_pop3_client_get_max_message_size:
 * @self: a #MailPop3Client
 *
 * Returns: the largest message RETR and TOP accept, in bytes
 */
guint64
mail_pop3_client_get_max_message_size (MailPop3Client *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), 0);

  return self->max_message_size;
}

/**
 * mail_pop3_client_set_max_message_size:
 * @self: a #MailPop3Client
 * @max_size: the largest message to download, in bytes
 */
void
mail_pop3_client_set_max_message_size (MailPop3Client *self,
                                       guint64         max_size)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (max_size > 0);

  self->max_message_size = max_size;
}

/**
 * mail_pop3_client_connect_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the session is ready for login
 * @user_data: data for @callback
 *
 * Connects, reads the greeting, asks CAPA and, for %MAIL_SECURITY_STARTTLS, upgrades with
 * STLS and asks CAPA again. Fails with %MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE when the
 * upgrade is impossible; nothing else is sent then.
 */
void
mail_pop3_client_connect_async (MailPop3Client      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_operation (self, FALSE, mail_pop3_client_connect_async, cancellable, callback,
                          user_data);
  if (task == NULL)
    return;

  mail_connection_connect_async (self->connection, cancellable, connection_connect_cb,
                                 g_steal_pointer (&task));
}

/**
 * mail_pop3_client_connect_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for a %MAIL_POP3_ERROR or %MAIL_NET_ERROR error
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_pop3_client_connect_finish (MailPop3Client  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* Not busy any more, even while the task lingers in its callback. */
  self->busy = FALSE;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_pop3_client_stat_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks how many messages there are and their total size.
 */
void
mail_pop3_client_stat_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  run_simple (self, SIMPLE_STAT, "STAT", FALSE, MAIL_POP3_STAGE_OTHER,
              mail_pop3_client_stat_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_stat_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @count: (out) (optional): the number of messages
 * @size: (out) (optional): their total size in octets
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_stat_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              guint           *count,
                              guint64         *size,
                              GError         **error)
{
  SimpleData *sd = NULL;

  if (!finish_simple (self, result, mail_pop3_client_stat_async, &sd, error))
    return FALSE;

  if (count != NULL)
    *count = sd->count;
  if (size != NULL)
    *size = sd->size;

  return TRUE;
}

/**
 * mail_pop3_client_list_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the listing
 * @user_data: data for @callback
 *
 * Lists the message numbers and sizes.
 */
void
mail_pop3_client_list_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  run_simple (self, SIMPLE_LIST, "LIST", TRUE, MAIL_POP3_STAGE_OTHER,
              mail_pop3_client_list_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_list_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type MailPop3ListEntry) (nullable): the listing
 */
GArray *
mail_pop3_client_list_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  SimpleData *sd = NULL;

  if (!finish_simple (self, result, mail_pop3_client_list_async, &sd, error))
    return NULL;

  return g_steal_pointer (&sd->listing);
}

/**
 * mail_pop3_client_uidl_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the listing
 * @user_data: data for @callback
 *
 * Lists the message numbers and unique ids. Empty, over-long or non-printable ids and
 * duplicates fail with %MAIL_POP3_ERROR_PROTOCOL.
 */
void
mail_pop3_client_uidl_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  run_simple (self, SIMPLE_UIDL, "UIDL", TRUE, MAIL_POP3_STAGE_OTHER,
              mail_pop3_client_uidl_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_uidl_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type MailPop3ListEntry) (nullable): the listing
 */
GArray *
mail_pop3_client_uidl_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  SimpleData *sd = NULL;

  if (!finish_simple (self, result, mail_pop3_client_uidl_async, &sd, error))
    return NULL;

  return g_steal_pointer (&sd->listing);
}

/**
 * mail_pop3_client_retr_async:
 * @self: a #MailPop3Client
 * @msgno: the message number
 * @sink: where the message goes, with CRLF line ends and dots unstuffed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the whole message was written to @sink
 * @user_data: data for @callback
 *
 * Downloads one message. A message over #MailPop3Client:max-message-size fails with
 * %MAIL_POP3_ERROR_MESSAGE_TOO_LARGE and ends the session.
 */
void
mail_pop3_client_retr_async (MailPop3Client      *self,
                             guint                msgno,
                             GOutputStream       *sink,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *line = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (msgno > 0);
  g_return_if_fail (G_IS_OUTPUT_STREAM (sink));

  line = g_strdup_printf ("RETR %u", msgno);
  run_fetch (self, line, sink, mail_pop3_client_retr_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_retr_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @size: (out) (optional): how many bytes were written to the sink
 * @error: return location for an error
 *
 * Returns: %TRUE when the whole message was written
 */
gboolean
mail_pop3_client_retr_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              guint64         *size,
                              GError         **error)
{
  return finish_fetch (self, result, mail_pop3_client_retr_async, size, error);
}

/**
 * mail_pop3_client_top_async:
 * @self: a #MailPop3Client
 * @msgno: the message number
 * @lines: how many body lines to include after the header
 * @sink: where the data goes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Downloads the header and the first @lines lines of the body, like
 * mail_pop3_client_retr_async().
 */
void
mail_pop3_client_top_async (MailPop3Client      *self,
                            guint                msgno,
                            guint                lines,
                            GOutputStream       *sink,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *line = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (msgno > 0);
  g_return_if_fail (G_IS_OUTPUT_STREAM (sink));

  line = g_strdup_printf ("TOP %u %u", msgno, lines);
  run_fetch (self, line, sink, mail_pop3_client_top_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_top_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @size: (out) (optional): how many bytes were written to the sink
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_top_finish (MailPop3Client  *self,
                             GAsyncResult    *result,
                             guint64         *size,
                             GError         **error)
{
  return finish_fetch (self, result, mail_pop3_client_top_async, size, error);
}

/**
 * mail_pop3_client_dele_async:
 * @self: a #MailPop3Client
 * @msgno: the message number
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Marks a message as deleted; the server removes it at QUIT.
 */
void
mail_pop3_client_dele_async (MailPop3Client      *self,
                             guint                msgno,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *line = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (msgno > 0);

  line = g_strdup_printf ("DELE %u", msgno);
  run_simple (self, SIMPLE_DELE, line, FALSE, MAIL_POP3_STAGE_MESSAGE,
              mail_pop3_client_dele_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_dele_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_dele_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_simple (self, result, mail_pop3_client_dele_async, NULL, error);
}

/**
 * mail_pop3_client_rset_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Unmarks every message marked as deleted.
 */
void
mail_pop3_client_rset_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  run_simple (self, SIMPLE_RSET, "RSET", FALSE, MAIL_POP3_STAGE_OTHER,
              mail_pop3_client_rset_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_rset_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_rset_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_simple (self, result, mail_pop3_client_rset_async, NULL, error);
}

/**
 * mail_pop3_client_noop_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Sends NOOP, to keep the session alive.
 */
void
mail_pop3_client_noop_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  run_simple (self, SIMPLE_NOOP, "NOOP", FALSE, MAIL_POP3_STAGE_OTHER,
              mail_pop3_client_noop_async, cancellable, callback, user_data);
}

/**
 * mail_pop3_client_noop_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_noop_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_simple (self, result, mail_pop3_client_noop_async, NULL, error);
}

/**
 * mail_pop3_client_quit_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Sends QUIT (the server then removes messages marked with DELE) and closes the
 * connection, whatever the answer.
 */
void
mail_pop3_client_quit_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = begin_operation (self, TRUE, mail_pop3_client_quit_async, cancellable, callback,
                          user_data);
  if (task == NULL)
    return;

  mail_pop3_client_command_async (self, "QUIT", MAIL_LOG_NORMAL, MAIL_POP3_COMMAND_SINGLE,
                                  MAIL_POP3_STAGE_OTHER, cancellable, quit_cb,
                                  g_steal_pointer (&task));
}

/**
 * mail_pop3_client_quit_finish:
 * @self: a #MailPop3Client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the server confirmed; the connection is closed either way
 */
gboolean
mail_pop3_client_quit_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* Not busy any more, even while the task lingers in its callback. */
  self->busy = FALSE;

  return g_task_propagate_boolean (G_TASK (result), error);
}
