/* mail-autoconfig-xml.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-autoconfig-config.h"

G_BEGIN_DECLS

/* Files larger than this are refused before parsing. */
#define MAIL_AUTOCONFIG_XML_MAX_SIZE (256 * 1024)

MailAutoconfigConfig *mail_autoconfig_xml_parse (const char  *data,
                                                 gsize        length,
                                                 GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
