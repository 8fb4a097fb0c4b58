/* mail-message-reply.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-message-reply.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-gmime-autocleanups.h"
#include "mail-message-display.h"
#include "mail-mime-text.h"

/*
 * Replies and forwards.
 *
 * Subject rule. A prefix is one of the words below (any case), optionally followed by a
 * counter "[2]", "(2)" or "^2", then ":" (or the full-width "："), then spaces. A reply
 * removes every leading prefix, reply and forward alike ("Fwd: Re: Aw: x"), and writes
 * "Re: " once. A forward removes leading forward prefixes only and writes "Fwd: " once, so
 * "Fwd: Fwd: x" becomes "Fwd: x" but "Re: x" becomes "Fwd: Re: x" (that it was a reply is
 * worth keeping). List tags like "[list]" are left where they are.
 */

static const char * const reply_prefixes[] = {
  "re", "aw", "sv", "vs", "antw", "ref", "rif", "odp", "res", "atb", "ynt", NULL,
};

static const char * const forward_prefixes[] = {
  "fwd", "fw", "wg", "tr", "rv", "enc", "doorst", "vb", "pd", "fs", NULL,
};

#define MAX_REFERENCES_OCTETS 900

/* Returns where the text after one prefix starts, or NULL when @p starts with none. */
static const char *
skip_prefix (const char         *p,
             const char * const *words)
{
  const char *q;
  gsize len = 0;

  while (g_ascii_isalpha (p[len]))
    len++;
  if (len == 0)
    return NULL;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strlen (words[i]) != len || g_ascii_strncasecmp (p, words[i], len) != 0)
        continue;

      q = p + len;
      if (*q == '[' || *q == '(' || *q == '^')
        {
          char close = *q == '[' ? ']' : *q == '(' ? ')' : '\0';
          const char *digits = ++q;

          while (g_ascii_isdigit (*q))
            q++;
          if (q == digits)
            return NULL;
          if (close != '\0' && *q++ != close)
            return NULL;
        }
      if (*q == ':')
        q++;
      else if (g_str_has_prefix (q, "\xef\xbc\x9a"))
        q += 3;
      else
        return NULL;
      while (*q == ' ' || *q == '\t')
        q++;

      return q;
    }

  return NULL;
}

static const char *
strip_prefixes (const char *subject,
                gboolean    reply_too)
{
  const char *p = subject;

  for (;;)
    {
      const char *next;

      while (*p == ' ' || *p == '\t')
        p++;
      next = skip_prefix (p, forward_prefixes);
      if (next == NULL && reply_too)
        next = skip_prefix (p, reply_prefixes);
      if (next == NULL)
        return p;
      p = next;
    }
}

/**
 * mail_message_reply_subject:
 * @subject: (nullable): the original subject (decoded)
 *
 * "Re: " and one subject, see the rule at the top of this file: "Re: Re: x", "RE: x",
 * "Aw: x" and "Fwd: Re: x" all give "Re: x".
 *
 * Returns: (transfer full): the reply subject
 */
char *
mail_message_reply_subject (const char *subject)
{
  g_autofree char *clean = mail_mime_sanitize_display_text (subject, NULL);

  return g_strconcat ("Re: ", strip_prefixes (clean, TRUE), NULL);
}

/**
 * mail_message_forward_subject:
 * @subject: (nullable): the original subject (decoded)
 *
 * "Fwd: " once: "Fwd: Fwd: x" and "FW: x" give "Fwd: x"; "Re: x" gives "Fwd: Re: x".
 *
 * Returns: (transfer full): the forward subject
 */
char *
mail_message_forward_subject (const char *subject)
{
  g_autofree char *clean = mail_mime_sanitize_display_text (subject, NULL);

  return g_strconcat ("Fwd: ", strip_prefixes (clean, FALSE), NULL);
}

/**
 * mail_message_reply_references:
 * @original: the message replied to
 *
 * The References of a reply: the original's References followed by its Message-ID. Long
 * chains keep the first Message-ID (the thread's root) and the latest ones, at most
 * %MAIL_REPLY_MAX_REFERENCES and about 900 octets (RFC 5322 §3.6.4, RFC 5537 §3.4.4).
 *
 * Returns: (transfer full): Message-IDs without angle brackets, possibly none
 */
