/* mail-imap-response.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MailImapValueType:
 * @MAIL_IMAP_VALUE_NIL: the atom `NIL`
 * @MAIL_IMAP_VALUE_ATOM: an atom (also numbers, flags like `\Seen`, `BODY[1]<0>`)
 * @MAIL_IMAP_VALUE_QUOTED: a quoted string, unescaped
 * @MAIL_IMAP_VALUE_LITERAL: a literal `{n}` or literal8 `~{n}` held in memory
 * @MAIL_IMAP_VALUE_STREAMED: a literal whose bytes went to the literal sink; only its size is kept
 * @MAIL_IMAP_VALUE_LIST: a parenthesised list
 *
 * The kinds of node in a #MailImapResponse tree.
 */
typedef enum
{
  MAIL_IMAP_VALUE_NIL,
  MAIL_IMAP_VALUE_ATOM,
  MAIL_IMAP_VALUE_QUOTED,
  MAIL_IMAP_VALUE_LITERAL,
  MAIL_IMAP_VALUE_STREAMED,
  MAIL_IMAP_VALUE_LIST,
} MailImapValueType;

typedef struct _MailImapValue MailImapValue;

/**
 * MailImapValue:
 * @type: a #MailImapValueType
 * @binary: %TRUE for a literal8 (`~{n}`)
 * @n_children: number of children of a list
 * @len: length in bytes of a string; the announced size of a streamed literal
 * @str: the bytes of a string, NUL-terminated (they may contain NUL bytes when they come from
 *   a literal: use @len); %NULL for NIL, lists and streamed literals
 * @children: the children of a list
 *
 * One node of a response. Nodes belong to their #MailImapResponse and are read-only; walk them
 * directly or with the accessors below.
 */
struct _MailImapValue
{
  MailImapValueType  type;
  gboolean           binary;
  guint              n_children;
  gsize              len;
  const char        *str;
  MailImapValue    **children;
};

/**
 * MailImapResponseKind:
 * @MAIL_IMAP_RESPONSE_UNTAGGED: `* ...`
 * @MAIL_IMAP_RESPONSE_TAGGED: `A1 OK ...`, the completion of a command
 * @MAIL_IMAP_RESPONSE_CONTINUATION: `+ ...`, a continuation request
 *
 * The three shapes of server response.
 */
typedef enum
{
  MAIL_IMAP_RESPONSE_UNTAGGED,
  MAIL_IMAP_RESPONSE_TAGGED,
  MAIL_IMAP_RESPONSE_CONTINUATION,
} MailImapResponseKind;

/**
 * MailImapStatus:
 * @MAIL_IMAP_STATUS_NONE: not a status response (data, or a continuation)
 * @MAIL_IMAP_STATUS_OK: `OK`
 * @MAIL_IMAP_STATUS_NO: `NO`
 * @MAIL_IMAP_STATUS_BAD: `BAD`
 * @MAIL_IMAP_STATUS_PREAUTH: `PREAUTH` (greeting only)
 * @MAIL_IMAP_STATUS_BYE: `BYE`
 *
 * The condition of a status response.
 */
typedef enum
{
  MAIL_IMAP_STATUS_NONE,
  MAIL_IMAP_STATUS_OK,
  MAIL_IMAP_STATUS_NO,
  MAIL_IMAP_STATUS_BAD,
  MAIL_IMAP_STATUS_PREAUTH,
  MAIL_IMAP_STATUS_BYE,
} MailImapStatus;

typedef struct _MailImapResponse MailImapResponse;

#define MAIL_TYPE_IMAP_RESPONSE (mail_imap_response_get_type ())

GType                 mail_imap_response_get_type      (void) G_GNUC_CONST;
MailImapResponse     *mail_imap_response_ref           (MailImapResponse     *self);
void                  mail_imap_response_unref         (MailImapResponse     *self);
MailImapResponseKind  mail_imap_response_get_kind      (MailImapResponse     *self);
const char           *mail_imap_response_get_tag       (MailImapResponse     *self);
MailImapStatus        mail_imap_response_get_status    (MailImapResponse     *self);
const char           *mail_imap_response_get_name      (MailImapResponse     *self);
gboolean              mail_imap_response_has_number    (MailImapResponse     *self);
guint32               mail_imap_response_get_number    (MailImapResponse     *self);
gboolean              mail_imap_response_is_name       (MailImapResponse     *self,
                                                        const char           *name);
const char           *mail_imap_response_get_code      (MailImapResponse     *self);
const MailImapValue  *mail_imap_response_get_code_args (MailImapResponse     *self);
const char           *mail_imap_response_get_code_text (MailImapResponse     *self);
const char           *mail_imap_response_get_text      (MailImapResponse     *self);
const MailImapValue  *mail_imap_response_get_data      (MailImapResponse     *self);
gsize                 mail_imap_response_get_size      (MailImapResponse     *self);
char                 *mail_imap_response_dump          (MailImapResponse     *self)
                                                        G_GNUC_WARN_UNUSED_RESULT;

gboolean              mail_imap_value_is_nil           (const MailImapValue  *value);
gboolean              mail_imap_value_is_list          (const MailImapValue  *value);
gboolean              mail_imap_value_is_string        (const MailImapValue  *value);
gboolean              mail_imap_value_is_atom          (const MailImapValue  *value,
                                                        const char           *atom);
const char           *mail_imap_value_get_string       (const MailImapValue  *value,
                                                        gsize                *len);
const char           *mail_imap_value_get_cstring      (const MailImapValue  *value);
guint                 mail_imap_value_get_n_children   (const MailImapValue  *value);
const MailImapValue  *mail_imap_value_get_child        (const MailImapValue  *value,
                                                        guint                 index);
gboolean              mail_imap_value_get_uint32       (const MailImapValue  *value,
                                                        guint32              *out);
gboolean              mail_imap_value_get_uint64       (const MailImapValue  *value,
                                                        guint64              *out);

gboolean              mail_imap_parse_number           (const char           *str,
                                                        gsize                 len,
                                                        guint64               max,
                                                        guint64              *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapResponse, mail_imap_response_unref)

G_END_DECLS
