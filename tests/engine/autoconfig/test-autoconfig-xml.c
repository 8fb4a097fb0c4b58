/* test-autoconfig-xml.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-autoconfig.h"
#include "mail-test-utils.h"

static MailAutoconfigConfig *
parse_string (const char  *xml,
              GError     **error)
{
  return mail_autoconfig_xml_parse (xml, strlen (xml), error);
}

static MailAutoconfigServer *
server_at (GPtrArray *list,
           guint      i)
{
  g_assert_cmpuint (i, <, list->len);
  return g_ptr_array_index (list, i);
}

static void
test_full (void)
{
  g_autoptr(GBytes) bytes = mail_test_load_data ("autoconfig/full.xml");
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  MailAutoconfigServer *s;
  MailAutoconfigDoc *doc;

  config = mail_autoconfig_xml_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);

  g_assert_cmpstr (config->provider_id, ==, "example.com");
  g_assert_cmpstr (config->display_name, ==, "Example & Co Mail");
  g_assert_cmpstr (config->display_short_name, ==, "Example");

  /* Domains: normalised to lower-case IDNA; the invalid one is dropped. */
  g_assert_cmpuint (config->domains->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (config->domains, 0), ==, "example.com");
  g_assert_cmpstr (g_ptr_array_index (config->domains, 1), ==, "example.net");
  g_assert_cmpstr (g_ptr_array_index (config->domains, 2), ==, "xn--bcher-kva.example");

  /* nntp is skipped, the port-99999 server is skipped, the rest keep their order. */
  g_assert_cmpuint (config->incoming->len, ==, 3);
  s = server_at (config->incoming, 0);
  g_assert_cmpint (s->protocol, ==, MAIL_PROTOCOL_IMAP);
  g_assert_cmpstr (s->hostname, ==, "imap.%EMAILDOMAIN%");
  g_assert_cmpuint (s->port, ==, 993);
  g_assert_cmpint (s->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpuint (g_strv_length (s->auth), ==, 2);  /* client-IP is outgoing only */
  g_assert_cmpstr (s->auth[0], ==, "oauth2");
  g_assert_cmpstr (s->auth[1], ==, "plain");
  g_assert_cmpstr (s->username, ==, "%EMAILADDRESS%");

  s = server_at (config->incoming, 1);
  g_assert_cmpint (s->security, ==, MAIL_SECURITY_STARTTLS);  /* first supported socketType */
  g_assert_cmpuint (s->port, ==, 143);
  g_assert_cmpstr (mail_autoconfig_server_get_auth (s), ==, "cram-md5");

  s = server_at (config->incoming, 2);
  g_assert_cmpint (s->protocol, ==, MAIL_PROTOCOL_POP3);
  g_assert_cmpstr (mail_autoconfig_server_get_auth (s), ==, "ntlm");

  g_assert_cmpuint (config->outgoing->len, ==, 2);
  s = server_at (config->outgoing, 0);
  g_assert_cmpint (s->protocol, ==, MAIL_PROTOCOL_SMTP);
  g_assert_cmpuint (s->port, ==, 465);
  s = server_at (config->outgoing, 1);
  g_assert_cmpstr (mail_autoconfig_server_get_auth (s), ==, "none");
  g_assert_cmpstr (s->username, ==, "%EMAILADDRESS%");  /* default when missing */

  g_assert_cmpstr (config->enable_url, ==, "https://mail.example.com/settings/imap");
  g_assert_cmpstr (config->enable_instruction, ==, "Switch IMAP on in the settings.");
  g_assert_cmpuint (config->documentation->len, ==, 1);
  doc = g_ptr_array_index (config->documentation, 0);
  g_assert_cmpstr (doc->url, ==, "https://help.example.com/mail");
  g_assert_cmpstr (doc->description, ==, "Settings for mail programs");
  g_assert_true (config->app_password_required);
  g_assert_true (mail_autoconfig_config_supports_oauth2 (config));

  /* Parsed files are not trusted until the caller says where they came from. */
  g_assert_cmpint (config->source, ==, MAIL_AUTOCONFIG_SOURCE_MANUAL);
  g_assert_cmpint (config->trust, ==, MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION);
}

