/* mail-connection-tls.c
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

/* ------------------------------------------------------------------------------------ */
/* TLS handshake, shared by implicit TLS and STARTTLS */

typedef struct
{
  MailOpGuard guard;
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
  mail_op_guard_clear (&hd->guard);
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
          mail_connection_notify (self, PROP_CERTIFICATE_INFO);
          mail_connection_drop (self);
          g_task_return_error (task, cert_error);
          return;
        }

      mail_connection_drop (self);
      g_task_return_error (task,
                           mail_op_guard_translate (&hd->guard, g_steal_pointer (&error),
                                               MAIL_OP_TLS, self->host));
      return;
    }

  peer = g_tls_connection_get_peer_certificate (hd->tls);
  if (peer != NULL)
    {
      g_autoptr(MailCertificateInfo) info = NULL;

      info = mail_certificate_info_new (peer, self->host, self->port,
                                        g_tls_connection_get_peer_certificate_errors (hd->tls));
      g_set_object (&self->certificate_info, info);
      mail_connection_notify (self, PROP_CERTIFICATE_INFO);
    }

  mail_connection_set_stream (self, G_IO_STREAM (hd->tls));
  self->is_encrypted = TRUE;
  self->loopback_plaintext = FALSE;
  mail_connection_notify (self, PROP_IS_ENCRYPTED);
  mail_connection_notify (self, PROP_IS_LOOPBACK_PLAINTEXT);
  if (hd->upgrade)
    {
      self->was_upgraded = TRUE;
      mail_connection_notify (self, PROP_WAS_UPGRADED);
    }
  else
    mail_connection_notify (self, PROP_IS_CONNECTED);

  mail_connection_log (self, "*", "TLS established", strlen ("TLS established"), MAIL_LOG_NORMAL);
  g_task_return_boolean (task, TRUE);
}

/* Takes over @task and runs the TLS handshake on the socket connection, with the
 * certificate policy and the account's host name as identity. Replaces the task data and
 * reports through the task (boolean). The connect timeout bounds the handshake. */
void
mail_connection_start_handshake (MailConnection *self,
                                 GTask          *task,
                                 gboolean        upgrade)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  HandshakeData *hd;
  GIOStream *tls;

  g_assert (self->socket_connection != NULL);

  hd = g_new0 (HandshakeData, 1);
  hd->upgrade = upgrade;
  mail_op_guard_init (&hd->guard, g_task_get_cancellable (task), self->connect_timeout_ms);
  g_task_set_task_data (task, hd, handshake_data_free);

  identity = g_network_address_new (self->host, self->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (self->socket_connection), identity, &error);
  if (tls == NULL)
    {
      mail_connection_drop (self);
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
/* Public API */

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

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_starttls_async);

  if (!mail_connection_check_readable (self, NULL) || self->socket_connection == NULL)
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
      mail_connection_log (self, "*", "STARTTLS response injection detected",
                strlen ("STARTTLS response injection detected"), MAIL_LOG_NORMAL);
      mail_connection_drop (self);
      g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION,
                               _("The server %s sent unexpected data before starting "
                                 "encryption. Someone may be tampering with the connection, "
                                 "so it was closed."), self->host);
      return;
    }

  mail_connection_start_handshake (self, g_steal_pointer (&task), TRUE);
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
