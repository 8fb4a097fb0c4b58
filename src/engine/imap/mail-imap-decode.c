/* mail-imap-decode.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-decode.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-decode-private.h"
#include "mail-imap-error.h"
#include "mail-imap-mailbox-name.h"

/* RFC 2971 allows at most 30 field-value pairs. */
#define MAX_ID_PAIRS 30

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers                                                                               */

gboolean
mail_imap_decode_fail (GError     **error,
                       const char  *what)
{
  /* Translators: %s is an IMAP protocol keyword such as FETCH or LIST */
  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE,
               _("The IMAP server sent a malformed %s response"), what);
  return FALSE;
}

gboolean
mail_imap_decode_nstring (const MailImapValue  *value,
                          char                **out,
                          const char           *what,
                          GError              **error)
{
  if (mail_imap_value_is_nil (value))
    {
      *out = NULL;
      return TRUE;
    }

  return mail_imap_decode_string (value, out, what, error);
}

gboolean
mail_imap_decode_string (const MailImapValue  *value,
                         char                **out,
                         const char           *what,
                         GError              **error)
{
  const char *str = mail_imap_value_get_cstring (value);

  if (str == NULL)
    return mail_imap_decode_fail (error, what);

  *out = g_strdup (str);
  return TRUE;
}

gboolean
mail_imap_decode_number (const MailImapValue  *value,
                         guint64               max,
                         guint64              *out,
                         const char           *what,
                         GError              **error)
{
  if (value == NULL || value->type != MAIL_IMAP_VALUE_ATOM ||
      !mail_imap_parse_number (value->str, value->len, max, out))
    return mail_imap_decode_fail (error, what);

  return TRUE;
}

static gboolean
decode_nz_number (const MailImapValue  *value,
                  guint32              *out,
                  const char           *what,
                  GError              **error)
{
  guint64 number;

  if (!mail_imap_decode_number (value, G_MAXUINT32, &number, what, error))
    return FALSE;

  if (number == 0)
    return mail_imap_decode_fail (error, what);

  *out = (guint32) number;
  return TRUE;
}

static gboolean
decode_delimiter (const MailImapValue  *value,
                  char                 *out,
                  const char           *what,
                  GError              **error)
{
  if (mail_imap_value_is_nil (value))
    {
      *out = '\0';
      return TRUE;
    }

  /* QUOTED-CHAR: one 7-bit character, not CR or LF. */
  if (!mail_imap_value_is_string (value) || value->len != 1 ||
      (guchar) value->str[0] >= 0x80 || value->str[0] == '\0')
    return mail_imap_decode_fail (error, what);

  *out = value->str[0];
  return TRUE;
}

static const MailImapValue *
data_child (MailImapResponse *response,
            guint             index)
{
  return mail_imap_value_get_child (mail_imap_response_get_data (response), index);
}

static guint
data_count (MailImapResponse *response)
{
  return mail_imap_value_get_n_children (mail_imap_response_get_data (response));
}

/* ------------------------------------------------------------------------------------------ */
/* CAPABILITY / ENABLED                                                                         */

static GStrv
decode_atom_words (const MailImapValue  *list,
                   guint                 first,
                   gboolean              allow_empty,
                   const char           *what,
                   GError              **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = mail_imap_value_get_n_children (list);

  if (n <= first && !allow_empty)
    {
      mail_imap_decode_fail (error, what);
      return NULL;
    }

  for (guint i = first; i < n; i++)
    {
      const MailImapValue *child = list->children[i];
      g_autofree char *upper = NULL;

      if (child->type != MAIL_IMAP_VALUE_ATOM)
        {
          mail_imap_decode_fail (error, what);
          return NULL;
        }

      upper = g_ascii_strup (child->str, child->len);
      g_strv_builder_add (builder, upper);
    }

  return g_strv_builder_end (builder);
}

/**
 * mail_imap_decode_capability:
 * @response: an untagged CAPABILITY response, or a status response with a `[CAPABILITY ...]`
 *   code
 * @error: return location for an error
 *
 * Reads the capability list, upper-cased. An empty list is an error.
 *
 * Returns: (transfer full) (nullable): the capabilities
 */
GStrv
mail_imap_decode_capability (MailImapResponse  *response,
                             GError           **error)
{
  g_return_val_if_fail (response != NULL, NULL);

  if (mail_imap_response_is_name (response, "CAPABILITY"))
    return decode_atom_words (mail_imap_response_get_data (response), 0, FALSE,
                              "CAPABILITY", error);

  if (g_strcmp0 (mail_imap_response_get_code (response), "CAPABILITY") == 0)
    return decode_atom_words (mail_imap_response_get_code_args (response), 0, FALSE,
                              "CAPABILITY", error);

  mail_imap_decode_fail (error, "CAPABILITY");
  return NULL;
}

