/* bench-store.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Benchmark of the local store (not a test): inserts N synthetic but realistic messages with
 * bodies in batches of 500, as the sync engine will, then times what the message list and the
 * search box do. Also compares the two ways of keeping bodies: rows in SQLite, or
 * content-addressed files written with fsync + rename.
 *
 *   bench-store [-n 100000] [--dir DIR] [--keep] [--compare-n N]
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail-engine.h"
#include "mail-store.h"
#include "mail-store-query.h"

#define BATCH 500

static const char * const first_names[] = {
  "Alice", "Bob", "Carol", "David", "Erika", "Farid", "Greta", "Hiro", "Ines", "Jonas",
  "Kavya", "Lars", "Mei", "Nils", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tariq",
};
static const char * const last_names[] = {
  "Example", "Schmidt", "Okafor", "Tanaka", "Garcia", "Novak", "Rossi", "Dubois",
  "Kowalski", "Lindqvist", "Haddad", "Moreau", "Silva", "Yilmaz", "Nguyen", "Brown",
  "Meyer", "Ivanova", "Santos", "Larsen",
};
static const char * const real_words[] = {
  "project", "meeting", "budget", "deadline", "release", "review", "schedule", "customer",
  "server", "update", "question", "holiday", "contract", "invoice", "report", "quarterly",
};

static char **vocabulary;
static guint n_vocabulary = 5000;

static void
build_vocabulary (void)
{
  static const char * const syllables[] = {
    "ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "va", "ze", "bor", "den", "fil", "gan",
    "hes", "jor", "kel", "lum", "mar", "nos", "pri", "qua", "ris", "sto", "tur", "ung",
    "vel", "wex", "yor", "zim",
  };
  guint n = G_N_ELEMENTS (syllables);

  vocabulary = g_new0 (char *, n_vocabulary + 1);
  for (guint i = 0; i < n_vocabulary; i++)
    {
      GString *word = g_string_new (NULL);
      guint v = i + n;

      while (v > 0)
        {
          g_string_append (word, syllables[v % n]);
          v /= n;
        }
      vocabulary[i] = g_string_free (word, FALSE);
    }
}

/* Roughly Zipf-distributed: a few words are very common, most are rare. */
static const char *
pick_word (GRand *rand)
{
  if (g_rand_int_range (rand, 0, 200) == 0)
    return real_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (real_words))];

  return vocabulary[(guint) (exp (g_rand_double (rand) * log (n_vocabulary))) - 1];
}

static void
append_words (GString *out,
              GRand   *rand,
              guint    n_words)
{
  for (guint i = 0; i < n_words; i++)
    {
      g_string_append (out, pick_word (rand));
      g_string_append_c (out, (i + 1) % 12 == 0 ? '\n' : ' ');
    }
}

typedef struct
{
  MailMessageSummary *summary;
  GBytes             *body;
} Generated;

