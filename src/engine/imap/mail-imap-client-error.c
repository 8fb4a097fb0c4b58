/* mail-imap-client-error.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-client-error.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (mail-imap-client-error-quark, mail_imap_client_error)

/* Server text is attacker-controlled before TLS, and may carry control characters at any
 * time: only printable text of bounded length goes into a message. */
static char *
clean_text (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && out->len < 200; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isprint (c) || c == ' ')
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_imap_client_error_from_response:
 * @response: a tagged NO or BAD (or an untagged BYE)
 * @command: the command's name, for the message
 * @show_server_text: whether the server's text may be shown (it came over TLS)
 *
 * Maps a refusal to an error. `[REFERRAL ...]` becomes %MAIL_IMAP_CLIENT_ERROR_REFERRAL and
 * the referral's target is never part of the message: it is not followed, and not offered.
 *
 * Returns: (transfer full): a new error
 */
GError *
mail_imap_client_error_from_response (MailImapResponse *response,
                                      const char       *command,
                                      gboolean          show_server_text)
{
  const char *code = mail_imap_response_get_code (response);
  MailImapStatus status = mail_imap_response_get_status (response);
  g_autofree char *text = NULL;

  if (code != NULL && g_ascii_strcasecmp (code, "REFERRAL") == 0)
    return g_error_new (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_REFERRAL,
                        _("The server refused %s and referred to another server; "
                          "referrals are not followed"), command);

  if (show_server_text && mail_imap_response_get_text (response) != NULL)
    text = clean_text (mail_imap_response_get_text (response));

  if (status == MAIL_IMAP_STATUS_BYE)
    {
      if (text != NULL && *text != '\0')
        return g_error_new (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_BYE,
                            _("The server ended the session: %s"), text);
      return g_error_new_literal (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_BYE,
                                  _("The server ended the session"));
    }

  if (status == MAIL_IMAP_STATUS_BAD)
    {
      if (text != NULL && *text != '\0')
        return g_error_new (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_BAD,
                            _("The server rejected %s: %s"), command, text);
      return g_error_new (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_BAD,
                          _("The server rejected %s"), command);
    }

  if (text != NULL && *text != '\0')
    return g_error_new (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_NO,
                        _("The server refused %s: %s"), command, text);
  return g_error_new (MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_NO,
                      _("The server refused %s"), command);
}
