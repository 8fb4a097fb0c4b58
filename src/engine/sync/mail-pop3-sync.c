/* mail-pop3-sync.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-sync"

#include "config.h"

#include "mail-pop3-sync.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

#include "mail-cert-store.h"
#include "mail-connection.h"
#include "mail-message-display.h"
#include "mail-pop3-client.h"
#include "mail-store-private.h"
#include "mail-tls-policy.h"

/* Downloading a POP3 maildrop into the store.
 *
 * Each UIDL gets a local uid in the "INBOX" folder, kept in the pop3_uidls table. The order of
 * commits is what makes a crash harmless:
 *
 *   1. the UIDL row is committed with stored = 0 (and the uid it will use);
 *   2. the summaries, then the bodies are committed;
 *   3. the UIDL rows are set to stored = 1;
 *   4. before any DELE, mail_store_flush_sync() makes all of it durable;
 *   5. DELE only for stored = 1 rows; the server applies them at QUIT.
 *
 * A crash between 1 and 3 leaves stored = 0: the next run removes whatever part of that message
 * was written and downloads it again under the same uid, so it is never duplicated, and the
 * server never forgets a message we do not have. */

typedef struct
{
  guint32 uid;
  gint64  first_seen;
  gboolean stored;
} UidlRow;

struct _MailPop3Sync
{
  GObject parent_instance;

  /* owned references */
  MailStore        *store;
  MailServerConfig *config;
  char             *pin_dir;
  char             *password;

  /* settings */
  gboolean  leave_on_server;
  guint     delete_after_days;
  guint     batch_size;
  guint64   max_message_size;
  gint64    now;

  /* state of the last run */
  GMainContext *context;
  guint         n_downloaded;
  guint64       n_bytes;
  guint         n_deleted;
  guint         n_skipped;
};

G_DEFINE_FINAL_TYPE (MailPop3Sync, mail_pop3_sync, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (mail-sync-error-quark, mail_sync_error)

/* ------------------------------------------------------------------------------------ */
/* Waiting for the client's async calls on our own main context */

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (MailPop3Sync *self,
          Wait         *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (self->context, TRUE);
  return wait->result;
}

#define AWAIT(self, wait, call) \
  G_STMT_START { \
    (wait).result = NULL; \
    call; \
    wait_for ((self), &(wait)); \
  } G_STMT_END

/* ------------------------------------------------------------------------------------ */
/* The pop3_uidls table, written through the store's connection under its lock */

static gboolean
load_uidls (MailPop3Sync  *self,
            gint64         folder_id,
            GHashTable    *rows,
            guint32       *out_max_uid,
            GError       **error)
{
  sqlite3 *db = mail_store_get_db (self->store);
  g_autoptr(MailOwnedStmt) stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  g_rec_mutex_lock (mail_store_get_lock (self->store));

  rc = sqlite3_prepare_v2 (db,
                           "SELECT uidl, uid, first_seen, stored FROM pop3_uidls "
                           "WHERE folder_id = ?", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      ok = mail_store_set_sqlite_error (db, rc, error);
      goto out;
    }
  sqlite3_bind_int64 (stmt, 1, folder_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      UidlRow *row = g_new0 (UidlRow, 1);

      row->uid = (guint32) sqlite3_column_int64 (stmt, 1);
      row->first_seen = sqlite3_column_int64 (stmt, 2);
      row->stored = sqlite3_column_int (stmt, 3) != 0;
      g_hash_table_insert (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), row);
    }
  if (rc != SQLITE_DONE)
    {
      ok = mail_store_set_sqlite_error (db, rc, error);
      goto out;
    }
  g_clear_pointer (&stmt, mail_stmt_finalize);

  /* The next uid follows both tables, in case messages were put in the folder otherwise. */
  rc = sqlite3_prepare_v2 (db,
                           "SELECT max (coalesce ((SELECT max (uid) FROM pop3_uidls "
                           "                       WHERE folder_id = ?1), 0), "
                           "            coalesce ((SELECT max (uid) FROM messages "
                           "                       WHERE folder_id = ?1), 0))",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      ok = mail_store_set_sqlite_error (db, rc, error);
      goto out;
    }
  sqlite3_bind_int64 (stmt, 1, folder_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      ok = mail_store_set_sqlite_error (db, rc, error);
      goto out;
    }
  if (sqlite3_column_int64 (stmt, 0) >= G_MAXUINT32)
    {
      ok = FALSE;
      g_set_error (error, MAIL_SYNC_ERROR, MAIL_SYNC_ERROR_FAILED, "%s",
                   _("The local folder has run out of message numbers"));
      goto out;
    }
  *out_max_uid = (guint32) sqlite3_column_int64 (stmt, 0);

out:
  g_clear_pointer (&stmt, mail_stmt_finalize);
  g_rec_mutex_unlock (mail_store_get_lock (self->store));
  return ok;
}

