/* mail-message-display.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-message-display.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-gmime-autocleanups.h"
#include "mail-gmime-bytes-stream.h"
#include "mail-gmime-output-stream.h"
#include "mail-mime-error.h"

/*
 * Everything here treats the message as hostile: header text is decoded by GMime, then
 * stripped of control characters and bidirectional overrides before it reaches a label; the
 * MIME tree is walked with an explicit stack, bounded in depth and in the number of parts.
 */

#define MAX_FILENAME_BYTES 255

typedef enum
{
  ROLE_NORMAL,
  ROLE_RELATED_MEMBER,
} WalkRole;

typedef struct
{
  InternetAddressList *list;  /* borrowed */
  int                  index;
} ListFrame;

typedef struct
{
  GMimeObject *object;   /* borrowed: the message tree owns it */
  guint        depth;
  WalkRole     role;
} WalkItem;

/* Bidirectional embeddings, overrides and isolates, the invisible direction marks, and
 * invisible separators that only serve to hide text (zero width space, word joiner and the
 * invisible operators, byte order mark). Joiners (U+200C, U+200D) are kept for scripts and
 * emoji that need them. */
static gboolean
is_invisible_control (gunichar ch)
{
  return (ch >= 0x202a && ch <= 0x202e) ||
         (ch >= 0x2066 && ch <= 0x2069) ||
         ch == 0x200e || ch == 0x200f || ch == 0x061c ||
         ch == 0x200b || (ch >= 0x2060 && ch <= 0x2064) || ch == 0xfeff;
}

static gboolean
is_line_break_or_tab (gunichar ch)
{
  return ch == '\n' || ch == '\r' || ch == '\t' || ch == '\v' || ch == '\f' ||
         ch == 0x85 || ch == 0x2028 || ch == 0x2029;
}

/**
 * mail_mime_sanitize_display_text:
 * @text: (nullable): text from a message, in any state (invalid UTF-8 is repaired)
 * @out_changed: (out) (optional): set to %TRUE when characters other than white space were
 *   removed
 *
 * Makes one line of text safe to show: NUL and other control characters, the
 * bidirectional controls U+202A–U+202E, U+2066–U+2069 (and U+200E, U+200F, U+061C) and
 * invisible separators (U+200B, U+2060–U+2064, U+FEFF) are removed; line breaks and tabs
 * become spaces; runs of white space are collapsed and the ends trimmed. The result is plain
 * text, not markup: escape it before putting it into markup.
 *
 * Returns: (transfer full): valid UTF-8, possibly empty
 */
char *
mail_mime_sanitize_display_text (const char *text,
                                 gboolean   *out_changed)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean changed = FALSE;
  gboolean pending_space = FALSE;

  if (out_changed != NULL)
    *out_changed = FALSE;
  if (text == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (text, -1, NULL))
    {
      valid = g_utf8_make_valid (text, -1);
      changed = TRUE;
      text = valid;
    }

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (ch == ' ' || is_line_break_or_tab (ch))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (is_invisible_control (ch) || g_unichar_iscntrl (ch))
        {
          changed = TRUE;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, ch);
    }

  if (out_changed != NULL)
    *out_changed = changed;

  return g_string_free (out, FALSE);
}

/**
 * mail_mime_sanitize_filename:
 * @filename: (nullable): a file name proposed by a message
 * @fallback: (nullable): what to use when nothing is left, e.g. _("attachment")
 *
 * Makes a file name safe to offer for saving: only the part after the last `/` or `\` is
 * kept, control and bidirectional characters are removed, leading dots and spaces and
 * trailing dots and spaces are dropped (so "../../.bashrc" becomes "bashrc"), and the name
 * is cut to 255 bytes on a character boundary. The result is never empty, ".", or "..".
 *
 * Returns: (transfer full): a plain file name
 */
