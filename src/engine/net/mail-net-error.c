/* mail-net-error.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-net"

#include "config.h"

#include "mail-net-error.h"

#include "mail-certificate-info.h"

/* MAIL_NET_ERROR is an extended error domain (GLib 2.68): a CERTIFICATE error carries the
 * peer certificate's description, so whoever receives the GError can show it and offer to
 * pin it, without keeping a reference to the connection that failed. */
typedef struct
{
  MailCertificateInfo *info;
} MailNetErrorPrivate;

static void
mail_net_error_private_init (MailNetErrorPrivate *priv)
{
  priv->info = NULL;
}

static void
mail_net_error_private_copy (const MailNetErrorPrivate *src,
                             MailNetErrorPrivate       *dest)
{
  dest->info = src->info != NULL ? g_object_ref (src->info) : NULL;
}

static void
mail_net_error_private_clear (MailNetErrorPrivate *priv)
{
  g_clear_object (&priv->info);
}

/* GLib's macro casts its private byte buffer to our struct; clang flags the cast even though
 * GLib allocates the buffer suitably aligned. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (MailNetError, mail_net_error)
#pragma GCC diagnostic pop

/**
 * mail_net_error_get_certificate_info:
 * @error: a #GError
 *
 * The certificate description attached to a %MAIL_NET_ERROR_CERTIFICATE error.
 *
 * Returns: (transfer none) (nullable): the info, or %NULL when @error carries none
 */
MailCertificateInfo *
mail_net_error_get_certificate_info (const GError *error)
{
  MailNetErrorPrivate *priv;

  if (error == NULL || error->domain != MAIL_NET_ERROR)
    return NULL;

  priv = mail_net_error_get_private (error);
  return priv != NULL ? priv->info : NULL;
}

/**
 * mail_net_error_set_certificate_info:
 * @error: a #GError in the %MAIL_NET_ERROR domain
 * @info: (nullable): the certificate description
 *
 * Attaches @info to @error (a new reference is taken).
 */
void
mail_net_error_set_certificate_info (GError              *error,
                                     MailCertificateInfo *info)
{
  MailNetErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == MAIL_NET_ERROR);
  g_return_if_fail (info == NULL || MAIL_IS_CERTIFICATE_INFO (info));

  priv = mail_net_error_get_private (error);
  g_return_if_fail (priv != NULL);

  if (info != NULL)
    g_object_ref (info);
  g_clear_object (&priv->info);
  priv->info = info;
}
