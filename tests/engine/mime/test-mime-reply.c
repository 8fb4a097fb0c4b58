/* test-mime-reply.c
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
#include "mail-message-reply.h"
#include "mail-test-utils.h"

static GMimeMessage *
load_message (const char *name)
{
  g_autofree char *relative = g_strconcat ("messages/", name, NULL);
  g_autoptr(GBytes) bytes = mail_test_load_data (relative);
  GMimeMessage *message = mail_message_parse_bytes (bytes, NULL);

  g_assert_nonnull (message);
  return message;
}

static GMimeMessage *
parse_string (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  GMimeMessage *message = mail_message_parse_bytes (bytes, NULL);

  g_assert_nonnull (message);
  return message;
}

static char *
addresses_of (InternetAddressList *list)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (int i = 0; i < internet_address_list_length (list); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      g_assert_true (INTERNET_ADDRESS_IS_MAILBOX (ia));
      g_string_append_printf (out, "%s%s", i > 0 ? "," : "",
                              internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_subjects (void)
{
  static const struct
  {
    const char *original;
    const char *reply;
    const char *forward;
  } cases[] = {
    { "Hello", "Re: Hello", "Fwd: Hello" },
    { "Re: Hello", "Re: Hello", "Fwd: Re: Hello" },
    { "Re: Re: Hello", "Re: Hello", "Fwd: Re: Re: Hello" },
    { "RE: Hello", "Re: Hello", "Fwd: RE: Hello" },
    { "re:Hello", "Re: Hello", "Fwd: re:Hello" },
    { "Aw: Hello", "Re: Hello", "Fwd: Aw: Hello" },
    { "AW: WG: Hello", "Re: Hello", "Fwd: AW: WG: Hello" },
    { "Fwd: Re: Hello", "Re: Hello", "Fwd: Re: Hello" },
    { "Fwd: Fwd: Hello", "Re: Hello", "Fwd: Hello" },
    { "FW: Hello", "Re: Hello", "Fwd: Hello" },
    { "Re[2]: Hello", "Re: Hello", "Fwd: Re[2]: Hello" },
    { "Re(3): Hello", "Re: Hello", "Fwd: Re(3): Hello" },
    { "Re^2: Hello", "Re: Hello", "Fwd: Re^2: Hello" },
    { "SV: Hello", "Re: Hello", "Fwd: SV: Hello" },
    { "Antw: Hello", "Re: Hello", "Fwd: Antw: Hello" },
    { "Re\xef\xbc\x9a Hello", "Re: Hello", "Fwd: Re\xef\xbc\x9a Hello" },
    { "  Re:   Hello", "Re: Hello", "Fwd: Re: Hello" },
    { "[list] Re: Hello", "Re: [list] Re: Hello", "Fwd: [list] Re: Hello" },
    { "Regarding: the plan", "Re: Regarding: the plan", "Fwd: Regarding: the plan" },
    { "Re: ", "Re: ", "Fwd: Re:" },
    { "Re:", "Re: ", "Fwd: Re:" },
    { "", "Re: ", "Fwd: " },
    { NULL, "Re: ", "Fwd: " },
    { "Fwd:", "Re: ", "Fwd: " },
    { "Reply\nwith\tbreaks", "Re: Reply with breaks", "Fwd: Reply with breaks" },
    { "Re: \xe2\x80\xae" "evil", "Re: evil", "Fwd: Re: evil" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reply = mail_message_reply_subject (cases[i].original);
      g_autofree char *forward = mail_message_forward_subject (cases[i].original);

      g_test_message ("%s", cases[i].original != NULL ? cases[i].original : "(null)");
      g_assert_cmpstr (reply, ==, cases[i].reply);
      g_assert_cmpstr (forward, ==, cases[i].forward);
    }
}

static void
test_reply_sender (void)
{
  g_autoptr(GMimeMessage) original = load_message ("reply-source.eml");
  g_autoptr(MailMessageBuilder) reply = NULL;
  g_autofree char *to = NULL;
  const char * const aliases[] = { "me.alias@example.com", NULL };

  reply = mail_message_builder_new_reply (original, MAIL_REPLY_MODE_SENDER, "Me",
                                          "me@example.com", aliases);
  /* Reply-To wins over From. */
  to = addresses_of (mail_message_builder_get_recipients (reply, GMIME_ADDRESS_TYPE_TO));
  g_assert_cmpstr (to, ==, "carol.list@example.org");
  g_assert_cmpint (internet_address_list_length (
                     mail_message_builder_get_recipients (reply, GMIME_ADDRESS_TYPE_CC)), ==, 0);
  g_assert_cmpstr (mail_message_builder_get_subject (reply), ==, "Re: Gr\xc3\xbc\xc3\x9f" "e");
  g_assert_cmpstr (mail_message_builder_get_in_reply_to (reply), ==, "orig@example.org");
  g_assert_cmpstr (mail_message_builder_get_from_address (reply), ==, "me@example.com");
}

