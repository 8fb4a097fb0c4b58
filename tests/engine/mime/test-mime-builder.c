/* test-mime-builder.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-gmime-autocleanups.h"
#include "mail-message-builder.h"
#include "mail-message-display.h"
#include "mail-mime-error.h"
#include "mail-mime-text.h"
#include "mail-test-utils.h"

static MailMessageBuilder *
new_builder (void)
{
  MailMessageBuilder *builder = mail_message_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 ("2026-03-02T10:30:00+01:00", NULL);

  mail_message_builder_set_from (builder, "J\xc3\xbcrgen M\xc3\xbcller", "juergen@example.com");
  g_assert_true (mail_message_builder_set_recipients_text (builder, GMIME_ADDRESS_TYPE_TO,
                                                           "Ann <ann@example.org>, bob@example.net",
                                                           &error));
  g_assert_no_error (error);
  mail_message_builder_set_date (builder, date);

  return builder;
}

static char *
to_string (MailMessageBuilder *builder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = mail_message_builder_to_bytes (builder, &error);
  gsize size;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  /* Text only in these tests: no NUL inside. */
  g_assert_null (memchr (data, '\0', size));

  return g_strndup (data, size);
}

static GMimeMessage *
reparse (const char *raw)
{
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr(GError) error = NULL;
  GMimeMessage *message = mail_message_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  return message;
}

/* Every line break is CRLF, no line is longer than 998 octets. */
static void
assert_crlf_only (const char *raw)
{
  gsize line = 0;

  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p == '\n')
        {
          g_assert_true (p > raw && p[-1] == '\r');
          line = 0;
        }
      else if (*p == '\r')
        g_assert_true (p[1] == '\n');
      else
        g_assert_cmpuint (++line, <=, 998);
    }
}

static char *
header_block (const char *raw)
{
  const char *end = strstr (raw, "\r\n\r\n");

  g_assert_nonnull (end);
  return g_strndup (raw, (gsize) (end - raw) + 2);
}

