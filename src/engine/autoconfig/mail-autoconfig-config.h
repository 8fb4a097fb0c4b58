/* mail-autoconfig-config.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mail-engine-types.h"

G_BEGIN_DECLS

#define MAIL_AUTOCONFIG_ERROR (mail_autoconfig_error_quark ())

/**
 * MailAutoconfigError:
 * @MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS: the e-mail address cannot be used
 * @MAIL_AUTOCONFIG_ERROR_INVALID_DATA: a configuration file is malformed or unusable
 * @MAIL_AUTOCONFIG_ERROR_TOO_LARGE: a configuration file or response is larger than allowed
 * @MAIL_AUTOCONFIG_ERROR_NOT_FOUND: no source knows a configuration for the domain
 * @MAIL_AUTOCONFIG_ERROR_TIMED_OUT: the lookup ran out of time
 * @MAIL_AUTOCONFIG_ERROR_INSECURE: a response came over an insecure channel
 *
 * Errors of account autoconfiguration.
 */
typedef enum
{
  MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS,
  MAIL_AUTOCONFIG_ERROR_INVALID_DATA,
  MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
  MAIL_AUTOCONFIG_ERROR_NOT_FOUND,
  MAIL_AUTOCONFIG_ERROR_TIMED_OUT,
  MAIL_AUTOCONFIG_ERROR_INSECURE,
} MailAutoconfigError;

/**
 * MailAutoconfigSource:
 * @MAIL_AUTOCONFIG_SOURCE_BUNDLED: the provider database shipped with the app
 * @MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS: the provider's own autoconfig file, over HTTPS
 * @MAIL_AUTOCONFIG_SOURCE_ISPDB: the central Thunderbird provider database, over HTTPS
 * @MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED: the bundled database, for the domain of the MX host
 * @MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER: the autoconfig file of the domain of the MX host
 * @MAIL_AUTOCONFIG_SOURCE_MX_ISPDB: the central database, for the domain of the MX host
 * @MAIL_AUTOCONFIG_SOURCE_SRV: DNS SRV records (RFC 6186, RFC 8314)
 * @MAIL_AUTOCONFIG_SOURCE_PROBE: guessed host names that answered when probed
 * @MAIL_AUTOCONFIG_SOURCE_MANUAL: entered by the person
 *
 * Where a configuration came from, in the order of preference of the lookup.
 */
typedef enum
{
  MAIL_AUTOCONFIG_SOURCE_BUNDLED,
  MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS,
  MAIL_AUTOCONFIG_SOURCE_ISPDB,
  MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED,
  MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER,
  MAIL_AUTOCONFIG_SOURCE_MX_ISPDB,
  MAIL_AUTOCONFIG_SOURCE_SRV,
  MAIL_AUTOCONFIG_SOURCE_PROBE,
  MAIL_AUTOCONFIG_SOURCE_MANUAL,
} MailAutoconfigSource;

/**
 * MailAutoconfigTrust:
 * @MAIL_AUTOCONFIG_TRUST_TRUSTED: bundled, or fetched over HTTPS from the provider or the
 *   central database
 * @MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION: derived from DNS or guessed: the person must
 *   confirm it, after being shown the domain it points to
 *
 * How far a configuration can be relied on without asking.
 */
typedef enum
{
  MAIL_AUTOCONFIG_TRUST_TRUSTED,
  MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION,
} MailAutoconfigTrust;

/**
 * MailAutoconfigServer:
 * @protocol: IMAP, POP3 or SMTP
 * @hostname: the host name, or an IP address; may hold placeholders until expanded
 * @port: the TCP port
 * @security: implicit TLS, STARTTLS or none
 * @auth: (array zero-terminated=1): login methods, preferred first, as in
 *   #MailServerConfig: "plain", "cram-md5", "ntlm", "gssapi", "oauth2" or "none"
 * @username: the user name; may hold placeholders until expanded
 * @cert_unverified: the server answered, but its certificate could not be verified
 *
 * One server of a configuration.
 */
typedef struct
{
  MailProtocol   protocol;
  char          *hostname;
  guint16        port;
  MailSecurity   security;
  char         **auth;
  char          *username;
  gboolean       cert_unverified;
} MailAutoconfigServer;

/**
 * MailAutoconfigDoc:
 * @url: a web page of the provider
 * @description: (nullable): what the page is about
 *
 * A `<documentation>` entry.
 */
