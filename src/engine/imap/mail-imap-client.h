/* mail-imap-client.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-connection.h"
#include "mail-imap-client-error.h"
#include "mail-imap-decode.h"
#include "mail-imap-error.h"
#include "mail-imap-fetch.h"
#include "mail-imap-sequence-set.h"
#include "mail-imap-state.h"

G_BEGIN_DECLS

/* Default IDLE refresh: RFC 2177 asks clients to re-issue IDLE at least every 29 minutes. */
#define MAIL_IMAP_CLIENT_DEFAULT_IDLE_INTERVAL   (28 * 60)
/* Default time without any server response while a command is outstanding. */
#define MAIL_IMAP_CLIENT_DEFAULT_COMMAND_TIMEOUT (60 * 1000)

#define MAIL_TYPE_IMAP_CLIENT (mail_imap_client_get_type ())

/**
 * MailImapClient:
 *
 * The IMAP command engine over a #MailConnection: tags, a queue, pipelining where allowed,
 * literals, per-command inactivity timeout, cancellation, typed results, untagged data as
 * signals.
 *
 * |[<!-- language="C" -->
 * client = mail_imap_client_new (connection);
 * mail_imap_client_connect_async (client, ...);   // greeting, CAPABILITY, STARTTLS, CAPABILITY
 * mail_imap_client_login_async (client, user, password, "auto", ...);
 * mail_imap_client_select_async (client, "INBOX", FALSE, TRUE, NULL, ...);
 * options.fields = MAIL_IMAP_FETCH_FLAGS | MAIL_IMAP_FETCH_ENVELOPE;
 * mail_imap_client_fetch_async (client, "1:*", &options, per_message_cb, data, ...);
 * mail_imap_client_idle_start_async (client, ...);   // then the signals tell what changes
 * ]|
 *
 * Several operations may be outstanding; they are sent in order, pipelined except around
 * STARTTLS, AUTHENTICATE/LOGIN, SELECT/EXAMINE, IDLE and LOGOUT.
 *
 * Cancellation: a queued command is dropped unsent. A command already sent completes at
 * once with %G_IO_ERROR_CANCELLED; its responses are still read and dropped when they
 * arrive, so the stream stays in step. Cancelling in the middle of sending a literal (an
 * APPEND waiting for the server's go-ahead) or of a login exchange closes the connection,
 * since the command cannot be taken back half-way.
 *
 * After a network error, a protocol error (the server not speaking IMAP, a response not
 * valid in the current state, an unknown tag), a command timeout or a BYE, the session is
 * over: every outstanding operation fails, the connection is closed and #MailImapClient::closed
 * is emitted.
 */
G_DECLARE_FINAL_TYPE (MailImapClient, mail_imap_client, MAIL, IMAP_CLIENT, GObject)

/**
 * MailImapListFlags:
 * @MAIL_IMAP_LIST_NONE: a plain LIST
 * @MAIL_IMAP_LIST_SPECIAL_USE: ask for special-use attributes (RFC 6154) when offered
 * @MAIL_IMAP_LIST_STATUS: ask for STATUS of each mailbox (RFC 5819 LIST-STATUS) when offered
 * @MAIL_IMAP_LIST_SUBSCRIBED: only subscribed mailboxes (LIST-EXTENDED, or LSUB)
 *
 * Options of mail_imap_client_list_async().
 */
typedef enum
{
  MAIL_IMAP_LIST_NONE        = 0,
  MAIL_IMAP_LIST_SPECIAL_USE = 1 << 0,
  MAIL_IMAP_LIST_STATUS      = 1 << 1,
  MAIL_IMAP_LIST_SUBSCRIBED  = 1 << 2,
} MailImapListFlags;

/**
 * MailImapStoreMode:
 * @MAIL_IMAP_STORE_ADD: `+FLAGS`
 * @MAIL_IMAP_STORE_REMOVE: `-FLAGS`
 * @MAIL_IMAP_STORE_REPLACE: `FLAGS`
 *
 * How UID STORE changes flags.
 */
typedef enum
{
  MAIL_IMAP_STORE_ADD,
  MAIL_IMAP_STORE_REMOVE,
  MAIL_IMAP_STORE_REPLACE,
} MailImapStoreMode;

/**
 * MailImapQresync:
 * @uidvalidity: the UIDVALIDITY the cache belongs to
 * @modseq: the HIGHESTMODSEQ the cache is up to date with
 * @known_uids: (nullable): the UIDs the cache holds, e.g. `1:500`
 *
 * What the client knows of a mailbox, for SELECT (QRESYNC ...) (RFC 7162).
 */
typedef struct
{
  guint32     uidvalidity;
  guint64     modseq;
  const char *known_uids;
} MailImapQresync;

/**
 * MailImapSelectResult:
 * @info: what the server said about the mailbox
 * @vanished: (nullable): with QRESYNC, the UIDs expunged since @modseq (`VANISHED (EARLIER)`)
 * @changed: with QRESYNC, the #MailImapFetch of every message changed since @modseq
 *
 * The result of mail_imap_client_select_async().
 */
typedef struct
{
  MailImapSelectInfo   info;
  MailImapSequenceSet *vanished;
  GPtrArray           *changed;
} MailImapSelectResult;

/**
 * MailImapFetchFunc:
 * @client: the client
 * @fetch: one message's data; valid during the call only
 * @user_data: the data given to mail_imap_client_fetch_async()
 *
 * Receives each message of a FETCH as it arrives, so a large result is never held at once.
 */
typedef void (*MailImapFetchFunc) (MailImapClient      *client,
                                   const MailImapFetch *fetch,
                                   gpointer             user_data);

