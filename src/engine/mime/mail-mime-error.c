/* mail-mime-error.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-mime-error.h"

G_DEFINE_QUARK (mail-mime-error-quark, mail_mime_error)
