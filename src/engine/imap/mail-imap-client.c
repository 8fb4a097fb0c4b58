/* mail-imap-client.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-imap-state.h"

/*
 * The command engine. Commands wait in `queue` until the writer may send them: one at a
 * time is written; a command marked exclusive (STARTTLS, login, SELECT, IDLE, LOGOUT) is
 * sent only when nothing else is outstanding, and nothing follows it until its tagged
 * response. A synchronizing literal blocks the writer until the server's "+".
 *
 * The reader runs whenever something is outstanding (the greeting, a command, a literal):
 * lines and literal chunks go to the parser, complete responses are validated against the
 * connection state (mail-imap-state) and dispatched. Untagged data first updates the
 * session (EXISTS count), then is offered to the outstanding commands, and what nobody
 * takes becomes a signal. Body literals of FETCH responses are written to the command's
 * sink, one chunk at a time, before the next read: a body is never held in memory whole.
 *
 * Nothing here recurses on server input: every exchange goes back through the main loop.
 */

/* Bytes read at once from a literal. */
#define LITERAL_CHUNK  (64 * 1024)
/* Untagged BAD responses tolerated in one session (a BAD storm ends it). */
#define MAX_UNTAGGED_BAD 32

struct _MailImapRun
{
  MailImapClient           *self;        /* borrowed; the run lives shorter than the client */
  MailImapCommand          *command;
  MailImapRunFlags          flags;
  MailImapUntaggedFunc      untagged;
  MailImapContinuationFunc  continuation;
  gpointer                  data;
  GTask                    *task;        /* NULL once the caller got its answer */
  GCancellable             *cancellable;
  GSource                  *cancel_source;
  char                     *tag;
  guint                     part;        /* the next piece to write */
  guint64                   literal_sent; /* bytes of a streamed literal written so far */
  gboolean                  abandoned;   /* cancelled after it was sent: drop its answer */
};

G_DEFINE_FINAL_TYPE (MailImapClient, mail_imap_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_IDLE_INTERVAL,
  PROP_COMMAND_TIMEOUT,
  N_PROPS
};

enum {
  SIGNAL_EXISTS,
  SIGNAL_EXPUNGE,
  SIGNAL_VANISHED,
  SIGNAL_FETCH,
  SIGNAL_ALERT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void write_part (MailImapRun *run);
static void continue_reading (MailImapClient *self);

/* ------------------------------------------------------------------------------------ */
/* Runs */

static MailImapRun *
run_ref (MailImapRun *run)
{
  return g_rc_box_acquire (run);
}

static void
run_clear (gpointer data)
{
  MailImapRun *run = data;

  if (run->cancel_source != NULL)
    {
      g_source_destroy (run->cancel_source);
      g_clear_pointer (&run->cancel_source, g_source_unref);
    }
  g_clear_object (&run->cancellable);
  g_clear_object (&run->task);
  g_clear_pointer (&run->command, mail_imap_command_free);
  g_clear_pointer (&run->tag, g_free);
}

static void
run_unref (MailImapRun *run)
{
  g_rc_box_release_full (run, run_clear);
}

static GTask *
run_take_task (MailImapRun *run)
{
  if (run->cancel_source != NULL)
    {
      g_source_destroy (run->cancel_source);
      g_clear_pointer (&run->cancel_source, g_source_unref);
    }

  return g_steal_pointer (&run->task);
}

static MailImapLiteralMode
literal_mode (MailImapClient *self)
{
  if (mail_imap_client_has_capability (self, "LITERAL+"))
    return MAIL_IMAP_LITERAL_PLUS;
  if (mail_imap_client_has_capability (self, "LITERAL-"))
    return MAIL_IMAP_LITERAL_MINUS;
  return MAIL_IMAP_LITERAL_SYNC;
}

/* ------------------------------------------------------------------------------------ */
/* Watchdog: no server response for command_timeout while a command is outstanding */

static gboolean
watchdog_cb (gpointer user_data)
{
  MailImapClient *self = user_data;
  gint64 deadline = self->last_activity + (gint64) self->command_timeout * 1000;

  if (self->in_flight.length == 0 || self->idling || self->command_timeout == 0)
    {
      g_clear_pointer (&self->watchdog, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  if (g_get_monotonic_time () < deadline)
    {
      g_source_set_ready_time (self->watchdog, deadline);
      return G_SOURCE_CONTINUE;
    }

  g_clear_pointer (&self->watchdog, g_source_unref);
  mail_imap_client_fail (self,
                         g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_TIMEOUT,
                                      _("The server %s did not respond in time"),
                                      mail_connection_get_host (self->connection)));
  return G_SOURCE_REMOVE;
}

static void
touch (MailImapClient *self)
{
  self->last_activity = g_get_monotonic_time ();

  if (self->command_timeout == 0 || self->idling || self->in_flight.length == 0 ||
      self->error != NULL)
    return;

  if (self->watchdog == NULL)
    {
      self->watchdog = g_timeout_source_new (self->command_timeout);
      g_source_set_callback (self->watchdog, watchdog_cb, self, NULL);
      g_source_set_static_name (self->watchdog, "[mail-imap] command timeout");
      g_source_attach (self->watchdog, g_main_context_get_thread_default ());
    }
}

static void
stop_watchdog (MailImapClient *self)
{
  if (self->watchdog != NULL)
    {
      g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Failing the session */

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  MailImapClient *self = user_data;

  /* The reference taken when closing kept the client alive until now. */
  mail_connection_close_finish (MAIL_CONNECTION (object), result, NULL);
  g_object_unref (self);
}

/**
 * mail_imap_client_fail: (skip)
 * @self: a #MailImapClient
 * @error: (transfer full): why the session is over
 *
 * Ends the session: every outstanding operation fails with a copy of @error, the
 * connection is closed and #MailImapClient::closed is emitted. Later calls are ignored.
 */
void
mail_imap_client_fail (MailImapClient *self,
                       GError         *error)
{
  g_autoptr(MailImapClient) hold = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  MailImapRun *run;

  if (self->error != NULL)
    {
      g_error_free (error);
      return;
    }

  hold = g_object_ref (self);
  tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->error = error;
  g_debug ("IMAP session with %s failed: %s",
           mail_connection_get_host (self->connection), error->message);

  if (self->greeting_task != NULL)
    g_ptr_array_add (tasks, g_steal_pointer (&self->greeting_task));

  while ((run = g_queue_pop_head (&self->queue)) != NULL)
    {
      GTask *task = run_take_task (run);

      if (task != NULL)
        g_ptr_array_add (tasks, task);
      run_unref (run);
    }

  while ((run = g_queue_pop_head (&self->in_flight)) != NULL)
    {
      GTask *task = run_take_task (run);

      if (task != NULL)
        g_ptr_array_add (tasks, task);
      run_unref (run);
    }

  g_hash_table_remove_all (self->tags);
  self->writing = NULL;
  self->cont_owner = NULL;
  self->n_exclusive = 0;
  self->state = MAIL_IMAP_STATE_LOGOUT;
  stop_watchdog (self);
  mail_imap_client_idle_clear (self, error);

  for (guint i = 0; i < tasks->len; i++)
    g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));

  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);

