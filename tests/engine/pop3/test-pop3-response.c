/* test-pop3-response.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-pop3-capabilities.h"
#include "mail-pop3-error.h"
#include "mail-pop3-response.h"

static MailPop3Response *
parse (const char  *line,
       gboolean     allow_continue,
       GError     **error)
{
  return mail_pop3_response_parse (line, strlen (line), allow_continue, error);
}

static void
test_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailPop3Response) resp = NULL;

  resp = parse ("+OK Dovecot ready.", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (mail_pop3_response_is_ok (resp));
  g_assert_cmpint (mail_pop3_response_get_status (resp), ==, MAIL_POP3_STATUS_OK);
  g_assert_null (mail_pop3_response_get_code (resp));
  g_assert_cmpstr (mail_pop3_response_get_text (resp), ==, "Dovecot ready.");
  g_clear_pointer (&resp, mail_pop3_response_free);

  resp = parse ("+OK", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_pop3_response_get_text (resp), ==, "");
  g_clear_pointer (&resp, mail_pop3_response_free);

  resp = parse ("-ERR no such message", FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (mail_pop3_response_is_ok (resp));
  g_assert_cmpint (mail_pop3_response_get_status (resp), ==, MAIL_POP3_STATUS_ERR);
  g_assert_cmpstr (mail_pop3_response_get_text (resp), ==, "no such message");
  g_clear_pointer (&resp, mail_pop3_response_free);

  resp = parse ("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mail_pop3_response_get_status (resp), ==, MAIL_POP3_STATUS_CONTINUE);
  g_assert_cmpstr (mail_pop3_response_get_text (resp), ==,
                   "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
  g_clear_pointer (&resp, mail_pop3_response_free);

  resp = parse ("+", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mail_pop3_response_get_status (resp), ==, MAIL_POP3_STATUS_CONTINUE);
  g_assert_cmpstr (mail_pop3_response_get_text (resp), ==, "");
}

static void
test_resp_codes (void)
{
  static const char *not_codes[] = {
    "-ERR [] empty", "-ERR [SYS/] empty level", "-ERR [/TEMP] empty level",
    "-ERR [UNCLOSED text", "-ERR [WITH SPACE] x", "-ERR [A[B] x",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MailPop3Response) resp = NULL;

  resp = parse ("-ERR [IN-USE] Mailbox locked", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_pop3_response_get_code (resp), ==, "IN-USE");
  g_assert_cmpstr (mail_pop3_response_get_text (resp), ==, "Mailbox locked");
  g_assert_true (mail_pop3_response_has_code (resp, "IN-USE"));
  g_assert_false (mail_pop3_response_has_code (resp, "IN"));
  g_clear_pointer (&resp, mail_pop3_response_free);

  resp = parse ("-ERR [SYS/TEMP] try later", FALSE, &error);
  g_assert_cmpstr (mail_pop3_response_get_code (resp), ==, "SYS/TEMP");
  g_assert_true (mail_pop3_response_has_code (resp, "SYS"));
  g_assert_true (mail_pop3_response_has_code (resp, "sys/temp"));
  g_assert_false (mail_pop3_response_has_code (resp, "SYS/PERM"));
  g_clear_pointer (&resp, mail_pop3_response_free);

  resp = parse ("-ERR [AUTH] Authentication failed.", FALSE, &error);
  g_assert_cmpstr (mail_pop3_response_get_code (resp), ==, "AUTH");
  g_clear_pointer (&resp, mail_pop3_response_free);

  /* Malformed codes stay part of the text. */
  for (guint i = 0; i < G_N_ELEMENTS (not_codes); i++)
    {
      resp = parse (not_codes[i], FALSE, &error);
      g_assert_no_error (error);
      g_assert_null (mail_pop3_response_get_code (resp));
      g_assert_cmpstr (mail_pop3_response_get_text (resp), ==, not_codes[i] + 5);
      g_clear_pointer (&resp, mail_pop3_response_free);
    }
}

