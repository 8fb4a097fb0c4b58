/* test-imap-parser.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-imap-decode.h"
#include "mail-imap-error.h"
#include "mail-imap-fetch.h"
#include "mail-imap-parser.h"
#include "mail-test-utils.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                      */

/* Feeds @data in chunks of @chunk bytes (0 = all at once) and returns the dumps of all
 * responses, one per line, or NULL with @error set. */
static char *
parse_dump (MailImapParser  *parser,
            const char      *data,
            gsize            len,
            gsize            chunk,
            GError         **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  MailImapResponse *resp;
  gsize pos = 0;

  while (pos < len)
    {
      gsize n = chunk == 0 ? len - pos : MIN (chunk, len - pos);

      if (!mail_imap_parser_feed (parser, (const guint8 *) data + pos, n, error))
        return NULL;
      pos += n;

      while ((resp = mail_imap_parser_pop (parser)) != NULL)
        {
          g_autofree char *dump = mail_imap_response_dump (resp);

          g_string_append (out, dump);
          g_string_append_c (out, '\n');
          mail_imap_response_unref (resp);
        }
    }

  if (!mail_imap_parser_finish (parser, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Drives the parser the way a line reader would: a line (without CRLF) whenever no literal is
 * due, else exactly the literal bytes. */
static char *
parse_dump_lines (MailImapParser  *parser,
                  const char      *data,
                  gsize            len,
                  GError         **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  MailImapResponse *resp;
  gsize pos = 0;

  while (pos < len)
    {
      guint64 want = mail_imap_parser_get_literal_remaining (parser);

      if (want > 0)
        {
          gsize n = (gsize) MIN (want, (guint64) (len - pos));

          if (!mail_imap_parser_feed (parser, (const guint8 *) data + pos, n, error))
            return NULL;
          pos += n;
        }
      else
        {
          const char *crlf = g_strstr_len (data + pos, len - pos, "\r\n");

          g_assert_nonnull (crlf);
          if (!mail_imap_parser_feed_line (parser, data + pos, crlf - (data + pos), error))
            return NULL;
          pos = crlf - data + 2;
        }

      while ((resp = mail_imap_parser_pop (parser)) != NULL)
        {
          g_autofree char *dump = mail_imap_response_dump (resp);

          g_string_append (out, dump);
          g_string_append_c (out, '\n');
          mail_imap_response_unref (resp);
        }
    }

  if (!mail_imap_parser_finish (parser, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static MailImapResponse *
parse_one_len (const char *input,
               gsize       len)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  MailImapResponse *resp;

  mail_imap_parser_feed (parser, (const guint8 *) input, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_parser_get_n_ready (parser), ==, 1);
  resp = mail_imap_parser_pop (parser);
  g_assert_false (mail_imap_parser_has_pending_data (parser));

  return resp;
}

static MailImapResponse *
parse_one (const char *input)
{
  return parse_one_len (input, strlen (input));
}

static void
expect_error_with (MailImapParser *parser,
                   const char     *input,
                   gsize           len,
                   int             code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = mail_imap_parser_feed (parser, (const guint8 *) input, len, &error);
  if (ok)
    ok = mail_imap_parser_finish (parser, &error);

  g_assert_false (ok);
  g_assert_error (error, MAIL_IMAP_ERROR, code);
}

static void
expect_error (const char *input,
              int         code)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();

  expect_error_with (parser, input, strlen (input), code);
}

/* ------------------------------------------------------------------------------------------ */
/* Basic shapes                                                                                 */

static void
test_tagged (void)
{
  g_autoptr(MailImapResponse) resp = parse_one ("a002 OK [READ-WRITE] SELECT completed\r\n");

  g_assert_cmpint (mail_imap_response_get_kind (resp), ==, MAIL_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (mail_imap_response_get_tag (resp), ==, "a002");
  g_assert_cmpint (mail_imap_response_get_status (resp), ==, MAIL_IMAP_STATUS_OK);
  g_assert_cmpstr (mail_imap_response_get_code (resp), ==, "READ-WRITE");
  g_assert_cmpstr (mail_imap_response_get_code_text (resp), ==, "");
  g_assert_cmpstr (mail_imap_response_get_text (resp), ==, "SELECT completed");
  g_assert_cmpuint (mail_imap_value_get_n_children (mail_imap_response_get_data (resp)), ==, 0);
}

static void
test_missing_text (void)
{
  g_autoptr(MailImapResponse) a = parse_one ("x NO\r\n");
  g_autoptr(MailImapResponse) b = parse_one ("x BAD \r\n");
  g_autoptr(MailImapResponse) c = parse_one ("* OK\r\n");
  g_autoptr(MailImapResponse) d = parse_one ("* BYE [ALERT]\r\n");

  g_assert_cmpint (mail_imap_response_get_status (a), ==, MAIL_IMAP_STATUS_NO);
  g_assert_cmpstr (mail_imap_response_get_text (a), ==, "");
  g_assert_null (mail_imap_response_get_code (a));
  g_assert_cmpint (mail_imap_response_get_status (b), ==, MAIL_IMAP_STATUS_BAD);
  g_assert_cmpstr (mail_imap_response_get_text (b), ==, "");
  g_assert_cmpstr (mail_imap_response_get_text (c), ==, "");
  g_assert_cmpstr (mail_imap_response_get_code (d), ==, "ALERT");
  g_assert_cmpstr (mail_imap_response_get_text (d), ==, "");

  expect_error ("x\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("x MAYBE done\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("x OKAY\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* \r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("*\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("a+b OK done\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("a(b OK done\r\n", MAIL_IMAP_ERROR_PARSE);
}

static void
test_untagged_number (void)
{
  g_autoptr(MailImapResponse) a = parse_one ("* 18 EXISTS\r\n");
  g_autoptr(MailImapResponse) b = parse_one ("* 4294967295 exists\r\n");

  g_assert_cmpint (mail_imap_response_get_kind (a), ==, MAIL_IMAP_RESPONSE_UNTAGGED);
  g_assert_true (mail_imap_response_has_number (a));
  g_assert_cmpuint (mail_imap_response_get_number (a), ==, 18);
  g_assert_cmpstr (mail_imap_response_get_name (a), ==, "EXISTS");
  g_assert_cmpuint (mail_imap_response_get_number (b), ==, G_MAXUINT32);
  g_assert_cmpstr (mail_imap_response_get_name (b), ==, "EXISTS");

  expect_error ("* 4294967296 EXISTS\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* 99999999999999999999999 EXPUNGE\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* 12\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* 12 \r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* 5 OK hi\r\n", MAIL_IMAP_ERROR_PARSE);
}

static void
test_continuation (void)
{
  g_autoptr(MailImapResponse) a = parse_one ("+ idling\r\n");
  g_autoptr(MailImapResponse) b = parse_one ("+\r\n");
  g_autoptr(MailImapResponse) c = parse_one ("+ Ready for {5}\r\n");

  g_assert_cmpint (mail_imap_response_get_kind (a), ==, MAIL_IMAP_RESPONSE_CONTINUATION);
  g_assert_cmpstr (mail_imap_response_get_text (a), ==, "idling");
  g_assert_cmpstr (mail_imap_response_get_text (b), ==, "");
  /* A "{5}" at the end of text is text, never a literal. */
  g_assert_cmpstr (mail_imap_response_get_text (c), ==, "Ready for {5}");
}

static void
test_text_is_not_literal (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  const char *input = "* OK hello {5}\r\na1 OK done {3}\r\n";

  dump = parse_dump (parser, input, strlen (input), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dump, ==, "* OK \"hello {5}\"\na1 OK \"done {3}\"\n");
}

static void
test_quoted (void)
{
  g_autoptr(MailImapResponse) resp = parse_one ("* LIST () \"\\\\\" \"a \\\"b\\\" c\"\r\n");
  const MailImapValue *data = mail_imap_response_get_data (resp);
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(MailImapResponse) utf8 = NULL;
  g_autoptr(GError) error = NULL;
  const char *umlaut = "* LIST () \"/\" \"Entw\xc3\xbcrfe\"\r\n";

  g_assert_cmpuint (data->n_children, ==, 3);
  g_assert_true (mail_imap_value_is_list (data->children[0]));
  g_assert_cmpuint (data->children[0]->n_children, ==, 0);
  g_assert_cmpint (data->children[1]->type, ==, MAIL_IMAP_VALUE_QUOTED);
  g_assert_cmpstr (data->children[1]->str, ==, "\\");
  g_assert_cmpstr (data->children[2]->str, ==, "a \"b\" c");
  g_assert_cmpuint (data->children[2]->len, ==, 7);

  expect_error ("* LIST () \"/\" \"a\\nb\"\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" \"abc\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" \"abc\\\"\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" \"a\tb\"\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error (umlaut, MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" Entw\xc3\xbcrfe\r\n", MAIL_IMAP_ERROR_PARSE);

  /* With UTF8=ACCEPT, valid UTF-8 passes and invalid UTF-8 still fails. */
  mail_imap_parser_set_utf8_accept (parser, TRUE);
  mail_imap_parser_feed (parser, (const guint8 *) umlaut, strlen (umlaut), &error);
  g_assert_no_error (error);
  utf8 = mail_imap_parser_pop (parser);
  g_assert_cmpstr (mail_imap_response_get_data (utf8)->children[2]->str, ==, "Entw\xc3\xbcrfe");

  g_clear_object (&parser);
  parser = mail_imap_parser_new ();
  mail_imap_parser_set_utf8_accept (parser, TRUE);
  expect_error_with (parser, "* LIST () \"/\" \"a\xff\"\r\n", 20, MAIL_IMAP_ERROR_PARSE);
}

static void
test_nil_and_atoms (void)
{
  g_autoptr(MailImapResponse) resp =
    parse_one ("* 1 FETCH (FLAGS (\\Seen $Label \\*) X NIL Y nil Z \"NIL\")\r\n");
  const MailImapValue *items = mail_imap_response_get_data (resp)->children[0];

  g_assert_cmpuint (items->n_children, ==, 8);
  g_assert_cmpstr (items->children[1]->children[2]->str, ==, "\\*");
  g_assert_true (mail_imap_value_is_nil (items->children[3]));
  g_assert_true (mail_imap_value_is_nil (items->children[5]));
  g_assert_cmpint (items->children[7]->type, ==, MAIL_IMAP_VALUE_QUOTED);
  g_assert_cmpstr (items->children[7]->str, ==, "NIL");

  expect_error ("* SEARCH 1 2\x01\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* SEARCH 1 a\"b\r\n", MAIL_IMAP_ERROR_PARSE);
}

static void
test_body_section_atom (void)
{
  g_autoptr(MailImapResponse) resp =
    parse_one ("* 1 FETCH (BODY[HEADER.FIELDS (DATE FROM)]<0> {4}\r\nabcd)\r\n");
  g_autoptr(MailImapResponse) list = parse_one ("* LIST () \"/\" foo[bar\r\n");
  const MailImapValue *items = mail_imap_response_get_data (resp)->children[0];

  g_assert_cmpuint (items->n_children, ==, 2);
  g_assert_cmpstr (items->children[0]->str, ==, "BODY[HEADER.FIELDS (DATE FROM)]<0>");
  g_assert_cmpint (items->children[1]->type, ==, MAIL_IMAP_VALUE_LITERAL);
  g_assert_cmpstr (items->children[1]->str, ==, "abcd");
  g_assert_cmpstr (mail_imap_response_get_data (list)->children[2]->str, ==, "foo[bar");

  expect_error ("* 1 FETCH (BODY[HEADER.FIELDS (DATE FROM) {4}\r\nabcd)\r\n",
                MAIL_IMAP_ERROR_PARSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Lines                                                                                        */

static void
test_line_too_long (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *chunk = g_strnfill (4096, 'A');
  gboolean ok = TRUE;
  guint fed = 0;

  mail_imap_parser_set_max_line_length (parser, 64 * 1024);
  ok = mail_imap_parser_feed (parser, (const guint8 *) "* OK ", 5, &error);
  g_assert_no_error (error);

  /* An endless line without CRLF is rejected once it passes the cap, not buffered. */
  while (ok && fed < 1024)
    {
      ok = mail_imap_parser_feed (parser, (const guint8 *) chunk, 4096, &error);
      fed++;
      g_assert_cmpuint (mail_imap_parser_get_memory_size (parser), <=, 64 * 1024 + 4096);
    }

  g_assert_false (ok);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT);
  g_assert_cmpuint (fed, ==, 16);
  g_assert_cmpuint (mail_imap_parser_get_memory_size (parser), ==, 0);

  /* The error sticks. */
  g_clear_error (&error);
  g_assert_false (mail_imap_parser_feed (parser, (const guint8 *) "\r\n", 2, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT);
}

static void
test_line_endings (void)
{
  expect_error ("* OK hello\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* OK he\rllo\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* OK partial", MAIL_IMAP_ERROR_TRUNCATED);
  expect_error ("* OK partial\r", MAIL_IMAP_ERROR_TRUNCATED);
  expect_error ("\xff\xfe\xfd garbage\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* SEARCH \x80\x81\r\n", MAIL_IMAP_ERROR_PARSE);
}

static void
test_nul_bytes (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();

  expect_error_with (parser, "* OK a\0b\r\n", 10, MAIL_IMAP_ERROR_PARSE);
  g_clear_object (&parser);
  parser = mail_imap_parser_new ();
  expect_error_with (parser, "\0\r\n", 3, MAIL_IMAP_ERROR_PARSE);
}

static void
test_invalid_utf8_text (void)
{
  g_autoptr(MailImapResponse) resp = parse_one ("* OK [ALERT] bad \xff\xfe text\r\n");

  /* Human-readable text is repaired, never passed on as invalid UTF-8. */
  g_assert_true (g_utf8_validate (mail_imap_response_get_text (resp), -1, NULL));
}

/* ------------------------------------------------------------------------------------------ */
/* Literals                                                                                     */

static void
test_literals (void)
{
  g_autoptr(MailImapResponse) a = parse_one ("* LIST () \"/\" {0}\r\n\r\n");
  g_autoptr(MailImapResponse) b =
    parse_one_len ("* 3 FETCH (BODY[1] {5}\r\n(\r\n\"x BODY[2] ~{4}\r\n\0\r\n\xff)\r\n", 51);
  g_autoptr(MailImapResponse) c = parse_one ("* 3 FETCH (BODY[] {0}\r\n FLAGS (\\Seen))\r\n");
  const MailImapValue *name = mail_imap_response_get_data (a)->children[2];
  const MailImapValue *items = mail_imap_response_get_data (b)->children[0];

  g_assert_cmpint (name->type, ==, MAIL_IMAP_VALUE_LITERAL);
  g_assert_cmpuint (name->len, ==, 0);
  g_assert_cmpstr (name->str, ==, "");

  g_assert_cmpuint (items->n_children, ==, 4);
  g_assert_cmpuint (items->children[1]->len, ==, 5);
  g_assert_cmpmem (items->children[1]->str, 5, "(\r\n\"x", 5);
  g_assert_true (items->children[3]->binary);
  g_assert_cmpmem (items->children[3]->str, 4, "\0\r\n\xff", 4);
  g_assert_null (mail_imap_value_get_cstring (items->children[3]));

  g_assert_cmpuint (mail_imap_response_get_data (c)->children[0]->n_children, ==, 4);
}

static void
test_literal_lengths (void)
{
  expect_error ("* LIST () \"/\" {4294967296}\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" {99999999999999999999}\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" {12a}\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" {-1}\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" {}\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" { 5}\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" {5\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" {5} x\r\nabcde\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* LIST () \"/\" ~{5+}\r\nabcde\r\n", MAIL_IMAP_ERROR_PARSE);

  /* LITERAL+ is for clients only. */
  expect_error ("* LIST () \"/\" {5+}\r\nabcde\r\n", MAIL_IMAP_ERROR_PARSE);

  /* Literals are not allowed in response codes. */
  expect_error ("* OK [PERMANENTFLAGS {3}\r\nabc]\r\n", MAIL_IMAP_ERROR_PARSE);

  /* Above the in-memory cap (1 MiB by default). */
  expect_error ("* LIST () \"/\" {1048577}\r\n", MAIL_IMAP_ERROR_LIMIT);
  expect_error ("* LIST () \"/\" {4294967295}\r\n", MAIL_IMAP_ERROR_LIMIT);

  /* Announced more than was sent, then EOF. */
  expect_error ("* LIST () \"/\" {10}\r\nabc", MAIL_IMAP_ERROR_TRUNCATED);
  expect_error ("* LIST () \"/\" {3}\r\nabc", MAIL_IMAP_ERROR_TRUNCATED);
}

static void
test_literal_cap (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *ok = "* LIST () \"/\" {16}\r\n0123456789abcdef\r\n";

  mail_imap_parser_set_max_literal_size (parser, 16);
  g_assert_true (mail_imap_parser_feed (parser, (const guint8 *) ok, strlen (ok), &error));
  g_assert_no_error (error);
  expect_error_with (parser, "* LIST () \"/\" {17}\r\n", 20, MAIL_IMAP_ERROR_LIMIT);
}

static void
test_response_size_cap (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GString) input = g_string_new ("* 1 FETCH (");
  g_autofree char *lit = g_strnfill (1000, 'x');

  /* Many literals, each under the literal cap, must not add up without bound. */
  mail_imap_parser_set_max_response_size (parser, 64 * 1024);
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (input, "X%u {1000}\r\n%s ", i, lit);
  g_string_append (input, ")\r\n");

  expect_error_with (parser, input->str, input->len, MAIL_IMAP_ERROR_LIMIT);
}

/* ------------------------------------------------------------------------------------------ */
/* Lists                                                                                        */

static void
test_lists (void)
{
  g_autoptr(MailImapResponse) empty = parse_one ("* STATUS x ()\r\n");
  g_autoptr(MailImapResponse) nested = parse_one ("* X ((a (b)) () c)\r\n");
  g_autofree char *dump = mail_imap_response_dump (nested);

  g_assert_cmpuint (mail_imap_response_get_data (empty)->children[1]->n_children, ==, 0);
  g_assert_cmpstr (dump, ==, "* X ((a (b)) () c)");

  expect_error ("* X (a (b)\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* X a)\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* X ())\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* OK [PERMANENTFLAGS (\\Seen] x\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* OK [PERMANENTFLAGS (\\Seen)\r\n", MAIL_IMAP_ERROR_PARSE);
}

static void
test_depth (void)
{
  g_autoptr(GString) ok = g_string_new ("* X ");
  g_autoptr(GString) deep = g_string_new ("* 1 FETCH (BODYSTRUCTURE ");
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(MailImapResponse) resp = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 64; i++)
    g_string_append_c (ok, '(');
  for (guint i = 0; i < 64; i++)
    g_string_append_c (ok, ')');
  g_string_append (ok, "\r\n");

  mail_imap_parser_feed (parser, (const guint8 *) ok->str, ok->len, &error);
  g_assert_no_error (error);
  resp = mail_imap_parser_pop (parser);
  g_assert_nonnull (resp);

  /* 65 levels: too deep. */
  g_clear_object (&parser);
  parser = mail_imap_parser_new ();
  g_string_insert_c (ok, 4, '(');
  g_string_insert_c (ok, ok->len - 2, ')');
  expect_error_with (parser, ok->str, ok->len, MAIL_IMAP_ERROR_LIMIT);

  /* A BODYSTRUCTURE of 10 000 '(' is a clean error, not a stack overflow. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '(');
  g_string_append (deep, "\r\n");
  expect_error (deep->str, MAIL_IMAP_ERROR_LIMIT);

  /* And with the cap raised, still no recursion anywhere (the tree is walked iteratively). */
  g_clear_object (&parser);
  parser = mail_imap_parser_new ();
  mail_imap_parser_set_max_depth (parser, 4096);
  g_string_truncate (deep, 0);
  g_string_append (deep, "* X ");
  for (guint i = 0; i < 4096; i++)
    g_string_append_c (deep, '(');
  for (guint i = 0; i < 4096; i++)
    g_string_append_c (deep, ')');
  g_string_append (deep, "\r\n");
  mail_imap_parser_feed (parser, (const guint8 *) deep->str, deep->len, &error);
  g_assert_no_error (error);
  g_clear_pointer (&resp, mail_imap_response_unref);
  resp = mail_imap_parser_pop (parser);
  {
    g_autofree char *dump = mail_imap_response_dump (resp);

    g_assert_cmpuint (strlen (dump), ==, 4 + 2 * 4096);
    g_assert_true (g_str_has_suffix (dump, "))"));
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Response codes                                                                               */

static void
test_codes (void)
{
  static const struct
  {
    const char *line;
    const char *code;
    guint       n_args;
    const char *code_text;
  } cases[] = {
    { "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", "UIDVALIDITY", 1, "3857529045" },
    { "* OK [UIDNEXT 4392] Predicted next UID\r\n", "UIDNEXT", 1, "4392" },
    { "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n", "HIGHESTMODSEQ", 1, "715194045007" },
    { "* OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] hi\r\n", "CAPABILITY", 3,
      "IMAP4rev1 IDLE AUTH=PLAIN" },
    { "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n", "PERMANENTFLAGS", 1,
      "(\\Deleted \\Seen \\*)" },
    { "* OK [PERMANENTFLAGS ()] No permanent flags\r\n", "PERMANENTFLAGS", 1, "()" },
    { "A003 OK [APPENDUID 38505 3955] APPEND completed\r\n", "APPENDUID", 2, "38505 3955" },
    { "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n", "COPYUID", 3,
      "38505 304,319:320 3956:3958" },
    { "* OK [ALERT] System shutdown in 10 minutes\r\n", "ALERT", 0, "" },
    { "A1 NO [REFERRAL IMAP://user;AUTH=*@SERVER2/] Remote\r\n", "REFERRAL", 0,
      "IMAP://user;AUTH=*@SERVER2/" },
    { "A2 OK [READ-ONLY] EXAMINE completed\r\n", "READ-ONLY", 0, "" },
    { "A3 NO [TRYCREATE] No such mailbox\r\n", "TRYCREATE", 0, "" },
    { "* OK [CLOSED] Previous mailbox closed\r\n", "CLOSED", 0, "" },
    { "* NO [BADCHARSET (UTF-8 US-ASCII)] charset\r\n", "BADCHARSET", 1, "(UTF-8 US-ASCII)" },
    { "* OK [x-unknown some (free \"text] rest\r\n", "X-UNKNOWN", 0, "some (free \"text" },
    { "A5 OK [MODIFIED 7,9] Conditional STORE failed\r\n", "MODIFIED", 1, "7,9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (cases[i].line);
      const MailImapValue *args = mail_imap_response_get_code_args (resp);

      g_assert_cmpstr (mail_imap_response_get_code (resp), ==, cases[i].code);
      g_assert_cmpuint (mail_imap_value_get_n_children (args), ==, cases[i].n_args);
      g_assert_cmpstr (mail_imap_response_get_code_text (resp), ==, cases[i].code_text);
    }

  expect_error ("* OK [ALERT hi\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* OK [] hi\r\n", MAIL_IMAP_ERROR_PARSE);
  expect_error ("* OK [UIDNEXT 5 hi\r\n", MAIL_IMAP_ERROR_PARSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Incremental feeding                                                                          */

static const char *const transcripts[] = {
  "imap/rfc3501-sample.txt",
  "imap/dovecot-session.txt",
  "imap/gmail-session.txt",
  "imap/exchange-session.txt",
  "imap/rfc7162-qresync.txt",
  "imap/dovecot-real.txt",
};

static const guint transcript_counts[] = { 16, 45, 32, 35, 27, 89 };

static void
test_transcripts_chunking (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (transcripts); t++)
    {
      g_autoptr(GBytes) bytes = mail_test_load_data (transcripts[t]);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autoptr(MailImapParser) whole_parser = mail_imap_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *whole = parse_dump (whole_parser, data, len, 0, &error);
      g_autoptr(GRand) rand = g_rand_new_with_seed (t);
      guint lines = 0;

      g_assert_no_error (error);
      for (const char *p = whole; *p != '\0'; p++)
        lines += *p == '\n';
      g_test_message ("%s: %u responses", transcripts[t], lines);
      g_assert_cmpuint (lines, ==, transcript_counts[t]);

      /* Line by line through the line-reader interface: the same result. */
      {
        g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
        g_autofree char *dump = parse_dump_lines (parser, data, len, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (dump, ==, whole);
      }

      /* Byte by byte, and in random chunks: the same result. */
      for (guint round = 0; round < 6; round++)
        {
          g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
          g_autofree char *dump = NULL;
          gsize chunk = round == 0 ? 1 : (gsize) g_rand_int_range (rand, 2, 97);

          dump = parse_dump (parser, data, len, chunk, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (dump, ==, whole);
        }
    }
}

static void
test_feed_line (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(MailImapResponse) resp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;

  /* The shape of a line-reader driven loop: lines, then counted literal bytes. */
  g_assert_true (mail_imap_parser_feed_line (parser, "* 1 FETCH (BODY[] {5}", 21, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_parser_get_literal_remaining (parser), ==, 5);
  g_assert_true (mail_imap_parser_feed (parser, (const guint8 *) "hello", 5, &error));
  g_assert_cmpuint (mail_imap_parser_get_literal_remaining (parser), ==, 0);
  g_assert_cmpuint (mail_imap_parser_get_n_ready (parser), ==, 0);
  g_assert_true (mail_imap_parser_feed_line (parser, " UID 7)", 7, &error));
  g_assert_no_error (error);

  resp = mail_imap_parser_pop (parser);
  dump = mail_imap_response_dump (resp);
  g_assert_cmpstr (dump, ==, "* 1 FETCH (BODY[] {5}\"hello\" UID 7)");

  /* A line while literal bytes are due is a caller bug, reported as an error. */
  g_assert_true (mail_imap_parser_feed_line (parser, "* 2 FETCH (BODY[] {5}", 21, &error));
  g_assert_false (mail_imap_parser_feed_line (parser, "oops", 4, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
}

static void
test_pending_data (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(MailImapResponse) ok = NULL;
  g_autoptr(GError) error = NULL;
  const char *injected = "a1 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n";

  /* STARTTLS response injection: data after the tagged OK must be detectable. */
  mail_imap_parser_feed (parser, (const guint8 *) injected, strlen (injected), &error);
  g_assert_no_error (error);
  ok = mail_imap_parser_pop (parser);
  g_assert_cmpstr (mail_imap_response_get_tag (ok), ==, "a1");
  g_assert_true (mail_imap_parser_has_pending_data (parser));

  mail_imap_parser_reset (parser);
  g_assert_false (mail_imap_parser_has_pending_data (parser));
  mail_imap_parser_feed (parser, (const guint8 *) "a1 OK go\r\n* OK", 14, &error);
  g_clear_pointer (&ok, mail_imap_response_unref);
  ok = mail_imap_parser_pop (parser);
  g_assert_true (mail_imap_parser_has_pending_data (parser));
}

/* ------------------------------------------------------------------------------------------ */
/* Streaming                                                                                    */

typedef struct
{
  guint64    received;
  guint      calls;
  GChecksum *checksum;
  gsize      max_memory;
  gboolean   done;
  char      *section;
} StreamState;

static gboolean
stream_cb (MailImapParser            *parser,
           const MailImapLiteralInfo *info,
           const guint8              *data,
           gsize                      len,
           gpointer                   user_data,
           GError                   **error)
{
  StreamState *state = user_data;

  g_assert_cmpuint (info->offset, ==, state->received);
  g_assert_cmpuint (info->offset + len, <=, info->size);
  g_assert_cmpstr (mail_imap_response_get_name (info->response), ==, "FETCH");
  g_free (state->section);
  state->section = g_strdup (info->section);
  g_checksum_update (state->checksum, data, len);
  state->received += len;
  state->calls++;
  state->max_memory = MAX (state->max_memory, mail_imap_parser_get_memory_size (parser));
  if (info->offset + len == info->size)
    state->done = TRUE;

  return TRUE;
}

static void
test_stream_large_literal (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(MailImapResponse) resp = NULL;
  g_autoptr(GChecksum) expected = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *chunk = g_malloc (64 * 1024);
  g_autofree char *expected_sum = NULL;
  const gsize total = 20 * 1024 * 1024;
  const char *head = "* 7 FETCH (UID 99 BODY[] {20971520}\r\n";
  const char *tail = " FLAGS (\\Seen))\r\n";
  StreamState state = { 0, 0, g_checksum_new (G_CHECKSUM_SHA256), 0, FALSE, NULL };
  const MailImapValue *items;
  gsize sent = 0;
  guint seed = 1;

  mail_imap_parser_set_literal_func (parser, stream_cb, &state, NULL);
  g_assert_true (mail_imap_parser_feed (parser, (const guint8 *) head, strlen (head), &error));

  while (sent < total)
    {
      gsize n = MIN (64 * 1024, total - sent);

      for (gsize i = 0; i < n; i++)
        {
          seed = seed * 1103515245 + 12345;
          chunk[i] = (guint8) (seed >> 16);
        }
      g_checksum_update (expected, chunk, n);
      g_assert_true (mail_imap_parser_feed (parser, chunk, n, &error));
      g_assert_no_error (error);
      /* The parser never holds the literal: memory stays tiny the whole time. */
      g_assert_cmpuint (mail_imap_parser_get_memory_size (parser), <, 16 * 1024);
      sent += n;
    }

  g_assert_true (mail_imap_parser_feed (parser, (const guint8 *) tail, strlen (tail), &error));
  g_assert_true (state.done);
  g_assert_cmpuint (state.received, ==, total);
  g_assert_cmpstr (state.section, ==, "BODY[]");
  g_assert_cmpuint (state.max_memory, <, 16 * 1024);
  expected_sum = g_strdup (g_checksum_get_string (expected));
  g_assert_cmpstr (g_checksum_get_string (state.checksum), ==, expected_sum);
  g_test_message ("20 MiB literal: %u sink calls, peak parser memory %" G_GSIZE_FORMAT " bytes",
                  state.calls, state.max_memory);

  resp = mail_imap_parser_pop (parser);
  items = mail_imap_response_get_data (resp)->children[0];
  g_assert_cmpuint (items->n_children, ==, 6);
  g_assert_cmpint (items->children[3]->type, ==, MAIL_IMAP_VALUE_STREAMED);
  g_assert_cmpuint (items->children[3]->len, ==, total);
  g_assert_null (items->children[3]->str);
  g_assert_cmpuint (mail_imap_response_get_size (resp), <, 16 * 1024);

  {
    g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (resp, &error);
    const MailImapFetchSection *section;

    g_assert_no_error (error);
    section = mail_imap_fetch_find_section (fetch, "");
    g_assert_nonnull (section);
    g_assert_cmpint (section->value->type, ==, MAIL_IMAP_VALUE_STREAMED);
    g_assert_cmpuint (fetch->uid, ==, 99);
  }

  g_checksum_free (state.checksum);
  g_free (state.section);
}

static void
test_stream_output_stream (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapResponse) list = NULL;
  g_autoptr(MailImapResponse) fetch = NULL;
  const char *input =
    "* LIST () \"/\" {4}\r\nname\r\n"
    "* 1 FETCH (BODY[HEADER] {6}\r\nhead\r\n BODY[TEXT] {4}\r\nbody X-OTHER {3}\r\nabc)\r\n";

  mail_imap_parser_set_literal_stream (parser, out);
  mail_imap_parser_feed (parser, (const guint8 *) input, strlen (input), &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);

  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 10);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), 10,
                   "head\r\nbody", 10);

  /* Mailbox names and unknown items stay in memory. */
  list = mail_imap_parser_pop (parser);
  g_assert_cmpint (mail_imap_response_get_data (list)->children[2]->type, ==,
                   MAIL_IMAP_VALUE_LITERAL);
  fetch = mail_imap_parser_pop (parser);
  g_assert_cmpint (mail_imap_response_get_data (fetch)->children[0]->children[5]->type, ==,
                   MAIL_IMAP_VALUE_LITERAL);
}

static gboolean
failing_cb (MailImapParser            *parser,
            const MailImapLiteralInfo *info,
            const guint8              *data,
            gsize                      len,
            gpointer                   user_data,
            GError                   **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
  return FALSE;
}

static void
test_stream_errors (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *input = "* 1 FETCH (BODY[] {4}\r\nbody)\r\n";

  mail_imap_parser_set_literal_func (parser, failing_cb, NULL, NULL);
  g_assert_false (mail_imap_parser_feed (parser, (const guint8 *) input, strlen (input), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);

  /* The streamed cap applies to streamed literals. */
  g_clear_object (&parser);
  parser = mail_imap_parser_new ();
  mail_imap_parser_set_literal_func (parser, failing_cb, NULL, NULL);
  mail_imap_parser_set_max_streamed_size (parser, 1000);
  expect_error_with (parser, "* 1 FETCH (BODY[] {1001}\r\n", 26, MAIL_IMAP_ERROR_LIMIT);

  /* Without a sink the 64 MiB-class literal is refused by the in-memory cap. */
  expect_error ("* 1 FETCH (BODY[] {52428800}\r\n", MAIL_IMAP_ERROR_LIMIT);
}

/* ------------------------------------------------------------------------------------------ */
/* Performance                                                                                  */

static void
test_performance (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = NULL;
  MailImapResponse *resp;
  double parse_time, decode_time;
  guint parts = 0;
  guint count = 0;
  const guint n = 10000;

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (input,
      "* %u FETCH (UID %u FLAGS (\\Seen $Forwarded) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
      "RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"Message %u\" "
      "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
      "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
      "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
      "((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
      "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-%u@cac.washington.edu>\") "
      "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" "
      "1234 40 NIL NIL NIL NIL)((\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"base64\" 888 "
      "12 NIL NIL NIL NIL)(\"image\" \"png\" (\"name\" \"logo.png\") \"<logo@x>\" NIL \"base64\" "
      "4096 NIL (\"inline\" (\"filename\" \"logo.png\")) NIL NIL) \"related\" (\"boundary\" \"r\") "
      "NIL NIL NIL) \"mixed\" (\"boundary\" \"m\") NIL NIL NIL))\r\n", i, i, i, i);

  timer = g_timer_new ();
  g_assert_true (mail_imap_parser_feed (parser, (const guint8 *) input->str, input->len, &error));
  g_assert_no_error (error);
  parse_time = g_timer_elapsed (timer, NULL);

  g_timer_start (timer);
  while ((resp = mail_imap_parser_pop (parser)) != NULL)
    {
      g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (resp, &error);

      g_assert_no_error (error);
      g_assert_nonnull (fetch->envelope);
      parts += mail_imap_body_part_count (fetch->body);
      count++;
      mail_imap_response_unref (resp);
    }
  decode_time = g_timer_elapsed (timer, NULL);

  g_assert_cmpuint (count, ==, n);
  g_assert_cmpuint (parts, ==, n * 5);
  g_test_message ("10000 FETCH ENVELOPE+BODYSTRUCTURE (%" G_GSIZE_FORMAT " bytes): parse %.3f s, "
                  "decode %.3f s", input->len, parse_time, decode_time);
  if (g_getenv ("MAIL_IMAP_PERF") != NULL)
    g_printerr ("parse %.3f s, decode %.3f s for %u responses\n", parse_time, decode_time, n);

  /* Generous bound so sanitizer builds pass; an optimised build takes a small fraction. */
  g_assert_cmpfloat (parse_time + decode_time, <, 30.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/imap/parser/tagged", test_tagged);
  g_test_add_func ("/engine/imap/parser/missing-text", test_missing_text);
  g_test_add_func ("/engine/imap/parser/untagged-number", test_untagged_number);
  g_test_add_func ("/engine/imap/parser/continuation", test_continuation);
  g_test_add_func ("/engine/imap/parser/text-is-not-literal", test_text_is_not_literal);
  g_test_add_func ("/engine/imap/parser/quoted", test_quoted);
  g_test_add_func ("/engine/imap/parser/nil-and-atoms", test_nil_and_atoms);
  g_test_add_func ("/engine/imap/parser/body-section-atom", test_body_section_atom);
  g_test_add_func ("/engine/imap/parser/line-too-long", test_line_too_long);
  g_test_add_func ("/engine/imap/parser/line-endings", test_line_endings);
  g_test_add_func ("/engine/imap/parser/nul-bytes", test_nul_bytes);
  g_test_add_func ("/engine/imap/parser/invalid-utf8-text", test_invalid_utf8_text);
  g_test_add_func ("/engine/imap/parser/literals", test_literals);
  g_test_add_func ("/engine/imap/parser/literal-lengths", test_literal_lengths);
  g_test_add_func ("/engine/imap/parser/literal-cap", test_literal_cap);
  g_test_add_func ("/engine/imap/parser/response-size-cap", test_response_size_cap);
  g_test_add_func ("/engine/imap/parser/lists", test_lists);
  g_test_add_func ("/engine/imap/parser/depth", test_depth);
  g_test_add_func ("/engine/imap/parser/codes", test_codes);
  g_test_add_func ("/engine/imap/parser/transcripts-chunking", test_transcripts_chunking);
  g_test_add_func ("/engine/imap/parser/feed-line", test_feed_line);
  g_test_add_func ("/engine/imap/parser/pending-data", test_pending_data);
  g_test_add_func ("/engine/imap/parser/stream-large-literal", test_stream_large_literal);
  g_test_add_func ("/engine/imap/parser/stream-output-stream", test_stream_output_stream);
  g_test_add_func ("/engine/imap/parser/stream-errors", test_stream_errors);
  g_test_add_func ("/engine/imap/parser/performance", test_performance);

  return g_test_run ();
}
