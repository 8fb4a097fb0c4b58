/* mail-sasl.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MAIL_SASL_ERROR:
 *
 * Error domain of SASL authentication (#MailSasl).
 */
#define MAIL_SASL_ERROR (mail_sasl_error_quark ())

/**
 * MailSaslError:
 * @MAIL_SASL_ERROR_UNSUPPORTED: the mechanism is not supported here
 * @MAIL_SASL_ERROR_NO_MECHANISM: the server offers no mechanism the account may use
 * @MAIL_SASL_ERROR_PLAINTEXT_REFUSED: logging in over an unencrypted connection was refused
 * @MAIL_SASL_ERROR_MISSING_CREDENTIALS: user name, password or token missing
 * @MAIL_SASL_ERROR_BAD_CHALLENGE: the server sent a malformed challenge
 * @MAIL_SASL_ERROR_FAILED: the exchange failed (e.g. the server could not prove it knows
 *   the password, for SCRAM)
 * @MAIL_SASL_ERROR_STATE: a step after the exchange was complete
 *
 * Errors of SASL authentication.
 */
typedef enum
{
  MAIL_SASL_ERROR_UNSUPPORTED,
  MAIL_SASL_ERROR_NO_MECHANISM,
  MAIL_SASL_ERROR_PLAINTEXT_REFUSED,
  MAIL_SASL_ERROR_MISSING_CREDENTIALS,
  MAIL_SASL_ERROR_BAD_CHALLENGE,
  MAIL_SASL_ERROR_FAILED,
  MAIL_SASL_ERROR_STATE,
} MailSaslError;

#define MAIL_TYPE_SASL (mail_sasl_get_type ())

/**
 * MailSasl:
 *
 * One client-side SASL exchange for one mechanism (GNU SASL underneath; XOAUTH2 and
 * OAUTHBEARER built here). Usage, e.g. for IMAP:
 *
 *   mech = mail_sasl_choose_mechanism (offered, account_pref, token != NULL,
 *                                      mail_connection_may_send_secrets (conn), &error);
 *   sasl = mail_sasl_new (mech, &error);
 *   mail_sasl_set_service (sasl, "imap", host, port);
 *   mail_sasl_set_credentials (sasl, user, password);     // copied, wiped after use
 *   response = mail_sasl_step64 (sasl, challenge_b64, &error);  // "+ <challenge>"
 *   write `response` with MAIL_LOG_SENSITIVE, then mail_sasl_response_free (response);
 *
 * Every response is secret material: write it with %MAIL_LOG_SENSITIVE and free it with
 * mail_sasl_response_free(), which wipes it.
 */
G_DECLARE_FINAL_TYPE (MailSasl, mail_sasl, MAIL, SASL, GObject)

GQuark       mail_sasl_error_quark              (void);

gboolean     mail_sasl_mechanism_is_supported   (const char          *mechanism);
const char  *mail_sasl_choose_mechanism         (const char * const  *offered,
                                                 const char          *preference,
                                                 gboolean             have_oauth_token,
                                                 gboolean             may_send_secrets,
                                                 GError             **error);

MailSasl    *mail_sasl_new                      (const char          *mechanism,
                                                 GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
const char  *mail_sasl_get_mechanism            (MailSasl            *self);
void         mail_sasl_set_service              (MailSasl            *self,
                                                 const char          *service,
                                                 const char          *hostname,
                                                 guint16              port);
void         mail_sasl_set_credentials          (MailSasl            *self,
                                                 const char          *username,
                                                 const char          *password);
void         mail_sasl_set_authzid              (MailSasl            *self,
                                                 const char          *authzid);
void         mail_sasl_set_oauth_token          (MailSasl            *self,
                                                 const char          *username,
                                                 const char          *token);
gboolean     mail_sasl_get_client_first         (MailSasl            *self);
gboolean     mail_sasl_is_complete              (MailSasl            *self);

GBytes      *mail_sasl_step                     (MailSasl            *self,
                                                 GBytes              *challenge,
                                                 GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
char        *mail_sasl_step64                   (MailSasl            *self,
                                                 const char          *challenge,
                                                 GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void         mail_sasl_response_free            (char                *response);

G_END_DECLS
