/* test-imap-stack.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

#include "mail-engine.h"
#include "mail-gmime-autocleanups.h"
#include "mail-imap-client.h"
#include "mail-smtp-client.h"
#include "mail-test-utils.h"

/* MailImapClient against the local Dovecot of build-aux/mail-stack: every login mechanism
 * over IMAPS and IMAP+STARTTLS, LIST with special-use, 10,000 envelopes (time and memory
 * measured), a 20 MB body streamed, STORE/MOVE/APPEND/EXPUNGE, IDLE seeing a message sent
 * through MailSmtpClient, CONDSTORE/QRESYNC resync after changes made by a second
 * connection. Each test uses its own user or a fresh folder. Skipped without the stack. */

#define WAIT_MS  120000

/* AddressSanitizer keeps freed memory in quarantine (256 MB by default), so peak RSS says
 * nothing about what the code holds: the memory bounds are checked in normal builds only. */
#ifdef __SANITIZE_ADDRESS__
#define CHECK_RSS FALSE
#else
#define CHECK_RSS TRUE
#endif

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} AsyncWait;

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

/* ------------------------------------------------------------------------------------ */
/* Helpers */

static guint64
proc_status_kb (const char *key)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return 0;
  line = strstr (contents, key);
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (key) + 1, NULL, 10);
}

static MailConnection *
stack_connection (const char   *port_key,
                  MailSecurity  security)
{
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  g_autoptr(GError) error = NULL;
  MailConnection *connection;

  g_assert_true (mail_tls_policy_set_ca_file (policy, mail_test_stack ("CA"), &error));
  g_assert_no_error (error);

  connection = mail_connection_new (mail_test_stack ("TLS_NAME"),
                                    mail_test_stack_port (port_key), security);
  mail_connection_set_tls_policy (connection, policy);
  return connection;
}

static MailImapClient *
imap_login_full (const char   *port_key,
                 MailSecurity  security,
                 const char   *user_key,
                 const char   *mechanism,
                 GError      **error)
{
  g_autoptr(MailConnection) connection = stack_connection (port_key, security);
  g_autoptr(MailImapClient) client = mail_imap_client_new (connection);
  g_autofree char *password_key = g_strconcat (user_key, "_PASSWORD", NULL);
  AsyncWait wait = { 0 };
  gboolean ok;

  WAIT_FOR (mail_imap_client_connect_async (client, NULL, async_cb, &wait), wait);
  ok = mail_imap_client_connect_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (!ok)
    return NULL;

  WAIT_FOR (mail_imap_client_login_async (client, mail_test_stack (user_key),
                                          mail_test_stack (password_key), mechanism, NULL,
                                          async_cb, &wait), wait);
  ok = mail_imap_client_login_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (!ok)
    return NULL;

  return g_steal_pointer (&client);
}

static MailImapClient *
imap_login (const char *user_key)
{
  g_autoptr(GError) error = NULL;
  MailImapClient *client;

  client = imap_login_full ("IMAPS_PORT", MAIL_SECURITY_TLS, user_key, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static void
imap_logout (MailImapClient *client)
{
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  WAIT_FOR (mail_imap_client_logout_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_logout_finish (client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_finalize_object (client);
}

static MailImapSelectResult *
imap_select (MailImapClient        *client,
             const char            *mailbox,
             gboolean               condstore,
             const MailImapQresync *qresync)
{
  g_autoptr(GError) error = NULL;
  MailImapSelectResult *sr;
  AsyncWait wait = { 0 };

  WAIT_FOR (mail_imap_client_select_async (client, mailbox, FALSE, condstore, qresync, NULL,
                                           async_cb, &wait), wait);
  sr = mail_imap_client_select_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  return sr;
}

static void
imap_enable (MailImapClient     *client,
             const char * const *extensions)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) enabled = NULL;
  AsyncWait wait = { 0 };

  WAIT_FOR (mail_imap_client_enable_async (client, extensions, NULL, async_cb, &wait), wait);
  enabled = mail_imap_client_enable_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  for (guint i = 0; extensions[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) enabled, extensions[i]));
}

static void
seed (const char *user_key,
      const char *folder,
      guint       count,
      guint       big_mb)
{
  g_autofree char *tool = g_test_build_filename (G_TEST_DIST, "tools", "mail-seed", NULL);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  g_autofree char *big_text = g_strdup_printf ("%u", big_mb);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = {
    tool, "--stack", mail_test_stack ("DIR"), "--user", mail_test_stack (user_key),
    "--folder", folder, "--count", count_text, "-q",
    big_mb > 0 ? "--big-mb" : NULL, big_text, NULL,
  };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("mail-seed failed: %s", err);
}

/* A folder name nobody used before, so reruns start clean. */
static char *
fresh_folder (const char *prefix)
{
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT, prefix, g_get_real_time ());
}

