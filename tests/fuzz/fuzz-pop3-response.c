/* fuzz-pop3-response.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-pop3-capabilities.h"
#include "mail-pop3-error.h"
#include "mail-pop3-response.h"

int LLVMFuzzerTestOneInput (const unsigned char *data, size_t size);

/* The first line is a status line (parsed with and without continuations allowed, its text
 * searched for an APOP timestamp and run through STAT); the remaining lines are a multi-line
 * listing, parsed as CAPA, LIST and UIDL once the terminating dot arrives. */
int
LLVMFuzzerTestOneInput (const unsigned char *data,
                        size_t               size)
{
  g_autoptr(MailPop3Multiline) ml = mail_pop3_multiline_new (1000, 64 * 1024);
  const char *text = (const char *) data;
  gboolean first = TRUE;
  gboolean done = FALSE;
  gsize pos = 0;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);

  while (pos < size && !done)
    {
      const char *nl = memchr (text + pos, '\n', size - pos);
      gsize end = nl != NULL ? (gsize) (nl - text) : size;
      gsize len = end - pos;

      if (len > 0 && text[pos + len - 1] == '\r')
        len--;

      if (first)
        {
          for (guint allow = 0; allow < 2; allow++)
            {
              g_autoptr(MailPop3Response) resp = NULL;

              resp = mail_pop3_response_parse (text + pos, len, allow, NULL);
              if (resp != NULL)
                {
                  g_autoptr(GError) mapped = NULL;
                  g_autofree char *ts = NULL;
                  guint count;
                  guint64 total;

                  ts = mail_pop3_greeting_get_timestamp (mail_pop3_response_get_text (resp));
                  g_assert (ts == NULL || (ts[0] == '<' && strchr (ts, '@') != NULL));
                  mail_pop3_parse_stat (mail_pop3_response_get_text (resp), &count, &total, NULL);
                  mail_pop3_response_has_code (resp, "SYS");
                  mapped = mail_pop3_error_from_response (resp, MAIL_POP3_STAGE_AUTH, TRUE);
                  g_assert (mapped != NULL);
                }
            }
          first = FALSE;
        }
      else if (!mail_pop3_multiline_feed (ml, text + pos, len, &done, NULL))
        return 0;

      pos = end + 1;
    }

  if (done)
    {
      const char * const *lines = mail_pop3_multiline_get_lines (ml);
      g_autoptr(MailPop3Capabilities) caps = mail_pop3_capabilities_parse (lines);
      g_autoptr(GArray) list = mail_pop3_parse_listing (lines, FALSE, NULL);
      g_autoptr(GArray) uidl = mail_pop3_parse_listing (lines, TRUE, NULL);

      g_assert (mail_pop3_capabilities_get_keywords (caps) != NULL);
      if (uidl != NULL)
        {
          for (guint i = 0; i < uidl->len; i++)
            {
              const char *uid = g_array_index (uidl, MailPop3ListEntry, i).uid;

              g_assert (uid != NULL && *uid != '\0' && strlen (uid) <= MAIL_POP3_MAX_UID_LENGTH);
            }
        }
      (void) list;
    }

  return 0;
}
