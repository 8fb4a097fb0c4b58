/* mail-account-assistant.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-ui"

#include "config.h"

#include "mail-account-assistant.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mail-account-assistant-private.h"
#include "mail-autoconfig-assessment.h"

/* The account-setup assistant: who you are → what was found (or every setting by hand) →
 * logging in to both servers → saved. The lookup starts while the person is still typing
 * (debounced, restarted on every edit); everything runs on the window's cancellables, so
 * closing the window stops it all.
 *
 * Test-only hooks (read once per window, documented in src/ui/account-setup/README.md):
 * MAIL_AUTOCONFIG_PROVIDER_URL sends the provider lookups to one https:// test server
 * (and turns the online database off), MAIL_AUTOCONFIG_CA_FILE trusts that server's CA for
 * the lookup only. Mail servers are never trusted through these: their certificates go
 * through the certificate dialog and per-server pins. */

#define LOOKUP_DELAY_MS 600

G_DEFINE_FINAL_TYPE (MailAccountAssistant, mail_account_assistant, ADW_TYPE_WINDOW)

/* Helpers --------------------------------------------------------------------------------- */

void
mail_account_assistant_toast (MailAccountAssistant *self,
                              const char           *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static const char *
email_text (MailAccountAssistant *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->email_row));
}

static const char *
password_text (MailAccountAssistant *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

/* Returns the normalised domain of a plausible address, or NULL. */
static char *
address_domain (const char *address)
{
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;

  if (address == NULL || strchr (address, '@') == NULL)
    return NULL;
  if (!mail_autoconfig_split_address (address, &local, &domain, NULL))
    return NULL;
  if (strchr (domain, '.') == NULL)
    return NULL;
  return g_steal_pointer (&domain);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static AdwActionRow *
plain_row (const char *title,
           const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  /* Text from the network or the person: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
  return row;
}

static const char *
security_label (MailSecurity security)
{
  switch (security)
    {
    case MAIL_SECURITY_TLS:
      return _("SSL/TLS");
    case MAIL_SECURITY_STARTTLS:
      return _("STARTTLS");
    case MAIL_SECURITY_NONE:
    default:
      return _("no encryption");
    }
}

static char *
describe_server (const char   *host,
                 guint         port,
                 MailSecurity  security)
{
  /* Translators: a server, e.g. "imap.example.com, port 993, SSL/TLS" */
  return g_strdup_printf (_("%s, port %u, %s"), host, port, security_label (security));
}

/* Autoconfig lists "plain" for a cleartext password; the login then picks the strongest
 * mechanism the server offers after TLS. OAuth2 is not available yet, so the next listed
 * method is used instead. */
static MailServerConfig *
config_from_server (const MailAutoconfigServer *server,
                    const char                 *address)
{
  MailServerConfig *config;
  const char *auth = "auto";

  config = mail_server_config_new (server->protocol, server->hostname, server->port,
                                   server->security,
                                   server->username != NULL ? server->username : address);
  for (guint i = 0; server->auth != NULL && server->auth[i] != NULL; i++)
    {
      if (g_str_equal (server->auth[i], "oauth2"))
        continue;
      if (!g_str_equal (server->auth[i], "plain"))
        auth = server->auth[i];
      break;
    }
  g_free (config->auth);
  config->auth = g_strdup (auth);
  config->allow_plaintext = server->security == MAIL_SECURITY_NONE;
  return config;
}

static MailAutoconfigServer *
server_from_config (const MailServerConfig *config)
{
  MailAutoconfigServer *server;
  const char *auth = config->auth;

  server = mail_autoconfig_server_new (config->protocol, config->hostname, config->port,
                                       config->security, config->username);
  /* For the warnings, "automatic" may end up as a cleartext password. */
  if (auth == NULL || g_str_equal (auth, "auto"))
    auth = "plain";
  g_strfreev (server->auth);
  server->auth = g_new0 (char *, 2);
  server->auth[0] = g_strdup (auth);
  return server;
}

static const MailAutoconfigServer *
find_server (GPtrArray    *servers,
             MailProtocol  protocol)
{
  for (guint i = 0; servers != NULL && i < servers->len; i++)
    {
      const MailAutoconfigServer *server = g_ptr_array_index (servers, i);

      if (server->protocol == protocol)
        return server;
    }
  return NULL;
}

static MailProtocol
chosen_protocol (MailAccountAssistant *self)
{
  return gtk_check_button_get_active (self->pop3_check) ? MAIL_PROTOCOL_POP3
                                                        : MAIL_PROTOCOL_IMAP;
}

/* Warnings -------------------------------------------------------------------------------- */

static void
risk_toggled_cb (MailAccountAssistant *self,
                 GtkCheckButton       *check)
{
  self->risk_acknowledged = gtk_check_button_get_active (check);
  mail_account_assistant_update_buttons (self);
}

/* Shows the engine's findings as rows; dangers need an explicit "I understand the risk". */
static void
show_findings (MailAccountAssistant *self,
               AdwPreferencesGroup  *group,
               GtkListBox           *list,
               GPtrArray            *findings,
               const char           *enable_url)
{
  gboolean danger = FALSE;
  guint shown = 0;

  clear_list (list);
  for (guint i = 0; i < findings->len; i++)
    {
      MailAutoconfigFinding *finding = g_ptr_array_index (findings, i);
      AdwActionRow *row;
      GtkWidget *icon;

      /* Trust confirmation has its own check button on the result page. */
      if (g_str_equal (finding->code, "needs-confirmation"))
        continue;

      row = plain_row (finding->message, NULL);
      adw_action_row_set_title_lines (row, 0);
      icon = gtk_image_new_from_icon_name (finding->severity == MAIL_AUTOCONFIG_SEVERITY_INFO ?
                                           "dialog-information-symbolic" :
                                           "dialog-warning-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      finding->severity == MAIL_AUTOCONFIG_SEVERITY_DANGER ?
                                      _("Danger") :
                                      finding->severity == MAIL_AUTOCONFIG_SEVERITY_WARNING ?
                                      _("Warning") : _("Note"), -1);
      adw_action_row_add_prefix (row, icon);
      if (finding->severity == MAIL_AUTOCONFIG_SEVERITY_DANGER)
        {
          gtk_widget_add_css_class (icon, "error");
          danger = TRUE;
        }
      else if (finding->severity == MAIL_AUTOCONFIG_SEVERITY_WARNING)
        gtk_widget_add_css_class (icon, "warning");

      if (g_str_equal (finding->code, "enable-access-first") && enable_url != NULL &&
          g_str_has_prefix (enable_url, "https://"))
        {
          GtkWidget *link = gtk_link_button_new_with_label (enable_url, _("Open Provider’s Page"));

          gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (row, link);
        }
      gtk_list_box_append (list, GTK_WIDGET (row));
      shown++;
    }

  if (danger)
    {
      AdwActionRow *row = plain_row (_("I _understand the risk and want to continue"), NULL);
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (row, check);
      adw_action_row_set_activatable_widget (row, check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (risk_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_list_box_append (list, GTK_WIDGET (row));
    }

  self->has_danger = danger;
  self->risk_acknowledged = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (group), shown > 0);
}

static void
update_result_warnings (MailAccountAssistant *self)
{
  g_autoptr(MailAutoconfigConfig) chosen = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  const MailAutoconfigServer *incoming;

  if (self->found == NULL)
    return;

  /* Assess the servers as chosen: the chosen incoming server first. */
  chosen = mail_autoconfig_config_copy (self->found);
  incoming = find_server (self->found->incoming, chosen_protocol (self));
  if (incoming != NULL)
    {
      g_ptr_array_set_size (chosen->incoming, 0);
      g_ptr_array_add (chosen->incoming, mail_autoconfig_server_copy (incoming));
      for (guint i = 0; i < self->found->incoming->len; i++)
        if (g_ptr_array_index (self->found->incoming, i) != incoming)
          g_ptr_array_add (chosen->incoming,
                           mail_autoconfig_server_copy (g_ptr_array_index (self->found->incoming,
                                                                           i)));
    }
  findings = mail_autoconfig_assess (chosen, MAIL_AUTOCONFIG_ASSESS_NONE);
  show_findings (self, self->result_warnings_group, self->result_warnings_list, findings,
                 self->found->enable_url);
}

static void
update_manual_warnings (MailAccountAssistant *self)
{
  g_autoptr(MailAutoconfigConfig) config = mail_autoconfig_config_new ();
  g_autoptr(MailServerConfig) incoming = NULL;
  g_autoptr(MailServerConfig) outgoing = NULL;
  g_autoptr(GPtrArray) findings = NULL;

  incoming = mail_server_settings_page_dup_config (self->incoming_page);
  outgoing = mail_server_settings_page_dup_config (self->outgoing_page);
  config->source = MAIL_AUTOCONFIG_SOURCE_MANUAL;
  config->trust = MAIL_AUTOCONFIG_TRUST_TRUSTED;
  if (incoming->hostname != NULL && *incoming->hostname != '\0')
    g_ptr_array_add (config->incoming, server_from_config (incoming));
  if (outgoing->hostname != NULL && *outgoing->hostname != '\0')
    {
      if (g_strcmp0 (outgoing->auth, "none") == 0)
        {
          MailAutoconfigServer *server = server_from_config (outgoing);

          g_free (server->auth[0]);
          server->auth[0] = g_strdup ("none");
          g_ptr_array_add (config->outgoing, server);
        }
      else
        g_ptr_array_add (config->outgoing, server_from_config (outgoing));
    }
  if (self->found != NULL)
    {
      config->display_name = g_strdup (self->found->display_name);
      config->enable_url = g_strdup (self->found->enable_url);
      config->enable_instruction = g_strdup (self->found->enable_instruction);
      config->app_password_required = self->found->app_password_required;
    }

  findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  show_findings (self, self->manual_warnings_group, self->manual_warnings_list, findings,
                 config->enable_url);
}

/* Buttons --------------------------------------------------------------------------------- */

static gboolean
identity_complete (MailAccountAssistant *self)
{
  g_autofree char *domain = address_domain (email_text (self));

  return domain != NULL && *password_text (self) != '\0';
}

void
mail_account_assistant_update_buttons (MailAccountAssistant *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean can_next = FALSE;
  gboolean last = FALSE;

  if (g_strcmp0 (page, "identity") == 0)
    can_next = identity_complete (self) &&
               (self->lookup_state == LOOKUP_FOUND || self->lookup_state == LOOKUP_NOT_FOUND);
  else if (g_strcmp0 (page, "result") == 0)
    can_next = (!gtk_widget_get_visible (GTK_WIDGET (self->confirm_row)) ||
                gtk_check_button_get_active (self->confirm_check)) &&
               (!self->has_danger || self->risk_acknowledged);
  else if (g_strcmp0 (page, "manual") == 0)
    can_next = mail_server_settings_page_is_complete (self->incoming_page) &&
               mail_server_settings_page_is_complete (self->outgoing_page) &&
               (!self->has_danger || self->risk_acknowledged) &&
               identity_complete (self);
  else if (g_strcmp0 (page, "verify") == 0)
    {
      last = TRUE;
      can_next = mail_account_assistant_checks_done (self) && !self->saving;
    }

  gtk_label_set_text_with_mnemonic (self->next_label, last ? _("_Add") : _("_Next"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), can_next);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), g_strcmp0 (page, "identity") != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), g_strcmp0 (page, "identity") == 0);
}

