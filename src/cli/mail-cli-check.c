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
#include "mail-pop3-client.h"
#include "mail-sasl.h"
#include "mail-smtp-client.h"

/* `example-mail-cli check --protocol imap|pop3|smtp --host H --port P
 *   --security tls|starttls|none [--auth METHOD] --user U [--ca-file F] [--allow-plaintext]
 *   [--json]`
 *
 * Connects, logs in, logs out and reports. The options, the exit codes (MailCliExit) and the
 * JSON keys are a contract for scripts: extend, never rename. Each protocol is one
 * CheckBackend below; adding IMAP means adding one. */

typedef struct
{
  /* inputs */
  MailProtocol     protocol;
  MailConnection  *connection;
  const char      *user;
  char            *password;
  const char      *auth;

  /* outputs */
  GMainLoop       *loop;
  GError          *error;
  char           **capabilities;
  char            *mechanism;

  /* the protocol client, kept for the steps */
  GObject         *client;
} CheckContext;

/* Runs connect, login and logout; sets ctx->error or the outputs, then quits ctx->loop. */
typedef void (*CheckBackend) (CheckContext *ctx);

static void
finish (CheckContext *ctx,
        GError       *error)
{
  if (error != NULL && ctx->error == NULL)
    ctx->error = error;
  else if (error != NULL)
    g_error_free (error);

  g_main_loop_quit (ctx->loop);
}

/* ------------------------------------------------------------------------------------ */
/* SMTP */

static void
smtp_quit_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CheckContext *ctx = user_data;

  /* The login succeeded; a failing goodbye does not change that. */
  mail_smtp_client_quit_finish (MAIL_SMTP_CLIENT (object), result, NULL);
  finish (ctx, NULL);
}

static void
smtp_login_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckContext *ctx = user_data;
  MailSmtpClient *client = MAIL_SMTP_CLIENT (object);
  GError *error = NULL;

  if (!mail_smtp_client_login_finish (client, result, &error))
    {
      finish (ctx, error);
      return;
    }

  ctx->mechanism = g_strdup (mail_smtp_client_get_mechanism (client));
  mail_smtp_client_quit_async (client, NULL, smtp_quit_cb, ctx);
}

static void
smtp_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CheckContext *ctx = user_data;
  MailSmtpClient *client = MAIL_SMTP_CLIENT (object);
  const MailSmtpCapabilities *caps;
  GError *error = NULL;

  if (!mail_smtp_client_connect_finish (client, result, &error))
    {
      finish (ctx, error);
      return;
    }

  caps = mail_smtp_client_get_capabilities (client);
  ctx->capabilities = g_strdupv ((char **) mail_smtp_capabilities_get_keywords (caps));
  mail_smtp_client_login_async (client, ctx->user, ctx->password, ctx->auth, NULL,
                                smtp_login_cb, ctx);
}

static void
check_smtp (CheckContext *ctx)
{
  MailSmtpClient *client = mail_smtp_client_new (ctx->connection);

  ctx->client = G_OBJECT (client);
  mail_smtp_client_connect_async (client, NULL, smtp_connect_cb, ctx);
}

/* ------------------------------------------------------------------------------------ */
/* POP3 */

static void
pop3_quit_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CheckContext *ctx = user_data;

  mail_pop3_client_quit_finish (MAIL_POP3_CLIENT (object), result, NULL);
  finish (ctx, NULL);
}

static void
pop3_login_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckContext *ctx = user_data;
  MailPop3Client *client = MAIL_POP3_CLIENT (object);
  GError *error = NULL;

  if (!mail_pop3_client_login_finish (client, result, &error))
    {
      finish (ctx, error);
      return;
    }

  ctx->mechanism = g_strdup (mail_pop3_client_get_mechanism (client));
  mail_pop3_client_quit_async (client, NULL, pop3_quit_cb, ctx);
}

static void
pop3_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CheckContext *ctx = user_data;
  MailPop3Client *client = MAIL_POP3_CLIENT (object);
  const MailPop3Capabilities *caps;
  GError *error = NULL;

  if (!mail_pop3_client_connect_finish (client, result, &error))
    {
      finish (ctx, error);
      return;
    }

  caps = mail_pop3_client_get_capabilities (client);
  ctx->capabilities = g_strdupv ((char **) mail_pop3_capabilities_get_keywords (caps));
  mail_pop3_client_login_async (client, ctx->user, ctx->password, ctx->auth, NULL,
                                pop3_login_cb, ctx);
}