char *
mail_mime_sanitize_filename (const char *filename,
                             const char *fallback)
{
  g_autofree char *clean = NULL;
  const char *base;
  const char *start;
  gsize len;

  if (fallback == NULL || *fallback == '\0')
    fallback = _("attachment");

  clean = mail_mime_sanitize_display_text (filename, NULL);

  base = clean;
  for (const char *p = clean; *p != '\0'; p++)
    {
      if (*p == '/' || *p == '\\')
        base = p + 1;
    }

  start = base;
  while (*start == '.' || *start == ' ')
    start++;
  len = strlen (start);
  while (len > 0 && (start[len - 1] == '.' || start[len - 1] == ' '))
    len--;

  if (len > MAX_FILENAME_BYTES)
    {
      const char *cut = start + MAX_FILENAME_BYTES;

      while (cut > start && (*cut & 0xc0) == 0x80)
        cut--;
      len = (gsize) (cut - start);
    }

  if (len == 0)
    return mail_mime_sanitize_filename (fallback, "attachment");

  return g_strndup (start, len);
}

/**
 * mail_mime_decode_header:
 * @raw: (nullable): a raw header value, possibly with RFC 2047 encoded words (malformed ones
 *   are decoded leniently)
 *
 * Decodes and sanitises header text for display, see mail_mime_sanitize_display_text().
 *
 * Returns: (transfer full): display text, possibly empty
 */
char *
mail_mime_decode_header (const char *raw)
{
  g_autofree char *decoded = NULL;

  if (raw == NULL)
    return g_strdup ("");

  decoded = g_mime_utils_header_decode_text (NULL, raw);

  return mail_mime_sanitize_display_text (decoded, NULL);
}

/**
 * mail_mime_markup_escape:
 * @text: (nullable): text from a message
 *
 * Sanitises @text (see mail_mime_sanitize_display_text()) and escapes it for Pango markup.
 *
 * Returns: (transfer full): escaped text
 */
char *
mail_mime_markup_escape (const char *text)
{
  g_autofree char *clean = mail_mime_sanitize_display_text (text, NULL);

  return g_markup_escape_text (clean, -1);
}

/**
 * mail_message_dup_display_subject:
 * @message: a message
 *
 * Returns: (transfer full): the decoded, sanitised subject, possibly empty
 */
char *
mail_message_dup_display_subject (GMimeMessage *message)
{
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  /* GMime already decoded the RFC 2047 words of the subject. */
  return mail_mime_sanitize_display_text (g_mime_message_get_subject (message), NULL);
}

/* ------------------------------------------------------------------------------------------ */

static gboolean
name_contains_at_sign (const char *name)
{
  g_autofree char *folded = NULL;

  /* NFKC maps U+FF20 FULLWIDTH and U+FE6B SMALL COMMERCIAL AT to '@'. */
  folded = g_utf8_normalize (name, -1, G_NORMALIZE_ALL);

  return strchr (folded != NULL ? folded : name, '@') != NULL;
}

static gboolean
name_is_the_address (const char *name,
                     const char *address)
{
  g_autofree char *trimmed = g_strdup (name);
  char *p = g_strstrip (trimmed);
  gsize len = strlen (p);

  /* Accept "'a@b.example'", "<a@b.example>" written as a name for the same address. */
  while (len >= 2 &&
         ((p[0] == '<' && p[len - 1] == '>') ||
          (p[0] == '\'' && p[len - 1] == '\'') ||
          (p[0] == '"' && p[len - 1] == '"')))
    {
      p[len - 1] = '\0';
      p++;
      len -= 2;
    }

  return g_ascii_strcasecmp (p, address) == 0;
}

/**
 * mail_display_address_new:
 * @mailbox: a parsed mailbox
 *
 * Returns: (transfer full): the sanitised name and address of @mailbox, with warnings
 */
