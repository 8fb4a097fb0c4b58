/* mail-mime-text.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-mime-text.h"

#include <string.h>

/*
 * Text transformations for composing and quoting: RFC 3676 format=flowed in both
 * directions, "> " quoting, and a small HTML-to-text reduction (no DOM, nothing executed).
 */

#define MIN_FLOWED_WIDTH 20

/* ---------------------------------------------------------------------- format=flowed -- */

static gboolean
needs_stuffing (const char *line)
{
  return line[0] == ' ' || line[0] == '>' || g_str_has_prefix (line, "From ");
}

/* Where to end the chunk that starts at line: just after a space, within width characters
 * when possible. Returns NULL when the line fits or cannot be broken. */
static const char *
find_break (const char *line,
            guint       width)
{
  const char *best = NULL;
  const char *p = line;
  guint n_chars = 0;

  if ((guint) g_utf8_strlen (line, -1) <= width)
    return NULL;

  for (; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      /* The break goes after the last space of a run, so the next line never starts with one. */
      if (*p == ' ' && p[1] != ' ' && p[1] != '\0' && p > line)
        {
          if (n_chars + 1 <= width || best == NULL)
            best = p + 1;
          if (n_chars + 1 >= width)
            break;
        }
    }

  return best;
}

static void
append_wrapped (GString    *out,
                const char *prefix,
                const char *content,
                gboolean    stuff_chunks)
{
  guint width = MAIL_FLOWED_WIDTH - (guint) strlen (prefix);

  width = MAX (width, MIN_FLOWED_WIDTH);

  for (;;)
    {
      const char *cut = find_break (content, width);

      g_string_append (out, prefix);
      if (stuff_chunks && needs_stuffing (content))
        g_string_append_c (out, ' ');
      if (cut == NULL)
        {
          g_string_append (out, content);
          g_string_append_c (out, '\n');
          return;
        }
      /* The chunk keeps its trailing space: that is the soft line break. */
      g_string_append_len (out, content, cut - content);
      g_string_append_c (out, '\n');
      content = cut;
    }
}

/**
 * mail_mime_flowed_encode:
 * @text: UTF-8 text with LF or CRLF line breaks
 * @flags: how to read lines starting with ">"
 *
 * Encodes text as RFC 3676 format=flowed (DelSp=no): trailing spaces are removed from
 * every line except the signature separator "-- ", lines longer than 78 characters are
 * wrapped after a space (the trailing space marks the soft break; a single word longer than
 * that is left whole), and lines starting with " ", "From " or (without
 * %MAIL_FLOWED_FLAGS_QUOTES) ">" are space-stuffed.
 *
 * Returns: (transfer full): the encoded text, with LF line breaks and a final line break
 */
