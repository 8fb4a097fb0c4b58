/* mail-imap-fetch.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-imap-response.h"

G_BEGIN_DECLS

/**
 * MailImapAddress:
 * @name: (nullable): the display name, raw (may be RFC 2047 encoded)
 * @adl: (nullable): the obsolete source route
 * @mailbox: (nullable): the local part; %NULL only for an empty group
 * @host: (nullable): the domain
 * @group: (nullable): the name of the group this address belongs to
 *
 * One address of an ENVELOPE address list. An empty group (`undisclosed-recipients:;`)
 * appears as one entry with only @group set.
 */
typedef struct
{
  char *name;
  char *adl;
  char *mailbox;
  char *host;
  char *group;
} MailImapAddress;

/**
 * MailImapEnvelope:
 * @date_raw: (nullable): the Date header as sent
 * @date: (nullable): @date_raw parsed, %NULL if absent or unparsable
 * @subject: (nullable): the Subject header, raw
 * @from: (element-type MailImapAddress): From
 * @sender: (element-type MailImapAddress): Sender
 * @reply_to: (element-type MailImapAddress): Reply-To
 * @to: (element-type MailImapAddress): To
 * @cc: (element-type MailImapAddress): Cc
 * @bcc: (element-type MailImapAddress): Bcc
 * @in_reply_to: (nullable): In-Reply-To
 * @message_id: (nullable): Message-ID
 *
 * A FETCH ENVELOPE.
 */
typedef struct
{
  char      *date_raw;
  GDateTime *date;
  char      *subject;
  GPtrArray *from;
  GPtrArray *sender;
  GPtrArray *reply_to;
  GPtrArray *to;
  GPtrArray *cc;
  GPtrArray *bcc;
  char      *in_reply_to;
  char      *message_id;
} MailImapEnvelope;

typedef struct _MailImapBodyPart MailImapBodyPart;

/**
 * MailImapBodyPart:
 * @parent: (nullable): the enclosing multipart or message/rfc822 part
 * @children: (element-type MailImapBodyPart) (nullable): the parts of a multipart, or the one
 *   encapsulated body of a message/rfc822 part
 * @section: the part specifier for `BODY[...]` ("" for a top-level multipart, "1", "2.1", ...)
 * @type: media type, lower case
 * @subtype: media subtype, lower case
 * @params: (nullable): content-type parameters, name/value pairs, names lower case
 * @id: (nullable): Content-ID
 * @description: (nullable): Content-Description
 * @encoding: (nullable): Content-Transfer-Encoding, lower case
 * @size: body size in octets (as encoded)
 * @lines: size in lines (text/\* and message/rfc822)
 * @md5: (nullable): Content-MD5 (extension data)
 * @disposition: (nullable): Content-Disposition type, lower case
 * @disposition_params: (nullable): disposition parameters, name/value pairs
 * @filename: (nullable): the `filename` disposition parameter, or else the `name` type
 *   parameter; server-supplied: never use it as a path
 * @language: (nullable): Content-Language
 * @location: (nullable): Content-Location
 * @boundary: (nullable): the multipart boundary
 * @charset: (nullable): the charset parameter
 * @envelope: (nullable): the envelope of a message/rfc822 part
 *
 * One node of a BODYSTRUCTURE tree.
 */
struct _MailImapBodyPart
{
  MailImapBodyPart  *parent;
  GPtrArray         *children;
  char              *section;
  char              *type;
  char              *subtype;
  char             **params;
  char              *id;
  char              *description;
  char              *encoding;
  guint64            size;
  guint64            lines;
  char              *md5;
  char              *disposition;
  char             **disposition_params;
  char              *filename;
  char             **language;
  char              *location;
  char              *boundary;
  char              *charset;
  MailImapEnvelope  *envelope;
};

/**
 * MailImapFetchFields:
 * @MAIL_IMAP_FETCH_UID: UID
 * @MAIL_IMAP_FETCH_FLAGS: FLAGS
 * @MAIL_IMAP_FETCH_INTERNALDATE: INTERNALDATE
 * @MAIL_IMAP_FETCH_RFC822_SIZE: RFC822.SIZE
 * @MAIL_IMAP_FETCH_MODSEQ: MODSEQ
 * @MAIL_IMAP_FETCH_ENVELOPE: ENVELOPE
 * @MAIL_IMAP_FETCH_BODYSTRUCTURE: BODYSTRUCTURE (or BODY)
 * @MAIL_IMAP_FETCH_SECTIONS: at least one BODY[...], BINARY[...] or RFC822* item
 *
 * Which items a FETCH response carried.
 */
