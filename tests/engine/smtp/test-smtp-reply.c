/* test-smtp-reply.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-smtp-capabilities.h"
#include "mail-smtp-error.h"
#include "mail-smtp-reply.h"

static MailSmtpReply *
parse (const char  *text,
       GError     **error)
{
  return mail_smtp_reply_parse (text, strlen (text), error);
}

static void
test_single_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = parse ("220 mail.example.org ESMTP ready\r\n", &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (mail_smtp_reply_get_code (reply), ==, 220);
  g_assert_cmpuint (mail_smtp_reply_get_n_lines (reply), ==, 1);
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==, "mail.example.org ESMTP ready");
  g_assert_null (mail_smtp_reply_get_lines (reply)[1]);
  g_assert_true (mail_smtp_reply_is_positive (reply));
  g_assert_false (mail_smtp_reply_is_transient (reply));
  g_assert_null (mail_smtp_reply_get_enhanced (reply));
}

static void
test_code_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = parse ("354\r\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mail_smtp_reply_get_code (reply), ==, 354);
  g_assert_true (mail_smtp_reply_is_intermediate (reply));
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==, "");
}

static void
test_multi_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autofree char *text = NULL;

  reply = parse ("250-mail.example.org\r\n"
                 "250-PIPELINING\r\n"
                 "250-SIZE 10240000\r\n"
                 "250 8BITMIME\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_smtp_reply_get_n_lines (reply), ==, 4);
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[2], ==, "SIZE 10240000");
  text = mail_smtp_reply_dup_text (reply);
  g_assert_cmpstr (text, ==, "mail.example.org PIPELINING SIZE 10240000 8BITMIME");
}

static void
test_incremental (void)
{
  g_autoptr(MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  MailSmtpReply *reply = NULL;

  g_assert_true (mail_smtp_reply_parser_is_idle (parser));
  g_assert_true (mail_smtp_reply_parser_feed (parser, "250-one", 7, &reply, &error));
  g_assert_null (reply);
  g_assert_false (mail_smtp_reply_parser_is_idle (parser));
  g_assert_true (mail_smtp_reply_parser_feed (parser, "250 two", 7, &reply, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_true (mail_smtp_reply_parser_is_idle (parser));
  g_assert_cmpuint (mail_smtp_reply_get_n_lines (reply), ==, 2);
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* The parser is ready for the next reply. */
  g_assert_true (mail_smtp_reply_parser_feed (parser, "221 bye", 7, &reply, &error));
  g_assert_cmpuint (mail_smtp_reply_get_code (reply), ==, 221);
  g_clear_pointer (&reply, mail_smtp_reply_unref);
}

static void
test_enhanced (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = NULL;
  guint klass, subject, detail;

  reply = parse ("550-5.1.1 <nobody@example.org>: Recipient address rejected\r\n"
                 "550 5.1.1 User unknown in virtual mailbox table\r\n", &error);
  g_assert_no_error (error);
  g_assert_true (mail_smtp_reply_get_enhanced_code (reply, &klass, &subject, &detail));
  g_assert_cmpuint (klass, ==, 5);
  g_assert_cmpuint (subject, ==, 1);
  g_assert_cmpuint (detail, ==, 1);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced (reply), ==, "5.1.1");
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==,
                   "<nobody@example.org>: Recipient address rejected");
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[1], ==,
                   "User unknown in virtual mailbox table");
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* Three-digit subject and detail. */
  reply = parse ("250 2.100.999 ok\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced (reply), ==, "2.100.999");
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* Class must match the reply code; otherwise it is plain text. */
  reply = parse ("250 5.1.1 not really\r\n", &error);
  g_assert_no_error (error);
  g_assert_false (mail_smtp_reply_get_enhanced_code (reply, NULL, NULL, NULL));
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==, "5.1.1 not really");
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* Not a code: four digits, missing part, no space. */
  reply = parse ("250 2.1.1234 x\r\n", &error);
  g_assert_no_error (error);
  g_assert_null (mail_smtp_reply_get_enhanced (reply));
  g_clear_pointer (&reply, mail_smtp_reply_unref);
  reply = parse ("250 2.1\r\n", &error);
  g_assert_no_error (error);
  g_assert_null (mail_smtp_reply_get_enhanced (reply));
  g_clear_pointer (&reply, mail_smtp_reply_unref);
  reply = parse ("250 2.1.0ok\r\n", &error);
  g_assert_no_error (error);
  g_assert_null (mail_smtp_reply_get_enhanced (reply));
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* A code alone, at the end of the line. */
  reply = parse ("250 2.0.0\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced (reply), ==, "2.0.0");
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==, "");
}