  mail_connection_close_async (self->connection, NULL, close_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------ */
/* Writing */

static MailLogFlags
line_log_flags (MailImapRun *run)
{
  return (run->flags & MAIL_IMAP_RUN_SENSITIVE) != 0 ? MAIL_LOG_SENSITIVE : MAIL_LOG_NORMAL;
}

static MailLogFlags
literal_log_flags (MailImapRun *run)
{
  if ((run->flags & MAIL_IMAP_RUN_SENSITIVE) != 0)
    return MAIL_LOG_SENSITIVE;
  return (run->flags & MAIL_IMAP_RUN_BODY) != 0 ? MAIL_LOG_BODY : MAIL_LOG_NORMAL;
}

static void write_literal (MailImapRun *run);

static void
literal_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MailImapRun *run = user_data;
  MailImapClient *self = run->self;
  g_autoptr(GError) error = NULL;

  if (!mail_connection_write_bytes_finish (MAIL_CONNECTION (object), result, &error))
    {
      mail_imap_client_fail (self, g_steal_pointer (&error));
      run_unref (run);
      return;
    }

  if (self->error == NULL)
    {
      const MailImapCommandPart *part = mail_imap_command_get_part (run->command, run->part);

      if (part->stream != NULL && run->literal_sent < part->size)
        {
          write_literal (run);
          run_unref (run);
          return;
        }

      run->literal_sent = 0;
      run->part++;
      write_part (run);
    }

  run_unref (run);
}

static void
literal_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MailImapRun *run = user_data;
  MailImapClient *self = run->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (self->error != NULL)
    {
      run_unref (run);
      return;
    }

  /* The server waits for exactly the announced bytes: a short stream cannot be repaired. */
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (error == NULL)
        error = g_error_new_literal (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID,
                                     _("The message to upload ended before its announced size"));
      mail_imap_client_fail (self, g_steal_pointer (&error));
      run_unref (run);
      return;
    }

  run->literal_sent += g_bytes_get_size (bytes);
  mail_connection_write_bytes_async (self->connection, bytes, literal_log_flags (run), NULL,
                                     literal_written_cb, run);
}

static void
write_literal (MailImapRun *run)
{
  MailImapClient *self = run->self;
  const MailImapCommandPart *part = mail_imap_command_get_part (run->command, run->part);

  self->writing = run;

  if (part->literal == NULL && part->size == 0)
    {
      run->part++;
      write_part (run);
      return;
    }

  if (part->literal != NULL)
    {
      mail_connection_write_bytes_async (self->connection, part->literal,
                                         literal_log_flags (run), NULL,
                                         literal_written_cb, run_ref (run));
      return;
    }

  g_input_stream_read_bytes_async (part->stream,
                                   (gsize) MIN ((guint64) LITERAL_CHUNK,
                                                part->size - run->literal_sent),
                                   G_PRIORITY_DEFAULT, NULL, literal_read_cb, run_ref (run));
}

static void
line_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MailImapRun *run = user_data;
  MailImapClient *self = run->self;
  g_autoptr(GError) error = NULL;
  guint n_parts;

  if (!mail_connection_write_line_finish (MAIL_CONNECTION (object), result, &error))
    {
      mail_imap_client_fail (self, g_steal_pointer (&error));
      run_unref (run);
      return;
    }

  if (self->error != NULL || self->writing != run)
    {
      run_unref (run);
      return;
    }

  n_parts = mail_imap_command_get_n_parts (run->command);
  if (run->part + 1 < n_parts)
    {
      if (mail_imap_command_literal_is_sync (run->command, run->part, literal_mode (self)) &&
          g_hash_table_contains (self->tags, run->tag))
        {
          self->writing = NULL;
          self->cont_owner = run;
          self->cont_literal = TRUE;
          touch (self);
          mail_imap_client_ensure_reading (self);
        }
      else if (g_hash_table_contains (self->tags, run->tag))
        {
          write_literal (run);
        }
      else
        {
          /* Answered (refused) before its literal could be sent. */
          self->writing = NULL;
          mail_imap_client_pump (self);
        }
      run_unref (run);
      return;
    }

  self->writing = NULL;
  if ((run->flags & MAIL_IMAP_RUN_CONTINUATION) != 0 &&
      g_hash_table_contains (self->tags, run->tag))
    {
      self->cont_owner = run;
      self->cont_literal = FALSE;
    }

  touch (self);
  mail_imap_client_ensure_reading (self);
  mail_imap_client_pump (self);
  run_unref (run);
}

