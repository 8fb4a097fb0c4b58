/* mail-net-error.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MailCertificateInfo MailCertificateInfo;

/**
 * MAIL_NET_ERROR:
 *
 * Error domain of the network layer (`MailConnection`, TLS policy, pin store).
 * Cancellation is never reported in this domain: it is `G_IO_ERROR_CANCELLED`.
 */
#define MAIL_NET_ERROR (mail_net_error_quark ())

/**
 * MailNetError:
 * @MAIL_NET_ERROR_CONNECT: the server could not be reached (refused, unreachable, DNS)
 * @MAIL_NET_ERROR_TIMEOUT: connecting or waiting for the server's reply took too long
 * @MAIL_NET_ERROR_TLS: the TLS handshake failed for a reason other than the certificate
 * @MAIL_NET_ERROR_CERTIFICATE: the server's certificate was not trusted; the error carries
 *   a #MailCertificateInfo, see mail_net_error_get_certificate_info()
 * @MAIL_NET_ERROR_STARTTLS_INJECTION: the server sent data after its STARTTLS go-ahead and
 *   before the handshake (a response injection attack); the connection is unusable
 * @MAIL_NET_ERROR_LINE_TOO_LONG: a line exceeded the connection's maximum line length
 * @MAIL_NET_ERROR_CLOSED: the server closed the connection (possibly in the middle of a reply),
 *   or the connection is no longer usable after an earlier error
 * @MAIL_NET_ERROR_PLAINTEXT_REFUSED: an unencrypted connection, or sending a secret over one,
 *   was refused because the person did not consent to plaintext
 * @MAIL_NET_ERROR_PROTOCOL: the server sent bytes that are never valid (e.g. a NUL in a line)
 * @MAIL_NET_ERROR_PIN_STORE: the certificate exception store could not be read or written
 *
 * Errors of the network layer. Messages are plain words, fit to be shown to people.
 */
typedef enum
{
  MAIL_NET_ERROR_CONNECT,
  MAIL_NET_ERROR_TIMEOUT,
  MAIL_NET_ERROR_TLS,
  MAIL_NET_ERROR_CERTIFICATE,
  MAIL_NET_ERROR_STARTTLS_INJECTION,
  MAIL_NET_ERROR_LINE_TOO_LONG,
  MAIL_NET_ERROR_CLOSED,
  MAIL_NET_ERROR_PLAINTEXT_REFUSED,
  MAIL_NET_ERROR_PROTOCOL,
  MAIL_NET_ERROR_PIN_STORE,
} MailNetError;

GQuark               mail_net_error_quark                (void);
MailCertificateInfo *mail_net_error_get_certificate_info (const GError        *error);
void                 mail_net_error_set_certificate_info (GError              *error,
                                                          MailCertificateInfo *info);

G_END_DECLS