typedef enum
{
  MAIL_IMAP_FETCH_UID           = 1 << 0,
  MAIL_IMAP_FETCH_FLAGS         = 1 << 1,
  MAIL_IMAP_FETCH_INTERNALDATE  = 1 << 2,
  MAIL_IMAP_FETCH_RFC822_SIZE   = 1 << 3,
  MAIL_IMAP_FETCH_MODSEQ        = 1 << 4,
  MAIL_IMAP_FETCH_ENVELOPE      = 1 << 5,
  MAIL_IMAP_FETCH_BODYSTRUCTURE = 1 << 6,
  MAIL_IMAP_FETCH_SECTIONS      = 1 << 7,
} MailImapFetchFields;

/**
 * MailImapFetchSection:
 * @item: the item name as sent (`BODY[1.2]<0>`, `BINARY[2]`, `RFC822.HEADER`)
 * @section: the section inside the brackets ("" for `BODY[]`, `HEADER` for RFC822.HEADER,
 *   `TEXT` for RFC822.TEXT)
 * @binary: a BINARY[] item
 * @origin: the `<origin>` of a partial fetch, or -1
 * @value: (nullable): the literal, quoted string or streamed node (borrowed from the
 *   response); %NULL for NIL
 *
 * A body section returned by FETCH.
 */
typedef struct
{
  const char          *item;
  char                *section;
  gboolean             binary;
  gint64               origin;
  const MailImapValue *value;
} MailImapFetchSection;

/**
 * MailImapFetch:
 * @seqno: the message sequence number
 * @fields: which of the fields below were present
 * @uid: UID
 * @flags: (nullable): FLAGS
 * @internaldate: (nullable): INTERNALDATE
 * @rfc822_size: RFC822.SIZE
 * @modseq: MODSEQ
 * @envelope: (nullable): ENVELOPE
 * @body: (nullable): BODYSTRUCTURE (or BODY)
 * @sections: (element-type MailImapFetchSection): body sections
 * @response: the response (kept alive for @sections)
 *
 * A decoded untagged FETCH response. Unknown items are skipped.
 */
typedef struct
{
  guint32               seqno;
  MailImapFetchFields   fields;
  guint32               uid;
  char                **flags;
  GDateTime            *internaldate;
  guint64               rfc822_size;
  guint64               modseq;
  MailImapEnvelope     *envelope;
  MailImapBodyPart     *body;
  GArray               *sections;
  MailImapResponse     *response;
} MailImapFetch;

MailImapFetch          *mail_imap_decode_fetch             (MailImapResponse        *response,
                                                            GError                 **error)
                                                            G_GNUC_WARN_UNUSED_RESULT;
void                    mail_imap_fetch_free               (MailImapFetch           *fetch);
const MailImapFetchSection *mail_imap_fetch_find_section   (const MailImapFetch     *fetch,
                                                            const char              *section);

MailImapEnvelope       *mail_imap_decode_envelope          (const MailImapValue     *value,
                                                            GError                 **error)
                                                            G_GNUC_WARN_UNUSED_RESULT;
void                    mail_imap_envelope_free            (MailImapEnvelope        *envelope);

MailImapBodyPart       *mail_imap_decode_bodystructure     (const MailImapValue     *value,
                                                            GError                 **error)
                                                            G_GNUC_WARN_UNUSED_RESULT;
void                    mail_imap_body_part_free           (MailImapBodyPart        *part);
const MailImapBodyPart *mail_imap_body_part_find           (const MailImapBodyPart  *root,
                                                            const char              *section);
guint                   mail_imap_body_part_count          (const MailImapBodyPart  *root);
const char             *mail_imap_body_part_get_param      (const MailImapBodyPart  *part,
                                                            const char              *name);

GDateTime              *mail_imap_parse_internaldate       (const char              *str,
                                                            GError                 **error)
                                                            G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapFetch, mail_imap_fetch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapEnvelope, mail_imap_envelope_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapBodyPart, mail_imap_body_part_free)

G_END_DECLS
