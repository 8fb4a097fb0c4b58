/* mail-account-assistant-verify.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "mail-account-assistant-private.h"
#include "mail-cert-dialog.h"
#include "mail-cert-store.h"
#include "mail-net-error.h"
#include "mail-smtp-error.h"
#include "mail-window.h"

/* The last step of the assistant: log in to the incoming and the outgoing server (one after
 * the other, so that at most one certificate dialog is open), explain failures with the fix,
 * let the person trust a certificate for exactly one server or retype the password, and
 * save the account: settings in accounts.ini, the password only in the keyring. */

static void check_next (MailAccountAssistant *self);

static void
set_row (ServerCheck *check,
         CheckState   state,
         const char  *subtitle,
         const char  *icon_name)
{
  check->state = state;
  adw_action_row_set_subtitle (check->row, subtitle != NULL ? subtitle : "");
  if (icon_name == NULL)
    gtk_stack_set_visible_child_name (check->status, "spinner");
  else
    {
      GtkWidget *image = gtk_stack_get_child_by_name (check->status, "icon");

      gtk_image_set_from_icon_name (GTK_IMAGE (image), icon_name);
      gtk_widget_remove_css_class (image, "success");
      gtk_widget_remove_css_class (image, "error");
      gtk_widget_remove_css_class (image, "warning");
      gtk_widget_add_css_class (image, state == CHECK_OK ? "success" :
                                       state == CHECK_FAILED ? "error" : "warning");
      gtk_stack_set_visible_child_name (check->status, "icon");
    }
  gtk_widget_set_visible (check->cert_button,
                          state == CHECK_FAILED && check->certificate != NULL);
}

static void
update_row_title (ServerCheck *check,
                  const char  *kind)
{
  g_autofree char *title = NULL;
  g_autofree char *protocol = g_ascii_strup (mail_protocol_to_string (check->config->protocol),
                                             -1);

  /* Translators: "Incoming server (POP3): pop.example.com" */
  title = g_strdup_printf (_("%s (%s): %s"), kind, protocol, check->config->hostname);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (check->row), title);
}

gboolean
mail_account_assistant_checks_done (MailAccountAssistant *self)
{
  for (guint i = 0; i < N_SERVERS; i++)
    if (self->checks[i].state != CHECK_OK)
      return FALSE;
  return TRUE;
}

static gboolean
any_failed (MailAccountAssistant *self)
{
  for (guint i = 0; i < N_SERVERS; i++)
    if (self->checks[i].state == CHECK_FAILED)
      return TRUE;
  return FALSE;
}

/* Certificates ---------------------------------------------------------------------------- */

static void
cert_response_cb (MailAccountAssistant *self,
                  const char           *response,
                  MailCertDialog       *dialog)
{
  g_autoptr(MailCertStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "trust") != 0)
    {
      check_next (self);
      return;
    }

  store = mail_cert_store_new (self->pin_dir);
  if (!mail_cert_store_load (store, &error) ||
      !mail_cert_store_pin (store, mail_cert_dialog_get_info (dialog), &error))
    {
      mail_account_assistant_toast (self, error->message);
      check_next (self);
      return;
    }

  /* Check that server again: now its exact certificate is accepted, on its port only. */
  for (guint i = 0; i < N_SERVERS; i++)
    if (self->checks[i].certificate == mail_cert_dialog_get_info (dialog))
      {
        g_clear_object (&self->checks[i].certificate);
        self->checks[i].state = CHECK_PENDING;
      }
  check_next (self);
}