static void
write_part (MailImapRun *run)
{
  MailImapClient *self = run->self;
  g_autofree char *line = NULL;

  self->writing = run;
  line = mail_imap_command_format_part (run->command, run->part, run->tag,
                                        literal_mode (self));
  mail_connection_write_line_async (self->connection, line, line_log_flags (run), NULL,
                                    line_written_cb, run_ref (run));
  if ((run->flags & MAIL_IMAP_RUN_SENSITIVE) != 0)
    memset (line, 0, strlen (line));
}

/**
 * mail_imap_client_pump: (skip)
 * @self: a #MailImapClient
 *
 * Sends the next queued command if the stream allows it.
 */
void
mail_imap_client_pump (MailImapClient *self)
{
  MailImapRun *run;

  if (self->error != NULL || self->writing != NULL || self->upgrading ||
      self->awaiting_greeting)
    return;

  if (self->cont_owner != NULL)
    {
      /* IDLE holds the stream: ask it to end so the queue can move. */
      if (self->queue.length > 0 && self->idling)
        mail_imap_client_idle_poke (self);
      return;
    }

  run = g_queue_peek_head (&self->queue);
  if (run == NULL)
    {
      if (self->in_flight.length == 0)
        mail_imap_client_idle_poke (self);
      return;
    }

  if (self->n_exclusive > 0)
    return;
  if ((run->flags & MAIL_IMAP_RUN_EXCLUSIVE) != 0 && self->in_flight.length > 0)
    return;

  g_queue_pop_head (&self->queue);
  run->tag = g_strdup_printf ("A%u", ++self->next_tag);
  g_queue_push_tail (&self->in_flight, run);
  g_hash_table_insert (self->tags, run->tag, run);
  if ((run->flags & MAIL_IMAP_RUN_EXCLUSIVE) != 0)
    self->n_exclusive++;
  if ((run->flags & MAIL_IMAP_RUN_LOGOUT) != 0)
    self->logging_out = TRUE;

  write_part (run);
}

/**
 * mail_imap_client_send_line: (skip)
 * @self: a #MailImapClient
 * @line: a continuation line (a SASL response, `DONE`)
 * @flags: how to log it
 *
 * Answers a continuation request of the command that owns the stream.
 */
void
mail_imap_client_send_line (MailImapClient *self,
                            const char     *line,
                            MailLogFlags    flags)
{
  MailImapRun *run = self->cont_owner;

  g_return_if_fail (run != NULL);

  self->writing = run;
  mail_connection_write_line_async (self->connection, line, flags, NULL,
                                    line_written_cb, run_ref (run));
}

/* ------------------------------------------------------------------------------------ */
/* Cancellation */

static gboolean
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  MailImapRun *run = user_data;
  MailImapClient *self = run->self;
  g_autoptr(GTask) task = run_take_task (run);
  GList *link;

  if (task == NULL)
    return G_SOURCE_REMOVE;

  link = g_queue_find (&self->queue, run);
  if (link != NULL)
    {
      g_queue_delete_link (&self->queue, link);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Operation was cancelled"));
      run_unref (run);
      return G_SOURCE_REMOVE;
    }

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Operation was cancelled"));

  /* Writes are never cancelled, so a line being written goes out whole. The command is only
   * half-sent when more of it is still to come (a literal, a continuation exchange): then the
   * server would take what follows as the rest of this command. A single line still being
   * written is abandoned like a sent one: its answer is read and dropped. */
  if (self->cont_owner == run ||
      (self->writing == run &&
       (run->part + 1 < mail_imap_command_get_n_parts (run->command) ||
        (run->flags & MAIL_IMAP_RUN_CONTINUATION) != 0)))
    {
      mail_imap_client_fail (self,
                             g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("A command was cancelled while it was "
                                                    "being sent; the connection was closed")));
      return G_SOURCE_REMOVE;
    }

  run->abandoned = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * mail_imap_client_run_async: (skip)
 * @self: a #MailImapClient
 * @command: (transfer full): the command
 * @flags: how to send it
 * @untagged: (nullable): offered untagged responses while it is outstanding
 * @continuation: (nullable): takes continuation requests (with %MAIL_IMAP_RUN_CONTINUATION)
 * @data: data for @untagged and @continuation; must live until the command completes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tagged response
 * @user_data: data for @callback
 *
 * Queues a command.
 */
void
mail_imap_client_run_async (MailImapClient           *self,
                            MailImapCommand          *command,
                            MailImapRunFlags          flags,
                            MailImapUntaggedFunc      untagged,
                            MailImapContinuationFunc  continuation,
                            gpointer                  data,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  MailImapRun *run;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_run_async);
  g_task_set_check_cancellable (task, FALSE);

  if (self->error != NULL)
    {
      mail_imap_command_free (command);
      g_task_return_error (task, g_error_copy (self->error));
      return;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      mail_imap_command_free (command);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Operation was cancelled"));
      return;
    }

  run = g_rc_box_new0 (MailImapRun);
  run->self = self;
  run->command = command;
  run->flags = flags;
  run->untagged = untagged;
  run->continuation = continuation;
  run->data = data;
  run->task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      run->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (run->cancel_source, G_SOURCE_FUNC (run_cancelled_cb), run, NULL);
      g_source_attach (run->cancel_source, g_main_context_get_thread_default ());
    }

  g_queue_push_tail (&self->queue, run);
  mail_imap_client_pump (self);
}

