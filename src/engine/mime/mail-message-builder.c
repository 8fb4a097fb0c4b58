/* mail-message-builder.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-message-builder.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-gmime-autocleanups.h"
#include "mail-gmime-output-stream.h"
#include "mail-message-display.h"
#include "mail-mime-error.h"
#include "mail-mime-text.h"

/*
 * Builds outgoing messages. The plain text body is always present (format=flowed, UTF-8);
 * HTML is an optional alternative. Bcc recipients are kept for the envelope only: they are
 * never written into the message. Writing produces CRLF line endings, as SMTP wants.
 */

#define MAX_LINE_OCTETS 998

struct _MailMessageBuilder
{
  GObject              parent_instance;

  /* owned references */
  InternetAddressList *to;
  InternetAddressList *cc;
  InternetAddressList *bcc;
  GPtrArray           *attachments;   /* GMimeObject: parts ready to attach */
  GDateTime           *date;

  /* state */
  char                *from_name;
  char                *from_address;
  char                *subject;
  char                *text;
  char                *html;
  char                *in_reply_to;
  GStrv                references;
  char                *message_id;
  char                *user_agent;
  gboolean             allow_8bit;
};

G_DEFINE_FINAL_TYPE (MailMessageBuilder, mail_message_builder, G_TYPE_OBJECT)

/* Header text written by us must be one line: anything a person typed goes through here. */
static char *
one_line (const char *text)
{
  return mail_mime_sanitize_display_text (text, NULL);
}

static gboolean
mailbox_is_valid (InternetAddressMailbox *mailbox)
{
  const char *addr = internet_address_mailbox_get_addr (mailbox);
  const char *at;

  if (addr == NULL || *addr == '\0')
    return FALSE;
  for (const char *p = addr; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',')
        return FALSE;
    }
  at = strrchr (addr, '@');
  if (at == NULL || at == addr || at[1] == '\0' || at[1] == '.' || strchr (at + 1, '[') != NULL)
    return FALSE;

  return TRUE;
}

/* Splits an address list at the commas between addresses: not inside quotes, comments,
 * angle brackets or a group ("Team: a, b;"). GMime's parser silently drops what it cannot
 * read, so every piece is parsed on its own to name the one that is wrong. */
static GPtrArray *
split_addresses (const char *text)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  gboolean quoted = FALSE;
  gboolean in_group = FALSE;
  guint comment = 0;
  guint angle = 0;

  for (const char *p = text;; p++)
    {
      if (*p == '\0' || (*p == ',' && !quoted && comment == 0 && angle == 0 && !in_group))
        {
          g_autofree char *piece = g_strstrip (g_strndup (start, (gsize) (p - start)));

          if (*piece != '\0')
            g_ptr_array_add (pieces, g_steal_pointer (&piece));
          if (*p == '\0')
            break;
          start = p + 1;
          continue;
        }

      if (*p == '\\' && (quoted || comment > 0) && p[1] != '\0')
        p++;
      else if (*p == '"' && comment == 0)
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '(')
        comment++;
      else if (*p == ')' && comment > 0)
        comment--;
      else if (comment > 0)
        continue;
      else if (*p == '<')
        angle++;
      else if (*p == '>' && angle > 0)
        angle--;
      else if (*p == ':' && angle == 0)
        in_group = TRUE;
      else if (*p == ';' && angle == 0)
        in_group = FALSE;
    }

  return pieces;
}

static gboolean
check_list (InternetAddressList  *list,
            GError              **error)
{
  /* Every mailbox, group members included (groups do not nest in RFC 5322). */
  for (int i = 0; i < internet_address_list_length (list); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);
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

          if (!INTERNET_ADDRESS_IS_MAILBOX (member) ||
              !mailbox_is_valid (INTERNET_ADDRESS_MAILBOX (member)))
            {
              g_autofree char *shown = internet_address_to_string (member, NULL, FALSE);

              g_set_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_INVALID_ADDRESS,
                           _("“%s” is not a valid email address"), shown);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static InternetAddressList *
parse_addresses (const char  *text,
                 GError     **error)
{
  g_autoptr(GMimeParserOptions) options = g_mime_parser_options_new ();
  g_autoptr(InternetAddressList) result = internet_address_list_new ();
  g_autoptr(GPtrArray) pieces = NULL;

  if (text == NULL)
    return g_steal_pointer (&result);

  g_mime_parser_options_set_address_compliance_mode (options, GMIME_RFC_COMPLIANCE_STRICT);
  pieces = split_addresses (text);
  for (guint i = 0; i < pieces->len; i++)
    {
      const char *piece = g_ptr_array_index (pieces, i);
      g_autoptr(InternetAddressList) list = internet_address_list_parse (options, piece);

      if (list == NULL || internet_address_list_length (list) == 0)
        {
          g_set_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_INVALID_ADDRESS,
                       _("“%s” is not a valid email address"), piece);
          return NULL;
        }
      if (!check_list (list, error))
        return NULL;
      internet_address_list_append (result, list);
    }

  return g_steal_pointer (&result);
}

