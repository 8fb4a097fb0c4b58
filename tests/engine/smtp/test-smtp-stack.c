/* test-smtp-stack.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-sasl.h"
#include "mail-smtp-client.h"
#include "mail-test-utils.h"

/* MailSmtpClient against the local Postfix of build-aux/mail-stack: submission with
 * STARTTLS (587 role) and submissions with implicit TLS (465 role), every login mechanism
 * the stack offers. Skipped cleanly without the stack. */

#define WAIT_MS 30000

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} AsyncWait;

typedef struct
{
  const char   *path;
  const char   *port_key;
  MailSecurity  security;
  const char   *mechanism;
} LoginCase;

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static MailSmtpClient *
stack_client (const char   *port_key,
              MailSecurity  security)
{
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  g_autoptr(MailConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (mail_tls_policy_set_ca_file (policy, mail_test_stack ("CA"), &error));
  g_assert_no_error (error);

  /* The stack's certificate names "localhost". */
  connection = mail_connection_new (mail_test_stack ("TLS_NAME"),
                                    mail_test_stack_port (port_key), security);
  mail_connection_set_tls_policy (connection, policy);
  return mail_smtp_client_new (connection);
}

static gboolean
client_connect (MailSmtpClient  *client,
                GError         **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  mail_smtp_client_connect_async (client, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  ret = mail_smtp_client_connect_finish (client, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static gboolean
client_login (MailSmtpClient  *client,
              const char      *password,
              const char      *mechanism,
              GError         **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  mail_smtp_client_login_async (client, mail_test_stack ("ALICE"), password, mechanism, NULL,
                                async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  ret = mail_smtp_client_login_finish (client, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static gboolean
client_send (MailSmtpClient      *client,
             const char * const  *recipients,
             GError             **error)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype ("plain");
  GMimeMessage *message = g_mime_message_new (TRUE);
  AsyncWait wait = { 0 };
  gboolean ret;

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Alice",
                              mail_test_stack ("ALICE"));
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, "Bob", mail_test_stack ("BOB"));
  g_mime_message_set_subject (message, "stack test", NULL);
  g_mime_text_part_set_text (part, "Hello Bob.\n.\nA dot line, and one more line.\n");
  g_mime_message_set_mime_part (message, GMIME_OBJECT (part));

  mail_smtp_client_send_async (client, message, NULL, recipients, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  ret = mail_smtp_client_send_finish (client, wait.result, error);
  g_object_unref (wait.result);
  g_object_unref (part);
  g_object_unref (message);
  return ret;
}

static void
client_quit (MailSmtpClient *client)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  mail_smtp_client_quit_async (client, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  g_assert_true (mail_smtp_client_quit_finish (client, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

static gboolean
stack_offers (const char *mechanism)
{
  g_auto(GStrv) mechs = g_strsplit (mail_test_stack ("SMTP_MECHANISMS"), " ", -1);

  return g_strv_contains ((const char * const *) mechs, mechanism);
}

static void
test_login_and_send (gconstpointer data)
{
  const LoginCase *tc = data;
  g_autoptr(MailSmtpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!mail_test_have_stack ())
    return;

  if (tc->mechanism != NULL && !stack_offers (tc->mechanism))
    {
      g_test_skip ("the stack does not offer this mechanism (see the scripted-server test)");
      return;
    }

  client = stack_client (tc->port_key, tc->security);
  g_assert_true (client_connect (client, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_get_is_encrypted (mail_smtp_client_get_connection (client)));
  g_assert_true (mail_smtp_capabilities_has (mail_smtp_client_get_capabilities (client),
                                             MAIL_SMTP_EXTENSION_AUTH));

  g_assert_true (client_login (client, mail_test_stack ("ALICE_PASSWORD"),
                               tc->mechanism != NULL ? tc->mechanism : "auto", &error));
  g_assert_no_error (error);
  if (tc->mechanism != NULL)
    g_assert_cmpstr (mail_smtp_client_get_mechanism (client), ==, tc->mechanism);

  g_assert_true (client_send (client, NULL, &error));
  g_assert_no_error (error);

  client_quit (client);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_wrong_password (void)
{
  g_autoptr(MailSmtpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!mail_test_have_stack ())
    return;

  client = stack_client ("SUBMISSIONS_PORT", MAIL_SECURITY_TLS);
  g_assert_true (client_connect (client, &error));
  g_assert_false (client_login (client, "not-the-password", "plain", &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_FAILED);
  client_quit (client);
}

static void
test_send_requires_login (void)
{
  const char *recipients[] = { "bob@example.test", NULL };
  g_autoptr(MailSmtpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!mail_test_have_stack ())
    return;

  client = stack_client ("SUBMISSION_PORT", MAIL_SECURITY_STARTTLS);
  g_assert_true (client_connect (client, &error));
  g_assert_false (client_send (client, recipients, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_REQUIRED);
  client_quit (client);
}

static const LoginCase login_cases[] = {
  { "/engine/smtp/stack/submission-starttls/auto", "SUBMISSION_PORT", MAIL_SECURITY_STARTTLS,
    NULL },
  { "/engine/smtp/stack/submission-starttls/plain", "SUBMISSION_PORT", MAIL_SECURITY_STARTTLS,
    "PLAIN" },
  { "/engine/smtp/stack/submission-starttls/login", "SUBMISSION_PORT", MAIL_SECURITY_STARTTLS,
    "LOGIN" },
  { "/engine/smtp/stack/submission-starttls/cram-md5", "SUBMISSION_PORT",
    MAIL_SECURITY_STARTTLS, "CRAM-MD5" },
  { "/engine/smtp/stack/submissions-tls/plain", "SUBMISSIONS_PORT", MAIL_SECURITY_TLS,
    "PLAIN" },
  { "/engine/smtp/stack/submissions-tls/login", "SUBMISSIONS_PORT", MAIL_SECURITY_TLS,
    "LOGIN" },
  { "/engine/smtp/stack/submissions-tls/cram-md5", "SUBMISSIONS_PORT", MAIL_SECURITY_TLS,
    "CRAM-MD5" },
  { "/engine/smtp/stack/submissions-tls/scram-sha-256", "SUBMISSIONS_PORT", MAIL_SECURITY_TLS,
    "SCRAM-SHA-256" },
  { "/engine/smtp/stack/submissions-tls/ntlm", "SUBMISSIONS_PORT", MAIL_SECURITY_TLS,
    "NTLM" },
};

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  for (guint i = 0; i < G_N_ELEMENTS (login_cases); i++)
    g_test_add_data_func (login_cases[i].path, &login_cases[i], test_login_and_send);
  g_test_add_func ("/engine/smtp/stack/wrong-password", test_wrong_password);
  g_test_add_func ("/engine/smtp/stack/send-requires-login", test_send_requires_login);

  return g_test_run ();
}
