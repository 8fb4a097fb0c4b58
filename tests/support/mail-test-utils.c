/* mail-test-utils.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-test-utils.h"

gboolean
mail_test_have_stack (void)
{
  if (g_getenv ("MAIL_STACK_DIR") != NULL)
    return TRUE;

  if (g_strcmp0 (g_getenv ("MAIL_TEST_REQUIRE_STACK"), "1") == 0)
    {
      g_test_fail_printf ("MAIL_TEST_REQUIRE_STACK=1 but no mail stack is running "
                          "(MAIL_STACK_DIR is unset)");
      return FALSE;
    }

  g_test_skip ("no local mail stack: run tests through `build-aux/dev test`");
  return FALSE;
}

const char *
mail_test_stack (const char *key)
{
  g_autofree char *name = g_strconcat ("MAIL_STACK_", key, NULL);
  const char *value = g_getenv (name);

  if (value == NULL)
    g_error ("%s is not set; is the mail stack running?", name);

  return value;
}

guint16
mail_test_stack_port (const char *key)
{
  guint64 port = 0;

  if (!g_ascii_string_to_unsigned (mail_test_stack (key), 10, 1, G_MAXUINT16, &port, NULL))
    g_error ("MAIL_STACK_%s is not a port number", key);

  return (guint16) port;
}

char *
mail_test_data_path (const char *relative)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  g_assert_nonnull (srcdir);
  return g_build_filename (srcdir, "data", relative, NULL);
}

GBytes *
mail_test_load_data (const char *relative)
{
  g_autofree char *path = mail_test_data_path (relative);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
mail_test_wait_for (gboolean *done,
                    guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  g_assert_false (timed_out);
}