static InternetAddressList **
list_for_type (MailMessageBuilder *self,
               GMimeAddressType    type)
{
  switch (type)
    {
    case GMIME_ADDRESS_TYPE_TO:
      return &self->to;
    case GMIME_ADDRESS_TYPE_CC:
      return &self->cc;
    case GMIME_ADDRESS_TYPE_BCC:
      return &self->bcc;
    case GMIME_ADDRESS_TYPE_SENDER:
    case GMIME_ADDRESS_TYPE_FROM:
    case GMIME_ADDRESS_TYPE_REPLY_TO:
    default:
      return NULL;
    }
}

/* Picks 7bit, 8bit or quoted-printable for UTF-8 text. */
static GMimeContentEncoding
text_encoding (const char *text,
               gboolean    allow_8bit)
{
  gboolean ascii = TRUE;
  gsize line = 0;
  gboolean long_line = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        ascii = FALSE;
      if (*p == '\n')
        line = 0;
      else if (++line > MAX_LINE_OCTETS)
        long_line = TRUE;
    }

  if (long_line)
    return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
  if (ascii)
    return GMIME_CONTENT_ENCODING_7BIT;

  return allow_8bit ? GMIME_CONTENT_ENCODING_8BIT : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
}

static GMimeObject *
new_text_part (const char *subtype,
               const char *text,
               gboolean    flowed,
               gboolean    allow_8bit)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  GMimeObject *object = GMIME_OBJECT (part);

  /* Content set directly (not g_mime_text_part_set_text()), so the charset stays UTF-8. */
  stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (GMIME_PART (part), content);
  g_mime_object_set_content_type_parameter (object, "charset", "utf-8");
  if (flowed)
    g_mime_object_set_content_type_parameter (object, "format", "flowed");
  g_mime_part_set_content_encoding (GMIME_PART (part), text_encoding (text, allow_8bit));

  return object;
}

static GMimeMultipart *
wrap (const char  *subtype,
      GMimeObject *first)
{
  GMimeMultipart *multipart = g_mime_multipart_new_with_subtype (subtype);

  g_mime_multipart_add (multipart, first);

  return multipart;
}

static GMimeObject *
build_body (MailMessageBuilder *self)
{
  g_autoptr(GMimeObject) plain = NULL;
  g_autofree char *flowed = NULL;
  GMimeObject *body;
  g_autoptr(GPtrArray) related = g_ptr_array_new ();
  g_autoptr(GPtrArray) mixed = g_ptr_array_new ();

  flowed = mail_mime_flowed_encode (self->text != NULL ? self->text : "", MAIL_FLOWED_FLAGS_QUOTES);
  plain = new_text_part ("plain", flowed, TRUE, self->allow_8bit);
  body = g_object_ref (plain);

  /* Inline parts with a Content-ID go with the HTML (multipart/related), the rest are mixed. */
  for (guint i = 0; i < self->attachments->len; i++)
    {
      GMimeObject *attachment = g_ptr_array_index (self->attachments, i);
      GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (attachment);
      gboolean is_inline = disposition != NULL &&
                           !g_mime_content_disposition_is_attachment (disposition);

      if (self->html != NULL && is_inline && g_mime_object_get_content_id (attachment) != NULL)
        g_ptr_array_add (related, attachment);
      else
        g_ptr_array_add (mixed, attachment);
    }

  if (self->html != NULL)
    {
      g_autoptr(GMimeObject) html = new_text_part ("html", self->html, FALSE, self->allow_8bit);
      GMimeMultipart *alternative;
      GMimeObject *html_root = g_object_ref (html);

      if (related->len > 0)
        {
          GMimeMultipart *multipart = wrap ("related", html);

          for (guint i = 0; i < related->len; i++)
            g_mime_multipart_add (multipart, g_ptr_array_index (related, i));
          g_object_unref (html_root);
          html_root = GMIME_OBJECT (multipart);
        }

      alternative = wrap ("alternative", plain);
      g_mime_multipart_add (alternative, html_root);
      g_object_unref (html_root);
      g_object_unref (body);
      body = GMIME_OBJECT (alternative);
    }

  if (mixed->len > 0)
    {
      GMimeMultipart *multipart = wrap ("mixed", body);

      for (guint i = 0; i < mixed->len; i++)
        g_mime_multipart_add (multipart, g_ptr_array_index (mixed, i));
      g_object_unref (body);
      body = GMIME_OBJECT (multipart);
    }

  return body;
}