static void
test_reply_all (void)
{
  g_autoptr(GMimeMessage) original = load_message ("reply-source.eml");
  g_autoptr(MailMessageBuilder) reply = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_auto(GStrv) envelope = NULL;
  const char * const aliases[] = { "me.alias@example.com", NULL };

  reply = mail_message_builder_new_reply (original, MAIL_REPLY_MODE_ALL, "Me",
                                          "ME@example.COM", aliases);
  to = addresses_of (mail_message_builder_get_recipients (reply, GMIME_ADDRESS_TYPE_TO));
  cc = addresses_of (mail_message_builder_get_recipients (reply, GMIME_ADDRESS_TYPE_CC));
  g_assert_cmpstr (to, ==, "carol.list@example.org");
  /* Ours (any case, aliases too) left out; dave and erin once; group members flattened. */
  g_assert_cmpstr (cc, ==, "dave@example.net,erin@example.net,frank@example.net");

  envelope = mail_message_builder_get_envelope_recipients (reply);
  g_assert_cmpuint (g_strv_length (envelope), ==, 4);
}

static void
test_reply_to_own_message (void)
{
  g_autoptr(GMimeMessage) original = parse_string (
    "From: Me <me@example.com>\r\nTo: friend@example.org\r\nCc: other@example.org\r\n"
    "Subject: plan\r\nMessage-ID: <mine@example.com>\r\n\r\nbody\r\n");
  g_autoptr(MailMessageBuilder) reply = NULL;
  g_autoptr(MailMessageBuilder) reply_all = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;

  reply = mail_message_builder_new_reply (original, MAIL_REPLY_MODE_SENDER, NULL,
                                          "me@example.com", NULL);
  to = addresses_of (mail_message_builder_get_recipients (reply, GMIME_ADDRESS_TYPE_TO));
  g_assert_cmpstr (to, ==, "friend@example.org");

  reply_all = mail_message_builder_new_reply (original, MAIL_REPLY_MODE_ALL, NULL,
                                              "me@example.com", NULL);
  g_clear_pointer (&to, g_free);
  to = addresses_of (mail_message_builder_get_recipients (reply_all, GMIME_ADDRESS_TYPE_TO));
  cc = addresses_of (mail_message_builder_get_recipients (reply_all, GMIME_ADDRESS_TYPE_CC));
  g_assert_cmpstr (to, ==, "friend@example.org");
  g_assert_cmpstr (cc, ==, "other@example.org");
}