static void
check_pop3 (CheckContext *ctx)
{
  MailPop3Client *client = mail_pop3_client_new (ctx->connection);

  ctx->client = G_OBJECT (client);
  mail_pop3_client_connect_async (client, NULL, pop3_connect_cb, ctx);
}

/* ------------------------------------------------------------------------------------ */
/* Errors and output */

static int
exit_code_for_error (const GError *error)
{
  if (error->domain == MAIL_NET_ERROR)
    {
      switch ((MailNetError) error->code)
        {
        case MAIL_NET_ERROR_CONNECT:
        case MAIL_NET_ERROR_TIMEOUT:
        case MAIL_NET_ERROR_CLOSED:
          return MAIL_CLI_EXIT_CONNECTION;
        case MAIL_NET_ERROR_TLS:
        case MAIL_NET_ERROR_CERTIFICATE:
          return MAIL_CLI_EXIT_TLS;
        case MAIL_NET_ERROR_STARTTLS_INJECTION:
          return MAIL_CLI_EXIT_STARTTLS;
        case MAIL_NET_ERROR_LINE_TOO_LONG:
        case MAIL_NET_ERROR_PROTOCOL:
          return MAIL_CLI_EXIT_PROTOCOL;
        case MAIL_NET_ERROR_PLAINTEXT_REFUSED:
          return MAIL_CLI_EXIT_INSECURE;
        case MAIL_NET_ERROR_PIN_STORE:
        default:
          return MAIL_CLI_EXIT_FAILURE;
        }
    }

  if (error->domain == MAIL_SMTP_ERROR)
    {
      switch ((MailSmtpError) error->code)
        {
        case MAIL_SMTP_ERROR_PROTOCOL:
          return MAIL_CLI_EXIT_PROTOCOL;
        case MAIL_SMTP_ERROR_GREETING:
        case MAIL_SMTP_ERROR_SERVICE_CLOSING:
          return MAIL_CLI_EXIT_CONNECTION;
        case MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE:
          return MAIL_CLI_EXIT_STARTTLS;
        case MAIL_SMTP_ERROR_INSECURE:
          return MAIL_CLI_EXIT_INSECURE;
        case MAIL_SMTP_ERROR_AUTH_REQUIRED:
        case MAIL_SMTP_ERROR_AUTH_FAILED:
        case MAIL_SMTP_ERROR_AUTH_WEAK:
        case MAIL_SMTP_ERROR_AUTH_UNSUPPORTED:
          return MAIL_CLI_EXIT_AUTH;
        case MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE:
        case MAIL_SMTP_ERROR_SENDER_REJECTED:
        case MAIL_SMTP_ERROR_RECIPIENT_REJECTED:
        case MAIL_SMTP_ERROR_MESSAGE_REJECTED:
        case MAIL_SMTP_ERROR_UNSUPPORTED:
        case MAIL_SMTP_ERROR_TEMPORARY:
        case MAIL_SMTP_ERROR_PERMANENT:
        default:
          return MAIL_CLI_EXIT_FAILURE;
        }
    }

  if (error->domain == MAIL_POP3_ERROR)
    {
      switch ((MailPop3Error) error->code)
        {
        case MAIL_POP3_ERROR_PROTOCOL:
          return MAIL_CLI_EXIT_PROTOCOL;
        case MAIL_POP3_ERROR_GREETING:
          return MAIL_CLI_EXIT_CONNECTION;
        case MAIL_POP3_ERROR_STARTTLS_UNAVAILABLE:
          return MAIL_CLI_EXIT_STARTTLS;
        case MAIL_POP3_ERROR_INSECURE:
          return MAIL_CLI_EXIT_INSECURE;
        case MAIL_POP3_ERROR_AUTH_FAILED:
        case MAIL_POP3_ERROR_AUTH_UNSUPPORTED:
        case MAIL_POP3_ERROR_IN_USE:
          return MAIL_CLI_EXIT_AUTH;
        case MAIL_POP3_ERROR_TEMPORARY:
        case MAIL_POP3_ERROR_NO_SUCH_MESSAGE:
        case MAIL_POP3_ERROR_MESSAGE_TOO_LARGE:
        case MAIL_POP3_ERROR_FAILED:
        default:
          return MAIL_CLI_EXIT_FAILURE;
        }
    }

  if (error->domain == MAIL_SASL_ERROR)
    return error->code == MAIL_SASL_ERROR_PLAINTEXT_REFUSED ? MAIL_CLI_EXIT_INSECURE
                                                             : MAIL_CLI_EXIT_AUTH;

  return MAIL_CLI_EXIT_FAILURE;
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
report_json (CheckContext *ctx,
             MailSecurity  security)
{
  MailCertificateInfo *cert = mail_connection_get_certificate_info (ctx->connection);
  gboolean encrypted = mail_connection_get_is_encrypted (ctx->connection);
  GString *out = g_string_new ("{\n");

  g_string_append (out, "  \"protocol\": ");
  json_string (out, mail_protocol_to_string (ctx->protocol));
  g_string_append (out, ",\n  \"host\": ");
  json_string (out, mail_connection_get_host (ctx->connection));
  g_string_append_printf (out, ",\n  \"port\": %u", mail_connection_get_port (ctx->connection));
  g_string_append (out, ",\n  \"security\": ");
  json_string (out, mail_security_to_string (security));

  g_string_append (out, ",\n  \"capabilities\": [");
  for (guint i = 0; ctx->capabilities != NULL && ctx->capabilities[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, ctx->capabilities[i]);
    }
  g_string_append (out, "]");

  g_string_append (out, ",\n  \"mechanism\": ");
  json_string (out, ctx->mechanism);

  g_string_append (out, ",\n  \"certificate\": ");
  if (encrypted && cert != NULL)
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

  g_string_append_printf (out, ",\n  \"encrypted\": %s\n}\n", encrypted ? "true" : "false");
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
      N_("auto, plain, login, cram-md5, ntlm, scram-sha-256, … (default: auto)"), "METHOD" },
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
  CheckContext ctx = { 0 };
  CheckBackend backend = NULL;
  MailSecurity security;
  int ret;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Connect to a mail server, log in and report. The password "
                                  "comes from $MAIL_PASSWORD or one line of standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (argc > 1)
    return usage_error (context, _("Unexpected argument"));
  if (protocol_str == NULL || !mail_protocol_from_string (protocol_str, &ctx.protocol))
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
    port = mail_protocol_default_port (ctx.protocol, security);

  /* One branch per protocol. */
  switch (ctx.protocol)
    {
    case MAIL_PROTOCOL_SMTP:
      backend = check_smtp;
      break;

    case MAIL_PROTOCOL_POP3:
      backend = check_pop3;
      break;

    case MAIL_PROTOCOL_IMAP:
    default:
      fprintf (stderr, "%s: %s\n", g_get_prgname (), _("IMAP support is not built yet"));
      return MAIL_CLI_EXIT_FAILURE;
    }

  if (security == MAIL_SECURITY_NONE && !allow_plaintext)
    {
      fprintf (stderr, "%s: %s\n", g_get_prgname (),
               _("Refusing to connect without encryption: the password would travel in the "
                 "clear. Pass --allow-plaintext to do it anyway."));
      return MAIL_CLI_EXIT_INSECURE;
    }

  policy = mail_tls_policy_new ();
  if (ca_file != NULL)
    {
      /* GIO wants an absolute path for a CA file. */
      g_autofree char *absolute = g_canonicalize_filename (ca_file, NULL);

      if (!mail_tls_policy_set_ca_file (policy, absolute, &error))
        return usage_error (context, error->message);
    }

  ctx.password = mail_cli_read_password (&error);
  if (ctx.password == NULL)
    return usage_error (context, error->message);

  ctx.user = user;
  ctx.auth = auth != NULL ? auth : "auto";
  ctx.connection = mail_connection_new (host, (guint16) port, security);
  mail_connection_set_tls_policy (ctx.connection, policy);
  mail_connection_set_allow_plaintext (ctx.connection, allow_plaintext);
  mail_connection_set_log_label (ctx.connection, "check");
  ctx.loop = g_main_loop_new (NULL, FALSE);

  backend (&ctx);
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
          g_autofree char *text = report_json (&ctx, security);

          fputs (text, stdout);
        }
      else
        printf (_("Logged in to %s://%s:%d (%s, %s) with %s\n"),
                mail_protocol_to_string (ctx.protocol), host, port,
                mail_security_to_string (security),
                mail_connection_get_is_encrypted (ctx.connection) ? _("encrypted")
                                                                  : _("not encrypted"),
                ctx.mechanism != NULL ? ctx.mechanism : "?");
      ret = MAIL_CLI_EXIT_OK;
    }

  memset (ctx.password, 0, strlen (ctx.password));
  g_clear_pointer (&ctx.password, g_free);
  g_clear_error (&ctx.error);
  g_clear_pointer (&ctx.capabilities, g_strfreev);
  g_clear_pointer (&ctx.mechanism, g_free);
  g_clear_object (&ctx.client);
  g_clear_object (&ctx.connection);
  g_clear_pointer (&ctx.loop, g_main_loop_unref);

  return ret;
}
