/* mail-store-query.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-message-summary.h"

G_BEGIN_DECLS

/**
 * MailStoreSort:
 * @MAIL_STORE_SORT_DATE_DESC: newest first
 * @MAIL_STORE_SORT_DATE_ASC: oldest first
 */
typedef enum
{
  MAIL_STORE_SORT_DATE_DESC,
  MAIL_STORE_SORT_DATE_ASC,
} MailStoreSort;

/**
 * MailStoreFilter:
 * @MAIL_STORE_FILTER_NONE: every message
 * @MAIL_STORE_FILTER_UNREAD: only messages without `\Seen`
 * @MAIL_STORE_FILTER_FLAGGED: only messages with `\Flagged`
 * @MAIL_STORE_FILTER_HAS_ATTACHMENT: only messages with an attachment
 *
 * Filters, combined with AND.
 */
typedef enum
{
  MAIL_STORE_FILTER_NONE           = 0,
  MAIL_STORE_FILTER_UNREAD         = 1 << 0,
  MAIL_STORE_FILTER_FLAGGED        = 1 << 1,
  MAIL_STORE_FILTER_HAS_ATTACHMENT = 1 << 2,
} MailStoreFilter;

typedef struct _MailStore MailStore;

#define MAIL_TYPE_STORE_QUERY (mail_store_query_get_type ())

G_DECLARE_FINAL_TYPE (MailStoreQuery, mail_store_query, MAIL, STORE_QUERY, GObject)

MailStoreQuery *mail_store_query_new            (MailStore            *store,
                                                 gint64                folder_id,
                                                 MailStoreSort         sort,
                                                 MailStoreFilter       filter,
                                                 const char           *search)
                                                 G_GNUC_WARN_UNUSED_RESULT;
MailStore      *mail_store_query_get_store      (MailStoreQuery       *self);
const char     *mail_store_query_get_match      (MailStoreQuery       *self);
MailStoreFilter mail_store_query_get_filter     (MailStoreQuery       *self);
guint           mail_store_query_get_n_items    (MailStoreQuery       *self);
gboolean        mail_store_query_count_sync     (MailStoreQuery       *self,
                                                 guint                *out_count,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
void            mail_store_query_count_async    (MailStoreQuery       *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        mail_store_query_count_finish   (MailStoreQuery       *self,
                                                 GAsyncResult         *result,
                                                 guint                *out_count,
                                                 GError              **error);
GPtrArray      *mail_store_query_get_rows_sync  (MailStoreQuery       *self,
                                                 guint                 offset,
                                                 guint                 limit,
                                                 GCancellable         *cancellable,
                                                 GError              **error)
                                                 G_GNUC_WARN_UNUSED_RESULT;
void            mail_store_query_get_rows_async (MailStoreQuery       *self,
                                                 guint                 offset,
                                                 guint                 limit,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray      *mail_store_query_get_rows_finish (MailStoreQuery      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error)
                                                  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
