/* test-imap-command.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-imap-client-error.h"
#include "mail-imap-command.h"

/* How commands go on the wire: quoting, literals for what cannot be quoted, literal
 * announcements by server capability, mailbox name encoding. */

static void
test_quoting (void)
{
  g_autoptr(MailImapCommand) command = mail_imap_command_new ("LOGIN");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (mail_imap_command_add_string (command, "al\"ice", FALSE, &error));
  g_assert_true (mail_imap_command_add_string (command, "pa\\ss", FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_command_get_n_parts (command), ==, 1);
  text = mail_imap_command_to_string (command, "A1");
  g_assert_cmpstr (text, ==, "A1 LOGIN \"al\\\"ice\" \"pa\\\\ss\"");
}

static void
test_literal_for_crlf (void)
{
  g_autoptr(MailImapCommand) command = mail_imap_command_new ("LOGIN");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line0 = NULL;
  g_autofree char *line1 = NULL;

  /* A CRLF in an argument can never end the command line: it goes in a literal. */
  g_assert_true (mail_imap_command_add_string (command, "bob\r\nA2 DELETE INBOX", FALSE,
                                               &error));
  g_assert_true (mail_imap_command_add_string (command, "p\xc3\xa4ss", FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_command_get_n_parts (command), ==, 3);
  text = mail_imap_command_to_string (command, "A1");
  g_assert_cmpstr (text, ==, "A1 LOGIN {20}\r\nbob\r\nA2 DELETE INBOX {5}\r\np\xc3\xa4ss");

  line0 = mail_imap_command_format_part (command, 0, "A1", MAIL_IMAP_LITERAL_PLUS);
  g_assert_cmpstr (line0, ==, "A1 LOGIN {20+}");
  line1 = mail_imap_command_format_part (command, 1, "A1", MAIL_IMAP_LITERAL_SYNC);
  g_assert_cmpstr (line1, ==, " {5}");

  /* With UTF8=ACCEPT 8-bit text may be quoted. */
  {
    g_autoptr(MailImapCommand) utf8 = mail_imap_command_new ("LOGIN");

    g_assert_true (mail_imap_command_add_string (utf8, "p\xc3\xa4ss", TRUE, &error));
    g_assert_cmpuint (mail_imap_command_get_n_parts (utf8), ==, 1);
  }

  /* Invalid UTF-8 is refused. */
  g_assert_false (mail_imap_command_add_string (command, "\xff", FALSE, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID);
}

static void
test_literal_minus (void)
{
  g_autoptr(MailImapCommand) command = mail_imap_command_new ("APPEND");
  g_autoptr(GBytes) small = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (5000), 5000);

  mail_imap_command_add_literal (command, small);
  mail_imap_command_add_literal (command, big);
  g_assert_false (mail_imap_command_literal_is_sync (command, 0, MAIL_IMAP_LITERAL_MINUS));
  g_assert_true (mail_imap_command_literal_is_sync (command, 1, MAIL_IMAP_LITERAL_MINUS));
  g_assert_false (mail_imap_command_literal_is_sync (command, 1, MAIL_IMAP_LITERAL_PLUS));
  g_assert_true (mail_imap_command_literal_is_sync (command, 0, MAIL_IMAP_LITERAL_SYNC));
}

static void
test_mailbox (void)
{
  g_autoptr(MailImapCommand) command = mail_imap_command_new ("SELECT");
  g_autoptr(MailImapCommand) utf8 = mail_imap_command_new ("SELECT");
  g_autoptr(MailImapCommand) inbox = mail_imap_command_new ("SELECT");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_utf8 = NULL;
  g_autofree char *text_inbox = NULL;

  g_assert_true (mail_imap_command_add_mailbox (command, "\xc3\x89t\xc3\xa9 & Co", FALSE,
                                                &error));
  g_assert_true (mail_imap_command_add_mailbox (utf8, "\xc3\x89t\xc3\xa9", TRUE, &error));
  g_assert_true (mail_imap_command_add_mailbox (inbox, "inbox", FALSE, &error));
  g_assert_no_error (error);
  text = mail_imap_command_to_string (command, "A1");
  g_assert_cmpstr (text, ==, "A1 SELECT \"&AMk-t&AOk- &- Co\"");
  text_utf8 = mail_imap_command_to_string (utf8, "A1");
  g_assert_cmpstr (text_utf8, ==, "A1 SELECT \"\xc3\x89t\xc3\xa9\"");
  text_inbox = mail_imap_command_to_string (inbox, "A1");
  g_assert_cmpstr (text_inbox, ==, "A1 SELECT \"INBOX\"");

  g_assert_false (mail_imap_command_add_mailbox (command, "", FALSE, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID);
}

static void
test_list_syntax (void)
{
  g_autoptr(MailImapCommand) command = mail_imap_command_new ("ID");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  mail_imap_command_add_atom (command, "(");
  g_assert_true (mail_imap_command_add_string (command, "name", FALSE, &error));
  g_assert_true (mail_imap_command_add_string (command, "Mail", FALSE, &error));
  mail_imap_command_add_raw (command, ")");
  text = mail_imap_command_to_string (command, "A9");
  g_assert_cmpstr (text, ==, "A9 ID (\"name\" \"Mail\")");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/imapc/command/quoting", test_quoting);
  g_test_add_func ("/engine/imapc/command/literal-for-crlf", test_literal_for_crlf);
  g_test_add_func ("/engine/imapc/command/literal-minus", test_literal_minus);
  g_test_add_func ("/engine/imapc/command/mailbox", test_mailbox);
  g_test_add_func ("/engine/imapc/command/list-syntax", test_list_syntax);

  return g_test_run ();
}
