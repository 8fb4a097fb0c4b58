/* mail-smtp-error.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-smtp-reply.h"

G_BEGIN_DECLS

#define MAIL_SMTP_ERROR (mail_smtp_error_quark ())

/**
 * MailSmtpError:
 * @MAIL_SMTP_ERROR_PROTOCOL: the server broke the protocol (malformed or unexpected reply)
 * @MAIL_SMTP_ERROR_GREETING: the server refused the session in its greeting (554)
 * @MAIL_SMTP_ERROR_SERVICE_CLOSING: the server is shutting the session down (421)
 * @MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE: STARTTLS is required but not offered or refused (454)
 * @MAIL_SMTP_ERROR_INSECURE: refused by security policy (no encryption without consent,
 *   or a non-ESMTP server when encryption or login is required)
 * @MAIL_SMTP_ERROR_AUTH_REQUIRED: the server wants a login before sending (530)
 * @MAIL_SMTP_ERROR_AUTH_FAILED: wrong user name or password (535)
 * @MAIL_SMTP_ERROR_AUTH_WEAK: the server wants a stronger login method or an app password (534)
 * @MAIL_SMTP_ERROR_AUTH_UNSUPPORTED: no login method both sides support
 * @MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE: the message is over the server's size limit (552, SIZE)
 * @MAIL_SMTP_ERROR_SENDER_REJECTED: the server refused the sender address
 * @MAIL_SMTP_ERROR_RECIPIENT_REJECTED: the server refused a recipient address (550 5.1.1)
 * @MAIL_SMTP_ERROR_MESSAGE_REJECTED: the server refused the message itself (554 after DATA)
 * @MAIL_SMTP_ERROR_UNSUPPORTED: the message needs an extension the server lacks (SMTPUTF8)
 * @MAIL_SMTP_ERROR_TEMPORARY: any other temporary (4xx) failure; retrying later may work
 * @MAIL_SMTP_ERROR_PERMANENT: any other permanent (5xx) failure
 *
 * Error codes in the %MAIL_SMTP_ERROR domain. Messages are meant for people.
 */
typedef enum
{
  MAIL_SMTP_ERROR_PROTOCOL,
  MAIL_SMTP_ERROR_GREETING,
  MAIL_SMTP_ERROR_SERVICE_CLOSING,
  MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE,
  MAIL_SMTP_ERROR_INSECURE,
  MAIL_SMTP_ERROR_AUTH_REQUIRED,
  MAIL_SMTP_ERROR_AUTH_FAILED,
  MAIL_SMTP_ERROR_AUTH_WEAK,
  MAIL_SMTP_ERROR_AUTH_UNSUPPORTED,
  MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE,
  MAIL_SMTP_ERROR_SENDER_REJECTED,
  MAIL_SMTP_ERROR_RECIPIENT_REJECTED,
  MAIL_SMTP_ERROR_MESSAGE_REJECTED,
  MAIL_SMTP_ERROR_UNSUPPORTED,
  MAIL_SMTP_ERROR_TEMPORARY,
  MAIL_SMTP_ERROR_PERMANENT,
} MailSmtpError;

/**
 * MailSmtpStage:
 * @MAIL_SMTP_STAGE_GREETING: waiting for the server's greeting
 * @MAIL_SMTP_STAGE_EHLO: EHLO or HELO
 * @MAIL_SMTP_STAGE_STARTTLS: the STARTTLS command
 * @MAIL_SMTP_STAGE_AUTH: the AUTH exchange
 * @MAIL_SMTP_STAGE_MAIL_FROM: MAIL FROM
 * @MAIL_SMTP_STAGE_RCPT_TO: RCPT TO
 * @MAIL_SMTP_STAGE_DATA: the DATA command, before the message is sent
 * @MAIL_SMTP_STAGE_MESSAGE: the reply after the message's final dot
 * @MAIL_SMTP_STAGE_OTHER: RSET, NOOP, QUIT
 *
 * Which command a failing reply answered; the same code means different things at each stage.
 */
typedef enum
{
  MAIL_SMTP_STAGE_GREETING,
  MAIL_SMTP_STAGE_EHLO,
  MAIL_SMTP_STAGE_STARTTLS,
  MAIL_SMTP_STAGE_AUTH,
  MAIL_SMTP_STAGE_MAIL_FROM,
  MAIL_SMTP_STAGE_RCPT_TO,
  MAIL_SMTP_STAGE_DATA,
  MAIL_SMTP_STAGE_MESSAGE,
  MAIL_SMTP_STAGE_OTHER,
} MailSmtpStage;

GQuark  mail_smtp_error_quark      (void) G_GNUC_CONST;
GError *mail_smtp_error_from_reply (const MailSmtpReply *reply,
                                    MailSmtpStage        stage,
                                    const char          *subject,
                                    gboolean             show_server_text)
                                   G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