MailDisplayAddress *
mail_display_address_new (InternetAddressMailbox *mailbox)
{
  MailDisplayAddress *self;
  const char *name;
  const char *at;
  gboolean changed = FALSE;

  g_return_val_if_fail (INTERNET_ADDRESS_IS_MAILBOX (mailbox), NULL);

  self = g_new0 (MailDisplayAddress, 1);
  self->address = mail_mime_sanitize_display_text (internet_address_mailbox_get_addr (mailbox),
                                                   &changed);
  if (changed)
    self->flags |= MAIL_DISPLAY_ADDRESS_HAD_CONTROLS;

  name = internet_address_get_name (INTERNET_ADDRESS (mailbox));
  if (name != NULL)
    {
      self->name = mail_mime_sanitize_display_text (name, &changed);
      if (changed)
        self->flags |= MAIL_DISPLAY_ADDRESS_HAD_CONTROLS;
      if (*self->name == '\0')
        g_clear_pointer (&self->name, g_free);
    }

  if (self->name != NULL && name_contains_at_sign (self->name) &&
      !name_is_the_address (self->name, self->address))
    self->flags |= MAIL_DISPLAY_ADDRESS_NAME_LOOKS_LIKE_ADDRESS;

  at = strrchr (self->address, '@');
  if (at == NULL || at == self->address || at[1] == '\0')
    self->flags |= MAIL_DISPLAY_ADDRESS_INVALID;

  return self;
}

/**
 * mail_display_address_free:
 * @address: (nullable): an address
 */
void
mail_display_address_free (MailDisplayAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->name);
  g_free (address->address);
  g_free (address);
}

/**
 * mail_display_address_format:
 * @address: an address
 *
 * Formats "Name <address>" (or only the address), always including the address.
 *
 * Returns: (transfer full): plain text; escape it before using it as markup
 */
char *
mail_display_address_format (const MailDisplayAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  if (address->name == NULL)
    return g_strdup (address->address);

  return g_strdup_printf ("%s <%s>", address->name, address->address);
}

/**
 * mail_display_addresses_from_list:
 * @list: (nullable): an address list, e.g. g_mime_message_get_from()
 *
 * Flattens groups (without recursion) and sanitises every mailbox.
 *
 * Returns: (transfer full) (element-type MailDisplayAddress): the addresses, maybe none
 */
GPtrArray *
mail_display_addresses_from_list (InternetAddressList *list)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_display_address_free);
  g_autoptr(GArray) stack = NULL;
  ListFrame frame = { list, 0 };

  if (list == NULL)
    return result;

  /* Groups are pushed on a small stack instead of recursed into. */
  stack = g_array_new (FALSE, FALSE, sizeof (ListFrame));
  g_array_append_val (stack, frame);
  while (stack->len > 0 && result->len < MAIL_DISPLAY_MAX_PARTS)
    {
      ListFrame *top = &g_array_index (stack, ListFrame, stack->len - 1);
      InternetAddress *ia;

      if (top->index >= internet_address_list_length (top->list))
        {
          g_array_set_size (stack, stack->len - 1);
          continue;
        }

      ia = internet_address_list_get_address (top->list, top->index++);
      if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          ListFrame member = { NULL, 0 };

          member.list = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia));
          if (stack->len < MAIL_DISPLAY_MAX_DEPTH && member.list != NULL)
            g_array_append_val (stack, member);
        }
      else if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        {
          g_ptr_array_add (result, mail_display_address_new (INTERNET_ADDRESS_MAILBOX (ia)));
        }
    }

  return result;
}

/* ------------------------------------------------------------------------------------------ */

/**
 * mail_display_part_free:
 * @part: (nullable): a display part
 */
void
mail_display_part_free (MailDisplayPart *part)
{
  if (part == NULL)
    return;
  g_clear_object (&part->object);
  g_free (part->content_type);
  g_free (part->filename);
  g_free (part->content_id);
  g_free (part);
}

static char *
dup_mime_type (GMimeObject *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  g_autofree char *mime_type = NULL;

  if (type == NULL)
    return g_strdup ("application/octet-stream");
  mime_type = g_mime_content_type_get_mime_type (type);

  return g_ascii_strdown (mime_type != NULL ? mime_type : "application/octet-stream", -1);
}

