/* mail-store.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-folder.h"
#include "mail-message-summary.h"
#include "mail-store-op.h"

G_BEGIN_DECLS

#define MAIL_STORE_ERROR (mail_store_error_quark ())

/**
 * MailStoreError:
 * @MAIL_STORE_ERROR_FAILED: the database reported an error
 * @MAIL_STORE_ERROR_TOO_NEW: the database was written by a newer version of the app
 * @MAIL_STORE_ERROR_NOT_FOUND: no such folder, message, body or operation
 * @MAIL_STORE_ERROR_CORRUPT: stored data failed a consistency check
 * @MAIL_STORE_ERROR_INVALID: an argument was refused
 *
 * Errors of the local store.
 */
typedef enum
{
  MAIL_STORE_ERROR_FAILED,
  MAIL_STORE_ERROR_TOO_NEW,
  MAIL_STORE_ERROR_NOT_FOUND,
  MAIL_STORE_ERROR_CORRUPT,
  MAIL_STORE_ERROR_INVALID,
} MailStoreError;

#define MAIL_TYPE_STORE (mail_store_get_type ())

G_DECLARE_FINAL_TYPE (MailStore, mail_store, MAIL, STORE, GObject)

GQuark              mail_store_error_quark            (void);

MailStore          *mail_store_open_sync              (const char           *path,
                                                       GCancellable         *cancellable,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
void                mail_store_open_async             (const char           *path,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
MailStore          *mail_store_open_finish            (GAsyncResult         *result,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
const char         *mail_store_get_path               (MailStore            *self);
guint               mail_store_get_schema_version     (MailStore            *self);
guint               mail_store_get_known_schema_version (void);
gboolean            mail_store_flush_sync             (MailStore            *self,
                                                       GError              **error);

/* Folders */
gboolean            mail_store_ensure_folder_sync     (MailStore            *self,
                                                       const char           *name,
                                                       const char           *delimiter,
                                                       gint64               *out_id,
                                                       GError              **error);
MailFolder         *mail_store_get_folder_sync        (MailStore            *self,
                                                       gint64                folder_id,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
MailFolder         *mail_store_lookup_folder_sync     (MailStore            *self,
                                                       const char           *name,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *mail_store_list_folders_sync      (MailStore            *self,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
void                mail_store_list_folders_async     (MailStore            *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray          *mail_store_list_folders_finish    (MailStore            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
gboolean            mail_store_update_folder_sync     (MailStore            *self,
                                                       const MailFolder     *folder,
                                                       GError              **error);
gboolean            mail_store_set_uidvalidity_sync   (MailStore            *self,
                                                       gint64                folder_id,
                                                       guint32               uidvalidity,
                                                       gboolean             *out_wiped,
                                                       GError              **error);
gboolean            mail_store_delete_folder_sync     (MailStore            *self,
                                                       gint64                folder_id,
                                                       GError              **error);

/* Messages */
gboolean            mail_store_insert_messages_sync   (MailStore            *self,
                                                       gint64                folder_id,
                                                       GPtrArray            *summaries,
                                                       GError              **error);
MailMessageSummary *mail_store_get_message_sync       (MailStore            *self,
                                                       gint64                message_id,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
MailMessageSummary *mail_store_lookup_uid_sync        (MailStore            *self,
                                                       gint64                folder_id,
                                                       guint32               uid,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
GArray             *mail_store_list_uids_sync         (MailStore            *self,
                                                       gint64                folder_id,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *mail_store_list_thread_sync       (MailStore            *self,
                                                       gint64                thread_id,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
gboolean            mail_store_set_flags_sync         (MailStore            *self,
                                                       gint64                message_id,
                                                       guint                 flags,
                                                       const char           *keywords,
                                                       GError              **error);
gboolean            mail_store_delete_messages_sync   (MailStore            *self,
                                                       gint64                folder_id,
                                                       const guint32        *uids,
                                                       guint                 n_uids,
                                                       GError              **error);

/* Bodies */
gboolean            mail_store_set_body_sync          (MailStore            *self,
                                                       gint64                message_id,
                                                       GBytes               *raw,
                                                       GError              **error);
gboolean            mail_store_set_bodies_sync        (MailStore            *self,
                                                       const gint64         *message_ids,
                                                       GBytes * const       *raws,
                                                       guint                 n_bodies,
                                                       GError              **error);
GBytes             *mail_store_get_body_sync          (MailStore            *self,
                                                       gint64                message_id,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
void                mail_store_get_body_async         (MailStore            *self,
                                                       gint64                message_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GBytes             *mail_store_get_body_finish        (MailStore            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;

/* Queue of local operations */
gboolean            mail_store_enqueue_op_sync        (MailStore            *self,
                                                       MailStoreOpKind       kind,
                                                       gint64                folder_id,
                                                       GVariant             *args,
                                                       gint64               *out_id,
                                                       GError              **error);
GPtrArray          *mail_store_list_ops_sync          (MailStore            *self,
                                                       GError              **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
gboolean            mail_store_begin_op_sync          (MailStore            *self,
                                                       gint64                op_id,
                                                       GError              **error);
gboolean            mail_store_complete_op_sync       (MailStore            *self,
                                                       gint64                op_id,
                                                       GError              **error);
gboolean            mail_store_fail_op_sync           (MailStore            *self,
                                                       gint64                op_id,
                                                       const char           *message,
                                                       gboolean              permanent,
                                                       GError              **error);

G_END_DECLS
