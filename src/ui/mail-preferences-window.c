/* mail-preferences-window.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include "mail-preferences-window.h"

struct _MailPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwComboRow          *color_scheme_row;
  GtkSwitch            *remote_content_switch;
  GtkSwitch            *notifications_switch;
  GtkSpinButton        *check_interval_spin;
  GtkSpinButton        *undo_send_spin;
  GtkSwitch            *online_db_switch;

  /* owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (MailPreferencesWindow, mail_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row lists the choices in the order of the schema's enum values. */
static const char * const color_scheme_nicks[] = { "follow", "light", "dark" };

static gboolean
color_scheme_get_mapping (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_scheme_nicks); i++)
    {
      if (g_strcmp0 (nick, color_scheme_nicks[i]) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
color_scheme_set_mapping (const GValue       *value,
                          const GVariantType *expected_type,
                          gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (color_scheme_nicks))
    return NULL;

  return g_variant_new_string (color_scheme_nicks[selected]);
}

static void
bind_settings (MailPreferencesWindow *self)
{
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                color_scheme_get_mapping, color_scheme_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "show-remote-content",
                   self->remote_content_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications",
                   self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "check-interval",
                   gtk_spin_button_get_adjustment (self->check_interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "undo-send-delay",
                   gtk_spin_button_get_adjustment (self->undo_send_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "use-online-provider-database",
                   self->online_db_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
mail_preferences_window_constructed (GObject *object)
{
  MailPreferencesWindow *self = MAIL_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (mail_preferences_window_parent_class)->constructed (object);

  g_assert (self->settings != NULL);
  bind_settings (self);
}

static void
mail_preferences_window_dispose (GObject *object)
{
  MailPreferencesWindow *self = MAIL_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAIL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mail_preferences_window_parent_class)->dispose (object);
}

static void
mail_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MailPreferencesWindow *self = MAIL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  MailPreferencesWindow *self = MAIL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_preferences_window_class_init (MailPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mail_preferences_window_constructed;
  object_class->dispose = mail_preferences_window_dispose;
  object_class->get_property = mail_preferences_window_get_property;
  object_class->set_property = mail_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MailPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MailPreferencesWindow, remote_content_switch);
  gtk_widget_class_bind_template_child (widget_class, MailPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, MailPreferencesWindow, check_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, MailPreferencesWindow, undo_send_spin);
  gtk_widget_class_bind_template_child (widget_class, MailPreferencesWindow, online_db_switch);
}

static void
mail_preferences_window_init (MailPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MailPreferencesWindow *
mail_preferences_window_new (GtkWindow *parent,
                             GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (MAIL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}