static void
test_invalid (void)
{
  static const char *bad[] = {
    "",
    "\r\n",
    "25\r\n",
    "2500 ok\r\n",
    "250x ok\r\n",
    "abc ok\r\n",
    "150 too low\r\n",
    "650 too high\r\n",
    "260 second digit too high\r\n",
    "25a no\r\n",
    " 250 leading space\r\n",
    "250 bare lf\n",
    "250 no terminator",
    "250-first\r\n251 code changed\r\n",
    "250-unfinished\r\n",
    "250 done\r\n250 trailing reply\r\n",
    "250 control \x01 char\r\n",
    "250 delete \x7f char\r\n",
    "250 embedded\rcr\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MailSmtpReply) reply = parse (bad[i], &error);

      g_test_message ("case %u", i);
      g_assert_null (reply);
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
    }
}

static void
test_nul_byte (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = NULL;
  static const char data[] = "250 a\0b\r\n";

  reply = mail_smtp_reply_parse (data, sizeof data - 1, &error);
  g_assert_null (reply);
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
}

static void
test_caps (void)
{
  g_autoptr(MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_line = NULL;
  MailSmtpReply *reply = NULL;
  guint i;

  /* Over-long line. */
  long_line = g_strnfill (MAIL_SMTP_REPLY_MAX_LINE_LENGTH + 1, 'a');
  memcpy (long_line, "250 ", 4);
  g_assert_false (mail_smtp_reply_parser_feed (parser, long_line, strlen (long_line),
                                               &reply, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* The longest allowed line is fine. */
  long_line[MAIL_SMTP_REPLY_MAX_LINE_LENGTH] = '\0';
  g_assert_true (mail_smtp_reply_parser_feed (parser, long_line, strlen (long_line),
                                              &reply, &error));
  g_assert_no_error (error);
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* Too many lines. */
  for (i = 0; i < MAIL_SMTP_REPLY_MAX_LINES; i++)
    {
      g_assert_true (mail_smtp_reply_parser_feed (parser, "250-x", 5, &reply, &error));
      g_assert_null (reply);
    }
  g_assert_false (mail_smtp_reply_parser_feed (parser, "250-x", 5, &reply, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_assert_null (reply);
  /* After an error the parser starts over. */
  g_assert_true (mail_smtp_reply_parser_is_idle (parser));
}

static void
test_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = parse ("250 caf\xc3\xa9 \xff ok\r\n", &error);

  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (mail_smtp_reply_get_lines (reply)[0], -1, NULL));
  g_assert_true (g_str_has_prefix (mail_smtp_reply_get_lines (reply)[0], "caf\xc3\xa9 "));
}

static void
test_capabilities (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(MailSmtpCapabilities) caps = NULL;
  const char * const *mechs;
  const char * const *keywords;

  reply = parse ("250-mail.example.org Hello\r\n"
                 "250-PIPELINING\r\n"
                 "250-SIZE 10240000\r\n"
                 "250-ETRN\r\n"
                 "250-STARTTLS\r\n"
                 "250-AUTH PLAIN LOGIN cram-md5 bad!mech\r\n"
                 "250-AUTH=PLAIN LOGIN\r\n"
                 "250-ENHANCEDSTATUSCODES\r\n"
                 "250-8BITMIME\r\n"
                 "250-DSN\r\n"
                 "250-=garbage\r\n"
                 "250 SMTPUTF8\r\n", &error);
  g_assert_no_error (error);
  caps = mail_smtp_capabilities_parse (reply, &error);
  g_assert_no_error (error);

  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_PIPELINING));
  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_STARTTLS));
  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_AUTH));
  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_8BITMIME));
  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_SMTPUTF8));
  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_DSN));
  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES));
  g_assert_false (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_CHUNKING));
  g_assert_cmpuint (mail_smtp_capabilities_get_size_limit (caps), ==, 10240000);

  mechs = mail_smtp_capabilities_get_mechanisms (caps);
  g_assert_cmpuint (g_strv_length ((char **) mechs), ==, 3);
  g_assert_cmpstr (mechs[0], ==, "PLAIN");
  g_assert_cmpstr (mechs[1], ==, "LOGIN");
  g_assert_cmpstr (mechs[2], ==, "CRAM-MD5");
  g_assert_true (mail_smtp_capabilities_has_mechanism (caps, "cram-md5"));
  g_assert_false (mail_smtp_capabilities_has_mechanism (caps, "NTLM"));

  keywords = mail_smtp_capabilities_get_keywords (caps);
  g_assert_true (g_strv_contains (keywords, "ETRN"));
  g_assert_true (g_strv_contains (keywords, "AUTH"));
  g_assert_cmpuint (g_strv_length ((char **) keywords), ==, 9);
}

