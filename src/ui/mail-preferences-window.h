/* mail-preferences-window.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MAIL_TYPE_PREFERENCES_WINDOW (mail_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (MailPreferencesWindow, mail_preferences_window, MAIL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

MailPreferencesWindow *mail_preferences_window_new (GtkWindow *parent,
                                                    GSettings *settings) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
