/* mail-imap-parser.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-parser.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-response-private.h"

/*
 * An incremental IMAP response parser (RFC 3501 / RFC 9051 grammar, server side).
 *
 * Framing: bytes are cut into line segments (up to CRLF, capped *while* buffering) and
 * literal bytes (a segment that ends in `{n}` announces n literal bytes, after which the same
 * response goes on with the next segment). A segment is tokenised only once complete, so a
 * `{5}` at the end of human-readable text is text, not a literal.
 *
 * Lists are built with an explicit stack (frames index into one scratch array of child
 * pointers), never by recursion, and their depth is capped. Numbers are parsed digit by digit
 * with an overflow check. Message-body literals in FETCH responses can go to a sink instead of
 * memory. After an error the parser stays failed: the connection must be dropped.
 */

typedef enum
{
  READ_LINE,
  READ_LITERAL,
} ReadMode;

typedef enum
{
  STEP_DONE,
  STEP_LITERAL,
  STEP_CODE_END,
} Step;

struct _MailImapParser
{
  GObject              parent_instance;

  /* limits */
  gsize                max_line;
  guint64              max_literal;
  guint64              max_streamed;
  guint                max_depth;
  gsize                max_response;
  gboolean             utf8_accept;

  /* literal sink */
  MailImapLiteralFunc  literal_func;
  gpointer             literal_data;
  GDestroyNotify       literal_destroy;
  GOutputStream       *literal_stream;

  /* framing */
  ReadMode             mode;
  GByteArray          *line;
  guint64              literal_size;
  guint64              literal_done;
  gboolean             literal_binary;
  gboolean             literal_streamed;
  char                *literal_buf;
  const char          *literal_section;

  /* the response being built */
  MailImapResponse    *cur;
  GPtrArray           *scratch;
  GArray              *frames;

  /* output */
  GQueue               ready;
  GError              *error;
};

G_DEFINE_FINAL_TYPE (MailImapParser, mail_imap_parser, G_TYPE_OBJECT)

static void
clear_current (MailImapParser *self)
{
  g_clear_pointer (&self->cur, mail_imap_response_unref);
  g_ptr_array_set_size (self->scratch, 0);
  g_array_set_size (self->frames, 0);
  self->mode = READ_LINE;
  self->literal_buf = NULL;
  self->literal_section = NULL;
  self->literal_size = 0;
  self->literal_done = 0;
}

static gboolean
is_atom_char (guchar c)
{
  if (c <= 0x20 || c >= 0x7f)
    return FALSE;

  return strchr ("(){%*\"\\]", c) == NULL;
}

static gboolean
push_value (MailImapParser  *self,
            MailImapValue   *value,
            GError         **error)
{
  g_ptr_array_add (self->scratch, value);

  if (self->cur->arena_size + self->scratch->len * sizeof (gpointer) > self->max_response)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                   _("The IMAP server sent a response that is too large"));
      return FALSE;
    }

  return TRUE;
}

/* Turns scratch[start..] into a list node and truncates the scratch array. */
static MailImapValue *
collect_list (MailImapParser *self,
              guint           start)
{
  MailImapValue *list = mail_imap_response_new_value (self->cur, MAIL_IMAP_VALUE_LIST);
  guint count = self->scratch->len - start;

  list->n_children = count;
  if (count > 0)
    {
      list->children = mail_imap_response_alloc (self->cur, count * sizeof (MailImapValue *));
      memcpy (list->children, self->scratch->pdata + start, count * sizeof (MailImapValue *));
    }
  g_ptr_array_set_size (self->scratch, start);

  return list;
}

static const char *
make_text (MailImapParser *self,
           const char     *str,
           gsize           len)
{
  g_autofree char *valid = NULL;

  if (g_utf8_validate (str, len, NULL))
    return mail_imap_response_strndup (self->cur, str, len);

  valid = g_utf8_make_valid (str, len);
  return mail_imap_response_strndup (self->cur, valid, strlen (valid));
}

static char *
make_upper (MailImapParser *self,
            const char     *str,
            gsize           len)
{
  char *copy = mail_imap_response_strndup (self->cur, str, len);

  for (gsize i = 0; i < len; i++)
    copy[i] = g_ascii_toupper (copy[i]);

  return copy;
}

