/* mail-cli-autoconfig.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "mail-autoconfig.h"
#include "mail-cli.h"

/* `example-mail-cli autoconfig ADDRESS [--offline] [--json]`: the account-setup lookup, for
 * scripts and tests. The JSON keys are a contract: extend, never rename. */

typedef struct
{
  GMainLoop            *loop;
  MailAutoconfigConfig *config;
  GError               *error;
} LookupResult;

/* Tiny JSON writer: strings are escaped per RFC 8259, invalid UTF-8 is replaced. */
static void
json_string (GString    *out,
             const char *str)
{
  g_autofree char *valid = NULL;

  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  valid = g_utf8_make_valid (str, -1);
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_key (GString    *out,
          const char *key)
{
  json_string (out, key);
  g_string_append (out, ": ");
}

static void
json_servers (GString                    *out,
              GPtrArray                  *servers,
              const MailAutoconfigConfig *config)
{
  g_string_append (out, "[");
  for (guint i = 0; i < servers->len; i++)
    {
      const MailAutoconfigServer *server = g_ptr_array_index (servers, i);

      g_string_append (out, i == 0 ? "\n    {" : ",\n    {");
      json_key (out, "protocol");
      json_string (out, mail_protocol_to_string (server->protocol));
      g_string_append (out, ", ");
      json_key (out, "hostname");
      json_string (out, server->hostname);
      g_string_append_printf (out, ", \"port\": %u, ", server->port);
      json_key (out, "security");
      json_string (out, mail_security_to_string (server->security));
      g_string_append (out, ", ");
      json_key (out, "auth");
      json_string (out, mail_autoconfig_server_get_auth (server));
      g_string_append (out, ", ");
      json_key (out, "username");
      json_string (out, server->username);
      g_string_append (out, ", ");
      json_key (out, "source");
      json_string (out, mail_autoconfig_source_to_string (config->source));
      g_string_append (out, ", ");
      json_key (out, "trust");
      json_string (out, mail_autoconfig_trust_to_string (config->trust));
      g_string_append (out, "}");
    }
  g_string_append (out, servers->len > 0 ? "\n  ]" : "]");
}

static char *
to_json (const MailAutoconfigConfig *config,
         GPtrArray                  *findings)
{
  GString *out = g_string_new ("{\n  ");

  json_key (out, "incoming");
  json_servers (out, config->incoming, config);
  g_string_append (out, ",\n  ");
  json_key (out, "outgoing");
  json_servers (out, config->outgoing, config);
  g_string_append (out, ",\n  ");
  json_key (out, "provider");
  json_string (out, config->display_name);
  g_string_append (out, ",\n  ");
  json_key (out, "source");
  json_string (out, mail_autoconfig_source_to_string (config->source));
  g_string_append (out, ",\n  ");
  json_key (out, "trust");
  json_string (out, mail_autoconfig_trust_to_string (config->trust));
  g_string_append (out, ",\n  ");
  json_key (out, "trust_domain");
  json_string (out, config->trust_domain);
  g_string_append (out, ",\n  ");
  json_key (out, "findings");
  g_string_append (out, "[");
  for (guint i = 0; i < findings->len; i++)
    {
      const MailAutoconfigFinding *finding = g_ptr_array_index (findings, i);

      g_string_append (out, i == 0 ? "\n    {" : ",\n    {");
      json_key (out, "severity");
      json_string (out, mail_autoconfig_severity_to_string (finding->severity));
      g_string_append (out, ", ");
      json_key (out, "code");
      json_string (out, finding->code);
      g_string_append (out, ", ");
      json_key (out, "message");
      json_string (out, finding->message);
      g_string_append (out, "}");
    }
  g_string_append (out, findings->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return g_string_free (out, FALSE);
}

static void
print_servers (const char *title,
               GPtrArray  *servers)
{
  printf ("%s\n", title);
  if (servers->len == 0)
    printf ("  %s\n", _("(none)"));
  for (guint i = 0; i < servers->len; i++)
    {
      const MailAutoconfigServer *server = g_ptr_array_index (servers, i);
      g_autofree char *protocol = g_ascii_strup (mail_protocol_to_string (server->protocol), -1);

      printf ("  %s %-4s %s:%u  %s  %s %s  %s %s\n", i == 0 ? "*" : " ", protocol,
              server->hostname, server->port, mail_security_to_string (server->security),
              _("login:"), mail_autoconfig_server_get_auth (server), _("user:"),
              server->username);
    }
}

static void
print_text (const char                 *address,
            const MailAutoconfigConfig *config,
            GPtrArray                  *findings)
{
  printf (_("Settings for %s"), address);
  if (config->display_name != NULL)
    printf (" (%s)", config->display_name);
  printf ("\n%s %s, %s\n", _("Source:"), mail_autoconfig_source_to_string (config->source),
          mail_autoconfig_trust_to_string (config->trust));
  if (config->trust != MAIL_AUTOCONFIG_TRUST_TRUSTED && config->trust_domain != NULL)
    printf (_("Points to: %s — confirm that you trust it\n"), config->trust_domain);
  print_servers (_("Incoming (preferred first, * = chosen):"), config->incoming);
  print_servers (_("Outgoing:"), config->outgoing);
  printf ("%s\n", _("Findings:"));
  if (findings->len == 0)
    printf ("  %s\n", _("(none)"));
  for (guint i = 0; i < findings->len; i++)
    {
      const MailAutoconfigFinding *finding = g_ptr_array_index (findings, i);

      printf ("  [%s] %s: %s\n", mail_autoconfig_severity_to_string (finding->severity),
              finding->code, finding->message);
    }
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupResult *res = user_data;

  res->config = mail_autoconfig_lookup_finish (MAIL_AUTOCONFIG (object), result, &res->error);
  g_main_loop_quit (res->loop);
}

int
mail_cli_autoconfig (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MailAutoconfig) autoconfig = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *ispdb_url = NULL;
  g_autofree char *provider_url = NULL;
  g_autofree char *ca_file = NULL;
  LookupResult res = { 0 };
  gboolean offline = FALSE;
  gboolean json = FALSE;
  gboolean no_online_database = FALSE;
  gboolean no_probe = FALSE;
  double deadline = 0;
  int ret;
  const GOptionEntry entries[] = {
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Use only the bundled provider database, no network"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "deadline", 0, 0, G_OPTION_ARG_DOUBLE, &deadline,
      N_("Give up after SECONDS (default 15)"), N_("SECONDS") },
    { "no-online-database", 0, 0, G_OPTION_ARG_NONE, &no_online_database,
      N_("Do not ask the central provider database"), NULL },
    { "no-probe", 0, 0, G_OPTION_ARG_NONE, &no_probe,
      N_("Do not probe likely server names"), NULL },
    { "ispdb-url", 0, 0, G_OPTION_ARG_STRING, &ispdb_url,
      N_("Base URL of the central provider database"), N_("URL") },
    { "provider-url", 0, 0, G_OPTION_ARG_STRING, &provider_url,
      N_("For tests: fetch provider files from URL/HOST/PATH"), N_("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust only the certificate authorities in FILE"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — find the mail servers for an address"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return MAIL_CLI_EXIT_USAGE;
    }
  if (argc != 2)
    {
      fprintf (stderr, "%s\n", _("Give exactly one e-mail address."));
      return MAIL_CLI_EXIT_USAGE;
    }
  if (deadline < 0 || deadline > 3600)
    {
      fprintf (stderr, "%s\n", _("The deadline must be between 0 and 3600 seconds."));
      return MAIL_CLI_EXIT_USAGE;
    }

  autoconfig = mail_autoconfig_new ();
  mail_autoconfig_set_offline (autoconfig, offline);
  mail_autoconfig_set_use_online_database (autoconfig, !no_online_database);
  mail_autoconfig_set_probe (autoconfig, !no_probe);
  if (deadline > 0)
    mail_autoconfig_set_deadline (autoconfig, MAX (1, (guint) (deadline * 1000)));
  if (ispdb_url != NULL)
    mail_autoconfig_set_ispdb_url (autoconfig, ispdb_url);
  if (provider_url != NULL)
    mail_autoconfig_set_provider_url (autoconfig, provider_url);
  if (ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &error);

      if (database == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return MAIL_CLI_EXIT_USAGE;
        }
      mail_autoconfig_set_tls_database (autoconfig, database);
    }

  loop = g_main_loop_new (NULL, FALSE);
  res.loop = loop;
  mail_autoconfig_lookup_async (autoconfig, argv[1], NULL, lookup_cb, &res);
  g_main_loop_run (loop);

  if (res.config == NULL)
    {
      fprintf (stderr, _("No configuration found: %s\n"), res.error->message);
      if (g_error_matches (res.error, MAIL_AUTOCONFIG_ERROR,
                           MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS))
        ret = MAIL_CLI_EXIT_USAGE;
      else if (g_error_matches (res.error, MAIL_AUTOCONFIG_ERROR,
                                MAIL_AUTOCONFIG_ERROR_TIMED_OUT))
        ret = MAIL_CLI_EXIT_CONNECTION;
      else
        ret = MAIL_CLI_EXIT_FAILURE;
      g_clear_error (&res.error);
      return ret;
    }

  findings = mail_autoconfig_assess (res.config, MAIL_AUTOCONFIG_ASSESS_NONE);
  if (json)
    {
      g_autofree char *text = to_json (res.config, findings);

      fputs (text, stdout);
    }
  else
    print_text (argv[1], res.config, findings);

  mail_autoconfig_config_free (res.config);
  return MAIL_CLI_EXIT_OK;
}
