/* mail-pop3-error.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-pop3"

#include "config.h"

#include "mail-pop3-error.h"

#include <glib/gi18n-lib.h>

/* Server text may be long or, before TLS, written by an attacker: show at most this much. */
#define MAX_SERVER_TEXT 200

G_DEFINE_QUARK (mail-pop3-error-quark, mail_pop3_error)

/**
 * mail_pop3_error_from_response:
 * @response: a `-ERR` (or otherwise unexpected) response
 * @stage: which command it answered
 * @show_server_text: whether the server's own words may be shown; %FALSE for anything
 *   received before TLS
 *
 * Turns a response into an error a person can act on, in the %MAIL_POP3_ERROR domain,
 * using the RFC 2449/3206 response codes when the server sent them.
 *
 * Returns: (transfer full): a new error
 */
GError *
mail_pop3_error_from_response (const MailPop3Response *response,
                               MailPop3Stage           stage,
                               gboolean                show_server_text)
{
  g_autofree char *text = NULL;
  const char *message;
  MailPop3Error code;

  g_return_val_if_fail (response != NULL, NULL);

  if (mail_pop3_response_get_status (response) != MAIL_POP3_STATUS_ERR)
    {
      code = MAIL_POP3_ERROR_PROTOCOL;
      message = _("The server sent an unexpected response");
    }
  else if (stage == MAIL_POP3_STAGE_STLS)
    {
      /* Whatever the reason given, the upgrade did not happen. */
      code = MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE;
      message = _("The server refused to start encryption");
    }
  else if (mail_pop3_response_has_code (response, "IN-USE"))
    {
      code = MAIL_POP3_ERROR_IN_USE;
      message = _("The mailbox is in use by another program; close it and try again");
    }
  else if (mail_pop3_response_has_code (response, "LOGIN-DELAY"))
    {
      code = MAIL_POP3_ERROR_TEMPORARY;
      message = _("The server asks to wait longer between logins; try again later");
    }
  else if (mail_pop3_response_has_code (response, "SYS/TEMP"))
    {
      code = MAIL_POP3_ERROR_TEMPORARY;
      message = _("The server has a temporary problem; try again later");
    }
  else
    {
      switch (stage)
        {
        case MAIL_POP3_STAGE_GREETING:
          code = MAIL_POP3_ERROR_GREETING;
          message = _("The server refused the connection");
          break;

        case MAIL_POP3_STAGE_AUTH:
          if (mail_pop3_response_has_code (response, "SYS"))
            {
              code = MAIL_POP3_ERROR_FAILED;
              message = _("The server could not log you in because of a problem on its side");
            }
          else
            {
              code = MAIL_POP3_ERROR_AUTH_FAILED;
              message = _("The server rejected the user name or password");
            }
          break;

        case MAIL_POP3_STAGE_MESSAGE:
          code = MAIL_POP3_ERROR_NO_SUCH_MESSAGE;
          message = _("The message does not exist on the server any more");
          break;

        case MAIL_POP3_STAGE_STLS:
        case MAIL_POP3_STAGE_OTHER:
        default:
          code = MAIL_POP3_ERROR_FAILED;
          message = _("The server refused the request");
          break;
        }
    }

  if (show_server_text)
    text = g_strdup (mail_pop3_response_get_text (response));

  if (text != NULL && *g_strstrip (text) != '\0')
    {
      if (g_utf8_strlen (text, -1) > MAX_SERVER_TEXT)
        *g_utf8_offset_to_pointer (text, MAX_SERVER_TEXT) = '\0';

      return g_error_new (MAIL_POP3_ERROR, code,
                          /* Translators: the first %s is our message, the second the server's */
                          _("%s (the server said: %s)"), message, text);
    }

  return g_error_new_literal (MAIL_POP3_ERROR, code, message);
}