/* Message i is the same every time it is generated. */
static Generated
generate (guint  i,
          gint64 base_date,
          guint  n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (i * 2654435761u + 17);
  g_autoptr(GString) subject = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autofree char *address = NULL;
  MailMessageSummary *m = mail_message_summary_new ();
  guint sender = (guint) g_rand_int_range (rand, 0, 400);
  const char *first = first_names[sender % G_N_ELEMENTS (first_names)];
  const char *last = last_names[sender / G_N_ELEMENTS (first_names)];
  gboolean html = g_rand_int_range (rand, 0, 5) == 0;
  gboolean attachment = g_rand_int_range (rand, 0, 10) == 0;
  Generated result;

  if (g_rand_int_range (rand, 0, 10) < 3)
    g_string_append (subject, "Re: ");
  if (g_rand_int_range (rand, 0, 100) == 0)
    g_string_append (subject, "Quarterly report ");
  if (g_rand_int_range (rand, 0, 50) == 0)
    g_string_append (subject, "Invoice ");
  append_words (subject, rand, (guint) g_rand_int_range (rand, 3, 8));
  g_strchomp (subject->str);
  subject->len = strlen (subject->str);

  m->uid = i + 1;
  m->date = base_date + (gint64) i * (5 * 365 * 24 * 3600 / MAX (n, 1)) +
            g_rand_int_range (rand, 0, 3600);
  m->internal_date = m->date + g_rand_int_range (rand, 1, 120);
  m->flags = (g_rand_int_range (rand, 0, 10) < 8 ? MAIL_MESSAGE_FLAG_SEEN : 0) |
             (g_rand_int_range (rand, 0, 33) == 0 ? MAIL_MESSAGE_FLAG_FLAGGED : 0);
  m->sender_name = g_strdup_printf ("%s %s", first, last);
  address = g_strdup_printf ("%s.%s@%s.example", first, last, sender % 3 ? "mail" : "corp");
  m->sender_address = g_ascii_strdown (address, -1);
  m->recipients = g_strdup ("Bench User <bench@example.net>, team@example.net");
  m->subject = g_strdup (subject->str);
  m->message_id = g_strdup_printf ("<bench.%u@example.net>", i);
  if (i > 10 && g_rand_int_range (rand, 0, 10) < 3)
    {
      guint parent = i - (guint) g_rand_int_range (rand, 1, MIN (i, 200));

      m->in_reply_to = g_strdup_printf ("<bench.%u@example.net>", parent);
      m->references = g_strdup (m->in_reply_to);
    }

  /* ~1–6 KB of text. */
  append_words (text, rand, (guint) g_rand_int_range (rand, 150, 900));
  if (g_rand_int_range (rand, 0, 100) == 0)
    g_string_append (text, "\nSee the quarterly report attached.\n");

  g_string_append_printf (raw,
                          "From: %s <%s>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\n"
                          "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\nMIME-Version: 1.0\r\n",
                          m->sender_name, m->sender_address, m->recipients, m->subject,
                          m->message_id);
  if (!html && !attachment)
    {
      g_string_append_printf (raw, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
                              text->str);
    }
  else
    {
      g_string_append (raw, "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n");
      g_string_append_printf (raw, "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
                              text->str);
      if (html)
        g_string_append_printf (raw,
                                "--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                                "<html><head><style>p{margin:0}</style></head><body><p>%s</p>"
                                "</body></html>\r\n",
                                text->str);
      if (attachment)
        {
          g_string_append (raw, "--XX\r\nContent-Type: application/octet-stream\r\n"
                                "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                                "Content-Transfer-Encoding: base64\r\n\r\n");
          for (guint line = 0; line < 40; line++)
            {
              for (guint c = 0; c < 76; c++)
                g_string_append_c (raw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"[g_rand_int_range (rand,
                                                                                           0, 32)]);
              g_string_append (raw, "\r\n");
            }
        }
      g_string_append (raw, "--XX--\r\n");
    }

  m->size = (gint64) raw->len;
  result.summary = m;
  result.body = g_string_free_to_bytes (g_steal_pointer (&raw));

  return result;
}

static double
now_ms (void)
{
  return (double) g_get_monotonic_time () / 1000.0;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

/* Time of count + first page of 50 for a fresh query: first run and median of 5. */
static void
time_query (MailStore       *store,
            gint64           folder_id,
            MailStoreSort    sort,
            MailStoreFilter  filter,
            const char      *search,
            const char      *label)
{
  double times[5];
  guint count = 0;
  guint rows = 0;

  for (guint run = 0; run < G_N_ELEMENTS (times); run++)
    {
      g_autoptr(MailStoreQuery) query = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      double t0 = now_ms ();

      query = mail_store_query_new (store, folder_id, sort, filter, search);
      if (!mail_store_query_count_sync (query, &count, NULL, &error))
        g_error ("%s: %s", label, error->message);
      page = mail_store_query_get_rows_sync (query, 0, 50, NULL, &error);
      if (page == NULL)
        g_error ("%s: %s", label, error->message);
      times[run] = now_ms () - t0;
      rows = page->len;
    }

  printf ("  %-44s %7u hits  first %7.2f ms  median %7.2f ms  (page %u rows)\n", label, count,
          times[0], (qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_double),
                     times[2]),
          rows);
}

