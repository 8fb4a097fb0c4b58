/* test-server-check.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mail-cert-store.h"
#include "mail-engine.h"
#include "mail-net-error.h"
#include "mail-server-check.h"
#include "mail-smtp-error.h"
#include "mail-test-utils.h"

typedef struct
{
  gboolean               done;
  MailServerCheckResult *result;
  GError                *error;
} Wait;

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = mail_server_check_finish (result, &wait->error);
  wait->done = TRUE;
}

/* Runs one check to the end; returns the result or NULL with *error set. */
static MailServerCheckResult *
run_check (const MailServerConfig  *config,
           const char              *password,
           const char              *pin_dir,
           GError                 **error)
{
  Wait wait = { 0 };

  mail_server_check_async (config, password, pin_dir, NULL, check_cb, &wait);
  mail_test_wait_for (&wait.done, 20000);
  g_assert_true (wait.done);
  g_assert_true ((wait.result == NULL) != (wait.error == NULL));
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.result;
}

static MailServerConfig *
stack_config (MailProtocol  protocol,
              const char   *port_key,
              MailSecurity  security,
              gboolean      with_ca)
{
  MailServerConfig *config;

  config = mail_server_config_new (protocol, mail_test_stack ("TLS_NAME"),
                                   mail_test_stack_port (port_key), security,
                                   mail_test_stack ("ALICE"));
  if (with_ca)
    config->ca_file = g_strdup (mail_test_stack ("CA"));
  return config;
}

/* The certificate's fingerprint as the stack writes it: lower-case hex without colons. */
static char *
plain_fingerprint (MailCertificateInfo *info)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = mail_certificate_info_get_fingerprint (info); *p != '\0'; p++)
    {
      if (*p != ':')
        g_string_append_c (out, g_ascii_tolower (*p));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
skip_without_stack (void)
{
  /* mail_test_have_stack() marks the test skipped (or failed, when the stack is required). */
  return !mail_test_have_stack ();
}

static void
test_smtp_success (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_stack ())
    return;

  config = stack_config (MAIL_PROTOCOL_SMTP, "SUBMISSION_PORT", MAIL_SECURITY_STARTTLS, TRUE);
  result = run_check (config, mail_test_stack ("ALICE_PASSWORD"), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->encrypted);
  g_assert_cmpint (result->protocol, ==, MAIL_PROTOCOL_SMTP);
  g_assert_cmpuint (result->port, ==, config->port);
  g_assert_nonnull (result->mechanism);
  g_assert_nonnull (result->certificate);
  g_assert_true (g_strv_contains ((const char * const *) result->capabilities, "AUTH"));
  /* After STARTTLS, the server must not offer STARTTLS again: these are the TLS capabilities. */
  g_assert_false (g_strv_contains ((const char * const *) result->capabilities, "STARTTLS"));
}

static void
test_pop3_success (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  if (skip_without_stack ())
    return;

  config = stack_config (MAIL_PROTOCOL_POP3, "POP3S_PORT", MAIL_SECURITY_TLS, TRUE);
  result = run_check (config, mail_test_stack ("ALICE_PASSWORD"), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->encrypted);
  g_assert_nonnull (result->mechanism);
  fingerprint = plain_fingerprint (result->certificate);
  g_assert_cmpstr (fingerprint, ==, mail_test_stack ("SERVER_CERT_SHA256"));
}