static void
mail_message_builder_finalize (GObject *object)
{
  MailMessageBuilder *self = (MailMessageBuilder *) object;

  g_clear_object (&self->to);
  g_clear_object (&self->cc);
  g_clear_object (&self->bcc);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->from_name, g_free);
  g_clear_pointer (&self->from_address, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->html, g_free);
  g_clear_pointer (&self->in_reply_to, g_free);
  g_clear_pointer (&self->references, g_strfreev);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->user_agent, g_free);

  G_OBJECT_CLASS (mail_message_builder_parent_class)->finalize (object);
}

static void
mail_message_builder_class_init (MailMessageBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_message_builder_finalize;
}

static void
mail_message_builder_init (MailMessageBuilder *self)
{
  self->to = internet_address_list_new ();
  self->cc = internet_address_list_new ();
  self->bcc = internet_address_list_new ();
  self->attachments = g_ptr_array_new_with_free_func (g_object_unref);
  self->user_agent = g_strdup_printf ("%s/%s", PACKAGE_NAME, PACKAGE_VERSION);
}

/**
 * mail_message_builder_new:
 *
 * Returns: (transfer full): an empty builder
 */
MailMessageBuilder *
mail_message_builder_new (void)
{
  return g_object_new (MAIL_TYPE_MESSAGE_BUILDER, NULL);
}

/**
 * mail_message_builder_set_from:
 * @self: a builder
 * @name: (nullable): the sender's name
 * @address: the sender's address; checked by mail_message_builder_build()
 */
void
mail_message_builder_set_from (MailMessageBuilder *self,
                               const char         *name,
                               const char         *address)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_free (self->from_name);
  self->from_name = name != NULL ? one_line (name) : NULL;
  g_free (self->from_address);
  self->from_address = address != NULL ? g_strstrip (g_strdup (address)) : NULL;
}

/**
 * mail_message_builder_get_from_address:
 * @self: a builder
 *
 * Returns: (nullable): the sender address
 */
const char *
mail_message_builder_get_from_address (MailMessageBuilder *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  return self->from_address;
}

/**
 * mail_message_builder_set_recipients_text:
 * @self: a builder
 * @type: %GMIME_ADDRESS_TYPE_TO, %GMIME_ADDRESS_TYPE_CC or %GMIME_ADDRESS_TYPE_BCC
 * @text: (nullable): addresses as typed, comma separated ("Name <a@b>, c@d")
 * @error: return location for an error naming the first invalid address
 *
 * Replaces the recipients of one kind. On error nothing changes.
 *
 * Returns: %TRUE when every address was valid
 */
gboolean
mail_message_builder_set_recipients_text (MailMessageBuilder  *self,
                                          GMimeAddressType     type,
                                          const char          *text,
                                          GError             **error)
{
  InternetAddressList **slot;
  InternetAddressList *list;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  slot = list_for_type (self, type);
  g_return_val_if_fail (slot != NULL, FALSE);

  list = parse_addresses (text, error);
  if (list == NULL)
    return FALSE;
  g_clear_object (slot);
  *slot = list;

  return TRUE;
}

/* Copies the valid mailboxes of @src (group members included) as new objects with a
 * one-line name: addresses taken from a received message may be in any state. */
static void
copy_mailboxes (InternetAddressList *dest,
                InternetAddressList *src)
{
  for (int i = 0; i < internet_address_list_length (src); i++)
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
          g_autoptr(InternetAddress) copy = NULL;
          g_autofree char *name = NULL;
          const char *raw_name;

          if (!INTERNET_ADDRESS_IS_MAILBOX (member) ||
              !mailbox_is_valid (INTERNET_ADDRESS_MAILBOX (member)))
            continue;
          raw_name = internet_address_get_name (member);
          name = raw_name != NULL ? one_line (raw_name) : NULL;
          copy = internet_address_mailbox_new (name != NULL && *name != '\0' ? name : NULL,
                                               internet_address_mailbox_get_addr (
                                                 INTERNET_ADDRESS_MAILBOX (member)));
          internet_address_list_add (dest, copy);
        }
    }
}

/**
 * mail_message_builder_set_recipients:
 * @self: a builder
 * @type: %GMIME_ADDRESS_TYPE_TO, %GMIME_ADDRESS_TYPE_CC or %GMIME_ADDRESS_TYPE_BCC
 * @list: (nullable): addresses (copied)
 *
 * Replaces the recipients of one kind with already parsed addresses, e.g. from a received
 * message. Groups are flattened; mailboxes without a valid address are left out.
 */
