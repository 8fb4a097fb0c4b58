/* mail-imap-client-message.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-client-private.h"

/* Message commands: UID FETCH (each message handed to a callback as it arrives, body
 * literals streamed to a sink), UID STORE, UID COPY / UID MOVE (with the COPY + STORE +
 * UID EXPUNGE fallback) and APPEND (the message streamed from a GInputStream). */

static gboolean
check_uid_set (const char  *uid_set,
               GError     **error)
{
  g_autoptr(MailImapSequenceSet) set = NULL;

  set = mail_imap_sequence_set_parse (uid_set, -1, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, error);
  return set != NULL;
}

/* Flags and keywords are atoms, optionally with a leading backslash (RFC 3501 §9). */
static gboolean
check_flags (const char * const  *flags,
             GError             **error)
{
  for (guint i = 0; flags != NULL && flags[i] != NULL; i++)
    {
      const char *p = flags[i];

      if (*p == '\\')
        p++;
      if (*p == '\0')
        goto invalid;
      for (; *p != '\0'; p++)
        {
          if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || strchr ("(){%*\"\\]", *p) != NULL)
            goto invalid;
        }
    }

  return TRUE;

invalid:
  g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID,
                       _("A message flag contains characters that cannot be sent"));
  return FALSE;
}

static char *
join_flags (const char * const *flags)
{
  g_autofree char *joined = NULL;

  if (flags == NULL)
    return g_strdup ("()");

  joined = g_strjoinv (" ", (char **) flags);
  return g_strdup_printf ("(%s)", joined);
}

/* ------------------------------------------------------------------------------------ */
/* UID FETCH */

typedef struct
{
  MailImapFetchFunc    func;
  gpointer             func_data;
  MailImapSequenceSet *uids;      /* what was asked for, to tell pipelined FETCHes apart */
  guint                count;
  MailImapSequenceSet *vanished;
  GError              *error;
} FetchData;

static void
fetch_data_free (gpointer data)
{
  FetchData *fd = data;

  g_clear_pointer (&fd->vanished, mail_imap_sequence_set_free);
  g_clear_pointer (&fd->uids, mail_imap_sequence_set_free);
  g_clear_error (&fd->error);
  g_free (fd);
}

static gboolean
fetch_untagged (MailImapClient   *self,
                MailImapResponse *response,
                gpointer          data)
{
  FetchData *fd = data;
  g_autoptr(MailImapFetch) fetch = NULL;
  GError *error = NULL;

  if (mail_imap_response_is_name (response, "VANISHED"))
    {
      gboolean earlier = FALSE;
      MailImapSequenceSet *set = mail_imap_decode_vanished (response, &earlier, &error);

      if (set == NULL)
        {
          if (fd->error == NULL)
            fd->error = error;
          else
            g_error_free (error);
          return TRUE;
        }
      if (!earlier)
        {
          mail_imap_sequence_set_free (set);
          return FALSE;
        }
      g_clear_pointer (&fd->vanished, mail_imap_sequence_set_free);
      fd->vanished = set;
      return TRUE;
    }

  if (!mail_imap_response_is_name (response, "FETCH"))
    return FALSE;

  fetch = mail_imap_decode_fetch (response, &error);
  if (fetch == NULL)
    {
      if (fd->error == NULL)
        fd->error = error;
      else
        g_error_free (error);
      return TRUE;
    }

  /* Our FETCH always asks for UID; a FETCH without one is someone else's flag change, and
   * one outside our set belongs to another FETCH in the pipeline (or is unsolicited). A set
   * with `*` takes any UID: `n:*` may legitimately answer with a UID below n. */
  if ((fetch->fields & MAIL_IMAP_FETCH_UID) == 0 ||
      (!mail_imap_sequence_set_has_star (fd->uids) &&
       !mail_imap_sequence_set_contains (fd->uids, fetch->uid)))
    return FALSE;

  fd->count++;
  if (fd->func != NULL)
    fd->func (self, fetch, fd->func_data);
  return TRUE;
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  FetchData *fd = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (fd->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&fd->error));
      return;
    }

  if (!mail_imap_client_check_ok (self, response, "FETCH", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, fd->count);
}

/**
 * mail_imap_client_fetch_async:
 * @self: a #MailImapClient with a mailbox selected
 * @uid_set: the UIDs, e.g. `1:*` or `4,7:9`
 * @options: what to fetch
 * @func: (nullable) (scope call): called for each message as it arrives
 * @func_data: data for @func
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches with UID FETCH. Results are delivered one message at a time through @func and
 * never collected. Body sections go to @options->sink chunk by chunk (the #MailImapFetch
 * holds only their sizes), so a large message is never held in memory. MODSEQ and
 * CHANGEDSINCE need CONDSTORE, VANISHED needs QRESYNC enabled.
 */
