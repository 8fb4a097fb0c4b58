/* mail-redact.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mail_redact_escape     (const char *data,
                              gsize       len,
                              gsize       max_bytes) G_GNUC_WARN_UNUSED_RESULT;
void  mail_wipe              (gpointer    data,
                              gsize       len);
void  mail_wipe_string_free  (char       *str);
void  mail_wipe_bytes_free   (GByteArray *array);

G_END_DECLS
