/* test-mime-display.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-gmime-autocleanups.h"
#include "mail-message-display.h"
#include "mail-mime-error.h"
#include "mail-mime-text.h"
#include "mail-test-utils.h"

static GMimeMessage *
load_message (const char *name)
{
  g_autofree char *relative = g_strconcat ("messages/", name, NULL);
  g_autoptr(GBytes) bytes = mail_test_load_data (relative);
  g_autoptr(GError) error = NULL;
  GMimeMessage *message;

  message = mail_message_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  return message;
}

static GMimeMessage *
parse_string (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  GMimeMessage *message = mail_message_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  return message;
}

static gboolean
has_forbidden_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (g_unichar_iscntrl (ch) || (ch >= 0x202a && ch <= 0x202e) ||
          (ch >= 0x2066 && ch <= 0x2069))
        return TRUE;
    }

  return !g_utf8_validate (text, -1, NULL);
}

static void
test_sanitize_text (void)
{
  static const struct
  {
    const char *in;
    const char *out;
    gboolean    changed;
  } cases[] = {
    { "plain", "plain", FALSE },
    { "  two   spaces \t tab ", "two spaces tab", FALSE },
    { "line\r\nbreak", "line break", FALSE },
    { "bell\007here", "bellhere", TRUE },
    { "esc\033[31mred", "esc[31mred", TRUE },
    { "c1\xc2\x85next\xc2\x9b", "c1 next", TRUE },
    { "\xe2\x80\xae" "cod.exe", "cod.exe", TRUE },
    { "a\xe2\x81\xa6" "b\xe2\x81\xa9" "c", "abc", TRUE },
    { "lrm\xe2\x80\x8e", "lrm", TRUE },
    { "pay\xe2\x80\x8bpal\xe2\x81\xa0.com", "paypal.com", TRUE },
    /* A ZWJ emoji sequence stays whole. */
    { "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
      "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", FALSE },
    { "bad \xff utf8", "bad \xef\xbf\xbd utf8", TRUE },
    { "", "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean changed = !cases[i].changed;
      g_autofree char *out = mail_mime_sanitize_display_text (cases[i].in, &changed);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpint (changed, ==, cases[i].changed);
    }
}

static void
test_sanitize_filename (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "report.pdf", "report.pdf" },
    { "../../.bashrc", "bashrc" },
    { "/etc/passwd", "passwd" },
    { "C:\\Windows\\evil.dll", "evil.dll" },
    { "..", "attachment" },
    { ".", "attachment" },
    { "", "attachment" },
    { NULL, "attachment" },
    { "dir/", "attachment" },
    { "name. . .", "name" },
    { "in\xe2\x80\xae" "fdp.exe", "infdp.exe" },
    { "tab\tname\n.txt", "tab name .txt" },
    { "Gr\xc3\xbc\xc3\x9f" "e.pdf", "Gr\xc3\xbc\xc3\x9f" "e.pdf" },
  };
  g_autofree char *long_name = NULL;
  g_autofree char *cut = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = mail_mime_sanitize_filename (cases[i].in, "attachment");

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  /* 300 two-byte characters: cut to at most 255 bytes, still valid UTF-8. */
  long_name = g_strnfill (600, 'x');
  for (guint i = 0; i < 600; i += 2)
    {
      long_name[i] = '\xc3';
      long_name[i + 1] = '\xa4';
    }
  cut = mail_mime_sanitize_filename (long_name, NULL);
  g_assert_cmpuint (strlen (cut), <=, 255);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
}

static void
test_markup_escape (void)
{
  g_autofree char *escaped = mail_mime_markup_escape ("<b>bold</b> & \xe2\x80\xae" "x");

  g_assert_cmpstr (escaped, ==, "&lt;b&gt;bold&lt;/b&gt; &amp; x");
}

