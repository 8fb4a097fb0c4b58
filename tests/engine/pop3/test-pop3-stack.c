/* test-pop3-stack.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-pop3-client.h"
#include "mail-sasl.h"
#include "mail-smtp-client.h"
#include "mail-test-utils.h"

/* MailPop3Client against the local Dovecot of build-aux/mail-stack (POP3S and POP3+STLS;
 * USER/PASS, APOP, SASL), and a round trip: a message sent with MailSmtpClient through the
 * local Postfix comes back through POP3 with the same headers and body. Skipped cleanly
 * without the stack. */

#define WAIT_MS 30000

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} AsyncWait;

typedef struct
{
  const char   *path;
  const char   *port_key;
  MailSecurity  security;
  const char   *mechanism;
  const char   *expected;
} LoginCase;

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

#define WAIT_FOR(call, wait) \
  G_STMT_START { (wait).done = FALSE; g_clear_object (&(wait).result); call; \
                 mail_test_wait_for (&(wait).done, WAIT_MS); } G_STMT_END

static MailConnection *
stack_connection (const char   *port_key,
                  MailSecurity  security)
{
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  g_autoptr(GError) error = NULL;
  MailConnection *connection;

  g_assert_true (mail_tls_policy_set_ca_file (policy, mail_test_stack ("CA"), &error));
  g_assert_no_error (error);

  connection = mail_connection_new (mail_test_stack ("TLS_NAME"),
                                    mail_test_stack_port (port_key), security);
  mail_connection_set_tls_policy (connection, policy);
  return connection;
}

static MailPop3Client *
pop3_login (const char   *port_key,
            MailSecurity  security,
            const char   *user,
            const char   *password,
            const char   *mechanism,
            GError      **error)
{
  g_autoptr(MailConnection) connection = stack_connection (port_key, security);
  g_autoptr(MailPop3Client) client = mail_pop3_client_new (connection);
  AsyncWait wait = { 0 };
  gboolean ok;

  WAIT_FOR (mail_pop3_client_connect_async (client, NULL, async_cb, &wait), wait);
  ok = mail_pop3_client_connect_finish (client, wait.result, error);
  if (ok)
    {
      WAIT_FOR (mail_pop3_client_login_async (client, user, password, mechanism, NULL,
                                              async_cb, &wait), wait);
      ok = mail_pop3_client_login_finish (client, wait.result, error);
    }
  g_clear_object (&wait.result);

  return ok ? g_steal_pointer (&client) : NULL;
}

static void
pop3_quit (MailPop3Client *client)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  WAIT_FOR (mail_pop3_client_quit_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_quit_finish (client, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
}

static gboolean
stack_offers (const char *mechanism)
{
  g_auto(GStrv) mechs = g_strsplit (mail_test_stack ("POP3_MECHANISMS"), " ", -1);

  if (g_strcmp0 (mechanism, "APOP") == 0)
    return g_strcmp0 (g_getenv ("MAIL_STACK_POP3_APOP"), "1") == 0;
  if (g_strcmp0 (mechanism, "USER") == 0)
    return TRUE;

  return g_strv_contains ((const char * const *) mechs, mechanism);
}

static void
test_login (gconstpointer data)
{
  const LoginCase *tc = data;
  g_autoptr(MailPop3Client) client = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };
  guint count = G_MAXUINT;
  guint64 size = 0;

  if (!mail_test_have_stack ())
    return;

  if (!stack_offers (tc->expected))
    {
      g_test_skip ("the stack does not offer this mechanism (see the scripted-server test)");
      return;
    }

  client = pop3_login (tc->port_key, tc->security, mail_test_stack ("ALICE"),
                       mail_test_stack ("ALICE_PASSWORD"), tc->mechanism, &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_assert_cmpstr (mail_pop3_client_get_mechanism (client), ==, tc->expected);
  g_assert_true (mail_connection_get_is_encrypted (mail_pop3_client_get_connection (client)));

  WAIT_FOR (mail_pop3_client_stat_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_pop3_client_stat_finish (client, wait.result, &count, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, !=, G_MAXUINT);
  g_clear_object (&wait.result);

  pop3_quit (client);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_wrong_password (void)
{
  g_autoptr(MailPop3Client) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!mail_test_have_stack ())
    return;

  client = pop3_login ("POP3S_PORT", MAIL_SECURITY_TLS, mail_test_stack ("ALICE"),
                       "not-the-password", "user", &error);
  g_assert_null (client);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_FAILED);
}

/* ------------------------------------------------------------------------------------ */
/* Round trip */

static GMimeMessage *
build_message (const char *token)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  GMimeMultipart *mixed = g_mime_multipart_new_with_subtype ("mixed");
  GMimeTextPart *text = g_mime_text_part_new_with_subtype ("plain");
  GMimePart *attachment = g_mime_part_new_with_type ("application", "octet-stream");
  g_autofree char *subject = g_strdup_printf ("Round trip %s — Grüße", token);
  g_autofree char *message_id = g_strdup_printf ("%s@example.test", token);
  GByteArray *binary = g_byte_array_new ();
  GMimeStream *stream;
  GMimeDataWrapper *content;

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Alice Ä",
                              mail_test_stack ("ALICE"));
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, "Carol",
                              mail_test_stack ("CAROL"));
  g_mime_message_set_subject (message, subject, "utf-8");
  g_mime_message_set_message_id (message, message_id);

  g_mime_text_part_set_text (text,
                             "Hello Carol,\n"
                             ".\n"
                             "..two dots, and a line with a dot alone above.\n"
                             ".leading dot\n"
                             "Grüße, naïve café — UTF-8 in the body.\n"
                             "\n"
                             "Bye.\n");
  g_mime_multipart_add (mixed, GMIME_OBJECT (text));

  for (guint i = 0; i < 3000; i++)
    {
      guint8 b = (guint8) ((i * 7 + 13) & 0xff);

      g_byte_array_append (binary, &b, 1);
    }
  stream = g_mime_stream_mem_new_with_byte_array (binary);
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (attachment, content);
  g_mime_part_set_filename (attachment, "data.bin");
  g_mime_part_set_content_encoding (attachment, GMIME_CONTENT_ENCODING_BASE64);
  g_mime_multipart_add (mixed, GMIME_OBJECT (attachment));

  g_mime_message_set_mime_part (message, GMIME_OBJECT (mixed));

  g_object_unref (content);
  g_object_unref (stream);
  g_object_unref (attachment);
  g_object_unref (text);
  g_object_unref (mixed);
  return message;
}