static void
test_invalid (void)
{
  static const char *bad[] = {
    "", "OK", "+OKAY", "-ERROR x", "+ok lower case", "* OK imap", "+ challenge",
    "+OK tab\x01", "garbage", "-ER",
  };
  g_autofree char *long_line = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailPop3Response) resp = NULL;
  static const char nul[] = "+OK a\0b";

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("case %u", i);
      resp = parse (bad[i], FALSE, &error);
      g_assert_null (resp);
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  /* A continuation is only valid where the caller allows it. */
  resp = parse ("+x", TRUE, &error);
  g_assert_null (resp);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  resp = mail_pop3_response_parse (nul, sizeof nul - 1, FALSE, &error);
  g_assert_null (resp);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  long_line = g_strnfill (MAIL_POP3_MAX_LINE_LENGTH + 1, 'x');
  memcpy (long_line, "+OK ", 4);
  resp = parse (long_line, FALSE, &error);
  g_assert_null (resp);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
}

static void
test_unstuff (void)
{
  gsize offset = 99;

  g_assert_true (mail_pop3_unstuff_line (".", 1, &offset));
  g_assert_false (mail_pop3_unstuff_line ("..", 2, &offset));
  g_assert_cmpuint (offset, ==, 1);
  g_assert_false (mail_pop3_unstuff_line (".. x", 4, &offset));
  g_assert_cmpuint (offset, ==, 1);
  g_assert_false (mail_pop3_unstuff_line ("x.", 2, &offset));
  g_assert_cmpuint (offset, ==, 0);
  g_assert_false (mail_pop3_unstuff_line ("", 0, &offset));
  g_assert_cmpuint (offset, ==, 0);
}

static void
feed_all (MailPop3Multiline  *ml,
          const char        **lines,
          gboolean           *done,
          GError            **error)
{
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!mail_pop3_multiline_feed (ml, lines[i], strlen (lines[i]), done, error))
        return;
    }
}

