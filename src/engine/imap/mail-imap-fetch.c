/* mail-imap-fetch.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-fetch.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>
#include <string.h>

#include "mail-imap-decode-private.h"
#include "mail-imap-decode.h"
#include "mail-imap-error.h"

/*
 * FETCH items, ENVELOPE and BODYSTRUCTURE. BODYSTRUCTURE is a tree of server-controlled depth,
 * so it is built with an explicit work stack (the response tree is already depth-capped by
 * the parser, and this code does not rely on it); freeing a part tree is iterative too.
 */

#define MAX_BODY_PARTS 10000

/* ------------------------------------------------------------------------------------------ */
/* Envelope                                                                                     */

static void
address_free (gpointer data)
{
  MailImapAddress *address = data;

  g_free (address->name);
  g_free (address->adl);
  g_free (address->mailbox);
  g_free (address->host);
  g_free (address->group);
  g_free (address);
}

/**
 * mail_imap_envelope_free:
 * @envelope: (transfer full) (nullable): an envelope
 *
 * Frees @envelope.
 */
void
mail_imap_envelope_free (MailImapEnvelope *envelope)
{
  if (envelope == NULL)
    return;

  g_free (envelope->date_raw);
  g_clear_pointer (&envelope->date, g_date_time_unref);
  g_free (envelope->subject);
  g_clear_pointer (&envelope->from, g_ptr_array_unref);
  g_clear_pointer (&envelope->sender, g_ptr_array_unref);
  g_clear_pointer (&envelope->reply_to, g_ptr_array_unref);
  g_clear_pointer (&envelope->to, g_ptr_array_unref);
  g_clear_pointer (&envelope->cc, g_ptr_array_unref);
  g_clear_pointer (&envelope->bcc, g_ptr_array_unref);
  g_free (envelope->in_reply_to);
  g_free (envelope->message_id);
  g_free (envelope);
}

static GPtrArray *
decode_address_list (const MailImapValue  *value,
                     GError              **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (address_free);
  const char *group = NULL;
  gboolean group_has_members = FALSE;

  if (mail_imap_value_is_nil (value))
    return g_steal_pointer (&out);

  if (!mail_imap_value_is_list (value) || value->n_children == 0)
    {
      mail_imap_decode_fail (error, "ENVELOPE");
      return NULL;
    }

  for (guint i = 0; i < value->n_children; i++)
    {
      const MailImapValue *addr = value->children[i];
      g_autofree char *name = NULL;
      g_autofree char *adl = NULL;
      g_autofree char *mailbox = NULL;
      g_autofree char *host = NULL;
      MailImapAddress *entry;

      if (!mail_imap_value_is_list (addr) || addr->n_children != 4 ||
          !mail_imap_decode_nstring (addr->children[0], &name, "ENVELOPE", error) ||
          !mail_imap_decode_nstring (addr->children[1], &adl, "ENVELOPE", error) ||
          !mail_imap_decode_nstring (addr->children[2], &mailbox, "ENVELOPE", error) ||
          !mail_imap_decode_nstring (addr->children[3], &host, "ENVELOPE", error))
        {
          if (error != NULL && *error == NULL)
            mail_imap_decode_fail (error, "ENVELOPE");
          return NULL;
        }

      if (host == NULL && mailbox != NULL)
        {
          /* Start of a group: the mailbox is the group name. Groups do not nest. */
          if (group != NULL)
            {
              mail_imap_decode_fail (error, "ENVELOPE");
              return NULL;
            }
          group = mail_imap_value_get_cstring (addr->children[2]);
          group_has_members = FALSE;
          continue;
        }

      if (host == NULL && mailbox == NULL)
        {
          /* End of a group. */
          if (group == NULL)
            {
              mail_imap_decode_fail (error, "ENVELOPE");
              return NULL;
            }
          if (!group_has_members)
            {
              entry = g_new0 (MailImapAddress, 1);
              entry->group = g_strdup (group);
              g_ptr_array_add (out, entry);
            }
          group = NULL;
          continue;
        }

      entry = g_new0 (MailImapAddress, 1);
      entry->name = g_steal_pointer (&name);
      entry->adl = g_steal_pointer (&adl);
      entry->mailbox = g_steal_pointer (&mailbox);
      entry->host = g_steal_pointer (&host);
      entry->group = g_strdup (group);
      g_ptr_array_add (out, entry);
      group_has_members = TRUE;
    }

  /* An unterminated group is tolerated; keep it visible if it was empty. */
  if (group != NULL && !group_has_members)
    {
      MailImapAddress *entry = g_new0 (MailImapAddress, 1);

      entry->group = g_strdup (group);
      g_ptr_array_add (out, entry);
    }

  return g_steal_pointer (&out);
}

