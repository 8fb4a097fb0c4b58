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
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  GtkButton            *add_account_button;

  /* owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (MailWindow, mail_window, ADW_TYPE_APPLICATION_WINDOW)

static void
restore_window_state (MailWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 294));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (MailWindow *self)
{
  int width = 0;
  int height = 0;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  /* The default size tracks the unmaximized size, which is what we want to restore. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
mail_window_close_request (GtkWindow *window)
{
  save_window_state (MAIL_WINDOW (window));

  return GTK_WINDOW_CLASS (mail_window_parent_class)->close_request (window);
}

static void
mail_window_constructed (GObject *object)
{
  MailWindow *self = MAIL_WINDOW (object);
  GtkApplication *app;

  G_OBJECT_CLASS (mail_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (MAIL_IS_APPLICATION (app))
    self->settings = g_object_ref (mail_application_get_settings (MAIL_APPLICATION (app)));
  else
    self->settings = g_settings_new (APP_ID);

  restore_window_state (self);
}

static void
mail_window_dispose (GObject *object)
{
  MailWindow *self = MAIL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAIL_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mail_window_parent_class)->dispose (object);
}

static void
mail_window_class_init (MailWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = mail_window_constructed;
  object_class->dispose = mail_window_dispose;
  window_class->close_request = mail_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Mail/ui/mail-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MailWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MailWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MailWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, MailWindow, add_account_button);
}

static void
mail_window_init (MailWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

MailWindow *
mail_window_new (MailApplication *application)
{
  return g_object_new (MAIL_TYPE_WINDOW, "application", application, NULL);
}

/**
 * mail_window_get_page_name:
 * @self: a window
 *
 * Returns: (transfer none): the name of the page shown, such as "welcome"
 */
const char *
mail_window_get_page_name (MailWindow *self)
{
  g_return_val_if_fail (MAIL_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

void
mail_window_add_toast (MailWindow *self,
                       AdwToast   *toast)
{
  g_return_if_fail (MAIL_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
