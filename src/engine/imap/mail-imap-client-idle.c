/* mail-imap-client-idle.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mail-imap-client-private.h"

/*
 * IDLE (RFC 2177). While idle is wanted, the engine keeps an IDLE command running whenever
 * nothing else is outstanding: a queued command makes it send DONE, and once the queue has
 * drained IDLE is issued again. The refresh timer ends IDLE every idle-interval seconds
 * (below the 29 minutes after which servers may drop an idle client) and starts it anew.
 * Untagged EXISTS / EXPUNGE / FETCH / VANISHED received meanwhile go out as signals.
 *
 * While the server holds IDLE, silence is normal: the connection's read timeout is
 * switched off and restored when DONE is sent (the command timeout takes over then).
 */

static void issue_idle (MailImapClient *self);

static void
send_done (MailImapClient *self)
{
  if (!self->idling || self->idle_done_sent)
    return;

  self->idling = FALSE;
  self->idle_done_sent = TRUE;
  if (self->idle_timer != NULL)
    {
      g_source_destroy (self->idle_timer);
      g_clear_pointer (&self->idle_timer, g_source_unref);
    }
  mail_connection_set_read_timeout (self->connection, self->saved_read_timeout);
  mail_imap_client_send_line (self, "DONE", MAIL_LOG_NORMAL);
}

static gboolean
idle_timer_cb (gpointer user_data)
{
  MailImapClient *self = user_data;

  g_clear_pointer (&self->idle_timer, g_source_unref);
  g_debug ("Refreshing IDLE with %s", mail_connection_get_host (self->connection));
  send_done (self);
  return G_SOURCE_REMOVE;
}

static void
idle_continuation (MailImapClient   *self,
                   MailImapResponse *response,
                   gpointer          data)
{
  GTask *task;

  if (self->idling || self->idle_done_sent)
    return;

  self->idling = TRUE;
  self->saved_read_timeout = mail_connection_get_read_timeout (self->connection);
  mail_connection_set_read_timeout (self->connection, 0);

  self->idle_timer = g_timeout_source_new_seconds (self->idle_interval);
  g_source_set_callback (self->idle_timer, idle_timer_cb, self, NULL);
  g_source_set_static_name (self->idle_timer, "[mail-imap] IDLE refresh");
  g_source_attach (self->idle_timer, g_main_context_get_thread_default ());

  task = g_steal_pointer (&self->idle_start_task);
  if (task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }

  /* A command may have been queued while IDLE was on its way. */
  if (self->queue.length > 0 || !self->idle_wanted)
    send_done (self);
}

static void
idle_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MailImapClient) self = MAIL_IMAP_CLIENT (object);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;

  self->idle_running = FALSE;
  self->idle_done_sent = FALSE;
  if (self->idling)
    {
      self->idling = FALSE;
      mail_connection_set_read_timeout (self->connection, self->saved_read_timeout);
    }

  response = mail_imap_client_run_finish (self, result, &error);
  if (response != NULL)
    mail_imap_client_check_ok (self, response, "IDLE", &error);

  if (error != NULL)
    {
      self->idle_wanted = FALSE;
      if ((task = g_steal_pointer (&self->idle_start_task)) != NULL)
        {
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
    }

  if (!self->idle_wanted && (task = g_steal_pointer (&self->idle_stop_task)) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }

  mail_imap_client_pump (self);
}

static void
issue_idle (MailImapClient *self)
{
  self->idle_running = TRUE;
  self->idle_done_sent = FALSE;
  mail_imap_client_run_async (self, mail_imap_command_new ("IDLE"),
                              MAIL_IMAP_RUN_EXCLUSIVE | MAIL_IMAP_RUN_CONTINUATION,
                              NULL, idle_continuation, NULL, NULL, idle_cb,
                              g_object_ref (self));
}

/**
 * mail_imap_client_idle_poke: (skip)
 * @self: a #MailImapClient
 *
 * The engine's hook: ends IDLE when commands wait, starts it when all is quiet.
 */
void
mail_imap_client_idle_poke (MailImapClient *self)
{
  if (self->error != NULL)
    return;

  if (self->idling && (self->queue.length > 0 || !self->idle_wanted))
    {
      send_done (self);
      return;
    }

  if (self->idle_wanted && !self->idle_running && self->queue.length == 0 &&
      self->in_flight.length == 0 && self->state == MAIL_IMAP_STATE_SELECTED)
    issue_idle (self);
}

/**
 * mail_imap_client_idle_clear: (skip)
 * @self: a #MailImapClient
 * @error: why the session ended
 *
 * Fails pending IDLE operations when the session ends.
 */
void
mail_imap_client_idle_clear (MailImapClient *self,
                             const GError   *error)
{
  GTask *task;

  self->idle_wanted = FALSE;
  self->idling = FALSE;
  if (self->idle_timer != NULL)
    {
      g_source_destroy (self->idle_timer);
      g_clear_pointer (&self->idle_timer, g_source_unref);
    }

  if ((task = g_steal_pointer (&self->idle_start_task)) != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
  if ((task = g_steal_pointer (&self->idle_stop_task)) != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
}

/**
 * mail_imap_client_idle_start_async:
 * @self: a #MailImapClient with a mailbox selected
 * @cancellable: (nullable): a #GCancellable for the start only
 * @callback: called when the server has accepted IDLE
 * @user_data: data for @callback
 *
 * Starts idling: new mail, expunges and flag changes arrive as #MailImapClient::exists,
 * ::expunge, ::vanished and ::fetch signals until mail_imap_client_idle_stop_async().
 * Other commands may be issued meanwhile: IDLE is suspended for them and resumed.
 */
void
mail_imap_client_idle_start_async (MailImapClient      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_idle_start_async);

  if (!mail_imap_client_check_ready (self, MAIL_IMAP_STATE_SELECTED, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_imap_client_has_capability (self, "IDLE"))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                               _("The server does not support IDLE"));
      return;
    }

  if (self->idle_start_task != NULL || self->idle_stop_task != NULL)
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STATE,
                               _("IDLE is already being started or stopped"));
      return;
    }

  self->idle_wanted = TRUE;
  if (self->idling)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->idle_start_task = g_steal_pointer (&task);
  mail_imap_client_pump (self);
}

/**
 * mail_imap_client_idle_start_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the server is idling
 */
gboolean
mail_imap_client_idle_start_finish (MailImapClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_imap_client_idle_stop_async:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when IDLE has ended
 * @user_data: data for @callback
 *
 * Stops idling (DONE) and waits for the server to confirm.
 */
void
mail_imap_client_idle_stop_async (MailImapClient      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_idle_stop_async);

  self->idle_wanted = FALSE;
  if (!self->idle_running || self->idle_stop_task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->idle_stop_task = g_steal_pointer (&task);
  mail_imap_client_idle_poke (self);
}

/**
 * mail_imap_client_idle_stop_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when IDLE has ended
 */
gboolean
mail_imap_client_idle_stop_finish (MailImapClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_imap_client_get_is_idle:
 * @self: a #MailImapClient
 *
 * Returns: whether the server is idling right now
 */
gboolean
mail_imap_client_get_is_idle (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return self->idling;
}
