/* test-smtp-client.c
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
#include "mail-test-server.h"
#include "mail-test-utils.h"

/* MailSmtpClient against the scripted server (tests/data/transcripts/smtp/). Every attack
 * case also checks that the server never received a credential or a login attempt. */

#define USERNAME  "alice"
#define PASSWORD  "s3cret-Pa55"
#define PLAIN_B64 "AGFsaWNlAHMzY3JldC1QYTU1"
#define LOGIN_B64 "czNjcmV0LVBhNTU="
#define WAIT_MS   15000

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} AsyncWait;

typedef struct
{
  MailTestServer *server;
  MailConnection *connection;
  MailSmtpClient *client;
} Session;

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
session_start_full (Session        *s,
                    MailTestServer *server,
                    MailSecurity    security)
{
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  g_autofree char *ca = mail_test_server_get_ca_file ();
  g_autoptr(GError) error = NULL;

  s->server = server;
  mail_test_server_start (s->server);

  g_assert_true (mail_tls_policy_set_ca_file (policy, ca, &error));
  g_assert_no_error (error);

  s->connection = mail_connection_new (mail_test_server_get_host (s->server),
                                       mail_test_server_get_port (s->server), security);
  mail_connection_set_tls_policy (s->connection, policy);
  mail_connection_set_read_timeout (s->connection, 5000);
  s->client = mail_smtp_client_new (s->connection);
}

static void
session_start (Session      *s,
               const char   *transcript,
               MailSecurity  security)
{
  g_autofree char *path = g_strconcat ("smtp/", transcript, NULL);
  MailTestServer *server = mail_test_server_new ();

  mail_test_server_load_transcript (server, path);
  session_start_full (s, server, security);
}

