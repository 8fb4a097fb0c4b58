/* test-sasl.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gsasl.h>

#include "mail-connection.h"
#include "mail-sasl.h"
#include "mail-test-server.h"
#include "mail-test-utils.h"

/* ------------------------------------------------------------------------------------ */
/* Known vectors */

static char *
step64 (MailSasl   *sasl,
        const char *challenge)
{
  g_autoptr(GError) error = NULL;
  char *response;

  response = mail_sasl_step64 (sasl, challenge, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

static void
test_plain (void)
{
  g_autoptr(MailSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *response = NULL;

  sasl = mail_sasl_new ("plain", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_sasl_get_mechanism (sasl), ==, "PLAIN");
  g_assert_true (mail_sasl_get_client_first (sasl));
  mail_sasl_set_credentials (sasl, "tim", "tanstaaftanstaaf");

  response = step64 (sasl, NULL);
  /* "\0tim\0tanstaaftanstaaf" */
  g_assert_cmpstr (response, ==, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  g_assert_true (mail_sasl_is_complete (sasl));

  g_assert_null (mail_sasl_step64 (sasl, "", &error));
  g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_STATE);
  g_assert_finalize_object (g_steal_pointer (&sasl));
}

static void
test_plain_authzid (void)
{
  g_autoptr(MailSasl) sasl = mail_sasl_new ("PLAIN", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;

  mail_sasl_set_credentials (sasl, "tim", "pw");
  mail_sasl_set_authzid (sasl, "boss");
  response = mail_sasl_step (sasl, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                   "boss\0tim\0pw", 11);
}

static void
test_login (void)
{
  g_autoptr(MailSasl) sasl = mail_sasl_new ("LOGIN", NULL);
  g_autofree char *user = NULL;
  g_autofree char *pass = NULL;

  g_assert_false (mail_sasl_get_client_first (sasl));
  mail_sasl_set_credentials (sasl, "tim", "tanstaaftanstaaf");
  user = step64 (sasl, "VXNlcm5hbWU6");  /* "Username:" */
  g_assert_cmpstr (user, ==, "dGlt");
  g_assert_false (mail_sasl_is_complete (sasl));
  pass = step64 (sasl, "UGFzc3dvcmQ6");  /* "Password:" */
  g_assert_cmpstr (pass, ==, "dGFuc3RhYWZ0YW5zdGFhZg==");
  g_assert_true (mail_sasl_is_complete (sasl));
}

/* RFC 2195 section 2. */
static void
test_cram_md5 (void)
{
  g_autoptr(MailSasl) sasl = mail_sasl_new ("CRAM-MD5", NULL);
  g_autofree char *response = NULL;
  g_autofree char *expected = NULL;

  g_assert_false (mail_sasl_get_client_first (sasl));
  mail_sasl_set_credentials (sasl, "tim", "tanstaaftanstaaf");
  response = step64 (sasl, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
  expected = g_base64_encode ((const guchar *)"tim b913a602c7eda7a495b4e6e7334d3890", 36);
  g_assert_cmpstr (response, ==, expected);
  g_assert_true (mail_sasl_is_complete (sasl));
}

/* The format from Google's XOAUTH2 documentation. */
static void
test_xoauth2 (void)
{
  g_autoptr(MailSasl) sasl = mail_sasl_new ("xoauth2", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *response = NULL;
  g_autofree char *after_error = NULL;

  mail_sasl_set_oauth_token (sasl, "someuser@example.com",
                             "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
  response = step64 (sasl, NULL);
  g_assert_cmpstr (response, ==,
                   "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
                   "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
  g_assert_false (mail_sasl_is_complete (sasl));

  /* The server's JSON error challenge is answered with an empty response. */
  after_error = step64 (sasl, "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=");
  g_assert_cmpstr (after_error, ==, "");
  g_assert_true (mail_sasl_is_complete (sasl));
}

/* RFC 7628 section 4.1. */
static void
test_oauthbearer (void)
{
  g_autoptr(MailSasl) sasl = mail_sasl_new ("OAUTHBEARER", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) after_error = NULL;
  g_autoptr(GBytes) json = g_bytes_new_static ("{\"status\":\"invalid_token\"}", 26);
  const char *expected = "n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
                         "auth=Bearer vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==\x01\x01";

  mail_sasl_set_service (sasl, "imap", "server.example.com", 143);
  mail_sasl_set_oauth_token (sasl, "user@example.com",
                             "vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==");
  response = mail_sasl_step (sasl, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                   expected, strlen (expected));

  after_error = mail_sasl_step (sasl, json, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (after_error, NULL), g_bytes_get_size (after_error),
                   "\x01", 1);
}

static void
test_oauthbearer_escaping (void)
{
  g_autoptr(MailSasl) sasl = mail_sasl_new ("OAUTHBEARER", NULL);
  g_autoptr(MailSasl) bad = mail_sasl_new ("OAUTHBEARER", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) nothing = NULL;
  const char *expected = "n,a=a=2Cb=3Dc,\x01" "auth=Bearer t\x01\x01";

  mail_sasl_set_oauth_token (sasl, "a,b=c", "t");
  response = mail_sasl_step (sasl, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                   expected, strlen (expected));

  /* A token with a separator in it would forge fields. */
  mail_sasl_set_oauth_token (bad, "user", "tok\x01" "en");
  nothing = mail_sasl_step (bad, NULL, &error);
  g_assert_null (nothing);
  g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS);
}

/* ------------------------------------------------------------------------------------ */
/* Against a GNU SASL server session in process */

static const char *server_password;

static int
server_cb (Gsasl          *ctx,
           Gsasl_session  *session,
           Gsasl_property  prop)
{
  const char *authid = gsasl_property_fast (session, GSASL_AUTHID);

  switch ((int)prop)
    {
    case GSASL_PASSWORD:
      if (g_strcmp0 (authid, "bob") != 0)
        return GSASL_NO_PASSWORD;
      gsasl_property_set (session, GSASL_PASSWORD, server_password);
      return GSASL_OK;

    case GSASL_VALIDATE_SIMPLE:
      return g_strcmp0 (authid, "bob") == 0 &&
             g_strcmp0 (gsasl_property_fast (session, GSASL_PASSWORD), server_password) == 0
             ? GSASL_OK : GSASL_AUTHENTICATION_ERROR;

    default:
      return GSASL_NO_CALLBACK;
    }
}

typedef struct
{
  int server_rc;
  GError *client_error;
  gboolean client_complete;
  guint round_trips;
} Exchange;

static void
run_exchange (const char *mechanism,
              const char *client_pw,
              const char *server_pw,
              gboolean    tamper_final,
              Exchange   *ex)
{
  g_autoptr(MailSasl) client = NULL;
  g_autoptr(GBytes) response = NULL;
  Gsasl *ctx = NULL;
  Gsasl_session *server = NULL;

  memset (ex, 0, sizeof *ex);
  server_password = server_pw;
  g_assert_cmpint (gsasl_init (&ctx), ==, GSASL_OK);
  gsasl_callback_set (ctx, server_cb);
  g_assert_cmpint (gsasl_server_start (ctx, mechanism, &server), ==, GSASL_OK);
  gsasl_property_set (server, GSASL_SERVICE, "imap");
  gsasl_property_set (server, GSASL_HOSTNAME, "mail.example.org");
  gsasl_property_set (server, GSASL_REALM, "mail.example.org");

  client = mail_sasl_new (mechanism, &ex->client_error);
  g_assert_no_error (ex->client_error);
  mail_sasl_set_service (client, "imap", "mail.example.org", 143);
  mail_sasl_set_credentials (client, "bob", client_pw);

  if (mail_sasl_get_client_first (client))
    response = mail_sasl_step (client, NULL, &ex->client_error);
  else
    response = g_bytes_new (NULL, 0);

  for (guint i = 0; response != NULL && i < 10; i++)
    {
      g_autoptr(GBytes) challenge = NULL;
      char *out = NULL;
      size_t out_len = 0;

      ex->round_trips++;
      ex->server_rc = gsasl_step (server, g_bytes_get_data (response, NULL),
                                  g_bytes_get_size (response), &out, &out_len);
      g_clear_pointer (&response, g_bytes_unref);

      if (ex->server_rc != GSASL_OK && ex->server_rc != GSASL_NEEDS_MORE)
        {
          gsasl_free (out);
          break;
        }

      if (ex->server_rc == GSASL_OK && out_len == 0)
        {
          gsasl_free (out);
          break;
        }

      if (tamper_final && ex->server_rc == GSASL_OK && out_len > 4)
        out[out_len - 3] = out[out_len - 3] == 'A' ? 'B' : 'A';

      challenge = g_bytes_new (out, out_len);
      gsasl_free (out);
      response = mail_sasl_step (client, challenge, &ex->client_error);

      if (ex->server_rc == GSASL_OK)
        break;
    }

  ex->client_complete = mail_sasl_is_complete (client);
  gsasl_finish (server);
  gsasl_done (ctx);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_server_exchange (gconstpointer data)
{
  const char *mechanism = data;
  Exchange ex;

  /* Right password. */
  run_exchange (mechanism, "correct horse", "correct horse", FALSE, &ex);
  g_assert_no_error (ex.client_error);
  g_assert_cmpint (ex.server_rc, ==, GSASL_OK);
  g_assert_true (ex.client_complete);
  g_test_message ("%s: %u round trips", mechanism, ex.round_trips);

  /* Wrong password: the server refuses. */
  run_exchange (mechanism, "wrong", "correct horse", FALSE, &ex);
  g_assert_cmpint (ex.server_rc, !=, GSASL_OK);
  g_clear_error (&ex.client_error);
}

/* SCRAM authenticates the server too: a forged server signature is caught. */
static void
test_scram_forged_server (gconstpointer data)
{
  const char *mechanism = data;
  Exchange ex;

  run_exchange (mechanism, "correct horse", "correct horse", TRUE, &ex);
  g_assert_cmpint (ex.server_rc, ==, GSASL_OK);
  g_assert_error (ex.client_error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_FAILED);
  g_clear_error (&ex.client_error);
}

/* ------------------------------------------------------------------------------------ */
/* NTLM */

static GBytes *
ntlm_type2 (guint16 name_len,
            guint32 name_offset,
            guint32 flags,
            gsize   total)
{
  gsize size = MAX (total, 48);
  guint8 *msg = g_malloc0 (size);
  GBytes *bytes;

  memcpy (msg, "NTLMSSP", 8);
  msg[8] = 2;
  msg[12] = name_len & 0xff;
  msg[13] = name_len >> 8;
  msg[14] = name_len & 0xff;
  msg[15] = name_len >> 8;
  msg[16] = name_offset & 0xff;
  msg[17] = (name_offset >> 8) & 0xff;
  msg[18] = (name_offset >> 16) & 0xff;
  msg[19] = (name_offset >> 24) & 0xff;
  msg[20] = flags & 0xff;
  msg[21] = (flags >> 8) & 0xff;
  msg[22] = (flags >> 16) & 0xff;
  msg[23] = (flags >> 24) & 0xff;
  for (guint i = 0; i < 8; i++)
    msg[24 + i] = (guint8)(0x11 * (i + 1));
  for (gsize i = name_offset; name_len > 0 && i < (gsize)name_offset + name_len && i < size; i++)
    msg[i] = (i % 2 == 0) ? 'D' : 0;

  /* Built in a buffer of at least the header size, then cut to the size under test. */
  bytes = g_bytes_new (msg, total);
  g_free (msg);
  return bytes;
}

static void
test_ntlm (void)
{
  g_autoptr(MailSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) type1 = NULL;
  g_autoptr(GBytes) type2 = NULL;
  g_autoptr(GBytes) type3 = NULL;
  const guint8 *data;

  if (!mail_sasl_mechanism_is_supported ("NTLM"))
    {
      g_test_skip ("GNU SASL without NTLM");
      return;
    }

  sasl = mail_sasl_new ("NTLM", &error);
  g_assert_no_error (error);
  mail_sasl_set_credentials (sasl, "bob", "pw");
  type1 = mail_sasl_step (sasl, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (type1, NULL);
  g_assert_cmpuint (g_bytes_get_size (type1), >=, 16);
  g_assert_cmpmem (data, 9, "NTLMSSP\0\x01", 9);

  type2 = ntlm_type2 (12, 48, 0x00000001 | 0x00000200, 60);
  type3 = mail_sasl_step (sasl, type2, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (type3, NULL);
  g_assert_cmpmem (data, 9, "NTLMSSP\0\x03", 9);
  g_assert_true (mail_sasl_is_complete (sasl));
}

static void
test_ntlm_bogus (void)
{
  struct {
    guint16 name_len;
    guint32 name_offset;
    guint32 flags;
    gsize total;
  } cases[] = {
    { 12, 0xFFFFFFF8u, 1, 60 },            /* offset + len wraps around 32 bits */
    { 0xFFFF, 48, 1, 60 },                 /* length beyond the message */
    { 12, 56, 1, 60 },                     /* runs over the end by 8 */
    { 4, 8, 1, 60 },                       /* points into the header */
    { 0, 0, 0x00800000u, 40 },             /* target info flag, message too short */
    { 0, 0, 0, 20 },                       /* truncated header */
    { 0, 0, 0, 8192 },                     /* absurdly large */
  };

  if (!mail_sasl_mechanism_is_supported ("NTLM"))
    {
      g_test_skip ("GNU SASL without NTLM");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MailSasl) sasl = mail_sasl_new ("NTLM", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) type1 = NULL;
      g_autoptr(GBytes) type2 = NULL;
      g_autoptr(GBytes) type3 = NULL;

      mail_sasl_set_credentials (sasl, "bob", "pw");
      type1 = mail_sasl_step (sasl, NULL, &error);
      g_assert_no_error (error);
      type2 = ntlm_type2 (cases[i].name_len, cases[i].name_offset, cases[i].flags,
                          cases[i].total);
      type3 = mail_sasl_step (sasl, type2, &error);
      g_assert_null (type3);
      g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_BAD_CHALLENGE);
    }

  /* Not even NTLM. */
  {
    g_autoptr(MailSasl) sasl = mail_sasl_new ("NTLM", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) type1 = NULL;
    g_autofree char *r = NULL;

    mail_sasl_set_credentials (sasl, "bob", "pw");
    type1 = mail_sasl_step (sasl, NULL, &error);
    r = mail_sasl_step64 (sasl, "SGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IE5UTE0gYXQgYWxsIQ==", &error);
    g_assert_null (r);
    g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_BAD_CHALLENGE);
  }
}

/* ------------------------------------------------------------------------------------ */
/* Bogus challenges and bad use */

static void
test_bad_base64 (void)
{
  const char *bad[] = { "abc", "!!!!", "QQ=Q", "Q===", "QUJD\nREVG", "QU JD", "====" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MailSasl) sasl = mail_sasl_new ("CRAM-MD5", NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *response = NULL;

      mail_sasl_set_credentials (sasl, "tim", "pw");
      response = mail_sasl_step64 (sasl, bad[i], &error);
      g_assert_null (response);
      g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_BAD_CHALLENGE);
    }
}

static void
test_garbage_challenges (void)
{
  const char *mechs[] = { "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256" };
  static const char *garbage[] = {
    "",
    "r=",
    "r=abc,s=!!!,i=0",
    "r=xyz,s=QUJD,i=99999999999999999999",
    "realm=\"x\",nonce=\"",
    "nonce=\"a\",qop=\"auth\",algorithm=md5-sess,charset=utf-8,maxbuf=-1",
    "\xff\xfe\x00garbage",
  };

  for (guint m = 0; m < G_N_ELEMENTS (mechs); m++)
    {
      for (guint g = 0; g < G_N_ELEMENTS (garbage); g++)
        {
          g_autoptr(MailSasl) sasl = mail_sasl_new (mechs[m], NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) first = NULL;
          g_autoptr(GBytes) challenge = g_bytes_new_static (garbage[g], strlen (garbage[g]));
          g_autoptr(GBytes) response = NULL;

          mail_sasl_set_service (sasl, "imap", "mail.example.org", 143);
          mail_sasl_set_credentials (sasl, "bob", "pw");
          if (mail_sasl_get_client_first (sasl))
            {
              first = mail_sasl_step (sasl, NULL, &error);
              g_assert_no_error (error);
            }

          /* Whatever gsasl makes of it: an error or a response, never a crash. A SCRAM
           * challenge without our nonce must be an error. */
          response = mail_sasl_step (sasl, challenge, &error);
          if (g_str_has_prefix (mechs[m], "SCRAM"))
            {
              g_assert_null (response);
              g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_BAD_CHALLENGE);
            }
          g_assert_true (response != NULL || error != NULL);
        }
    }
}

static void
test_bad_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MailSasl) sasl = NULL;
  g_autoptr(MailSasl) nopw = NULL;
  g_autoptr(MailSasl) notoken = NULL;
  g_autoptr(GBytes) response = NULL;

  sasl = mail_sasl_new ("GSSAPI-NOPE", &error);
  g_assert_null (sasl);
  g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  nopw = mail_sasl_new ("SCRAM-SHA-256", NULL);
  response = mail_sasl_step (nopw, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS);
  g_clear_error (&error);

  notoken = mail_sasl_new ("XOAUTH2", NULL);
  response = mail_sasl_step (notoken, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS);
}

/* ------------------------------------------------------------------------------------ */
/* Mechanism choice */

static void
test_choose (void)
{
  static const struct {
    const char *offered;
    const char *preference;
    gboolean token;
    gboolean secure;
    const char *expected;   /* NULL: error */
    int error_code;
  } table[] = {
    { "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256", "auto", FALSE, TRUE, "SCRAM-SHA-256", 0 },
    { "plain login cram-md5 scram-sha-1", NULL, FALSE, TRUE, "SCRAM-SHA-1", 0 },
    { "PLAIN LOGIN CRAM-MD5", "auto", FALSE, TRUE, "CRAM-MD5", 0 },
    { "PLAIN LOGIN DIGEST-MD5", "auto", FALSE, TRUE, "DIGEST-MD5", 0 },
    { "PLAIN LOGIN NTLM", "auto", FALSE, TRUE, "NTLM", 0 },
    { "LOGIN PLAIN", "auto", FALSE, TRUE, "PLAIN", 0 },
    { "LOGIN", "", FALSE, TRUE, "LOGIN", 0 },
    { "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256", "plain", FALSE, TRUE, "PLAIN", 0 },
    { "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256", "LOGIN", FALSE, TRUE, "LOGIN", 0 },
    { "PLAIN LOGIN", "cram-md5", FALSE, TRUE, NULL, MAIL_SASL_ERROR_NO_MECHANISM },
    { "PLAIN LOGIN NTLM", "ntlm", FALSE, TRUE, "NTLM", 0 },
    { "PLAIN SCRAM-SHA-1", "scram-sha-256", FALSE, TRUE, NULL, MAIL_SASL_ERROR_NO_MECHANISM },
    { "PLAIN", "kerberos-magic", FALSE, TRUE, NULL, MAIL_SASL_ERROR_UNSUPPORTED },
    /* OAuth only with a token, and then only OAuth. */
    { "PLAIN XOAUTH2 OAUTHBEARER", "auto", FALSE, TRUE, "PLAIN", 0 },
    { "PLAIN XOAUTH2 OAUTHBEARER", "auto", TRUE, TRUE, "OAUTHBEARER", 0 },
    { "PLAIN XOAUTH2", "auto", TRUE, TRUE, "XOAUTH2", 0 },
    { "PLAIN XOAUTH2", "oauth", TRUE, TRUE, "XOAUTH2", 0 },
    { "PLAIN", "auto", TRUE, TRUE, NULL, MAIL_SASL_ERROR_NO_MECHANISM },
    { "XOAUTH2", "xoauth2", FALSE, TRUE, NULL, MAIL_SASL_ERROR_MISSING_CREDENTIALS },
    { "XOAUTH2 OAUTHBEARER", "xoauth2", TRUE, TRUE, "XOAUTH2", 0 },
    /* Never a password (or token) mechanism over plaintext without consent, not even the
     * challenge-response ones. */
    { "PLAIN", "auto", FALSE, FALSE, NULL, MAIL_SASL_ERROR_PLAINTEXT_REFUSED },
    { "CRAM-MD5", "auto", FALSE, FALSE, NULL, MAIL_SASL_ERROR_PLAINTEXT_REFUSED },
    { "NTLM", "ntlm", FALSE, FALSE, NULL, MAIL_SASL_ERROR_PLAINTEXT_REFUSED },
    { "SCRAM-SHA-256", "auto", FALSE, FALSE, NULL, MAIL_SASL_ERROR_PLAINTEXT_REFUSED },
    { "XOAUTH2", "auto", TRUE, FALSE, NULL, MAIL_SASL_ERROR_PLAINTEXT_REFUSED },
    /* Nothing offered, or only things we do not do. */
    { "", "auto", FALSE, TRUE, NULL, MAIL_SASL_ERROR_NO_MECHANISM },
    { "GSSAPI ANONYMOUS EXTERNAL", "auto", FALSE, TRUE, NULL, MAIL_SASL_ERROR_NO_MECHANISM },
    { "SCRAM-SHA-256-PLUS GSSAPI PLAIN", "auto", FALSE, TRUE, "PLAIN", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_auto(GStrv) offered = g_strsplit (table[i].offered, " ", -1);
      g_autoptr(GError) error = NULL;
      const char *chosen;

      chosen = mail_sasl_choose_mechanism ((const char * const *)offered, table[i].preference,
                                           table[i].token, table[i].secure, &error);
      g_test_message ("row %u: offered “%s”, preference %s → %s", i, table[i].offered,
                      table[i].preference, chosen != NULL ? chosen : error->message);
      if (table[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (chosen, ==, table[i].expected);
        }
      else
        {
          g_assert_null (chosen);
          g_assert_error (error, MAIL_SASL_ERROR, table[i].error_code);
        }
    }

  g_assert_null (mail_sasl_choose_mechanism (NULL, NULL, FALSE, TRUE, NULL));
}

/* ------------------------------------------------------------------------------------ */
/* Over a connection to the scripted server */

typedef struct
{
  GAsyncResult *result;
  gboolean done;
} AsyncWait;

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static char *
read_line (MailConnection *conn)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;
  char *line;

  mail_connection_read_line_async (conn, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, 10000);
  line = mail_connection_read_line_finish (conn, wait.result, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return line;
}

static void
write_line (MailConnection *conn,
            const char     *line,
            MailLogFlags    flags)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  mail_connection_write_line_async (conn, line, flags, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, 10000);
  g_assert_true (mail_connection_write_line_finish (conn, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

/* An SMTP AUTH CRAM-MD5 exchange (RFC 2195 vector) driven by a transcript: the server
 * sees the expected response, and never the password. */
static void
test_smtp_cram_md5_transcript (void)
{
  g_autoptr(MailTestServer) server = mail_test_server_new ();
  g_autoptr(MailConnection) conn = NULL;
  g_autoptr(MailSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *challenge_line = NULL;
  g_autofree char *ok = NULL;
  g_auto(GStrv) offered = NULL;
  char *response;
  const char *mech;
  AsyncWait wait = { 0 };

  mail_test_server_load_transcript (server, "sasl/smtp-cram-md5.txt");
  mail_test_server_start (server);

  conn = mail_connection_new ("127.0.0.1", mail_test_server_get_port (server),
                              MAIL_SECURITY_NONE);
  mail_connection_connect_async (conn, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, 10000);
  g_assert_true (mail_connection_connect_finish (conn, wait.result, &error));
  g_clear_object (&wait.result);

  greeting = read_line (conn);
  g_assert_true (g_str_has_prefix (greeting, "220 "));
  write_line (conn, "EHLO client.example", MAIL_LOG_NORMAL);
  g_free (read_line (conn));
  {
    g_autofree char *auth = read_line (conn);

    g_assert_true (g_str_has_prefix (auth, "250 AUTH "));
    offered = g_strsplit (auth + strlen ("250 AUTH "), " ", -1);
  }

  mech = mail_sasl_choose_mechanism ((const char * const *)offered, "auto", FALSE,
                                     mail_connection_may_send_secrets (conn), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mech, ==, "CRAM-MD5");

  sasl = mail_sasl_new (mech, &error);
  mail_sasl_set_credentials (sasl, "tim", "tanstaaftanstaaf");
  write_line (conn, "AUTH CRAM-MD5", MAIL_LOG_NORMAL);
  challenge_line = read_line (conn);
  g_assert_true (g_str_has_prefix (challenge_line, "334 "));
  response = mail_sasl_step64 (sasl, challenge_line + 4, &error);
  g_assert_no_error (error);
  write_line (conn, response, MAIL_LOG_SENSITIVE);
  mail_sasl_response_free (response);
  ok = read_line (conn);
  g_assert_cmpstr (ok, ==, "235 2.7.0 Authentication successful");
  write_line (conn, "QUIT", MAIL_LOG_NORMAL);

  g_clear_object (&conn);
  g_assert_true (mail_test_server_wait (server, &error));
  g_assert_no_error (error);
  g_assert_false (mail_test_server_received_contains (server, "tanstaaf"));
}

/* IMAP AUTHENTICATE (without SASL-IR) over IMAPS against Dovecot. Returns the tagged reply. */
static char *
stack_authenticate (const char *mechanism,
                    const char *user,
                    const char *password)
{
  g_autoptr(MailConnection) conn = NULL;
  g_autoptr(MailTlsPolicy) policy = mail_tls_policy_new ();
  g_autoptr(MailSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *command = NULL;
  AsyncWait wait = { 0 };

  g_assert_true (mail_tls_policy_set_ca_file (policy, mail_test_stack ("CA"), &error));
  conn = mail_connection_new (mail_test_stack ("TLS_NAME"), mail_test_stack_port ("IMAPS_PORT"),
                              MAIL_SECURITY_TLS);
  mail_connection_set_tls_policy (conn, policy);
  mail_connection_connect_async (conn, NULL, async_cb, &wait);
  mail_test_wait_for (&wait.done, 10000);
  g_assert_true (mail_connection_connect_finish (conn, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  greeting = read_line (conn);
  sasl = mail_sasl_new (mechanism, &error);
  g_assert_no_error (error);
  mail_sasl_set_service (sasl, "imap", mail_test_stack ("TLS_NAME"),
                         mail_test_stack_port ("IMAPS_PORT"));
  mail_sasl_set_credentials (sasl, user, password);

  command = g_strdup_printf ("a1 AUTHENTICATE %s", mechanism);
  write_line (conn, command, MAIL_LOG_NORMAL);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *line = read_line (conn);
      char *response;

      if (g_str_has_prefix (line, "a1 "))
        return g_strdup (line + 3);

      g_assert_true (line[0] == '+');
      response = mail_sasl_step64 (sasl, line[1] == ' ' ? line + 2 : "", &error);
      g_assert_no_error (error);
      write_line (conn, response, MAIL_LOG_SENSITIVE);
      mail_sasl_response_free (response);
    }

  g_assert_not_reached ();
  return NULL;
}

static void
test_stack_mechanisms (void)
{
  g_auto(GStrv) mechanisms = NULL;

  if (!mail_test_have_stack ())
    return;

  mechanisms = g_strsplit (mail_test_stack ("IMAP_MECHANISMS"), " ", -1);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    {
      g_autofree char *ok = NULL;
      g_autofree char *no = NULL;

      if (*mechanisms[i] == '\0' || !mail_sasl_mechanism_is_supported (mechanisms[i]))
        continue;

      ok = stack_authenticate (mechanisms[i], mail_test_stack ("ALICE"),
                               mail_test_stack ("ALICE_PASSWORD"));
      g_test_message ("%s: %s", mechanisms[i], ok);
      g_assert_true (g_str_has_prefix (ok, "OK"));

      /* Dovecot delays each failure by seconds: check refusal for two of them only. */
      if (g_str_equal (mechanisms[i], "PLAIN") || g_str_equal (mechanisms[i], "SCRAM-SHA-256"))
        {
          no = stack_authenticate (mechanisms[i], mail_test_stack ("ALICE"), "not-the-password");
          g_assert_true (g_str_has_prefix (no, "NO"));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("MAIL_DEBUG", "protocol", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/sasl/plain", test_plain);
  g_test_add_func ("/engine/sasl/plain-authzid", test_plain_authzid);
  g_test_add_func ("/engine/sasl/login", test_login);
  g_test_add_func ("/engine/sasl/cram-md5", test_cram_md5);
  g_test_add_func ("/engine/sasl/xoauth2", test_xoauth2);
  g_test_add_func ("/engine/sasl/oauthbearer", test_oauthbearer);
  g_test_add_func ("/engine/sasl/oauthbearer-escaping", test_oauthbearer_escaping);
  g_test_add_data_func ("/engine/sasl/server/scram-sha-256", "SCRAM-SHA-256",
                        test_server_exchange);
  g_test_add_data_func ("/engine/sasl/server/scram-sha-1", "SCRAM-SHA-1", test_server_exchange);
  g_test_add_data_func ("/engine/sasl/server/digest-md5", "DIGEST-MD5", test_server_exchange);
  g_test_add_data_func ("/engine/sasl/server/cram-md5", "CRAM-MD5", test_server_exchange);
  g_test_add_data_func ("/engine/sasl/server/plain", "PLAIN", test_server_exchange);
  g_test_add_data_func ("/engine/sasl/server/login", "LOGIN", test_server_exchange);
  g_test_add_data_func ("/engine/sasl/scram-forged-server/sha-256", "SCRAM-SHA-256",
                        test_scram_forged_server);
  g_test_add_data_func ("/engine/sasl/scram-forged-server/sha-1", "SCRAM-SHA-1",
                        test_scram_forged_server);
  g_test_add_func ("/engine/sasl/ntlm", test_ntlm);
  g_test_add_func ("/engine/sasl/ntlm-bogus", test_ntlm_bogus);
  g_test_add_func ("/engine/sasl/bad-base64", test_bad_base64);
  g_test_add_func ("/engine/sasl/garbage-challenges", test_garbage_challenges);
  g_test_add_func ("/engine/sasl/bad-use", test_bad_use);
  g_test_add_func ("/engine/sasl/choose", test_choose);
  g_test_add_func ("/engine/sasl/smtp-cram-md5-transcript", test_smtp_cram_md5_transcript);
  g_test_add_func ("/engine/sasl/stack/imap-mechanisms", test_stack_mechanisms);

  return g_test_run ();
}