/**
 * mail_imap_client_run_finish: (skip)
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a network, protocol or cancellation error
 *
 * Returns: (transfer full): the tagged response, OK, NO or BAD
 */
MailImapResponse *
mail_imap_client_run_finish (MailImapClient  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mail_imap_client_check_ok: (skip)
 * @self: a #MailImapClient
 * @response: a tagged response
 * @command: the command's name, for messages
 * @error: return location for the refusal
 *
 * Returns: %TRUE if @response is OK
 */
gboolean
mail_imap_client_check_ok (MailImapClient    *self,
                           MailImapResponse  *response,
                           const char        *command,
                           GError           **error)
{
  if (mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_OK)
    return TRUE;

  g_propagate_error (error,
                     mail_imap_client_error_from_response (
                       response, command, mail_imap_client_may_show_server_text (self)));
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Dispatching responses */

static void
complete_run (MailImapClient   *self,
              MailImapRun      *run,
              MailImapResponse *response)
{
  g_autoptr(GTask) task = NULL;

  g_hash_table_remove (self->tags, run->tag);
  g_queue_remove (&self->in_flight, run);
  if ((run->flags & MAIL_IMAP_RUN_EXCLUSIVE) != 0)
    self->n_exclusive--;
  if (self->cont_owner == run)
    self->cont_owner = NULL;

  if ((run->flags & MAIL_IMAP_RUN_STARTTLS) != 0 &&
      mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_OK)
    self->upgrading = TRUE;

  task = run_take_task (run);
  if (self->in_flight.length == 0)
    stop_watchdog (self);

  if (task != NULL && !run->abandoned)
    g_task_return_pointer (task, mail_imap_response_ref (response),
                           (GDestroyNotify) mail_imap_response_unref);
  run_unref (run);
}

static gboolean
offer_untagged (MailImapClient   *self,
                MailImapResponse *response)
{
  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      MailImapRun *run = l->data;

      if (run->abandoned || run->untagged == NULL)
        continue;
      if (run->untagged (self, response, run->data))
        return TRUE;
    }

  return FALSE;
}

static void
handle_untagged (MailImapClient   *self,
                 MailImapResponse *response)
{
  MailImapStatus status = mail_imap_response_get_status (response);
  const char *code = mail_imap_response_get_code (response);
  g_autoptr(GError) error = NULL;

  if (status == MAIL_IMAP_STATUS_BYE)
    {
      if (self->logging_out)
        return;
      mail_imap_client_fail (self,
                             mail_imap_client_error_from_response (
                               response, "BYE", mail_imap_client_may_show_server_text (self)));
      return;
    }

  if (status == MAIL_IMAP_STATUS_BAD && ++self->untagged_bad > MAX_UNTAGGED_BAD)
    {
      mail_imap_client_fail (self,
                             g_error_new_literal (MAIL_IMAP_CLIENT_ERROR,
                                                  MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES,
                                                  _("The server keeps reporting errors")));
      return;
    }

  /* Alerts are shown to people: never text that came over an unencrypted link. */
  if (code != NULL && g_ascii_strcasecmp (code, "ALERT") == 0 &&
      mail_imap_client_may_show_server_text (self))
    g_signal_emit (self, signals[SIGNAL_ALERT], 0, mail_imap_response_get_text (response));

  if (mail_imap_response_is_name (response, "EXISTS"))
    self->exists = mail_imap_response_get_number (response);
  else if (mail_imap_response_is_name (response, "EXPUNGE") && self->exists > 0)
    self->exists--;

  if (offer_untagged (self, response))
    return;

  if (mail_imap_response_is_name (response, "EXISTS"))
    {
      g_signal_emit (self, signals[SIGNAL_EXISTS], 0, self->exists);
    }
  else if (mail_imap_response_is_name (response, "EXPUNGE"))
    {
      g_signal_emit (self, signals[SIGNAL_EXPUNGE], 0, mail_imap_response_get_number (response));
    }
  else if (mail_imap_response_is_name (response, "VANISHED"))
    {
      g_autoptr(MailImapSequenceSet) set = NULL;
      gboolean earlier = FALSE;

      set = mail_imap_decode_vanished (response, &earlier, &error);
      if (set == NULL)
        {
          mail_imap_client_fail (self, g_steal_pointer (&error));
          return;
        }
      if (!earlier)
        {
          guint64 n = mail_imap_sequence_set_count (set);

          self->exists = n >= self->exists ? 0 : self->exists - (guint32) n;
        }
      g_signal_emit (self, signals[SIGNAL_VANISHED], 0, set, earlier);
    }
  else if (mail_imap_response_is_name (response, "FETCH"))
    {
      g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (response, &error);

      if (fetch == NULL)
        {
          mail_imap_client_fail (self, g_steal_pointer (&error));
          return;
        }
      g_signal_emit (self, signals[SIGNAL_FETCH], 0, fetch);
    }
}

static void
handle_continuation (MailImapClient   *self,
                     MailImapResponse *response)
{
  MailImapRun *run = self->cont_owner;

  touch (self);

  if (self->cont_literal)
    {
      self->cont_owner = NULL;
      self->cont_literal = FALSE;
      write_literal (run);
      return;
    }

  if (run->continuation != NULL && !run->abandoned)
    run->continuation (self, response, run->data);
}

static void
handle_greeting (MailImapClient   *self,
                 MailImapResponse *response)
{
  g_autoptr(GError) error = NULL;
  GTask *task;

  self->awaiting_greeting = FALSE;

  if (!mail_imap_validate_greeting (response, &error))
    {
      mail_imap_client_fail (self,
                             g_error_new (MAIL_IMAP_CLIENT_ERROR,
                                          MAIL_IMAP_CLIENT_ERROR_GREETING,
                                          _("The server %s did not greet as an IMAP server "
                                            "does (%s)"),
                                          mail_connection_get_host (self->connection),
                                          error->message));
      return;
    }

  /* Over implicit TLS a greeting alert is the server's; before STARTTLS it is nobody's. */
  if (mail_imap_response_get_code (response) != NULL &&
      g_ascii_strcasecmp (mail_imap_response_get_code (response), "ALERT") == 0 &&
      mail_imap_client_may_show_server_text (self))
    g_signal_emit (self, signals[SIGNAL_ALERT], 0, mail_imap_response_get_text (response));

  task = g_steal_pointer (&self->greeting_task);
  if (task != NULL)
    {
      g_task_return_pointer (task, mail_imap_response_ref (response),
                             (GDestroyNotify) mail_imap_response_unref);
      g_object_unref (task);
    }
}

static void
dispatch (MailImapClient   *self,
          MailImapResponse *response)
{
  g_autoptr(GError) error = NULL;

  touch (self);

  if (self->awaiting_greeting)
    {
      handle_greeting (self, response);
      return;
    }

  if (!mail_imap_validate_response (self->state, self->exists, self->tags,
                                    self->cont_owner != NULL, response, &error))
    {
      mail_imap_client_fail (self, g_steal_pointer (&error));
      return;
    }

  switch (mail_imap_response_get_kind (response))
    {
    case MAIL_IMAP_RESPONSE_CONTINUATION:
      handle_continuation (self, response);
      break;

    case MAIL_IMAP_RESPONSE_UNTAGGED:
      handle_untagged (self, response);
      break;

    case MAIL_IMAP_RESPONSE_TAGGED:
    default:
      {
        MailImapRun *run = g_hash_table_lookup (self->tags,
                                                mail_imap_response_get_tag (response));
        const char *code = mail_imap_response_get_code (response);

        if (code != NULL && g_ascii_strcasecmp (code, "ALERT") == 0 &&
            mail_imap_client_may_show_server_text (self))
          g_signal_emit (self, signals[SIGNAL_ALERT], 0, mail_imap_response_get_text (response));

        complete_run (self, run, response);
        mail_imap_client_pump (self);
      }
      break;
    }
}

static void
dispatch_ready (MailImapClient *self)
{
  while (self->error == NULL)
    {
      g_autoptr(MailImapResponse) response = mail_imap_parser_pop (self->parser);

      if (response == NULL)
        break;
      dispatch (self, response);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Reading */

static gboolean
literal_func (MailImapParser            *parser,
              const MailImapLiteralInfo *info,
              const guint8              *data,
              gsize                      len,
              gpointer                   user_data,
              GError                   **error)
{
  MailImapClient *self = user_data;
  GOutputStream *sink = NULL;
  const guint8 *base;
  gsize base_len;

  if (len == 0 || self->chunk == NULL)
    return TRUE;

  for (GList *l = self->in_flight.head; l != NULL && sink == NULL; l = l->next)
    {
      MailImapRun *run = l->data;

      if (!run->abandoned)
        sink = mail_imap_command_get_sink (run->command);
    }

  if (sink == NULL)
    return TRUE;

  base = g_bytes_get_data (self->chunk, &base_len);
  g_assert (data >= base && data + len <= base + base_len);

  g_set_object (&self->sink, sink);
  g_queue_push_tail (&self->sink_writes,
                     g_bytes_new_from_bytes (self->chunk, (gsize) (data - base), len));
  return TRUE;
}

static gboolean
need_reading (MailImapClient *self)
{
  return self->error == NULL && !self->upgrading &&
         (self->awaiting_greeting || self->in_flight.length > 0 ||
          mail_imap_parser_get_literal_remaining (self->parser) > 0);
}

static void
read_failed (MailImapClient *self,
             GError         *error)
{
  if (self->error == NULL && self->logging_out &&
      g_error_matches (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED))
    {
      g_error_free (error);
      error = g_error_new_literal (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_BYE,
                                   _("The server ended the session"));
    }
  else if (g_error_matches (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED) &&
           mail_imap_parser_get_literal_remaining (self->parser) > 0)
    {
      g_error_free (error);
      error = g_error_new_literal (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_TRUNCATED,
                                   _("The IMAP connection ended in the middle of a response"));
    }

  mail_imap_client_fail (self, error);
}

static void
sink_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MailImapClient) self = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_queue_pop_head (&self->sink_writes);

  g_bytes_unref (bytes);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      /* The server goes on sending the body: the session cannot continue sensibly with
       * part of a message missing from the caller's sink. */
      mail_imap_client_fail (self, g_steal_pointer (&error));
      self->reading = FALSE;
      return;
    }

  continue_reading (g_steal_pointer (&self));
}

