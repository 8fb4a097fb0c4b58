/* mail-account-manager.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-account.h"

G_BEGIN_DECLS

#define MAIL_ACCOUNT_ERROR (mail_account_error_quark ())

typedef enum
{
  MAIL_ACCOUNT_ERROR_INVALID,   /* the accounts file or an account is malformed */
  MAIL_ACCOUNT_ERROR_EXISTS,    /* an account with that id exists already */
  MAIL_ACCOUNT_ERROR_NOT_FOUND, /* no such account */
} MailAccountError;

#define MAIL_TYPE_ACCOUNT_MANAGER (mail_account_manager_get_type ())

G_DECLARE_FINAL_TYPE (MailAccountManager, mail_account_manager, MAIL, ACCOUNT_MANAGER, GObject)

GQuark              mail_account_error_quark           (void);
char               *mail_account_manager_generate_id   (void) G_GNUC_WARN_UNUSED_RESULT;
MailAccountManager *mail_account_manager_new           (const char          *config_dir,
                                                        const char          *data_dir)
  G_GNUC_WARN_UNUSED_RESULT;
MailAccountManager *mail_account_manager_new_default   (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean            mail_account_manager_load          (MailAccountManager  *self,
                                                        GError             **error);
gboolean            mail_account_manager_save          (MailAccountManager  *self,
                                                        GError             **error);
GListModel         *mail_account_manager_get_accounts  (MailAccountManager  *self);
MailAccount        *mail_account_manager_lookup        (MailAccountManager  *self,
                                                        const char          *id);
gboolean            mail_account_manager_add           (MailAccountManager  *self,
                                                        MailAccount         *account,
                                                        GError             **error);
gboolean            mail_account_manager_remove        (MailAccountManager  *self,
                                                        MailAccount         *account,
                                                        GError             **error);
char               *mail_account_manager_dup_data_dir  (MailAccountManager  *self,
                                                        MailAccount         *account)
  G_GNUC_WARN_UNUSED_RESULT;
const char         *mail_account_manager_get_file      (MailAccountManager  *self);

G_END_DECLS
