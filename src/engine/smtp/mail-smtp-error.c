/* mail-smtp-error.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-smtp"

#include "config.h"

#include "mail-smtp-error.h"

#include <glib/gi18n-lib.h>

/* Server text is attacker-controlled before TLS and may be long; show at most this much. */
#define MAX_SERVER_TEXT 200

G_DEFINE_QUARK (mail-smtp-error-quark, mail_smtp_error)

static gboolean
enhanced_is (const MailSmtpReply *reply,
             guint                subject,
             guint                detail)
{
  guint s, d;

  return mail_smtp_reply_get_enhanced_code (reply, NULL, &s, &d) && s == subject && d == detail;
}

static gboolean
enhanced_subject_is (const MailSmtpReply *reply,
                     guint                subject)
{
  guint s;

  return mail_smtp_reply_get_enhanced_code (reply, NULL, &s, NULL) && s == subject;
}

static MailSmtpError
classify (const MailSmtpReply *reply,
          MailSmtpStage        stage,
          const char          *subject,
          char               **message)
{
  guint code = mail_smtp_reply_get_code (reply);
  const char *who = subject != NULL ? subject : "";

  if (code == 421)
    {
      *message = g_strdup (_("The server is closing the connection; it may be busy or shutting "
                             "down. Try again later."));
      return MAIL_SMTP_ERROR_SERVICE_CLOSING;
    }

  if (code == 530 ||
      (code / 100 == 5 && enhanced_is (reply, 7, 0) &&
       stage != MAIL_SMTP_STAGE_AUTH &&
       stage != MAIL_SMTP_STAGE_RCPT_TO &&
       stage != MAIL_SMTP_STAGE_MESSAGE))
    {
      *message = g_strdup (_("This server requires you to log in before sending"));
      return MAIL_SMTP_ERROR_AUTH_REQUIRED;
    }

  if (code == 552 || enhanced_is (reply, 3, 4))
    {
      *message = g_strdup (_("The message is too large for this server"));
      return MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE;
    }

  switch (stage)
    {
    case MAIL_SMTP_STAGE_GREETING:
      *message = g_strdup (_("The server refused the connection"));
      return code / 100 == 4 ? MAIL_SMTP_ERROR_TEMPORARY : MAIL_SMTP_ERROR_GREETING;

    case MAIL_SMTP_STAGE_STARTTLS:
      if (code == 454)
        *message = g_strdup (_("The server cannot start encryption (TLS not available)"));
      else
        *message = g_strdup (_("The server refused to start encryption"));
      return MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE;

    case MAIL_SMTP_STAGE_AUTH:
      if (code == 535 || enhanced_is (reply, 7, 8))
        {
          *message = g_strdup (_("The server rejected the user name or password"));
          return MAIL_SMTP_ERROR_AUTH_FAILED;
        }
      if (code == 534 || enhanced_is (reply, 7, 9))
        {
          *message = g_strdup (_("The server wants a stronger login method or an app password"));
          return MAIL_SMTP_ERROR_AUTH_WEAK;
        }
      if (code == 538 || enhanced_is (reply, 7, 11))
        {
          *message = g_strdup (_("The server requires encryption for this login method"));
          return MAIL_SMTP_ERROR_INSECURE;
        }
      if (code == 504 || code == 502)
        {
          *message = g_strdup (_("The server does not support this login method"));
          return MAIL_SMTP_ERROR_AUTH_UNSUPPORTED;
        }
      if (code / 100 == 4)
        {
          *message = g_strdup (_("The server could not check the login right now; "
                                 "try again later"));
          return MAIL_SMTP_ERROR_TEMPORARY;
        }
      *message = g_strdup (_("The server refused the login"));
      return MAIL_SMTP_ERROR_AUTH_FAILED;

    case MAIL_SMTP_STAGE_MAIL_FROM:
      if (code / 100 == 5)
        {
          *message = g_strdup_printf (_("The server refused the sender address “%s”"), who);
          return MAIL_SMTP_ERROR_SENDER_REJECTED;
        }
      break;

    case MAIL_SMTP_STAGE_RCPT_TO:
      if (enhanced_is (reply, 1, 1) ||
          (!enhanced_subject_is (reply, 7) && (code == 550 || code == 551 || code == 553)))
        {
          *message = g_strdup_printf (_("The recipient address “%s” does not exist"), who);
          return MAIL_SMTP_ERROR_RECIPIENT_REJECTED;
        }
      if (code / 100 == 5)
        {
          *message = g_strdup_printf (_("The server refused to deliver to “%s”"), who);
          return MAIL_SMTP_ERROR_RECIPIENT_REJECTED;
        }
      break;

    case MAIL_SMTP_STAGE_DATA:
    case MAIL_SMTP_STAGE_MESSAGE:
      if (enhanced_is (reply, 6, 7) || enhanced_is (reply, 6, 9))
        {
          *message = g_strdup (_("The message needs international address support (SMTPUTF8), "
                                 "which this server lacks"));
          return MAIL_SMTP_ERROR_UNSUPPORTED;
        }
      if (code == 554 || code == 550)
        {
          *message = g_strdup (_("The server refused the message"));
          return MAIL_SMTP_ERROR_MESSAGE_REJECTED;
        }
      break;

    case MAIL_SMTP_STAGE_EHLO:
    case MAIL_SMTP_STAGE_OTHER:
    default:
      break;
    }

  if (code / 100 == 4)
    {
      *message = g_strdup_printf (_("The server reported a temporary failure (%u); "
                                    "try again later"), code);
      return MAIL_SMTP_ERROR_TEMPORARY;
    }

  if (code / 100 == 5)
    {
      *message = g_strdup_printf (_("The server refused the request (%u)"), code);
      return MAIL_SMTP_ERROR_PERMANENT;
    }

  *message = g_strdup_printf (_("The server sent an unexpected reply (%u)"), code);
  return MAIL_SMTP_ERROR_PROTOCOL;
}

/**
 * mail_smtp_error_from_reply:
 * @reply: a failing (or unexpected) reply
 * @stage: which command it answered
 * @subject: (nullable): the address concerned, for MAIL FROM and RCPT TO
 * @show_server_text: whether the server's own words may be shown; pass %FALSE for anything
 *   received before TLS, where an attacker may have written them
 *
 * Turns a reply into an error a person can act on, in the %MAIL_SMTP_ERROR domain.
 *
 * Returns: (transfer full): a new error
 */
GError *
mail_smtp_error_from_reply (const MailSmtpReply *reply,
                            MailSmtpStage        stage,
                            const char          *subject,
                            gboolean             show_server_text)
{
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  MailSmtpError code;

  g_return_val_if_fail (reply != NULL, NULL);

  code = classify (reply, stage, subject, &message);

  if (show_server_text)
    text = mail_smtp_reply_dup_text (reply);

  if (text != NULL && *g_strstrip (text) != '\0')
    {
      if (g_utf8_strlen (text, -1) > MAX_SERVER_TEXT)
        {
          char *end = g_utf8_offset_to_pointer (text, MAX_SERVER_TEXT);

          *end = '\0';
        }

      return g_error_new (MAIL_SMTP_ERROR, code,
                          /* Translators: the first %s is our message, the second what the
                           * server said, the number its reply code */
                          _("%s (the server said: %u %s)"),
                          message, mail_smtp_reply_get_code (reply), text);
    }

  return g_error_new_literal (MAIL_SMTP_ERROR, code, message);
}
