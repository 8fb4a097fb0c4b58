/* test-mime-large.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mail-engine.h"
#include "mail-gmime-autocleanups.h"
#include "mail-message-builder.h"
#include "mail-message-display.h"

/* A 20 MiB attachment goes through the whole chain: built and streamed to a file, parsed from
 * the file and from memory, its decoded bytes streamed out and compared. Memory is measured
 * (VmRSS) around each step: parsing must not load the attachment. */

#define ATTACHMENT_SIZE (20 * 1024 * 1024)
#define CHUNK (64 * 1024)

static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static char *
checksum_file (GFile *file)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFileInputStream) input = NULL;
  g_autofree guint8 *buffer = g_malloc (CHUNK);
  gssize n;

  input = g_file_read (file, NULL, NULL);
  g_assert_nonnull (input);
  while ((n = g_input_stream_read (G_INPUT_STREAM (input), buffer, CHUNK, NULL, NULL)) > 0)
    g_checksum_update (checksum, buffer, (gsize) n);
  g_assert_cmpint (n, ==, 0);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
test_large_attachment (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GFile) data_file = NULL;
  g_autoptr(GFile) message_file = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(GFileOutputStream) output = NULL;
  g_autoptr(MailMessageBuilder) builder = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeMessage) from_memory = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) memory_parts = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autofree guint8 *chunk = g_malloc (CHUNK);
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GRand *rand = g_rand_new_with_seed (42);
  MailDisplayPart *attachment;
  gint64 t0, t_write, t_parse, t_walk, t_decode, t_memory;
  gint64 rss_before, rss_parsed, rss_decoded, rss_loaded, rss_memory_parsed;
  goffset message_size;

  dir = g_dir_make_tmp ("mail-test-large-XXXXXX", &error);
  g_assert_no_error (error);
  data_file = g_file_new_build_filename (dir, "big.bin", NULL);
  message_file = g_file_new_build_filename (dir, "big.eml", NULL);
  out_file = g_file_new_build_filename (dir, "out.bin", NULL);

  /* The attachment: 20 MiB of pseudo-random bytes, written in chunks. */
  output = g_file_replace (data_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  for (guint written = 0; written < ATTACHMENT_SIZE; written += CHUNK)
    {
      for (guint i = 0; i < CHUNK; i += 4)
        {
          guint32 value = g_rand_int (rand);

          memcpy (chunk + i, &value, 4);
        }
      g_checksum_update (checksum, chunk, CHUNK);
      g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (output), chunk, CHUNK, NULL,
                                                NULL, &error));
    }
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (output), NULL, &error));
  g_clear_object (&output);
  g_rand_free (rand);
  expected = g_strdup (g_checksum_get_string (checksum));

  /* Build and stream the message into a file. */
  t0 = g_get_monotonic_time ();
  builder = mail_message_builder_new ();
  mail_message_builder_set_from (builder, "Me", "me@example.com");
  g_assert_true (mail_message_builder_set_recipients_text (builder, GMIME_ADDRESS_TYPE_TO,
                                                           "you@example.org", &error));
  mail_message_builder_set_subject (builder, "Big");
  mail_message_builder_set_text (builder, "A large attachment.");
  g_assert_true (mail_message_builder_add_attachment_file (builder, data_file,
                                                           "application/octet-stream", FALSE,
                                                           NULL, &error));
  output = g_file_replace (message_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mail_message_builder_write_to_output_stream (builder, G_OUTPUT_STREAM (output),
                                                              NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (output), NULL, &error));
  g_clear_object (&output);
  g_clear_object (&builder);
  t_write = g_get_monotonic_time () - t0;

  /* Parse from the file. */
  rss_before = rss_kib ();
  t0 = g_get_monotonic_time ();
  message = mail_message_parse_file (message_file, &error);
  g_assert_no_error (error);
  t_parse = g_get_monotonic_time () - t0;
  rss_parsed = rss_kib ();

  t0 = g_get_monotonic_time ();
  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_NONE);
  t_walk = g_get_monotonic_time () - t0;
  g_assert_cmpuint (parts->len, ==, 2);
  attachment = g_ptr_array_index (parts, 1);
  g_assert_cmpint (attachment->kind, ==, MAIL_DISPLAY_PART_ATTACHMENT);
  g_assert_cmpstr (attachment->filename, ==, "big.bin");
  /* Estimated from the base64 length with its line breaks: within 2 %. */
  g_assert_cmpuint (attachment->size, >=, ATTACHMENT_SIZE / 100 * 98);
  g_assert_cmpuint (attachment->size, <=, ATTACHMENT_SIZE / 50 * 51);

  /* Stream the decoded attachment out and compare. */
  t0 = g_get_monotonic_time ();
  output = g_file_replace (out_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mail_display_part_write_content (attachment, G_OUTPUT_STREAM (output), NULL,
                                                  &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (output), NULL, &error));
  g_clear_object (&output);
  t_decode = g_get_monotonic_time () - t0;
  rss_decoded = rss_kib ();
  actual = checksum_file (out_file);
  g_assert_cmpstr (actual, ==, expected);

  /* The same from memory: the message must not be copied a second time. */
  raw = g_file_load_bytes (message_file, NULL, NULL, &error);
  g_assert_no_error (error);
  message_size = (goffset) g_bytes_get_size (raw);
  rss_loaded = rss_kib ();
  t0 = g_get_monotonic_time ();
  from_memory = mail_message_parse_bytes (raw, &error);
  g_assert_no_error (error);
  memory_parts = mail_message_get_display_parts (from_memory, MAIL_DISPLAY_FLAGS_NONE);
  t_memory = g_get_monotonic_time () - t0;
  rss_memory_parsed = rss_kib ();
  g_assert_cmpuint (memory_parts->len, ==, 2);

  g_test_message ("message %" G_GOFFSET_FORMAT " bytes; build+write %.0f ms; parse (file) %.0f ms, "
                  "RSS +%" G_GINT64_FORMAT " KiB; walk %.1f ms; decode to file %.0f ms, RSS +%"
                  G_GINT64_FORMAT " KiB; parse+walk (memory) %.0f ms, RSS +%" G_GINT64_FORMAT
                  " KiB over the loaded bytes",
                  message_size, t_write / 1000.0, t_parse / 1000.0, rss_parsed - rss_before,
                  t_walk / 1000.0, t_decode / 1000.0, rss_decoded - rss_before,
                  t_memory / 1000.0, rss_memory_parsed - rss_loaded);

  /* Parsing references the data instead of loading or copying it: a few MiB at most
   * (the parser's buffers; sanitizer builds add their own bookkeeping). The control
   * shows that the measurement does see a copy of the message. */
  if (rss_before > 0)
    {
      gint64 rss_control = rss_kib ();
      g_autofree char *copy = g_malloc (message_size);

      memcpy (copy, g_bytes_get_data (raw, NULL), message_size);
      g_assert_cmpint (rss_kib () - rss_control, >, 20 * 1024);

      g_assert_cmpint (rss_parsed - rss_before, <, 8 * 1024);
      g_assert_cmpint (rss_memory_parsed - rss_loaded, <, 8 * 1024);
    }

  g_file_delete (data_file, NULL, NULL);
  g_file_delete (message_file, NULL, NULL);
  g_file_delete (out_file, NULL, NULL);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/mime/large/attachment-20mib", test_large_attachment);

  return g_test_run ();
}