void
mail_message_builder_set_recipients (MailMessageBuilder  *self,
                                     GMimeAddressType     type,
                                     InternetAddressList *list)
{
  InternetAddressList **slot;

  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  slot = list_for_type (self, type);
  g_return_if_fail (slot != NULL);

  g_clear_object (slot);
  *slot = internet_address_list_new ();
  if (list != NULL)
    copy_mailboxes (*slot, list);
}

/**
 * mail_message_builder_get_recipients:
 * @self: a builder
 * @type: %GMIME_ADDRESS_TYPE_TO, %GMIME_ADDRESS_TYPE_CC or %GMIME_ADDRESS_TYPE_BCC
 *
 * Returns: (transfer none): the recipients of that kind
 */
InternetAddressList *
mail_message_builder_get_recipients (MailMessageBuilder *self,
                                     GMimeAddressType    type)
{
  InternetAddressList **slot;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  slot = list_for_type (self, type);
  g_return_val_if_fail (slot != NULL, NULL);

  return *slot;
}

static void
add_envelope_mailbox (InternetAddress *ia,
                      GPtrArray       *out,
                      GHashTable      *seen)
{
  const char *addr;

  if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
    return;
  addr = internet_address_mailbox_get_idn_addr (INTERNET_ADDRESS_MAILBOX (ia));
  if (addr == NULL || *addr == '\0')
    return;
  /* Compared without case, as people expect (strictly only the domain is case-blind). */
  if (g_hash_table_add (seen, g_utf8_casefold (addr, -1)))
    g_ptr_array_add (out, g_strdup (addr));
}

static void
collect_envelope (InternetAddressList *list,
                  GPtrArray           *out,
                  GHashTable          *seen)
{
  for (int i = 0; i < internet_address_list_length (list); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          InternetAddressList *members;

          /* Groups do not nest (RFC 5322 §3.4): one level is all there is. */
          members = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia));
          for (int j = 0; j < internet_address_list_length (members); j++)
            add_envelope_mailbox (internet_address_list_get_address (members, j), out, seen);
        }
      else
        {
          add_envelope_mailbox (ia, out, seen);
        }
    }
}

/**
 * mail_message_builder_get_envelope_recipients:
 * @self: a builder
 *
 * The addresses to give SMTP (RCPT TO): To, Cc and Bcc, in that order, group members
 * included, without duplicates (compared without case), domains in IDNA (ASCII) form.
 *
 * Returns: (transfer full): a %NULL-terminated array of addresses
 */
char **
mail_message_builder_get_envelope_recipients (MailMessageBuilder *self)
{
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *out;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  out = g_ptr_array_new ();
  collect_envelope (self->to, out, seen);
  collect_envelope (self->cc, out, seen);
  collect_envelope (self->bcc, out, seen);
  g_ptr_array_add (out, NULL);

  return (char **) g_ptr_array_free (out, FALSE);
}

/**
 * mail_message_builder_set_subject:
 * @self: a builder
 * @subject: (nullable): the subject; line breaks and control characters become spaces
 */
void
mail_message_builder_set_subject (MailMessageBuilder *self,
                                  const char         *subject)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_free (self->subject);
  self->subject = subject != NULL ? one_line (subject) : NULL;
}

/**
 * mail_message_builder_get_subject:
 * @self: a builder
 *
 * Returns: (nullable): the subject
 */
const char *
mail_message_builder_get_subject (MailMessageBuilder *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  return self->subject;
}

/**
 * mail_message_builder_set_text:
 * @self: a builder
 * @text: (nullable): the plain text body (UTF-8, LF line breaks); lines starting with ">"
 *   are quotes
 *
 * The plain text body, sent as text/plain; charset=utf-8; format=flowed.
 */
void
mail_message_builder_set_text (MailMessageBuilder *self,
                               const char         *text)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_free (self->text);
  self->text = text != NULL ? g_utf8_make_valid (text, -1) : NULL;
}

/**
 * mail_message_builder_get_text:
 * @self: a builder
 *
 * Returns: (nullable): the plain text body
 */
const char *
mail_message_builder_get_text (MailMessageBuilder *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  return self->text;
}

/**
 * mail_message_builder_set_html:
 * @self: a builder
 * @html: (nullable): an HTML alternative of the text, or %NULL for none
 */
void
mail_message_builder_set_html (MailMessageBuilder *self,
                               const char         *html)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_free (self->html);
  self->html = html != NULL ? g_utf8_make_valid (html, -1) : NULL;
}

