/* main.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "mail-cli.h"
#include "mail-engine.h"

static const MailCliCommand commands[] = {
  { "version", N_("Print the version and exit"), mail_cli_version },
  { "autoconfig", N_("Find the mail servers for an e-mail address"), mail_cli_autoconfig },
  { "check", N_("Log in to a mail server and report what it offers"), mail_cli_check },
  { "sync", N_("Download a server’s mail into a local store"), mail_cli_sync },
};

static void
print_help (FILE *out)
{
  fprintf (out, _("Usage: %s COMMAND [OPTION…]\n"), g_get_prgname ());
  fprintf (out, "\n%s\n\n", _("Command-line companion of Mail, built on the same engine."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-12s %s\n", "--help", _("Show this help and exit"));
  fprintf (out, "  %-12s %s\n", "--version", _("Print the version and exit"));
  fprintf (out, "\n%s\n", _("Run “example-mail-cli COMMAND --help” for a command’s options."));
}

int
mail_cli_version (int    argc,
                  char **argv)
{
  printf ("example-mail-cli %s\n", mail_engine_get_version ());
  return MAIL_CLI_EXIT_OK;
}

char *
mail_cli_read_password (GError **error)
{
  const char *env = g_getenv ("MAIL_PASSWORD");
  char buf[4096];
  gsize len;

  if (env != NULL)
    return g_strdup (env);

  if (fgets (buf, sizeof buf, stdin) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No password given: set MAIL_PASSWORD or write it on standard input"));
      return NULL;
    }

  len = strlen (buf);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    buf[--len] = '\0';

  {
    char *ret = g_strdup (buf);

    memset (buf, 0, sizeof buf);
    return ret;
  }
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, mail_engine_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("example-mail-cli");

  mail_engine_init ();

  if (argc < 2)
    {
      print_help (stderr);
      return MAIL_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return MAIL_CLI_EXIT_OK;
    }

  if (strcmp (argv[1], "--version") == 0)
    return mail_cli_version (argc - 1, argv + 1);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].name) == 0)
        return commands[i].run (argc - 1, argv + 1);
    }

  fprintf (stderr, _("Unknown command “%s”. Run “%s --help” for the list.\n"),
           argv[1], g_get_prgname ());
  return MAIL_CLI_EXIT_USAGE;
}
