/* test-imap-names.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-mailbox-name.h"
#include "mail-imap-sequence-set.h"

/* ------------------------------------------------------------------------------------------ */
/* Sequence sets                                                                                */

static char *
roundtrip (const char               *text,
           MailImapSequenceSetFlags  flags,
           gboolean                  normalize)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapSequenceSet) set = mail_imap_sequence_set_parse (text, -1, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (set);
  if (normalize)
    mail_imap_sequence_set_normalize (set);

  return mail_imap_sequence_set_to_string (set);
}

static void
test_sequence_set_parse (void)
{
  static const struct
  {
    const char *in;
    const char *out;
    const char *normalized;
  } ok[] = {
    { "1", "1", "1" },
    { "1:*", "1:*", "1:*" },
    { "*", "*", "*" },
    { "*:4", "4:*", "4:*" },
    { "3,5:7", "3,5:7", "3,5:7" },
    { "7:5", "5:7", "5:7" },
    { "5:7,1,2,3,6:9", "5:7,1,2,3,6:9", "1:3,5:9" },
    { "4294967295", "4294967295", "4294967295" },
    { "1:4294967295,*", "1:4294967295,*", "1:*" },
    { "10,9,8", "10,9,8", "8:10" },
  };
  static const char *const bad[] = {
    "", ",", "1,", "1,,2", ",1", "0", "0:5", "5:0", "4294967296", "99999999999999999999",
    "1:", ":1", "1::2", "1:2:3", " 1", "1 ", "a", "1a", "-1", "+1", "1:*,", "**", "1.5",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autofree char *as_is = roundtrip (ok[i].in, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, FALSE);
      g_autofree char *norm = roundtrip (ok[i].in, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, TRUE);

      g_assert_cmpstr (as_is, ==, ok[i].out);
      g_assert_cmpstr (norm, ==, ok[i].normalized);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MailImapSequenceSet) set =
        mail_imap_sequence_set_parse (bad[i], -1, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, &error);

      if (set != NULL)
        g_error ("accepted “%s”", bad[i]);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET);
      g_clear_error (&error);
    }

  /* `*` is only accepted where the caller allows it. */
  g_assert_null (mail_imap_sequence_set_parse ("1:*", -1, MAIL_IMAP_SEQUENCE_SET_NONE, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET);
  g_clear_error (&error);

  /* Length-limited input: a trailing comma just beyond the length is not read (CVE-2021-32055
   * was an out-of-bounds read after a trailing comma). */
  {
    g_autoptr(MailImapSequenceSet) set = mail_imap_sequence_set_parse ("1,2,", 3,
                                                                       MAIL_IMAP_SEQUENCE_SET_NONE,
                                                                       &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = mail_imap_sequence_set_to_string (set);
    g_assert_cmpstr (text, ==, "1,2");
  }
}

static void
test_sequence_set_queries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapSequenceSet) set = mail_imap_sequence_set_parse ("2:4,10",
                                                                     -1,
                                                                     MAIL_IMAP_SEQUENCE_SET_NONE,
                                                                     &error);
  g_autoptr(MailImapSequenceSet) star =
    mail_imap_sequence_set_parse ("5:*", -1, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, &error);
  g_autoptr(MailImapSequenceSet) huge = mail_imap_sequence_set_parse ("1:4294967295", -1,
                                                                      MAIL_IMAP_SEQUENCE_SET_NONE,
                                                                      &error);
  g_autoptr(GArray) numbers = NULL;
  g_autoptr(MailImapSequenceSet) built = mail_imap_sequence_set_new ();
  g_autofree char *built_text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_sequence_set_count (set), ==, 4);
  g_assert_true (mail_imap_sequence_set_contains (set, 3));
  g_assert_false (mail_imap_sequence_set_contains (set, 5));
  g_assert_false (mail_imap_sequence_set_has_star (set));
  g_assert_cmpuint (mail_imap_sequence_set_get_n_ranges (set), ==, 2);
  g_assert_cmpuint (mail_imap_sequence_set_get_range (set, 1)->first, ==, 10);
  g_assert_null (mail_imap_sequence_set_get_range (set, 2));

  numbers = mail_imap_sequence_set_expand (set, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (numbers->len, ==, 4);
  g_assert_cmpuint (g_array_index (numbers, guint32, 3), ==, 10);

  g_assert_true (mail_imap_sequence_set_has_star (star));
  g_assert_true (mail_imap_sequence_set_contains (star, G_MAXUINT32));
  g_assert_null (mail_imap_sequence_set_expand (star, 10, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_SEQUENCE_SET);
  g_clear_error (&error);

  /* Expanding a server-supplied 1:4294967295 must not try to allocate 16 GiB. */
  g_assert_cmpuint (mail_imap_sequence_set_count (huge), ==, G_MAXUINT32);
  g_assert_null (mail_imap_sequence_set_expand (huge, 100000, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT);
  g_clear_error (&error);

  mail_imap_sequence_set_add_range (built, 9, 7);
  mail_imap_sequence_set_add_range (built, 1, MAIL_IMAP_SEQ_STAR);
  built_text = mail_imap_sequence_set_to_string (built);
  g_assert_cmpstr (built_text, ==, "7:9,1:*");
}

static void
test_uid_compress (void)
{
  static const guint32 a[] = { 1, 2, 3, 5, 7, 8 };
  static const guint32 b[] = { 8, 7, 3, 2, 1, 5, 5, 0, 3 };
  static const guint32 c[] = { 4294967295u, 4294967294u, 1 };
  static const guint32 d[] = { 0, 0 };
  g_autofree char *sa = mail_imap_uid_set_compress (a, G_N_ELEMENTS (a));
  g_autofree char *sb = mail_imap_uid_set_compress (b, G_N_ELEMENTS (b));
  g_autofree char *sc = mail_imap_uid_set_compress (c, G_N_ELEMENTS (c));
  g_autofree char *sd = mail_imap_uid_set_compress (d, G_N_ELEMENTS (d));
  g_autofree char *se = mail_imap_uid_set_compress (a, 1);
  g_autofree guint32 *many = g_new (guint32, 100000);
  g_autofree char *sm = NULL;

  g_assert_cmpstr (sa, ==, "1:3,5,7:8");
  g_assert_cmpstr (sb, ==, "1:3,5,7:8");
  g_assert_cmpstr (sc, ==, "1,4294967294:4294967295");
  g_assert_null (sd);
  g_assert_cmpstr (se, ==, "1");
  g_assert_null (mail_imap_uid_set_compress (a, 0));

  for (guint i = 0; i < 100000; i++)
    many[i] = i % 2 == 0 ? i + 1 : 200000 + i;
  sm = mail_imap_uid_set_compress (many, 100000);
  g_assert_true (g_str_has_prefix (sm, "1,3,5,"));
}

/* ------------------------------------------------------------------------------------------ */
/* Mailbox names                                                                                */

static void
test_mutf7_decode (void)
{
  static const struct
  {
    const char *wire;
    const char *utf8;
  } ok[] = {
    { "INBOX", "INBOX" },
    { "", "" },
    { "&-", "&" },
    { "a&-b&-", "a&b&" },
    /* RFC 3501 §5.1.3 */
    { "~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/"
                                         "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
    { "Entw&APw-rfe", "Entw\xc3\xbcrfe" },
    { "&AMQAxADE-", "\xc3\x84\xc3\x84\xc3\x84" },
    { "&2D3eAA-", "\xf0\x9f\x98\x80" },
    { "&Jjo-!", "\xe2\x98\xba!" },
    { "&AAE-", "\x01" },
  };
  static const char *const bad[] = {
    "&",                /* unterminated */
    "a&Jjo",            /* unterminated */
    "&Jjo-&Jjo-",       /* adjacent shifts: not the shortest form */
    "&AGE-",            /* encodes 'a', which must be direct */
    "&ACY-",            /* encodes '&' */
    "&#-",              /* not base64 */
    "&Jj/-",            /* '/' instead of ',' */
    "&Jjp-",            /* non-zero padding bits */
    "&Jjo=-",           /* padding */
    "&AMQA-",           /* leftover bits (>= 6) */
    "&A-",              /* fewer than 16 bits */
    "&2D0-",            /* lone high surrogate */
    "&3gA-",            /* lone low surrogate */
    "&2D3YPQ-",         /* high surrogate followed by high surrogate */
    "&AAA-",            /* U+0000 */
    "caf\xc3\xa9",      /* raw 8-bit */
    "a\tb",             /* control character */
    "a\x7f",            /* DEL */
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autofree char *utf8 = mail_imap_mailbox_name_decode (ok[i].wire, -1, FALSE, &error);
      g_autofree char *wire = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (utf8, ==, ok[i].utf8);
      wire = mail_imap_mailbox_name_encode (utf8, FALSE);
      g_assert_cmpstr (wire, ==, ok[i].wire);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *utf8 = mail_imap_mailbox_name_decode (bad[i], -1, FALSE, &error);

      if (utf8 != NULL)
        g_error ("accepted “%s” as “%s”", bad[i], utf8);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_MAILBOX_NAME);
      g_clear_error (&error);
    }

  /* Embedded NUL through the length argument. */
  g_assert_null (mail_imap_mailbox_name_decode ("a\0b", 3, FALSE, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_MAILBOX_NAME);
}

static void
test_mutf7_encode (void)
{
  static const char *const names[] = {
    "Entw\xc3\xbcrfe", "\xe2\x80\xae" "evil", "a&b", "\xf0\x9f\x93\xa7 Mail/Archiv 2026",
    "\xd0\x92\xd1\x85\xd0\xbe\xd0\xb4\xd1\x8f\xd1\x89\xd0\xb8\xd0\xb5", "x\x01y",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *wire = mail_imap_mailbox_name_encode (names[i], FALSE);
      g_autofree char *back = mail_imap_mailbox_name_decode (wire, -1, FALSE, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, names[i]);
      for (const char *p = wire; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);
    }

  g_assert_null (mail_imap_mailbox_name_encode ("bad \xff utf8", FALSE));
}

static void
test_utf8_accept (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = mail_imap_mailbox_name_decode ("Entw\xc3\xbcrfe", -1, TRUE, &error);
  g_autofree char *amp = mail_imap_mailbox_name_decode ("&Jjo-", -1, TRUE, &error);
  g_autofree char *enc = mail_imap_mailbox_name_encode ("Entw\xc3\xbcrfe", TRUE);

  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "Entw\xc3\xbcrfe");
  /* No modified UTF-7 decoding under UTF8=ACCEPT (RFC 6855). */
  g_assert_cmpstr (amp, ==, "&Jjo-");
  g_assert_cmpstr (enc, ==, "Entw\xc3\xbcrfe");

  g_assert_null (mail_imap_mailbox_name_decode ("bad \xff", -1, TRUE, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_MAILBOX_NAME);
}

static void
test_name_check (void)
{
  static const struct
  {
    const char        *name;
    MailImapNameFlags  must;
  } cases[] = {
    { "INBOX", MAIL_IMAP_NAME_PLAIN },
    { "", MAIL_IMAP_NAME_EMPTY },
    { "..", MAIL_IMAP_NAME_PATH },
    { "a/../b", MAIL_IMAP_NAME_PATH },
    { ".", MAIL_IMAP_NAME_PATH },
    { "~root", MAIL_IMAP_NAME_PATH },
    { "a\\b", MAIL_IMAP_NAME_PATH },
    { "`rm -rf ~`", MAIL_IMAP_NAME_SHELL },
    { "$(id)", MAIL_IMAP_NAME_SHELL },
    { "a;b|c", MAIL_IMAP_NAME_SHELL },
    { "<b>bold</b>", MAIL_IMAP_NAME_MARKUP },
    { "Tom & Jerry", MAIL_IMAP_NAME_MARKUP },
    { "\xe2\x80\xae" "fdp.exe", MAIL_IMAP_NAME_BIDI },
    { "a\xe2\x81\xa6" "b", MAIL_IMAP_NAME_BIDI },
    { "a\x01" "b", MAIL_IMAP_NAME_CONTROL },
    { "a\xc2\x85" "b", MAIL_IMAP_NAME_CONTROL },
    { "a\xe2\x80\x8b" "b", MAIL_IMAP_NAME_INVISIBLE },
    { "bad \xff", MAIL_IMAP_NAME_CONTROL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MailImapNameFlags flags = mail_imap_mailbox_name_check (cases[i].name);

      if (cases[i].must == MAIL_IMAP_NAME_PLAIN)
        g_assert_cmpint (flags, ==, MAIL_IMAP_NAME_PLAIN);
      else
        g_assert_true ((flags & cases[i].must) == cases[i].must);
    }
}

static void
test_name_as_path_and_markup (void)
{
  static const char *const names[] = {
    "..", "../../etc/passwd", "/", "", "a/b", "INBOX", "inbox", "`x`", "\xe2\x80\xae" "x",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *other_account = mail_imap_mailbox_name_to_filename ("b", "INBOX");
  g_autofree char *markup = mail_imap_mailbox_name_to_markup ("<b>x</b> & \xe2\x80\xae" "y\x01");
  g_autofree char *display = mail_imap_mailbox_name_to_display ("a\xe2\x80\x8b" "b\n");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      char *file = mail_imap_mailbox_name_to_filename ("a", names[i]);

      g_assert_true (g_str_has_prefix (file, "mbox-"));
      g_assert_cmpuint (strlen (file), ==, 5 + 64);
      for (const char *p = file + 5; *p != '\0'; p++)
        g_assert_true (g_ascii_isxdigit (*p));
      g_assert_false (g_hash_table_contains (seen, file));
      g_hash_table_add (seen, file);
    }

  g_assert_false (g_hash_table_contains (seen, other_account));

  g_assert_cmpstr (markup, ==, "&lt;b&gt;x&lt;/b&gt; &amp; \xef\xbf\xbdy\xef\xbf\xbd");
  g_assert_cmpstr (display, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
}

static void
test_name_split (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) a = mail_imap_mailbox_name_split ("INBOX/Work/2026", '/', 64, &error);
  g_auto(GStrv) b = mail_imap_mailbox_name_split ("INBOX.Sent", '\0', 64, &error);
  g_auto(GStrv) c = mail_imap_mailbox_name_split ("Lists/", '/', 64, &error);
  g_auto(GStrv) d = mail_imap_mailbox_name_split ("", '/', 64, &error);
  g_auto(GStrv) e = mail_imap_mailbox_name_split ("..", '/', 64, &error);
  g_autoptr(GString) deep = g_string_new ("a");
  static const char *const bad[] = { "/a", "a//b", "//", "/" "/x" };

  g_assert_no_error (error);
  g_assert_cmpstrv (a, ((const char * const[]) { "INBOX", "Work", "2026", NULL }));
  g_assert_cmpstrv (b, ((const char * const[]) { "INBOX.Sent", NULL }));
  g_assert_cmpstrv (c, ((const char * const[]) { "Lists", NULL }));
  g_assert_cmpstrv (d, ((const char * const[]) { "", NULL }));
  g_assert_cmpstrv (e, ((const char * const[]) { "..", NULL }));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) parts = mail_imap_mailbox_name_split (bad[i], '/', 64, &error);

      g_assert_null (parts);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_MAILBOX_NAME);
      g_clear_error (&error);
    }

  /* A 10 000-level hierarchy is refused, not recursed into. */
  for (guint i = 0; i < 9999; i++)
    g_string_append (deep, "/a");
  {
    g_auto(GStrv) parts = mail_imap_mailbox_name_split (deep->str, '/', 64, &error);
    g_auto(GStrv) ok = NULL;

    g_assert_null (parts);
    g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT);
    g_clear_error (&error);
    ok = mail_imap_mailbox_name_split (deep->str, '/', 10000, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (ok), ==, 10000);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/imap/sequence-set/parse", test_sequence_set_parse);
  g_test_add_func ("/engine/imap/sequence-set/queries", test_sequence_set_queries);
  g_test_add_func ("/engine/imap/sequence-set/uid-compress", test_uid_compress);
  g_test_add_func ("/engine/imap/mailbox-name/mutf7-decode", test_mutf7_decode);
  g_test_add_func ("/engine/imap/mailbox-name/mutf7-encode", test_mutf7_encode);
  g_test_add_func ("/engine/imap/mailbox-name/utf8-accept", test_utf8_accept);
  g_test_add_func ("/engine/imap/mailbox-name/check", test_name_check);
  g_test_add_func ("/engine/imap/mailbox-name/path-and-markup", test_name_as_path_and_markup);
  g_test_add_func ("/engine/imap/mailbox-name/split", test_name_split);

  return g_test_run ();
}
