/* mail-pop3-response.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-pop3"

#include "config.h"

#include "mail-pop3-response.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-pop3-error.h"

/* POP3 response parsing (RFC 1939, RFC 2449 response codes, RFC 5034 continuations).
 * Pure functions over lines the connection has already read (without CRLF), so the fuzzer
 * can drive them directly. Everything a server sends is checked; nothing is asserted. */

struct _MailPop3Response
{
  MailPop3Status  status;
  char           *code;
  char           *text;
};

struct _MailPop3Multiline
{
  GPtrArray *lines;
  guint      max_lines;
  gsize      max_bytes;
  gsize      n_bytes;
  gboolean   done;
};

static void
set_protocol_error (GError     **error,
                    const char  *why)
{
  g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
               _("The server sent an invalid response (%s)"), why);
}

static gboolean
validate_text (const char  *text,
               gsize        len,
               GError     **error)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          set_protocol_error (error, _("control character in response"));
          return FALSE;
        }
    }

  return TRUE;
}

/* resp-code = "[" resp-level *("/" resp-level) "]", resp-level = 1*<CHAR except "/" and "]">
 * (RFC 2449 §8). Returns the length of the bracketed code, or 0 if there is none. */
static gsize
scan_resp_code (const char *text,
                gsize       len)
{
  gsize i;
  gboolean level_empty = TRUE;

  if (len < 3 || text[0] != '[')
    return 0;

  for (i = 1; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (c == ']')
        return level_empty ? 0 : i + 1;

      if (c == '/')
        {
          if (level_empty)
            return 0;
          level_empty = TRUE;
        }
      else if (c > 0x20 && c < 0x7f && c != '[')
        level_empty = FALSE;
      else
        return 0;
    }

  return 0;
}

/* Strict decimal: 1–19 digits, no sign, no overflow. Returns the digits used, 0 if none. */
static gsize
parse_number (const char *s,
              guint64    *value)
{
  guint64 v = 0;
  gsize i = 0;

  while (g_ascii_isdigit (s[i]))
    {
      guint d = (guint) (s[i] - '0');

      if (v > (G_MAXUINT64 - d) / 10)
        return 0;
      v = v * 10 + d;
      i++;
    }

  *value = v;
  return i;
}

static gboolean
parse_msgno (const char  *s,
             gsize       *used,
             guint       *msgno)
{
  guint64 v = 0;
  gsize n = parse_number (s, &v);

  if (n == 0 || v == 0 || v > G_MAXUINT)
    return FALSE;

  *used = n;
  *msgno = (guint) v;
  return TRUE;
}

/**
 * mail_pop3_response_parse:
 * @line: (array length=len): a status line without CRLF
 * @len: its length in bytes
 * @allow_continue: whether a SASL continuation (`+ …`) is acceptable here
 * @error: return location for a %MAIL_POP3_ERROR_PROTOCOL error
 *
 * Parses `+OK`, `-ERR` (each optionally followed by a space, an RFC 2449 `[CODE]` and text)
 * or, with @allow_continue, `+` followed by a space and a base64 challenge.
 *
 * Returns: (transfer full) (nullable): the response
 */
MailPop3Response *
mail_pop3_response_parse (const char  *line,
                          gsize        len,
                          gboolean     allow_continue,
                          GError     **error)
{
  g_autoptr(MailPop3Response) response = NULL;
  MailPop3Status status;
  gsize pos;
  gsize code_len;

  g_return_val_if_fail (line != NULL || len == 0, NULL);

  if (len > MAIL_POP3_MAX_LINE_LENGTH)
    {
      set_protocol_error (error, _("line too long"));
      return NULL;
    }

  if (!validate_text (line, len, error))
    return NULL;

  if (len >= 3 && memcmp (line, "+OK", 3) == 0)
    {
      status = MAIL_POP3_STATUS_OK;
      pos = 3;
    }
  else if (len >= 4 && memcmp (line, "-ERR", 4) == 0)
    {
      status = MAIL_POP3_STATUS_ERR;
      pos = 4;
    }
  else if (allow_continue && len >= 1 && line[0] == '+' && (len == 1 || line[1] == ' '))
    {
      status = MAIL_POP3_STATUS_CONTINUE;
      pos = 1;
    }
  else
    {
      set_protocol_error (error, _("no +OK or -ERR"));
      return NULL;
    }

  if (pos < len && line[pos] != ' ')
    {
      set_protocol_error (error, _("no space after the status"));
      return NULL;
    }
  if (pos < len)
    pos++;

  response = g_new0 (MailPop3Response, 1);
  response->status = status;

  if (status != MAIL_POP3_STATUS_CONTINUE)
    {
      code_len = scan_resp_code (line + pos, len - pos);
      if (code_len > 0)
        {
          response->code = g_ascii_strup (line + pos + 1, (gssize) code_len - 2);
          pos += code_len;
          if (pos < len && line[pos] == ' ')
            pos++;
        }
    }

  response->text = g_utf8_make_valid (line + pos, (gssize) (len - pos));

  return g_steal_pointer (&response);
}