static void
test_references (void)
{
  g_autoptr(GMimeMessage) original = load_message ("reply-source.eml");
  g_autoptr(GMimeMessage) short_chain = parse_string (
    "From: a@example.org\r\nSubject: x\r\nMessage-ID: <c@example.org>\r\n"
    "In-Reply-To: <b@example.org>\r\n\r\nbody\r\n");
  g_autoptr(GMimeMessage) no_id = parse_string ("From: a@example.org\r\nSubject: x\r\n\r\nb\r\n");
  g_auto(GStrv) refs = mail_message_reply_references (original);
  g_auto(GStrv) short_refs = mail_message_reply_references (short_chain);
  g_auto(GStrv) none = mail_message_reply_references (no_id);
  const char * const expected_short[] = { "b@example.org", "c@example.org", NULL };
  guint n = g_strv_length (refs);
  g_autofree char *last = NULL;

  /* 30 references + the Message-ID, trimmed: the root first, the newest last. */
  g_assert_cmpuint (n, ==, MAIL_REPLY_MAX_REFERENCES);
  g_assert_cmpstr (refs[0], ==, "ref0@example.org");
  g_assert_cmpstr (refs[n - 1], ==, "orig@example.org");
  g_assert_cmpstr (refs[n - 2], ==, "ref29@example.org");
  last = g_strdup_printf ("ref%u@example.org", 30 - (MAIL_REPLY_MAX_REFERENCES - 2));
  g_assert_cmpstr (refs[1], ==, last);

  g_assert_cmpstrv (short_refs, expected_short);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_quote (void)
{
  g_autoptr(GMimeMessage) original = load_message ("reply-source.eml");
  g_autoptr(GMimeMessage) html = load_message ("html-only.eml");
  g_autoptr(GMimeMessage) undated = parse_string ("From: Bob <bob@example.org>\r\nSubject: x\r\n"
                                                  "\r\nline one\r\n\r\nline two\r\n");
  g_autoptr(MailMessageBuilder) reply = NULL;
  g_autofree char *attribution = NULL;
  g_autofree char *quotable = NULL;
  g_autofree char *html_text = NULL;
  g_autofree char *undated_attribution = NULL;
  g_autoptr(MailMessageBuilder) undated_reply = NULL;

  attribution = mail_message_format_attribution (original);
  g_assert_true (g_str_has_prefix (attribution, "On "));
  g_assert_true (g_str_has_suffix (attribution, ", Carol Example wrote:"));
  g_assert_nonnull (strstr (attribution, "2026"));

  /* format=flowed unwrapped; the signature left out. */
  quotable = mail_message_dup_quotable_text (original);
  g_assert_cmpstr (quotable, ==, "Hello, this is a long paragraph that was soft wrapped by the "
                                 "sender's mail client.\n> An older quote\n\n");

  reply = mail_message_builder_new_reply (original, MAIL_REPLY_MODE_SENDER, NULL,
                                          "me@example.com", NULL);
  g_assert_true (g_str_has_prefix (mail_message_builder_get_text (reply), attribution));
  g_assert_true (g_str_has_suffix (mail_message_builder_get_text (reply),
                                   "wrote:\n> Hello, this is a long paragraph that was soft "
                                   "wrapped by the sender's mail client.\n>> An older quote\n"));

  html_text = mail_message_dup_quotable_text (html);
  g_assert_cmpstr (html_text, ==, "Hello & welcome,\n\ncaf\xc3\xa9 \xe2\x98\xba spaced out");

  undated_attribution = mail_message_format_attribution (undated);
  g_assert_cmpstr (undated_attribution, ==, "Bob wrote:");
  undated_reply = mail_message_builder_new_reply (undated, MAIL_REPLY_MODE_SENDER, NULL,
                                                  "me@example.com", NULL);
  g_assert_cmpstr (mail_message_builder_get_text (undated_reply), ==,
                   "Bob wrote:\n> line one\n>\n> line two\n");
}

static void
test_reply_roundtrip (void)
{
  g_autoptr(GMimeMessage) original = load_message ("reply-source.eml");
  g_autoptr(MailMessageBuilder) reply = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *references = NULL;
  const char *header;
  const char *end;

  reply = mail_message_builder_new_reply (original, MAIL_REPLY_MODE_ALL, "Me", "me@example.com",
                                          NULL);
  bytes = mail_message_builder_to_bytes (reply, &error);
  g_assert_no_error (error);
  raw = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (raw, "\r\nIn-Reply-To: <orig@example.org>\r\n"));
  header = strstr (raw, "\r\nReferences: <ref0@example.org>");
  g_assert_nonnull (header);
  end = strstr (header + 2, "\r\n");
  /* The header may be folded: find its end (a line not starting with white space). */
  while (end != NULL && (end[2] == ' ' || end[2] == '\t'))
    end = strstr (end + 2, "\r\n");
  g_assert_nonnull (end);
  references = g_strndup (header, (gsize) (end - header));
  g_assert_true (g_str_has_suffix (references, "<ref29@example.org> <orig@example.org>"));
  g_assert_null (strstr (references, "<ref1@example.org>"));
  g_assert_nonnull (strstr (raw, "\r\n> Hello, this is a long paragraph"));
}

