/* mail-pop3-capabilities.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-pop3"

#include "config.h"

#include "mail-pop3-capabilities.h"

#include <string.h>

/* What one CAPA listing (RFC 2449 §5) says. The client throws the plaintext one away after
 * STLS and asks again over TLS. */
struct _MailPop3Capabilities
{
  MailPop3Extension  extensions;
  GPtrArray         *mechanisms;
  GPtrArray         *keywords;
};

static const struct
{
  const char        *keyword;
  MailPop3Extension  extension;
} known_extensions[] = {
  { "STLS", MAIL_POP3_EXTENSION_STLS },
  { "USER", MAIL_POP3_EXTENSION_USER },
  { "SASL", MAIL_POP3_EXTENSION_SASL },
  { "TOP", MAIL_POP3_EXTENSION_TOP },
  { "UIDL", MAIL_POP3_EXTENSION_UIDL },
  { "PIPELINING", MAIL_POP3_EXTENSION_PIPELINING },
  { "RESP-CODES", MAIL_POP3_EXTENSION_RESP_CODES },
  { "AUTH-RESP-CODE", MAIL_POP3_EXTENSION_AUTH_RESP_CODE },
  { "UTF8", MAIL_POP3_EXTENSION_UTF8 },
};

static gboolean
is_token (const char *word,
          gsize       max_len,
          gboolean    mechanism)
{
  gsize len = strlen (word);

  if (len == 0 || len > max_len)
    return FALSE;

  for (const char *p = word; *p != '\0'; p++)
    {
      if (mechanism && !g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
        return FALSE;
      if (!mechanism && ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f))
        return FALSE;
    }

  return TRUE;
}

static void
add_unique (GPtrArray *array,
            char      *word)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (strcmp (g_ptr_array_index (array, i), word) == 0)
        {
          g_free (word);
          return;
        }
    }

  g_ptr_array_add (array, word);
}

/**
 * mail_pop3_capabilities_parse:
 * @lines: (array zero-terminated=1): the unstuffed lines of a CAPA listing
 *
 * Reads a CAPA listing. Lines whose keyword is not a printable ASCII token are skipped;
 * mechanism names that are not valid SASL names are ignored.
 *
 * Returns: (transfer full): the capabilities
 */
MailPop3Capabilities *
mail_pop3_capabilities_parse (const char * const *lines)
{
  MailPop3Capabilities *caps;

  g_return_val_if_fail (lines != NULL, NULL);

  caps = g_new0 (MailPop3Capabilities, 1);
  caps->mechanisms = g_ptr_array_new_with_free_func (g_free);
  caps->keywords = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);
      char *keyword;

      if (words[0] == NULL || !is_token (words[0], 64, FALSE))
        continue;

      keyword = g_ascii_strup (words[0], -1);

      for (guint k = 0; k < G_N_ELEMENTS (known_extensions); k++)
        {
          if (strcmp (keyword, known_extensions[k].keyword) == 0)
            caps->extensions |= known_extensions[k].extension;
        }

      if (strcmp (keyword, "SASL") == 0)
        {
          for (guint w = 1; words[w] != NULL; w++)
            {
              char *mech = g_ascii_strup (words[w], -1);

              if (is_token (mech, 20, TRUE))
                add_unique (caps->mechanisms, mech);
              else
                g_free (mech);
            }
        }

      add_unique (caps->keywords, keyword);
    }

  g_ptr_array_add (caps->mechanisms, NULL);
  g_ptr_array_add (caps->keywords, NULL);

  return caps;
}

/**
 * mail_pop3_capabilities_free:
 * @caps: (transfer full) (nullable): capabilities
 */
void
mail_pop3_capabilities_free (MailPop3Capabilities *caps)
{
  if (caps == NULL)
    return;

  g_clear_pointer (&caps->mechanisms, g_ptr_array_unref);
  g_clear_pointer (&caps->keywords, g_ptr_array_unref);
  g_free (caps);
}

/**
 * mail_pop3_capabilities_has:
 * @caps: capabilities
 * @extension: one extension
 *
 * Returns: whether CAPA listed @extension
 */
gboolean
mail_pop3_capabilities_has (const MailPop3Capabilities *caps,
                            MailPop3Extension           extension)
{
  g_return_val_if_fail (caps != NULL, FALSE);

  return (caps->extensions & extension) == extension;
}

/**
 * mail_pop3_capabilities_get_mechanisms:
 * @caps: capabilities
 *
 * Returns: (transfer none) (array zero-terminated=1): the SASL mechanisms, upper case
 */
const char * const *
mail_pop3_capabilities_get_mechanisms (const MailPop3Capabilities *caps)
{
  g_return_val_if_fail (caps != NULL, NULL);

  return (const char * const *) caps->mechanisms->pdata;
}

/**
 * mail_pop3_capabilities_has_mechanism:
 * @caps: capabilities
 * @mechanism: a SASL mechanism name
 *
 * Returns: whether SASL listed @mechanism
 */
gboolean
mail_pop3_capabilities_has_mechanism (const MailPop3Capabilities *caps,
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
 * mail_pop3_capabilities_get_keywords:
 * @caps: capabilities
 *
 * Returns: (transfer none) (array zero-terminated=1): every capability keyword, upper case
 */
const char * const *
mail_pop3_capabilities_get_keywords (const MailPop3Capabilities *caps)
{
  g_return_val_if_fail (caps != NULL, NULL);

  return (const char * const *) caps->keywords->pdata;
}
