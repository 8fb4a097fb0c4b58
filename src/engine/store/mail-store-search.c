/* mail-store-search.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-store"

#include "config.h"

#include "mail-store-search.h"

#include <string.h>

/*
 * The search box grammar:
 *
 *   from:WORD  to:WORD  subject:WORD   (WORD may be "a quoted phrase")
 *   is:unread  is:flagged  has:attachment
 *   "a quoted phrase"
 *   free words, matched as prefixes
 *
 * Terms combine with AND. Nothing the person types reaches FTS5 as syntax: every value becomes
 * an FTS5 string literal ("…" with '"' doubled), so operators such as NEAR, AND, OR, NOT, '*',
 * '-', '^', ':' and parentheses inside it are just text for the tokenizer. A value with no
 * letter or digit is dropped, because the tokenizer would make an empty phrase of it.
 */

static gboolean
has_token_chars (const char *value)
{
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (g_unichar_isalnum (ch) || g_unichar_ismark (ch))
        return TRUE;
    }

  return FALSE;
}

static void
append_term (GString    *expr,
             const char *column,
             const char *value,
             gboolean    prefix)
{
  if (!has_token_chars (value))
    return;

  if (expr->len > 0)
    g_string_append (expr, " AND ");
  if (column != NULL)
    g_string_append_printf (expr, "%s : ", column);

  g_string_append_c (expr, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (expr, '"');
      g_string_append_c (expr, *p);
    }
  g_string_append_c (expr, '"');

  if (prefix)
    g_string_append (expr, " *");
}

/* Reads a value at *p: a quoted phrase (to the next '"' or the end) or a run of non-space. */
static char *
read_value (const char **p,
            gboolean    *quoted)
{
  const char *start = *p;
  const char *end;

  if (*start == '"')
    {
      start++;
      end = strchr (start, '"');
      if (end == NULL)
        end = start + strlen (start);
      *p = *end == '"' ? end + 1 : end;
      *quoted = TRUE;
    }
  else
    {
      end = start;
      while (*end != '\0' && !g_ascii_isspace (*end))
        end++;
      *p = end;
      *quoted = FALSE;
    }

  return g_strndup (start, (gsize) (end - start));
}

/**
 * mail_store_search_parse:
 * @text: what the person typed
 * @out_filter: (out): the filters asked for with is: and has:
 *
 * Turns the search box text into an FTS5 MATCH expression that is always valid syntax.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when there is nothing to match
 *   on in the full-text index (only filters, or nothing at all)
 */
char *
mail_store_search_parse (const char      *text,
                         MailStoreFilter *out_filter)
{
  static const struct
  {
    const char *op;
    const char *column;
  } columns[] = {
    { "from:", "sender" },
    { "to:", "recipients" },
    { "subject:", "subject" },
  };
  g_autoptr(GString) expr = g_string_new (NULL);
  g_autofree char *valid = NULL;
  MailStoreFilter filter = MAIL_STORE_FILTER_NONE;
  const char *p;

  g_return_val_if_fail (out_filter != NULL, NULL);

  *out_filter = MAIL_STORE_FILTER_NONE;
  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  p = valid;

  while (*p != '\0')
    {
      g_autofree char *value = NULL;
      const char *column = NULL;
      gboolean matched_op = FALSE;
      gboolean quoted = FALSE;

      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }

      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        {
          gsize len = strlen (columns[i].op);

          if (g_ascii_strncasecmp (p, columns[i].op, len) == 0 &&
              p[len] != '\0' && !g_ascii_isspace (p[len]))
            {
              column = columns[i].column;
              matched_op = TRUE;
              p += len;
              break;
            }
        }

      if (!matched_op && (g_ascii_strncasecmp (p, "is:", 3) == 0 ||
                          g_ascii_strncasecmp (p, "has:", 4) == 0))
        {
          const char *q = p;

          while (*q != '\0' && !g_ascii_isspace (*q))
            q++;
          value = g_ascii_strdown (p, q - p);
          if (g_str_equal (value, "is:unread"))
            filter |= MAIL_STORE_FILTER_UNREAD;
          else if (g_str_equal (value, "is:flagged") || g_str_equal (value, "is:starred"))
            filter |= MAIL_STORE_FILTER_FLAGGED;
          else if (g_str_equal (value, "has:attachment") || g_str_equal (value, "has:attachments"))
            filter |= MAIL_STORE_FILTER_HAS_ATTACHMENT;
          else
            {
              /* Not an operator we know: search for the words. */
              g_autofree char *words = g_strndup (p, q - p);

              append_term (expr, NULL, words, TRUE);
            }
          p = q;
          continue;
        }

      value = read_value (&p, &quoted);
      append_term (expr, column, value, !quoted);
    }

  *out_filter = filter;

  if (expr->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&expr), FALSE);
}