/**
 * mail_imap_decode_envelope:
 * @value: the value of an ENVELOPE item
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the envelope
 */
MailImapEnvelope *
mail_imap_decode_envelope (const MailImapValue  *value,
                           GError              **error)
{
  g_autoptr(MailImapEnvelope) envelope = NULL;

  if (!mail_imap_value_is_list (value) || value->n_children != 10)
    {
      mail_imap_decode_fail (error, "ENVELOPE");
      return NULL;
    }

  envelope = g_new0 (MailImapEnvelope, 1);

  if (!mail_imap_decode_nstring (value->children[0], &envelope->date_raw, "ENVELOPE", error) ||
      !mail_imap_decode_nstring (value->children[1], &envelope->subject, "ENVELOPE", error) ||
      (envelope->from = decode_address_list (value->children[2], error)) == NULL ||
      (envelope->sender = decode_address_list (value->children[3], error)) == NULL ||
      (envelope->reply_to = decode_address_list (value->children[4], error)) == NULL ||
      (envelope->to = decode_address_list (value->children[5], error)) == NULL ||
      (envelope->cc = decode_address_list (value->children[6], error)) == NULL ||
      (envelope->bcc = decode_address_list (value->children[7], error)) == NULL ||
      !mail_imap_decode_nstring (value->children[8], &envelope->in_reply_to, "ENVELOPE", error) ||
      !mail_imap_decode_nstring (value->children[9], &envelope->message_id, "ENVELOPE", error))
    return NULL;

  if (envelope->date_raw != NULL && g_utf8_validate (envelope->date_raw, -1, NULL))
    envelope->date = g_mime_utils_header_decode_date (envelope->date_raw);

  return g_steal_pointer (&envelope);
}

/* ------------------------------------------------------------------------------------------ */
/* BODYSTRUCTURE                                                                                */

static void
body_part_free_one (MailImapBodyPart *part)
{
  g_free (part->section);
  g_free (part->type);
  g_free (part->subtype);
  g_strfreev (part->params);
  g_free (part->id);
  g_free (part->description);
  g_free (part->encoding);
  g_free (part->md5);
  g_free (part->disposition);
  g_strfreev (part->disposition_params);
  g_free (part->filename);
  g_strfreev (part->language);
  g_free (part->location);
  g_free (part->boundary);
  g_free (part->charset);
  mail_imap_envelope_free (part->envelope);
  if (part->children != NULL)
    g_ptr_array_unref (part->children);
  g_free (part);
}

/**
 * mail_imap_body_part_free:
 * @part: (transfer full) (nullable): the root of a part tree
 *
 * Frees @part and everything below it, without recursion.
 */
void
mail_imap_body_part_free (MailImapBodyPart *part)
{
  g_autoptr(GPtrArray) stack = NULL;

  if (part == NULL)
    return;

  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, part);

  while (stack->len > 0)
    {
      MailImapBodyPart *cur = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      if (cur->children != NULL)
        {
          for (guint i = 0; i < cur->children->len; i++)
            g_ptr_array_add (stack, g_ptr_array_index (cur->children, i));
        }
      body_part_free_one (cur);
    }
}

