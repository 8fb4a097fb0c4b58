/* mail-store-query.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-store"

#include "config.h"

#include "mail-store-query.h"


#include "mail-store-private.h"
#include "mail-store-search.h"

/*
 * A sorted, filtered view of a store's messages, addressed by position, for a lazy list model.
 *
 * Ordering and filtering happen in SQL on indexes ((folder_id, date) and partial indexes for
 * unread and flagged). Position → row goes through a small cache of "keys at positions": the
 * (date, id) of every row of a chunk of CHUNK_SIZE consecutive positions. A chunk next to a
 * cached one is found by seeking the index from that chunk's last key (O(log n)); any other
 * one with one OFFSET scan over the index. At most MAX_CHUNKS chunks are kept (least recently
 * used go first), so memory stays bounded whatever the folder size. Rows are then read by
 * seeking from the key at the wanted position.
 *
 * Changes: after each write transaction the store hands the query the keys of the messages it
 * touched (under the store's lock, so the set matches the snapshot exactly). The query then,
 * in a worker thread, counts the rows before the first touched key and after the last one;
 * everything in between is announced as one replaced range with a single "items-changed" on
 * the thread-default main context of the thread that created the query. A burst of changes
 * (a sync batch of 500 new messages) is one signal. get_n_items() only changes together with
 * that signal, and count/get_rows answer from the announced state until then (see
 * "Snapshots" below).
 */

#define CHUNK_SIZE       512
#define MAX_CHUNKS       32
#define MAX_PENDING_KEYS 4096
#define MAX_ROWS         10000

typedef struct
{
  guint   index;
  guint   n;
  guint64 last_used;
  gint64  dates[CHUNK_SIZE];
  gint64  ids[CHUNK_SIZE];
} Chunk;

typedef struct
{
  gint64   new_count;
  guint    position;
  guint    removed;
  guint    added;
  gboolean emit;
  gboolean dense;
} Refresh;

struct _MailStoreQuery
{
  GObject          parent_instance;

  /* owned */
  MailStore       *store;
  GMainContext    *context;
  char            *match;
  char            *sql_count;
  char            *sql_count_before;
  char            *sql_count_after;
  char            *sql_scope_total;
  /* [PLAN_DRIVE_FTS], [PLAN_SCAN_DATE]; the same for queries without search text */
  char            *sql_keys_offset[2];
  char            *sql_keys_after[2];
  char            *sql_rows[2];

  /* immutable */
  gint64           folder_id;
  MailStoreSort    sort;
  MailStoreFilter  filter;

  /* guarded by lock; taken after the store's lock, never before */
  GMutex           lock;
  sqlite3         *conns[2];     /* read-only connections of this query */
  guint            cur;          /* conns[cur] reads what was last announced */
  gboolean         pinned[2];    /* holds a read transaction (a snapshot) */
  guint            in_flight;    /* commits pinned for but not yet noted */
  gint64           count;        /* -1 until the first count */
  gint             n_items;      /* count, readable without the lock (atomic) */
  gboolean         dense;        /* search matches many of the messages in scope */
  GHashTable      *chunks;       /* index → Chunk */
  guint64          use_counter;
  GArray          *pending;      /* MailStoreKey */
  gboolean         pending_reset;
  gboolean         refresh_scheduled;
  gboolean         refresh_running;
};

G_DEFINE_FINAL_TYPE (MailStoreQuery, mail_store_query, G_TYPE_OBJECT)