static void
test_bidi_display_name (void)
{
  g_autoptr(GMimeMessage) message = load_message ("bidi-display-name.eml");
  g_autoptr(GPtrArray) from = mail_display_addresses_from_list (g_mime_message_get_from (message));
  g_autofree char *subject = mail_message_dup_display_subject (message);
  MailDisplayAddress *address;

  g_assert_cmpuint (from->len, ==, 1);
  address = g_ptr_array_index (from, 0);
  g_assert_cmpstr (address->address, ==, "evil@attacker.example");
  g_assert_cmpstr (address->name, ==, "moc.knab@troppus Bank");
  g_assert_true (address->flags & MAIL_DISPLAY_ADDRESS_HAD_CONTROLS);
  g_assert_true (address->flags & MAIL_DISPLAY_ADDRESS_NAME_LOOKS_LIKE_ADDRESS);
  g_assert_false (has_forbidden_chars (address->name));

  g_assert_cmpstr (subject, ==, "Invoice fdp.exe txt.exe");
}

static void
test_spoofed_display_name (void)
{
  g_autoptr(GMimeMessage) message = load_message ("spoofed-display-name.eml");
  g_autoptr(GPtrArray) from = mail_display_addresses_from_list (g_mime_message_get_from (message));
  g_autoptr(GPtrArray) reply_to = NULL;
  g_autoptr(GPtrArray) to = NULL;
  MailDisplayAddress *address;
  g_autofree char *formatted = NULL;

  address = g_ptr_array_index (from, 0);
  g_assert_cmpstr (address->name, ==, "support@bank.com");
  g_assert_cmpstr (address->address, ==, "evil@attacker.example");
  g_assert_cmpint (address->flags, ==, MAIL_DISPLAY_ADDRESS_NAME_LOOKS_LIKE_ADDRESS);
  formatted = mail_display_address_format (address);
  g_assert_cmpstr (formatted, ==, "support@bank.com <evil@attacker.example>");

  /* Full-width commercial at (U+FF20) in the name counts too. */
  reply_to = mail_display_addresses_from_list (g_mime_message_get_reply_to (message));
  address = g_ptr_array_index (reply_to, 0);
  g_assert_true (address->flags & MAIL_DISPLAY_ADDRESS_NAME_LOOKS_LIKE_ADDRESS);

  /* A name that is the address itself is not a spoof. */
  to = mail_display_addresses_from_list (g_mime_message_get_to (message));
  address = g_ptr_array_index (to, 0);
  g_assert_cmpint (address->flags, ==, MAIL_DISPLAY_ADDRESS_NONE);
}

static void
test_nul_in_headers (void)
{
  g_autoptr(GMimeMessage) message = load_message ("nul-in-headers.eml");
  g_autoptr(GPtrArray) from = mail_display_addresses_from_list (g_mime_message_get_from (message));
  g_autofree char *subject = mail_message_dup_display_subject (message);
  MailDisplayAddress *address;

  g_assert_false (has_forbidden_chars (subject));
  g_assert_true (g_str_has_prefix (subject, "Hello"));
  g_assert_null (strchr (subject, '\007'));

  g_assert_cmpuint (from->len, ==, 1);
  address = g_ptr_array_index (from, 0);
  g_assert_cmpstr (address->address, ==, "evil@attacker.example");
  g_assert_nonnull (address->name);
  g_assert_false (has_forbidden_chars (address->name));
  g_assert_true (address->flags & MAIL_DISPLAY_ADDRESS_NAME_LOOKS_LIKE_ADDRESS);
}

static void
test_malformed_encoded_words (void)
{
  g_autoptr(GMimeMessage) message = load_message ("malformed-encoded-words.eml");
  g_autofree char *subject = mail_message_dup_display_subject (message);
  g_autofree char *decoded = NULL;
  g_autoptr(GPtrArray) from = mail_display_addresses_from_list (g_mime_message_get_from (message));
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *text = NULL;

  g_assert_false (has_forbidden_chars (subject));
  g_assert_true (g_str_has_prefix (subject, "Hello World"));
  g_assert_nonnull (strstr (subject, "evil"));
  g_assert_null (strstr (subject, "\xe2\x80\xae"));

  g_assert_cmpuint (from->len, ==, 1);
  g_assert_cmpstr (((MailDisplayAddress *) g_ptr_array_index (from, 0))->address, ==,
                   "a@example.org");

  decoded = mail_mime_decode_header ("=?UTF-8?Q?tab=09and=0Anewline?= =?bogus?=");
  g_assert_false (has_forbidden_chars (decoded));
  g_assert_true (g_str_has_prefix (decoded, "tab and newline"));

  g_assert_null (g_mime_message_get_date (message));

  /* An unknown charset still gives valid UTF-8 text. */
  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  g_assert_cmpuint (parts->len, ==, 1);
  text = mail_display_part_dup_text (g_ptr_array_index (parts, 0));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "Text in an unknown charset"));
}

