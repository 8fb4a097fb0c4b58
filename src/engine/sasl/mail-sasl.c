/* mail-sasl.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-sasl"

#include "config.h"

#include "mail-sasl.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mail-base64.h"
#include "mail-redact.h"
#include "mail-sasl-private.h"

struct _MailSasl
{
  GObject parent_instance;

  /* owned */
  Gsasl_session *session;

  /* state; password and token are wiped when handed over or freed */
  char *mechanism;
  char *service;
  char *hostname;
  char *username;
  char *authzid;
  char *password;
  char *token;
  guint steps;
  guint16 port;
  gboolean complete;
  gboolean custom;
};

G_DEFINE_FINAL_TYPE (MailSasl, mail_sasl, G_TYPE_OBJECT)

G_DEFINE_QUARK (mail-sasl-error-quark, mail_sasl_error)

enum {
  PROP_0,
  PROP_MECHANISM,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Properties GNU SASL may hold that are the password or equivalent to it. */
static const Gsasl_property secret_properties[] = {
  GSASL_PASSWORD,
  GSASL_SCRAM_SALTED_PASSWORD,
  GSASL_SCRAM_SERVERKEY,
  GSASL_SCRAM_STOREDKEY,
};

/* ------------------------------------------------------------------------------------ */
/* Helpers */

typedef struct
{
  gsize len;
  guint8 data[];
} SecretBuffer;

static void
secret_buffer_free (gpointer data)
{
  SecretBuffer *buffer = data;

  mail_wipe (buffer->data, buffer->len);
  g_free (buffer);
}

/* A GBytes whose memory is wiped when the last reference goes. */
static GBytes *
secret_bytes_new (const void *data,
                  gsize       len)
{
  SecretBuffer *buffer = g_malloc (sizeof (SecretBuffer) + len + 1);

  buffer->len = len;
  if (len > 0)
    memcpy (buffer->data, data, len);
  buffer->data[len] = 0;

  return g_bytes_new_with_free_func (buffer->data, len, secret_buffer_free, buffer);
}

static void
wipe_session_secrets (MailSasl *self)
{
  if (self->session == NULL)
    return;

  /* gsasl_property_free() releases without wiping; overwrite the strings first. */
  for (guint i = 0; i < G_N_ELEMENTS (secret_properties); i++)
    {
      const char *value = gsasl_property_fast (self->session, secret_properties[i]);

      if (value != NULL)
        mail_wipe ((char *)value, strlen (value));
      gsasl_property_free (self->session, secret_properties[i]);
    }
}

static void
set_secret (char       **field,
            const char  *value)
{
  g_clear_pointer (field, mail_wipe_string_free);
  *field = g_strdup (value);
}

static gboolean
has_control_chars (const char *s)
{
  for (const char *p = s; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x20 || *p == 0x7F)
        return TRUE;
    }

  return FALSE;
}

static gboolean
ensure_session (MailSasl  *self,
                GError   **error)
{
  Gsasl *ctx;
  int rc;

  if (self->session != NULL)
    return TRUE;

  if (self->username == NULL || self->password == NULL)
    {
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS,
                   _("A user name and password are needed to log in"));
      return FALSE;
    }

  if (g_str_equal (self->mechanism, "DIGEST-MD5") &&
      (self->service == NULL || self->hostname == NULL))
    {
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS,
                   _("DIGEST-MD5 needs the service and host name"));
      return FALSE;
    }

  ctx = mail_sasl_get_gsasl ();
  if (ctx == NULL)
    {
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_UNSUPPORTED,
                   _("Authentication support is not available"));
      return FALSE;
    }

  rc = gsasl_client_start (ctx, self->mechanism, &self->session);
  if (rc != GSASL_OK)
    {
      self->session = NULL;
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_UNSUPPORTED,
                   _("The authentication method %s could not be started: %s"),
                   self->mechanism, gsasl_strerror (rc));
      return FALSE;
    }

  gsasl_property_set (self->session, GSASL_AUTHID, self->username);
  gsasl_property_set (self->session, GSASL_PASSWORD, self->password);
  if (self->authzid != NULL)
    gsasl_property_set (self->session, GSASL_AUTHZID, self->authzid);
  if (self->service != NULL)
    gsasl_property_set (self->session, GSASL_SERVICE, self->service);
  if (self->hostname != NULL)
    gsasl_property_set (self->session, GSASL_HOSTNAME, self->hostname);

  /* GNU SASL has its own copy now; ours is not needed any more. */
  g_clear_pointer (&self->password, mail_wipe_string_free);
  return TRUE;
}