static void
test_capabilities_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(MailSmtpCapabilities) caps = NULL;

  reply = parse ("250-x\r\n250 SIZE 12abc\r\n", &error);
  g_assert_no_error (error);
  caps = mail_smtp_capabilities_parse (reply, &error);
  g_assert_null (caps);
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  reply = parse ("250-x\r\n250 SIZE 99999999999999999999999\r\n", &error);
  caps = mail_smtp_capabilities_parse (reply, &error);
  g_assert_null (caps);
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* SIZE without a number means no fixed limit. */
  reply = parse ("250-x\r\n250 SIZE\r\n", &error);
  caps = mail_smtp_capabilities_parse (reply, &error);
  g_assert_no_error (error);
  g_assert_true (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_SIZE));
  g_assert_cmpuint (mail_smtp_capabilities_get_size_limit (caps), ==, 0);
  g_clear_pointer (&caps, mail_smtp_capabilities_free);
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  /* A negative EHLO reply has no capabilities. */
  reply = parse ("502 5.5.1 no\r\n", &error);
  caps = mail_smtp_capabilities_parse (reply, &error);
  g_assert_null (caps);
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
}

static void
assert_maps_to (const char    *text,
                MailSmtpStage  stage,
                const char    *subject,
                MailSmtpError  code,
                const char    *message_part)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(MailSmtpReply) reply = parse (text, &parse_error);
  g_autoptr(GError) error = NULL;

  g_assert_no_error (parse_error);
  error = mail_smtp_error_from_reply (reply, stage, subject, FALSE);
  g_assert_error (error, MAIL_SMTP_ERROR, (gint) code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, message_part);
}