static gboolean
decode_lower_string (const MailImapValue  *value,
                     char                **out,
                     GError              **error)
{
  if (!mail_imap_decode_string (value, out, "BODYSTRUCTURE", error))
    return FALSE;

  g_free (*out);
  *out = g_ascii_strdown (mail_imap_value_get_cstring (value), -1);
  return TRUE;
}

/* body-fld-param = "(" string SP string *(SP string SP string) ")" / nil */
static gboolean
decode_params (const MailImapValue   *value,
               char                ***out,
               GError               **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  *out = NULL;
  if (mail_imap_value_is_nil (value))
    return TRUE;

  if (!mail_imap_value_is_list (value) || value->n_children % 2 != 0)
    return mail_imap_decode_fail (error, "BODYSTRUCTURE");

  builder = g_strv_builder_new ();
  for (guint i = 0; i < value->n_children; i += 2)
    {
      const char *key = mail_imap_value_get_cstring (value->children[i]);
      const char *val = mail_imap_value_get_cstring (value->children[i + 1]);
      g_autofree char *lower = NULL;

      if (key == NULL || val == NULL)
        return mail_imap_decode_fail (error, "BODYSTRUCTURE");

      lower = g_ascii_strdown (key, -1);
      g_strv_builder_add (builder, lower);
      g_strv_builder_add (builder, val);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static const char *
lookup_param (char       **params,
              const char  *name)
{
  for (guint i = 0; params != NULL && params[i] != NULL && params[i + 1] != NULL; i += 2)
    {
      if (strcmp (params[i], name) == 0)
        return params[i + 1];
    }

  return NULL;
}

/* Extension data shared by single and multipart bodies: disposition, language, location.
 * Absent trailing items are fine; anything after them is ignored (future extensions). */
static gboolean
decode_extensions (MailImapBodyPart     *part,
                   const MailImapValue  *body,
                   guint                 i,
                   GError              **error)
{
  const MailImapValue *dsp = mail_imap_value_get_child (body, i);
  const MailImapValue *lang = mail_imap_value_get_child (body, i + 1);
  const MailImapValue *loc = mail_imap_value_get_child (body, i + 2);

  if (dsp != NULL && !mail_imap_value_is_nil (dsp))
    {
      if (!mail_imap_value_is_list (dsp) || dsp->n_children != 2 ||
          !decode_lower_string (dsp->children[0], &part->disposition, error) ||
          !decode_params (dsp->children[1], &part->disposition_params, error))
        return mail_imap_decode_fail (error, "BODYSTRUCTURE");
    }

  if (lang != NULL && !mail_imap_value_is_nil (lang))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (mail_imap_value_is_list (lang))
        {
          for (guint j = 0; j < lang->n_children; j++)
            {
              const char *str = mail_imap_value_get_cstring (lang->children[j]);

              if (str == NULL)
                return mail_imap_decode_fail (error, "BODYSTRUCTURE");
              g_strv_builder_add (builder, str);
            }
        }
      else
        {
          const char *str = mail_imap_value_get_cstring (lang);

          if (str == NULL)
            return mail_imap_decode_fail (error, "BODYSTRUCTURE");
          g_strv_builder_add (builder, str);
        }
      part->language = g_strv_builder_end (builder);
    }

  if (loc != NULL && !mail_imap_decode_nstring (loc, &part->location, "BODYSTRUCTURE", error))
    return FALSE;

  return TRUE;
}

static gboolean
decode_single_part (MailImapBodyPart      *part,
                    const MailImapValue   *body,
                    const MailImapValue  **encapsulated,
                    GError               **error)
{
  guint i = 7;

  *encapsulated = NULL;

  /* body-type-basic: type subtype params id description encoding size */
  if (body->n_children < 7 ||
      !decode_lower_string (body->children[0], &part->type, error) ||
      !decode_lower_string (body->children[1], &part->subtype, error) ||
      !decode_params (body->children[2], &part->params, error) ||
      !mail_imap_decode_nstring (body->children[3], &part->id, "BODYSTRUCTURE", error) ||
      !mail_imap_decode_nstring (body->children[4], &part->description, "BODYSTRUCTURE", error) ||
      !decode_lower_string (body->children[5], &part->encoding, error) ||
      !mail_imap_decode_number (body->children[6], G_MAXINT64, &part->size, "BODYSTRUCTURE",
                                error))
    {
      if (error != NULL && *error == NULL)
        mail_imap_decode_fail (error, "BODYSTRUCTURE");
      return FALSE;
    }

  if (strcmp (part->type, "message") == 0 &&
      (strcmp (part->subtype, "rfc822") == 0 || strcmp (part->subtype, "global") == 0))
    {
      /* body-type-msg: ... envelope body body-fld-lines */
      if (body->n_children < 10 ||
          (part->envelope = mail_imap_decode_envelope (body->children[7], error)) == NULL ||
          !mail_imap_decode_number (body->children[9], G_MAXINT64, &part->lines,
                                    "BODYSTRUCTURE", error))
        {
          if (error != NULL && *error == NULL)
            mail_imap_decode_fail (error, "BODYSTRUCTURE");
          return FALSE;
        }
      *encapsulated = body->children[8];
      i = 10;
    }
  else if (strcmp (part->type, "text") == 0)
    {
      /* body-type-text: ... body-fld-lines */
      if (body->n_children < 8 ||
          !mail_imap_decode_number (body->children[7], G_MAXINT64, &part->lines,
                                    "BODYSTRUCTURE", error))
        {
          if (error != NULL && *error == NULL)
            mail_imap_decode_fail (error, "BODYSTRUCTURE");
          return FALSE;
        }
      i = 8;
    }

  /* body-ext-1part: md5 [dsp [lang [loc]]] */
  if (i < body->n_children &&
      !mail_imap_decode_nstring (body->children[i], &part->md5, "BODYSTRUCTURE", error))
    return FALSE;

  if (!decode_extensions (part, body, i + 1, error))
    return FALSE;

  part->charset = g_strdup (lookup_param (part->params, "charset"));
  part->filename = g_strdup (lookup_param (part->disposition_params, "filename"));
  if (part->filename == NULL)
    part->filename = g_strdup (lookup_param (part->params, "name"));

  return TRUE;
}

typedef struct
{
  const MailImapValue *value;
  MailImapBodyPart    *part;
  guint                index;
} BodyWork;

static char *
child_section (MailImapBodyPart *parent,
               guint             index,
               gboolean          is_multipart)
{
  if (parent == NULL)
    return g_strdup (is_multipart ? "" : "1");

  if (parent->type != NULL && strcmp (parent->type, "multipart") == 0)
    {
      if (parent->section[0] == '\0')
        return g_strdup_printf ("%u", index + 1);
      return g_strdup_printf ("%s.%u", parent->section, index + 1);
    }

  /* The body of a message/rfc822 part: a multipart shares its number, others are N.1. */
  if (is_multipart)
    return g_strdup (parent->section);
  return g_strdup_printf ("%s.1", parent->section);
}

/**
 * mail_imap_decode_bodystructure:
 * @value: the value of a BODYSTRUCTURE (or BODY) item
 * @error: return location for an error
 *
 * Builds the part tree with section numbers, without recursion. At most 10000 parts.
 *
 * Returns: (transfer full) (nullable): the root part
 */
MailImapBodyPart *
mail_imap_decode_bodystructure (const MailImapValue  *value,
                                GError              **error)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (BodyWork));
  MailImapBodyPart *root = g_new0 (MailImapBodyPart, 1);
  BodyWork first = { value, root, 0 };
  guint n_parts = 1;

  g_array_append_val (stack, first);

  while (stack->len > 0)
    {
      BodyWork work = g_array_index (stack, BodyWork, stack->len - 1);
      const MailImapValue *body = work.value;
      MailImapBodyPart *part = work.part;
      gboolean is_multipart;

      g_array_set_size (stack, stack->len - 1);

      if (!mail_imap_value_is_list (body) || body->n_children == 0)
        {
          mail_imap_decode_fail (error, "BODYSTRUCTURE");
          goto fail;
        }

      is_multipart = mail_imap_value_is_list (body->children[0]);
      part->section = child_section (part->parent, work.index, is_multipart);

      if (is_multipart)
        {
          guint i = 0;

          part->type = g_strdup ("multipart");
          part->children = g_ptr_array_new ();

          while (i < body->n_children && mail_imap_value_is_list (body->children[i]))
            i++;

          for (guint k = 0; k < i; k++)
            {
              MailImapBodyPart *child = g_new0 (MailImapBodyPart, 1);

              child->parent = part;
              g_ptr_array_add (part->children, child);
              if (++n_parts > MAX_BODY_PARTS)
                {
                  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                               _("The IMAP server sent a message with too many parts"));
                  goto fail;
                }
            }

          /* Push in reverse so parts are processed in order (only cosmetic). */
          for (guint k = i; k > 0; k--)
            {
              BodyWork next = { body->children[k - 1], g_ptr_array_index (part->children, k - 1),
                                k - 1 };

              g_array_append_val (stack, next);
            }

          if (i >= body->n_children ||
              !decode_lower_string (body->children[i], &part->subtype, error))
            {
              if (error != NULL && *error == NULL)
                mail_imap_decode_fail (error, "BODYSTRUCTURE");
              goto fail;
            }

          /* body-ext-mpart: params [dsp [lang [loc]]] */
          if (i + 1 < body->n_children &&
              !decode_params (body->children[i + 1], &part->params, error))
            goto fail;
          if (!decode_extensions (part, body, i + 2, error))
            goto fail;

          part->boundary = g_strdup (lookup_param (part->params, "boundary"));
        }
      else
        {
          const MailImapValue *encapsulated = NULL;

          if (!decode_single_part (part, body, &encapsulated, error))
            goto fail;

          if (encapsulated != NULL)
            {
              MailImapBodyPart *child = g_new0 (MailImapBodyPart, 1);
              BodyWork next = { encapsulated, child, 0 };

              child->parent = part;
              part->children = g_ptr_array_new ();
              g_ptr_array_add (part->children, child);
              g_array_append_val (stack, next);
              if (++n_parts > MAX_BODY_PARTS)
                {
                  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                               _("The IMAP server sent a message with too many parts"));
                  goto fail;
                }
            }
        }
    }

  return root;

