/* mail-certificate-info.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MAIL_TYPE_CERTIFICATE_INFO (mail_certificate_info_get_type ())

/**
 * MailCertificateInfo:
 *
 * What a person needs to decide about a server certificate: who it names (subject, SANs),
 * who issued it, when it is valid, its SHA-256 fingerprint and what verification found
 * wrong with it, in plain words. Immutable once created.
 */
G_DECLARE_FINAL_TYPE (MailCertificateInfo, mail_certificate_info, MAIL, CERTIFICATE_INFO, GObject)

MailCertificateInfo  *mail_certificate_info_new                 (GTlsCertificate      *certificate,
                                                                 const char           *host,
                                                                 guint16               port,
                                                                 GTlsCertificateFlags  errors)
    G_GNUC_WARN_UNUSED_RESULT;
GTlsCertificate      *mail_certificate_info_get_certificate     (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_host            (MailCertificateInfo  *self);
guint16               mail_certificate_info_get_port            (MailCertificateInfo  *self);
GTlsCertificateFlags  mail_certificate_info_get_errors          (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_subject         (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_issuer          (MailCertificateInfo  *self);
const char * const   *mail_certificate_info_get_dns_names       (MailCertificateInfo  *self);
const char * const   *mail_certificate_info_get_ip_addresses    (MailCertificateInfo  *self);
GDateTime            *mail_certificate_info_get_not_valid_before (MailCertificateInfo *self);
GDateTime            *mail_certificate_info_get_not_valid_after (MailCertificateInfo  *self);
const char           *mail_certificate_info_get_fingerprint     (MailCertificateInfo  *self);
char                 *mail_certificate_info_describe_errors     (MailCertificateInfo  *self)
                      G_GNUC_WARN_UNUSED_RESULT;
gboolean              mail_certificate_info_is_pinnable         (MailCertificateInfo  *self);

char                 *mail_certificate_fingerprint_sha256       (GTlsCertificate      *certificate)
                      G_GNUC_WARN_UNUSED_RESULT;
char                **mail_certificate_flags_to_strv            (GTlsCertificateFlags  flags)
                      G_GNUC_WARN_UNUSED_RESULT;
gboolean              mail_certificate_flags_are_pinnable       (GTlsCertificateFlags  flags);

G_END_DECLS