static void
flush_sink_or_continue (MailImapClient *self)
{
  GBytes *bytes = g_queue_peek_head (&self->sink_writes);

  if (bytes != NULL && self->error == NULL)
    {
      g_output_stream_write_all_async (self->sink, g_bytes_get_data (bytes, NULL),
                                       g_bytes_get_size (bytes), G_PRIORITY_DEFAULT, NULL,
                                       sink_written_cb, self);
      return;
    }

  g_queue_clear_full (&self->sink_writes, (GDestroyNotify) g_bytes_unref);
  continue_reading (self);
}

static void
bytes_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  MailImapClient *self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  bytes = mail_connection_read_bytes_finish (MAIL_CONNECTION (object), result, &error);
  if (self->error != NULL)
    {
      self->reading = FALSE;
      g_object_unref (self);
      return;
    }

  if (bytes == NULL)
    {
      self->reading = FALSE;
      read_failed (self, g_steal_pointer (&error));
      g_object_unref (self);
      return;
    }

  self->chunk = bytes;
  ok = mail_imap_parser_feed (self->parser, g_bytes_get_data (bytes, NULL),
                              g_bytes_get_size (bytes), &error);
  self->chunk = NULL;
  if (!ok)
    {
      self->reading = FALSE;
      mail_imap_client_fail (self, g_steal_pointer (&error));
      g_object_unref (self);
      return;
    }

  flush_sink_or_continue (self);
}

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MailImapClient *self = user_data;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  line = mail_connection_read_line_finish (MAIL_CONNECTION (object), result, &len, &error);
  if (self->error != NULL)
    {
      self->reading = FALSE;
      g_object_unref (self);
      return;
    }

  if (line == NULL)
    {
      self->reading = FALSE;
      read_failed (self, g_steal_pointer (&error));
      g_object_unref (self);
      return;
    }

  if (!mail_imap_parser_feed_line (self->parser, line, len, &error))
    {
      self->reading = FALSE;
      mail_imap_client_fail (self, g_steal_pointer (&error));
      g_object_unref (self);
      return;
    }

  continue_reading (self);
}