static gboolean
is_body_section_prefix (const char *str,
                        gsize       len)
{
  static const char *const names[] = {
    "BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK", "BINARY.SIZE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strlen (names[i]) == len && g_ascii_strncasecmp (str, names[i], len) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_streamable_section (const char *str)
{
  return g_ascii_strncasecmp (str, "BODY[", 5) == 0 ||
         g_ascii_strncasecmp (str, "BINARY[", 7) == 0 ||
         g_ascii_strcasecmp (str, "RFC822") == 0 ||
         g_ascii_strcasecmp (str, "RFC822.TEXT") == 0;
}

static gboolean
read_atom (MailImapParser  *self,
           const char      *p,
           gsize            n,
           gsize           *pos,
           gboolean         in_code,
           GError         **error)
{
  gsize start = *pos;
  gsize i = start;
  gboolean high = FALSE;
  MailImapValue *value;

  while (i < n)
    {
      guchar c = p[i];

      if (c == ' ' || c == '(' || c == ')' || (c == ']' && in_code))
        break;

      if (c == '"' || c < 0x20 || c == 0x7f)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                       _("The IMAP server sent an atom with an invalid character"));
          return FALSE;
        }

      if (c >= 0x80)
        {
          if (!self->utf8_accept)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent 8-bit data outside a literal"));
              return FALSE;
            }
          high = TRUE;
        }

      if (c == '[' && !in_code && is_body_section_prefix (p + start, i - start))
        {
          const char *close = memchr (p + i, ']', n - i);

          if (close == NULL)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent an unterminated body section"));
              return FALSE;
            }

          for (const char *q = p + i; q < close; q++)
            {
              if ((guchar) *q < 0x20 || (guchar) *q >= 0x7f)
                {
                  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                               _("The IMAP server sent a body section with an invalid character"));
                  return FALSE;
                }
            }

          i = close - p + 1;
          continue;
        }

      i++;
    }

  if (i == start)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent an empty atom"));
      return FALSE;
    }

  if (high && !g_utf8_validate (p + start, i - start, NULL))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent invalid UTF-8"));
      return FALSE;
    }

  if (i - start == 3 && g_ascii_strncasecmp (p + start, "NIL", 3) == 0)
    {
      value = mail_imap_response_new_value (self->cur, MAIL_IMAP_VALUE_NIL);
    }
  else
    {
      value = mail_imap_response_new_value (self->cur, MAIL_IMAP_VALUE_ATOM);
      value->str = mail_imap_response_strndup (self->cur, p + start, i - start);
      value->len = i - start;
    }

  *pos = i;
  return push_value (self, value, error);
}

static gboolean
read_quoted (MailImapParser  *self,
             const char      *p,
             gsize            n,
             gsize           *pos,
             GError         **error)
{
  gsize i = *pos + 1;
  gsize len = 0;
  gboolean high = FALSE;
  MailImapValue *value;
  char *out;

  /* First pass: validate and measure. */
  for (;;)
    {
      guchar c;

      if (i >= n)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                       _("The IMAP server sent an unterminated quoted string"));
          return FALSE;
        }

      c = p[i];
      if (c == '"')
        break;

      if (c == '\\')
        {
          if (i + 1 >= n || (p[i + 1] != '"' && p[i + 1] != '\\'))
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent an invalid escape in a quoted string"));
              return FALSE;
            }
          i += 2;
          len++;
          continue;
        }

      if (c >= 0x80)
        {
          if (!self->utf8_accept)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent 8-bit data in a quoted string"));
              return FALSE;
            }
          high = TRUE;
        }
      else if (c < 0x20 || c == 0x7f)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                       _("The IMAP server sent a control character in a quoted string"));
          return FALSE;
        }

      i++;
      len++;
    }

  value = mail_imap_response_new_value (self->cur, MAIL_IMAP_VALUE_QUOTED);
  out = mail_imap_response_alloc (self->cur, len + 1);
  value->str = out;
  value->len = len;

  for (gsize j = *pos + 1; j < i; j++)
    {
      if (p[j] == '\\')
        j++;
      *out++ = p[j];
    }
  *out = '\0';

  if (high && !g_utf8_validate (value->str, len, NULL))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent invalid UTF-8"));
      return FALSE;
    }

  *pos = i + 1;
  return push_value (self, value, error);
}

static gboolean
deliver_streamed (MailImapParser  *self,
                  const guint8    *data,
                  gsize            len,
                  GError         **error)
{
  MailImapLiteralInfo info = {
    self->cur, self->literal_section, self->literal_size, self->literal_done,
    self->literal_binary,
  };

  if (self->literal_func != NULL)
    return self->literal_func (self, &info, data, len, self->literal_data, error);

  if (len == 0)
    return TRUE;

  return g_output_stream_write_all (self->literal_stream, data, len, NULL, NULL, error);
}

static gboolean
finish_literal (MailImapParser  *self,
                GError         **error)
{
  MailImapValue *value;

  if (self->literal_streamed)
    {
      value = mail_imap_response_new_value (self->cur, MAIL_IMAP_VALUE_STREAMED);
    }
  else
    {
      value = mail_imap_response_new_value (self->cur, MAIL_IMAP_VALUE_LITERAL);
      self->literal_buf[self->literal_size] = '\0';
      value->str = self->literal_buf;
    }

  value->len = self->literal_size;
  value->binary = self->literal_binary;

  self->mode = READ_LINE;
  self->literal_buf = NULL;
  self->literal_section = NULL;

  return push_value (self, value, error);
}