enum {
  ITEMS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_refresh (MailStoreQuery *self);

/* ------------------------------------------------------------------------------------------ */
/* SQL                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/*
 * Two plans for a search. PLAN_DRIVE_FTS reads the matches from the full-text index and looks
 * each one up (CROSS JOIN fixes the order): its cost follows the number of matches, whatever
 * the folder size, so it serves counts and sparse results. PLAN_SCAN_DATE walks the date index
 * and probes the set of matches, stopping after a page: cheaper when matches are dense.
 */
enum {
  PLAN_DRIVE_FTS,
  PLAN_SCAN_DATE,
};

static void
build_sql (MailStoreQuery *self)
{
  g_autoptr(GString) where = g_string_new ("1");
  g_autofree char *probe = NULL;
  gboolean desc = self->sort == MAIL_STORE_SORT_DATE_DESC;
  const char *order = desc ? " ORDER BY m.date DESC, m.id DESC" : " ORDER BY m.date, m.id";
  const char *before = desc ? "(m.date, m.id) > (:date, :id)" : "(m.date, m.id) < (:date, :id)";
  const char *after = desc ? "(m.date, m.id) < (:date, :id)" : "(m.date, m.id) > (:date, :id)";
  const char *from = desc ? "(m.date, m.id) <= (:date, :id)" : "(m.date, m.id) >= (:date, :id)";
  const char *fts_from = "messages_fts CROSS JOIN messages m INDEXED BY messages_key "
                         "ON m.id = messages_fts.rowid";
  const char *source;
  const char *scope_where = self->folder_id != 0 ? " WHERE id = :folder" : "";

  if (self->folder_id != 0)
    g_string_append (where, " AND m.folder_id = :folder");
  /* These spell the partial indexes' conditions exactly, so that SQLite can use them. */
  if (self->filter & MAIL_STORE_FILTER_UNREAD)
    g_string_append (where, " AND (flags & 1) = 0");
  if (self->filter & MAIL_STORE_FILTER_FLAGGED)
    g_string_append (where, " AND (flags & 4) != 0");
  if (self->filter & MAIL_STORE_FILTER_HAS_ATTACHMENT)
    g_string_append (where, " AND has_attachment = 1");

  self->sql_scope_total = g_strdup_printf ("SELECT coalesce (sum (total_count), 0) FROM folders%s",
                                           scope_where);

  if (self->match == NULL)
    {
      source = "messages m";
      if ((self->filter & ~MAIL_STORE_FILTER_UNREAD) == 0)
        {
          /* The folders' counters, kept by triggers, answer without scanning. */
          self->sql_count = g_strdup_printf ("SELECT coalesce (sum (%s), 0) FROM folders%s",
                                             self->filter ? "unread_count" : "total_count",
                                             scope_where);
        }
      else
        self->sql_count = g_strdup_printf ("SELECT count(*) FROM messages m WHERE %s",
                                           where->str);
    }
  else
    {
      source = fts_from;
      g_string_append (where, " AND messages_fts MATCH :match");
      self->sql_count = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s", source, where->str);
    }

  self->sql_count_before = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s AND %s",
                                            source, where->str, before);
  self->sql_count_after = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s AND %s",
                                           source, where->str, after);

  self->sql_keys_offset[PLAN_DRIVE_FTS] =
    g_strdup_printf ("SELECT m.date, m.id FROM %s WHERE %s%s LIMIT :limit OFFSET :offset",
                     source, where->str, order);
  self->sql_keys_after[PLAN_DRIVE_FTS] =
    g_strdup_printf ("SELECT m.date, m.id FROM %s WHERE %s AND %s%s LIMIT :limit",
                     source, where->str, after, order);
  if (self->match == NULL)
    self->sql_rows[PLAN_DRIVE_FTS] =
      g_strdup_printf ("SELECT " MAIL_STORE_LIST_COLUMNS " FROM %s WHERE %s AND %s%s LIMIT :limit",
                       source, where->str, from, order);
  else
    /* Find the page's ids on the covering index, then read only those rows. */
    self->sql_rows[PLAN_DRIVE_FTS] =
      g_strdup_printf ("SELECT " MAIL_STORE_LIST_COLUMNS " FROM messages m WHERE m.id IN "
                       "(SELECT m.id FROM %s WHERE %s AND %s%s LIMIT :limit)%s",
                       source, where->str, from, order, order);

  if (self->match == NULL)
    {
      self->sql_keys_offset[PLAN_SCAN_DATE] = g_strdup (self->sql_keys_offset[PLAN_DRIVE_FTS]);
      self->sql_keys_after[PLAN_SCAN_DATE] = g_strdup (self->sql_keys_after[PLAN_DRIVE_FTS]);
      self->sql_rows[PLAN_SCAN_DATE] = g_strdup (self->sql_rows[PLAN_DRIVE_FTS]);
      return;
    }

  /* Same conditions with the match as a probe of the date-ordered scan. */
  g_string_truncate (where, where->len - strlen (" AND messages_fts MATCH :match"));
  probe = g_strconcat (where->str, " AND m.id IN (SELECT rowid FROM messages_fts "
                       "WHERE messages_fts MATCH :match)", NULL);
  self->sql_keys_offset[PLAN_SCAN_DATE] =
    g_strdup_printf ("SELECT m.date, m.id FROM messages m WHERE %s%s LIMIT :limit "
                     "OFFSET :offset", probe, order);
  self->sql_keys_after[PLAN_SCAN_DATE] =
    g_strdup_printf ("SELECT m.date, m.id FROM messages m WHERE %s AND %s%s LIMIT :limit",
                     probe, after, order);
  self->sql_rows[PLAN_SCAN_DATE] =
    g_strdup_printf ("SELECT " MAIL_STORE_LIST_COLUMNS " FROM messages m WHERE %s AND %s%s "
                     "LIMIT :limit", probe, from, order);
}

