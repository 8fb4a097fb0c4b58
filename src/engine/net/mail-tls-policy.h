/* mail-tls-policy.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-cert-store.h"
#include "mail-certificate-info.h"

G_BEGIN_DECLS

#define MAIL_TYPE_TLS_POLICY (mail_tls_policy_get_type ())

/**
 * MailTlsPolicy:
 *
 * How one account verifies server certificates: the system trust store by default, or the
 * CAs of a PEM file given for the account (then only those); plus the account's pinned
 * exceptions (#MailCertStore). System verification is never switched off.
 */
G_DECLARE_FINAL_TYPE (MailTlsPolicy, mail_tls_policy, MAIL, TLS_POLICY, GObject)

MailTlsPolicy *mail_tls_policy_new            (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean       mail_tls_policy_set_ca_file    (MailTlsPolicy        *self,
                                               const char           *ca_file,
                                               GError              **error);
const char    *mail_tls_policy_get_ca_file    (MailTlsPolicy        *self);
void           mail_tls_policy_set_cert_store (MailTlsPolicy        *self,
                                               MailCertStore        *store);
MailCertStore *mail_tls_policy_get_cert_store (MailTlsPolicy        *self);
GTlsDatabase  *mail_tls_policy_get_database   (MailTlsPolicy        *self);
gboolean       mail_tls_policy_accept         (MailTlsPolicy        *self,
                                               const char           *host,
                                               guint16               port,
                                               GTlsCertificate      *certificate,
                                               GTlsCertificateFlags  errors);

G_END_DECLS