/**
 * mail_imap_capabilities_has:
 * @capabilities: (nullable): upper-case capabilities
 * @capability: the one to look for
 *
 * Returns: %TRUE if @capability is listed (compared without case)
 */
gboolean
mail_imap_capabilities_has (const char * const *capabilities,
                            const char         *capability)
{
  g_return_val_if_fail (capability != NULL, FALSE);

  if (capabilities == NULL)
    return FALSE;

  for (guint i = 0; capabilities[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (capabilities[i], capability) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_imap_capabilities_get_auth_mechanisms:
 * @capabilities: (nullable): capabilities
 *
 * Returns: (transfer full): the SASL mechanisms of the `AUTH=` capabilities (possibly none)
 */
GStrv
mail_imap_capabilities_get_auth_mechanisms (const char * const *capabilities)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; capabilities != NULL && capabilities[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (capabilities[i], "AUTH=", 5) == 0 && capabilities[i][5] != '\0')
        g_strv_builder_add (builder, capabilities[i] + 5);
    }

  return g_strv_builder_end (builder);
}

/**
 * mail_imap_decode_enabled:
 * @response: an untagged ENABLED response
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the enabled extensions, upper-cased (maybe none)
 */
GStrv
mail_imap_decode_enabled (MailImapResponse  *response,
                          GError           **error)
{
  g_return_val_if_fail (response != NULL, NULL);

  if (!mail_imap_response_is_name (response, "ENABLED"))
    {
      mail_imap_decode_fail (error, "ENABLED");
      return NULL;
    }

  return decode_atom_words (mail_imap_response_get_data (response), 0, TRUE, "ENABLED", error);
}

/* ------------------------------------------------------------------------------------------ */
/* Flags                                                                                        */

/**
 * mail_imap_decode_flag_list:
 * @value: a list of flags
 * @error: return location for an error
 *
 * Reads a flag list such as `(\Seen \Answered $Forwarded)` (system flags and keywords, as
 * sent). `\*` is kept. NIL or non-atoms are an error.
 *
 * Returns: (transfer full) (nullable): the flags
 */
GStrv
mail_imap_decode_flag_list (const MailImapValue  *value,
                            GError              **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!mail_imap_value_is_list (value))
    {
      mail_imap_decode_fail (error, "FLAGS");
      return NULL;
    }

  for (guint i = 0; i < value->n_children; i++)
    {
      const MailImapValue *flag = value->children[i];

      if (flag->type != MAIL_IMAP_VALUE_ATOM ||
          (flag->str[0] == '\\' && flag->len == 1))
        {
          mail_imap_decode_fail (error, "FLAGS");
          return NULL;
        }
      g_strv_builder_add (builder, flag->str);
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------------------------------ */
/* LIST / LSUB                                                                                  */

static const struct
{
  const char                *name;
  MailImapMailboxAttributes  flag;
} mailbox_attributes[] = {
  { "\\Noselect", MAIL_IMAP_MAILBOX_NOSELECT },
  { "\\Noinferiors", MAIL_IMAP_MAILBOX_NOINFERIORS },
  { "\\Marked", MAIL_IMAP_MAILBOX_MARKED },
  { "\\Unmarked", MAIL_IMAP_MAILBOX_UNMARKED },
  { "\\HasChildren", MAIL_IMAP_MAILBOX_HAS_CHILDREN },
  { "\\HasNoChildren", MAIL_IMAP_MAILBOX_HAS_NO_CHILDREN },
  { "\\NonExistent", MAIL_IMAP_MAILBOX_NONEXISTENT },
  { "\\Subscribed", MAIL_IMAP_MAILBOX_SUBSCRIBED },
  { "\\Remote", MAIL_IMAP_MAILBOX_REMOTE },
  { "\\All", MAIL_IMAP_MAILBOX_ALL },
  { "\\Archive", MAIL_IMAP_MAILBOX_ARCHIVE },
  { "\\Drafts", MAIL_IMAP_MAILBOX_DRAFTS },
  { "\\Flagged", MAIL_IMAP_MAILBOX_FLAGGED },
  { "\\Junk", MAIL_IMAP_MAILBOX_JUNK },
  { "\\Sent", MAIL_IMAP_MAILBOX_SENT },
  { "\\Trash", MAIL_IMAP_MAILBOX_TRASH },
  { "\\Important", MAIL_IMAP_MAILBOX_IMPORTANT },
};

/**
 * mail_imap_list_entry_free:
 * @entry: (transfer full) (nullable): an entry
 *
 * Frees @entry.
 */
void
mail_imap_list_entry_free (MailImapListEntry *entry)
{
  if (entry == NULL)
    return;

  g_strfreev (entry->other_attributes);
  g_free (entry->name);
  g_free (entry->wire_name);
  g_free (entry);
}

static gboolean
decode_mailbox_name (const MailImapValue  *value,
                     gboolean              utf8_accept,
                     char                **wire_name,
                     char                **name,
                     const char           *what,
                     GError              **error)
{
  if (!mail_imap_decode_string (value, wire_name, what, error))
    return FALSE;

  /* INBOX is case-insensitive; give it one spelling. */
  if (g_ascii_strcasecmp (*wire_name, "INBOX") == 0)
    {
      *name = g_strdup ("INBOX");
      return TRUE;
    }

  *name = mail_imap_mailbox_name_decode (*wire_name, -1, utf8_accept, error);
  return *name != NULL;
}

/**
 * mail_imap_decode_list:
 * @response: an untagged LIST or LSUB response
 * @utf8_accept: whether UTF8=ACCEPT is enabled
 * @error: return location for an error
 *
 * Reads `* LIST (attributes) delimiter name [extended data]`, decoding the name from modified
 * UTF-7 (or UTF-8 under UTF8=ACCEPT). Extended data is ignored.
 *
 * Returns: (transfer full) (nullable): the entry
 */
MailImapListEntry *
mail_imap_decode_list (MailImapResponse  *response,
                       gboolean           utf8_accept,
                       GError           **error)
{
  g_autoptr(MailImapListEntry) entry = NULL;
  g_autoptr(GStrvBuilder) others = NULL;
  const MailImapValue *attrs;
  gboolean have_others = FALSE;

  g_return_val_if_fail (response != NULL, NULL);

  if ((!mail_imap_response_is_name (response, "LIST") &&
       !mail_imap_response_is_name (response, "LSUB")) ||
      data_count (response) < 3)
    {
      mail_imap_decode_fail (error, "LIST");
      return NULL;
    }

  entry = g_new0 (MailImapListEntry, 1);
  others = g_strv_builder_new ();
  attrs = data_child (response, 0);

  if (!mail_imap_value_is_list (attrs))
    {
      mail_imap_decode_fail (error, "LIST");
      return NULL;
    }

  for (guint i = 0; i < attrs->n_children; i++)
    {
      const MailImapValue *attr = attrs->children[i];
      gboolean known = FALSE;

      if (attr->type != MAIL_IMAP_VALUE_ATOM)
        {
          mail_imap_decode_fail (error, "LIST");
          return NULL;
        }

      for (guint j = 0; j < G_N_ELEMENTS (mailbox_attributes); j++)
        {
          if (g_ascii_strcasecmp (attr->str, mailbox_attributes[j].name) == 0)
            {
              entry->attributes |= mailbox_attributes[j].flag;
              known = TRUE;
              break;
            }
        }

      if (!known)
        {
          g_strv_builder_add (others, attr->str);
          have_others = TRUE;
        }
    }

  if (have_others)
    entry->other_attributes = g_strv_builder_end (others);

  if (!decode_delimiter (data_child (response, 1), &entry->delimiter, "LIST", error) ||
      !decode_mailbox_name (data_child (response, 2), utf8_accept,
                            &entry->wire_name, &entry->name, "LIST", error))
    return NULL;

  return g_steal_pointer (&entry);
}

/* ------------------------------------------------------------------------------------------ */
/* STATUS                                                                                       */

/**
 * mail_imap_status_data_free:
 * @data: (transfer full) (nullable): data
 *
 * Frees @data.
 */
void
mail_imap_status_data_free (MailImapStatusData *data)
{
  if (data == NULL)
    return;

  g_free (data->name);
  g_free (data->wire_name);
  g_free (data);
}

/**
 * mail_imap_decode_status:
 * @response: an untagged STATUS response
 * @utf8_accept: whether UTF8=ACCEPT is enabled
 * @error: return location for an error
 *
 * Reads `* STATUS name (item value ...)`. An empty list is valid (nothing set); NIL, odd
 * lists and non-numbers are errors. Unknown items are skipped.
 *
 * Returns: (transfer full) (nullable): the data
 */
MailImapStatusData *
mail_imap_decode_status (MailImapResponse  *response,
                         gboolean           utf8_accept,
                         GError           **error)
{
  g_autoptr(MailImapStatusData) data = NULL;
  const MailImapValue *items;

  g_return_val_if_fail (response != NULL, NULL);

  if (!mail_imap_response_is_name (response, "STATUS") || data_count (response) != 2)
    {
      mail_imap_decode_fail (error, "STATUS");
      return NULL;
    }

  data = g_new0 (MailImapStatusData, 1);
  if (!decode_mailbox_name (data_child (response, 0), utf8_accept,
                            &data->wire_name, &data->name, "STATUS", error))
    return NULL;

  items = data_child (response, 1);
  if (!mail_imap_value_is_list (items) || items->n_children % 2 != 0)
    {
      mail_imap_decode_fail (error, "STATUS");
      return NULL;
    }

  for (guint i = 0; i < items->n_children; i += 2)
    {
      const MailImapValue *key = items->children[i];
      const MailImapValue *val = items->children[i + 1];
      guint64 number;

      if (key->type != MAIL_IMAP_VALUE_ATOM ||
          !mail_imap_decode_number (val, G_MAXINT64, &number, "STATUS", error))
        {
          if (key->type != MAIL_IMAP_VALUE_ATOM)
            mail_imap_decode_fail (error, "STATUS");
          return NULL;
        }

      if (g_ascii_strcasecmp (key->str, "HIGHESTMODSEQ") == 0)
        {
          data->highestmodseq = number;
          data->items |= MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ;
          continue;
        }

      if (g_ascii_strcasecmp (key->str, "SIZE") == 0)
        {
          data->size = number;
          data->items |= MAIL_IMAP_STATUS_ITEM_SIZE;
          continue;
        }

      if (number > G_MAXUINT32)
        {
          mail_imap_decode_fail (error, "STATUS");
          return NULL;
        }

      if (g_ascii_strcasecmp (key->str, "MESSAGES") == 0)
        {
          data->messages = (guint32) number;
          data->items |= MAIL_IMAP_STATUS_ITEM_MESSAGES;
        }
      else if (g_ascii_strcasecmp (key->str, "RECENT") == 0)
        {
          data->recent = (guint32) number;
          data->items |= MAIL_IMAP_STATUS_ITEM_RECENT;
        }
      else if (g_ascii_strcasecmp (key->str, "UIDNEXT") == 0)
        {
          data->uidnext = (guint32) number;
          data->items |= MAIL_IMAP_STATUS_ITEM_UIDNEXT;
        }
      else if (g_ascii_strcasecmp (key->str, "UIDVALIDITY") == 0)
        {
          data->uidvalidity = (guint32) number;
          data->items |= MAIL_IMAP_STATUS_ITEM_UIDVALIDITY;
        }
      else if (g_ascii_strcasecmp (key->str, "UNSEEN") == 0)
        {
          data->unseen = (guint32) number;
          data->items |= MAIL_IMAP_STATUS_ITEM_UNSEEN;
        }
      else if (g_ascii_strcasecmp (key->str, "DELETED") == 0)
        {
          data->deleted = (guint32) number;
          data->items |= MAIL_IMAP_STATUS_ITEM_DELETED;
        }
    }

  return g_steal_pointer (&data);
}

/* ------------------------------------------------------------------------------------------ */
/* SELECT / EXAMINE                                                                             */

/**
 * mail_imap_select_info_clear:
 * @info: a #MailImapSelectInfo
 *
 * Frees what @info holds and zeroes it, ready for the next SELECT.
 */
void
mail_imap_select_info_clear (MailImapSelectInfo *info)
{
  g_return_if_fail (info != NULL);

  g_strfreev (info->flags);
  g_strfreev (info->permanent_flags);
  memset (info, 0, sizeof *info);
}

static gboolean
code_number (MailImapResponse  *response,
             guint64            max,
             guint64           *out,
             GError           **error)
{
  const MailImapValue *args = mail_imap_response_get_code_args (response);

  if (mail_imap_value_get_n_children (args) != 1)
    return mail_imap_decode_fail (error, mail_imap_response_get_code (response));

  return mail_imap_decode_number (args->children[0], max, out,
                                  mail_imap_response_get_code (response), error);
}

/**
 * mail_imap_select_info_update:
 * @info: a #MailImapSelectInfo
 * @response: a response received during SELECT/EXAMINE
 * @error: return location for an error
 *
 * Takes what @response says about the mailbox: untagged EXISTS, RECENT, FLAGS, the codes
 * PERMANENTFLAGS, UIDVALIDITY, UIDNEXT, UNSEEN, HIGHESTMODSEQ, NOMODSEQ, and READ-ONLY /
 * READ-WRITE of the tagged OK. Other responses are left alone.
 *
 * Returns: %FALSE if a relevant response is malformed
 */
gboolean
mail_imap_select_info_update (MailImapSelectInfo  *info,
                              MailImapResponse    *response,
                              GError             **error)
{
  const char *code;
  guint64 number;

  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  if (mail_imap_response_get_kind (response) == MAIL_IMAP_RESPONSE_UNTAGGED &&
      mail_imap_response_has_number (response))
    {
      if (mail_imap_response_is_name (response, "EXISTS"))
        {
          info->exists = mail_imap_response_get_number (response);
          info->items |= MAIL_IMAP_SELECT_EXISTS;
        }
      else if (mail_imap_response_is_name (response, "RECENT"))
        {
          info->recent = mail_imap_response_get_number (response);
          info->items |= MAIL_IMAP_SELECT_RECENT;
        }
      return TRUE;
    }

  if (mail_imap_response_is_name (response, "FLAGS"))
    {
      GStrv flags;

      if (data_count (response) != 1)
        return mail_imap_decode_fail (error, "FLAGS");

      flags = mail_imap_decode_flag_list (data_child (response, 0), error);
      if (flags == NULL)
        return FALSE;

      g_strfreev (info->flags);
      info->flags = flags;
      info->items |= MAIL_IMAP_SELECT_FLAGS;
      return TRUE;
    }

  code = mail_imap_response_get_code (response);
  if (code == NULL || mail_imap_response_get_status (response) != MAIL_IMAP_STATUS_OK)
    return TRUE;

  if (strcmp (code, "READ-ONLY") == 0)
    {
      info->read_only = TRUE;
    }
  else if (strcmp (code, "READ-WRITE") == 0)
    {
      info->read_only = FALSE;
    }
  else if (strcmp (code, "NOMODSEQ") == 0)
    {
      info->items |= MAIL_IMAP_SELECT_NOMODSEQ;
    }
  else if (strcmp (code, "PERMANENTFLAGS") == 0)
    {
      const MailImapValue *args = mail_imap_response_get_code_args (response);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) flags = NULL;

      if (mail_imap_value_get_n_children (args) != 1)
        return mail_imap_decode_fail (error, "PERMANENTFLAGS");

      flags = mail_imap_decode_flag_list (args->children[0], error);
      if (flags == NULL)
        return FALSE;

      info->can_create_keywords = FALSE;
      for (guint i = 0; flags[i] != NULL; i++)
        {
          if (strcmp (flags[i], "\\*") == 0)
            info->can_create_keywords = TRUE;
          else
            g_strv_builder_add (builder, flags[i]);
        }

      g_strfreev (info->permanent_flags);
      info->permanent_flags = g_strv_builder_end (builder);
      info->items |= MAIL_IMAP_SELECT_PERMANENTFLAGS;
    }
  else if (strcmp (code, "UIDVALIDITY") == 0)
    {
      if (!code_number (response, G_MAXUINT32, &number, error))
        return FALSE;
      if (number == 0)
        return mail_imap_decode_fail (error, "UIDVALIDITY");
      info->uidvalidity = (guint32) number;
      info->items |= MAIL_IMAP_SELECT_UIDVALIDITY;
    }
  else if (strcmp (code, "UIDNEXT") == 0)
    {
      if (!code_number (response, G_MAXUINT32, &number, error))
        return FALSE;
      if (number == 0)
        return mail_imap_decode_fail (error, "UIDNEXT");
      info->uidnext = (guint32) number;
      info->items |= MAIL_IMAP_SELECT_UIDNEXT;
    }
  else if (strcmp (code, "UNSEEN") == 0)
    {
      if (!code_number (response, G_MAXUINT32, &number, error))
        return FALSE;
      info->unseen = (guint32) number;
      info->items |= MAIL_IMAP_SELECT_UNSEEN;
    }
  else if (strcmp (code, "HIGHESTMODSEQ") == 0)
    {
      if (!code_number (response, G_MAXINT64, &number, error))
        return FALSE;
      info->highestmodseq = number;
      info->items |= MAIL_IMAP_SELECT_HIGHESTMODSEQ;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* SEARCH / ESEARCH                                                                             */

/**
 * mail_imap_decode_search:
 * @response: an untagged SEARCH response
 * @modseq: (out) (optional): the `(MODSEQ n)` of CONDSTORE, 0 if absent
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type guint32) (nullable): the numbers (maybe none)
 */
GArray *
mail_imap_decode_search (MailImapResponse  *response,
                         guint64           *modseq,
                         GError           **error)
{
  g_autoptr(GArray) numbers = NULL;
  guint n;

  g_return_val_if_fail (response != NULL, NULL);

  if (modseq != NULL)
    *modseq = 0;

  if (!mail_imap_response_is_name (response, "SEARCH"))
    {
      mail_imap_decode_fail (error, "SEARCH");
      return NULL;
    }

  n = data_count (response);
  numbers = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);

  for (guint i = 0; i < n; i++)
    {
      const MailImapValue *value = data_child (response, i);
      guint32 number;

      if (i == n - 1 && mail_imap_value_is_list (value))
        {
          guint64 mod;

          if (value->n_children != 2 || !mail_imap_value_is_atom (value->children[0], "MODSEQ") ||
              !mail_imap_decode_number (value->children[1], G_MAXINT64, &mod, "SEARCH", error))
            {
              mail_imap_decode_fail (error, "SEARCH");
              return NULL;
            }
          if (modseq != NULL)
            *modseq = mod;
          break;
        }

      if (!decode_nz_number (value, &number, "SEARCH", error))
        return NULL;
      g_array_append_val (numbers, number);
    }

  return g_steal_pointer (&numbers);
}

/**
 * mail_imap_esearch_free:
 * @esearch: (transfer full) (nullable): a result
 *
 * Frees @esearch.
 */
void
mail_imap_esearch_free (MailImapEsearch *esearch)
{
  if (esearch == NULL)
    return;

  g_free (esearch->tag);
  mail_imap_sequence_set_free (esearch->all);
  g_free (esearch);
}

/**
 * mail_imap_decode_esearch:
 * @response: an untagged ESEARCH response
 * @error: return location for an error
 *
 * Reads `* ESEARCH [(TAG "x")] [UID] [MIN n] [MAX n] [COUNT n] [ALL set] [MODSEQ n]`.
 * Unknown return items are skipped with their value.
 *
 * Returns: (transfer full) (nullable): the result
 */
MailImapEsearch *
mail_imap_decode_esearch (MailImapResponse  *response,
                          GError           **error)
{
  g_autoptr(MailImapEsearch) result = NULL;
  guint n;
  guint i = 0;

  g_return_val_if_fail (response != NULL, NULL);

  if (!mail_imap_response_is_name (response, "ESEARCH"))
    {
      mail_imap_decode_fail (error, "ESEARCH");
      return NULL;
    }

  result = g_new0 (MailImapEsearch, 1);
  n = data_count (response);

  if (n > 0 && mail_imap_value_is_list (data_child (response, 0)))
    {
      const MailImapValue *corr = data_child (response, 0);

      if (corr->n_children != 2 || !mail_imap_value_is_atom (corr->children[0], "TAG") ||
          !mail_imap_decode_string (corr->children[1], &result->tag, "ESEARCH", error))
        {
          mail_imap_decode_fail (error, "ESEARCH");
          return NULL;
        }
      i = 1;
    }

  if (i < n && mail_imap_value_is_atom (data_child (response, i), "UID"))
    {
      result->uid = TRUE;
      i++;
    }

  while (i < n)
    {
      const MailImapValue *key = data_child (response, i);
      const MailImapValue *val = data_child (response, i + 1);
      guint64 number;

      if (key->type != MAIL_IMAP_VALUE_ATOM || val == NULL)
        {
          mail_imap_decode_fail (error, "ESEARCH");
          return NULL;
        }

      if (g_ascii_strcasecmp (key->str, "MIN") == 0)
        {
          if (!decode_nz_number (val, &result->min, "ESEARCH", error))
            return NULL;
          result->has_min = TRUE;
        }
      else if (g_ascii_strcasecmp (key->str, "MAX") == 0)
        {
          if (!decode_nz_number (val, &result->max, "ESEARCH", error))
            return NULL;
          result->has_max = TRUE;
        }
      else if (g_ascii_strcasecmp (key->str, "COUNT") == 0)
        {
          if (!mail_imap_decode_number (val, G_MAXUINT32, &number, "ESEARCH", error))
            return NULL;
          result->count = (guint32) number;
          result->has_count = TRUE;
        }
      else if (g_ascii_strcasecmp (key->str, "MODSEQ") == 0)
        {
          if (!mail_imap_decode_number (val, G_MAXINT64, &result->modseq, "ESEARCH", error))
            return NULL;
          result->has_modseq = TRUE;
        }
      else if (g_ascii_strcasecmp (key->str, "ALL") == 0)
        {
          if (val->type != MAIL_IMAP_VALUE_ATOM)
            {
              mail_imap_decode_fail (error, "ESEARCH");
              return NULL;
            }
          mail_imap_sequence_set_free (result->all);
          result->all = mail_imap_sequence_set_parse (val->str, val->len,
                                                      MAIL_IMAP_SEQUENCE_SET_NONE, error);
          if (result->all == NULL)
            return NULL;
        }

      i += 2;
    }

  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------------------------ */
/* VANISHED                                                                                     */

/**
 * mail_imap_decode_vanished:
 * @response: an untagged VANISHED response
 * @earlier: (out) (optional): whether it was `VANISHED (EARLIER)`
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the expunged UIDs
 */
MailImapSequenceSet *
mail_imap_decode_vanished (MailImapResponse  *response,
                           gboolean          *earlier,
                           GError           **error)
{
  const MailImapValue *set;
  guint i = 0;

  g_return_val_if_fail (response != NULL, NULL);

  if (earlier != NULL)
    *earlier = FALSE;

  if (!mail_imap_response_is_name (response, "VANISHED"))
    {
      mail_imap_decode_fail (error, "VANISHED");
      return NULL;
    }

  if (mail_imap_value_is_list (data_child (response, 0)))
    {
      const MailImapValue *tag = data_child (response, 0);

      if (tag->n_children != 1 || !mail_imap_value_is_atom (tag->children[0], "EARLIER"))
        {
          mail_imap_decode_fail (error, "VANISHED");
          return NULL;
        }
      if (earlier != NULL)
        *earlier = TRUE;
      i = 1;
    }

  set = data_child (response, i);
  if (data_count (response) != i + 1 || set->type != MAIL_IMAP_VALUE_ATOM)
    {
      mail_imap_decode_fail (error, "VANISHED");
      return NULL;
    }

  return mail_imap_sequence_set_parse (set->str, set->len, MAIL_IMAP_SEQUENCE_SET_NONE, error);
}

/* ------------------------------------------------------------------------------------------ */
/* NAMESPACE                                                                                    */

static void
namespace_free (gpointer data)
{
  MailImapNamespace *ns = data;

  g_free (ns->prefix);
  g_free (ns);
}

/**
 * mail_imap_namespaces_free:
 * @namespaces: (transfer full) (nullable): namespaces
 *
 * Frees @namespaces.
 */
void
mail_imap_namespaces_free (MailImapNamespaces *namespaces)
{
  if (namespaces == NULL)
    return;

  g_clear_pointer (&namespaces->personal, g_ptr_array_unref);
  g_clear_pointer (&namespaces->other, g_ptr_array_unref);
  g_clear_pointer (&namespaces->shared, g_ptr_array_unref);
  g_free (namespaces);
}

static GPtrArray *
decode_namespace_list (const MailImapValue  *value,
                       GError              **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (namespace_free);

  if (mail_imap_value_is_nil (value))
    return g_steal_pointer (&out);

  if (!mail_imap_value_is_list (value) || value->n_children == 0)
    {
      mail_imap_decode_fail (error, "NAMESPACE");
      return NULL;
    }

  for (guint i = 0; i < value->n_children; i++)
    {
      const MailImapValue *desc = value->children[i];
      MailImapNamespace *ns;

      /* "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) *(extension) ")" */
      if (!mail_imap_value_is_list (desc) || desc->n_children < 2)
        {
          mail_imap_decode_fail (error, "NAMESPACE");
          return NULL;
        }

      ns = g_new0 (MailImapNamespace, 1);
      g_ptr_array_add (out, ns);
      if (!mail_imap_decode_string (desc->children[0], &ns->prefix, "NAMESPACE", error) ||
          !decode_delimiter (desc->children[1], &ns->delimiter, "NAMESPACE", error))
        return NULL;
    }

  return g_steal_pointer (&out);
}

/**
 * mail_imap_decode_namespace:
 * @response: an untagged NAMESPACE response
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the personal, other-users' and shared namespaces
 */
MailImapNamespaces *
mail_imap_decode_namespace (MailImapResponse  *response,
                            GError           **error)
{
  g_autoptr(MailImapNamespaces) namespaces = NULL;

  g_return_val_if_fail (response != NULL, NULL);

  if (!mail_imap_response_is_name (response, "NAMESPACE") || data_count (response) != 3)
    {
      mail_imap_decode_fail (error, "NAMESPACE");
      return NULL;
    }

  namespaces = g_new0 (MailImapNamespaces, 1);
  if ((namespaces->personal = decode_namespace_list (data_child (response, 0), error)) == NULL ||
      (namespaces->other = decode_namespace_list (data_child (response, 1), error)) == NULL ||
      (namespaces->shared = decode_namespace_list (data_child (response, 2), error)) == NULL)
    return NULL;

  return g_steal_pointer (&namespaces);
}

/* ------------------------------------------------------------------------------------------ */
/* ID                                                                                           */

/**
 * mail_imap_decode_id:
 * @response: an untagged ID response
 * @error: return location for an error
 *
 * Reads `* ID ("name" "Dovecot" ...)` or `* ID NIL`. Field names are lower-cased; NIL values
 * are left out. At most 30 pairs are accepted (RFC 2971).
 *
 * Returns: (transfer full) (element-type utf8 utf8) (nullable): the fields
 */
GHashTable *
mail_imap_decode_id (MailImapResponse  *response,
                     GError           **error)
{
  g_autoptr(GHashTable) fields = NULL;
  const MailImapValue *list;

  g_return_val_if_fail (response != NULL, NULL);

  if (!mail_imap_response_is_name (response, "ID") || data_count (response) != 1)
    {
      mail_imap_decode_fail (error, "ID");
      return NULL;
    }

  fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  list = data_child (response, 0);

  if (mail_imap_value_is_nil (list))
    return g_steal_pointer (&fields);

  if (!mail_imap_value_is_list (list) || list->n_children % 2 != 0 ||
      list->n_children / 2 > MAX_ID_PAIRS)
    {
      mail_imap_decode_fail (error, "ID");
      return NULL;
    }

  for (guint i = 0; i < list->n_children; i += 2)
    {
      g_autofree char *key = NULL;
      g_autofree char *val = NULL;

      if (!mail_imap_decode_string (list->children[i], &key, "ID", error) ||
          !mail_imap_decode_nstring (list->children[i + 1], &val, "ID", error))
        return NULL;

      if (val != NULL && g_utf8_validate (val, -1, NULL))
        g_hash_table_replace (fields, g_ascii_strdown (key, -1), g_steal_pointer (&val));
    }

  return g_steal_pointer (&fields);
}

/* ------------------------------------------------------------------------------------------ */
/* APPENDUID / COPYUID                                                                          */

static MailImapSequenceSet *
decode_uid_set (const MailImapValue  *value,
                const char           *what,
                GError              **error)
{
  if (value == NULL || value->type != MAIL_IMAP_VALUE_ATOM)
    {
      mail_imap_decode_fail (error, what);
      return NULL;
    }

  return mail_imap_sequence_set_parse (value->str, value->len, MAIL_IMAP_SEQUENCE_SET_NONE,
                                       error);
}

/**
 * mail_imap_decode_appenduid:
 * @response: the tagged OK of APPEND, with an `[APPENDUID uidvalidity uid-set]` code
 * @uidvalidity: (out): the UIDVALIDITY of the destination
 * @uids: (out) (transfer full): the UIDs of the appended messages
 * @error: return location for an error
 *
 * Returns: %TRUE if the code is present and valid
 */
gboolean
mail_imap_decode_appenduid (MailImapResponse     *response,
                            guint32              *uidvalidity,
                            MailImapSequenceSet **uids,
                            GError              **error)
{
  const MailImapValue *args;

  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (uidvalidity != NULL && uids != NULL, FALSE);

  args = mail_imap_response_get_code_args (response);
  if (g_strcmp0 (mail_imap_response_get_code (response), "APPENDUID") != 0 ||
      mail_imap_value_get_n_children (args) != 2)
    return mail_imap_decode_fail (error, "APPENDUID");

  if (!decode_nz_number (args->children[0], uidvalidity, "APPENDUID", error))
    return FALSE;

  *uids = decode_uid_set (args->children[1], "APPENDUID", error);
  return *uids != NULL;
}

/**
 * mail_imap_decode_copyuid:
 * @response: the tagged OK of COPY/MOVE (or an untagged OK for MOVE), with a
 *   `[COPYUID uidvalidity source-set dest-set]` code
 * @uidvalidity: (out): the UIDVALIDITY of the destination
 * @source_uids: (out) (transfer full): the source UIDs, in the server's order
 * @dest_uids: (out) (transfer full): the matching destination UIDs
 * @error: return location for an error
 *
 * Both sets must cover the same number of messages.
 *
 * Returns: %TRUE if the code is present and valid
 */
gboolean
mail_imap_decode_copyuid (MailImapResponse     *response,
                          guint32              *uidvalidity,
                          MailImapSequenceSet **source_uids,
                          MailImapSequenceSet **dest_uids,
                          GError              **error)
{
  g_autoptr(MailImapSequenceSet) source = NULL;
  g_autoptr(MailImapSequenceSet) dest = NULL;
  const MailImapValue *args;

  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (uidvalidity != NULL && source_uids != NULL && dest_uids != NULL, FALSE);

  args = mail_imap_response_get_code_args (response);
  if (g_strcmp0 (mail_imap_response_get_code (response), "COPYUID") != 0 ||
      mail_imap_value_get_n_children (args) != 3)
    return mail_imap_decode_fail (error, "COPYUID");

  if (!decode_nz_number (args->children[0], uidvalidity, "COPYUID", error) ||
      (source = decode_uid_set (args->children[1], "COPYUID", error)) == NULL ||
      (dest = decode_uid_set (args->children[2], "COPYUID", error)) == NULL)
    return FALSE;

  if (mail_imap_sequence_set_count (source) != mail_imap_sequence_set_count (dest))
    return mail_imap_decode_fail (error, "COPYUID");

  *source_uids = g_steal_pointer (&source);
  *dest_uids = g_steal_pointer (&dest);
  return TRUE;
}