/**
 * mail_pop3_response_free:
 * @response: (transfer full) (nullable): a response
 */
void
mail_pop3_response_free (MailPop3Response *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->code, g_free);
  g_clear_pointer (&response->text, g_free);
  g_free (response);
}

/**
 * mail_pop3_response_get_status:
 * @response: a response
 *
 * Returns: the status indicator
 */
MailPop3Status
mail_pop3_response_get_status (const MailPop3Response *response)
{
  g_return_val_if_fail (response != NULL, MAIL_POP3_STATUS_ERR);

  return response->status;
}

/**
 * mail_pop3_response_is_ok:
 * @response: a response
 *
 * Returns: %TRUE for `+OK`
 */
gboolean
mail_pop3_response_is_ok (const MailPop3Response *response)
{
  g_return_val_if_fail (response != NULL, FALSE);

  return response->status == MAIL_POP3_STATUS_OK;
}

/**
 * mail_pop3_response_get_code:
 * @response: a response
 *
 * Returns: (nullable) (transfer none): the response code without brackets, upper case
 *   ("SYS/TEMP"), or %NULL
 */
const char *
mail_pop3_response_get_code (const MailPop3Response *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  return response->code;
}

/**
 * mail_pop3_response_has_code:
 * @response: a response
 * @code: a code such as "IN-USE", "SYS/TEMP" or just "SYS"
 *
 * Returns: whether the response code is @code or starts with @code and a slash
 */
gboolean
mail_pop3_response_has_code (const MailPop3Response *response,
                             const char             *code)
{
  gsize len;

  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (response->code == NULL)
    return FALSE;

  len = strlen (code);
  return g_ascii_strncasecmp (response->code, code, len) == 0 &&
         (response->code[len] == '\0' || response->code[len] == '/');
}

/**
 * mail_pop3_response_get_text:
 * @response: a response
 *
 * Returns: (transfer none): the human-readable text (or base64 challenge), maybe empty
 */
const char *
mail_pop3_response_get_text (const MailPop3Response *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  return response->text;
}

/**
 * mail_pop3_unstuff_line:
 * @line: (array length=len): one line of a multi-line response, without CRLF
 * @len: its length
 * @offset: (out): where the line's content starts (1 when a stuffed dot was removed)
 *
 * Undoes the byte-stuffing of RFC 1939 §3.
 *
 * Returns: %TRUE when @line is the terminating "."
 */
gboolean
mail_pop3_unstuff_line (const char *line,
                        gsize       len,
                        gsize      *offset)
{
  g_return_val_if_fail (line != NULL || len == 0, FALSE);
  g_return_val_if_fail (offset != NULL, FALSE);

  *offset = 0;

  if (len == 1 && line[0] == '.')
    return TRUE;

  if (len > 0 && line[0] == '.')
    *offset = 1;

  return FALSE;
}

/**
 * mail_pop3_multiline_new:
 * @max_lines: the most lines to accept before the terminator
 * @max_bytes: the most bytes to accept in total
 *
 * Collects the lines of a multi-line listing (CAPA, LIST, UIDL), dot-unstuffed.
 *
 * Returns: (transfer full): a new collector
 */
MailPop3Multiline *
mail_pop3_multiline_new (guint max_lines,
                         gsize max_bytes)
{
  MailPop3Multiline *ml = g_new0 (MailPop3Multiline, 1);

  /* The array always ends in NULL, so it can be handed out as a string vector. */
  ml->lines = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (ml->lines, NULL);
  ml->max_lines = max_lines;
  ml->max_bytes = max_bytes;
  return ml;
}

/**
 * mail_pop3_multiline_free:
 * @multiline: (transfer full) (nullable): a collector
 */
void
mail_pop3_multiline_free (MailPop3Multiline *multiline)
{
  if (multiline == NULL)
    return;

  g_clear_pointer (&multiline->lines, g_ptr_array_unref);
  g_free (multiline);
}

/**
 * mail_pop3_multiline_feed:
 * @multiline: a collector
 * @line: (array length=len): the next line, without CRLF
 * @len: its length
 * @done: (out): set to %TRUE when @line was the terminating "."
 * @error: return location for a %MAIL_POP3_ERROR_PROTOCOL error
 *
 * Returns: %FALSE when the listing is malformed or over its caps
 */