static void
test_group_addresses (void)
{
  g_autoptr(InternetAddressList) list = NULL;
  g_autoptr(GPtrArray) addresses = NULL;

  list = internet_address_list_parse (NULL, "a@x.example, Team: b@x.example, C <c@x.example>;, "
                                            "d@x.example, nobody");
  addresses = mail_display_addresses_from_list (list);
  g_assert_cmpuint (addresses->len, ==, 5);
  g_assert_cmpstr (((MailDisplayAddress *) addresses->pdata[0])->address, ==, "a@x.example");
  g_assert_cmpstr (((MailDisplayAddress *) addresses->pdata[1])->address, ==, "b@x.example");
  g_assert_cmpstr (((MailDisplayAddress *) addresses->pdata[2])->name, ==, "C");
  g_assert_cmpstr (((MailDisplayAddress *) addresses->pdata[3])->address, ==, "d@x.example");
  g_assert_true (((MailDisplayAddress *) addresses->pdata[4])->flags &
                 MAIL_DISPLAY_ADDRESS_INVALID);
}

static void
test_traversal_filenames (void)
{
  g_autoptr(GMimeMessage) message = load_message ("traversal-filename.eml");
  g_autoptr(GPtrArray) parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  static const char * const expected[] = {
    "bashrc", "passwd", "attachment", "attachment", "evil.dll", "invoicefdp.exe",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = NULL;
  MailDisplayPart *part;

  g_assert_cmpuint (parts->len, ==, 1 + G_N_ELEMENTS (expected));
  part = g_ptr_array_index (parts, 0);
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_TEXT);
  g_assert_null (part->filename);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      part = g_ptr_array_index (parts, i + 1);
      g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
      g_assert_cmpstr (part->filename, ==, expected[i]);
      g_assert_null (strchr (part->filename, '/'));
      g_assert_null (strchr (part->filename, '\\'));
    }

  part = g_ptr_array_index (parts, 1);
  content = mail_display_part_dup_content (part, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content),
                   "rm -rf ~\n", 9);
  g_assert_cmpstr (part->content_type, ==, "application/octet-stream");
}

static void
test_alternative_related (void)
{
  g_autoptr(GMimeMessage) message = load_message ("alternative-related.eml");
  g_autoptr(GPtrArray) plain = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  g_autoptr(GPtrArray) html = mail_message_get_display_parts (message,
                                                              MAIL_DISPLAY_FLAGS_PREFER_HTML);
  const MailDisplayPart *logo;
  MailDisplayPart *part;
  g_autofree char *text = NULL;

  /* Plain preferred: plain, then the second text and HTML parts separately, then the PDF. */
  g_assert_cmpuint (plain->len, ==, 4);
  g_assert_cmpint (((MailDisplayPart *) plain->pdata[0])->kind, ==, MAIL_DISPLAY_PART_TEXT);
  text = mail_display_part_dup_text (plain->pdata[0]);
  g_assert_cmpstr (text, ==, "Plain version.\n");
  g_assert_cmpint (((MailDisplayPart *) plain->pdata[1])->kind, ==, MAIL_DISPLAY_PART_TEXT);
  g_assert_cmpint (((MailDisplayPart *) plain->pdata[2])->kind, ==, MAIL_DISPLAY_PART_HTML);
  part = plain->pdata[3];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
  g_assert_cmpstr (part->filename, ==, "report.pdf");
  g_assert_cmpstr (part->content_type, ==, "application/pdf");
  g_assert_cmpuint (part->size, >=, 300);
  g_assert_cmpuint (part->size, <=, 320);

  /* HTML preferred: the HTML root of multipart/related, its image as a resource. */
  g_assert_cmpuint (html->len, ==, 5);
  g_assert_cmpint (((MailDisplayPart *) html->pdata[0])->kind, ==, MAIL_DISPLAY_PART_HTML);
  part = html->pdata[1];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_RESOURCE);
  g_assert_cmpstr (part->content_id, ==, "logo@example.org");
  g_assert_cmpstr (part->content_type, ==, "image/png");

  logo = mail_display_parts_find_cid (html, "cid:logo@example.org");
  g_assert_true (logo == part);
  g_assert_true (mail_display_parts_find_cid (html, "<logo@example.org>") == part);
  g_assert_true (mail_display_parts_find_cid (html, "cid:logo%40example.org") == part);
  g_assert_null (mail_display_parts_find_cid (html, "cid:other@example.org"));
}