static void
go_to (MailAccountAssistant *self,
       const char           *page)
{
  static const struct { const char *page; const char *title; } titles[] = {
    { "identity", N_("Add Account") },
    { "result", N_("Settings Found") },
    { "manual", N_("Server Settings") },
    { "verify", N_("Checking Your Account") },
  };

  gtk_stack_set_visible_child_name (self->stack, page);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (titles[i].page, page))
      adw_window_title_set_title (self->window_title, _(titles[i].title));
  mail_account_assistant_update_buttons (self);
}

/* Lookup ---------------------------------------------------------------------------------- */

static void
set_lookup_row (MailAccountAssistant *self,
                const char           *key,
                const char           *title,
                const char           *subtitle,
                const char           *icon_name)
{
  AdwActionRow *row = g_hash_table_lookup (self->lookup_rows, key);
  GtkStack *status;

  if (row == NULL)
    {
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *image = gtk_image_new ();

      row = plain_row (title, subtitle);
      status = GTK_STACK (gtk_stack_new ());
      gtk_stack_add_named (status, spinner, "spinner");
      gtk_stack_add_named (status, image, "icon");
      gtk_spinner_start (GTK_SPINNER (spinner));
      adw_action_row_add_prefix (row, GTK_WIDGET (status));
      g_object_set_data (G_OBJECT (row), "status", status);
      gtk_list_box_append (self->lookup_list, GTK_WIDGET (row));
      g_hash_table_insert (self->lookup_rows, g_strdup (key), row);
    }

  status = g_object_get_data (G_OBJECT (row), "status");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle != NULL ? subtitle : "");
  if (icon_name == NULL)
    gtk_stack_set_visible_child_name (status, "spinner");
  else
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (gtk_stack_get_child_by_name (status, "icon")),
                                    icon_name);
      gtk_stack_set_visible_child_name (status, "icon");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->lookup_group), TRUE);
}