fail:
  mail_imap_body_part_free (root);
  return NULL;
}

/**
 * mail_imap_body_part_find:
 * @root: a part tree
 * @section: a part specifier such as "1.2"
 *
 * Returns: (nullable) (transfer none): the part with that section number
 */
const MailImapBodyPart *
mail_imap_body_part_find (const MailImapBodyPart *root,
                          const char             *section)
{
  g_autoptr(GPtrArray) stack = NULL;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);

  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) root);

  while (stack->len > 0)
    {
      const MailImapBodyPart *cur = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      /* A multipart inside message/rfc822 shares its number with the message: prefer the
       * message part, which is met first going down. */
      if (cur->section != NULL && strcmp (cur->section, section) == 0)
        return cur;

      if (cur->children != NULL)
        {
          for (guint i = cur->children->len; i > 0; i--)
            g_ptr_array_add (stack, g_ptr_array_index (cur->children, i - 1));
        }
    }

  return NULL;
}

/**
 * mail_imap_body_part_count:
 * @root: a part tree
 *
 * Returns: the number of nodes in the tree
 */
guint
mail_imap_body_part_count (const MailImapBodyPart *root)
{
  g_autoptr(GPtrArray) stack = NULL;
  guint count = 0;

  g_return_val_if_fail (root != NULL, 0);

  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) root);

  while (stack->len > 0)
    {
      const MailImapBodyPart *cur = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      count++;
      if (cur->children != NULL)
        {
          for (guint i = 0; i < cur->children->len; i++)
            g_ptr_array_add (stack, g_ptr_array_index (cur->children, i));
        }
    }

  return count;
}