static void
mark_complete (MailSasl *self)
{
  self->complete = TRUE;
  wipe_session_secrets (self);
  g_clear_pointer (&self->password, mail_wipe_string_free);
  g_clear_pointer (&self->token, mail_wipe_string_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* RFC 5801 saslname: ',' and '=' are escaped as =2C and =3D. */
static char *
gs2_escape (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ',')
        g_string_append (out, "=2C");
      else if (*p == '=')
        g_string_append (out, "=3D");
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* XOAUTH2 (Google/Microsoft) and OAUTHBEARER (RFC 7628) are fixed formats; GNU SASL has
 * neither. After the initial response, a challenge can only be the server's error
 * report (JSON); the client must answer it with an empty response (XOAUTH2) or a single
 * 0x01 (OAUTHBEARER), after which the server fails the exchange. */
static GBytes *
oauth_step (MailSasl  *self,
            GError   **error)
{
  g_autoptr(GString) out = NULL;
  GBytes *bytes;
  gboolean bearer = g_str_equal (self->mechanism, "OAUTHBEARER");

  if (self->steps > 0)
    {
      self->steps++;
      mark_complete (self);
      return bearer ? secret_bytes_new ("\x01", 1) : secret_bytes_new (NULL, 0);
    }

  if (self->username == NULL || self->token == NULL)
    {
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS,
                   _("A user name and access token are needed to log in"));
      return NULL;
    }

  if (has_control_chars (self->username) || has_control_chars (self->token))
    {
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS,
                   _("The user name or access token contains invalid characters"));
      return NULL;
    }

  out = g_string_new (NULL);
  if (bearer)
    {
      g_autofree char *escaped = gs2_escape (self->username);

      g_string_append_printf (out, "n,a=%s,\x01", escaped);
      if (self->hostname != NULL && !has_control_chars (self->hostname))
        g_string_append_printf (out, "host=%s\x01", self->hostname);
      if (self->port != 0)
        g_string_append_printf (out, "port=%u\x01", self->port);
      g_string_append_printf (out, "auth=Bearer %s\x01\x01", self->token);
    }
  else
    g_string_append_printf (out, "user=%s\x01" "auth=Bearer %s\x01\x01",
                            self->username, self->token);

  self->steps++;
  bytes = secret_bytes_new (out->str, out->len);
  mail_wipe (out->str, out->len);
  g_clear_pointer (&self->token, mail_wipe_string_free);
  return bytes;
}

/* ------------------------------------------------------------------------------------ */
/* GObject */

static void
mail_sasl_finalize (GObject *object)
{
  MailSasl *self = (MailSasl *)object;

  wipe_session_secrets (self);
  g_clear_pointer (&self->session, gsasl_finish);
  g_clear_pointer (&self->password, mail_wipe_string_free);
  g_clear_pointer (&self->token, mail_wipe_string_free);
  g_clear_pointer (&self->mechanism, g_free);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->hostname, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->authzid, g_free);

  G_OBJECT_CLASS (mail_sasl_parent_class)->finalize (object);
}

