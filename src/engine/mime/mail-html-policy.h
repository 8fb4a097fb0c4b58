/* mail-html-policy.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mail-message-display.h"

G_BEGIN_DECLS

/* data: URIs longer than this are refused (they are inline images, not downloads). */
#define MAIL_HTML_POLICY_MAX_DATA_URI (2 * 1024 * 1024)

/**
 * MailHtmlDecision:
 * @MAIL_HTML_DECISION_ALLOW: load it (a `cid:` part of this message, an image `data:` URI,
 *   or remote content the user allowed)
 * @MAIL_HTML_DECISION_BLOCK_REMOTE: remote content (http, https, ftp, protocol-relative):
 *   blocked until the user allows remote content for the message or sender
 * @MAIL_HTML_DECISION_BLOCK: never loaded (file:, javascript:, unknown `cid:`, non-image or
 *   oversized `data:`, any other scheme, relative references)
 *
 * What to do with a URI a message's HTML asks for.
 */
typedef enum
{
  MAIL_HTML_DECISION_ALLOW,
  MAIL_HTML_DECISION_BLOCK_REMOTE,
  MAIL_HTML_DECISION_BLOCK,
} MailHtmlDecision;

#define MAIL_TYPE_HTML_POLICY (mail_html_policy_get_type ())

G_DECLARE_FINAL_TYPE (MailHtmlPolicy, mail_html_policy, MAIL, HTML_POLICY, GObject)

MailHtmlPolicy        *mail_html_policy_new                (GPtrArray      *parts)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean               mail_html_policy_get_remote_allowed (MailHtmlPolicy *self);
void                   mail_html_policy_set_remote_allowed (MailHtmlPolicy *self,
                                                            gboolean        remote_allowed);
MailHtmlDecision       mail_html_policy_decide             (MailHtmlPolicy *self,
                                                            const char     *uri);
const MailDisplayPart *mail_html_policy_resolve_cid        (MailHtmlPolicy *self,
                                                            const char     *uri);
GPtrArray             *mail_html_list_remote_uris          (const char     *html,
                                                            gssize          length)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
