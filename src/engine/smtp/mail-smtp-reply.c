/* mail-smtp-reply.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-smtp"

#include "config.h"

#include "mail-smtp-reply.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-smtp-error.h"

/* A parsed SMTP reply (RFC 5321 §4.2): one three-digit code shared by all its lines, the
 * optional RFC 3463 enhanced status code, and the text of each line without either code.
 * Pure data: nothing here touches the network, so the fuzzer can drive it directly. */
struct _MailSmtpReply
{
  gatomicrefcount   ref_count;
  guint             code;
  gboolean          has_enhanced;
  guint             enhanced[3];
  char             *enhanced_str;
  GPtrArray        *lines;
};

struct _MailSmtpReplyParser
{
  MailSmtpReply *current;
};

G_DEFINE_BOXED_TYPE (MailSmtpReply, mail_smtp_reply, mail_smtp_reply_ref, mail_smtp_reply_unref)

static MailSmtpReply *
reply_new (guint code)
{
  MailSmtpReply *reply = g_new0 (MailSmtpReply, 1);

  g_atomic_ref_count_init (&reply->ref_count);
  reply->code = code;
  reply->lines = g_ptr_array_new_with_free_func (g_free);
  return reply;
}

static void
set_protocol_error (GError     **error,
                    const char  *why)
{
  g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
               _("The server sent an invalid reply (%s)"), why);
}

/* Parses "C.SSS.DDD" at the start of @text (RFC 3463). Returns the number of bytes used,
 * including one following space, or 0 when @text does not start with a well-formed code of
 * the reply's class; the text is then kept as it is. */
static gsize
parse_enhanced (const char *text,
                gsize       len,
                guint       reply_class,
                guint       out[3])
{
  gsize i = 0;

  for (guint part = 0; part < 3; part++)
    {
      guint value = 0;
      guint digits = 0;
      guint max_digits = part == 0 ? 1 : 3;

      while (i < len && g_ascii_isdigit (text[i]) && digits < max_digits)
        {
          value = value * 10 + (guint) (text[i] - '0');
          digits++;
          i++;
        }

      if (digits == 0)
        return 0;

      out[part] = value;

      if (part < 2)
        {
          if (i >= len || text[i] != '.')
            return 0;
          i++;
        }
    }

  if (i < len && text[i] != ' ')
    return 0;
  if (out[0] != reply_class || (out[0] != 2 && out[0] != 4 && out[0] != 5))
    return 0;

  return i < len ? i + 1 : i;
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
          set_protocol_error (error, _("control character in reply text"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * mail_smtp_reply_ref:
 * @reply: a reply
 *
 * Returns: (transfer full): @reply
 */
MailSmtpReply *
mail_smtp_reply_ref (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  g_atomic_ref_count_inc (&reply->ref_count);
  return reply;
}

/**
 * mail_smtp_reply_unref:
 * @reply: (transfer full): a reply
 */
void
mail_smtp_reply_unref (MailSmtpReply *reply)
{
  g_return_if_fail (reply != NULL);

  if (g_atomic_ref_count_dec (&reply->ref_count))
    {
      g_clear_pointer (&reply->lines, g_ptr_array_unref);
      g_clear_pointer (&reply->enhanced_str, g_free);
      g_free (reply);
    }
}

/**
 * mail_smtp_reply_get_code:
 * @reply: a reply
 *
 * Returns: the three-digit reply code, 200 to 559
 */
guint
mail_smtp_reply_get_code (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, 0);

  return reply->code;
}

/**
 * mail_smtp_reply_get_enhanced_code:
 * @reply: a reply
 * @klass: (out) (optional): the class, 2, 4 or 5
 * @subject: (out) (optional): the subject, 0 to 999
 * @detail: (out) (optional): the detail, 0 to 999
 *
 * Returns: %TRUE when the reply carried an RFC 3463 enhanced status code
 */
gboolean
mail_smtp_reply_get_enhanced_code (const MailSmtpReply *reply,
                                   guint               *klass,
                                   guint               *subject,
                                   guint               *detail)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  if (klass != NULL)
    *klass = reply->enhanced[0];
  if (subject != NULL)
    *subject = reply->enhanced[1];
  if (detail != NULL)
    *detail = reply->enhanced[2];

  return reply->has_enhanced;
}

/**
 * mail_smtp_reply_get_enhanced:
 * @reply: a reply
 *
 * Returns: (nullable) (transfer none): the enhanced status code as text ("5.7.8"), or %NULL
 */
const char *
mail_smtp_reply_get_enhanced (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return reply->enhanced_str;
}

/**
 * mail_smtp_reply_get_lines:
 * @reply: a reply
 *
 * The text of each line, without the reply code and without the enhanced status code.
 * Invalid UTF-8 has been replaced, control characters were refused by the parser.
 *
 * Returns: (transfer none) (array zero-terminated=1): the lines; at least one, maybe empty
 */
const char * const *
mail_smtp_reply_get_lines (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return (const char * const *) reply->lines->pdata;
}

/**
 * mail_smtp_reply_get_n_lines:
 * @reply: a reply
 *
 * Returns: how many lines the reply had
 */
guint
mail_smtp_reply_get_n_lines (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, 0);

  return reply->lines->len - 1;
}

