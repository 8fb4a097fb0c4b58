/* mail-pop3-capabilities.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MailPop3Extension:
 * @MAIL_POP3_EXTENSION_STLS: STLS (RFC 2595)
 * @MAIL_POP3_EXTENSION_USER: USER/PASS
 * @MAIL_POP3_EXTENSION_SASL: AUTH (RFC 5034)
 * @MAIL_POP3_EXTENSION_TOP: TOP
 * @MAIL_POP3_EXTENSION_UIDL: UIDL
 * @MAIL_POP3_EXTENSION_PIPELINING: PIPELINING
 * @MAIL_POP3_EXTENSION_RESP_CODES: RESP-CODES
 * @MAIL_POP3_EXTENSION_AUTH_RESP_CODE: AUTH-RESP-CODE (RFC 3206)
 * @MAIL_POP3_EXTENSION_UTF8: UTF8 (RFC 6856)
 *
 * The POP3 extensions the client knows about (RFC 2449 CAPA).
 */
typedef enum
{
  MAIL_POP3_EXTENSION_STLS           = 1 << 0,
  MAIL_POP3_EXTENSION_USER           = 1 << 1,
  MAIL_POP3_EXTENSION_SASL           = 1 << 2,
  MAIL_POP3_EXTENSION_TOP            = 1 << 3,
  MAIL_POP3_EXTENSION_UIDL           = 1 << 4,
  MAIL_POP3_EXTENSION_PIPELINING     = 1 << 5,
  MAIL_POP3_EXTENSION_RESP_CODES     = 1 << 6,
  MAIL_POP3_EXTENSION_AUTH_RESP_CODE = 1 << 7,
  MAIL_POP3_EXTENSION_UTF8           = 1 << 8,
} MailPop3Extension;

typedef struct _MailPop3Capabilities MailPop3Capabilities;

MailPop3Capabilities *mail_pop3_capabilities_parse          (const char * const         *lines)
                                                            G_GNUC_WARN_UNUSED_RESULT;
void                  mail_pop3_capabilities_free           (MailPop3Capabilities       *caps);
gboolean              mail_pop3_capabilities_has            (const MailPop3Capabilities *caps,
                                                             MailPop3Extension           extension);
const char * const   *mail_pop3_capabilities_get_mechanisms (const MailPop3Capabilities *caps);
gboolean              mail_pop3_capabilities_has_mechanism  (const MailPop3Capabilities *caps,
                                                             const char                 *mechanism);
const char * const   *mail_pop3_capabilities_get_keywords   (const MailPop3Capabilities *caps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailPop3Capabilities, mail_pop3_capabilities_free)

G_END_DECLS