static void
reset_lookup (MailAccountAssistant *self)
{
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_clear_handle_id (&self->lookup_timeout_id, g_source_remove);
  g_clear_pointer (&self->found, mail_autoconfig_config_free);
  g_clear_pointer (&self->lookup_domain, g_free);
  g_hash_table_remove_all (self->lookup_rows);
  clear_list (self->lookup_list);
  gtk_widget_set_visible (GTK_WIDGET (self->lookup_group), FALSE);
  self->lookup_state = LOOKUP_IDLE;
}

static const char *
source_description (MailAutoconfigSource source)
{
  switch (source)
    {
    case MAIL_AUTOCONFIG_SOURCE_BUNDLED:
      return _("From Mail’s built-in list of providers");
    case MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS:
      return _("Published by your provider, fetched over a secure connection");
    case MAIL_AUTOCONFIG_SOURCE_ISPDB:
      return _("From the Thunderbird database of providers");
    case MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED:
    case MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER:
    case MAIL_AUTOCONFIG_SOURCE_MX_ISPDB:
      return _("From the company that receives your domain’s mail (found through DNS)");
    case MAIL_AUTOCONFIG_SOURCE_SRV:
      return _("From your domain’s DNS service records");
    case MAIL_AUTOCONFIG_SOURCE_PROBE:
      return _("Guessed by trying common server names");
    case MAIL_AUTOCONFIG_SOURCE_MANUAL:
    default:
      return _("Entered by hand");
    }
}

