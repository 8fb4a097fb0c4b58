/* mail-imap-sequence-set.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-sequence-set.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-response.h"

/*
 * sequence-set = (seq-number / seq-range) ["," sequence-set]   (RFC 3501 §9)
 *
 * Strict: no empty elements (a trailing comma was Mutt's CVE-2021-32055), no 0, nothing above
 * 2^32-1, `*` only where allowed. Ranges are kept in the order given (COPYUID pairs source and
 * destination sets by position), each with first <= last; mail_imap_sequence_set_normalize()
 * sorts and merges them.
 */

struct _MailImapSequenceSet
{
  GArray *ranges;
};

G_DEFINE_BOXED_TYPE (MailImapSequenceSet, mail_imap_sequence_set,
                     mail_imap_sequence_set_copy, mail_imap_sequence_set_free)

static gboolean
parse_seq_number (const char               *str,
                  gsize                     len,
                  MailImapSequenceSetFlags  flags,
                  guint64                  *out,
                  GError                  **error)
{
  if (len == 1 && str[0] == '*')
    {
      if ((flags & MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR) == 0)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET,
                       _("A sequence set contains “*” where it is not allowed"));
          return FALSE;
        }
      *out = MAIL_IMAP_SEQ_STAR;
      return TRUE;
    }

  if (len == 0)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET,
                   _("A sequence set contains an empty element"));
      return FALSE;
    }

  if (!mail_imap_parse_number (str, len, G_MAXUINT32, out))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET,
                   _("A sequence set contains an invalid or too large number"));
      return FALSE;
    }

  if (*out == 0)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET,
                   _("A sequence set contains the number 0"));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_imap_sequence_set_new:
 *
 * Returns: (transfer full): an empty set
 */
MailImapSequenceSet *
mail_imap_sequence_set_new (void)
{
  MailImapSequenceSet *self = g_new0 (MailImapSequenceSet, 1);

  self->ranges = g_array_new (FALSE, FALSE, sizeof (MailImapRange));
  return self;
}

/**
 * mail_imap_sequence_set_parse:
 * @text: the set, e.g. `1:*` or `3,5:7`
 * @len: length of @text, or -1 if NUL-terminated
 * @flags: #MailImapSequenceSetFlags
 * @error: return location for a %MAIL_IMAP_ERROR_SEQUENCE_SET error
 *
 * Parses a sequence set strictly. Reversed ranges (`7:5`) are stored as `5:7`.
 *
 * Returns: (transfer full) (nullable): the set, or %NULL on error
 */
MailImapSequenceSet *
mail_imap_sequence_set_parse (const char                *text,
                              gssize                     len,
                              MailImapSequenceSetFlags   flags,
                              GError                   **error)
{
  g_autoptr(MailImapSequenceSet) self = NULL;
  gsize n;
  gsize pos = 0;

  g_return_val_if_fail (text != NULL, NULL);

  n = len < 0 ? strlen (text) : (gsize) len;
  self = mail_imap_sequence_set_new ();

  if (n == 0)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET,
                   _("A sequence set is empty"));
      return NULL;
    }

  for (;;)
    {
      const char *comma = memchr (text + pos, ',', n - pos);
      gsize end = comma != NULL ? (gsize) (comma - text) : n;
      const char *colon = memchr (text + pos, ':', end - pos);
      MailImapRange range;

      if (colon == NULL)
        {
          if (!parse_seq_number (text + pos, end - pos, flags, &range.first, error))
            return NULL;
          range.last = range.first;
        }
      else
        {
          gsize mid = colon - text;

          if (!parse_seq_number (text + pos, mid - pos, flags, &range.first, error) ||
              !parse_seq_number (text + mid + 1, end - mid - 1, flags, &range.last, error))
            return NULL;

          if (range.first > range.last)
            {
              guint64 tmp = range.first;

              range.first = range.last;
              range.last = tmp;
            }
        }

      g_array_append_val (self->ranges, range);

      if (comma == NULL)
        break;

      pos = end + 1;
      if (pos >= n)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET,
                       _("A sequence set ends with a comma"));
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/**
 * mail_imap_sequence_set_copy:
 * @self: a set
 *
 * Returns: (transfer full): a copy of @self
 */
