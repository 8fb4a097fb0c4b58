/* test-imap-client.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-imap-client.h"
#include "mail-imap-mailbox-name.h"
#include "mail-test-server.h"
#include "mail-test-utils.h"

/* MailImapClient against the scripted server (tests/data/transcripts/imap/ and inline
 * scripts). Every attack case also checks that no credential and no login attempt reached
 * the server. */

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
  MailImapClient *client;
  GPtrArray      *alerts;
  guint           exists_signals;
  guint           last_exists;
  guint           fetch_signals;
  guint           closed_signals;
  const char     *forbidden;      /* must never have reached the server */
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
  G_STMT_START { (wait).done = FALSE; g_clear_object (&(wait).result); call; \
                 mail_test_wait_for (&(wait).done, WAIT_MS); } G_STMT_END

static void
alert_cb (MailImapClient *client,
          const char     *text,
          Session        *s)
{
  g_ptr_array_add (s->alerts, g_strdup (text));
}

static void
exists_cb (MailImapClient *client,
           guint           exists,
           Session        *s)
{
  s->exists_signals++;
  s->last_exists = exists;
}

static void
fetch_signal_cb (MailImapClient *client,
                 gpointer        fetch,
                 Session        *s)
{
  s->fetch_signals++;
}

static void
closed_cb (MailImapClient *client,
           const GError   *error,
           Session        *s)
{
  s->closed_signals++;
}

static void
session_start_server (Session        *s,
                      MailTestServer *server,
                      MailSecurity    security)
{
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  g_autofree char *ca = mail_test_server_get_ca_file ();
  g_autoptr(GError) error = NULL;

  memset (s, 0, sizeof *s);
  s->server = server;
  s->alerts = g_ptr_array_new_with_free_func (g_free);
  mail_test_server_start (s->server);

  g_assert_true (mail_tls_policy_set_ca_file (policy, ca, &error));
  g_assert_no_error (error);

  s->connection = mail_connection_new (mail_test_server_get_host (s->server),
                                       mail_test_server_get_port (s->server), security);
  mail_connection_set_tls_policy (s->connection, policy);
  mail_connection_set_read_timeout (s->connection, 5000);
  s->client = mail_imap_client_new (s->connection);
  g_signal_connect (s->client, "alert", G_CALLBACK (alert_cb), s);
  g_signal_connect (s->client, "exists", G_CALLBACK (exists_cb), s);
  g_signal_connect (s->client, "fetch", G_CALLBACK (fetch_signal_cb), s);
  g_signal_connect (s->client, "closed", G_CALLBACK (closed_cb), s);
}

static void
session_start (Session      *s,
               const char   *transcript,
               MailSecurity  security)
{
  g_autofree char *path = g_strconcat ("imap/", transcript, NULL);
  MailTestServer *server = mail_test_server_new ();

  mail_test_server_load_transcript (server, path);
  session_start_server (s, server, security);
}

static void
session_start_script (Session      *s,
                      const char   *script,
                      MailSecurity  security)
{
  MailTestServer *server = mail_test_server_new ();

  mail_test_server_add_script (server, script);
  session_start_server (s, server, security);
}

static gboolean
session_connect (Session  *s,
                 GError  **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  WAIT_FOR (mail_imap_client_connect_async (s->client, NULL, async_cb, &wait), wait);
  ret = mail_imap_client_connect_finish (s->client, wait.result, error);
  g_clear_object (&wait.result);
  return ret;
}

static gboolean
session_login (Session     *s,
               const char  *mechanism,
               GError     **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  WAIT_FOR (mail_imap_client_login_async (s->client, USERNAME, PASSWORD, mechanism, NULL,
                                          async_cb, &wait), wait);
  ret = mail_imap_client_login_finish (s->client, wait.result, error);
  g_clear_object (&wait.result);
  return ret;
}

static MailImapSelectResult *
session_select (Session                *s,
                const char             *mailbox,
                const MailImapQresync  *qresync,
                GError                **error)
{
  AsyncWait wait = { 0 };
  MailImapSelectResult *ret;

  WAIT_FOR (mail_imap_client_select_async (s->client, mailbox, FALSE, FALSE, qresync, NULL,
                                           async_cb, &wait), wait);
  ret = mail_imap_client_select_finish (s->client, wait.result, error);
  g_clear_object (&wait.result);
  return ret;
}

static gboolean
session_noop (Session  *s,
              GError  **error)
{
  AsyncWait wait = { 0 };
  gboolean ret;

  WAIT_FOR (mail_imap_client_noop_async (s->client, NULL, async_cb, &wait), wait);
  ret = mail_imap_client_noop_finish (s->client, wait.result, error);
  g_clear_object (&wait.result);
  return ret;
}

