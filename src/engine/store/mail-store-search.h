/* mail-store-search.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-store-query.h"

G_BEGIN_DECLS

char *mail_store_search_parse (const char      *text,
                               MailStoreFilter *out_filter) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
