/* mail-autoconfig-config.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-autoconfig"

#include "config.h"

#include "mail-autoconfig-config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <libpsl.h>
#include <string.h>

G_DEFINE_QUARK (mail-autoconfig-error-quark, mail_autoconfig_error)

G_DEFINE_BOXED_TYPE (MailAutoconfigServer, mail_autoconfig_server,
                     mail_autoconfig_server_copy, mail_autoconfig_server_free)
G_DEFINE_BOXED_TYPE (MailAutoconfigConfig, mail_autoconfig_config,
                     mail_autoconfig_config_copy, mail_autoconfig_config_free)

#define MAX_DOMAIN_LENGTH 253
#define MAX_LOCAL_PART_LENGTH 256

static void
doc_free (gpointer data)
{
  MailAutoconfigDoc *doc = data;

  g_free (doc->url);
  g_free (doc->description);
  g_free (doc);
}

static gpointer
doc_copy (gconstpointer src,
          gpointer      user_data)
{
  const MailAutoconfigDoc *doc = src;
  MailAutoconfigDoc *copy = g_new0 (MailAutoconfigDoc, 1);

  copy->url = g_strdup (doc->url);
  copy->description = g_strdup (doc->description);
  return copy;
}

static gpointer
server_copy_func (gconstpointer src,
                  gpointer      user_data)
{
  return mail_autoconfig_server_copy (src);
}

static gpointer
strdup_func (gconstpointer src,
             gpointer      user_data)
{
  return g_strdup (src);
}

static char *
replace_placeholders (const char *text,
                      const char *address,
                      const char *local_part,
                      const char *domain,
                      const char *real_name)
{
  GString *str;

  if (text == NULL)
    return NULL;

  str = g_string_new (text);
  g_string_replace (str, "%EMAILADDRESS%", address, 0);
  g_string_replace (str, "%EMAILLOCALPART%", local_part, 0);
  g_string_replace (str, "%EMAILDOMAIN%", domain, 0);
  g_string_replace (str, "%REALNAME%", real_name, 0);
  return g_string_free (str, FALSE);
}

static gboolean
expand_servers (GPtrArray   *servers,
                const char  *address,
                const char  *local_part,
                const char  *domain,
                const char  *real_name,
                GError     **error)
{
  for (guint i = 0; i < servers->len; i++)
    {
      MailAutoconfigServer *server = g_ptr_array_index (servers, i);
      g_autofree char *hostname = NULL;
      g_autofree char *username = NULL;

      hostname = replace_placeholders (server->hostname, address, local_part, domain, real_name);
      username = replace_placeholders (server->username, address, local_part, domain, real_name);

      /* Loopback by name is fine too (a local bridge); other single labels are not. */
      if (g_ascii_strcasecmp (hostname, "localhost") == 0)
        {
          g_free (hostname);
          hostname = g_strdup ("localhost");
        }
      else if (!g_hostname_is_ip_address (hostname))
        {
          g_autofree char *normalized = mail_autoconfig_normalize_domain (hostname, NULL);

          if (normalized == NULL)
            {
              g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_DATA,
                           _("The configuration names an invalid server: “%s”"), hostname);
              return FALSE;
            }
          g_free (hostname);
          hostname = g_steal_pointer (&normalized);
        }

      g_free (server->hostname);
      server->hostname = g_steal_pointer (&hostname);
      g_free (server->username);
      server->username = g_steal_pointer (&username);
    }

  return TRUE;
}

static psl_ctx_t *
get_psl (void)
{
  static psl_ctx_t *psl = NULL;

  if (g_once_init_enter (&psl))
    {
      psl_ctx_t *ctx = psl_latest (NULL);

      if (ctx == NULL)
        ctx = (psl_ctx_t *) psl_builtin ();
      g_once_init_leave (&psl, ctx);
    }

  return psl;
}

/**
 * mail_autoconfig_server_new:
 * @protocol: the protocol
 * @hostname: the host name
 * @port: the port
 * @security: the transport security
 * @username: (nullable): the user name
 *
 * Creates a server with "plain" (password) login.
 *
 * Returns: (transfer full): a new server
 */
