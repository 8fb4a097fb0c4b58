/* mail-certificate-info.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-net"

#include "config.h"

#include "mail-certificate-info.h"

#include <string.h>

#include <glib/gi18n-lib.h>

struct _MailCertificateInfo
{
  GObject parent_instance;

  /* owned references */
  GTlsCertificate *certificate;
  GDateTime *not_valid_before;
  GDateTime *not_valid_after;

  /* state */
  char *host;
  char *subject;
  char *issuer;
  char **dns_names;
  char **ip_addresses;
  char *fingerprint;
  GTlsCertificateFlags errors;
  guint16 port;
};

G_DEFINE_FINAL_TYPE (MailCertificateInfo, mail_certificate_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_HOST,
  PROP_PORT,
  PROP_ERRORS,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_FINGERPRINT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Flags a pin may override: the certificate is otherwise well-formed and current, and the
 * pin names it exactly, so the only open question ("is this really my server?") is the one
 * the person answered. Time validity, revocation and weak algorithms are never overridden:
 * an expired or revoked certificate must be replaced, not accepted. */
#define PINNABLE_FLAGS (G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY)

static const struct {
  GTlsCertificateFlags flag;
  const char *text;
} flag_texts[] = {
  { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("It is not signed by a trusted certificate authority") },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("It does not match the server name") },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("It is not valid yet") },
  { G_TLS_CERTIFICATE_EXPIRED, N_("It has expired") },
  { G_TLS_CERTIFICATE_REVOKED, N_("It has been revoked") },
  { G_TLS_CERTIFICATE_INSECURE, N_("It uses an insecure algorithm") },
  { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("It could not be verified") },
};

static char **
collect_dns_names (GTlsCertificate *certificate)
{
  g_autoptr(GPtrArray) names = NULL;
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  g_object_get (certificate, "dns-names", &names, NULL);
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      GBytes *bytes = g_ptr_array_index (names, i);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);

      /* A SAN is attacker-controlled data: keep only valid UTF-8 without NULs. */
      if (data != NULL && len > 0 && memchr (data, '\0', len) == NULL &&
          g_utf8_validate (data, len, NULL))
        {
          g_autofree char *name = g_strndup (data, len);
          g_strv_builder_add (builder, name);
        }
    }

  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

static char **
collect_ip_addresses (GTlsCertificate *certificate)
{
  g_autoptr(GPtrArray) addresses = NULL;
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  g_object_get (certificate, "ip-addresses", &addresses, NULL);
  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      g_autofree char *text = g_inet_address_to_string (g_ptr_array_index (addresses, i));
      g_strv_builder_add (builder, text);
    }

  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

static void
mail_certificate_info_finalize (GObject *object)
{
  MailCertificateInfo *self = (MailCertificateInfo *)object;

  g_clear_object (&self->certificate);
  g_clear_pointer (&self->not_valid_before, g_date_time_unref);
  g_clear_pointer (&self->not_valid_after, g_date_time_unref);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->dns_names, g_strfreev);
  g_clear_pointer (&self->ip_addresses, g_strfreev);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (mail_certificate_info_parent_class)->finalize (object);
}