/* Writes a message whose body nests multipart/mixed n levels deep. */
static char *
make_deep_message (guint levels)
{
  GString *out = g_string_new ("From: a@example.org\r\nTo: b@example.org\r\nSubject: deep\r\n"
                               "MIME-Version: 1.0\r\n"
                               "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");

  for (guint i = 1; i < levels; i++)
    g_string_append_printf (out, "--b%u\r\nContent-Type: multipart/mixed; boundary=\"b%u\"\r\n\r\n",
                            i - 1, i);
  g_string_append_printf (out, "--b%u\r\nContent-Type: text/plain\r\n\r\ndeepest\r\n", levels - 1);
  for (guint i = levels; i > 0; i--)
    g_string_append_printf (out, "--b%u--\r\n", i - 1);

  return g_string_free (out, FALSE);
}

static void
test_deep_nesting (void)
{
  g_autofree char *raw = make_deep_message (10000);
  g_autoptr(GMimeMessage) message = parse_string (raw);
  g_autoptr(GPtrArray) parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  MailDisplayPart *part;

  /* Nothing but one "not shown" entry at the depth limit. */
  g_assert_cmpuint (parts->len, ==, 1);
  part = g_ptr_array_index (parts, 0);
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_UNPARSED);
  g_assert_cmpuint (part->depth, ==, MAIL_DISPLAY_MAX_DEPTH);
  g_assert_true (GMIME_IS_MULTIPART (part->object));
}

static void
test_shallow_nesting (void)
{
  g_autofree char *raw = make_deep_message (20);
  g_autoptr(GMimeMessage) message = parse_string (raw);
  g_autoptr(GPtrArray) parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  g_autofree char *text = NULL;

  g_assert_cmpuint (parts->len, ==, 1);
  g_assert_cmpint (((MailDisplayPart *) parts->pdata[0])->kind, ==, MAIL_DISPLAY_PART_TEXT);
  g_assert_cmpuint (((MailDisplayPart *) parts->pdata[0])->depth, ==, 20);
  text = mail_display_part_dup_text (parts->pdata[0]);
  g_assert_cmpstr (text, ==, "deepest");
}

static void
test_many_parts (void)
{
  GString *raw = g_string_new ("From: a@example.org\r\nSubject: many\r\nMIME-Version: 1.0\r\n"
                               "Content-Type: multipart/mixed; boundary=\"P\"\r\n\r\n");
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *text = NULL;
  MailDisplayPart *last;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (raw, "--P\r\nContent-Type: text/plain\r\n\r\npart %u\r\n", i);
  g_string_append (raw, "--P--\r\n");
  text = g_string_free (raw, FALSE);
  message = parse_string (text);

  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  /* The multipart counts as one visited part: 999 text parts, then one summary entry. */
  g_assert_cmpuint (parts->len, ==, MAIL_DISPLAY_MAX_PARTS);
  for (guint i = 0; i + 1 < parts->len; i++)
    g_assert_cmpint (((MailDisplayPart *) parts->pdata[i])->kind, ==, MAIL_DISPLAY_PART_TEXT);
  last = g_ptr_array_index (parts, parts->len - 1);
  g_assert_cmpint (last->kind, ==, MAIL_DISPLAY_PART_UNPARSED);
  g_assert_cmpuint (last->n_skipped, ==, 5000 - (MAIL_DISPLAY_MAX_PARTS - 1));
}

