/* test-pop3-client.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-pop3-client.h"
#include "mail-sasl.h"
#include "mail-test-server.h"
#include "mail-test-utils.h"

/* MailPop3Client against the scripted server (tests/data/transcripts/pop3/). Every attack
 * case also checks that the server never received a credential or a login attempt. */

#define USERNAME  "alice"
#define PASSWORD  "s3cret-Pa55"
#define PLAIN_B64 "AGFsaWNlAHMzY3JldC1QYTU1"
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
  MailPop3Client *client;
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

#define WAIT_FOR(call, wait) \
  G_STMT_START { call; mail_test_wait_for (&(wait).done, WAIT_MS); } G_STMT_END

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
  s->client = mail_pop3_client_new (s->connection);
}

static void
session_start (Session      *s,
               const char   *transcript,
               MailSecurity  security)
{
  g_autofree char *path = g_strconcat ("pop3/", transcript, NULL);
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

  WAIT_FOR (mail_pop3_client_connect_async (s->client, NULL, async_cb, &wait), wait);
  ret = mail_pop3_client_connect_finish (s->client, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static gboolean
session_login_as (Session     *s,
                  const char  *username,
                  const char  *password,
                  const char  *mechanism,
                  GError     **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  WAIT_FOR (mail_pop3_client_login_async (s->client, username, password, mechanism, NULL,
                                          async_cb, &wait), wait);
  ret = mail_pop3_client_login_finish (s->client, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static gboolean
session_login (Session     *s,
               const char  *mechanism,
               GError     **error)
{
  return session_login_as (s, USERNAME, PASSWORD, mechanism, error);
}

static GArray *
session_uidl (Session  *s,
              GError  **error)
{
  AsyncWait wait = { 0 };
  GArray *ret;

  WAIT_FOR (mail_pop3_client_uidl_async (s->client, NULL, async_cb, &wait), wait);
  ret = mail_pop3_client_uidl_finish (s->client, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static GBytes *
session_retr (Session  *s,
              guint     msgno,
              GError  **error)
{
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  AsyncWait wait = { 0 };
  guint64 size = 0;
  gboolean ret;

  WAIT_FOR (mail_pop3_client_retr_async (s->client, msgno, sink, NULL, async_cb, &wait), wait);
  ret = mail_pop3_client_retr_finish (s->client, wait.result, &size, error);
  g_object_unref (wait.result);
  if (!ret)
    return NULL;

  g_output_stream_close (sink, NULL, NULL);
  g_assert_cmpuint (size, ==, g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static void
session_quit (Session *s)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  WAIT_FOR (mail_pop3_client_quit_async (s->client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_quit_finish (s->client, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

static void
session_finish (Session    *s,
                gboolean    credentials_sent,
                const char *forbidden)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  WAIT_FOR (mail_connection_close_async (s->connection, NULL, async_cb, &wait), wait);
  mail_connection_close_finish (s->connection, wait.result, NULL);
  g_object_unref (wait.result);

  g_assert_true (mail_test_server_wait (s->server, &error));
  g_assert_no_error (error);

  if (forbidden != NULL)
    g_assert_false (mail_test_server_received_contains (s->server, forbidden));
  if (!credentials_sent)
    {
      g_assert_false (mail_test_server_received_contains (s->server, PASSWORD));
      g_assert_false (mail_test_server_received_contains (s->server, PLAIN_B64));
      g_assert_false (mail_test_server_received_contains (s->server, "USER"));
      g_assert_false (mail_test_server_received_contains (s->server, "PASS"));
      g_assert_false (mail_test_server_received_contains (s->server, "AUTH"));
      g_assert_false (mail_test_server_received_contains (s->server, "APOP"));
    }

  g_clear_object (&s->connection);
  g_assert_finalize_object (g_steal_pointer (&s->client));
  g_clear_object (&s->server);
}

/* ------------------------------------------------------------------------------------ */
/* Refusals at connect time */

typedef struct
{
  const char   *path;
  const char   *transcript;
  MailSecurity  security;
  GQuark      (*domain) (void);
  int           code;
} ConnectFailCase;

static const ConnectFailCase connect_fail_cases[] = {
  { "/engine/pop3/client/attack/stls-stripped", "stls-stripped.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/pop3/client/attack/stls-err", "stls-err.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/pop3/client/attack/stls-garbage", "stls-garbage.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/pop3/client/attack/stls-injection", "stls-injection.txt",
    MAIL_SECURITY_STARTTLS, mail_net_error_quark, MAIL_NET_ERROR_STARTTLS_INJECTION },
  { "/engine/pop3/client/attack/unsolicited-before-tls", "unsolicited-before-tls.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/pop3/client/attack/no-capa", "no-capa.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE },
  { "/engine/pop3/client/attack/greeting-err", "greeting-err.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_GREETING },
  { "/engine/pop3/client/attack/greeting-garbage", "greeting-garbage.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_PROTOCOL },
  { "/engine/pop3/client/attack/greeting-empty", "greeting-empty.txt",
    MAIL_SECURITY_STARTTLS, mail_pop3_error_quark, MAIL_POP3_ERROR_PROTOCOL },
  { "/engine/pop3/client/attack/eof-mid-reply", "eof-mid-reply.txt",
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

  /* Text received before TLS is never shown. */
  g_assert_null (strstr (error->message, "evil"));
  g_assert_null (strstr (error->message, "ALERT"));
  g_assert_null (mail_pop3_client_get_capabilities (s.client));

  session_finish (&s, FALSE, NULL);
}

static void
test_overlong_line (void)
{
  MailTestServer *server = mail_test_server_new ();
  g_autofree char *filler = g_strnfill (MAIL_CONNECTION_DEFAULT_MAX_LINE + 100, 'x');
  g_autofree char *script = g_strdup_printf ("S: +OK %s\nEXPECT-CLOSE\n", filler);
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  mail_test_server_add_script (server, script);
  session_start_full (&s, server, MAIL_SECURITY_STARTTLS);
  g_assert_false (session_connect (&s, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LINE_TOO_LONG);
  session_finish (&s, FALSE, NULL);
}

static void
test_overlong_status (void)
{
  MailTestServer *server = mail_test_server_new ();
  g_autofree char *filler = g_strnfill (MAIL_POP3_MAX_LINE_LENGTH + 1, 'x');
  g_autofree char *script = g_strdup_printf ("S: +OK %s\nEXPECT-CLOSE\n", filler);
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  mail_test_server_add_script (server, script);
  session_start_full (&s, server, MAIL_SECURITY_STARTTLS);
  g_assert_false (session_connect (&s, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
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
  g_assert_true (mail_connection_get_was_upgraded (s.connection));
  g_assert_false (mail_pop3_capabilities_has (mail_pop3_client_get_capabilities (s.client),
                                              MAIL_POP3_EXTENSION_SASL));

  g_assert_false (session_login (&s, "plain", &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_UNSUPPORTED);

  session_quit (&s);
  session_finish (&s, FALSE, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Whole sessions */

static void
test_stls_session (void)
{
  static const char expected[] =
    "Subject: dots\r\n\r\n.\r\n..two dots\r\n. leading dot and space\r\nlast line\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) uidl = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GBytes) message = NULL;
  const MailPop3Capabilities *caps;
  AsyncWait wait = { 0 };
  guint count = 0;
  guint64 size = 0;
  Session s = { 0 };

  session_start (&s, "stls-session.txt", MAIL_SECURITY_STARTTLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_get_was_upgraded (s.connection));
  g_assert_null (mail_pop3_client_get_apop_timestamp (s.client));

  caps = mail_pop3_client_get_capabilities (s.client);
  g_assert_false (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_STLS));
  g_assert_false (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_SASL));
  g_assert_true (mail_pop3_capabilities_has (caps, MAIL_POP3_EXTENSION_UIDL));

  g_assert_true (session_login (&s, "auto", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_pop3_client_get_mechanism (s.client), ==, "USER");

  WAIT_FOR (mail_pop3_client_stat_async (s.client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_stat_finish (s.client, wait.result, &count, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (size, ==, 371);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  WAIT_FOR (mail_pop3_client_list_async (s.client, NULL, async_cb, &wait), wait);
  list = mail_pop3_client_list_finish (s.client, wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpuint (g_array_index (list, MailPop3ListEntry, 1).size, ==, 251);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  uidl = session_uidl (&s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uidl->len, ==, 2);
  g_assert_cmpstr (g_array_index (uidl, MailPop3ListEntry, 0).uid, ==, "00000001575b2e5a");

  message = session_retr (&s, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (message, NULL), g_bytes_get_size (message),
                   expected, sizeof expected - 1);

  WAIT_FOR (mail_pop3_client_dele_async (s.client, 2, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_dele_finish (s.client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  session_quit (&s);
  session_finish (&s, TRUE, "AUTH");
}

static void
test_sasl_plain (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "sasl-plain.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, "plain", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_pop3_client_get_mechanism (s.client), ==, "PLAIN");
  session_quit (&s);
  session_finish (&s, TRUE, "USER");
}

static void
test_apop (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "apop.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_cmpstr (mail_pop3_client_get_apop_timestamp (s.client), ==,
                   "<1896.697170952@dbc.mtview.ca.us>");
  g_assert_true (session_login_as (&s, "mrose", "tanstaaf", "auto", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_pop3_client_get_mechanism (s.client), ==, "APOP");
  session_quit (&s);
  session_finish (&s, TRUE, "tanstaaf");
}

static void
test_auth_failed (void)
{
  g_autoptr(GError) error = NULL;
  Session s = { 0 };

  session_start (&s, "auth-failed.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_login (&s, "user", &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "Authentication failed."));
  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_uidl_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) uidl = NULL;
  Session s = { 0 };

  session_start (&s, "uidl-invalid.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, NULL, &error));

  uidl = session_uidl (&s, &error);
  g_assert_null (uidl);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  uidl = session_uidl (&s, &error);
  g_assert_null (uidl);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_retr_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  Session s = { 0 };

  session_start (&s, "retr-too-large.txt", MAIL_SECURITY_TLS);
  mail_pop3_client_set_max_message_size (s.client, 50);
  g_assert_cmpuint (mail_pop3_client_get_max_message_size (s.client), ==, 50);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, NULL, &error));

  message = session_retr (&s, 1, &error);
  g_assert_null (message);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_MESSAGE_TOO_LARGE);

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
  g_assert_cmpstr (mail_pop3_client_get_mechanism (s.client), ==, "NTLM");
  session_quit (&s);
  session_finish (&s, TRUE, NULL);
}

static void
test_commands (void)
{
  static const char expected[] =
    "Subject: top\r\nFrom: bob@example.test\r\n\r\n.first body line\r\n";
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };
  guint64 size = 0;
  Session s = { 0 };

  session_start (&s, "commands.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, NULL, &error));
  g_assert_no_error (error);

  WAIT_FOR (mail_pop3_client_top_async (s.client, 1, 1, sink, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_top_finish (s.client, wait.result, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, sizeof expected - 1);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)), size,
                   expected, sizeof expected - 1);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  WAIT_FOR (mail_pop3_client_noop_async (s.client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_noop_finish (s.client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  WAIT_FOR (mail_pop3_client_dele_async (s.client, 9, NULL, async_cb, &wait), wait);
  g_assert_false (mail_pop3_client_dele_finish (s.client, wait.result, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NO_SUCH_MESSAGE);
  g_clear_error (&error);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  WAIT_FOR (mail_pop3_client_rset_async (s.client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_rset_finish (s.client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  session_quit (&s);
  session_finish (&s, TRUE, NULL);
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

  g_test_add_func ("/engine/pop3/client/attack/overlong-line", test_overlong_line);
  g_test_add_func ("/engine/pop3/client/attack/overlong-status", test_overlong_status);
  g_test_add_func ("/engine/pop3/client/attack/auth-only-before-tls", test_auth_only_before_tls);
  g_test_add_func ("/engine/pop3/client/stls-session", test_stls_session);
  g_test_add_func ("/engine/pop3/client/sasl-plain", test_sasl_plain);
  g_test_add_func ("/engine/pop3/client/apop", test_apop);
  g_test_add_func ("/engine/pop3/client/auth-failed", test_auth_failed);
  g_test_add_func ("/engine/pop3/client/uidl-invalid", test_uidl_invalid);
  g_test_add_func ("/engine/pop3/client/retr-too-large", test_retr_too_large);
  g_test_add_func ("/engine/pop3/client/auth-ntlm", test_auth_ntlm);
  g_test_add_func ("/engine/pop3/client/commands", test_commands);

  return g_test_run ();
}