/* One progress row per kind of source, in the order of their priority. */
static const struct
{
  const char           *key;
  MailAutoconfigSource  source;
  const char           *title;
} lookup_sources[] = {
  { "bundled", MAIL_AUTOCONFIG_SOURCE_BUNDLED, N_("Mail’s built-in list of providers") },
  { "provider", MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS, N_("Your provider’s website (HTTPS)") },
  { "ispdb", MAIL_AUTOCONFIG_SOURCE_ISPDB, N_("The Thunderbird database of providers") },
  { "mx", MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED, N_("The company that receives your mail (DNS)") },
  { "srv", MAIL_AUTOCONFIG_SOURCE_SRV, N_("Your domain’s DNS service records") },
  { "probe", MAIL_AUTOCONFIG_SOURCE_PROBE, N_("Trying common server names") },
};

static const char *
source_key (MailAutoconfigSource source)
{
  if (source == MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER || source == MAIL_AUTOCONFIG_SOURCE_MX_ISPDB)
    source = MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED;
  for (guint i = 0; i < G_N_ELEMENTS (lookup_sources); i++)
    if (lookup_sources[i].source == source)
      return lookup_sources[i].key;
  return NULL;
}

static const char *
source_title (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (lookup_sources); i++)
    if (g_str_equal (lookup_sources[i].key, key))
      return _(lookup_sources[i].title);
  return key;
}

static void
source_finished_cb (MailAccountAssistant *self,
                    guint                 source,
                    gboolean              found,
                    MailAutoconfig       *autoconfig)
{
  const char *key = source_key ((MailAutoconfigSource) source);
  AdwActionRow *row;

  if (key == NULL || self->lookup_state != LOOKUP_RUNNING)
    return;

  /* A source may answer more than once (the provider has two addresses): found wins. */
  row = g_hash_table_lookup (self->lookup_rows, key);
  if (row != NULL && g_object_get_data (G_OBJECT (row), "found") != NULL)
    return;
  set_lookup_row (self, key, source_title (key), found ? _("Found") : _("Nothing found"),
                  found ? "emblem-ok-symbolic" : "action-unavailable-symbolic");
  row = g_hash_table_lookup (self->lookup_rows, key);
  if (found)
    g_object_set_data (G_OBJECT (row), "found", GINT_TO_POINTER (1));
}

