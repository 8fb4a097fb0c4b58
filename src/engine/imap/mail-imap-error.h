/* mail-imap-error.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_IMAP_ERROR:
 *
 * Error domain of the IMAP protocol code: parsing, limits, state checks and name codecs.
 */
#define MAIL_IMAP_ERROR (mail_imap_error_quark ())

/**
 * MailImapError:
 * @MAIL_IMAP_ERROR_PARSE: the server sent bytes that are not valid IMAP
 * @MAIL_IMAP_ERROR_LIMIT: a line, literal, list nesting or response exceeded a configured cap
 * @MAIL_IMAP_ERROR_TRUNCATED: the connection ended in the middle of a response
 * @MAIL_IMAP_ERROR_STATE: a response that is not allowed in the current connection state
 * @MAIL_IMAP_ERROR_UNKNOWN_TAG: a tagged completion for a command that was never sent
 * @MAIL_IMAP_ERROR_UNEXPECTED_CONTINUATION: a continuation request nobody asked for
 * @MAIL_IMAP_ERROR_MAILBOX_NAME: a mailbox name that is not valid modified UTF-7 / UTF-8
 * @MAIL_IMAP_ERROR_SEQUENCE_SET: a malformed sequence set or number
 *
 * Error codes of %MAIL_IMAP_ERROR. Every one of them means the server (or whoever sits
 * between us and it) is not speaking IMAP as it should: the connection should be dropped.
 */
typedef enum
{
  MAIL_IMAP_ERROR_PARSE,
  MAIL_IMAP_ERROR_LIMIT,
  MAIL_IMAP_ERROR_TRUNCATED,
  MAIL_IMAP_ERROR_STATE,
  MAIL_IMAP_ERROR_UNKNOWN_TAG,
  MAIL_IMAP_ERROR_UNEXPECTED_CONTINUATION,
  MAIL_IMAP_ERROR_MAILBOX_NAME,
  MAIL_IMAP_ERROR_SEQUENCE_SET,
} MailImapError;

GQuark mail_imap_error_quark (void);

G_END_DECLS