/* With a match in one message out of ten or more, a page is found quickest by walking the
 * date index; below that, by reading the matches. */
static gboolean
is_dense (gint64 matches,
          gint64 total)
{
  return matches > 1000 && matches * 10 >= total;
}

/* Both locks held. */
static int
get_plan (MailStoreQuery *self)
{
  return self->match != NULL && self->dense ? PLAN_SCAN_DATE : PLAN_DRIVE_FTS;
}

static void
bind_int (sqlite3_stmt *stmt,
          const char   *name,
          gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

/* Prepares one of our statements with the query's own parameters bound. */
static sqlite3_stmt *
prepare (MailStoreQuery  *self,
         sqlite3         *db,
         const char      *sql,
         GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int index;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      mail_store_set_sqlite_error (db, rc, error);
      return NULL;
    }

  bind_int (stmt, ":folder", self->folder_id);
  index = sqlite3_bind_parameter_index (stmt, ":match");
  if (index > 0)
    sqlite3_bind_text (stmt, index, self->match, -1, SQLITE_STATIC);

  return stmt;
}

static gboolean
count_where (MailStoreQuery      *self,
             sqlite3             *db,
             const char          *sql,
             const MailStoreKey  *key,
             gint64              *out_count,
             GError             **error)
{
  g_autoptr(MailOwnedStmt) stmt = NULL;
  int rc;

  stmt = prepare (self, db, sql, error);
  if (stmt == NULL)
    return FALSE;

  if (key != NULL)
    {
      bind_int (stmt, ":date", key->date);
      bind_int (stmt, ":id", key->id);
    }

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return mail_store_set_sqlite_error (db, rc, error);

  *out_count = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/*
 * What get_rows() returns must match what was announced: a list model places the rows it
 * reads at the positions it was told about. Each query therefore reads through its own
 * read-only connections. While no change is in flight, conns[cur] reads the live database,
 * which is what was announced. Right before a write transaction that concerns the query
 * commits, the store pins conns[cur] (opens a read transaction on it: a snapshot of the state
 * before the commit, the announced one). The refresh pins the other connection on the state it
 * computes the change against and, when the change is announced, the query switches to it and
 * lets go of the old snapshot; with nothing else in flight it goes back to reading live. So
 * snapshots are held only between a commit and its announcement, and checkpoints are not kept
 * waiting while the store is idle.
 */

static gboolean
open_conn (MailStoreQuery  *self,
           guint            index,
           GError         **error)
{
  if (self->conns[index] == NULL)
    self->conns[index] = mail_store_take_reader (self->store, error);

  return self->conns[index] != NULL;
}

static gboolean
pin (MailStoreQuery  *self,
     guint            index,
     GError         **error)
{
  g_autoptr(MailOwnedStmt) stmt = NULL;
  int rc;

  if (self->pinned[index])
    return TRUE;

  if (!open_conn (self, index, error) ||
      !mail_store_exec (self->conns[index], "BEGIN", error))
    return FALSE;

  /* A read transaction takes its snapshot at its first read. */
  rc = sqlite3_prepare_v2 (self->conns[index], "SELECT count(*) FROM folders", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      mail_store_set_sqlite_error (self->conns[index], rc, error);
      mail_store_exec (self->conns[index], "ROLLBACK", NULL);
      return FALSE;
    }

  self->pinned[index] = TRUE;

  return TRUE;
}

static void
unpin (MailStoreQuery *self,
       guint           index)
{
  if (!self->pinned[index])
    return;

  mail_store_exec (self->conns[index], "COMMIT", NULL);
  self->pinned[index] = FALSE;
}

static gboolean
concerns (MailStoreQuery     *self,
          const MailStoreKey *keys,
          guint               n_keys)
{
  if (self->folder_id == 0)
    return n_keys > 0;

  for (guint i = 0; i < n_keys; i++)
    {
      if (keys[i].folder_id == 0 || keys[i].folder_id == self->folder_id)
        return TRUE;
    }

  return FALSE;
}

void
mail_store_query_pin_for_commit (MailStoreQuery     *self,
                                 const MailStoreKey *keys,
                                 guint               n_keys)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GError) error = NULL;

  if (self->count < 0 || !concerns (self, keys, n_keys))
    return;

  self->in_flight++;
  if (!pin (self, self->cur, &error))
    {
      /* Cannot keep the old state readable: announce everything as replaced. */
      g_debug ("Cannot pin the state of a query: %s", error->message);
      self->pending_reset = TRUE;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Position cache                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void
evict_chunks (MailStoreQuery *self)
{
  while (g_hash_table_size (self->chunks) > MAX_CHUNKS)
    {
      GHashTableIter iter;
      gpointer key;
      gpointer value;
      gpointer oldest = NULL;
      guint64 oldest_use = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->chunks);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Chunk *chunk = value;

          if (chunk->last_used < oldest_use)
            {
              oldest_use = chunk->last_used;
              oldest = key;
            }
        }
      g_hash_table_remove (self->chunks, oldest);
    }
}

