/* mail-protocol-log.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-protocol"

#include "config.h"

#include "mail-protocol-log.h"

#include "mail-redact.h"

/* Longest part of a single line shown in the log; the rest is summarised. */
#define MAX_LOGGED_LINE 1024

/**
 * mail_protocol_log_enabled:
 *
 * Whether `MAIL_DEBUG` contains `protocol` (or `all`). Read on each call, so tests and
 * tools can switch it with g_setenv(); connections sample it when they are created.
 *
 * Returns: %TRUE if protocol lines are to be logged
 */
gboolean
mail_protocol_log_enabled (void)
{
  static const GDebugKey keys[] = {
    { "protocol", 1 },
  };
  const char *value = g_getenv ("MAIL_DEBUG");

  if (value == NULL || *value == '\0')
    return FALSE;

  return (g_parse_debug_string (value, keys, G_N_ELEMENTS (keys)) & 1) != 0;
}

/**
 * mail_protocol_log:
 * @label: which connection (e.g. `imap.example.com:993`)
 * @direction: `"C"` for data the client sent, `"S"` for data the server sent
 * @data: the line (without CRLF) or data
 * @len: length of @data
 * @flags: %MAIL_LOG_SENSITIVE data is never shown, only its length; %MAIL_LOG_BODY
 *   data is summarised
 *
 * Logs one protocol exchange at debug level in the "mail-protocol" domain. Callers check
 * mail_protocol_log_enabled() first (a #MailConnection does).
 */
void
mail_protocol_log (const char   *label,
                   const char   *direction,
                   const char   *data,
                   gsize         len,
                   MailLogFlags  flags)
{
  g_autofree char *text = NULL;

  if (flags & MAIL_LOG_SENSITIVE)
    {
      g_debug ("%s %s: <redacted %" G_GSIZE_FORMAT " bytes>", label, direction, len);
      return;
    }

  if (flags & MAIL_LOG_BODY)
    {
      g_debug ("%s %s: <message data, %" G_GSIZE_FORMAT " bytes>", label, direction, len);
      return;
    }

  text = mail_redact_escape (data, len, MAX_LOGGED_LINE);
  g_debug ("%s %s: %s", label, direction, text);
}
