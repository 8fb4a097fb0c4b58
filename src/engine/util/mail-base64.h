/* mail-base64.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *mail_base64_decode_strict (const char *text,
                                   gsize       len) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
