/* mail-autoconfig-probe.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-autoconfig-config.h"

G_BEGIN_DECLS

/* Ports probed for each protocol, indexed by MailProtocol: [0] implicit TLS, [1] STARTTLS. */
typedef guint16 MailAutoconfigProbePorts[3][2];

void                  mail_autoconfig_probe_async  (const char                     *domain,
                                                    GResolver                      *resolver,
                                                    GTlsDatabase                   *database,
                                                    const MailAutoconfigProbePorts  ports,
                                                    guint                           timeout_ms,
                                                    GCancellable                   *cancellable,
                                                    GAsyncReadyCallback             callback,
                                                    gpointer                        user_data);
MailAutoconfigConfig *mail_autoconfig_probe_finish (GAsyncResult                   *result,
                                                    GError                        **error)
                                                    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
