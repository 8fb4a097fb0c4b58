/* mail-account-assistant.h
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

#define MAIL_TYPE_ACCOUNT_ASSISTANT (mail_account_assistant_get_type ())

G_DECLARE_FINAL_TYPE (MailAccountAssistant, mail_account_assistant, MAIL, ACCOUNT_ASSISTANT,
                      AdwWindow)

MailAccountAssistant *mail_account_assistant_new (GtkWindow          *parent,
                                                  MailAccountManager *manager,
                                                  MailSecretStore    *secrets)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
