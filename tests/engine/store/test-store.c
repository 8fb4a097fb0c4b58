/* test-store.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include "mail-store.h"
#include "mail-store-query.h"
#include "mail-store-search.h"
#include "mail-store-text.h"
#include "mail-test-utils.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  char      *dir;
  char      *path;
  MailStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mail-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = mail_store_open_sync (fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
remove_db_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_db_files (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = mail_store_open_sync (fixture->path, NULL, &error);
  g_assert_no_error (error);
}

static MailMessageSummary *
make_summary (guint32     uid,
              gint64      date,
              const char *from,
              const char *subject,
              const char *message_id,
              const char *references,
              guint       flags)
{
  MailMessageSummary *summary = mail_message_summary_new ();

  summary->uid = uid;
  summary->date = date;
  summary->internal_date = date + 5;
  summary->size = 1000 + uid;
  summary->sender_name = g_strdup (from);
  summary->sender_address = g_strdup_printf ("%s@example.com", from != NULL ? from : "nobody");
  summary->recipients = g_strdup ("Team <team@example.org>");
  summary->subject = g_strdup (subject);
  summary->message_id = g_strdup (message_id);
  summary->references = g_strdup (references);
  summary->flags = flags;

  return summary;
}

static gint64
add_folder (MailStore  *store,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (mail_store_ensure_folder_sync (store, name, "/", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
insert (MailStore          *store,
        gint64              folder_id,
        MailMessageSummary *summary)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mail_message_summary_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (batch, mail_message_summary_ref (summary));
  g_assert_true (mail_store_insert_messages_sync (store, folder_id, batch, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary->id, >, 0);
}

/* Inserts n messages with uids 1…n and dates that are not in uid order, some equal. */
static void
fill_folder (MailStore *store,
             gint64     folder_id,
             guint      n)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mail_message_summary_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %u", i);
      g_autofree char *msgid = g_strdup_printf ("<m%u.%" G_GINT64_FORMAT "@example.com>",
                                                i, folder_id);
      MailMessageSummary *summary;

      summary = make_summary (i, 1000000 + (gint64) ((i * 7919) % n) / 2, "sender", subject,
                              msgid, NULL, i % 3 == 0 ? MAIL_MESSAGE_FLAG_SEEN : 0);
      g_ptr_array_add (batch, summary);

      if (batch->len == 500 || i == n)
        {
          g_assert_true (mail_store_insert_messages_sync (store, folder_id, batch, &error));
          g_assert_no_error (error);
          g_ptr_array_set_size (batch, 0);
        }
    }
}

static guint
query_count (MailStore       *store,
             gint64           folder_id,
             MailStoreFilter  filter,
             const char      *search)
{
  g_autoptr(MailStoreQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  query = mail_store_query_new (store, folder_id, MAIL_STORE_SORT_DATE_DESC, filter, search);
  g_assert_true (mail_store_query_count_sync (query, &count, NULL, &error));
  g_assert_no_error (error);

  return count;
}

static GPtrArray *
all_rows (MailStoreQuery *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  rows = mail_store_query_get_rows_sync (query, 0, 10000, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);

  return rows;
}

static int
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The full-text index matches its external content exactly (every 'delete' repeated the
 * indexed values). */
static void
assert_fts_consistent (const char *path)
{
  sql_exec (path, "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
}

/* ------------------------------------------------------------------------------------------ */
/* Migrations                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void
test_migrations_empty (Fixture       *fixture,
                       gconstpointer  data)
{
  guint known = mail_store_get_known_schema_version ();

  g_assert_cmpuint (known, >=, 1);
  g_assert_cmpuint (mail_store_get_schema_version (fixture->store), ==, known);
  g_assert_cmpint (sql_int (fixture->path, "PRAGMA user_version"), ==, (int) known);
  g_assert_cmpint (sql_int (fixture->path,
                            "SELECT count(*) FROM sqlite_master WHERE name IN "
                            "('folders', 'messages', 'bodies', 'ops', 'messages_fts')"), ==, 5);
}

static void
test_migrations_reopen (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = add_folder (fixture->store, "INBOX");

  reopen (fixture);
  reopen (fixture);

  g_assert_cmpuint (mail_store_get_schema_version (fixture->store), ==,
                    mail_store_get_known_schema_version ());
  folder = mail_store_lookup_folder_sync (fixture->store, "INBOX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (folder->id, ==, id);
  g_assert_cmpint (sql_int (fixture->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
                   ==, 1);
}

static void
test_migrations_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mail-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "future.db", NULL);
  g_autofree char *pragma = NULL;
  MailStore *store;
  guint future = mail_store_get_known_schema_version () + 1;

  pragma = g_strdup_printf ("CREATE TABLE precious (x TEXT); "
                            "INSERT INTO precious VALUES ('keep me'); "
                            "PRAGMA user_version = %u;", future);
  sql_exec (path, pragma);

  store = mail_store_open_sync (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer"));

  /* Nothing was written: same version, same data, not even switched to WAL. */
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, (int) future);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM precious WHERE x = 'keep me'"), ==, 1);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_master WHERE name = 'messages'"),
                   ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT journal_mode = 'delete' FROM pragma_journal_mode"),
                   ==, 1);

  remove_db_files (path);
  g_rmdir (dir);
}

static void
test_open_bad_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mail-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "garbage.db", NULL);
  MailStore *store;

  g_assert_true (g_file_set_contents (path, "this is not a database, just some text\n"
                                      "...........................................\n", -1, NULL));
  store = mail_store_open_sync (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_FAILED);

  remove_db_files (path);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Folders and messages                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void
