/* mail-engine-types.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MailProtocol:
 * @MAIL_PROTOCOL_IMAP: IMAP4rev1, incoming
 * @MAIL_PROTOCOL_POP3: POP3, incoming
 * @MAIL_PROTOCOL_SMTP: SMTP submission, outgoing
 *
 * The mail protocols the engine speaks.
 */
typedef enum
{
  MAIL_PROTOCOL_IMAP,
  MAIL_PROTOCOL_POP3,
  MAIL_PROTOCOL_SMTP,
} MailProtocol;

/**
 * MailSecurity:
 * @MAIL_SECURITY_TLS: implicit TLS from the first byte (993, 995, 465)
 * @MAIL_SECURITY_STARTTLS: plaintext greeting, then a mandatory upgrade to TLS
 * @MAIL_SECURITY_NONE: no encryption at all; only with the person's explicit consent
 *
 * How a connection is protected. There is deliberately no "STARTTLS if available".
 */
typedef enum
{
  MAIL_SECURITY_TLS,
  MAIL_SECURITY_STARTTLS,
  MAIL_SECURITY_NONE,
} MailSecurity;

const char *mail_protocol_to_string   (MailProtocol  protocol);
gboolean    mail_protocol_from_string (const char   *str,
                                       MailProtocol *protocol);
const char *mail_security_to_string   (MailSecurity  security);
gboolean    mail_security_from_string (const char   *str,
                                       MailSecurity *security);
guint16     mail_protocol_default_port (MailProtocol protocol,
                                        MailSecurity security);

G_END_DECLS
