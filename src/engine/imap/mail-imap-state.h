/* mail-imap-state.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-imap-response.h"

G_BEGIN_DECLS

/**
 * MailImapState:
 * @MAIL_IMAP_STATE_NOT_AUTHENTICATED: after the greeting, before LOGIN/AUTHENTICATE succeeded
 * @MAIL_IMAP_STATE_AUTHENTICATED: logged in, no mailbox selected
 * @MAIL_IMAP_STATE_SELECTED: a mailbox is selected, or a SELECT/EXAMINE is in progress
 * @MAIL_IMAP_STATE_LOGOUT: LOGOUT was sent
 *
 * The connection states of RFC 3501 §3, as the command engine tracks them.
 */
typedef enum
{
  MAIL_IMAP_STATE_NOT_AUTHENTICATED,
  MAIL_IMAP_STATE_AUTHENTICATED,
  MAIL_IMAP_STATE_SELECTED,
  MAIL_IMAP_STATE_LOGOUT,
} MailImapState;

const char *mail_imap_state_to_string        (MailImapState      state);
gboolean    mail_imap_validate_greeting      (MailImapResponse  *response,
                                              GError           **error);
gboolean    mail_imap_validate_untagged      (MailImapState      state,
                                              guint32            exists,
                                              MailImapResponse  *response,
                                              GError           **error);
gboolean    mail_imap_validate_tagged        (MailImapResponse  *response,
                                              GHashTable        *pending_tags,
                                              GError           **error);
gboolean    mail_imap_validate_continuation  (MailImapResponse  *response,
                                              gboolean           expected,
                                              GError           **error);
gboolean    mail_imap_validate_response      (MailImapState      state,
                                              guint32            exists,
                                              GHashTable        *pending_tags,
                                              gboolean           continuation_expected,
                                              MailImapResponse  *response,
                                              GError           **error);

G_END_DECLS
