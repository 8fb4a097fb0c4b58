/* test-window.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "mail-preferences-window.h"
#include "mail-window.h"

static GtkWidget *
find_child_of_type (GtkWidget *root,
                    GType      type,
                    guint      nth)
{
  GPtrArray *queue = g_ptr_array_new ();
  GtkWidget *found = NULL;

  /* Breadth-first, so the n-th match is in reading order within a page. */
  g_ptr_array_add (queue, root);
  for (guint i = 0; i < queue->len && found == NULL; i++)
    {
      GtkWidget *widget = g_ptr_array_index (queue, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && nth-- == 0)
        found = widget;

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (queue, child);
    }

  g_ptr_array_unref (queue);
  return found;
}

static void
test_window_welcome (void)
{
  MailWindow *window = mail_window_new (NULL);
  GtkWidget *status_page;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (mail_window_get_page_name (window), ==, "welcome");

  status_page = find_child_of_type (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, 0);
  g_assert_nonnull (status_page);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)),
                   ==, "Welcome to Mail");
  g_assert_true (gtk_widget_get_visible (status_page));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_restores_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  MailWindow *window;
  int width = 0;
  int height = 0;

  g_settings_set_int (settings, "window-width", 812);
  g_settings_set_int (settings, "window-height", 604);

  window = mail_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 812);
  g_assert_cmpint (height, ==, 604);

  /* Closing saves the size back. */
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 650);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
test_preferences_bindings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  MailPreferencesWindow *prefs = mail_preferences_window_new (NULL, settings);
  GtkWidget *remote_switch;
  GtkWidget *combo;
  GtkWidget *interval;

  gtk_window_present (GTK_WINDOW (prefs));

  /* First switch on the General page is "Load Remote Content", off by default. */
  remote_switch = find_child_of_type (GTK_WIDGET (prefs), GTK_TYPE_SWITCH, 0);
  g_assert_nonnull (remote_switch);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (remote_switch)));
  g_assert_false (g_settings_get_boolean (settings, "show-remote-content"));

  gtk_switch_set_active (GTK_SWITCH (remote_switch), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "show-remote-content"));
  g_settings_set_boolean (settings, "show-remote-content", FALSE);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (remote_switch)));

  combo = find_child_of_type (GTK_WIDGET (prefs), ADW_TYPE_COMBO_ROW, 0);
  g_assert_nonnull (combo);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "dark");
  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 1);
  g_settings_reset (settings, "color-scheme");

  interval = find_child_of_type (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON, 0);
  g_assert_nonnull (interval);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (interval)), ==, 10.0);
  g_settings_set_uint (settings, "check-interval", 30);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (interval)), ==, 30.0);
  g_settings_reset (settings, "check-interval");

  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/window/welcome", test_window_welcome);
  g_test_add_func ("/ui/window/restores-size", test_window_restores_size);
  g_test_add_func ("/ui/preferences/bindings", test_preferences_bindings);

  return g_test_run ();
}