/* Inserts (stored = FALSE) or marks stored (stored = TRUE) the rows of @uidls, in one
 * transaction. */
static gboolean
write_uidls (MailPop3Sync  *self,
             gint64         folder_id,
             GPtrArray     *uidls,
             GHashTable    *rows,
             gboolean       stored,
             GError       **error)
{
  sqlite3 *db = mail_store_get_db (self->store);
  g_autoptr(MailOwnedStmt) stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  if (uidls->len == 0)
    return TRUE;

  g_rec_mutex_lock (mail_store_get_lock (self->store));

  if (!mail_store_exec (db, "BEGIN IMMEDIATE", error))
    goto out;

  rc = sqlite3_prepare_v2 (db,
                           stored ?
                           "UPDATE pop3_uidls SET stored = 1 WHERE folder_id = ? AND uidl = ?" :
                           "INSERT INTO pop3_uidls (folder_id, uidl, uid, first_seen, stored) "
                           "VALUES (?, ?, ?, ?, 0)",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      mail_store_set_sqlite_error (db, rc, error);
      goto rollback;
    }

  for (guint i = 0; i < uidls->len; i++)
    {
      const char *uidl = g_ptr_array_index (uidls, i);
      const UidlRow *row = g_hash_table_lookup (rows, uidl);

      g_assert (row != NULL);
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, folder_id);
      sqlite3_bind_text (stmt, 2, uidl, -1, SQLITE_STATIC);
      if (!stored)
        {
          sqlite3_bind_int64 (stmt, 3, row->uid);
          sqlite3_bind_int64 (stmt, 4, row->first_seen);
        }
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          mail_store_set_sqlite_error (db, rc, error);
          goto rollback;
        }
    }
  g_clear_pointer (&stmt, mail_stmt_finalize);

  ok = mail_store_exec (db, "COMMIT", error);
  if (ok)
    goto out;

rollback:
  g_clear_pointer (&stmt, mail_stmt_finalize);
  mail_store_exec (db, "ROLLBACK", NULL);
out:
  g_rec_mutex_unlock (mail_store_get_lock (self->store));
  return ok;
}

/* ------------------------------------------------------------------------------------ */
/* Summaries */

static char *
dup_valid_header (GMimeObject *object,
                  const char  *name)
{
  const char *value = g_mime_object_get_header (object, name);

  if (value == NULL)
    return NULL;
  return g_utf8_make_valid (value, -1);
}

