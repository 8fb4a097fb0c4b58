/* mail-imap-mailbox-name.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-imap"

#include "config.h"

#include "mail-imap-mailbox-name.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-imap-error.h"

/*
 * Mailbox names on the wire are modified UTF-7 (RFC 3501 §5.1.3): printable ASCII stands for
 * itself except `&`, which is written `&-`; anything else is UTF-16BE in base64 (with `,` for
 * `/`, no padding) between `&` and `-`. The decoder is strict about what has one spelling
 * only: no printable ASCII inside a shift, no adjacent shifts, zero padding bits, no leftover
 * sextets, paired surrogates, no U+0000, and every shift terminated.
 *
 * With UTF8=ACCEPT (RFC 6855) names are plain UTF-8 and pass through after validation.
 */

static const char b64_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int
b64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == ',')
    return 63;
  return -1;
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_MAILBOX_NAME, message);
  return FALSE;
}

/* Decodes the base64 run at wire[*pos] up to its '-'. */
static gboolean
decode_shift (const char  *wire,
              gsize        n,
              gsize       *pos,
              GString     *out,
              GError     **error)
{
  guint32 bits = 0;
  guint nbits = 0;
  gunichar high = 0;
  guint units = 0;
  gsize i = *pos;

  for (;;)
    {
      int v;

      if (i >= n)
        return fail (error, _("A mailbox name has an unterminated “&” sequence"));

      if (wire[i] == '-')
        break;

      v = b64_value (wire[i]);
      if (v < 0)
        return fail (error, _("A mailbox name has invalid base64 in a “&” sequence"));

      bits = (bits << 6) | (guint32) v;
      nbits += 6;
      i++;

      if (nbits >= 16)
        {
          gunichar unit;

          nbits -= 16;
          unit = (bits >> nbits) & 0xffff;
          bits &= (1u << nbits) - 1;
          units++;

          if (high != 0)
            {
              if (unit < 0xdc00 || unit > 0xdfff)
                return fail (error, _("A mailbox name has an unpaired UTF-16 surrogate"));
              g_string_append_unichar (out, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
              high = 0;
            }
          else if (unit >= 0xd800 && unit <= 0xdbff)
            {
              high = unit;
            }
          else if (unit >= 0xdc00 && unit <= 0xdfff)
            {
              return fail (error, _("A mailbox name has an unpaired UTF-16 surrogate"));
            }
          else if (unit == 0)
            {
              return fail (error, _("A mailbox name contains a NUL character"));
            }
          else if (unit >= 0x20 && unit <= 0x7e)
            {
              return fail (error, _("A mailbox name encodes a plain ASCII character"));
            }
          else
            {
              g_string_append_unichar (out, unit);
            }
        }
    }

  if (units == 0 || nbits >= 6 || bits != 0)
    return fail (error, _("A mailbox name has invalid base64 in a “&” sequence"));

  if (high != 0)
    return fail (error, _("A mailbox name has an unpaired UTF-16 surrogate"));

  *pos = i + 1;
  return TRUE;
}

/**
 * mail_imap_mailbox_name_decode:
 * @wire: the name as sent by the server
 * @len: its length, or -1 if NUL-terminated
 * @utf8_accept: %TRUE when UTF8=ACCEPT is enabled (the name is UTF-8, not modified UTF-7)
 * @error: return location for a %MAIL_IMAP_ERROR_MAILBOX_NAME error
 *
 * Decodes a mailbox name to UTF-8, strictly.
 *
 * Returns: (transfer full) (nullable): the name in UTF-8, or %NULL on error
 */
char *
mail_imap_mailbox_name_decode (const char  *wire,
                               gssize       len,
                               gboolean     utf8_accept,
                               GError     **error)
{
  g_autoptr(GString) out = NULL;
  gboolean after_shift = FALSE;
  gsize n;
  gsize i = 0;

  g_return_val_if_fail (wire != NULL, NULL);

  n = len < 0 ? strlen (wire) : (gsize) len;

  if (memchr (wire, '\0', n) != NULL)
    {
      fail (error, _("A mailbox name contains a NUL character"));
      return NULL;
    }

  if (utf8_accept)
    {
      if (!g_utf8_validate (wire, n, NULL))
        {
          fail (error, _("A mailbox name is not valid UTF-8"));
          return NULL;
        }
      return g_strndup (wire, n);
    }

  out = g_string_sized_new (n);

  while (i < n)
    {
      guchar c = wire[i];

      if (c < 0x20 || c > 0x7e)
        {
          fail (error, _("A mailbox name contains bytes not allowed in modified UTF-7"));
          return NULL;
        }

      if (c != '&')
        {
          g_string_append_c (out, c);
          after_shift = FALSE;
          i++;
          continue;
        }

      if (i + 1 < n && wire[i + 1] == '-')
        {
          g_string_append_c (out, '&');
          after_shift = FALSE;
          i += 2;
          continue;
        }

      if (after_shift)
        {
          fail (error, _("A mailbox name has two adjacent “&” sequences"));
          return NULL;
        }

      i++;
      if (!decode_shift (wire, n, &i, out, error))
        return NULL;
      after_shift = TRUE;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
encode_run (GString        *out,
            const gunichar *chars,
            gsize           count)
{
  guint32 bits = 0;
  guint nbits = 0;

  g_string_append_c (out, '&');

  for (gsize i = 0; i < count; i++)
    {
      gunichar2 units[2];
      guint n_units = 1;

      if (chars[i] >= 0x10000)
        {
          gunichar v = chars[i] - 0x10000;

          units[0] = 0xd800 + (v >> 10);
          units[1] = 0xdc00 + (v & 0x3ff);
          n_units = 2;
        }
      else
        {
          units[0] = chars[i];
        }

      for (guint u = 0; u < n_units; u++)
        {
          bits = (bits << 16) | units[u];
          nbits += 16;
          while (nbits >= 6)
            {
              nbits -= 6;
              g_string_append_c (out, b64_alphabet[(bits >> nbits) & 0x3f]);
            }
          bits &= (1u << nbits) - 1;
        }
    }

  if (nbits > 0)
    g_string_append_c (out, b64_alphabet[(bits << (6 - nbits)) & 0x3f]);

  g_string_append_c (out, '-');
}

/**
 * mail_imap_mailbox_name_encode:
 * @name: a mailbox name in UTF-8
 * @utf8_accept: %TRUE when UTF8=ACCEPT is enabled (the name is sent as UTF-8)
 *
 * Encodes a name for the wire (still to be quoted or sent as a literal by the caller).
 *
 * Returns: (transfer full) (nullable): the encoded name, %NULL if @name is not valid UTF-8
 *   or contains U+0000
 */
char *
mail_imap_mailbox_name_encode (const char *name,
                               gboolean    utf8_accept)
{
  g_autofree gunichar *chars = NULL;
  g_autoptr(GString) out = NULL;
  glong count = 0;
  glong i = 0;

  g_return_val_if_fail (name != NULL, NULL);

  if (!g_utf8_validate (name, -1, NULL))
    return NULL;

  if (utf8_accept)
    return g_strdup (name);

  chars = g_utf8_to_ucs4_fast (name, -1, &count);
  out = g_string_sized_new (strlen (name) + 8);

  while (i < count)
    {
      gunichar c = chars[i];
      glong start = i;

      if (c >= 0x20 && c <= 0x7e)
        {
          if (c == '&')
            g_string_append (out, "&-");
          else
            g_string_append_c (out, (char) c);
          i++;
          continue;
        }

      while (i < count && (chars[i] < 0x20 || chars[i] > 0x7e))
        i++;
      encode_run (out, chars + start, i - start);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_bidi_control (gunichar c)
{
  return c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

static gboolean
is_invisible (gunichar c)
{
  return c == 0x00ad || c == 0x034f || (c >= 0x200b && c <= 0x200d) || c == 0x2060 ||
         c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
         (c >= 0xe0000 && c <= 0xe007f);
}

/**
 * mail_imap_mailbox_name_check:
 * @name: a decoded (UTF-8) mailbox name
 *
 * Flags what makes a server-supplied name risky in paths, shells, markup or display.
 *
 * Returns: #MailImapNameFlags, %MAIL_IMAP_NAME_CONTROL for invalid UTF-8
 */
MailImapNameFlags
mail_imap_mailbox_name_check (const char *name)
{
  g_auto(GStrv) components = NULL;
  MailImapNameFlags flags = MAIL_IMAP_NAME_PLAIN;

  g_return_val_if_fail (name != NULL, MAIL_IMAP_NAME_PLAIN);

  if (*name == '\0')
    return MAIL_IMAP_NAME_EMPTY;

  if (!g_utf8_validate (name, -1, NULL))
    return MAIL_IMAP_NAME_CONTROL;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029)
        flags |= MAIL_IMAP_NAME_CONTROL;
      else if (is_bidi_control (c))
        flags |= MAIL_IMAP_NAME_BIDI;
      else if (is_invisible (c))
        flags |= MAIL_IMAP_NAME_INVISIBLE;
      else if (c == '/' || c == '\\')
        flags |= MAIL_IMAP_NAME_PATH;
      else if (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'')
        flags |= MAIL_IMAP_NAME_MARKUP;

      if (c < 0x80 && strchr ("`$;|&<>(){}*?!~\\'\"", (int) c) != NULL)
        flags |= MAIL_IMAP_NAME_SHELL;
    }

  if (name[0] == '~')
    flags |= MAIL_IMAP_NAME_PATH;

  components = g_strsplit_set (name, "/\\", -1);
  for (guint i = 0; components[i] != NULL; i++)
    {
      if (strcmp (components[i], ".") == 0 || strcmp (components[i], "..") == 0)
        flags |= MAIL_IMAP_NAME_PATH;
    }

  return flags;
}

/**
 * mail_imap_mailbox_name_split:
 * @name: a decoded mailbox name
 * @delimiter: the hierarchy delimiter from LIST, or '\0' for a flat namespace
 * @max_depth: the most levels accepted (for example 64)
 * @error: return location for an error
 *
 * Splits a name into its hierarchy levels, for building a folder tree without recursion
 * and with a bounded depth (Claws Mail's CVE-2020-16094 was unbounded recursion over a
 * server-controlled hierarchy). One trailing delimiter is ignored; empty levels inside the
 * name, and more than @max_depth levels, are errors.
 *
 * Returns: (transfer full) (nullable): the levels, at least one
 */
GStrv
mail_imap_mailbox_name_split (const char  *name,
                              char         delimiter,
                              guint        max_depth,
                              GError     **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  const char *start = name;
  gsize len;
  guint depth = 0;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (max_depth > 0, NULL);

  builder = g_strv_builder_new ();
  len = strlen (name);

  if (delimiter == '\0' || len == 0)
    {
      g_strv_builder_add (builder, name);
      return g_strv_builder_end (builder);
    }

  if (len > 1 && name[len - 1] == delimiter)
    len--;

  for (;;)
    {
      const char *end = memchr (start, delimiter, (name + len) - start);
      gsize part = end != NULL ? (gsize) (end - start) : (gsize) ((name + len) - start);
      g_autofree char *level = NULL;

      if (part == 0)
        {
          fail (error, _("A mailbox name has an empty hierarchy level"));
          return NULL;
        }

      if (++depth > max_depth)
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT,
                       _("A mailbox name is nested too deeply"));
          return NULL;
        }

      level = g_strndup (start, part);
      g_strv_builder_add (builder, level);

      if (end == NULL)
        break;
      start = end + 1;
    }

  return g_strv_builder_end (builder);
}

/**
 * mail_imap_mailbox_name_to_filename:
 * @account_id: (nullable): the account the mailbox belongs to
 * @name: the mailbox name (any bytes)
 *
 * A file name for local data about a mailbox that never contains the name itself: `mbox-`
 * and the SHA-256 of account and name in hex. Safe for any name, including `..`, `/`, the
 * empty name and names that differ only in case.
 *
 * Returns: (transfer full): the file name (no directory part)
 */
char *
mail_imap_mailbox_name_to_filename (const char *account_id,
                                    const char *name)
{
  g_autoptr(GChecksum) checksum = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (account_id != NULL)
    g_checksum_update (checksum, (const guchar *) account_id, strlen (account_id) + 1);
  else
    g_checksum_update (checksum, (const guchar *) "", 1);
  g_checksum_update (checksum, (const guchar *) name, strlen (name));

  return g_strconcat ("mbox-", g_checksum_get_string (checksum), NULL);
}

/**
 * mail_imap_mailbox_name_to_display:
 * @name: a decoded mailbox name
 *
 * Plain text for display: control, bidi and invisible characters become U+FFFD, invalid UTF-8
 * is repaired.
 *
 * Returns: (transfer full): the text
 */
char *
mail_imap_mailbox_name_to_display (const char *name)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);

  valid = g_utf8_make_valid (name, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
          is_bidi_control (c) || is_invisible (c))
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_imap_mailbox_name_to_markup:
 * @name: a decoded mailbox name
 *
 * The display form of mail_imap_mailbox_name_to_display(), escaped with
 * g_markup_escape_text() for Pango markup or GMarkup.
 *
 * Returns: (transfer full): the escaped text
 */
char *
mail_imap_mailbox_name_to_markup (const char *name)
{
  g_autofree char *display = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  display = mail_imap_mailbox_name_to_display (name);
  return g_markup_escape_text (display, -1);
}
