/* mail-window.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-account.h"
#include "mail-application.h"

G_BEGIN_DECLS

#define MAIL_TYPE_WINDOW (mail_window_get_type ())

G_DECLARE_FINAL_TYPE (MailWindow, mail_window, MAIL, WINDOW, AdwApplicationWindow)

MailWindow *mail_window_new           (MailApplication *application) G_GNUC_WARN_UNUSED_RESULT;
const char *mail_window_get_page_name (MailWindow      *self);
void        mail_window_add_toast     (MailWindow      *self,
                                       AdwToast        *toast);
void        mail_window_show_account  (MailWindow      *self,
                                       MailAccount     *account);

G_END_DECLS
