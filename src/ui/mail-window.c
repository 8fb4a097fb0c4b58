/* mail-window.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include "mail-window.h"

struct _MailWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (MailWindow, mail_window, ADW_TYPE_APPLICATION_WINDOW)

static void
mail_window_class_init (MailWindowClass *klass)
{
}

static void
mail_window_init (MailWindow *self)
{
}

MailWindow *
mail_window_new (MailApplication *application)
{
  return g_object_new (MAIL_TYPE_WINDOW, "application", application, NULL);
}
