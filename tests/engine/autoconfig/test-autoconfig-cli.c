/* test-autoconfig-cli.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

/* Runs the real `example-mail-cli autoconfig` of the build tree. */

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run         *run,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *build_root = g_getenv ("MAIL_BUILD_ROOT");
  va_list ap;

  g_assert_nonnull (build_root);
  g_ptr_array_add (args, g_build_filename (build_root, "src", "cli", "example-mail-cli", NULL));
  g_ptr_array_add (args, g_strdup ("autoconfig"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

/* The entries are written one per line: find the line of entry @index of list @key. */
static char *
json_entry (const char *json,
            const char *key,
            guint       index)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\": [", key);
  const char *start = strstr (json, needle);
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (start);
  lines = g_strsplit (start, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (line[0] == ']')
        break;
      if (i - 1 == index)
        return g_strdup (line);
    }
  return NULL;
}

static void
assert_entry (const char *json,
              const char *key,
              guint       index,
              const char *expected)
{
  g_autofree char *entry = json_entry (json, key, index);

  g_assert_nonnull (entry);
  if (g_str_has_suffix (entry, ","))
    entry[strlen (entry) - 1] = '\0';
  g_assert_cmpstr (entry, ==, expected);
}

static void
test_btinternet_json (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *extra = NULL;
  guint depth = 0;

  run_cli (&run, "--offline", "user@btinternet.com", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);

  assert_entry (run.out, "incoming", 0,
                "{\"protocol\": \"imap\", \"hostname\": \"mail.btinternet.com\", \"port\": 993, "
                "\"security\": \"tls\", \"auth\": \"plain\", "
                "\"username\": \"user@btinternet.com\", \"source\": \"bundled\", "
                "\"trust\": \"trusted\"}");
  assert_entry (run.out, "incoming", 1,
                "{\"protocol\": \"pop3\", \"hostname\": \"mail.btinternet.com\", \"port\": 995, "
                "\"security\": \"tls\", \"auth\": \"plain\", "
                "\"username\": \"user@btinternet.com\", \"source\": \"bundled\", "
                "\"trust\": \"trusted\"}");
  extra = json_entry (run.out, "incoming", 2);
  g_assert_null (extra);
  assert_entry (run.out, "outgoing", 0,
                "{\"protocol\": \"smtp\", \"hostname\": \"mail.btinternet.com\", \"port\": 465, "
                "\"security\": \"tls\", \"auth\": \"plain\", "
                "\"username\": \"user@btinternet.com\", \"source\": \"bundled\", "
                "\"trust\": \"trusted\"}");
  g_assert_nonnull (strstr (run.out, "\"findings\": []"));

  /* Balanced and complete. */
  for (const char *p = run.out; *p != '\0'; p++)
    {
      if (*p == '{' || *p == '[')
        depth++;
      else if (*p == '}' || *p == ']')
        {
          g_assert_cmpuint (depth, >, 0);
          depth--;
        }
    }
  g_assert_cmpuint (depth, ==, 0);
}

static void
test_findings_json (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "--json", "--offline", "Someone@WEB.DE", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"username\": \"Someone@web.de\""));
  g_assert_nonnull (strstr (run.out, "{\"severity\": \"info\", \"code\": "
                                     "\"enable-access-first\", \"message\": \""));
  /* Typographic quotes of the instruction pass through as UTF-8; nothing is left unescaped. */
  g_assert_true (g_utf8_validate (run.out, -1, NULL));
}

static void
test_text (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "--offline", "user@btinternet.com", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "BT Email"));
  g_assert_nonnull (strstr (run.out, "mail.btinternet.com:993"));
  g_assert_nonnull (strstr (run.out, "bundled"));
}

static void
test_not_found (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "--offline", "user@unknown-provider.example", "--json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "unknown-provider.example"));
}

static void
test_usage (void)
{
  g_auto(Run) bad_address = { 0 };
  g_auto(Run) no_address = { 0 };
  g_auto(Run) bad_option = { 0 };

  run_cli (&bad_address, "--offline", "not-an-address", NULL);
  g_assert_cmpint (bad_address.status, ==, 2);
  g_assert_cmpstr (bad_address.err, !=, "");

  run_cli (&no_address, "--offline", NULL);
  g_assert_cmpint (no_address.status, ==, 2);

  run_cli (&bad_option, "--offline", "--deadline", "-3", "a@gmail.com", NULL);
  g_assert_cmpint (bad_option.status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/autoconfig/cli/btinternet-json", test_btinternet_json);
  g_test_add_func ("/engine/autoconfig/cli/findings-json", test_findings_json);
  g_test_add_func ("/engine/autoconfig/cli/text", test_text);
  g_test_add_func ("/engine/autoconfig/cli/not-found", test_not_found);
  g_test_add_func ("/engine/autoconfig/cli/usage", test_usage);

  return g_test_run ();
}
