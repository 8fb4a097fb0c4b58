/* mail-pop3-sync.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-server-config.h"
#include "mail-store.h"

G_BEGIN_DECLS

#define MAIL_SYNC_ERROR (mail_sync_error_quark ())

/**
 * MailSyncError:
 * @MAIL_SYNC_ERROR_FAILED: anything not listed below
 * @MAIL_SYNC_ERROR_UNSUPPORTED: the server lacks something the sync needs (e.g. POP3 UIDL)
 * @MAIL_SYNC_ERROR_INVALID: an argument or setting was refused
 *
 * Errors of the sync engine. Network, protocol and store errors keep their own domains.
 */
typedef enum
{
  MAIL_SYNC_ERROR_FAILED,
  MAIL_SYNC_ERROR_UNSUPPORTED,
  MAIL_SYNC_ERROR_INVALID,
} MailSyncError;

/**
 * MAIL_POP3_SYNC_FOLDER:
 *
 * The store folder a POP3 account's messages go to.
 */
#define MAIL_POP3_SYNC_FOLDER "INBOX"

#define MAIL_TYPE_POP3_SYNC (mail_pop3_sync_get_type ())

G_DECLARE_FINAL_TYPE (MailPop3Sync, mail_pop3_sync, MAIL, POP3_SYNC, GObject)

GQuark        mail_sync_error_quark                (void);

MailPop3Sync *mail_pop3_sync_new                   (MailStore              *store,
                                                    const MailServerConfig *config,
                                                    const char             *pin_dir)
                                                    G_GNUC_WARN_UNUSED_RESULT;
void          mail_pop3_sync_set_password          (MailPop3Sync           *self,
                                                    const char             *password);
void          mail_pop3_sync_set_leave_on_server   (MailPop3Sync           *self,
                                                    gboolean                leave);
void          mail_pop3_sync_set_delete_after_days (MailPop3Sync           *self,
                                                    guint                   days);
void          mail_pop3_sync_set_batch_size        (MailPop3Sync           *self,
                                                    guint                   batch_size);
void          mail_pop3_sync_set_max_message_size  (MailPop3Sync           *self,
                                                    guint64                 max_size);
void          mail_pop3_sync_set_now               (MailPop3Sync           *self,
                                                    gint64                  unix_time);
gboolean      mail_pop3_sync_run_sync              (MailPop3Sync           *self,
                                                    GCancellable           *cancellable,
                                                    GError                **error);
void          mail_pop3_sync_run_async             (MailPop3Sync           *self,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean      mail_pop3_sync_run_finish            (MailPop3Sync           *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);
guint         mail_pop3_sync_get_n_downloaded      (MailPop3Sync           *self);
guint64       mail_pop3_sync_get_n_bytes           (MailPop3Sync           *self);
guint         mail_pop3_sync_get_n_deleted         (MailPop3Sync           *self);
guint         mail_pop3_sync_get_n_skipped         (MailPop3Sync           *self);

G_END_DECLS
