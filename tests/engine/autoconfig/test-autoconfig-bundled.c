/* test-autoconfig-bundled.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-autoconfig.h"
#include "mail-test-utils.h"

static MailAutoconfigServer *
server_at (GPtrArray *list,
           guint      i)
{
  g_assert_cmpuint (i, <, list->len);
  return g_ptr_array_index (list, i);
}

static MailAutoconfigConfig *
lookup_expanded (const char *address)
{
  g_autofree char *domain = NULL;
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  MailAutoconfigConfig *expanded;

  g_assert_true (mail_autoconfig_split_address (address, NULL, &domain, &error));
  config = mail_autoconfig_bundled_lookup (domain, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  expanded = mail_autoconfig_config_expand (config, address, NULL, &error);
  g_assert_no_error (error);
  return expanded;
}

static void
assert_server (const MailAutoconfigServer *server,
               MailProtocol                protocol,
               const char                 *hostname,
               guint16                     port,
               MailSecurity                security,
               const char                 *username)
{
  g_assert_cmpint (server->protocol, ==, protocol);
  g_assert_cmpstr (server->hostname, ==, hostname);
  g_assert_cmpuint (server->port, ==, port);
  g_assert_cmpint (server->security, ==, security);
  g_assert_cmpstr (server->username, ==, username);
}

static void
test_bt (void)
{
  g_autoptr(MailAutoconfigConfig) config = lookup_expanded ("someone@btinternet.com");

  g_assert_cmpint (config->source, ==, MAIL_AUTOCONFIG_SOURCE_BUNDLED);
  g_assert_cmpint (config->trust, ==, MAIL_AUTOCONFIG_TRUST_TRUSTED);
  g_assert_cmpuint (config->incoming->len, ==, 2);
  assert_server (server_at (config->incoming, 0), MAIL_PROTOCOL_IMAP, "mail.btinternet.com", 993,
                 MAIL_SECURITY_TLS, "someone@btinternet.com");
  assert_server (server_at (config->incoming, 1), MAIL_PROTOCOL_POP3, "mail.btinternet.com", 995,
                 MAIL_SECURITY_TLS, "someone@btinternet.com");
  g_assert_cmpuint (config->outgoing->len, ==, 1);
  assert_server (server_at (config->outgoing, 0), MAIL_PROTOCOL_SMTP, "mail.btinternet.com", 465,
                 MAIL_SECURITY_TLS, "someone@btinternet.com");
}

static void
test_case_and_idna (void)
{
  g_autoptr(MailAutoconfigConfig) upper = NULL;
  g_autoptr(MailAutoconfigConfig) dot = NULL;
  g_autoptr(MailAutoconfigConfig) missing = NULL;
  g_autoptr(GError) error = NULL;

  upper = mail_autoconfig_bundled_lookup ("GoogleMail.COM", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (server_at (upper->incoming, 0)->hostname, ==, "imap.gmail.com");

  dot = mail_autoconfig_bundled_lookup ("web.de.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (server_at (dot->incoming, 0)->hostname, ==, "imap.web.de");

  /* A Unicode domain is looked up in its IDNA form (and is not in the database). */
  missing = mail_autoconfig_bundled_lookup ("bücher.example", &error);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "xn--bcher-kva.example"));
  g_assert_null (missing);
}

typedef struct
{
  const char   *address;
  MailProtocol  protocol;
  const char   *hostname;
  guint16       port;
  MailSecurity  security;
  const char   *username;
} Expectation;