/* ------------------------------------------------------------------------------------ */
/* Login */

typedef struct
{
  const char   *port_key;
  MailSecurity  security;
} Transport;

static void
test_login_all (gconstpointer data)
{
  const Transport *transport = data;
  g_auto(GStrv) mechanisms = NULL;
  guint n;

  if (!mail_test_have_stack ())
    return;

  mechanisms = g_strsplit (mail_test_stack ("IMAP_MECHANISMS"), " ", -1);
  n = g_strv_length (mechanisms);

  /* Every SASL mechanism, then the LOGIN command. */
  for (guint i = 0; i <= n; i++)
    {
      const char *mech = i < n ? mechanisms[i] : "IMAP-LOGIN";
      g_autofree char *lower = g_ascii_strdown (mech, -1);
      g_autoptr(GError) error = NULL;
      MailImapClient *client;

      if (*mech == '\0')
        continue;

      client = imap_login_full (transport->port_key, transport->security, "ALICE", lower,
                                &error);
      g_assert_no_error (error);
      g_assert_nonnull (client);
      g_test_message ("%s: logged in with %s", transport->port_key,
                      mail_imap_client_get_mechanism (client));
      g_assert_cmpstr (mail_imap_client_get_mechanism (client), ==, mech);
      g_assert_true (mail_connection_get_is_encrypted (mail_imap_client_get_connection (client)));
      g_assert_false (mail_imap_client_has_capability (client, "STARTTLS"));
      imap_logout (client);
    }
}

static void
test_wrong_password (void)
{
  g_autoptr(MailConnection) connection = NULL;
  g_autoptr(MailImapClient) client = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  if (!mail_test_have_stack ())
    return;

  connection = stack_connection ("IMAP_PORT", MAIL_SECURITY_STARTTLS);
  client = mail_imap_client_new (connection);
  WAIT_FOR (mail_imap_client_connect_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_connect_finish (client, wait.result, &error));
  WAIT_FOR (mail_imap_client_login_async (client, mail_test_stack ("ALICE"), "wrong", NULL,
                                          NULL, async_cb, &wait), wait);
  g_assert_false (mail_imap_client_login_finish (client, wait.result, &error));
  g_assert_error (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_AUTH_FAILED);
  g_clear_object (&wait.result);
}

/* ------------------------------------------------------------------------------------ */
/* LIST, NAMESPACE, ID */

