/* mail-gmime-output-stream.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include "mail-gmime-autocleanups.h"

G_BEGIN_DECLS

#define MAIL_TYPE_GMIME_OUTPUT_STREAM (mail_gmime_output_stream_get_type ())

G_DECLARE_FINAL_TYPE (MailGMimeOutputStream, mail_gmime_output_stream, MAIL, GMIME_OUTPUT_STREAM,
                      GMimeStream)

GMimeStream *mail_gmime_output_stream_new          (GOutputStream         *output,
                                                    GCancellable          *cancellable)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean     mail_gmime_output_stream_propagate_error (MailGMimeOutputStream  *self,
                                                       GError                **error);

G_END_DECLS