static gsize
estimate_decoded_size (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *stream;
  gint64 length;

  if (content == NULL || (stream = g_mime_data_wrapper_get_stream (content)) == NULL)
    return 0;
  length = g_mime_stream_length (stream);
  if (length < 0)
    return 0;

  switch (g_mime_data_wrapper_get_encoding (content))
    {
    case GMIME_CONTENT_ENCODING_BASE64:
      /* 57 bytes per 76-character line plus its line break (LF: exact, CRLF: 1 % over). */
      return (gsize) (length / 77 * 57 + length % 77 * 3 / 4);
    case GMIME_CONTENT_ENCODING_DEFAULT:
    case GMIME_CONTENT_ENCODING_7BIT:
    case GMIME_CONTENT_ENCODING_8BIT:
    case GMIME_CONTENT_ENCODING_BINARY:
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
    case GMIME_CONTENT_ENCODING_UUENCODE:
    default:
      return (gsize) length;
    }
}

static char *
dup_content_id (GMimeObject *object)
{
  const char *cid = g_mime_object_get_content_id (object);
  gboolean changed = FALSE;
  char *clean;

  if (cid == NULL || *cid == '\0')
    return NULL;
  clean = mail_mime_sanitize_display_text (cid, &changed);
  if (*clean == '\0')
    g_clear_pointer (&clean, g_free);

  return clean;
}

static MailDisplayPart *
new_part (GPtrArray           *parts,
          MailDisplayPartKind  kind,
          GMimeObject         *object,
          guint                depth)
{
  MailDisplayPart *part = g_new0 (MailDisplayPart, 1);

  part->kind = kind;
  part->object = object != NULL ? g_object_ref (object) : NULL;
  part->content_type = object != NULL ? dup_mime_type (object)
                                      : g_strdup ("application/octet-stream");
  part->depth = depth;
  g_ptr_array_add (parts, part);

  return part;
}

static void
add_leaf (GPtrArray *parts,
          GMimePart *leaf,
          guint      depth,
          WalkRole   role)
{
  GMimeObject *object = GMIME_OBJECT (leaf);
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);
  GMimeContentType *type = g_mime_object_get_content_type (object);
  gboolean is_attachment = g_mime_part_is_attachment (leaf);
  const char *filename = g_mime_part_get_filename (leaf);
  MailDisplayPartKind kind;
  MailDisplayPart *part;

  if (role == ROLE_RELATED_MEMBER && g_mime_object_get_content_id (object) != NULL)
    kind = MAIL_DISPLAY_PART_RESOURCE;
  else if (!is_attachment && g_mime_content_type_is_type (type, "text", "plain"))
    kind = MAIL_DISPLAY_PART_TEXT;
  else if (!is_attachment && g_mime_content_type_is_type (type, "text", "html"))
    kind = MAIL_DISPLAY_PART_HTML;
  else
    kind = MAIL_DISPLAY_PART_ATTACHMENT;

  part = new_part (parts, kind, object, depth);
  part->content_id = dup_content_id (object);
  part->size = estimate_decoded_size (leaf);
  part->is_inline = !is_attachment &&
                    (disposition == NULL ||
                     g_mime_content_disposition_is_attachment (disposition) == FALSE);
  if (filename != NULL || kind == MAIL_DISPLAY_PART_ATTACHMENT ||
      kind == MAIL_DISPLAY_PART_RESOURCE)
    part->filename = mail_mime_sanitize_filename (filename, NULL);
}

static int
alternative_score (GMimeObject      *child,
                   MailDisplayFlags  flags)
{
  GMimeContentType *type = g_mime_object_get_content_type (child);
  gboolean prefer_html = (flags & MAIL_DISPLAY_FLAGS_PREFER_HTML) != 0;

  if (type == NULL)
    return 0;
  if (g_mime_content_type_is_type (type, "text", "html"))
    return prefer_html ? 3 : 1;
  if (g_mime_content_type_is_type (type, "text", "plain"))
    return prefer_html ? 1 : 3;
  if (g_mime_content_type_is_type (type, "multipart", "related"))
    return prefer_html ? 3 : 1;
  if (g_mime_content_type_is_type (type, "multipart", "*"))
    return 2;

  return 0;
}