test_folders (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(MailFolder) again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  gint64 odd = add_folder (fixture->store, "../../etc/passwd");
  gint64 same = 0;

  g_assert_true (mail_store_ensure_folder_sync (fixture->store, "INBOX", NULL, &same, &error));
  g_assert_cmpint (same, ==, inbox);
  g_assert_cmpint (odd, !=, inbox);

  folder = mail_store_get_folder_sync (fixture->store, inbox, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (folder->delimiter, ==, "/");
  folder->special_use = g_strdup ("\\Inbox");
  folder->uidnext = 42;
  folder->highestmodseq = G_GUINT64_CONSTANT (9000000000);
  folder->subscribed = FALSE;
  g_assert_true (mail_store_update_folder_sync (fixture->store, folder, &error));
  g_assert_no_error (error);

  reopen (fixture);
  again = mail_store_lookup_folder_sync (fixture->store, "INBOX", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->special_use, ==, "\\Inbox");
  g_assert_cmpuint (again->uidnext, ==, 42);
  g_assert_cmpuint (again->highestmodseq, ==, G_GUINT64_CONSTANT (9000000000));
  g_assert_false (again->subscribed);

  folders = mail_store_list_folders_sync (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (folders->len, ==, 2);

  g_assert_null (mail_store_lookup_folder_sync (fixture->store, "Nope", &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mail_store_delete_folder_sync (fixture->store, odd, &error));
  g_assert_no_error (error);
  g_assert_false (mail_store_delete_folder_sync (fixture->store, odd, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
}

static void
test_messages (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MailMessageSummary) a = NULL;
  g_autoptr(MailMessageSummary) b = NULL;
  g_autoptr(MailMessageSummary) update = NULL;
  g_autoptr(MailMessageSummary) got = NULL;
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  guint32 uids[] = { 1, 77 };

  a = make_summary (1, 100, "Alice", "Hello", "<a@x>", NULL, 0);
  a->keywords = g_strdup ("$Important");
  a->body_structure = g_strdup ("(\"text\" \"plain\")");
  b = make_summary (2, 200, "Bob", "World", "<b@x>", NULL, MAIL_MESSAGE_FLAG_SEEN);
  b->date = 0; /* No Date header: the internal date sorts it. */
  insert (fixture->store, inbox, a);
  insert (fixture->store, inbox, b);
  g_assert_cmpint (b->date, ==, 205);

  got = mail_store_lookup_uid_sync (fixture->store, inbox, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->id, ==, a->id);
  g_assert_cmpstr (got->sender_name, ==, "Alice");
  g_assert_cmpstr (got->sender_address, ==, "Alice@example.com");
  g_assert_cmpstr (got->keywords, ==, "$Important");
  g_assert_cmpstr (got->message_id, ==, "<a@x>");
  g_assert_cmpstr (got->body_structure, ==, "(\"text\" \"plain\")");
  g_assert_cmpint (got->date, ==, 100);
  g_assert_cmpint (got->internal_date, ==, 105);
  g_assert_cmpint (got->size, ==, 1001);
  g_clear_pointer (&got, mail_message_summary_unref);

  /* Same UID again: an update of the flags, not a second row. */
  update = make_summary (1, 100, "Alice", "Hello", "<a@x>", NULL,
                         MAIL_MESSAGE_FLAG_SEEN | MAIL_MESSAGE_FLAG_ANSWERED);
  insert (fixture->store, inbox, update);
  g_assert_cmpint (update->id, ==, a->id);
  g_assert_cmpint (update->thread_id, ==, a->thread_id);

  folder = mail_store_get_folder_sync (fixture->store, inbox, &error);
  g_assert_cmpuint (folder->total_count, ==, 2);
  g_assert_cmpuint (folder->unread_count, ==, 0);
  g_clear_pointer (&folder, mail_folder_free);

  {
    g_autoptr(GArray) cached = mail_store_list_uids_sync (fixture->store, inbox, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cached->len, ==, 2);
    g_assert_cmpuint (g_array_index (cached, guint32, 0), ==, 1);
    g_assert_cmpuint (g_array_index (cached, guint32, 1), ==, 2);
  }

  g_assert_true (mail_store_delete_messages_sync (fixture->store, inbox, uids, 2, &error));
  g_assert_no_error (error);
  g_assert_null (mail_store_get_message_sync (fixture->store, a->id, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  folder = mail_store_get_folder_sync (fixture->store, inbox, &error);
  g_assert_cmpuint (folder->total_count, ==, 1);
  g_assert_cmpuint (folder->unread_count, ==, 0);
  {
    g_autoptr(GArray) cached = mail_store_list_uids_sync (fixture->store, inbox, &error);

    g_assert_cmpuint (cached->len, ==, 1);
    g_assert_cmpuint (g_array_index (cached, guint32, 0), ==, 2);
  }
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "hello"), ==, 0);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "world"), ==, 1);
  assert_fts_consistent (fixture->path);
}

static void
test_flags_and_counts (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(MailMessageSummary) got = NULL;
  g_autoptr(MailMessageSummary) m = NULL;
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");

  fill_folder (fixture->store, inbox, 30);
  folder = mail_store_get_folder_sync (fixture->store, inbox, &error);
  g_assert_cmpuint (folder->total_count, ==, 30);
  g_assert_cmpuint (folder->unread_count, ==, 20);
  g_clear_pointer (&folder, mail_folder_free);

  m = mail_store_lookup_uid_sync (fixture->store, inbox, 1, &error);
  g_assert_no_error (error);
  g_assert_true (mail_store_set_flags_sync (fixture->store, m->id,
                                            MAIL_MESSAGE_FLAG_SEEN | MAIL_MESSAGE_FLAG_FLAGGED,
                                            "$label1 $Junk", &error));
  g_assert_no_error (error);
  /* Setting the same seen state twice counts once. */
  g_assert_true (mail_store_set_flags_sync (fixture->store, m->id,
                                            MAIL_MESSAGE_FLAG_SEEN | MAIL_MESSAGE_FLAG_FLAGGED,
                                            "$label1 $Junk", &error));

  got = mail_store_get_message_sync (fixture->store, m->id, &error);
  g_assert_cmpuint (got->flags, ==, MAIL_MESSAGE_FLAG_SEEN | MAIL_MESSAGE_FLAG_FLAGGED);
  g_assert_cmpstr (got->keywords, ==, "$label1 $Junk");

  folder = mail_store_get_folder_sync (fixture->store, inbox, &error);
  g_assert_cmpuint (folder->unread_count, ==, 19);
  g_assert_cmpuint (query_count (fixture->store, inbox, MAIL_STORE_FILTER_UNREAD, NULL), ==, 19);
  g_assert_cmpuint (query_count (fixture->store, inbox, MAIL_STORE_FILTER_FLAGGED, NULL), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "is:flagged"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "is:unread"), ==, 19);

  g_assert_false (mail_store_set_flags_sync (fixture->store, 999999, 0, NULL, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* Threading                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static gint64
thread_of (MailStore *store,
           gint64     folder_id,
           guint32    uid)
{
  g_autoptr(MailMessageSummary) m = NULL;
  g_autoptr(GError) error = NULL;

  m = mail_store_lookup_uid_sync (store, folder_id, uid, &error);
  g_assert_no_error (error);

  return m->thread_id;
}

static void
test_threading (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) thread = NULL;
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  gint64 sent = add_folder (fixture->store, "Sent");
  g_autoptr(MailMessageSummary) root = make_summary (1, 10, "a", "Plans", "<root@x>", NULL, 0);
  g_autoptr(MailMessageSummary) reply = make_summary (2, 20, "b", "Re: Plans", "<r1@x>",
                                                      "<root@x>", 0);
  g_autoptr(MailMessageSummary) own = make_summary (1, 30, "me", "Re: Plans", "<r2@x>",
                                                    "<root@x> <r1@x>", 0);
  g_autoptr(MailMessageSummary) other = make_summary (3, 40, "c", "Plans", "<other@x>", NULL, 0);
  g_autoptr(MailMessageSummary) by_subject = make_summary (4, 50, "d", "RE: [list] Re: plans",
                                                           "<s@x>", NULL, 0);
  g_autoptr(MailMessageSummary) unrelated = make_summary (5, 60, "e", "Lunch", "<l@x>", NULL, 0);

  insert (fixture->store, inbox, root);
  insert (fixture->store, inbox, reply);
  insert (fixture->store, sent, own);
  g_assert_cmpint (reply->thread_id, ==, root->thread_id);
  g_assert_cmpint (own->thread_id, ==, root->thread_id);

  /* Same subject but no "Re:": a new conversation. */
  insert (fixture->store, inbox, other);
  g_assert_cmpint (other->thread_id, !=, root->thread_id);
  /* A reply by subject only joins the newest thread with that subject. */
  insert (fixture->store, inbox, by_subject);
  g_assert_cmpint (by_subject->thread_id, ==, other->thread_id);
  insert (fixture->store, inbox, unrelated);
  g_assert_cmpint (unrelated->thread_id, !=, root->thread_id);
  g_assert_cmpint (unrelated->thread_id, !=, other->thread_id);

  thread = mail_store_list_thread_sync (fixture->store, root->thread_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (thread->len, ==, 3);
  g_assert_cmpstr (((MailMessageSummary *) g_ptr_array_index (thread, 2))->message_id, ==,
                   "<r2@x>");
}

static void
test_threading_out_of_order (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mail_message_summary_unref);
  gint64 inbox = add_folder (fixture->store, "INBOX");
  gint64 t1;
  gint64 t2;

  /* Two grandchildren whose References lack the root, and which name different parents:
   * they start apart. */
  g_ptr_array_add (batch, make_summary (10, 30, "c", "Re: Trip", "<g1@x>", "<p1@x>", 0));
  g_ptr_array_add (batch, make_summary (11, 31, "d", "Re: Trip", "<g2@x>", "<p2@x>", 0));
  g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
  g_assert_no_error (error);
  t1 = thread_of (fixture->store, inbox, 10);
  t2 = thread_of (fixture->store, inbox, 11);
  g_assert_cmpint (t1, !=, t2);

  /* The first parent arrives: it joins g1's thread. */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_summary (3, 20, "b", "Re: Trip", "<p1@x>", "<root@x>", 0));
  g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
  g_assert_cmpint (thread_of (fixture->store, inbox, 3), ==, t1);
  g_assert_cmpint (thread_of (fixture->store, inbox, 11), ==, t2);

  /* The second parent names both the root and itself: the two threads merge. */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_summary (4, 21, "e", "Re: Trip", "<p2@x>", "<root@x>", 0));
  g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
  t1 = thread_of (fixture->store, inbox, 10);
  g_assert_cmpint (thread_of (fixture->store, inbox, 11), ==, t1);
  g_assert_cmpint (thread_of (fixture->store, inbox, 3), ==, t1);
  g_assert_cmpint (thread_of (fixture->store, inbox, 4), ==, t1);

  /* Finally the root, last of all. */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_summary (1, 10, "a", "Trip", "<root@x>", NULL, 0));
  g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
  g_assert_cmpint (thread_of (fixture->store, inbox, 1), ==, t1);

  /* A message naming itself in its own References, or with a junk References header. */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_summary (5, 22, "f", "Odd", "<self@x>", "<self@x> <", 0));
  g_ptr_array_add (batch, make_summary (6, 23, "g", "Odd", NULL, "no brackets <> <<<", 0));
  g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
  g_assert_no_error (error);
  g_assert_cmpint (thread_of (fixture->store, inbox, 5), !=, t1);
}

