/* mail-cert-dialog.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-certificate-info.h"

G_BEGIN_DECLS

#define MAIL_TYPE_CERT_DIALOG (mail_cert_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MailCertDialog, mail_cert_dialog, MAIL, CERT_DIALOG, AdwMessageDialog)

MailCertDialog      *mail_cert_dialog_new      (GtkWindow           *parent,
                                                MailCertificateInfo *info)
  G_GNUC_WARN_UNUSED_RESULT;
MailCertificateInfo *mail_cert_dialog_get_info (MailCertDialog      *self);

G_END_DECLS