static gboolean
begin_literal (MailImapParser  *self,
               const char      *p,
               gsize            n,
               gsize            pos,
               GError         **error)
{
  gboolean binary = p[pos] == '~';
  gsize start = pos + (binary ? 2 : 1);
  gsize i = start;
  guint64 size;
  gboolean stream = FALSE;
  const char *section = NULL;

  while (i < n && g_ascii_isdigit (p[i]))
    i++;

  if (i < n && p[i] == '+' && i > start)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a non-synchronizing literal"));
      return FALSE;
    }

  if (i == start || i >= n || p[i] != '}')
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a literal with an invalid length"));
      return FALSE;
    }

  if (i + 1 != n)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a literal that does not end the line"));
      return FALSE;
    }

  if (!mail_imap_parse_number (p + start, i - start, G_MAXUINT32, &size))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a literal length that is out of range"));
      return FALSE;
    }

  if ((self->literal_func != NULL || self->literal_stream != NULL) &&
      self->cur->kind == MAIL_IMAP_RESPONSE_UNTAGGED &&
      g_strcmp0 (self->cur->name, "FETCH") == 0 &&
      self->frames->len == 1)
    {
      guint first = g_array_index (self->frames, guint, 0);
      guint count = self->scratch->len - first;

      /* FETCH items come in pairs: the literal must be the value of a body-section key. */
      if (count % 2 == 1)
        {
          const MailImapValue *key = g_ptr_array_index (self->scratch, self->scratch->len - 1);

          if (key->type == MAIL_IMAP_VALUE_ATOM && is_streamable_section (key->str))
            {
              stream = TRUE;
              section = key->str;
            }
        }
    }

  if (size > (stream ? self->max_streamed : self->max_literal))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                   _("The IMAP server sent a literal larger than allowed"));
      return FALSE;
    }

  if (!stream && self->cur->arena_size + size > self->max_response)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                   _("The IMAP server sent a response that is too large"));
      return FALSE;
    }

  self->mode = READ_LITERAL;
  self->literal_size = size;
  self->literal_done = 0;
  self->literal_binary = binary;
  self->literal_streamed = stream;
  self->literal_section = section;
  self->literal_buf = stream ? NULL : mail_imap_response_alloc (self->cur, size + 1);

  if (size == 0)
    {
      if (stream && !deliver_streamed (self, (const guint8 *) "", 0, error))
        return FALSE;
      return finish_literal (self, error);
    }

  return TRUE;
}

/* Tokenises values until the end of the segment, a literal announcement, or (in a response
 * code) the closing bracket. Lists nest through self->frames, never through the C stack. */
static gboolean
tokenize (MailImapParser  *self,
          const char      *p,
          gsize            n,
          gsize           *pos,
          gboolean         in_code,
          guint            base_depth,
          Step            *step,
          GError         **error)
{
  gsize i = *pos;

  while (i < n)
    {
      char c = p[i];

      if (c == ' ')
        {
          i++;
        }
      else if (c == '(')
        {
          guint start = self->scratch->len;

          if (self->frames->len >= self->max_depth)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                           _("The IMAP server sent lists nested too deeply"));
              return FALSE;
            }
          g_array_append_val (self->frames, start);
          i++;
        }
      else if (c == ')')
        {
          guint start;

          if (self->frames->len <= base_depth)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent an unbalanced parenthesis"));
              return FALSE;
            }
          start = g_array_index (self->frames, guint, self->frames->len - 1);
          g_array_set_size (self->frames, self->frames->len - 1);
          if (!push_value (self, collect_list (self, start), error))
            return FALSE;
          i++;
        }
      else if (c == '"')
        {
          if (!read_quoted (self, p, n, &i, error))
            return FALSE;
        }
      else if (c == '{' || (c == '~' && i + 1 < n && p[i + 1] == '{'))
        {
          if (in_code)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent a literal inside a response code"));
              return FALSE;
            }
          /* The literal ends the segment; the response goes on with the next one (at once
           * for an empty literal, after the literal bytes otherwise). */
          if (!begin_literal (self, p, n, i, error))
            return FALSE;
          *pos = n;
          *step = STEP_LITERAL;
          return TRUE;
        }
      else if (c == ']' && in_code)
        {
          if (self->frames->len > base_depth)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent an unbalanced parenthesis"));
              return FALSE;
            }
          *pos = i + 1;
          *step = STEP_CODE_END;
          return TRUE;
        }
      else
        {
          if (!read_atom (self, p, n, &i, in_code, error))
            return FALSE;
        }
    }

  if (in_code)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent an unterminated response code"));
      return FALSE;
    }

  *pos = i;
  *step = STEP_DONE;
  return TRUE;
}

