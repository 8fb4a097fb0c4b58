/* mail-application.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include "mail-application.h"

#include <glib/gi18n.h>

#include "mail-engine.h"
#include "mail-window.h"

struct _MailApplication
{
  AdwApplication  parent_instance;

  /* owned references */
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (MailApplication, mail_application, ADW_TYPE_APPLICATION)

static void
mail_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (mail_window_new (MAIL_APPLICATION (app)));

  gtk_window_present (window);
}

static void
mail_application_dispose (GObject *object)
{
  MailApplication *self = MAIL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mail_application_parent_class)->dispose (object);
}

static void
mail_application_class_init (MailApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mail_application_dispose;
  app_class->activate = mail_application_activate;
}

static void
mail_application_init (MailApplication *self)
{
  mail_engine_init ();
  self->settings = g_settings_new (APP_ID);
}

MailApplication *
mail_application_new (void)
{
  return g_object_new (MAIL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/example/Mail",
                       NULL);
}

GSettings *
mail_application_get_settings (MailApplication *self)
{
  g_return_val_if_fail (MAIL_IS_APPLICATION (self), NULL);

  return self->settings;
}