static gboolean
session_connect (Session  *s,
                 GError  **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  mail_smtp_client_connect_async (s->client, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  ret = mail_smtp_client_connect_finish (s->client, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static gboolean
session_login (Session     *s,
               const char  *mechanism,
               GError     **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  mail_smtp_client_login_async (s->client, USERNAME, PASSWORD, mechanism, NULL, async_cb,
                                &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  ret = mail_smtp_client_login_finish (s->client, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static GMimeMessage *
load_message (void)
{
  g_autoptr(GBytes) bytes = mail_test_load_data ("transcripts/smtp/message.eml");
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;

  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL),
                                              g_bytes_get_size (bytes));
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (message);
  g_object_unref (parser);
  g_object_unref (stream);
  return message;
}

static gboolean
session_send (Session             *s,
              const char * const  *recipients,
              GError             **error)
{
  GMimeMessage *message = load_message ();
  AsyncWait wait = { 0 };
  gboolean ret;

  mail_smtp_client_send_async (s->client, message, NULL, recipients, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  ret = mail_smtp_client_send_finish (s->client, wait.result, error);
  g_object_unref (wait.result);
  g_object_unref (message);
  return ret;
}

static void
session_quit (Session *s)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  mail_smtp_client_quit_async (s->client, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  g_assert_true (mail_smtp_client_quit_finish (s->client, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

/* Hangs up (as after an error), waits for the script to have played completely and
 * checks what the server received. */
static void
session_finish (Session    *s,
                gboolean    credentials_sent,
                const char *forbidden)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  mail_connection_close_async (s->connection, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, WAIT_MS);
  mail_connection_close_finish (s->connection, wait.result, NULL);
  g_object_unref (wait.result);

  g_assert_true (mail_test_server_wait (s->server, &error));
  g_assert_no_error (error);

  g_assert_false (mail_test_server_received_contains (s->server, PASSWORD));
  if (forbidden != NULL)
    g_assert_false (mail_test_server_received_contains (s->server, forbidden));
  if (!credentials_sent)
    {
      g_assert_false (mail_test_server_received_contains (s->server, "AUTH"));
      g_assert_false (mail_test_server_received_contains (s->server, PLAIN_B64));
      g_assert_false (mail_test_server_received_contains (s->server, LOGIN_B64));
      g_assert_false (mail_test_server_received_contains (s->server, "MAIL FROM"));
    }

  g_clear_object (&s->connection);
  g_assert_finalize_object (g_steal_pointer (&s->client));
  g_clear_object (&s->server);
}

/* ------------------------------------------------------------------------------------ */
/* Refusals at connect time: attack classes of SECURITY.md and broken servers */

typedef struct
{
  const char   *path;
  const char   *transcript;
  MailSecurity  security;
  GQuark      (*domain) (void);
  int           code;
} ConnectFailCase;

static const ConnectFailCase connect_fail_cases[] = {
  { "/engine/smtp/client/attack/starttls-stripped", "starttls-stripped.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/smtp/client/attack/starttls-454", "starttls-454.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/smtp/client/attack/starttls-garbage", "starttls-garbage.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/smtp/client/attack/starttls-injection", "starttls-injection.txt",
    MAIL_SECURITY_STARTTLS, mail_net_error_quark, MAIL_NET_ERROR_STARTTLS_INJECTION },
  { "/engine/smtp/client/attack/unsolicited-before-tls", "unsolicited-before-tls.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/smtp/client/attack/non-esmtp", "non-esmtp.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/smtp/client/attack/greeting-garbage", "greeting-garbage.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_PROTOCOL },
  { "/engine/smtp/client/attack/greeting-554", "greeting-554.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_GREETING },
  { "/engine/smtp/client/attack/greeting-empty", "greeting-empty.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_PROTOCOL },
  { "/engine/smtp/client/attack/greeting-421", "greeting-421.txt",
    MAIL_SECURITY_STARTTLS, mail_smtp_error_quark, MAIL_SMTP_ERROR_SERVICE_CLOSING },
  { "/engine/smtp/client/attack/eof-mid-reply", "eof-mid-reply.txt",
    MAIL_SECURITY_STARTTLS, mail_net_error_quark, MAIL_NET_ERROR_CLOSED },
};

static void
test_connect_fails (gconstpointer data)
{
  const ConnectFailCase *tc = data;
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, tc->transcript, tc->security);
  g_assert_false (session_connect (&s, &error));
  g_assert_error (error, tc->domain (), tc->code);

  /* Text received before TLS is never shown: none of the scripts' bait may leak. */
  g_assert_null (strstr (error->message, "evil"));
  g_assert_null (strstr (error->message, "ALERT"));
  g_assert_null (strstr (error->message, "password"));
  g_assert_null (mail_smtp_client_get_capabilities (s.client));

  session_finish (&s, FALSE, NULL);
}

static void
test_overlong_line (void)
{
  MailTestServer *server = mail_test_server_new ();
  g_autofree char *filler = g_strnfill (MAIL_SMTP_REPLY_MAX_LINE_LENGTH + 100, 'x');
  g_autofree char *script = g_strdup_printf ("S: 220 %s\nEXPECT-CLOSE\n", filler);
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  mail_test_server_add_script (server, script);
  session_start_full (&s, server, MAIL_SECURITY_STARTTLS);
  g_assert_false (session_connect (&s, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LINE_TOO_LONG);
  session_finish (&s, FALSE, NULL);
}

static void
test_auth_only_before_tls (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "auth-only-before-tls.txt", MAIL_SECURITY_STARTTLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_get_is_encrypted (s.connection));

  /* The plaintext EHLO offered AUTH; the one over TLS does not. */
  g_assert_false (mail_smtp_capabilities_has (mail_smtp_client_get_capabilities (s.client),
                                              MAIL_SMTP_EXTENSION_AUTH));
  g_assert_false (session_login (&s, "auto", &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_UNSUPPORTED);
  g_assert_false (mail_smtp_client_get_is_authenticated (s.client));

  session_quit (&s);
  session_finish (&s, FALSE, NULL);
}

static void
test_helo_fallback (void)
{
  const MailSmtpCapabilities *caps;
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  /* Loopback plaintext counts as consented for the connection; HELO is allowed only
   * because the account chose no encryption. */
  session_start (&s, "helo-fallback.txt", MAIL_SECURITY_NONE);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);
  caps = mail_smtp_client_get_capabilities (s.client);
  g_assert_null (mail_smtp_capabilities_get_keywords (caps)[0]);

  g_assert_false (session_login (&s, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_UNSUPPORTED);

  session_quit (&s);
  session_finish (&s, FALSE, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Whole sessions */

static void
test_starttls_send (void)
{
  g_autoptr(GError) error = NULL;
  const MailSmtpCapabilities *caps;
  Session s = { 0 };

  session_start (&s, "starttls-send.txt", MAIL_SECURITY_STARTTLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_get_was_upgraded (s.connection));

  caps = mail_smtp_client_get_capabilities (s.client);
  g_assert_false (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_STARTTLS));
  g_assert_false (mail_smtp_capabilities_has_mechanism (caps, "CRAM-MD5"));
  g_assert_true (mail_smtp_capabilities_has_mechanism (caps, "PLAIN"));
  g_assert_cmpuint (mail_smtp_capabilities_get_size_limit (caps), ==, 10240000);

  g_assert_true (session_login (&s, "auto", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_smtp_client_get_mechanism (s.client), ==, "PLAIN");
  g_assert_true (mail_smtp_client_get_is_authenticated (s.client));

  g_assert_true (session_send (&s, NULL, &error));
  g_assert_no_error (error);

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_size_too_large (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "size-too-large.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, "plain", &error));
  g_assert_no_error (error);

  g_assert_false (session_send (&s, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "100 bytes"));

  session_quit (&s);
  session_finish (&s, TRUE, "MAIL FROM");
}

static void
test_rcpt_rejected (void)
{
  const char *recipients[] = { "bob@example.test", "carol@example.test", NULL };
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "rcpt-rejected.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);

  g_assert_false (session_send (&s, recipients, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_RECIPIENT_REJECTED);
  g_assert_nonnull (strstr (error->message, "carol@example.test"));
  /* Received over TLS: the server's words may be shown. */
  g_assert_nonnull (strstr (error->message, "User unknown"));

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_auth_required (void)
{
  const char *recipients[] = { "bob@example.test", NULL };
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "auth-required.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_send (&s, recipients, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_REQUIRED);
  g_assert_nonnull (strstr (error->message, "log in before sending"));

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_auth_failed (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "auth-failed.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_login (&s, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_FAILED);
  g_assert_false (mail_smtp_client_get_is_authenticated (s.client));

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_auth_bad_challenge (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "auth-bad-challenge.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_login (&s, "login", &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);

  session_quit (&s);
  session_finish (&s, TRUE, LOGIN_B64);
}

static void
test_auth_login (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "auth-login.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_smtp_client_get_mechanism (s.client), ==, "LOGIN");

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_auth_ntlm (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  if (!mail_sasl_mechanism_is_supported ("NTLM"))
    {
      g_test_skip ("GNU SASL was built without NTLM");
      return;
    }

  session_start (&s, "auth-ntlm.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, "ntlm", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_smtp_client_get_mechanism (s.client), ==, "NTLM");

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_dsn_smtputf8 (void)
{
  const char *recipients[] = { "jörg@example.test", NULL };
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "dsn-smtputf8.txt", MAIL_SECURITY_TLS);
  mail_smtp_client_set_dsn_notify (s.client, "FAILURE,DELAY");
  g_assert_cmpstr (mail_smtp_client_get_dsn_notify (s.client), ==, "FAILURE,DELAY");
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_send (&s, recipients, &error));
  g_assert_no_error (error);

  session_quit (&s);
  session_finish (&s, TRUE, "BODY=");
}

static void
test_no_smtputf8 (void)
{
  const char *recipients[] = { "jörg@example.test", NULL };
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "no-smtputf8.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_send (&s, recipients, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_UNSUPPORTED);

  session_quit (&s);
  session_finish (&s, TRUE, "MAIL FROM");
}

static void
test_invalid_address (void)
{
  const char *recipients[] = { "bob@example.test>\r\nRCPT TO:<x@evil.example", NULL };
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "no-smtputf8.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_send (&s, recipients, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  session_quit (&s);
  session_finish (&s, TRUE, "evil");
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_properties (void)
{
  g_autoptr(MailConnection) connection = mail_connection_new ("127.0.0.1", 25,
                                                              MAIL_SECURITY_TLS);
  MailSmtpClient *client = mail_smtp_client_new (connection);
  g_autofree char *helo = NULL;
  guint helo_count = 0;
  guint dsn_count = 0;

  g_signal_connect (client, "notify::helo-name", G_CALLBACK (count_notify_cb), &helo_count);
  g_signal_connect (client, "notify::dsn-notify", G_CALLBACK (count_notify_cb), &dsn_count);

  g_assert_true (mail_smtp_client_get_connection (client) == connection);
  g_assert_cmpstr (mail_smtp_client_get_helo_name (client), ==, "[127.0.0.1]");
  g_assert_null (mail_smtp_client_get_dsn_notify (client));
  g_assert_null (mail_smtp_client_get_capabilities (client));
  g_assert_null (mail_smtp_client_get_mechanism (client));

  mail_smtp_client_set_helo_name (client, "[127.0.0.1]");
  g_assert_cmpuint (helo_count, ==, 0);
  mail_smtp_client_set_helo_name (client, "laptop.example.test");
  g_assert_cmpuint (helo_count, ==, 1);
  g_object_get (client, "helo-name", &helo, NULL);
  g_assert_cmpstr (helo, ==, "laptop.example.test");

  mail_smtp_client_set_dsn_notify (client, "NEVER");
  mail_smtp_client_set_dsn_notify (client, "NEVER");
  g_assert_cmpuint (dsn_count, ==, 1);
  g_object_set (client, "dsn-notify", NULL, NULL);
  g_assert_cmpuint (dsn_count, ==, 2);

  g_assert_finalize_object (client);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  for (guint i = 0; i < G_N_ELEMENTS (connect_fail_cases); i++)
    g_test_add_data_func (connect_fail_cases[i].path, &connect_fail_cases[i],
                          test_connect_fails);

  g_test_add_func ("/engine/smtp/client/attack/overlong-line", test_overlong_line);
  g_test_add_func ("/engine/smtp/client/attack/auth-only-before-tls", test_auth_only_before_tls);
  g_test_add_func ("/engine/smtp/client/properties", test_properties);
  g_test_add_func ("/engine/smtp/client/helo-fallback", test_helo_fallback);
  g_test_add_func ("/engine/smtp/client/starttls-send", test_starttls_send);
  g_test_add_func ("/engine/smtp/client/size-too-large", test_size_too_large);
  g_test_add_func ("/engine/smtp/client/rcpt-rejected", test_rcpt_rejected);
  g_test_add_func ("/engine/smtp/client/auth-required", test_auth_required);
  g_test_add_func ("/engine/smtp/client/auth-failed", test_auth_failed);
  g_test_add_func ("/engine/smtp/client/auth-bad-challenge", test_auth_bad_challenge);
  g_test_add_func ("/engine/smtp/client/auth-login", test_auth_login);
  g_test_add_func ("/engine/smtp/client/auth-ntlm", test_auth_ntlm);
  g_test_add_func ("/engine/smtp/client/dsn-smtputf8", test_dsn_smtputf8);
  g_test_add_func ("/engine/smtp/client/no-smtputf8", test_no_smtputf8);
  g_test_add_func ("/engine/smtp/client/invalid-address", test_invalid_address);

  return g_test_run ();
}