static gboolean
is_structured_code (const char *code)
{
  static const char *const codes[] = {
    "APPENDUID", "BADCHARSET", "CAPABILITY", "COPYUID", "HIGHESTMODSEQ", "MODIFIED",
    "PERMANENTFLAGS", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "MAILBOXID", "OBJECTID",
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      if (strcmp (code, codes[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/* resp-text = ["[" resp-text-code "]" SP] text */
static gboolean
read_resp_text (MailImapParser  *self,
                const char      *p,
                gsize            n,
                gsize            pos,
                GError         **error)
{
  MailImapResponse *resp = self->cur;

  if (pos < n && p[pos] == '[')
    {
      gsize start = pos + 1;
      gsize i = start;
      gsize args_start;

      while (i < n && is_atom_char (p[i]))
        i++;

      if (i == start || i >= n || (p[i] != ' ' && p[i] != ']'))
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                       _("The IMAP server sent a malformed response code"));
          return FALSE;
        }

      resp->code = make_upper (self, p + start, i - start);
      args_start = p[i] == ' ' ? i + 1 : i;

      if (is_structured_code (resp->code) && p[i] == ' ')
        {
          Step step = STEP_DONE;
          gsize j = args_start;

          if (!tokenize (self, p, n, &j, TRUE, 0, &step, error))
            return FALSE;
          g_assert (step == STEP_CODE_END);
          resp->code_args = collect_list (self, 0);
          resp->code_text = mail_imap_response_strndup (resp, p + args_start,
                                                        j - 1 - args_start);
          pos = j;
        }
      else
        {
          const char *close = memchr (p + i, ']', n - i);

          if (close == NULL)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent an unterminated response code"));
              return FALSE;
            }

          resp->code_args = mail_imap_response_new_value (resp, MAIL_IMAP_VALUE_LIST);
          resp->code_text = make_text (self, p + args_start, close - (p + args_start));
          pos = close - p + 1;
        }

      if (pos < n && p[pos] == ' ')
        pos++;
    }

  resp->text = make_text (self, p + pos, n - pos);
  return TRUE;
}

static MailImapStatus
status_from_word (const char *word,
                  gsize       len)
{
  static const struct { const char *name; MailImapStatus status; } map[] = {
    { "OK", MAIL_IMAP_STATUS_OK },
    { "NO", MAIL_IMAP_STATUS_NO },
    { "BAD", MAIL_IMAP_STATUS_BAD },
    { "PREAUTH", MAIL_IMAP_STATUS_PREAUTH },
    { "BYE", MAIL_IMAP_STATUS_BYE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (strlen (map[i].name) == len && g_ascii_strncasecmp (word, map[i].name, len) == 0)
        return map[i].status;
    }

  return MAIL_IMAP_STATUS_NONE;
}

/* Reads the run of atom characters at *pos; returns its length (0 if none). */
static gsize
read_word (const char *p,
           gsize       n,
           gsize      *pos)
{
  gsize start = *pos;

  while (*pos < n && is_atom_char (p[*pos]))
    (*pos)++;

  return *pos - start;
}

/* Parses the start of a response. Returns TRUE with *data_pos set when values follow
 * (data responses), or TRUE with *data_pos == G_MAXSIZE when the response is complete. */
static gboolean
read_header (MailImapParser  *self,
             const char      *p,
             gsize            n,
             gsize           *data_pos,
             GError         **error)
{
  MailImapResponse *resp = self->cur;
  gsize pos = 0;
  gsize start;
  gsize len;

  *data_pos = G_MAXSIZE;

  if (n == 0)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent an empty line"));
      return FALSE;
    }

  if (p[0] == '+')
    {
      pos = (n > 1 && p[1] == ' ') ? 2 : 1;
      resp->kind = MAIL_IMAP_RESPONSE_CONTINUATION;
      resp->text = make_text (self, p + pos, n - pos);
      return TRUE;
    }

  if (p[0] == '*')
    {
      resp->kind = MAIL_IMAP_RESPONSE_UNTAGGED;
      if (n < 3 || p[1] != ' ')
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                       _("The IMAP server sent a malformed untagged response"));
          return FALSE;
        }
      pos = 2;
      start = pos;
      len = read_word (p, n, &pos);

      if (len > 0 && g_ascii_isdigit (p[start]))
        {
          guint64 number;

          if (!mail_imap_parse_number (p + start, len, G_MAXUINT32, &number))
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent a message number that is out of range"));
              return FALSE;
            }
          resp->has_number = TRUE;
          resp->number = (guint32) number;

          if (pos >= n || p[pos] != ' ')
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent a malformed untagged response"));
              return FALSE;
            }
          pos++;
          start = pos;
          len = read_word (p, n, &pos);
        }

      if (len == 0 || (pos < n && p[pos] != ' '))
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                       _("The IMAP server sent a malformed untagged response"));
          return FALSE;
        }

      resp->name = make_upper (self, p + start, len);
      resp->status = status_from_word (p + start, len);
      if (pos < n)
        pos++;

      if (resp->status != MAIL_IMAP_STATUS_NONE)
        {
          if (resp->has_number)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                           _("The IMAP server sent a malformed untagged response"));
              return FALSE;
            }
          return read_resp_text (self, p, n, pos, error);
        }

      *data_pos = pos;
      return TRUE;
    }

  /* Tagged: tag SP ("OK" / "NO" / "BAD") [SP resp-text] */
  resp->kind = MAIL_IMAP_RESPONSE_TAGGED;
  start = pos;
  while (pos < n && is_atom_char (p[pos]) && p[pos] != '+')
    pos++;

  if (pos == start || pos >= n || p[pos] != ' ')
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a response with an invalid tag"));
      return FALSE;
    }
  resp->tag = mail_imap_response_strndup (resp, p + start, pos - start);
  pos++;

  start = pos;
  len = read_word (p, n, &pos);
  resp->status = status_from_word (p + start, len);
  if (resp->status != MAIL_IMAP_STATUS_OK &&
      resp->status != MAIL_IMAP_STATUS_NO &&
      resp->status != MAIL_IMAP_STATUS_BAD)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a tagged response without OK, NO or BAD"));
      return FALSE;
    }
  if (pos < n && p[pos] != ' ')
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a tagged response without OK, NO or BAD"));
      return FALSE;
    }
  resp->name = make_upper (self, p + start, len);
  if (pos < n)
    pos++;

  return read_resp_text (self, p, n, pos, error);
}

