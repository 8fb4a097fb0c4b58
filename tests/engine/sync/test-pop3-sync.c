/* test-pop3-sync.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mail-account-manager.h"
#include "mail-account.h"
#include "mail-engine.h"
#include "mail-pop3-client.h"
#include "mail-pop3-sync.h"
#include "mail-secret-store.h"
#include "mail-store.h"
#include "mail-test-utils.h"
#include "mail-tls-policy.h"

/* MailPop3Sync and `example-mail-cli sync` against the Dovecot of build-aux/mail-stack.
 *
 * POP3 sees only INBOX, and carol's INBOX is shared with other tests, so this binary runs
 * alone (is_parallel: false in meson.build), empties the maildrop first and seeds its own
 * messages with a fresh seed. Skipped without the stack. */

#define USER_KEY "CAROL"

static char *tmp_dir;
static guint64 max_size;
static guint n_skipped;

/* ------------------------------------------------------------------------------------ */
/* Helpers */

static MailServerConfig *
stack_config (void)
{
  MailServerConfig *config;

  config = mail_server_config_new (MAIL_PROTOCOL_POP3, mail_test_stack ("TLS_NAME"),
                                   mail_test_stack_port ("POP3S_PORT"), MAIL_SECURITY_TLS,
                                   mail_test_stack (USER_KEY));
  config->ca_file = g_strdup (mail_test_stack ("CA"));
  return config;
}

static char *
new_store_path (const char *name)
{
  static guint counter;

  return g_strdup_printf ("%s/%s-%u.sqlite", tmp_dir, name, counter++);
}

static MailPop3Sync *
new_sync (MailStore *store)
{
  g_autoptr(MailServerConfig) config = stack_config ();
  MailPop3Sync *sync = mail_pop3_sync_new (store, config, NULL);

  mail_pop3_sync_set_password (sync, mail_test_stack (USER_KEY "_PASSWORD"));
  return sync;
}

static gboolean
run_sync (const char *path,
          gboolean    leave,
          guint       days,
          gint64      now,
          guint      *n_downloaded,
          guint      *n_deleted,
          GError    **error)
{
  g_autoptr(MailStore) store = NULL;
  g_autoptr(MailPop3Sync) sync = NULL;
  gboolean ok;

  store = mail_store_open_sync (path, NULL, error);
  if (store == NULL)
    return FALSE;
  sync = new_sync (store);
  mail_pop3_sync_set_leave_on_server (sync, leave);
  mail_pop3_sync_set_delete_after_days (sync, days);
  mail_pop3_sync_set_now (sync, now);
  mail_pop3_sync_set_batch_size (sync, 7);
  if (max_size > 0)
    mail_pop3_sync_set_max_message_size (sync, max_size);
  ok = mail_pop3_sync_run_sync (sync, NULL, error);
  n_skipped = mail_pop3_sync_get_n_skipped (sync);
  if (n_downloaded != NULL)
    *n_downloaded = mail_pop3_sync_get_n_downloaded (sync);
  if (n_deleted != NULL)
    *n_deleted = mail_pop3_sync_get_n_deleted (sync);
  g_clear_object (&sync);
  g_assert_finalize_object (g_steal_pointer (&store));
  return ok;
}

