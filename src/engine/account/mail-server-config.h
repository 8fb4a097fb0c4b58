/* mail-server-config.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mail-engine-types.h"

G_BEGIN_DECLS

#define MAIL_TYPE_SERVER_CONFIG (mail_server_config_get_type ())

/**
 * MailServerConfig:
 * @protocol: IMAP, POP3 or SMTP
 * @hostname: the server's host name
 * @port: the TCP port
 * @security: implicit TLS, STARTTLS or none
 * @auth: the login method: "auto", "plain", "login", "cram-md5", "ntlm", "scram-sha-256",
 *   "oauth2", or "none" (outgoing servers only)
 * @username: the user name to log in with
 * @ca_file: (nullable): a PEM file of certificate authorities trusted for this server only
 * @allow_plaintext: the person's explicit consent to connect without encryption
 *
 * How to reach and log in to one server. It never holds a password: that lives in the keyring.
 */
typedef struct
{
  MailProtocol  protocol;
  char         *hostname;
  guint16       port;
  MailSecurity  security;
  char         *auth;
  char         *username;
  char         *ca_file;
  gboolean      allow_plaintext;
} MailServerConfig;

GType             mail_server_config_get_type (void) G_GNUC_CONST;
MailServerConfig *mail_server_config_new      (MailProtocol            protocol,
                                               const char             *hostname,
                                               guint16                 port,
                                               MailSecurity            security,
                                               const char             *username)
  G_GNUC_WARN_UNUSED_RESULT;
MailServerConfig *mail_server_config_copy     (const MailServerConfig *config)
  G_GNUC_WARN_UNUSED_RESULT;
void              mail_server_config_free     (MailServerConfig       *config);
gboolean          mail_server_config_equal    (const MailServerConfig *a,
                                               const MailServerConfig *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailServerConfig, mail_server_config_free)

G_END_DECLS
