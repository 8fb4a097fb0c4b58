/* mail-store-op.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MailStoreOpKind:
 * @MAIL_STORE_OP_SET_FLAGS: change flags of messages on the server
 * @MAIL_STORE_OP_MOVE: move messages to another folder
 * @MAIL_STORE_OP_DELETE: delete (expunge) messages
 * @MAIL_STORE_OP_APPEND: append a message (a draft, a sent message) to a folder
 *
 * What a queued local operation does. Its arguments are a #GVariant whose shape is agreed
 * between whoever queues the operation and the sync engine that replays it.
 */
typedef enum
{
  MAIL_STORE_OP_SET_FLAGS = 1,
  MAIL_STORE_OP_MOVE      = 2,
  MAIL_STORE_OP_DELETE    = 3,
  MAIL_STORE_OP_APPEND    = 4,
} MailStoreOpKind;

/**
 * MailStoreOpState:
 * @MAIL_STORE_OP_STATE_PENDING: waiting to be replayed
 * @MAIL_STORE_OP_STATE_RUNNING: being replayed; reset to pending when the store is reopened
 * @MAIL_STORE_OP_STATE_FAILED: given up on; kept for the person to see
 */
typedef enum
{
  MAIL_STORE_OP_STATE_PENDING = 0,
  MAIL_STORE_OP_STATE_RUNNING = 1,
  MAIL_STORE_OP_STATE_FAILED  = 2,
} MailStoreOpState;

#define MAIL_TYPE_STORE_OP (mail_store_op_get_type ())

/**
 * MailStoreOp:
 * @id: id of the operation, increasing in the order they were queued
 * @kind: a #MailStoreOpKind
 * @folder_id: the folder it acts on, or 0
 * @args: the arguments
 * @state: a #MailStoreOpState
 * @attempts: how many times a replay was started
 * @last_error: (nullable): why the last attempt failed
 * @created: when it was queued, Unix time
 *
 * A queued local operation, read back from the store.
 */
typedef struct
{
  gint64            id;
  MailStoreOpKind   kind;
  gint64            folder_id;
  GVariant         *args;
  MailStoreOpState  state;
  guint             attempts;
  char             *last_error;
  gint64            created;
} MailStoreOp;

GType        mail_store_op_get_type (void) G_GNUC_CONST;
MailStoreOp *mail_store_op_copy     (const MailStoreOp *self) G_GNUC_WARN_UNUSED_RESULT;
void         mail_store_op_free     (MailStoreOp       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailStoreOp, mail_store_op_free)

G_END_DECLS
