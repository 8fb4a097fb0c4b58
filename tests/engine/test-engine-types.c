/* test-engine-types.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-engine.h"

static void
test_protocol_strings (void)
{
  MailProtocol protocol = MAIL_PROTOCOL_SMTP;

  g_assert_cmpstr (mail_protocol_to_string (MAIL_PROTOCOL_IMAP), ==, "imap");
  g_assert_true (mail_protocol_from_string ("POP3", &protocol));
  g_assert_cmpint (protocol, ==, MAIL_PROTOCOL_POP3);
  g_assert_false (mail_protocol_from_string ("imap4", &protocol));
  g_assert_false (mail_protocol_from_string (NULL, &protocol));
  g_assert_cmpint (protocol, ==, MAIL_PROTOCOL_POP3);
}

static void
test_security_strings (void)
{
  MailSecurity security = MAIL_SECURITY_NONE;

  g_assert_true (mail_security_from_string ("starttls", &security));
  g_assert_cmpint (security, ==, MAIL_SECURITY_STARTTLS);
  g_assert_cmpstr (mail_security_to_string (MAIL_SECURITY_TLS), ==, "tls");
  g_assert_false (mail_security_from_string ("ssl-if-possible", &security));
}

static void
test_default_ports (void)
{
  g_assert_cmpuint (mail_protocol_default_port (MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS), ==, 993);
  g_assert_cmpuint (mail_protocol_default_port (MAIL_PROTOCOL_IMAP, MAIL_SECURITY_STARTTLS),
                    ==, 143);
  g_assert_cmpuint (mail_protocol_default_port (MAIL_PROTOCOL_POP3, MAIL_SECURITY_TLS), ==, 995);
  g_assert_cmpuint (mail_protocol_default_port (MAIL_PROTOCOL_POP3, MAIL_SECURITY_NONE), ==, 110);
  g_assert_cmpuint (mail_protocol_default_port (MAIL_PROTOCOL_SMTP, MAIL_SECURITY_TLS), ==, 465);
  g_assert_cmpuint (mail_protocol_default_port (MAIL_PROTOCOL_SMTP, MAIL_SECURITY_STARTTLS),
                    ==, 587);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/types/protocol-strings", test_protocol_strings);
  g_test_add_func ("/engine/types/security-strings", test_security_strings);
  g_test_add_func ("/engine/types/default-ports", test_default_ports);

  return g_test_run ();
}