gboolean
mail_pop3_multiline_feed (MailPop3Multiline  *multiline,
                          const char         *line,
                          gsize               len,
                          gboolean           *done,
                          GError            **error)
{
  gsize offset = 0;

  g_return_val_if_fail (multiline != NULL, FALSE);
  g_return_val_if_fail (line != NULL || len == 0, FALSE);
  g_return_val_if_fail (done != NULL, FALSE);

  *done = FALSE;

  if (multiline->done)
    {
      set_protocol_error (error, _("data after the end of a listing"));
      return FALSE;
    }

  if (mail_pop3_unstuff_line (line, len, &offset))
    {
      multiline->done = TRUE;
      *done = TRUE;
      return TRUE;
    }

  if (len > MAIL_POP3_MAX_LINE_LENGTH)
    {
      set_protocol_error (error, _("line too long"));
      return FALSE;
    }

  if (multiline->lines->len - 1 >= multiline->max_lines ||
      len > multiline->max_bytes - multiline->n_bytes)
    {
      set_protocol_error (error, _("listing too long"));
      return FALSE;
    }

  if (!validate_text (line, len, error))
    return FALSE;

  multiline->n_bytes += len;
  multiline->lines->pdata[multiline->lines->len - 1] =
    g_utf8_make_valid (line + offset, (gssize) (len - offset));
  g_ptr_array_add (multiline->lines, NULL);
  return TRUE;
}

/**
 * mail_pop3_multiline_get_lines:
 * @multiline: a collector
 *
 * Returns: (transfer none) (array zero-terminated=1): the lines so far; valid until the
 *   next feed
 */
const char * const *
mail_pop3_multiline_get_lines (const MailPop3Multiline *multiline)
{
  g_return_val_if_fail (multiline != NULL, NULL);

  return (const char * const *) multiline->lines->pdata;
}

/**
 * mail_pop3_multiline_get_n_lines:
 * @multiline: a collector
 *
 * Returns: how many lines were collected
 */
guint
mail_pop3_multiline_get_n_lines (const MailPop3Multiline *multiline)
{
  g_return_val_if_fail (multiline != NULL, 0);

  return multiline->lines->len - 1;
}

/**
 * mail_pop3_parse_stat:
 * @text: the text of a positive STAT response
 * @count: (out): the number of messages
 * @size: (out): their total size in octets
 * @error: return location for a %MAIL_POP3_ERROR_PROTOCOL error
 *
 * Returns: %FALSE unless @text is "nn mm", optionally followed by a space and more text
 */
gboolean
mail_pop3_parse_stat (const char  *text,
                      guint       *count,
                      guint64     *size,
                      GError     **error)
{
  guint64 n = 0;
  gsize used;

  g_return_val_if_fail (text != NULL, FALSE);

  used = parse_number (text, &n);
  if (used == 0 || n > G_MAXUINT || text[used] != ' ')
    goto fail;
  text += used + 1;

  used = parse_number (text, size);
  if (used == 0 || (text[used] != '\0' && text[used] != ' '))
    goto fail;

  *count = (guint) n;
  return TRUE;

fail:
  set_protocol_error (error, _("malformed STAT reply"));
  return FALSE;
}

/**
 * mail_pop3_parse_list_line:
 * @line: one line of a LIST listing, or the text of a `LIST n` reply
 * @entry: (out caller-allocates): the message number and size; uid is %NULL
 * @error: return location for a %MAIL_POP3_ERROR_PROTOCOL error
 *
 * Returns: %FALSE unless @line is "msgno size" (trailing text after a space is allowed)
 */
gboolean
mail_pop3_parse_list_line (const char         *line,
                           MailPop3ListEntry  *entry,
                           GError            **error)
{
  gsize used = 0;
  gsize size_used;

  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  memset (entry, 0, sizeof *entry);

  if (!parse_msgno (line, &used, &entry->msgno) || line[used] != ' ')
    goto fail;
  line += used + 1;

  size_used = parse_number (line, &entry->size);
  if (size_used == 0 || (line[size_used] != '\0' && line[size_used] != ' '))
    goto fail;

  return TRUE;

fail:
  set_protocol_error (error, _("malformed LIST line"));
  return FALSE;
}

/**
 * mail_pop3_parse_uidl_line:
 * @line: one line of a UIDL listing, or the text of a `UIDL n` reply
 * @entry: (out caller-allocates): the message number and its unique id (free uid)
 * @error: return location for a %MAIL_POP3_ERROR_PROTOCOL error
 *
 * The unique id must be 1 to 70 characters from 0x21 to 0x7E (RFC 1939 §7); an empty id
 * (CVE-2018-14356) or one with spaces, control or 8-bit characters is refused.
 *
 * Returns: %FALSE on a malformed line
 */
