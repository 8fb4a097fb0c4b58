/* mail-imap-client-error.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-imap-response.h"

G_BEGIN_DECLS

/**
 * MAIL_IMAP_CLIENT_ERROR:
 *
 * Error domain of the IMAP command engine (#MailImapClient): refusals by the server and
 * refusals by our security policy. Malformed server data is reported in %MAIL_IMAP_ERROR,
 * network failures in %MAIL_NET_ERROR, cancellation as %G_IO_ERROR_CANCELLED.
 */
#define MAIL_IMAP_CLIENT_ERROR (mail_imap_client_error_quark ())

/**
 * MailImapClientError:
 * @MAIL_IMAP_CLIENT_ERROR_GREETING: the server's greeting was a refusal (BYE) or unusable
 * @MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE: STARTTLS is required but was not offered,
 *   or the server did not accept it
 * @MAIL_IMAP_CLIENT_ERROR_INSECURE: refused by security policy (PREAUTH without TLS, a
 *   password over an unencrypted connection)
 * @MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED: wrong user name or password
 * @MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED: no login method both sides may use
 * @MAIL_IMAP_CLIENT_ERROR_REFERRAL: the server pointed elsewhere (`[REFERRAL ...]`); never
 *   followed
 * @MAIL_IMAP_CLIENT_ERROR_NO: the server refused the command (tagged NO)
 * @MAIL_IMAP_CLIENT_ERROR_BAD: the server rejected the command as invalid (tagged BAD)
 * @MAIL_IMAP_CLIENT_ERROR_BYE: the server ended the session
 * @MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED: the server lacks an extension the operation needs
 * @MAIL_IMAP_CLIENT_ERROR_STATE: the operation is not possible in the session's state
 *   (not connected, not logged in, no mailbox selected, the session has failed)
 * @MAIL_IMAP_CLIENT_ERROR_INVALID: an argument cannot be sent (a NUL byte, an empty set)
 * @MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES: the server kept rejecting a command
 *
 * Error codes of %MAIL_IMAP_CLIENT_ERROR. Messages are meant for people; server text
 * appears in them only when it arrived over an encrypted connection.
 */
typedef enum
{
  MAIL_IMAP_CLIENT_ERROR_GREETING,
  MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE,
  MAIL_IMAP_CLIENT_ERROR_INSECURE,
  MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED,
  MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED,
  MAIL_IMAP_CLIENT_ERROR_REFERRAL,
  MAIL_IMAP_CLIENT_ERROR_NO,
  MAIL_IMAP_CLIENT_ERROR_BAD,
  MAIL_IMAP_CLIENT_ERROR_BYE,
  MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
  MAIL_IMAP_CLIENT_ERROR_STATE,
  MAIL_IMAP_CLIENT_ERROR_INVALID,
  MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES,
} MailImapClientError;

GQuark  mail_imap_client_error_quark         (void) G_GNUC_CONST;
GError *mail_imap_client_error_from_response (MailImapResponse *response,
                                              const char       *command,
                                              gboolean          show_server_text)
                                              G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
