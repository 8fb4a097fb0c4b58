/* mail-imap-parser.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-imap-response.h"

G_BEGIN_DECLS

/* Longest response line (including CRLF) buffered before the parser gives up. */
#define MAIL_IMAP_PARSER_DEFAULT_MAX_LINE_LENGTH      (1024 * 1024)
/* Largest literal kept in memory (mailbox names, envelopes, headers, small bodies). */
#define MAIL_IMAP_PARSER_DEFAULT_MAX_LITERAL_SIZE     (1024 * 1024)
/* Largest literal handed to the literal sink (BODY[]/BINARY[]/RFC822 in FETCH). */
#define MAIL_IMAP_PARSER_DEFAULT_MAX_STREAMED_SIZE    (64 * 1024 * 1024)
/* Deepest list nesting. */
#define MAIL_IMAP_PARSER_DEFAULT_MAX_DEPTH            64
/* Most memory one parsed response may take (nodes, strings and in-memory literals). */
#define MAIL_IMAP_PARSER_DEFAULT_MAX_RESPONSE_SIZE    (32 * 1024 * 1024)

/*
 * Use from a connection (a sketch):
 *
 *   parser = mail_imap_parser_new ();
 *   mail_imap_parser_set_literal_func (parser, body_sink_cb, state, NULL);  // optional
 *   on every chunk read:
 *     if (!mail_imap_parser_feed (parser, buf, n, &error)) → drop the connection
 *     while ((resp = mail_imap_parser_pop (parser)))
 *       mail_imap_validate_response (state, exists, tags, cont_expected, resp, &error) → dispatch
 *   on EOF: mail_imap_parser_finish (parser, &error)
 *   after the tagged OK to STARTTLS: mail_imap_parser_has_pending_data () must be FALSE
 *
 * A line-based reader uses mail_imap_parser_feed_line() for lines and
 * mail_imap_parser_get_literal_remaining() to know how many bytes to read next.
 */

#define MAIL_TYPE_IMAP_PARSER (mail_imap_parser_get_type ())

G_DECLARE_FINAL_TYPE (MailImapParser, mail_imap_parser, MAIL, IMAP_PARSER, GObject)

/**
 * MailImapLiteralInfo:
 * @response: the response being parsed (incomplete: name and number are set)
 * @section: the FETCH item the literal belongs to, as sent (`BODY[1.2]<0>`, `BINARY[]`, ...)
 * @size: the announced size of the literal
 * @offset: how many bytes of it were delivered before this call
 * @binary: %TRUE for a literal8 (`~{n}`)
 *
 * Where a streamed literal is in its life, given to a #MailImapLiteralFunc.
 */
typedef struct
{
  MailImapResponse *response;
  const char       *section;
  guint64           size;
  guint64           offset;
  gboolean          binary;
} MailImapLiteralInfo;

/**
 * MailImapLiteralFunc:
 * @parser: the parser
 * @info: which literal, and how far
 * @data: the next bytes of it
 * @len: the number of bytes; the call with `info->offset + len == info->size` is the last one
 *   (an empty literal gets a single call with @len 0)
 * @user_data: the data given with the function
 * @error: return location for an error that stops the parser
 *
 * Receives the bytes of a message-body literal while it arrives, so a large body is never
 * held in memory by the parser.
 *
 * Returns: %FALSE with @error set to fail the parse
 */
typedef gboolean (*MailImapLiteralFunc) (MailImapParser            *parser,
                                         const MailImapLiteralInfo *info,
                                         const guint8              *data,
                                         gsize                      len,
                                         gpointer                   user_data,
                                         GError                   **error);

MailImapParser   *mail_imap_parser_new                    (void) G_GNUC_WARN_UNUSED_RESULT;

void              mail_imap_parser_set_max_line_length    (MailImapParser       *self,
                                                           gsize                 max_line_length);
gsize             mail_imap_parser_get_max_line_length    (MailImapParser       *self);
void              mail_imap_parser_set_max_literal_size   (MailImapParser       *self,
                                                           guint64               max_size);
guint64           mail_imap_parser_get_max_literal_size   (MailImapParser       *self);
void              mail_imap_parser_set_max_streamed_size  (MailImapParser       *self,
                                                           guint64               max_size);
guint64           mail_imap_parser_get_max_streamed_size  (MailImapParser       *self);
void              mail_imap_parser_set_max_depth          (MailImapParser       *self,
                                                           guint                 max_depth);
guint             mail_imap_parser_get_max_depth          (MailImapParser       *self);
void              mail_imap_parser_set_max_response_size  (MailImapParser       *self,
                                                           gsize                 max_size);
gsize             mail_imap_parser_get_max_response_size  (MailImapParser       *self);
void              mail_imap_parser_set_utf8_accept        (MailImapParser       *self,
                                                           gboolean              utf8_accept);
gboolean          mail_imap_parser_get_utf8_accept        (MailImapParser       *self);

void              mail_imap_parser_set_literal_func       (MailImapParser       *self,
                                                           MailImapLiteralFunc   func,
                                                           gpointer              user_data,
                                                           GDestroyNotify        destroy);
void              mail_imap_parser_set_literal_stream     (MailImapParser       *self,
                                                           GOutputStream        *stream);

gboolean          mail_imap_parser_feed                   (MailImapParser       *self,
                                                           const guint8         *data,
                                                           gsize                 len,
                                                           GError              **error);
gboolean          mail_imap_parser_feed_line              (MailImapParser       *self,
                                                           const char           *line,
                                                           gsize                 len,
                                                           GError              **error);
guint64           mail_imap_parser_get_literal_remaining  (MailImapParser       *self);
gboolean          mail_imap_parser_finish                 (MailImapParser       *self,
                                                           GError              **error);

MailImapResponse *mail_imap_parser_pop                    (MailImapParser       *self)
                                                           G_GNUC_WARN_UNUSED_RESULT;
guint             mail_imap_parser_get_n_ready            (MailImapParser       *self);
gboolean          mail_imap_parser_has_pending_data       (MailImapParser       *self);
gsize             mail_imap_parser_get_memory_size        (MailImapParser       *self);
void              mail_imap_parser_reset                  (MailImapParser       *self);

G_END_DECLS