static void
test_headers (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(GPtrArray) from = NULL;
  const char * const references[] = { "<root@example.org>", "mid@example.org", NULL };
  GDateTime *date;

  g_assert_true (mail_message_builder_set_recipients_text (builder, GMIME_ADDRESS_TYPE_CC,
                                                           "carol@example.org", &error));
  g_assert_true (mail_message_builder_set_recipients_text (builder, GMIME_ADDRESS_TYPE_BCC,
                                                           "Secret <secret@hidden.example>",
                                                           &error));
  g_assert_no_error (error);
  mail_message_builder_set_subject (builder, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln\r\nBcc: x@y");
  mail_message_builder_set_text (builder, "Hello");
  mail_message_builder_set_in_reply_to (builder, "<mid@example.org>");
  mail_message_builder_set_references (builder, references);

  raw = to_string (builder);
  assert_crlf_only (raw);
  headers = header_block (raw);

  /* Non-ASCII name and subject are RFC 2047 encoded words, in UTF-8. */
  g_assert_nonnull (strstr (headers, "\r\nFrom: =?UTF-8?b?SsO8cmdlbiBNw7xsbGVy?= "
                                     "<juergen@example.com>\r\n"));
  g_assert_nonnull (strstr (headers, "\r\nSubject: =?UTF-8?"));
  for (const char *p = headers; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);

  g_assert_nonnull (strstr (headers, "\r\nTo: Ann <ann@example.org>, bob@example.net\r\n"));
  g_assert_nonnull (strstr (headers, "\r\nCc: carol@example.org\r\n"));
  g_assert_nonnull (strstr (headers, "\r\nMIME-Version: 1.0\r\n"));
  g_assert_nonnull (strstr (headers, "\r\nUser-Agent: example-mail/"));
  g_assert_nonnull (strstr (headers, "\r\nIn-Reply-To: <mid@example.org>\r\n"));
  g_assert_nonnull (strstr (headers, "\r\nReferences: <root@example.org> <mid@example.org>\r\n"));
  g_assert_nonnull (strstr (headers, "Date: Mon, 02 Mar 2026 10:30:00 +0100\r\n"));
  g_assert_nonnull (strstr (headers, "@example.com>\r\n"));
  g_assert_true (g_str_has_prefix (strstr (headers, "Message-Id: <"), "Message-Id: <"));

  /* Bcc never appears in the message, in any form. */
  g_assert_null (strstr (raw, "\r\nBcc:"));
  g_assert_null (strstr (raw, "\nBcc: x@y"));
  g_assert_null (strstr (raw, "secret@hidden.example"));
  g_assert_null (strstr (raw, "Secret"));

  message = reparse (raw);
  subject = mail_message_dup_display_subject (message);
  g_assert_cmpstr (subject, ==, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln Bcc: x@y");
  from = mail_display_addresses_from_list (g_mime_message_get_from (message));
  g_assert_cmpstr (((MailDisplayAddress *) from->pdata[0])->name, ==,
                   "J\xc3\xbcrgen M\xc3\xbcller");
  g_assert_cmpuint (internet_address_list_length (g_mime_message_get_bcc (message)), ==, 0);
  date = g_mime_message_get_date (message);
  g_assert_cmpint (g_date_time_to_unix (date), ==, 1772443800);
  g_assert_true (g_str_has_suffix (g_mime_message_get_message_id (message), "@example.com"));
}

static void
test_envelope_recipients (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envelope = NULL;
  static const char * const expected[] = {
    "ann@example.org", "bob@example.net", "carol@example.org", "t1@example.org",
    "secret@hidden.example", NULL,
  };

  g_assert_true (mail_message_builder_set_recipients_text (
                   builder, GMIME_ADDRESS_TYPE_CC,
                   "Carol <carol@example.org>, ANN@example.org, Team: t1@example.org, "
                   "Bob@Example.NET;", &error));
  g_assert_true (mail_message_builder_set_recipients_text (
                   builder, GMIME_ADDRESS_TYPE_BCC, "secret@hidden.example, ann@EXAMPLE.org",
                   &error));
  g_assert_no_error (error);

  envelope = mail_message_builder_get_envelope_recipients (builder);
  g_assert_cmpstrv (envelope, expected);
}

static void
test_invalid_addresses (void)
{
  static const struct
  {
    const char *text;
    const char *named;
  } cases[] = {
    { "foo, bar@example.org", "foo" },
    { "a@@b", "a@@b" },
    { "Ann <ann@example.org", "Ann <ann@example.org" },
    { "ok@example.org, @example.org", "@example.org" },
    { "user@", "user@" },
    { "<>", "<>" },
  };
  g_autoptr(MailMessageBuilder) builder = new_builder ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (mail_message_builder_set_recipients_text (builder, GMIME_ADDRESS_TYPE_TO,
                                                                cases[i].text, &error));
      g_assert_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_INVALID_ADDRESS);
      g_test_message ("%s -> %s", cases[i].text, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].named));
    }

  /* Failed calls left the earlier recipients alone; empty input clears. */
  g_assert_cmpint (internet_address_list_length (
                     mail_message_builder_get_recipients (builder, GMIME_ADDRESS_TYPE_TO)), ==, 2);
  g_assert_true (mail_message_builder_set_recipients_text (builder, GMIME_ADDRESS_TYPE_TO, "  ",
                                                           NULL));
  g_assert_cmpint (internet_address_list_length (
                     mail_message_builder_get_recipients (builder, GMIME_ADDRESS_TYPE_TO)), ==, 0);
}