/* self->lock held, conns[cur] open. */
static Chunk *
load_chunk (MailStoreQuery  *self,
            guint            index,
            GError         **error)
{
  g_autoptr(MailOwnedStmt) stmt = NULL;
  g_autofree Chunk *chunk = NULL;
  Chunk *previous;
  sqlite3 *db;
  int rc;

  chunk = g_hash_table_lookup (self->chunks, GUINT_TO_POINTER (index));
  if (chunk != NULL)
    {
      Chunk *found = g_steal_pointer (&chunk);

      found->last_used = ++self->use_counter;
      return found;
    }

  previous = index > 0 ? g_hash_table_lookup (self->chunks, GUINT_TO_POINTER (index - 1)) : NULL;
  db = self->conns[self->cur];

  if (previous != NULL && previous->n == CHUNK_SIZE)
    {
      /* Seek from where the previous chunk ends. */
      stmt = prepare (self, db, self->sql_keys_after[get_plan (self)], error);
      if (stmt == NULL)
        return NULL;
      bind_int (stmt, ":date", previous->dates[CHUNK_SIZE - 1]);
      bind_int (stmt, ":id", previous->ids[CHUNK_SIZE - 1]);
    }
  else
    {
      stmt = prepare (self, db, self->sql_keys_offset[get_plan (self)], error);
      if (stmt == NULL)
        return NULL;
      bind_int (stmt, ":offset", (gint64) index * CHUNK_SIZE);
    }
  bind_int (stmt, ":limit", CHUNK_SIZE);

  chunk = g_new0 (Chunk, 1);
  chunk->index = index;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && chunk->n < CHUNK_SIZE)
    {
      chunk->dates[chunk->n] = sqlite3_column_int64 (stmt, 0);
      chunk->ids[chunk->n] = sqlite3_column_int64 (stmt, 1);
      chunk->n++;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      mail_store_set_sqlite_error (db, rc, error);
      return NULL;
    }

  chunk->last_used = ++self->use_counter;
  g_hash_table_insert (self->chunks, GUINT_TO_POINTER (index), chunk);
  evict_chunks (self);

  return g_steal_pointer (&chunk);
}

/* ------------------------------------------------------------------------------------------ */
/* Change tracking                                                                            */
/* ------------------------------------------------------------------------------------------ */

/* < 0 when a sorts before b in this query's order. */
static int
compare_keys (MailStoreQuery     *self,
              const MailStoreKey *a,
              const MailStoreKey *b)
{
  int cmp;

  if (a->date != b->date)
    cmp = a->date < b->date ? -1 : 1;
  else if (a->id != b->id)
    cmp = a->id < b->id ? -1 : 1;
  else
    cmp = 0;

  return self->sort == MAIL_STORE_SORT_DATE_DESC ? -cmp : cmp;
}