static void
complete_response (MailImapParser *self)
{
  MailImapResponse *resp = g_steal_pointer (&self->cur);

  if (resp->data == NULL)
    resp->data = mail_imap_response_new_value (resp, MAIL_IMAP_VALUE_LIST);

  g_queue_push_tail (&self->ready, resp);
  g_ptr_array_set_size (self->scratch, 0);
  g_array_set_size (self->frames, 0);
}

/* One line segment, without its CRLF, already checked for NUL and CR. */
static gboolean
process_segment (MailImapParser  *self,
                 const char      *p,
                 gsize            n,
                 GError         **error)
{
  gsize pos = 0;
  Step step = STEP_DONE;

  if (self->cur == NULL)
    {
      self->cur = mail_imap_response_new ();

      if (!read_header (self, p, n, &pos, error))
        return FALSE;

      if (pos == G_MAXSIZE)
        {
          complete_response (self);
          return TRUE;
        }
    }

  if (!tokenize (self, p, n, &pos, FALSE, 0, &step, error))
    return FALSE;

  /* A literal was announced: the response continues after it. */
  if (step == STEP_LITERAL)
    return TRUE;

  if (self->frames->len > 0)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent an unterminated list"));
      return FALSE;
    }

  self->cur->data = collect_list (self, 0);
  complete_response (self);
  return TRUE;
}

static gboolean
check_line (const char  *p,
            gsize        n,
            GError     **error)
{
  if (memchr (p, '\0', n) != NULL)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a NUL byte outside a literal"));
      return FALSE;
    }

  if (memchr (p, '\r', n) != NULL)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server sent a bare carriage return"));
      return FALSE;
    }

  return TRUE;
}

/* A complete line including its LF. */
static gboolean
process_line (MailImapParser  *self,
              const char      *p,
              gsize            n,
              GError         **error)
{
  if (n < 2 || p[n - 2] != '\r')
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("The IMAP server ended a line without a carriage return"));
      return FALSE;
    }

  if (!check_line (p, n - 2, error))
    return FALSE;

  return process_segment (self, p, n - 2, error);
}

static gboolean
consume_literal (MailImapParser  *self,
                 const guint8    *data,
                 gsize            len,
                 GError         **error)
{
  if (self->literal_streamed)
    {
      if (!deliver_streamed (self, data, len, error))
        return FALSE;
    }
  else
    {
      memcpy (self->literal_buf + self->literal_done, data, len);
    }

  self->literal_done += len;

  if (self->literal_done == self->literal_size)
    return finish_literal (self, error);

  return TRUE;
}