static void
test_set_recipients_copies (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(InternetAddressList) list = internet_address_list_new ();
  g_autoptr(InternetAddress) empty = internet_address_mailbox_new ("Nobody", "");
  g_autoptr(InternetAddress) broken = internet_address_mailbox_new ("Broken", "no-at-sign");
  g_autoptr(InternetAddress) good = internet_address_mailbox_new ("Line\r\nBreak",
                                                                  "ok@example.org");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  InternetAddressList *to;

  internet_address_list_add (list, empty);
  internet_address_list_add (list, broken);
  internet_address_list_add (list, good);
  mail_message_builder_set_recipients (builder, GMIME_ADDRESS_TYPE_TO, list);

  /* Only the valid mailbox, as a new object with a one-line name. */
  to = mail_message_builder_get_recipients (builder, GMIME_ADDRESS_TYPE_TO);
  g_assert_cmpint (internet_address_list_length (to), ==, 1);
  g_assert_false (internet_address_list_get_address (to, 0) == good);
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (to, 0)), ==,
                   "Line Break");
  bytes = mail_message_builder_to_bytes (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
}

static void
test_sender_errors (void)
{
  g_autoptr(MailMessageBuilder) builder = mail_message_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) message = NULL;

  message = mail_message_builder_build (builder, &error);
  g_assert_null (message);
  g_assert_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_NO_SENDER);
  g_clear_error (&error);

  mail_message_builder_set_from (builder, "Me", "not an address");
  message = mail_message_builder_build (builder, &error);
  g_assert_null (message);
  g_assert_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_INVALID_ADDRESS);
}

static void
test_flowed_encode (void)
{
  g_autofree char *long_line = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *literal = NULL;
  g_autofree char *long_word = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) input = g_string_new (NULL);

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (input, "word%02u ", i);
  g_string_append (input, "end");
  long_line = g_strdup (input->str);

  g_string_append (input, "\nFrom the start\n>quoted line\n> > nested quote\n indented\n"
                          "trailing spaces   \n-- \nsignature\n");
  encoded = mail_mime_flowed_encode (input->str, MAIL_FLOWED_FLAGS_QUOTES);
  lines = g_strsplit (encoded, "\n", -1);

  /* The long line is soft-broken: every piece but the last ends with a space. */
  g_assert_cmpuint (strlen (lines[0]), <=, MAIL_FLOWED_WIDTH);
  g_assert_true (g_str_has_suffix (lines[0], " "));
  g_assert_true (g_str_has_suffix (lines[1], " "));
  g_assert_true (g_str_has_suffix (lines[3], "end"));
  g_assert_cmpuint (strlen (lines[1]), <=, MAIL_FLOWED_WIDTH);
  g_assert_cmpuint (strlen (lines[2]), <=, MAIL_FLOWED_WIDTH);
  g_assert_cmpstr (lines[4], ==, " From the start");
  g_assert_cmpstr (lines[5], ==, "> quoted line");
  g_assert_cmpstr (lines[6], ==, ">> nested quote");
  g_assert_cmpstr (lines[7], ==, "  indented");
  g_assert_cmpstr (lines[8], ==, "trailing spaces");
  g_assert_cmpstr (lines[9], ==, "-- ");
  g_assert_cmpstr (lines[10], ==, "signature");
  g_assert_cmpstr (lines[11], ==, "");
  g_assert_null (lines[12]);

  /* Decoding gives the paragraphs back. */
  decoded = mail_mime_flowed_decode (encoded, FALSE);
  g_assert_true (g_str_has_prefix (decoded, long_line));
  g_assert_nonnull (strstr (decoded, "\nFrom the start\n> quoted line\n>> nested quote\n"
                                     " indented\ntrailing spaces\n-- \nsignature\n"));

  /* Without quote markers, '>' is literal text and gets stuffed. */
  literal = mail_mime_flowed_encode (">not a quote\n", MAIL_FLOWED_FLAGS_NONE);
  g_assert_cmpstr (literal, ==, " >not a quote\n");

  /* A word longer than the line stays whole. */
  long_word = mail_mime_flowed_encode ("x https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa y",
                                       MAIL_FLOWED_FLAGS_NONE);
  g_assert_true (g_str_has_prefix (long_word, "x \nhttps://"));
  g_assert_true (g_str_has_suffix (long_word, "a \ny\n"));
}