static void
test_embedded_message (void)
{
  g_autoptr(GMimeMessage) message = parse_string (
    "From: a@example.org\r\nSubject: outer\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"O\"\r\n\r\n"
    "--O\r\nContent-Type: text/plain\r\n\r\nouter text\r\n"
    "--O\r\nContent-Type: message/rfc822\r\n\r\n"
    "From: b@example.org\r\nSubject: inner\r\n\r\ninner text\r\n"
    "--O\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
    "From: c@example.org\r\nSubject: ../attached\r\n\r\nattached text\r\n"
    "--O\r\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\"; "
    "boundary=\"S\"\r\n\r\n"
    "--S\r\nContent-Type: text/plain\r\n\r\nsigned text\r\n"
    "--S\r\nContent-Type: application/pgp-signature\r\n\r\nsig\r\n--S--\r\n"
    "--O--\r\n");
  g_autoptr(GPtrArray) parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  MailDisplayPart *part;

  g_assert_cmpuint (parts->len, ==, 5);
  g_assert_cmpint (((MailDisplayPart *) parts->pdata[0])->kind, ==, MAIL_DISPLAY_PART_TEXT);
  part = parts->pdata[1];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_MESSAGE);
  g_assert_true (GMIME_IS_MESSAGE (part->object));
  g_assert_cmpint (((MailDisplayPart *) parts->pdata[2])->kind, ==, MAIL_DISPLAY_PART_TEXT);
  part = parts->pdata[3];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
  g_assert_cmpstr (part->filename, ==, "-attached.eml");
  part = parts->pdata[4];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_TEXT);
}

static void
test_parse_errors (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/message.eml");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) message = NULL;

  message = mail_message_parse_file (missing, &error);
  g_assert_null (message);
  g_assert_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_PARSE);
  g_clear_error (&error);

  /* GMime accepts nearly anything as a message; empty input must still not crash. */
  message = mail_message_parse_bytes (empty, &error);
  if (message == NULL)
    g_assert_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_PARSE);
}

static void
test_html_to_text (void)
{
  g_autoptr(GMimeMessage) message = load_message ("html-only.eml");
  g_autoptr(GPtrArray) parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  g_autofree char *odd = NULL;

  g_assert_cmpuint (parts->len, ==, 1);
  g_assert_cmpint (((MailDisplayPart *) parts->pdata[0])->kind, ==, MAIL_DISPLAY_PART_HTML);
  html = mail_display_part_dup_text (parts->pdata[0]);
  text = mail_mime_html_to_text (html, -1);
  g_assert_cmpstr (text, ==, "Hello & welcome,\n\ncaf\xc3\xa9 \xe2\x98\xba spaced out");

  odd = mail_mime_html_to_text ("<p>a</p><<b>>&#0;&#x110000;&bogus;<script>x<ul><li>one"
                                "<li>two</ul>\"", -1);
  g_assert_true (g_utf8_validate (odd, -1, NULL));
  g_assert_cmpstr (odd, ==, "a\n<> &#x110000;&bogus;");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/mime/display/sanitize-text", test_sanitize_text);
  g_test_add_func ("/engine/mime/display/sanitize-filename", test_sanitize_filename);
  g_test_add_func ("/engine/mime/display/markup-escape", test_markup_escape);
  g_test_add_func ("/engine/mime/display/bidi-display-name", test_bidi_display_name);
  g_test_add_func ("/engine/mime/display/spoofed-display-name", test_spoofed_display_name);
  g_test_add_func ("/engine/mime/display/nul-in-headers", test_nul_in_headers);
  g_test_add_func ("/engine/mime/display/malformed-encoded-words", test_malformed_encoded_words);
  g_test_add_func ("/engine/mime/display/group-addresses", test_group_addresses);
  g_test_add_func ("/engine/mime/display/traversal-filenames", test_traversal_filenames);
  g_test_add_func ("/engine/mime/display/alternative-related", test_alternative_related);
  g_test_add_func ("/engine/mime/display/deep-nesting", test_deep_nesting);
  g_test_add_func ("/engine/mime/display/shallow-nesting", test_shallow_nesting);
  g_test_add_func ("/engine/mime/display/many-parts", test_many_parts);
  g_test_add_func ("/engine/mime/display/embedded-message", test_embedded_message);
  g_test_add_func ("/engine/mime/display/parse-errors", test_parse_errors);
  g_test_add_func ("/engine/mime/display/html-to-text", test_html_to_text);

  return g_test_run ();
}