/* Sources still running when the lookup ends were not needed (a better one answered). */
static void
finish_source_rows (MailAccountAssistant *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (lookup_sources); i++)
    {
      AdwActionRow *row = g_hash_table_lookup (self->lookup_rows, lookup_sources[i].key);
      GtkStack *status;

      if (row == NULL)
        continue;
      status = g_object_get_data (G_OBJECT (row), "status");
      if (g_strcmp0 (gtk_stack_get_visible_child_name (status), "spinner") == 0)
        set_lookup_row (self, lookup_sources[i].key, _(lookup_sources[i].title),
                        _("Not needed"), "list-remove-symbolic");
    }
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  MailAccountAssistant *self = user_data;
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = mail_autoconfig_lookup_finish (MAIL_AUTOCONFIG (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  finish_source_rows (self);
  if (config != NULL)
    {
      g_autofree char *title = NULL;

      self->found = g_steal_pointer (&config);
      self->lookup_state = LOOKUP_FOUND;
      /* Translators: %s is a provider name or a domain */
      title = g_strdup_printf (_("Settings found for %s"),
                               self->found->display_name != NULL ? self->found->display_name
                                                                  : self->lookup_domain);
      set_lookup_row (self, "lookup", title, source_description (self->found->source),
                      "emblem-ok-symbolic");
    }
  else
    {
      self->lookup_state = LOOKUP_NOT_FOUND;
      set_lookup_row (self, "lookup", _("No settings found"),
                      _("Choose Next to enter the server settings yourself."),
                      "dialog-information-symbolic");
    }

  mail_account_assistant_update_buttons (self);
  g_object_unref (self);
}

static gboolean
start_lookup_cb (gpointer user_data)
{
  MailAccountAssistant *self = user_data;
  g_autofree char *title = NULL;

  self->lookup_timeout_id = 0;
  self->lookup_domain = address_domain (email_text (self));
  if (self->lookup_domain == NULL)
    return G_SOURCE_REMOVE;

  self->lookup_state = LOOKUP_RUNNING;
  self->lookup_cancellable = g_cancellable_new ();
  /* Translators: %s is the domain of the email address */
  title = g_strdup_printf (_("Looking up the settings for %s…"), self->lookup_domain);
  set_lookup_row (self, "lookup", title, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (lookup_sources); i++)
    {
      if (lookup_sources[i].source == MAIL_AUTOCONFIG_SOURCE_ISPDB &&
          !mail_autoconfig_get_use_online_database (self->autoconfig))
        continue;
      set_lookup_row (self, lookup_sources[i].key, _(lookup_sources[i].title), _("Looking…"),
                      NULL);
    }
  mail_autoconfig_lookup_async (self->autoconfig, email_text (self), self->lookup_cancellable,
                                lookup_cb, g_object_ref (self));
  mail_account_assistant_update_buttons (self);
  return G_SOURCE_REMOVE;
}

/* Callbacks ------------------------------------------------------------------------------- */

static void
identity_changed_cb (MailAccountAssistant *self)
{
  mail_account_assistant_update_buttons (self);
}

static void
email_changed_cb (MailAccountAssistant *self)
{
  g_autofree char *domain = address_domain (email_text (self));

  /* Every edit restarts the lookup, after a short pause in typing. */
  reset_lookup (self);
  if (domain != NULL)
    self->lookup_timeout_id = g_timeout_add (LOOKUP_DELAY_MS, start_lookup_cb, self);
  mail_account_assistant_update_buttons (self);
}

static void
fill_result_page (MailAccountAssistant *self)
{
  const MailAutoconfigConfig *found = self->found;
  const MailAutoconfigServer *imap = find_server (found->incoming, MAIL_PROTOCOL_IMAP);
  const MailAutoconfigServer *pop3 = find_server (found->incoming, MAIL_PROTOCOL_POP3);
  const MailAutoconfigServer *smtp = find_server (found->outgoing, MAIL_PROTOCOL_SMTP);
  g_autofree char *title = NULL;

  title = g_strdup_printf (_("Your Mail at %s"), found->display_name != NULL ?
                           found->display_name : self->lookup_domain);
  adw_preferences_group_set_title (self->provider_group, title);
  adw_preferences_group_set_description (self->provider_group,
                                         _("Choose how Mail gets your messages."));

  gtk_widget_set_visible (GTK_WIDGET (self->imap_row), imap != NULL);
  if (imap != NULL)
    {
      g_autofree char *where = describe_server (imap->hostname, imap->port, imap->security);
      g_autofree char *subtitle = g_strdup_printf ("%s\n%s",
                                                   _("Keeps your mail on the server, in sync "
                                                     "across all your devices."), where);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->imap_row), FALSE);
      adw_action_row_set_subtitle (self->imap_row, subtitle);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->pop3_row), pop3 != NULL);
  if (pop3 != NULL)
    {
      g_autofree char *where = describe_server (pop3->hostname, pop3->port, pop3->security);
      g_autofree char *subtitle = g_strdup_printf ("%s\n%s",
                                                   _("Downloads your mail to this computer "
                                                     "and, unless told to leave a copy, removes "
                                                     "it from the server."), where);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->pop3_row), FALSE);
      adw_action_row_set_subtitle (self->pop3_row, subtitle);
    }
  gtk_check_button_set_active (imap != NULL ? self->imap_check : self->pop3_check, TRUE);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->outgoing_row), FALSE);
  if (smtp != NULL)
    {
      g_autofree char *where = describe_server (smtp->hostname, smtp->port, smtp->security);

      adw_action_row_set_subtitle (self->outgoing_row, where);
    }
  else
    adw_action_row_set_subtitle (self->outgoing_row,
                                 _("None was found: choose “Change Settings” to enter one."));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->source_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->source_row),
                                 source_description (found->source));
  adw_action_row_set_subtitle (self->source_row,
                               found->trust_domain != NULL ? found->trust_domain : "");

  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row),
                          found->trust != MAIL_AUTOCONFIG_TRUST_TRUSTED);
  gtk_check_button_set_active (self->confirm_check, FALSE);
  if (found->trust != MAIL_AUTOCONFIG_TRUST_TRUSTED)
    {
      g_autofree char *confirm = NULL;

      /* Translators: %s is the domain the unverified settings point to */
      confirm = g_strdup_printf (_("I _trust these settings: they send my password to “%s”"),
                                 found->trust_domain != NULL ? found->trust_domain : "?");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->confirm_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->confirm_row), confirm);
      adw_action_row_set_subtitle (self->confirm_row,
                                   _("These settings did not come from your provider over a "
                                     "secure connection."));
    }

  update_result_warnings (self);
}

