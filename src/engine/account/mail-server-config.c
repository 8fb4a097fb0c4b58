/* mail-server-config.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-account"

#include "config.h"

#include "mail-server-config.h"

G_DEFINE_BOXED_TYPE (MailServerConfig, mail_server_config,
                     mail_server_config_copy, mail_server_config_free)

/**
 * mail_server_config_new:
 * @protocol: the protocol
 * @hostname: the server
 * @port: the port
 * @security: how the connection is protected
 * @username: the user name
 *
 * Returns: (transfer full): a new server configuration with automatic login method choice
 */
MailServerConfig *
mail_server_config_new (MailProtocol  protocol,
                        const char   *hostname,
                        guint16       port,
                        MailSecurity  security,
                        const char   *username)
{
  MailServerConfig *config = g_new0 (MailServerConfig, 1);

  config->protocol = protocol;
  config->hostname = g_strdup (hostname);
  config->port = port;
  config->security = security;
  config->auth = g_strdup ("auto");
  config->username = g_strdup (username);

  return config;
}

MailServerConfig *
mail_server_config_copy (const MailServerConfig *config)
{
  MailServerConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  copy->hostname = g_strdup (config->hostname);
  copy->auth = g_strdup (config->auth);
  copy->username = g_strdup (config->username);
  copy->ca_file = g_strdup (config->ca_file);

  return copy;
}

void
mail_server_config_free (MailServerConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->hostname);
  g_free (config->auth);
  g_free (config->username);
  g_free (config->ca_file);
  g_free (config);
}

gboolean
mail_server_config_equal (const MailServerConfig *a,
                          const MailServerConfig *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return a->protocol == b->protocol &&
         a->port == b->port &&
         a->security == b->security &&
         a->allow_plaintext == b->allow_plaintext &&
         g_strcmp0 (a->hostname, b->hostname) == 0 &&
         g_strcmp0 (a->auth, b->auth) == 0 &&
         g_strcmp0 (a->username, b->username) == 0 &&
         g_strcmp0 (a->ca_file, b->ca_file) == 0;
}