/**
 * mail_imap_body_part_get_param:
 * @part: a part
 * @name: a lower-case parameter name
 *
 * Returns: (nullable): the content-type parameter @name
 */
const char *
mail_imap_body_part_get_param (const MailImapBodyPart *part,
                               const char             *name)
{
  g_return_val_if_fail (part != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return lookup_param (part->params, name);
}

/* ------------------------------------------------------------------------------------------ */
/* INTERNALDATE                                                                                 */

static gboolean
parse_digits (const char *p,
              guint       count,
              int        *out)
{
  int value = 0;

  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      value = value * 10 + (p[i] - '0');
    }

  *out = value;
  return TRUE;
}

/**
 * mail_imap_parse_internaldate:
 * @str: a date-time such as `17-Jul-1996 02:44:25 -0700` (without the quotes)
 * @error: return location for an error
 *
 * Parses the fixed IMAP date-time format strictly.
 *
 * Returns: (transfer full) (nullable): the time, in its own offset
 */
GDateTime *
mail_imap_parse_internaldate (const char  *str,
                              GError     **error)
{
  static const char *const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  g_autoptr(GTimeZone) tz = NULL;
  GDateTime *dt;
  int day, month = 0, year, hour, minute, second, zh, zm, offset;

  g_return_val_if_fail (str != NULL, NULL);

  /* "dd-Mmm-yyyy hh:mm:ss +zzzz", day may be " d" */
  if (strlen (str) != 26 || str[2] != '-' || str[6] != '-' || str[11] != ' ' ||
      str[14] != ':' || str[17] != ':' || str[20] != ' ' || (str[21] != '+' && str[21] != '-'))
    goto bad;

  if (str[0] == ' ')
    {
      if (!parse_digits (str + 1, 1, &day))
        goto bad;
    }
  else if (!parse_digits (str, 2, &day))
    {
      goto bad;
    }

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      if (g_ascii_strncasecmp (str + 3, months[i], 3) == 0)
        month = i + 1;
    }

  if (month == 0 ||
      !parse_digits (str + 7, 4, &year) ||
      !parse_digits (str + 12, 2, &hour) ||
      !parse_digits (str + 15, 2, &minute) ||
      !parse_digits (str + 18, 2, &second) ||
      !parse_digits (str + 22, 2, &zh) ||
      !parse_digits (str + 24, 2, &zm) ||
      year < 1 || hour > 23 || minute > 59 || second > 60 || zh > 23 || zm > 59)
    goto bad;

  offset = (zh * 3600 + zm * 60) * (str[21] == '-' ? -1 : 1);
  tz = g_time_zone_new_offset (offset);
  dt = g_date_time_new (tz, year, month, day, hour, minute, MIN (second, 59));
  if (dt == NULL)
    goto bad;

  return dt;

