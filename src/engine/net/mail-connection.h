/* mail-connection.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-certificate-info.h"
#include "mail-engine-types.h"
#include "mail-net-error.h"
#include "mail-tls-policy.h"

G_BEGIN_DECLS

/**
 * MailLogFlags:
 * @MAIL_LOG_NORMAL: the data may appear in the protocol log
 * @MAIL_LOG_SENSITIVE: the data is a secret (AUTH payload, PASS, LOGIN arguments); the
 *   protocol log shows only `C: <redacted N bytes>`, and writing it over a link that is not
 *   encrypted (and not consented or loopback) fails with %MAIL_NET_ERROR_PLAINTEXT_REFUSED
 * @MAIL_LOG_BODY: the data is message content; the log shows a one-line summary
 *
 * How data written to or read from a #MailConnection appears in the protocol log.
 */
typedef enum
{
  MAIL_LOG_NORMAL    = 0,
  MAIL_LOG_SENSITIVE = 1 << 0,
  MAIL_LOG_BODY      = 1 << 1,
} MailLogFlags;

/**
 * MAIL_CONNECTION_DEFAULT_MAX_LINE:
 *
 * Default cap on one received line (64 KiB, without the line terminator).
 */
#define MAIL_CONNECTION_DEFAULT_MAX_LINE (64 * 1024)

#define MAIL_TYPE_CONNECTION (mail_connection_get_type ())

/**
 * MailConnection:
 *
 * One client connection to a mail server, shared by the IMAP, POP3 and SMTP clients:
 * connect (with a connect timeout), implicit TLS or STARTTLS under the account's
 * certificate policy (#MailTlsPolicy), a bounded line reader, counted reads for literals
 * and bodies, writes, a per-response timeout, and a redacted protocol log
 * (`MAIL_DEBUG=protocol`, domain "mail-protocol"). Every blocking step is async and
 * cancellable; errors are in the %MAIL_NET_ERROR domain (cancellation stays
 * %G_IO_ERROR_CANCELLED).
 *
 * Usage, for a protocol client:
 *
 * |[<!-- language="C" -->
 * conn = mail_connection_new (host, port, security);
 * mail_connection_set_tls_policy (conn, policy);          // CA file and pin store
 * mail_connection_set_allow_plaintext (conn, consent);    // only matters for NONE
 * mail_connection_connect_async (conn, ...);              // implicit TLS handshake included
 * mail_connection_read_line_async (conn, ...);            // greeting
 * // STARTTLS: write "STARTTLS", read the go-ahead line, then
 * mail_connection_starttls_async (conn, ...);             // injection check + handshake
 * // forget everything learnt before TLS (capabilities!) and ask again
 * mail_connection_write_line_async (conn, "a1 LOGIN …", MAIL_LOG_SENSITIVE, ...);
 * ]|
 *
 * One read and one write may be outstanding at a time (they may overlap each other).
 * After an error other than cancellation or a timeout, treat the connection as dead and
 * close it: a reader that failed mid-line leaves the stream position undefined, so further
 * reads fail with %MAIL_NET_ERROR_CLOSED.
 */
G_DECLARE_FINAL_TYPE (MailConnection, mail_connection, MAIL, CONNECTION, GObject)

MailConnection      *mail_connection_new                  (const char          *host,
                                                           guint16              port,
                                                           MailSecurity         security)
    G_GNUC_WARN_UNUSED_RESULT;

const char          *mail_connection_get_host             (MailConnection      *self);
guint16              mail_connection_get_port             (MailConnection      *self);
MailSecurity         mail_connection_get_security         (MailConnection      *self);

gboolean             mail_connection_get_allow_plaintext  (MailConnection      *self);
void                 mail_connection_set_allow_plaintext  (MailConnection      *self,
                                                           gboolean             allow_plaintext);
MailTlsPolicy       *mail_connection_get_tls_policy       (MailConnection      *self);
void                 mail_connection_set_tls_policy       (MailConnection      *self,
                                                           MailTlsPolicy       *policy);
guint                mail_connection_get_connect_timeout  (MailConnection      *self);
void                 mail_connection_set_connect_timeout  (MailConnection      *self,
                                                           guint                timeout_ms);
guint                mail_connection_get_read_timeout     (MailConnection      *self);
void                 mail_connection_set_read_timeout     (MailConnection      *self,
                                                           guint                timeout_ms);
gsize                mail_connection_get_max_line_length  (MailConnection      *self);
void                 mail_connection_set_max_line_length  (MailConnection      *self,
                                                           gsize                max_line_length);
const char          *mail_connection_get_log_label        (MailConnection      *self);
void                 mail_connection_set_log_label        (MailConnection      *self,
                                                           const char          *label);

gboolean             mail_connection_get_is_connected     (MailConnection      *self);
gboolean             mail_connection_get_is_encrypted     (MailConnection      *self);
gboolean             mail_connection_get_was_upgraded     (MailConnection      *self);
gboolean             mail_connection_get_is_loopback_plaintext (MailConnection *self);
gboolean             mail_connection_may_send_secrets     (MailConnection      *self);
MailCertificateInfo *mail_connection_get_certificate_info (MailConnection      *self);

void                 mail_connection_connect_async        (MailConnection      *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean             mail_connection_connect_finish       (MailConnection      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void                 mail_connection_starttls_async       (MailConnection      *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean             mail_connection_starttls_finish      (MailConnection      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

void                 mail_connection_read_line_async      (MailConnection      *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char                *mail_connection_read_line_finish     (MailConnection      *self,
                                                           GAsyncResult        *result,
                                                           gsize               *length,
                                                           GError             **error);
void                 mail_connection_read_bytes_async     (MailConnection      *self,
                                                           gsize                count,
                                                           GOutputStream       *sink,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GBytes              *mail_connection_read_bytes_finish    (MailConnection      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

void                 mail_connection_write_line_async     (MailConnection      *self,
                                                           const char          *line,
                                                           MailLogFlags         flags,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean             mail_connection_write_line_finish    (MailConnection      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void                 mail_connection_write_bytes_async    (MailConnection      *self,
                                                           GBytes              *bytes,
                                                           MailLogFlags         flags,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean             mail_connection_write_bytes_finish   (MailConnection      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

void                 mail_connection_close_async          (MailConnection      *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean             mail_connection_close_finish         (MailConnection      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
