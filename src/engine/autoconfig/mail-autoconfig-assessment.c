/* mail-autoconfig-assessment.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-autoconfig"

#include "config.h"

#include "mail-autoconfig-assessment.h"

#include <glib/gi18n-lib.h>

static void
add_finding (GPtrArray              *findings,
             MailAutoconfigSeverity  severity,
             const char             *code,
             const char             *hostname,
             char                   *message)
{
  MailAutoconfigFinding *finding = g_new0 (MailAutoconfigFinding, 1);

  finding->severity = severity;
  finding->code = g_strdup (code);
  finding->hostname = g_strdup (hostname);
  finding->message = message;
  g_ptr_array_add (findings, finding);
}

static gboolean
has_implicit_tls_alternative (const MailAutoconfigConfig *config,
                              const MailAutoconfigServer *server)
{
  GPtrArray *list;

  if (config == NULL)
    return FALSE;

  list = server->protocol == MAIL_PROTOCOL_SMTP ? config->outgoing : config->incoming;
  for (guint i = 0; i < list->len; i++)
    {
      const MailAutoconfigServer *other = g_ptr_array_index (list, i);

      if (other->protocol == server->protocol && other->security == MAIL_SECURITY_TLS)
        return TRUE;
    }
  return FALSE;
}

static void
assess_server (GPtrArray                  *findings,
               const MailAutoconfigServer *server,
               const MailAutoconfigConfig *config,
               MailAutoconfigAssessFlags   flags)
{
  const char *host = server->hostname;
  const char *auth = mail_autoconfig_server_get_auth (server);
  gboolean loopback = mail_autoconfig_server_is_loopback (server);
  gboolean encrypted = server->security != MAIL_SECURITY_NONE;

  if (!encrypted && loopback)
    {
      add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_INFO, "loopback-plaintext", host,
                   g_strdup_printf (_("%s is a program on this computer, such as a mail bridge. "
                                      "The connection to it is not encrypted, but it never "
                                      "leaves this computer."), host));
    }
  else if (!encrypted)
    {
      add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_DANGER, "no-encryption", host,
                   g_strdup_printf (_("%s does not use encryption. Anyone on the network "
                                      "between you and the server can read your messages and "
                                      "change them."), host));

      if (g_str_equal (auth, "plain") || g_str_equal (auth, "login"))
        add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_DANGER, "cleartext-password", host,
                     g_strdup_printf (_("Your password would be sent to %s as readable text on "
                                        "an unencrypted connection. Anyone on the network "
                                        "could copy it."), host));
      else if (g_str_equal (auth, "cram-md5"))
        add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_WARNING, "cram-md5-not-encryption",
                     host,
                     g_strdup_printf (_("%s offers an “encrypted password” (CRAM-MD5). This "
                                        "is not an encrypted connection: it only hides the "
                                        "password itself, your messages stay readable, and "
                                        "the recorded login can be used to guess the password "
                                        "offline."), host));
    }

  if (g_str_equal (auth, "ntlm"))
    {
      if (encrypted || loopback)
        add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_WARNING, "ntlm", host,
                     g_strdup_printf (_("%s uses NTLM login (“Secure Password "
                                        "Authentication”, SPA). Despite the name, this is not "
                                        "encryption, and NTLM logins can be relayed to other "
                                        "services."), host));
      else
        add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_DANGER, "ntlm-without-tls", host,
                     g_strdup_printf (_("%s uses NTLM login (“Secure Password "
                                        "Authentication”, SPA) without an encrypted "
                                        "connection. Despite the name, this is not encryption: "
                                        "anyone on the network can record the login, crack the "
                                        "password offline or relay it to other services."),
                                      host));
    }

  if (server->security == MAIL_SECURITY_STARTTLS && has_implicit_tls_alternative (config, server))
    add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_WARNING, "implicit-tls-available", host,
                 g_strdup_printf (_("%s upgrades a plain connection with STARTTLS although "
                                    "the provider also offers a connection that is encrypted "
                                    "from the start, which is safer."), host));

  if (server->cert_unverified || (flags & MAIL_AUTOCONFIG_ASSESS_CERT_UNVERIFIED) != 0)
    add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_DANGER, "certificate-not-verified", host,
                 g_strdup_printf (_("The identity of %s could not be verified: its certificate "
                                    "is self-signed, expired or for another name. Someone "
                                    "could be impersonating the server."), host));
}

/**
 * mail_autoconfig_finding_free:
 * @finding: (nullable): a finding
 *
 * Frees @finding.
 */
