/* mail-imap-decode.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-imap-response.h"
#include "mail-imap-sequence-set.h"

G_BEGIN_DECLS

/* Typed views of untagged responses and response codes. Every decoder checks every field
 * and fails with %MAIL_IMAP_ERROR_PARSE on anything malformed, never trusting counts or
 * shapes; none of them recurses. */

/* CAPABILITY and ENABLED */

GStrv     mail_imap_decode_capability               (MailImapResponse   *response,
                                                     GError            **error)
                                                     G_GNUC_WARN_UNUSED_RESULT;
gboolean  mail_imap_capabilities_has                (const char * const *capabilities,
                                                     const char         *capability);
GStrv     mail_imap_capabilities_get_auth_mechanisms (const char * const *capabilities)
                                                     G_GNUC_WARN_UNUSED_RESULT;
GStrv     mail_imap_decode_enabled                  (MailImapResponse   *response,
                                                     GError            **error)
                                                     G_GNUC_WARN_UNUSED_RESULT;

/* LIST / LSUB */

/**
 * MailImapMailboxAttributes:
 * @MAIL_IMAP_MAILBOX_NOSELECT: `\Noselect`
 * @MAIL_IMAP_MAILBOX_NOINFERIORS: `\Noinferiors`
 * @MAIL_IMAP_MAILBOX_MARKED: `\Marked`
 * @MAIL_IMAP_MAILBOX_UNMARKED: `\Unmarked`
 * @MAIL_IMAP_MAILBOX_HAS_CHILDREN: `\HasChildren`
 * @MAIL_IMAP_MAILBOX_HAS_NO_CHILDREN: `\HasNoChildren`
 * @MAIL_IMAP_MAILBOX_NONEXISTENT: `\NonExistent`
 * @MAIL_IMAP_MAILBOX_SUBSCRIBED: `\Subscribed`
 * @MAIL_IMAP_MAILBOX_REMOTE: `\Remote`
 * @MAIL_IMAP_MAILBOX_ALL: SPECIAL-USE `\All`
 * @MAIL_IMAP_MAILBOX_ARCHIVE: SPECIAL-USE `\Archive`
 * @MAIL_IMAP_MAILBOX_DRAFTS: SPECIAL-USE `\Drafts`
 * @MAIL_IMAP_MAILBOX_FLAGGED: SPECIAL-USE `\Flagged`
 * @MAIL_IMAP_MAILBOX_JUNK: SPECIAL-USE `\Junk`
 * @MAIL_IMAP_MAILBOX_SENT: SPECIAL-USE `\Sent`
 * @MAIL_IMAP_MAILBOX_TRASH: SPECIAL-USE `\Trash`
 * @MAIL_IMAP_MAILBOX_IMPORTANT: `\Important` (RFC 8457)
 *
 * Mailbox attributes of a LIST/LSUB response.
 */
typedef enum
{
  MAIL_IMAP_MAILBOX_NOSELECT        = 1 << 0,
  MAIL_IMAP_MAILBOX_NOINFERIORS     = 1 << 1,
  MAIL_IMAP_MAILBOX_MARKED          = 1 << 2,
  MAIL_IMAP_MAILBOX_UNMARKED        = 1 << 3,
  MAIL_IMAP_MAILBOX_HAS_CHILDREN    = 1 << 4,
  MAIL_IMAP_MAILBOX_HAS_NO_CHILDREN = 1 << 5,
  MAIL_IMAP_MAILBOX_NONEXISTENT     = 1 << 6,
  MAIL_IMAP_MAILBOX_SUBSCRIBED      = 1 << 7,
  MAIL_IMAP_MAILBOX_REMOTE          = 1 << 8,
  MAIL_IMAP_MAILBOX_ALL             = 1 << 9,
  MAIL_IMAP_MAILBOX_ARCHIVE         = 1 << 10,
  MAIL_IMAP_MAILBOX_DRAFTS          = 1 << 11,
  MAIL_IMAP_MAILBOX_FLAGGED         = 1 << 12,
  MAIL_IMAP_MAILBOX_JUNK            = 1 << 13,
  MAIL_IMAP_MAILBOX_SENT            = 1 << 14,
  MAIL_IMAP_MAILBOX_TRASH           = 1 << 15,
  MAIL_IMAP_MAILBOX_IMPORTANT       = 1 << 16,
} MailImapMailboxAttributes;

/**
 * MailImapListEntry:
 * @attributes: the known attributes
 * @other_attributes: (nullable): unknown attributes as sent
 * @delimiter: the hierarchy delimiter, or '\0' for NIL (a flat namespace)
 * @name: the mailbox name decoded to UTF-8 (may be "" in the reply to `LIST "" ""`)
 * @wire_name: the name as sent, for use in later commands
 *
 * One LIST or LSUB response.
 */
