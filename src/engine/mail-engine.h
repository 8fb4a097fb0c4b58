/* mail-engine.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-engine-types.h"

G_BEGIN_DECLS

void        mail_engine_init          (void);
const char *mail_engine_get_version   (void);
const char *mail_engine_get_localedir (void);

G_END_DECLS