MailAutoconfigServer *
mail_autoconfig_server_new (MailProtocol  protocol,
                            const char   *hostname,
                            guint16       port,
                            MailSecurity  security,
                            const char   *username)
{
  MailAutoconfigServer *server;

  g_return_val_if_fail (hostname != NULL, NULL);

  server = g_new0 (MailAutoconfigServer, 1);
  server->protocol = protocol;
  server->hostname = g_strdup (hostname);
  server->port = port;
  server->security = security;
  server->auth = g_new0 (char *, 2);
  server->auth[0] = g_strdup ("plain");
  server->username = g_strdup (username);
  return server;
}

/**
 * mail_autoconfig_server_copy:
 * @server: a server
 *
 * Returns: (transfer full): a deep copy of @server
 */
MailAutoconfigServer *
mail_autoconfig_server_copy (const MailAutoconfigServer *server)
{
  MailAutoconfigServer *copy;

  g_return_val_if_fail (server != NULL, NULL);

  copy = g_new0 (MailAutoconfigServer, 1);
  *copy = *server;
  copy->hostname = g_strdup (server->hostname);
  copy->auth = g_strdupv (server->auth);
  copy->username = g_strdup (server->username);
  return copy;
}

/**
 * mail_autoconfig_server_free:
 * @server: (nullable): a server
 *
 * Frees @server.
 */
void
mail_autoconfig_server_free (MailAutoconfigServer *server)
{
  if (server == NULL)
    return;

  g_free (server->hostname);
  g_strfreev (server->auth);
  g_free (server->username);
  g_free (server);
}

/**
 * mail_autoconfig_server_get_auth:
 * @server: a server
 *
 * Returns: (transfer none): the preferred login method, "plain" when none is listed
 */
const char *
mail_autoconfig_server_get_auth (const MailAutoconfigServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  if (server->auth == NULL || server->auth[0] == NULL)
    return "plain";
  return server->auth[0];
}

/**
 * mail_autoconfig_server_has_auth:
 * @server: a server
 * @auth: a login method name
 *
 * Returns: whether @server lists @auth among its login methods
 */
gboolean
mail_autoconfig_server_has_auth (const MailAutoconfigServer *server,
                                 const char                 *auth)
{
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (auth != NULL, FALSE);

  return server->auth != NULL && g_strv_contains ((const char * const *) server->auth, auth);
}

/**
 * mail_autoconfig_server_is_loopback:
 * @server: a server
 *
 * Returns: whether the server is this computer (127.0.0.0/8, ::1 or "localhost"), as with
 *   Proton Mail Bridge
 */
gboolean
mail_autoconfig_server_is_loopback (const MailAutoconfigServer *server)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (server != NULL, FALSE);

  if (server->hostname == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (server->hostname, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (server->hostname);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * mail_autoconfig_config_new:
 *
 * Returns: (transfer full): an empty configuration, from a manual source, needing confirmation
 */
MailAutoconfigConfig *
mail_autoconfig_config_new (void)
{
  MailAutoconfigConfig *config = g_new0 (MailAutoconfigConfig, 1);

  config->domains = g_ptr_array_new_with_free_func (g_free);
  config->incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_server_free);
  config->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_server_free);
  config->documentation = g_ptr_array_new_with_free_func (doc_free);
  config->source = MAIL_AUTOCONFIG_SOURCE_MANUAL;
  config->trust = MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION;
  return config;
}

/**
 * mail_autoconfig_config_copy:
 * @config: a configuration
 *
 * Returns: (transfer full): a deep copy of @config
 */
MailAutoconfigConfig *
mail_autoconfig_config_copy (const MailAutoconfigConfig *config)
{
  MailAutoconfigConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (MailAutoconfigConfig, 1);
  *copy = *config;
  copy->provider_id = g_strdup (config->provider_id);
  copy->display_name = g_strdup (config->display_name);
  copy->display_short_name = g_strdup (config->display_short_name);
  copy->domains = g_ptr_array_copy (config->domains, strdup_func, NULL);
  copy->incoming = g_ptr_array_copy (config->incoming, server_copy_func, NULL);
  copy->outgoing = g_ptr_array_copy (config->outgoing, server_copy_func, NULL);
  copy->enable_url = g_strdup (config->enable_url);
  copy->enable_instruction = g_strdup (config->enable_instruction);
  copy->documentation = g_ptr_array_copy (config->documentation, doc_copy, NULL);
  copy->trust_domain = g_strdup (config->trust_domain);
  copy->origin = g_strdup (config->origin);
  return copy;
}