static void
send_message (GMimeMessage *message)
{
  g_autoptr(MailConnection) connection = stack_connection ("SUBMISSION_PORT",
                                                           MAIL_SECURITY_STARTTLS);
  g_autoptr(MailSmtpClient) client = mail_smtp_client_new (connection);
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };

  WAIT_FOR (mail_smtp_client_connect_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_smtp_client_connect_finish (client, wait.result, &error));
  g_assert_no_error (error);

  WAIT_FOR (mail_smtp_client_login_async (client, mail_test_stack ("ALICE"),
                                          mail_test_stack ("ALICE_PASSWORD"), "auto", NULL,
                                          async_cb, &wait), wait);
  g_assert_true (mail_smtp_client_login_finish (client, wait.result, &error));
  g_assert_no_error (error);

  WAIT_FOR (mail_smtp_client_send_async (client, message, NULL, NULL, NULL, async_cb, &wait),
            wait);
  g_assert_true (mail_smtp_client_send_finish (client, wait.result, &error));
  g_assert_no_error (error);

  WAIT_FOR (mail_smtp_client_quit_async (client, NULL, async_cb, &wait), wait);
  g_assert_true (mail_smtp_client_quit_finish (client, wait.result, &error));
  g_clear_object (&wait.result);
}

static GMimeMessage *
parse_bytes (GBytes *bytes)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL),
                                                           g_bytes_get_size (bytes));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  return message;
}

/* Looks through the newest messages of Carol's maildrop for @message_id; on success returns
 * the raw message and marks it deleted (removed at QUIT). */
static GBytes *
fetch_message (const char *message_id)
{
  g_autoptr(MailPop3Client) client = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };
  GBytes *found = NULL;

  client = pop3_login ("POP3S_PORT", MAIL_SECURITY_TLS, mail_test_stack ("CAROL"),
                       mail_test_stack ("CAROL_PASSWORD"), "auto", &error);
  g_assert_no_error (error);

  WAIT_FOR (mail_pop3_client_list_async (client, NULL, async_cb, &wait), wait);
  list = mail_pop3_client_list_finish (client, wait.result, &error);
  g_assert_no_error (error);

  for (guint i = list->len; i > 0 && i + 20 > list->len && found == NULL; i--)
    {
      guint msgno = g_array_index (list, MailPop3ListEntry, i - 1).msgno;
      g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) bytes = NULL;
      GMimeMessage *parsed;

      WAIT_FOR (mail_pop3_client_retr_async (client, msgno, sink, NULL, async_cb, &wait), wait);
      g_assert_true (mail_pop3_client_retr_finish (client, wait.result, NULL, &error));
      g_assert_no_error (error);
      g_output_stream_close (sink, NULL, NULL);
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));

      parsed = parse_bytes (bytes);
      if (parsed != NULL &&
          g_strcmp0 (g_mime_message_get_message_id (parsed), message_id) == 0)
        {
          found = g_bytes_ref (bytes);
          WAIT_FOR (mail_pop3_client_dele_async (client, msgno, NULL, async_cb, &wait), wait);
          g_assert_true (mail_pop3_client_dele_finish (client, wait.result, &error));
          g_assert_no_error (error);
        }
      g_clear_object (&parsed);
    }

  g_clear_object (&wait.result);
  pop3_quit (client);
  return found;
}