static char *
bare_message_id (const char *message_id)
{
  g_autofree char *decoded = NULL;

  if (message_id == NULL)
    return NULL;
  decoded = g_mime_utils_decode_message_id (message_id);
  if (decoded == NULL || *decoded == '\0')
    return NULL;

  return one_line (decoded);
}

/**
 * mail_message_builder_set_in_reply_to:
 * @self: a builder
 * @message_id: (nullable): the Message-ID replied to, with or without angle brackets
 */
void
mail_message_builder_set_in_reply_to (MailMessageBuilder *self,
                                      const char         *message_id)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_free (self->in_reply_to);
  self->in_reply_to = bare_message_id (message_id);
}

/**
 * mail_message_builder_get_in_reply_to:
 * @self: a builder
 *
 * Returns: (nullable): the Message-ID replied to, without angle brackets
 */
const char *
mail_message_builder_get_in_reply_to (MailMessageBuilder *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  return self->in_reply_to;
}

/**
 * mail_message_builder_set_references:
 * @self: a builder
 * @ids: (nullable) (array zero-terminated=1): Message-IDs, oldest first
 */
void
mail_message_builder_set_references (MailMessageBuilder *self,
                                     const char * const *ids)
{
  GPtrArray *list;

  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  list = g_ptr_array_new ();
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      char *id = bare_message_id (ids[i]);

      if (id != NULL)
        g_ptr_array_add (list, id);
    }
  g_ptr_array_add (list, NULL);

  g_strfreev (self->references);
  self->references = (GStrv) g_ptr_array_free (list, FALSE);
}

/**
 * mail_message_builder_get_references:
 * @self: a builder
 *
 * Returns: (nullable) (array zero-terminated=1): the Message-IDs, without angle brackets
 */
const char * const *
mail_message_builder_get_references (MailMessageBuilder *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  return (const char * const *) self->references;
}

/**
 * mail_message_builder_set_date:
 * @self: a builder
 * @date: (nullable): the date to write, %NULL for the time of building
 */
void
mail_message_builder_set_date (MailMessageBuilder *self,
                               GDateTime          *date)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_clear_pointer (&self->date, g_date_time_unref);
  if (date != NULL)
    self->date = g_date_time_ref (date);
}

/**
 * mail_message_builder_set_message_id:
 * @self: a builder
 * @message_id: (nullable): a Message-ID to use, %NULL to generate one from the sender's domain
 */
void
mail_message_builder_set_message_id (MailMessageBuilder *self,
                                     const char         *message_id)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_free (self->message_id);
  self->message_id = bare_message_id (message_id);
}

/**
 * mail_message_builder_set_user_agent:
 * @self: a builder
 * @user_agent: (nullable): the User-Agent header, %NULL for none
 */
void
mail_message_builder_set_user_agent (MailMessageBuilder *self,
                                     const char         *user_agent)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  g_free (self->user_agent);
  self->user_agent = user_agent != NULL ? one_line (user_agent) : NULL;
}

/**
 * mail_message_builder_set_allow_8bit:
 * @self: a builder
 * @allow_8bit: whether non-ASCII text may be sent as 8bit (the server announced 8BITMIME)
 *
 * Without it, non-ASCII text is quoted-printable.
 */
void
mail_message_builder_set_allow_8bit (MailMessageBuilder *self,
                                     gboolean            allow_8bit)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));

  self->allow_8bit = !!allow_8bit;
}

static void
prefer_utf8_param (GMimeParamList *list,
                   const char     *name)
{
  GMimeParam *param = list != NULL ? g_mime_param_list_get_parameter (list, name) : NULL;

  if (param != NULL)
    g_mime_param_set_charset (param, "utf-8");
}

static void
setup_attachment (GMimePart  *part,
                  const char *filename,
                  gboolean    is_inline,
                  const char *content_id)
{
  GMimeObject *object = GMIME_OBJECT (part);
  GMimeContentType *type = g_mime_object_get_content_type (object);

  g_mime_object_set_disposition (object, is_inline ? GMIME_DISPOSITION_INLINE
                                                   : GMIME_DISPOSITION_ATTACHMENT);
  if (filename != NULL)
    {
      g_autofree char *clean = mail_mime_sanitize_filename (filename, NULL);

      /* Encoded per RFC 2231 when written (see mail_message_write_crlf()), in UTF-8. */
      g_mime_part_set_filename (part, clean);
      prefer_utf8_param (g_mime_content_type_get_parameters (type), "name");
      prefer_utf8_param (g_mime_content_disposition_get_parameters (
                           g_mime_object_get_content_disposition (object)), "filename");
    }
  if (content_id != NULL)
    g_mime_object_set_content_id (object, content_id);

  if (type != NULL && g_mime_content_type_is_type (type, "text", "*"))
    g_mime_part_set_content_encoding (part, g_mime_part_get_best_content_encoding (
                                        part, GMIME_ENCODING_CONSTRAINT_7BIT));
  else
    g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
}