char **
mail_message_reply_references (GMimeMessage *original)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GMimeReferences) refs = NULL;
  const char *message_id;
  const char *header;
  gsize octets = 0;

  g_return_val_if_fail (GMIME_IS_MESSAGE (original), NULL);

  ids = g_ptr_array_new_with_free_func (g_free);
  /* RFC 5322 §3.6.4: References, or else a single In-Reply-To. */
  header = g_mime_object_get_header (GMIME_OBJECT (original), "References");
  if (header != NULL)
    refs = g_mime_references_parse (NULL, header);
  if (refs == NULL || g_mime_references_length (refs) == 0)
    {
      g_clear_pointer (&refs, g_mime_references_free);
      header = g_mime_object_get_header (GMIME_OBJECT (original), "In-Reply-To");
      if (header != NULL)
        refs = g_mime_references_parse (NULL, header);
      if (refs != NULL && g_mime_references_length (refs) != 1)
        g_clear_pointer (&refs, g_mime_references_free);
    }
  for (int i = 0; refs != NULL && i < g_mime_references_length (refs); i++)
    {
      const char *id = g_mime_references_get_message_id (refs, i);

      if (id != NULL && *id != '\0')
        g_ptr_array_add (ids, g_strdup (id));
    }

  message_id = g_mime_message_get_message_id (original);
  if (message_id != NULL && *message_id != '\0' &&
      (ids->len == 0 || strcmp (g_ptr_array_index (ids, ids->len - 1), message_id) != 0))
    g_ptr_array_add (ids, g_strdup (message_id));

  for (guint i = 0; i < ids->len; i++)
    octets += strlen (g_ptr_array_index (ids, i)) + 3;
  /* Drop from the second one on: the root and the newest ones matter most for threading. */
  while (ids->len > 2 && (ids->len > MAIL_REPLY_MAX_REFERENCES || octets > MAX_REFERENCES_OCTETS))
    {
      octets -= strlen (g_ptr_array_index (ids, 1)) + 3;
      g_ptr_array_remove_index (ids, 1);
    }

  g_ptr_array_add (ids, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  /* Translators: date in attribution lines and forwarded headers; see g_date_time_format() */
  return g_date_time_format (local != NULL ? local : date, _("%a, %b %-d, %Y at %H:%M"));
}

static char *
sender_name (GMimeMessage *original)
{
  g_autoptr(GPtrArray) from = mail_display_addresses_from_list (g_mime_message_get_from (original));
  MailDisplayAddress *first;

  if (from->len == 0)
    return g_strdup (_("Unknown sender"));
  first = g_ptr_array_index (from, 0);

  return g_strdup (first->name != NULL ? first->name : first->address);
}

/**
 * mail_message_format_attribution:
 * @original: the message replied to
 *
 * Returns: (transfer full): "On <date>, <name> wrote:", translated
 */
char *
mail_message_format_attribution (GMimeMessage *original)
{
  g_autofree char *name = NULL;
  g_autofree char *date = NULL;
  GDateTime *when;

  g_return_val_if_fail (GMIME_IS_MESSAGE (original), NULL);

  name = sender_name (original);
  when = g_mime_message_get_date (original);
  if (when == NULL)
    /* Translators: %s is the sender's name */
    return g_strdup_printf (_("%s wrote:"), name);
  date = format_date (when);

  /* Translators: the first %s is a date, the second the sender's name */
  return g_strdup_printf (_("On %s, %s wrote:"), date, name);
}

static char *
cut_signature (char *text)
{
  char *sig;

  if (g_str_has_prefix (text, "-- \n"))
    {
      *text = '\0';
      return text;
    }
  sig = strstr (text, "\n-- \n");
  if (sig != NULL)
    sig[1] = '\0';

  return text;
}

/**
 * mail_message_dup_quotable_text:
 * @original: a message
 *
 * The text to quote: the first text/plain body part (format=flowed unwrapped), or else
 * the first HTML part reduced to text. The signature (after "-- ") is left out.
 *
 * Returns: (transfer full): the text, possibly empty
 */