static void
mail_sasl_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MailSasl *self = MAIL_SASL (object);

  switch (prop_id)
    {
    case PROP_MECHANISM:
      g_value_set_string (value, mail_sasl_get_mechanism (self));
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, mail_sasl_is_complete (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_sasl_class_init (MailSaslClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_sasl_finalize;
  object_class->get_property = mail_sasl_get_property;

  properties[PROP_MECHANISM] =
    g_param_spec_string ("mechanism", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_sasl_init (MailSasl *self)
{
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

/**
 * mail_sasl_new:
 * @mechanism: a mechanism name (any case), usually from mail_sasl_choose_mechanism()
 * @error: return location for a #GError
 *
 * Creates a client exchange for @mechanism.
 *
 * Returns: (transfer full) (nullable): a new #MailSasl, or %NULL with
 *   %MAIL_SASL_ERROR_UNSUPPORTED
 */
MailSasl *
mail_sasl_new (const char  *mechanism,
               GError     **error)
{
  MailSasl *self;
  const char *name;

  g_return_val_if_fail (mechanism != NULL, NULL);

  name = mail_sasl_canonical_name (mechanism);
  if (name == NULL || !mail_sasl_mechanism_is_supported (name))
    {
      g_autofree char *shown = g_utf8_make_valid (mechanism, -1);

      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_UNSUPPORTED,
                   _("The authentication method “%s” is not supported"), shown);
      return NULL;
    }

  self = g_object_new (MAIL_TYPE_SASL, NULL);
  self->mechanism = g_strdup (name);
  self->custom = mail_sasl_mechanism_is_custom (name);
  return self;
}

/**
 * mail_sasl_get_mechanism:
 * @self: a #MailSasl
 *
 * Returns: the canonical (upper-case) mechanism name
 */
const char *
mail_sasl_get_mechanism (MailSasl *self)
{
  g_return_val_if_fail (MAIL_IS_SASL (self), NULL);
  return self->mechanism;
}

/**
 * mail_sasl_set_service:
 * @self: a #MailSasl
 * @service: (nullable): the GSSAPI service name: "imap", "smtp" or "pop"
 * @hostname: (nullable): the server's host name
 * @port: the server's port (OAUTHBEARER sends it), 0 if unknown
 *
 * Sets what DIGEST-MD5 (digest-uri) and OAUTHBEARER (host, port) need. Call before the
 * first step.
 */
void
mail_sasl_set_service (MailSasl   *self,
                       const char *service,
                       const char *hostname,
                       guint16     port)
{
  g_return_if_fail (MAIL_IS_SASL (self));
  g_return_if_fail (self->session == NULL && self->steps == 0);

  g_free (self->service);
  self->service = g_strdup (service);
  g_free (self->hostname);
  self->hostname = g_strdup (hostname);
  self->port = port;
}

/**
 * mail_sasl_set_credentials:
 * @self: a #MailSasl
 * @username: the authentication identity (login name)
 * @password: the password; copied, and the copy is wiped as soon as GNU SASL has it
 *
 * Sets the credentials of a password mechanism. Call before the first step.
 */
void
mail_sasl_set_credentials (MailSasl   *self,
                           const char *username,
                           const char *password)
{
  g_return_if_fail (MAIL_IS_SASL (self));
  g_return_if_fail (self->session == NULL && self->steps == 0);

  g_free (self->username);
  self->username = g_strdup (username);
  set_secret (&self->password, password);
}

/**
 * mail_sasl_set_authzid:
 * @self: a #MailSasl
 * @authzid: (nullable): the authorization identity (act as this user), rarely needed
 *
 * Sets the authorization identity for mechanisms that carry one (PLAIN, SCRAM, DIGEST-MD5).
 */
void
mail_sasl_set_authzid (MailSasl   *self,
                       const char *authzid)
{
  g_return_if_fail (MAIL_IS_SASL (self));
  g_return_if_fail (self->session == NULL && self->steps == 0);

  g_free (self->authzid);
  self->authzid = g_strdup (authzid);
}

/**
 * mail_sasl_set_oauth_token:
 * @self: a #MailSasl
 * @username: the account's user (e-mail address)
 * @token: the OAuth 2.0 access token; copied, wiped after use
 *
 * Sets the credentials of XOAUTH2 and OAUTHBEARER.
 */
void
mail_sasl_set_oauth_token (MailSasl   *self,
                           const char *username,
                           const char *token)
{
  g_return_if_fail (MAIL_IS_SASL (self));
  g_return_if_fail (self->steps == 0);

  g_free (self->username);
  self->username = g_strdup (username);
  set_secret (&self->token, token);
}

/**
 * mail_sasl_get_client_first:
 * @self: a #MailSasl
 *
 * Whether the client speaks first: its first response may go with the AUTH/AUTHENTICATE
 * command as an initial response (SASL-IR, RFC 4954), computed with an empty challenge.
 * For the others (CRAM-MD5, DIGEST-MD5, LOGIN) wait for the server's first challenge.
 *
 * Returns: %TRUE for client-first mechanisms
 */
gboolean
mail_sasl_get_client_first (MailSasl *self)
{
  g_return_val_if_fail (MAIL_IS_SASL (self), FALSE);

  return !g_str_equal (self->mechanism, "CRAM-MD5") &&
         !g_str_equal (self->mechanism, "DIGEST-MD5") &&
         !g_str_equal (self->mechanism, "LOGIN");
}

/**
 * mail_sasl_is_complete:
 * @self: a #MailSasl
 *
 * Whether the client side has finished: its last response is out. (Whether the server
 * accepted is the protocol's final reply.)
 *
 * Returns: %TRUE when no more steps are expected
 */
gboolean
mail_sasl_is_complete (MailSasl *self)
{
  g_return_val_if_fail (MAIL_IS_SASL (self), FALSE);
  return self->complete;
}

/**
 * mail_sasl_step:
 * @self: a #MailSasl
 * @challenge: (nullable): the server's decoded challenge; %NULL or empty for none
 * @error: return location for a #GError
 *
 * Computes the response to @challenge. Malformed challenges (bad NTLM offsets, garbage)
 * fail with %MAIL_SASL_ERROR_BAD_CHALLENGE; a SCRAM server that cannot prove it knows the
 * password fails with %MAIL_SASL_ERROR_FAILED.
 *
 * Returns: (transfer full) (nullable): the response (possibly empty), wiped when freed;
 *   send it with %MAIL_LOG_SENSITIVE
 */
GBytes *
mail_sasl_step (MailSasl  *self,
                GBytes    *challenge,
                GError   **error)
{
  const char *input = NULL;
  gsize input_len = 0;
  char *output = NULL;
  size_t output_len = 0;
  GBytes *response;
  int rc;

  g_return_val_if_fail (MAIL_IS_SASL (self), NULL);

  if (self->complete)
    {
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_STATE,
                   _("The server continued the login after it was complete"));
      return NULL;
    }

  if (challenge != NULL)
    input = g_bytes_get_data (challenge, &input_len);

  if (self->custom)
    return oauth_step (self, error);

  if (!ensure_session (self, error))
    return NULL;

  if (g_str_equal (self->mechanism, "NTLM") && self->steps == 1 &&
      !mail_sasl_ntlm_challenge_is_valid ((const guint8 *)input, input_len))
    {
      mark_complete (self);
      g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_BAD_CHALLENGE,
                   _("The server sent a malformed authentication challenge"));
      return NULL;
    }

  rc = gsasl_step (self->session, input, input_len, &output, &output_len);
  self->steps++;

  if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE)
    {
      if (output != NULL)
        {
          mail_wipe (output, output_len);
          gsasl_free (output);
        }
      mark_complete (self);

      switch (rc)
        {
        case GSASL_MECHANISM_PARSE_ERROR:
          g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_BAD_CHALLENGE,
                       _("The server sent a malformed authentication challenge"));
          break;
        case GSASL_AUTHENTICATION_ERROR:
          g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_FAILED,
                       _("The server could not prove that it knows the password"));
          break;
        case GSASL_NO_AUTHID:
        case GSASL_NO_PASSWORD:
          g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_MISSING_CREDENTIALS,
                       _("A user name and password are needed to log in"));
          break;
        default:
          g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_FAILED,
                       _("Authentication failed: %s"), gsasl_strerror (rc));
          break;
        }
      return NULL;
    }

  response = secret_bytes_new (output, output_len);
  if (output != NULL)
    {
      mail_wipe (output, output_len);
      gsasl_free (output);
    }

  if (rc == GSASL_OK)
    mark_complete (self);

  return response;
}

