/* mail-server-settings-page.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include "mail-server-settings-page.h"

#include <glib/gi18n.h>
#include <string.h>

/* Every field of one server, editable, with the port and the security kept consistent
 * (993/995/465 mean SSL/TLS, 143/110/587 mean STARTTLS) and a one-line explanation of the
 * choice under each combo row. */

struct _MailServerSettingsPage
{
  AdwBin                parent_instance;

  /* template widgets */
  AdwPreferencesGroup  *group;
  AdwComboRow          *protocol_row;
  AdwEntryRow          *host_row;
  AdwActionRow         *port_row;
  GtkSpinButton        *port_spin;
  AdwComboRow          *security_row;
  AdwComboRow          *auth_row;
  AdwEntryRow          *username_row;

  /* state */
  gboolean              outgoing;
  gboolean              updating;
};

G_DEFINE_FINAL_TYPE (MailServerSettingsPage, mail_server_settings_page, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  const char *id;
  const char *label;
  const char *explanation;
  gboolean    outgoing_only;
} AuthMethod;

static const AuthMethod auth_methods[] = {
  { "auto", N_("Automatic"), N_("The strongest method the server offers"), FALSE },
  { "plain", N_("Normal Password"),
    N_("The password is sent as it is: safe only on an encrypted connection"), FALSE },
  { "cram-md5", N_("Encrypted Password"),
    N_("Hides the password, but does not encrypt the connection or your mail"), FALSE },
  { "ntlm", N_("NTLM (SPA)"),
    N_("Microsoft’s “Secure Password Authentication”: despite the name not encryption, "
       "only safe with SSL/TLS"), FALSE },
  { "none", N_("No Authentication"), N_("The server accepts mail without a login"), TRUE },
};

static const char * const security_explanations[] = {
  N_("Encrypted from the first byte (recommended)"),
  N_("Starts unencrypted, then switches to encryption"),
  N_("Nothing is encrypted: your password and mail can be read on the way"),
};

static MailProtocol
current_protocol (MailServerSettingsPage *self)
{
  if (self->outgoing)
    return MAIL_PROTOCOL_SMTP;
  return adw_combo_row_get_selected (self->protocol_row) == 1 ? MAIL_PROTOCOL_POP3
                                                             : MAIL_PROTOCOL_IMAP;
}

static MailSecurity
current_security (MailServerSettingsPage *self)
{
  switch (adw_combo_row_get_selected (self->security_row))
    {
    case 1:
      return MAIL_SECURITY_STARTTLS;
    case 2:
      return MAIL_SECURITY_NONE;
    default:
      return MAIL_SECURITY_TLS;
    }
}

static void
set_security (MailServerSettingsPage *self,
              MailSecurity            security)
{
  adw_combo_row_set_selected (self->security_row, security == MAIL_SECURITY_TLS ? 0 :
                                                  security == MAIL_SECURITY_STARTTLS ? 1 : 2);
}

/* The auth rows visible for this page: outgoing servers may also go without a login. */
static guint
n_auth_methods (MailServerSettingsPage *self)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (auth_methods); i++)
    if (self->outgoing || !auth_methods[i].outgoing_only)
      n++;
  return n;
}

static void
fill_auth_model (MailServerSettingsPage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_auth_methods (self); i++)
    gtk_string_list_append (list, _(auth_methods[i].label));
  adw_combo_row_set_model (self->auth_row, G_LIST_MODEL (list));
}

static void
update_explanations (MailServerSettingsPage *self)
{
  guint auth = adw_combo_row_get_selected (self->auth_row);
  guint security = adw_combo_row_get_selected (self->security_row);

  if (security < G_N_ELEMENTS (security_explanations))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->security_row),
                                 _(security_explanations[security]));
  if (auth < G_N_ELEMENTS (auth_methods))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->auth_row),
                                 _(auth_methods[auth].explanation));
}

static gboolean
port_is_standard (MailProtocol protocol,
                  guint        port)
{
  return port == mail_protocol_default_port (protocol, MAIL_SECURITY_TLS) ||
         port == mail_protocol_default_port (protocol, MAIL_SECURITY_STARTTLS) ||
         (protocol == MAIL_PROTOCOL_SMTP && port == 25);
}

static void
emit_changed (MailServerSettingsPage *self)
{
  update_explanations (self);
  if (!self->updating)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
field_changed_cb (MailServerSettingsPage *self)
{
  emit_changed (self);
}

static void
auth_changed_cb (MailServerSettingsPage *self)
{
  emit_changed (self);
}

static void
protocol_changed_cb (MailServerSettingsPage *self)
{
  gboolean was_updating = self->updating;
  MailSecurity security = current_security (self);

  self->updating = TRUE;
  gtk_spin_button_set_value (self->port_spin,
                             mail_protocol_default_port (current_protocol (self),
                                                         security == MAIL_SECURITY_TLS ?
                                                         MAIL_SECURITY_TLS :
                                                         MAIL_SECURITY_STARTTLS));
  self->updating = was_updating;
  emit_changed (self);
}

static void
security_changed_cb (MailServerSettingsPage *self)
{
  MailProtocol protocol = current_protocol (self);
  MailSecurity security = current_security (self);
  guint port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);
  gboolean was_updating = self->updating;

  /* Follow the security with the port, unless the person typed a port of their own. */
  if (!self->updating && port_is_standard (protocol, port))
    {
      self->updating = TRUE;
      gtk_spin_button_set_value (self->port_spin,
                                 mail_protocol_default_port (protocol,
                                                             security == MAIL_SECURITY_TLS ?
                                                             MAIL_SECURITY_TLS :
                                                             MAIL_SECURITY_STARTTLS));
      self->updating = was_updating;
    }
  emit_changed (self);
}