void
mail_imap_client_fetch_async (MailImapClient             *self,
                              const char                 *uid_set,
                              const MailImapFetchOptions *options,
                              MailImapFetchFunc           func,
                              gpointer                    func_data,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  static const struct { MailImapFetchFields field; const char *name; } names[] = {
    { MAIL_IMAP_FETCH_FLAGS, "FLAGS" },
    { MAIL_IMAP_FETCH_INTERNALDATE, "INTERNALDATE" },
    { MAIL_IMAP_FETCH_RFC822_SIZE, "RFC822.SIZE" },
    { MAIL_IMAP_FETCH_ENVELOPE, "ENVELOPE" },
    { MAIL_IMAP_FETCH_BODYSTRUCTURE, "BODYSTRUCTURE" },
    { MAIL_IMAP_FETCH_MODSEQ, "MODSEQ" },
  };
  g_autoptr(GTask) task = NULL;
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) items = g_string_new ("(UID");
  gboolean condstore = mail_imap_client_has_capability (self, "CONDSTORE");
  const char * const *enabled;
  FetchData *fd;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (uid_set != NULL);
  g_return_if_fail (options != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_fetch_async);

  if (!mail_imap_client_check_ready (self, MAIL_IMAP_STATE_SELECTED, &error) ||
      !check_uid_set (uid_set, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  enabled = mail_imap_client_get_enabled (self);
  if ((options->changed_since > 0 && !condstore) ||
      (options->vanished &&
       (enabled == NULL || !g_strv_contains (enabled, "QRESYNC") || options->changed_since == 0)))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                               _("The server does not support fetching only changes"));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if ((options->fields & names[i].field) == 0)
        continue;
      if (names[i].field == MAIL_IMAP_FETCH_MODSEQ && !condstore)
        continue;
      g_string_append_printf (items, " %s", names[i].name);
    }

  for (guint i = 0; options->sections != NULL && options->sections[i] != NULL; i++)
    {
      const char *section = options->sections[i];

      g_return_if_fail (strpbrk (section, "\r\n{") == NULL);
      g_return_if_fail (g_str_has_prefix (section, "BODY") ||
                        g_str_has_prefix (section, "BINARY") ||
                        g_str_has_prefix (section, "RFC822"));
      g_string_append_printf (items, " %s", section);
    }
  g_string_append_c (items, ')');

  command = mail_imap_command_new ("UID FETCH");
  mail_imap_command_add_atom (command, uid_set);
  mail_imap_command_add_atom (command, items->str);
  if (options->changed_since > 0)
    mail_imap_command_add_printf (command, "(CHANGEDSINCE %" G_GUINT64_FORMAT "%s)",
                                  options->changed_since, options->vanished ? " VANISHED" : "");
  mail_imap_command_set_sink (command, options->sink);

  fd = g_new0 (FetchData, 1);
  fd->func = func;
  fd->func_data = func_data;
  fd->uids = mail_imap_sequence_set_parse (uid_set, -1, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, NULL);
  g_task_set_task_data (task, fd, fetch_data_free);

  mail_imap_client_run_async (self, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE,
                              fetch_untagged, NULL, fd, cancellable, fetch_cb,
                              g_steal_pointer (&task));
}

/**
 * mail_imap_client_fetch_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @vanished: (out) (optional) (transfer full) (nullable): with `VANISHED`, the UIDs
 *   expunged since the given modseq
 * @error: return location for an error
 *
 * Returns: the number of messages delivered, or 0 with @error set
 */
guint
mail_imap_client_fetch_finish (MailImapClient       *self,
                               GAsyncResult         *result,
                               MailImapSequenceSet **vanished,
                               GError              **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), error);
  if (vanished != NULL)
    {
      FetchData *fd = g_task_get_task_data (G_TASK (result));

      *vanished = n >= 0 ? g_steal_pointer (&fd->vanished) : NULL;
    }
  return n < 0 ? 0 : (guint) n;
}