static GMimeObject *
pick_alternative (GMimeMultipart   *multipart,
                  MailDisplayFlags  flags)
{
  GMimeObject *best = NULL;
  int best_score = -1;
  int n = g_mime_multipart_get_count (multipart);

  /* RFC 2046: later alternatives are preferred, so ties go to the later one. */
  for (int i = 0; i < n; i++)
    {
      GMimeObject *child = g_mime_multipart_get_part (multipart, i);
      int score = alternative_score (child, flags);

      if (score >= best_score)
        {
          best = child;
          best_score = score;
        }
    }

  return best;
}

static GMimeObject *
related_root (GMimeMultipart *multipart)
{
  GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (multipart));
  const char *start = type != NULL ? g_mime_content_type_get_parameter (type, "start") : NULL;
  int n = g_mime_multipart_get_count (multipart);

  if (start != NULL)
    {
      g_autofree char *wanted = g_mime_utils_decode_message_id (start);

      for (int i = 0; wanted != NULL && i < n; i++)
        {
          GMimeObject *child = g_mime_multipart_get_part (multipart, i);
          const char *cid = g_mime_object_get_content_id (child);

          if (cid != NULL && strcmp (cid, wanted) == 0)
            return child;
        }
    }

  return n > 0 ? g_mime_multipart_get_part (multipart, 0) : NULL;
}

static void
push (GArray      *stack,
      GMimeObject *object,
      guint        depth,
      WalkRole     role)
{
  WalkItem item = { object, depth, role };

  g_array_append_val (stack, item);
}

static void
push_children_reversed (GArray         *stack,
                        GMimeMultipart *multipart,
                        guint           depth,
                        GMimeObject    *except,
                        WalkRole        role)
{
  for (int i = g_mime_multipart_get_count (multipart) - 1; i >= 0; i--)
    {
      GMimeObject *child = g_mime_multipart_get_part (multipart, i);

      if (child != except)
        push (stack, child, depth, role);
    }
}

static void
walk_multipart (GArray           *stack,
                GPtrArray        *parts,
                GMimeMultipart   *multipart,
                guint             depth,
                MailDisplayFlags  flags)
{
  GMimeObject *object = GMIME_OBJECT (multipart);
  GMimeContentType *type = g_mime_object_get_content_type (object);

  if (depth >= MAIL_DISPLAY_MAX_DEPTH)
    {
      MailDisplayPart *part = new_part (parts, MAIL_DISPLAY_PART_UNPARSED, object, depth);

      part->n_skipped = (guint) MAX (g_mime_multipart_get_count (multipart), 0);
      return;
    }

  if (GMIME_IS_MULTIPART_ENCRYPTED (multipart))
    {
      /* Nothing to show before decryption, which is not this function's job. */
      new_part (parts, MAIL_DISPLAY_PART_UNPARSED, object, depth)->n_skipped =
        (guint) MAX (g_mime_multipart_get_count (multipart), 0);
    }
  else if (GMIME_IS_MULTIPART_SIGNED (multipart))
    {
      /* Show the signed content; the signature itself is not an attachment to offer. */
      if (g_mime_multipart_get_count (multipart) > 0)
        push (stack, g_mime_multipart_get_part (multipart, 0), depth + 1, ROLE_NORMAL);
    }
  else if (type != NULL && g_mime_content_type_is_type (type, "multipart", "alternative"))
    {
      GMimeObject *chosen = pick_alternative (multipart, flags);

      if (chosen != NULL)
        push (stack, chosen, depth + 1, ROLE_NORMAL);
    }
  else if (type != NULL && g_mime_content_type_is_type (type, "multipart", "related"))
    {
      GMimeObject *root = related_root (multipart);

      push_children_reversed (stack, multipart, depth + 1, root, ROLE_RELATED_MEMBER);
      if (root != NULL)
        push (stack, root, depth + 1, ROLE_NORMAL);
    }
  else
    {
      push_children_reversed (stack, multipart, depth + 1, NULL, ROLE_NORMAL);
    }
}

