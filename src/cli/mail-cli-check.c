/* mail-cli-check.c
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
#include <string.h>

#include "mail-cli.h"
#include "mail-connection.h"
#include "mail-engine.h"
#include "mail-server-check.h"

/* `example-mail-cli check --protocol imap|pop3|smtp --host H --port P
 *   --security tls|starttls|none [--auth METHOD] --user U [--ca-file F] [--allow-plaintext]
 *   [--json]`
 *
 * Connects, logs in, logs out and reports, through the engine's MailServerCheck (the same
 * check the account-setup wizard runs). The options, the exit codes (MailCliExit) and the
 * JSON keys are a contract for scripts: extend, never rename. */

typedef struct
{
  GMainLoop             *loop;
  GError                *error;
  MailServerCheckResult *result;
} CheckContext;

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CheckContext *ctx = user_data;

  ctx->result = mail_server_check_finish (result, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

/* ------------------------------------------------------------------------------------ */
/* Errors and output */

static int
exit_code_for_error (const GError *error)
{
  switch (mail_server_check_classify_error (error))
    {
    case MAIL_SERVER_CHECK_PROBLEM_CONNECTION:
      return MAIL_CLI_EXIT_CONNECTION;
    case MAIL_SERVER_CHECK_PROBLEM_TLS:
    case MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE:
      return MAIL_CLI_EXIT_TLS;
    case MAIL_SERVER_CHECK_PROBLEM_STARTTLS:
      return MAIL_CLI_EXIT_STARTTLS;
    case MAIL_SERVER_CHECK_PROBLEM_PROTOCOL:
      return MAIL_CLI_EXIT_PROTOCOL;
    case MAIL_SERVER_CHECK_PROBLEM_INSECURE:
      return MAIL_CLI_EXIT_INSECURE;
    case MAIL_SERVER_CHECK_PROBLEM_AUTH:
    case MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED:
    case MAIL_SERVER_CHECK_PROBLEM_AUTH_REQUIRED:
      return MAIL_CLI_EXIT_AUTH;
    case MAIL_SERVER_CHECK_PROBLEM_CANCELLED:
    case MAIL_SERVER_CHECK_PROBLEM_OTHER:
    default:
      return MAIL_CLI_EXIT_FAILURE;
    }
}

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
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static char *
report_json (const MailServerCheckResult *result)
{
  MailCertificateInfo *cert = result->certificate;
  GString *out = g_string_new ("{\n");

  g_string_append (out, "  \"protocol\": ");
  json_string (out, mail_protocol_to_string (result->protocol));
  g_string_append (out, ",\n  \"host\": ");
  json_string (out, result->host);
  g_string_append_printf (out, ",\n  \"port\": %u", result->port);
  g_string_append (out, ",\n  \"security\": ");
  json_string (out, mail_security_to_string (result->security));

  g_string_append (out, ",\n  \"capabilities\": [");
  for (guint i = 0; result->capabilities != NULL && result->capabilities[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, result->capabilities[i]);
    }
  g_string_append (out, "]");

  g_string_append (out, ",\n  \"mechanism\": ");
  json_string (out, result->mechanism);

  g_string_append (out, ",\n  \"certificate\": ");
  if (result->encrypted && cert != NULL)
    {
      g_string_append (out, "{\"sha256\": ");
      json_string (out, mail_certificate_info_get_fingerprint (cert));
      g_string_append (out, ", \"subject\": ");
      json_string (out, mail_certificate_info_get_subject (cert));
      g_string_append (out, ", \"issuer\": ");
      json_string (out, mail_certificate_info_get_issuer (cert));
      g_string_append (out, "}");
    }
  else
    g_string_append (out, "null");

  g_string_append_printf (out, ",\n  \"encrypted\": %s\n}\n",
                          result->encrypted ? "true" : "false");
  return g_string_free (out, FALSE);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  /* Translators: the first %s is the problem, the second the program name */
  fprintf (stderr, _("%s: %s (see “%s check --help”)\n"), g_get_prgname (), message,
           g_get_prgname ());
  return MAIL_CLI_EXIT_USAGE;
}

int
mail_cli_check (int    argc,
                char **argv)
{
  g_autofree char *protocol_str = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_str = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca_file = NULL;
  gboolean allow_plaintext = FALSE;
  gboolean json = FALSE;
  int port = 0;
  const GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol_str, N_("imap, pop3 or smtp"), "PROTO" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The server’s host name"), "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The port (default: the protocol’s)"), "PORT" },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_str,
      N_("tls, starttls or none"), "MODE" },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth,
      N_("auto, plain, login, cram-md5, ntlm, scram-sha-256, …; for POP3 also user or "
         "apop, for IMAP also imap-login (default: auto)"), "METHOD" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name"), "USER" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust only the certificate authorities in this PEM file"), "FILE" },
    { "allow-plaintext", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext,
      N_("Allow --security none (the password travels unencrypted)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print what was learnt as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MailTlsPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MailServerConfig) config = NULL;
  g_autofree char *absolute_ca = NULL;
  CheckContext ctx = { 0 };
  MailProtocol protocol;
  MailSecurity security;
  char *password = NULL;
  gboolean ok;
  int ret;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Connect to a mail server, log in and report. The password "
                                  "comes from $MAIL_PASSWORD or one line of standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* So that --help shows "example-mail-cli check [OPTION…]". */
  g_set_prgname ("example-mail-cli check");
  ok = g_option_context_parse (context, &argc, &argv, &error);
  g_set_prgname ("example-mail-cli");
  if (!ok)
    return usage_error (context, error->message);

  if (argc > 1)
    return usage_error (context, _("Unexpected argument"));
  if (protocol_str == NULL || !mail_protocol_from_string (protocol_str, &protocol))
    return usage_error (context, _("--protocol must be imap, pop3 or smtp"));
  if (security_str == NULL || !mail_security_from_string (security_str, &security))
    return usage_error (context, _("--security must be tls, starttls or none"));
  if (host == NULL || *host == '\0')
    return usage_error (context, _("--host is required"));
  if (user == NULL || *user == '\0')
    return usage_error (context, _("--user is required"));
  if (port < 0 || port > G_MAXUINT16)
    return usage_error (context, _("--port must be between 1 and 65535"));
  if (port == 0)
    port = mail_protocol_default_port (protocol, security);

  if (security == MAIL_SECURITY_NONE && !allow_plaintext)
    {
      fprintf (stderr, "%s: %s\n", g_get_prgname (),
               _("Refusing to connect without encryption: the password would travel in the "
                 "clear. Pass --allow-plaintext to do it anyway."));
      return MAIL_CLI_EXIT_INSECURE;
    }

  if (ca_file != NULL)
    {
      /* GIO wants an absolute path for a CA file; a bad file is a usage error. */
      absolute_ca = g_canonicalize_filename (ca_file, NULL);
      policy = mail_tls_policy_new ();
      if (!mail_tls_policy_set_ca_file (policy, absolute_ca, &error))
        return usage_error (context, error->message);
    }

  password = mail_cli_read_password (&error);
  if (password == NULL)
    return usage_error (context, error->message);

  config = mail_server_config_new (protocol, host, (guint16) port, security, user);
  g_free (config->auth);
  config->auth = g_strdup (auth != NULL ? auth : "auto");
  config->ca_file = g_steal_pointer (&absolute_ca);
  config->allow_plaintext = allow_plaintext;

  ctx.loop = g_main_loop_new (NULL, FALSE);
  mail_server_check_async (config, password, NULL, NULL, check_cb, &ctx);
  memset (password, 0, strlen (password));
  g_clear_pointer (&password, g_free);
  g_main_loop_run (ctx.loop);

  if (ctx.error != NULL)
    {
      /* One line: some messages (certificate problems) come in several. */
      g_autofree char *message = g_strdup (ctx.error->message);

      g_strdelimit (message, "\r\n", ' ');
      fprintf (stderr, "%s: %s\n", g_get_prgname (), message);
      ret = exit_code_for_error (ctx.error);
    }
  else
    {
      if (json)
        {
          g_autofree char *text = report_json (ctx.result);

          fputs (text, stdout);
        }
      else
        printf (_("Logged in to %s://%s:%d (%s, %s) with %s\n"),
                mail_protocol_to_string (protocol), host, port,
                mail_security_to_string (security),
                ctx.result->encrypted ? _("encrypted") : _("not encrypted"),
                ctx.result->mechanism != NULL ? ctx.result->mechanism : "?");
      ret = MAIL_CLI_EXIT_OK;
    }

  g_clear_error (&ctx.error);
  g_clear_pointer (&ctx.result, mail_server_check_result_free);
  g_clear_pointer (&ctx.loop, g_main_loop_unref);

  return ret;
}