void
mail_store_query_note_changes (MailStoreQuery     *self,
                               const MailStoreKey *keys,
                               guint               n_keys)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->in_flight > 0)
    self->in_flight--;

  /* Nobody has seen a count yet, so there is nothing to keep consistent. */
  if (self->count < 0)
    return;

  for (guint i = 0; i < n_keys && !self->pending_reset; i++)
    {
      const MailStoreKey *key = &keys[i];
      gboolean ours = self->folder_id == 0 || key->folder_id == 0 ||
                      key->folder_id == self->folder_id;

      if (!ours)
        continue;

      if (key->id == 0 || self->pending->len >= MAX_PENDING_KEYS)
        {
          self->pending_reset = TRUE;
          g_array_set_size (self->pending, 0);
        }
      else
        g_array_append_val (self->pending, *key);
    }

  if ((self->pending->len > 0 || self->pending_reset || self->pinned[self->cur]) &&
      !self->refresh_scheduled && !self->refresh_running)
    schedule_refresh (self);
}

/* Runs on conns[next], pinned on the state that includes exactly the drained keys. */
static gboolean
compute_refresh (MailStoreQuery  *self,
                 sqlite3         *db,
                 GArray          *keys,
                 gboolean         reset,
                 gint64           old_count,
                 Refresh         *out,
                 GError         **error)
{
  const MailStoreKey *first = NULL;
  const MailStoreKey *last = NULL;
  gint64 new_count = 0;
  gint64 total = 0;
  gint64 before = 0;
  gint64 after = 0;
  gint64 removed;
  gint64 added;

  memset (out, 0, sizeof *out);

  if (!count_where (self, db, self->sql_count, NULL, &new_count, error) ||
      (self->match != NULL && !count_where (self, db, self->sql_scope_total, NULL, &total,
                                            error)))
    return FALSE;
  out->new_count = new_count;
  out->dense = is_dense (new_count, total);

  if (!reset && keys->len == 0)
    return TRUE;

  if (!reset)
    {
      for (guint i = 0; i < keys->len; i++)
        {
          const MailStoreKey *key = &g_array_index (keys, MailStoreKey, i);

          if (first == NULL || compare_keys (self, key, first) < 0)
            first = key;
          if (last == NULL || compare_keys (self, key, last) > 0)
            last = key;
        }

      if (!count_where (self, db, self->sql_count_before, first, &before, error) ||
          !count_where (self, db, self->sql_count_after, last, &after, error))
        return FALSE;
    }

  removed = old_count - before - after;
  added = new_count - before - after;
  if (reset || removed < 0 || added < 0)
    {
      before = 0;
      removed = old_count;
      added = new_count;
    }

  out->position = (guint) before;
  out->removed = (guint) removed;
  out->added = (guint) added;
  out->emit = removed > 0 || added > 0;

  return TRUE;
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MailStoreQuery *self = source_object;
  g_autoptr(GRecMutexLocker) store_locker = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) keys = NULL;
  g_autofree Refresh *refresh = g_new0 (Refresh, 1);
  gboolean reset;
  gint64 old_count;
  guint next;
  gboolean pinned;

  /* Take the changes and pin the state they lead to, with no commit in between. */
  store_locker = g_rec_mutex_locker_new (mail_store_get_lock (self->store));
  locker = g_mutex_locker_new (&self->lock);
  keys = g_steal_pointer (&self->pending);
  self->pending = g_array_new (FALSE, FALSE, sizeof (MailStoreKey));
  reset = self->pending_reset;
  self->pending_reset = FALSE;
  old_count = self->count;
  next = 1 - self->cur;
  unpin (self, next);
  pinned = pin (self, next, &error);
  g_clear_pointer (&locker, g_mutex_locker_free);
  g_clear_pointer (&store_locker, g_rec_mutex_locker_free);

  /* Only this refresh uses conns[next]: count without holding anything. */
  if (!pinned ||
      !compute_refresh (self, self->conns[next], keys, reset, old_count, refresh, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&refresh), g_free);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  MailStoreQuery *self = MAIL_STORE_QUERY (object);
  g_autofree Refresh *refresh = NULL;
  g_autoptr(GError) error = NULL;

  refresh = g_task_propagate_pointer (G_TASK (result), &error);
  if (refresh == NULL)
    g_debug ("Cannot follow changes of the store: %s", error->message);

  g_mutex_lock (&self->lock);
  self->refresh_running = FALSE;
  if (refresh != NULL)
    {
      /* From now on, read the state that is being announced. */
      unpin (self, self->cur);
      self->cur = 1 - self->cur;
      self->count = refresh->new_count;
      g_atomic_int_set (&self->n_items, (gint) CLAMP (self->count, 0, G_MAXINT));
      self->dense = refresh->dense;
      g_hash_table_remove_all (self->chunks);
    }
  else
    {
      /* The change cannot be placed: the next commit starts over with a full reset. */
      unpin (self, 1 - self->cur);
      self->pending_reset = TRUE;
    }
  if (refresh != NULL && (self->pending->len > 0 || self->pending_reset))
    {
      if (!self->refresh_scheduled)
        schedule_refresh (self);
    }
  else if (refresh != NULL && self->in_flight == 0)
    {
      /* Nothing committed since, nor being committed: the live database is what was
       * announced. */
      unpin (self, self->cur);
    }
  g_mutex_unlock (&self->lock);

  if (refresh != NULL && refresh->emit)
    g_signal_emit (self, signals[ITEMS_CHANGED], 0,
                   refresh->position, refresh->removed, refresh->added);
}

