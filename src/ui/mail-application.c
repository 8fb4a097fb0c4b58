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

#include "mail-account-assistant.h"
#include "mail-engine.h"
#include "mail-preferences-window.h"
#include "mail-window.h"

struct _MailApplication
{
  AdwApplication  parent_instance;

  /* owned references */
  GSettings          *settings;
  MailAccountManager *account_manager;
  MailSecretStore    *secret_store;
};

G_DEFINE_FINAL_TYPE (MailApplication, mail_application, ADW_TYPE_APPLICATION)

static MailWindow *
ensure_window (MailApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!MAIL_IS_WINDOW (window))
    window = GTK_WINDOW (mail_window_new (self));

  return MAIL_WINDOW (window);
}

static void
apply_color_scheme (MailApplication *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  AdwColorScheme scheme;

  switch (g_settings_get_enum (self->settings, "color-scheme"))
    {
    case 1:
      scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
      break;

    case 2:
      scheme = ADW_COLOR_SCHEME_FORCE_DARK;
      break;

    default:
      /* Follow the system: light unless the desktop prefers dark. */
      scheme = ADW_COLOR_SCHEME_DEFAULT;
      break;
    }

  adw_style_manager_set_color_scheme (style_manager, scheme);
}

static void
color_scheme_changed_cb (MailApplication *self,
                         const char      *key,
                         GSettings       *settings)
{
  apply_color_scheme (self);
}

static void
add_account_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  MailApplication *self = user_data;
  MailWindow *window = ensure_window (self);
  MailAccountAssistant *assistant;

  gtk_window_present (GTK_WINDOW (window));
  assistant = mail_account_assistant_new (GTK_WINDOW (window), self->account_manager,
                                          self->secret_store);
  gtk_window_present (GTK_WINDOW (assistant));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  MailApplication *self = user_data;
  MailPreferencesWindow *preferences;

  preferences = mail_preferences_window_new (GTK_WINDOW (ensure_window (self)), self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  MailApplication *self = user_data;
  static const char *developers[] = { "The Example Mail authors", NULL };

  adw_show_about_window (GTK_WINDOW (ensure_window (self)),
                         "application-name", _("Mail"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Example Mail authors"),
                         "developers", developers,
                         "copyright", "© 2026 The Example Mail authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://example.org/mail",
                         "issue-url", "https://example.org/mail/issues",
                         /* Translators: Replace "translator-credits" with your names,
                          * one name per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  MailApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close windows rather than quitting outright, so that each can save its state. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "add-account", add_account_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
mail_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (MAIL_APPLICATION (app))));
}

static void
mail_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  MailApplication *self = MAIL_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      if (g_file_has_uri_scheme (files[i], "mailto"))
        g_debug ("mailto: link received; the composer will handle it");
      else
        g_debug ("Ignoring file that is not a mailto: link");
    }

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
}

static void
mail_application_startup (GApplication *app)
{
  MailApplication *self = MAIL_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *add_account_accels[] = { "<Control><Shift>a", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (mail_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.add-account",
                                         add_account_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (color_scheme_changed_cb), self,
                           G_CONNECT_SWAPPED);
  apply_color_scheme (self);
}

static void
mail_application_dispose (GObject *object)
{
  MailApplication *self = MAIL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->account_manager);
  g_clear_object (&self->secret_store);

  G_OBJECT_CLASS (mail_application_parent_class)->dispose (object);
}

static void
mail_application_class_init (MailApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mail_application_dispose;
  app_class->activate = mail_application_activate;
  app_class->open = mail_application_open;
  app_class->startup = mail_application_startup;
}

static void
mail_application_init (MailApplication *self)
{
  g_autoptr(GError) error = NULL;

  mail_engine_init ();
  self->settings = g_settings_new (APP_ID);
  self->secret_store = mail_secret_store_new ();

  /* Accounts live in $XDG_CONFIG_HOME/example-mail/accounts.ini (no passwords there). A
   * damaged entry is skipped; the others still load. */
  self->account_manager = mail_account_manager_new_default ();
  if (!mail_account_manager_load (self->account_manager, &error))
    g_warning ("Could not read every account: %s", error->message);
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

/**
 * mail_application_get_settings:
 * @self: the application
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
mail_application_get_settings (MailApplication *self)
{
  g_return_val_if_fail (MAIL_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * mail_application_get_account_manager:
 * @self: the application
 *
 * Returns: (transfer none): the accounts
 */
MailAccountManager *
mail_application_get_account_manager (MailApplication *self)
{
  g_return_val_if_fail (MAIL_IS_APPLICATION (self), NULL);

  return self->account_manager;
}

/**
 * mail_application_get_secret_store:
 * @self: the application
 *
 * Returns: (transfer none): where passwords are kept (the keyring)
 */
MailSecretStore *
mail_application_get_secret_store (MailApplication *self)
{
  g_return_val_if_fail (MAIL_IS_APPLICATION (self), NULL);

  return self->secret_store;
}
