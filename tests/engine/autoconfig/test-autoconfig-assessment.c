/* test-autoconfig-assessment.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-autoconfig.h"

static MailAutoconfigConfig *
make_config (MailSecurity  security,
             const char   *auth,
             const char   *hostname)
{
  MailAutoconfigConfig *config = mail_autoconfig_config_new ();
  MailAutoconfigServer *in;
  MailAutoconfigServer *out;

  in = mail_autoconfig_server_new (MAIL_PROTOCOL_IMAP, hostname,
                                   mail_protocol_default_port (MAIL_PROTOCOL_IMAP, security),
                                   security, "jane@example.com");
  out = mail_autoconfig_server_new (MAIL_PROTOCOL_SMTP, hostname,
                                    mail_protocol_default_port (MAIL_PROTOCOL_SMTP, security),
                                    security, "jane@example.com");
  g_free (in->auth[0]);
  in->auth[0] = g_strdup (auth);
  g_free (out->auth[0]);
  out->auth[0] = g_strdup (auth);
  g_ptr_array_add (config->incoming, in);
  g_ptr_array_add (config->outgoing, out);
  config->trust = MAIL_AUTOCONFIG_TRUST_TRUSTED;
  config->source = MAIL_AUTOCONFIG_SOURCE_BUNDLED;
  return config;
}

static const MailAutoconfigFinding *
find (GPtrArray  *findings,
      const char *code)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const MailAutoconfigFinding *finding = g_ptr_array_index (findings, i);

      if (g_str_equal (finding->code, code))
        return finding;
    }
  return NULL;
}

static gboolean
has_severity (GPtrArray              *findings,
              MailAutoconfigSeverity  severity)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const MailAutoconfigFinding *finding = g_ptr_array_index (findings, i);

      if (finding->severity == severity)
        return TRUE;
    }
  return FALSE;
}

static void
test_clean (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_TLS, "plain",
                                                        "mail.example.com");
  g_autoptr(GPtrArray) findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);

  g_assert_cmpuint (findings->len, ==, 0);
}

static void
test_plaintext (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_NONE, "plain",
                                                        "mail.example.com");
  g_autoptr(GPtrArray) findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  const MailAutoconfigFinding *finding;

  finding = find (findings, "no-encryption");
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_DANGER);
  g_assert_cmpstr (finding->hostname, ==, "mail.example.com");
  g_assert_nonnull (strstr (finding->message, "mail.example.com"));

  finding = find (findings, "cleartext-password");
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_DANGER);
}

static void
test_ntlm_plaintext (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_NONE, "ntlm",
                                                        "exchange.example.com");
  g_autoptr(GPtrArray) findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  const MailAutoconfigFinding *finding;

  finding = find (findings, "ntlm-without-tls");
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_DANGER);
  g_assert_nonnull (strstr (finding->message, "SPA"));
  g_assert_nonnull (find (findings, "no-encryption"));
  /* The password itself is not sent in clear with NTLM. */
  g_assert_null (find (findings, "cleartext-password"));
}

static void
test_ntlm_tls (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_TLS, "ntlm",
                                                        "exchange.example.com");
  g_autoptr(GPtrArray) findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  const MailAutoconfigFinding *finding;

  finding = find (findings, "ntlm");
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_WARNING);
  g_assert_false (has_severity (findings, MAIL_AUTOCONFIG_SEVERITY_DANGER));
}

static void
test_cram_md5_plaintext (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_NONE, "cram-md5",
                                                        "mail.example.com");
  g_autoptr(GPtrArray) findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  const MailAutoconfigFinding *finding;

  finding = find (findings, "cram-md5-not-encryption");
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_WARNING);
  g_assert_nonnull (find (findings, "no-encryption"));
  g_assert_null (find (findings, "cleartext-password"));
}

static void
test_cram_md5_tls (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_TLS, "cram-md5",
                                                        "mail.example.com");
  g_autoptr(GPtrArray) findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);

  g_assert_cmpuint (findings->len, ==, 0);
}

static void
test_self_signed (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_TLS, "plain",
                                                        "mail.example.com");
  g_autoptr(GPtrArray) by_flag = NULL;
  g_autoptr(GPtrArray) by_server = NULL;
  g_autoptr(GPtrArray) single = NULL;
  const MailAutoconfigFinding *finding;

  by_flag = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_CERT_UNVERIFIED);
  finding = find (by_flag, "certificate-not-verified");
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_DANGER);

  ((MailAutoconfigServer *) g_ptr_array_index (config->incoming, 0))->cert_unverified = TRUE;
  by_server = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_nonnull (find (by_server, "certificate-not-verified"));

  single = mail_autoconfig_assess_server (g_ptr_array_index (config->outgoing, 0), config,
                                          MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_null (find (single, "certificate-not-verified"));
}

