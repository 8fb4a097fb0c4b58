/* mail-autoconfig-bundled.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-autoconfig"

#include "config.h"

#include "mail-autoconfig-bundled.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "mail-autoconfig-resources.h"
#include "mail-autoconfig-xml.h"

#define RESOURCE_DIR "/org/example/Mail/autoconfig/"

/* Domain (lower-case ASCII) → resource path. Built once, read-only afterwards. */
static GHashTable *
get_index (void)
{
  static GHashTable *index = NULL;

  if (g_once_init_enter (&index))
    {
      GResource *resource = mail_autoconfig_db_get_resource ();
      GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_auto(GStrv) names = NULL;
      g_autoptr(GError) error = NULL;

      names = g_resource_enumerate_children (resource, RESOURCE_DIR,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (names == NULL)
        g_critical ("The bundled provider database is missing: %s", error->message);

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          g_autofree char *path = g_strconcat (RESOURCE_DIR, names[i], NULL);
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(MailAutoconfigConfig) config = NULL;
          g_autoptr(GError) parse_error = NULL;

          if (!g_str_has_suffix (names[i], ".xml"))
            continue;

          bytes = g_resource_lookup_data (resource, path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
          if (bytes != NULL)
            config = mail_autoconfig_xml_parse (g_bytes_get_data (bytes, NULL),
                                                g_bytes_get_size (bytes), &parse_error);
          if (config == NULL)
            {
              g_critical ("Bundled provider file %s is unusable: %s", names[i],
                          parse_error != NULL ? parse_error->message : "unreadable");
              continue;
            }

          for (guint j = 0; j < config->domains->len; j++)
            g_hash_table_insert (table, g_strdup (g_ptr_array_index (config->domains, j)),
                                 g_strdup (path));
        }

      g_once_init_leave (&index, table);
    }

  return index;
}

/**
 * mail_autoconfig_bundled_lookup:
 * @domain: a mail domain, in any case, Unicode or ASCII
 * @error: return location for an error
 *
 * Looks @domain up in the provider database shipped with the app. No network is used.
 *
 * Returns: (transfer full): the configuration (source "bundled", trusted, placeholders kept),
 *   or %NULL with %MAIL_AUTOCONFIG_ERROR_NOT_FOUND or another error
 */
MailAutoconfigConfig *
mail_autoconfig_bundled_lookup (const char  *domain,
                                GError     **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MailAutoconfigConfig) config = NULL;
  const char *path;

  g_return_val_if_fail (domain != NULL, NULL);

  normalized = mail_autoconfig_normalize_domain (domain, error);
  if (normalized == NULL)
    return NULL;

  path = g_hash_table_lookup (get_index (), normalized);
  if (path == NULL)
    {
      g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND,
                   _("The bundled provider database does not know “%s”"), normalized);
      return NULL;
    }

  bytes = g_resource_lookup_data (mail_autoconfig_db_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  config = mail_autoconfig_xml_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      error);
  if (config == NULL)
    return NULL;

  config->source = MAIL_AUTOCONFIG_SOURCE_BUNDLED;
  config->trust = MAIL_AUTOCONFIG_TRUST_TRUSTED;
  config->origin = g_strconcat ("resource://", path, NULL);
  return g_steal_pointer (&config);
}

/**
 * mail_autoconfig_bundled_list_files:
 *
 * Returns: (transfer full): the file names of the bundled database
 */
char **
mail_autoconfig_bundled_list_files (void)
{
  return g_resource_enumerate_children (mail_autoconfig_db_get_resource (), RESOURCE_DIR,
                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/**
 * mail_autoconfig_bundled_get_n_domains:
 *
 * Returns: how many mail domains the bundled database covers
 */
guint
mail_autoconfig_bundled_get_n_domains (void)
{
  return g_hash_table_size (get_index ());
}
