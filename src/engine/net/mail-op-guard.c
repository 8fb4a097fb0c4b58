/* mail-op-guard.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-net"

#include "config.h"

#include "mail-op-guard.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mail-net-error.h"

/* Operation guard: one internal GCancellable per operation, cancelled by the caller's
 * cancellable or by a timer. The timer is an inactivity timeout: it is re-armed whenever
 * data arrives, so a large message body does not time out while it is flowing, but a
 * server that goes silent does. A timed-out operation reports MAIL_NET_ERROR_TIMEOUT,
 * a cancelled one G_IO_ERROR_CANCELLED. */

static gboolean
timeout_cb (gpointer user_data)
{
  MailOpGuard *guard = user_data;

  guard->timed_out = TRUE;
  g_cancellable_cancel (guard->cancellable);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *user_cancellable,
                            gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

void
mail_op_guard_arm (MailOpGuard *guard)
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
  g_source_set_callback (guard->timeout_source, timeout_cb, guard, NULL);
  g_source_attach (guard->timeout_source, guard->context);
}

void
mail_op_guard_init (MailOpGuard      *guard,
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
                                                   G_CALLBACK (user_cancelled_cb),
                                                   g_object_ref (guard->cancellable),
                                                   g_object_unref);
    }

  mail_op_guard_arm (guard);
}

void
mail_op_guard_clear (MailOpGuard *guard)
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

/* Turns a GIO error into ours, in plain words that name the server. Cancellation by the
 * caller stays G_IO_ERROR_CANCELLED; cancellation by our timer becomes TIMEOUT. */
GError *
mail_op_guard_translate (MailOpGuard      *guard,
                    GError       *error,
                    MailOpContext  context,
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
      if (context == MAIL_OP_CONNECT)
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
        case MAIL_OP_CONNECT:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CONNECT,
                             _("Could not connect to %s: %s"), host, error->message);
          break;
        case MAIL_OP_TLS:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_TLS,
                             _("Could not establish a secure connection to %s: %s"),
                             host, error->message);
          break;
        case MAIL_OP_READ:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                             _("The connection to %s was lost: %s"), host, error->message);
          break;
        case MAIL_OP_WRITE:
        default:
          ret = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_CLOSED,
                             _("Could not send data to %s: %s"), host, error->message);
          break;
        }
    }

  g_error_free (error);
  return ret;
}
