/* mail-imap-client-mailbox.c
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

/* Session and mailbox commands: ENABLE, ID, NAMESPACE, LIST, STATUS, SELECT/EXAMINE,
 * EXPUNGE, UID SEARCH, NOOP, LOGOUT. Each collects its untagged data through the
 * engine's per-command untagged hook and returns typed results. */

/* ------------------------------------------------------------------------------------ */
/* Shared plumbing */

typedef struct
{
  const char *name;          /* for messages */
  GPtrArray  *list;          /* LIST entries, CHANGED fetches */
  GHashTable *table;         /* LIST-STATUS, ID */
  gpointer    result;        /* one typed result */
  GDestroyNotify result_free;
  GArray     *numbers;       /* SEARCH */
  MailImapSelectResult *select;
  char       *mailbox;       /* STATUS: the mailbox asked about */
  GError     *error;         /* a malformed untagged response */
  gboolean    expunge;       /* EXPUNGE: take EXPUNGE/VANISHED out of the signals */
} OpData;

static void
op_data_free (gpointer data)
{
  OpData *op = data;

  g_clear_pointer (&op->list, g_ptr_array_unref);
  g_clear_pointer (&op->table, g_hash_table_unref);
  if (op->result != NULL && op->result_free != NULL)
    op->result_free (op->result);
  g_clear_pointer (&op->numbers, g_array_unref);
  g_clear_pointer (&op->select, mail_imap_select_result_free);
  g_clear_pointer (&op->mailbox, g_free);
  g_clear_error (&op->error);
  g_free (op);
}

static GTask *
begin_op (MailImapClient      *self,
          gpointer             source_tag,
          const char          *name,
          MailImapState        min_state,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  OpData *op = g_new0 (OpData, 1);

  g_task_set_source_tag (task, source_tag);
  op->name = name;
  g_task_set_task_data (task, op, op_data_free);

  if (!mail_imap_client_check_ready (self, min_state, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  return g_steal_pointer (&task);
}

/* Finishes the command: network errors, malformed data and refusals become errors. */
static MailImapResponse *
end_op (GTask        *task,
        GAsyncResult *result)
{
  MailImapClient *self = g_task_get_source_object (task);
  OpData *op = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  if (op->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&op->error));
      return NULL;
    }

  if (!mail_imap_client_check_ok (self, response, op->name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  return g_steal_pointer (&response);
}

static void
boolean_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MailImapResponse) response = end_op (task, result);

  if (response != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = end_op (task, result);

  if (response == NULL)
    return;

  if (op->result == NULL)
    {
      g_task_return_new_error (task, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
                               _("The server did not send the data asked for (%s)"),
                               op->name);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&op->result), op->result_free);
}

static void
run_op (GTask                *task,
        MailImapCommand      *command,
        MailImapRunFlags      flags,
        MailImapUntaggedFunc  untagged,
        GAsyncReadyCallback   callback)
{
  MailImapClient *self = g_task_get_source_object (task);

  mail_imap_client_run_async (self, command, flags, untagged, NULL, g_task_get_task_data (task),
                              g_task_get_cancellable (task), callback, task);
}

