/* mail-base64.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-util"

#include "config.h"

#include "mail-base64.h"

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/**
 * mail_base64_decode_strict:
 * @text: base64 text from the network (no line breaks or spaces)
 * @len: length of @text
 *
 * Decodes base64 only if it is well-formed: length a multiple of 4, only the base64
 * alphabet, at most two `=` and only at the end. g_base64_decode() silently skips
 * garbage, which is wrong for server challenges (CVE-2018-14359 class).
 *
 * Returns: (transfer full) (nullable): the decoded bytes (possibly empty), or %NULL if
 *   @text is not valid base64
 */
GBytes *
mail_base64_decode_strict (const char *text,
                           gsize       len)
{
  g_autofree char *copy = NULL;
  gsize padding = 0;
  gsize out_len = 0;
  guchar *out;

  if (text == NULL)
    return NULL;

  if (len == 0)
    return g_bytes_new (NULL, 0);

  if (len % 4 != 0)
    return NULL;

  if (text[len - 1] == '=')
    padding++;
  if (text[len - 2] == '=')
    padding++;

  for (gsize i = 0; i < len - padding; i++)
    {
      if (!is_base64_char (text[i]))
        return NULL;
    }

  copy = g_strndup (text, len);
  out = g_base64_decode (copy, &out_len);
  return g_bytes_new_take (out, out_len);
}