static gboolean
feed_internal (MailImapParser  *self,
               const guint8    *data,
               gsize            len,
               GError         **error)
{
  while (len > 0)
    {
      const guint8 *nl;
      gsize seg;

      if (self->mode == READ_LITERAL)
        {
          gsize take = (gsize) MIN ((guint64) len, self->literal_size - self->literal_done);

          if (!consume_literal (self, data, take, error))
            return FALSE;
          data += take;
          len -= take;
          continue;
        }

      nl = memchr (data, '\n', len);
      if (nl == NULL)
        {
          if (self->line->len + len > self->max_line)
            {
              g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                           _("The IMAP server sent a line that is too long"));
              return FALSE;
            }
          g_byte_array_append (self->line, data, len);
          return TRUE;
        }

      seg = nl - data + 1;
      if (self->line->len + seg > self->max_line)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                       _("The IMAP server sent a line that is too long"));
          return FALSE;
        }

      if (self->line->len == 0)
        {
          if (!process_line (self, (const char *) data, seg, error))
            return FALSE;
        }
      else
        {
          g_byte_array_append (self->line, data, seg);
          if (!process_line (self, (const char *) self->line->data, self->line->len, error))
            return FALSE;
          g_byte_array_set_size (self->line, 0);
        }

      data += seg;
      len -= seg;
    }

  return TRUE;
}

static gboolean
check_failed (MailImapParser  *self,
              GError         **error)
{
  if (self->error == NULL)
    return FALSE;

  g_propagate_error (error, g_error_copy (self->error));
  return TRUE;
}

static gboolean
record_failure (MailImapParser  *self,
                GError         **error,
                GError          *local)
{
  self->error = g_error_copy (local);
  g_propagate_error (error, local);
  clear_current (self);
  g_byte_array_set_size (self->line, 0);

  return FALSE;
}

static void
mail_imap_parser_finalize (GObject *object)
{
  MailImapParser *self = (MailImapParser *) object;

  clear_current (self);
  g_queue_clear_full (&self->ready, (GDestroyNotify) mail_imap_response_unref);
  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->scratch, g_ptr_array_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_error (&self->error);
  if (self->literal_destroy != NULL)
    self->literal_destroy (self->literal_data);
  g_clear_object (&self->literal_stream);

  G_OBJECT_CLASS (mail_imap_parser_parent_class)->finalize (object);
}

static void
mail_imap_parser_class_init (MailImapParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_imap_parser_finalize;
}

static void
mail_imap_parser_init (MailImapParser *self)
{
  self->max_line = MAIL_IMAP_PARSER_DEFAULT_MAX_LINE_LENGTH;
  self->max_literal = MAIL_IMAP_PARSER_DEFAULT_MAX_LITERAL_SIZE;
  self->max_streamed = MAIL_IMAP_PARSER_DEFAULT_MAX_STREAMED_SIZE;
  self->max_depth = MAIL_IMAP_PARSER_DEFAULT_MAX_DEPTH;
  self->max_response = MAIL_IMAP_PARSER_DEFAULT_MAX_RESPONSE_SIZE;
  self->line = g_byte_array_new ();
  self->scratch = g_ptr_array_new ();
  self->frames = g_array_new (FALSE, FALSE, sizeof (guint));
  g_queue_init (&self->ready);
}

/**
 * mail_imap_parser_new:
 *
 * Creates a parser with the default limits.
 *
 * Returns: (transfer full): a new #MailImapParser
 */
MailImapParser *
mail_imap_parser_new (void)
{
  return g_object_new (MAIL_TYPE_IMAP_PARSER, NULL);
}

/**
 * mail_imap_parser_set_max_line_length:
 * @self: a #MailImapParser
 * @max_line_length: bytes, including CRLF
 *
 * Sets the longest line segment buffered before failing with %MAIL_IMAP_ERROR_LIMIT.
 */
void
mail_imap_parser_set_max_line_length (MailImapParser *self,
                                      gsize           max_line_length)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));
  g_return_if_fail (max_line_length >= 3);

  self->max_line = max_line_length;
}

/**
 * mail_imap_parser_get_max_line_length:
 * @self: a #MailImapParser
 *
 * Returns: the line cap, in bytes
 */
gsize
mail_imap_parser_get_max_line_length (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  return self->max_line;
}

/**
 * mail_imap_parser_set_max_literal_size:
 * @self: a #MailImapParser
 * @max_size: bytes
 *
 * Sets the largest literal kept in memory.
 */
void
mail_imap_parser_set_max_literal_size (MailImapParser *self,
                                       guint64         max_size)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));

  self->max_literal = max_size;
}

/**
 * mail_imap_parser_get_max_literal_size:
 * @self: a #MailImapParser
 *
 * Returns: the in-memory literal cap, in bytes
 */
guint64
mail_imap_parser_get_max_literal_size (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  return self->max_literal;
}

/**
 * mail_imap_parser_set_max_streamed_size:
 * @self: a #MailImapParser
 * @max_size: bytes
 *
 * Sets the largest literal accepted for the literal sink.
 */