/* ------------------------------------------------------------------------------------ */
/* UID STORE */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  MailImapSequenceSet *modified = NULL;
  const char *code;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_imap_client_check_ok (self, response, "STORE", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* RFC 7162 §3.1.3: [MODIFIED set] lists the messages UNCHANGEDSINCE protected. */
  code = mail_imap_response_get_code (response);
  if (code != NULL && g_ascii_strcasecmp (code, "MODIFIED") == 0)
    {
      const MailImapValue *args = mail_imap_response_get_code_args (response);
      const char *text = mail_imap_value_get_cstring (mail_imap_value_get_child (args, 0));

      if (text == NULL ||
          (modified = mail_imap_sequence_set_parse (text, -1, MAIL_IMAP_SEQUENCE_SET_NONE,
                                                    &error)) == NULL)
        {
          if (error == NULL)
            error = g_error_new_literal (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                                         _("The server sent an invalid MODIFIED code"));
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_task_return_pointer (task, modified != NULL ? modified : mail_imap_sequence_set_new (),
                         (GDestroyNotify) mail_imap_sequence_set_free);
}

/**
 * mail_imap_client_store_async:
 * @self: a #MailImapClient with a mailbox selected
 * @uid_set: the UIDs
 * @mode: add, remove or replace
 * @flags: (array zero-terminated=1): flags and keywords (`\Seen`, `$Junk`)
 * @silent: %TRUE for `.SILENT` (no FETCH answers); otherwise the new flags arrive as
 *   #MailImapClient::fetch signals
 * @unchanged_since: with CONDSTORE, only change messages whose MODSEQ is not higher (0: off)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Changes flags with UID STORE.
 */
void
mail_imap_client_store_async (MailImapClient      *self,
                              const char          *uid_set,
                              MailImapStoreMode    mode,
                              const char * const  *flags,
                              gboolean             silent,
                              guint64              unchanged_since,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  static const char *const modes[] = { "+FLAGS", "-FLAGS", "FLAGS" };
  g_autoptr(GTask) task = NULL;
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *list = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (uid_set != NULL);
  g_return_if_fail (mode <= MAIL_IMAP_STORE_REPLACE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_store_async);

  if (!mail_imap_client_check_ready (self, MAIL_IMAP_STATE_SELECTED, &error) ||
      !check_uid_set (uid_set, &error) || !check_flags (flags, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (unchanged_since > 0 && !mail_imap_client_has_capability (self, "CONDSTORE"))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                               _("The server does not support conditional flag changes"));
      return;
    }

  command = mail_imap_command_new ("UID STORE");
  mail_imap_command_add_atom (command, uid_set);
  if (unchanged_since > 0)
    mail_imap_command_add_printf (command, "(UNCHANGEDSINCE %" G_GUINT64_FORMAT ")",
                                  unchanged_since);
  mail_imap_command_add_printf (command, "%s%s", modes[mode], silent ? ".SILENT" : "");
  list = join_flags (flags);
  mail_imap_command_add_atom (command, list);

  mail_imap_client_run_async (self, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE, NULL, NULL,
                              NULL, cancellable, store_cb, g_steal_pointer (&task));
}

/**
 * mail_imap_client_store_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @modified: (out) (optional) (transfer full): with UNCHANGEDSINCE, the UIDs that were not
 *   changed because they had changed on the server (maybe empty)
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_store_finish (MailImapClient       *self,
                               GAsyncResult         *result,
                               MailImapSequenceSet **modified,
                               GError              **error)
{
  MailImapSequenceSet *set;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  set = g_task_propagate_pointer (G_TASK (result), error);
  if (modified != NULL)
    *modified = set;
  else if (set != NULL)
    mail_imap_sequence_set_free (set);
  return set != NULL;
}

/* ------------------------------------------------------------------------------------ */
/* UID COPY / UID MOVE */

typedef enum
{
  COPY_STEP_COPY,
  COPY_STEP_MOVE,
  COPY_STEP_STORE,
  COPY_STEP_EXPUNGE,
} CopyStep;

typedef struct
{
  char                *uid_set;
  CopyStep             step;
  gboolean             move;
  gboolean             have_copyuid;
  guint32              uidvalidity;
  MailImapSequenceSet *source;
  MailImapSequenceSet *dest;
  GError              *error;
} CopyData;

static void
copy_data_free (gpointer data)
{
  CopyData *cd = data;

  g_free (cd->uid_set);
  g_clear_pointer (&cd->source, mail_imap_sequence_set_free);
  g_clear_pointer (&cd->dest, mail_imap_sequence_set_free);
  g_clear_error (&cd->error);
  g_free (cd);
}

static void
take_copyuid (CopyData         *cd,
              MailImapResponse *response)
{
  const char *code = mail_imap_response_get_code (response);
  GError *error = NULL;

  if (code == NULL || g_ascii_strcasecmp (code, "COPYUID") != 0)
    return;

  g_clear_pointer (&cd->source, mail_imap_sequence_set_free);
  g_clear_pointer (&cd->dest, mail_imap_sequence_set_free);
  if (mail_imap_decode_copyuid (response, &cd->uidvalidity, &cd->source, &cd->dest, &error))
    cd->have_copyuid = TRUE;
  else if (cd->error == NULL)
    cd->error = error;
  else
    g_error_free (error);
}

static gboolean
copy_untagged (MailImapClient   *self,
               MailImapResponse *response,
               gpointer          data)
{
  /* MOVE sends COPYUID in an untagged OK before the expunges (RFC 6851 §4.3). */
  if (mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_OK &&
      mail_imap_response_get_code (response) != NULL)
    {
      take_copyuid (data, response);
      return g_ascii_strcasecmp (mail_imap_response_get_code (response), "COPYUID") == 0;
    }

  return FALSE;
}

static void copy_step_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
copy_run (GTask *task)
{
  MailImapClient *self = g_task_get_source_object (task);
  CopyData *cd = g_task_get_task_data (task);
  g_autoptr(MailImapCommand) command = NULL;

  switch (cd->step)
    {
    case COPY_STEP_STORE:
      command = mail_imap_command_new ("UID STORE");
      mail_imap_command_add_atom (command, cd->uid_set);
      mail_imap_command_add_atom (command, "+FLAGS.SILENT (\\Deleted)");
      break;

    case COPY_STEP_EXPUNGE:
      command = mail_imap_command_new ("UID EXPUNGE");
      mail_imap_command_add_atom (command, cd->uid_set);
      break;

    case COPY_STEP_COPY:
    case COPY_STEP_MOVE:
    default:
      g_assert_not_reached ();
    }

  mail_imap_client_run_async (self, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE,
                              copy_untagged, NULL, cd, g_task_get_cancellable (task),
                              copy_step_cb, task);
}

static void
copy_step_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  CopyData *cd = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const names[] = { "COPY", "MOVE", "STORE", "EXPUNGE" };

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_imap_client_check_ok (self, response, names[cd->step], &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (cd->step == COPY_STEP_COPY || cd->step == COPY_STEP_MOVE)
    take_copyuid (cd, response);

  if (cd->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&cd->error));
      return;
    }

  if (cd->step == COPY_STEP_COPY && cd->move)
    {
      cd->step = COPY_STEP_STORE;
      copy_run (g_steal_pointer (&task));
      return;
    }

  if (cd->step == COPY_STEP_STORE)
    {
      cd->step = COPY_STEP_EXPUNGE;
      copy_run (g_steal_pointer (&task));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * mail_imap_client_copy_async:
 * @self: a #MailImapClient with a mailbox selected
 * @uid_set: the UIDs
 * @destination: the target mailbox (UTF-8)
 * @move: %TRUE to move: UID MOVE, or without MOVE, UID COPY then `+FLAGS (\Deleted)` then
 *   UID EXPUNGE of exactly those UIDs; without UIDPLUS that fallback is refused, since a
 *   plain EXPUNGE would remove other messages marked \Deleted too
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Copies or moves messages.
 */
void
mail_imap_client_copy_async (MailImapClient      *self,
                             const char          *uid_set,
                             const char          *destination,
                             gboolean             move,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_move = mail_imap_client_has_capability (self, "MOVE");
  CopyData *cd;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (uid_set != NULL);
  g_return_if_fail (destination != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_copy_async);

  if (!mail_imap_client_check_ready (self, MAIL_IMAP_STATE_SELECTED, &error) ||
      !check_uid_set (uid_set, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (move && !has_move && !mail_imap_client_has_capability (self, "UIDPLUS"))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                               _("The server can neither move messages nor expunge single "
                                 "messages; nothing was changed"));
      return;
    }

  command = mail_imap_command_new (move && has_move ? "UID MOVE" : "UID COPY");
  mail_imap_command_add_atom (command, uid_set);
  if (!mail_imap_command_add_mailbox (command, destination,
                                      mail_imap_client_get_utf8_accept (self), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cd = g_new0 (CopyData, 1);
  cd->uid_set = g_strdup (uid_set);
  cd->step = move && has_move ? COPY_STEP_MOVE : COPY_STEP_COPY;
  g_task_set_task_data (task, cd, copy_data_free);
  cd->move = move;

  mail_imap_client_run_async (self, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE,
                              copy_untagged, NULL, cd, cancellable, copy_step_cb,
                              g_steal_pointer (&task));
}

/**
 * mail_imap_client_copy_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @uidvalidity: (out) (optional): with UIDPLUS, the destination's UIDVALIDITY (0 if unknown)
 * @source_uids: (out) (optional) (transfer full) (nullable): with UIDPLUS, the source UIDs
 * @dest_uids: (out) (optional) (transfer full) (nullable): with UIDPLUS, the new UIDs, in
 *   the same order
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_copy_finish (MailImapClient       *self,
                              GAsyncResult         *result,
                              guint32              *uidvalidity,
                              MailImapSequenceSet **source_uids,
                              MailImapSequenceSet **dest_uids,
                              GError              **error)
{
  CopyData *cd;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  cd = g_task_get_task_data (G_TASK (result));
  if (uidvalidity != NULL)
    *uidvalidity = cd->have_copyuid ? cd->uidvalidity : 0;
  if (source_uids != NULL)
    *source_uids = g_steal_pointer (&cd->source);
  if (dest_uids != NULL)
    *dest_uids = g_steal_pointer (&cd->dest);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* APPEND */

typedef struct
{
  guint32 uidvalidity;
  guint32 uid;
} AppendResult;

static void
append_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  AppendResult *ar = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *code;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_imap_client_check_ok (self, response, "APPEND", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  code = mail_imap_response_get_code (response);
  if (code != NULL && g_ascii_strcasecmp (code, "APPENDUID") == 0)
    {
      g_autoptr(MailImapSequenceSet) uids = NULL;

      if (!mail_imap_decode_appenduid (response, &ar->uidvalidity, &uids, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (mail_imap_sequence_set_get_n_ranges (uids) > 0)
        ar->uid = (guint32) mail_imap_sequence_set_get_range (uids, 0)->first;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * mail_imap_client_append_async:
 * @self: a logged-in #MailImapClient
 * @mailbox: the target mailbox (UTF-8)
 * @flags: (nullable) (array zero-terminated=1): flags to set, e.g. `\Seen`
 * @date: (nullable): the internal date to set
 * @message: the message (RFC 5322 bytes, CRLF line ends); exactly @size bytes are read
 *   from it while sending (for a #GBytes use g_memory_input_stream_new_from_bytes())
 * @size: the message's size
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Uploads a message. The literal waits for the server's go-ahead unless LITERAL+ (or
 * LITERAL- for up to 4096 bytes) is offered, and is streamed in chunks.
 */
void
mail_imap_client_append_async (MailImapClient      *self,
                               const char          *mailbox,
                               const char * const  *flags,
                               GDateTime           *date,
                               GInputStream        *message,
                               guint64              size,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);
  g_return_if_fail (G_IS_INPUT_STREAM (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_append_async);
  g_task_set_task_data (task, g_new0 (AppendResult, 1), g_free);

  if (!mail_imap_client_check_ready (self, MAIL_IMAP_STATE_AUTHENTICATED, &error) ||
      !check_flags (flags, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (size == 0 || size > G_MAXUINT32)
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID,
                               _("The message is empty or too large to upload"));
      return;
    }

  command = mail_imap_command_new ("APPEND");
  if (!mail_imap_command_add_mailbox (command, mailbox, mail_imap_client_get_utf8_accept (self),
                                      &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (flags != NULL && flags[0] != NULL)
    {
      g_autofree char *list = join_flags (flags);

      mail_imap_command_add_atom (command, list);
    }

  if (date != NULL)
    {
      static const char *const months[] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
      };
      g_autofree char *zone = g_date_time_format (date, "%z");
      g_autofree char *text = NULL;

      /* The month name must be English whatever the locale. */
      text = g_strdup_printf ("\"%02d-%s-%04d %02d:%02d:%02d %s\"",
                              g_date_time_get_day_of_month (date),
                              months[g_date_time_get_month (date) - 1],
                              g_date_time_get_year (date), g_date_time_get_hour (date),
                              g_date_time_get_minute (date), g_date_time_get_second (date),
                              zone);
      mail_imap_command_add_atom (command, text);
    }

  mail_imap_command_add_literal_stream (command, message, size);

  mail_imap_client_run_async (self, g_steal_pointer (&command), MAIL_IMAP_RUN_BODY, NULL, NULL,
                              NULL, cancellable, append_cb, g_steal_pointer (&task));
}

/**
 * mail_imap_client_append_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @uidvalidity: (out) (optional): with UIDPLUS, the mailbox's UIDVALIDITY (0 if unknown)
 * @uid: (out) (optional): with UIDPLUS, the new message's UID (0 if unknown)
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_append_finish (MailImapClient  *self,
                                GAsyncResult    *result,
                                guint32         *uidvalidity,
                                guint32         *uid,
                                GError         **error)
{
  AppendResult *ar;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  ar = g_task_get_task_data (G_TASK (result));
  if (uidvalidity != NULL)
    *uidvalidity = ar->uidvalidity;
  if (uid != NULL)
    *uid = ar->uid;
  return TRUE;
}
