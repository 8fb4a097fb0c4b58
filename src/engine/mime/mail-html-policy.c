/* mail-html-policy.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-html-policy.h"

#include <string.h>

#include "mail-mime-text.h"

/*
 * The engine half of the HTML message view's load policy. The view asks about every
 * sub-resource; by default only the message's own parts (cid:) and inline images (data:)
 * load. Remote content needs the user's consent for this message or sender; local files
 * and every other scheme never load.
 */

#define MAX_URIS_LISTED 500

struct _MailHtmlPolicy
{
  GObject    parent_instance;

  /* owned references */
  GPtrArray *parts;   /* MailDisplayPart, nullable */

  /* state */
  gboolean   remote_allowed;
};

G_DEFINE_FINAL_TYPE (MailHtmlPolicy, mail_html_policy, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REMOTE_ALLOWED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const data_image_types[] = {
  "image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/bmp",
  "image/x-icon", "image/vnd.microsoft.icon", "image/avif", NULL,
};

static gboolean
is_allowed_data_uri (const char *uri)
{
  const char *media = uri + strlen ("data:");
  gsize len;

  if (strlen (uri) > MAIL_HTML_POLICY_MAX_DATA_URI)
    return FALSE;
  /* Only raster images: SVG can carry script and links. */
  for (guint i = 0; data_image_types[i] != NULL; i++)
    {
      len = strlen (data_image_types[i]);
      if (g_ascii_strncasecmp (media, data_image_types[i], len) == 0 &&
          (media[len] == ';' || media[len] == ','))
        return TRUE;
    }

  return FALSE;
}

static MailHtmlDecision
classify (MailHtmlPolicy *self,
          const char     *uri)
{
  g_autofree char *scheme = NULL;

  for (const char *p = uri; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return MAIL_HTML_DECISION_BLOCK;
    }

  if (g_str_has_prefix (uri, "//"))
    return MAIL_HTML_DECISION_BLOCK_REMOTE;

  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL)
    return MAIL_HTML_DECISION_BLOCK;

  if (g_ascii_strcasecmp (scheme, "cid") == 0)
    return self != NULL && mail_html_policy_resolve_cid (self, uri) != NULL
             ? MAIL_HTML_DECISION_ALLOW : MAIL_HTML_DECISION_BLOCK;
  if (g_ascii_strcasecmp (scheme, "data") == 0)
    return is_allowed_data_uri (uri) ? MAIL_HTML_DECISION_ALLOW : MAIL_HTML_DECISION_BLOCK;
  if (g_ascii_strcasecmp (scheme, "http") == 0 ||
      g_ascii_strcasecmp (scheme, "https") == 0 ||
      g_ascii_strcasecmp (scheme, "ftp") == 0)
    return MAIL_HTML_DECISION_BLOCK_REMOTE;
  if (g_ascii_strcasecmp (uri, "about:blank") == 0)
    return MAIL_HTML_DECISION_ALLOW;

  return MAIL_HTML_DECISION_BLOCK;
}

static void
mail_html_policy_finalize (GObject *object)
{
  MailHtmlPolicy *self = (MailHtmlPolicy *) object;

  g_clear_pointer (&self->parts, g_ptr_array_unref);

  G_OBJECT_CLASS (mail_html_policy_parent_class)->finalize (object);
}