static void
test_flowed_body_roundtrip (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *unflowed = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GMimeContentType *type;

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (body, "%sK\xc3\xb6ln%02u", i > 0 ? " " : "", i);
  g_string_append (body, "\nFrom here\n> quoted\n");
  mail_message_builder_set_text (builder, body->str);
  raw = to_string (builder);
  assert_crlf_only (raw);

  g_assert_nonnull (strstr (raw, "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"));
  g_assert_nonnull (strstr (raw, "Content-Transfer-Encoding: quoted-printable\r\n"));
  /* "From " at the start of a line never reaches the wire unstuffed. */
  g_assert_null (strstr (raw, "\r\nFrom here"));
  g_assert_nonnull (strstr (raw, "\r\n From here\r\n"));
  g_assert_nonnull (strstr (raw, "\r\n> quoted\r\n"));
  g_assert_nonnull (strstr (raw, "K=C3=B6ln00 "));

  message = reparse (raw);
  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  g_assert_cmpuint (parts->len, ==, 1);
  type = g_mime_object_get_content_type (((MailDisplayPart *) parts->pdata[0])->object);
  g_assert_cmpstr (g_mime_content_type_get_parameter (type, "format"), ==, "flowed");
  text = mail_display_part_dup_text (parts->pdata[0]);
  unflowed = mail_mime_flowed_decode (text, FALSE);
  g_assert_cmpstr (unflowed, ==, body->str);
}

static void
test_8bit (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autofree char *raw = NULL;
  g_autofree char *ascii = NULL;

  mail_message_builder_set_allow_8bit (builder, TRUE);
  mail_message_builder_set_text (builder, "Gr\xc3\xbc\xc3\x9f" "e");
  raw = to_string (builder);
  g_assert_nonnull (strstr (raw, "Content-Transfer-Encoding: 8bit\r\n"));
  g_assert_nonnull (strstr (raw, "\r\n\r\nGr\xc3\xbc\xc3\x9f" "e\r\n"));

  mail_message_builder_set_text (builder, "plain ascii");
  ascii = to_string (builder);
  g_assert_nonnull (strstr (ascii, "Content-Transfer-Encoding: 7bit\r\n"));
}

static void
test_attachments_roundtrip (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *raw = NULL;
  guint8 data[4096];
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
  MailDisplayPart *part;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7 + (i >> 8));
  binary = g_bytes_new (data, sizeof data);
  image = g_bytes_new_static (png, sizeof png);

  mail_message_builder_set_text (builder, "See attached.");
  mail_message_builder_set_html (builder, "<p>See <img src=\"cid:logo@example.com\"></p>");
  mail_message_builder_add_attachment_bytes (builder, binary, "Gr\xc3\xbc\xc3\x9f" "e.pdf",
                                             "application/pdf", FALSE, NULL);
  mail_message_builder_add_attachment_bytes (builder, image, "logo.png", NULL, TRUE,
                                             "logo@example.com");
  mail_message_builder_add_attachment_bytes (builder, binary, "../../.bashrc", NULL, FALSE, NULL);
  raw = to_string (builder);
  assert_crlf_only (raw);

  /* RFC 2231 file name, UTF-8, percent-encoded. */
  g_assert_nonnull (strstr (raw, "Content-Disposition: attachment; "
                                 "filename*=UTF-8''Gr%C3%BC%C3%9Fe.pdf\r\n"));
  g_assert_nonnull (strstr (raw, "Content-Type: multipart/mixed;"));
  g_assert_nonnull (strstr (raw, "Content-Type: multipart/alternative;"));
  g_assert_nonnull (strstr (raw, "Content-Type: multipart/related;"));
  g_assert_nonnull (strstr (raw, "Content-Id: <logo@example.com>\r\n"));
  g_assert_nonnull (strstr (raw, "Content-Disposition: inline; filename=logo.png\r\n"));
  g_assert_nonnull (strstr (raw, "filename=bashrc\r\n"));
  g_assert_null (strstr (raw, ".bashrc"));

  message = reparse (raw);
  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_PREFER_HTML);
  g_assert_cmpuint (parts->len, ==, 4);
  g_assert_cmpint (((MailDisplayPart *) parts->pdata[0])->kind, ==, MAIL_DISPLAY_PART_HTML);

  part = parts->pdata[1];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_RESOURCE);
  g_assert_cmpstr (part->content_type, ==, "image/png");
  {
    g_autoptr(GBytes) decoded = mail_display_part_dup_content (part, NULL);

    g_assert_true (g_bytes_equal (decoded, image));
  }

  part = parts->pdata[2];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
  g_assert_cmpstr (part->filename, ==, "Gr\xc3\xbc\xc3\x9f" "e.pdf");
  g_assert_cmpstr (part->content_type, ==, "application/pdf");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) decoded = mail_display_part_dup_content (part, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (decoded, binary));
  }
  part = parts->pdata[3];
  g_assert_cmpstr (part->filename, ==, "bashrc");
}