static gboolean
start_refresh (gpointer user_data)
{
  MailStoreQuery *self = user_data;
  g_autoptr(GTask) task = NULL;

  g_mutex_lock (&self->lock);
  self->refresh_scheduled = FALSE;
  if (self->refresh_running)
    {
      /* refresh_cb() starts another one when this ends. */
      g_mutex_unlock (&self->lock);
      return G_SOURCE_REMOVE;
    }
  self->refresh_running = TRUE;
  g_mutex_unlock (&self->lock);

  task = g_task_new (self, NULL, refresh_cb, NULL);
  g_task_set_source_tag (task, start_refresh);
  g_task_run_in_thread (task, refresh_thread);

  return G_SOURCE_REMOVE;
}

/* self->lock held. */
static void
schedule_refresh (MailStoreQuery *self)
{
  GSource *source = g_idle_source_new ();

  self->refresh_scheduled = TRUE;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, start_refresh, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[mail-store-query] refresh");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
mail_store_query_finalize (GObject *object)
{
  MailStoreQuery *self = (MailStoreQuery *) object;

  for (guint i = 0; i < G_N_ELEMENTS (self->conns); i++)
    {
      unpin (self, i);
      if (self->conns[i] != NULL)
        mail_store_give_back_reader (self->store, g_steal_pointer (&self->conns[i]));
    }
  g_clear_pointer (&self->chunks, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->match, g_free);
  g_clear_pointer (&self->sql_count, g_free);
  g_clear_pointer (&self->sql_count_before, g_free);
  g_clear_pointer (&self->sql_count_after, g_free);
  g_clear_pointer (&self->sql_scope_total, g_free);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&self->sql_keys_offset[i], g_free);
      g_clear_pointer (&self->sql_keys_after[i], g_free);
      g_clear_pointer (&self->sql_rows[i], g_free);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->store);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (mail_store_query_parent_class)->finalize (object);
}