bad:
  mail_imap_decode_fail (error, "INTERNALDATE");
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* FETCH                                                                                        */

static void
fetch_section_clear (gpointer data)
{
  MailImapFetchSection *section = data;

  g_free (section->section);
}

/**
 * mail_imap_fetch_free:
 * @fetch: (transfer full) (nullable): a decoded FETCH
 *
 * Frees @fetch.
 */
void
mail_imap_fetch_free (MailImapFetch *fetch)
{
  if (fetch == NULL)
    return;

  g_strfreev (fetch->flags);
  g_clear_pointer (&fetch->internaldate, g_date_time_unref);
  mail_imap_envelope_free (fetch->envelope);
  mail_imap_body_part_free (fetch->body);
  g_clear_pointer (&fetch->sections, g_array_unref);
  g_clear_pointer (&fetch->response, mail_imap_response_unref);
  g_free (fetch);
}

/* "BODY[1.2]<0>" → section "1.2", origin 0; binary for BINARY[...]. */
static gboolean
parse_section_key (const char  *key,
                   char       **section,
                   gboolean    *binary,
                   gint64      *origin)
{
  const char *open = strchr (key, '[');
  const char *close;
  gsize prefix = open != NULL ? (gsize) (open - key) : 0;

  *origin = -1;

  if (open == NULL)
    {
      *binary = FALSE;
      if (g_ascii_strcasecmp (key, "RFC822") == 0)
        *section = g_strdup ("");
      else if (g_ascii_strcasecmp (key, "RFC822.HEADER") == 0)
        *section = g_strdup ("HEADER");
      else if (g_ascii_strcasecmp (key, "RFC822.TEXT") == 0)
        *section = g_strdup ("TEXT");
      else
        return FALSE;
      return TRUE;
    }

  if (prefix == 4 && g_ascii_strncasecmp (key, "BODY", 4) == 0)
    *binary = FALSE;
  else if (prefix == 6 && g_ascii_strncasecmp (key, "BINARY", 6) == 0)
    *binary = TRUE;
  else
    return FALSE;

  close = strchr (open, ']');
  if (close == NULL)
    return FALSE;

  if (close[1] == '<')
    {
      const char *end = strchr (close + 2, '>');
      guint64 number;

      if (end == NULL || end[1] != '\0' ||
          !mail_imap_parse_number (close + 2, end - (close + 2), G_MAXUINT32, &number))
        return FALSE;
      *origin = (gint64) number;
    }
  else if (close[1] != '\0')
    {
      return FALSE;
    }

  *section = g_strndup (open + 1, close - open - 1);
  return TRUE;
}