/**
 * mail_smtp_reply_dup_text:
 * @reply: a reply
 *
 * Returns: (transfer full): the text of all lines joined with spaces
 */
char *
mail_smtp_reply_dup_text (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return g_strjoinv (" ", (char **) reply->lines->pdata);
}

/**
 * mail_smtp_reply_is_positive:
 * @reply: a reply
 *
 * Returns: %TRUE for a 2xx reply
 */
gboolean
mail_smtp_reply_is_positive (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 2;
}

/**
 * mail_smtp_reply_is_intermediate:
 * @reply: a reply
 *
 * Returns: %TRUE for a 3xx reply (go ahead with DATA, or an AUTH challenge)
 */
gboolean
mail_smtp_reply_is_intermediate (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 3;
}

/**
 * mail_smtp_reply_is_transient:
 * @reply: a reply
 *
 * Returns: %TRUE for a 4xx reply
 */
gboolean
mail_smtp_reply_is_transient (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 4;
}

/**
 * mail_smtp_reply_is_permanent:
 * @reply: a reply
 *
 * Returns: %TRUE for a 5xx reply
 */
gboolean
mail_smtp_reply_is_permanent (const MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 5;
}

/**
 * mail_smtp_reply_parser_new:
 *
 * An incremental reply parser: feed it one line at a time, as the connection reads them.
 *
 * Returns: (transfer full): a new parser
 */
MailSmtpReplyParser *
mail_smtp_reply_parser_new (void)
{
  return g_new0 (MailSmtpReplyParser, 1);
}

/**
 * mail_smtp_reply_parser_free:
 * @parser: (transfer full): a parser
 */
void
mail_smtp_reply_parser_free (MailSmtpReplyParser *parser)
{
  if (parser == NULL)
    return;

  g_clear_pointer (&parser->current, mail_smtp_reply_unref);
  g_free (parser);
}

/**
 * mail_smtp_reply_parser_reset:
 * @parser: a parser
 *
 * Forgets a half-read reply.
 */
void
mail_smtp_reply_parser_reset (MailSmtpReplyParser *parser)
{
  g_return_if_fail (parser != NULL);

  g_clear_pointer (&parser->current, mail_smtp_reply_unref);
}

/**
 * mail_smtp_reply_parser_is_idle:
 * @parser: a parser
 *
 * Returns: %TRUE when no reply is half read
 */
gboolean
mail_smtp_reply_parser_is_idle (const MailSmtpReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);

  return parser->current == NULL;
}

/**
 * mail_smtp_reply_parser_feed:
 * @parser: a parser
 * @line: (array length=len): one reply line, without its CRLF
 * @len: the length of @line in bytes
 * @reply: (out) (transfer full) (nullable): the complete reply, or %NULL if more lines follow
 * @error: return location for a %MAIL_SMTP_ERROR_PROTOCOL error
 *
 * Adds one line. The code must be three digits (2–5, 0–5, 0–9) followed by a space, a dash
 * (more lines follow) or the end of the line; every line of a reply must repeat the same code;
 * lines are at most %MAIL_SMTP_REPLY_MAX_LINE_LENGTH bytes, replies at most
 * %MAIL_SMTP_REPLY_MAX_LINES lines; control characters and NUL bytes are refused.
 * After a complete reply or an error the parser is ready for the next reply.
 *
 * Returns: %FALSE on a malformed line
 */