static void
test_expand (void)
{
  g_autoptr(GBytes) bytes = mail_test_load_data ("autoconfig/full.xml");
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(MailAutoconfigConfig) expanded = NULL;
  g_autoptr(GError) error = NULL;

  config = mail_autoconfig_xml_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      &error);
  g_assert_no_error (error);

  expanded = mail_autoconfig_config_expand (config, "Jane.Doe@Example.COM", "Jane", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (server_at (expanded->incoming, 0)->hostname, ==, "imap.example.com");
  g_assert_cmpstr (server_at (expanded->incoming, 0)->username, ==, "Jane.Doe@example.com");
  g_assert_cmpstr (server_at (expanded->incoming, 1)->username, ==, "Jane.Doe");
  g_assert_cmpstr (server_at (expanded->incoming, 2)->username, ==, "Jane.Doe-Jane");
  /* The original keeps its placeholders. */
  g_assert_cmpstr (server_at (config->incoming, 0)->hostname, ==, "imap.%EMAILDOMAIN%");

  g_clear_pointer (&expanded, mail_autoconfig_config_free);
  expanded = mail_autoconfig_config_expand (config, "no-at-sign", NULL, &error);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS);
  g_assert_null (expanded);
}

static void
test_expand_bad_hostname (void)
{
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(MailAutoconfigConfig) expanded = NULL;
  g_autoptr(GError) error = NULL;

  /* A placeholder that turns into something that is not a host name is refused. */
  config = parse_string ("<clientConfig><emailProvider><incomingServer type='imap'>"
                         "<hostname>%EMAILLOCALPART%.example.com</hostname>"
                         "<socketType>SSL</socketType></incomingServer>"
                         "</emailProvider></clientConfig>", &error);
  g_assert_no_error (error);
  expanded = mail_autoconfig_config_expand (config, "a/b@example.com", NULL, &error);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_DATA);
  g_assert_null (expanded);
}

