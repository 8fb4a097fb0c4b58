/* mail-store-text.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-store"

#include "config.h"

#include "mail-store-text.h"

#include <gmime/gmime.h>
#include <string.h>

/*
 * Text for the search index and the preview snippet. HTML is reduced to text by a small tag
 * stripper: it never builds a DOM and never runs anything, drops the contents of <script>,
 * <style>, <head> and comments, turns block elements into line breaks and decodes character
 * references. Its output only feeds the index, never a renderer.
 */

#define MAX_INDEXED_TEXT (1024 * 1024)

static const struct
{
  const char *name;
  gunichar    ch;
} entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xa0 }, { "copy", 0xa9 }, { "reg", 0xae }, { "hellip", 0x2026 },
  { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
  { "ldquo", 0x201c }, { "rdquo", 0x201d }, { "euro", 0x20ac }, { "shy", 0xad },
};

static gboolean
ascii_prefix_ci (const char *p,
                 const char *end,
                 const char *prefix)
{
  gsize len = strlen (prefix);

  return (gsize) (end - p) >= len && g_ascii_strncasecmp (p, prefix, len) == 0;
}

/* Decodes the reference at p (pointing at '&'). Returns the bytes consumed, 0 if none. */
static gsize
decode_entity (const char *p,
               const char *end,
               GString    *out)
{
  const char *semi;
  gsize len;

  semi = memchr (p, ';', MIN ((gsize) (end - p), 12));
  if (semi == NULL)
    return 0;
  len = (gsize) (semi - p);

  if (len >= 3 && p[1] == '#')
    {
      guint64 value = 0;
      gboolean hex = p[2] == 'x' || p[2] == 'X';
      gboolean too_big = FALSE;
      const char *q = p + (hex ? 3 : 2);

      if (q == semi)
        return 0;
      for (; q < semi; q++)
        {
          int digit = hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q);

          if (digit < 0)
            return 0;
          value = value * (hex ? 16 : 10) + (guint) digit;
          if (value > 0x10ffff)
            {
              too_big = TRUE;
              value = 0;
            }
        }
      if (too_big || value == 0 || !g_unichar_validate ((gunichar) value))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, (gunichar) value);
      return len + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      if (strlen (entities[i].name) == len - 1 && strncmp (p + 1, entities[i].name, len - 1) == 0)
        {
          g_string_append_unichar (out, entities[i].ch == 0xa0 ? ' ' : entities[i].ch);
          return len + 1;
        }
    }

  return 0;
}

/* p points after '<'. Returns where the tag (and for script/style, its contents) ends. */
static const char *
skip_tag (const char *p,
          const char *end,
          GString    *out)
{
  static const char * const raw_elements[] = { "script", "style", "head", "title" };
  static const char * const blocks[] = {
    "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
    "td", "th", "hr", "ul", "ol", "pre",
  };
  const char *name = p;
  gsize name_len;
  char quote = 0;

  if (ascii_prefix_ci (p, end, "!--"))
    {
      const char *close = g_strstr_len (p + 3, end - p - 3, "-->");

      return close != NULL ? close + 3 : end;
    }

  if (name < end && *name == '/')
    name++;
  name_len = 0;
  while (name + name_len < end && g_ascii_isalnum (name[name_len]))
    name_len++;

  /* Find the '>' that ends the tag, ignoring any inside quoted attribute values. */
  for (; p < end; p++)
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

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      if (strlen (blocks[i]) == name_len && g_ascii_strncasecmp (name, blocks[i], name_len) == 0)
        {
          g_string_append_c (out, '\n');
          break;
        }
    }

  if (name[-1] == '/' || name_len == 0)
    return p;

  for (guint i = 0; i < G_N_ELEMENTS (raw_elements); i++)
    {
      g_autofree char *closing = NULL;
      gsize closing_len;

      if (strlen (raw_elements[i]) != name_len ||
          g_ascii_strncasecmp (name, raw_elements[i], name_len) != 0)
        continue;

      /* Skip the element's contents up to its end tag, or to the end of the document. */
      closing = g_strconcat ("</", raw_elements[i], NULL);
      closing_len = strlen (closing);
      for (; p < end; p++)
        {
          if (*p == '<' && ascii_prefix_ci (p, end, closing) &&
              (p + closing_len == end || !g_ascii_isalnum (p[closing_len])))
            {
              const char *gt = memchr (p, '>', (gsize) (end - p));

              return gt != NULL ? gt + 1 : end;
            }
        }
      return end;
    }

  return p;
}