static void
show_certificate (MailAccountAssistant *self,
                  ServerCheck          *check)
{
  MailCertDialog *dialog;

  if (check->certificate == NULL)
    return;

  dialog = mail_cert_dialog_new (GTK_WINDOW (self), check->certificate);
  g_signal_connect_object (dialog, "response", G_CALLBACK (cert_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cert_button_clicked_cb (MailAccountAssistant *self,
                        GtkButton            *button)
{
  for (guint i = 0; i < N_SERVERS; i++)
    if (self->checks[i].cert_button == GTK_WIDGET (button))
      show_certificate (self, &self->checks[i]);
}

/* Checks ---------------------------------------------------------------------------------- */

typedef struct
{
  MailAccountAssistant *self;
  guint                 index;
  GCancellable         *cancellable;
} CheckCall;

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CheckCall *call = user_data;
  MailAccountAssistant *self = call->self;
  ServerCheck *check;
  g_autoptr(MailServerCheckResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cancelled = g_cancellable_is_cancelled (call->cancellable);
  guint index = call->index;

  outcome = mail_server_check_finish (result, &error);
  g_object_unref (call->cancellable);
  g_free (call);
  if (cancelled)
    {
      g_object_unref (self);
      return;
    }

  check = &self->checks[index];

  if (outcome != NULL)
    {
      g_autofree char *subtitle = NULL;

      if (outcome->encrypted)
        /* Translators: %s is a login mechanism such as SCRAM-SHA-256 */
        subtitle = g_strdup_printf (_("Logged in over an encrypted connection (%s)."),
                                    outcome->mechanism != NULL ? outcome->mechanism
                                                               : _("no login needed"));
      else
        subtitle = g_strdup_printf (_("Logged in (%s). The connection is not encrypted."),
                                    outcome->mechanism != NULL ? outcome->mechanism
                                                               : _("no login needed"));
      set_row (check, CHECK_OK, subtitle, "emblem-ok-symbolic");
    }
  else
    {
      MailServerCheckProblem problem = mail_server_check_classify_error (error);
      g_autofree char *fix = NULL;
      g_autofree char *message = NULL;
      g_autofree char *subtitle = NULL;
      g_autoptr(GError) app_error = NULL;

      /* A refused password at a provider known to want app passwords is that. */
      if (problem == MAIL_SERVER_CHECK_PROBLEM_AUTH && self->found != NULL &&
          self->found->app_password_required)
        {
          app_error = g_error_new_literal (MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_WEAK,
                                           error->message);
          problem = MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED;
        }
      message = mail_server_check_describe_error (app_error != NULL ? app_error : error,
                                                  check->config, &fix);
      subtitle = g_strdup_printf ("%s %s", message, fix);

      if (problem == MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE &&
          mail_net_error_get_certificate_info (error) != NULL)
        g_set_object (&check->certificate, mail_net_error_get_certificate_info (error));
      set_row (check, CHECK_FAILED, subtitle, "dialog-error-symbolic");

      if (problem == MAIL_SERVER_CHECK_PROBLEM_AUTH ||
          problem == MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED)
        gtk_widget_set_visible (GTK_WIDGET (self->retry_group), TRUE);

      if (check->certificate != NULL)
        {
          /* The dialog decides what happens next; check_next runs on its response. */
          show_certificate (self, check);
          mail_account_assistant_update_buttons (self);
          g_object_unref (self);
          return;
        }
    }

  check_next (self);
  g_object_unref (self);
}

static void
check_next (MailAccountAssistant *self)
{
  for (guint i = 0; i < N_SERVERS; i++)
    {
      ServerCheck *check = &self->checks[i];
      CheckCall *call;

      if (check->state != CHECK_PENDING || check->config == NULL)
        continue;

      set_row (check, CHECK_RUNNING, _("Logging in…"), NULL);
      call = g_new0 (CheckCall, 1);
      call->self = self;
      call->index = i;
      call->cancellable = g_object_ref (self->cancellable);
      mail_server_check_async (check->config,
                               gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                               self->pin_dir, self->cancellable, check_cb, call);
      g_object_ref (self);
      mail_account_assistant_update_buttons (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), any_failed (self));
  mail_account_assistant_update_buttons (self);
  if (mail_account_assistant_checks_done (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
  else if (gtk_widget_get_visible (GTK_WIDGET (self->retry_group)))
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_password_row));
  else if (any_failed (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

void
mail_account_assistant_start_checks (MailAccountAssistant *self)
{
  update_row_title (&self->checks[SERVER_INCOMING], _("Incoming server"));
  update_row_title (&self->checks[SERVER_OUTGOING], _("Outgoing server"));
  gtk_widget_set_visible (GTK_WIDGET (self->retry_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  for (guint i = 0; i < N_SERVERS; i++)
    set_row (&self->checks[i], CHECK_PENDING, _("Waiting…"), NULL);
  check_next (self);
}

void
mail_account_assistant_retry (MailAccountAssistant *self)
{
  const char *retyped = gtk_editable_get_text (GTK_EDITABLE (self->retry_password_row));

  if (retyped != NULL && *retyped != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), retyped);
      gtk_editable_set_text (GTK_EDITABLE (self->retry_password_row), "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->retry_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);

  for (guint i = 0; i < N_SERVERS; i++)
    if (self->checks[i].state == CHECK_FAILED)
      {
        g_clear_object (&self->checks[i].certificate);
        set_row (&self->checks[i], CHECK_PENDING, _("Waiting…"), NULL);
      }
  check_next (self);
}

void
mail_account_assistant_clear_checks (MailAccountAssistant *self)
{
  for (guint i = 0; i < N_SERVERS; i++)
    {
      g_clear_pointer (&self->checks[i].config, mail_server_config_free);
      g_clear_object (&self->checks[i].certificate);
      self->checks[i].state = CHECK_PENDING;
    }
}

void
mail_account_assistant_setup_checks (MailAccountAssistant *self)
{
  for (guint i = 0; i < N_SERVERS; i++)
    {
      ServerCheck *check = &self->checks[i];
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *label = gtk_label_new_with_mnemonic (_("Show _Certificate…"));

      check->row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (check->row), FALSE);
      adw_action_row_set_subtitle_lines (check->row, 0);
      check->status = GTK_STACK (gtk_stack_new ());
      gtk_stack_add_named (check->status, spinner, "spinner");
      gtk_stack_add_named (check->status, gtk_image_new (), "icon");
      gtk_spinner_start (GTK_SPINNER (spinner));
      adw_action_row_add_prefix (check->row, GTK_WIDGET (check->status));

      check->cert_button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (check->cert_button), label);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), check->cert_button);
      gtk_widget_set_valign (check->cert_button, GTK_ALIGN_CENTER);
      gtk_widget_set_visible (check->cert_button, FALSE);
      g_signal_connect_object (check->cert_button, "clicked",
                               G_CALLBACK (cert_button_clicked_cb), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (check->row, check->cert_button);
      gtk_list_box_append (self->verify_list, GTK_WIDGET (check->row));
    }
}

/* Saving ---------------------------------------------------------------------------------- */

static void
save_failed (MailAccountAssistant *self,
             const GError         *error)
{
  g_autofree char *message = NULL;

  /* Translators: %s says why */
  message = g_strdup_printf (_("The account could not be saved: %s"), error->message);
  mail_account_assistant_toast (self, message);
  self->saving = FALSE;
  mail_account_assistant_update_buttons (self);
}

static void
secret_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  mail_secret_store_clear_account_finish (MAIL_SECRET_STORE (object), result, NULL);
}

static void
finish_saving (MailAccountAssistant *self)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  if (!mail_account_manager_add (self->manager, self->account, &error))
    {
      /* Leave nothing behind: the password went to the keyring first. */
      mail_secret_store_clear_account_async (self->secrets, mail_account_get_id (self->account),
                                             NULL, secret_cleared_cb, NULL);
      save_failed (self, error);
      return;
    }

  self->saved = TRUE;
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (MAIL_IS_WINDOW (parent))
    mail_window_show_account (MAIL_WINDOW (parent), self->account);
  gtk_window_close (GTK_WINDOW (self));
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MailAccountAssistant *self = user_data;
  g_autoptr(GError) error = NULL;
  const MailServerConfig *outgoing = self->checks[SERVER_OUTGOING].config;
  gboolean first = g_object_get_data (G_OBJECT (self), "outgoing-stored") == NULL;

  if (!mail_secret_store_store_finish (MAIL_SECRET_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        save_failed (self, error);
      g_object_unref (self);
      return;
    }

  /* The incoming password is stored; then the outgoing one (same password), unless the
   * outgoing server needs no login. */
  if (first && g_strcmp0 (outgoing->auth, "none") != 0)
    {
      g_object_set_data (G_OBJECT (self), "outgoing-stored", GINT_TO_POINTER (1));
      mail_secret_store_store_async (self->secrets, mail_account_get_id (self->account),
                                     outgoing->protocol, outgoing->hostname, outgoing->username,
                                     gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                     self->cancellable, secret_stored_cb, self);
      return;
    }

  finish_saving (self);
  g_object_unref (self);
}

void
mail_account_assistant_save (MailAccountAssistant *self)
{
  const MailServerConfig *incoming = self->checks[SERVER_INCOMING].config;
  const MailServerConfig *outgoing = self->checks[SERVER_OUTGOING].config;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));

  if (self->saving || !mail_account_assistant_checks_done (self))
    return;

  self->saving = TRUE;
  mail_account_assistant_update_buttons (self);

  mail_account_set_email (self->account, email);
  mail_account_set_display_name (self->account, email);
  mail_account_set_real_name (self->account, name);
  mail_account_set_incoming (self->account, incoming);
  mail_account_set_outgoing (self->account, outgoing);
  if (incoming->protocol == MAIL_PROTOCOL_POP3)
    {
      gboolean leave = gtk_switch_get_active (self->leave_switch);

      mail_account_set_pop3_leave_on_server (self->account, leave);
      mail_account_set_pop3_delete_after_days (self->account,
                                               leave ? (guint) gtk_spin_button_get_value_as_int (
                                                         self->delete_after_spin) : 0);
    }

  g_object_set_data (G_OBJECT (self), "outgoing-stored", NULL);
  mail_secret_store_store_async (self->secrets, mail_account_get_id (self->account),
                                 incoming->protocol, incoming->hostname, incoming->username,
                                 gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                 self->cancellable, secret_stored_cb, g_object_ref (self));
}
