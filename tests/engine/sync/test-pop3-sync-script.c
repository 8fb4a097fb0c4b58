/* test-pop3-sync-script.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mail-engine.h"
#include "mail-pop3-sync.h"
#include "mail-store.h"
#include "mail-test-server.h"
#include "mail-test-utils.h"

/* MailPop3Sync against the scripted server (127.0.0.1, no mail stack needed): what the
 * sync sends, in which order, and what it stores when the server fails it. */

#define PASSWORD "s3cret-Pa55"

static const char login_script[] =
  "TLS\n"
  "S: +OK ready\n"
  "C: CAPA\n"
  "S: +OK\n"
  "S: UIDL\n"
  "S: USER\n"
  "S: .\n"
  "C: USER alice\n"
  "S: +OK\n"
  "C: PASS " PASSWORD "\n"
  "S: +OK Logged in.\n";

static const char listing_script[] =
  "C: UIDL\n"
  "S: +OK\n"
  "S: 1 uid-one\n"
  "S: .\n"
  "C: LIST\n"
  "S: +OK\n"
  "S: 1 60\n"
  "S: .\n";

static const char retr_script[] =
  "C: RETR 1\n"
  "S: +OK\n"
  "S: Subject: dots\n"
  "S: Message-ID: <one@example.test>\n"
  "S:\n"
  "S: ..\n"
  "S: ...two dots\n"
  "S: .\n";

static const char expected_body[] =
  "Subject: dots\r\nMessage-ID: <one@example.test>\r\n\r\n.\r\n..two dots\r\n";

static char *tmp_dir;

static MailStore *
open_store (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  MailStore *store = mail_store_open_sync (path, NULL, &error);

  g_assert_no_error (error);
  return store;
}

static MailPop3Sync *
new_sync (MailStore      *store,
          MailTestServer *server)
{
  g_autoptr(MailServerConfig) config = NULL;
  MailPop3Sync *sync;

  mail_test_server_start (server);
  config = mail_server_config_new (MAIL_PROTOCOL_POP3, mail_test_server_get_host (server),
                                   mail_test_server_get_port (server), MAIL_SECURITY_TLS,
                                   "alice");
  config->ca_file = mail_test_server_get_ca_file ();
  sync = mail_pop3_sync_new (store, config, NULL);
  mail_pop3_sync_set_password (sync, PASSWORD);
  return sync;
}

static guint
count_messages (MailStore *store)
{
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GError) error = NULL;

  folder = mail_store_lookup_folder_sync (store, MAIL_POP3_SYNC_FOLDER, &error);
  g_assert_no_error (error);
  uids = mail_store_list_uids_sync (store, folder->id, &error);
  g_assert_no_error (error);
  return uids->len;
}

static void
assert_stored (MailStore *store)
{
  g_autoptr(MailFolder) folder = NULL;
  g_autoptr(MailMessageSummary) summary = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  folder = mail_store_lookup_folder_sync (store, MAIL_POP3_SYNC_FOLDER, &error);
  g_assert_no_error (error);
  summary = mail_store_lookup_uid_sync (store, folder->id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary->subject, ==, "dots");
  g_assert_cmpstr (summary->message_id, ==, "<one@example.test>");
  body = mail_store_get_body_sync (store, summary->id, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   expected_body, strlen (expected_body));
}

static void
test_no_uidl (void)
{
  g_autoptr(MailTestServer) server = mail_test_server_new ();
  g_autoptr(MailStore) store = open_store ("no-uidl.sqlite");
  g_autoptr(MailPop3Sync) sync = NULL;
  g_autoptr(GError) error = NULL;

  mail_test_server_add_script (server, login_script);
  mail_test_server_add_script (server,
                               "C: UIDL\n"
                               "S: -ERR Unknown command\n"
                               "EXPECT-CLOSE\n");
  sync = new_sync (store, server);

  g_assert_false (mail_pop3_sync_run_sync (sync, NULL, &error));
  g_assert_error (error, MAIL_SYNC_ERROR, MAIL_SYNC_ERROR_UNSUPPORTED);
  g_clear_object (&sync);
  g_clear_error (&error);
  g_assert_true (mail_test_server_wait (server, &error));
  g_assert_no_error (error);
  g_assert_false (mail_test_server_received_contains (server, "RETR"));
  g_assert_false (mail_test_server_received_contains (server, "DELE"));
}

/* Delete after download: RETR, then DELE, then QUIT, in that order; the body is stored
 * unstuffed, with CRLF line ends as received. */