/* Dispatches what is complete, then reads on if anything is outstanding. Takes over the
 * reader's reference on self. */
static void
continue_reading (MailImapClient *self)
{
  guint64 remaining;

  dispatch_ready (self);

  if (!need_reading (self))
    {
      self->reading = FALSE;
      g_object_unref (self);
      return;
    }

  remaining = mail_imap_parser_get_literal_remaining (self->parser);
  if (remaining > 0)
    mail_connection_read_bytes_async (self->connection, (gsize) MIN (remaining, LITERAL_CHUNK),
                                      NULL, NULL, bytes_read_cb, self);
  else
    mail_connection_read_line_async (self->connection, NULL, line_read_cb, self);
}

/**
 * mail_imap_client_ensure_reading: (skip)
 * @self: a #MailImapClient
 *
 * Starts the reader if something is outstanding and it is not running.
 */
void
mail_imap_client_ensure_reading (MailImapClient *self)
{
  if (self->reading || !need_reading (self))
    return;

  self->reading = TRUE;
  mail_connection_read_line_async (self->connection, NULL, line_read_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------ */
/* Internal accessors */

/**
 * mail_imap_client_check_ready: (skip)
 * @self: a #MailImapClient
 * @min_state: the state the operation needs (AUTHENTICATED or SELECTED)
 * @error: return location for an error
 *
 * Returns: %TRUE if the session can take the operation
 */
gboolean
mail_imap_client_check_ready (MailImapClient  *self,
                              MailImapState    min_state,
                              GError         **error)
{
  if (self->error != NULL)
    {
      g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STATE,
                           _("The connection to the mail server was closed"));
      return FALSE;
    }

  if (self->capabilities == NULL || self->state == MAIL_IMAP_STATE_LOGOUT)
    {
      g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STATE,
                           _("Not connected to the mail server"));
      return FALSE;
    }

  if (min_state >= MAIL_IMAP_STATE_AUTHENTICATED &&
      self->state == MAIL_IMAP_STATE_NOT_AUTHENTICATED)
    {
      g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STATE,
                           _("Not logged in to the mail server"));
      return FALSE;
    }

  if (min_state == MAIL_IMAP_STATE_SELECTED && self->state != MAIL_IMAP_STATE_SELECTED)
    {
      g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STATE,
                           _("No folder is open"));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_imap_client_may_show_server_text: (skip)
 * @self: a #MailImapClient
 *
 * Server text may reach people only when it arrived encrypted, or over a link that is
 * plaintext by the account's choice: text received before STARTTLS never does.
 *
 * Returns: whether server text may be shown
 */
gboolean
mail_imap_client_may_show_server_text (MailImapClient *self)
{
  if (mail_connection_get_is_encrypted (self->connection))
    return TRUE;

  return mail_connection_get_security (self->connection) == MAIL_SECURITY_NONE;
}

/**
 * mail_imap_client_get_utf8_accept: (skip)
 * @self: a #MailImapClient
 *
 * Returns: whether UTF8=ACCEPT is enabled
 */
gboolean
mail_imap_client_get_utf8_accept (MailImapClient *self)
{
  return self->enabled != NULL &&
         g_strv_contains ((const char * const *) self->enabled, "UTF8=ACCEPT");
}

/**
 * mail_imap_client_set_state: (skip)
 * @self: a #MailImapClient
 * @state: the new state
 *
 * Records a state change.
 */
void
mail_imap_client_set_state (MailImapClient *self,
                            MailImapState   state)
{
  self->state = state;
  if (state != MAIL_IMAP_STATE_SELECTED)
    {
      g_clear_pointer (&self->selected, g_free);
      self->exists = 0;
    }
}

/**
 * mail_imap_client_set_capabilities: (skip)
 * @self: a #MailImapClient
 * @capabilities: (transfer full) (nullable): the capabilities, or %NULL to forget them
 *
 * Replaces the capabilities.
 */
void
mail_imap_client_set_capabilities (MailImapClient *self,
                                   GStrv           capabilities)
{
  g_clear_pointer (&self->capabilities, g_strfreev);
  self->capabilities = capabilities;
}

/**
 * mail_imap_client_set_enabled: (skip)
 * @self: a #MailImapClient
 * @enabled: (nullable): extensions the server confirmed with ENABLED
 *
 * Adds to the enabled extensions.
 */
void
mail_imap_client_set_enabled (MailImapClient     *self,
                              const char * const *enabled)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (self->enabled != NULL)
    g_strv_builder_addv (builder, (const char **) self->enabled);
  for (guint i = 0; enabled != NULL && enabled[i] != NULL; i++)
    {
      if (self->enabled == NULL ||
          !g_strv_contains ((const char * const *) self->enabled, enabled[i]))
        g_strv_builder_add (builder, enabled[i]);
    }

  g_strfreev (self->enabled);
  self->enabled = g_strv_builder_end (builder);
  mail_imap_parser_set_utf8_accept (self->parser, mail_imap_client_get_utf8_accept (self));
}

