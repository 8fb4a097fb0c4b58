/* mail-store-migrations.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-store"

#include "config.h"

#include "mail-store-migrations.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-store.h"
#include "mail-store-private.h"
#include "mail-store-resources.h"

/*
 * Migrations are the files migrations/NNNN-name.sql, compiled into a GResource. Their numbers
 * run 1, 2, 3, … without gaps. PRAGMA user_version holds the number of the last one applied.
 * Each runs in its own transaction together with the user_version update, so a crash leaves
 * the database at the previous version, never halfway. A database whose user_version is
 * higher than the newest migration we know was written by a newer app: it is refused before
 * anything is written to it.
 */

#define MIGRATIONS_PATH "/org/example/Mail/store/migrations"

static gboolean
parse_name (const char *name,
            guint      *out_number)
{
  guint number = 0;

  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isdigit (name[i]))
        return FALSE;
      number = number * 10 + (guint) (name[i] - '0');
    }

  if (name[4] != '-' || !g_str_has_suffix (name, ".sql") || number == 0)
    return FALSE;

  *out_number = number;

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The migration names, sorted; element i is migration number i + 1. */
static GPtrArray *
list_migrations (GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) children = NULL;

  children = g_resource_enumerate_children (mail_store_resources_get_resource (),
                                            MIGRATIONS_PATH, 0, error);
  if (children == NULL)
    return NULL;

  for (guint i = 0; children[i] != NULL; i++)
    {
      guint number;

      if (!parse_name (children[i], &number))
        continue;
      g_ptr_array_add (names, g_strdup (children[i]));
    }

  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      guint number = 0;

      parse_name (g_ptr_array_index (names, i), &number);
      if (number != i + 1)
        {
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_FAILED,
                       "Schema migrations are not numbered 1…n: %s",
                       (const char *) g_ptr_array_index (names, i));
          return NULL;
        }
    }

  return g_steal_pointer (&names);
}

static gboolean
read_user_version (sqlite3  *db,
                   guint    *out_version,
                   GError  **error)
{
  g_autoptr(MailOwnedStmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return mail_store_set_sqlite_error (db, rc, error);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return mail_store_set_sqlite_error (db, rc, error);

  *out_version = (guint) MAX (0, sqlite3_column_int (stmt, 0));

  return TRUE;
}

/**
 * mail_store_migrations_get_latest:
 *
 * Returns: the number of the newest migration compiled in
 */
guint
mail_store_migrations_get_latest (void)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;

  names = list_migrations (&error);
  if (names == NULL)
    {
      g_critical ("Cannot list schema migrations: %s", error->message);
      return 0;
    }

  return names->len;
}

static gboolean
refuse_too_new (guint    version,
                guint    latest,
                GError **error)
{
  g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_TOO_NEW,
               _("The mail store was written by a newer version of Mail (schema %u, this "
                 "version knows up to %u). Update Mail to open it; it was left untouched."),
               version, latest);
  return FALSE;
}

/**
 * mail_store_migrations_check:
 * @db: an open database
 * @out_version: (out): its schema version
 * @error: set to %MAIL_STORE_ERROR_TOO_NEW when it is newer than we know
 *
 * Reads the schema version without writing anything.
 */
gboolean
mail_store_migrations_check (sqlite3  *db,
                             guint    *out_version,
                             GError  **error)
{
  guint version = 0;
  guint latest = mail_store_migrations_get_latest ();

  if (!read_user_version (db, &version, error))
    return FALSE;

  *out_version = version;

  if (version > latest)
    return refuse_too_new (version, latest, error);

  return TRUE;
}

/**
 * mail_store_migrations_apply:
 * @db: an open database
 * @out_version: (out): the schema version afterwards
 * @error: return location for an error
 *
 * Applies every migration newer than the database's user_version, each in one transaction.
 */
gboolean
mail_store_migrations_apply (sqlite3  *db,
                             guint    *out_version,
                             GError  **error)
{
  g_autoptr(GPtrArray) names = NULL;
  guint version = 0;

  names = list_migrations (error);
  if (names == NULL)
    return FALSE;

  if (!mail_store_migrations_check (db, &version, error))
    return FALSE;

  while (version < names->len)
    {
      g_autoptr(GBytes) sql = NULL;
      g_autofree char *path = NULL;
      g_autofree char *pragma = NULL;
      g_autofree char *text = NULL;
      guint current = 0;

      path = g_strdup_printf (MIGRATIONS_PATH "/%s",
                              (const char *) g_ptr_array_index (names, version));
      sql = g_resource_lookup_data (mail_store_resources_get_resource (), path, 0, error);
      if (sql == NULL)
        return FALSE;
      text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));

      if (!mail_store_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another process may have migrated it while we waited for the write lock. */
      if (!read_user_version (db, &current, error))
        goto rollback;
      if (current != version)
        {
          mail_store_exec (db, "ROLLBACK", NULL);
          if (current > names->len)
            return refuse_too_new (current, names->len, error);
          version = current;
          continue;
        }

      g_debug ("Applying schema migration %s", path);
      pragma = g_strdup_printf ("PRAGMA user_version = %u", version + 1);
      if (!mail_store_exec (db, text, error) ||
          !mail_store_exec (db, pragma, error) ||
          !mail_store_exec (db, "COMMIT", error))
        goto rollback;

      version++;
      continue;

    rollback:
      mail_store_exec (db, "ROLLBACK", NULL);
      g_prefix_error (error, _("Cannot upgrade the mail store to schema %u: "), version + 1);
      return FALSE;
    }

  *out_version = version;

  return TRUE;
}