static void
test_loopback (void)
{
  static const char *hosts[] = { "127.0.0.1", "::1", "localhost", "127.0.0.2" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_NONE, "plain",
                                                            hosts[i]);
      g_autoptr(GPtrArray) findings = mail_autoconfig_assess (config,
                                                              MAIL_AUTOCONFIG_ASSESS_NONE);
      const MailAutoconfigFinding *finding;

      g_test_message ("%s", hosts[i]);
      finding = find (findings, "loopback-plaintext");
      g_assert_nonnull (finding);
      g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_INFO);
      g_assert_false (has_severity (findings, MAIL_AUTOCONFIG_SEVERITY_DANGER));
      g_assert_false (has_severity (findings, MAIL_AUTOCONFIG_SEVERITY_WARNING));
    }
}

static void
test_starttls_with_tls_alternative (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_STARTTLS, "plain",
                                                        "mail.example.com");
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;

  /* STARTTLS alone: nothing to suggest. */
  before = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_null (find (before, "implicit-tls-available"));

  g_ptr_array_add (config->incoming,
                   mail_autoconfig_server_new (MAIL_PROTOCOL_IMAP, "mail.example.com", 993,
                                               MAIL_SECURITY_TLS, "jane@example.com"));
  after = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_nonnull (find (after, "implicit-tls-available"));
  g_assert_cmpint (find (after, "implicit-tls-available")->severity, ==,
                   MAIL_AUTOCONFIG_SEVERITY_WARNING);
}

static void
test_provider_facts (void)
{
  g_autoptr(MailAutoconfigConfig) web = NULL;
  g_autoptr(MailAutoconfigConfig) gmail = NULL;
  g_autoptr(MailAutoconfigConfig) bt = NULL;
  g_autoptr(GPtrArray) web_findings = NULL;
  g_autoptr(GPtrArray) gmail_findings = NULL;
  g_autoptr(GPtrArray) bt_findings = NULL;
  const MailAutoconfigFinding *finding;

  web = mail_autoconfig_bundled_lookup ("web.de", NULL);
  gmail = mail_autoconfig_bundled_lookup ("gmail.com", NULL);
  bt = mail_autoconfig_bundled_lookup ("btinternet.com", NULL);
  g_assert_nonnull (web);
  g_assert_nonnull (gmail);
  g_assert_nonnull (bt);

  web_findings = mail_autoconfig_assess (web, MAIL_AUTOCONFIG_ASSESS_NONE);
  finding = find (web_findings, "enable-access-first");
  g_assert_nonnull (finding);
  g_assert_cmpint (finding->severity, ==, MAIL_AUTOCONFIG_SEVERITY_INFO);
  g_assert_nonnull (strstr (finding->message, web->enable_url));

  gmail_findings = mail_autoconfig_assess (gmail, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_nonnull (find (gmail_findings, "app-password-required"));
  g_assert_null (find (gmail_findings, "enable-access-first"));

  bt_findings = mail_autoconfig_assess (bt, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_cmpuint (bt_findings->len, ==, 0);
}

static void
test_needs_confirmation (void)
{
  g_autoptr(MailAutoconfigConfig) config = make_config (MAIL_SECURITY_TLS, "plain",
                                                        "mail.hoster.example");
  g_autoptr(GPtrArray) findings = NULL;
  const MailAutoconfigFinding *finding;

  config->trust = MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION;
  config->source = MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER;
  config->trust_domain = g_strdup ("hoster.example");
  findings = mail_autoconfig_assess (config, MAIL_AUTOCONFIG_ASSESS_NONE);
  finding = find (findings, "needs-confirmation");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (finding->message, "hoster.example"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/autoconfig/assessment/clean", test_clean);
  g_test_add_func ("/engine/autoconfig/assessment/plaintext", test_plaintext);
  g_test_add_func ("/engine/autoconfig/assessment/ntlm-plaintext", test_ntlm_plaintext);
  g_test_add_func ("/engine/autoconfig/assessment/ntlm-tls", test_ntlm_tls);
  g_test_add_func ("/engine/autoconfig/assessment/cram-md5-plaintext", test_cram_md5_plaintext);
  g_test_add_func ("/engine/autoconfig/assessment/cram-md5-tls", test_cram_md5_tls);
  g_test_add_func ("/engine/autoconfig/assessment/self-signed", test_self_signed);
  g_test_add_func ("/engine/autoconfig/assessment/loopback", test_loopback);
  g_test_add_func ("/engine/autoconfig/assessment/starttls-with-tls-alternative",
                   test_starttls_with_tls_alternative);
  g_test_add_func ("/engine/autoconfig/assessment/provider-facts", test_provider_facts);
  g_test_add_func ("/engine/autoconfig/assessment/needs-confirmation", test_needs_confirmation);

  return g_test_run ();
}
