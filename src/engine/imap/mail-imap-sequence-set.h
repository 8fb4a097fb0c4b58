/* mail-imap-sequence-set.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MAIL_IMAP_SEQ_STAR:
 *
 * The value standing for `*` (the largest number in use) in a #MailImapSequenceSet range.
 * It sorts after every real number.
 */
#define MAIL_IMAP_SEQ_STAR (((guint64) G_MAXUINT32) + 1)

/**
 * MailImapRange:
 * @first: the lower end, 1 to 2^32-1, or %MAIL_IMAP_SEQ_STAR
 * @last: the upper end (>= @first)
 *
 * One range of a sequence set; a single number has @first == @last.
 */
typedef struct
{
  guint64 first;
  guint64 last;
} MailImapRange;

/**
 * MailImapSequenceSetFlags:
 * @MAIL_IMAP_SEQUENCE_SET_NONE: plain numbers only
 * @MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR: accept `*`
 *
 * Options for mail_imap_sequence_set_parse().
 */
typedef enum
{
  MAIL_IMAP_SEQUENCE_SET_NONE       = 0,
  MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR = 1 << 0,
} MailImapSequenceSetFlags;

typedef struct _MailImapSequenceSet MailImapSequenceSet;

#define MAIL_TYPE_IMAP_SEQUENCE_SET (mail_imap_sequence_set_get_type ())

GType                mail_imap_sequence_set_get_type     (void) G_GNUC_CONST;
MailImapSequenceSet *mail_imap_sequence_set_new          (void) G_GNUC_WARN_UNUSED_RESULT;
MailImapSequenceSet *mail_imap_sequence_set_parse        (const char                *text,
                                                          gssize                     len,
                                                          MailImapSequenceSetFlags   flags,
                                                          GError                   **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;
MailImapSequenceSet *mail_imap_sequence_set_copy         (const MailImapSequenceSet *self)
                                                          G_GNUC_WARN_UNUSED_RESULT;
void                 mail_imap_sequence_set_free         (MailImapSequenceSet       *self);
void                 mail_imap_sequence_set_add_range    (MailImapSequenceSet       *self,
                                                          guint64                    first,
                                                          guint64                    last);
void                 mail_imap_sequence_set_normalize    (MailImapSequenceSet       *self);
guint                mail_imap_sequence_set_get_n_ranges (const MailImapSequenceSet *self);
const MailImapRange *mail_imap_sequence_set_get_range    (const MailImapSequenceSet *self,
                                                          guint                      index);
gboolean             mail_imap_sequence_set_has_star     (const MailImapSequenceSet *self);
guint64              mail_imap_sequence_set_count        (const MailImapSequenceSet *self);
gboolean             mail_imap_sequence_set_contains     (const MailImapSequenceSet *self,
                                                          guint32                    number);
GArray              *mail_imap_sequence_set_expand       (const MailImapSequenceSet *self,
                                                          guint                      max_count,
                                                          GError                   **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;
char                *mail_imap_sequence_set_to_string    (const MailImapSequenceSet *self)
                                                          G_GNUC_WARN_UNUSED_RESULT;
char                *mail_imap_uid_set_compress          (const guint32             *uids,
                                                          gsize                      n_uids)
                                                          G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapSequenceSet, mail_imap_sequence_set_free)

G_END_DECLS
