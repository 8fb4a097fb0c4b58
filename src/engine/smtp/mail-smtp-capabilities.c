/* mail-smtp-capabilities.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-smtp"

#include "config.h"

#include "mail-smtp-capabilities.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-smtp-error.h"

/* What one EHLO reply (RFC 5321 §4.1.1.1) says the server can do. The client keeps one of
 * these per EHLO and throws the plaintext one away after STARTTLS. */
struct _MailSmtpCapabilities
{
  MailSmtpExtension  extensions;
  guint64            size_limit;
  GPtrArray         *mechanisms;
  GPtrArray         *keywords;
};

static const struct
{
  const char        *keyword;
  MailSmtpExtension  extension;
} known_extensions[] = {
  { "STARTTLS", MAIL_SMTP_EXTENSION_STARTTLS },
  { "AUTH", MAIL_SMTP_EXTENSION_AUTH },
  { "SIZE", MAIL_SMTP_EXTENSION_SIZE },
  { "8BITMIME", MAIL_SMTP_EXTENSION_8BITMIME },
  { "SMTPUTF8", MAIL_SMTP_EXTENSION_SMTPUTF8 },
  { "PIPELINING", MAIL_SMTP_EXTENSION_PIPELINING },
  { "ENHANCEDSTATUSCODES", MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES },
  { "DSN", MAIL_SMTP_EXTENSION_DSN },
  { "CHUNKING", MAIL_SMTP_EXTENSION_CHUNKING },
};