static void
test_file_attachment_and_output_stream (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autofree char *raw = NULL;
  static const char content[] = "col1,col2\n1,2\n";

  file = g_file_new_tmp ("mail-test-XXXXXX.csv", &io, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_replace_contents (file, content, strlen (content), NULL, FALSE,
                                          G_FILE_CREATE_NONE, NULL, NULL, &error));
  g_assert_no_error (error);

  missing = g_file_new_for_path ("/nonexistent/file.pdf");
  g_assert_false (mail_message_builder_add_attachment_file (builder, missing, NULL, FALSE, NULL,
                                                            &error));
  g_assert_error (error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_ATTACHMENT);
  g_clear_error (&error);

  g_assert_true (mail_message_builder_add_attachment_file (builder, file, NULL, FALSE, NULL,
                                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mail_message_builder_get_n_attachments (builder), ==, 1);

  memory = g_memory_output_stream_new_resizable ();
  g_assert_true (mail_message_builder_write_to_output_stream (builder, memory, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (memory, NULL, NULL));
  raw = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  assert_crlf_only (raw);

  message = reparse (raw);
  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  g_assert_cmpuint (parts->len, ==, 2);
  g_assert_cmpint (((MailDisplayPart *) parts->pdata[1])->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
  g_assert_true (g_str_has_suffix (((MailDisplayPart *) parts->pdata[1])->filename, ".csv"));
  decoded = mail_display_part_dup_content (parts->pdata[1], &error);
  g_assert_no_error (error);
  /* Text attachments travel with CRLF line breaks, as SMTP requires. */
  g_assert_cmpmem (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded),
                   "col1,col2\r\n1,2\r\n", 16);

  g_file_delete (file, NULL, NULL);
}

static void
test_write_error (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GBytes) big = NULL;
  g_autofree guint8 *zeros = g_malloc0 (64 * 1024);

  big = g_bytes_new_take (g_steal_pointer (&zeros), 64 * 1024);
  mail_message_builder_add_attachment_bytes (builder, big, "zeros.bin", NULL, FALSE, NULL);

  /* A fixed 1 KiB buffer: writing fails part-way and the GIO error comes back. */
  memory = g_memory_output_stream_new (g_malloc (1024), 1024, NULL, g_free);
  g_assert_false (mail_message_builder_write_to_output_stream (builder, memory, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

static void
test_forward_attachment_part (void)
{
  g_autoptr(MailMessageBuilder) inner_builder = new_builder ();
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(GMimeMessage) inner = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *raw = NULL;
  MailDisplayPart *part;

  mail_message_builder_set_subject (inner_builder, "Inner / subject");
  mail_message_builder_set_text (inner_builder, "inner body");
  inner = mail_message_builder_build (inner_builder, NULL);
  g_assert_nonnull (inner);

  mail_message_builder_add_message_attachment (builder, inner);
  raw = to_string (builder);
  g_assert_nonnull (strstr (raw, "Content-Type: message/rfc822\r\n"));

  message = reparse (raw);
  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  g_assert_cmpuint (parts->len, ==, 2);
  part = parts->pdata[1];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
  g_assert_cmpstr (part->filename, ==, "Inner - subject.eml");
}

typedef struct
{
  gboolean      done;
  gboolean      ok;
  GMimeMessage *message;
  GError       *error;
} AsyncState;

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = mail_message_builder_write_finish (MAIL_MESSAGE_BUILDER (source), result,
                                                 &state->error);
  state->done = TRUE;
}

static void
parse_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncState *state = user_data;

  state->message = mail_message_parse_finish (result, &state->error);
  state->done = TRUE;
}

static void
test_async (void)
{
  g_autoptr(MailMessageBuilder) builder = new_builder ();
  g_autoptr(MailMessageBuilder) no_sender = mail_message_builder_new ();
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) unused = g_memory_output_stream_new_resizable ();
  g_autoptr(GFile) missing = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *text = NULL;
  AsyncState state = { 0 };

  mail_message_builder_set_subject (builder, "async");
  mail_message_builder_set_text (builder, "Written in a thread.");
  mail_message_builder_write_async (builder, memory, NULL, write_cb, &state);
  /* Changing the builder afterwards does not change what is written. */
  mail_message_builder_set_text (builder, "changed");
  mail_test_wait_for (&state.done, 5000);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_true (g_output_stream_close (memory, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));

  memset (&state, 0, sizeof state);
  mail_message_parse_async (NULL, bytes, NULL, parse_cb, &state);
  mail_test_wait_for (&state.done, 5000);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.message);
  g_assert_cmpstr (g_mime_message_get_subject (state.message), ==, "async");
  parts = mail_message_get_display_parts (state.message, MAIL_DISPLAY_FLAGS_NONE);
  text = mail_display_part_dup_text (parts->pdata[0]);
  g_assert_cmpstr (text, ==, "Written in a thread.\n");
  g_clear_object (&state.message);

  memset (&state, 0, sizeof state);
  missing = g_file_new_for_path ("/nonexistent/message.eml");
  mail_message_parse_async (missing, NULL, NULL, parse_cb, &state);
  mail_test_wait_for (&state.done, 5000);
  g_assert_null (state.message);
  g_assert_error (state.error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_PARSE);
  g_clear_error (&state.error);

  memset (&state, 0, sizeof state);
  mail_message_builder_write_async (no_sender, unused, NULL, write_cb, &state);
  mail_test_wait_for (&state.done, 5000);
  g_assert_false (state.ok);
  g_assert_error (state.error, MAIL_MIME_ERROR, MAIL_MIME_ERROR_NO_SENDER);
  g_clear_error (&state.error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/mime/builder/headers", test_headers);
  g_test_add_func ("/engine/mime/builder/envelope-recipients", test_envelope_recipients);
  g_test_add_func ("/engine/mime/builder/invalid-addresses", test_invalid_addresses);
  g_test_add_func ("/engine/mime/builder/set-recipients-copies", test_set_recipients_copies);
  g_test_add_func ("/engine/mime/builder/sender-errors", test_sender_errors);
  g_test_add_func ("/engine/mime/builder/flowed-encode", test_flowed_encode);
  g_test_add_func ("/engine/mime/builder/flowed-body-roundtrip", test_flowed_body_roundtrip);
  g_test_add_func ("/engine/mime/builder/8bit", test_8bit);
  g_test_add_func ("/engine/mime/builder/attachments-roundtrip", test_attachments_roundtrip);
  g_test_add_func ("/engine/mime/builder/file-attachment-output-stream",
                   test_file_attachment_and_output_stream);
  g_test_add_func ("/engine/mime/builder/write-error", test_write_error);
  g_test_add_func ("/engine/mime/builder/forward-attachment-part", test_forward_attachment_part);
  g_test_add_func ("/engine/mime/builder/async", test_async);

  return g_test_run ();
}