void
mail_imap_parser_set_max_streamed_size (MailImapParser *self,
                                        guint64         max_size)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));

  self->max_streamed = max_size;
}

/**
 * mail_imap_parser_get_max_streamed_size:
 * @self: a #MailImapParser
 *
 * Returns: the streamed literal cap, in bytes
 */
guint64
mail_imap_parser_get_max_streamed_size (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  return self->max_streamed;
}

/**
 * mail_imap_parser_set_max_depth:
 * @self: a #MailImapParser
 * @max_depth: the deepest list nesting accepted, 1 to 4096
 *
 * Sets the list nesting cap.
 */
void
mail_imap_parser_set_max_depth (MailImapParser *self,
                                guint           max_depth)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));
  g_return_if_fail (max_depth >= 1 && max_depth <= 4096);

  self->max_depth = max_depth;
}

/**
 * mail_imap_parser_get_max_depth:
 * @self: a #MailImapParser
 *
 * Returns: the list nesting cap
 */
guint
mail_imap_parser_get_max_depth (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  return self->max_depth;
}

/**
 * mail_imap_parser_set_max_response_size:
 * @self: a #MailImapParser
 * @max_size: bytes
 *
 * Sets the most memory one parsed response may take.
 */
void
mail_imap_parser_set_max_response_size (MailImapParser *self,
                                        gsize           max_size)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));

  self->max_response = max_size;
}

/**
 * mail_imap_parser_get_max_response_size:
 * @self: a #MailImapParser
 *
 * Returns: the response memory cap, in bytes
 */
gsize
mail_imap_parser_get_max_response_size (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  return self->max_response;
}

/**
 * mail_imap_parser_set_utf8_accept:
 * @self: a #MailImapParser
 * @utf8_accept: whether UTF8=ACCEPT is enabled
 *
 * With UTF8=ACCEPT (RFC 6855) enabled, quoted strings and atoms may carry UTF-8; it must be
 * valid. Without it, 8-bit bytes outside literals are an error.
 */
void
mail_imap_parser_set_utf8_accept (MailImapParser *self,
                                  gboolean        utf8_accept)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));

  self->utf8_accept = !!utf8_accept;
}

/**
 * mail_imap_parser_get_utf8_accept:
 * @self: a #MailImapParser
 *
 * Returns: whether UTF8=ACCEPT parsing is on
 */
gboolean
mail_imap_parser_get_utf8_accept (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), FALSE);

  return self->utf8_accept;
}

/**
 * mail_imap_parser_set_literal_func:
 * @self: a #MailImapParser
 * @func: (nullable): the sink, or %NULL to keep every literal in memory
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Makes message-body literals of FETCH responses (`BODY[...]`, `BINARY[...]`, `RFC822`,
 * `RFC822.TEXT`) go to @func as they arrive, up to the streamed cap. The response then holds
 * a %MAIL_IMAP_VALUE_STREAMED node with the size only. Other literals stay in memory.
 */
void
mail_imap_parser_set_literal_func (MailImapParser      *self,
                                   MailImapLiteralFunc  func,
                                   gpointer             user_data,
                                   GDestroyNotify       destroy)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));
  g_return_if_fail (self->mode != READ_LITERAL);

  if (self->literal_destroy != NULL)
    self->literal_destroy (self->literal_data);

  self->literal_func = func;
  self->literal_data = user_data;
  self->literal_destroy = destroy;
}

/**
 * mail_imap_parser_set_literal_stream:
 * @self: a #MailImapParser
 * @stream: (nullable): where message-body literals are written, blocking
 *
 * Like mail_imap_parser_set_literal_func(), writing the bytes to @stream (for example a
 * #GMemoryOutputStream or a file stream). A literal function, if set, takes precedence.
 */
void
mail_imap_parser_set_literal_stream (MailImapParser *self,
                                     GOutputStream  *stream)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));
  g_return_if_fail (stream == NULL || G_IS_OUTPUT_STREAM (stream));
  g_return_if_fail (self->mode != READ_LITERAL);

  g_set_object (&self->literal_stream, stream);
}