static void
mail_html_policy_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MailHtmlPolicy *self = MAIL_HTML_POLICY (object);

  switch (prop_id)
    {
    case PROP_REMOTE_ALLOWED:
      g_value_set_boolean (value, mail_html_policy_get_remote_allowed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_html_policy_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MailHtmlPolicy *self = MAIL_HTML_POLICY (object);

  switch (prop_id)
    {
    case PROP_REMOTE_ALLOWED:
      mail_html_policy_set_remote_allowed (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_html_policy_class_init (MailHtmlPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_html_policy_finalize;
  object_class->get_property = mail_html_policy_get_property;
  object_class->set_property = mail_html_policy_set_property;

  /**
   * MailHtmlPolicy:remote-allowed:
   *
   * Whether the user allowed remote content for this message (or its sender).
   */
  properties[PROP_REMOTE_ALLOWED] =
    g_param_spec_boolean ("remote-allowed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_html_policy_init (MailHtmlPolicy *self)
{
}

/**
 * mail_html_policy_new:
 * @parts: (nullable) (element-type MailDisplayPart): the message's display parts, for `cid:`
 *
 * Returns: (transfer full): a policy blocking remote content
 */
MailHtmlPolicy *
mail_html_policy_new (GPtrArray *parts)
{
  MailHtmlPolicy *self = g_object_new (MAIL_TYPE_HTML_POLICY, NULL);

  if (parts != NULL)
    self->parts = g_ptr_array_ref (parts);

  return self;
}

/**
 * mail_html_policy_get_remote_allowed:
 * @self: a policy
 *
 * Returns: whether remote content may load
 */
gboolean
mail_html_policy_get_remote_allowed (MailHtmlPolicy *self)
{
  g_return_val_if_fail (MAIL_IS_HTML_POLICY (self), FALSE);

  return self->remote_allowed;
}

/**
 * mail_html_policy_set_remote_allowed:
 * @self: a policy
 * @remote_allowed: whether http(s) content may load
 */
void
mail_html_policy_set_remote_allowed (MailHtmlPolicy *self,
                                     gboolean        remote_allowed)
{
  g_return_if_fail (MAIL_IS_HTML_POLICY (self));

  remote_allowed = !!remote_allowed;
  if (self->remote_allowed == remote_allowed)
    return;
  self->remote_allowed = remote_allowed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_ALLOWED]);
}

/**
 * mail_html_policy_decide:
 * @self: a policy
 * @uri: a URI the HTML asks to load
 *
 * Returns: whether to load it
 */
MailHtmlDecision
mail_html_policy_decide (MailHtmlPolicy *self,
                         const char     *uri)
{
  MailHtmlDecision decision;

  g_return_val_if_fail (MAIL_IS_HTML_POLICY (self), MAIL_HTML_DECISION_BLOCK);

  if (uri == NULL)
    return MAIL_HTML_DECISION_BLOCK;
  decision = classify (self, uri);
  if (decision == MAIL_HTML_DECISION_BLOCK_REMOTE && self->remote_allowed)
    {
      /* Consent covers web content only; ftp and the like stay blocked. */
      if (g_str_has_prefix (uri, "//") ||
          g_ascii_strncasecmp (uri, "http:", 5) == 0 ||
          g_ascii_strncasecmp (uri, "https:", 6) == 0)
        return MAIL_HTML_DECISION_ALLOW;
    }

  return decision;
}

/**
 * mail_html_policy_resolve_cid:
 * @self: a policy
 * @uri: a `cid:` URI
 *
 * Returns: (transfer none) (nullable): the part of the message with that Content-ID
 */
const MailDisplayPart *
mail_html_policy_resolve_cid (MailHtmlPolicy *self,
                              const char     *uri)
{
  g_return_val_if_fail (MAIL_IS_HTML_POLICY (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if (self->parts == NULL || g_ascii_strncasecmp (uri, "cid:", 4) != 0)
    return NULL;

  return mail_display_parts_find_cid (self->parts, uri);
}

/* ---------------------------------------------------------------------------- scanning -- */

static void
consider (GPtrArray  *uris,
          GHashTable *seen,
          const char *raw,
          gsize       len)
{
  g_autofree char *decoded = mail_mime_html_unescape (raw, (gssize) len);
  char *uri = g_strstrip (decoded);

  if (uris->len >= MAX_URIS_LISTED || *uri == '\0')
    return;
  if (classify (NULL, uri) != MAIL_HTML_DECISION_BLOCK_REMOTE)
    return;
  if (g_hash_table_contains (seen, uri))
    return;
  g_hash_table_add (seen, g_strdup (uri));
  g_ptr_array_add (uris, g_strdup (uri));
}

/* Finds url(...) and @import "..." in CSS text. */
static void
scan_css (GPtrArray  *uris,
          GHashTable *seen,
          const char *css,
          gsize       len)
{
  g_autofree char *text = mail_mime_html_unescape (css, (gssize) len);
  const char *p = text;

  while ((p = strpbrk (p, "uU@")) != NULL)
    {
      const char *start = NULL;
      const char *end = NULL;

      if (g_ascii_strncasecmp (p, "url(", 4) == 0)
        {
          start = p + 4;
          while (*start == ' ' || *start == '\t' || *start == '\n')
            start++;
          if (*start == '"' || *start == '\'')
            {
              end = strchr (start + 1, *start);
              start++;
            }
          else
            end = strchr (start, ')');
        }
      else if (g_ascii_strncasecmp (p, "@import", 7) == 0)
        {
          start = p + 7;
          while (*start == ' ' || *start == '\t' || *start == '\n')
            start++;
          if (*start == '"' || *start == '\'')
            {
              end = strchr (start + 1, *start);
              start++;
            }
          else
            start = NULL;
        }

      if (start != NULL && end != NULL)
        {
          consider (uris, seen, start, (gsize) (end - start));
          p = end;
        }
      else
        p++;
    }
}

static void
scan_srcset (GPtrArray  *uris,
             GHashTable *seen,
             const char *value,
             gsize       len)
{
  g_autofree char *text = g_strndup (value, len);
  g_auto(GStrv) candidates = g_strsplit (text, ",", -1);

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      char *candidate = g_strstrip (candidates[i]);
      gsize n = strcspn (candidate, " \t\n");

      consider (uris, seen, candidate, n);
    }
}

static gboolean
tag_is (const char *name,
        gsize       name_len,
        const char *wanted)
{
  return strlen (wanted) == name_len && g_ascii_strncasecmp (name, wanted, name_len) == 0;
}

/* Parses the attributes of one tag starting at p (after the name). Returns the byte after
 * the tag. */
static const char *
scan_attributes (GPtrArray  *uris,
                 GHashTable *seen,
                 const char *tag,
                 gsize       tag_len,
                 const char *p,
                 const char *end)
{
  while (p < end && *p != '>')
    {
      const char *name;
      gsize name_len = 0;
      const char *value = NULL;
      gsize value_len = 0;

      while (p < end && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      name = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      name_len = (gsize) (p - name);
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              const char *close = memchr (p + 1, *p, (gsize) (end - p - 1));

              value = p + 1;
              value_len = (gsize) ((close != NULL ? close : end) - value);
              p = close != NULL ? close + 1 : end;
            }
          else
            {
              value = p;
              while (p < end && !g_ascii_isspace (*p) && *p != '>')
                p++;
              value_len = (gsize) (p - value);
            }
        }
      if (name_len == 0 && value == NULL)
        {
          if (p < end && *p != '>')
            p++;
          continue;
        }
      if (value == NULL)
        continue;

      if (tag_is (name, name_len, "src") || tag_is (name, name_len, "background") ||
          tag_is (name, name_len, "poster") || tag_is (name, name_len, "data") ||
          tag_is (name, name_len, "lowsrc") || tag_is (name, name_len, "dynsrc") ||
          (tag_is (name, name_len, "href") &&
           (tag_is (tag, tag_len, "link") || tag_is (tag, tag_len, "image") ||
            tag_is (tag, tag_len, "use"))) ||
          (tag_is (name, name_len, "xlink:href") && !tag_is (tag, tag_len, "a")))
        consider (uris, seen, value, value_len);
      else if (tag_is (name, name_len, "srcset") || tag_is (name, name_len, "imagesrcset"))
        scan_srcset (uris, seen, value, value_len);
      else if (tag_is (name, name_len, "style"))
        scan_css (uris, seen, value, value_len);
      else if (tag_is (name, name_len, "content") && tag_is (tag, tag_len, "meta"))
        {
          g_autofree char *content = g_strndup (value, value_len);
          const char *url = strstr (content, "url=");

          if (url == NULL)
            url = strstr (content, "URL=");
          if (url != NULL)
            consider (uris, seen, url + 4, strlen (url + 4));
        }
    }

  return p < end ? p + 1 : end;
}

/**
 * mail_html_list_remote_uris:
 * @html: an HTML part's text
 * @length: its length in bytes, or -1 when NUL-terminated
 *
 * Lists the remote resources the HTML would load (img/src, srcset, background, poster,
 * link/href, CSS url() and @import, meta refresh), for the "this message has remote content"
 * bar. Character references are decoded first. Links the user clicks (a/href) are not
 * loads and are not listed. At most 500 distinct URIs.
 *
 * Returns: (transfer full) (element-type utf8): the URIs, in document order
 */
GPtrArray *
mail_html_list_remote_uris (const char *html,
                            gssize      length)
{
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *uris;
  const char *p;
  const char *end;

  g_return_val_if_fail (html != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (html);
  uris = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p = html;
  end = html + length;

  while (p < end && (p = memchr (p, '<', (gsize) (end - p))) != NULL)
    {
      const char *name;
      gsize name_len = 0;

      p++;
      if (end - p >= 3 && strncmp (p, "!--", 3) == 0)
        {
          const char *close = g_strstr_len (p + 3, end - p - 3, "-->");

          p = close != NULL ? close + 3 : end;
          continue;
        }
      if (p < end && *p == '/')
        {
          const char *gt = memchr (p, '>', (gsize) (end - p));

          p = gt != NULL ? gt + 1 : end;
          continue;
        }

      name = p;
      while (p < end && (g_ascii_isalnum (*p) || *p == ':' || *p == '-'))
        p++;
      name_len = (gsize) (p - name);
      if (name_len == 0)
        continue;

      p = scan_attributes (uris, seen, name, name_len, p, end);

      if (tag_is (name, name_len, "style"))
        {
          const char *close = p;
          gsize css_len;

          while ((close = g_strstr_len (close, end - close, "</")) != NULL &&
                 g_ascii_strncasecmp (close + 2, "style", 5) != 0)
            close += 2;
          css_len = (gsize) ((close != NULL ? close : end) - p);
          scan_css (uris, seen, p, css_len);
          p += css_len;
        }
    }

  return uris;
}