static char *
dup_addresses (GMimeMessage *message)
{
  InternetAddressList *lists[] = {
    g_mime_message_get_to (message),
    g_mime_message_get_cc (message),
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autofree char *text = NULL;

      if (lists[i] == NULL || internet_address_list_length (lists[i]) == 0)
        continue;
      text = internet_address_list_to_string (lists[i], NULL, FALSE);
      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, text);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static MailMessageSummary *
summary_from_raw (GBytes  *raw,
                  guint32  uid,
                  gint64   now)
{
  MailMessageSummary *summary = mail_message_summary_new ();
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (raw, &size);

  summary->uid = uid;
  summary->internal_date = now;
  summary->date = now;
  summary->size = (gint64) size;

  /* A message GMime cannot make sense of is still stored, with what we know. */
  stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  if (message == NULL)
    return summary;

  {
    InternetAddressList *from = g_mime_message_get_from (message);
    GDateTime *date = g_mime_message_get_date (message);
    const char *message_id = g_mime_message_get_message_id (message);

    if (from != NULL && internet_address_list_length (from) > 0)
      {
        InternetAddress *address = internet_address_list_get_address (from, 0);
        const char *name = internet_address_get_name (address);

        if (name != NULL && *name != '\0')
          summary->sender_name = g_utf8_make_valid (name, -1);
        if (INTERNET_ADDRESS_IS_MAILBOX (address))
          {
            InternetAddressMailbox *mailbox = INTERNET_ADDRESS_MAILBOX (address);

            summary->sender_address =
              g_utf8_make_valid (internet_address_mailbox_get_addr (mailbox), -1);
          }
      }
    summary->recipients = dup_addresses (message);
    summary->subject = mail_message_dup_display_subject (message);
    if (date != NULL)
      summary->date = g_date_time_to_unix (date);
    if (message_id != NULL && *message_id != '\0')
      {
        g_autofree char *valid = g_utf8_make_valid (message_id, -1);

        summary->message_id = g_strdup_printf ("<%s>", valid);
      }
    summary->in_reply_to = dup_valid_header (GMIME_OBJECT (message), "In-Reply-To");
    summary->references = dup_valid_header (GMIME_OBJECT (message), "References");
  }

  g_object_unref (message);
  return summary;
}

/* ------------------------------------------------------------------------------------ */
/* The run */

static MailConnection *
new_connection (MailPop3Sync  *self,
                GError       **error)
{
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  MailConnection *connection;

  /* Set up exactly as mail_server_check_async() does, so that what the check accepted is
   * what the sync accepts. */
  if (self->config->ca_file != NULL &&
      !mail_tls_policy_set_ca_file (policy, self->config->ca_file, error))
    return NULL;

  if (self->pin_dir != NULL)
    {
      g_autoptr(MailCertStore) pins = mail_cert_store_new (self->pin_dir);

      if (!mail_cert_store_load (pins, error))
        return NULL;
      mail_tls_policy_set_cert_store (policy, pins);
    }

  connection = mail_connection_new (self->config->hostname, self->config->port,
                                    self->config->security);
  mail_connection_set_tls_policy (connection, policy);
  mail_connection_set_allow_plaintext (connection, self->config->allow_plaintext);
  mail_connection_set_log_label (connection, "pop3-sync");
  return connection;
}

static gboolean
should_delete (MailPop3Sync  *self,
               const UidlRow *row)
{
  if (row == NULL || !row->stored)
    return FALSE;
  if (!self->leave_on_server)
    return TRUE;
  if (self->delete_after_days == 0)
    return FALSE;
  return row->first_seen + (gint64) self->delete_after_days * 24 * 60 * 60 <= self->now;
}

static gboolean
store_batch (MailPop3Sync  *self,
             gint64         folder_id,
             GPtrArray     *uidls,
             GPtrArray     *summaries,
             GPtrArray     *raws,
             GHashTable    *rows,
             GError       **error)
{
  g_autofree gint64 *ids = NULL;

  if (summaries->len == 0)
    return TRUE;

  if (!mail_store_insert_messages_sync (self->store, folder_id, summaries, error))
    return FALSE;

  ids = g_new (gint64, summaries->len);
  for (guint i = 0; i < summaries->len; i++)
    ids[i] = ((MailMessageSummary *) g_ptr_array_index (summaries, i))->id;
  if (!mail_store_set_bodies_sync (self->store, ids, (GBytes * const *) raws->pdata,
                                   raws->len, error))
    return FALSE;

  if (!write_uidls (self, folder_id, uidls, rows, TRUE, error))
    return FALSE;
  for (guint i = 0; i < uidls->len; i++)
    ((UidlRow *) g_hash_table_lookup (rows, g_ptr_array_index (uidls, i)))->stored = TRUE;

  return TRUE;
}

static gboolean
run (MailPop3Sync  *self,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(MailConnection) connection = NULL;
  g_autoptr(MailPop3Client) client = NULL;
  g_autoptr(GArray) uidl_list = NULL;
  g_autoptr(GArray) size_list = NULL;
  g_autoptr(GHashTable) rows = NULL;
  g_autoptr(GHashTable) sizes = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GArray) todo = NULL;
  g_autoptr(GArray) doomed = NULL;
  g_autoptr(GArray) partial = NULL;
  gint64 folder_id = 0;
  guint32 max_uid = 0;
  Wait wait = { 0 };
  gboolean ok;

  if (!mail_store_ensure_folder_sync (self->store, MAIL_POP3_SYNC_FOLDER, NULL, &folder_id, error))
    return FALSE;

  rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!load_uidls (self, folder_id, rows, &max_uid, error))
    return FALSE;

  /* Remove what an interrupted run left half-written; it is downloaded again below. */
  partial = g_array_new (FALSE, FALSE, sizeof (guint32));
  {
    GHashTableIter iter;
    UidlRow *row;

    g_hash_table_iter_init (&iter, rows);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
      if (!row->stored)
        g_array_append_val (partial, row->uid);
  }
  if (partial->len > 0 &&
      !mail_store_delete_messages_sync (self->store, folder_id,
                                        &g_array_index (partial, guint32, 0),
                                        partial->len, error))
    return FALSE;

  connection = new_connection (self, error);
  if (connection == NULL)
    return FALSE;
  client = mail_pop3_client_new (connection);
  mail_pop3_client_set_max_message_size (client, self->max_message_size);

  AWAIT (self, wait, mail_pop3_client_connect_async (client, cancellable, wait_cb, &wait));
  ok = mail_pop3_client_connect_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (!ok)
    return FALSE;

  AWAIT (self, wait, mail_pop3_client_login_async (client, self->config->username,
                                                   self->password != NULL ? self->password : "",
                                                   self->config->auth != NULL ?
                                                   self->config->auth : "auto",
                                                   cancellable,
                                                   wait_cb, &wait));
  ok = mail_pop3_client_login_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (!ok)
    return FALSE;

  AWAIT (self, wait, mail_pop3_client_uidl_async (client, cancellable, wait_cb, &wait));
  uidl_list = mail_pop3_client_uidl_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (uidl_list == NULL)
    {
      if (error != NULL && *error != NULL && (*error)->domain == MAIL_POP3_ERROR)
        {
          g_autofree char *message = g_strdup ((*error)->message);

          g_clear_error (error);
          g_set_error (error, MAIL_SYNC_ERROR, MAIL_SYNC_ERROR_UNSUPPORTED,
                       _("The POP3 server cannot name its messages (UIDL): %s"), message);
        }
      return FALSE;
    }

  AWAIT (self, wait, mail_pop3_client_list_async (client, cancellable, wait_cb, &wait));
  size_list = mail_pop3_client_list_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (size_list == NULL)
    return FALSE;

  sizes = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < size_list->len; i++)
    {
      const MailPop3ListEntry *entry = &g_array_index (size_list, MailPop3ListEntry, i);
      guint64 size = MIN (entry->size, (guint64) G_MAXUINT);

      g_hash_table_insert (sizes, GUINT_TO_POINTER (entry->msgno), GUINT_TO_POINTER (size));
    }

  /* What to download: every UIDL not stored yet, in the server's order (oldest first). A
   * UIDL listed twice would make us delete two messages on the strength of one copy. */
  todo = g_array_new (FALSE, FALSE, sizeof (guint));
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < uidl_list->len; i++)
    {
      const MailPop3ListEntry *entry = &g_array_index (uidl_list, MailPop3ListEntry, i);
      const UidlRow *row = g_hash_table_lookup (rows, entry->uid);

      if (!g_hash_table_add (seen, entry->uid))
        {
          g_set_error (error, MAIL_SYNC_ERROR, MAIL_SYNC_ERROR_FAILED, "%s",
                       _("The POP3 server gave two messages the same unique id"));
          return FALSE;
        }
      if (row == NULL || !row->stored)
        g_array_append_val (todo, i);
    }

  for (guint start = 0; start < todo->len; start += self->batch_size)
    {
      g_autoptr(GPtrArray) fresh = g_ptr_array_new ();
      g_autoptr(GPtrArray) uidls = g_ptr_array_new ();
      g_autoptr(GPtrArray) summaries =
        g_ptr_array_new_with_free_func ((GDestroyNotify) mail_message_summary_unref);
      g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      guint end = MIN (start + self->batch_size, todo->len);

      /* Step 1: the uid of each new UIDL, committed before anything else. */
      for (guint i = start; i < end; i++)
        {
          const MailPop3ListEntry *entry =
            &g_array_index (uidl_list, MailPop3ListEntry, g_array_index (todo, guint, i));
          guint size = GPOINTER_TO_UINT (g_hash_table_lookup (sizes,
                                                              GUINT_TO_POINTER (entry->msgno)));

          if ((guint64) size > self->max_message_size)
            continue;
          if (g_hash_table_lookup (rows, entry->uid) == NULL)
            {
              UidlRow *row = g_new0 (UidlRow, 1);

              if (max_uid == G_MAXUINT32)
                {
                  g_free (row);
                  g_set_error (error, MAIL_SYNC_ERROR, MAIL_SYNC_ERROR_FAILED, "%s",
                               _("The local folder has run out of message numbers"));
                  return FALSE;
                }
              row->uid = ++max_uid;
              row->first_seen = self->now;
              g_hash_table_insert (rows, g_strdup (entry->uid), row);
              g_ptr_array_add (fresh, entry->uid);
            }
        }
      if (!write_uidls (self, folder_id, fresh, rows, FALSE, error))
        return FALSE;

      /* Step 2: download. */
      for (guint i = start; i < end; i++)
        {
          const MailPop3ListEntry *entry =
            &g_array_index (uidl_list, MailPop3ListEntry, g_array_index (todo, guint, i));
          const UidlRow *row = g_hash_table_lookup (rows, entry->uid);
          guint size = GPOINTER_TO_UINT (g_hash_table_lookup (sizes,
                                                              GUINT_TO_POINTER (entry->msgno)));
          g_autoptr(GOutputStream) sink = NULL;
          g_autoptr(GError) local_error = NULL;
          GBytes *raw;

          if (row == NULL || (guint64) size > self->max_message_size)
            {
              /* Bigger than the cap by its LIST size: left on the server. */
              self->n_skipped++;
              continue;
            }

          sink = g_memory_output_stream_new_resizable ();
          AWAIT (self, wait, mail_pop3_client_retr_async (client, entry->msgno, sink, cancellable,
                                                          wait_cb, &wait));
          ok = mail_pop3_client_retr_finish (client, wait.result, NULL, &local_error);
          g_clear_object (&wait.result);
          /* E.g. larger than its LIST size said and than the cap: the client has dropped
           * the connection, so this run ends here; the message is tried again next time. */
          if (!ok)
            {
              /* Keep what this batch got before the failure. */
              if (store_batch (self, folder_id, uidls, summaries, raws, rows, NULL))
                self->n_downloaded += uidls->len;
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (!g_output_stream_close (sink, NULL, error))
            return FALSE;

          raw = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
          self->n_bytes += g_bytes_get_size (raw);
          g_ptr_array_add (summaries, summary_from_raw (raw, row->uid, self->now));
          g_ptr_array_add (raws, raw);
          g_ptr_array_add (uidls, entry->uid);
          g_signal_emit (self, signals[SIGNAL_PROGRESS], 0,
                         self->n_downloaded + uidls->len, todo->len, self->n_bytes);
        }

      /* Steps 2 and 3: summaries and bodies, then the UIDLs marked stored. */
      if (!store_batch (self, folder_id, uidls, summaries, raws, rows, error))
        return FALSE;
      self->n_downloaded += uidls->len;
    }

  /* Steps 4 and 5: deletions, only of what is durably stored. */
  doomed = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < uidl_list->len; i++)
    {
      const MailPop3ListEntry *entry = &g_array_index (uidl_list, MailPop3ListEntry, i);

      if (should_delete (self, g_hash_table_lookup (rows, entry->uid)))
        g_array_append_val (doomed, entry->msgno);
    }

  if (doomed->len > 0)
    {
      if (!mail_store_flush_sync (self->store, error))
        return FALSE;

      for (guint i = 0; i < doomed->len; i++)
        {
          AWAIT (self, wait, mail_pop3_client_dele_async (client, g_array_index (doomed, guint, i),
                                                          cancellable, wait_cb, &wait));
          ok = mail_pop3_client_dele_finish (client, wait.result, error);
          g_clear_object (&wait.result);
          if (!ok)
            return FALSE;
        }
    }

  /* The server applies the deletions only when QUIT succeeds. */
  AWAIT (self, wait, mail_pop3_client_quit_async (client, cancellable, wait_cb, &wait));
  ok = mail_pop3_client_quit_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  if (!ok)
    return FALSE;
  self->n_deleted = doomed->len;

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* GObject */

