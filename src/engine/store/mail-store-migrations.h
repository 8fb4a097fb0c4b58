/* mail-store-migrations.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include <glib.h>

G_BEGIN_DECLS

guint    mail_store_migrations_get_latest (void);
gboolean mail_store_migrations_check      (sqlite3  *db,
                                           guint    *out_version,
                                           GError  **error);
gboolean mail_store_migrations_apply      (sqlite3  *db,
                                           guint    *out_version,
                                           GError  **error);

G_END_DECLS