char *
mail_mime_flowed_encode (const char      *text,
                         MailFlowedFlags  flags)
{
  gboolean quotes = (flags & MAIL_FLOWED_FLAGS_QUOTES) != 0;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) + strlen (text) / 64 + 2);
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  /* A final line break does not start another line. */
  if (n_lines > 1 && lines[n_lines - 1][0] == '\0')
    n_lines--;

  for (guint i = 0; i < n_lines; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      g_autofree char *prefix = NULL;
      g_autofree char *full_prefix = NULL;
      guint depth = 0;
      char *content = line;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';

      if (quotes && line[0] == '>')
        {
          while (*content == '>')
            {
              depth++;
              content++;
              if (content[0] == ' ' && content[1] == '>')
                content++;
            }
          if (*content == ' ')
            content++;
        }

      if (strcmp (content, "-- ") != 0)
        g_strchomp (content);

      if (depth > 0)
        {
          prefix = g_strnfill (depth, '>');
          if (*content == '\0')
            {
              g_string_append_printf (out, "%s\n", prefix);
              continue;
            }
          /* The space after the markers is the stuffing space: any content may follow. */
          full_prefix = g_strconcat (prefix, " ", NULL);
          if (strcmp (content, "-- ") == 0)
            g_string_append_printf (out, "%s-- \n", full_prefix);
          else
            append_wrapped (out, full_prefix, content, FALSE);
          continue;
        }

      if (strcmp (content, "-- ") == 0)
        {
          g_string_append (out, "-- \n");
          continue;
        }

      append_wrapped (out, "", content, TRUE);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mail_mime_flowed_decode:
 * @text: the text of a text/plain; format=flowed part (LF or CRLF)
 * @delsp: whether the part had DelSp=yes
 *
 * Joins soft-broken lines (RFC 3676 §4.2) of the same quote depth and removes
 * space-stuffing. Quote markers are written back as "> " per level.
 *
 * Returns: (transfer full): the unwrapped text, each paragraph on one line
 */
char *
mail_mime_flowed_decode (const char *text,
                         gboolean    delsp)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) paragraph = NULL;
  g_auto(GStrv) lines = NULL;
  guint paragraph_depth = 0;
  gboolean open = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  paragraph = g_string_new (NULL);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      guint depth = 0;
      gboolean soft;

      if (lines[i + 1] == NULL && len == 0)
        break;
      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';

      while (*line == '>')
        {
          depth++;
          line++;
        }
      if (*line == ' ')
        line++;
      len = strlen (line);

      soft = len > 0 && line[len - 1] == ' ' && strcmp (line, "-- ") != 0;

      /* A change of quote depth ends a paragraph even after a soft break. */
      if (open && depth != paragraph_depth)
        {
          g_string_append_c (paragraph, '\n');
          g_string_append (out, paragraph->str);
          g_string_truncate (paragraph, 0);
          open = FALSE;
        }

      if (!open)
        {
          paragraph_depth = depth;
          for (guint d = 0; d < depth; d++)
            g_string_append_c (paragraph, '>');
          if (depth > 0)
            g_string_append_c (paragraph, ' ');
        }

      if (soft && delsp)
        len--;
      g_string_append_len (paragraph, line, (gssize) len);

      if (soft)
        {
          open = TRUE;
          continue;
        }

      g_string_append_c (paragraph, '\n');
      g_string_append (out, paragraph->str);
      g_string_truncate (paragraph, 0);
      open = FALSE;
    }

  if (paragraph->len > 0)
    {
      g_string_append (out, paragraph->str);
      g_string_append_c (out, '\n');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mail_mime_quote_text:
 * @text: UTF-8 text
 *
 * Prefixes every line with "> " (">" before an already quoted or empty line). CRs are
 * dropped and trailing empty lines are not quoted.
 *
 * Returns: (transfer full): the quoted text, ending with a line break
 */
char *
mail_mime_quote_text (const char *text)
{
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) * 11 / 10 + 4);
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);

  for (guint i = 0; i < n_lines; i++)
    g_strchomp (lines[i]);
  while (n_lines > 0 && lines[n_lines - 1][0] == '\0')
    n_lines--;

  for (guint i = 0; i < n_lines; i++)
    {
      const char *line = lines[i];

      if (line[0] == '\0')
        g_string_append (out, ">\n");
      else if (line[0] == '>')
        g_string_append_printf (out, ">%s\n", line);
      else
        g_string_append_printf (out, "> %s\n", line);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---------------------------------------------------------------------------- HTML -- */

static const struct
{
  const char *name;
  gunichar    ch;
} entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", ' ' }, { "copy", 0xa9 }, { "reg", 0xae }, { "trade", 0x2122 },
  { "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "lsquo", 0x2018 },
  { "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d }, { "laquo", 0xab },
  { "raquo", 0xbb }, { "euro", 0x20ac }, { "pound", 0xa3 }, { "yen", 0xa5 }, { "cent", 0xa2 },
  { "shy", 0 }, { "zwnj", 0 }, { "zwj", 0 }, { "bull", 0x2022 }, { "middot", 0xb7 },
  { "auml", 0xe4 }, { "ouml", 0xf6 }, { "uuml", 0xfc }, { "Auml", 0xc4 }, { "Ouml", 0xd6 },
  { "Uuml", 0xdc }, { "szlig", 0xdf }, { "eacute", 0xe9 }, { "egrave", 0xe8 },
  { "agrave", 0xe0 }, { "ccedil", 0xe7 }, { "deg", 0xb0 }, { "times", 0xd7 },
};

/* Decodes the character reference at p ('&'). Returns the bytes consumed, 0 if none. */
static gsize
decode_entity (const char *p,
               const char *end,
               GString    *out)
{
  const char *semi = memchr (p, ';', MIN ((gsize) (end - p), 12));
  gsize len;

  if (semi == NULL)
    return 0;
  len = (gsize) (semi - p);

  if (len >= 3 && p[1] == '#')
    {
      gboolean hex = p[2] == 'x' || p[2] == 'X';
      const char *q = p + (hex ? 3 : 2);
      guint32 value = 0;

      if (q == semi)
        return 0;
      for (; q < semi; q++)
        {
          int digit = hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q);

          if (digit < 0)
            return 0;
          value = value * (hex ? 16 : 10) + (guint32) digit;
          if (value > 0x10ffff)
            return 0;
        }
      if (value == 0 || value == 0xa0 || !g_unichar_validate (value))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, value);
      return len + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      if (strlen (entities[i].name) == len - 1 && strncmp (p + 1, entities[i].name, len - 1) == 0)
        {
          if (entities[i].ch != 0)
            g_string_append_unichar (out, entities[i].ch);
          return len + 1;
        }
    }

  return 0;
}

static gboolean
name_is (const char *name,
         gsize       name_len,
         const char *wanted)
{
  return strlen (wanted) == name_len && g_ascii_strncasecmp (name, wanted, name_len) == 0;
}

static gboolean
name_in (const char         *name,
         gsize               name_len,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    {
      if (name_is (name, name_len, list[i]))
        return TRUE;
    }

  return FALSE;
}