static void
mail_store_query_class_init (MailStoreQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_store_query_finalize;

  /**
   * MailStoreQuery::items-changed:
   * @self: the query
   * @position: the first position that changed
   * @removed: how many rows were removed there
   * @added: how many rows were added there
   *
   * Emitted, batched, after the store changed, with the same meaning as
   * #GListModel::items-changed.
   */
  signals[ITEMS_CHANGED] =
    g_signal_new ("items-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
mail_store_query_init (MailStoreQuery *self)
{
  g_mutex_init (&self->lock);
  self->count = -1;
  self->chunks = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->pending = g_array_new (FALSE, FALSE, sizeof (MailStoreKey));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * mail_store_query_new:
 * @store: a #MailStore
 * @folder_id: the folder to show, or 0 for all folders of the store
 * @sort: the order
 * @filter: the filters
 * @search: (nullable): search box text (see mail_store_search_parse() for the grammar)
 *
 * Creates a query. Nothing is read until it is counted or paged. "items-changed" is emitted
 * on the thread-default main context of the calling thread.
 *
 * Returns: (transfer full): the query
 */
MailStoreQuery *
mail_store_query_new (MailStore       *store,
                      gint64           folder_id,
                      MailStoreSort    sort,
                      MailStoreFilter  filter,
                      const char      *search)
{
  MailStoreQuery *self;
  MailStoreFilter search_filter = MAIL_STORE_FILTER_NONE;

  g_return_val_if_fail (MAIL_IS_STORE (store), NULL);

  self = g_object_new (MAIL_TYPE_STORE_QUERY, NULL);
  self->store = g_object_ref (store);
  self->context = g_main_context_ref_thread_default ();
  self->folder_id = folder_id;
  self->sort = sort == MAIL_STORE_SORT_DATE_ASC ? MAIL_STORE_SORT_DATE_ASC
                                                : MAIL_STORE_SORT_DATE_DESC;
  self->match = mail_store_search_parse (search, &search_filter);
  self->filter = filter | search_filter;
  build_sql (self);

  mail_store_register_query (store, self);

  return self;
}

/**
 * mail_store_query_get_store:
 * @self: a #MailStoreQuery
 *
 * Returns: (transfer none): the store
 */
MailStore *
mail_store_query_get_store (MailStoreQuery *self)
{
  g_return_val_if_fail (MAIL_IS_STORE_QUERY (self), NULL);

  return self->store;
}

/**
 * mail_store_query_get_match:
 * @self: a #MailStoreQuery
 *
 * Returns: (transfer none) (nullable): the FTS5 expression the search text became
 */
const char *
mail_store_query_get_match (MailStoreQuery *self)
{
  g_return_val_if_fail (MAIL_IS_STORE_QUERY (self), NULL);

  return self->match;
}

/**
 * mail_store_query_get_filter:
 * @self: a #MailStoreQuery
 *
 * Returns: the filters, including those asked for in the search text
 */
MailStoreFilter
mail_store_query_get_filter (MailStoreQuery *self)
{
  g_return_val_if_fail (MAIL_IS_STORE_QUERY (self), MAIL_STORE_FILTER_NONE);

  return self->filter;
}

/**
 * mail_store_query_get_n_items:
 * @self: a #MailStoreQuery
 *
 * The number of rows as last announced: set by the first count, then changed only together
 * with "items-changed". Never blocks.
 *
 * Returns: the number of rows, 0 before the first count
 */
guint
mail_store_query_get_n_items (MailStoreQuery *self)
{
  g_return_val_if_fail (MAIL_IS_STORE_QUERY (self), 0);

  /* Without the lock, which a page read in a worker may hold for a while. */
  return (guint) g_atomic_int_get (&self->n_items);
}

/**
 * mail_store_query_count_sync:
 * @self: a #MailStoreQuery
 * @out_count: (out): the number of matching messages
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Counts the matching messages. The first count becomes the value of
 * mail_store_query_get_n_items() and the base that "items-changed" updates; later calls
 * return the count as last announced.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_query_count_sync (MailStoreQuery  *self,
                             guint           *out_count,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autoptr(GRecMutexLocker) store_locker = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 count = 0;
  gint64 total = 0;

  g_return_val_if_fail (MAIL_IS_STORE_QUERY (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  if (self->count >= 0)
    {
      /* What was announced. */
      *out_count = (guint) CLAMP (self->count, 0, G_MAXUINT);
      return TRUE;
    }
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* The first count: the base from which changes are followed. No commit may come between
   * the count and the start of the following, hence the store's lock. */
  store_locker = g_rec_mutex_locker_new (mail_store_get_lock (self->store));
  locker = g_mutex_locker_new (&self->lock);
  if (self->count < 0)
    {
      sqlite3 *db;

      if (!open_conn (self, self->cur, error))
        return FALSE;
      db = self->conns[self->cur];
      if (!count_where (self, db, self->sql_count, NULL, &count, error) ||
          (self->match != NULL && !count_where (self, db, self->sql_scope_total, NULL, &total,
                                                error)))
        return FALSE;

      self->dense = is_dense (count, total);
      self->count = count;
      g_atomic_int_set (&self->n_items, (gint) CLAMP (count, 0, G_MAXINT));
      g_array_set_size (self->pending, 0);
      self->pending_reset = FALSE;
      g_hash_table_remove_all (self->chunks);
    }

  *out_count = (guint) CLAMP (self->count, 0, G_MAXUINT);

  return TRUE;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!mail_store_query_count_sync (source_object, &count, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, count);
}

/**
 * mail_store_query_count_async:
 * @self: a #MailStoreQuery
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Counts in a worker thread. See mail_store_query_count_sync().
 */
void
mail_store_query_count_async (MailStoreQuery      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MAIL_IS_STORE_QUERY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_store_query_count_async);
  g_task_run_in_thread (task, count_thread);
}