char *
mail_message_dup_quotable_text (GMimeMessage *original)
{
  g_autoptr(GPtrArray) parts = NULL;
  const MailDisplayPart *html = NULL;

  g_return_val_if_fail (GMIME_IS_MESSAGE (original), NULL);

  parts = mail_message_get_display_parts (original, MAIL_DISPLAY_FLAGS_NONE);
  for (guint i = 0; i < parts->len; i++)
    {
      const MailDisplayPart *part = g_ptr_array_index (parts, i);

      if (part->kind == MAIL_DISPLAY_PART_TEXT)
        {
          g_autofree char *text = mail_display_part_dup_text (part);
          GMimeContentType *type = g_mime_object_get_content_type (part->object);
          const char *format = g_mime_content_type_get_parameter (type, "format");
          const char *delsp = g_mime_content_type_get_parameter (type, "delsp");

          if (format != NULL && g_ascii_strcasecmp (format, "flowed") == 0)
            {
              char *unwrapped = mail_mime_flowed_decode (text, delsp != NULL &&
                                                         g_ascii_strcasecmp (delsp, "yes") == 0);

              g_free (text);
              text = unwrapped;
            }
          return cut_signature (g_steal_pointer (&text));
        }
      if (part->kind == MAIL_DISPLAY_PART_HTML && html == NULL)
        html = part;
    }

  if (html != NULL)
    {
      g_autofree char *markup = mail_display_part_dup_text (html);

      return mail_mime_html_to_text (markup, -1);
    }

  return g_strdup ("");
}

static gboolean
is_ours (const char         *address,
         const char         *own,
         const char * const *aliases)
{
  if (address == NULL)
    return FALSE;
  if (own != NULL && g_ascii_strcasecmp (address, own) == 0)
    return TRUE;
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (address, aliases[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Adds the mailboxes of @src (groups flattened) to @dest, skipping ours and duplicates. */
static void
add_recipients (InternetAddressList *dest,
                InternetAddressList *src,
                GHashTable          *seen,
                const char          *own,
                const char * const  *aliases)
{
  for (int i = 0; src != NULL && i < internet_address_list_length (src); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (src, i);
      InternetAddressList *members = NULL;
      int n = 1;

      if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          members = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia));
          n = internet_address_list_length (members);
        }

      for (int j = 0; j < n; j++)
        {
          InternetAddress *member = members != NULL ? internet_address_list_get_address (members, j)
                                                    : ia;
          const char *addr;

          if (!INTERNET_ADDRESS_IS_MAILBOX (member))
            continue;
          addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (member));
          if (addr == NULL || *addr == '\0' || is_ours (addr, own, aliases))
            continue;
          if (!g_hash_table_add (seen, g_ascii_strdown (addr, -1)))
            continue;
          internet_address_list_add (dest, member);
        }
    }
}

static gboolean
all_ours (InternetAddressList *list,
          const char          *own,
          const char * const  *aliases)
{
  g_autoptr(InternetAddressList) others = internet_address_list_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  add_recipients (others, list, seen, own, aliases);

  return internet_address_list_length (others) == 0;
}

/**
 * mail_message_builder_new_reply:
 * @original: the message replied to
 * @mode: to the sender only, or to all
 * @from_name: (nullable): our name
 * @from_address: our address
 * @aliases: (nullable) (array zero-terminated=1): our other addresses, left out of reply-all
 *
 * Prepares a reply: To is the Reply-To (or From) of @original, or its To when we sent it
 * ourselves; reply-all adds its To and Cc as Cc. Our own address and aliases are removed
 * and nobody appears twice (addresses compared without case). In-Reply-To, References,
 * subject (see mail_message_reply_subject()) and the quoted text with an attribution line
 * are filled in.
 *
 * Returns: (transfer full): a builder for the reply
 */
MailMessageBuilder *
mail_message_builder_new_reply (GMimeMessage       *original,
                                MailReplyMode       mode,
                                const char         *from_name,
                                const char         *from_address,
                                const char * const *aliases)
{
  g_autoptr(MailMessageBuilder) builder = NULL;
  g_autoptr(InternetAddressList) to = NULL;
  g_autoptr(InternetAddressList) cc = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_auto(GStrv) references = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *attribution = NULL;
  g_autofree char *quotable = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *body = NULL;
  InternetAddressList *primary;

  g_return_val_if_fail (GMIME_IS_MESSAGE (original), NULL);
  g_return_val_if_fail (from_address != NULL, NULL);

  builder = mail_message_builder_new ();
  mail_message_builder_set_from (builder, from_name, from_address);

  to = internet_address_list_new ();
  cc = internet_address_list_new ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  primary = g_mime_message_get_reply_to (original);
  if (primary == NULL || internet_address_list_length (primary) == 0)
    primary = g_mime_message_get_from (original);
  /* A reply to our own message goes to its recipients, as a follow-up. */
  if (all_ours (primary, from_address, aliases))
    primary = g_mime_message_get_to (original);

  add_recipients (to, primary, seen, from_address, aliases);
  if (mode == MAIL_REPLY_MODE_ALL)
    {
      add_recipients (cc, g_mime_message_get_to (original), seen, from_address, aliases);
      add_recipients (cc, g_mime_message_get_cc (original), seen, from_address, aliases);
    }
  mail_message_builder_set_recipients (builder, GMIME_ADDRESS_TYPE_TO, to);
  mail_message_builder_set_recipients (builder, GMIME_ADDRESS_TYPE_CC, cc);

  subject = mail_message_reply_subject (g_mime_message_get_subject (original));
  mail_message_builder_set_subject (builder, subject);

  mail_message_builder_set_in_reply_to (builder, g_mime_message_get_message_id (original));
  references = mail_message_reply_references (original);
  mail_message_builder_set_references (builder, (const char * const *) references);

  attribution = mail_message_format_attribution (original);
  quotable = mail_message_dup_quotable_text (original);
  quoted = mail_mime_quote_text (quotable);
  body = g_strdup_printf ("%s\n%s", attribution, quoted);
  mail_message_builder_set_text (builder, body);

  return g_steal_pointer (&builder);
}

