/* mail-imap-client-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-client.h"
#include "mail-imap-command.h"
#include "mail-imap-response.h"

#include "mail-imap-parser.h"

G_BEGIN_DECLS

/* Shared by the mail-imap-client*.c files: the command engine's internal API. */

typedef struct _MailImapRun MailImapRun;

struct _MailImapClient
{
  GObject          parent_instance;

  /* owned references */
  MailConnection  *connection;
  MailImapParser  *parser;
  GError          *error;            /* the session's fatal error, once it failed */
  GTask           *greeting_task;    /* waiting for the greeting (connect) */
  GBytes          *chunk;            /* the literal bytes being fed to the parser */
  GQueue           sink_writes;      /* GBytes* of body literal waiting to be written */
  GOutputStream   *sink;             /* where sink_writes go */
  GSource         *watchdog;

  /* command engine */
  GQueue           queue;            /* MailImapRun*, not sent yet */
  GQueue           in_flight;        /* MailImapRun*, sent or being sent, in order */
  GHashTable      *tags;             /* tag → MailImapRun*, for in_flight */
  MailImapRun     *writing;          /* being written */
  MailImapRun     *cont_owner;       /* waiting for a continuation request */
  gboolean         cont_literal;     /* ... to send its next literal */
  guint            next_tag;
  guint            n_exclusive;      /* exclusive commands in flight */
  guint            untagged_bad;
  gint64           last_activity;
  gboolean         reading;
  gboolean         awaiting_greeting;
  gboolean         upgrading;        /* between the STARTTLS OK and the handshake's end */
  gboolean         logging_out;

  /* session */
  MailImapState    state;
  GStrv            capabilities;
  GStrv            enabled;
  char            *mechanism;
  char            *selected;
  guint32          exists;
  gboolean         idling;           /* IDLE accepted, DONE not sent yet */
  gboolean         idle_wanted;
  gboolean         idle_running;     /* an IDLE command is outstanding */
  gboolean         idle_done_sent;
  GSource         *idle_timer;
  GTask           *idle_start_task;
  GTask           *idle_stop_task;
  guint            saved_read_timeout;
  guint            idle_interval;
  guint            command_timeout;
};

typedef enum
{
  MAIL_IMAP_RUN_NONE         = 0,
  MAIL_IMAP_RUN_EXCLUSIVE    = 1 << 0, /* nothing pipelined before or after it */
  MAIL_IMAP_RUN_SENSITIVE    = 1 << 1, /* the command carries a secret (LOGIN) */
  MAIL_IMAP_RUN_CONTINUATION = 1 << 2, /* the command takes "+" itself (AUTHENTICATE, IDLE) */
  MAIL_IMAP_RUN_BODY         = 1 << 3, /* literals are message content (for the log) */
  MAIL_IMAP_RUN_STARTTLS     = 1 << 4, /* stop reading and writing after its OK */
  MAIL_IMAP_RUN_LOGOUT       = 1 << 5, /* BYE is expected */
} MailImapRunFlags;

/* Offered every untagged response while the command is outstanding; returns TRUE when it
 * took the response (then no signal is emitted for it). */
typedef gboolean (*MailImapUntaggedFunc)     (MailImapClient   *self,
                                              MailImapResponse *response,
                                              gpointer          data);
/* Called for each continuation request of a MAIL_IMAP_RUN_CONTINUATION command. */
typedef void     (*MailImapContinuationFunc) (MailImapClient   *self,
                                              MailImapResponse *response,
                                              gpointer          data);

void              mail_imap_client_run_async          (MailImapClient           *self,
                                                       MailImapCommand          *command,
                                                       MailImapRunFlags          flags,
                                                       MailImapUntaggedFunc      untagged,
                                                       MailImapContinuationFunc  continuation,
                                                       gpointer                  data,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
MailImapResponse *mail_imap_client_run_finish         (MailImapClient           *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
gboolean          mail_imap_client_check_ok           (MailImapClient           *self,
                                                       MailImapResponse         *response,
                                                       const char               *command,
                                                       GError                  **error);
void              mail_imap_client_send_line          (MailImapClient           *self,
                                                       const char               *line,
                                                       MailLogFlags              flags);
void              mail_imap_client_fail               (MailImapClient           *self,
                                                       GError                   *error);
gboolean          mail_imap_client_check_ready        (MailImapClient           *self,
                                                       MailImapState             min_state,
                                                       GError                  **error);
gboolean          mail_imap_client_may_show_server_text (MailImapClient         *self);
gboolean          mail_imap_client_get_utf8_accept    (MailImapClient           *self);
void              mail_imap_client_set_state          (MailImapClient           *self,
                                                       MailImapState             state);
void              mail_imap_client_set_capabilities   (MailImapClient           *self,
                                                       GStrv                     capabilities);
void              mail_imap_client_set_enabled        (MailImapClient           *self,
                                                       const char * const       *enabled);
void              mail_imap_client_set_mechanism      (MailImapClient           *self,
                                                       const char               *mechanism);
void              mail_imap_client_set_selected       (MailImapClient           *self,
                                                       const char               *mailbox);
void              mail_imap_client_pump               (MailImapClient           *self);
void              mail_imap_client_ensure_reading     (MailImapClient           *self);

/* mail-imap-client-idle.c */
/* Called by the engine when commands wait while IDLE runs, or when all is quiet. */
void              mail_imap_client_idle_poke          (MailImapClient           *self);
void              mail_imap_client_idle_clear         (MailImapClient           *self,
                                                       const GError             *error);

G_END_DECLS
