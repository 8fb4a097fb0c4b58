/* mail-store-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "mail-store.h"
#include "mail-store-query.h"

G_BEGIN_DECLS

/* One changed message as the queries see it: enough to place it in any sort order.
 * id == 0 means "everything in folder_id changed" (folder_id == 0: everything at all). */
typedef struct
{
  gint64 id;
  gint64 folder_id;
  gint64 date;
} MailStoreKey;

/* Columns read by mail_store_read_summary(), in this order; the table is aliased "m". */
#define MAIL_STORE_LIST_COLUMNS \
  "m.id, m.folder_id, m.uid, m.flags, m.keywords, m.internal_date, m.date, m.size, " \
  "m.sender_name, m.sender_address, m.recipients, m.subject, m.message_id, m.thread_id, " \
  "m.preview, m.has_attachment"
#define MAIL_STORE_FULL_COLUMNS \
  MAIL_STORE_LIST_COLUMNS ", m.in_reply_to, m.refs, m.body_structure"

/* A statement that is reset when it goes out of scope, so that no read transaction stays open. */
typedef sqlite3_stmt MailStmt;

static inline void
mail_stmt_reset (MailStmt *stmt)
{
  if (stmt != NULL)
    sqlite3_reset (stmt);
}

static inline void
mail_stmt_finalize (MailStmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailStmt, mail_stmt_reset)

typedef MailStmt MailOwnedStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailOwnedStmt, mail_stmt_finalize)

GRecMutex          *mail_store_get_lock             (MailStore          *self);
sqlite3            *mail_store_get_db               (MailStore          *self);
gboolean            mail_store_set_sqlite_error     (sqlite3            *db,
                                                     int                 rc,
                                                     GError            **error);
gboolean            mail_store_exec                 (sqlite3            *db,
                                                     const char         *sql,
                                                     GError            **error);
MailMessageSummary *mail_store_read_summary         (sqlite3_stmt       *stmt,
                                                     gboolean            full);
void                mail_store_register_query       (MailStore          *self,
                                                     MailStoreQuery     *query);
sqlite3            *mail_store_take_reader          (MailStore          *self,
                                                     GError            **error);
void                mail_store_give_back_reader     (MailStore          *self,
                                                     sqlite3            *db);

/* Called with the store's lock held, right before a write transaction commits. */
void                mail_store_query_pin_for_commit (MailStoreQuery     *self,
                                                     const MailStoreKey *keys,
                                                     guint               n_keys);

/* Called with the store's lock held, right after a write transaction committed (or failed to:
 * then with no keys). */
void                mail_store_query_note_changes   (MailStoreQuery     *self,
                                                     const MailStoreKey *keys,
                                                     guint               n_keys);

G_END_DECLS
