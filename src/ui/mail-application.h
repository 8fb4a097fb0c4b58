/* mail-application.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-account-manager.h"
#include "mail-secret-store.h"

G_BEGIN_DECLS

#define MAIL_TYPE_APPLICATION (mail_application_get_type ())

G_DECLARE_FINAL_TYPE (MailApplication, mail_application, MAIL, APPLICATION, AdwApplication)

MailApplication *mail_application_new          (void) G_GNUC_WARN_UNUSED_RESULT;
GSettings          *mail_application_get_settings        (MailApplication *self);
MailAccountManager *mail_application_get_account_manager (MailApplication *self);
MailSecretStore    *mail_application_get_secret_store    (MailApplication *self);

G_END_DECLS
