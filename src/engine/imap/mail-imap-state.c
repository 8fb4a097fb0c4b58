/* mail-imap-state.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-state.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-error.h"

/*
 * Which responses may arrive when (SECURITY.md §1d: Balsa's 2021 rule set as the minimum).
 * Before authentication only status responses, CAPABILITY and ID are acceptable: mailbox data
 * then is an attacker injecting state before STARTTLS, or a broken server, and either way the
 * connection must go. Mailbox data needs a selected mailbox, and message numbers must exist.
 */

/* Allowed in every state but LOGOUT. */
static const char *const any_state[] = {
  "OK", "NO", "BAD", "BYE", "CAPABILITY", "ID",
};

/* Only with a selected mailbox. */
static const char *const selected_only[] = {
  "EXISTS", "RECENT", "EXPUNGE", "FETCH", "FLAGS", "SEARCH", "VANISHED", "SORT", "THREAD",
};

/* Must carry a message number, and only these may. */
static const char *const numbered[] = {
  "EXISTS", "RECENT", "EXPUNGE", "FETCH",
};

static gboolean
in_list (const char        *name,
         const char *const *list,
         gsize              n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (strcmp (name, list[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_imap_state_to_string:
 * @state: a #MailImapState
 *
 * Returns: a name for logs
 */
const char *
mail_imap_state_to_string (MailImapState state)
{
  switch (state)
    {
    case MAIL_IMAP_STATE_NOT_AUTHENTICATED:
      return "not-authenticated";
    case MAIL_IMAP_STATE_AUTHENTICATED:
      return "authenticated";
    case MAIL_IMAP_STATE_SELECTED:
      return "selected";
    case MAIL_IMAP_STATE_LOGOUT:
      return "logout";
    default:
      return "invalid";
    }
}

/**
 * mail_imap_validate_greeting:
 * @response: the first response of a connection
 * @error: return location for a %MAIL_IMAP_ERROR_STATE error
 *
 * The greeting must be an untagged OK, PREAUTH or BYE. (Whether PREAUTH is acceptable under
 * the account's TLS policy is the connection's decision.)
 *
 * Returns: %TRUE if @response is a valid greeting
 */
gboolean
mail_imap_validate_greeting (MailImapResponse  *response,
                             GError           **error)
{
  MailImapStatus status;

  g_return_val_if_fail (response != NULL, FALSE);

  status = mail_imap_response_get_status (response);
  if (mail_imap_response_get_kind (response) != MAIL_IMAP_RESPONSE_UNTAGGED ||
      (status != MAIL_IMAP_STATUS_OK && status != MAIL_IMAP_STATUS_PREAUTH &&
       status != MAIL_IMAP_STATUS_BYE))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                   _("The IMAP server did not start with a valid greeting"));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_imap_validate_untagged:
 * @state: the connection state
 * @exists: the current EXISTS count of the selected mailbox (ignored in other states)
 * @response: an untagged response received after the greeting
 * @error: return location for a %MAIL_IMAP_ERROR_STATE error
 *
 * Checks that @response may arrive in @state: mailbox data (EXISTS, EXPUNGE, FETCH, LIST,
 * STATUS, SEARCH, FLAGS, ...) before authentication, message data without a selected
 * mailbox, PREAUTH after the greeting, EXPUNGE or FETCH of a message number above @exists
 * (or 0), and numbers on responses that take none are all errors. Unknown responses are
 * allowed once authenticated (extensions), never before.
 *
 * Returns: %TRUE if @response is acceptable
 */
gboolean
mail_imap_validate_untagged (MailImapState      state,
                             guint32            exists,
                             MailImapResponse  *response,
                             GError           **error)
{
  const char *name;
  gboolean is_numbered;

  g_return_val_if_fail (response != NULL, FALSE);

  if (mail_imap_response_get_kind (response) != MAIL_IMAP_RESPONSE_UNTAGGED)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                   _("The IMAP server sent an unexpected response"));
      return FALSE;
    }

  name = mail_imap_response_get_name (response);
  is_numbered = in_list (name, numbered, G_N_ELEMENTS (numbered));

  if (mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_PREAUTH)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                   _("The IMAP server sent PREAUTH after its greeting"));
      return FALSE;
    }

  if (is_numbered != mail_imap_response_has_number (response))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                   _("The IMAP server sent a response with a missing or unexpected number"));
      return FALSE;
    }

  if (state == MAIL_IMAP_STATE_LOGOUT)
    {
      if (mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_NONE)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                       _("The IMAP server sent data after logging out"));
          return FALSE;
        }
      return TRUE;
    }

  if (in_list (name, any_state, G_N_ELEMENTS (any_state)))
    return TRUE;

  if (state == MAIL_IMAP_STATE_NOT_AUTHENTICATED)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                   _("The IMAP server sent mailbox data before authentication"));
      return FALSE;
    }

  if (in_list (name, selected_only, G_N_ELEMENTS (selected_only)))
    {
      guint32 number = mail_imap_response_get_number (response);

      if (state != MAIL_IMAP_STATE_SELECTED)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                       _("The IMAP server sent message data without a selected mailbox"));
          return FALSE;
        }

      if ((strcmp (name, "EXPUNGE") == 0 || strcmp (name, "FETCH") == 0) &&
          (number == 0 || number > exists))
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE,
                       _("The IMAP server referred to a message number that does not exist"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * mail_imap_validate_tagged:
 * @response: a tagged response
 * @pending_tags: (element-type utf8 gpointer): the tags of commands sent and not yet completed
 * @error: return location for a %MAIL_IMAP_ERROR_UNKNOWN_TAG error
 *
 * Returns: %TRUE if @response completes a command that is waiting for completion
 */
gboolean
mail_imap_validate_tagged (MailImapResponse  *response,
                           GHashTable        *pending_tags,
                           GError           **error)
{
  const char *tag;

  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (pending_tags != NULL, FALSE);

  tag = mail_imap_response_get_tag (response);
  if (mail_imap_response_get_kind (response) != MAIL_IMAP_RESPONSE_TAGGED || tag == NULL ||
      !g_hash_table_contains (pending_tags, tag))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNKNOWN_TAG,
                   _("The IMAP server completed a command that was never sent"));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_imap_validate_continuation:
 * @response: a continuation request
 * @expected: whether a command is waiting for one (literal, AUTHENTICATE, IDLE, ...)
 * @error: return location for a %MAIL_IMAP_ERROR_UNEXPECTED_CONTINUATION error
 *
 * Returns: %TRUE if the continuation request was asked for
 */
gboolean
mail_imap_validate_continuation (MailImapResponse  *response,
                                 gboolean           expected,
                                 GError           **error)
{
  g_return_val_if_fail (response != NULL, FALSE);

  if (mail_imap_response_get_kind (response) != MAIL_IMAP_RESPONSE_CONTINUATION || !expected)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNEXPECTED_CONTINUATION,
                   _("The IMAP server sent a continuation request nobody asked for"));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_imap_validate_response:
 * @state: the connection state
 * @exists: the EXISTS count of the selected mailbox
 * @pending_tags: (element-type utf8 gpointer): tags of commands awaiting completion
 * @continuation_expected: whether a continuation request may come now
 * @response: any response after the greeting
 * @error: return location for an error
 *
 * Runs the check that fits the kind of @response.
 *
 * Returns: %TRUE if @response is acceptable now
 */
gboolean
mail_imap_validate_response (MailImapState      state,
                             guint32            exists,
                             GHashTable        *pending_tags,
                             gboolean           continuation_expected,
                             MailImapResponse  *response,
                             GError           **error)
{
  g_return_val_if_fail (response != NULL, FALSE);

  switch (mail_imap_response_get_kind (response))
    {
    case MAIL_IMAP_RESPONSE_UNTAGGED:
      return mail_imap_validate_untagged (state, exists, response, error);
    case MAIL_IMAP_RESPONSE_TAGGED:
      return mail_imap_validate_tagged (response, pending_tags, error);
    case MAIL_IMAP_RESPONSE_CONTINUATION:
      return mail_imap_validate_continuation (response, continuation_expected, error);
    default:
      g_assert_not_reached ();
    }

  return FALSE;
}
