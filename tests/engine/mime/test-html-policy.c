/* test-html-policy.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-engine.h"
#include "mail-gmime-autocleanups.h"
#include "mail-html-policy.h"
#include "mail-test-utils.h"

static MailHtmlPolicy *
policy_for_fixture (GPtrArray **out_parts)
{
  g_autoptr(GBytes) bytes = mail_test_load_data ("messages/alternative-related.eml");
  g_autoptr(GMimeMessage) message = mail_message_parse_bytes (bytes, NULL);
  g_autoptr(GPtrArray) parts = NULL;

  g_assert_nonnull (message);
  parts = mail_message_get_display_parts (message, MAIL_DISPLAY_FLAGS_PREFER_HTML);
  if (out_parts != NULL)
    *out_parts = g_ptr_array_ref (parts);

  return mail_html_policy_new (parts);
}

static void
test_decisions (void)
{
  static const struct
  {
    const char       *uri;
    MailHtmlDecision  blocked;  /* remote content not allowed */
    MailHtmlDecision  allowed;  /* remote content allowed */
  } cases[] = {
    { "cid:logo@example.org", MAIL_HTML_DECISION_ALLOW, MAIL_HTML_DECISION_ALLOW },
    { "CID:logo@example.org", MAIL_HTML_DECISION_ALLOW, MAIL_HTML_DECISION_ALLOW },
    { "cid:logo%40example.org", MAIL_HTML_DECISION_ALLOW, MAIL_HTML_DECISION_ALLOW },
    { "cid:missing@example.org", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "data:image/png;base64,iVBORw0KGgo=", MAIL_HTML_DECISION_ALLOW, MAIL_HTML_DECISION_ALLOW },
    { "data:image/gif,GIF89a", MAIL_HTML_DECISION_ALLOW, MAIL_HTML_DECISION_ALLOW },
    { "DATA:IMAGE/JPEG;base64,/9j/", MAIL_HTML_DECISION_ALLOW, MAIL_HTML_DECISION_ALLOW },
    { "data:image/svg+xml,<svg onload=alert(1)>", MAIL_HTML_DECISION_BLOCK,
      MAIL_HTML_DECISION_BLOCK },
    { "data:text/html,<script>alert(1)</script>", MAIL_HTML_DECISION_BLOCK,
      MAIL_HTML_DECISION_BLOCK },
    { "data:image/pngx;base64,AAAA", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "data:", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "http://tracker.example/p.gif", MAIL_HTML_DECISION_BLOCK_REMOTE, MAIL_HTML_DECISION_ALLOW },
    { "HTTPS://tracker.example/p.gif", MAIL_HTML_DECISION_BLOCK_REMOTE,
      MAIL_HTML_DECISION_ALLOW },
    { "//tracker.example/p.gif", MAIL_HTML_DECISION_BLOCK_REMOTE, MAIL_HTML_DECISION_ALLOW },
    { "ftp://files.example/x", MAIL_HTML_DECISION_BLOCK_REMOTE, MAIL_HTML_DECISION_BLOCK_REMOTE },
    { "file:///etc/passwd", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "javascript:alert(1)", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "mailto:a@example.org", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "resource:///org/gnome/x", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "smb://host/share", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "relative/path.png", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "/absolute/path.png", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "http://a.example/\nb", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
    { "about:blank", MAIL_HTML_DECISION_ALLOW, MAIL_HTML_DECISION_ALLOW },
    { "about:config", MAIL_HTML_DECISION_BLOCK, MAIL_HTML_DECISION_BLOCK },
  };
  g_autoptr(MailHtmlPolicy) policy = policy_for_fixture (NULL);
  g_autoptr(MailHtmlPolicy) empty = mail_html_policy_new (NULL);
  g_autoptr(GString) huge = g_string_new ("data:image/png;base64,");

  g_assert_false (mail_html_policy_get_remote_allowed (policy));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].uri);
      g_assert_cmpint (mail_html_policy_decide (policy, cases[i].uri), ==, cases[i].blocked);
    }

  mail_html_policy_set_remote_allowed (policy, TRUE);
  g_assert_true (mail_html_policy_get_remote_allowed (policy));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s (remote allowed)", cases[i].uri);
      g_assert_cmpint (mail_html_policy_decide (policy, cases[i].uri), ==, cases[i].allowed);
    }

  /* Without parts no cid: resolves. */
  g_assert_cmpint (mail_html_policy_decide (empty, "cid:logo@example.org"), ==,
                   MAIL_HTML_DECISION_BLOCK);
  g_assert_cmpint (mail_html_policy_decide (empty, NULL), ==, MAIL_HTML_DECISION_BLOCK);

  /* Oversized data: URIs are refused. */
  while (huge->len <= MAIL_HTML_POLICY_MAX_DATA_URI)
    g_string_append (huge, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_assert_cmpint (mail_html_policy_decide (policy, huge->str), ==, MAIL_HTML_DECISION_BLOCK);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_property (void)
{
  g_autoptr(MailHtmlPolicy) policy = mail_html_policy_new (NULL);
  guint count = 0;
  gboolean value = FALSE;

  g_signal_connect (policy, "notify::remote-allowed", G_CALLBACK (notify_cb), &count);
  mail_html_policy_set_remote_allowed (policy, FALSE);
  g_assert_cmpuint (count, ==, 0);
  g_object_set (policy, "remote-allowed", TRUE, NULL);
  g_assert_cmpuint (count, ==, 1);
  mail_html_policy_set_remote_allowed (policy, TRUE);
  g_assert_cmpuint (count, ==, 1);
  g_object_get (policy, "remote-allowed", &value, NULL);
  g_assert_true (value);
}

static void
test_resolve_cid (void)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(MailHtmlPolicy) policy = policy_for_fixture (&parts);
  const MailDisplayPart *part;

  part = mail_html_policy_resolve_cid (policy, "cid:logo@example.org");
  g_assert_nonnull (part);
  g_assert_cmpstr (part->content_type, ==, "image/png");
  g_assert_null (mail_html_policy_resolve_cid (policy, "http://logo@example.org"));
}