/**
 * mail_message_builder_add_attachment_bytes:
 * @self: a builder
 * @data: the content
 * @filename: (nullable): the file name to announce (sanitised; non-ASCII names are encoded
 *   per RFC 2231)
 * @mime_type: (nullable): a MIME type, %NULL to guess one from the name and the content
 * @is_inline: whether to ask for inline display instead of an attachment
 * @content_id: (nullable): a Content-ID (without angle brackets) for `cid:` references
 */
void
mail_message_builder_add_attachment_bytes (MailMessageBuilder *self,
                                           GBytes             *data,
                                           const char         *filename,
                                           const char         *mime_type,
                                           gboolean            is_inline,
                                           const char         *content_id)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;
  g_autoptr(GMimeContentType) type = NULL;
  g_autofree char *guessed = NULL;
  g_autofree char *guessed_type = NULL;
  GMimePart *part;
  gconstpointer bytes;
  gsize size;

  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (data != NULL);

  bytes = g_bytes_get_data (data, &size);
  if (mime_type == NULL)
    {
      guessed = g_content_type_guess (filename, bytes, MIN (size, 4096), NULL);
      guessed_type = g_content_type_get_mime_type (guessed);
      mime_type = guessed_type != NULL ? guessed_type : "application/octet-stream";
    }

  type = g_mime_content_type_parse (NULL, mime_type);
  part = g_mime_part_new ();
  g_mime_object_set_content_type (GMIME_OBJECT (part), type);
  stream = g_mime_stream_mem_new_with_buffer (bytes, size);
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  setup_attachment (part, filename, is_inline, content_id);

  g_ptr_array_add (self->attachments, part);
}

/**
 * mail_message_builder_add_attachment_file:
 * @self: a builder
 * @file: a readable file; its content is streamed when the message is written
 * @mime_type: (nullable): a MIME type, %NULL to use the one GIO finds
 * @is_inline: whether to ask for inline display
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Attaches a file under its own name. Blocking (queries the file): call from a worker thread.
 *
 * Returns: %TRUE when the file can be attached
 */
gboolean
mail_message_builder_add_attachment_file (MailMessageBuilder  *self,
                                          GFile               *file,
                                          const char          *mime_type,
                                          gboolean             is_inline,
                                          GCancellable        *cancellable,
                                          GError             **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;
  g_autoptr(GMimeContentType) type = NULL;
  g_autofree char *guessed_type = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  GMimePart *part;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  basename = g_file_get_basename (file);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_ATTACHMENT,
                   _("Cannot attach “%s”: %s"), basename != NULL ? basename : "",
                   local_error != NULL ? local_error->message : _("it is not a regular file"));
      return FALSE;
    }

  if (mime_type == NULL && g_file_info_get_content_type (info) != NULL)
    {
      guessed_type = g_content_type_get_mime_type (g_file_info_get_content_type (info));
      mime_type = guessed_type;
    }
  if (mime_type == NULL)
    mime_type = "application/octet-stream";

  type = g_mime_content_type_parse (NULL, mime_type);
  part = g_mime_part_new ();
  g_mime_object_set_content_type (GMIME_OBJECT (part), type);
  /* The stream takes over the reference it is given (it does not add its own). */
  stream = g_mime_stream_gio_new (g_object_ref (file));
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  /* Text is scanned for the best encoding, which reads the file once more; fine for text. */
  setup_attachment (part, g_file_info_get_display_name (info), is_inline, NULL);

  g_ptr_array_add (self->attachments, part);

  return TRUE;
}

/**
 * mail_message_builder_add_message_attachment:
 * @self: a builder
 * @message: a message to attach whole, as message/rfc822 (forward as attachment)
 */
void
mail_message_builder_add_message_attachment (MailMessageBuilder *self,
                                             GMimeMessage       *message)
{
  g_autofree char *subject = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *clean = NULL;
  GMimeMessagePart *part;

  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));

  part = g_mime_message_part_new_with_message ("rfc822", message);
  subject = mail_message_dup_display_subject (message);
  /* A subject is not a path: its slashes are kept as dashes rather than cut at. */
  filename = g_strconcat (*subject != '\0' ? g_strdelimit (subject, "/\\", '-') : _("message"),
                          ".eml", NULL);
  clean = mail_mime_sanitize_filename (filename, NULL);
  g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_ATTACHMENT);
  g_mime_object_set_content_disposition_parameter (GMIME_OBJECT (part), "filename", clean);

  g_ptr_array_add (self->attachments, part);
}