/* Fills the manual page from what was found or, without a result, from likely names. */
static void
fill_manual_page (MailAccountAssistant *self)
{
  g_autoptr(MailServerConfig) incoming = NULL;
  g_autoptr(MailServerConfig) outgoing = NULL;
  const MailAutoconfigServer *server;
  g_autofree char *domain = address_domain (email_text (self));

  if (self->found != NULL &&
      (server = find_server (self->found->incoming, chosen_protocol (self))) != NULL)
    incoming = config_from_server (server, email_text (self));
  if (self->found != NULL &&
      (server = find_server (self->found->outgoing, MAIL_PROTOCOL_SMTP)) != NULL)
    outgoing = config_from_server (server, email_text (self));

  if (incoming == NULL)
    {
      g_autofree char *host = domain != NULL ? g_strconcat ("imap.", domain, NULL) : NULL;

      incoming = mail_server_config_new (MAIL_PROTOCOL_IMAP, host, 993, MAIL_SECURITY_TLS,
                                         email_text (self));
    }
  if (outgoing == NULL)
    {
      g_autofree char *host = domain != NULL ? g_strconcat ("smtp.", domain, NULL) : NULL;

      outgoing = mail_server_config_new (MAIL_PROTOCOL_SMTP, host, 465, MAIL_SECURITY_TLS,
                                         email_text (self));
    }

  mail_server_settings_page_set_config (self->incoming_page, incoming);
  mail_server_settings_page_set_config (self->outgoing_page, outgoing);
  update_manual_warnings (self);
}

static void
manual_clicked_cb (MailAccountAssistant *self)
{
  fill_manual_page (self);
  go_to (self, "manual");
}

static void
manual_changed_cb (MailAccountAssistant *self)
{
  update_manual_warnings (self);
  mail_account_assistant_update_buttons (self);
}

static void
protocol_toggled_cb (MailAccountAssistant *self)
{
  update_result_warnings (self);
  mail_account_assistant_update_buttons (self);
}

