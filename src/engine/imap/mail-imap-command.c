/* mail-imap-command.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-command.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-client-error.h"
#include "mail-imap-mailbox-name.h"

/*
 * A command as it goes on the wire: pieces of text separated by literals. Arguments are
 * quoted when they can be, and sent as literals when they cannot (CR, LF, 8-bit without
 * UTF8=ACCEPT, long strings), so no argument can ever end the line early or smuggle a
 * second command. Whether a literal waits for the server's "+" is decided when it is sent,
 * from the capabilities of that moment (LITERAL+ / LITERAL-).
 */

/* Strings longer than this go as literals even if they could be quoted. */
#define MAX_QUOTED 1024

struct _MailImapCommand
{
  char          *name;
  GPtrArray     *parts;   /* MailImapCommandPart* */
  GOutputStream *sink;    /* where FETCH body literals go, or NULL */
};

static void
part_free (gpointer data)
{
  MailImapCommandPart *part = data;

  g_string_free (part->text, TRUE);
  g_clear_pointer (&part->literal, g_bytes_unref);
  g_clear_object (&part->stream);
  g_free (part);
}

static MailImapCommandPart *
last_part (MailImapCommand *self)
{
  return g_ptr_array_index (self->parts, self->parts->len - 1);
}

static void
add_separator (MailImapCommand *self)
{
  GString *text = last_part (self)->text;

  /* The first piece after a literal starts right after the literal's bytes. */
  if (text->len == 0 && self->parts->len > 1)
    {
      g_string_append_c (text, ' ');
      return;
    }

  if (text->len > 0 && text->str[text->len - 1] != '(' && text->str[text->len - 1] != ' ')
    g_string_append_c (text, ' ');
}

/**
 * mail_imap_command_new:
 * @name: the command, e.g. `UID FETCH` (atoms only)
 *
 * Returns: (transfer full): a new command
 */
MailImapCommand *
mail_imap_command_new (const char *name)
{
  MailImapCommand *self = g_new0 (MailImapCommand, 1);
  MailImapCommandPart *part = g_new0 (MailImapCommandPart, 1);

  g_return_val_if_fail (name != NULL, NULL);

  self->name = g_strdup (name);
  self->parts = g_ptr_array_new_with_free_func (part_free);
  part->text = g_string_new (name);
  g_ptr_array_add (self->parts, part);
  return self;
}

/**
 * mail_imap_command_free:
 * @self: a command
 *
 * Frees the command.
 */
void
mail_imap_command_free (MailImapCommand *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->parts);
  g_clear_object (&self->sink);
  g_free (self->name);
  g_free (self);
}

/**
 * mail_imap_command_get_name:
 * @self: a command
 *
 * Returns: the command's name
 */
const char *
mail_imap_command_get_name (MailImapCommand *self)
{
  return self->name;
}

/**
 * mail_imap_command_add_atom:
 * @self: a command
 * @atom: program text (never data from the server or the user): an atom, a sequence set,
 *   a parenthesised list
 *
 * Appends @atom after a space.
 */
void
mail_imap_command_add_atom (MailImapCommand *self,
                            const char      *atom)
{
  g_return_if_fail (atom != NULL);
  g_return_if_fail (strpbrk (atom, "\r\n") == NULL);

  add_separator (self);
  g_string_append (last_part (self)->text, atom);
}

/**
 * mail_imap_command_add_printf:
 * @self: a command
 * @format: printf format of program text
 * @...: arguments
 *
 * Like mail_imap_command_add_atom() with a formatted atom.
 */
void
mail_imap_command_add_printf (MailImapCommand *self,
                              const char      *format,
                              ...)
{
  g_autofree char *atom = NULL;
  va_list args;

  va_start (args, format);
  atom = g_strdup_vprintf (format, args);
  va_end (args);

  mail_imap_command_add_atom (self, atom);
}

/**
 * mail_imap_command_add_raw:
 * @self: a command
 * @text: program text appended without a space (e.g. `)`)
 *
 * Appends @text as is.
 */
void
mail_imap_command_add_raw (MailImapCommand *self,
                           const char      *text)
{
  g_return_if_fail (text != NULL);
  g_return_if_fail (strpbrk (text, "\r\n") == NULL);

  g_string_append (last_part (self)->text, text);
}

