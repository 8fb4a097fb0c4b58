/* mail-mime-error.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAIL_MIME_ERROR (mail_mime_error_quark ())

/**
 * MailMimeError:
 * @MAIL_MIME_ERROR_INVALID_ADDRESS: an address (or list of addresses) could not be understood
 * @MAIL_MIME_ERROR_NO_SENDER: a message was built without a From address
 * @MAIL_MIME_ERROR_NO_RECIPIENTS: a message to send has no recipient at all
 * @MAIL_MIME_ERROR_PARSE: the data is not a message
 * @MAIL_MIME_ERROR_ATTACHMENT: an attachment could not be read
 * @MAIL_MIME_ERROR_WRITE: the message could not be written out
 *
 * Error codes in the %MAIL_MIME_ERROR domain. Messages are meant for people.
 */
typedef enum
{
  MAIL_MIME_ERROR_INVALID_ADDRESS,
  MAIL_MIME_ERROR_NO_SENDER,
  MAIL_MIME_ERROR_NO_RECIPIENTS,
  MAIL_MIME_ERROR_PARSE,
  MAIL_MIME_ERROR_ATTACHMENT,
  MAIL_MIME_ERROR_WRITE,
} MailMimeError;

GQuark mail_mime_error_quark (void) G_GNUC_CONST;

G_END_DECLS