typedef struct
{
  MailImapMailboxAttributes   attributes;
  char                      **other_attributes;
  char                        delimiter;
  char                       *name;
  char                       *wire_name;
} MailImapListEntry;

MailImapListEntry *mail_imap_decode_list        (MailImapResponse   *response,
                                                 gboolean            utf8_accept,
                                                 GError            **error)
                                                 G_GNUC_WARN_UNUSED_RESULT;
void               mail_imap_list_entry_free    (MailImapListEntry  *entry);

/* STATUS */

/**
 * MailImapStatusItems:
 * @MAIL_IMAP_STATUS_ITEM_MESSAGES: `MESSAGES`
 * @MAIL_IMAP_STATUS_ITEM_RECENT: `RECENT`
 * @MAIL_IMAP_STATUS_ITEM_UIDNEXT: `UIDNEXT`
 * @MAIL_IMAP_STATUS_ITEM_UIDVALIDITY: `UIDVALIDITY`
 * @MAIL_IMAP_STATUS_ITEM_UNSEEN: `UNSEEN`
 * @MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ: `HIGHESTMODSEQ`
 * @MAIL_IMAP_STATUS_ITEM_SIZE: `SIZE`
 * @MAIL_IMAP_STATUS_ITEM_DELETED: `DELETED`
 *
 * Which STATUS items a response carried.
 */
typedef enum
{
  MAIL_IMAP_STATUS_ITEM_MESSAGES      = 1 << 0,
  MAIL_IMAP_STATUS_ITEM_RECENT        = 1 << 1,
  MAIL_IMAP_STATUS_ITEM_UIDNEXT       = 1 << 2,
  MAIL_IMAP_STATUS_ITEM_UIDVALIDITY   = 1 << 3,
  MAIL_IMAP_STATUS_ITEM_UNSEEN        = 1 << 4,
  MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ = 1 << 5,
  MAIL_IMAP_STATUS_ITEM_SIZE          = 1 << 6,
  MAIL_IMAP_STATUS_ITEM_DELETED       = 1 << 7,
} MailImapStatusItems;

/**
 * MailImapStatusData:
 * @name: the mailbox name in UTF-8
 * @wire_name: the name as sent
 * @items: which of the fields below were present
 * @messages: MESSAGES
 * @recent: RECENT
 * @uidnext: UIDNEXT
 * @uidvalidity: UIDVALIDITY
 * @unseen: UNSEEN
 * @deleted: DELETED
 * @highestmodseq: HIGHESTMODSEQ
 * @size: SIZE
 *
 * A STATUS response.
 */
typedef struct
{
  char                *name;
  char                *wire_name;
  MailImapStatusItems  items;
  guint32              messages;
  guint32              recent;
  guint32              uidnext;
  guint32              uidvalidity;
  guint32              unseen;
  guint32              deleted;
  guint64              highestmodseq;
  guint64              size;
} MailImapStatusData;

MailImapStatusData *mail_imap_decode_status      (MailImapResponse    *response,
                                                  gboolean             utf8_accept,
                                                  GError             **error)
                                                  G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_status_data_free   (MailImapStatusData  *data);

/* SELECT / EXAMINE */

/**
 * MailImapSelectItems:
 * @MAIL_IMAP_SELECT_EXISTS: EXISTS seen
 * @MAIL_IMAP_SELECT_RECENT: RECENT seen
 * @MAIL_IMAP_SELECT_FLAGS: FLAGS seen
 * @MAIL_IMAP_SELECT_PERMANENTFLAGS: PERMANENTFLAGS seen
 * @MAIL_IMAP_SELECT_UIDVALIDITY: UIDVALIDITY seen
 * @MAIL_IMAP_SELECT_UIDNEXT: UIDNEXT seen
 * @MAIL_IMAP_SELECT_UNSEEN: UNSEEN seen
 * @MAIL_IMAP_SELECT_HIGHESTMODSEQ: HIGHESTMODSEQ seen
 * @MAIL_IMAP_SELECT_NOMODSEQ: NOMODSEQ seen
 *
 * Which parts of a SELECT/EXAMINE result arrived.
 */
typedef enum
{
  MAIL_IMAP_SELECT_EXISTS         = 1 << 0,
  MAIL_IMAP_SELECT_RECENT         = 1 << 1,
  MAIL_IMAP_SELECT_FLAGS          = 1 << 2,
  MAIL_IMAP_SELECT_PERMANENTFLAGS = 1 << 3,
  MAIL_IMAP_SELECT_UIDVALIDITY    = 1 << 4,
  MAIL_IMAP_SELECT_UIDNEXT        = 1 << 5,
  MAIL_IMAP_SELECT_UNSEEN         = 1 << 6,
  MAIL_IMAP_SELECT_HIGHESTMODSEQ  = 1 << 7,
  MAIL_IMAP_SELECT_NOMODSEQ       = 1 << 8,
} MailImapSelectItems;