/**
 * mail_imap_command_add_literal:
 * @self: a command
 * @bytes: the literal's content
 *
 * Appends a literal.
 */
void
mail_imap_command_add_literal (MailImapCommand *self,
                               GBytes          *bytes)
{
  MailImapCommandPart *part;

  g_return_if_fail (bytes != NULL);

  add_separator (self);
  part = last_part (self);
  part->literal = g_bytes_ref (bytes);
  part->size = g_bytes_get_size (bytes);

  part = g_new0 (MailImapCommandPart, 1);
  part->text = g_string_new (NULL);
  g_ptr_array_add (self->parts, part);
}

/**
 * mail_imap_command_add_literal_stream:
 * @self: a command
 * @stream: where the literal's bytes come from; exactly @size bytes are read
 * @size: the literal's size
 *
 * Appends a literal that is streamed when sent, never held in memory as a whole.
 */
void
mail_imap_command_add_literal_stream (MailImapCommand *self,
                                      GInputStream    *stream,
                                      guint64          size)
{
  MailImapCommandPart *part;

  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  add_separator (self);
  part = last_part (self);
  part->stream = g_object_ref (stream);
  part->size = size;

  part = g_new0 (MailImapCommandPart, 1);
  part->text = g_string_new (NULL);
  g_ptr_array_add (self->parts, part);
}

/**
 * mail_imap_command_add_string:
 * @self: a command
 * @string: any UTF-8 text (user names, passwords, search words)
 * @utf8_accept: whether UTF8=ACCEPT is enabled (8-bit may then be quoted)
 * @error: return location for an error
 *
 * Appends @string as a quoted string, or as a literal when it cannot be quoted.
 *
 * Returns: %FALSE if @string is not valid UTF-8
 */
gboolean
mail_imap_command_add_string (MailImapCommand  *self,
                              const char       *string,
                              gboolean          utf8_accept,
                              GError          **error)
{
  gboolean quotable = TRUE;
  gsize len;
  GString *text;

  g_return_val_if_fail (string != NULL, FALSE);

  len = strlen (string);
  if (!g_utf8_validate (string, (gssize) len, NULL))
    {
      g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID,
                           _("A command argument is not valid UTF-8"));
      return FALSE;
    }

  if (len > MAX_QUOTED)
    quotable = FALSE;
  for (gsize i = 0; quotable && i < len; i++)
    {
      guchar c = (guchar) string[i];

      if (c == '\r' || c == '\n' || (c >= 0x80 && !utf8_accept))
        quotable = FALSE;
    }

  if (!quotable)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (string, len);

      mail_imap_command_add_literal (self, bytes);
      return TRUE;
    }

  add_separator (self);
  text = last_part (self)->text;
  g_string_append_c (text, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (string[i] == '"' || string[i] == '\\')
        g_string_append_c (text, '\\');
      g_string_append_c (text, string[i]);
    }
  g_string_append_c (text, '"');

  return TRUE;
}

/**
 * mail_imap_command_add_mailbox:
 * @self: a command
 * @mailbox: a mailbox name in UTF-8, as decoded from the server
 * @utf8_accept: whether UTF8=ACCEPT is enabled (otherwise modified UTF-7 is sent)
 * @error: return location for an error
 *
 * Appends a mailbox name, encoded for the wire and quoted (`INBOX` in any case is INBOX).
 *
 * Returns: %FALSE if the name cannot be sent
 */
gboolean
mail_imap_command_add_mailbox (MailImapCommand  *self,
                               const char       *mailbox,
                               gboolean          utf8_accept,
                               GError          **error)
{
  g_autofree char *wire = NULL;

  g_return_val_if_fail (mailbox != NULL, FALSE);

  if (*mailbox == '\0' || !g_utf8_validate (mailbox, -1, NULL) ||
      strpbrk (mailbox, "\r\n") != NULL)
    {
      g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID,
                           _("The folder name cannot be sent to the server"));
      return FALSE;
    }

  if (g_ascii_strcasecmp (mailbox, "INBOX") == 0)
    return mail_imap_command_add_string (self, "INBOX", FALSE, error);

  wire = mail_imap_mailbox_name_encode (mailbox, utf8_accept);
  if (wire == NULL)
    {
      g_set_error_literal (error, MAIL_IMAP_CLIENT_ERROR, MAIL_IMAP_CLIENT_ERROR_INVALID,
                           _("The folder name cannot be sent to the server"));
      return FALSE;
    }

  return mail_imap_command_add_string (self, wire, utf8_accept, error);
}

