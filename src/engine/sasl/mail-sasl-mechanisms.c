/* mail-sasl-mechanisms.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-sasl"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mail-sasl.h"
#include "mail-sasl-private.h"

typedef enum
{
  KIND_PASSWORD,
  KIND_OAUTH,
} MechanismKind;

/* Strongest first. SCRAM proves both sides know the password without revealing it;
 * CRAM-MD5/DIGEST-MD5/NTLM hide the password but are weak and unauthenticated (and are
 * NOT encryption: over plaintext they need the same consent as PLAIN); PLAIN and LOGIN
 * send it as is, and are fine only inside TLS. */
static const struct {
  const char *name;
  MechanismKind kind;
} mechanisms[] = {
  { "SCRAM-SHA-256", KIND_PASSWORD },
  { "SCRAM-SHA-1", KIND_PASSWORD },
  { "CRAM-MD5", KIND_PASSWORD },
  { "DIGEST-MD5", KIND_PASSWORD },
  { "NTLM", KIND_PASSWORD },
  { "PLAIN", KIND_PASSWORD },
  { "LOGIN", KIND_PASSWORD },
  { "OAUTHBEARER", KIND_OAUTH },
  { "XOAUTH2", KIND_OAUTH },
};

/* The GNU SASL context is shared by all sessions. We never install a callback on it:
 * every property is set on the session, so it needs no locking. */
Gsasl *
mail_sasl_get_gsasl (void)
{
  static gsize initialized = 0;
  static Gsasl *context = NULL;

  if (g_once_init_enter (&initialized))
    {
      Gsasl *ctx = NULL;
      int rc = gsasl_init (&ctx);

      if (rc != GSASL_OK)
        {
          g_warning ("Could not initialise GNU SASL: %s", gsasl_strerror (rc));
          ctx = NULL;
        }
      context = ctx;
      g_once_init_leave (&initialized, 1);
    }

  return context;
}

gboolean
mail_sasl_mechanism_is_custom (const char *mechanism)
{
  return g_ascii_strcasecmp (mechanism, "XOAUTH2") == 0 ||
         g_ascii_strcasecmp (mechanism, "OAUTHBEARER") == 0;
}

static int
find_mechanism (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      if (g_ascii_strcasecmp (mechanisms[i].name, name) == 0)
        return (int)i;
    }

  return -1;
}

const char *
mail_sasl_canonical_name (const char *mechanism)
{
  int i = find_mechanism (mechanism);

  return i >= 0 ? mechanisms[i].name : NULL;
}

/**
 * mail_sasl_mechanism_is_supported:
 * @mechanism: a SASL mechanism name, any case
 *
 * Whether #MailSasl can run @mechanism: one of SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5,
 * DIGEST-MD5, NTLM, PLAIN, LOGIN (when the installed GNU SASL has it), XOAUTH2,
 * OAUTHBEARER.
 *
 * Returns: %TRUE if supported
 */
gboolean
mail_sasl_mechanism_is_supported (const char *mechanism)
{
  Gsasl *ctx;
  int i;

  g_return_val_if_fail (mechanism != NULL, FALSE);

  i = find_mechanism (mechanism);
  if (i < 0)
    return FALSE;

  if (mechanisms[i].kind == KIND_OAUTH)
    return TRUE;

  ctx = mail_sasl_get_gsasl ();
  return ctx != NULL && gsasl_client_support_p (ctx, mechanisms[i].name);
}

