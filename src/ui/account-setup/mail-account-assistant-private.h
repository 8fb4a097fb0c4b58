/* mail-account-assistant-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-account-assistant.h"
#include "mail-autoconfig.h"
#include "mail-server-check.h"
#include "mail-server-settings-page.h"

G_BEGIN_DECLS

typedef enum
{
  LOOKUP_IDLE,
  LOOKUP_RUNNING,
  LOOKUP_FOUND,
  LOOKUP_NOT_FOUND,
} LookupState;

typedef enum
{
  CHECK_PENDING,
  CHECK_RUNNING,
  CHECK_OK,
  CHECK_FAILED,
} CheckState;

enum {
  SERVER_INCOMING,
  SERVER_OUTGOING,
  N_SERVERS
};

typedef struct
{
  AdwActionRow        *row;
  GtkStack            *status;
  GtkWidget           *cert_button;
  CheckState           state;
  MailServerConfig    *config;
  MailCertificateInfo *certificate;
} ServerCheck;

struct _MailAccountAssistant
{
  AdwWindow               parent_instance;

  /* template widgets */
  AdwToastOverlay        *toast_overlay;
  AdwWindowTitle         *window_title;
  GtkButton              *cancel_button;
  GtkButton              *back_button;
  GtkButton              *next_button;
  GtkLabel               *next_label;
  GtkStack               *stack;
  AdwEntryRow            *name_row;
  AdwEntryRow            *email_row;
  AdwPasswordEntryRow    *password_row;
  AdwPreferencesGroup    *lookup_group;
  GtkListBox             *lookup_list;
  AdwPreferencesGroup    *provider_group;
  AdwActionRow           *imap_row;
  GtkCheckButton         *imap_check;
  AdwActionRow           *pop3_row;
  GtkCheckButton         *pop3_check;
  AdwActionRow           *outgoing_row;
  AdwActionRow           *source_row;
  AdwActionRow           *confirm_row;
  GtkCheckButton         *confirm_check;
  AdwPreferencesGroup    *result_warnings_group;
  GtkListBox             *result_warnings_list;
  MailServerSettingsPage *incoming_page;
  MailServerSettingsPage *outgoing_page;
  AdwPreferencesGroup    *manual_warnings_group;
  GtkListBox             *manual_warnings_list;
  GtkListBox             *verify_list;
  AdwPreferencesGroup    *retry_group;
  AdwPasswordEntryRow    *retry_password_row;
  GtkButton              *retry_button;
  AdwPreferencesGroup    *pop3_group;
  GtkSwitch              *leave_switch;
  GtkSpinButton          *delete_after_spin;

  /* owned references */
  MailAccountManager     *manager;
  MailSecretStore        *secrets;
  MailAutoconfig         *autoconfig;
  GCancellable           *lookup_cancellable;
  GCancellable           *cancellable;
  MailAutoconfigConfig   *found;
  MailAccount            *account;
  GHashTable             *lookup_rows;
  char                   *pin_dir;
  char                   *lookup_domain;

  /* state */
  ServerCheck             checks[N_SERVERS];
  LookupState             lookup_state;
  guint                   lookup_timeout_id;
  const char             *settings_page;
  gboolean                has_danger;
  gboolean                risk_acknowledged;
  gboolean                saving;
  gboolean                saved;
};

void     mail_account_assistant_update_buttons (MailAccountAssistant *self);
void     mail_account_assistant_start_checks   (MailAccountAssistant *self);
void     mail_account_assistant_setup_checks   (MailAccountAssistant *self);
void     mail_account_assistant_clear_checks   (MailAccountAssistant *self);
gboolean mail_account_assistant_checks_done    (MailAccountAssistant *self);
void     mail_account_assistant_retry          (MailAccountAssistant *self);
void     mail_account_assistant_save           (MailAccountAssistant *self);
void     mail_account_assistant_toast          (MailAccountAssistant *self,
                                                const char           *message);

G_END_DECLS