static void
test_multiline (void)
{
  g_autoptr(MailPop3Multiline) ml = mail_pop3_multiline_new (10, 1000);
  g_autoptr(MailPop3Multiline) small = mail_pop3_multiline_new (2, 1000);
  g_autoptr(MailPop3Multiline) tiny = mail_pop3_multiline_new (10, 5);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  const char *lines[] = { "1 120", "..2 hidden dot", "", ".", NULL };
  const char *three[] = { "a", "b", "c", NULL };
  const char *big[] = { "abc", "def", NULL };

  g_assert_cmpuint (mail_pop3_multiline_get_n_lines (ml), ==, 0);
  g_assert_null (mail_pop3_multiline_get_lines (ml)[0]);

  feed_all (ml, lines, &done, &error);
  g_assert_no_error (error);
  g_assert_true (done);
  g_assert_cmpuint (mail_pop3_multiline_get_n_lines (ml), ==, 3);
  g_assert_cmpstr (mail_pop3_multiline_get_lines (ml)[0], ==, "1 120");
  g_assert_cmpstr (mail_pop3_multiline_get_lines (ml)[1], ==, ".2 hidden dot");
  g_assert_cmpstr (mail_pop3_multiline_get_lines (ml)[2], ==, "");
  g_assert_null (mail_pop3_multiline_get_lines (ml)[3]);

  /* Nothing may follow the terminator. */
  g_assert_false (mail_pop3_multiline_feed (ml, "x", 1, &done, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  feed_all (small, three, &done, &error);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  feed_all (tiny, big, &done, &error);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
}

static void
test_stat (void)
{
  static const char *bad[] = {
    "", "2", "2 ", " 2 3", "2  3", "-1 3", "2 x", "2 3x", "99999999999 1",
    "1 99999999999999999999999",
  };
  g_autoptr(GError) error = NULL;
  guint count = 0;
  guint64 size = 0;

  g_assert_true (mail_pop3_parse_stat ("2 320", &count, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (size, ==, 320);
  g_assert_true (mail_pop3_parse_stat ("0 0 extra words", &count, &size, &error));
  g_assert_cmpuint (count, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("case %u", i);
      g_assert_false (mail_pop3_parse_stat (bad[i], &count, &size, &error));
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
}

static void
test_listing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = NULL;
  const char *list_lines[] = { "1 120", "2 200", "7 5", NULL };
  const char *uidl_lines[] = { "1 whqtswO00WBw418f9t5JxYwZ", "2 QhdPYR:00WBw1Ph7x7", NULL };

  list = mail_pop3_parse_listing (list_lines, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpuint (g_array_index (list, MailPop3ListEntry, 2).msgno, ==, 7);
  g_assert_cmpuint (g_array_index (list, MailPop3ListEntry, 2).size, ==, 5);
  g_assert_null (g_array_index (list, MailPop3ListEntry, 0).uid);
  g_clear_pointer (&list, g_array_unref);

  list = mail_pop3_parse_listing (uidl_lines, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (g_array_index (list, MailPop3ListEntry, 1).uid, ==, "QhdPYR:00WBw1Ph7x7");
  g_clear_pointer (&list, g_array_unref);
}

static void
test_listing_invalid (void)
{
  static const char *bad_uidl[][4] = {
    { "1 ", NULL },                                  /* empty UID (CVE-2018-14356) */
    { "1", NULL },
    { "1 abc def", NULL },                           /* space inside */
    { "1 ab\tc", NULL },                             /* control character */
    { "1 caf\xc3\xa9", NULL },                       /* 8-bit */
    { "0 zero", NULL },                              /* message numbers start at 1 */
    { "x abc", NULL },
    { "1 aaa", "2 aaa", NULL },                      /* duplicate UID */
    { "1 aaa", "1 bbb", NULL },                      /* duplicate message number */
    { "1 ../../etc/passwd", "4294967296 x", NULL },  /* message number overflow */
  };
  static const char *bad_list[][4] = {
    { "1", NULL }, { "1 x", NULL }, { "1 2", "1 3", NULL }, { "a 1", NULL }, { "1 -2", NULL },
  };
  g_autofree char *long_uid = g_strnfill (MAIL_POP3_MAX_UID_LENGTH + 1, 'u');
  g_autofree char *long_uid_line = g_strdup_printf ("1 %s", long_uid);
  const char *long_lines[] = { long_uid_line, NULL };
  g_autofree char *max_uid_line = g_strdup_printf ("1 %.*s", MAIL_POP3_MAX_UID_LENGTH, long_uid);
  const char *max_lines[] = { max_uid_line, NULL };
  g_autoptr(GArray) list = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_uidl); i++)
    {
      g_test_message ("uidl case %u", i);
      list = mail_pop3_parse_listing (bad_uidl[i], TRUE, &error);
      g_assert_null (list);
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_list); i++)
    {
      g_test_message ("list case %u", i);
      list = mail_pop3_parse_listing (bad_list[i], FALSE, &error);
      g_assert_null (list);
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  list = mail_pop3_parse_listing (long_lines, TRUE, &error);
  g_assert_null (list);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  list = mail_pop3_parse_listing (max_lines, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_timestamp (void)
{
  g_autofree char *ts = NULL;

  ts = mail_pop3_greeting_get_timestamp ("POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
  g_assert_cmpstr (ts, ==, "<1896.697170952@dbc.mtview.ca.us>");
  g_clear_pointer (&ts, g_free);

  g_assert_null (mail_pop3_greeting_get_timestamp ("Dovecot ready."));
  g_assert_null (mail_pop3_greeting_get_timestamp ("<no-at-sign>"));
  g_assert_null (mail_pop3_greeting_get_timestamp ("<unterminated@x"));
  g_assert_null (mail_pop3_greeting_get_timestamp ("<with space@x>"));
  g_assert_null (mail_pop3_greeting_get_timestamp ("<>"));
}

static void
test_capabilities (void)
{
  const char *lines[] = {
    "CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "STLS", "USER",
    "SASL PLAIN LOGIN cram-md5 b@d", "SASL PLAIN", "IMPLEMENTATION Dovecot", "", " bad", NULL
  };
  g_autoptr(MailPop3Capabilities) caps = mail_pop3_capabilities_parse (lines);
  const char * const *mechs = mail_pop3_capabilities_get_mechanisms (caps);

  g_assert_true (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_STLS));
  g_assert_true (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_USER));
  g_assert_true (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_SASL));
  g_assert_true (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_TOP));
  g_assert_true (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_UIDL));
  g_assert_true (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_AUTH_RESP_CODE));
  g_assert_false (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_UTF8));
  g_assert_cmpuint (g_strv_length ((char **) mechs), ==, 3);
  g_assert_cmpstr (mechs[2], ==, "CRAM-MD5");
  g_assert_true (mail_pop3_capabilities_has_mechanism (caps, "login"));
  g_assert_false (mail_pop3_capabilities_has_mechanism (caps, "NTLM"));
  g_assert_cmpuint (g_strv_length ((char **) mail_pop3_capabilities_get_keywords (caps)), ==, 10);
}

