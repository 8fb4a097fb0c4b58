/* mail-account.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-account"

#include "config.h"

#include "mail-account.h"

struct _MailAccount
{
  GObject           parent_instance;

  char             *id;
  char             *display_name;
  char             *real_name;
  char             *email;
  MailServerConfig *incoming;
  MailServerConfig *outgoing;
  guint             pop3_delete_after_days;
  guint             pop3_leave_on_server : 1;
};

G_DEFINE_FINAL_TYPE (MailAccount, mail_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_REAL_NAME,
  PROP_EMAIL,
  PROP_INCOMING,
  PROP_OUTGOING,
  PROP_POP3_LEAVE_ON_SERVER,
  PROP_POP3_DELETE_AFTER_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (MailAccount  *self,
            char        **field,
            const char   *value,
            guint         prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_server (MailAccount             *self,
            MailServerConfig       **field,
            const MailServerConfig  *value,
            guint                    prop_id)
{
  if (mail_server_config_equal (*field, value))
    return;

  g_clear_pointer (field, mail_server_config_free);
  if (value != NULL)
    *field = mail_server_config_copy (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
mail_account_finalize (GObject *object)
{
  MailAccount *self = MAIL_ACCOUNT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->real_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->incoming, mail_server_config_free);
  g_clear_pointer (&self->outgoing, mail_server_config_free);

  G_OBJECT_CLASS (mail_account_parent_class)->finalize (object);
}

static void
mail_account_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MailAccount *self = MAIL_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, mail_account_get_id (self));
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, mail_account_get_display_name (self));
      break;
    case PROP_REAL_NAME:
      g_value_set_string (value, mail_account_get_real_name (self));
      break;
    case PROP_EMAIL:
      g_value_set_string (value, mail_account_get_email (self));
      break;
    case PROP_INCOMING:
      g_value_set_boxed (value, mail_account_get_incoming (self));
      break;
    case PROP_OUTGOING:
      g_value_set_boxed (value, mail_account_get_outgoing (self));
      break;
    case PROP_POP3_LEAVE_ON_SERVER:
      g_value_set_boolean (value, mail_account_get_pop3_leave_on_server (self));
      break;
    case PROP_POP3_DELETE_AFTER_DAYS:
      g_value_set_uint (value, mail_account_get_pop3_delete_after_days (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_account_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MailAccount *self = MAIL_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_DISPLAY_NAME:
      mail_account_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_REAL_NAME:
      mail_account_set_real_name (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      mail_account_set_email (self, g_value_get_string (value));
      break;
    case PROP_INCOMING:
      mail_account_set_incoming (self, g_value_get_boxed (value));
      break;
    case PROP_OUTGOING:
      mail_account_set_outgoing (self, g_value_get_boxed (value));
      break;
    case PROP_POP3_LEAVE_ON_SERVER:
      mail_account_set_pop3_leave_on_server (self, g_value_get_boolean (value));
      break;
    case PROP_POP3_DELETE_AFTER_DAYS:
      mail_account_set_pop3_delete_after_days (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_account_class_init (MailAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mail_account_finalize;
  object_class->get_property = mail_account_get_property;
  object_class->set_property = mail_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_REAL_NAME] = g_param_spec_string ("real-name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_INCOMING] =
    g_param_spec_boxed ("incoming", NULL, NULL, MAIL_TYPE_SERVER_CONFIG, flags);
  properties[PROP_OUTGOING] =
    g_param_spec_boxed ("outgoing", NULL, NULL, MAIL_TYPE_SERVER_CONFIG, flags);
  properties[PROP_POP3_LEAVE_ON_SERVER] =
    g_param_spec_boolean ("pop3-leave-on-server", NULL, NULL, TRUE, flags);
  properties[PROP_POP3_DELETE_AFTER_DAYS] =
    g_param_spec_uint ("pop3-delete-after-days", NULL, NULL, 0, 3650, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_account_init (MailAccount *self)
{
  /* Safe default: POP3 leaves mail on the server unless the person says otherwise. */
  self->pop3_leave_on_server = TRUE;
}

/**
 * mail_account_new:
 * @id: a stable identifier, unique among the accounts
 *
 * Returns: (transfer full): a new account with no servers yet
 */
MailAccount *
mail_account_new (const char *id)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (MAIL_TYPE_ACCOUNT, "id", id, NULL);
}

const char *
mail_account_get_id (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);
  return self->id;
}

const char *
mail_account_get_display_name (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);
  return self->display_name != NULL ? self->display_name : self->email;
}

void
mail_account_set_display_name (MailAccount *self,
                               const char  *display_name)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));
  set_string (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
}

const char *
mail_account_get_real_name (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);
  return self->real_name;
}

void
mail_account_set_real_name (MailAccount *self,
                            const char  *real_name)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));
  set_string (self, &self->real_name, real_name, PROP_REAL_NAME);
}

const char *
mail_account_get_email (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);
  return self->email;
}

void
mail_account_set_email (MailAccount *self,
                        const char  *email)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));
  set_string (self, &self->email, email, PROP_EMAIL);
}

/**
 * mail_account_get_incoming:
 * @self: an account
 *
 * Returns: (transfer none) (nullable): the IMAP or POP3 server
 */
const MailServerConfig *
mail_account_get_incoming (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);
  return self->incoming;
}

void
mail_account_set_incoming (MailAccount            *self,
                           const MailServerConfig *config)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));
  g_return_if_fail (config == NULL || config->protocol != MAIL_PROTOCOL_SMTP);
  set_server (self, &self->incoming, config, PROP_INCOMING);
}

/**
 * mail_account_get_outgoing:
 * @self: an account
 *
 * Returns: (transfer none) (nullable): the SMTP server
 */
const MailServerConfig *
mail_account_get_outgoing (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), NULL);
  return self->outgoing;
}

void
mail_account_set_outgoing (MailAccount            *self,
                           const MailServerConfig *config)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));
  g_return_if_fail (config == NULL || config->protocol == MAIL_PROTOCOL_SMTP);
  set_server (self, &self->outgoing, config, PROP_OUTGOING);
}

gboolean
mail_account_get_pop3_leave_on_server (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), TRUE);
  return self->pop3_leave_on_server;
}

void
mail_account_set_pop3_leave_on_server (MailAccount *self,
                                       gboolean     leave)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  leave = !!leave;
  if (self->pop3_leave_on_server == leave)
    return;

  self->pop3_leave_on_server = leave;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POP3_LEAVE_ON_SERVER]);
}

guint
mail_account_get_pop3_delete_after_days (MailAccount *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT (self), 0);
  return self->pop3_delete_after_days;
}

void
mail_account_set_pop3_delete_after_days (MailAccount *self,
                                         guint        days)
{
  g_return_if_fail (MAIL_IS_ACCOUNT (self));

  if (self->pop3_delete_after_days == days)
    return;

  self->pop3_delete_after_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POP3_DELETE_AFTER_DAYS]);
}