static void
test_delete_order (void)
{
  g_autoptr(MailTestServer) server = mail_test_server_new ();
  g_autoptr(MailStore) store = open_store ("order.sqlite");
  g_autoptr(MailPop3Sync) sync = NULL;
  g_autoptr(GError) error = NULL;

  mail_test_server_add_script (server, login_script);
  mail_test_server_add_script (server, listing_script);
  mail_test_server_add_script (server, retr_script);
  mail_test_server_add_script (server,
                               "C: DELE 1\n"
                               "S: +OK\n"
                               "C: QUIT\n"
                               "S: +OK Bye\n"
                               "EXPECT-CLOSE\n");
  sync = new_sync (store, server);
  mail_pop3_sync_set_leave_on_server (sync, FALSE);

  g_assert_true (mail_pop3_sync_run_sync (sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mail_pop3_sync_get_n_downloaded (sync), ==, 1);
  g_assert_cmpuint (mail_pop3_sync_get_n_deleted (sync), ==, 1);
  g_assert_true (mail_test_server_wait (server, &error));
  g_assert_no_error (error);
  assert_stored (store);
  g_clear_object (&sync);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The connection drops in the middle of RETR: nothing half-written is visible and nothing is
 * deleted; the next run downloads the message again under the same uid, once. */
static void
test_eof_mid_retr (void)
{
  g_autoptr(MailTestServer) server = mail_test_server_new ();
  g_autoptr(MailTestServer) again = mail_test_server_new ();
  g_autoptr(MailStore) store = open_store ("eof.sqlite");
  g_autoptr(MailPop3Sync) sync = NULL;
  g_autoptr(GError) error = NULL;

  mail_test_server_add_script (server, login_script);
  mail_test_server_add_script (server, listing_script);
  mail_test_server_add_script (server,
                               "C: RETR 1\n"
                               "S: +OK\n"
                               "S: Subject: dots\n"
                               "CLOSE\n");
  sync = new_sync (store, server);
  mail_pop3_sync_set_leave_on_server (sync, FALSE);

  g_assert_false (mail_pop3_sync_run_sync (sync, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (mail_test_server_wait (server, &error));
  g_assert_no_error (error);
  g_assert_false (mail_test_server_received_contains (server, "DELE"));
  g_assert_cmpuint (count_messages (store), ==, 0);
  g_clear_object (&sync);

  mail_test_server_add_script (again, login_script);
  mail_test_server_add_script (again, listing_script);
  mail_test_server_add_script (again, retr_script);
  mail_test_server_add_script (again,
                               "C: DELE 1\n"
                               "S: +OK\n"
                               "C: QUIT\n"
                               "S: +OK Bye\n"
                               "EXPECT-CLOSE\n");
  sync = new_sync (store, again);
  mail_pop3_sync_set_leave_on_server (sync, FALSE);
  g_assert_true (mail_pop3_sync_run_sync (sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_test_server_wait (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_messages (store), ==, 1);
  assert_stored (store);
}

/* The server refuses DELE: the run fails, the message stays stored. */
static void
test_dele_refused (void)
{
  g_autoptr(MailTestServer) server = mail_test_server_new ();
  g_autoptr(MailStore) store = open_store ("dele-refused.sqlite");
  g_autoptr(MailPop3Sync) sync = NULL;
  g_autoptr(GError) error = NULL;

  mail_test_server_add_script (server, login_script);
  mail_test_server_add_script (server, listing_script);
  mail_test_server_add_script (server, retr_script);
  mail_test_server_add_script (server,
                               "C: DELE 1\n"
                               "S: -ERR Mailbox is read-only\n"
                               "EXPECT-CLOSE\n");
  sync = new_sync (store, server);
  mail_pop3_sync_set_leave_on_server (sync, FALSE);

  g_assert_false (mail_pop3_sync_run_sync (sync, NULL, &error));
  g_assert_nonnull (error);
  g_clear_object (&sync);
  g_clear_error (&error);
  g_assert_true (mail_test_server_wait (server, &error));
  g_assert_no_error (error);
  g_assert_false (mail_test_server_received_contains (server, "QUIT"));
  assert_stored (store);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  mail_engine_init ();
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-pop3-sync-script-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/engine/sync/pop3-script/no-uidl", test_no_uidl);
  g_test_add_func ("/engine/sync/pop3-script/delete-order", test_delete_order);
  g_test_add_func ("/engine/sync/pop3-script/eof-mid-retr", test_eof_mid_retr);
  g_test_add_func ("/engine/sync/pop3-script/dele-refused", test_dele_refused);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return ret;
}