static void
mail_certificate_info_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MailCertificateInfo *self = MAIL_CERTIFICATE_INFO (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_ERRORS:
      g_value_set_flags (value, self->errors);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_certificate_info_class_init (MailCertificateInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_certificate_info_finalize;
  object_class->get_property = mail_certificate_info_get_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERRORS] =
    g_param_spec_flags ("errors", NULL, NULL, G_TYPE_TLS_CERTIFICATE_FLAGS, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_certificate_info_init (MailCertificateInfo *self)
{
}

/**
 * mail_certificate_fingerprint_sha256:
 * @certificate: a #GTlsCertificate
 *
 * The SHA-256 fingerprint of the certificate's DER encoding, as upper-case hex pairs
 * separated by colons, the same text as `openssl x509 -noout -fingerprint -sha256` prints.
 *
 * Returns: (transfer full) (nullable): the fingerprint, or %NULL if the certificate has
 *   no DER data
 */
char *
mail_certificate_fingerprint_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  out = g_string_sized_new (digest_len * 3);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (out, FALSE);
}

/**
 * mail_certificate_flags_to_strv:
 * @flags: verification errors
 *
 * Describes each set flag in plain, translated words.
 *
 * Returns: (transfer full): a %NULL-terminated array, empty when @flags is 0
 */
char **
mail_certificate_flags_to_strv (GTlsCertificateFlags flags)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GTlsCertificateFlags known = 0;
  char **result;

  for (guint i = 0; i < G_N_ELEMENTS (flag_texts); i++)
    {
      known |= flag_texts[i].flag;
      if (flags & flag_texts[i].flag)
        g_strv_builder_add (builder, _(flag_texts[i].text));
    }

  if ((flags & ~known) != 0)
    g_strv_builder_add (builder, _("It could not be verified"));

  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * mail_certificate_flags_are_pinnable:
 * @flags: verification errors of a certificate
 *
 * Whether a certificate with these errors may be accepted by pinning it. Only "unknown
 * authority" and "wrong name" can be; expired, not yet valid, revoked, insecure and
 * unclassified failures never can (a pin would outlive the reason the person trusted it).
 *
 * Returns: %TRUE if pinning is allowed
 */
gboolean
mail_certificate_flags_are_pinnable (GTlsCertificateFlags flags)
{
  return (flags & ~PINNABLE_FLAGS) == 0;
}

/**
 * mail_certificate_info_new:
 * @certificate: the peer certificate
 * @host: the host name the connection was for
 * @port: the port the connection was for
 * @errors: what verification found wrong (0 when it verified)
 *
 * Describes @certificate for display and pinning.
 *
 * Returns: (transfer full): a new #MailCertificateInfo
 */
MailCertificateInfo *
mail_certificate_info_new (GTlsCertificate      *certificate,
                           const char           *host,
                           guint16               port,
                           GTlsCertificateFlags  errors)
{
  MailCertificateInfo *self;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (MAIL_TYPE_CERTIFICATE_INFO, NULL);
  self->certificate = g_object_ref (certificate);
  self->host = g_ascii_strdown (host, -1);
  self->port = port;
  self->errors = errors;
  g_object_get (certificate,
                "subject-name", &self->subject,
                "issuer-name", &self->issuer,
                "not-valid-before", &self->not_valid_before,
                "not-valid-after", &self->not_valid_after,
                NULL);
  self->dns_names = collect_dns_names (certificate);
  self->ip_addresses = collect_ip_addresses (certificate);
  self->fingerprint = mail_certificate_fingerprint_sha256 (certificate);

  return self;
}

/**
 * mail_certificate_info_get_certificate:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none): the certificate
 */
GTlsCertificate *
mail_certificate_info_get_certificate (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return self->certificate;
}

/**
 * mail_certificate_info_get_host:
 * @self: a #MailCertificateInfo
 *
 * Returns: the host name (lower case) the certificate was presented for
 */
const char *
mail_certificate_info_get_host (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return self->host;
}

/**
 * mail_certificate_info_get_port:
 * @self: a #MailCertificateInfo
 *
 * Returns: the port the certificate was presented on
 */
guint16
mail_certificate_info_get_port (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), 0);
  return self->port;
}

/**
 * mail_certificate_info_get_errors:
 * @self: a #MailCertificateInfo
 *
 * Returns: what verification found wrong, 0 if nothing
 */
GTlsCertificateFlags
mail_certificate_info_get_errors (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), 0);
  return self->errors;
}

/**
 * mail_certificate_info_get_subject:
 * @self: a #MailCertificateInfo
 *
 * Returns: (nullable): the subject distinguished name
 */
const char *
mail_certificate_info_get_subject (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return self->subject;
}

/**
 * mail_certificate_info_get_issuer:
 * @self: a #MailCertificateInfo
 *
 * Returns: (nullable): the issuer distinguished name
 */
const char *
mail_certificate_info_get_issuer (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return self->issuer;
}

/**
 * mail_certificate_info_get_dns_names:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none): the DNS subject alternative names (possibly empty)
 */
const char * const *
mail_certificate_info_get_dns_names (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return (const char * const *)self->dns_names;
}

/**
 * mail_certificate_info_get_ip_addresses:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none): the IP address subject alternative names (possibly empty)
 */
const char * const *
mail_certificate_info_get_ip_addresses (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return (const char * const *)self->ip_addresses;
}

/**
 * mail_certificate_info_get_not_valid_before:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none) (nullable): start of the validity period
 */
GDateTime *
mail_certificate_info_get_not_valid_before (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return self->not_valid_before;
}

/**
 * mail_certificate_info_get_not_valid_after:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer none) (nullable): end of the validity period
 */
GDateTime *
mail_certificate_info_get_not_valid_after (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return self->not_valid_after;
}

/**
 * mail_certificate_info_get_fingerprint:
 * @self: a #MailCertificateInfo
 *
 * Returns: (nullable): the SHA-256 fingerprint, see mail_certificate_fingerprint_sha256()
 */
const char *
mail_certificate_info_get_fingerprint (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);
  return self->fingerprint;
}

/**
 * mail_certificate_info_describe_errors:
 * @self: a #MailCertificateInfo
 *
 * Returns: (transfer full): the verification errors in plain words, one per line
 */
char *
mail_certificate_info_describe_errors (MailCertificateInfo *self)
{
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), NULL);

  lines = mail_certificate_flags_to_strv (self->errors);
  return g_strjoinv ("\n", lines);
}

/**
 * mail_certificate_info_is_pinnable:
 * @self: a #MailCertificateInfo
 *
 * Returns: whether the person may accept this certificate as an exception
 */
gboolean
mail_certificate_info_is_pinnable (MailCertificateInfo *self)
{
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (self), FALSE);
  return self->fingerprint != NULL && mail_certificate_flags_are_pinnable (self->errors);
}