static void
test_list (void)
{
  MailImapClient *client;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(MailImapNamespaces) namespaces = NULL;
  g_autoptr(GHashTable) id = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };
  gboolean sent = FALSE, trash = FALSE, inbox = FALSE;

  if (!mail_test_have_stack ())
    return;

  seed ("ALICE", "Sent", 1, 0);
  seed ("ALICE", "Trash", 1, 0);
  client = imap_login ("ALICE");

  WAIT_FOR (mail_imap_client_list_async (client, "", "*",
                                         MAIL_IMAP_LIST_SPECIAL_USE | MAIL_IMAP_LIST_STATUS,
                                         NULL, async_cb, &wait), wait);
  list = mail_imap_client_list_finish (client, wait.result, &statuses, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      MailImapListEntry *entry = g_ptr_array_index (list, i);

      if (entry->attributes & MAIL_IMAP_MAILBOX_SENT)
        sent = TRUE;
      if (entry->attributes & MAIL_IMAP_MAILBOX_TRASH)
        trash = TRUE;
      if (g_strcmp0 (entry->name, "INBOX") == 0)
        inbox = TRUE;
    }
  g_assert_true (sent);
  g_assert_true (trash);
  g_assert_true (inbox);
  g_assert_nonnull (statuses);
  g_assert_nonnull (g_hash_table_lookup (statuses, "INBOX"));

  WAIT_FOR (mail_imap_client_namespace_async (client, NULL, async_cb, &wait), wait);
  namespaces = mail_imap_client_namespace_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (namespaces->personal->len, >=, 1);

  WAIT_FOR (mail_imap_client_id_async (client, NULL, NULL, async_cb, &wait), wait);
  id = mail_imap_client_id_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  imap_logout (client);
}

/* ------------------------------------------------------------------------------------ */
/* 10,000 envelopes */

typedef struct
{
  guint   count;
  guint   with_envelope;
  guint   with_body;
  guint32 last_uid;
} BulkSeen;

static void
bulk_cb (MailImapClient      *client,
         const MailImapFetch *fetch,
         gpointer             user_data)
{
  BulkSeen *seen = user_data;

  seen->count++;
  if (fetch->envelope != NULL)
    seen->with_envelope++;
  if (fetch->body != NULL)
    seen->with_body++;
  g_assert_cmpuint (fetch->uid, >, seen->last_uid);
  seen->last_uid = fetch->uid;
}

