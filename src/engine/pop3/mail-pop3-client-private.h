/* mail-pop3-client-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-pop3-client.h"

G_BEGIN_DECLS

/* Shared by mail-pop3-client.c and mail-pop3-client-auth.c. */

typedef enum
{
  MAIL_POP3_COMMAND_SINGLE    = 0,
  MAIL_POP3_COMMAND_MULTILINE = 1 << 0, /* a listing follows +OK */
  MAIL_POP3_COMMAND_RAW       = 1 << 1, /* return -ERR as a response, not as an error */
  MAIL_POP3_COMMAND_CONTINUE  = 1 << 2, /* "+ " (SASL challenge) is a valid answer */
} MailPop3CommandFlags;

void              mail_pop3_client_command_async        (MailPop3Client        *self,
                                                         const char            *line,
                                                         MailLogFlags           log_flags,
                                                         MailPop3CommandFlags   flags,
                                                         MailPop3Stage          stage,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
MailPop3Response *mail_pop3_client_command_finish       (MailPop3Client        *self,
                                                         GAsyncResult          *result,
                                                         MailPop3Multiline    **lines,
                                                         GError               **error);
gboolean          mail_pop3_client_may_show_server_text (MailPop3Client        *self);
gboolean          mail_pop3_client_check_ready          (MailPop3Client        *self,
                                                         gboolean               need_connected,
                                                         GError               **error);
void              mail_pop3_client_set_busy             (MailPop3Client        *self,
                                                         gboolean               busy);
void              mail_pop3_client_set_authenticated    (MailPop3Client        *self,
                                                         const char            *mechanism);

G_END_DECLS