MailImapSequenceSet *
mail_imap_sequence_set_copy (const MailImapSequenceSet *self)
{
  MailImapSequenceSet *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = mail_imap_sequence_set_new ();
  g_array_append_vals (copy->ranges, self->ranges->data, self->ranges->len);
  return copy;
}

/**
 * mail_imap_sequence_set_free:
 * @self: (transfer full): a set
 *
 * Frees @self.
 */
void
mail_imap_sequence_set_free (MailImapSequenceSet *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->ranges);
  g_free (self);
}

/**
 * mail_imap_sequence_set_add_range:
 * @self: a set
 * @first: 1 to 2^32-1 or %MAIL_IMAP_SEQ_STAR
 * @last: 1 to 2^32-1 or %MAIL_IMAP_SEQ_STAR
 *
 * Appends a range (swapped if reversed).
 */
void
mail_imap_sequence_set_add_range (MailImapSequenceSet *self,
                                  guint64              first,
                                  guint64              last)
{
  MailImapRange range;

  g_return_if_fail (self != NULL);
  g_return_if_fail (first >= 1 && first <= MAIL_IMAP_SEQ_STAR);
  g_return_if_fail (last >= 1 && last <= MAIL_IMAP_SEQ_STAR);

  range.first = MIN (first, last);
  range.last = MAX (first, last);
  g_array_append_val (self->ranges, range);
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const MailImapRange *ra = a;
  const MailImapRange *rb = b;

  if (ra->first != rb->first)
    return ra->first < rb->first ? -1 : 1;
  if (ra->last != rb->last)
    return ra->last < rb->last ? -1 : 1;
  return 0;
}

/**
 * mail_imap_sequence_set_normalize:
 * @self: a set
 *
 * Sorts the ranges and merges overlapping and adjacent ones.
 */
void
mail_imap_sequence_set_normalize (MailImapSequenceSet *self)
{
  guint out = 0;

  g_return_if_fail (self != NULL);

  if (self->ranges->len < 2)
    return;

  g_array_sort (self->ranges, compare_ranges);

  for (guint i = 1; i < self->ranges->len; i++)
    {
      MailImapRange *cur = &g_array_index (self->ranges, MailImapRange, out);
      const MailImapRange *next = &g_array_index (self->ranges, MailImapRange, i);

      if (next->first <= cur->last + 1)
        cur->last = MAX (cur->last, next->last);
      else
        g_array_index (self->ranges, MailImapRange, ++out) = *next;
    }

  g_array_set_size (self->ranges, out + 1);
}

/**
 * mail_imap_sequence_set_get_n_ranges:
 * @self: a set
 *
 * Returns: the number of ranges
 */
guint
mail_imap_sequence_set_get_n_ranges (const MailImapSequenceSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->ranges->len;
}

/**
 * mail_imap_sequence_set_get_range:
 * @self: a set
 * @index: which range
 *
 * Returns: (nullable): the range, %NULL when @index is out of range
 */
const MailImapRange *
mail_imap_sequence_set_get_range (const MailImapSequenceSet *self,
                                  guint                      index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->ranges->len)
    return NULL;

  return &g_array_index (self->ranges, MailImapRange, index);
}

/**
 * mail_imap_sequence_set_has_star:
 * @self: a set
 *
 * Returns: %TRUE if some range ends in `*`
 */
gboolean
mail_imap_sequence_set_has_star (const MailImapSequenceSet *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->ranges->len; i++)
    {
      if (g_array_index (self->ranges, MailImapRange, i).last == MAIL_IMAP_SEQ_STAR)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_imap_sequence_set_count:
 * @self: a set
 *
 * The number of values the ranges cover, counting overlaps twice and `*` as one value above
 * 2^32-1 (normalise first for an exact count of a set without `*`).
 *
 * Returns: the count
 */
guint64
mail_imap_sequence_set_count (const MailImapSequenceSet *self)
{
  guint64 count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->ranges->len; i++)
    {
      const MailImapRange *range = &g_array_index (self->ranges, MailImapRange, i);

      count += range->last - range->first + 1;
    }

  return count;
}

/**
 * mail_imap_sequence_set_contains:
 * @self: a set
 * @number: a message number or UID
 *
 * Returns: %TRUE if a range covers @number (`*` counts as unbounded above)
 */
