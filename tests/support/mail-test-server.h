/* mail-test-server.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * MailTestServer: a scripted server for protocol tests.
 *
 * It listens on 127.0.0.1 only, on a random free port, and runs in its own GThread with
 * its own GMainContext (blocking I/O with timeouts there), so the test's main context is
 * free to drive the async client code. It accepts a connection and plays a script,
 * written in the transcript format documented in tests/data/transcripts/README.md:
 *
 *   S: * OK ready               send a line (CRLF appended)
 *   S-RAW: a OK go\r\n* OK x\r\n  send bytes in ONE write (escapes \r \n \t \\ \xHH), no CRLF
 *   C: a001 CAPABILITY          expect exactly this client line
 *   C~: ^(\S+) LOGIN .*$        expect a client line matching the regex; captures are
 *                               available to later S:/S-RAW: lines as $1 .. $9
 *   C-ANY                       accept any one client line
 *   TLS                         TLS handshake as the server (certificate: CERT line or set)
 *   CERT name                   use tests/data/certs/<name>.pem / <name>.key
 *   WAIT 200                    sleep 200 ms
 *   CLOSE                       close the connection now (the script ends)
 *   EXPECT-CLOSE                expect the client to hang up (EOF) within the timeout
 *   ACCEPT                      end this connection, take the client's next one, go on
 *
 * Every byte the client sent (after TLS: the decrypted bytes) is recorded, so tests can
 * assert that a credential was never received:
 *
 *   server = mail_test_server_new ();
 *   mail_test_server_load_transcript (server, "smtp/auth-plain.txt");
 *   mail_test_server_start (server);
 *   ... connect the client to 127.0.0.1:mail_test_server_get_port (server) ...
 *   g_assert_true (mail_test_server_wait (server, &error));   // script fully played
 *   g_assert_false (mail_test_server_received_contains (server, "secret"));
 *
 * Tests can also drive it programmatically: mail_test_server_add_script() appends script
 * text, mail_test_server_add_send() appends a raw send of arbitrary (large, binary) bytes.
 */

#define MAIL_TYPE_TEST_SERVER (mail_test_server_get_type ())

G_DECLARE_FINAL_TYPE (MailTestServer, mail_test_server, MAIL, TEST_SERVER, GObject)

MailTestServer *mail_test_server_new                (void) G_GNUC_WARN_UNUSED_RESULT;
void            mail_test_server_load_transcript    (MailTestServer *self,
                                                     const char     *relative_path);
void            mail_test_server_add_script         (MailTestServer *self,
                                                     const char     *script);
void            mail_test_server_add_send           (MailTestServer *self,
                                                     GBytes         *bytes);
void            mail_test_server_set_certificate    (MailTestServer *self,
                                                     const char     *name);
void            mail_test_server_set_timeout        (MailTestServer *self,
                                                     guint           timeout_ms);
void            mail_test_server_start              (MailTestServer *self);
const char     *mail_test_server_get_host           (MailTestServer *self);
guint16         mail_test_server_get_port           (MailTestServer *self);
gboolean        mail_test_server_wait               (MailTestServer *self,
                                                     GError        **error);
GBytes         *mail_test_server_get_received       (MailTestServer *self);
gboolean        mail_test_server_received_contains  (MailTestServer *self,
                                                     const char     *needle);
gboolean        mail_test_server_client_closed      (MailTestServer *self);

/* Paths of the committed test-only certificates (tests/data/certs/). */
char           *mail_test_server_get_ca_file        (void);
char           *mail_test_server_get_cert_file      (const char     *name);

G_END_DECLS