static void
port_changed_cb (MailServerSettingsPage *self)
{
  guint port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);
  gboolean was_updating = self->updating;

  if (!self->updating)
    {
      self->updating = TRUE;
      if (port == 993 || port == 995 || port == 465)
        set_security (self, MAIL_SECURITY_TLS);
      else if ((port == 143 || port == 110 || port == 587 || port == 25) &&
               current_security (self) == MAIL_SECURITY_TLS)
        set_security (self, MAIL_SECURITY_STARTTLS);
      self->updating = was_updating;
    }
  emit_changed (self);
}

static void
mail_server_settings_page_dispose (GObject *object)
{
  /* AdwBin owns the template's top widget as its child and unparents it itself; disposing
   * the template as well would unparent it a second time. */

  G_OBJECT_CLASS (mail_server_settings_page_parent_class)->dispose (object);
}

static void
mail_server_settings_page_class_init (MailServerSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mail_server_settings_page_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-server-settings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, group);
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, auth_row);
  gtk_widget_class_bind_template_child (widget_class, MailServerSettingsPage, username_row);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, auth_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, protocol_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, security_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, port_changed_cb);
}

static void
mail_server_settings_page_init (MailServerSettingsPage *self)
{
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_auth_model (self);
  gtk_spin_button_set_value (self->port_spin, 993);
  adw_preferences_group_set_title (self->group, _("Incoming Server"));
  self->updating = FALSE;
  update_explanations (self);
}

void
mail_server_settings_page_set_outgoing (MailServerSettingsPage *self,
                                        gboolean                outgoing)
{
  g_return_if_fail (MAIL_IS_SERVER_SETTINGS_PAGE (self));

  outgoing = !!outgoing;
  if (self->outgoing == outgoing)
    return;

  self->updating = TRUE;
  self->outgoing = outgoing;
  gtk_widget_set_visible (GTK_WIDGET (self->protocol_row), !outgoing);
  adw_preferences_group_set_title (self->group, outgoing ? _("Outgoing Server (SMTP)")
                                                         : _("Incoming Server"));
  fill_auth_model (self);
  gtk_spin_button_set_value (self->port_spin, outgoing ? 465 : 993);
  self->updating = FALSE;
  update_explanations (self);
}

void
mail_server_settings_page_set_config (MailServerSettingsPage *self,
                                      const MailServerConfig *config)
{
  guint auth = 0;

  g_return_if_fail (MAIL_IS_SERVER_SETTINGS_PAGE (self));
  g_return_if_fail (config != NULL);

  for (guint i = 0; i < n_auth_methods (self); i++)
    if (g_strcmp0 (config->auth, auth_methods[i].id) == 0)
      auth = i;

  self->updating = TRUE;
  if (!self->outgoing)
    adw_combo_row_set_selected (self->protocol_row,
                                config->protocol == MAIL_PROTOCOL_POP3 ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->host_row),
                         config->hostname != NULL ? config->hostname : "");
  set_security (self, config->security);
  gtk_spin_button_set_value (self->port_spin, config->port);
  adw_combo_row_set_selected (self->auth_row, auth);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row),
                         config->username != NULL ? config->username : "");
  self->updating = FALSE;
  emit_changed (self);
}

MailServerConfig *
mail_server_settings_page_dup_config (MailServerSettingsPage *self)
{
  g_autofree char *host = NULL;
  MailServerConfig *config;
  guint auth;

  g_return_val_if_fail (MAIL_IS_SERVER_SETTINGS_PAGE (self), NULL);

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  config = mail_server_config_new (current_protocol (self), host,
                                   (guint16) gtk_spin_button_get_value_as_int (self->port_spin),
                                   current_security (self),
                                   gtk_editable_get_text (GTK_EDITABLE (self->username_row)));
  auth = adw_combo_row_get_selected (self->auth_row);
  g_free (config->auth);
  config->auth = g_strdup (auth < G_N_ELEMENTS (auth_methods) ? auth_methods[auth].id : "auto");
  return config;
}

gboolean
mail_server_settings_page_is_complete (MailServerSettingsPage *self)
{
  const char *host;
  const char *user;

  g_return_val_if_fail (MAIL_IS_SERVER_SETTINGS_PAGE (self), FALSE);

  host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  user = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  if (host == NULL || *host == '\0' || strchr (host, ' ') != NULL)
    return FALSE;

  /* A login needs a user name; "no authentication" does not. */
  if (self->outgoing && adw_combo_row_get_selected (self->auth_row) == n_auth_methods (self) - 1)
    return TRUE;
  return user != NULL && *user != '\0';
}