static void
walk_message_part (GArray           *stack,
                   GPtrArray        *parts,
                   GMimeMessagePart *message_part,
                   guint             depth)
{
  GMimeObject *object = GMIME_OBJECT (message_part);
  GMimeMessage *embedded = g_mime_message_part_get_message (message_part);
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);
  gboolean is_attachment = disposition != NULL &&
                           g_mime_content_disposition_is_attachment (disposition);
  MailDisplayPart *part;

  if (embedded == NULL || is_attachment || depth >= MAIL_DISPLAY_MAX_DEPTH)
    {
      g_autofree char *subject = NULL;
      g_autofree char *name = NULL;
      const char *filename = g_mime_object_get_content_disposition_parameter (object, "filename");

      part = new_part (parts,
                       embedded != NULL && depth >= MAIL_DISPLAY_MAX_DEPTH && !is_attachment
                         ? MAIL_DISPLAY_PART_UNPARSED : MAIL_DISPLAY_PART_ATTACHMENT,
                       object, depth);
      if (filename == NULL && embedded != NULL)
        {
          subject = mail_message_dup_display_subject (embedded);
          /* A subject is not a path: its slashes are kept as dashes rather than cut at. */
          if (*subject != '\0')
            name = g_strconcat (g_strdelimit (subject, "/\\", '-'), ".eml", NULL);
        }
      part->filename = mail_mime_sanitize_filename (filename != NULL ? filename : name,
                                                    _("message.eml"));
      part->n_skipped = part->kind == MAIL_DISPLAY_PART_UNPARSED ? 1 : 0;
      return;
    }

  part = new_part (parts, MAIL_DISPLAY_PART_MESSAGE, GMIME_OBJECT (embedded), depth);
  g_free (part->content_type);
  part->content_type = g_strdup ("message/rfc822");
  part->is_inline = TRUE;
  if (g_mime_message_get_mime_part (embedded) != NULL)
    push (stack, g_mime_message_get_mime_part (embedded), depth + 1, ROLE_NORMAL);
}

/**
 * mail_message_get_display_parts:
 * @message: a parsed message
 * @flags: which alternative to prefer
 *
 * Walks the MIME tree of @message without recursion and lists what to show, in order. Each
 * text/plain and text/html part is its own entry and must be shown on its own (joining them
 * enables EFAIL-style exfiltration). Of a multipart/alternative only the preferred member is
 * listed. Nesting deeper than %MAIL_DISPLAY_MAX_DEPTH, and everything after
 * %MAIL_DISPLAY_MAX_PARTS entries, is summarised by %MAIL_DISPLAY_PART_UNPARSED entries.
 *
 * Returns: (transfer full) (element-type MailDisplayPart): the display parts
 */
GPtrArray *
mail_message_get_display_parts (GMimeMessage     *message,
                                MailDisplayFlags  flags)
{
  GPtrArray *parts = NULL;
  g_autoptr(GArray) stack = NULL;
  GMimeObject *root;
  guint visited = 0;
  guint skipped = 0;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  parts = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_display_part_free);
  root = g_mime_message_get_mime_part (message);
  if (root == NULL)
    return parts;

  stack = g_array_new (FALSE, FALSE, sizeof (WalkItem));
  push (stack, root, 0, ROLE_NORMAL);

  while (stack->len > 0)
    {
      WalkItem item = g_array_index (stack, WalkItem, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);

      if (visited >= MAIL_DISPLAY_MAX_PARTS)
        {
          /* Count what is left without descending into it. */
          skipped++;
          continue;
        }
      visited++;

      if (GMIME_IS_MULTIPART (item.object))
        walk_multipart (stack, parts, GMIME_MULTIPART (item.object), item.depth, flags);
      else if (GMIME_IS_MESSAGE_PART (item.object))
        walk_message_part (stack, parts, GMIME_MESSAGE_PART (item.object), item.depth);
      else if (GMIME_IS_PART (item.object))
        add_leaf (parts, GMIME_PART (item.object), item.depth, item.role);
      else
        new_part (parts, MAIL_DISPLAY_PART_UNPARSED, item.object, item.depth)->n_skipped = 1;
    }

  if (skipped > 0)
    new_part (parts, MAIL_DISPLAY_PART_UNPARSED, NULL, 0)->n_skipped = skipped;

  return parts;
}