/* Bodies as content-addressed files: bucket/sha256, written to a temporary file, fsync()ed,
 * renamed; each bucket directory touched by a batch is fsync()ed at the end of the batch. */
static double
bench_files (const char *dir,
             guint       n,
             gint64      base_date)
{
  g_autofree char *root = g_build_filename (dir, "bodies", NULL);
  double total = 0;

  g_mkdir_with_parents (root, 0700);
  for (guint start = 0; start < n; start += BATCH)
    {
      g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      gboolean touched[256] = { FALSE };
      double t0;

      for (guint i = start; i < MIN (n, start + BATCH); i++)
        {
          Generated g = generate (i, base_date, n);

          mail_message_summary_unref (g.summary);
          g_ptr_array_add (bodies, g.body);
        }

      t0 = now_ms ();
      for (guint i = 0; i < bodies->len; i++)
        {
          GBytes *body = g_ptr_array_index (bodies, i);
          g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
          g_autofree char *bucket_name = g_strndup (sha, 2);
          g_autofree char *bucket = g_build_filename (root, bucket_name, NULL);
          g_autofree char *path = g_build_filename (bucket, sha, NULL);
          g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
          gsize size;
          const char *data = g_bytes_get_data (body, &size);
          int fd;

          g_mkdir (bucket, 0700);
          fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
          if (fd < 0 || write (fd, data, size) != (ssize_t) size || fsync (fd) != 0)
            g_error ("writing %s: %s", tmp, g_strerror (errno));
          close (fd);
          if (g_rename (tmp, path) != 0)
            g_error ("renaming %s: %s", tmp, g_strerror (errno));
          touched[g_ascii_xdigit_value (sha[0]) * 16 + g_ascii_xdigit_value (sha[1])] = TRUE;
        }
      for (guint b = 0; b < 256; b++)
        {
          g_autofree char *bucket_name = g_strdup_printf ("%02x", b);
          g_autofree char *bucket = g_build_filename (root, bucket_name, NULL);
          int fd;

          if (!touched[b])
            continue;
          fd = g_open (bucket, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
          if (fd >= 0)
            {
              fsync (fd);
              close (fd);
            }
        }
      total += now_ms () - t0;
    }

  return total;
}

/* Bodies as rows of a SQLite table in WAL mode, one transaction per batch. */
static double
bench_sqlite_bodies (const char *dir,
                     guint       n,
                     gint64      base_date,
                     gboolean    full_sync)
{
  g_autofree char *path = g_build_filename (dir, full_sync ? "bodies-full.db" : "bodies.db",
                                            NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double total = 0;
  double t0;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, full_sync ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL"
                              : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                NULL, NULL, NULL);
  sqlite3_exec (db, "CREATE TABLE bodies (id INTEGER PRIMARY KEY, size INTEGER, sha256 TEXT, "
                "data BLOB)", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO bodies (id, size, sha256, data) VALUES (?, ?, ?, ?)",
                      -1, &stmt, NULL);

  for (guint start = 0; start < n; start += BATCH)
    {
      g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

      for (guint i = start; i < MIN (n, start + BATCH); i++)
        {
          Generated g = generate (i, base_date, n);

          mail_message_summary_unref (g.summary);
          g_ptr_array_add (bodies, g.body);
        }

      t0 = now_ms ();
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      for (guint i = 0; i < bodies->len; i++)
        {
          GBytes *body = g_ptr_array_index (bodies, i);
          g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
          gsize size;
          const void *data = g_bytes_get_data (body, &size);

          sqlite3_bind_int64 (stmt, 1, start + i + 1);
          sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) size);
          sqlite3_bind_text (stmt, 3, sha, -1, SQLITE_TRANSIENT);
          sqlite3_bind_blob (stmt, 4, data, (int) size, SQLITE_STATIC);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            g_error ("insert: %s", sqlite3_errmsg (db));
          sqlite3_reset (stmt);
        }
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      total += now_ms () - t0;
    }

  /* Make it as durable as the files: a full checkpoint. */
  t0 = now_ms ();
  sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_FULL, NULL, NULL);
  total += now_ms () - t0;

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return total;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_remove (child);
        }
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *wal_path = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  int n = 100000;
  int compare_n = -1;
  char *dir_arg = NULL;
  gboolean keep = FALSE;
  gint64 base_date = 1609459200; /* 2021-01-01 */
  gint64 inbox = 0;
  double t_headers = 0;
  double t_bodies = 0;
  double t_generate = 0;
  double t0;
  struct rusage usage;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &n, "Messages to insert (100000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_arg, "Work in DIR (a new temporary folder)",
      "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the files afterwards", NULL },
    { "compare-n", 0, 0, G_OPTION_ARG_INT, &compare_n,
      "Bodies for the SQLite vs files comparison (N; 0 skips it)", "M" },
    { NULL },
  };

  context = g_option_context_new ("— benchmark the local mail store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n <= 0)
    n = 1;
  if (compare_n < 0)
    compare_n = n;

  mail_engine_init ();
  build_vocabulary ();

  dir = dir_arg != NULL ? g_strdup (dir_arg) : g_dir_make_tmp ("bench-store-XXXXXX", &error);
  g_assert_no_error (error);
  g_mkdir_with_parents (dir, 0700);
  db_path = g_build_filename (dir, "store.db", NULL);
  wal_path = g_strconcat (db_path, "-wal", NULL);

  printf ("bench-store: %d messages in %s (SQLite %s)\n", n, dir, sqlite3_libversion ());

  store = mail_store_open_sync (db_path, NULL, &error);
  g_assert_no_error (error);
  mail_store_ensure_folder_sync (store, "INBOX", "/", &inbox, &error);
  g_assert_no_error (error);

  for (guint start = 0; start < (guint) n; start += BATCH)
    {
      g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func (
        (GDestroyNotify) mail_message_summary_unref);
      g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_bytes_unref);
      g_autofree gint64 *ids = NULL;

      t0 = now_ms ();
      for (guint i = start; i < MIN ((guint) n, start + BATCH); i++)
        {
          Generated g = generate (i, base_date, (guint) n);

          g_ptr_array_add (summaries, g.summary);
          g_ptr_array_add (bodies, g.body);
        }
      t_generate += now_ms () - t0;

      t0 = now_ms ();
      if (!mail_store_insert_messages_sync (store, inbox, summaries, &error))
        g_error ("insert: %s", error->message);
      t_headers += now_ms () - t0;

      ids = g_new (gint64, summaries->len);
      for (guint i = 0; i < summaries->len; i++)
        ids[i] = ((MailMessageSummary *) g_ptr_array_index (summaries, i))->id;

      t0 = now_ms ();
      if (!mail_store_set_bodies_sync (store, ids, (GBytes * const *) bodies->pdata, bodies->len,
                                       &error))
        g_error ("bodies: %s", error->message);
      t_bodies += now_ms () - t0;
    }

  t0 = now_ms ();
  if (!mail_store_flush_sync (store, &error))
    g_error ("flush: %s", error->message);

  printf ("\nSync of %d messages, batches of %d (generation of the data not counted):\n", n,
          BATCH);
  printf ("  headers (insert + threading + FTS)     %9.0f ms  %9.0f rows/s\n", t_headers,
          n / (t_headers / 1000));
  printf ("  bodies (parse + text + FTS + blob)     %9.0f ms  %9.0f rows/s\n", t_bodies,
          n / (t_bodies / 1000));
  printf ("  together                               %9.0f ms  %9.0f messages/s\n",
          t_headers + t_bodies, n / ((t_headers + t_bodies) / 1000));
  printf ("  final checkpoint (flush)               %9.0f ms\n", now_ms () - t0);
  printf ("  (generating the synthetic data took     %9.0f ms)\n", t_generate);
  printf ("  database size: %.1f MiB (+ WAL %.1f MiB)\n",
          file_size (db_path) / 1048576.0, file_size (wal_path) / 1048576.0);

  printf ("\nMessage list (count + first page of 50, fresh query each time):\n");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, NULL, "folder, date desc");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_ASC, 0, NULL, "folder, date asc");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, MAIL_STORE_FILTER_UNREAD, NULL,
              "folder, unread only");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, MAIL_STORE_FILTER_FLAGGED, NULL,
              "folder, flagged only");
  time_query (store, 0, MAIL_STORE_SORT_DATE_DESC, 0, NULL, "all folders, date desc");

  {
    g_autoptr(MailStoreQuery) query = NULL;
    guint count = 0;
    double max = 0;
    double total = 0;
    guint pages = 0;

    query = mail_store_query_new (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, NULL);
    mail_store_query_count_sync (query, &count, NULL, &error);
    for (guint i = 0; i < 100; i++)
      {
        g_autoptr(GPtrArray) page = NULL;
        guint offset = (guint) g_rand_int_range (rand, 0, (gint32) MAX (count, 1));
        double t;

        t0 = now_ms ();
        page = mail_store_query_get_rows_sync (query, offset, 50, NULL, &error);
        t = now_ms () - t0;
        g_assert_no_error (error);
        total += t;
        max = MAX (max, t);
      }
    printf ("  100 random pages of 50                 total %7.1f ms  avg %6.2f ms  max %6.2f ms\n",
            total, total / 100, max);

    total = 0;
    max = 0;
    for (guint offset = 0; offset < count; offset += 50, pages++)
      {
        g_autoptr(GPtrArray) page = NULL;
        double t;

        t0 = now_ms ();
        page = mail_store_query_get_rows_sync (query, offset, 50, NULL, &error);
        t = now_ms () - t0;
        g_assert_no_error (error);
        total += t;
        max = MAX (max, t);
      }
    printf ("  scrolling all %5u pages in order       total %7.1f ms  avg %6.3f ms  max %6.2f ms\n",
            pages, total, total / MAX (pages, 1), max);
  }

  printf ("\nSearch (count + first page of 50, fresh query each time):\n");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "project", "word: project");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "invoice", "word: invoice");
  {
    /* A prefix of a mid-frequency word of the synthetic vocabulary. */
    g_autofree char *prefix = g_strndup (vocabulary[300], strlen (vocabulary[300]) - 1);
    g_autofree char *label = g_strdup_printf ("word prefix: %s", prefix);

    time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, prefix, label);
  }
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "from:alice", "from:alice");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "from:\"greta meyer\"",
              "from:\"greta meyer\"");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "\"quarterly report\"",
              "phrase: \"quarterly report\"");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "subject:invoice is:unread",
              "subject:invoice is:unread");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "project budget deadline",
              "three words");
  time_query (store, inbox, MAIL_STORE_SORT_DATE_DESC, 0, "zzzznotthere", "no match");

  g_clear_object (&store);

  if (compare_n > 0)
    {
      double t_files;
      double t_sqlite;
      double t_sqlite_full;

      printf ("\nBody cache only, %d bodies in batches of %d (durable at the end):\n",
              compare_n, BATCH);
      t_sqlite = bench_sqlite_bodies (dir, (guint) compare_n, base_date, FALSE);
      printf ("  SQLite rows, WAL, synchronous=NORMAL + checkpoint  %8.0f ms  %8.0f bodies/s\n",
              t_sqlite, compare_n / (t_sqlite / 1000));
      t_sqlite_full = bench_sqlite_bodies (dir, (guint) compare_n, base_date, TRUE);
      printf ("  SQLite rows, WAL, synchronous=FULL per batch       %8.0f ms  %8.0f bodies/s\n",
              t_sqlite_full, compare_n / (t_sqlite_full / 1000));
      t_files = bench_files (dir, (guint) compare_n, base_date);
      printf ("  files, fsync + rename, dir fsync per batch         %8.0f ms  %8.0f bodies/s\n",
              t_files, compare_n / (t_files / 1000));
    }

  getrusage (RUSAGE_SELF, &usage);
  printf ("\nPeak RSS: %.1f MiB\n", usage.ru_maxrss / 1024.0);

  if (!keep)
    remove_tree (dir);
  else
    printf ("Files kept in %s\n", dir);

  g_free (dir_arg);

  return 0;
}