static void
test_error_mapping (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSmtpReply) reply = NULL;

  assert_maps_to ("530 5.7.0 Must issue a STARTTLS command first\r\n", MAIL_SMTP_STAGE_MAIL_FROM,
                  "a@example.org", MAIL_SMTP_ERROR_AUTH_REQUIRED,
                  "requires you to log in before sending");
  assert_maps_to ("535 5.7.8 Error: authentication failed\r\n", MAIL_SMTP_STAGE_AUTH, NULL,
                  MAIL_SMTP_ERROR_AUTH_FAILED, "user name or password");
  assert_maps_to ("534 5.7.9 Please log in with your web browser\r\n", MAIL_SMTP_STAGE_AUTH, NULL,
                  MAIL_SMTP_ERROR_AUTH_WEAK, "app password");
  assert_maps_to ("552 5.3.4 Message size exceeds fixed limit\r\n", MAIL_SMTP_STAGE_MESSAGE, NULL,
                  MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE, "too large");
  assert_maps_to ("550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n",
                  MAIL_SMTP_STAGE_RCPT_TO, "nobody@example.org",
                  MAIL_SMTP_ERROR_RECIPIENT_REJECTED, "nobody@example.org");
  assert_maps_to ("554 5.7.1 Relay access denied\r\n", MAIL_SMTP_STAGE_RCPT_TO, "x@elsewhere.org",
                  MAIL_SMTP_ERROR_RECIPIENT_REJECTED, "x@elsewhere.org");
  assert_maps_to ("554 5.6.0 spam\r\n", MAIL_SMTP_STAGE_MESSAGE, NULL,
                  MAIL_SMTP_ERROR_MESSAGE_REJECTED, "refused the message");
  assert_maps_to ("554 no SMTP service here\r\n", MAIL_SMTP_STAGE_GREETING, NULL,
                  MAIL_SMTP_ERROR_GREETING, "refused the connection");
  assert_maps_to ("421 4.3.2 Service shutting down\r\n", MAIL_SMTP_STAGE_RCPT_TO, NULL,
                  MAIL_SMTP_ERROR_SERVICE_CLOSING, "closing");
  assert_maps_to ("454 4.7.0 TLS not available due to local problem\r\n",
                  MAIL_SMTP_STAGE_STARTTLS, NULL, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE,
                  "TLS not available");
  assert_maps_to ("553 5.7.1 <a@b>: Sender address rejected: not owned by user\r\n",
                  MAIL_SMTP_STAGE_MAIL_FROM, "a@b", MAIL_SMTP_ERROR_SENDER_REJECTED, "a@b");
  assert_maps_to ("451 4.3.0 try later\r\n", MAIL_SMTP_STAGE_DATA, NULL,
                  MAIL_SMTP_ERROR_TEMPORARY, "451");
  assert_maps_to ("500 5.5.2 what\r\n", MAIL_SMTP_STAGE_OTHER, NULL,
                  MAIL_SMTP_ERROR_PERMANENT, "500");

  /* Server text appears only when allowed, and then shortened. */
  reply = parse ("535 5.7.8 secret-looking server words\r\n", NULL);
  error = mail_smtp_error_from_reply (reply, MAIL_SMTP_STAGE_AUTH, NULL, FALSE);
  g_assert_null (strstr (error->message, "server words"));
  g_clear_error (&error);
  error = mail_smtp_error_from_reply (reply, MAIL_SMTP_STAGE_AUTH, NULL, TRUE);
  g_assert_nonnull (strstr (error->message, "server words"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/smtp/reply/single-line", test_single_line);
  g_test_add_func ("/engine/smtp/reply/code-only", test_code_only);
  g_test_add_func ("/engine/smtp/reply/multi-line", test_multi_line);
  g_test_add_func ("/engine/smtp/reply/incremental", test_incremental);
  g_test_add_func ("/engine/smtp/reply/enhanced", test_enhanced);
  g_test_add_func ("/engine/smtp/reply/invalid", test_invalid);
  g_test_add_func ("/engine/smtp/reply/nul-byte", test_nul_byte);
  g_test_add_func ("/engine/smtp/reply/caps", test_caps);
  g_test_add_func ("/engine/smtp/reply/utf8", test_utf8);
  g_test_add_func ("/engine/smtp/capabilities/parse", test_capabilities);
  g_test_add_func ("/engine/smtp/capabilities/invalid", test_capabilities_invalid);
  g_test_add_func ("/engine/smtp/error/mapping", test_error_mapping);

  return g_test_run ();
}
