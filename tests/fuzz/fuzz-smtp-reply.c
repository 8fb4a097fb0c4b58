/* fuzz-smtp-reply.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-smtp-capabilities.h"
#include "mail-smtp-error.h"
#include "mail-smtp-reply.h"

int LLVMFuzzerTestOneInput (const unsigned char *data, size_t size);

/* Feeds the input line by line (split at LF, an optional CR removed) to the incremental
 * reply parser, as the connection would, then runs every complete reply through the
 * capability parser and the error mapper for each stage. */
int
LLVMFuzzerTestOneInput (const unsigned char *data,
                        size_t               size)
{
  g_autoptr(MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  const char *text = (const char *) data;
  gsize pos = 0;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);

  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      MailSmtpReply *reply = NULL;
      const char *nl = memchr (text + pos, '\n', size - pos);
      gsize end = nl != NULL ? (gsize) (nl - text) : size;
      gsize len = end - pos;

      if (len > 0 && text[pos + len - 1] == '\r')
        len--;

      if (mail_smtp_reply_parser_feed (parser, text + pos, len, &reply, &error) && reply != NULL)
        {
          g_autoptr(MailSmtpCapabilities) caps = NULL;
          g_autofree char *joined = mail_smtp_reply_dup_text (reply);
          g_autoptr(GError) caps_error = NULL;

          g_assert (g_utf8_validate (joined, -1, NULL));
          caps = mail_smtp_capabilities_parse (reply, &caps_error);
          if (caps != NULL)
            {
              g_assert (mail_smtp_capabilities_get_mechanisms (caps) != NULL);
              g_assert (mail_smtp_capabilities_get_keywords (caps) != NULL);
            }

          for (guint stage = MAIL_SMTP_STAGE_GREETING; stage <= MAIL_SMTP_STAGE_OTHER; stage++)
            {
              g_autoptr(GError) mapped = NULL;

              mapped = mail_smtp_error_from_reply (reply, stage, "a@example.org", TRUE);
              g_assert (mapped != NULL && mapped->message != NULL);
            }

          mail_smtp_reply_unref (reply);
        }
      else
        g_assert (reply == NULL);

      pos = end + 1;
    }

  return 0;
}