static void
confirm_toggled_cb (MailAccountAssistant *self)
{
  mail_account_assistant_update_buttons (self);
}

/* Takes the servers to check from the page the person came from. */
static void
prepare_checks (MailAccountAssistant *self,
                const char           *from)
{
  MailServerConfig *incoming;
  MailServerConfig *outgoing;

  if (g_str_equal (from, "manual"))
    {
      incoming = mail_server_settings_page_dup_config (self->incoming_page);
      outgoing = mail_server_settings_page_dup_config (self->outgoing_page);
    }
  else
    {
      incoming = config_from_server (find_server (self->found->incoming,
                                                  chosen_protocol (self)), email_text (self));
      outgoing = config_from_server (find_server (self->found->outgoing, MAIL_PROTOCOL_SMTP),
                                     email_text (self));
    }

  /* The person either saw the "no encryption" warning and accepted the risk, or the server
   * is on this computer: only then may a password go out without TLS. */
  incoming->allow_plaintext = incoming->security == MAIL_SECURITY_NONE;
  outgoing->allow_plaintext = outgoing->security == MAIL_SECURITY_NONE;

  mail_account_assistant_clear_checks (self);
  self->checks[SERVER_INCOMING].config = incoming;
  self->checks[SERVER_OUTGOING].config = outgoing;
  self->settings_page = g_str_equal (from, "manual") ? "manual" : "result";
  gtk_widget_set_visible (GTK_WIDGET (self->pop3_group),
                          incoming->protocol == MAIL_PROTOCOL_POP3);
}

static void
next_clicked_cb (MailAccountAssistant *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->next_button)))
    return;

  if (g_str_equal (page, "identity"))
    {
      if (self->lookup_state == LOOKUP_FOUND &&
          find_server (self->found->incoming, MAIL_PROTOCOL_IMAP) == NULL &&
          find_server (self->found->incoming, MAIL_PROTOCOL_POP3) == NULL)
        self->lookup_state = LOOKUP_NOT_FOUND;

      if (self->lookup_state == LOOKUP_FOUND)
        {
          fill_result_page (self);
          go_to (self, "result");
        }
      else
        manual_clicked_cb (self);
    }
  else if (g_str_equal (page, "result"))
    {
      if (find_server (self->found->outgoing, MAIL_PROTOCOL_SMTP) == NULL)
        {
          manual_clicked_cb (self);
          return;
        }
      prepare_checks (self, "result");
      go_to (self, "verify");
      mail_account_assistant_start_checks (self);
    }
  else if (g_str_equal (page, "manual"))
    {
      prepare_checks (self, "manual");
      go_to (self, "verify");
      mail_account_assistant_start_checks (self);
    }
  else if (g_str_equal (page, "verify"))
    mail_account_assistant_save (self);
}

static void
back_clicked_cb (MailAccountAssistant *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (g_str_equal (page, "verify"))
    {
      mail_account_assistant_clear_checks (self);
      if (g_str_equal (self->settings_page, "manual"))
        update_manual_warnings (self);
      else
        update_result_warnings (self);
      go_to (self, self->settings_page);
    }
  else if (g_str_equal (page, "manual") && self->found != NULL)
    {
      fill_result_page (self);
      go_to (self, "result");
    }
  else
    go_to (self, "identity");
}

static void
cancel_clicked_cb (MailAccountAssistant *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* GObject --------------------------------------------------------------------------------- */

static void
remove_unsaved_pins (MailAccountAssistant *self)
{
  g_autofree char *file = NULL;

  if (self->saved || self->pin_dir == NULL)
    return;

  /* Pins made during an abandoned setup belong to no account: forget them. */
  file = g_build_filename (self->pin_dir, "certificate-pins.ini", NULL);
  g_unlink (file);
  g_rmdir (self->pin_dir);
}

static void
mail_account_assistant_dispose (GObject *object)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (object);

  g_cancellable_cancel (self->lookup_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->lookup_timeout_id, g_source_remove);
  mail_account_assistant_clear_checks (self);
  remove_unsaved_pins (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAIL_TYPE_ACCOUNT_ASSISTANT);
  g_clear_object (&self->lookup_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->autoconfig);
  g_clear_object (&self->manager);
  g_clear_object (&self->secrets);
  g_clear_object (&self->account);
  g_clear_pointer (&self->found, mail_autoconfig_config_free);
  g_clear_pointer (&self->lookup_rows, g_hash_table_unref);

  G_OBJECT_CLASS (mail_account_assistant_parent_class)->dispose (object);
}