gboolean
mail_imap_sequence_set_contains (const MailImapSequenceSet *self,
                                 guint32                    number)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->ranges->len; i++)
    {
      const MailImapRange *range = &g_array_index (self->ranges, MailImapRange, i);

      if (number >= range->first && number <= range->last)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_imap_sequence_set_expand:
 * @self: a set without `*`
 * @max_count: the most numbers to produce
 * @error: return location for an error
 *
 * Lists every number of the set in order given, for example to pair the source and
 * destination UIDs of COPYUID. Fails rather than allocating more than @max_count numbers.
 *
 * Returns: (transfer full) (element-type guint32) (nullable): the numbers
 */
GArray *
mail_imap_sequence_set_expand (const MailImapSequenceSet  *self,
                               guint                       max_count,
                               GError                    **error)
{
  g_autoptr(GArray) out = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (mail_imap_sequence_set_has_star (self))
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET,
                   _("A sequence set contains “*” where it is not allowed"));
      return NULL;
    }

  if (mail_imap_sequence_set_count (self) > max_count)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                   _("A sequence set covers too many messages"));
      return NULL;
    }

  out = g_array_sized_new (FALSE, FALSE, sizeof (guint32),
                           (guint) mail_imap_sequence_set_count (self));
  for (guint i = 0; i < self->ranges->len; i++)
    {
      const MailImapRange *range = &g_array_index (self->ranges, MailImapRange, i);

      for (guint64 v = range->first; v <= range->last; v++)
        {
          guint32 value = (guint32) v;

          g_array_append_val (out, value);
        }
    }

  return g_steal_pointer (&out);
}

static void
append_number (GString *out,
               guint64  value)
{
  if (value == MAIL_IMAP_SEQ_STAR)
    g_string_append_c (out, '*');
  else
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, value);
}

/**
 * mail_imap_sequence_set_to_string:
 * @self: a non-empty set
 *
 * Formats the ranges in their current order, for a command.
 *
 * Returns: (transfer full): the set as text
 */
char *
mail_imap_sequence_set_to_string (const MailImapSequenceSet *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->ranges->len > 0, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->ranges->len; i++)
    {
      const MailImapRange *range = &g_array_index (self->ranges, MailImapRange, i);

      if (i > 0)
        g_string_append_c (out, ',');
      append_number (out, range->first);
      if (range->last != range->first)
        {
          g_string_append_c (out, ':');
          append_number (out, range->last);
        }
    }

  return g_string_free (out, FALSE);
}

static int
compare_uint32 (gconstpointer a,
                gconstpointer b)
{
  guint32 ua = *(const guint32 *) a;
  guint32 ub = *(const guint32 *) b;

  return ua < ub ? -1 : (ua > ub ? 1 : 0);
}

/**
 * mail_imap_uid_set_compress:
 * @uids: (array length=n_uids): UIDs, in any order
 * @n_uids: how many
 *
 * Builds the shortest set for @uids: sorted, duplicates and zeros dropped, runs as ranges
 * (`1,2,3,5,7,8` gives `1:3,5,7:8`).
 *
 * Returns: (transfer full) (nullable): the set, %NULL when no valid UID was given
 */
char *
mail_imap_uid_set_compress (const guint32 *uids,
                            gsize          n_uids)
{
  g_autofree guint32 *sorted = NULL;
  g_autoptr(MailImapSequenceSet) set = NULL;
  gsize i = 0;

  g_return_val_if_fail (uids != NULL || n_uids == 0, NULL);

  if (n_uids == 0)
    return NULL;

  sorted = g_memdup2 (uids, n_uids * sizeof (guint32));
  qsort (sorted, n_uids, sizeof (guint32), compare_uint32);
  set = mail_imap_sequence_set_new ();

  while (i < n_uids && sorted[i] == 0)
    i++;

  while (i < n_uids)
    {
      guint32 first = sorted[i];
      guint32 last = first;

      i++;
      while (i < n_uids && (sorted[i] == last || sorted[i] == last + 1))
        last = sorted[i++];

      mail_imap_sequence_set_add_range (set, first, last);
    }

  if (set->ranges->len == 0)
    return NULL;

  return mail_imap_sequence_set_to_string (set);
}
