/* mail-connection-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-connection.h"

G_BEGIN_DECLS

/* Shared by mail-connection.c (object, connect, close), mail-connection-tls.c (handshake,
 * STARTTLS) and mail-connection-io.c (reads and writes). */

struct _MailConnection
{
  GObject parent_instance;

  /* owned references */
  MailTlsPolicy *tls_policy;
  GSocketConnection *socket_connection;
  GIOStream *stream;
  GBufferedInputStream *input;
  MailCertificateInfo *certificate_info;
  GByteArray *line;

  /* state */
  char *host;
  char *log_label;
  gsize max_line_length;
  gsize peak_line_buffer;
  guint connect_timeout_ms;
  guint read_timeout_ms;
  guint16 port;
  MailSecurity security;
  guint allow_plaintext : 1;
  guint is_encrypted : 1;
  guint was_upgraded : 1;
  guint loopback_plaintext : 1;
  guint log_protocol : 1;
  guint broken : 1;
  guint busy_connecting : 1;
};

typedef enum
{
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_ALLOW_PLAINTEXT,
  PROP_TLS_POLICY,
  PROP_CONNECT_TIMEOUT,
  PROP_READ_TIMEOUT,
  PROP_MAX_LINE_LENGTH,
  PROP_LOG_LABEL,
  PROP_IS_CONNECTED,
  PROP_IS_ENCRYPTED,
  PROP_WAS_UPGRADED,
  PROP_IS_LOOPBACK_PLAINTEXT,
  PROP_CERTIFICATE_INFO,
  N_PROPS
} MailConnectionProp;

void     mail_connection_notify           (MailConnection      *self,
                                           MailConnectionProp   prop);
void     mail_connection_log              (MailConnection      *self,
                                           const char          *direction,
                                           const char          *data,
                                           gsize                len,
                                           MailLogFlags         flags);
void     mail_connection_set_stream       (MailConnection      *self,
                                           GIOStream           *stream);
void     mail_connection_mark_broken      (MailConnection      *self);
void     mail_connection_drop             (MailConnection      *self);
gboolean mail_connection_check_readable   (MailConnection      *self,
                                           GError             **error);
void     mail_connection_start_handshake  (MailConnection      *self,
                                           GTask               *task,
                                           gboolean             upgrade);

/* For tests: the most bytes ever held for one partial line (proves the cap holds while
 * buffering, not after). */
gsize    mail_connection_get_peak_line_buffer (MailConnection  *self);

G_END_DECLS
