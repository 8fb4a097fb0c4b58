/* mail-account.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mail-server-config.h"

G_BEGIN_DECLS

#define MAIL_TYPE_ACCOUNT (mail_account_get_type ())

G_DECLARE_FINAL_TYPE (MailAccount, mail_account, MAIL, ACCOUNT, GObject)

MailAccount            *mail_account_new                        (const char *id)
  G_GNUC_WARN_UNUSED_RESULT;
const char             *mail_account_get_id                     (MailAccount *self);
const char             *mail_account_get_display_name           (MailAccount *self);
void                    mail_account_set_display_name           (MailAccount *self,
                                                                 const char  *display_name);
const char             *mail_account_get_real_name              (MailAccount *self);
void                    mail_account_set_real_name              (MailAccount *self,
                                                                 const char  *real_name);
const char             *mail_account_get_email                  (MailAccount *self);
void                    mail_account_set_email                  (MailAccount *self,
                                                                 const char  *email);
const MailServerConfig *mail_account_get_incoming               (MailAccount *self);
void                    mail_account_set_incoming               (MailAccount *self,
                                                                 const MailServerConfig *config);
const MailServerConfig *mail_account_get_outgoing               (MailAccount *self);
void                    mail_account_set_outgoing               (MailAccount *self,
                                                                 const MailServerConfig *config);
gboolean                mail_account_get_pop3_leave_on_server   (MailAccount *self);
void                    mail_account_set_pop3_leave_on_server   (MailAccount *self,
                                                                 gboolean     leave);
guint                   mail_account_get_pop3_delete_after_days (MailAccount *self);
void                    mail_account_set_pop3_delete_after_days (MailAccount *self,
                                                                 guint        days);

G_END_DECLS
