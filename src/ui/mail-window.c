/* mail-window.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include "mail-window.h"

#include <glib/gi18n.h>

struct _MailWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  GtkButton            *add_account_button;
  AdwStatusPage        *account_page;

  /* owned references */
  GSettings            *settings;
  MailAccount          *account;
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

static MailAccountManager *
account_manager (MailWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return MAIL_IS_APPLICATION (app) ?
         mail_application_get_account_manager (MAIL_APPLICATION (app)) : NULL;
}

/* Shows the first account, or the welcome page when there is none. */
static void
show_first_account (MailWindow *self)
{
  MailAccountManager *manager = account_manager (self);
  g_autoptr(MailAccount) first = NULL;

  if (manager != NULL)
    first = g_list_model_get_item (mail_account_manager_get_accounts (manager), 0);

  if (first != NULL)
    mail_window_show_account (self, first);
  else
    {
      g_clear_object (&self->account);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", FALSE);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }
}

static void
secrets_cleared_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MailWindow) self = user_data;
  g_autoptr(MailAccount) account = g_object_steal_data (G_OBJECT (self), "removing");
  g_autoptr(GError) error = NULL;
  MailAccountManager *manager = account_manager (self);

  /* The settings and the data go only once the keyring entries are gone, so that a failure
   * never leaves a password behind for an account that no longer exists. */
  if (!mail_secret_store_clear_account_finish (MAIL_SECRET_STORE (object), result, &error) ||
      manager == NULL || !mail_account_manager_remove (manager, account, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why */
      message = g_strdup_printf (_("The account could not be removed: %s"),
                                 error != NULL ? error->message : "");
      mail_window_add_toast (self, adw_toast_new (message));
      return;
    }

  show_first_account (self);
  mail_window_add_toast (self, adw_toast_new (_("Account removed")));
}

static void
remove_response_cb (MailWindow *self,
                    const char *response)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (g_strcmp0 (response, "remove") != 0 || self->account == NULL || !MAIL_IS_APPLICATION (app))
    return;

  g_object_set_data_full (G_OBJECT (self), "removing", g_object_ref (self->account),
                          g_object_unref);
  mail_secret_store_clear_account_async (mail_application_get_secret_store (MAIL_APPLICATION (app)),
                                         mail_account_get_id (self->account), NULL,
                                         secrets_cleared_cb, g_object_ref (self));
}

static void
remove_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  MailWindow *self = MAIL_WINDOW (widget);
  GtkWidget *dialog;

  if (self->account == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Mail forgets %s: its settings, its password in the "
                                    "keyring and everything downloaded for it. The mail on "
                                    "the server is not touched."),
                                  mail_account_get_email (self->account));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"),
                                    "remove", _("Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
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
  show_first_account (self);
}

static void
mail_window_dispose (GObject *object)
{
  MailWindow *self = MAIL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAIL_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->account);

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
  gtk_widget_class_bind_template_child (widget_class, MailWindow, account_page);

  gtk_widget_class_install_action (widget_class, "win.remove-account", NULL,
                                   remove_account_action);
}

static void
mail_window_init (MailWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", FALSE);

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

/**
 * mail_window_show_account:
 * @self: a window
 * @account: the account to show
 *
 * Shows @account. Until mail can be downloaded, that is a page saying the account is set up.
 */
void
mail_window_show_account (MailWindow  *self,
                          MailAccount *account)
{
  g_autofree char *description = NULL;

  g_return_if_fail (MAIL_IS_WINDOW (self));
  g_return_if_fail (MAIL_IS_ACCOUNT (account));

  g_set_object (&self->account, account);
  /* Translators: %s is an email address */
  description = g_strdup_printf (_("%s is set up. Your messages will appear here once Mail "
                                   "can download them, which a coming version adds."),
                                 mail_account_get_email (account));
  adw_status_page_set_description (self->account_page, description);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "account");
}
