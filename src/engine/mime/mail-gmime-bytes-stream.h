/* mail-gmime-bytes-stream.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-gmime-autocleanups.h"

G_BEGIN_DECLS

#define MAIL_TYPE_GMIME_BYTES_STREAM (mail_gmime_bytes_stream_get_type ())

G_DECLARE_FINAL_TYPE (MailGMimeBytesStream, mail_gmime_bytes_stream, MAIL, GMIME_BYTES_STREAM,
                      GMimeStream)

GMimeStream *mail_gmime_bytes_stream_new (GBytes *bytes) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
