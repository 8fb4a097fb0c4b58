/* mail-redact.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-util"

#include "config.h"

#include "mail-redact.h"

#include <string.h>

/**
 * mail_redact_escape:
 * @data: bytes received from or sent to a server
 * @len: length of @data
 * @max_bytes: how many input bytes to show at most (0 for no limit)
 *
 * Makes arbitrary protocol bytes safe to put in a log line: control characters, bytes
 * of invalid UTF-8 and backslashes are shown as `\xHH` / `\\` escapes (so a hostile server
 * cannot forge log lines or terminal escapes), and long data is cut with a note of its
 * full length.
 *
 * Returns: (transfer full): printable text
 */
char *
mail_redact_escape (const char *data,
                    gsize       len,
                    gsize       max_bytes)
{
  GString *out;
  gsize shown = len;
  gsize i = 0;

  if (data == NULL)
    return g_strdup ("");

  if (max_bytes > 0 && len > max_bytes)
    shown = max_bytes;

  out = g_string_sized_new (shown + 16);
  while (i < shown)
    {
      guchar c = (guchar)data[i];
      const char *end = NULL;

      if (c >= 0x80)
        {
          /* Copy a whole valid UTF-8 sequence, or escape one byte. */
          gsize remaining = shown - i;
          gsize seq = 1;

          if ((c & 0xE0) == 0xC0)
            seq = 2;
          else if ((c & 0xF0) == 0xE0)
            seq = 3;
          else if ((c & 0xF8) == 0xF0)
            seq = 4;

          if (seq > 1 && seq <= remaining && g_utf8_validate (data + i, seq, &end))
            {
              g_string_append_len (out, data + i, seq);
              i += seq;
              continue;
            }
          g_string_append_printf (out, "\\x%02X", c);
        }
      else if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c < 0x20 || c == 0x7F)
        {
          if (c == '\r')
            g_string_append (out, "\\r");
          else if (c == '\n')
            g_string_append (out, "\\n");
          else if (c == '\t')
            g_string_append (out, "\\t");
          else
            g_string_append_printf (out, "\\x%02X", c);
        }
      else
        g_string_append_c (out, (char)c);

      i++;
    }

  if (shown < len)
    g_string_append_printf (out, "… (%" G_GSIZE_FORMAT " bytes)", len);

  return g_string_free (out, FALSE);
}

/**
 * mail_wipe:
 * @data: (nullable): memory holding a secret
 * @len: its size
 *
 * Overwrites @data with zeros in a way the compiler may not optimise away.
 */
void
mail_wipe (gpointer data,
           gsize    len)
{
  if (data == NULL || len == 0)
    return;

  explicit_bzero (data, len);
}

/**
 * mail_wipe_string_free:
 * @str: (nullable) (transfer full): a secret string
 *
 * Wipes and frees @str.
 */
void
mail_wipe_string_free (char *str)
{
  if (str == NULL)
    return;

  mail_wipe (str, strlen (str));
  g_free (str);
}

/**
 * mail_wipe_bytes_free:
 * @array: (nullable) (transfer full): a byte array holding a secret
 *
 * Wipes and frees @array.
 */
void
mail_wipe_bytes_free (GByteArray *array)
{
  if (array == NULL)
    return;

  mail_wipe (array->data, array->len);
  g_byte_array_unref (array);
}