static void
mail_account_assistant_finalize (GObject *object)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (object);

  g_clear_pointer (&self->pin_dir, g_free);
  g_clear_pointer (&self->lookup_domain, g_free);

  G_OBJECT_CLASS (mail_account_assistant_parent_class)->finalize (object);
}

static void
mail_account_assistant_class_init (MailAccountAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mail_account_assistant_dispose;
  object_class->finalize = mail_account_assistant_finalize;

  g_type_ensure (MAIL_TYPE_SERVER_SETTINGS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-account-assistant.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (next_button);
  BIND (next_label);
  BIND (stack);
  BIND (name_row);
  BIND (email_row);
  BIND (password_row);
  BIND (lookup_group);
  BIND (lookup_list);
  BIND (provider_group);
  BIND (imap_row);
  BIND (imap_check);
  BIND (pop3_row);
  BIND (pop3_check);
  BIND (outgoing_row);
  BIND (source_row);
  BIND (confirm_row);
  BIND (confirm_check);
  BIND (result_warnings_group);
  BIND (result_warnings_list);
  BIND (incoming_page);
  BIND (outgoing_page);
  BIND (manual_warnings_group);
  BIND (manual_warnings_list);
  BIND (verify_list);
  BIND (retry_group);
  BIND (retry_password_row);
  BIND (retry_button);
  BIND (pop3_group);
  BIND (leave_switch);
  BIND (delete_after_spin);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, identity_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, manual_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, manual_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, protocol_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, mail_account_assistant_retry);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
setup_autoconfig (MailAccountAssistant *self)
{
  const char *provider_url = g_getenv ("MAIL_AUTOCONFIG_PROVIDER_URL");
  const char *ca_file = g_getenv ("MAIL_AUTOCONFIG_CA_FILE");

  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  self->autoconfig = mail_autoconfig_new ();
  g_signal_connect_object (self->autoconfig, "source-finished",
                           G_CALLBACK (source_finished_cb), self, G_CONNECT_SWAPPED);
  /* The privacy preference: whether the central provider database may be asked about the
   * domain. The binding holds its own reference to the settings. */
  g_settings_bind (settings, "use-online-provider-database",
                   self->autoconfig, "use-online-database", G_SETTINGS_BIND_GET);
  if (provider_url != NULL && *provider_url != '\0')
    {
      g_debug ("Test hook: provider lookups go to %s", provider_url);
      mail_autoconfig_set_provider_url (self->autoconfig, provider_url);
      mail_autoconfig_set_use_online_database (self->autoconfig, FALSE);
    }
  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GTlsDatabase) database = NULL;
      g_autoptr(GError) error = NULL;

      database = g_tls_file_database_new (ca_file, &error);
      if (database == NULL)
        g_debug ("MAIL_AUTOCONFIG_CA_FILE ignored: %s", error->message);
      else
        mail_autoconfig_set_tls_database (self->autoconfig, database);
    }
}

static void
mail_account_assistant_init (MailAccountAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->lookup_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->settings_page = "result";
  mail_server_settings_page_set_outgoing (self->outgoing_page, TRUE);
  mail_account_assistant_setup_checks (self);
  setup_autoconfig (self);
  go_to (self, "identity");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

MailAccountAssistant *
mail_account_assistant_new (GtkWindow          *parent,
                            MailAccountManager *manager,
                            MailSecretStore    *secrets)
{
  MailAccountAssistant *self;
  g_autofree char *id = NULL;

  g_return_val_if_fail (MAIL_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (MAIL_IS_SECRET_STORE (secrets), NULL);

  self = g_object_new (MAIL_TYPE_ACCOUNT_ASSISTANT, "transient-for", parent, NULL);
  self->manager = g_object_ref (manager);
  self->secrets = g_object_ref (secrets);

  /* The account gets its identity now, so that certificate pins made while checking the
   * servers already live in its data directory. */
  id = mail_account_manager_generate_id ();
  self->account = mail_account_new (id);
  self->pin_dir = mail_account_manager_dup_data_dir (manager, self->account);
  return self;
}
