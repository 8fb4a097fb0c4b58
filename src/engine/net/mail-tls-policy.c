/* mail-tls-policy.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-net"

#include "config.h"

#include "mail-tls-policy.h"

#include <glib/gi18n-lib.h>

#include "mail-net-error.h"

struct _MailTlsPolicy
{
  GObject parent_instance;

  /* owned references */
  GTlsDatabase *ca_database;
  GTlsDatabase *system_database;
  MailCertStore *cert_store;

  /* state */
  char *ca_file;
};

G_DEFINE_FINAL_TYPE (MailTlsPolicy, mail_tls_policy, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CA_FILE,
  PROP_CERT_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mail_tls_policy_dispose (GObject *object)
{
  MailTlsPolicy *self = (MailTlsPolicy *)object;

  g_clear_object (&self->ca_database);
  g_clear_object (&self->system_database);
  g_clear_object (&self->cert_store);

  G_OBJECT_CLASS (mail_tls_policy_parent_class)->dispose (object);
}

static void
mail_tls_policy_finalize (GObject *object)
{
  MailTlsPolicy *self = (MailTlsPolicy *)object;

  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (mail_tls_policy_parent_class)->finalize (object);
}

static void
mail_tls_policy_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MailTlsPolicy *self = MAIL_TLS_POLICY (object);

  switch (prop_id)
    {
    case PROP_CA_FILE:
      g_value_set_string (value, mail_tls_policy_get_ca_file (self));
      break;
    case PROP_CERT_STORE:
      g_value_set_object (value, mail_tls_policy_get_cert_store (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_tls_policy_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MailTlsPolicy *self = MAIL_TLS_POLICY (object);

  switch (prop_id)
    {
    case PROP_CERT_STORE:
      mail_tls_policy_set_cert_store (self, g_value_get_object (value));
      break;
    case PROP_CA_FILE:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_tls_policy_class_init (MailTlsPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_tls_policy_dispose;
  object_class->finalize = mail_tls_policy_finalize;
  object_class->get_property = mail_tls_policy_get_property;
  object_class->set_property = mail_tls_policy_set_property;

  /* Read-only as a property: setting it can fail, see mail_tls_policy_set_ca_file(). */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CERT_STORE] =
    g_param_spec_object ("cert-store", NULL, NULL, MAIL_TYPE_CERT_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_tls_policy_init (MailTlsPolicy *self)
{
}

/**
 * mail_tls_policy_new:
 *
 * Creates a policy that trusts the system's certificate authorities and has no pins.
 *
 * Returns: (transfer full): a new #MailTlsPolicy
 */
MailTlsPolicy *
mail_tls_policy_new (void)
{
  return g_object_new (MAIL_TYPE_TLS_POLICY, NULL);
}

/**
 * mail_tls_policy_set_ca_file:
 * @self: a #MailTlsPolicy
 * @ca_file: (nullable): a PEM file with the CA certificates to trust, or %NULL for the
 *   system trust store
 * @error: return location for a #GError
 *
 * Makes verification use only the CAs in @ca_file (for a company or test CA).
 *
 * Returns: %TRUE if the file could be loaded; on failure the policy is unchanged
 */
gboolean
mail_tls_policy_set_ca_file (MailTlsPolicy  *self,
                             const char     *ca_file,
                             GError        **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (MAIL_IS_TLS_POLICY (self), FALSE);

  if (g_strcmp0 (ca_file, self->ca_file) == 0)
    return TRUE;

  if (ca_file != NULL)
    {
      database = g_tls_file_database_new (ca_file, &local_error);
      if (database == NULL)
        {
          g_set_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS,
                       _("Could not load the certificate authority file: %s"),
                       local_error->message);
          return FALSE;
        }
    }

  g_set_object (&self->ca_database, database);
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
  return TRUE;
}

/**
 * mail_tls_policy_get_ca_file:
 * @self: a #MailTlsPolicy
 *
 * Returns: (nullable): the custom CA file, or %NULL for the system trust store
 */
const char *
mail_tls_policy_get_ca_file (MailTlsPolicy *self)
{
  g_return_val_if_fail (MAIL_IS_TLS_POLICY (self), NULL);
  return self->ca_file;
}

/**
 * mail_tls_policy_set_cert_store:
 * @self: a #MailTlsPolicy
 * @store: (nullable): the account's pinned exceptions
 *
 * Sets where pinned certificate exceptions are looked up.
 */
void
mail_tls_policy_set_cert_store (MailTlsPolicy *self,
                                MailCertStore *store)
{
  g_return_if_fail (MAIL_IS_TLS_POLICY (self));
  g_return_if_fail (store == NULL || MAIL_IS_CERT_STORE (store));

  if (g_set_object (&self->cert_store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERT_STORE]);
}

/**
 * mail_tls_policy_get_cert_store:
 * @self: a #MailTlsPolicy
 *
 * Returns: (transfer none) (nullable): the pin store
 */
MailCertStore *
mail_tls_policy_get_cert_store (MailTlsPolicy *self)
{
  g_return_val_if_fail (MAIL_IS_TLS_POLICY (self), NULL);
  return self->cert_store;
}

/**
 * mail_tls_policy_get_database:
 * @self: a #MailTlsPolicy
 *
 * Returns: (transfer none): the database to verify against: the CA file's, or the TLS
 *   backend's default (system) database
 */
GTlsDatabase *
mail_tls_policy_get_database (MailTlsPolicy *self)
{
  g_return_val_if_fail (MAIL_IS_TLS_POLICY (self), NULL);

  if (self->ca_database != NULL)
    return self->ca_database;

  if (self->system_database == NULL)
    self->system_database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  return self->system_database;
}

/**
 * mail_tls_policy_accept:
 * @self: a #MailTlsPolicy
 * @host: the host name the account connects to
 * @port: the port the account connects to
 * @certificate: the certificate that failed verification
 * @errors: why it failed
 *
 * Decides, synchronously and without asking anyone, whether a certificate that failed
 * verification is nevertheless accepted: only when the person pinned exactly this
 * certificate for exactly this host and port, and only when its problems are pinnable
 * (unknown CA, wrong name). The certificate's validity dates are checked here too, so an
 * expired certificate is refused even if a TLS backend does not report it.
 *
 * Returns: %TRUE to accept the connection
 */
gboolean
mail_tls_policy_accept (MailTlsPolicy        *self,
                        const char           *host,
                        guint16               port,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (MAIL_IS_TLS_POLICY (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  if (self->cert_store == NULL || host == NULL)
    return FALSE;

  now = g_date_time_new_now_utc ();
  g_object_get (certificate,
                "not-valid-before", &not_before,
                "not-valid-after", &not_after,
                NULL);
  if (not_before != NULL && g_date_time_compare (now, not_before) < 0)
    errors |= G_TLS_CERTIFICATE_NOT_ACTIVATED;
  if (not_after != NULL && g_date_time_compare (now, not_after) > 0)
    errors |= G_TLS_CERTIFICATE_EXPIRED;

  if (!mail_certificate_flags_are_pinnable (errors))
    return FALSE;

  fingerprint = mail_certificate_fingerprint_sha256 (certificate);
  return mail_cert_store_is_pinned (self->cert_store, host, port, fingerprint);
}
