/* mail-pop3-error.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-pop3-response.h"

G_BEGIN_DECLS

#define MAIL_POP3_ERROR (mail_pop3_error_quark ())

/**
 * MailPop3Error:
 * @MAIL_POP3_ERROR_PROTOCOL: the server broke the protocol (malformed or unexpected response)
 * @MAIL_POP3_ERROR_GREETING: the server refused the session in its greeting
 * @MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE: STLS is required but not offered or refused
 * @MAIL_POP3_ERROR_INSECURE: refused by security policy (no login without encryption)
 * @MAIL_POP3_ERROR_AUTH_FAILED: wrong user name or password
 * @MAIL_POP3_ERROR_AUTH_UNSUPPORTED: no login method both sides support
 * @MAIL_POP3_ERROR_IN_USE: the mailbox is locked by another session ([IN-USE])
 * @MAIL_POP3_ERROR_TEMPORARY: a temporary failure ([SYS/TEMP], [LOGIN-DELAY])
 * @MAIL_POP3_ERROR_NO_SUCH_MESSAGE: the message number does not exist (any more)
 * @MAIL_POP3_ERROR_MESSAGE_TOO_LARGE: a message was over the size the caller allows
 * @MAIL_POP3_ERROR_FAILED: any other refusal
 *
 * Error codes in the %MAIL_POP3_ERROR domain. Messages are meant for people.
 */
typedef enum
{
  MAIL_POP3_ERROR_PROTOCOL,
  MAIL_POP3_ERROR_GREETING,
  MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE,
  MAIL_POP3_ERROR_INSECURE,
  MAIL_POP3_ERROR_AUTH_FAILED,
  MAIL_POP3_ERROR_AUTH_UNSUPPORTED,
  MAIL_POP3_ERROR_IN_USE,
  MAIL_POP3_ERROR_TEMPORARY,
  MAIL_POP3_ERROR_NO_SUCH_MESSAGE,
  MAIL_POP3_ERROR_MESSAGE_TOO_LARGE,
  MAIL_POP3_ERROR_FAILED,
} MailPop3Error;

/**
 * MailPop3Stage:
 * @MAIL_POP3_STAGE_GREETING: the server's greeting
 * @MAIL_POP3_STAGE_STLS: the STLS command
 * @MAIL_POP3_STAGE_AUTH: USER/PASS, APOP or AUTH
 * @MAIL_POP3_STAGE_MESSAGE: a command about one message (LIST n, RETR, TOP, DELE)
 * @MAIL_POP3_STAGE_OTHER: anything else
 *
 * Which command a failing response answered.
 */
typedef enum
{
  MAIL_POP3_STAGE_GREETING,
  MAIL_POP3_STAGE_STLS,
  MAIL_POP3_STAGE_AUTH,
  MAIL_POP3_STAGE_MESSAGE,
  MAIL_POP3_STAGE_OTHER,
} MailPop3Stage;

GQuark  mail_pop3_error_quark         (void) G_GNUC_CONST;
GError *mail_pop3_error_from_response (const MailPop3Response *response,
                                       MailPop3Stage           stage,
                                       gboolean                show_server_text)
                                      G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
