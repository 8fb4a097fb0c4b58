/* mail-imap-response.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-response-private.h"

#include <string.h>

/*
 * A response is one allocation arena: nodes, strings and child arrays are carved out of a few
 * chunks, so building a FETCH response costs a handful of mallocs and freeing it never walks
 * the tree (which keeps freeing free of recursion, whatever the nesting).
 */

struct _MailImapArenaChunk
{
  MailImapArenaChunk *next;
  gsize               size;
  gsize               used;
  gsize               padding;
};

#define ARENA_FIRST_CHUNK 1024
#define ARENA_MAX_CHUNK   (64 * 1024)

G_DEFINE_BOXED_TYPE (MailImapResponse, mail_imap_response,
                     mail_imap_response_ref, mail_imap_response_unref)

MailImapResponse *
mail_imap_response_new (void)
{
  MailImapResponse *self = g_new0 (MailImapResponse, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

gpointer
mail_imap_response_alloc (MailImapResponse *self,
                          gsize             size)
{
  MailImapArenaChunk *chunk = self->chunks;
  gpointer mem;

  size = (size + 7) & ~(gsize) 7;

  if (chunk == NULL || chunk->size - chunk->used < size)
    {
      gsize chunk_size = chunk == NULL ? ARENA_FIRST_CHUNK : MIN (chunk->size * 2, ARENA_MAX_CHUNK);

      if (chunk_size < size)
        chunk_size = size;

      chunk = g_malloc (sizeof (MailImapArenaChunk) + chunk_size);
      chunk->size = chunk_size;
      chunk->used = 0;

      /* A big one-off block goes behind the current chunk, which keeps its free tail. */
      if (self->chunks != NULL && size > ARENA_MAX_CHUNK / 2)
        {
          chunk->next = self->chunks->next;
          self->chunks->next = chunk;
        }
      else
        {
          chunk->next = self->chunks;
          self->chunks = chunk;
        }

      self->arena_size += chunk_size;
    }

  mem = (char *) chunk + sizeof (MailImapArenaChunk) + chunk->used;
  chunk->used += size;

  return mem;
}

char *
mail_imap_response_strndup (MailImapResponse *self,
                            const char       *str,
                            gsize             len)
{
  char *copy = mail_imap_response_alloc (self, len + 1);

  if (len > 0)
    memcpy (copy, str, len);
  copy[len] = '\0';

  return copy;
}

MailImapValue *
mail_imap_response_new_value (MailImapResponse  *self,
                              MailImapValueType  type)
{
  MailImapValue *value = mail_imap_response_alloc (self, sizeof (MailImapValue));

  memset (value, 0, sizeof *value);
  value->type = type;

  return value;
}

/**
 * mail_imap_response_ref:
 * @self: a #MailImapResponse
 *
 * Returns: (transfer full): @self
 */
MailImapResponse *
mail_imap_response_ref (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * mail_imap_response_unref:
 * @self: (transfer full): a #MailImapResponse
 *
 * Drops a reference; the last one frees the whole tree.
 */
void
mail_imap_response_unref (MailImapResponse *self)
{
  MailImapArenaChunk *chunk;

  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  chunk = self->chunks;
  while (chunk != NULL)
    {
      MailImapArenaChunk *next = chunk->next;

      g_free (chunk);
      chunk = next;
    }

  g_free (self);
}

/**
 * mail_imap_response_get_kind:
 * @self: a #MailImapResponse
 *
 * Returns: whether @self is tagged, untagged or a continuation request
 */
MailImapResponseKind
mail_imap_response_get_kind (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, MAIL_IMAP_RESPONSE_UNTAGGED);

  return self->kind;
}

/**
 * mail_imap_response_get_tag:
 * @self: a #MailImapResponse
 *
 * Returns: (nullable): the tag of a tagged response
 */
const char *
mail_imap_response_get_tag (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tag;
}

/**
 * mail_imap_response_get_status:
 * @self: a #MailImapResponse
 *
 * Returns: the status of a status response (`OK`, `NO`, `BAD`, `PREAUTH`, `BYE`), else
 *   %MAIL_IMAP_STATUS_NONE
 */
MailImapStatus
mail_imap_response_get_status (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, MAIL_IMAP_STATUS_NONE);

  return self->status;
}

/**
 * mail_imap_response_get_name:
 * @self: a #MailImapResponse
 *
 * The keyword of the response in upper case: `OK`, `EXISTS`, `FETCH`, `CAPABILITY`, ...
 *
 * Returns: (nullable): the name; %NULL for continuation requests
 */
const char *
mail_imap_response_get_name (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

/**
 * mail_imap_response_is_name:
 * @self: a #MailImapResponse
 * @name: an upper-case keyword
 *
 * Returns: %TRUE if @self is an untagged response named @name
 */
gboolean
mail_imap_response_is_name (MailImapResponse *self,
                            const char       *name)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->kind == MAIL_IMAP_RESPONSE_UNTAGGED && g_strcmp0 (self->name, name) == 0;
}

/**
 * mail_imap_response_has_number:
 * @self: a #MailImapResponse
 *
 * Returns: %TRUE for `* n NAME` responses (EXISTS, RECENT, EXPUNGE, FETCH)
 */
gboolean
mail_imap_response_has_number (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_number;
}

/**
 * mail_imap_response_get_number:
 * @self: a #MailImapResponse
 *
 * Returns: the number of a `* n NAME` response, else 0
 */
guint32
mail_imap_response_get_number (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->number;
}

/**
 * mail_imap_response_get_code:
 * @self: a #MailImapResponse
 *
 * Returns: (nullable): the response code of a status response, upper case (`UIDVALIDITY`,
 *   `ALERT`, ...), or %NULL
 */
const char *
mail_imap_response_get_code (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code;
}

/**
 * mail_imap_response_get_code_args:
 * @self: a #MailImapResponse
 *
 * The arguments of a structured response code (`[UIDVALIDITY 3857529045]`,
 * `[PERMANENTFLAGS (\Seen \*)]`, `[CAPABILITY ...]`, `[COPYUID ...]`, ...) as a list. Codes
 * with free-form text (`[ALERT]`, `[REFERRAL ...]`, unknown codes) have an empty list: their
 * text is mail_imap_response_get_code_text().
 *
 * Returns: (nullable): a list value, %NULL when there is no code
 */
const MailImapValue *
mail_imap_response_get_code_args (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code_args;
}

/**
 * mail_imap_response_get_code_text:
 * @self: a #MailImapResponse
 *
 * Returns: (nullable): the raw text after the code name inside the brackets ("" if none), or
 *   %NULL when there is no code
 */
const char *
mail_imap_response_get_code_text (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code_text;
}

/**
 * mail_imap_response_get_text:
 * @self: a #MailImapResponse
 *
 * The human-readable text of a status response or continuation request, valid UTF-8 (never
 * trust it for display without flagging control characters). Empty when the server sent none.
 *
 * Returns: (nullable): the text, %NULL for data responses
 */
const char *
mail_imap_response_get_text (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

/**
 * mail_imap_response_get_data:
 * @self: a #MailImapResponse
 *
 * The values after the name of a data response (`* LIST (\Noselect) "/" foo` gives the list
 * `((\Noselect) "/" foo)`; `* 3 FETCH (UID 9)` gives `((UID 9))`).
 *
 * Returns: a list value, empty for status responses and continuations
 */
const MailImapValue *
mail_imap_response_get_data (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

/**
 * mail_imap_response_get_size:
 * @self: a #MailImapResponse
 *
 * Returns: the bytes of memory the response holds
 */
gsize
mail_imap_response_get_size (MailImapResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->arena_size + sizeof *self;
}

static void
dump_string (GString    *out,
             const char *str,
             gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = str[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

typedef struct
{
  const MailImapValue *list;
  guint                next;
} DumpFrame;

/* Walks the tree with an explicit stack, so any depth is fine. */
static void
dump_value (GString             *out,
            const MailImapValue *root)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (DumpFrame));
  const MailImapValue *value = root;

  for (;;)
    {
      if (value != NULL)
        {
          switch (value->type)
            {
            case MAIL_IMAP_VALUE_NIL:
              g_string_append (out, "NIL");
              break;
            case MAIL_IMAP_VALUE_ATOM:
              g_string_append_len (out, value->str, value->len);
              break;
            case MAIL_IMAP_VALUE_QUOTED:
              dump_string (out, value->str, value->len);
              break;
            case MAIL_IMAP_VALUE_LITERAL:
              g_string_append_printf (out, "%s{%" G_GSIZE_FORMAT "}",
                                      value->binary ? "~" : "", value->len);
              dump_string (out, value->str, value->len);
              break;
            case MAIL_IMAP_VALUE_STREAMED:
              g_string_append_printf (out, "%s{%" G_GSIZE_FORMAT "}<streamed>",
                                      value->binary ? "~" : "", value->len);
              break;
            case MAIL_IMAP_VALUE_LIST:
              {
                DumpFrame frame = { value, 0 };

                g_string_append_c (out, '(');
                g_array_append_val (stack, frame);
              }
              break;
            default:
              g_assert_not_reached ();
            }
        }

      if (stack->len == 0)
        break;

      {
        DumpFrame *top = &g_array_index (stack, DumpFrame, stack->len - 1);

        if (top->next >= top->list->n_children)
          {
            g_string_append_c (out, ')');
            g_array_set_size (stack, stack->len - 1);
            value = NULL;
            continue;
          }

        if (top->next > 0)
          g_string_append_c (out, ' ');
        value = top->list->children[top->next++];
      }
    }
}

/**
 * mail_imap_response_dump:
 * @self: a #MailImapResponse
 *
 * A canonical one-line rendering of the parsed response, for tests and debugging. Strings
 * are escaped, so it is safe to print; it does contain message data, so never log it in
 * production.
 *
 * Returns: (transfer full): the rendering
 */
char *
mail_imap_response_dump (MailImapResponse *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);

  switch (self->kind)
    {
    case MAIL_IMAP_RESPONSE_CONTINUATION:
      g_string_append (out, "+ ");
      dump_string (out, self->text, strlen (self->text));
      return g_string_free (out, FALSE);
    case MAIL_IMAP_RESPONSE_TAGGED:
      g_string_append_printf (out, "%s %s", self->tag, self->name);
      break;
    case MAIL_IMAP_RESPONSE_UNTAGGED:
      g_string_append (out, "*");
      if (self->has_number)
        g_string_append_printf (out, " %u", self->number);
      g_string_append_printf (out, " %s", self->name);
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->code != NULL)
    {
      g_string_append_printf (out, " [%s ", self->code);
      dump_value (out, self->code_args);
      g_string_append (out, " ");
      dump_string (out, self->code_text, strlen (self->code_text));
      g_string_append (out, "]");
    }

  if (self->text != NULL)
    {
      g_string_append (out, " ");
      dump_string (out, self->text, strlen (self->text));
    }

  for (guint i = 0; self->data != NULL && i < self->data->n_children; i++)
    {
      g_string_append (out, " ");
      dump_value (out, self->data->children[i]);
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_imap_parse_number:
 * @str: digits
 * @len: length of @str
 * @max: the largest acceptable value
 * @out: (out): the number
 *
 * Strict decimal parsing: only ASCII digits, at least one, no sign, no spaces, and an
 * overflow check on every digit.
 *
 * Returns: %TRUE if @str is a number no larger than @max
 */
gboolean
mail_imap_parse_number (const char *str,
                        gsize       len,
                        guint64     max,
                        guint64    *out)
{
  guint64 value = 0;

  if (str == NULL || len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guint digit;

      if (str[i] < '0' || str[i] > '9')
        return FALSE;

      digit = str[i] - '0';
      if (value > (max - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  *out = value;
  return TRUE;
}

/**
 * mail_imap_value_is_nil:
 * @value: (nullable): a value
 *
 * Returns: %TRUE if @value is NIL
 */
gboolean
mail_imap_value_is_nil (const MailImapValue *value)
{
  return value != NULL && value->type == MAIL_IMAP_VALUE_NIL;
}

/**
 * mail_imap_value_is_list:
 * @value: (nullable): a value
 *
 * Returns: %TRUE if @value is a list
 */
gboolean
mail_imap_value_is_list (const MailImapValue *value)
{
  return value != NULL && value->type == MAIL_IMAP_VALUE_LIST;
}

/**
 * mail_imap_value_is_string:
 * @value: (nullable): a value
 *
 * Returns: %TRUE if @value is an atom, a quoted string or an in-memory literal
 */
gboolean
mail_imap_value_is_string (const MailImapValue *value)
{
  return value != NULL &&
         (value->type == MAIL_IMAP_VALUE_ATOM ||
          value->type == MAIL_IMAP_VALUE_QUOTED ||
          value->type == MAIL_IMAP_VALUE_LITERAL);
}

/**
 * mail_imap_value_is_atom:
 * @value: (nullable): a value
 * @atom: an atom
 *
 * Returns: %TRUE if @value is the atom @atom, compared without case
 */
gboolean
mail_imap_value_is_atom (const MailImapValue *value,
                         const char          *atom)
{
  return value != NULL && value->type == MAIL_IMAP_VALUE_ATOM &&
         g_ascii_strcasecmp (value->str, atom) == 0;
}

/**
 * mail_imap_value_get_string:
 * @value: (nullable): a value
 * @len: (out) (optional): the length in bytes
 *
 * Returns: (nullable): the bytes of an atom, quoted string or literal, else %NULL
 */
const char *
mail_imap_value_get_string (const MailImapValue *value,
                            gsize               *len)
{
  if (!mail_imap_value_is_string (value))
    return NULL;

  if (len != NULL)
    *len = value->len;
  return value->str;
}

/**
 * mail_imap_value_get_cstring:
 * @value: (nullable): a value
 *
 * Like mail_imap_value_get_string(), but %NULL if the string contains a NUL byte, so the result
 * can be used as a C string without silently losing its end.
 *
 * Returns: (nullable): the string
 */
const char *
mail_imap_value_get_cstring (const MailImapValue *value)
{
  if (!mail_imap_value_is_string (value))
    return NULL;

  if (memchr (value->str, '\0', value->len) != NULL)
    return NULL;

  return value->str;
}

/**
 * mail_imap_value_get_n_children:
 * @value: (nullable): a value
 *
 * Returns: the number of children of a list, 0 for anything else
 */
guint
mail_imap_value_get_n_children (const MailImapValue *value)
{
  if (!mail_imap_value_is_list (value))
    return 0;

  return value->n_children;
}

/**
 * mail_imap_value_get_child:
 * @value: (nullable): a list
 * @index: a position
 *
 * Returns: (nullable): the child at @index, %NULL when @value is not a list or too short
 */
const MailImapValue *
mail_imap_value_get_child (const MailImapValue *value,
                           guint                index)
{
  if (!mail_imap_value_is_list (value) || index >= value->n_children)
    return NULL;

  return value->children[index];
}

/**
 * mail_imap_value_get_uint32:
 * @value: (nullable): a value
 * @out: (out): the number
 *
 * Returns: %TRUE if @value is an atom made of digits only, at most 2^32-1
 */
gboolean
mail_imap_value_get_uint32 (const MailImapValue *value,
                            guint32             *out)
{
  guint64 number;

  if (value == NULL || value->type != MAIL_IMAP_VALUE_ATOM ||
      !mail_imap_parse_number (value->str, value->len, G_MAXUINT32, &number))
    return FALSE;

  *out = (guint32) number;
  return TRUE;
}

/**
 * mail_imap_value_get_uint64:
 * @value: (nullable): a value
 * @out: (out): the number
 *
 * Returns: %TRUE if @value is an atom made of digits only, at most 2^63-1 (IMAP's number64)
 */
gboolean
mail_imap_value_get_uint64 (const MailImapValue *value,
                            guint64             *out)
{
  if (value == NULL || value->type != MAIL_IMAP_VALUE_ATOM)
    return FALSE;

  return mail_imap_parse_number (value->str, value->len, G_MAXINT64, out);
}
