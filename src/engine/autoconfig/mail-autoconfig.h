/* mail-autoconfig.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-autoconfig-assessment.h"
#include "mail-autoconfig-bundled.h"
#include "mail-autoconfig-config.h"
#include "mail-autoconfig-xml.h"

G_BEGIN_DECLS

#define MAIL_AUTOCONFIG_DEFAULT_DEADLINE_MS     15000
#define MAIL_AUTOCONFIG_DEFAULT_HTTP_TIMEOUT_MS 5000
#define MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL       "https://autoconfig.thunderbird.net/v1.1/"
/* Responses larger than this are abandoned while downloading. */
#define MAIL_AUTOCONFIG_MAX_RESPONSE_SIZE       MAIL_AUTOCONFIG_XML_MAX_SIZE

#define MAIL_TYPE_AUTOCONFIG (mail_autoconfig_get_type ())

G_DECLARE_FINAL_TYPE (MailAutoconfig, mail_autoconfig, MAIL, AUTOCONFIG, GObject)

MailAutoconfig       *mail_autoconfig_new                     (void) G_GNUC_WARN_UNUSED_RESULT;
GResolver            *mail_autoconfig_get_resolver            (MailAutoconfig       *self);
void                  mail_autoconfig_set_resolver            (MailAutoconfig       *self,
                                                               GResolver            *resolver);
GTlsDatabase         *mail_autoconfig_get_tls_database        (MailAutoconfig       *self);
void                  mail_autoconfig_set_tls_database        (MailAutoconfig       *self,
                                                               GTlsDatabase         *database);
gboolean              mail_autoconfig_get_offline             (MailAutoconfig       *self);
void                  mail_autoconfig_set_offline             (MailAutoconfig       *self,
                                                               gboolean              offline);
gboolean              mail_autoconfig_get_use_online_database (MailAutoconfig       *self);
void                  mail_autoconfig_set_use_online_database (MailAutoconfig       *self,
                                                               gboolean              use);
gboolean              mail_autoconfig_get_probe               (MailAutoconfig       *self);
void                  mail_autoconfig_set_probe               (MailAutoconfig       *self,
                                                               gboolean              probe);
guint                 mail_autoconfig_get_deadline            (MailAutoconfig       *self);
void                  mail_autoconfig_set_deadline            (MailAutoconfig       *self,
                                                               guint                 deadline_ms);
guint                 mail_autoconfig_get_http_timeout        (MailAutoconfig       *self);
void                  mail_autoconfig_set_http_timeout        (MailAutoconfig       *self,
                                                               guint                 timeout_ms);
const char           *mail_autoconfig_get_ispdb_url           (MailAutoconfig       *self);
void                  mail_autoconfig_set_ispdb_url           (MailAutoconfig       *self,
                                                               const char           *url);
const char           *mail_autoconfig_get_provider_url        (MailAutoconfig       *self);
void                  mail_autoconfig_set_provider_url        (MailAutoconfig       *self,
                                                               const char           *url);
void                  mail_autoconfig_set_probe_port          (MailAutoconfig       *self,
                                                               MailProtocol          protocol,
                                                               MailSecurity          security,
                                                               guint16               port);
void                  mail_autoconfig_lookup_async            (MailAutoconfig       *self,
                                                               const char           *address,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
MailAutoconfigConfig *mail_autoconfig_lookup_finish           (MailAutoconfig       *self,
                                                               GAsyncResult         *result,
                                                               GError              **error)
                                                               G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