/**
 * mail_autoconfig_config_free:
 * @config: (nullable): a configuration
 *
 * Frees @config.
 */
void
mail_autoconfig_config_free (MailAutoconfigConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->provider_id);
  g_free (config->display_name);
  g_free (config->display_short_name);
  g_clear_pointer (&config->domains, g_ptr_array_unref);
  g_clear_pointer (&config->incoming, g_ptr_array_unref);
  g_clear_pointer (&config->outgoing, g_ptr_array_unref);
  g_free (config->enable_url);
  g_free (config->enable_instruction);
  g_clear_pointer (&config->documentation, g_ptr_array_unref);
  g_free (config->trust_domain);
  g_free (config->origin);
  g_free (config);
}

/**
 * mail_autoconfig_config_expand:
 * @config: a configuration, as read from a file
 * @address: the person's e-mail address
 * @real_name: (nullable): the person's name
 * @error: return location for an error
 *
 * Replaces the placeholders `%EMAILADDRESS%`, `%EMAILLOCALPART%`, `%EMAILDOMAIN%` and
 * `%REALNAME%` in the host and user names, and checks the resulting host names.
 *
 * Returns: (transfer full): the expanded copy, or %NULL with @error set
 */
MailAutoconfigConfig *
mail_autoconfig_config_expand (const MailAutoconfigConfig  *config,
                               const char                  *address,
                               const char                  *real_name,
                               GError                     **error)
{
  g_autoptr(MailAutoconfigConfig) copy = NULL;
  g_autofree char *local_part = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *full = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (!mail_autoconfig_split_address (address, &local_part, &domain, error))
    return NULL;

  full = g_strconcat (local_part, "@", domain, NULL);
  copy = mail_autoconfig_config_copy (config);
  if (real_name == NULL)
    real_name = "";

  if (!expand_servers (copy->incoming, full, local_part, domain, real_name, error) ||
      !expand_servers (copy->outgoing, full, local_part, domain, real_name, error))
    return NULL;

  return g_steal_pointer (&copy);
}

/**
 * mail_autoconfig_config_supports_oauth2:
 * @config: a configuration
 *
 * Returns: whether any server of @config lists OAuth2 login
 */
