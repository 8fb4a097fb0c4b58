/* mail-imap-command.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* LITERAL- (RFC 7888) allows non-synchronizing literals up to this size. */
#define MAIL_IMAP_LITERAL_MINUS_MAX 4096

/**
 * MailImapLiteralMode:
 * @MAIL_IMAP_LITERAL_SYNC: every literal waits for the server's continuation request
 * @MAIL_IMAP_LITERAL_MINUS: LITERAL-: literals up to 4096 bytes are sent at once
 * @MAIL_IMAP_LITERAL_PLUS: LITERAL+: every literal is sent at once
 *
 * How literals may be sent, from the server's capabilities.
 */
typedef enum
{
  MAIL_IMAP_LITERAL_SYNC,
  MAIL_IMAP_LITERAL_MINUS,
  MAIL_IMAP_LITERAL_PLUS,
} MailImapLiteralMode;

/**
 * MailImapCommandPart:
 * @text: text to send (without CRLF); for all parts but the last, a literal follows it
 * @literal: (nullable): the literal's bytes in memory
 * @stream: (nullable): the literal's bytes as a stream (read once)
 * @size: the literal's size
 *
 * One piece of a command on the wire: text, then (except for the last piece) a literal.
 */
typedef struct
{
  GString      *text;
  GBytes       *literal;
  GInputStream *stream;
  guint64       size;
} MailImapCommandPart;

typedef struct _MailImapCommand MailImapCommand;

MailImapCommand *mail_imap_command_new              (const char          *name)
                                                     G_GNUC_WARN_UNUSED_RESULT;
void             mail_imap_command_free             (MailImapCommand     *self);
const char      *mail_imap_command_get_name         (MailImapCommand     *self);
void             mail_imap_command_add_atom         (MailImapCommand     *self,
                                                     const char          *atom);
void             mail_imap_command_add_printf       (MailImapCommand     *self,
                                                     const char          *format,
                                                     ...) G_GNUC_PRINTF (2, 3);
void             mail_imap_command_add_raw          (MailImapCommand     *self,
                                                     const char          *text);
gboolean         mail_imap_command_add_string       (MailImapCommand     *self,
                                                     const char          *string,
                                                     gboolean             utf8_accept,
                                                     GError             **error);
gboolean         mail_imap_command_add_mailbox      (MailImapCommand     *self,
                                                     const char          *mailbox,
                                                     gboolean             utf8_accept,
                                                     GError             **error);
void             mail_imap_command_add_literal      (MailImapCommand     *self,
                                                     GBytes              *bytes);
void             mail_imap_command_add_literal_stream (MailImapCommand   *self,
                                                     GInputStream        *stream,
                                                     guint64              size);
guint            mail_imap_command_get_n_parts      (MailImapCommand     *self);
const MailImapCommandPart *mail_imap_command_get_part (MailImapCommand   *self,
                                                     guint                index);
gboolean         mail_imap_command_literal_is_sync  (MailImapCommand     *self,
                                                     guint                index,
                                                     MailImapLiteralMode  mode);
char            *mail_imap_command_format_part      (MailImapCommand     *self,
                                                     guint                index,
                                                     const char          *tag,
                                                     MailImapLiteralMode  mode)
                                                     G_GNUC_WARN_UNUSED_RESULT;
void             mail_imap_command_set_sink         (MailImapCommand     *self,
                                                     GOutputStream       *sink);
GOutputStream   *mail_imap_command_get_sink         (MailImapCommand     *self);
char            *mail_imap_command_to_string        (MailImapCommand     *self,
                                                     const char          *tag)
                                                     G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapCommand, mail_imap_command_free)

G_END_DECLS