/* A sample of the database, one line per provider family: the first incoming server. */
static void
test_providers (void)
{
  static const Expectation cases[] = {
    { "a@gmail.com", MAIL_PROTOCOL_IMAP, "imap.gmail.com", 993, MAIL_SECURITY_TLS, "a@gmail.com" },
    { "a@hotmail.co.uk", MAIL_PROTOCOL_IMAP, "outlook.office365.com", 993, MAIL_SECURITY_TLS,
      "a@hotmail.co.uk" },
    { "a@ymail.com", MAIL_PROTOCOL_IMAP, "imap.mail.yahoo.com", 993, MAIL_SECURITY_TLS,
      "a@ymail.com" },
    { "a@me.com", MAIL_PROTOCOL_IMAP, "imap.mail.me.com", 993, MAIL_SECURITY_TLS, "a" },
    { "a@gmx.ch", MAIL_PROTOCOL_IMAP, "imap.gmx.net", 993, MAIL_SECURITY_TLS, "a@gmx.ch" },
    { "a@t-online.de", MAIL_PROTOCOL_IMAP, "secureimap.t-online.de", 993, MAIL_SECURITY_TLS,
      "a@t-online.de" },
    { "a@pm.me", MAIL_PROTOCOL_IMAP, "127.0.0.1", 1143, MAIL_SECURITY_STARTTLS, "a@pm.me" },
    { "a@wanadoo.fr", MAIL_PROTOCOL_IMAP, "imap.orange.fr", 993, MAIL_SECURITY_TLS,
      "a@wanadoo.fr" },
    { "a@sbcglobal.net", MAIL_PROTOCOL_IMAP, "imap.mail.att.net", 993, MAIL_SECURITY_TLS,
      "a@sbcglobal.net" },
    { "a@verizon.net", MAIL_PROTOCOL_IMAP, "imap.aol.com", 993, MAIL_SECURITY_TLS,
      "a@verizon.net" },
    { "a@naver.com", MAIL_PROTOCOL_IMAP, "imap.naver.com", 993, MAIL_SECURITY_TLS, "a" },
    { "a@bigpond.com", MAIL_PROTOCOL_IMAP, "imap.telstra.com", 993, MAIL_SECURITY_TLS,
      "a@bigpond.com" },
    { "a@qq.com", MAIL_PROTOCOL_IMAP, "imap.qq.com", 993, MAIL_SECURITY_TLS, "a@qq.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MailAutoconfigConfig) config = NULL;

      g_test_message ("%s", cases[i].address);
      config = lookup_expanded (cases[i].address);
      assert_server (server_at (config->incoming, 0), cases[i].protocol, cases[i].hostname,
                     cases[i].port, cases[i].security, cases[i].username);
    }
}

static void
test_provider_facts (void)
{
  g_autoptr(MailAutoconfigConfig) gmail = lookup_expanded ("a@gmail.com");
  g_autoptr(MailAutoconfigConfig) web = lookup_expanded ("a@web.de");
  g_autoptr(MailAutoconfigConfig) bt = lookup_expanded ("a@btinternet.com");
  static const char *app_password[] = { "a@gmail.com", "a@yahoo.fr", "a@icloud.com", "a@aol.com" };

  g_assert_true (gmail->app_password_required);
  g_assert_true (mail_autoconfig_config_supports_oauth2 (gmail));
  g_assert_nonnull (web->enable_url);
  g_assert_true (g_str_has_prefix (web->enable_url, "https://"));
  g_assert_nonnull (web->enable_instruction);
  g_assert_null (bt->enable_url);
  g_assert_false (bt->app_password_required);

  for (guint i = 0; i < G_N_ELEMENTS (app_password); i++)
    {
      g_autoptr(MailAutoconfigConfig) config = lookup_expanded (app_password[i]);

      g_assert_true (config->app_password_required);
    }
}

/* Every file in data/autoconfig/ is in the resource, parses, names its source, and offers
 * only encrypted servers. */
static void
test_every_file (void)
{
  g_autofree char *dir_path = g_build_filename (g_getenv ("MAIL_SOURCE_ROOT"), "data",
                                                "autoconfig", NULL);
  g_auto(GStrv) listed = mail_autoconfig_bundled_list_files ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (g_getenv ("MAIL_SOURCE_ROOT"));
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(MailAutoconfigConfig) config = NULL;
      gsize length;

      if (!g_str_has_suffix (name, ".xml") || strstr (name, "gresource") != NULL)
        continue;

      g_test_message ("%s", name);
      n_files++;
      g_assert_true (g_strv_contains ((const char * const *) listed, name));

      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_no_error (error);
      g_assert_nonnull (strstr (contents, "Source: https://"));

      config = mail_autoconfig_xml_parse (contents, length, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (config->domains->len, >, 0);
      g_assert_cmpuint (config->outgoing->len, >, 0);
      g_assert_nonnull (config->display_name);
      g_assert_cmpuint (config->documentation->len, >, 0);

      for (guint i = 0; i < config->incoming->len; i++)
        g_assert_cmpint (server_at (config->incoming, i)->security, !=, MAIL_SECURITY_NONE);
      for (guint i = 0; i < config->outgoing->len; i++)
        g_assert_cmpint (server_at (config->outgoing, i)->security, !=, MAIL_SECURITY_NONE);

      /* Every domain of the file finds this file. */
      for (guint i = 0; i < config->domains->len; i++)
        {
          g_autoptr(MailAutoconfigConfig) found = NULL;

          found = mail_autoconfig_bundled_lookup (g_ptr_array_index (config->domains, i),
                                                  &error);
          g_assert_no_error (error);
          g_assert_cmpstr (found->provider_id, ==, config->provider_id);
        }
    }

  g_assert_cmpuint (n_files, ==, g_strv_length (listed));
  g_assert_cmpuint (n_files, >=, 40);
  g_assert_cmpuint (mail_autoconfig_bundled_get_n_domains (), >=, 150);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/autoconfig/bundled/bt", test_bt);
  g_test_add_func ("/engine/autoconfig/bundled/case-and-idna", test_case_and_idna);
  g_test_add_func ("/engine/autoconfig/bundled/providers", test_providers);
  g_test_add_func ("/engine/autoconfig/bundled/provider-facts", test_provider_facts);
  g_test_add_func ("/engine/autoconfig/bundled/every-file", test_every_file);

  return g_test_run ();
}