typedef struct
{
  char *url;
  char *description;
} MailAutoconfigDoc;

/**
 * MailAutoconfigConfig:
 * @provider_id: (nullable): the `id` of the `<emailProvider>`
 * @display_name: (nullable): the provider's name
 * @display_short_name: (nullable): the provider's short name
 * @domains: (element-type utf8): the mail domains the file is for
 * @incoming: (element-type MailAutoconfigServer): incoming servers, preferred first
 * @outgoing: (element-type MailAutoconfigServer): outgoing servers, preferred first
 * @enable_url: (nullable): where access by mail programs must be switched on first
 * @enable_instruction: (nullable): how to switch it on
 * @documentation: (element-type MailAutoconfigDoc): the provider's help pages
 * @app_password_required: password login needs an app-specific password
 * @source: where the configuration came from
 * @trust: whether it must be confirmed
 * @trust_domain: (nullable): the registrable domain the configuration points to
 * @origin: (nullable): the URL or DNS name it was read from
 *
 * A mail account configuration, as read from a `config-v1.1.xml` file or found otherwise.
 */
typedef struct
{
  char                 *provider_id;
  char                 *display_name;
  char                 *display_short_name;
  GPtrArray            *domains;
  GPtrArray            *incoming;
  GPtrArray            *outgoing;
  char                 *enable_url;
  char                 *enable_instruction;
  GPtrArray            *documentation;
  gboolean              app_password_required;
  MailAutoconfigSource  source;
  MailAutoconfigTrust   trust;
  char                 *trust_domain;
  char                 *origin;
} MailAutoconfigConfig;

#define MAIL_TYPE_AUTOCONFIG_SERVER (mail_autoconfig_server_get_type ())
#define MAIL_TYPE_AUTOCONFIG_CONFIG (mail_autoconfig_config_get_type ())

GQuark                mail_autoconfig_error_quark           (void);

GType                 mail_autoconfig_server_get_type       (void) G_GNUC_CONST;
MailAutoconfigServer *mail_autoconfig_server_new            (MailProtocol                protocol,
                                                             const char                 *hostname,
                                                             guint16                     port,
                                                             MailSecurity                security,
                                                             const char                 *username)
                                                             G_GNUC_WARN_UNUSED_RESULT;
MailAutoconfigServer *mail_autoconfig_server_copy           (const MailAutoconfigServer *server)
                                                             G_GNUC_WARN_UNUSED_RESULT;
void                  mail_autoconfig_server_free           (MailAutoconfigServer       *server);
const char           *mail_autoconfig_server_get_auth       (const MailAutoconfigServer *server);
gboolean              mail_autoconfig_server_has_auth       (const MailAutoconfigServer *server,
                                                             const char                 *auth);
gboolean              mail_autoconfig_server_is_loopback    (const MailAutoconfigServer *server);

GType                 mail_autoconfig_config_get_type       (void) G_GNUC_CONST;
MailAutoconfigConfig *mail_autoconfig_config_new            (void) G_GNUC_WARN_UNUSED_RESULT;
MailAutoconfigConfig *mail_autoconfig_config_copy           (const MailAutoconfigConfig *config)
                                                             G_GNUC_WARN_UNUSED_RESULT;
void                  mail_autoconfig_config_free           (MailAutoconfigConfig       *config);
MailAutoconfigConfig *mail_autoconfig_config_expand         (const MailAutoconfigConfig *config,
                                                             const char                 *address,
                                                             const char                 *real_name,
                                                             GError                    **error)
                                                             G_GNUC_WARN_UNUSED_RESULT;
gboolean              mail_autoconfig_config_supports_oauth2 (const MailAutoconfigConfig *config);

const char           *mail_autoconfig_source_to_string      (MailAutoconfigSource        source);
const char           *mail_autoconfig_trust_to_string       (MailAutoconfigTrust         trust);

gboolean              mail_autoconfig_split_address         (const char                 *address,
                                                             char                      **local_part,
                                                             char                      **domain,
                                                             GError                    **error);
char                 *mail_autoconfig_normalize_domain      (const char                 *domain,
                                                             GError                    **error)
                                                             G_GNUC_WARN_UNUSED_RESULT;
char                 *mail_autoconfig_registrable_domain    (const char                 *hostname)
                                                             G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigServer, mail_autoconfig_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigConfig, mail_autoconfig_config_free)

G_END_DECLS