static gboolean
is_keyword (const char *word)
{
  if (!g_ascii_isalnum (word[0]))
    return FALSE;

  for (const char *p = word + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

/* SASL mechanism names (RFC 4422 §3.1): 1–20 of A–Z, 0–9, '-' and '_'. */
static gboolean
is_mechanism (const char *word)
{
  gsize len = strlen (word);

  if (len == 0 || len > 20)
    return FALSE;

  for (const char *p = word; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_size (const char  *param,
            guint64     *size,
            GError     **error)
{
  if (param == NULL || *param == '\0')
    {
      *size = 0;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (param, 10, 0, G_MAXUINT64, size, NULL))
    {
      g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                           _("The server announced an invalid message size limit"));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_smtp_capabilities_parse:
 * @ehlo: a positive reply to EHLO
 * @error: return location for a %MAIL_SMTP_ERROR_PROTOCOL error
 *
 * Reads the extension lines (every line after the first). Unknown extensions are kept as
 * keywords only; lines that are not extension keywords are skipped; a malformed SIZE
 * parameter is an error.
 *
 * Returns: (transfer full) (nullable): the capabilities
 */
MailSmtpCapabilities *
mail_smtp_capabilities_parse (const MailSmtpReply  *ehlo,
                              GError              **error)
{
  g_autoptr(MailSmtpCapabilities) caps = NULL;
  const char * const *lines;
  guint n_lines;

  g_return_val_if_fail (ehlo != NULL, NULL);

  if (!mail_smtp_reply_is_positive (ehlo))
    {
      g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                           _("The server did not accept the EHLO greeting"));
      return NULL;
    }

  caps = g_new0 (MailSmtpCapabilities, 1);
  caps->mechanisms = g_ptr_array_new_with_free_func (g_free);
  caps->keywords = g_ptr_array_new_with_free_func (g_free);

  lines = mail_smtp_reply_get_lines (ehlo);
  n_lines = mail_smtp_reply_get_n_lines (ehlo);

  for (guint i = 1; i < n_lines; i++)
    {
      g_auto(GStrv) words = NULL;
      g_autofree char *keyword = NULL;
      gboolean is_auth;

      /* Some old servers write "AUTH=LOGIN PLAIN"; treat '=' like a space there. */
      words = g_strsplit_set (lines[i], " =", -1);
      if (words[0] == NULL || !is_keyword (words[0]))
        {
          g_debug ("Ignoring malformed EHLO line");
          continue;
        }

      keyword = g_ascii_strup (words[0], -1);
      is_auth = strcmp (keyword, "AUTH") == 0;

      for (guint k = 0; k < G_N_ELEMENTS (known_extensions); k++)
        {
          if (strcmp (keyword, known_extensions[k].keyword) == 0)
            caps->extensions |= known_extensions[k].extension;
        }

      if (strcmp (keyword, "SIZE") == 0 && !parse_size (words[1], &caps->size_limit, error))
        return NULL;

      if (is_auth)
        {
          for (guint w = 1; words[w] != NULL; w++)
            {
              g_autofree char *mech = g_ascii_strup (words[w], -1);
              gboolean seen = FALSE;

              if (!is_mechanism (mech))
                continue;

              for (guint m = 0; m < caps->mechanisms->len; m++)
                seen |= strcmp (g_ptr_array_index (caps->mechanisms, m), mech) == 0;

              if (!seen)
                g_ptr_array_add (caps->mechanisms, g_steal_pointer (&mech));
            }
        }

      {
        gboolean seen = FALSE;

        for (guint m = 0; m < caps->keywords->len; m++)
          seen |= strcmp (g_ptr_array_index (caps->keywords, m), keyword) == 0;

        if (!seen)
          g_ptr_array_add (caps->keywords, g_steal_pointer (&keyword));
      }
    }

  g_ptr_array_add (caps->mechanisms, NULL);
  g_ptr_array_add (caps->keywords, NULL);

  return g_steal_pointer (&caps);
}

/**
 * mail_smtp_capabilities_free:
 * @caps: (transfer full) (nullable): capabilities
 */
void
mail_smtp_capabilities_free (MailSmtpCapabilities *caps)
{
  if (caps == NULL)
    return;

  g_clear_pointer (&caps->mechanisms, g_ptr_array_unref);
  g_clear_pointer (&caps->keywords, g_ptr_array_unref);
  g_free (caps);
}

/**
 * mail_smtp_capabilities_has:
 * @caps: capabilities
 * @extension: one extension
 *
 * Returns: whether the server offered @extension
 */
gboolean
mail_smtp_capabilities_has (const MailSmtpCapabilities *caps,
                            MailSmtpExtension           extension)
{
  g_return_val_if_fail (caps != NULL, FALSE);

  return (caps->extensions & extension) == extension;
}

/**
 * mail_smtp_capabilities_get_size_limit:
 * @caps: capabilities
 *
 * Returns: the largest message the server accepts in bytes, or 0 when it named no limit
 */
guint64
mail_smtp_capabilities_get_size_limit (const MailSmtpCapabilities *caps)
{
  g_return_val_if_fail (caps != NULL, 0);

  return caps->size_limit;
}

/**
 * mail_smtp_capabilities_get_mechanisms:
 * @caps: capabilities
 *
 * Returns: (transfer none) (array zero-terminated=1): the SASL mechanisms of AUTH, upper case
 */
const char * const *
mail_smtp_capabilities_get_mechanisms (const MailSmtpCapabilities *caps)
{
  g_return_val_if_fail (caps != NULL, NULL);

  return (const char * const *) caps->mechanisms->pdata;
}

/**
 * mail_smtp_capabilities_has_mechanism:
 * @caps: capabilities
 * @mechanism: a SASL mechanism name
 *
 * Returns: whether AUTH offered @mechanism (compared without regard to case)
 */
gboolean
mail_smtp_capabilities_has_mechanism (const MailSmtpCapabilities *caps,
                                      const char                 *mechanism)
{
  g_return_val_if_fail (caps != NULL, FALSE);
  g_return_val_if_fail (mechanism != NULL, FALSE);

  for (guint i = 0; i + 1 < caps->mechanisms->len; i++)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (caps->mechanisms, i), mechanism) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_smtp_capabilities_get_keywords:
 * @caps: capabilities
 *
 * Returns: (transfer none) (array zero-terminated=1): every extension keyword, upper case,
 *   in the server's order, without parameters
 */
const char * const *
mail_smtp_capabilities_get_keywords (const MailSmtpCapabilities *caps)
{
  g_return_val_if_fail (caps != NULL, NULL);

  return (const char * const *) caps->keywords->pdata;
}