static gpointer
finish_pointer (MailImapClient  *self,
                GAsyncResult    *result,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (MailImapClient  *self,
                GAsyncResult    *result,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Keeps the first decoding error; the command's tagged answer reports it. */
static void
op_set_error (OpData *op,
              GError *error)
{
  if (op->error == NULL)
    op->error = error;
  else
    g_error_free (error);
}

/* ------------------------------------------------------------------------------------ */
/* ENABLE */

static gboolean
enable_untagged (MailImapClient   *self,
                 MailImapResponse *response,
                 gpointer          data)
{
  OpData *op = data;
  GError *error = NULL;
  GStrv enabled;

  if (!mail_imap_response_is_name (response, "ENABLED"))
    return FALSE;

  enabled = mail_imap_decode_enabled (response, &error);
  if (enabled == NULL)
    {
      op_set_error (op, error);
      return TRUE;
    }

  mail_imap_client_set_enabled (self, (const char * const *) enabled);
  if (op->result != NULL)
    g_strfreev (op->result);
  op->result = enabled;
  return TRUE;
}

static void
enable_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = end_op (task, result);

  if (response == NULL)
    return;

  if (op->result == NULL)
    op->result = g_new0 (char *, 1);
  g_task_return_pointer (task, g_steal_pointer (&op->result), (GDestroyNotify) g_strfreev);
}

/**
 * mail_imap_client_enable_async:
 * @self: a logged-in #MailImapClient
 * @extensions: (array zero-terminated=1): e.g. `CONDSTORE`, `QRESYNC`, `UTF8=ACCEPT`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Enables extensions (RFC 5161). Only those the server announces are asked for; after
 * `UTF8=ACCEPT` is enabled, mailbox names are sent and read as UTF-8.
 */
void
mail_imap_client_enable_async (MailImapClient      *self,
                               const char * const  *extensions,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(MailImapCommand) command = NULL;
  GTask *task;
  guint n = 0;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (extensions != NULL);

  task = begin_op (self, mail_imap_client_enable_async, "ENABLE",
                   MAIL_IMAP_STATE_AUTHENTICATED, cancellable, callback, user_data);
  if (task == NULL)
    return;

  command = mail_imap_command_new ("ENABLE");
  for (guint i = 0; extensions[i] != NULL; i++)
    {
      gboolean valid = extensions[i][0] != '\0';

      for (const char *p = extensions[i]; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '=' && *p != '-' && *p != '+' && *p != '.')
            valid = FALSE;
        }
      g_return_if_fail (valid);

      if (mail_imap_client_has_capability (self, extensions[i]))
        {
          mail_imap_command_add_atom (command, extensions[i]);
          n++;
        }
    }

  if (n == 0 || !mail_imap_client_has_capability (self, "ENABLE"))
    {
      g_task_return_pointer (task, g_new0 (char *, 1), (GDestroyNotify) g_strfreev);
      g_object_unref (task);
      return;
    }

  run_op (task, g_steal_pointer (&command), MAIL_IMAP_RUN_EXCLUSIVE, enable_untagged,
          enable_cb);
}

/**
 * mail_imap_client_enable_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the extensions the server enabled (maybe none)
 */
GStrv
mail_imap_client_enable_finish (MailImapClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_pointer (self, result, error);
}

/* ------------------------------------------------------------------------------------ */
/* ID */

static gboolean
id_untagged (MailImapClient   *self,
             MailImapResponse *response,
             gpointer          data)
{
  OpData *op = data;
  GError *error = NULL;
  GHashTable *table;

  if (!mail_imap_response_is_name (response, "ID"))
    return FALSE;

  table = mail_imap_decode_id (response, &error);
  if (table == NULL)
    {
      op_set_error (op, error);
      return TRUE;
    }

  g_clear_pointer (&op->table, g_hash_table_unref);
  op->table = table;
  return TRUE;
}

static void
id_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = end_op (task, result);

  if (response == NULL)
    return;

  if (op->table == NULL)
    op->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_return_pointer (task, g_steal_pointer (&op->table),
                         (GDestroyNotify) g_hash_table_unref);
}

/**
 * mail_imap_client_id_async:
 * @self: a connected #MailImapClient
 * @params: (nullable) (element-type utf8 utf8): what to tell about the client, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Exchanges identification with the server (RFC 2971). Needs the ID capability.
 */
