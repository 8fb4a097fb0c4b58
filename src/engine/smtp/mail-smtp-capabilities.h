/* mail-smtp-capabilities.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-smtp-reply.h"

G_BEGIN_DECLS

/**
 * MailSmtpExtension:
 * @MAIL_SMTP_EXTENSION_STARTTLS: STARTTLS (RFC 3207)
 * @MAIL_SMTP_EXTENSION_AUTH: AUTH (RFC 4954)
 * @MAIL_SMTP_EXTENSION_SIZE: SIZE (RFC 1870)
 * @MAIL_SMTP_EXTENSION_8BITMIME: 8BITMIME (RFC 6152)
 * @MAIL_SMTP_EXTENSION_SMTPUTF8: SMTPUTF8 (RFC 6531)
 * @MAIL_SMTP_EXTENSION_PIPELINING: PIPELINING (RFC 2920)
 * @MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES: ENHANCEDSTATUSCODES (RFC 2034)
 * @MAIL_SMTP_EXTENSION_DSN: DSN (RFC 3461)
 * @MAIL_SMTP_EXTENSION_CHUNKING: CHUNKING (RFC 3030)
 *
 * The ESMTP extensions the client knows about.
 */
typedef enum
{
  MAIL_SMTP_EXTENSION_STARTTLS            = 1 << 0,
  MAIL_SMTP_EXTENSION_AUTH                = 1 << 1,
  MAIL_SMTP_EXTENSION_SIZE                = 1 << 2,
  MAIL_SMTP_EXTENSION_8BITMIME            = 1 << 3,
  MAIL_SMTP_EXTENSION_SMTPUTF8            = 1 << 4,
  MAIL_SMTP_EXTENSION_PIPELINING          = 1 << 5,
  MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES = 1 << 6,
  MAIL_SMTP_EXTENSION_DSN                 = 1 << 7,
  MAIL_SMTP_EXTENSION_CHUNKING            = 1 << 8,
} MailSmtpExtension;

typedef struct _MailSmtpCapabilities MailSmtpCapabilities;

MailSmtpCapabilities *mail_smtp_capabilities_parse          (const MailSmtpReply        *ehlo,
                                                             GError                    **error)
                                                            G_GNUC_WARN_UNUSED_RESULT;
void                  mail_smtp_capabilities_free           (MailSmtpCapabilities       *caps);
gboolean              mail_smtp_capabilities_has            (const MailSmtpCapabilities *caps,
                                                             MailSmtpExtension           ext);
guint64               mail_smtp_capabilities_get_size_limit (const MailSmtpCapabilities *caps);
const char * const   *mail_smtp_capabilities_get_mechanisms (const MailSmtpCapabilities *caps);
gboolean              mail_smtp_capabilities_has_mechanism  (const MailSmtpCapabilities *caps,
                                                             const char                 *mech);
const char * const   *mail_smtp_capabilities_get_keywords   (const MailSmtpCapabilities *caps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSmtpCapabilities, mail_smtp_capabilities_free)

G_END_DECLS