gboolean
mail_autoconfig_config_supports_oauth2 (const MailAutoconfigConfig *config)
{
  g_return_val_if_fail (config != NULL, FALSE);

  for (guint i = 0; i < config->incoming->len; i++)
    {
      if (mail_autoconfig_server_has_auth (g_ptr_array_index (config->incoming, i), "oauth2"))
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_autoconfig_source_to_string:
 * @source: a source
 *
 * Returns: (transfer none): a stable identifier, e.g. "provider-https"
 */
const char *
mail_autoconfig_source_to_string (MailAutoconfigSource source)
{
  switch (source)
    {
    case MAIL_AUTOCONFIG_SOURCE_BUNDLED:
      return "bundled";
    case MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS:
      return "provider-https";
    case MAIL_AUTOCONFIG_SOURCE_ISPDB:
      return "ispdb";
    case MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED:
      return "mx-bundled";
    case MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER:
      return "mx-provider";
    case MAIL_AUTOCONFIG_SOURCE_MX_ISPDB:
      return "mx-ispdb";
    case MAIL_AUTOCONFIG_SOURCE_SRV:
      return "srv";
    case MAIL_AUTOCONFIG_SOURCE_PROBE:
      return "probe";
    case MAIL_AUTOCONFIG_SOURCE_MANUAL:
      return "manual";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * mail_autoconfig_trust_to_string:
 * @trust: a trust level
 *
 * Returns: (transfer none): "trusted" or "needs-confirmation"
 */
const char *
mail_autoconfig_trust_to_string (MailAutoconfigTrust trust)
{
  switch (trust)
    {
    case MAIL_AUTOCONFIG_TRUST_TRUSTED:
      return "trusted";
    case MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION:
      return "needs-confirmation";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * mail_autoconfig_normalize_domain:
 * @domain: a domain name, possibly internationalised
 * @error: return location for an error
 *
 * Converts @domain to lower-case ASCII (IDNA, as g_hostname_to_ascii()), without a trailing dot,
 * and checks that it is a plausible host name with at least two labels.
 *
 * Returns: (transfer full): the normalised domain, or %NULL with @error set
 */
char *
mail_autoconfig_normalize_domain (const char  *domain,
                                  GError     **error)
{
  g_autofree char *ascii = NULL;
  gsize len;
  gsize label = 0;

  g_return_val_if_fail (domain != NULL, NULL);

  if (*domain == '\0' || strlen (domain) > 4 * MAX_DOMAIN_LENGTH ||
      !g_utf8_validate (domain, -1, NULL))
    goto invalid;

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL)
    goto invalid;

  {
    char *lower = g_ascii_strdown (ascii, -1);

    g_free (ascii);
    ascii = lower;
  }

  len = strlen (ascii);
  if (len > 0 && ascii[len - 1] == '.')
    ascii[--len] = '\0';
  if (len == 0 || len > MAX_DOMAIN_LENGTH || strchr (ascii, '.') == NULL)
    goto invalid;

  for (gsize i = 0; i <= len; i++)
    {
      char c = ascii[i];

      if (c == '.' || c == '\0')
        {
          if (label == 0 || label > 63 || ascii[i - 1] == '-')
            goto invalid;
          label = 0;
        }
      else if (g_ascii_isalnum (c) || c == '_' || (c == '-' && label > 0))
        label++;
      else
        goto invalid;
    }

  return g_steal_pointer (&ascii);

invalid:
  g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS,
               _("“%s” is not a valid mail domain"), domain);
  return NULL;
}

/**
 * mail_autoconfig_split_address:
 * @address: an e-mail address
 * @local_part: (out) (optional): the part before the last "@"
 * @domain: (out) (optional): the normalised domain (see mail_autoconfig_normalize_domain())
 * @error: return location for an error
 *
 * Returns: %TRUE if @address is usable for account setup
 */
gboolean
mail_autoconfig_split_address (const char  *address,
                               char       **local_part,
                               char       **domain,
                               GError     **error)
{
  const char *at;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (address != NULL, FALSE);

  at = strrchr (address, '@');
  if (!g_utf8_validate (address, -1, NULL) || at == NULL || at == address ||
      (gsize) (at - address) > MAX_LOCAL_PART_LENGTH)
    {
      g_set_error_literal (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS,
                           _("This is not a valid e-mail address: it needs the form "
                             "name@example.com"));
      return FALSE;
    }

  for (const char *p = address; p < at; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f || *p == ' ')
        {
          g_set_error_literal (error, MAIL_AUTOCONFIG_ERROR,
                               MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS,
                               _("The e-mail address contains spaces or control characters"));
          return FALSE;
        }
    }

  normalized = mail_autoconfig_normalize_domain (at + 1, error);
  if (normalized == NULL)
    return FALSE;

  if (local_part != NULL)
    *local_part = g_strndup (address, at - address);
  if (domain != NULL)
    *domain = g_steal_pointer (&normalized);
  return TRUE;
}

/**
 * mail_autoconfig_registrable_domain:
 * @hostname: a host name or IP address
 *
 * The registrable domain ("eTLD+1", from the Public Suffix List through libpsl) that
 * @hostname belongs to: what the interface shows when a configuration needs confirmation.
 *
 * Returns: (transfer full): the registrable domain, @hostname itself for IP addresses and
 *   public suffixes
 */
char *
mail_autoconfig_registrable_domain (const char *hostname)
{
  g_autofree char *lower = NULL;
  const char *reg;

  g_return_val_if_fail (hostname != NULL, NULL);

  lower = g_ascii_strdown (hostname, -1);
  if (g_hostname_is_ip_address (lower))
    return g_steal_pointer (&lower);

  {
    gsize len = strlen (lower);

    if (len > 0 && lower[len - 1] == '.')
      lower[len - 1] = '\0';
  }

  reg = psl_registrable_domain (get_psl (), lower);
  return g_strdup (reg != NULL ? reg : lower);
}