void
mail_imap_client_id_async (MailImapClient      *self,
                           GHashTable          *params,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = begin_op (self, mail_imap_client_id_async, "ID", MAIL_IMAP_STATE_NOT_AUTHENTICATED,
                   cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (!mail_imap_client_has_capability (self, "ID"))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                               _("The server does not support identification (ID)"));
      g_object_unref (task);
      return;
    }

  command = mail_imap_command_new ("ID");
  if (params == NULL || g_hash_table_size (params) == 0)
    {
      mail_imap_command_add_atom (command, "NIL");
    }
  else
    {
      GHashTableIter iter;
      gpointer key, value;

      mail_imap_command_add_atom (command, "(");
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (!mail_imap_command_add_string (command, key, FALSE, &error) ||
              !mail_imap_command_add_string (command, value, FALSE, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              g_object_unref (task);
              return;
            }
        }
      mail_imap_command_add_raw (command, ")");
    }

  run_op (task, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE, id_untagged, id_cb);
}

/**
 * mail_imap_client_id_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type utf8 utf8): the server's identification (maybe
 *   empty)
 */
GHashTable *
mail_imap_client_id_finish (MailImapClient  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  return finish_pointer (self, result, error);
}

/* ------------------------------------------------------------------------------------ */
/* NAMESPACE */

static gboolean
namespace_untagged (MailImapClient   *self,
                    MailImapResponse *response,
                    gpointer          data)
{
  OpData *op = data;
  GError *error = NULL;
  MailImapNamespaces *namespaces;

  if (!mail_imap_response_is_name (response, "NAMESPACE"))
    return FALSE;

  namespaces = mail_imap_decode_namespace (response, &error);
  if (namespaces == NULL)
    {
      op_set_error (op, error);
      return TRUE;
    }

  g_clear_pointer (&op->result, mail_imap_namespaces_free);
  op->result = namespaces;
  op->result_free = (GDestroyNotify) mail_imap_namespaces_free;
  return TRUE;
}

/**
 * mail_imap_client_namespace_async:
 * @self: a logged-in #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks for the server's namespaces (RFC 2342).
 */
void
mail_imap_client_namespace_async (MailImapClient      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = begin_op (self, mail_imap_client_namespace_async, "NAMESPACE",
                   MAIL_IMAP_STATE_AUTHENTICATED, cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (!mail_imap_client_has_capability (self, "NAMESPACE"))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                               _("The server does not support namespaces"));
      g_object_unref (task);
      return;
    }

  run_op (task, mail_imap_command_new ("NAMESPACE"), MAIL_IMAP_RUN_NONE, namespace_untagged,
          result_cb);
}

/**
 * mail_imap_client_namespace_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the namespaces
 */
MailImapNamespaces *
mail_imap_client_namespace_finish (MailImapClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return finish_pointer (self, result, error);
}

/* ------------------------------------------------------------------------------------ */
/* LIST and STATUS */

static gboolean
status_into_table (MailImapClient   *self,
                   OpData           *op,
                   MailImapResponse *response)
{
  GError *error = NULL;
  MailImapStatusData *status;

  status = mail_imap_decode_status (response, mail_imap_client_get_utf8_accept (self), &error);
  if (status == NULL)
    {
      op_set_error (op, error);
      return TRUE;
    }

  if (op->table == NULL)
    op->table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) mail_imap_status_data_free);
  g_hash_table_replace (op->table, status->name, status);
  return TRUE;
}