static gboolean
is_offered (const char * const *offered,
            const char         *name)
{
  for (guint i = 0; offered != NULL && offered[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (offered[i], name) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * mail_sasl_choose_mechanism:
 * @offered: (nullable): the mechanisms the server offers (after TLS!), any case
 * @preference: (nullable): the account's choice: "auto" (or %NULL), "oauth", or one
 *   mechanism name in any case ("plain", "login", "cram-md5", "digest-md5", "ntlm",
 *   "scram-sha-1", "scram-sha-256", "xoauth2", "oauthbearer")
 * @have_oauth_token: whether the account authenticates with an OAuth token (then only
 *   OAuth mechanisms are considered; without one, only password mechanisms)
 * @may_send_secrets: whether the link is encrypted, or the person consented to
 *   plaintext (mail_connection_may_send_secrets())
 * @error: return location for a #GError
 *
 * Picks the strongest acceptable mechanism the server offers: SCRAM-SHA-256 >
 * SCRAM-SHA-1 > CRAM-MD5 > DIGEST-MD5 > NTLM > PLAIN > LOGIN; OAUTHBEARER > XOAUTH2.
 * Without @may_send_secrets nothing is chosen: CRAM-MD5 or NTLM are not encryption.
 *
 * Returns: (transfer none) (nullable): the canonical mechanism name, or %NULL with
 *   %MAIL_SASL_ERROR_PLAINTEXT_REFUSED, %MAIL_SASL_ERROR_NO_MECHANISM or
 *   %MAIL_SASL_ERROR_UNSUPPORTED (unknown preference)
 */
const char *
mail_sasl_choose_mechanism (const char * const  *offered,
                            const char          *preference,
                            gboolean             have_oauth_token,
                            gboolean             may_send_secrets,
                            GError             **error)
{
  MechanismKind kind = have_oauth_token ? KIND_OAUTH : KIND_PASSWORD;
  int only = -1;

  if (preference != NULL && *preference != '\0' &&
      g_ascii_strcasecmp (preference, "auto") != 0)
    {
      if (g_ascii_strcasecmp (preference, "oauth") == 0)
        kind = KIND_OAUTH;
      else
        {
          only = find_mechanism (preference);
          if (only < 0)
            {
              g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_UNSUPPORTED,
                           _("The authentication method “%s” is not supported"), preference);
              return NULL;
            }
          kind = mechanisms[only].kind;
        }

      if (kind == KIND_OAUTH && !have_oauth_token)
        {
          g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS,
                       _("This account signs in with OAuth, but there is no access token"));
          return NULL;
        }
    }

  if (!may_send_secrets)
    {
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_PLAINTEXT_REFUSED,
                   _("Refusing to log in over an unencrypted connection"));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      if (only >= 0 && (int)i != only)
        continue;
      if (mechanisms[i].kind != kind)
        continue;
      if (is_offered (offered, mechanisms[i].name) &&
          mail_sasl_mechanism_is_supported (mechanisms[i].name))
        return mechanisms[i].name;
    }

  if (only >= 0)
    g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_NO_MECHANISM,
                 _("The server does not offer the authentication method %s chosen for this "
                   "account"), mechanisms[only].name);
  else
    g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_NO_MECHANISM,
                 _("The server offers no authentication method this account can use"));
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* NTLM challenge (type 2 message) validation. The offsets and lengths in it are server
 * controlled; check every security buffer against the message size with 64-bit
 * arithmetic before libntlm sees it (EDS I#625: integer overflow in exactly this). */

#define NTLM_MAX_CHALLENGE 4096
#define NTLM_FLAG_TARGET_INFO 0x00800000u

static guint32
read_le32 (const guint8 *p)
{
  return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static guint16
read_le16 (const guint8 *p)
{
  return (guint16)(p[0] | (p[1] << 8));
}

static gboolean
security_buffer_ok (const guint8 *msg,
                    gsize         msg_len,
                    gsize         at)
{
  guint64 len;
  guint64 offset;

  if (at + 8 > msg_len)
    return FALSE;

  len = read_le16 (msg + at);
  offset = read_le32 (msg + at + 4);

  return len == 0 || (offset >= 32 && offset + len <= msg_len);
}

gboolean
mail_sasl_ntlm_challenge_is_valid (const guint8 *msg,
                                   gsize         len)
{
  static const guint8 signature[8] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };
  guint32 flags;

  if (msg == NULL || len < 32 || len > NTLM_MAX_CHALLENGE)
    return FALSE;
  if (memcmp (msg, signature, sizeof signature) != 0 || read_le32 (msg + 8) != 2)
    return FALSE;
  if (!security_buffer_ok (msg, len, 12))
    return FALSE;

  flags = read_le32 (msg + 20);
  if ((flags & NTLM_FLAG_TARGET_INFO) && (len < 48 || !security_buffer_ok (msg, len, 40)))
    return FALSE;

  return TRUE;
}