/**
 * mail_sasl_step64:
 * @self: a #MailSasl
 * @challenge: (nullable): the server's challenge in base64 (the text after `+ ` or
 *   `334 `); %NULL, "" or "=" for an empty one
 * @error: return location for a #GError
 *
 * Like mail_sasl_step(), with base64 in and out. Invalid base64 is
 * %MAIL_SASL_ERROR_BAD_CHALLENGE (never silently skipped).
 *
 * Returns: (transfer full) (nullable): the base64 response; "" for an empty response
 *   (send "=" instead when it is a SASL initial response). Free it with
 *   mail_sasl_response_free().
 */
char *
mail_sasl_step64 (MailSasl    *self,
                  const char  *challenge,
                  GError     **error)
{
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GBytes) response = NULL;
  const guint8 *data;
  gsize len = 0;

  g_return_val_if_fail (MAIL_IS_SASL (self), NULL);

  if (challenge != NULL && *challenge != '\0' && strcmp (challenge, "=") != 0)
    {
      decoded = mail_base64_decode_strict (challenge, strlen (challenge));
      if (decoded == NULL)
        {
          g_set_error (error, MAIL_SASL_ERROR, MAIL_SASL_ERROR_BAD_CHALLENGE,
                       _("The server sent a malformed authentication challenge"));
          return NULL;
        }
    }

  response = mail_sasl_step (self, decoded, error);
  if (response == NULL)
    return NULL;

  data = g_bytes_get_data (response, &len);
  if (len == 0)
    return g_strdup ("");

  return g_base64_encode (data, len);
}

/**
 * mail_sasl_response_free:
 * @response: (nullable) (transfer full): a response from mail_sasl_step64()
 *
 * Wipes and frees a response.
 */
void
mail_sasl_response_free (char *response)
{
  mail_wipe_string_free (response);
}
