/* mail-server-settings-page.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-server-config.h"

G_BEGIN_DECLS

#define MAIL_TYPE_SERVER_SETTINGS_PAGE (mail_server_settings_page_get_type ())

G_DECLARE_FINAL_TYPE (MailServerSettingsPage, mail_server_settings_page, MAIL,
                      SERVER_SETTINGS_PAGE, AdwBin)

void              mail_server_settings_page_set_outgoing (MailServerSettingsPage *self,
                                                          gboolean                outgoing);
void              mail_server_settings_page_set_config   (MailServerSettingsPage *self,
                                                          const MailServerConfig *config);
MailServerConfig *mail_server_settings_page_dup_config   (MailServerSettingsPage *self)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean          mail_server_settings_page_is_complete  (MailServerSettingsPage *self);

G_END_DECLS