gboolean
mail_pop3_parse_uidl_line (const char         *line,
                           MailPop3ListEntry  *entry,
                           GError            **error)
{
  gsize used = 0;
  gsize uid_len = 0;

  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  memset (entry, 0, sizeof *entry);

  if (!parse_msgno (line, &used, &entry->msgno) || line[used] != ' ')
    {
      set_protocol_error (error, _("malformed UIDL line"));
      return FALSE;
    }
  line += used + 1;

  while (line[uid_len] != '\0')
    {
      guchar c = (guchar) line[uid_len];

      if (c < 0x21 || c > 0x7e)
        {
          set_protocol_error (error, _("invalid character in a unique id"));
          return FALSE;
        }
      uid_len++;
    }

  if (uid_len == 0 || uid_len > MAIL_POP3_MAX_UID_LENGTH)
    {
      set_protocol_error (error, _("empty or over-long unique id"));
      return FALSE;
    }

  entry->uid = g_strndup (line, uid_len);
  return TRUE;
}

static void
clear_entry (gpointer data)
{
  MailPop3ListEntry *entry = data;

  g_clear_pointer (&entry->uid, g_free);
}

/**
 * mail_pop3_parse_listing:
 * @lines: (array zero-terminated=1): the unstuffed lines of a LIST or UIDL listing
 * @uidl: %TRUE for UIDL lines, %FALSE for LIST lines
 * @error: return location for a %MAIL_POP3_ERROR_PROTOCOL error
 *
 * Parses every line and refuses a listing that names a message number twice or, for UIDL,
 * gives two messages the same unique id.
 *
 * Returns: (transfer full) (element-type MailPop3ListEntry) (nullable): the entries
 */
GArray *
mail_pop3_parse_listing (const char * const  *lines,
                         gboolean             uidl,
                         GError             **error)
{
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GHashTable) msgnos = NULL;
  g_autoptr(GHashTable) uids = NULL;

  g_return_val_if_fail (lines != NULL, NULL);

  entries = g_array_new (FALSE, TRUE, sizeof (MailPop3ListEntry));
  g_array_set_clear_func (entries, clear_entry);
  msgnos = g_hash_table_new (NULL, NULL);
  uids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      MailPop3ListEntry entry;
      MailPop3ListEntry *stored;

      if (uidl ? !mail_pop3_parse_uidl_line (lines[i], &entry, error)
               : !mail_pop3_parse_list_line (lines[i], &entry, error))
        return NULL;

      g_array_append_val (entries, entry);
      stored = &g_array_index (entries, MailPop3ListEntry, entries->len - 1);

      if (!g_hash_table_add (msgnos, GUINT_TO_POINTER (stored->msgno)))
        {
          set_protocol_error (error, _("a message number appears twice"));
          return NULL;
        }
    }

  /* The array no longer moves: index the unique ids by pointer into it. */
  if (uidl)
    {
      for (guint i = 0; i < entries->len; i++)
        {
          MailPop3ListEntry *e = &g_array_index (entries, MailPop3ListEntry, i);

          if (!g_hash_table_add (uids, e->uid))
            {
              set_protocol_error (error, _("two messages have the same unique id"));
              return NULL;
            }
        }
    }

  return g_steal_pointer (&entries);
}

/**
 * mail_pop3_greeting_get_timestamp:
 * @text: the text of the server's `+OK` greeting
 *
 * Finds the APOP timestamp (RFC 1939 §7), a msg-id such as `<1896.697170952@dbc.mtview.ca.us>`.
 * It must contain an '@' and only printable ASCII, and be at most 256 bytes.
 *
 * Returns: (transfer full) (nullable): the timestamp with its angle brackets, or %NULL
 */
char *
mail_pop3_greeting_get_timestamp (const char *text)
{
  const char *start;
  const char *end;

  g_return_val_if_fail (text != NULL, NULL);

  start = strchr (text, '<');
  if (start == NULL)
    return NULL;

  end = strchr (start, '>');
  if (end == NULL || end - start > 256 || end - start < 3)
    return NULL;

  for (const char *p = start + 1; p < end; p++)
    {
      if ((guchar) *p < 0x21 || (guchar) *p > 0x7e || *p == '<')
        return NULL;
    }

  if (memchr (start, '@', (gsize) (end - start)) == NULL)
    return NULL;

  return g_strndup (start, (gsize) (end - start) + 1);
}
