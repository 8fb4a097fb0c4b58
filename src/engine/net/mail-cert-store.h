/* mail-cert-store.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-certificate-info.h"

G_BEGIN_DECLS

#define MAIL_TYPE_CERT_STORE (mail_cert_store_get_type ())

/**
 * MailCertStore:
 *
 * Certificate exceptions the person accepted, each pinned to (host, port, SHA-256 of the
 * exact certificate). Stored as a keyfile `certificate-pins.ini` in a directory given by
 * the caller (the account's data directory). A pin for one host/port never validates
 * another; a certificate that is expired, not yet valid, revoked or insecure can never be
 * pinned (see mail_certificate_flags_are_pinnable()).
 */
G_DECLARE_FINAL_TYPE (MailCertStore, mail_cert_store, MAIL, CERT_STORE, GObject)

MailCertStore *mail_cert_store_new        (const char          *directory)
               G_GNUC_WARN_UNUSED_RESULT;
const char    *mail_cert_store_get_directory (MailCertStore    *self);
gboolean       mail_cert_store_load       (MailCertStore       *self,
                                           GError             **error);
gboolean       mail_cert_store_is_pinned  (MailCertStore       *self,
                                           const char          *host,
                                           guint16              port,
                                           const char          *fingerprint);
char          *mail_cert_store_lookup     (MailCertStore       *self,
                                           const char          *host,
                                           guint16              port) G_GNUC_WARN_UNUSED_RESULT;
gboolean       mail_cert_store_pin        (MailCertStore       *self,
                                           MailCertificateInfo *info,
                                           GError             **error);
gboolean       mail_cert_store_unpin      (MailCertStore       *self,
                                           const char          *host,
                                           guint16              port,
                                           GError             **error);

G_END_DECLS