/**
 * mail_imap_client_set_mechanism: (skip)
 * @self: a #MailImapClient
 * @mechanism: (nullable): how the session logged in
 *
 * Records the login method.
 */
void
mail_imap_client_set_mechanism (MailImapClient *self,
                                const char     *mechanism)
{
  g_free (self->mechanism);
  self->mechanism = g_strdup (mechanism);
}

/**
 * mail_imap_client_set_selected: (skip)
 * @self: a #MailImapClient
 * @mailbox: (nullable): the mailbox being selected
 *
 * Enters the selected state (when SELECT/EXAMINE is sent).
 */
void
mail_imap_client_set_selected (MailImapClient *self,
                               const char     *mailbox)
{
  g_free (self->selected);
  self->selected = g_strdup (mailbox);
  self->exists = 0;
  self->state = mailbox != NULL ? MAIL_IMAP_STATE_SELECTED : MAIL_IMAP_STATE_AUTHENTICATED;
}

/* ------------------------------------------------------------------------------------ */
/* GObject */

static void
mail_imap_client_dispose (GObject *object)
{
  MailImapClient *self = (MailImapClient *) object;

  stop_watchdog (self);
  if (self->idle_timer != NULL)
    {
      g_source_destroy (self->idle_timer);
      g_clear_pointer (&self->idle_timer, g_source_unref);
    }

  G_OBJECT_CLASS (mail_imap_client_parent_class)->dispose (object);
}

static void
mail_imap_client_finalize (GObject *object)
{
  MailImapClient *self = (MailImapClient *) object;

  g_queue_clear_full (&self->queue, (GDestroyNotify) run_unref);
  g_queue_clear_full (&self->in_flight, (GDestroyNotify) run_unref);
  g_queue_clear_full (&self->sink_writes, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&self->tags, g_hash_table_unref);
  g_clear_object (&self->sink);
  g_clear_object (&self->greeting_task);
  g_clear_object (&self->idle_start_task);
  g_clear_object (&self->idle_stop_task);
  g_clear_object (&self->parser);
  g_clear_object (&self->connection);
  g_clear_error (&self->error);
  g_clear_pointer (&self->capabilities, g_strfreev);
  g_clear_pointer (&self->enabled, g_strfreev);
  g_clear_pointer (&self->mechanism, g_free);
  g_clear_pointer (&self->selected, g_free);

  G_OBJECT_CLASS (mail_imap_client_parent_class)->finalize (object);
}