gboolean
mail_smtp_reply_parser_feed (MailSmtpReplyParser  *parser,
                             const char           *line,
                             gsize                 len,
                             MailSmtpReply       **reply,
                             GError              **error)
{
  guint code;
  gboolean more;
  const char *text;
  gsize text_len;
  gsize skip;
  guint enhanced[3] = { 0, 0, 0 };

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (line != NULL || len == 0, FALSE);
  g_return_val_if_fail (reply != NULL && *reply == NULL, FALSE);

  if (len > MAIL_SMTP_REPLY_MAX_LINE_LENGTH)
    {
      set_protocol_error (error, _("line too long"));
      goto fail;
    }

  if (len < 3 ||
      line[0] < '2' || line[0] > '5' ||
      line[1] < '0' || line[1] > '5' ||
      !g_ascii_isdigit (line[2]))
    {
      set_protocol_error (error, _("no valid reply code"));
      goto fail;
    }

  if (len > 3 && line[3] != ' ' && line[3] != '-')
    {
      set_protocol_error (error, _("no space after the reply code"));
      goto fail;
    }

  code = (guint) (line[0] - '0') * 100 + (guint) (line[1] - '0') * 10 + (guint) (line[2] - '0');
  more = len > 3 && line[3] == '-';
  text = len > 4 ? line + 4 : "";
  text_len = len > 4 ? len - 4 : 0;

  if (!validate_text (text, text_len, error))
    goto fail;

  if (parser->current == NULL)
    {
      parser->current = reply_new (code);
      skip = parse_enhanced (text, text_len, code / 100, enhanced);
      if (skip > 0)
        {
          parser->current->has_enhanced = TRUE;
          memcpy (parser->current->enhanced, enhanced, sizeof enhanced);
          parser->current->enhanced_str = g_strdup_printf ("%u.%u.%u",
                                                           enhanced[0], enhanced[1], enhanced[2]);
        }
    }
  else
    {
      if (parser->current->code != code)
        {
          set_protocol_error (error, _("reply code changed within a multi-line reply"));
          goto fail;
        }

      if (parser->current->lines->len >= MAIL_SMTP_REPLY_MAX_LINES)
        {
          set_protocol_error (error, _("too many lines"));
          goto fail;
        }

      /* Continuation lines repeat the enhanced code; drop it only when it is the same one. */
      skip = 0;
      if (parser->current->has_enhanced)
        {
          gsize n = parse_enhanced (text, text_len, code / 100, enhanced);

          if (n > 0 && memcmp (enhanced, parser->current->enhanced, sizeof enhanced) == 0)
            skip = n;
        }
    }

  g_ptr_array_add (parser->current->lines,
                   g_utf8_make_valid (text + skip, (gssize) (text_len - skip)));

  if (!more)
    {
      g_ptr_array_add (parser->current->lines, NULL);
      *reply = g_steal_pointer (&parser->current);
    }

  return TRUE;

fail:
  g_clear_pointer (&parser->current, mail_smtp_reply_unref);
  return FALSE;
}

/**
 * mail_smtp_reply_parse:
 * @data: (array length=len): one complete reply, lines ending in CRLF
 * @len: the length of @data
 * @error: return location for a %MAIL_SMTP_ERROR_PROTOCOL error
 *
 * Parses a whole reply at once, for tests and fuzzing. Lines must end in CRLF; anything after
 * the last line of the reply is an error.
 *
 * Returns: (transfer full) (nullable): the reply
 */
MailSmtpReply *
mail_smtp_reply_parse (const char  *data,
                       gsize        len,
                       GError     **error)
{
  g_autoptr(MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  while (pos < len)
    {
      MailSmtpReply *reply = NULL;
      const char *nl = memchr (data + pos, '\n', len - pos);
      gsize line_len;

      if (nl == NULL || nl == data + pos || nl[-1] != '\r')
        {
          set_protocol_error (error, _("line does not end in CRLF"));
          return NULL;
        }

      line_len = (gsize) (nl - (data + pos)) - 1;
      if (!mail_smtp_reply_parser_feed (parser, data + pos, line_len, &reply, error))
        return NULL;

      pos = (gsize) (nl - data) + 1;

      if (reply != NULL)
        {
          if (pos != len)
            {
              mail_smtp_reply_unref (reply);
              set_protocol_error (error, _("data after the end of the reply"));
              return NULL;
            }
          return reply;
        }
    }

  set_protocol_error (error, _("the reply ended early"));
  return NULL;
}