static void
test_fetch_10000 (void)
{
  MailImapClient *client;
  g_autoptr(MailImapSelectResult) sr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  MailImapFetchOptions options = {
    MAIL_IMAP_FETCH_FLAGS | MAIL_IMAP_FETCH_INTERNALDATE | MAIL_IMAP_FETCH_RFC822_SIZE |
    MAIL_IMAP_FETCH_ENVELOPE | MAIL_IMAP_FETCH_BODYSTRUCTURE,
    NULL, 0, FALSE, NULL,
  };
  BulkSeen seen = { 0 };
  AsyncWait wait = { 0 };
  guint64 hwm_before, hwm_after, rss_before;
  gint64 start;
  guint n;

  if (!mail_test_have_stack ())
    return;

  folder = fresh_folder ("Bulk");
  start = g_get_monotonic_time ();
  seed ("BOB", folder, 10000, 0);
  g_test_message ("seeded 10000 messages in %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  client = imap_login ("BOB");
  sr = imap_select (client, folder, FALSE, NULL);
  g_assert_cmpuint (sr->info.exists, ==, 10000);

  hwm_before = proc_status_kb ("VmHWM:");
  rss_before = proc_status_kb ("VmRSS:");
  start = g_get_monotonic_time ();
  WAIT_FOR (mail_imap_client_fetch_async (client, "1:*", &options, bulk_cb, &seen, NULL,
                                          async_cb, &wait), wait);
  n = mail_imap_client_fetch_finish (client, wait.result, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  hwm_after = proc_status_kb ("VmHWM:");

  g_test_message ("MEASURE fetch 10000 envelopes+bodystructure: %.2f s, RSS before %"
                  G_GUINT64_FORMAT " KiB, peak RSS grew by %" G_GUINT64_FORMAT
                  " KiB (HWM %" G_GUINT64_FORMAT
                  " -> %" G_GUINT64_FORMAT " KiB)",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, rss_before,
                  hwm_after - hwm_before, hwm_before, hwm_after);
  g_assert_cmpuint (n, ==, 10000);
  g_assert_cmpuint (seen.count, ==, 10000);
  g_assert_cmpuint (seen.with_envelope, ==, 10000);
  g_assert_cmpuint (seen.with_body, ==, 10000);
  /* Streamed one message at a time: far below what 10,000 decoded envelopes would take. */
  if (CHECK_RSS)
    g_assert_cmpuint (hwm_after - hwm_before, <, 64 * 1024);

  imap_logout (client);
}

/* ------------------------------------------------------------------------------------ */
/* 20 MB body streamed */

static void
big_cb (MailImapClient      *client,
        const MailImapFetch *fetch,
        gpointer             user_data)
{
  guint64 *size = user_data;
  const MailImapFetchSection *section = mail_imap_fetch_find_section (fetch, "");

  g_assert_nonnull (section);
  g_assert_cmpint (section->value->type, ==, MAIL_IMAP_VALUE_STREAMED);
  *size = section->value->len;
}

static void
test_fetch_big (void)
{
  MailImapClient *client;
  g_autoptr(MailImapSelectResult) sr = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileIOStream) iostream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *folder = NULL;
  const char *sections[] = { "BODY.PEEK[]", NULL };
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_RFC822_SIZE, sections, 0, FALSE, NULL };
  AsyncWait wait = { 0 };
  guint64 size = 0, hwm_before, hwm_after;
  gint64 start;

  if (!mail_test_have_stack ())
    return;

  folder = fresh_folder ("Big");
  seed ("CAROL", folder, 0, 20);
  client = imap_login ("CAROL");
  sr = imap_select (client, folder, FALSE, NULL);
  g_assert_cmpuint (sr->info.exists, ==, 1);

  file = g_file_new_tmp ("imapc-big-XXXXXX", &iostream, &error);
  g_assert_no_error (error);
  options.sink = g_io_stream_get_output_stream (G_IO_STREAM (iostream));

  hwm_before = proc_status_kb ("VmHWM:");
  start = g_get_monotonic_time ();
  WAIT_FOR (mail_imap_client_fetch_async (client, "1:*", &options, big_cb, &size, NULL,
                                          async_cb, &wait), wait);
  g_assert_cmpuint (mail_imap_client_fetch_finish (client, wait.result, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  hwm_after = proc_status_kb ("VmHWM:");
  g_assert_true (g_io_stream_close (G_IO_STREAM (iostream), NULL, NULL));

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("MEASURE fetch %" G_GUINT64_FORMAT " byte message streamed to a file: "
                  "%.2f s, peak RSS grew by %" G_GUINT64_FORMAT " KiB",
                  size, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  hwm_after - hwm_before);
  g_assert_cmpuint (size, >, 20 * 1000 * 1000);
  g_assert_cmpuint ((guint64) g_file_info_get_size (info), ==, size);
  /* Never held twice; in fact never held once. */
  if (CHECK_RSS)
    g_assert_cmpuint (hwm_after - hwm_before, <, 2 * 20 * 1024);
  g_file_delete (file, NULL, NULL);

  imap_logout (client);
}

/* ------------------------------------------------------------------------------------ */
/* STORE, MOVE, APPEND, EXPUNGE */

static void
flags_cb (MailImapClient      *client,
          const MailImapFetch *fetch,
          gpointer             user_data)
{
  GHashTable *flags = user_data;

  g_hash_table_insert (flags, GUINT_TO_POINTER (fetch->uid),
                       g_strjoinv (" ", fetch->flags));
}

static GHashTable *
fetch_flags (MailImapClient *client,
             const char     *set)
{
  GHashTable *flags = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_FLAGS, NULL, 0, FALSE, NULL };
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  WAIT_FOR (mail_imap_client_fetch_async (client, set, &options, flags_cb, flags, NULL,
                                          async_cb, &wait), wait);
  mail_imap_client_fetch_finish (client, wait.result, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  return flags;
}

#define APPENDED \
  "From: carol@example.test\r\nTo: carol@example.test\r\nSubject: appended\r\n\r\nHello.\r\n"

static void
test_store_move_append_expunge (void)
{
  MailImapClient *client;
  g_autoptr(MailImapSelectResult) sr = NULL;
  g_autoptr(MailImapSelectResult) sr2 = NULL;
  g_autoptr(GHashTable) flags = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapSequenceSet) dest = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GArray) found = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *archive = NULL;
  const char *seen_flag[] = { "\\Seen", "$Important", NULL };
  const char *deleted[] = { "\\Deleted", NULL };
  AsyncWait wait = { 0 };
  guint32 uidvalidity = 0, uid = 0;

  if (!mail_test_have_stack ())
    return;

  folder = fresh_folder ("Work");
  archive = fresh_folder ("Archive \xc3\xa9t\xc3\xa9");
  seed ("CAROL", folder, 5, 0);
  seed ("CAROL", archive, 1, 0);
  client = imap_login ("CAROL");
  sr = imap_select (client, folder, TRUE, NULL);
  g_assert_cmpuint (sr->info.exists, ==, 5);

  /* STORE */
  WAIT_FOR (mail_imap_client_store_async (client, "1:2", MAIL_IMAP_STORE_ADD, seen_flag, TRUE,
                                          0, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_store_finish (client, wait.result, NULL, &error));
  g_assert_no_error (error);
  flags = fetch_flags (client, "1:5");
  g_assert_nonnull (strstr (g_hash_table_lookup (flags, GUINT_TO_POINTER (1)), "\\Seen"));
  g_assert_nonnull (strstr (g_hash_table_lookup (flags, GUINT_TO_POINTER (2)), "$Important"));
  g_assert_null (strstr (g_hash_table_lookup (flags, GUINT_TO_POINTER (3)), "$Important"));

  /* MOVE into a folder with a non-ASCII name (modified UTF-7 on the wire). */
  WAIT_FOR (mail_imap_client_copy_async (client, "2", archive, TRUE, NULL, async_cb, &wait),
            wait);
  g_assert_true (mail_imap_client_copy_finish (client, wait.result, &uidvalidity, NULL, &dest,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (uidvalidity, !=, 0);
  g_assert_cmpuint (mail_imap_sequence_set_count (dest), ==, 1);
  g_assert_cmpuint (mail_imap_client_get_exists (client), ==, 4);

  /* APPEND with APPENDUID */
  message = g_bytes_new_static (APPENDED, strlen (APPENDED));
  stream = g_memory_input_stream_new_from_bytes (message);
  WAIT_FOR (mail_imap_client_append_async (client, folder, seen_flag, NULL, stream,
                                           g_bytes_get_size (message), NULL, async_cb, &wait),
            wait);
  g_assert_true (mail_imap_client_append_finish (client, wait.result, &uidvalidity, &uid,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (uidvalidity, ==, sr->info.uidvalidity);
  g_assert_cmpuint (uid, >=, sr->info.uidnext);

  /* UID SEARCH finds it */
  WAIT_FOR (mail_imap_client_search_async (client, "SUBJECT \"appended\"", NULL, async_cb,
                                           &wait), wait);
  found = mail_imap_client_search_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpuint (g_array_index (found, guint32, 0), ==, uid);

  /* EXPUNGE of exactly one UID, though two are \Deleted */
  WAIT_FOR (mail_imap_client_store_async (client, "3:4", MAIL_IMAP_STORE_ADD, deleted, TRUE, 0,
                                          NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_store_finish (client, wait.result, NULL, &error));
  WAIT_FOR (mail_imap_client_expunge_async (client, "3", NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_expunge_finish (client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  sr2 = imap_select (client, folder, FALSE, NULL);
  g_assert_cmpuint (sr2->info.exists, ==, 4);
  imap_logout (client);
}

/* ------------------------------------------------------------------------------------ */
/* IDLE sees mail sent with MailSmtpClient */

static void
send_to_bob (const char *subject)
{
  g_autoptr(MailConnection) connection = stack_connection ("SUBMISSION_PORT",
                                                           MAIL_SECURITY_STARTTLS);
  g_autoptr(MailSmtpClient) client = mail_smtp_client_new (connection);
  g_autoptr(GMimeMessage) message = g_mime_message_new (TRUE);
  g_autoptr(GError) error = NULL;
  GMimeTextPart *text = g_mime_text_part_new_with_subtype ("plain");
  AsyncWait wait = { 0 };

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, NULL, mail_test_stack ("ALICE"));
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, mail_test_stack ("BOB"));
  g_mime_message_set_subject (message, subject, "utf-8");
  g_mime_text_part_set_text (text, "Hi Bob.\n");
  g_mime_message_set_mime_part (message, GMIME_OBJECT (text));
  g_object_unref (text);

  WAIT_FOR (mail_smtp_client_connect_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_smtp_client_connect_finish (client, wait.result, &error));
  g_assert_no_error (error);
  WAIT_FOR (mail_smtp_client_login_async (client, mail_test_stack ("ALICE"),
                                          mail_test_stack ("ALICE_PASSWORD"), "auto", NULL,
                                          async_cb, &wait), wait);
  g_assert_true (mail_smtp_client_login_finish (client, wait.result, &error));
  g_assert_no_error (error);
  WAIT_FOR (mail_smtp_client_send_async (client, message, NULL, NULL, NULL, async_cb, &wait),
            wait);
  g_assert_true (mail_smtp_client_send_finish (client, wait.result, &error));
  g_assert_no_error (error);
  WAIT_FOR (mail_smtp_client_quit_async (client, NULL, async_cb, &wait), wait);
  mail_smtp_client_quit_finish (client, wait.result, NULL);
  g_clear_object (&wait.result);
}

static void
exists_cb (MailImapClient *client,
           guint           exists,
           gint64         *when)
{
  if (*when == 0)
    *when = g_get_monotonic_time ();
}

static gboolean
set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_idle_sees_delivery (void)
{
  MailImapClient *client;
  g_autoptr(MailImapSelectResult) sr = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };
  gint64 seen_at = 0, sent_at;
  gboolean timeout = FALSE;
  guint source;

  if (!mail_test_have_stack ())
    return;

  client = imap_login ("BOB");
  sr = imap_select (client, "INBOX", FALSE, NULL);
  g_signal_connect (client, "exists", G_CALLBACK (exists_cb), &seen_at);

  WAIT_FOR (mail_imap_client_idle_start_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_idle_start_finish (client, wait.result, &error));
  g_assert_no_error (error);

  send_to_bob ("IDLE test");
  sent_at = g_get_monotonic_time ();
  source = g_timeout_add_seconds (10, set_true_cb, &timeout);
  while (seen_at == 0 && !timeout)
    g_main_context_iteration (NULL, TRUE);
  if (!timeout)
    g_source_remove (source);
  g_assert_cmpint (seen_at, !=, 0);
  g_test_message ("MEASURE IDLE saw the delivery %.3f s after the SMTP submission ended",
                  MAX (0, seen_at - sent_at) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (seen_at - sent_at, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (mail_imap_client_get_exists (client), >, sr->info.exists);

  WAIT_FOR (mail_imap_client_idle_stop_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_idle_stop_finish (client, wait.result, &error));
  g_clear_object (&wait.result);
  imap_logout (client);
}

/* ------------------------------------------------------------------------------------ */
/* CONDSTORE / QRESYNC resync */

static void
test_qresync (void)
{
  const char *ext[] = { "CONDSTORE", "QRESYNC", NULL };
  const char *flagged[] = { "$Resync", NULL };
  const char *deleted[] = { "\\Deleted", NULL };
  MailImapClient *client;
  MailImapClient *other;
  g_autoptr(MailImapSelectResult) first = NULL;
  g_autoptr(MailImapSelectResult) other_sr = NULL;
  g_autoptr(MailImapSelectResult) resync = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *vanished = NULL;
  MailImapQresync qresync = { 0 };
  AsyncWait wait = { 0 };
  guint changed_1 = 0, changed_other = 0;

  if (!mail_test_have_stack ())
    return;

  folder = fresh_folder ("Sync");
  seed ("CAROL", folder, 6, 0);

  client = imap_login ("CAROL");
  imap_enable (client, ext);
  first = imap_select (client, folder, TRUE, NULL);
  g_assert_true (first->info.items & MAIL_IMAP_SELECT_HIGHESTMODSEQ);
  imap_logout (client);

  /* A second connection changes flags of 1 and 4 and expunges 2 and 5. */
  other = imap_login ("CAROL");
  other_sr = imap_select (other, folder, TRUE, NULL);
  WAIT_FOR (mail_imap_client_store_async (other, "1,4", MAIL_IMAP_STORE_ADD, flagged, TRUE, 0,
                                          NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_store_finish (other, wait.result, NULL, &error));
  WAIT_FOR (mail_imap_client_store_async (other, "2,5", MAIL_IMAP_STORE_ADD, deleted, TRUE, 0,
                                          NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_store_finish (other, wait.result, NULL, &error));
  WAIT_FOR (mail_imap_client_expunge_async (other, "2,5", NULL, async_cb, &wait), wait);
  g_assert_true (mail_imap_client_expunge_finish (other, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  imap_logout (other);

  /* Resync: exactly those changes. */
  client = imap_login ("CAROL");
  imap_enable (client, ext);
  qresync.uidvalidity = first->info.uidvalidity;
  qresync.modseq = first->info.highestmodseq;
  qresync.known_uids = "1:6";
  resync = imap_select (client, folder, FALSE, &qresync);
  g_assert_nonnull (resync->vanished);
  vanished = mail_imap_sequence_set_to_string (resync->vanished);
  g_assert_cmpstr (vanished, ==, "2,5");
  for (guint i = 0; i < resync->changed->len; i++)
    {
      MailImapFetch *fetch = g_ptr_array_index (resync->changed, i);

      g_assert_true (fetch->fields & MAIL_IMAP_FETCH_MODSEQ);
      g_assert_cmpuint (fetch->modseq, >, first->info.highestmodseq);
      if (fetch->uid == 1 || fetch->uid == 4)
        changed_1++;
      else
        changed_other++;
    }
  g_assert_cmpuint (changed_1, ==, 2);
  g_assert_cmpuint (changed_other, ==, 0);
  g_assert_cmpuint (resync->info.exists, ==, 4);
  imap_logout (client);
}

int
main (int    argc,
      char **argv)
{
  static const Transport imaps = { "IMAPS_PORT", MAIL_SECURITY_TLS };
  static const Transport starttls = { "IMAP_PORT", MAIL_SECURITY_STARTTLS };

  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/imapc/stack/fetch-big", test_fetch_big);
  g_test_add_func ("/engine/imapc/stack/fetch-10000", test_fetch_10000);
  g_test_add_data_func ("/engine/imapc/stack/login/imaps", &imaps, test_login_all);
  g_test_add_data_func ("/engine/imapc/stack/login/starttls", &starttls, test_login_all);
  g_test_add_func ("/engine/imapc/stack/login/wrong-password", test_wrong_password);
  g_test_add_func ("/engine/imapc/stack/list", test_list);
  g_test_add_func ("/engine/imapc/stack/store-move-append-expunge",
                   test_store_move_append_expunge);
  g_test_add_func ("/engine/imapc/stack/idle", test_idle_sees_delivery);
  g_test_add_func ("/engine/imapc/stack/qresync", test_qresync);

  return g_test_run ();
}