/**
 * mail_display_parts_find_cid:
 * @parts: (element-type MailDisplayPart): from mail_message_get_display_parts()
 * @content_id: a content id, with or without angle brackets or a `cid:` prefix (URL-escaped
 *   as in a `cid:` URL)
 *
 * Returns: (transfer none) (nullable): the part with that Content-ID
 */
const MailDisplayPart *
mail_display_parts_find_cid (GPtrArray  *parts,
                             const char *content_id)
{
  g_autofree char *unescaped = NULL;
  const char *wanted;
  gsize len;

  g_return_val_if_fail (parts != NULL, NULL);
  g_return_val_if_fail (content_id != NULL, NULL);

  if (g_ascii_strncasecmp (content_id, "cid:", 4) == 0)
    content_id += 4;
  unescaped = g_uri_unescape_string (content_id, NULL);
  if (unescaped == NULL)
    return NULL;
  wanted = unescaped;
  len = strlen (wanted);
  if (len >= 2 && wanted[0] == '<' && wanted[len - 1] == '>')
    {
      unescaped[len - 1] = '\0';
      wanted++;
    }

  for (guint i = 0; i < parts->len; i++)
    {
      const MailDisplayPart *part = g_ptr_array_index (parts, i);

      if (part->content_id != NULL && part->object != NULL && GMIME_IS_PART (part->object) &&
          strcmp (part->content_id, wanted) == 0)
        return part;
    }

  return NULL;
}

/**
 * mail_display_part_dup_text:
 * @part: a %MAIL_DISPLAY_PART_TEXT or %MAIL_DISPLAY_PART_HTML part
 *
 * Decodes the transfer encoding and converts the charset to UTF-8 (invalid bytes repaired).
 * NUL characters are dropped. The text is not otherwise sanitised.
 *
 * Returns: (transfer full): the text, possibly empty
 */
char *
mail_display_part_dup_text (const MailDisplayPart *part)
{
  g_autofree char *text = NULL;
  g_autofree char *valid = NULL;
  char *out;
  char *w;

  g_return_val_if_fail (part != NULL, NULL);

  if (part->object == NULL || !GMIME_IS_TEXT_PART (part->object))
    return g_strdup ("");

  text = g_mime_text_part_get_text (GMIME_TEXT_PART (part->object));
  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);

  out = g_steal_pointer (&valid);
  w = out;
  for (const char *r = out; *r != '\0'; r++)
    {
      if (*r != '\r')
        *w++ = *r;
    }
  *w = '\0';

  return out;
}

/**
 * mail_display_part_dup_content:
 * @part: a part with a #GMimePart object
 * @error: return location for an error
 *
 * Decodes the transfer encoding (base64, quoted-printable, …) of the part's content.
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set
 */
GBytes *
mail_display_part_dup_content (const MailDisplayPart *part,
                               GError               **error)
{
  g_autoptr(GMimeStream) sink = NULL;
  GMimeDataWrapper *content;
  GByteArray *array;

  g_return_val_if_fail (part != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (part->object == NULL || !GMIME_IS_PART (part->object) ||
      (content = g_mime_part_get_content (GMIME_PART (part->object))) == NULL)
    {
      g_set_error_literal (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_ATTACHMENT,
                           _("This part of the message has no content"));
      return NULL;
    }

  array = g_byte_array_new ();
  sink = g_mime_stream_mem_new_with_byte_array (array);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (sink), FALSE);
  if (g_mime_data_wrapper_write_to_stream (content, sink) < 0)
    {
      g_byte_array_unref (array);
      g_set_error_literal (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_ATTACHMENT,
                           _("The content of this part of the message could not be decoded"));
      return NULL;
    }

  return g_byte_array_free_to_bytes (array);
}

