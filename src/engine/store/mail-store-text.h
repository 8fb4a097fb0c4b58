/* mail-store-text.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *mail_store_text_from_html (const char  *html,
                                     gssize       length) G_GNUC_WARN_UNUSED_RESULT;
char     *mail_store_text_preview   (const char  *text,
                                     guint        max_chars) G_GNUC_WARN_UNUSED_RESULT;
gboolean  mail_store_text_extract   (GBytes      *raw,
                                     char       **out_text,
                                     char       **out_preview,
                                     gboolean    *out_has_attachment);

G_END_DECLS