/**
 * mail_imap_decode_fetch:
 * @response: an untagged FETCH response
 * @error: return location for an error
 *
 * Decodes `* n FETCH (item value ...)`: UID, FLAGS, INTERNALDATE, RFC822.SIZE, MODSEQ,
 * ENVELOPE, BODYSTRUCTURE/BODY and body sections; unknown items are skipped.
 *
 * Returns: (transfer full) (nullable): the decoded items
 */
MailImapFetch *
mail_imap_decode_fetch (MailImapResponse  *response,
                        GError           **error)
{
  g_autoptr(MailImapFetch) fetch = NULL;
  const MailImapValue *items;

  g_return_val_if_fail (response != NULL, NULL);

  items = mail_imap_value_get_child (mail_imap_response_get_data (response), 0);
  if (!mail_imap_response_is_name (response, "FETCH") ||
      !mail_imap_response_has_number (response) ||
      mail_imap_response_get_number (response) == 0 ||
      mail_imap_value_get_n_children (mail_imap_response_get_data (response)) != 1 ||
      !mail_imap_value_is_list (items) || items->n_children % 2 != 0)
    {
      mail_imap_decode_fail (error, "FETCH");
      return NULL;
    }

  fetch = g_new0 (MailImapFetch, 1);
  fetch->seqno = mail_imap_response_get_number (response);
  fetch->response = mail_imap_response_ref (response);
  fetch->sections = g_array_new (FALSE, TRUE, sizeof (MailImapFetchSection));
  g_array_set_clear_func (fetch->sections, fetch_section_clear);

  for (guint i = 0; i < items->n_children; i += 2)
    {
      const MailImapValue *key = items->children[i];
      const MailImapValue *val = items->children[i + 1];
      MailImapFetchSection section = { NULL, NULL, FALSE, -1, NULL };
      guint64 number;

      if (key->type != MAIL_IMAP_VALUE_ATOM)
        {
          mail_imap_decode_fail (error, "FETCH");
          return NULL;
        }

      if (g_ascii_strcasecmp (key->str, "UID") == 0)
        {
          if (!mail_imap_decode_number (val, G_MAXUINT32, &number, "FETCH", error))
            return NULL;
          if (number == 0)
            {
              mail_imap_decode_fail (error, "FETCH");
              return NULL;
            }
          fetch->uid = (guint32) number;
          fetch->fields |= MAIL_IMAP_FETCH_UID;
        }
      else if (g_ascii_strcasecmp (key->str, "FLAGS") == 0)
        {
          GStrv flags = mail_imap_decode_flag_list (val, error);

          if (flags == NULL)
            return NULL;
          g_strfreev (fetch->flags);
          fetch->flags = flags;
          fetch->fields |= MAIL_IMAP_FETCH_FLAGS;
        }
      else if (g_ascii_strcasecmp (key->str, "INTERNALDATE") == 0)
        {
          const char *str = mail_imap_value_get_cstring (val);
          GDateTime *dt;

          if (str == NULL || val->type == MAIL_IMAP_VALUE_ATOM)
            {
              mail_imap_decode_fail (error, "INTERNALDATE");
              return NULL;
            }
          dt = mail_imap_parse_internaldate (str, error);
          if (dt == NULL)
            return NULL;
          g_clear_pointer (&fetch->internaldate, g_date_time_unref);
          fetch->internaldate = dt;
          fetch->fields |= MAIL_IMAP_FETCH_INTERNALDATE;
        }
      else if (g_ascii_strcasecmp (key->str, "RFC822.SIZE") == 0)
        {
          if (!mail_imap_decode_number (val, G_MAXINT64, &fetch->rfc822_size, "FETCH", error))
            return NULL;
          fetch->fields |= MAIL_IMAP_FETCH_RFC822_SIZE;
        }
      else if (g_ascii_strcasecmp (key->str, "MODSEQ") == 0)
        {
          if (!mail_imap_value_is_list (val) || val->n_children != 1 ||
              !mail_imap_decode_number (val->children[0], G_MAXINT64, &fetch->modseq,
                                        "FETCH", error))
            {
              if (error != NULL && *error == NULL)
                mail_imap_decode_fail (error, "FETCH");
              return NULL;
            }
          fetch->fields |= MAIL_IMAP_FETCH_MODSEQ;
        }
      else if (g_ascii_strcasecmp (key->str, "ENVELOPE") == 0)
        {
          MailImapEnvelope *envelope = mail_imap_decode_envelope (val, error);

          if (envelope == NULL)
            return NULL;
          mail_imap_envelope_free (fetch->envelope);
          fetch->envelope = envelope;
          fetch->fields |= MAIL_IMAP_FETCH_ENVELOPE;
        }
      else if (g_ascii_strcasecmp (key->str, "BODYSTRUCTURE") == 0 ||
               g_ascii_strcasecmp (key->str, "BODY") == 0)
        {
          MailImapBodyPart *body = mail_imap_decode_bodystructure (val, error);

          if (body == NULL)
            return NULL;
          mail_imap_body_part_free (fetch->body);
          fetch->body = body;
          fetch->fields |= MAIL_IMAP_FETCH_BODYSTRUCTURE;
        }
      else if (parse_section_key (key->str, &section.section, &section.binary, &section.origin))
        {
          if (val->type != MAIL_IMAP_VALUE_NIL &&
              val->type != MAIL_IMAP_VALUE_QUOTED &&
              val->type != MAIL_IMAP_VALUE_LITERAL &&
              val->type != MAIL_IMAP_VALUE_STREAMED)
            {
              g_free (section.section);
              mail_imap_decode_fail (error, "FETCH");
              return NULL;
            }
          section.item = key->str;
          section.value = mail_imap_value_is_nil (val) ? NULL : val;
          g_array_append_val (fetch->sections, section);
          fetch->fields |= MAIL_IMAP_FETCH_SECTIONS;
        }
    }

  return g_steal_pointer (&fetch);
}

/**
 * mail_imap_fetch_find_section:
 * @fetch: a decoded FETCH
 * @section: the section inside the brackets ("" for the whole message)
 *
 * Returns: (nullable): the first returned section with that specifier
 */
const MailImapFetchSection *
mail_imap_fetch_find_section (const MailImapFetch *fetch,
                              const char          *section)
{
  g_return_val_if_fail (fetch != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);

  for (guint i = 0; i < fetch->sections->len; i++)
    {
      const MailImapFetchSection *s = &g_array_index (fetch->sections, MailImapFetchSection, i);

      if (g_ascii_strcasecmp (s->section, section) == 0)
        return s;
    }

  return NULL;
}
