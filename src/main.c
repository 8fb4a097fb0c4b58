/* main.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mail-application.h"
#include "mail-engine.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(MailApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, mail_engine_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = mail_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