static void
session_logout (Session *s)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  WAIT_FOR (mail_imap_client_logout_async (s->client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_logout_finish (s->client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
session_finish (Session  *s,
                gboolean  credentials_sent)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint tick;

  WAIT_FOR (mail_connection_close_async (s->connection, NULL, async_cb, &wait), wait);
  mail_connection_close_finish (s->connection, wait.result, NULL);
  g_clear_object (&wait.result);

  g_assert_true (mail_test_server_wait (s->server, &error));
  g_assert_no_error (error);

  if (s->forbidden != NULL)
    g_assert_false (mail_test_server_received_contains (s->server, s->forbidden));
  if (!credentials_sent)
    {
      g_assert_false (mail_test_server_received_contains (s->server, PASSWORD));
      g_assert_false (mail_test_server_received_contains (s->server, PLAIN_B64));
      g_assert_false (mail_test_server_received_contains (s->server, "LOGIN"));
      g_assert_false (mail_test_server_received_contains (s->server, "AUTHENTICATE"));
    }

  /* A close started by the client itself (after an error) holds a reference until it
   * completes: let it. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  tick = g_timeout_add (10, tick_cb, NULL);
  while (G_OBJECT (s->client)->ref_count > 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  g_clear_object (&s->connection);
  g_assert_finalize_object (g_steal_pointer (&s->client));
  g_clear_object (&s->server);
  g_clear_pointer (&s->alerts, g_ptr_array_unref);
}

/* A logged-in session over implicit TLS with @caps, then @rest of the script. */
static void
session_start_logged_in (Session    *s,
                         const char *caps,
                         const char *rest)
{
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;

  script = g_strdup_printf ("TLS\n"
                            "S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\n"
                            "C: A1 AUTHENTICATE PLAIN " PLAIN_B64 "\n"
                            "S: A1 OK [CAPABILITY IMAP4rev1 %s] Logged in\n"
                            "%s", caps, rest);
  session_start_script (s, script, MAIL_SECURITY_TLS);
  g_assert_true (session_connect (s, &error));
  g_assert_no_error (error);
  g_assert_true (session_login (s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_imap_client_get_state (s->client), ==, MAIL_IMAP_STATE_AUTHENTICATED);
}

#define SELECT_INBOX \
  "C: A2 SELECT \"INBOX\"\n" \
  "S: * 3 EXISTS\n" \
  "S: * OK [UIDVALIDITY 5] ok\n" \
  "S: A2 OK [READ-WRITE] done\n"

static void
session_select_inbox (Session *s)
{
  g_autoptr(MailImapSelectResult) sr = NULL;
  g_autoptr(GError) error = NULL;

  sr = session_select (s, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sr);
  g_assert_cmpuint (sr->info.exists, ==, 3);
}

/* ------------------------------------------------------------------------------------ */
/* A whole STARTTLS session */

static void
test_starttls_session (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(MailImapSelectResult) sr = NULL;
  AsyncWait wait = { 0 };
  MailImapStatusData *status;
  gboolean found_trash = FALSE, found_weird = FALSE;

  session_start (&s, "starttls-session.txt", MAIL_SECURITY_STARTTLS);

  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_get_is_encrypted (s.connection));

  /* Only the capabilities received over TLS count. */
  g_assert_true (mail_imap_client_has_capability (s.client, "SASL-IR"));
  g_assert_false (mail_imap_client_has_capability (s.client, "STARTTLS"));
  g_assert_false (mail_imap_client_has_capability (s.client, "LOGINDISABLED"));
  g_assert_false (mail_imap_client_has_capability (s.client, "AUTH=LOGIN"));

  g_assert_true (session_login (&s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_imap_client_get_mechanism (s.client), ==, "PLAIN");
  g_assert_true (mail_imap_client_has_capability (s.client, "MOVE"));

  WAIT_FOR (mail_imap_client_list_async (s.client, "", "*",
                                         MAIL_IMAP_LIST_SPECIAL_USE | MAIL_IMAP_LIST_STATUS,
                                         NULL, async_cb, &wait), wait);
  list = mail_imap_client_list_finish (s.client, wait.result, &statuses, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  for (guint i = 0; i < list->len; i++)
    {
      MailImapListEntry *entry = g_ptr_array_index (list, i);

      if (g_strcmp0 (entry->name, "\xc3\x89t\xc3\xa9") == 0)
        {
          found_trash = TRUE;
          g_assert_true (entry->attributes & MAIL_IMAP_MAILBOX_TRASH);
        }
      if (g_strcmp0 (entry->name, "a\"b/..%2F") == 0)
        {
          g_autofree char *file = mail_imap_mailbox_name_to_filename ("acct", entry->name);
          g_autofree char *markup = mail_imap_mailbox_name_to_markup ("<b>x</b>");

          found_weird = TRUE;
          /* A hostile name never reaches a path or markup as is. */
          g_assert_null (strchr (file, '/'));
          g_assert_null (strstr (file, ".."));
          g_assert_null (strchr (markup, '<'));
        }
    }
  g_assert_true (found_trash);
  g_assert_true (found_weird);
  g_assert_nonnull (statuses);
  status = g_hash_table_lookup (statuses, "INBOX");
  g_assert_nonnull (status);
  g_assert_cmpuint (status->messages, ==, 3);
  g_assert_cmpuint (status->unseen, ==, 1);
  g_assert_cmpuint (status->highestmodseq, ==, 20);
  g_clear_object (&wait.result);

  WAIT_FOR (mail_imap_client_select_async (s.client, "INBOX", FALSE, TRUE, NULL, NULL,
                                           async_cb, &wait), wait);
  sr = mail_imap_client_select_finish (s.client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (sr->info.exists, ==, 3);
  g_assert_cmpuint (sr->info.uidvalidity, ==, 1700000000);
  g_assert_cmpuint (sr->info.uidnext, ==, 7);
  g_assert_cmpuint (sr->info.highestmodseq, ==, 20);
  g_assert_false (sr->info.read_only);
  g_assert_true (g_strv_contains ((const char * const *) sr->info.permanent_flags, "\\Seen"));
  g_assert_cmpint (mail_imap_client_get_state (s.client), ==, MAIL_IMAP_STATE_SELECTED);
  g_assert_cmpuint (s.exists_signals, ==, 0);

  session_logout (&s);
  g_assert_cmpint (mail_imap_client_get_state (s.client), ==, MAIL_IMAP_STATE_LOGOUT);
  session_finish (&s, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* STARTTLS attacks */

static void
expect_connect_error (const char  *transcript,
                      const char  *script,
                      MailSecurity security,
                      GQuark       domain,
                      gint         code)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) login_error = NULL;

  if (transcript != NULL)
    session_start (&s, transcript, security);
  else
    session_start_script (&s, script, security);

  g_assert_false (session_connect (&s, &error));
  g_assert_error (error, domain, code);

  /* Whatever the caller tries next, nothing is sent. */
  g_assert_false (session_login (&s, NULL, &login_error));
  g_assert_nonnull (login_error);
  g_assert_cmpuint (s.alerts->len, ==, 0);
  g_assert_cmpuint (s.closed_signals, ==, 1);

  session_finish (&s, FALSE);
}

static void
test_starttls_stripped (void)
{
  expect_connect_error ("starttls-stripped.txt", NULL, MAIL_SECURITY_STARTTLS,
                        MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE);
}

static void
test_starttls_no (void)
{
  expect_connect_error ("starttls-no.txt", NULL, MAIL_SECURITY_STARTTLS,
                        MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE);
}

static void
test_starttls_bad (void)
{
  expect_connect_error ("starttls-bad.txt", NULL, MAIL_SECURITY_STARTTLS,
                        MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE);
}

static void
test_starttls_garbage (void)
{
  expect_connect_error ("starttls-garbage.txt", NULL, MAIL_SECURITY_STARTTLS,
                        MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_STARTTLS_UNAVAILABLE);
}

static void
test_starttls_injection (void)
{
  expect_connect_error ("starttls-injection.txt", NULL, MAIL_SECURITY_STARTTLS,
                        MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
}

static void
test_preauth (void)
{
  expect_connect_error ("preauth.txt", NULL, MAIL_SECURITY_STARTTLS,
                        MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INSECURE);
}

/* Mailbox data before STARTTLS completes is never applied: the session ends. */
static void
test_untagged_before_tls (void)
{
  static const char *const lines[] = {
    "* 3 EXISTS",
    "* 1 EXPUNGE",
    "* 1 FETCH (FLAGS (\\Seen))",
    "* LIST () \"/\" INBOX",
    "* STATUS INBOX (MESSAGES 9)",
    "* SEARCH 1 2",
    "* FLAGS (\\Seen)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *script = NULL;

      g_test_message ("untagged before TLS: %s", lines[i]);
      script = g_strdup_printf ("S: * OK ready\n"
                                "C: A1 CAPABILITY\n"
                                "S: %s\n"
                                "S: * CAPABILITY IMAP4rev1 STARTTLS\n"
                                "S: A1 OK done\n"
                                "EXPECT-CLOSE\n", lines[i]);
      expect_connect_error (NULL, script, MAIL_SECURITY_STARTTLS,
                            MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
    }
}

static void
test_alert_before_tls (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start (&s, "alert-before-tls.txt", MAIL_SECURITY_STARTTLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);

  /* Four alerts came in plaintext and are dropped; the one over TLS is surfaced. */
  g_assert_cmpuint (s.alerts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (s.alerts, 0), ==, "Maintenance tonight");
  session_finish (&s, FALSE);
}

static void
test_referral_login (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start (&s, "referral-login.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);
  g_assert_false (session_login (&s, NULL, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_REFERRAL);
  g_assert_null (strstr (error->message, "attacker"));
  g_assert_cmpint (mail_imap_client_get_state (s.client), ==,
                   MAIL_IMAP_STATE_NOT_AUTHENTICATED);
  session_finish (&s, TRUE);
}

static void
test_referral_mailbox (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapSelectResult) sr = NULL;

  session_start (&s, "referral-mailbox.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_no_error (error);
  g_assert_true (session_login (&s, NULL, &error));
  g_assert_no_error (error);
  sr = session_select (&s, "Shared", NULL, &error);
  g_assert_null (sr);
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_REFERRAL);
  g_assert_null (strstr (error->message, "attacker"));
  g_assert_cmpint (mail_imap_client_get_state (s.client), ==, MAIL_IMAP_STATE_AUTHENTICATED);
  session_finish (&s, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Greetings and robustness */

static void
test_greeting_garbage (void)
{
  expect_connect_error (NULL, "S-RAW: \\x01\\x02 garbage (((\\r\\n\nEXPECT-CLOSE\n",
                        MAIL_SECURITY_STARTTLS, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  expect_connect_error (NULL, "S: A1 OK not a greeting\nEXPECT-CLOSE\n",
                        MAIL_SECURITY_STARTTLS, MAIL_IMAP_CLIENT_ERROR,
                        MAIL_IMAP_CLIENT_ERROR_GREETING);
}

static void
test_greeting_bye (void)
{
  expect_connect_error (NULL, "S: * BYE [ALERT] Too many connections\nEXPECT-CLOSE\n",
                        MAIL_SECURITY_STARTTLS, MAIL_IMAP_CLIENT_ERROR,
                        MAIL_IMAP_CLIENT_ERROR_GREETING);
}

static void
test_greeting_too_long (void)
{
  Session s;
  MailTestServer *server = mail_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GString *line = g_string_new ("* OK ");

  while (line->len < 200 * 1024)
    g_string_append (line, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  g_string_append (line, "\r\n");
  bytes = g_string_free_to_bytes (line);
  mail_test_server_add_send (server, bytes);
  mail_test_server_add_script (server, "EXPECT-CLOSE\n");
  session_start_server (&s, server, MAIL_SECURITY_STARTTLS);

  g_assert_false (session_connect (&s, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LINE_TOO_LONG);
  session_finish (&s, FALSE);
}

static void
test_capability_bad_storm (void)
{
  expect_connect_error ("capability-bad-storm.txt", NULL, MAIL_SECURITY_TLS,
                        MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES);
}

static void
test_noop_bad (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start_logged_in (&s, "IDLE",
                           "C: A2 NOOP\n"
                           "S: A2 BAD no\n"
                           "C: A3 NOOP\n"
                           "S: * BAD storm\n"
                           "S: * BAD storm\n"
                           "S: A3 OK fine\n"
                           "EXPECT-CLOSE\n");
  g_assert_false (session_noop (&s, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_BAD);
  g_clear_error (&error);
  g_assert_true (session_noop (&s, &error));
  g_assert_no_error (error);
  session_finish (&s, TRUE);
}

static void
test_unknown_tag (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start_logged_in (&s, "IDLE",
                           "C: A2 NOOP\n"
                           "S: Z99 OK forged completion\n"
                           "EXPECT-CLOSE\n");
  g_assert_false (session_noop (&s, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNKNOWN_TAG);
  g_assert_cmpuint (s.closed_signals, ==, 1);
  session_finish (&s, TRUE);
}

static void
test_unexpected_continuation (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start_logged_in (&s, "IDLE",
                           "C: A2 NOOP\n"
                           "S: + send me more\n"
                           "EXPECT-CLOSE\n");
  g_assert_false (session_noop (&s, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNEXPECTED_CONTINUATION);
  session_finish (&s, TRUE);
}

static void
count_fetch_cb (MailImapClient      *client,
                const MailImapFetch *fetch,
                gpointer             user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_eof_mid_literal (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  const char *sections[] = { "BODY.PEEK[]", NULL };
  MailImapFetchOptions options = { 0, sections, 0, FALSE, sink };
  AsyncWait wait = { 0 };
  guint count = 0;

  session_start (&s, "eof-mid-literal.txt", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, NULL, &error));
  g_assert_no_error (error);
  session_select_inbox (&s);

  WAIT_FOR (mail_imap_client_fetch_async (s.client, "1", &options, count_fetch_cb, &count,
                                          NULL, async_cb, &wait), wait);
  g_assert_cmpuint (mail_imap_client_fetch_finish (s.client, wait.result, NULL, &error), ==, 0);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_TRUNCATED);
  g_assert_cmpuint (count, ==, 0);
  g_clear_object (&wait.result);
  session_finish (&s, TRUE);
}

static void
test_command_timeout (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start_logged_in (&s, "IDLE",
                           "C: A2 NOOP\n"
                           "WAIT 1500\n"
                           "S: A2 OK late\n"
                           "EXPECT-CLOSE\n");
  mail_imap_client_set_command_timeout (s.client, 300);
  g_assert_false (session_noop (&s, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_TIMEOUT);
  session_finish (&s, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Login */

static void
test_login_fallback (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start_script (&s,
                        "TLS\n"
                        "S: * OK [CAPABILITY IMAP4rev1 IDLE] ready\n"
                        "C: A1 LOGIN \"alice\" \"s3cret-Pa55\"\n"
                        "S: A1 OK Logged in\n"
                        "C: A2 CAPABILITY\n"
                        "S: * CAPABILITY IMAP4rev1 IDLE UIDPLUS\n"
                        "S: A2 OK done\n"
                        "EXPECT-CLOSE\n", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_true (session_login (&s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_imap_client_get_mechanism (s.client), ==, "IMAP-LOGIN");
  g_assert_true (mail_imap_client_has_capability (s.client, "UIDPLUS"));
  session_finish (&s, TRUE);
}

static void
test_login_disabled (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start_script (&s,
                        "TLS\n"
                        "S: * OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=X-UNKNOWN] ready\n"
                        "EXPECT-CLOSE\n", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_login (&s, NULL, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_AUTH_UNSUPPORTED);
  session_finish (&s, FALSE);
}

static void
test_login_failed (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  session_start_script (&s,
                        "TLS\n"
                        "S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\n"
                        "C: A1 AUTHENTICATE PLAIN\n"
                        "S: + \n"
                        "C: " PLAIN_B64 "\n"
                        "S: A1 NO [AUTHENTICATIONFAILED] Authentication failed.\n"
                        "EXPECT-CLOSE\n", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_login (&s, NULL, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED);
  session_finish (&s, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Commands */

static void
test_pipelining (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  AsyncWait w1 = { 0 }, w2 = { 0 };
  g_autoptr(MailImapStatusData) st1 = NULL;
  g_autoptr(MailImapStatusData) st2 = NULL;

  /* The server reads both commands before answering either. */
  session_start_logged_in (&s, "IDLE",
                           "C: A2 STATUS \"INBOX\" (MESSAGES UNSEEN)\n"
                           "C: A3 STATUS \"&AMk-t&AOk-\" (MESSAGES UNSEEN)\n"
                           "S: * STATUS \"&AMk-t&AOk-\" (MESSAGES 7 UNSEEN 0)\n"
                           "S: * STATUS INBOX (MESSAGES 4 UNSEEN 2)\n"
                           "S: A2 OK done\n"
                           "S: A3 OK done\n"
                           "EXPECT-CLOSE\n");
  mail_imap_client_status_async (s.client, "INBOX",
                                 MAIL_IMAP_STATUS_ITEM_MESSAGES | MAIL_IMAP_STATUS_ITEM_UNSEEN,
                                 NULL, async_cb, &w1);
  mail_imap_client_status_async (s.client, "\xc3\x89t\xc3\xa9",
                                 MAIL_IMAP_STATUS_ITEM_MESSAGES | MAIL_IMAP_STATUS_ITEM_UNSEEN,
                                 NULL, async_cb, &w2);
  mail_test_wait_for (&w1.done, WAIT_MS);
  mail_test_wait_for (&w2.done, WAIT_MS);
  st1 = mail_imap_client_status_finish (s.client, w1.result, &error);
  g_assert_no_error (error);
  st2 = mail_imap_client_status_finish (s.client, w2.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st1->messages, ==, 4);
  g_assert_cmpuint (st2->messages, ==, 7);
  g_assert_cmpstr (st2->name, ==, "\xc3\x89t\xc3\xa9");
  g_clear_object (&w1.result);
  g_clear_object (&w2.result);
  session_finish (&s, TRUE);
}

/* Runs the main loop until the server has received @needle. */
static void
wait_received (Session    *s,
               const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (!mail_test_server_received_contains (s->server, needle) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_true (mail_test_server_received_contains (s->server, needle));
}

static void
test_cancel_in_flight (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncWait wait = { 0 };
  gboolean ok;

  /* The cancelled NOOP's answer still arrives: it is read and dropped, and the session
   * goes on in step. */
  session_start_logged_in (&s, "IDLE",
                           SELECT_INBOX
                           "C: A3 NOOP\n"
                           "WAIT 400\n"
                           "S: * 4 EXISTS\n"
                           "S: A3 OK late\n"
                           "C: A4 NOOP\n"
                           "S: A4 OK fine\n"
                           "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  mail_imap_client_noop_async (s.client, cancellable, async_cb, &wait);
  wait_received (&s, "A3 NOOP");
  g_cancellable_cancel (cancellable);
  mail_test_wait_for (&wait.done, WAIT_MS);
  g_assert_false (mail_imap_client_noop_finish (s.client, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&wait.result);

  ok = session_noop (&s, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (s.exists_signals, ==, 1);
  g_assert_cmpuint (s.last_exists, ==, 4);
  g_assert_cmpuint (mail_imap_client_get_exists (s.client), ==, 4);
  session_finish (&s, TRUE);
}

static void
test_cancel_queued (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncWait w1 = { 0 }, w2 = { 0 };

  /* SELECT is exclusive: the NOOP behind it waits in the queue and is dropped unsent. */
  session_start_logged_in (&s, "IDLE",
                           "C: A2 SELECT \"INBOX\"\n"
                           "WAIT 300\n"
                           "S: * 3 EXISTS\n"
                           "S: A2 OK [READ-WRITE] done\n"
                           "C: A3 LOGOUT\n"
                           "S: * BYE bye\n"
                           "S: A3 OK bye\n"
                           "EXPECT-CLOSE\n");
  mail_imap_client_select_async (s.client, "INBOX", FALSE, FALSE, NULL, NULL, async_cb, &w1);
  mail_imap_client_noop_async (s.client, cancellable, async_cb, &w2);
  g_cancellable_cancel (cancellable);
  mail_test_wait_for (&w2.done, WAIT_MS);
  g_assert_false (mail_imap_client_noop_finish (s.client, w2.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  mail_test_wait_for (&w1.done, WAIT_MS);
  mail_imap_select_result_free (mail_imap_client_select_finish (s.client, w1.result, NULL));
  g_clear_object (&w1.result);
  g_clear_object (&w2.result);
  session_logout (&s);
  s.forbidden = "NOOP";
  session_finish (&s, TRUE);
}

typedef struct
{
  guint   count;
  guint32 uids[4];
  char   *subject;
  guint64 body_size;
} FetchSeen;

static void
collect_fetch_cb (MailImapClient      *client,
                  const MailImapFetch *fetch,
                  gpointer             user_data)
{
  FetchSeen *seen = user_data;
  const MailImapFetchSection *section = mail_imap_fetch_find_section (fetch, "");

  if (seen->count < G_N_ELEMENTS (seen->uids))
    seen->uids[seen->count] = fetch->uid;
  seen->count++;
  if (fetch->envelope != NULL && seen->subject == NULL)
    seen->subject = g_strdup (fetch->envelope->subject);
  if (section != NULL)
    seen->body_size += section->value->len;
}

static void
test_fetch_streamed (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  const char *sections[] = { "BODY.PEEK[]", NULL };
  MailImapFetchOptions options = {
    MAIL_IMAP_FETCH_FLAGS | MAIL_IMAP_FETCH_ENVELOPE | MAIL_IMAP_FETCH_RFC822_SIZE,
    sections, 0, FALSE, sink,
  };
  FetchSeen seen = { 0 };
  AsyncWait wait = { 0 };

  session_start_logged_in (&s, "IDLE",
                           SELECT_INBOX
                           "C: A3 UID FETCH 1:2 (UID FLAGS RFC822.SIZE ENVELOPE BODY.PEEK[])\n"
                           "S: * 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE 12 ENVELOPE "
                           "(NIL \"Hello\" NIL NIL NIL NIL NIL NIL NIL NIL) BODY[] {12}\n"
                           "S-RAW: first body\\r\\n)\\r\\n\n"
                           "S: * 3 FETCH (FLAGS (\\Deleted))\n"
                           "S: * 2 FETCH (UID 2 FLAGS () RFC822.SIZE 6 ENVELOPE "
                           "(NIL \"Second\" NIL NIL NIL NIL NIL NIL NIL NIL) BODY[] {6}\n"
                           "S-RAW: second)\\r\\n\n"
                           "S: A3 OK done\n"
                           "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  WAIT_FOR (mail_imap_client_fetch_async (s.client, "1:2", &options, collect_fetch_cb, &seen,
                                          NULL, async_cb, &wait), wait);
  g_assert_cmpuint (mail_imap_client_fetch_finish (s.client, wait.result, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  g_assert_cmpuint (seen.count, ==, 2);
  g_assert_cmpuint (seen.uids[0], ==, 1);
  g_assert_cmpuint (seen.uids[1], ==, 2);
  g_assert_cmpstr (seen.subject, ==, "Hello");
  g_assert_cmpuint (seen.body_size, ==, 18);
  g_assert_true (g_output_stream_close (sink, NULL, NULL));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)), ==, 18);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)), 18,
                   "first body\r\nsecond", 18);
  /* The flag change without a UID is someone else's: it went out as a signal. */
  g_assert_cmpuint (s.fetch_signals, ==, 1);
  g_free (seen.subject);
  session_finish (&s, TRUE);
}

static void
test_store_unchangedsince (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapSequenceSet) modified = NULL;
  g_autofree char *text = NULL;
  const char *flags[] = { "\\Seen", "$Junk", NULL };
  const char *bad_flags[] = { "\\Seen) UID EXPUNGE 1:*", NULL };
  AsyncWait wait = { 0 };

  session_start_logged_in (&s, "IDLE CONDSTORE",
                           SELECT_INBOX
                           "C: A3 UID STORE 1:3 (UNCHANGEDSINCE 12) +FLAGS.SILENT (\\Seen $Junk)\n"
                           "S: A3 OK [MODIFIED 2] Conditional store completed\n"
                           "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  WAIT_FOR (mail_imap_client_store_async (s.client, "1:3", MAIL_IMAP_STORE_ADD, flags, TRUE, 12,
                                          NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_store_finish (s.client, wait.result, &modified, &error));
  g_assert_no_error (error);
  text = mail_imap_sequence_set_to_string (modified);
  g_assert_cmpstr (text, ==, "2");

  /* A flag that would smuggle a command is refused before anything is sent. */
  WAIT_FOR (mail_imap_client_store_async (s.client, "1", MAIL_IMAP_STORE_ADD, bad_flags, TRUE,
                                          0, NULL, async_cb, &wait), wait);
  g_assert_false (mail_imap_client_store_finish (s.client, wait.result, NULL, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID);
  g_clear_object (&wait.result);
  session_finish (&s, TRUE);
}

static void
test_move_fallback (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapSequenceSet) src = NULL;
  g_autoptr(MailImapSequenceSet) dst = NULL;
  g_autofree char *dst_text = NULL;
  AsyncWait wait = { 0 };
  guint32 uidvalidity = 0;

  session_start_logged_in (&s, "IDLE UIDPLUS",
                           SELECT_INBOX
                           "C: A3 UID COPY 2:3 \"Archive\"\n"
                           "S: A3 OK [COPYUID 77 2:3 10:11] Copied\n"
                           "C: A4 UID STORE 2:3 +FLAGS.SILENT (\\Deleted)\n"
                           "S: A4 OK done\n"
                           "C: A5 UID EXPUNGE 2:3\n"
                           "S: * 2 EXPUNGE\n"
                           "S: * 2 EXPUNGE\n"
                           "S: A5 OK done\n"
                           "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  WAIT_FOR (mail_imap_client_copy_async (s.client, "2:3", "Archive", TRUE, NULL, async_cb,
                                         &wait), wait);
  g_assert_true (mail_imap_client_copy_finish (s.client, wait.result, &uidvalidity, &src, &dst,
                                               &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (uidvalidity, ==, 77);
  dst_text = mail_imap_sequence_set_to_string (dst);
  g_assert_cmpstr (dst_text, ==, "10:11");
  g_assert_cmpuint (mail_imap_client_get_exists (s.client), ==, 1);
  session_finish (&s, TRUE);
}

static void
test_move_refused_without_uidplus (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  session_start_logged_in (&s, "IDLE", SELECT_INBOX "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  WAIT_FOR (mail_imap_client_copy_async (s.client, "2", "Archive", TRUE, NULL, async_cb,
                                         &wait), wait);
  g_assert_false (mail_imap_client_copy_finish (s.client, wait.result, NULL, NULL, NULL,
                                                &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED);
  g_clear_object (&wait.result);
  s.forbidden = "COPY";
  session_finish (&s, TRUE);
}

static void
run_append (const char *caps,
            const char *script,
            guint32     expect_uid)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello world!", 12);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 4, 5, 6, 7);
  const char *flags[] = { "\\Seen", NULL };
  AsyncWait wait = { 0 };
  guint32 uidvalidity = 0, uid = 0;

  session_start_logged_in (&s, caps, script);
  WAIT_FOR (mail_imap_client_append_async (s.client, "Sent", flags, date, stream, 12, NULL,
                                           async_cb, &wait), wait);
  g_assert_true (mail_imap_client_append_finish (s.client, wait.result, &uidvalidity, &uid,
                                                 &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (uid, ==, expect_uid);
  g_assert_cmpuint (uidvalidity, ==, expect_uid != 0 ? 9 : 0);
  session_finish (&s, TRUE);
}

static void
test_append_sync_literal (void)
{
  run_append ("IDLE UIDPLUS",
              "C: A2 APPEND \"Sent\" (\\Seen) \"04-Mar-2026 05:06:07 +0000\" {12}\n"
              "WAIT 200\n"
              "S: + Ready for literal data\n"
              "C: hello world!\n"
              "S: A2 OK [APPENDUID 9 42] Append completed.\n"
              "EXPECT-CLOSE\n", 42);
}

static void
test_append_literal_plus (void)
{
  run_append ("IDLE LITERAL+",
              "C: A2 APPEND \"Sent\" (\\Seen) \"04-Mar-2026 05:06:07 +0000\" {12+}\n"
              "C: hello world!\n"
              "S: A2 OK Append completed.\n"
              "EXPECT-CLOSE\n", 0);
}

static void
test_append_refused (void)
{
  /* The server refuses the literal instead of sending "+": nothing more goes out. */
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello world!", 12);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  AsyncWait wait = { 0 };

  session_start_logged_in (&s, "IDLE",
                           "C: A2 APPEND \"Sent\" {12}\n"
                           "S: A2 NO [OVERQUOTA] Quota exceeded\n"
                           "C: A3 NOOP\n"
                           "S: A3 OK fine\n"
                           "EXPECT-CLOSE\n");
  WAIT_FOR (mail_imap_client_append_async (s.client, "Sent", NULL, NULL, stream, 12, NULL,
                                           async_cb, &wait), wait);
  g_assert_false (mail_imap_client_append_finish (s.client, wait.result, NULL, NULL, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_NO);
  g_clear_error (&error);
  g_clear_object (&wait.result);
  g_assert_true (session_noop (&s, &error));
  g_assert_no_error (error);
  s.forbidden = "hello world";
  session_finish (&s, TRUE);
}

static void
test_idle (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  /* IDLE, refreshed after 1 s (DONE + IDLE), new mail while idle, then stopped. */
  session_start_logged_in (&s, "IDLE",
                           SELECT_INBOX
                           "C: A3 IDLE\n"
                           "S: + idling\n"
                           "C: DONE\n"
                           "S: A3 OK Idle completed.\n"
                           "C: A4 IDLE\n"
                           "S: + idling\n"
                           "WAIT 100\n"
                           "S: * 4 EXISTS\n"
                           "C: DONE\n"
                           "S: A4 OK Idle completed.\n"
                           "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  mail_imap_client_set_idle_interval (s.client, 1);
  WAIT_FOR (mail_imap_client_idle_start_async (s.client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_idle_start_finish (s.client, wait.result, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_get_is_idle (s.client));

  while (s.exists_signals == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (s.last_exists, ==, 4);

  WAIT_FOR (mail_imap_client_idle_stop_async (s.client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_idle_stop_finish (s.client, wait.result, &error));
  g_assert_no_error (error);
  g_assert_false (mail_imap_client_get_is_idle (s.client));
  g_clear_object (&wait.result);
  session_finish (&s, TRUE);
}

static void
test_idle_interrupted_by_command (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  /* A command issued while idling ends IDLE, runs, and IDLE resumes. */
  session_start_logged_in (&s, "IDLE",
                           SELECT_INBOX
                           "C: A3 IDLE\n"
                           "S: + idling\n"
                           "C: DONE\n"
                           "S: A3 OK Idle completed.\n"
                           "C: A4 NOOP\n"
                           "S: A4 OK done\n"
                           "C: A5 IDLE\n"
                           "S: + idling\n"
                           "C: DONE\n"
                           "S: A5 OK Idle completed.\n"
                           "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  WAIT_FOR (mail_imap_client_idle_start_async (s.client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_idle_start_finish (s.client, wait.result, &error));
  g_assert_true (session_noop (&s, &error));
  g_assert_no_error (error);
  while (!mail_imap_client_get_is_idle (s.client))
    g_main_context_iteration (NULL, TRUE);
  WAIT_FOR (mail_imap_client_idle_stop_async (s.client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_idle_stop_finish (s.client, wait.result, &error));
  g_clear_object (&wait.result);
  session_finish (&s, TRUE);
}

static void
test_qresync (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapSelectResult) sr = NULL;
  g_autoptr(MailImapSequenceSet) vanished = NULL;
  g_auto(GStrv) enabled = NULL;
  g_autofree char *text = NULL;
  const char *want[] = { "QRESYNC", "CONDSTORE", NULL };
  MailImapQresync qresync = { 5, 10, "1:10" };
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_FLAGS | MAIL_IMAP_FETCH_MODSEQ, NULL, 10,
                                   TRUE, NULL };
  FetchSeen seen = { 0 };
  AsyncWait wait = { 0 };

  session_start_logged_in (&s, "IDLE CONDSTORE QRESYNC ENABLE",
                           "C: A2 ENABLE QRESYNC CONDSTORE\n"
                           "S: * ENABLED QRESYNC CONDSTORE\n"
                           "S: A2 OK Enabled.\n"
                           "C: A3 SELECT \"INBOX\" (QRESYNC (5 10 1:10))\n"
                           "S: * 8 EXISTS\n"
                           "S: * OK [UIDVALIDITY 5] ok\n"
                           "S: * OK [HIGHESTMODSEQ 15] ok\n"
                           "S: * VANISHED (EARLIER) 2,4:5\n"
                           "S: * 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (14))\n"
                           "S: A3 OK [READ-WRITE] done\n"
                           "C: A4 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 10 VANISHED)\n"
                           "S: * VANISHED (EARLIER) 7\n"
                           "S: * 2 FETCH (UID 3 FLAGS (\\Flagged) MODSEQ (15))\n"
                           "S: A4 OK done\n"
                           "EXPECT-CLOSE\n");
  WAIT_FOR (mail_imap_client_enable_async (s.client, want, NULL, async_cb, &wait), wait);
  enabled = mail_imap_client_enable_finish (s.client, wait.result, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) enabled, "QRESYNC"));

  sr = session_select (&s, "INBOX", &qresync, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sr->info.highestmodseq, ==, 15);
  text = mail_imap_sequence_set_to_string (sr->vanished);
  g_assert_cmpstr (text, ==, "2,4:5");
  g_assert_cmpuint (sr->changed->len, ==, 1);
  g_assert_cmpuint (((MailImapFetch *) g_ptr_array_index (sr->changed, 0))->modseq, ==, 14);

  WAIT_FOR (mail_imap_client_fetch_async (s.client, "1:*", &options, collect_fetch_cb, &seen,
                                          NULL, async_cb, &wait), wait);
  g_assert_cmpuint (mail_imap_client_fetch_finish (s.client, wait.result, &vanished, &error),
                    ==, 1);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (seen.uids[0], ==, 3);
  g_clear_pointer (&text, g_free);
  text = mail_imap_sequence_set_to_string (vanished);
  g_assert_cmpstr (text, ==, "7");
  session_finish (&s, TRUE);
}

static void
test_untagged_bad_storm (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  GString *script = g_string_new ("C: A2 NOOP\n");

  for (guint i = 0; i < 40; i++)
    g_string_append (script, "S: * BAD noise\n");
  g_string_append (script, "EXPECT-CLOSE\n");
  session_start_logged_in (&s, "IDLE", script->str);
  g_string_free (script, TRUE);

  g_assert_false (session_noop (&s, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_TOO_MANY_RETRIES);
  session_finish (&s, TRUE);
}

static void
test_cancel_mid_literal (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello world!", 12);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  AsyncWait wait = { 0 };

  /* The server never sends "+": cancelling cannot take the half-sent APPEND back, so the
   * connection is closed rather than letting the next command be read as the literal. */
  session_start_logged_in (&s, "IDLE",
                           "C: A2 APPEND \"Sent\" {12}\n"
                           "EXPECT-CLOSE\n");
  mail_imap_client_append_async (s.client, "Sent", NULL, NULL, stream, 12, cancellable,
                                 async_cb, &wait);
  wait_received (&s, "APPEND");
  g_cancellable_cancel (cancellable);
  mail_test_wait_for (&wait.done, WAIT_MS);
  g_assert_false (mail_imap_client_append_finish (s.client, wait.result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);
  g_assert_cmpuint (s.closed_signals, ==, 1);
  s.forbidden = "hello";
  session_finish (&s, TRUE);
}

static void
test_sasl_abort (void)
{
  Session s;
  g_autoptr(GError) error = NULL;

  /* A malformed SCRAM challenge: the client cancels the exchange with "*". */
  session_start_script (&s,
                        "TLS\n"
                        "S: * OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256] ready\n"
                        "C: A1 AUTHENTICATE SCRAM-SHA-256\n"
                        "S: + \n"
                        "C-ANY\n"
                        "S: + bm90IGEgc2NyYW0gY2hhbGxlbmdl\n"
                        "C: *\n"
                        "S: A1 BAD Authentication aborted\n"
                        "EXPECT-CLOSE\n", MAIL_SECURITY_TLS);
  g_assert_true (session_connect (&s, &error));
  g_assert_false (session_login (&s, NULL, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED);
  g_assert_cmpint (mail_imap_client_get_state (s.client), ==,
                   MAIL_IMAP_STATE_NOT_AUTHENTICATED);
  session_finish (&s, TRUE);
}

static void
test_utf8_accept (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MailImapSelectResult) sr = NULL;
  g_auto(GStrv) enabled = NULL;
  const char *want[] = { "UTF8=ACCEPT", NULL };
  AsyncWait wait = { 0 };

  /* After ENABLE UTF8=ACCEPT names go and come as UTF-8, not modified UTF-7. */
  session_start_logged_in (&s, "IDLE ENABLE UTF8=ACCEPT",
                           "C: A2 ENABLE UTF8=ACCEPT\n"
                           "S: * ENABLED UTF8=ACCEPT\n"
                           "S: A2 OK Enabled.\n"
                           "C: A3 LIST \"\" \"*\"\n"
                           "S: * LIST () \"/\" \"\xc3\x89t\xc3\xa9\"\n"
                           "S: A3 OK done\n"
                           "C: A4 SELECT \"\xc3\x89t\xc3\xa9\"\n"
                           "S: * 0 EXISTS\n"
                           "S: A4 OK [READ-WRITE] done\n"
                           "EXPECT-CLOSE\n");
  WAIT_FOR (mail_imap_client_enable_async (s.client, want, NULL, async_cb, &wait), wait);
  enabled = mail_imap_client_enable_finish (s.client, wait.result, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) enabled, "UTF8=ACCEPT"));

  WAIT_FOR (mail_imap_client_list_async (s.client, "", "*", MAIL_IMAP_LIST_NONE, NULL,
                                         async_cb, &wait), wait);
  list = mail_imap_client_list_finish (s.client, wait.result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((MailImapListEntry *) g_ptr_array_index (list, 0))->name, ==,
                   "\xc3\x89t\xc3\xa9");
  g_clear_object (&wait.result);

  sr = session_select (&s, "\xc3\x89t\xc3\xa9", NULL, &error);
  g_assert_no_error (error);
  session_finish (&s, TRUE);
}

static void
test_pipelined_fetch (void)
{
  Session s;
  g_autoptr(GError) error = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_FLAGS, NULL, 0, FALSE, NULL };
  FetchSeen seen1 = { 0 }, seen2 = { 0 };
  AsyncWait w1 = { 0 }, w2 = { 0 };

  /* Both FETCHes are sent before any answer; each gets its own messages. */
  session_start_logged_in (&s, "IDLE",
                           SELECT_INBOX
                           "C: A3 UID FETCH 1 (UID FLAGS)\n"
                           "C: A4 UID FETCH 2:3 (UID FLAGS)\n"
                           "S: * 1 FETCH (UID 1 FLAGS ())\n"
                           "S: * 2 FETCH (UID 2 FLAGS ())\n"
                           "S: * 3 FETCH (UID 3 FLAGS ())\n"
                           "S: A3 OK done\n"
                           "S: A4 OK done\n"
                           "EXPECT-CLOSE\n");
  session_select_inbox (&s);
  mail_imap_client_fetch_async (s.client, "1", &options, collect_fetch_cb, &seen1, NULL,
                                async_cb, &w1);
  mail_imap_client_fetch_async (s.client, "2:3", &options, collect_fetch_cb, &seen2, NULL,
                                async_cb, &w2);
  mail_test_wait_for (&w1.done, WAIT_MS);
  mail_test_wait_for (&w2.done, WAIT_MS);
  g_assert_cmpuint (mail_imap_client_fetch_finish (s.client, w1.result, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_client_fetch_finish (s.client, w2.result, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (seen1.uids[0], ==, 1);
  g_assert_cmpuint (seen2.uids[0], ==, 2);
  g_assert_cmpuint (seen2.uids[1], ==, 3);
  g_assert_cmpuint (s.fetch_signals, ==, 0);
  g_clear_object (&w1.result);
  g_clear_object (&w2.result);
  session_finish (&s, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/imapc/client/starttls/session", test_starttls_session);
  g_test_add_func ("/engine/imapc/client/starttls/stripped", test_starttls_stripped);
  g_test_add_func ("/engine/imapc/client/starttls/no", test_starttls_no);
  g_test_add_func ("/engine/imapc/client/starttls/bad", test_starttls_bad);
  g_test_add_func ("/engine/imapc/client/starttls/garbage", test_starttls_garbage);
  g_test_add_func ("/engine/imapc/client/starttls/injection", test_starttls_injection);
  g_test_add_func ("/engine/imapc/client/starttls/preauth", test_preauth);
  g_test_add_func ("/engine/imapc/client/starttls/untagged-before-tls",
                   test_untagged_before_tls);
  g_test_add_func ("/engine/imapc/client/starttls/alert-before-tls", test_alert_before_tls);
  g_test_add_func ("/engine/imapc/client/referral/login", test_referral_login);
  g_test_add_func ("/engine/imapc/client/referral/mailbox", test_referral_mailbox);
  g_test_add_func ("/engine/imapc/client/greeting/garbage", test_greeting_garbage);
  g_test_add_func ("/engine/imapc/client/greeting/bye", test_greeting_bye);
  g_test_add_func ("/engine/imapc/client/greeting/too-long", test_greeting_too_long);
  g_test_add_func ("/engine/imapc/client/robust/capability-bad-storm",
                   test_capability_bad_storm);
  g_test_add_func ("/engine/imapc/client/robust/noop-bad", test_noop_bad);
  g_test_add_func ("/engine/imapc/client/robust/unknown-tag", test_unknown_tag);
  g_test_add_func ("/engine/imapc/client/robust/unexpected-continuation",
                   test_unexpected_continuation);
  g_test_add_func ("/engine/imapc/client/robust/eof-mid-literal", test_eof_mid_literal);
  g_test_add_func ("/engine/imapc/client/robust/command-timeout", test_command_timeout);
  g_test_add_func ("/engine/imapc/client/login/fallback", test_login_fallback);
  g_test_add_func ("/engine/imapc/client/login/disabled", test_login_disabled);
  g_test_add_func ("/engine/imapc/client/login/failed", test_login_failed);
  g_test_add_func ("/engine/imapc/client/pipelining", test_pipelining);
  g_test_add_func ("/engine/imapc/client/cancel/in-flight", test_cancel_in_flight);
  g_test_add_func ("/engine/imapc/client/cancel/queued", test_cancel_queued);
  g_test_add_func ("/engine/imapc/client/fetch/streamed", test_fetch_streamed);
  g_test_add_func ("/engine/imapc/client/store/unchangedsince", test_store_unchangedsince);
  g_test_add_func ("/engine/imapc/client/move/fallback", test_move_fallback);
  g_test_add_func ("/engine/imapc/client/move/refused-without-uidplus",
                   test_move_refused_without_uidplus);
  g_test_add_func ("/engine/imapc/client/append/sync-literal", test_append_sync_literal);
  g_test_add_func ("/engine/imapc/client/append/literal-plus", test_append_literal_plus);
  g_test_add_func ("/engine/imapc/client/append/refused", test_append_refused);
  g_test_add_func ("/engine/imapc/client/idle/refresh", test_idle);
  g_test_add_func ("/engine/imapc/client/idle/interrupted", test_idle_interrupted_by_command);
  g_test_add_func ("/engine/imapc/client/qresync", test_qresync);
  g_test_add_func ("/engine/imapc/client/robust/untagged-bad-storm", test_untagged_bad_storm);
  g_test_add_func ("/engine/imapc/client/cancel/mid-literal", test_cancel_mid_literal);
  g_test_add_func ("/engine/imapc/client/login/sasl-abort", test_sasl_abort);
  g_test_add_func ("/engine/imapc/client/utf8-accept", test_utf8_accept);
  g_test_add_func ("/engine/imapc/client/fetch/pipelined", test_pipelined_fetch);

  return g_test_run ();
}