/**
 * mail_imap_parser_feed:
 * @self: a #MailImapParser
 * @data: (array length=len): bytes read from the server
 * @len: the number of bytes
 * @error: return location for a #MailImapError or a sink error
 *
 * Parses the next bytes. Complete responses are queued for mail_imap_parser_pop(); streamed
 * literal bytes are handed to the sink right away. Chunks may be cut anywhere. After an
 * error the parser stays failed and every further call returns the same error.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_parser_feed (MailImapParser  *self,
                       const guint8    *data,
                       gsize            len,
                       GError         **error)
{
  GError *local = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (check_failed (self, error))
    return FALSE;

  if (!feed_internal (self, data, len, &local))
    return record_failure (self, error, local);

  return TRUE;
}

/**
 * mail_imap_parser_feed_line:
 * @self: a #MailImapParser
 * @line: (array length=len): one line as read by a line reader, without its CRLF
 * @len: its length
 * @error: return location for a #MailImapError
 *
 * For readers that split lines themselves: parses one line. When it announces a literal,
 * mail_imap_parser_get_literal_remaining() says how many bytes to read and pass to
 * mail_imap_parser_feed() before the next line.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_parser_feed_line (MailImapParser  *self,
                            const char      *line,
                            gsize            len,
                            GError         **error)
{
  GError *local = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), FALSE);
  g_return_val_if_fail (line != NULL || len == 0, FALSE);

  if (check_failed (self, error))
    return FALSE;

  if (self->mode != READ_LINE || self->line->len > 0)
    {
      g_set_error (&local, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                   _("A line was passed to the IMAP parser while it expected literal bytes"));
      return record_failure (self, error, local);
    }

  if (len + 2 > self->max_line)
    {
      g_set_error (&local, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                   _("The IMAP server sent a line that is too long"));
      return record_failure (self, error, local);
    }

  if (!check_line (line, len, &local) || !process_segment (self, line, len, &local))
    return record_failure (self, error, local);

  return TRUE;
}

/**
 * mail_imap_parser_get_literal_remaining:
 * @self: a #MailImapParser
 *
 * Returns: the literal bytes still expected before the next line, 0 when reading lines
 */
guint64
mail_imap_parser_get_literal_remaining (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  if (self->mode != READ_LITERAL)
    return 0;

  return self->literal_size - self->literal_done;
}

/**
 * mail_imap_parser_finish:
 * @self: a #MailImapParser
 * @error: return location for a #MailImapError
 *
 * Tells the parser the connection ended. Fails with %MAIL_IMAP_ERROR_TRUNCATED when it ended
 * in the middle of a response (a partial line, or a literal shorter than announced).
 *
 * Returns: %TRUE if the stream ended between responses
 */
gboolean
mail_imap_parser_finish (MailImapParser  *self,
                         GError         **error)
{
  GError *local = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), FALSE);

  if (check_failed (self, error))
    return FALSE;

  if (self->cur != NULL || self->line->len > 0)
    {
      g_set_error (&local, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_TRUNCATED,
                   _("The IMAP connection ended in the middle of a response"));
      return record_failure (self, error, local);
    }

  return TRUE;
}

/**
 * mail_imap_parser_pop:
 * @self: a #MailImapParser
 *
 * Returns: (transfer full) (nullable): the oldest complete response, or %NULL
 */
MailImapResponse *
mail_imap_parser_pop (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), NULL);

  return g_queue_pop_head (&self->ready);
}

/**
 * mail_imap_parser_get_n_ready:
 * @self: a #MailImapParser
 *
 * Returns: the number of complete responses waiting in the queue
 */
guint
mail_imap_parser_get_n_ready (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  return self->ready.length;
}

/**
 * mail_imap_parser_has_pending_data:
 * @self: a #MailImapParser
 *
 * Whether anything was received beyond the responses already popped: queued responses, a
 * partial line or a response in progress. After the tagged OK to STARTTLS this must be
 * %FALSE, or someone injected plaintext responses.
 *
 * Returns: %TRUE if there is unconsumed data
 */
gboolean
mail_imap_parser_has_pending_data (MailImapParser *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), FALSE);

  return self->ready.length > 0 || self->cur != NULL || self->line->len > 0;
}

/**
 * mail_imap_parser_get_memory_size:
 * @self: a #MailImapParser
 *
 * Returns: the bytes held for the line and the response in progress (not the queue)
 */
gsize
mail_imap_parser_get_memory_size (MailImapParser *self)
{
  gsize size;

  g_return_val_if_fail (MAIL_IS_IMAP_PARSER (self), 0);

  size = self->line->len + self->scratch->len * sizeof (gpointer) +
         self->frames->len * sizeof (guint);
  if (self->cur != NULL)
    size += mail_imap_response_get_size (self->cur);

  return size;
}

/**
 * mail_imap_parser_reset:
 * @self: a #MailImapParser
 *
 * Forgets all received data, queued responses and a previous error, keeping the limits and
 * the sink: for a new connection.
 */
void
mail_imap_parser_reset (MailImapParser *self)
{
  g_return_if_fail (MAIL_IS_IMAP_PARSER (self));

  clear_current (self);
  g_byte_array_set_size (self->line, 0);
  g_queue_clear_full (&self->ready, (GDestroyNotify) mail_imap_response_unref);
  g_queue_init (&self->ready);
  g_clear_error (&self->error);
}