static void
append_address_line (GString             *out,
                     const char          *label,
                     InternetAddressList *list)
{
  g_autoptr(GPtrArray) addresses = mail_display_addresses_from_list (list);

  if (addresses->len == 0)
    return;
  g_string_append_printf (out, "%s ", label);
  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *formatted = mail_display_address_format (g_ptr_array_index (addresses, i));

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", formatted);
    }
  g_string_append_c (out, '\n');
}

/**
 * mail_message_format_forward_text:
 * @original: the message forwarded
 *
 * The body of an inline forward: a translated "Forwarded message" line, the From, Date,
 * Subject and To (and Cc) headers, an empty line and the text of @original.
 *
 * Returns: (transfer full): the text
 */
char *
mail_message_format_forward_text (GMimeMessage *original)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  GDateTime *date;

  g_return_val_if_fail (GMIME_IS_MESSAGE (original), NULL);

  g_string_append_printf (out, "\n\n%s\n", _("---------- Forwarded message ---------"));
  append_address_line (out, _("From:"), g_mime_message_get_from (original));
  date = g_mime_message_get_date (original);
  if (date != NULL)
    {
      g_autofree char *formatted = format_date (date);

      g_string_append_printf (out, "%s %s\n", _("Date:"), formatted);
    }
  subject = mail_message_dup_display_subject (original);
  g_string_append_printf (out, "%s %s\n", _("Subject:"), subject);
  append_address_line (out, _("To:"), g_mime_message_get_to (original));
  append_address_line (out, _("Cc:"), g_mime_message_get_cc (original));
  g_string_append_c (out, '\n');

  text = mail_message_dup_quotable_text (original);
  g_string_append (out, text);
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mail_message_builder_new_forward:
 * @original: the message forwarded
 * @mode: inline or as an attachment
 * @from_name: (nullable): our name
 * @from_address: our address
 *
 * Prepares a forward with no recipients yet and the subject from
 * mail_message_forward_subject(). Inline forwards carry the original's attachments.
 *
 * Returns: (transfer full): a builder for the forward
 */
MailMessageBuilder *
mail_message_builder_new_forward (GMimeMessage    *original,
                                  MailForwardMode  mode,
                                  const char      *from_name,
                                  const char      *from_address)
{
  g_autoptr(MailMessageBuilder) builder = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (GMIME_IS_MESSAGE (original), NULL);
  g_return_val_if_fail (from_address != NULL, NULL);

  builder = mail_message_builder_new ();
  mail_message_builder_set_from (builder, from_name, from_address);
  subject = mail_message_forward_subject (g_mime_message_get_subject (original));
  mail_message_builder_set_subject (builder, subject);

  if (mode == MAIL_FORWARD_MODE_ATTACHMENT)
    {
      mail_message_builder_set_text (builder, "");
      mail_message_builder_add_message_attachment (builder, original);
    }
  else
    {
      g_autofree char *text = mail_message_format_forward_text (original);
      g_autoptr(GPtrArray) parts = mail_message_get_display_parts (original,
                                                                   MAIL_DISPLAY_FLAGS_NONE);

      mail_message_builder_set_text (builder, text);
      for (guint i = 0; i < parts->len; i++)
        {
          const MailDisplayPart *part = g_ptr_array_index (parts, i);

          if (part->kind == MAIL_DISPLAY_PART_ATTACHMENT && part->object != NULL)
            mail_message_builder_add_attachment_object (builder, part->object);
        }
    }

  return g_steal_pointer (&builder);
}