static void
mail_imap_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MailImapClient *self = MAIL_IMAP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, mail_imap_client_get_connection (self));
      break;

    case PROP_IDLE_INTERVAL:
      g_value_set_uint (value, mail_imap_client_get_idle_interval (self));
      break;

    case PROP_COMMAND_TIMEOUT:
      g_value_set_uint (value, mail_imap_client_get_command_timeout (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_imap_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MailImapClient *self = MAIL_IMAP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_IDLE_INTERVAL:
      mail_imap_client_set_idle_interval (self, g_value_get_uint (value));
      break;

    case PROP_COMMAND_TIMEOUT:
      mail_imap_client_set_command_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_imap_client_class_init (MailImapClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_imap_client_dispose;
  object_class->finalize = mail_imap_client_finalize;
  object_class->get_property = mail_imap_client_get_property;
  object_class->set_property = mail_imap_client_set_property;

  /**
   * MailImapClient:connection:
   *
   * The connection the session runs over.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, MAIL_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MailImapClient:idle-interval:
   *
   * Seconds after which a running IDLE is ended and issued again (RFC 2177: under 29
   * minutes). Tests use a short interval.
   */
  properties[PROP_IDLE_INTERVAL] =
    g_param_spec_uint ("idle-interval", NULL, NULL, 1, 29 * 60,
                       MAIL_IMAP_CLIENT_DEFAULT_IDLE_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MailImapClient:command-timeout:
   *
   * Milliseconds a command may wait without any response from the server before the
   * session is ended with %MAIL_NET_ERROR_TIMEOUT (0: no limit). Progress (any response)
   * restarts the clock, so a long FETCH is fine as long as data flows.
   */
  properties[PROP_COMMAND_TIMEOUT] =
    g_param_spec_uint ("command-timeout", NULL, NULL, 0, G_MAXUINT,
                       MAIL_IMAP_CLIENT_DEFAULT_COMMAND_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MailImapClient::exists:
   * @self: the client
   * @exists: the new message count of the selected mailbox
   *
   * The server reported a new message count (new mail) outside of SELECT.
   */
  signals[SIGNAL_EXISTS] =
    g_signal_new ("exists", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * MailImapClient::expunge:
   * @self: the client
   * @seqno: the sequence number of the message that is gone
   *
   * A message was expunged from the selected mailbox.
   */
  signals[SIGNAL_EXPUNGE] =
    g_signal_new ("expunge", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * MailImapClient::vanished:
   * @self: the client
   * @uids: (type MailImapSequenceSet): the UIDs that are gone
   * @earlier: %TRUE for `VANISHED (EARLIER)`
   *
   * Messages were expunged (QRESYNC), outside of a SELECT or FETCH that collects them.
   */
  signals[SIGNAL_VANISHED] =
    g_signal_new ("vanished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_BOOLEAN);

  /**
   * MailImapClient::fetch:
   * @self: the client
   * @fetch: (type gpointer): a #MailImapFetch, valid during the emission
   *
   * Unsolicited FETCH data: flags (and MODSEQ) of a message changed by someone else.
   */
  signals[SIGNAL_FETCH] =
    g_signal_new ("fetch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * MailImapClient::alert:
   * @self: the client
   * @text: the server's text
   *
   * An `[ALERT]` the person must see. Only alerts received over an encrypted connection
   * (or a plaintext one the account chose) are emitted. The text is the server's: show it
   * as plain text, never as markup.
   */
  signals[SIGNAL_ALERT] =
    g_signal_new ("alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * MailImapClient::closed:
   * @self: the client
   * @error: why the session ended
   *
   * The session failed (network or protocol error, BYE, timeout); the connection is being
   * closed. A clean mail_imap_client_logout_async() does not emit it.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
mail_imap_client_init (MailImapClient *self)
{
  g_queue_init (&self->queue);
  g_queue_init (&self->in_flight);
  g_queue_init (&self->sink_writes);
  self->tags = g_hash_table_new (g_str_hash, g_str_equal);
  self->parser = mail_imap_parser_new ();
  mail_imap_parser_set_literal_func (self->parser, literal_func, self, NULL);
  self->state = MAIL_IMAP_STATE_NOT_AUTHENTICATED;
  self->idle_interval = MAIL_IMAP_CLIENT_DEFAULT_IDLE_INTERVAL;
  self->command_timeout = MAIL_IMAP_CLIENT_DEFAULT_COMMAND_TIMEOUT;
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

/**
 * mail_imap_client_new:
 * @connection: a #MailConnection, not yet connected
 *
 * Creates an IMAP session over @connection.
 *
 * Returns: (transfer full): a new #MailImapClient
 */
MailImapClient *
mail_imap_client_new (MailConnection *connection)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (connection), NULL);

  return g_object_new (MAIL_TYPE_IMAP_CLIENT, "connection", connection, NULL);
}

/**
 * mail_imap_client_get_connection:
 * @self: a #MailImapClient
 *
 * Returns: (transfer none): the connection
 */
MailConnection *
mail_imap_client_get_connection (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  return self->connection;
}

/**
 * mail_imap_client_get_state:
 * @self: a #MailImapClient
 *
 * Returns: the session's state
 */
MailImapState
mail_imap_client_get_state (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), MAIL_IMAP_STATE_LOGOUT);
  return self->state;
}

/**
 * mail_imap_client_get_capabilities:
 * @self: a #MailImapClient
 *
 * The capabilities the server announced over the current (after STARTTLS: encrypted)
 * connection, upper-cased.
 *
 * Returns: (transfer none) (nullable): the capabilities, %NULL before connecting
 */
const char * const *
mail_imap_client_get_capabilities (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  return (const char * const *) self->capabilities;
}

/**
 * mail_imap_client_has_capability:
 * @self: a #MailImapClient
 * @capability: a capability, e.g. `UIDPLUS` or `AUTH=PLAIN` (any case)
 *
 * Returns: whether the server announced @capability
 */
gboolean
mail_imap_client_has_capability (MailImapClient *self,
                                 const char     *capability)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (capability != NULL, FALSE);

  return self->capabilities != NULL &&
         mail_imap_capabilities_has ((const char * const *) self->capabilities, capability);
}

/**
 * mail_imap_client_get_enabled:
 * @self: a #MailImapClient
 *
 * Returns: (transfer none) (nullable): the extensions enabled with ENABLE
 */
const char * const *
mail_imap_client_get_enabled (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  return (const char * const *) self->enabled;
}

/**
 * mail_imap_client_get_mechanism:
 * @self: a #MailImapClient
 *
 * Returns: (nullable): the SASL mechanism used to log in, `IMAP-LOGIN` (the LOGIN command),
 *   or `PREAUTH`
 */
const char *
mail_imap_client_get_mechanism (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  return self->mechanism;
}

/**
 * mail_imap_client_get_selected:
 * @self: a #MailImapClient
 *
 * Returns: (nullable): the selected mailbox
 */
const char *
mail_imap_client_get_selected (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  return self->selected;
}

/**
 * mail_imap_client_get_exists:
 * @self: a #MailImapClient
 *
 * Returns: the message count of the selected mailbox, as last reported
 */
guint32
mail_imap_client_get_exists (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), 0);
  return self->exists;
}

/**
 * mail_imap_client_get_idle_interval:
 * @self: a #MailImapClient
 *
 * Returns: the IDLE refresh interval in seconds
 */
guint
mail_imap_client_get_idle_interval (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), 0);
  return self->idle_interval;
}

/**
 * mail_imap_client_set_idle_interval:
 * @self: a #MailImapClient
 * @seconds: 1 to 1740
 *
 * Sets #MailImapClient:idle-interval; takes effect at the next IDLE.
 */
void
mail_imap_client_set_idle_interval (MailImapClient *self,
                                    guint           seconds)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (seconds >= 1 && seconds <= 29 * 60);

  if (self->idle_interval == seconds)
    return;

  self->idle_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_INTERVAL]);
}

/**
 * mail_imap_client_get_command_timeout:
 * @self: a #MailImapClient
 *
 * Returns: the command inactivity timeout in milliseconds (0: none)
 */
guint
mail_imap_client_get_command_timeout (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), 0);
  return self->command_timeout;
}

/**
 * mail_imap_client_set_command_timeout:
 * @self: a #MailImapClient
 * @timeout_ms: milliseconds, 0 for none
 *
 * Sets #MailImapClient:command-timeout.
 */
void
mail_imap_client_set_command_timeout (MailImapClient *self,
                                      guint           timeout_ms)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  if (self->command_timeout == timeout_ms)
    return;

  self->command_timeout = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND_TIMEOUT]);
}