/**
 * mail_store_text_from_html:
 * @html: HTML text, UTF-8 (invalid sequences are replaced)
 * @length: its length, or -1 when NUL-terminated
 *
 * Reduces HTML to plain text for indexing: tags removed, script/style contents dropped,
 * character references decoded.
 *
 * Returns: (transfer full): valid UTF-8 text
 */
char *
mail_store_text_from_html (const char *html,
                           gssize      length)
{
  g_autoptr(GString) out = NULL;
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

  return g_utf8_make_valid (out->str, (gssize) out->len);
}

/**
 * mail_store_text_preview:
 * @text: UTF-8 text
 * @max_chars: the most characters to keep
 *
 * Collapses white space and skips quoted lines (starting with '>') to make a snippet.
 *
 * Returns: (transfer full): the snippet, possibly empty
 */
char *
mail_store_text_preview (const char *text,
                         guint       max_chars)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  guint n_chars = 0;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && n_chars < max_chars; i++)
    {
      const char *p = lines[i];

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '>')
        continue;

      for (; *p != '\0' && n_chars < max_chars; p = g_utf8_next_char (p))
        {
          gunichar ch = g_utf8_get_char (p);

          if (g_unichar_isspace (ch) || g_unichar_iscntrl (ch))
            {
              if (out->len > 0 && out->str[out->len - 1] != ' ')
                {
                  g_string_append_c (out, ' ');
                  n_chars++;
                }
              continue;
            }
          g_string_append_unichar (out, ch);
          n_chars++;
        }
      if (out->len > 0 && out->str[out->len - 1] != ' ')
        {
          g_string_append_c (out, ' ');
          n_chars++;
        }
    }

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mail_store_text_extract:
 * @raw: an RFC 822 message
 * @out_text: (out) (transfer full): the text of its displayable parts, for the index
 * @out_preview: (out) (transfer full): a snippet
 * @out_has_attachment: (out): whether any part is an attachment
 *
 * Parses @raw with GMime. Text parts that are not attachments contribute their text, HTML
 * reduced to text; the result is capped at 1 MiB.
 *
 * Returns: %FALSE when @raw is not a message at all
 */
gboolean
mail_store_text_extract (GBytes    *raw,
                         char     **out_text,
                         char     **out_preview,
                         gboolean  *out_has_attachment)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  GMimePartIter *iter;
  gboolean has_attachment = FALSE;
  gsize size;
  const guint8 *data;

  data = g_bytes_get_data (raw, &size);
  stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);

  if (message == NULL)
    return FALSE;

  iter = g_mime_part_iter_new (GMIME_OBJECT (message));
  do
    {
      GMimeObject *current = g_mime_part_iter_get_current (iter);
      GMimeContentType *type;
      char *part_text;

      if (current == NULL || !GMIME_IS_PART (current))
        continue;

      if (g_mime_part_is_attachment (GMIME_PART (current)))
        {
          has_attachment = TRUE;
          continue;
        }
      if (!GMIME_IS_TEXT_PART (current) || text->len >= MAX_INDEXED_TEXT)
        continue;

      type = g_mime_object_get_content_type (current);
      part_text = g_mime_text_part_get_text (GMIME_TEXT_PART (current));
      if (part_text == NULL)
        continue;

      if (g_mime_content_type_is_type (type, "text", "html"))
        {
          char *plain = mail_store_text_from_html (part_text, -1);

          g_free (part_text);
          part_text = plain;
        }
      else if (!g_mime_content_type_is_type (type, "text", "plain"))
        {
          g_free (part_text);
          continue;
        }

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, part_text);
      g_free (part_text);
    }
  while (g_mime_part_iter_next (iter));
  g_mime_part_iter_free (iter);
  g_object_unref (message);

  if (text->len > MAX_INDEXED_TEXT)
    {
      const char *cut = text->str + MAX_INDEXED_TEXT;

      /* Cut on a character boundary. */
      while (cut > text->str && (*cut & 0xc0) == 0x80)
        cut--;
      g_string_truncate (text, (gsize) (cut - text->str));
    }

  *out_preview = mail_store_text_preview (text->str, 200);
  *out_has_attachment = has_attachment;
  *out_text = g_utf8_make_valid (text->str, (gssize) text->len);

  return TRUE;
}
