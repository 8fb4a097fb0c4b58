/* mail-message-display.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* Walking limits: past them the rest of a message is listed as MAIL_DISPLAY_PART_UNPARSED. */
#define MAIL_DISPLAY_MAX_DEPTH 32
#define MAIL_DISPLAY_MAX_PARTS 1000

/**
 * MailDisplayAddressFlags:
 * @MAIL_DISPLAY_ADDRESS_NONE: nothing suspicious
 * @MAIL_DISPLAY_ADDRESS_NAME_LOOKS_LIKE_ADDRESS: the display name contains an `@` (also
 *   full-width or small forms) and is not the address itself: it may pretend to be another
 *   sender (Mailsploit, CVE-2017-7829). Show a warning next to it.
 * @MAIL_DISPLAY_ADDRESS_HAD_CONTROLS: control characters or bidirectional overrides were
 *   removed from the name or the address
 * @MAIL_DISPLAY_ADDRESS_INVALID: the address has no local part or no domain
 *
 * What the display helpers noticed about an address.
 */
typedef enum
{
  MAIL_DISPLAY_ADDRESS_NONE                  = 0,
  MAIL_DISPLAY_ADDRESS_NAME_LOOKS_LIKE_ADDRESS = 1 << 0,
  MAIL_DISPLAY_ADDRESS_HAD_CONTROLS          = 1 << 1,
  MAIL_DISPLAY_ADDRESS_INVALID               = 1 << 2,
} MailDisplayAddressFlags;

/**
 * MailDisplayAddress:
 * @name: (nullable): the sanitised display name, %NULL when there is none
 * @address: the sanitised address (addr-spec), never %NULL; always show it
 * @flags: warnings for the UI
 *
 * One mailbox ready to show. Groups are flattened into their members.
 */
typedef struct
{
  char                    *name;
  char                    *address;
  MailDisplayAddressFlags  flags;
} MailDisplayAddress;

/**
 * MailDisplayPartKind:
 * @MAIL_DISPLAY_PART_TEXT: a text/plain body part; show it on its own
 * @MAIL_DISPLAY_PART_HTML: a text/html body part; render it on its own (never joined to another)
 * @MAIL_DISPLAY_PART_ATTACHMENT: an attachment (or a part that cannot be shown inline)
 * @MAIL_DISPLAY_PART_RESOURCE: a member of multipart/related referenced from HTML by `cid:`
 * @MAIL_DISPLAY_PART_MESSAGE: an inline message/rfc822: its headers; its parts follow
 * @MAIL_DISPLAY_PART_UNPARSED: what was left out because of a limit or because it is encrypted
 *
 * The kinds of entries of a flat display list.
 */
typedef enum
{
  MAIL_DISPLAY_PART_TEXT,
  MAIL_DISPLAY_PART_HTML,
  MAIL_DISPLAY_PART_ATTACHMENT,
  MAIL_DISPLAY_PART_RESOURCE,
  MAIL_DISPLAY_PART_MESSAGE,
  MAIL_DISPLAY_PART_UNPARSED,
} MailDisplayPartKind;

/**
 * MailDisplayFlags:
 * @MAIL_DISPLAY_FLAGS_NONE: prefer text/plain in multipart/alternative
 * @MAIL_DISPLAY_FLAGS_PREFER_HTML: prefer text/html in multipart/alternative
 *
 * Options of mail_message_get_display_parts().
 */
typedef enum
{
  MAIL_DISPLAY_FLAGS_NONE        = 0,
  MAIL_DISPLAY_FLAGS_PREFER_HTML = 1 << 0,
} MailDisplayFlags;

/**
 * MailDisplayPart:
 * @kind: what the entry is
 * @object: (nullable): the GMime object (a #GMimePart, the #GMimeMessage of a
 *   %MAIL_DISPLAY_PART_MESSAGE, a #GMimeMessagePart attachment, or the container that was
 *   not walked for %MAIL_DISPLAY_PART_UNPARSED)
 * @content_type: lower-case "type/subtype"
 * @filename: (nullable): sanitised file name for attachments and resources (never empty,
 *   never ".", "..", never a path); %NULL for body parts without one
 * @content_id: (nullable): the Content-ID without angle brackets
 * @size: the approximate decoded size in bytes
 * @depth: the nesting depth
 * @is_inline: whether the part asked to be shown inline
 * @n_skipped: for %MAIL_DISPLAY_PART_UNPARSED, how many parts were left out
 *
 * One entry of the flat list the message view shows.
 */
typedef struct
{
  MailDisplayPartKind  kind;
  GMimeObject         *object;
  char                *content_type;
  char                *filename;
  char                *content_id;
  gsize                size;
  guint                depth;
  gboolean             is_inline;
  guint                n_skipped;
} MailDisplayPart;

char               *mail_mime_sanitize_display_text  (const char         *text,
                                                      gboolean           *out_changed)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_mime_sanitize_filename      (const char         *filename,
                                                      const char         *fallback)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_mime_decode_header          (const char         *raw)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_mime_markup_escape          (const char         *text)
  G_GNUC_WARN_UNUSED_RESULT;
char               *mail_message_dup_display_subject (GMimeMessage       *message)
  G_GNUC_WARN_UNUSED_RESULT;

MailDisplayAddress *mail_display_address_new         (InternetAddressMailbox *mailbox)
  G_GNUC_WARN_UNUSED_RESULT;
void                mail_display_address_free        (MailDisplayAddress *address);
char               *mail_display_address_format      (const MailDisplayAddress *address)
  G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *mail_display_addresses_from_list (InternetAddressList *list)
  G_GNUC_WARN_UNUSED_RESULT;

void                mail_display_part_free           (MailDisplayPart    *part);
char               *mail_display_part_dup_text       (const MailDisplayPart *part)
  G_GNUC_WARN_UNUSED_RESULT;
GBytes             *mail_display_part_dup_content    (const MailDisplayPart *part,
                                                      GError            **error)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean            mail_display_part_write_content  (const MailDisplayPart *part,
                                                      GOutputStream      *output,
                                                      GCancellable       *cancellable,
                                                      GError            **error);
GPtrArray          *mail_message_get_display_parts   (GMimeMessage       *message,
                                                      MailDisplayFlags    flags)
  G_GNUC_WARN_UNUSED_RESULT;
const MailDisplayPart *mail_display_parts_find_cid   (GPtrArray          *parts,
                                                      const char         *content_id);

GMimeMessage       *mail_message_parse_bytes         (GBytes             *bytes,
                                                      GError            **error)
  G_GNUC_WARN_UNUSED_RESULT;
GMimeMessage       *mail_message_parse_file          (GFile              *file,
                                                      GError            **error)
  G_GNUC_WARN_UNUSED_RESULT;
void                mail_message_parse_async         (GFile              *file,
                                                      GBytes             *bytes,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
GMimeMessage       *mail_message_parse_finish        (GAsyncResult       *result,
                                                      GError            **error)
  G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailDisplayAddress, mail_display_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailDisplayPart, mail_display_part_free)

G_END_DECLS