/**
 * MailImapSelectInfo:
 * @items: what arrived
 * @exists: EXISTS
 * @recent: RECENT
 * @uidvalidity: UIDVALIDITY
 * @uidnext: UIDNEXT
 * @unseen: UNSEEN (first unseen message number)
 * @highestmodseq: HIGHESTMODSEQ
 * @read_only: the tagged OK said READ-ONLY
 * @flags: (nullable): FLAGS
 * @permanent_flags: (nullable): PERMANENTFLAGS, without `\*`
 * @can_create_keywords: PERMANENTFLAGS had `\*`
 *
 * The state a SELECT or EXAMINE reports, built with mail_imap_select_info_update().
 */
typedef struct
{
  MailImapSelectItems   items;
  guint32               exists;
  guint32               recent;
  guint32               uidvalidity;
  guint32               uidnext;
  guint32               unseen;
  guint64               highestmodseq;
  gboolean              read_only;
  char                **flags;
  char                **permanent_flags;
  gboolean              can_create_keywords;
} MailImapSelectInfo;

void     mail_imap_select_info_clear  (MailImapSelectInfo  *info);
gboolean mail_imap_select_info_update (MailImapSelectInfo  *info,
                                       MailImapResponse    *response,
                                       GError             **error);

/* Flags */

GStrv    mail_imap_decode_flag_list   (const MailImapValue *value,
                                       GError             **error)
                                       G_GNUC_WARN_UNUSED_RESULT;

/* SEARCH / ESEARCH */

GArray  *mail_imap_decode_search      (MailImapResponse    *response,
                                       guint64             *modseq,
                                       GError             **error)
                                       G_GNUC_WARN_UNUSED_RESULT;

/**
 * MailImapEsearch:
 * @tag: (nullable): the correlator tag
 * @uid: the results are UIDs
 * @has_min: @min is set
 * @has_max: @max is set
 * @has_count: @count is set
 * @has_modseq: @modseq is set
 * @min: MIN
 * @max: MAX
 * @count: COUNT
 * @modseq: MODSEQ
 * @all: (nullable): ALL
 *
 * An ESEARCH response (RFC 4731).
 */
typedef struct
{
  char                *tag;
  gboolean             uid;
  gboolean             has_min;
  gboolean             has_max;
  gboolean             has_count;
  gboolean             has_modseq;
  guint32              min;
  guint32              max;
  guint32              count;
  guint64              modseq;
  MailImapSequenceSet *all;
} MailImapEsearch;

MailImapEsearch     *mail_imap_decode_esearch  (MailImapResponse  *response,
                                                GError           **error)
                                                G_GNUC_WARN_UNUSED_RESULT;
void                 mail_imap_esearch_free    (MailImapEsearch   *esearch);

/* VANISHED (RFC 7162) */

MailImapSequenceSet *mail_imap_decode_vanished (MailImapResponse  *response,
                                                gboolean          *earlier,
                                                GError           **error)
                                                G_GNUC_WARN_UNUSED_RESULT;

/* NAMESPACE (RFC 2342) */

/**
 * MailImapNamespace:
 * @prefix: the prefix, as sent
 * @delimiter: the hierarchy delimiter, '\0' for NIL
 *
 * One namespace description.
 */
typedef struct
{
  char *prefix;
  char  delimiter;
} MailImapNamespace;

/**
 * MailImapNamespaces:
 * @personal: (element-type MailImapNamespace): personal namespaces
 * @other: (element-type MailImapNamespace): other users' namespaces
 * @shared: (element-type MailImapNamespace): shared namespaces
 *
 * A NAMESPACE response.
 */
typedef struct
{
  GPtrArray *personal;
  GPtrArray *other;
  GPtrArray *shared;
} MailImapNamespaces;

MailImapNamespaces *mail_imap_decode_namespace  (MailImapResponse    *response,
                                                 GError             **error)
                                                 G_GNUC_WARN_UNUSED_RESULT;
void                mail_imap_namespaces_free   (MailImapNamespaces  *namespaces);

/* ID (RFC 2971) */

GHashTable *mail_imap_decode_id (MailImapResponse  *response,
                                 GError           **error)
                                 G_GNUC_WARN_UNUSED_RESULT;

/* APPENDUID / COPYUID (RFC 4315) */

gboolean mail_imap_decode_appenduid (MailImapResponse     *response,
                                     guint32              *uidvalidity,
                                     MailImapSequenceSet **uids,
                                     GError              **error);
gboolean mail_imap_decode_copyuid   (MailImapResponse     *response,
                                     guint32              *uidvalidity,
                                     MailImapSequenceSet **source_uids,
                                     MailImapSequenceSet **dest_uids,
                                     GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapListEntry, mail_imap_list_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapStatusData, mail_imap_status_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapEsearch, mail_imap_esearch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapNamespaces, mail_imap_namespaces_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MailImapSelectInfo, mail_imap_select_info_clear)

G_END_DECLS