static char *
serialize_without_cr (GMimeObject *object)
{
  g_autofree char *text = g_mime_object_to_string (object, NULL);
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '\r')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
test_roundtrip (void)
{
  g_autofree char *token = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *sent_body = NULL;
  g_autofree char *received_body = NULL;
  g_autoptr(GBytes) raw = NULL;
  GMimeMessage *sent;
  GMimeMessage *received;
  GMimeHeaderList *headers;

  if (!mail_test_have_stack ())
    return;

  token = g_uuid_string_random ();
  message_id = g_strdup_printf ("%s@example.test", token);
  sent = build_message (token);
  send_message (sent);

  /* Postfix hands the message to Dovecot asynchronously: poll for it. */
  for (guint attempt = 0; attempt < 40 && raw == NULL; attempt++)
    {
      raw = fetch_message (message_id);
      if (raw == NULL)
        g_usleep (250 * 1000);
    }
  g_assert_nonnull (raw);

  received = parse_bytes (raw);
  g_assert_nonnull (received);

  /* Every header we sent arrives with the same value; the servers only add trace headers. */
  headers = g_mime_object_get_header_list (GMIME_OBJECT (sent));
  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      const char *name = g_mime_header_get_name (header);

      /* GMime pre-creates empty headers (Return-Path, …); they are not written. */
      if (g_mime_header_get_value (header) == NULL || *g_mime_header_get_value (header) == '\0')
        continue;

      g_test_message ("header %s", name);
      g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (received), name), ==,
                       g_mime_header_get_value (header));
    }
  g_assert_cmpstr (g_mime_message_get_subject (received), ==,
                   g_mime_message_get_subject (sent));

  /* The body, attachments included, is byte for byte the same (line ends aside: the sent
   * object serialises with LF, what came over the wire has CRLF). */
  sent_body = serialize_without_cr (g_mime_message_get_mime_part (sent));
  received_body = serialize_without_cr (g_mime_message_get_mime_part (received));
  g_assert_cmpstr (received_body, ==, sent_body);

  g_object_unref (received);
  g_object_unref (sent);
}

static const LoginCase login_cases[] = {
  { "/engine/pop3/stack/pop3s/auto", "POP3S_PORT", MAIL_SECURITY_TLS, "auto",
    "SCRAM-SHA-256" },
  { "/engine/pop3/stack/pop3s/user", "POP3S_PORT", MAIL_SECURITY_TLS, "user", "USER" },
  { "/engine/pop3/stack/pop3s/plain", "POP3S_PORT", MAIL_SECURITY_TLS, "plain", "PLAIN" },
  { "/engine/pop3/stack/pop3s/cram-md5", "POP3S_PORT", MAIL_SECURITY_TLS, "cram-md5",
    "CRAM-MD5" },
  { "/engine/pop3/stack/pop3s/apop", "POP3S_PORT", MAIL_SECURITY_TLS, "apop", "APOP" },
  { "/engine/pop3/stack/pop3s/ntlm", "POP3S_PORT", MAIL_SECURITY_TLS, "ntlm", "NTLM" },
  { "/engine/pop3/stack/stls/user", "POP3_PORT", MAIL_SECURITY_STARTTLS, "user", "USER" },
  { "/engine/pop3/stack/stls/apop", "POP3_PORT", MAIL_SECURITY_STARTTLS, "apop", "APOP" },
  { "/engine/pop3/stack/stls/cram-md5", "POP3_PORT", MAIL_SECURITY_STARTTLS, "cram-md5",
    "CRAM-MD5" },
  { "/engine/pop3/stack/stls/login", "POP3_PORT", MAIL_SECURITY_STARTTLS, "login", "LOGIN" },
};

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  for (guint i = 0; i < G_N_ELEMENTS (login_cases); i++)
    g_test_add_data_func (login_cases[i].path, &login_cases[i], test_login);
  g_test_add_func ("/engine/pop3/stack/wrong-password", test_wrong_password);
  g_test_add_func ("/engine/pop3/stack/roundtrip", test_roundtrip);

  return g_test_run ();
}
