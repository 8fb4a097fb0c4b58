/* mail-cli.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of example-mail-cli. Other tools rely on them: extend, never renumber. */
typedef enum
{
  MAIL_CLI_EXIT_OK           = 0,
  MAIL_CLI_EXIT_FAILURE      = 1, /* anything not listed below */
  MAIL_CLI_EXIT_USAGE        = 2, /* bad command line */
  MAIL_CLI_EXIT_CONNECTION   = 3, /* host not found, refused, unreachable, timed out */
  MAIL_CLI_EXIT_TLS          = 4, /* TLS handshake or certificate verification failed */
  MAIL_CLI_EXIT_STARTTLS     = 5, /* STARTTLS missing, refused, or response injection */
  MAIL_CLI_EXIT_AUTH         = 6, /* the server rejected the credentials */
  MAIL_CLI_EXIT_PROTOCOL     = 7, /* the server broke the protocol */
  MAIL_CLI_EXIT_INSECURE     = 8, /* refused by security policy (e.g. plaintext without consent) */
} MailCliExit;

typedef struct
{
  const char *name;
  const char *summary; /* translatable: mark it for gettext in the table */
  int       (*run) (int    argc,
                    char **argv);
} MailCliCommand;

/* Each subcommand lives in its own mail-cli-<name>.c and is listed in main.c. */
int mail_cli_version (int argc, char **argv);
int mail_cli_autoconfig (int argc, char **argv);
int mail_cli_check (int argc, char **argv);
int mail_cli_sync (int argc, char **argv);

/* Reads the password from $MAIL_PASSWORD or one line of standard input. */
char *mail_cli_read_password (GError **error);

G_END_DECLS