static void
test_wrong_password (void)
{
  MailProtocol protocols[] = { MAIL_PROTOCOL_SMTP, MAIL_PROTOCOL_POP3 };
  const char *ports[] = { "SUBMISSIONS_PORT", "POP3S_PORT" };

  if (skip_without_stack ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autoptr(MailServerConfig) config = NULL;
      g_autoptr(MailServerCheckResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;
      g_autofree char *fix = NULL;

      config = stack_config (protocols[i], ports[i], MAIL_SECURITY_TLS, TRUE);
      result = run_check (config, "not-the-password", NULL, &error);
      g_assert_null (result);
      g_assert_cmpint (mail_server_check_classify_error (error), ==,
                       MAIL_SERVER_CHECK_PROBLEM_AUTH);
      message = mail_server_check_describe_error (error, config, &fix);
      g_assert_nonnull (strstr (message, "password"));
      g_assert_nonnull (strstr (fix, "app passwords"));
    }
}

/* The stack's CA is not trusted by default: the error carries the certificate, pinning it
 * makes the same server pass, and the pin is bound to that host and port only. */
static void
test_certificate_and_pin (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerConfig) other_port = NULL;
  g_autoptr(MailServerCheckResult) result = NULL;
  g_autoptr(MailCertStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin_dir = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(MailCertificateInfo) info = NULL;

  if (skip_without_stack ())
    return;

  pin_dir = g_dir_make_tmp ("test-server-check-XXXXXX", NULL);
  config = stack_config (MAIL_PROTOCOL_SMTP, "SUBMISSIONS_PORT", MAIL_SECURITY_TLS, FALSE);
  result = run_check (config, mail_test_stack ("ALICE_PASSWORD"), pin_dir, &error);
  g_assert_null (result);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_assert_cmpint (mail_server_check_classify_error (error), ==,
                   MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE);
  info = g_object_ref (mail_net_error_get_certificate_info (error));
  g_clear_error (&error);
  fingerprint = plain_fingerprint (info);
  g_assert_cmpstr (fingerprint, ==, mail_test_stack ("SERVER_CERT_SHA256"));

  store = mail_cert_store_new (pin_dir);
  g_assert_true (mail_cert_store_load (store, NULL));
  g_assert_true (mail_cert_store_pin (store, info, &error));
  g_assert_no_error (error);

  result = run_check (config, mail_test_stack ("ALICE_PASSWORD"), pin_dir, &error);
  g_assert_no_error (error);
  g_assert_true (result->encrypted);
  g_clear_pointer (&result, mail_server_check_result_free);

  /* Without the pin directory, the same server is refused again: nothing global changed. */
  result = run_check (config, mail_test_stack ("ALICE_PASSWORD"), NULL, &error);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_clear_error (&error);

  /* The pin is for (host, port): another port of the same host is still refused. */
  other_port = stack_config (MAIL_PROTOCOL_POP3, "POP3S_PORT", MAIL_SECURITY_TLS, FALSE);
  result = run_check (other_port, mail_test_stack ("ALICE_PASSWORD"), pin_dir, &error);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_clear_error (&error);

  mail_cert_store_unpin (store, config->hostname, config->port, NULL);
  g_clear_object (&store);
  {
    g_autoptr(GDir) dir = g_dir_open (pin_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (pin_dir, name, NULL);

        g_unlink (path);
      }
  }
  g_rmdir (pin_dir);
}

/* Without consent, the password never travels unencrypted, except to this very machine
 * (a local bridge such as Proton Bridge): loopback plaintext is allowed and reported as
 * not encrypted. Remote plaintext refusal is the net layer's (MAIL_NET_ERROR_PLAINTEXT_REFUSED,
 * MAIL_SASL_ERROR_PLAINTEXT_REFUSED), and its classification is tested in /classify. */
static void
test_plaintext_loopback (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_stack ())
    return;

  config = stack_config (MAIL_PROTOCOL_POP3, "POP3_PORT", MAIL_SECURITY_NONE, FALSE);
  g_free (config->hostname);
  config->hostname = g_strdup (mail_test_stack ("HOST"));
  config->allow_plaintext = FALSE;
  result = run_check (config, mail_test_stack ("ALICE_PASSWORD"), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->encrypted);
  g_assert_null (result->certificate);
}

/* STARTTLS required but the CA unknown: refused before any password is sent. */
static void
test_starttls_wrong_ca (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_ca = mail_test_data_path ("certs/ca.pem");

  if (skip_without_stack ())
    return;

  config = stack_config (MAIL_PROTOCOL_POP3, "POP3_PORT", MAIL_SECURITY_STARTTLS, FALSE);
  config->ca_file = g_strdup (other_ca);
  result = run_check (config, mail_test_stack ("ALICE_PASSWORD"), NULL, &error);
  g_assert_null (result);
  g_assert_cmpint (mail_server_check_classify_error (error), ==,
                   MAIL_SERVER_CHECK_PROBLEM_CERTIFICATE);
}

static void
test_connection_refused (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *message = NULL;
  g_autofree char *fix = NULL;
  guint16 port;

  /* A port that was free a moment ago: nobody listens on it any more. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);

  config = mail_server_config_new (MAIL_PROTOCOL_SMTP, "127.0.0.1", port, MAIL_SECURITY_TLS,
                                   "someone");
  result = run_check (config, "x", NULL, &error);
  g_assert_null (result);
  g_assert_cmpint (mail_server_check_classify_error (error), ==,
                   MAIL_SERVER_CHECK_PROBLEM_CONNECTION);
  message = mail_server_check_describe_error (error, config, &fix);
  g_assert_nonnull (strstr (message, "did not answer"));
  /* SMTP over TLS is 465; the other choice is 587 with STARTTLS. */
  g_assert_nonnull (strstr (fix, "587"));
}