/* ------------------------------------------------------------------------------------------ */
/* Paging                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static int
compare_desc (gconstpointer a,
              gconstpointer b)
{
  const MailMessageSummary *x = *(MailMessageSummary * const *) a;
  const MailMessageSummary *y = *(MailMessageSummary * const *) b;

  if (x->date != y->date)
    return x->date < y->date ? 1 : -1;
  return x->id < y->id ? 1 : (x->id > y->id ? -1 : 0);
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  const guint n = 2500;
  g_autoptr(MailStoreQuery) desc = NULL;
  g_autoptr(MailStoreQuery) asc = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mail_message_summary_unref);
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  gint64 other = add_folder (fixture->store, "Other");
  guint count = 0;
  guint32 seed_offsets[] = { 0, 1, 511, 512, 513, 1023, 1024, 2000, 2449, 2450, 2499 };

  fill_folder (fixture->store, inbox, n);
  fill_folder (fixture->store, other, 100);

  for (guint uid = 1; uid <= n; uid++)
    {
      MailMessageSummary *m = mail_store_lookup_uid_sync (fixture->store, inbox, uid, &error);

      g_assert_no_error (error);
      g_ptr_array_add (expected, m);
    }
  g_ptr_array_sort (expected, compare_desc);

  desc = mail_store_query_new (fixture->store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, NULL);
  asc = mail_store_query_new (fixture->store, inbox, MAIL_STORE_SORT_DATE_ASC, 0, NULL);
  g_assert_cmpuint (mail_store_query_get_n_items (desc), ==, 0);
  g_assert_true (mail_store_query_count_sync (desc, &count, NULL, &error));
  g_assert_cmpuint (count, ==, n);
  g_assert_cmpuint (mail_store_query_get_n_items (desc), ==, n);

  /* Pages at chunk edges, in a scattered order, and every page of 50 in both orders. */
  for (guint i = 0; i < G_N_ELEMENTS (seed_offsets); i++)
    {
      guint offset = seed_offsets[G_N_ELEMENTS (seed_offsets) - 1 - i];
      g_autoptr(GPtrArray) rows = NULL;

      rows = mail_store_query_get_rows_sync (desc, offset, 60, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, MIN (60, n - offset));
      for (guint j = 0; j < rows->len; j++)
        g_assert_cmpint (((MailMessageSummary *) g_ptr_array_index (rows, j))->id, ==,
                         ((MailMessageSummary *) g_ptr_array_index (expected, offset + j))->id);
    }

  for (guint offset = 0; offset < n; offset += 50)
    {
      g_autoptr(GPtrArray) d = mail_store_query_get_rows_sync (desc, offset, 50, NULL, &error);
      g_autoptr(GPtrArray) a = mail_store_query_get_rows_sync (asc, offset, 50, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (d->len, ==, 50);
      g_assert_cmpuint (a->len, ==, 50);
      for (guint j = 0; j < 50; j++)
        {
          MailMessageSummary *dm = g_ptr_array_index (d, j);
          MailMessageSummary *am = g_ptr_array_index (a, j);

          g_assert_cmpint (dm->id, ==,
                           ((MailMessageSummary *) g_ptr_array_index (expected, offset + j))->id);
          g_assert_cmpint (am->id, ==,
                           ((MailMessageSummary *) g_ptr_array_index (expected,
                                                                      n - 1 - offset - j))->id);
          g_assert_cmpint (dm->folder_id, ==, inbox);
        }
    }

  /* A search matching everything pages the same, whichever plan serves it: before the first
   * count (reading the matches) and after it (walking the date index, the matches being
   * dense). */
  for (guint plan = 0; plan < 2; plan++)
    {
      g_autoptr(MailStoreQuery) search = NULL;

      search = mail_store_query_new (fixture->store, inbox, MAIL_STORE_SORT_DATE_DESC, 0,
                                     "message");
      if (plan == 1)
        {
          g_assert_true (mail_store_query_count_sync (search, &count, NULL, &error));
          g_assert_cmpuint (count, ==, n);
        }
      for (guint offset = 0; offset < n; offset += 97)
        {
          g_autoptr(GPtrArray) rows = NULL;

          rows = mail_store_query_get_rows_sync (search, offset, 30, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (rows->len, ==, MIN (30, n - offset));
          for (guint j = 0; j < rows->len; j++)
            g_assert_cmpint (((MailMessageSummary *) g_ptr_array_index (rows, j))->id, ==,
                             ((MailMessageSummary *) g_ptr_array_index (expected,
                                                                        offset + j))->id);
        }
    }

  /* Past the end. */
  {
    g_autoptr(GPtrArray) none = mail_store_query_get_rows_sync (desc, n, 50, NULL, &error);
    g_autoptr(GPtrArray) far = mail_store_query_get_rows_sync (desc, 10 * n, 50, NULL, &error);

    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpuint (far->len, ==, 0);
  }

  /* Unified: both folders. */
  g_assert_cmpuint (query_count (fixture->store, 0, 0, NULL), ==, n + 100);
  g_assert_cmpuint (query_count (fixture->store, 0, MAIL_STORE_FILTER_UNREAD, NULL), ==,
                    n - n / 3 + 100 - 100 / 3);
}

/* ------------------------------------------------------------------------------------------ */
/* Change notification                                                                        */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray      *model;   /* gint64 ids as the "UI" sees them */
  MailStoreQuery *query;
  guint           signals;
} ModelMirror;