static void
test_list_remote (void)
{
  static const char html[] =
    "<html><head>"
    "<link rel=stylesheet href=\"https://cdn.example/style.css\">"
    "<style>body { background: url('https://img.example/bg.png') }"
    " @import \"https://cdn.example/more.css\"; p { x: url(cid:logo@example.org) }</style>"
    "<meta http-equiv=\"refresh\" content=\"0; url=https://go.example/away\">"
    "</head><body background=\"http://img.example/body.jpg\">"
    "<img src=\"https://tracker.example/p.gif?id=1&amp;u=2\">"
    "<img src='cid:logo@example.org'><img src=\"data:image/png;base64,AAAA\">"
    "<img src=https://tracker.example/unquoted.gif alt=x>"
    "<img src=\"https://tracker.example/p.gif?id=1&amp;u=2\">"
    "<img srcset=\"https://img.example/a.png 1x, https://img.example/b.png 2x\">"
    "<img src=\"file:///etc/passwd\">"
    "<img src=\"http&#58;//entity.example/x.png\">"
    "<video poster=\"//cdn.example/poster.jpg\"></video>"
    "<div style=\"background-image:url(&quot;https://img.example/div.png&quot;)\">x</div>"
    "<a href=\"https://link.example/\">a link is not a load</a>"
    "<!-- <img src=\"https://comment.example/hidden.png\"> -->"
    "<img src=\"https://unterminated.example/x";
  static const char * const expected[] = {
    "https://cdn.example/style.css",
    "https://img.example/bg.png",
    "https://cdn.example/more.css",
    "https://go.example/away",
    "http://img.example/body.jpg",
    "https://tracker.example/p.gif?id=1&u=2",
    "https://tracker.example/unquoted.gif",
    "https://img.example/a.png",
    "https://img.example/b.png",
    "http://entity.example/x.png",
    "//cdn.example/poster.jpg",
    "https://img.example/div.png",
    "https://unterminated.example/x",
  };
  g_autoptr(GPtrArray) uris = mail_html_list_remote_uris (html, -1);
  g_autoptr(GPtrArray) none = mail_html_list_remote_uris ("<p>plain <b>text</b> < > <</p>", -1);
  g_autoptr(GPtrArray) garbage = mail_html_list_remote_uris ("<img src=\"\0https://x\">", 20);

  for (guint i = 0; i < uris->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (uris, i));
  g_assert_cmpuint (uris->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (uris, i), ==, expected[i]);

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (garbage->len, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mail_engine_init ();

  g_test_add_func ("/engine/mime/html-policy/decisions", test_decisions);
  g_test_add_func ("/engine/mime/html-policy/property", test_property);
  g_test_add_func ("/engine/mime/html-policy/resolve-cid", test_resolve_cid);
  g_test_add_func ("/engine/mime/html-policy/list-remote", test_list_remote);

  return g_test_run ();
}