static void
assert_maps_to (const char    *line,
                MailPop3Stage  stage,
                MailPop3Error  code)
{
  g_autoptr(MailPop3Response) resp = parse (line, FALSE, NULL);
  g_autoptr(GError) error = mail_pop3_error_from_response (resp, stage, FALSE);

  g_assert_error (error, MAIL_POP3_ERROR, (gint) code);
  g_assert_null (strstr (error->message, "SERVERTEXT"));
}

static void
test_error_mapping (void)
{
  g_autoptr(MailPop3Response) resp = NULL;
  g_autoptr(GError) error = NULL;

  assert_maps_to ("-ERR [AUTH] SERVERTEXT", MAIL_POP3_STAGE_AUTH, MAIL_POP3_ERROR_AUTH_FAILED);
  assert_maps_to ("-ERR SERVERTEXT", MAIL_POP3_STAGE_AUTH, MAIL_POP3_ERROR_AUTH_FAILED);
  assert_maps_to ("-ERR [IN-USE] SERVERTEXT", MAIL_POP3_STAGE_AUTH, MAIL_POP3_ERROR_IN_USE);
  assert_maps_to ("-ERR [SYS/TEMP] SERVERTEXT", MAIL_POP3_STAGE_AUTH, MAIL_POP3_ERROR_TEMPORARY);
  assert_maps_to ("-ERR [LOGIN-DELAY] SERVERTEXT", MAIL_POP3_STAGE_AUTH,
                  MAIL_POP3_ERROR_TEMPORARY);
  assert_maps_to ("-ERR [SYS/PERM] SERVERTEXT", MAIL_POP3_STAGE_AUTH, MAIL_POP3_ERROR_FAILED);
  assert_maps_to ("-ERR SERVERTEXT", MAIL_POP3_STAGE_GREETING, MAIL_POP3_ERROR_GREETING);
  assert_maps_to ("-ERR SERVERTEXT", MAIL_POP3_STAGE_STLS,
                  MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE);
  assert_maps_to ("-ERR SERVERTEXT", MAIL_POP3_STAGE_MESSAGE, MAIL_POP3_ERROR_NO_SUCH_MESSAGE);
  assert_maps_to ("+OK SERVERTEXT", MAIL_POP3_STAGE_OTHER, MAIL_POP3_ERROR_PROTOCOL);

  resp = parse ("-ERR [AUTH] Plaintext authentication disallowed", FALSE, NULL);
  error = mail_pop3_error_from_response (resp, MAIL_POP3_STAGE_AUTH, TRUE);
  g_assert_nonnull (strstr (error->message, "Plaintext authentication disallowed"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/pop3/response/status", test_status);
  g_test_add_func ("/engine/pop3/response/resp-codes", test_resp_codes);
  g_test_add_func ("/engine/pop3/response/invalid", test_invalid);
  g_test_add_func ("/engine/pop3/response/unstuff", test_unstuff);
  g_test_add_func ("/engine/pop3/response/multiline", test_multiline);
  g_test_add_func ("/engine/pop3/response/stat", test_stat);
  g_test_add_func ("/engine/pop3/response/listing", test_listing);
  g_test_add_func ("/engine/pop3/response/listing-invalid", test_listing_invalid);
  g_test_add_func ("/engine/pop3/response/timestamp", test_timestamp);
  g_test_add_func ("/engine/pop3/capabilities/parse", test_capabilities);
  g_test_add_func ("/engine/pop3/error/mapping", test_error_mapping);

  return g_test_run ();
}