static gboolean
list_untagged (MailImapClient   *self,
               MailImapResponse *response,
               gpointer          data)
{
  OpData *op = data;
  GError *error = NULL;
  MailImapListEntry *entry;

  if (mail_imap_response_is_name (response, "STATUS"))
    return status_into_table (self, op, response);

  if (!mail_imap_response_is_name (response, "LIST") &&
      !mail_imap_response_is_name (response, "LSUB"))
    return FALSE;

  entry = mail_imap_decode_list (response, mail_imap_client_get_utf8_accept (self), &error);
  if (entry == NULL)
    {
      op_set_error (op, error);
      return TRUE;
    }

  g_ptr_array_add (op->list, entry);
  return TRUE;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = end_op (task, result);

  if (response == NULL)
    return;

  g_task_return_pointer (task, g_steal_pointer (&op->list), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * mail_imap_client_list_async:
 * @self: a logged-in #MailImapClient
 * @reference: the reference name, usually ""
 * @pattern: the mailbox pattern in UTF-8 (`*`, `%`, `Work/%`)
 * @flags: options; special-use and status are asked for only when the server offers them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Lists mailboxes. Names come back decoded (modified UTF-7, or UTF-8 under UTF8=ACCEPT);
 * they are server data: use mail_imap_mailbox_name_to_filename() and _to_markup() before
 * they go near a path or markup.
 */
void
mail_imap_client_list_async (MailImapClient      *self,
                             const char          *reference,
                             const char          *pattern,
                             MailImapListFlags    flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  gboolean extended, special_use, status, lsub = FALSE;
  gboolean utf8 = mail_imap_client_get_utf8_accept (self);
  OpData *op;
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (reference != NULL);
  g_return_if_fail (pattern != NULL);

  task = begin_op (self, mail_imap_client_list_async, "LIST", MAIL_IMAP_STATE_AUTHENTICATED,
                   cancellable, callback, user_data);
  if (task == NULL)
    return;

  op = g_task_get_task_data (task);
  op->list = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_imap_list_entry_free);

  extended = mail_imap_client_has_capability (self, "LIST-EXTENDED");
  special_use = (flags & MAIL_IMAP_LIST_SPECIAL_USE) != 0 && extended &&
                mail_imap_client_has_capability (self, "SPECIAL-USE");
  status = (flags & MAIL_IMAP_LIST_STATUS) != 0 &&
           mail_imap_client_has_capability (self, "LIST-STATUS");
  if ((flags & MAIL_IMAP_LIST_SUBSCRIBED) != 0 && !extended)
    lsub = TRUE;

  command = mail_imap_command_new (lsub ? "LSUB" : "LIST");
  if ((flags & MAIL_IMAP_LIST_SUBSCRIBED) != 0 && !lsub)
    mail_imap_command_add_atom (command, "(SUBSCRIBED)");

  if (!mail_imap_command_add_string (command, reference, utf8, &error) ||
      !mail_imap_command_add_mailbox (command, pattern, utf8, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (!lsub && (special_use || status))
    {
      mail_imap_command_add_atom (command, "RETURN (");
      if (special_use)
        mail_imap_command_add_atom (command, "SPECIAL-USE");
      if (status)
        mail_imap_command_add_printf (command, "STATUS (MESSAGES UNSEEN UIDNEXT UIDVALIDITY%s)",
                                      mail_imap_client_has_capability (self, "CONDSTORE")
                                      ? " HIGHESTMODSEQ" : "");
      mail_imap_command_add_raw (command, ")");
    }

  run_op (task, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE, list_untagged, list_cb);
}

/**
 * mail_imap_client_list_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @statuses: (out) (optional) (transfer full) (element-type utf8 MailImapStatusData):
 *   with %MAIL_IMAP_LIST_STATUS, the STATUS of each mailbox by decoded name (%NULL if none)
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type MailImapListEntry): the mailboxes
 */
GPtrArray *
mail_imap_client_list_finish (MailImapClient  *self,
                              GAsyncResult    *result,
                              GHashTable     **statuses,
                              GError         **error)
{
  GPtrArray *ret;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  ret = g_task_propagate_pointer (G_TASK (result), error);
  if (statuses != NULL)
    {
      OpData *op = g_task_get_task_data (G_TASK (result));

      *statuses = ret != NULL ? g_steal_pointer (&op->table) : NULL;
    }
  return ret;
}

static gboolean
status_untagged (MailImapClient   *self,
                 MailImapResponse *response,
                 gpointer          data)
{
  OpData *op = data;
  GError *error = NULL;
  MailImapStatusData *status;

  if (!mail_imap_response_is_name (response, "STATUS"))
    return FALSE;

  status = mail_imap_decode_status (response, mail_imap_client_get_utf8_accept (self), &error);
  if (status == NULL)
    {
      op_set_error (op, error);
      return TRUE;
    }

  /* Pipelined STATUS commands each take their own mailbox's answer. */
  if (op->mailbox != NULL && g_strcmp0 (status->name, op->mailbox) != 0 &&
      !(g_ascii_strcasecmp (op->mailbox, "INBOX") == 0 &&
        g_ascii_strcasecmp (status->name, "INBOX") == 0))
    {
      mail_imap_status_data_free (status);
      return FALSE;
    }

  g_clear_pointer (&op->result, mail_imap_status_data_free);
  op->result = status;
  op->result_free = (GDestroyNotify) mail_imap_status_data_free;
  return TRUE;
}

/**
 * mail_imap_client_status_async:
 * @self: a logged-in #MailImapClient
 * @mailbox: the mailbox (UTF-8)
 * @items: what to ask for
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks for a mailbox's status. HIGHESTMODSEQ is asked for only with CONDSTORE, SIZE only
 * with STATUS=SIZE.
 */
void
mail_imap_client_status_async (MailImapClient      *self,
                               const char          *mailbox,
                               MailImapStatusItems  items,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  static const struct { MailImapStatusItems item; const char *name; } names[] = {
    { MAIL_IMAP_STATUS_ITEM_MESSAGES, "MESSAGES" },
    { MAIL_IMAP_STATUS_ITEM_RECENT, "RECENT" },
    { MAIL_IMAP_STATUS_ITEM_UIDNEXT, "UIDNEXT" },
    { MAIL_IMAP_STATUS_ITEM_UIDVALIDITY, "UIDVALIDITY" },
    { MAIL_IMAP_STATUS_ITEM_UNSEEN, "UNSEEN" },
    { MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ, "HIGHESTMODSEQ" },
    { MAIL_IMAP_STATUS_ITEM_SIZE, "SIZE" },
    { MAIL_IMAP_STATUS_ITEM_DELETED, "DELETED" },
  };
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) list = g_string_new ("(");
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  task = begin_op (self, mail_imap_client_status_async, "STATUS",
                   MAIL_IMAP_STATE_AUTHENTICATED, cancellable, callback, user_data);
  if (task == NULL)
    return;
  ((OpData *) g_task_get_task_data (task))->mailbox = g_strdup (mailbox);

  if (!mail_imap_client_has_capability (self, "CONDSTORE"))
    items &= ~MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ;
  if (!mail_imap_client_has_capability (self, "STATUS=SIZE"))
    items &= ~(MAIL_IMAP_STATUS_ITEM_SIZE | MAIL_IMAP_STATUS_ITEM_DELETED);
  if (items == 0)
    items = MAIL_IMAP_STATUS_ITEM_MESSAGES;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if ((items & names[i].item) == 0)
        continue;
      if (list->len > 1)
        g_string_append_c (list, ' ');
      g_string_append (list, names[i].name);
    }
  g_string_append_c (list, ')');

  command = mail_imap_command_new ("STATUS");
  if (!mail_imap_command_add_mailbox (command, mailbox, mail_imap_client_get_utf8_accept (self),
                                      &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  mail_imap_command_add_atom (command, list->str);

  run_op (task, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE, status_untagged, result_cb);
}

/**
 * mail_imap_client_status_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the status
 */
MailImapStatusData *
mail_imap_client_status_finish (MailImapClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_pointer (self, result, error);
}

/* ------------------------------------------------------------------------------------ */
/* SELECT / EXAMINE */

/**
 * mail_imap_select_result_free:
 * @result: (nullable): a #MailImapSelectResult
 *
 * Frees @result.
 */
void
mail_imap_select_result_free (MailImapSelectResult *result)
{
  if (result == NULL)
    return;

  mail_imap_select_info_clear (&result->info);
  g_clear_pointer (&result->vanished, mail_imap_sequence_set_free);
  g_clear_pointer (&result->changed, g_ptr_array_unref);
  g_free (result);
}

static gboolean
select_untagged (MailImapClient   *self,
                 MailImapResponse *response,
                 gpointer          data)
{
  OpData *op = data;
  MailImapSelectResult *sr = op->select;
  GError *error = NULL;

  if (mail_imap_response_is_name (response, "VANISHED"))
    {
      gboolean earlier = FALSE;
      MailImapSequenceSet *set = mail_imap_decode_vanished (response, &earlier, &error);

      if (set == NULL)
        {
          op_set_error (op, error);
          return TRUE;
        }

      if (sr->vanished == NULL)
        {
          sr->vanished = set;
        }
      else
        {
          for (guint i = 0; i < mail_imap_sequence_set_get_n_ranges (set); i++)
            {
              const MailImapRange *range = mail_imap_sequence_set_get_range (set, i);

              mail_imap_sequence_set_add_range (sr->vanished, range->first, range->last);
            }
          mail_imap_sequence_set_normalize (sr->vanished);
          mail_imap_sequence_set_free (set);
        }
      return TRUE;
    }

  if (mail_imap_response_is_name (response, "FETCH"))
    {
      MailImapFetch *fetch = mail_imap_decode_fetch (response, &error);

      if (fetch == NULL)
        {
          op_set_error (op, error);
          return TRUE;
        }
      g_ptr_array_add (sr->changed, fetch);
      return TRUE;
    }

  if (!mail_imap_select_info_update (&sr->info, response, &error))
    {
      op_set_error (op, error);
      return TRUE;
    }

  return mail_imap_response_is_name (response, "EXISTS") ||
         mail_imap_response_is_name (response, "RECENT") ||
         mail_imap_response_is_name (response, "FLAGS") ||
         mail_imap_response_get_status (response) == MAIL_IMAP_STATUS_OK;
}

static void
select_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  OpData *op = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = mail_imap_client_run_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!mail_imap_client_check_ok (self, response, op->name, &error) ||
      (op->error != NULL && (error = g_steal_pointer (&op->error)) != NULL) ||
      !mail_imap_select_info_update (&op->select->info, response, &error))
    {
      /* RFC 3501 §6.3.1: a failed SELECT leaves no mailbox selected. */
      if (mail_imap_response_get_status (response) != MAIL_IMAP_STATUS_OK)
        mail_imap_client_set_state (self, MAIL_IMAP_STATE_AUTHENTICATED);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->exists = op->select->info.exists;
  g_task_return_pointer (task, g_steal_pointer (&op->select),
                         (GDestroyNotify) mail_imap_select_result_free);
}

/**
 * mail_imap_client_select_async:
 * @self: a logged-in #MailImapClient
 * @mailbox: the mailbox (UTF-8)
 * @read_only: %TRUE for EXAMINE
 * @condstore: ask for MODSEQ tracking (`(CONDSTORE)`, needs CONDSTORE)
 * @qresync: (nullable): what the cache knows, for `(QRESYNC ...)`; QRESYNC must have been
 *   enabled with mail_imap_client_enable_async()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Opens a mailbox. With @qresync, the result also holds the UIDs expunged since and the
 * messages changed since @qresync's modseq.
 */
void
mail_imap_client_select_async (MailImapClient         *self,
                               const char             *mailbox,
                               gboolean                read_only,
                               gboolean                condstore,
                               const MailImapQresync  *qresync,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = read_only ? "EXAMINE" : "SELECT";
  OpData *op;
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  task = begin_op (self, mail_imap_client_select_async, name, MAIL_IMAP_STATE_AUTHENTICATED,
                   cancellable, callback, user_data);
  if (task == NULL)
    return;

  op = g_task_get_task_data (task);
  op->select = g_new0 (MailImapSelectResult, 1);
  op->select->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_imap_fetch_free);

  command = mail_imap_command_new (name);
  if (!mail_imap_command_add_mailbox (command, mailbox, mail_imap_client_get_utf8_accept (self),
                                      &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (qresync != NULL)
    {
      const char * const *enabled = mail_imap_client_get_enabled (self);

      if (enabled == NULL || !g_strv_contains (enabled, "QRESYNC"))
        {
          g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR,
                                   MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                                   _("Quick resynchronisation (QRESYNC) is not enabled"));
          g_object_unref (task);
          return;
        }

      if (qresync->known_uids != NULL)
        {
          g_autoptr(MailImapSequenceSet) set = NULL;

          set = mail_imap_sequence_set_parse (qresync->known_uids, -1,
                                              MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, &error);
          if (set == NULL)
            {
              g_task_return_error (task, g_steal_pointer (&error));
              g_object_unref (task);
              return;
            }
          mail_imap_command_add_printf (command, "(QRESYNC (%u %" G_GUINT64_FORMAT " %s))",
                                        qresync->uidvalidity, MAX (qresync->modseq, 1),
                                        qresync->known_uids);
        }
      else
        {
          mail_imap_command_add_printf (command, "(QRESYNC (%u %" G_GUINT64_FORMAT "))",
                                        qresync->uidvalidity, MAX (qresync->modseq, 1));
        }
    }
  else if (condstore && mail_imap_client_has_capability (self, "CONDSTORE"))
    {
      mail_imap_command_add_atom (command, "(CONDSTORE)");
    }

  mail_imap_client_set_selected (self, mailbox);
  run_op (task, g_steal_pointer (&command), MAIL_IMAP_RUN_EXCLUSIVE, select_untagged,
          select_cb);
}

/**
 * mail_imap_client_select_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): what the server said about the mailbox
 */
MailImapSelectResult *
mail_imap_client_select_finish (MailImapClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_pointer (self, result, error);
}

/* ------------------------------------------------------------------------------------ */
/* EXPUNGE, UID SEARCH, NOOP, LOGOUT */

/**
 * mail_imap_client_expunge_async:
 * @self: a #MailImapClient with a mailbox selected
 * @uid_set: (nullable): only expunge these UIDs (UID EXPUNGE, needs UIDPLUS), or %NULL
 *   for every message marked \Deleted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Expunges. Without UIDPLUS a UID set is refused rather than expunging other messages
 * too. EXPUNGE/VANISHED responses also go out as signals.
 */
void
mail_imap_client_expunge_async (MailImapClient      *self,
                                const char          *uid_set,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(MailImapCommand) command = NULL;
  g_autoptr(MailImapSequenceSet) set = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = begin_op (self, mail_imap_client_expunge_async, "EXPUNGE", MAIL_IMAP_STATE_SELECTED,
                   cancellable, callback, user_data);
  if (task == NULL)
    return;

  if (uid_set == NULL)
    {
      run_op (task, mail_imap_command_new ("EXPUNGE"), MAIL_IMAP_RUN_NONE, NULL, boolean_cb);
      return;
    }

  if (!mail_imap_client_has_capability (self, "UIDPLUS"))
    {
      g_task_return_new_error (task, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_UNSUPPORTED,
                               _("The server cannot expunge single messages (no UIDPLUS)"));
      g_object_unref (task);
      return;
    }

  set = mail_imap_sequence_set_parse (uid_set, -1, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, &error);
  if (set == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  command = mail_imap_command_new ("UID EXPUNGE");
  mail_imap_command_add_atom (command, uid_set);
  run_op (task, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE, NULL, boolean_cb);
}

/**
 * mail_imap_client_expunge_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_expunge_finish (MailImapClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_boolean (self, result, error);
}

static gboolean
search_untagged (MailImapClient   *self,
                 MailImapResponse *response,
                 gpointer          data)
{
  OpData *op = data;
  GError *error = NULL;
  GArray *numbers;

  if (!mail_imap_response_is_name (response, "SEARCH"))
    return FALSE;

  numbers = mail_imap_decode_search (response, NULL, &error);
  if (numbers == NULL)
    {
      op_set_error (op, error);
      return TRUE;
    }

  if (op->numbers == NULL)
    op->numbers = numbers;
  else
    {
      g_array_append_vals (op->numbers, numbers->data, numbers->len);
      g_array_unref (numbers);
    }
  return TRUE;
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr(MailImapResponse) response = end_op (task, result);

  if (response == NULL)
    return;

  if (op->numbers == NULL)
    op->numbers = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_task_return_pointer (task, g_steal_pointer (&op->numbers), (GDestroyNotify) g_array_unref);
}

/**
 * mail_imap_client_search_async:
 * @self: a #MailImapClient with a mailbox selected
 * @criteria: search criteria as program text (`UNSEEN`, `SINCE 1-Jan-2026`, `UID 10:*`);
 *   text typed by people must be quoted by the caller
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Searches with UID SEARCH.
 */
void
mail_imap_client_search_async (MailImapClient      *self,
                               const char          *criteria,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(MailImapCommand) command = NULL;
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (criteria != NULL && *criteria != '\0');
  g_return_if_fail (strpbrk (criteria, "\r\n") == NULL);

  task = begin_op (self, mail_imap_client_search_async, "SEARCH", MAIL_IMAP_STATE_SELECTED,
                   cancellable, callback, user_data);
  if (task == NULL)
    return;

  command = mail_imap_command_new ("UID SEARCH");
  if (mail_imap_client_get_utf8_accept (self))
    mail_imap_command_add_atom (command, criteria);
  else
    mail_imap_command_add_printf (command, "CHARSET UTF-8 %s", criteria);
  run_op (task, g_steal_pointer (&command), MAIL_IMAP_RUN_NONE, search_untagged, search_cb);
}

/**
 * mail_imap_client_search_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type guint32): the matching UIDs
 */
GArray *
mail_imap_client_search_finish (MailImapClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_pointer (self, result, error);
}

/**
 * mail_imap_client_noop_async:
 * @self: a connected #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Sends NOOP; pending untagged data (new mail, expunges, flag changes) arrives as signals.
 */
void
mail_imap_client_noop_async (MailImapClient      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = begin_op (self, mail_imap_client_noop_async, "NOOP",
                   MAIL_IMAP_STATE_NOT_AUTHENTICATED, cancellable, callback, user_data);
  if (task == NULL)
    return;

  run_op (task, mail_imap_command_new ("NOOP"), MAIL_IMAP_RUN_NONE, NULL, boolean_cb);
}

/**
 * mail_imap_client_noop_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_noop_finish (MailImapClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_boolean (self, result, error);
}

static void
logout_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  mail_connection_close_finish (MAIL_CONNECTION (object), result, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailImapClient *self = MAIL_IMAP_CLIENT (object);
  g_autoptr(MailImapResponse) response = end_op (task, result);

  if (response == NULL)
    return;

  mail_imap_client_set_state (self, MAIL_IMAP_STATE_LOGOUT);
  mail_connection_close_async (self->connection, NULL, logout_closed_cb,
                               g_steal_pointer (&task));
}

/**
 * mail_imap_client_logout_async:
 * @self: a connected #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Ends the session (LOGOUT) and closes the connection.
 */
void
mail_imap_client_logout_async (MailImapClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = begin_op (self, mail_imap_client_logout_async, "LOGOUT",
                   MAIL_IMAP_STATE_NOT_AUTHENTICATED, cancellable, callback, user_data);
  if (task == NULL)
    return;

  self->idle_wanted = FALSE;
  run_op (task, mail_imap_command_new ("LOGOUT"),
          MAIL_IMAP_RUN_EXCLUSIVE | MAIL_IMAP_RUN_LOGOUT, NULL, logout_cb);
}

/**
 * mail_imap_client_logout_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_logout_finish (MailImapClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_boolean (self, result, error);
}
