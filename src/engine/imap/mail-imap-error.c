/* mail-imap-error.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-error.h"

G_DEFINE_QUARK (mail-imap-error-quark, mail_imap_error)