/**
 * mail_display_part_write_content:
 * @part: a part with a #GMimePart object
 * @output: where to write the decoded content (e.g. a file being saved); not closed
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Streams the decoded content of an attachment, never holding all of it in memory.
 * Blocking: call from a worker thread.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_display_part_write_content (const MailDisplayPart  *part,
                                 GOutputStream          *output,
                                 GCancellable           *cancellable,
                                 GError                **error)
{
  g_autoptr(GMimeStream) sink = NULL;
  GMimeDataWrapper *content;

  g_return_val_if_fail (part != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (part->object == NULL || !GMIME_IS_PART (part->object) ||
      (content = g_mime_part_get_content (GMIME_PART (part->object))) == NULL)
    {
      g_set_error_literal (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_ATTACHMENT,
                           _("This part of the message has no content"));
      return FALSE;
    }

  sink = mail_gmime_output_stream_new (output, cancellable);
  if (g_mime_data_wrapper_write_to_stream (content, sink) < 0 || g_mime_stream_flush (sink) < 0)
    {
      if (!mail_gmime_output_stream_propagate_error (MAIL_GMIME_OUTPUT_STREAM (sink), error))
        return FALSE;
      g_set_error_literal (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_ATTACHMENT,
                           _("The content of this part of the message could not be decoded"));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

static GMimeMessage *
parse_stream (GMimeStream  *stream,
              GError      **error)
{
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message;

  /* Parts keep referring to the stream instead of copying their content. */
  g_mime_parser_set_persist_stream (parser, TRUE);
  message = g_mime_parser_construct_message (parser, NULL);
  if (message == NULL)
    g_set_error_literal (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_PARSE,
                         _("The data is not an email message"));

  return message;
}

/**
 * mail_message_parse_bytes:
 * @bytes: a message in RFC 5322 form
 * @error: return location for an error
 *
 * Parses a message held in memory. The message keeps a reference to @bytes: neither the
 * message nor its parts are copied. Blocking (CPU): call from a worker thread for large
 * messages.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
GMimeMessage *
mail_message_parse_bytes (GBytes  *bytes,
                          GError **error)
{
  g_autoptr(GMimeStream) stream = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = mail_gmime_bytes_stream_new (bytes);

  return parse_stream (stream, error);
}

/**
 * mail_message_parse_file:
 * @file: a local file holding one message
 * @error: return location for an error
 *
 * Parses a message from a file. Parts refer to ranges of the file and are read only when
 * decoded, so a large attachment is not loaded into memory. Blocking: call from a worker
 * thread.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
GMimeMessage *
mail_message_parse_file (GFile   *file,
                         GError **error)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autofree char *path = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_PARSE,
                   _("“%s” is not a local file"), uri);
      return NULL;
    }

  stream = g_mime_stream_fs_open (path, O_RDONLY, 0, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_PARSE,
                   _("Could not open the message file: %s"), local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  return parse_stream (stream, error);
}

typedef struct
{
  GFile  *file;
  GBytes *bytes;
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  GError *error = NULL;
  GMimeMessage *message;

  if (data->file != NULL)
    message = mail_message_parse_file (data->file, &error);
  else
    message = mail_message_parse_bytes (data->bytes, &error);

  if (message == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, message, g_object_unref);
}

/**
 * mail_message_parse_async:
 * @file: (nullable): a local file holding one message
 * @bytes: (nullable): the message in memory, when @file is %NULL
 * @cancellable: (nullable): a cancellable
 * @callback: called when the message is parsed
 * @user_data: data for @callback
 *
 * Parses a message in a worker thread (see mail_message_parse_file() and
 * mail_message_parse_bytes()). Give exactly one of @file and @bytes.
 */
void
mail_message_parse_async (GFile               *file,
                          GBytes              *bytes,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseData *data;

  g_return_if_fail ((file != NULL) != (bytes != NULL));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_message_parse_async);
  data = g_new0 (ParseData, 1);
  data->file = file != NULL ? g_object_ref (file) : NULL;
  data->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) parse_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, parse_thread);
}

/**
 * mail_message_parse_finish:
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
GMimeMessage *
mail_message_parse_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_message_parse_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