/**
 * mail_message_builder_add_attachment_object:
 * @self: a builder
 * @object: a part of another message (e.g. an attachment kept when forwarding)
 *
 * Attaches an existing part as it is, with its headers and encoding.
 */
void
mail_message_builder_add_attachment_object (MailMessageBuilder *self,
                                            GMimeObject        *object)
{
  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (GMIME_IS_OBJECT (object));

  g_ptr_array_add (self->attachments, g_object_ref (object));
}

/**
 * mail_message_builder_get_n_attachments:
 * @self: a builder
 *
 * Returns: how many attachments were added
 */
guint
mail_message_builder_get_n_attachments (MailMessageBuilder *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), 0);

  return self->attachments->len;
}

/* Copies addresses, asking for UTF-8 when their names need encoding (GMime would otherwise
 * pick the smallest charset, e.g. ISO-8859-1). Empty lists write no header at all. */
static void
append_utf8 (InternetAddressList *dest,
             InternetAddressList *src)
{
  int n = internet_address_list_length (src);

  if (n == 0)
    return;
  for (int i = 0; i < n; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (src, i);

      internet_address_set_charset (ia, "utf-8");
      if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          InternetAddressList *members;

          members = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia));
          for (int j = 0; j < internet_address_list_length (members); j++)
            internet_address_set_charset (internet_address_list_get_address (members, j), "utf-8");
        }
    }
  internet_address_list_append (dest, src);
}

/**
 * mail_message_builder_build:
 * @self: a builder
 * @error: return location for an error
 *
 * Assembles the message: From, To, Cc (never Bcc), Subject, Date, Message-ID, MIME-Version,
 * User-Agent, In-Reply-To and References, and the body. Non-ASCII names and subjects are
 * RFC 2047-encoded by GMime when written.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
GMimeMessage *
mail_message_builder_build (MailMessageBuilder  *self,
                            GError             **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeObject) body = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(InternetAddressList) from = NULL;
  g_autofree char *message_id = NULL;
  InternetAddressMailbox *mailbox;
  const char *domain;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->from_address == NULL || *self->from_address == '\0')
    {
      g_set_error_literal (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_NO_SENDER,
                           _("The message has no sender address"));
      return NULL;
    }
  from = parse_addresses (self->from_address, error);
  if (from == NULL)
    return NULL;
  if (internet_address_list_length (from) != 1 ||
      !INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (from, 0)))
    {
      g_set_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_INVALID_ADDRESS,
                   _("“%s” is not a valid email address"), self->from_address);
      return NULL;
    }
  mailbox = INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (from, 0));
  internet_address_set_name (INTERNET_ADDRESS (mailbox),
                             self->from_name != NULL && *self->from_name != '\0'
                               ? self->from_name : NULL);

  internet_address_set_charset (INTERNET_ADDRESS (mailbox), "utf-8");

  message = g_mime_message_new (TRUE);
  internet_address_list_add (g_mime_message_get_from (message), INTERNET_ADDRESS (mailbox));
  append_utf8 (g_mime_message_get_to (message), self->to);
  append_utf8 (g_mime_message_get_cc (message), self->cc);
  /* Bcc is deliberately not written: see mail_message_builder_get_envelope_recipients(). */

  g_mime_message_set_subject (message, self->subject != NULL ? self->subject : "", "utf-8");

  if (self->date != NULL)
    g_mime_message_set_date (message, self->date);
  else
    {
      now = g_date_time_new_now_local ();
      g_mime_message_set_date (message, now);
    }

  if (self->message_id != NULL)
    message_id = g_strdup (self->message_id);
  else
    {
      domain = strrchr (internet_address_mailbox_get_idn_addr (mailbox), '@') + 1;
      message_id = g_mime_utils_generate_message_id (domain);
    }
  g_mime_message_set_message_id (message, message_id);

  if (self->in_reply_to != NULL)
    {
      g_autofree char *value = g_strdup_printf ("<%s>", self->in_reply_to);

      g_mime_object_set_header (GMIME_OBJECT (message), "In-Reply-To", value, NULL);
    }
  if (self->references != NULL && self->references[0] != NULL)
    {
      g_autoptr(GString) value = g_string_new (NULL);

      for (guint i = 0; self->references[i] != NULL; i++)
        g_string_append_printf (value, "%s<%s>", i > 0 ? " " : "", self->references[i]);
      g_mime_object_set_header (GMIME_OBJECT (message), "References", value->str, NULL);
    }
  if (self->user_agent != NULL && *self->user_agent != '\0')
    g_mime_object_set_header (GMIME_OBJECT (message), "User-Agent", self->user_agent, NULL);

  body = build_body (self);
  g_mime_message_set_mime_part (message, body);

  return g_steal_pointer (&message);
}