static void
items_changed_cb (MailStoreQuery *query,
                  guint           position,
                  guint           removed,
                  guint           added,
                  ModelMirror    *mirror)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  mirror->signals++;
  g_assert_cmpuint (position + removed, <=, mirror->model->len);
  g_ptr_array_remove_range (mirror->model, position, removed);

  rows = mail_store_query_get_rows_sync (query, position, added, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, added);
  for (guint i = 0; i < rows->len; i++)
    {
      MailMessageSummary *m = g_ptr_array_index (rows, i);

      g_ptr_array_insert (mirror->model, (gint) (position + i), GSIZE_TO_POINTER (m->id));
    }
  g_assert_cmpuint (mirror->model->len, ==, mail_store_query_get_n_items (query));
}

static void
wait_for_signals (ModelMirror *mirror,
                  guint        expected)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (mirror->signals < expected && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* Let any further (unexpected) emission arrive too. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_usleep (20000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (mirror->signals, ==, expected);
}

static void
wait_for_length (ModelMirror *mirror,
                 guint        length)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (mirror->model->len != length && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (mirror->model->len, ==, length);
}

static void
assert_mirror (ModelMirror *mirror)
{
  g_autoptr(GPtrArray) rows = all_rows (mirror->query);

  g_assert_cmpuint (rows->len, ==, mirror->model->len);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (((MailMessageSummary *) g_ptr_array_index (rows, i))->id, ==,
                     GPOINTER_TO_SIZE (g_ptr_array_index (mirror->model, i)));
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MailStoreQuery) query = NULL;
  g_autoptr(MailStoreQuery) unread = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mail_message_summary_unref);
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  gint64 other = add_folder (fixture->store, "Other");
  ModelMirror mirror = { 0 };
  ModelMirror unread_mirror = { 0 };
  guint count;
  guint32 gone[] = { 5, 6, 300 };

  fill_folder (fixture->store, inbox, 700);

  query = mail_store_query_new (fixture->store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, NULL);
  unread = mail_store_query_new (fixture->store, inbox, MAIL_STORE_SORT_DATE_ASC,
                                 MAIL_STORE_FILTER_UNREAD, NULL);
  mirror.query = query;
  mirror.model = g_ptr_array_new ();
  unread_mirror.query = unread;
  unread_mirror.model = g_ptr_array_new ();
  g_signal_connect (query, "items-changed", G_CALLBACK (items_changed_cb), &mirror);
  g_signal_connect (unread, "items-changed", G_CALLBACK (items_changed_cb), &unread_mirror);

  g_assert_true (mail_store_query_count_sync (query, &count, NULL, &error));
  g_assert_true (mail_store_query_count_sync (unread, &count, NULL, &error));
  rows = all_rows (query);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (mirror.model,
                     GSIZE_TO_POINTER (((MailMessageSummary *) g_ptr_array_index (rows, i))->id));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = all_rows (unread);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (unread_mirror.model,
                     GSIZE_TO_POINTER (((MailMessageSummary *) g_ptr_array_index (rows, i))->id));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A batch of new mail, newest first and in the middle: one signal per query. */
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (batch, make_summary (1000 + i, i % 2 ? 5000000 + i : 1000100 + i, "new",
                                          "New", NULL, NULL, 0));
  g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
  g_assert_no_error (error);
  /* Other folders do not concern these queries. */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_summary (1, 9000000, "x", "Elsewhere", NULL, NULL, 0));
  g_assert_true (mail_store_insert_messages_sync (fixture->store, other, batch, &error));

  wait_for_signals (&mirror, 1);
  wait_for_signals (&unread_mirror, 1);
  assert_mirror (&mirror);
  assert_mirror (&unread_mirror);
  g_assert_cmpuint (mirror.model->len, ==, 720);

  /* Flags: reading a message takes it out of the unread list. */
  {
    g_autoptr(MailMessageSummary) m = mail_store_lookup_uid_sync (fixture->store, inbox, 10,
                                                                  &error);

    g_assert_true (mail_store_set_flags_sync (fixture->store, m->id, MAIL_MESSAGE_FLAG_SEEN,
                                              NULL, &error));
  }
  wait_for_signals (&mirror, 2);
  wait_for_signals (&unread_mirror, 2);
  assert_mirror (&mirror);
  assert_mirror (&unread_mirror);

  /* Deletions. */
  g_assert_true (mail_store_delete_messages_sync (fixture->store, inbox, gone, 3, &error));
  wait_for_signals (&mirror, 3);
  wait_for_signals (&unread_mirror, 3);
  assert_mirror (&mirror);
  assert_mirror (&unread_mirror);
  g_assert_cmpuint (mirror.model->len, ==, 717);
  g_assert_cmpuint (unread_mirror.model->len, ==, 485);

  /* Several commits before the main loop runs: still consistent. */
  for (guint i = 0; i < 5; i++)
    {
      g_ptr_array_set_size (batch, 0);
      g_ptr_array_add (batch, make_summary (2000 + i, 1000000 + i * 13, "late", "Late", NULL,
                                            NULL, 0));
      g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
    }
  wait_for_length (&mirror, 722);
  wait_for_length (&unread_mirror, 490);
  /* Fewer signals than commits: they were coalesced. */
  g_assert_cmpuint (mirror.signals, <, 3 + 5);
  assert_mirror (&mirror);
  assert_mirror (&unread_mirror);

  /* A UIDVALIDITY change empties the folder: a reset. */
  g_assert_true (mail_store_set_uidvalidity_sync (fixture->store, inbox, 1, NULL, &error));
  g_assert_true (mail_store_set_uidvalidity_sync (fixture->store, inbox, 2, NULL, &error));
  wait_for_length (&mirror, 0);
  wait_for_length (&unread_mirror, 0);
  assert_mirror (&mirror);
  g_assert_cmpuint (mail_store_query_get_n_items (query), ==, 0);

  /* A refresh still under way keeps the queries alive past this test. */
  g_signal_handlers_disconnect_by_data (query, &mirror);
  g_signal_handlers_disconnect_by_data (unread, &unread_mirror);
  g_ptr_array_unref (mirror.model);
  g_ptr_array_unref (unread_mirror.model);
}