static void
test_imap_refused (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* IMAP goes through MailImapClient like the other protocols. */
  config = mail_server_config_new (MAIL_PROTOCOL_IMAP, "127.0.0.1", 9, MAIL_SECURITY_TLS, "u");
  result = run_check (config, "x", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CONNECT);
  g_assert_cmpint (mail_server_check_classify_error (error), ==,
                   MAIL_SERVER_CHECK_PROBLEM_CONNECTION);
}

static void
test_cancelled (void)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { 0 };

  config = mail_server_config_new (MAIL_PROTOCOL_POP3, "127.0.0.1", 9, MAIL_SECURITY_TLS, "u");
  g_cancellable_cancel (cancellable);
  mail_server_check_async (config, "x", NULL, cancellable, check_cb, &wait);
  mail_test_wait_for (&wait.done, 5000);
  g_assert_true (wait.done);
  g_assert_null (wait.result);
  g_assert_cmpint (mail_server_check_classify_error (wait.error), ==,
                   MAIL_SERVER_CHECK_PROBLEM_CANCELLED);
  g_clear_error (&wait.error);
}

static void
test_classify (void)
{
  struct {
    GQuark                 domain;
    int                    code;
    const char            *message;
    MailServerCheckProblem expected;
  } cases[] = {
    { MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_WEAK, "534 5.7.9 Application-specific password "
      "required", MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED },
    { MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_FAILED, "535 5.7.8 bad credentials",
      MAIL_SERVER_CHECK_PROBLEM_AUTH },
    { MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_FAILED, "[ALERT] Application-specific password "
      "required", MAIL_SERVER_CHECK_PROBLEM_APP_PASSWORD_NEEDED },
    { MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_REQUIRED, "530 5.7.0 Authentication required",
      MAIL_SERVER_CHECK_PROBLEM_AUTH_REQUIRED },
    { MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STARTTLS_UNAVAILABLE, "no STARTTLS",
      MAIL_SERVER_CHECK_PROBLEM_STARTTLS },
    { MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION, "injected",
      MAIL_SERVER_CHECK_PROBLEM_STARTTLS },
    { MAIL_NET_ERROR, MAIL_NET_ERROR_TLS, "handshake", MAIL_SERVER_CHECK_PROBLEM_TLS },
    { MAIL_NET_ERROR, MAIL_NET_ERROR_TIMEOUT, "slow", MAIL_SERVER_CHECK_PROBLEM_CONNECTION },
    { MAIL_NET_ERROR, MAIL_NET_ERROR_PROTOCOL, "junk", MAIL_SERVER_CHECK_PROBLEM_PROTOCOL },
    { MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED, "no", MAIL_SERVER_CHECK_PROBLEM_INSECURE },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop", MAIL_SERVER_CHECK_PROBLEM_CANCELLED },
    { G_IO_ERROR, G_IO_ERROR_FAILED, "odd", MAIL_SERVER_CHECK_PROBLEM_OTHER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code,
                                                     cases[i].message);
      g_autofree char *message = NULL;
      g_autofree char *fix = NULL;

      g_assert_cmpint (mail_server_check_classify_error (error), ==, cases[i].expected);
      message = mail_server_check_describe_error (error, NULL, &fix);
      g_assert_nonnull (message);
      g_assert_nonnull (fix);
      g_assert_cmpstr (message, !=, "");
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/account/server-check/classify", test_classify);
  g_test_add_func ("/engine/account/server-check/cancelled", test_cancelled);
  g_test_add_func ("/engine/account/server-check/imap-refused", test_imap_refused);
  g_test_add_func ("/engine/account/server-check/connection-refused", test_connection_refused);
  g_test_add_func ("/engine/account/server-check/smtp", test_smtp_success);
  g_test_add_func ("/engine/account/server-check/pop3", test_pop3_success);
  g_test_add_func ("/engine/account/server-check/wrong-password", test_wrong_password);
  g_test_add_func ("/engine/account/server-check/certificate-pin", test_certificate_and_pin);
  g_test_add_func ("/engine/account/server-check/plaintext-loopback", test_plaintext_loopback);
  g_test_add_func ("/engine/account/server-check/starttls-wrong-ca", test_starttls_wrong_ca);

  return g_test_run ();
}
