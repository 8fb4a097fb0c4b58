/* mail-server-check.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-certificate-info.h"
#include "mail-server-config.h"

G_BEGIN_DECLS

/**
 * MailServerCheckProblem:
 * @MAIL_SERVER_CHECK_PROBLEM_CONNECTION: the server could not be reached or hung up
 * @MAIL_SERVER_CHECK_PROBLEM_TLS: the encrypted connection could not be set up
 * @MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE: the server's certificate could not be verified
 *   (the error carries a #MailCertificateInfo, see mail_net_error_get_certificate_info())
 * @MAIL_SERVER_CHECK_PROBLEM_STARTTLS: STARTTLS was required but missing or tampered with
 * @MAIL_SERVER_CHECK_PROBLEM_AUTH: the user name or password was refused
 * @MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED: the provider wants an app password
 * @MAIL_SERVER_CHECK_PROBLEM_AUTH_REQUIRED: the server wants a login the settings do not give
 * @MAIL_SERVER_CHECK_PROBLEM_PROTOCOL: the server broke the protocol
 * @MAIL_SERVER_CHECK_PROBLEM_INSECURE: refused because the password would travel unencrypted
 * @MAIL_SERVER_CHECK_PROBLEM_CANCELLED: the check was cancelled
 * @MAIL_SERVER_CHECK_PROBLEM_OTHER: anything else
 *
 * What went wrong with a server check, in the terms a person can act on.
 */
typedef enum
{
  MAIL_SERVER_CHECK_PROBLEM_CONNECTION,
  MAIL_SERVER_CHECK_PROBLEM_TLS,
  MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE,
  MAIL_SERVER_CHECK_PROBLEM_STARTTLS,
  MAIL_SERVER_CHECK_PROBLEM_AUTH,
  MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED,
  MAIL_SERVER_CHECK_PROBLEM_AUTH_REQUIRED,
  MAIL_SERVER_CHECK_PROBLEM_PROTOCOL,
  MAIL_SERVER_CHECK_PROBLEM_INSECURE,
  MAIL_SERVER_CHECK_PROBLEM_CANCELLED,
  MAIL_SERVER_CHECK_PROBLEM_OTHER,
} MailServerCheckProblem;

/**
 * MailServerCheckResult:
 * @protocol: the protocol checked
 * @host: the host name connected to
 * @port: the port connected to
 * @security: the connection security used
 * @capabilities: (array zero-terminated=1): the capabilities the server announced after TLS
 * @mechanism: (nullable): the login mechanism used, %NULL when no login was needed
 * @certificate: (nullable): the server's certificate, %NULL without encryption
 * @encrypted: whether the session was encrypted
 *
 * What a successful check learnt.
 */
typedef struct
{
  MailProtocol          protocol;
  char                 *host;
  guint16               port;
  MailSecurity          security;
  char                **capabilities;
  char                 *mechanism;
  MailCertificateInfo  *certificate;
  gboolean              encrypted;
} MailServerCheckResult;

void                   mail_server_check_async          (const MailServerConfig  *config,
                                                         const char              *password,
                                                         const char              *pin_dir,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
MailServerCheckResult *mail_server_check_finish         (GAsyncResult            *result,
                                                         GError                 **error)
  G_GNUC_WARN_UNUSED_RESULT;
void                   mail_server_check_result_free    (MailServerCheckResult   *result);
MailServerCheckProblem mail_server_check_classify_error (const GError            *error);
char                  *mail_server_check_describe_error (const GError            *error,
                                                         const MailServerConfig  *config,
                                                         char                   **fix)
  G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailServerCheckResult, mail_server_check_result_free)

G_END_DECLS