/**
 * mail_store_query_count_finish:
 * @self: a #MailStoreQuery
 * @result: the result given to the callback
 * @out_count: (out): the count
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_query_count_finish (MailStoreQuery  *self,
                               GAsyncResult    *result,
                               guint           *out_count,
                               GError         **error)
{
  gssize count;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  count = g_task_propagate_int (G_TASK (result), error);
  if (count < 0)
    return FALSE;

  *out_count = (guint) count;

  return TRUE;
}

/**
 * mail_store_query_get_rows_sync:
 * @self: a #MailStoreQuery
 * @offset: the first position
 * @limit: how many rows at most (capped at 10,000)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Reads the rows at positions @offset … @offset + @limit - 1. Fewer rows come back at the
 * end of the list.
 *
 * Returns: (transfer full) (element-type MailMessageSummary) (nullable): the rows
 */
GPtrArray *
mail_store_query_get_rows_sync (MailStoreQuery  *self,
                                guint            offset,
                                guint            limit,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(MailOwnedStmt) stmt = NULL;
  Chunk *chunk;
  sqlite3 *db;
  guint in_chunk;
  int rc;

  g_return_val_if_fail (MAIL_IS_STORE_QUERY (self), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_message_summary_unref);
  limit = MIN (limit, MAX_ROWS);
  if (limit == 0)
    return g_steal_pointer (&rows);

  /* Reads go through this query's own connection, never waiting for the store's writer. */
  locker = g_mutex_locker_new (&self->lock);
  if (!open_conn (self, self->cur, error))
    return NULL;
  db = self->conns[self->cur];

  chunk = load_chunk (self, offset / CHUNK_SIZE, error);
  if (chunk == NULL)
    return NULL;

  in_chunk = offset % CHUNK_SIZE;
  if (in_chunk >= chunk->n)
    return g_steal_pointer (&rows);

  stmt = prepare (self, db, self->sql_rows[get_plan (self)], error);
  if (stmt == NULL)
    return NULL;

  bind_int (stmt, ":date", chunk->dates[in_chunk]);
  bind_int (stmt, ":id", chunk->ids[in_chunk]);
  bind_int (stmt, ":limit", limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, mail_store_read_summary (stmt, FALSE));

  if (rc != SQLITE_DONE)
    {
      mail_store_set_sqlite_error (db, rc, error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

typedef struct
{
  guint offset;
  guint limit;
} RowsRequest;

static void
get_rows_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RowsRequest *request = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  rows = mail_store_query_get_rows_sync (source_object, request->offset, request->limit,
                                         cancellable, &error);
  if (rows == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * mail_store_query_get_rows_async:
 * @self: a #MailStoreQuery
 * @offset: the first position
 * @limit: how many rows at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads rows in a worker thread. See mail_store_query_get_rows_sync().
 */
void
mail_store_query_get_rows_async (MailStoreQuery      *self,
                                 guint                offset,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RowsRequest *request;

  g_return_if_fail (MAIL_IS_STORE_QUERY (self));

  request = g_new0 (RowsRequest, 1);
  request->offset = offset;
  request->limit = limit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_store_query_get_rows_async);
  g_task_set_task_data (task, request, g_free);
  g_task_run_in_thread (task, get_rows_thread);
}

/**
 * mail_store_query_get_rows_finish:
 * @self: a #MailStoreQuery
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type MailMessageSummary) (nullable): the rows
 */
GPtrArray *
mail_store_query_get_rows_finish (MailStoreQuery  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
