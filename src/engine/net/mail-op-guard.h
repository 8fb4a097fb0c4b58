/* mail-op-guard.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What an operation was doing, for the wording of its error. */
typedef enum
{
  MAIL_OP_CONNECT,
  MAIL_OP_TLS,
  MAIL_OP_READ,
  MAIL_OP_WRITE,
} MailOpContext;

/* One operation's cancellation: a caller's cancellable and an inactivity timer both
 * cancel the internal `cancellable`, which is what is passed to GIO. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *user_cancellable;
  GSource *timeout_source;
  GMainContext *context;
  gulong user_handler;
  guint timeout_ms;
  gboolean timed_out;
} MailOpGuard;

void    mail_op_guard_init      (MailOpGuard   *guard,
                                 GCancellable  *user_cancellable,
                                 guint          timeout_ms);
void    mail_op_guard_arm       (MailOpGuard   *guard);
void    mail_op_guard_clear     (MailOpGuard   *guard);
GError *mail_op_guard_translate (MailOpGuard   *guard,
                                 GError        *error,
                                 MailOpContext  context,
                                 const char    *host);

G_END_DECLS
