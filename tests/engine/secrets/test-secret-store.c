/* test-secret-store.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "mail-secret-store.h"
#include "mail-test-utils.h"

/* These tests talk to a real gnome-keyring on a private session bus (build-aux/with-session). */
static gboolean
have_keyring (void)
{
  if (g_strcmp0 (g_getenv ("MAIL_TEST_KEYRING"), "1") == 0)
    return TRUE;

  if (g_strcmp0 (g_getenv ("MAIL_TEST_REQUIRE_STACK"), "1") == 0)
    {
      g_test_fail_printf ("no keyring in a session that promised one");
      return FALSE;
    }

  g_test_skip ("no gnome-keyring session: run through build-aux/with-session");
  return FALSE;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
store (MailSecretStore *secrets,
       const char      *account,
       MailProtocol     protocol,
       const char      *host,
       const char      *user,
       const char      *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mail_secret_store_store_async (secrets, account, protocol, host, user, password, NULL,
                                 result_cb, &result);
  g_assert_true (mail_secret_store_store_finish (secrets, wait_result (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup (MailSecretStore  *secrets,
        const char       *account,
        MailProtocol      protocol,
        const char       *host,
        const char       *user,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mail_secret_store_lookup_async (secrets, account, protocol, host, user, NULL,
                                  result_cb, &result);
  return mail_secret_store_lookup_finish (secrets, wait_result (&result), error);
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(MailSecretStore) secrets = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  if (!have_keyring ())
    return;

  secrets = mail_secret_store_new ();
  store (secrets, "acct-1", MAIL_PROTOCOL_IMAP, "imap.example.test", "alice", "first secret");
  store (secrets, "acct-1", MAIL_PROTOCOL_SMTP, "smtp.example.test", "alice", "smtp secret");
  store (secrets, "acct-2", MAIL_PROTOCOL_IMAP, "imap.example.test", "bob", "bob's secret");

  password = lookup (secrets, "acct-1", MAIL_PROTOCOL_IMAP, "imap.example.test", "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "first secret");
  secret_password_free (password);

  /* Storing again for the same attributes replaces the password. */
  store (secrets, "acct-1", MAIL_PROTOCOL_IMAP, "imap.example.test", "alice", "second secret");
  password = lookup (secrets, "acct-1", MAIL_PROTOCOL_IMAP, "imap.example.test", "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "second secret");
  secret_password_free (password);

  /* Every attribute counts: another host or protocol finds nothing. */
  password = lookup (secrets, "acct-1", MAIL_PROTOCOL_POP3, "imap.example.test", "alice", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (password);
  g_clear_error (&error);

  /* Removing an account removes all of its passwords and only those. */
  mail_secret_store_clear_account_async (secrets, "acct-1", NULL, result_cb, &result);
  g_assert_true (mail_secret_store_clear_account_finish (secrets, wait_result (&result), &error));
  g_assert_no_error (error);

  password = lookup (secrets, "acct-1", MAIL_PROTOCOL_SMTP, "smtp.example.test", "alice", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  password = lookup (secrets, "acct-2", MAIL_PROTOCOL_IMAP, "imap.example.test", "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "bob's secret");
  secret_password_free (password);

  g_clear_object (&result);
  mail_secret_store_clear_account_async (secrets, "acct-2", NULL, result_cb, &result);
  g_assert_true (mail_secret_store_clear_account_finish (secrets, wait_result (&result), &error));
  g_assert_no_error (error);

  /* The task keeps its source object alive until it is released. */
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&secrets));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/secrets/store-lookup-clear", test_store_lookup_clear);

  return g_test_run ();
}
