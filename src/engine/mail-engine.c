/* mail-engine.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-engine"

#include "config.h"

#include "mail-engine.h"

#include <gmime/gmime.h>

/**
 * mail_engine_init:
 *
 * Initialises the libraries the engine relies on. Call it once, early, from the main thread
 * of every program that uses the engine. Calling it again does nothing.
 */
void
mail_engine_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * mail_engine_get_version:
 *
 * Returns: (transfer none): the version of the engine, which is the version of the app
 */
const char *
mail_engine_get_version (void)
{
  return PACKAGE_VERSION;
}

/**
 * mail_engine_get_localedir:
 *
 * Where the message catalogs are. `MAIL_LOCALEDIR` overrides the installed location, so that
 * tests and `build-aux/dev run` use the catalogs of an uninstalled build.
 *
 * Returns: (transfer none): a directory to pass to bindtextdomain()
 */
const char *
mail_engine_get_localedir (void)
{
  const char *dir = g_getenv ("MAIL_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

const char *
mail_protocol_to_string (MailProtocol protocol)
{
  switch (protocol)
    {
    case MAIL_PROTOCOL_IMAP:
      return "imap";
    case MAIL_PROTOCOL_POP3:
      return "pop3";
    case MAIL_PROTOCOL_SMTP:
      return "smtp";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
mail_protocol_from_string (const char   *str,
                           MailProtocol *protocol)
{
  static const MailProtocol all[] = { MAIL_PROTOCOL_IMAP, MAIL_PROTOCOL_POP3, MAIL_PROTOCOL_SMTP };

  g_return_val_if_fail (protocol != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (all); i++)
    {
      if (g_ascii_strcasecmp (str, mail_protocol_to_string (all[i])) == 0)
        {
          *protocol = all[i];
          return TRUE;
        }
    }

  return FALSE;
}

const char *
mail_security_to_string (MailSecurity security)
{
  switch (security)
    {
    case MAIL_SECURITY_TLS:
      return "tls";
    case MAIL_SECURITY_STARTTLS:
      return "starttls";
    case MAIL_SECURITY_NONE:
      return "none";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
mail_security_from_string (const char   *str,
                           MailSecurity *security)
{
  static const MailSecurity all[] = {
    MAIL_SECURITY_TLS, MAIL_SECURITY_STARTTLS, MAIL_SECURITY_NONE,
  };

  g_return_val_if_fail (security != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (all); i++)
    {
      if (g_ascii_strcasecmp (str, mail_security_to_string (all[i])) == 0)
        {
          *security = all[i];
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * mail_protocol_default_port:
 * @protocol: a protocol
 * @security: how the connection is protected
 *
 * Returns: the well-known port for @protocol with @security (RFC 8314 for implicit TLS)
 */
guint16
mail_protocol_default_port (MailProtocol protocol,
                            MailSecurity security)
{
  gboolean implicit = security == MAIL_SECURITY_TLS;

  switch (protocol)
    {
    case MAIL_PROTOCOL_IMAP:
      return implicit ? 993 : 143;
    case MAIL_PROTOCOL_POP3:
      return implicit ? 995 : 110;
    case MAIL_PROTOCOL_SMTP:
      return implicit ? 465 : 587;
    default:
      g_return_val_if_reached (0);
    }
}
