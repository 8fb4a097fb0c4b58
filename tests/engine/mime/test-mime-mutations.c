/* test-mime-mutations.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-gmime-autocleanups.h"
#include "mail-html-policy.h"
#include "mail-message-display.h"
#include "mail-message-reply.h"
#include "mail-mime-text.h"
#include "mail-test-utils.h"

/* Mutated fixtures (seeded, reproducible with --seed) go through everything the message
 * view and the composer do with a received message. Nothing may crash, leak (sanitizer
 * builds) or hand out invalid UTF-8 or control characters for display. */

#define ROUNDS 150

static const char * const fixtures[] = {
  "alternative-related.eml", "bidi-display-name.eml", "html-only.eml",
  "malformed-encoded-words.eml", "nul-in-headers.eml", "reply-source.eml",
  "spoofed-display-name.eml", "traversal-filename.eml",
};

static const char * const snippets[] = {
  "\r\n", "\n", "\0", "--", "=?UTF-8?B?", "=?UTF-8?Q?=E2=80=AE", "?=", "\"", "<", ">", "@",
  "Content-Type: multipart/mixed; boundary=\"M\"\r\n", "--M\r\n", "--A--\r\n",
  "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n",
  "filename*0*=UTF-8''%2E%2E%2F;", "charset=x-bogus", "&#x10FFFF;", "<img src=\"http://x\">",
  "message/rfc822", "\xff\xfe", "\xe2\x80\xae", ";", ":", ",",
};

static GBytes *
mutate (GBytes *original,
        GRand  *rand)
{
  gsize size;
  const char *data = g_bytes_get_data (original, &size);
  GByteArray *out = g_byte_array_sized_new ((guint) size + 64);
  guint n_edits = (guint) g_rand_int_range (rand, 1, 8);

  g_byte_array_append (out, (const guint8 *) data, (guint) size);
  for (guint i = 0; i < n_edits && out->len > 0; i++)
    {
      guint at = (guint) g_rand_int_range (rand, 0, (gint32) out->len);

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          out->data[at] = (guint8) g_rand_int_range (rand, 0, 256);
          break;
        case 1:
          {
            const char *snippet = snippets[g_rand_int_range (rand, 0, G_N_ELEMENTS (snippets))];
            gsize len = *snippet == '\0' ? 1 : strlen (snippet);

            guint old_len = out->len;

            g_byte_array_set_size (out, old_len + (guint) len);
            memmove (out->data + at + len, out->data + at, old_len - at);
            memcpy (out->data + at, snippet, len);
          }
          break;
        case 2:
          {
            guint len = (guint) g_rand_int_range (rand, 1, 64);

            g_byte_array_remove_range (out, at, MIN (out->len - at, len));
          }
          break;
        default:
          g_byte_array_set_size (out, at);
          break;
        }
    }

  return g_byte_array_free_to_bytes (out);
}

static void
assert_displayable (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (ch));
      g_assert_false (ch >= 0x202a && ch <= 0x202e);
      g_assert_false (ch >= 0x2066 && ch <= 0x2069);
    }
}

static void
check_addresses (InternetAddressList *list)
{
  g_autoptr(GPtrArray) addresses = mail_display_addresses_from_list (list);

  for (guint i = 0; i < addresses->len; i++)
    {
      MailDisplayAddress *address = g_ptr_array_index (addresses, i);
      g_autofree char *formatted = mail_display_address_format (address);

      assert_displayable (address->address);
      if (address->name != NULL)
        assert_displayable (address->name);
      assert_displayable (formatted);
    }
}

static void
exercise (GMimeMessage *message)
{
  g_autofree char *subject = mail_message_dup_display_subject (message);
  g_autofree char *reply_subject = NULL;
  g_autoptr(MailMessageBuilder) reply = NULL;
  g_autoptr(MailMessageBuilder) forward = NULL;
  g_autoptr(GBytes) reply_bytes = NULL;
  g_autoptr(GError) error = NULL;

  reply_subject = mail_message_reply_subject (g_mime_message_get_subject (message));
  assert_displayable (subject);
  assert_displayable (reply_subject);
  check_addresses (g_mime_message_get_from (message));
  check_addresses (g_mime_message_get_reply_to (message));
  check_addresses (g_mime_message_get_to (message));
  check_addresses (g_mime_message_get_cc (message));

  for (guint flags = 0; flags < 2; flags++)
    {
      g_autoptr(GPtrArray) parts = mail_message_get_display_parts (message, flags);
      g_autoptr(MailHtmlPolicy) policy = mail_html_policy_new (parts);

      g_assert_cmpuint (parts->len, <=, MAIL_DISPLAY_MAX_PARTS + 1);
      for (guint i = 0; i < parts->len; i++)
        {
          MailDisplayPart *part = g_ptr_array_index (parts, i);
          g_autofree char *text = NULL;

          if (part->filename != NULL)
            {
              assert_displayable (part->filename);
              g_assert_null (strchr (part->filename, '/'));
              g_assert_cmpstr (part->filename, !=, "..");
              g_assert_cmpstr (part->filename, !=, "");
            }
          if (part->kind == MAIL_DISPLAY_PART_HTML)
            {
              g_autofree char *plain = NULL;
              g_autoptr(GPtrArray) uris = NULL;

              text = mail_display_part_dup_text (part);
              plain = mail_mime_html_to_text (text, -1);
              g_assert_true (g_utf8_validate (plain, -1, NULL));
              uris = mail_html_list_remote_uris (text, -1);
              for (guint j = 0; j < uris->len; j++)
                g_assert_cmpint (mail_html_policy_decide (policy, uris->pdata[j]), ==,
                                 MAIL_HTML_DECISION_BLOCK_REMOTE);
            }
          else if (part->kind == MAIL_DISPLAY_PART_TEXT)
            {
              text = mail_display_part_dup_text (part);
              g_assert_true (g_utf8_validate (text, -1, NULL));
            }
          else if (part->kind == MAIL_DISPLAY_PART_ATTACHMENT && GMIME_IS_PART (part->object))
            {
              g_autoptr(GBytes) content = mail_display_part_dup_content (part, NULL);
            }
        }
    }

  reply = mail_message_builder_new_reply (message, MAIL_REPLY_MODE_ALL, "Me", "me@example.com",
                                          NULL);
  g_assert_true (g_utf8_validate (mail_message_builder_get_text (reply), -1, NULL));
  reply_bytes = mail_message_builder_to_bytes (reply, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply_bytes);

  forward = mail_message_builder_new_forward (message, MAIL_FORWARD_MODE_INLINE, NULL,
                                              "me@example.com");
  g_assert_true (g_utf8_validate (mail_message_builder_get_text (forward), -1, NULL));
}

static void
test_mutations (gconstpointer data)
{
  const char *name = data;
  g_autofree char *relative = g_strconcat ("messages/", name, NULL);
  g_autoptr(GBytes) original = mail_test_load_data (relative);
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GBytes) mutated = mutate (original, rand);
      g_autoptr(GMimeMessage) message = mail_message_parse_bytes (mutated, NULL);

      if (message != NULL)
        exercise (message);
    }

  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_strconcat ("/engine/mime/mutations/", fixtures[i], NULL);

      g_test_add_data_func (path, fixtures[i], test_mutations);
    }

  return g_test_run ();
}
