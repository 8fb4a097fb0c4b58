/* mail-autoconfig-assessment.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-autoconfig-config.h"

G_BEGIN_DECLS

/**
 * MailAutoconfigSeverity:
 * @MAIL_AUTOCONFIG_SEVERITY_INFO: worth knowing, nothing is wrong
 * @MAIL_AUTOCONFIG_SEVERITY_WARNING: weaker than it should be
 * @MAIL_AUTOCONFIG_SEVERITY_DANGER: passwords or mail can be read or changed by others
 *
 * How serious a finding is.
 */
typedef enum
{
  MAIL_AUTOCONFIG_SEVERITY_INFO,
  MAIL_AUTOCONFIG_SEVERITY_WARNING,
  MAIL_AUTOCONFIG_SEVERITY_DANGER,
} MailAutoconfigSeverity;

/**
 * MailAutoconfigAssessFlags:
 * @MAIL_AUTOCONFIG_ASSESS_NONE: nothing known beyond the configuration
 * @MAIL_AUTOCONFIG_ASSESS_CERT_UNVERIFIED: a server's certificate could not be verified
 *
 * Facts about the servers that the configuration itself does not say.
 */
typedef enum
{
  MAIL_AUTOCONFIG_ASSESS_NONE            = 0,
  MAIL_AUTOCONFIG_ASSESS_CERT_UNVERIFIED = 1 << 0,
} MailAutoconfigAssessFlags;

/**
 * MailAutoconfigFinding:
 * @severity: how serious it is
 * @code: a stable identifier, e.g. "no-encryption"
 * @message: a translated explanation in plain language
 * @hostname: (nullable): the server concerned
 *
 * One result of a security assessment.
 */
typedef struct
{
  MailAutoconfigSeverity  severity;
  char                   *code;
  char                   *message;
  char                   *hostname;
} MailAutoconfigFinding;

void        mail_autoconfig_finding_free       (MailAutoconfigFinding      *finding);
const char *mail_autoconfig_severity_to_string (MailAutoconfigSeverity      severity);

GPtrArray  *mail_autoconfig_assess             (const MailAutoconfigConfig *config,
                                                MailAutoconfigAssessFlags   flags)
                                                G_GNUC_WARN_UNUSED_RESULT;
GPtrArray  *mail_autoconfig_assess_server      (const MailAutoconfigServer *server,
                                                const MailAutoconfigConfig *config,
                                                MailAutoconfigAssessFlags   flags)
                                                G_GNUC_WARN_UNUSED_RESULT;
gboolean    mail_autoconfig_findings_has_code  (GPtrArray                  *findings,
                                                const char                 *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigFinding, mail_autoconfig_finding_free)

G_END_DECLS