/**
 * MailImapFetchOptions:
 * @fields: what to fetch (%MAIL_IMAP_FETCH_UID is always included)
 * @sections: (nullable) (array zero-terminated=1): body sections to fetch, as in the protocol:
 *   `BODY.PEEK[]`, `BODY.PEEK[HEADER]`, `BODY.PEEK[1.2]<0.2048>`, `BINARY.PEEK[1]`
 * @changed_since: with CONDSTORE, only messages whose MODSEQ is higher (0: all)
 * @vanished: with QRESYNC and @changed_since, also report expunged UIDs (`VANISHED`)
 * @sink: (nullable): where message-body literals are written as they arrive, one after the
 *   other in message order; without a sink, they are discarded after their size is known
 *
 * What mail_imap_client_fetch_async() asks for.
 */
typedef struct
{
  MailImapFetchFields  fields;
  const char * const  *sections;
  guint64              changed_since;
  gboolean             vanished;
  GOutputStream       *sink;
} MailImapFetchOptions;

MailImapClient     *mail_imap_client_new                  (MailConnection         *connection)
                                                           G_GNUC_WARN_UNUSED_RESULT;
MailConnection     *mail_imap_client_get_connection       (MailImapClient         *self);
MailImapState       mail_imap_client_get_state            (MailImapClient         *self);
const char * const *mail_imap_client_get_capabilities     (MailImapClient         *self);
gboolean            mail_imap_client_has_capability       (MailImapClient         *self,
                                                           const char             *capability);
const char * const *mail_imap_client_get_enabled          (MailImapClient         *self);
const char         *mail_imap_client_get_mechanism        (MailImapClient         *self);
const char         *mail_imap_client_get_selected         (MailImapClient         *self);
guint32             mail_imap_client_get_exists           (MailImapClient         *self);
gboolean            mail_imap_client_get_is_idle          (MailImapClient         *self);
guint               mail_imap_client_get_idle_interval    (MailImapClient         *self);
void                mail_imap_client_set_idle_interval    (MailImapClient         *self,
                                                           guint                   seconds);
guint               mail_imap_client_get_command_timeout  (MailImapClient         *self);
void                mail_imap_client_set_command_timeout  (MailImapClient         *self,
                                                           guint                   timeout_ms);

void                mail_imap_client_connect_async        (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_connect_finish       (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                mail_imap_client_login_async          (MailImapClient         *self,
                                                           const char             *username,
                                                           const char             *password,
                                                           const char             *mechanism,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_login_finish         (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                mail_imap_client_capability_async     (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
GStrv               mail_imap_client_capability_finish    (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_client_enable_async         (MailImapClient         *self,
                                                           const char * const     *extensions,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
GStrv               mail_imap_client_enable_finish        (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_client_id_async             (MailImapClient         *self,
                                                           GHashTable             *params,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
GHashTable         *mail_imap_client_id_finish            (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_client_namespace_async      (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
MailImapNamespaces *mail_imap_client_namespace_finish     (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_client_list_async           (MailImapClient         *self,
                                                           const char             *reference,
                                                           const char             *pattern,
                                                           MailImapListFlags       flags,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
GPtrArray          *mail_imap_client_list_finish          (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GHashTable            **statuses,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_client_status_async         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           MailImapStatusItems     items,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
MailImapStatusData *mail_imap_client_status_finish        (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_client_select_async         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           gboolean                read_only,
                                                           gboolean                condstore,
                                                           const MailImapQresync  *qresync,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
MailImapSelectResult *mail_imap_client_select_finish      (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_select_result_free          (MailImapSelectResult   *result);
void                mail_imap_client_fetch_async          (MailImapClient         *self,
                                                           const char             *uid_set,
                                                           const MailImapFetchOptions *options,
                                                           MailImapFetchFunc       func,
                                                           gpointer                func_data,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
guint               mail_imap_client_fetch_finish         (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           MailImapSequenceSet   **vanished,
                                                           GError                **error);
void                mail_imap_client_store_async          (MailImapClient         *self,
                                                           const char             *uid_set,
                                                           MailImapStoreMode       mode,
                                                           const char * const     *flags,
                                                           gboolean                silent,
                                                           guint64                 unchanged_since,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_store_finish         (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           MailImapSequenceSet   **modified,
                                                           GError                **error);
void                mail_imap_client_copy_async           (MailImapClient         *self,
                                                           const char             *uid_set,
                                                           const char             *destination,
                                                           gboolean                move,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_copy_finish          (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           guint32                *uidvalidity,
                                                           MailImapSequenceSet   **source_uids,
                                                           MailImapSequenceSet   **dest_uids,
                                                           GError                **error);
void                mail_imap_client_append_async         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           const char * const     *flags,
                                                           GDateTime              *date,
                                                           GInputStream           *message,
                                                           guint64                 size,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_append_finish        (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           guint32                *uidvalidity,
                                                           guint32                *uid,
                                                           GError                **error);
void                mail_imap_client_expunge_async        (MailImapClient         *self,
                                                           const char             *uid_set,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_expunge_finish       (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                mail_imap_client_search_async         (MailImapClient         *self,
                                                           const char             *criteria,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
GArray             *mail_imap_client_search_finish        (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_client_noop_async           (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_noop_finish          (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                mail_imap_client_idle_start_async     (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_idle_start_finish    (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                mail_imap_client_idle_stop_async      (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_idle_stop_finish     (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                mail_imap_client_logout_async         (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean            mail_imap_client_logout_finish        (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapSelectResult, mail_imap_select_result_free)

G_END_DECLS
