/* mail-autoconfig-bundled.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-autoconfig-config.h"

G_BEGIN_DECLS

MailAutoconfigConfig *mail_autoconfig_bundled_lookup          (const char  *domain,
                                                               GError     **error)
                                                               G_GNUC_WARN_UNUSED_RESULT;
char                **mail_autoconfig_bundled_list_files      (void) G_GNUC_WARN_UNUSED_RESULT;
guint                 mail_autoconfig_bundled_get_n_domains   (void);

G_END_DECLS
