/* test-account-manager.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "mail-account-manager.h"

typedef struct
{
  char *dir;
  char *config_dir;
  char *data_dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("mail-account-XXXXXX", &error);
  g_assert_no_error (error);
  f->config_dir = g_build_filename (f->dir, "config", NULL);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->config_dir);
  g_free (f->data_dir);
}

static MailAccount *
make_account (const char *id)
{
  MailAccount *account = mail_account_new (id);
  g_autoptr(MailServerConfig) imap = NULL;
  g_autoptr(MailServerConfig) smtp = NULL;

  imap = mail_server_config_new (MAIL_PROTOCOL_IMAP, "imap.example.test", 993, MAIL_SECURITY_TLS,
                                 "alice@example.test");
  g_free (imap->ca_file);
  imap->ca_file = g_strdup ("/tmp/ca.pem");
  smtp = mail_server_config_new (MAIL_PROTOCOL_SMTP, "smtp.example.test", 587,
                                 MAIL_SECURITY_STARTTLS, "alice@example.test");
  g_free (smtp->auth);
  smtp->auth = g_strdup ("cram-md5");

  mail_account_set_email (account, "alice@example.test");
  mail_account_set_real_name (account, "Alice Liddell");
  mail_account_set_incoming (account, imap);
  mail_account_set_outgoing (account, smtp);

  return account;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_account_properties (void)
{
  g_autoptr(MailAccount) account = mail_account_new ("abc");
  g_autoptr(MailServerConfig) pop = NULL;
  guint notified = 0;

  g_signal_connect (account, "notify", G_CALLBACK (count_notify_cb), &notified);

  g_assert_true (mail_account_get_pop3_leave_on_server (account));
  mail_account_set_email (account, "bob@example.test");
  mail_account_set_email (account, "bob@example.test");
  g_assert_cmpuint (notified, ==, 1);
  /* Without a display name, the address stands in for it. */
  g_assert_cmpstr (mail_account_get_display_name (account), ==, "bob@example.test");

  pop = mail_server_config_new (MAIL_PROTOCOL_POP3, "pop.example.test", 995, MAIL_SECURITY_TLS,
                                "bob");
  mail_account_set_incoming (account, pop);
  mail_account_set_incoming (account, pop);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_true (mail_server_config_equal (mail_account_get_incoming (account), pop));

  mail_account_set_pop3_leave_on_server (account, FALSE);
  mail_account_set_pop3_leave_on_server (account, FALSE);
  mail_account_set_pop3_delete_after_days (account, 14);
  g_assert_cmpuint (notified, ==, 4);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_manager_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(MailAccountManager) manager = mail_account_manager_new (f->config_dir, f->data_dir);
  g_autoptr(MailAccountManager) again = NULL;
  g_autoptr(MailAccount) account = make_account ("acct-1");
  g_autoptr(GError) error = NULL;
  MailAccount *loaded;
  struct stat st;

  g_assert_true (mail_account_manager_load (manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (mail_account_manager_get_accounts (manager)), ==, 0);

  g_assert_true (mail_account_manager_add (manager, account, &error));
  g_assert_no_error (error);
  g_assert_false (mail_account_manager_add (manager, account, &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Only the owner may read the file. */
  g_assert_cmpint (g_stat (mail_account_manager_get_file (manager), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = mail_account_manager_new (f->config_dir, f->data_dir);
  g_assert_true (mail_account_manager_load (again, &error));
  g_assert_no_error (error);
  loaded = mail_account_manager_lookup (again, "acct-1");
  g_assert_nonnull (loaded);
  g_assert_cmpstr (mail_account_get_email (loaded), ==, "alice@example.test");
  g_assert_cmpstr (mail_account_get_real_name (loaded), ==, "Alice Liddell");
  g_assert_true (mail_server_config_equal (mail_account_get_incoming (loaded),
                                           mail_account_get_incoming (account)));
  g_assert_true (mail_server_config_equal (mail_account_get_outgoing (loaded),
                                           mail_account_get_outgoing (account)));
  g_assert_cmpstr (mail_account_get_outgoing (loaded)->auth, ==, "cram-md5");
}

static void
test_manager_remove (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MailAccountManager) manager = mail_account_manager_new (f->config_dir, f->data_dir);
  g_autoptr(MailAccount) one = make_account ("one");
  g_autoptr(MailAccount) two = make_account ("two");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_one = NULL;
  g_autofree char *dir_two = NULL;
  g_autofree char *nested = NULL;
  g_autofree char *body = NULL;

  g_assert_true (mail_account_manager_add (manager, one, &error));
  g_assert_true (mail_account_manager_add (manager, two, &error));

  dir_one = mail_account_manager_dup_data_dir (manager, one);
  dir_two = mail_account_manager_dup_data_dir (manager, two);
  nested = g_build_filename (dir_one, "cache", "bodies", NULL);
  g_assert_cmpint (g_mkdir_with_parents (nested, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (dir_two, 0700), ==, 0);
  body = g_build_filename (nested, "1.eml", NULL);
  g_assert_true (g_file_set_contents (body, "x", 1, NULL));

  g_assert_true (mail_account_manager_remove (manager, one, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir_one, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dir_two, G_FILE_TEST_IS_DIR));
  g_assert_null (mail_account_manager_lookup (manager, "one"));

  g_assert_false (mail_account_manager_remove (manager, one, &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND);
}

static void
test_manager_damaged_file (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(MailAccountManager) manager = mail_account_manager_new (f->config_dir, f->data_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->config_dir, "accounts.ini", NULL);
  const char *contents =
    "[account good]\nemail=a@example.test\nincoming-protocol=imap\nincoming-host=h\n"
    "incoming-port=993\nincoming-security=tls\nincoming-username=a\n"
    "[account ../../etc]\nemail=evil@example.test\n"
    "[account badport]\nincoming-protocol=imap\nincoming-host=h\nincoming-port=70000\n"
    "incoming-security=tls\n"
    "[account smtpin]\nincoming-protocol=smtp\nincoming-host=h\nincoming-port=25\n"
    "incoming-security=none\n"
    "[something else]\nkey=value\n";

  g_assert_cmpint (g_mkdir_with_parents (f->config_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, contents, -1, NULL));

  /* The good account loads; each damaged one is skipped and reported, never trusted. */
  g_assert_false (mail_account_manager_load (manager, &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID);
  g_assert_cmpuint (g_list_model_get_n_items (mail_account_manager_get_accounts (manager)), ==, 1);
  g_assert_nonnull (mail_account_manager_lookup (manager, "good"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (file, "not a key file\n\x01\x02", -1, NULL));
  g_assert_false (mail_account_manager_load (manager, &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/account/properties", test_account_properties);
  g_test_add ("/engine/account/manager/round-trip", Fixture, NULL,
              fixture_set_up, test_manager_round_trip, fixture_tear_down);
  g_test_add ("/engine/account/manager/remove", Fixture, NULL,
              fixture_set_up, test_manager_remove, fixture_tear_down);
  g_test_add ("/engine/account/manager/damaged-file", Fixture, NULL,
              fixture_set_up, test_manager_damaged_file, fixture_tear_down);

  return g_test_run ();
}