static void
test_expand_loopback (void)
{
  static const char *hosts[][2] = {
    { "LocalHost", "localhost" },
    { "127.0.0.1", "127.0.0.1" },
    { "::1", "::1" },
    { "intranet", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *xml = NULL;
      g_autoptr(MailAutoconfigConfig) config = NULL;
      g_autoptr(MailAutoconfigConfig) expanded = NULL;
      g_autoptr(GError) error = NULL;

      xml = g_strdup_printf ("<clientConfig><emailProvider><incomingServer type='imap'>"
                             "<hostname>%s</hostname><socketType>plain</socketType>"
                             "</incomingServer></emailProvider></clientConfig>", hosts[i][0]);
      config = parse_string (xml, &error);
      g_assert_no_error (error);
      expanded = mail_autoconfig_config_expand (config, "a@example.com", NULL, &error);
      if (hosts[i][1] == NULL)
        {
          g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_DATA);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpstr (server_at (expanded->incoming, 0)->hostname, ==, hosts[i][1]);
      g_assert_true (mail_autoconfig_server_is_loopback (server_at (expanded->incoming, 0)));
    }
}

static void
test_default_port (void)
{
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = parse_string ("<clientConfig><emailProvider><incomingServer type='pop3'>"
                         "<hostname>pop.example.com</hostname><socketType>SSL</socketType>"
                         "</incomingServer></emailProvider></clientConfig>", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server_at (config->incoming, 0)->port, ==, 995);
  g_assert_cmpstr (mail_autoconfig_server_get_auth (server_at (config->incoming, 0)), ==,
                   "plain");
}

typedef struct
{
  const char *name;
  const char *xml;
  int         code;
} BadCase;

static void
test_rejects (void)
{
  static const BadCase cases[] = {
    { "doctype", "<!DOCTYPE clientConfig><clientConfig/>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "entity", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
      "<clientConfig><emailProvider><displayName>&e;</displayName></emailProvider>"
      "</clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "undefined-entity", "<clientConfig><emailProvider><displayName>&e;</displayName>"
      "</emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "not-well-formed", "<clientConfig><emailProvider></clientConfig>",
      MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "wrong-root", "<html><body/></html>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "empty", "", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "no-provider", "<clientConfig/>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "no-incoming", "<clientConfig><emailProvider><outgoingServer type='smtp'>"
      "<hostname>smtp.example.com</hostname><socketType>SSL</socketType></outgoingServer>"
      "</emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "bad-host", "<clientConfig><emailProvider><incomingServer type='imap'>"
      "<hostname>evil host;rm -rf</hostname><socketType>SSL</socketType></incomingServer>"
      "</emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "bad-port", "<clientConfig><emailProvider><incomingServer type='imap'>"
      "<hostname>imap.example.com</hostname><port>-1</port><socketType>SSL</socketType>"
      "</incomingServer></emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "port-zero", "<clientConfig><emailProvider><incomingServer type='imap'>"
      "<hostname>imap.example.com</hostname><port>0</port><socketType>SSL</socketType>"
      "</incomingServer></emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "unknown-socket", "<clientConfig><emailProvider><incomingServer type='imap'>"
      "<hostname>imap.example.com</hostname><socketType>maybe</socketType>"
      "</incomingServer></emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "exchange-only", "<clientConfig><emailProvider><incomingServer type='exchange'>"
      "<hostname>ews.example.com</hostname><socketType>SSL</socketType>"
      "</incomingServer></emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    /* Found by fuzzing: a server nested in a server leaked the outer one. */
    { "nested-server", "<clientConfig><emailProvider><incomingServer type=\"imap\"><hos>"
      "<emailProvider><incomingServer type=\"imap\"><hope></incomingServer></emailProvider>"
      "</clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    /* Found by fuzzing: GMarkup went on after the DOCTYPE error and set a second error. */
    { "doctype-then-truncated", "<!DOCTYPE x [</\x9e\x9b" "aa\">]><clientConfig>nt",
      MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    /* Found by fuzzing: invalid UTF-8 in a processing instruction, then a wrong root. */
    { "bad-utf8-pi", "<?rers\xfa" "ding=\"UTF-8\"?>\n<!-- x -->\n    <t>\n ient<don>",
      MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
    { "not-utf8", "<clientConfig><emailProvider><displayName>\xff\xfe</displayName>"
      "</emailProvider></clientConfig>", MAIL_AUTOCONFIG_ERROR_INVALID_DATA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MailAutoconfigConfig) config = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %s", cases[i].name);
      config = parse_string (cases[i].xml, &error);
      g_assert_error (error, MAIL_AUTOCONFIG_ERROR, cases[i].code);
      g_assert_null (config);
    }
}

static void
test_nul_byte (void)
{
  static const char xml[] = "<clientConfig>\0<emailProvider/></clientConfig>";
  g_autoptr(GError) error = NULL;
  MailAutoconfigConfig *config;

  config = mail_autoconfig_xml_parse (xml, sizeof xml - 1, &error);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_DATA);
  g_assert_null (config);
}

static void
test_size_cap (void)
{
  g_autoptr(GString) xml = g_string_new ("<clientConfig><emailProvider><!--");
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  while (xml->len <= MAIL_AUTOCONFIG_XML_MAX_SIZE)
    g_string_append (xml, "padding padding padding padding ");
  g_string_append (xml, "--><incomingServer type='imap'><hostname>a.example</hostname>"
                        "<socketType>SSL</socketType></incomingServer>"
                        "</emailProvider></clientConfig>");
  config = mail_autoconfig_xml_parse (xml->str, xml->len, &error);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE);
  g_assert_null (config);
}

static void
test_field_cap (void)
{
  g_autoptr(GString) xml = g_string_new ("<clientConfig><emailProvider><displayName>");
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append (xml, "long name ");
  g_string_append (xml, "</displayName></emailProvider></clientConfig>");
  config = mail_autoconfig_xml_parse (xml->str, xml->len, &error);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE);
  g_assert_null (config);
}

static void
test_depth_cap (void)
{
  g_autoptr(GString) xml = g_string_new ("<clientConfig><emailProvider>");
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (xml, "<x>");
  config = mail_autoconfig_xml_parse (xml->str, xml->len, &error);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_DATA);
  g_assert_null (config);
}

/* Elements with the right names in the wrong places are ignored. */
static void
test_misplaced (void)
{
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = parse_string ("<clientConfig><emailProvider>"
                         "<incomingServer type='imap'><hostname>a.example</hostname>"
                         "<socketType>SSL</socketType>"
                         "<incomingServer type='imap'><hostname>nested.example</hostname>"
                         "<socketType>plain</socketType></incomingServer>"
                         "</incomingServer>"
                         "<x><domain>deep.example</domain><incomingServer type='pop3'>"
                         "<hostname>deep.example</hostname><socketType>SSL</socketType>"
                         "</incomingServer></x>"
                         "<domain>top.example</domain>"
                         "</emailProvider></clientConfig>", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (config->incoming->len, ==, 1);
  g_assert_cmpstr (server_at (config->incoming, 0)->hostname, ==, "a.example");
  g_assert_cmpint (server_at (config->incoming, 0)->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpuint (config->domains->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (config->domains, 0), ==, "top.example");
}

static void
test_server_cap (void)
{
  g_autoptr(GString) xml = g_string_new ("<clientConfig><emailProvider>");
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (xml, "<incomingServer type='imap'><hostname>h%u.example</hostname>"
                                 "<socketType>SSL</socketType></incomingServer>", i);
  g_string_append (xml, "</emailProvider></clientConfig>");
  config = mail_autoconfig_xml_parse (xml->str, xml->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (config->incoming->len, ==, 16);
  g_assert_cmpstr (server_at (config->incoming, 0)->hostname, ==, "h0.example");
}

static void
test_address (void)
{
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  g_autoptr(GError) error = NULL;
  static const char *bad[] = {
    "", "@example.com", "user@", "user", "user@localhost", "us er@example.com",
    "user@exa mple.com", "user@-example.com", "user@example..com", "a\tb@example.com",
    "user@[127.0.0.1]",
  };

  g_assert_true (mail_autoconfig_split_address ("Jane@BÜCHER.Example.", &local, &domain,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpstr (local, ==, "Jane");
  g_assert_cmpstr (domain, ==, "xn--bcher-kva.example");

  g_clear_pointer (&local, g_free);
  g_clear_pointer (&domain, g_free);
  g_assert_true (mail_autoconfig_split_address ("\"a@b\"@example.com", &local, &domain, NULL));
  g_assert_cmpstr (local, ==, "\"a@b\"");
  g_assert_cmpstr (domain, ==, "example.com");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_test_message ("address “%s”", bad[i]);
      g_assert_false (mail_autoconfig_split_address (bad[i], NULL, NULL, &local_error));
      g_assert_error (local_error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS);
    }
}

static void
test_registrable_domain (void)
{
  static const char *cases[][2] = {
    { "alt1.aspmx.l.google.com", "google.com" },
    { "mx.example.co.uk", "example.co.uk" },
    { "MX01.IONOS.DE.", "ionos.de" },
    { "127.0.0.1", "127.0.0.1" },
    { "co.uk", "co.uk" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reg = mail_autoconfig_registrable_domain (cases[i][0]);

      g_assert_cmpstr (reg, ==, cases[i][1]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/autoconfig/xml/full", test_full);
  g_test_add_func ("/engine/autoconfig/xml/expand", test_expand);
  g_test_add_func ("/engine/autoconfig/xml/expand-bad-hostname", test_expand_bad_hostname);
  g_test_add_func ("/engine/autoconfig/xml/expand-loopback", test_expand_loopback);
  g_test_add_func ("/engine/autoconfig/xml/default-port", test_default_port);
  g_test_add_func ("/engine/autoconfig/xml/rejects", test_rejects);
  g_test_add_func ("/engine/autoconfig/xml/nul-byte", test_nul_byte);
  g_test_add_func ("/engine/autoconfig/xml/size-cap", test_size_cap);
  g_test_add_func ("/engine/autoconfig/xml/field-cap", test_field_cap);
  g_test_add_func ("/engine/autoconfig/xml/depth-cap", test_depth_cap);
  g_test_add_func ("/engine/autoconfig/xml/server-cap", test_server_cap);
  g_test_add_func ("/engine/autoconfig/xml/misplaced", test_misplaced);
  g_test_add_func ("/engine/autoconfig/address", test_address);
  g_test_add_func ("/engine/autoconfig/registrable-domain", test_registrable_domain);

  return g_test_run ();
}