typedef struct
{
  MailStore *store;
  gint64     folder_id;
  gboolean   done;
} Writer;

/* The sync engine's side: batches of new mail and flag changes from another thread. */
static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
        (GDestroyNotify) mail_message_summary_unref);
      g_autoptr(MailMessageSummary) m = NULL;

      for (guint i = 0; i < 25; i++)
        g_ptr_array_add (batch, make_summary (10000 + round * 25 + i,
                                              900000 + (gint64) ((round * 37 + i * 101) % 3000),
                                              "thread", "From a thread", NULL, NULL,
                                              i % 2 ? MAIL_MESSAGE_FLAG_SEEN : 0));
      g_assert_true (mail_store_insert_messages_sync (writer->store, writer->folder_id, batch,
                                                      &error));
      g_assert_no_error (error);

      m = mail_store_lookup_uid_sync (writer->store, writer->folder_id, round * 7 + 1, &error);
      g_assert_no_error (error);
      g_assert_true (mail_store_set_flags_sync (writer->store, m->id,
                                                m->flags ^ MAIL_MESSAGE_FLAG_SEEN, NULL,
                                                &error));
      g_usleep (2000);
    }

  g_atomic_int_set (&writer->done, TRUE);

  return NULL;
}

static void
test_changes_threaded (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MailStoreQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  ModelMirror mirror = { 0 };
  Writer writer = { 0 };
  GThread *thread;
  guint count = 0;
  gint64 deadline;

  writer.store = fixture->store;
  writer.folder_id = add_folder (fixture->store, "INBOX");
  fill_folder (fixture->store, writer.folder_id, 1000);

  query = mail_store_query_new (fixture->store, writer.folder_id, MAIL_STORE_SORT_DATE_DESC,
                                MAIL_STORE_FILTER_UNREAD, NULL);
  mirror.query = query;
  mirror.model = g_ptr_array_new ();
  g_signal_connect (query, "items-changed", G_CALLBACK (items_changed_cb), &mirror);
  g_assert_true (mail_store_query_count_sync (query, &count, NULL, &error));
  rows = all_rows (query);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (mirror.model,
                     GSIZE_TO_POINTER (((MailMessageSummary *) g_ptr_array_index (rows, i))->id));

  thread = g_thread_new ("writer", writer_thread, &writer);

  /* Meanwhile the "UI" keeps reading pages, in worker threads too, and opens and drops
   * short-lived searches. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!g_atomic_int_get (&writer.done) && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(MailStoreQuery) transient = NULL;
      guint n = 0;

      page = mail_store_query_get_rows_sync (query, mirror.model->len / 2, 50, NULL, &error);
      g_assert_no_error (error);
      mail_store_query_get_rows_async (query, 0, 20, NULL, NULL, NULL);

      transient = mail_store_query_new (fixture->store, 0, MAIL_STORE_SORT_DATE_ASC, 0,
                                        "thread");
      g_assert_true (mail_store_query_count_sync (transient, &n, NULL, &error));
      mail_store_query_get_rows_async (transient, n / 2, 20, NULL, NULL, NULL);
      g_main_context_iteration (NULL, FALSE);
    }
  g_thread_join (thread);
  g_assert_true (g_atomic_int_get (&writer.done));

  /* Let the last notifications arrive, then the mirror must be the truth. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      guint now = 0;

      g_main_context_iteration (NULL, FALSE);
      g_assert_true (mail_store_query_count_sync (query, &now, NULL, &error));
      if (now == mirror.model->len && now == mail_store_query_get_n_items (query))
        break;
      g_usleep (1000);
    }
  assert_mirror (&mirror);
  g_assert_cmpuint (mirror.signals, >, 0);
  g_assert_cmpuint (mirror.signals, <=, 40);

  g_signal_handlers_disconnect_by_data (query, &mirror);
  g_ptr_array_unref (mirror.model);
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void
test_search_parse (void)
{
  static const struct
  {
    const char      *text;
    const char      *expected;
    MailStoreFilter  filter;
  } cases[] = {
    { "hello", "\"hello\" *", 0 },
    { "hello world", "\"hello\" * AND \"world\" *", 0 },
    { "\"exact phrase\"", "\"exact phrase\"", 0 },
    { "from:alice", "sender : \"alice\" *", 0 },
    { "FROM:\"Alice Smith\" to:bob", "sender : \"Alice Smith\" AND recipients : \"bob\" *", 0 },
    { "subject:report is:unread", "subject : \"report\" *", MAIL_STORE_FILTER_UNREAD },
    { "is:flagged has:attachment", NULL,
      MAIL_STORE_FILTER_FLAGGED | MAIL_STORE_FILTER_HAS_ATTACHMENT },
    { "is:weird", "\"is:weird\" *", 0 },
    { "a\"b", "\"a\"\"b\" *", 0 },
    { "NEAR(a b)", "\"NEAR(a\" * AND \"b)\" *", 0 },
    { "* - ( ) \"\" :", NULL, 0 },
    { "from:", "\"from:\" *", 0 },
    { "", NULL, 0 },
    { "   ", NULL, 0 },
    { "\"unterminated phrase", "\"unterminated phrase\"", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expr = NULL;
      MailStoreFilter filter = 42;

      expr = mail_store_search_parse (cases[i].text, &filter);
      g_assert_cmpstr (expr, ==, cases[i].expected);
      g_assert_cmpint (filter, ==, cases[i].filter);
    }
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const hostile[] = {
    "\"", "\"\"", "\"\"\"", "'", "*", "**", "a*", "*a", "-", "-a", "a-b", "NEAR", "NEAR(",
    "NEAR(a b, 3)", "a NEAR b", "AND", "OR", "NOT", "a OR b", "a NOT", "(", ")", "((a)",
    "a)", "^", "^a", "a:b", "col:x", "subject:", "subject:\"", "from:\"\"", "{subject}:x",
    "sender:x", "rowid:1", "messages_fts:x", "\\", "%", "_", ";", "'; DROP TABLE messages; --",
    "\" OR 1=1 --", "Ünïcödé", "日本語", "😀", "qe\xcc\x81", "\xff\xfe bad utf8",
    "a\tb\nc", "x:\"y\" z:", "+", "a+b", ".", "..", "@", "@exampel", "from:@", "to:*",
    "\"a\" \"b\" \"", "is:", "has:", "is:unread*", "zzzzzzzz*",
  };
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mail_message_summary_unref);
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  MailMessageSummary *m;

  m = make_summary (1, 10, "Alice Smith", "Quarterly report draft", NULL, NULL, 0);
  g_ptr_array_add (batch, m);
  m = make_summary (2, 20, "Bob", "Re: Quarterly report draft", NULL, NULL,
                    MAIL_MESSAGE_FLAG_SEEN);
  m->has_attachment = TRUE;
  g_ptr_array_add (batch, m);
  m = make_summary (3, 30, "Carol", "Lunch on Friday?", NULL, NULL, MAIL_MESSAGE_FLAG_FLAGGED);
  g_free (m->recipients);
  m->recipients = g_strdup ("Alice Smith <alice@example.com>");
  g_ptr_array_add (batch, m);
  m = make_summary (4, 40, "Dörte Müller", "Ärger mit dem Café", NULL, NULL, 0);
  g_ptr_array_add (batch, m);
  g_assert_true (mail_store_insert_messages_sync (fixture->store, inbox, batch, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "report"), ==, 2);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "rep"), ==, 2);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "QUARTERLY Report"), ==, 2);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "\"report draft\""), ==, 2);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "\"draft report\""), ==, 0);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "from:alice"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "alice"), ==, 2);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "to:alice"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "from:bob@example.com"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "subject:lunch"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "subject:carol"), ==, 0);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "report is:unread"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "report has:attachment"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "is:flagged"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "cafe"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "ärger"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "from:müller"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "report NEAR draft"), ==, 0);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "report OR lunch"), ==, 0);

  /* Hostile input never gives an FTS5 syntax error and never matches everything. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(MailStoreQuery) query = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      guint count = 0;

      query = mail_store_query_new (fixture->store, inbox, MAIL_STORE_SORT_DATE_DESC, 0,
                                    hostile[i]);
      if (!mail_store_query_count_sync (query, &count, NULL, &error))
        g_error ("search %s (%s) failed: %s", hostile[i], mail_store_query_get_match (query),
                 error->message);
      rows = mail_store_query_get_rows_sync (query, 0, 10, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, count);
      if (mail_store_query_get_match (query) != NULL && count >= 4)
        g_error ("search %s (%s) matched everything", hostile[i],
                 mail_store_query_get_match (query));
    }
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, NULL), ==, 4);
}

static void
test_html_text (void)
{
  static const struct
  {
    const char *html;
    const char *text;
  } cases[] = {
    { "<p>Hello <b>world</b></p>", "\nHello world\n" },
    { "a &amp; b &lt;c&gt; &quot;d&quot; &#65;&#x42; &nbsp;e", "a & b <c> \"d\" AB  e" },
    { "<script>alert('x')</script>after", "after" },
    { "<STYLE type=\"text/css\">p { color: red }</style>shown", "shown" },
    { "<scriptx>kept</scriptx>", "kept" },
    { "<!-- hidden -->visible", "visible" },
    { "<a href=\"x>y\">link</a>", "link" },
    { "<script>never closed", "" },
    { "&#0; &#xD800; &#99999999; &bogus; &", "      &bogus; &" },
    { "1 < 2 and 3 > 2", "1 < 2 and 3 > 2" },
    { "<head><title>T</title></head><body>B</body>", "B" },
    { "x<br>y", "x\ny" },
    { "<", "<" },
    { "<unterminated", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = mail_store_text_from_html (cases[i].html, -1);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Bodies                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static const char multipart_message[] =
  "From: Alice <alice@example.com>\r\n"
  "To: Bob <bob@example.com>\r\n"
  "Subject: Photos\r\n"
  "Message-ID: <photos@example.com>\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
  "\r\n"
  "--b1\r\n"
  "Content-Type: multipart/alternative; boundary=\"b2\"\r\n"
  "\r\n"
  "--b2\r\n"
  "Content-Type: text/plain; charset=utf-8\r\n"
  "\r\n"
  "> quoted line\r\n"
  "Here are the holiday pictures from Zermatt.\r\n"
  "--b2\r\n"
  "Content-Type: text/html; charset=utf-8\r\n"
  "\r\n"
  "<html><head><style>.x{}</style><script>var secretscript = 1;</script></head>"
  "<body><p>Pictures from <b>Zermatt</b> &amp; Täsch</p></body></html>\r\n"
  "--b2--\r\n"
  "--b1\r\n"
  "Content-Type: image/jpeg\r\n"
  "Content-Disposition: attachment; filename=\"matterhorn.jpg\"\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  "/9j/4AAQSkZJRgABAQ==\r\n"
  "--b1--\r\n";

static void
test_body_roundtrip (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MailMessageSummary) m = make_summary (1, 10, "Alice", "Photos", NULL, NULL, 0);
  g_autoptr(MailMessageSummary) got = NULL;
  g_autoptr(GBytes) raw = g_bytes_new_static (multipart_message, sizeof multipart_message - 1);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  guint8 bytes[256];

  insert (fixture->store, inbox, m);

  g_assert_null (mail_store_get_body_sync (fixture->store, m->id, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mail_store_set_body_sync (fixture->store, m->id, raw, &error));
  g_assert_no_error (error);
  reopen (fixture);
  back = mail_store_get_body_sync (fixture->store, m->id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (raw, back));

  got = mail_store_get_message_sync (fixture->store, m->id, &error);
  g_assert_true (got->has_attachment);
  g_assert_nonnull (got->preview);
  g_assert_true (g_str_has_prefix (got->preview, "Here are the holiday pictures from Zermatt."));

  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "zermatt"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "täsch"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "secretscript"), ==, 0);
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "has:attachment"), ==, 1);

  /* Replacing a body replaces its index entry. Arbitrary bytes are kept exactly. */
  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) i;
  binary = g_bytes_new (bytes, sizeof bytes);
  g_assert_true (mail_store_set_body_sync (fixture->store, m->id, binary, &error));
  g_assert_no_error (error);
  g_clear_pointer (&back, g_bytes_unref);
  back = mail_store_get_body_sync (fixture->store, m->id, &error);
  g_assert_true (g_bytes_equal (binary, back));
  g_assert_cmpuint (query_count (fixture->store, inbox, 0, "zermatt"), ==, 0);
  assert_fts_consistent (fixture->path);

  g_assert_false (mail_store_set_body_sync (fixture->store, 4242, raw, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
}

static char *
crash_db_path (int pid)
{
  g_autofree char *name = g_strdup_printf ("mail-store-crash-%d.db", pid);

  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

static void
test_body_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(MailStore) store = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autoptr(MailMessageSummary) m = NULL;
  g_autoptr(MailMessageSummary) n = NULL;
  gint64 inbox;
  char *sql;

  if (g_test_subprocess ())
    {
      /* The child writes a large body (bigger than the page cache, so pages reach the WAL)
       * without committing, and dies. */
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;
      gsize size = 24 * 1024 * 1024;
      g_autofree guint8 *big = g_malloc (size);

      path = crash_db_path (getppid ());
      memset (big, 'x', size);
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      sqlite3_exec (db, "PRAGMA cache_size = -1024", NULL, NULL, NULL);
      g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO bodies (message_id, size, sha256, "
                                           "data) VALUES (2, ?, 'partial', ?)", -1, &stmt, NULL),
                       ==, SQLITE_OK);
      sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) size);
      sqlite3_bind_blob (stmt, 2, big, (int) size, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      raise (SIGKILL);
      return;
    }

  path = crash_db_path (getpid ());
  remove_db_files (path);
  store = mail_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  inbox = add_folder (store, "INBOX");
  m = make_summary (1, 10, "a", "Committed", NULL, NULL, 0);
  n = make_summary (2, 20, "b", "Interrupted", NULL, NULL, 0);
  insert (store, inbox, m);
  insert (store, inbox, n);
  good = g_bytes_new_static (multipart_message, sizeof multipart_message - 1);
  g_assert_true (mail_store_set_body_sync (store, m->id, good, &error));
  g_assert_cmpint (n->id, ==, 2);
  g_clear_object (&store);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  store = mail_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  body = mail_store_get_body_sync (store, n->id, &error);
  g_assert_null (body);
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  body = mail_store_get_body_sync (store, m->id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, good));
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_object (&store);

  /* Bytes damaged on disk (here: truncated behind the store's back) are never returned. */
  sql = g_strdup_printf ("UPDATE bodies SET data = substr (data, 1, 100) WHERE message_id = %"
                         G_GINT64_FORMAT, m->id);
  sql_exec (path, sql);
  g_free (sql);
  store = mail_store_open_sync (path, NULL, &error);
  body = mail_store_get_body_sync (store, m->id, &error);
  g_assert_null (body);
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Same size, one byte flipped. */
  g_clear_object (&store);
  sql_exec (path, "UPDATE bodies SET data = zeroblob (size), size = size");
  store = mail_store_open_sync (path, NULL, &error);
  g_assert_null (mail_store_get_body_sync (store, m->id, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_CORRUPT);

  g_clear_object (&store);
  remove_db_files (path);
}