static void
mail_pop3_sync_finalize (GObject *object)
{
  MailPop3Sync *self = (MailPop3Sync *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->config, mail_server_config_free);
  g_clear_pointer (&self->pin_dir, g_free);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);

  G_OBJECT_CLASS (mail_pop3_sync_parent_class)->finalize (object);
}

static void
mail_pop3_sync_class_init (MailPop3SyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_pop3_sync_finalize;

  /**
   * MailPop3Sync::progress:
   * @self: the sync
   * @done: messages downloaded so far in this run
   * @total: messages to download in this run
   * @bytes: bytes downloaded so far
   *
   * Emitted after each message, on the thread running the sync.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT64);
}

static void
mail_pop3_sync_init (MailPop3Sync *self)
{
  self->leave_on_server = TRUE;
  self->batch_size = 100;
  self->max_message_size = MAIL_POP3_DEFAULT_MAX_MESSAGE_SIZE;
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

/**
 * mail_pop3_sync_new:
 * @store: the account's store
 * @config: the incoming server (protocol POP3)
 * @pin_dir: (nullable): the account's certificate pin directory
 *
 * Creates a POP3 download into the "INBOX" folder of @store. By default messages are left on
 * the server.
 *
 * Returns: (transfer full): a new #MailPop3Sync
 */
MailPop3Sync *
mail_pop3_sync_new (MailStore              *store,
                    const MailServerConfig *config,
                    const char             *pin_dir)
{
  MailPop3Sync *self;

  g_return_val_if_fail (MAIL_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->hostname != NULL, NULL);

  self = g_object_new (MAIL_TYPE_POP3_SYNC, NULL);
  self->store = g_object_ref (store);
  self->config = mail_server_config_copy (config);
  self->pin_dir = g_strdup (pin_dir);
  return self;
}

/**
 * mail_pop3_sync_set_password:
 * @self: a #MailPop3Sync
 * @password: (nullable): the password; copied, and wiped when @self is finalized
 *
 * Sets the password to log in with.
 */
void
mail_pop3_sync_set_password (MailPop3Sync *self,
                             const char   *password)
{
  g_return_if_fail (MAIL_IS_POP3_SYNC (self));

  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
}

/**
 * mail_pop3_sync_set_leave_on_server:
 * @self: a #MailPop3Sync
 * @leave: %FALSE to delete each message from the server once it is stored
 *
 * Chooses whether downloaded messages stay on the server.
 */
void
mail_pop3_sync_set_leave_on_server (MailPop3Sync *self,
                                    gboolean      leave)
{
  g_return_if_fail (MAIL_IS_POP3_SYNC (self));

  self->leave_on_server = !!leave;
}

/**
 * mail_pop3_sync_set_delete_after_days:
 * @self: a #MailPop3Sync
 * @days: with messages left on the server, delete them this many days after they were first
 *   downloaded; 0 keeps them forever
 *
 * Sets the retention on the server.
 */
void
mail_pop3_sync_set_delete_after_days (MailPop3Sync *self,
                                      guint         days)
{
  g_return_if_fail (MAIL_IS_POP3_SYNC (self));

  self->delete_after_days = days;
}

/**
 * mail_pop3_sync_set_batch_size:
 * @self: a #MailPop3Sync
 * @batch_size: messages per store transaction, at least 1
 *
 * Sets how many messages are downloaded before they are committed together.
 */
void
mail_pop3_sync_set_batch_size (MailPop3Sync *self,
                               guint         batch_size)
{
  g_return_if_fail (MAIL_IS_POP3_SYNC (self));
  g_return_if_fail (batch_size > 0);

  self->batch_size = batch_size;
}

/**
 * mail_pop3_sync_set_max_message_size:
 * @self: a #MailPop3Sync
 * @max_size: the largest message downloaded, in bytes; larger ones stay on the server
 *
 * Caps the size of one message.
 */
void
mail_pop3_sync_set_max_message_size (MailPop3Sync *self,
                                     guint64       max_size)
{
  g_return_if_fail (MAIL_IS_POP3_SYNC (self));
  g_return_if_fail (max_size > 0);

  self->max_message_size = max_size;
}

/**
 * mail_pop3_sync_set_now:
 * @self: a #MailPop3Sync
 * @unix_time: the time to use as "now", or 0 for the real clock
 *
 * Overrides the clock used for first-download dates and the "after N days" rule.
 */
void
mail_pop3_sync_set_now (MailPop3Sync *self,
                        gint64        unix_time)
{
  g_return_if_fail (MAIL_IS_POP3_SYNC (self));

  self->now = unix_time;
}

/**
 * mail_pop3_sync_run_sync:
 * @self: a #MailPop3Sync
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, downloads every message not stored yet, deletes from the server what the
 * settings say (only messages durably stored), and logs out. Blocks: call it from the
 * account's sync thread. It runs the client on a main context of its own.
 *
 * Returns: %TRUE when the whole sync completed
 */
gboolean
mail_pop3_sync_run_sync (MailPop3Sync  *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  gint64 saved_now;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_POP3_SYNC (self), FALSE);
  g_return_val_if_fail (self->context == NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->config->protocol != MAIL_PROTOCOL_POP3)
    {
      g_set_error (error, MAIL_SYNC_ERROR, MAIL_SYNC_ERROR_INVALID, "%s",
                   _("The account’s incoming server is not a POP3 server"));
      return FALSE;
    }

  self->n_downloaded = 0;
  self->n_bytes = 0;
  self->n_deleted = 0;
  self->n_skipped = 0;
  saved_now = self->now;
  if (self->now == 0)
    self->now = g_get_real_time () / G_USEC_PER_SEC;

  self->context = g_main_context_new ();
  g_main_context_push_thread_default (self->context);
  ok = run (self, cancellable, error);
  /* Let the client's pending closes finish before the context goes away. */
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);
  g_main_context_pop_thread_default (self->context);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->now = saved_now;

  return ok;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (mail_pop3_sync_run_sync (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_pop3_sync_run_async:
 * @self: a #MailPop3Sync
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the sync is over
 * @user_data: data for @callback
 *
 * Runs mail_pop3_sync_run_sync() in a worker thread. The #MailPop3Sync::progress signal is
 * then emitted in that thread.
 */
void
mail_pop3_sync_run_async (MailPop3Sync        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_pop3_sync_run_async);
  g_task_run_in_thread (task, run_thread);
}

/**
 * mail_pop3_sync_run_finish:
 * @self: a #MailPop3Sync
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the whole sync completed
 */
gboolean
mail_pop3_sync_run_finish (MailPop3Sync  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_pop3_sync_get_n_downloaded:
 * @self: a #MailPop3Sync
 *
 * Returns: the number of messages stored by the last run
 */
guint
mail_pop3_sync_get_n_downloaded (MailPop3Sync *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_SYNC (self), 0);

  return self->n_downloaded;
}

/**
 * mail_pop3_sync_get_n_bytes:
 * @self: a #MailPop3Sync
 *
 * Returns: the number of message bytes downloaded by the last run
 */
guint64
mail_pop3_sync_get_n_bytes (MailPop3Sync *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_SYNC (self), 0);

  return self->n_bytes;
}

/**
 * mail_pop3_sync_get_n_deleted:
 * @self: a #MailPop3Sync
 *
 * Returns: the number of messages the last run deleted from the server
 */
guint
mail_pop3_sync_get_n_deleted (MailPop3Sync *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_SYNC (self), 0);

  return self->n_deleted;
}

/**
 * mail_pop3_sync_get_n_skipped:
 * @self: a #MailPop3Sync
 *
 * Returns: the number of messages the last run left on the server for being too large
 */
guint
mail_pop3_sync_get_n_skipped (MailPop3Sync *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_SYNC (self), 0);

  return self->n_skipped;
}
