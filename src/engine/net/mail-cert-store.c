/* mail-cert-store.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-net"

#include "config.h"

#include "mail-cert-store.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "mail-net-error.h"

#define PIN_FILE_NAME "certificate-pins.ini"

struct _MailCertStore
{
  GObject parent_instance;

  /* state */
  char *directory;
  GKeyFile *keyfile;
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (MailCertStore, mail_cert_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Host names end up as keyfile group names: refuse anything that could break the file
 * format or that is not a plausible host name at all. */
static gboolean
host_is_storable (const char *host)
{
  if (host == NULL || *host == '\0' || strlen (host) > 255)
    return FALSE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != ':' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

static char *
group_name (const char *host,
            guint16     port)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  return g_strdup_printf ("%s/%u", lower, port);
}

static char *
pin_file_path (MailCertStore *self)
{
  return g_build_filename (self->directory, PIN_FILE_NAME, NULL);
}

static gboolean
save (MailCertStore  *self,
      GError        **error)
{
  g_autofree char *path = pin_file_path (self);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PIN_STORE,
                   _("Could not create the folder for certificate exceptions: %s"),
                   g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (self->keyfile, &len, NULL);
  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PIN_STORE,
                   _("Could not save the certificate exception: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
ensure_loaded (MailCertStore *self)
{
  g_autoptr(GError) error = NULL;

  if (self->loaded)
    return;

  /* A broken pin file means no pins: failing closed only costs a new prompt. */
  if (!mail_cert_store_load (self, &error))
    g_debug ("Ignoring certificate pins: %s", error->message);
}

static void
mail_cert_store_finalize (GObject *object)
{
  MailCertStore *self = (MailCertStore *)object;

  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->keyfile, g_key_file_unref);

  G_OBJECT_CLASS (mail_cert_store_parent_class)->finalize (object);
}

static void
mail_cert_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MailCertStore *self = MAIL_CERT_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, mail_cert_store_get_directory (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_cert_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MailCertStore *self = MAIL_CERT_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_cert_store_class_init (MailCertStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_cert_store_finalize;
  object_class->get_property = mail_cert_store_get_property;
  object_class->set_property = mail_cert_store_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_cert_store_init (MailCertStore *self)
{
  self->keyfile = g_key_file_new ();
}

/**
 * mail_cert_store_new:
 * @directory: the directory holding `certificate-pins.ini` (the account's data directory)
 *
 * Creates a pin store. Nothing is read until the first lookup or mail_cert_store_load().
 *
 * Returns: (transfer full): a new #MailCertStore
 */
MailCertStore *
mail_cert_store_new (const char *directory)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (MAIL_TYPE_CERT_STORE, "directory", directory, NULL);
}

/**
 * mail_cert_store_get_directory:
 * @self: a #MailCertStore
 *
 * Returns: the directory of the pin file
 */
const char *
mail_cert_store_get_directory (MailCertStore *self)
{
  g_return_val_if_fail (MAIL_IS_CERT_STORE (self), NULL);
  return self->directory;
}

/**
 * mail_cert_store_load:
 * @self: a #MailCertStore
 * @error: return location for a #GError
 *
 * (Re)reads the pin file. A missing file is an empty store. The file is a few lines, so
 * this reads synchronously.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_cert_store_load (MailCertStore  *self,
                      GError        **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;

  g_return_val_if_fail (MAIL_IS_CERT_STORE (self), FALSE);

  self->loaded = TRUE;
  path = pin_file_path (self);
  keyfile = g_key_file_new ();

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_key_file_unref (self->keyfile);
          self->keyfile = g_steal_pointer (&keyfile);
          return TRUE;
        }

      g_set_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PIN_STORE,
                   _("Could not read the certificate exceptions: %s"), local_error->message);
      return FALSE;
    }

  g_key_file_unref (self->keyfile);
  self->keyfile = g_steal_pointer (&keyfile);
  return TRUE;
}

/**
 * mail_cert_store_lookup:
 * @self: a #MailCertStore
 * @host: a host name
 * @port: a port
 *
 * Returns: (transfer full) (nullable): the pinned SHA-256 fingerprint for exactly
 *   (@host, @port), or %NULL
 */
char *
mail_cert_store_lookup (MailCertStore *self,
                        const char    *host,
                        guint16        port)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (MAIL_IS_CERT_STORE (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (!host_is_storable (host))
    return NULL;

  ensure_loaded (self);
  group = group_name (host, port);
  return g_key_file_get_string (self->keyfile, group, "sha256", NULL);
}

/**
 * mail_cert_store_is_pinned:
 * @self: a #MailCertStore
 * @host: a host name
 * @port: a port
 * @fingerprint: the SHA-256 fingerprint of the presented certificate
 *
 * Returns: %TRUE when the person accepted exactly this certificate for exactly this
 *   host and port
 */
gboolean
mail_cert_store_is_pinned (MailCertStore *self,
                           const char    *host,
                           guint16        port,
                           const char    *fingerprint)
{
  g_autofree char *pinned = NULL;

  g_return_val_if_fail (MAIL_IS_CERT_STORE (self), FALSE);

  if (host == NULL || fingerprint == NULL)
    return FALSE;

  pinned = mail_cert_store_lookup (self, host, port);
  return pinned != NULL && g_ascii_strcasecmp (pinned, fingerprint) == 0;
}

/**
 * mail_cert_store_pin:
 * @self: a #MailCertStore
 * @info: the certificate the person accepted, as reported with the
 *   %MAIL_NET_ERROR_CERTIFICATE error
 * @error: return location for a #GError
 *
 * Stores an exception for the certificate of @info on its host and port, replacing an
 * earlier pin for that host and port. Certificates that are not pinnable
 * (mail_certificate_info_is_pinnable()) are refused.
 *
 * Returns: %TRUE when the pin was saved
 */
gboolean
mail_cert_store_pin (MailCertStore        *self,
                     MailCertificateInfo  *info,
                     GError              **error)
{
  g_autofree char *group = NULL;
  const char *host;

  g_return_val_if_fail (MAIL_IS_CERT_STORE (self), FALSE);
  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (info), FALSE);

  if (!mail_certificate_info_is_pinnable (info))
    {
      g_set_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE,
                   _("This certificate cannot be accepted: it has expired, is not valid yet, "
                     "was revoked or is insecure"));
      return FALSE;
    }

  host = mail_certificate_info_get_host (info);
  if (!host_is_storable (host))
    {
      g_set_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PIN_STORE,
                   _("“%s” is not a valid server name"), host);
      return FALSE;
    }

  ensure_loaded (self);
  group = group_name (host, mail_certificate_info_get_port (info));
  g_key_file_set_string (self->keyfile, group, "host", host);
  g_key_file_set_integer (self->keyfile, group, "port", mail_certificate_info_get_port (info));
  g_key_file_set_string (self->keyfile, group, "sha256",
                         mail_certificate_info_get_fingerprint (info));
  if (mail_certificate_info_get_subject (info) != NULL)
    g_key_file_set_string (self->keyfile, group, "subject",
                           mail_certificate_info_get_subject (info));

  return save (self, error);
}

/**
 * mail_cert_store_unpin:
 * @self: a #MailCertStore
 * @host: a host name
 * @port: a port
 * @error: return location for a #GError
 *
 * Removes the exception for (@host, @port), if any.
 *
 * Returns: %TRUE on success (also when there was no pin)
 */
gboolean
mail_cert_store_unpin (MailCertStore  *self,
                       const char     *host,
                       guint16         port,
                       GError        **error)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (MAIL_IS_CERT_STORE (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  if (!host_is_storable (host))
    return TRUE;

  ensure_loaded (self);
  group = group_name (host, port);
  if (!g_key_file_remove_group (self->keyfile, group, NULL))
    return TRUE;

  return save (self, error);
}