void
mail_autoconfig_finding_free (MailAutoconfigFinding *finding)
{
  if (finding == NULL)
    return;

  g_free (finding->code);
  g_free (finding->message);
  g_free (finding->hostname);
  g_free (finding);
}

/**
 * mail_autoconfig_severity_to_string:
 * @severity: a severity
 *
 * Returns: (transfer none): "info", "warning" or "danger"
 */
const char *
mail_autoconfig_severity_to_string (MailAutoconfigSeverity severity)
{
  switch (severity)
    {
    case MAIL_AUTOCONFIG_SEVERITY_INFO:
      return "info";
    case MAIL_AUTOCONFIG_SEVERITY_WARNING:
      return "warning";
    case MAIL_AUTOCONFIG_SEVERITY_DANGER:
      return "danger";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * mail_autoconfig_assess_server:
 * @server: the server the person is about to use
 * @config: (nullable): the configuration it comes from, to compare with its alternatives
 * @flags: facts found while connecting
 *
 * Judges the security of one server, e.g. one entered by hand. A pure function.
 *
 * Returns: (transfer container) (element-type MailAutoconfigFinding): the findings
 */
GPtrArray *
mail_autoconfig_assess_server (const MailAutoconfigServer *server,
                               const MailAutoconfigConfig *config,
                               MailAutoconfigAssessFlags   flags)
{
  GPtrArray *findings;

  g_return_val_if_fail (server != NULL, NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_finding_free);
  assess_server (findings, server, config, flags);
  return findings;
}

/**
 * mail_autoconfig_assess:
 * @config: an (expanded) configuration
 * @flags: facts found while connecting
 *
 * Judges the preferred incoming and outgoing servers of @config, and lists what the person
 * must do first (enable access, create an app password) and whether the configuration must
 * be confirmed. A pure function.
 *
 * Returns: (transfer container) (element-type MailAutoconfigFinding): the findings
 */
GPtrArray *
mail_autoconfig_assess (const MailAutoconfigConfig *config,
                        MailAutoconfigAssessFlags   flags)
{
  GPtrArray *findings;
  const char *name;

  g_return_val_if_fail (config != NULL, NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_finding_free);
  name = config->display_name != NULL ? config->display_name : _("The provider");

  if (config->incoming->len > 0)
    assess_server (findings, g_ptr_array_index (config->incoming, 0), config, flags);
  if (config->outgoing->len > 0)
    assess_server (findings, g_ptr_array_index (config->outgoing, 0), config, flags);

  if (config->trust != MAIL_AUTOCONFIG_TRUST_TRUSTED)
    add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_WARNING, "needs-confirmation", NULL,
                 g_strdup_printf (_("These settings were derived from DNS or guessed, not "
                                    "published by your provider over a secure channel. They "
                                    "point to “%s”: only continue if you trust it."),
                                  config->trust_domain != NULL ? config->trust_domain : "?"));

  if (config->enable_url != NULL || config->enable_instruction != NULL)
    add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_INFO, "enable-access-first", NULL,
                 g_strdup_printf (_("%s requires you to allow access by mail programs before "
                                    "you can sign in here. %s %s"), name,
                                  config->enable_instruction != NULL ?
                                    config->enable_instruction : "",
                                  config->enable_url != NULL ? config->enable_url : ""));

  if (config->app_password_required)
    add_finding (findings, MAIL_AUTOCONFIG_SEVERITY_INFO, "app-password-required", NULL,
                 mail_autoconfig_config_supports_oauth2 (config) ?
                 g_strdup_printf (_("To sign in with a password, %s requires an app password "
                                    "created in your account settings, not your usual "
                                    "password. Signing in through the provider’s web page "
                                    "needs none."), name) :
                 g_strdup_printf (_("%s requires an app password created in your account "
                                    "settings, not your usual password."), name));

  return findings;
}

/**
 * mail_autoconfig_findings_has_code:
 * @findings: (element-type MailAutoconfigFinding): findings
 * @code: a finding code
 *
 * Returns: whether a finding with @code is among @findings
 */
gboolean
mail_autoconfig_findings_has_code (GPtrArray  *findings,
                                   const char *code)
{
  g_return_val_if_fail (findings != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  for (guint i = 0; i < findings->len; i++)
    {
      const MailAutoconfigFinding *finding = g_ptr_array_index (findings, i);

      if (g_str_equal (finding->code, code))
        return TRUE;
    }
  return FALSE;
}