static void
test_forward_inline (void)
{
  g_autoptr(GMimeMessage) original = load_message ("alternative-related.eml");
  g_autoptr(MailMessageBuilder) forward = NULL;
  const char *text;

  forward = mail_message_builder_new_forward (original, MAIL_FORWARD_MODE_INLINE, "Me",
                                              "me@example.com");
  g_assert_cmpstr (mail_message_builder_get_subject (forward), ==, "Fwd: Newsletter");
  g_assert_cmpint (internet_address_list_length (
                     mail_message_builder_get_recipients (forward, GMIME_ADDRESS_TYPE_TO)), ==, 0);
  text = mail_message_builder_get_text (forward);
  g_assert_nonnull (strstr (text, "---------- Forwarded message ---------\n"
                                  "From: Alice <alice@example.org>\nDate: "));
  g_assert_nonnull (strstr (text, "\nSubject: Newsletter\nTo: Bob <bob@example.net>\n\n"
                                  "Plain version.\n"));
  /* The PDF goes along. */
  g_assert_cmpuint (mail_message_builder_get_n_attachments (forward), ==, 1);
  g_assert_null (mail_message_builder_get_in_reply_to (forward));
}

static void
test_forward_attachment (void)
{
  g_autoptr(GMimeMessage) original = load_message ("reply-source.eml");
  g_autoptr(MailMessageBuilder) forward = NULL;
  g_autoptr(GMimeMessage) built = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  MailDisplayPart *part;

  forward = mail_message_builder_new_forward (original, MAIL_FORWARD_MODE_ATTACHMENT, "Me",
                                              "me@example.com");
  g_assert_cmpstr (mail_message_builder_get_subject (forward), ==,
                   "Fwd: Aw: Re: Gr\xc3\xbc\xc3\x9f" "e");
  g_assert_true (mail_message_builder_set_recipients_text (forward, GMIME_ADDRESS_TYPE_TO,
                                                           "x@example.net", &error));
  built = mail_message_builder_build (forward, &error);
  g_assert_no_error (error);
  parts = mail_message_get_display_parts (built, MAIL_DISPLAY_FLAGS_NONE);
  g_assert_cmpuint (parts->len, ==, 2);
  part = parts->pdata[1];
  g_assert_cmpint (part->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
  g_assert_cmpstr (part->content_type, ==, "message/rfc822");
  g_assert_true (GMIME_IS_MESSAGE_PART (part->object));
  g_assert_true (g_mime_message_part_get_message (GMIME_MESSAGE_PART (part->object)) == original);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/mime/reply/subjects", test_subjects);
  g_test_add_func ("/engine/mime/reply/sender", test_reply_sender);
  g_test_add_func ("/engine/mime/reply/all", test_reply_all);
  g_test_add_func ("/engine/mime/reply/own-message", test_reply_to_own_message);
  g_test_add_func ("/engine/mime/reply/references", test_references);
  g_test_add_func ("/engine/mime/reply/quote", test_quote);
  g_test_add_func ("/engine/mime/reply/roundtrip", test_reply_roundtrip);
  g_test_add_func ("/engine/mime/forward/inline", test_forward_inline);
  g_test_add_func ("/engine/mime/forward/attachment", test_forward_attachment);

  return g_test_run ();
}
