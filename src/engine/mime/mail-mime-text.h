/* mail-mime-text.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 3676 says lines should be at most this long (not counting the line break). */
#define MAIL_FLOWED_WIDTH 78

/**
 * MailFlowedFlags:
 * @MAIL_FLOWED_FLAGS_NONE: every line is literal text: lines starting with ">" are
 *   space-stuffed like those starting with " " or "From "
 * @MAIL_FLOWED_FLAGS_QUOTES: leading ">" characters (optionally separated by single spaces)
 *   are quote markers: they are written as ">>> " and repeated on every wrapped line
 *
 * How mail_mime_flowed_encode() reads its input.
 */
typedef enum
{
  MAIL_FLOWED_FLAGS_NONE   = 0,
  MAIL_FLOWED_FLAGS_QUOTES = 1 << 0,
} MailFlowedFlags;

char *mail_mime_flowed_encode (const char      *text,
                               MailFlowedFlags  flags) G_GNUC_WARN_UNUSED_RESULT;
char *mail_mime_flowed_decode (const char      *text,
                               gboolean         delsp) G_GNUC_WARN_UNUSED_RESULT;
char *mail_mime_quote_text    (const char      *text) G_GNUC_WARN_UNUSED_RESULT;
char *mail_mime_html_to_text  (const char      *html,
                               gssize           length) G_GNUC_WARN_UNUSED_RESULT;
char *mail_mime_html_unescape (const char      *text,
                               gssize           length) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