static const char *
find_ci (const char *p,
         const char *end,
         const char *needle)
{
  gsize n = strlen (needle);

  for (; p + n <= end; p++)
    {
      if (g_ascii_strncasecmp (p, needle, n) == 0)
        return p;
    }

  return NULL;
}

/* p points after '<'. Emits block breaks, skips raw-text elements. Returns the next byte. */
static const char *
skip_tag (const char *p,
          const char *end,
          GString    *out)
{
  static const char * const raw[] = { "script", "style", "head", "title", "template", NULL };
  static const char * const blocks[] = {
    "br", "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
    "hr", "ul", "ol", "pre", "section", "article", "header", "footer", "dt", "dd", NULL,
  };
  const char *name;
  gsize name_len = 0;
  gboolean closing = FALSE;
  char quote = 0;

  if (end - p >= 3 && strncmp (p, "!--", 3) == 0)
    {
      const char *close = find_ci (p + 3, end, "-->");

      return close != NULL ? close + 3 : end;
    }

  if (p < end && *p == '/')
    {
      closing = TRUE;
      p++;
    }
  name = p;
  while (name + name_len < end && g_ascii_isalnum (name[name_len]))
    name_len++;

  for (p = name + name_len; p < end; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        break;
    }
  if (p < end)
    p++;

  if (name_in (name, name_len, blocks))
    g_string_append_c (out, '\n');
  else if (name_is (name, name_len, "li") && !closing)
    g_string_append (out, "\n• ");
  else if (name_is (name, name_len, "td") || name_is (name, name_len, "th"))
    g_string_append_c (out, ' ');

  if (!closing && name_in (name, name_len, raw))
    {
      g_autofree char *close_tag = g_strdup_printf ("</%.*s", (int) name_len, name);
      const char *close = find_ci (p, end, close_tag);
      const char *gt;

      if (close == NULL)
        return end;
      gt = memchr (close, '>', (gsize) (end - close));
      return gt != NULL ? gt + 1 : end;
    }

  return p;
}

static char *
collapse_white_space (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  guint pending_newlines = 0;
  gboolean pending_space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        {
          pending_newlines++;
          pending_space = FALSE;
        }
      else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v')
        {
          pending_space = TRUE;
        }
      else
        {
          if (out->len > 0 && pending_newlines > 0)
            g_string_append_len (out, "\n\n", MIN (pending_newlines, 2));
          else if (out->len > 0 && pending_space)
            g_string_append_c (out, ' ');
          pending_newlines = 0;
          pending_space = FALSE;
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_mime_html_to_text:
 * @html: HTML, UTF-8 (invalid sequences are repaired)
 * @length: its length in bytes, or -1 when NUL-terminated
 *
 * Reduces HTML to readable text for previews and quoting: tags are removed, the contents of
 * script, style, head, title and comments are dropped, block elements become line breaks,
 * list items bullets, character references are decoded, white space is collapsed (at most
 * one empty line in a row). No DOM is built and nothing is fetched or run.
 *
 * The store has a similar reduction for its search index (mail_store_text_from_html());
 * this one is the display/quote variant and the one to converge on.
 *
 * Returns: (transfer full): valid UTF-8 text without leading or trailing white space
 */
char *
mail_mime_html_to_text (const char *html,
                        gssize      length)
{
  g_autoptr(GString) out = NULL;
  g_autofree char *valid = NULL;
  const char *p;
  const char *end;

  g_return_val_if_fail (html != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (html);

  out = g_string_sized_new ((gsize) length / 2 + 1);
  p = html;
  end = html + length;

  while (p < end)
    {
      if (*p == '<' && p + 1 < end &&
          (g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'))
        {
          p = skip_tag (p + 1, end, out);
        }
      else if (*p == '&')
        {
          gsize used = decode_entity (p, end, out);

          if (used == 0)
            g_string_append_c (out, *p++);
          else
            p += used;
        }
      else if (*p == '\0')
        {
          p++;
        }
      else
        {
          g_string_append_c (out, *p++);
        }
    }

  valid = g_utf8_make_valid (out->str, (gssize) out->len);

  return collapse_white_space (valid);
}

/**
 * mail_mime_html_unescape:
 * @text: text from HTML, e.g. an attribute value
 * @length: its length in bytes, or -1 when NUL-terminated
 *
 * Decodes character references ("&amp;", "&#58;", "&#x3a;", common named ones).
 *
 * Returns: (transfer full): the decoded text, valid UTF-8
 */
char *
mail_mime_html_unescape (const char *text,
                         gssize      length)
{
  g_autoptr(GString) out = NULL;
  const char *end;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  end = text + length;
  out = g_string_sized_new ((gsize) length);

  for (const char *p = text; p < end;)
    {
      gsize used = *p == '&' ? decode_entity (p, end, out) : 0;

      if (used > 0)
        p += used;
      else if (*p == '\0')
        p++;
      else
        g_string_append_c (out, *p++);
    }

  return g_utf8_make_valid (out->str, (gssize) out->len);
}
