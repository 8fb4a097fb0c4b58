/* mail-cert-dialog.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include "mail-cert-dialog.h"

#include <glib/gi18n.h>

/* Shows a certificate that failed verification and why, and offers to trust exactly this
 * certificate for exactly this server (host and port). The caller pins it on the "trust"
 * response; there is no "ignore all errors" switch anywhere. Certificates that cannot be
 * pinned (expired, revoked, …) get no "trust" response at all. */

struct _MailCertDialog
{
  AdwMessageDialog     parent_instance;

  /* template widgets */
  AdwActionRow        *problem_row;
  AdwActionRow        *subject_row;
  AdwActionRow        *issuer_row;
  AdwActionRow        *names_row;
  AdwActionRow        *validity_row;
  AdwActionRow        *fingerprint_row;

  /* owned references */
  MailCertificateInfo *info;
};

G_DEFINE_FINAL_TYPE (MailCertDialog, mail_cert_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
format_date (GDateTime *date)
{
  if (date == NULL)
    return g_strdup (_("unknown"));
  /* Translators: a date in a certificate's validity period, see strftime */
  return g_date_time_format (date, _("%e %B %Y"));
}

static void
fill (MailCertDialog *self)
{
  MailCertificateInfo *info = self->info;
  g_autofree char *body = NULL;
  g_autofree char *problem = mail_certificate_info_describe_errors (info);
  g_autofree char *from = format_date (mail_certificate_info_get_not_valid_before (info));
  g_autofree char *until = format_date (mail_certificate_info_get_not_valid_after (info));
  g_autofree char *validity = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) all_names = NULL;
  const char * const *dns = mail_certificate_info_get_dns_names (info);
  const char * const *ips = mail_certificate_info_get_ip_addresses (info);
  gboolean pinnable = mail_certificate_info_is_pinnable (info);

  if (pinnable)
    body = g_strdup_printf (_("Mail cannot confirm that it is really talking to %s (port %u): "
                              "someone could be pretending to be the server. Only trust this "
                              "certificate if you know that the server uses its own "
                              "certificate, for example because your administrator gave you "
                              "its fingerprint. The exception is for this server only."),
                            mail_certificate_info_get_host (info),
                            mail_certificate_info_get_port (info));
  else
    body = g_strdup_printf (_("Mail cannot confirm that it is really talking to %s (port %u), "
                              "and this certificate cannot be trusted as an exception: it has "
                              "expired, is not valid yet, or is unusable for another reason. "
                              "Contact your provider or administrator."),
                            mail_certificate_info_get_host (info),
                            mail_certificate_info_get_port (info));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  for (guint i = 0; dns != NULL && dns[i] != NULL; i++)
    g_strv_builder_add (builder, dns[i]);
  for (guint i = 0; ips != NULL && ips[i] != NULL; i++)
    g_strv_builder_add (builder, ips[i]);
  all_names = g_strv_builder_end (builder);
  names = all_names[0] != NULL ? g_strjoinv (", ", all_names) : g_strdup (_("none"));
  /* Translators: a certificate's validity period, from %s until %s */
  validity = g_strdup_printf (_("%s to %s"), from, until);

  /* Certificate fields come from the network: never interpret them as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->problem_row), FALSE);
  adw_action_row_set_subtitle (self->problem_row, problem);
  adw_action_row_set_subtitle (self->subject_row, mail_certificate_info_get_subject (info));
  adw_action_row_set_subtitle (self->issuer_row, mail_certificate_info_get_issuer (info));
  adw_action_row_set_subtitle (self->names_row, names);
  adw_action_row_set_subtitle (self->validity_row, validity);
  adw_action_row_set_subtitle (self->fingerprint_row,
                               mail_certificate_info_get_fingerprint (info));

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "cancel", _("Cancel"));
  if (pinnable)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "trust",
                                       _("Trust This Certificate"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "trust",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
}

static void
mail_cert_dialog_dispose (GObject *object)
{
  MailCertDialog *self = MAIL_CERT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAIL_TYPE_CERT_DIALOG);
  g_clear_object (&self->info);

  G_OBJECT_CLASS (mail_cert_dialog_parent_class)->dispose (object);
}

static void
mail_cert_dialog_class_init (MailCertDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mail_cert_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-cert-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MailCertDialog, problem_row);
  gtk_widget_class_bind_template_child (widget_class, MailCertDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, MailCertDialog, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, MailCertDialog, names_row);
  gtk_widget_class_bind_template_child (widget_class, MailCertDialog, validity_row);
  gtk_widget_class_bind_template_child (widget_class, MailCertDialog, fingerprint_row);
}

static void
mail_cert_dialog_init (MailCertDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MailCertDialog *
mail_cert_dialog_new (GtkWindow           *parent,
                      MailCertificateInfo *info)
{
  MailCertDialog *self;

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (info), NULL);

  self = g_object_new (MAIL_TYPE_CERT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->info = g_object_ref (info);
  fill (self);
  return self;
}

MailCertificateInfo *
mail_cert_dialog_get_info (MailCertDialog *self)
{
  g_return_val_if_fail (MAIL_IS_CERT_DIALOG (self), NULL);

  return self->info;
}
