/* test-util.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-base64.h"
#include "mail-redact.h"

static void
test_escape (void)
{
  static const struct {
    const char *in;
    gsize len;
    gsize max;
    const char *out;
  } cases[] = {
    { "* OK ready", 10, 0, "* OK ready" },
    { "a\r\nb\tc", 6, 0, "a\\r\\nb\\tc" },
    { "\x1b[31mred", 8, 0, "\\x1B[31mred" },
    { "nul\0byte", 8, 0, "nul\\x00byte" },
    { "back\\slash", 10, 0, "back\\\\slash" },
    { "caf\xc3\xa9", 5, 0, "caf\xc3\xa9" },           /* valid UTF-8 kept */
    { "bad\xc3(", 5, 0, "bad\\xC3(" },                /* invalid UTF-8 escaped */
    { "\xff\xfe", 2, 0, "\\xFF\\xFE" },
    { "\xe2\x80\xae" "rtl", 6, 0, "\xe2\x80\xae" "rtl" },
    { "abcdefgh", 8, 4, "abcd… (8 bytes)" },
    { "ab\xc3\xa9", 4, 3, "ab\\xC3… (4 bytes)" },      /* cut inside a sequence */
    { "", 0, 0, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = mail_redact_escape (cases[i].in, cases[i].len, cases[i].max);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }

  {
    g_autofree char *out = mail_redact_escape (NULL, 0, 0);
    g_assert_cmpstr (out, ==, "");
  }
}

static void
test_base64_strict (void)
{
  static const struct {
    const char *in;
    const char *out;     /* NULL: invalid */
    gsize out_len;
  } cases[] = {
    { "", "", 0 },
    { "QQ==", "A", 1 },
    { "QUI=", "AB", 2 },
    { "QUJD", "ABC", 3 },
    { "AHRpbQB0aW0=", "\0tim\0tim", 8 },
    { "QUJ", NULL, 0 },
    { "QQ=Q", NULL, 0 },
    { "Q===", NULL, 0 },
    { "====", NULL, 0 },
    { "QU JD", NULL, 0 },
    { "QUJD\n", NULL, 0 },
    { "QUJ*", NULL, 0 },
    { "QUJD\x80\x80\x80\x80", NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = mail_base64_decode_strict (cases[i].in, strlen (cases[i].in));

      if (cases[i].out == NULL)
        g_assert_null (bytes);
      else
        {
          g_assert_nonnull (bytes);
          g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           cases[i].out, cases[i].out_len);
        }
    }

  g_assert_null (mail_base64_decode_strict (NULL, 0));
}

static void
test_wipe (void)
{
  char buffer[16] = "hunter2-secret!";
  g_autoptr(GByteArray) keep = NULL;

  mail_wipe (buffer, sizeof buffer);
  for (guint i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);

  mail_wipe (NULL, 10);
  mail_wipe_string_free (NULL);
  mail_wipe_string_free (g_strdup ("secret"));
  mail_wipe_bytes_free (NULL);

  /* With another reference alive, the contents are wiped but the array stays valid. */
  keep = g_byte_array_new ();
  g_byte_array_append (keep, (const guint8 *)"secret", 6);
  mail_wipe_bytes_free (g_byte_array_ref (keep));
  g_assert_cmpuint (keep->len, ==, 6);
  g_assert_cmpmem (keep->data, keep->len, "\0\0\0\0\0\0", 6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/util/redact/escape", test_escape);
  g_test_add_func ("/engine/util/base64/strict", test_base64_strict);
  g_test_add_func ("/engine/util/wipe", test_wipe);

  return g_test_run ();
}