/**
 * mail_imap_command_get_n_parts:
 * @self: a command
 *
 * Returns: the number of pieces (literals + 1)
 */
guint
mail_imap_command_get_n_parts (MailImapCommand *self)
{
  return self->parts->len;
}

/**
 * mail_imap_command_get_part:
 * @self: a command
 * @index: which piece
 *
 * Returns: (transfer none): the piece
 */
const MailImapCommandPart *
mail_imap_command_get_part (MailImapCommand *self,
                            guint            index)
{
  g_return_val_if_fail (index < self->parts->len, NULL);

  return g_ptr_array_index (self->parts, index);
}

/**
 * mail_imap_command_literal_is_sync:
 * @self: a command
 * @index: a piece that is followed by a literal
 * @mode: what the server allows
 *
 * Returns: %TRUE if the literal after piece @index must wait for a continuation request
 */
gboolean
mail_imap_command_literal_is_sync (MailImapCommand     *self,
                                   guint                index,
                                   MailImapLiteralMode  mode)
{
  const MailImapCommandPart *part = mail_imap_command_get_part (self, index);

  switch (mode)
    {
    case MAIL_IMAP_LITERAL_PLUS:
      return FALSE;
    case MAIL_IMAP_LITERAL_MINUS:
      return part->size > MAIL_IMAP_LITERAL_MINUS_MAX;
    case MAIL_IMAP_LITERAL_SYNC:
    default:
      return TRUE;
    }
}

/**
 * mail_imap_command_format_part:
 * @self: a command
 * @index: which piece
 * @tag: the command's tag (used for piece 0)
 * @mode: what the server allows for literals
 *
 * Returns: (transfer full): the line to send for piece @index, without CRLF, ending with the
 *   literal announcement (`{n}` or `{n+}`) when a literal follows
 */
char *
mail_imap_command_format_part (MailImapCommand     *self,
                               guint                index,
                               const char          *tag,
                               MailImapLiteralMode  mode)
{
  const MailImapCommandPart *part = mail_imap_command_get_part (self, index);
  GString *line = g_string_new (NULL);

  if (index == 0)
    g_string_append_printf (line, "%s ", tag);
  g_string_append_len (line, part->text->str, (gssize) part->text->len);

  if (index + 1 < self->parts->len)
    g_string_append_printf (line, "{%" G_GUINT64_FORMAT "%s}", part->size,
                            mail_imap_command_literal_is_sync (self, index, mode) ? "" : "+");

  return g_string_free (line, FALSE);
}

/**
 * mail_imap_command_set_sink:
 * @self: a command
 * @sink: (nullable): where message-body literals of the command's FETCH responses go
 *
 * Sets the body sink.
 */
void
mail_imap_command_set_sink (MailImapCommand *self,
                            GOutputStream   *sink)
{
  g_set_object (&self->sink, sink);
}

/**
 * mail_imap_command_get_sink:
 * @self: a command
 *
 * Returns: (transfer none) (nullable): the body sink
 */
GOutputStream *
mail_imap_command_get_sink (MailImapCommand *self)
{
  return self->sink;
}

/**
 * mail_imap_command_to_string:
 * @self: a command
 * @tag: a tag
 *
 * For logs and tests: the command with synchronizing literal announcements and in-memory
 * literal contents inline (streamed literals as `<stream>`).
 *
 * Returns: (transfer full): the text
 */
char *
mail_imap_command_to_string (MailImapCommand *self,
                             const char      *tag)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->parts->len; i++)
    {
      const MailImapCommandPart *part = g_ptr_array_index (self->parts, i);
      g_autofree char *line = mail_imap_command_format_part (self, i, tag,
                                                             MAIL_IMAP_LITERAL_SYNC);

      g_string_append (out, line);
      if (i + 1 < self->parts->len)
        {
          g_string_append (out, "\r\n");
          if (part->literal != NULL)
            g_string_append_len (out, g_bytes_get_data (part->literal, NULL),
                                 (gssize) g_bytes_get_size (part->literal));
          else
            g_string_append (out, "<stream>");
        }
    }

  return g_string_free (out, FALSE);
}