/* Deletes everything in the maildrop, so that counts below are exact. */
static void
drain (void)
{
  g_autofree char *path = new_store_path ("drain");
  g_autoptr(GError) error = NULL;

  g_assert_true (run_sync (path, FALSE, 0, 0, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
seed (guint count)
{
  g_autofree char *tool = g_test_build_filename (G_TEST_DIST, "tools", "mail-seed", NULL);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  g_autofree char *seed_text = g_strdup_printf ("sync-%" G_GINT64_FORMAT, g_get_real_time ());
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = {
    tool, "--stack", mail_test_stack ("DIR"), "--user", mail_test_stack (USER_KEY),
    "--count", count_text, "--seed", seed_text, "-q", NULL,
  };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("mail-seed failed: %s", err);
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

#define AWAIT(wait, call) \
  G_STMT_START { \
    (wait).result = NULL; \
    call; \
    while ((wait).result == NULL) \
      g_main_context_iteration (NULL, TRUE); \
  } G_STMT_END

/* The UIDLs on the server now. */
static GHashTable *
server_uidls (void)
{
  g_autoptr(MailServerConfig) config = stack_config ();
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  g_autoptr(MailConnection) connection = NULL;
  g_autoptr(MailPop3Client) client = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Wait wait = { 0 };

  g_assert_true (mail_tls_policy_set_ca_file (policy, config->ca_file, &error));
  connection = mail_connection_new (config->hostname, config->port, config->security);
  mail_connection_set_tls_policy (connection, policy);
  client = mail_pop3_client_new (connection);

  AWAIT (wait, mail_pop3_client_connect_async (client, NULL, wait_cb, &wait));
  g_assert_true (mail_pop3_client_connect_finish (client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  AWAIT (wait, mail_pop3_client_login_async (client, config->username,
                                             mail_test_stack (USER_KEY "_PASSWORD"), "auto",
                                             NULL, wait_cb, &wait));
  g_assert_true (mail_pop3_client_login_finish (client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  AWAIT (wait, mail_pop3_client_uidl_async (client, NULL, wait_cb, &wait));
  list = mail_pop3_client_uidl_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  AWAIT (wait, mail_pop3_client_quit_async (client, NULL, wait_cb, &wait));
  g_assert_true (mail_pop3_client_quit_finish (client, wait.result, &error));
  g_clear_object (&wait.result);

  for (guint i = 0; i < list->len; i++)
    g_hash_table_add (set, g_strdup (g_array_index (list, MailPop3ListEntry, i).uid));
  return set;
}

/* UIDL → raw body of every message a store holds in full (UIDL marked stored, body present).
 * Read with plain SQLite so that it also works on a store a killed process left behind. */
static GHashTable *
stored_bodies (const char *path,
               guint      *n_messages,
               guint      *n_distinct_message_ids)
{
  GHashTable *bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_bytes_unref);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT p.uidl, b.data FROM pop3_uidls p "
                                       "JOIN messages m ON m.folder_id = p.folder_id "
                                       "AND m.uid = p.uid "
                                       "JOIN bodies b ON b.message_id = m.id "
                                       "WHERE p.stored = 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *uidl = (const char *) sqlite3_column_text (stmt, 0);

      g_assert_false (g_hash_table_contains (bodies, uidl));
      g_hash_table_insert (bodies, g_strdup (uidl),
                           g_bytes_new (sqlite3_column_blob (stmt, 1),
                                        sqlite3_column_bytes (stmt, 1)));
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count (*), count (DISTINCT message_id) "
                                       "FROM messages", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (n_messages != NULL)
    *n_messages = sqlite3_column_int (stmt, 0);
  if (n_distinct_message_ids != NULL)
    *n_distinct_message_ids = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return bodies;
}

static gboolean
skip_without_stack (void)
{
  if (mail_test_have_stack ())
    return FALSE;
  g_test_skip ("the local mail stack is not running");
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Tests */

static void
test_leave_on_server (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(GHashTable) bodies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailStore) store = NULL;
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(GArray) uids = NULL;
  guint downloaded = 0, deleted = 0, n_messages = 0, n_ids = 0;

  if (skip_without_stack ())
    return;

  drain ();
  seed (20);
  path = new_store_path ("leave");

  g_assert_true (run_sync (path, TRUE, 0, 0, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 20);
  g_assert_cmpuint (deleted, ==, 0);

  /* Again: nothing new, nothing deleted. */
  g_assert_true (run_sync (path, TRUE, 0, 0, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 0);
  g_assert_cmpuint (deleted, ==, 0);

  on_server = server_uidls ();
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 20);
  bodies = stored_bodies (path, &n_messages, &n_ids);
  g_assert_cmpuint (g_hash_table_size (bodies), ==, 20);
  g_assert_cmpuint (n_messages, ==, 20);
  g_assert_cmpuint (n_ids, ==, 20);

  /* The summaries carry what the message list shows. */
  store = mail_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  folder = mail_store_lookup_folder_sync (store, MAIL_POP3_SYNC_FOLDER, &error);
  g_assert_no_error (error);
  uids = mail_store_list_uids_sync (store, folder->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 20);
  for (guint i = 0; i < uids->len; i++)
    {
      g_autoptr(MailMessageSummary) summary = NULL;
      g_autoptr(GBytes) body = NULL;

      summary = mail_store_lookup_uid_sync (store, folder->id, g_array_index (uids, guint32, i),
                                            &error);
      g_assert_no_error (error);
      g_assert_nonnull (summary->subject);
      g_assert_nonnull (summary->sender_address);
      g_assert_nonnull (summary->message_id);
      g_assert_true (summary->message_id[0] == '<');
      g_assert_cmpint (summary->date, >, 1500000000);
      g_assert_cmpint (summary->date, <, 1800000000);
      body = mail_store_get_body_sync (store, summary->id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (summary->size, ==, g_bytes_get_size (body));
    }
  g_assert_finalize_object (g_steal_pointer (&store));
}

static int
compare_sizes (gconstpointer a,
               gconstpointer b)
{
  gsize x = g_bytes_get_size (*(GBytes * const *) a);
  gsize y = g_bytes_get_size (*(GBytes * const *) b);

  return x < y ? -1 : x > y;
}

static void
test_size_cap (void)
{
  g_autofree char *path = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(GHashTable) reference_bodies = NULL;
  g_autoptr(GHashTable) bodies = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;
  guint downloaded = 0, deleted = 0, too_big = 0;

  if (skip_without_stack ())
    return;

  drain ();
  seed (12);
  reference = new_store_path ("cap-reference");
  path = new_store_path ("cap");

  g_assert_true (run_sync (reference, TRUE, 0, 0, &downloaded, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 12);
  reference_bodies = stored_bodies (reference, NULL, NULL);

  /* The cap at the median size: the larger ones stay on the server, even in delete mode. */
  g_hash_table_iter_init (&iter, reference_bodies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare_sizes);
  max_size = g_bytes_get_size (g_ptr_array_index (sorted, sorted->len / 2));
  for (guint i = 0; i < sorted->len; i++)
    too_big += g_bytes_get_size (g_ptr_array_index (sorted, i)) > max_size;
  g_assert_cmpuint (too_big, >, 0);

  g_assert_true (run_sync (path, FALSE, 0, 0, &downloaded, &deleted, &error));
  max_size = 0;
  g_assert_no_error (error);
  g_assert_cmpuint (n_skipped, ==, too_big);
  g_assert_cmpuint (downloaded, ==, 12 - too_big);
  g_assert_cmpuint (deleted, ==, 12 - too_big);
  bodies = stored_bodies (path, NULL, NULL);
  g_assert_cmpuint (g_hash_table_size (bodies), ==, 12 - too_big);
  {
    g_autoptr(GHashTable) on_server = server_uidls ();

    g_assert_cmpuint (g_hash_table_size (on_server), ==, too_big);
  }
}

static void
test_delete_after_download (void)
{
  g_autofree char *path = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(GHashTable) bodies = NULL;
  g_autoptr(GHashTable) reference_bodies = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint downloaded = 0, deleted = 0;

  if (skip_without_stack ())
    return;

  drain ();
  seed (15);
  path = new_store_path ("delete");
  reference = new_store_path ("reference");

  g_assert_true (run_sync (reference, TRUE, 0, 0, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 15);

  g_assert_true (run_sync (path, FALSE, 0, 0, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 15);
  g_assert_cmpuint (deleted, ==, 15);

  on_server = server_uidls ();
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 0);

  /* What was deleted is here, byte for byte. */
  bodies = stored_bodies (path, NULL, NULL);
  reference_bodies = stored_bodies (reference, NULL, NULL);
  g_assert_cmpuint (g_hash_table_size (bodies), ==, 15);
  g_hash_table_iter_init (&iter, reference_bodies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GBytes *mine = g_hash_table_lookup (bodies, key);

      g_assert_nonnull (mine);
      g_assert_true (g_bytes_equal (mine, value));
    }

  /* Nothing left to do. */
  g_assert_true (run_sync (path, FALSE, 0, 0, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 0);
  g_assert_cmpuint (deleted, ==, 0);
}

static void
test_delete_after_days (void)
{
  const gint64 day = 24 * 60 * 60;
  const gint64 t0 = 1800000000;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(GError) error = NULL;
  guint downloaded = 0, deleted = 0;

  if (skip_without_stack ())
    return;

  drain ();
  seed (10);
  path = new_store_path ("days");

  /* Day 0: ten downloaded, kept. */
  g_assert_true (run_sync (path, TRUE, 3, t0, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 10);
  g_assert_cmpuint (deleted, ==, 0);

  /* Day 2: five more, still nothing is old enough. */
  seed (5);
  g_assert_true (run_sync (path, TRUE, 3, t0 + 2 * day, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 5);
  g_assert_cmpuint (deleted, ==, 0);
  on_server = server_uidls ();
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 15);
  g_clear_pointer (&on_server, g_hash_table_unref);

  /* Day 3, a second early: the first ten are kept. */
  g_assert_true (run_sync (path, TRUE, 3, t0 + 3 * day - 1, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted, ==, 0);

  /* Day 3: the first ten go, by the date they were first downloaded. */
  g_assert_true (run_sync (path, TRUE, 3, t0 + 3 * day, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (downloaded, ==, 0);
  g_assert_cmpuint (deleted, ==, 10);
  on_server = server_uidls ();
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 5);
  g_clear_pointer (&on_server, g_hash_table_unref);

  /* Day 5: the other five. */
  g_assert_true (run_sync (path, TRUE, 3, t0 + 5 * day, &downloaded, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted, ==, 5);
  on_server = server_uidls ();
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 0);
}

/* Every message of the reference is on the server or stored in full; nothing twice. Returns
 * whether the kill came in the middle (some messages stored, some only on the server). */
static gboolean
assert_nothing_lost (GHashTable *reference_bodies,
                     const char *path,
                     gboolean    final)
{
  g_autoptr(GHashTable) on_server = server_uidls ();
  g_autoptr(GHashTable) bodies = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n_messages = 0, n_ids = 0, n_stored = 0, n_on_server = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpuint (g_hash_table_size (on_server), ==, g_hash_table_size (reference_bodies));
      return FALSE;
    }

  bodies = stored_bodies (path, &n_messages, &n_ids);
  g_hash_table_iter_init (&iter, reference_bodies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GBytes *mine = g_hash_table_lookup (bodies, key);

      if (mine != NULL)
        {
          g_assert_true (g_bytes_equal (mine, value));
          n_stored++;
        }
      else
        {
          g_assert_true (g_hash_table_contains (on_server, key));
          n_on_server++;
        }
    }
  /* A message whose UIDL is not marked stored may exist half-written after a kill; it is
   * replaced on the next run, never added twice. */
  g_assert_cmpuint (n_ids, ==, n_messages);
  if (final)
    {
      g_assert_cmpuint (n_messages, ==, g_hash_table_size (reference_bodies));
      g_assert_cmpuint (g_hash_table_size (bodies), ==, g_hash_table_size (reference_bodies));
      g_assert_cmpuint (g_hash_table_size (on_server), ==, 0);
    }
  return n_stored > 0 && n_on_server > 0;
}

static void
test_kill (void)
{
  g_autofree char *path = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(GHashTable) reference_bodies = NULL;
  g_autoptr(GError) error = NULL;
  const guint iterations = 8;
  guint mid_sync = 0;

  if (skip_without_stack ())
    return;

  drain ();
  seed (150);
  path = new_store_path ("kill");
  reference = new_store_path ("kill-reference");

  for (guint i = 0; i < iterations; i++)
    {
      const char *argv[] = { "/proc/self/exe", NULL };
      g_auto(GStrv) envp = g_get_environ ();
      GPid pid = 0;
      int status = 0;

      gint64 start;
      guint window_ms;

      /* More mail keeps arriving between the crashes. */
      if (i > 0)
        seed (30);
      start = g_get_monotonic_time ();
      g_assert_true (run_sync (reference, TRUE, 0, 0, NULL, NULL, &error));
      g_assert_no_error (error);
      /* The reference run downloaded what the child has to: kill somewhere in that time
       * (plus the child's start-up), so most kills land in the middle of a sync. */
      window_ms = 50 + (guint) ((g_get_monotonic_time () - start) / 1000) * 3 / 2;
      g_clear_pointer (&reference_bodies, g_hash_table_unref);
      reference_bodies = stored_bodies (reference, NULL, NULL);

      envp = g_environ_setenv (envp, "MAIL_SYNC_TEST_CHILD", path, TRUE);
      g_assert_true (g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                    NULL, NULL, &pid, &error));
      g_assert_no_error (error);
      g_usleep (g_test_rand_int_range (5, (gint32) window_ms) * 1000);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      /* The child syncs in a loop until killed: exiting by itself means a sync failed. */
      g_assert_true (WIFSIGNALED (status));
      g_spawn_close_pid (pid);

      if (assert_nothing_lost (reference_bodies, path, FALSE))
        mid_sync++;
    }
  g_test_message ("%u of %u kills left messages both on the server and in the store",
                  mid_sync, iterations);

  /* A run to the end gets everything, once. */
  g_assert_true (run_sync (path, FALSE, 0, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_nothing_lost (reference_bodies, path, TRUE);
}

/* The child of test_kill: a sync that deletes after download, until it is killed. */
static int
child_main (const char *path)
{
  g_autoptr(GError) error = NULL;

  while (TRUE)
    {
      if (!run_sync (path, FALSE, 0, 0, NULL, NULL, &error))
        {
          g_printerr ("child sync failed: %s\n", error->message);
          return 1;
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* example-mail-cli sync */

static int
run_cli (const char  *password,
         char       **out,
         const char  *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) MAIL_CLI_PATH);
  g_ptr_array_add (argv, (char *) "sync");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LC_ALL", "C", TRUE);
  if (password != NULL)
    envp = g_environ_setenv (envp, "MAIL_PASSWORD", password, TRUE);
  else
    envp = g_environ_unsetenv (envp, "MAIL_PASSWORD");

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDIN_FROM_DEV_NULL,
                               NULL, NULL, out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_cli (void)
{
  g_autofree char *profile = g_build_filename (tmp_dir, "profile", NULL);
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GRegex) summary = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *count = NULL;
  int rc;

  if (skip_without_stack ())
    return;

  port = g_strdup_printf ("%u", mail_test_stack_port ("POP3S_PORT"));

  /* Usage errors first: they need no server. */
  rc = run_cli (NULL, NULL, "--protocol", "pop3", NULL);
  g_assert_cmpint (rc, ==, 2);
  rc = run_cli ("x", NULL, "--profile", profile, "--protocol", "imap", "--host", "localhost",
                "--security", "tls", "--user", "u", NULL);
  g_assert_cmpint (rc, ==, 1);
  rc = run_cli ("x", NULL, "--profile", profile, "--protocol", "pop3", "--host", "localhost",
                "--security", "tls", "--user", "u", "--folder", "Archive", NULL);
  g_assert_cmpint (rc, ==, 2);

  drain ();
  seed (7);

  rc = run_cli ("wrong password", NULL, "--profile", profile, "--protocol", "pop3",
                "--host", mail_test_stack ("TLS_NAME"), "--port", port, "--security", "tls",
                "--user", mail_test_stack (USER_KEY), "--ca-file", mail_test_stack ("CA"), NULL);
  g_assert_cmpint (rc, ==, 6);

  /* No CA: the stack's certificate is not trusted. */
  rc = run_cli (mail_test_stack (USER_KEY "_PASSWORD"), NULL, "--profile", profile,
                "--protocol", "pop3", "--host", mail_test_stack ("TLS_NAME"), "--port", port,
                "--security", "tls", "--user", mail_test_stack (USER_KEY), NULL);
  g_assert_cmpint (rc, ==, 4);

  rc = run_cli (mail_test_stack (USER_KEY "_PASSWORD"), &out, "--profile", profile,
                "--protocol", "pop3", "--host", mail_test_stack ("TLS_NAME"), "--port", port,
                "--security", "tls", "--user", mail_test_stack (USER_KEY),
                "--ca-file", mail_test_stack ("CA"), NULL);
  g_assert_cmpint (rc, ==, 0);
  summary = g_regex_new ("^Synced: ([0-9]+) messages, ([0-9]+) bytes, [0-9.]+ seconds",
                         G_REGEX_MULTILINE, 0, NULL);
  g_assert_true (g_regex_match (summary, out, 0, &match));
  count = g_match_info_fetch (match, 1);
  g_assert_cmpstr (count, ==, "7");
  /* Not a terminal: no progress line. */
  g_assert_null (strchr (out, '\r'));
  g_clear_pointer (&match, g_match_info_unref);
  g_clear_pointer (&count, g_free);
  g_clear_pointer (&out, g_free);

  /* Again: nothing new. */
  rc = run_cli (mail_test_stack (USER_KEY "_PASSWORD"), &out, "--profile", profile,
                "--protocol", "pop3", "--host", mail_test_stack ("TLS_NAME"), "--port", port,
                "--security", "tls", "--user", mail_test_stack (USER_KEY),
                "--ca-file", mail_test_stack ("CA"), NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_regex_match (summary, out, 0, &match));
  count = g_match_info_fetch (match, 1);
  g_assert_cmpstr (count, ==, "0");
}

/* --account: the account from the profile's accounts.ini, its password from the keyring, its
 * POP3 settings (here: delete after download) applied. Needs gnome-keyring on a private bus
 * (build-aux/with-session sets MAIL_TEST_KEYRING=1). */
static void
test_cli_account (void)
{
  g_autofree char *profile = g_build_filename (tmp_dir, "account-profile", NULL);
  g_autofree char *config_dir = g_build_filename (profile, "config", NULL);
  g_autofree char *data_dir = g_build_filename (profile, "data", NULL);
  g_autofree char *store_path = NULL;
  g_autofree char *out = NULL;
  g_autoptr(MailAccountManager) manager = NULL;
  g_autoptr(MailAccount) account = NULL;
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailSecretStore) secrets = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Wait wait = { 0 };
  int rc;

  if (skip_without_stack ())
    return;
  if (g_strcmp0 (g_getenv ("MAIL_TEST_KEYRING"), "1") != 0)
    {
      g_test_skip ("no gnome-keyring session: run through build-aux/with-session");
      return;
    }

  drain ();
  seed (4);

  config = stack_config ();
  id = mail_account_manager_generate_id ();
  account = mail_account_new (id);
  mail_account_set_email (account, mail_test_stack (USER_KEY));
  mail_account_set_incoming (account, config);
  mail_account_set_pop3_leave_on_server (account, FALSE);
  manager = mail_account_manager_new (config_dir, data_dir);
  g_assert_true (mail_account_manager_add (manager, account, &error));
  g_assert_no_error (error);
  g_assert_true (mail_account_manager_save (manager, &error));
  g_assert_no_error (error);

  secrets = mail_secret_store_new ();
  AWAIT (wait, mail_secret_store_store_async (secrets, id, MAIL_PROTOCOL_POP3, config->hostname,
                                              config->username,
                                              mail_test_stack (USER_KEY "_PASSWORD"),
                                              NULL, wait_cb, &wait));
  g_assert_true (mail_secret_store_store_finish (secrets, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  rc = run_cli (NULL, &out, "--profile", profile, "--account", id, NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_str_has_prefix (out, "Synced: 4 messages, "));
  on_server = server_uidls ();
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 0);
  store_path = g_build_filename (data_dir, "accounts", id, "store.sqlite", NULL);
  g_assert_true (g_file_test (store_path, G_FILE_TEST_IS_REGULAR));

  /* Server options do not mix with --account. */
  rc = run_cli (NULL, NULL, "--profile", profile, "--account", id, "--host", "x", NULL);
  g_assert_cmpint (rc, ==, 2);
  rc = run_cli (NULL, NULL, "--profile", profile, "--account", "no-such-account", NULL);
  g_assert_cmpint (rc, ==, 2);

  AWAIT (wait, mail_secret_store_clear_account_async (secrets, id, NULL, wait_cb, &wait));
  g_assert_true (mail_secret_store_clear_account_finish (secrets, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
}

/* ------------------------------------------------------------------------------------ */

static void
measure_rate (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailStore) store = NULL;
  g_autoptr(MailPop3Sync) sync = NULL;
  gint64 start;
  double seconds;

  if (skip_without_stack ())
    return;
  if (!g_test_perf ())
    {
      g_test_skip ("only with -m perf");
      return;
    }

  drain ();
  seed (1000);
  path = new_store_path ("rate");
  store = mail_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  sync = new_sync (store);
  mail_pop3_sync_set_leave_on_server (sync, FALSE);
  start = g_get_monotonic_time ();
  g_assert_true (mail_pop3_sync_run_sync (sync, NULL, &error));
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (mail_pop3_sync_get_n_downloaded (sync), ==, 1000);
  g_test_minimized_result (seconds, "%u messages, %" G_GUINT64_FORMAT " bytes in %.2f s "
                           "(%.0f messages/s)", mail_pop3_sync_get_n_downloaded (sync),
                           mail_pop3_sync_get_n_bytes (sync), seconds,
                           mail_pop3_sync_get_n_downloaded (sync) / seconds);
}

int
main (int    argc,
      char **argv)
{
  const char *child = g_getenv ("MAIL_SYNC_TEST_CHILD");
  int ret;

  mail_engine_init ();
  if (child != NULL)
    return child_main (child);

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-pop3-sync-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/engine/sync/pop3/leave-on-server", test_leave_on_server);
  g_test_add_func ("/engine/sync/pop3/delete-after-download", test_delete_after_download);
  g_test_add_func ("/engine/sync/pop3/delete-after-days", test_delete_after_days);
  g_test_add_func ("/engine/sync/pop3/size-cap", test_size_cap);
  g_test_add_func ("/engine/sync/pop3/kill-9", test_kill);
  g_test_add_func ("/engine/sync/pop3/cli", test_cli);
  g_test_add_func ("/engine/sync/pop3/cli-account", test_cli_account);
  g_test_add_func ("/engine/sync/pop3/rate-1000", measure_rate);

  ret = g_test_run ();

  {
    g_autofree char *quoted = g_shell_quote (tmp_dir);
    g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

    if (system (command) != 0)
      g_printerr ("could not remove %s\n", tmp_dir);
  }
  g_free (tmp_dir);
  return ret;
}