/* ------------------------------------------------------------------------------------------ */
/* Operation queue                                                                            */
/* ------------------------------------------------------------------------------------------ */

static void
test_ops (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  gint64 ids[3] = { 0 };
  MailStoreOp *op;
  guint32 uid = 0;
  const char *dest = NULL;

  g_assert_true (mail_store_enqueue_op_sync (fixture->store, MAIL_STORE_OP_SET_FLAGS, inbox,
                                             g_variant_new ("(auuu)", NULL, 1, 0), &ids[0],
                                             &error));
  g_assert_no_error (error);
  g_assert_true (mail_store_enqueue_op_sync (fixture->store, MAIL_STORE_OP_MOVE, inbox,
                                             g_variant_new ("(us)", 7, "Archive/2026"), &ids[1],
                                             &error));
  g_assert_true (mail_store_enqueue_op_sync (fixture->store, MAIL_STORE_OP_APPEND, 0,
                                             g_variant_new_from_data (G_VARIANT_TYPE ("ay"),
                                                                      "raw\0bytes", 9, TRUE,
                                                                      NULL, NULL),
                                             &ids[2], &error));
  g_assert_cmpint (ids[0], <, ids[1]);
  g_assert_cmpint (ids[1], <, ids[2]);

  g_assert_true (mail_store_begin_op_sync (fixture->store, ids[0], &error));
  g_assert_true (mail_store_begin_op_sync (fixture->store, ids[1], &error));
  g_assert_true (mail_store_fail_op_sync (fixture->store, ids[1], "Server said NO", FALSE,
                                          &error));
  g_assert_true (mail_store_begin_op_sync (fixture->store, ids[1], &error));
  g_assert_no_error (error);

  /* "Crash" while both are running: they come back pending, attempts kept. */
  reopen (fixture);
  ops = mail_store_list_ops_sync (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 3);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpint (op->id, ==, ids[0]);
  g_assert_cmpint (op->kind, ==, MAIL_STORE_OP_SET_FLAGS);
  g_assert_cmpint (op->state, ==, MAIL_STORE_OP_STATE_PENDING);
  g_assert_cmpuint (op->attempts, ==, 1);
  g_assert_cmpint (op->folder_id, ==, inbox);
  g_assert_cmpstr (g_variant_get_type_string (op->args), ==, "(auuu)");
  op = g_ptr_array_index (ops, 1);
  g_assert_cmpint (op->state, ==, MAIL_STORE_OP_STATE_PENDING);
  g_assert_cmpuint (op->attempts, ==, 2);
  g_assert_cmpstr (op->last_error, ==, "Server said NO");
  g_variant_get (op->args, "(u&s)", &uid, &dest);
  g_assert_cmpuint (uid, ==, 7);
  g_assert_cmpstr (dest, ==, "Archive/2026");
  op = g_ptr_array_index (ops, 2);
  g_assert_cmpuint (g_variant_get_size (op->args), ==, 9);
  g_assert_cmpint (memcmp (g_variant_get_data (op->args), "raw\0bytes", 9), ==, 0);
  g_clear_pointer (&ops, g_ptr_array_unref);

  g_assert_true (mail_store_complete_op_sync (fixture->store, ids[0], &error));
  g_assert_true (mail_store_fail_op_sync (fixture->store, ids[1], "Gone", TRUE, &error));
  g_assert_false (mail_store_complete_op_sync (fixture->store, ids[0], &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  reopen (fixture);
  ops = mail_store_list_ops_sync (fixture->store, &error);
  g_assert_cmpuint (ops->len, ==, 2);
  g_assert_cmpint (((MailStoreOp *) g_ptr_array_index (ops, 0))->state, ==,
                   MAIL_STORE_OP_STATE_FAILED);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Damaged arguments on disk are an error, not a crash. */
  g_clear_object (&fixture->store);
  sql_exec (fixture->path, "UPDATE ops SET args_type = 'not a type((' WHERE kind = 4");
  reopen (fixture);
  g_assert_null (mail_store_list_ops_sync (fixture->store, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_clear_object (&fixture->store);
  sql_exec (fixture->path, "UPDATE ops SET args_type = 's', args = x'41424344' WHERE kind = 4");
  reopen (fixture);
  g_assert_null (mail_store_list_ops_sync (fixture->store, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_CORRUPT);
}

/* ------------------------------------------------------------------------------------------ */
/* UIDVALIDITY                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void
test_uidvalidity (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) raw = g_bytes_new_static (multipart_message, sizeof multipart_message - 1);
  g_autoptr(MailMessageSummary) a = make_summary (1, 10, "a", "Zermatt one", NULL, NULL, 0);
  g_autoptr(MailMessageSummary) b = make_summary (1, 10, "b", "Zermatt two", NULL, NULL, 0);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 inbox = add_folder (fixture->store, "INBOX");
  gint64 other = add_folder (fixture->store, "Other");
  gboolean wiped = TRUE;

  g_assert_true (mail_store_set_uidvalidity_sync (fixture->store, inbox, 100, &wiped, &error));
  g_assert_false (wiped);
  g_assert_true (mail_store_set_uidvalidity_sync (fixture->store, other, 100, &wiped, &error));
  insert (fixture->store, inbox, a);
  insert (fixture->store, other, b);
  g_assert_true (mail_store_set_body_sync (fixture->store, a->id, raw, &error));
  g_assert_true (mail_store_set_body_sync (fixture->store, b->id, raw, &error));
  g_assert_no_error (error);
  folder = mail_store_get_folder_sync (fixture->store, inbox, &error);
  folder->uidnext = 2;
  folder->highestmodseq = 77;
  g_assert_true (mail_store_update_folder_sync (fixture->store, folder, &error));
  g_clear_pointer (&folder, mail_folder_free);

  /* The same value again changes nothing. */
  g_assert_true (mail_store_set_uidvalidity_sync (fixture->store, inbox, 100, &wiped, &error));
  g_assert_false (wiped);
  g_assert_cmpuint (query_count (fixture->store, 0, 0, "zermatt"), ==, 2);

  g_assert_true (mail_store_set_uidvalidity_sync (fixture->store, inbox, 200, &wiped, &error));
  g_assert_no_error (error);
  g_assert_true (wiped);

  folder = mail_store_get_folder_sync (fixture->store, inbox, &error);
  g_assert_cmpuint (folder->uidvalidity, ==, 200);
  g_assert_cmpuint (folder->uidnext, ==, 0);
  g_assert_cmpuint (folder->highestmodseq, ==, 0);
  g_assert_cmpuint (folder->total_count, ==, 0);
  g_assert_cmpuint (folder->unread_count, ==, 0);
  g_clear_pointer (&folder, mail_folder_free);

  g_assert_null (mail_store_get_message_sync (fixture->store, a->id, &error));
  g_clear_error (&error);
  g_assert_null (mail_store_get_body_sync (fixture->store, a->id, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The other folder keeps everything. */
  body = mail_store_get_body_sync (fixture->store, b->id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, raw));
  folder = mail_store_get_folder_sync (fixture->store, other, &error);
  g_assert_cmpuint (folder->total_count, ==, 1);
  g_assert_cmpuint (query_count (fixture->store, 0, 0, "zermatt"), ==, 1);
  g_assert_cmpuint (query_count (fixture->store, 0, 0, "one"), ==, 0);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM bodies"), ==, 1);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM message_text"), ==, 1);
  assert_fts_consistent (fixture->path);
}

/* ------------------------------------------------------------------------------------------ */
/* Async                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);

  return *slot;
}

static void
test_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mail-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "async.db", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autoptr(MailStore) store = NULL;
  g_autoptr(MailStoreQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GBytes) raw = g_bytes_new_static (multipart_message, sizeof multipart_message - 1);
  g_autoptr(GBytes) body = NULL;
  GAsyncResult *result = NULL;
  gint64 inbox;
  guint count = 0;

  mail_store_open_async (path, NULL, async_cb, &result);
  store = mail_store_open_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  inbox = add_folder (store, "INBOX");
  fill_folder (store, inbox, 120);

  mail_store_list_folders_async (store, NULL, async_cb, &result);
  folders = mail_store_list_folders_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (folders->len, ==, 1);
  g_assert_cmpuint (((MailFolder *) g_ptr_array_index (folders, 0))->total_count, ==, 120);
  g_clear_object (&result);

  query = mail_store_query_new (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "message");
  mail_store_query_count_async (query, NULL, async_cb, &result);
  g_assert_true (mail_store_query_count_finish (query, wait_result (&result), &count, &error));
  g_assert_cmpuint (count, ==, 120);
  g_clear_object (&result);

  mail_store_query_get_rows_async (query, 100, 50, NULL, async_cb, &result);
  rows = mail_store_query_get_rows_finish (query, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 20);
  g_clear_object (&result);

  g_assert_true (mail_store_set_body_sync (store, ((MailMessageSummary *) rows->pdata[0])->id,
                                           raw, &error));
  mail_store_get_body_async (store, ((MailMessageSummary *) rows->pdata[0])->id, NULL,
                             async_cb, &result);
  body = mail_store_get_body_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, raw));
  g_clear_object (&result);

  /* Let the change notification of the body write finish before tearing down. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&query);
  g_clear_object (&store);
  remove_db_files (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/engine/store/migrations/empty", test_migrations_empty);
  ADD ("/engine/store/migrations/reopen", test_migrations_reopen);
  g_test_add_func ("/engine/store/migrations/too-new", test_migrations_too_new);
  g_test_add_func ("/engine/store/open/not-a-database", test_open_bad_file);
  ADD ("/engine/store/folders", test_folders);
  ADD ("/engine/store/messages/insert-update-delete", test_messages);
  ADD ("/engine/store/messages/flags-counts", test_flags_and_counts);
  ADD ("/engine/store/threading/references", test_threading);
  ADD ("/engine/store/threading/out-of-order", test_threading_out_of_order);
  ADD ("/engine/store/query/paging", test_paging);
  ADD ("/engine/store/query/changes", test_changes);
  ADD ("/engine/store/query/changes-threaded", test_changes_threaded);
  g_test_add_func ("/engine/store/search/parse", test_search_parse);
  ADD ("/engine/store/search/operators-hostile", test_search);
  g_test_add_func ("/engine/store/text/html", test_html_text);
  ADD ("/engine/store/body/roundtrip", test_body_roundtrip);
  g_test_add_func ("/engine/store/body/crash", test_body_crash);
  ADD ("/engine/store/ops/persist", test_ops);
  ADD ("/engine/store/uidvalidity", test_uidvalidity);
  g_test_add_func ("/engine/store/async", test_async);

  return g_test_run ();
}