/**
 * mail_message_write_crlf:
 * @message: a message
 * @stream: where to write
 * @error: return location for an error
 *
 * Writes @message with CRLF line endings (as SMTP requires) and RFC 2231 parameter
 * encoding, streaming attachment content. Dot-stuffing is the SMTP client's job.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_message_write_crlf (GMimeMessage  *message,
                         GMimeStream   *stream,
                         GError       **error)
{
  g_autoptr(GMimeFormatOptions) options = NULL;
  g_autoptr(GMimeStream) filtered = NULL;
  g_autoptr(GMimeFilter) filter = NULL;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (GMIME_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_UNIX);
  g_mime_format_options_set_param_encoding_method (options, GMIME_PARAM_ENCODING_METHOD_RFC2231);

  filtered = g_mime_stream_filter_new (stream);
  filter = g_mime_filter_unix2dos_new (TRUE);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), filter);

  if (g_mime_object_write_to_stream (GMIME_OBJECT (message), options, filtered) < 0 ||
      g_mime_stream_flush (filtered) < 0)
    {
      if (MAIL_IS_GMIME_OUTPUT_STREAM (stream) &&
          !mail_gmime_output_stream_propagate_error (MAIL_GMIME_OUTPUT_STREAM (stream), error))
        return FALSE;
      g_set_error_literal (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_WRITE,
                           _("The message could not be written (an attachment may be unreadable)"));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_message_builder_write_to_stream:
 * @self: a builder
 * @stream: where to write
 * @error: return location for an error
 *
 * Builds the message and writes it with CRLF line endings.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_message_builder_write_to_stream (MailMessageBuilder  *self,
                                      GMimeStream         *stream,
                                      GError             **error)
{
  g_autoptr(GMimeMessage) message = NULL;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), FALSE);

  message = mail_message_builder_build (self, error);
  if (message == NULL)
    return FALSE;

  return mail_message_write_crlf (message, stream, error);
}

/**
 * mail_message_builder_write_to_output_stream:
 * @self: a builder
 * @stream: where to write; not closed
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Builds the message and streams it, CRLF line endings, into @stream. Blocking.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_message_builder_write_to_output_stream (MailMessageBuilder  *self,
                                             GOutputStream       *stream,
                                             GCancellable        *cancellable,
                                             GError             **error)
{
  g_autoptr(GMimeStream) wrapper = NULL;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  wrapper = mail_gmime_output_stream_new (stream, cancellable);

  return mail_message_builder_write_to_stream (self, wrapper, error);
}

typedef struct
{
  GMimeMessage  *message;
  GOutputStream *stream;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autoptr(GMimeStream) wrapper = mail_gmime_output_stream_new (data->stream, cancellable);
  GError *error = NULL;

  if (mail_message_write_crlf (data->message, wrapper, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_message_builder_write_async:
 * @self: a builder
 * @stream: where to write; not closed
 * @cancellable: (nullable): a cancellable
 * @callback: called when the message is written
 * @user_data: data for @callback
 *
 * Builds the message now (errors such as an invalid sender are reported by
 * mail_message_builder_write_finish()) and streams it, CRLF line endings, in a worker
 * thread. The builder may be changed or dropped meanwhile.
 */
void
mail_message_builder_write_async (MailMessageBuilder  *self,
                                  GOutputStream       *stream,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  WriteData *data;
  GMimeMessage *message;

  g_return_if_fail (MAIL_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_message_builder_write_async);

  message = mail_message_builder_build (self, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (WriteData, 1);
  data->message = message;
  data->stream = g_object_ref (stream);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

/**
 * mail_message_builder_write_finish:
 * @self: a builder
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when the whole message was written
 */
gboolean
mail_message_builder_write_finish (MailMessageBuilder  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_message_builder_to_bytes:
 * @self: a builder
 * @error: return location for an error
 *
 * Builds the message and returns its bytes (CRLF line endings), e.g. for a draft.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
GBytes *
mail_message_builder_to_bytes (MailMessageBuilder  *self,
                               GError             **error)
{
  g_autoptr(GMimeStream) sink = NULL;
  GByteArray *array;

  g_return_val_if_fail (MAIL_IS_MESSAGE_BUILDER (self), NULL);

  array = g_byte_array_new ();
  sink = g_mime_stream_mem_new_with_byte_array (array);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (sink), FALSE);
  if (!mail_message_builder_write_to_stream (self, sink, error))
    {
      g_byte_array_unref (array);
      return NULL;
    }

  return g_byte_array_free_to_bytes (array);
}
