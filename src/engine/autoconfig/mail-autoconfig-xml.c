/* mail-autoconfig-xml.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-autoconfig"

#include "config.h"

#include "mail-autoconfig-xml.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* Limits against hostile files. Real files are a few KiB with a handful of servers. */
#define MAX_DEPTH        16
#define MAX_TEXT         4096
#define MAX_SERVERS      16
#define MAX_DOMAINS      4096
#define MAX_DOCS         16

typedef enum
{
  TEXT_NONE,
  TEXT_DOMAIN,
  TEXT_DISPLAY_NAME,
  TEXT_DISPLAY_SHORT_NAME,
  TEXT_HOSTNAME,
  TEXT_PORT,
  TEXT_SOCKET_TYPE,
  TEXT_AUTHENTICATION,
  TEXT_USERNAME,
  TEXT_INSTRUCTION,
  TEXT_DESCR,
} TextField;

typedef struct
{
  MailAutoconfigConfig *config;

  /* The first <emailProvider> is read, later ones are ignored. */
  gboolean              in_provider;
  gboolean              seen_provider;
  guint                 depth;

  /* The server being read, NULL inside an unsupported one (nntp, exchange…). */
  MailAutoconfigServer *server;
  gboolean              server_incoming;
  gboolean              in_server;
  gboolean              have_hostname;
  gboolean              have_port;
  gboolean              have_socket;
  gboolean              bad_server;
  GPtrArray            *auth;

  MailAutoconfigDoc    *doc;
  gboolean              doc_english;
  gboolean              instruction_english;
  gboolean              in_enable;
  gboolean              have_enable;
  char                 *lang;

  TextField             field;
  GString              *text;

  /* Our callbacks never set GMarkup's error: it does not always stop after an error (before
   * the root element it goes on, and may then set a second one, which GLib warns about). The
   * first error is kept here instead, and every callback does nothing once it is set. */
  GError               *error;
} ParseState;

static void
set_invalid (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_DATA, message);
}

static const char *
find_attribute (const char  *name,
                const char **names,
                const char **values)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], name) == 0)
        return values[i];
    }
  return NULL;
}

static gboolean
parse_port (const char *text,
            guint16    *port)
{
  guint64 value = 0;
  gsize len = strlen (text);

  if (len == 0 || len > 5)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  if (value == 0 || value > 65535)
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

static gboolean
parse_socket_type (const char   *text,
                   MailSecurity *security)
{
  if (g_ascii_strcasecmp (text, "SSL") == 0 || g_ascii_strcasecmp (text, "TLS") == 0)
    *security = MAIL_SECURITY_TLS;
  else if (g_ascii_strcasecmp (text, "STARTTLS") == 0)
    *security = MAIL_SECURITY_STARTTLS;
  else if (g_ascii_strcasecmp (text, "plain") == 0)
    *security = MAIL_SECURITY_NONE;
  else
    return FALSE;
  return TRUE;
}

/* Maps config-v1.1 names to the auth names of MailServerConfig. */
static const char *
map_authentication (const char *text,
                    gboolean    incoming)
{
  static const struct {
    const char *xml;
    const char *ours;
    gboolean    outgoing_only;
  } map[] = {
    { "password-cleartext", "plain", FALSE },
    { "plain", "plain", FALSE },
    { "password-encrypted", "cram-md5", FALSE },
    { "secure", "cram-md5", FALSE },
    { "NTLM", "ntlm", FALSE },
    { "GSSAPI", "gssapi", FALSE },
    { "OAuth2", "oauth2", FALSE },
    { "none", "none", TRUE },
    { "client-IP-address", "none", TRUE },
    { "smtp-after-pop", "none", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (g_ascii_strcasecmp (text, map[i].xml) == 0)
        return incoming && map[i].outgoing_only ? NULL : map[i].ours;
    }
  return NULL;
}

/* Host names may hold placeholders; they are checked again after expansion. */
static gboolean
hostname_is_plausible (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 253)
    return FALSE;
  if (g_hostname_is_ip_address (text))
    return TRUE;
  if (text[0] == '-' || text[0] == '.')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guchar c = text[i];

      if (!(g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '%' || c >= 0x80))
        return FALSE;
    }
  return TRUE;
}

static void
free_doc (MailAutoconfigDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->url);
  g_free (doc->description);
  g_free (doc);
}

static void
start_text (ParseState *state,
            TextField   field)
{
  state->field = field;
  g_string_truncate (state->text, 0);
}

static void
begin_server (ParseState  *state,
              gboolean     incoming,
              const char  *type)
{
  MailProtocol protocol;
  gboolean supported;

  g_clear_pointer (&state->server, mail_autoconfig_server_free);
  state->in_server = TRUE;
  state->server_incoming = incoming;
  state->have_hostname = state->have_port = state->have_socket = FALSE;
  state->bad_server = FALSE;
  g_ptr_array_set_size (state->auth, 0);

  if (incoming)
    supported = type != NULL && mail_protocol_from_string (type, &protocol) &&
                protocol != MAIL_PROTOCOL_SMTP;
  else
    supported = type != NULL && g_ascii_strcasecmp (type, "smtp") == 0 &&
                mail_protocol_from_string (type, &protocol);

  if (!supported)
    return;

  state->server = g_new0 (MailAutoconfigServer, 1);
  state->server->protocol = protocol;
  state->server->security = MAIL_SECURITY_TLS;
}

static void
end_server (ParseState *state)
{
  g_autoptr(MailAutoconfigServer) server = g_steal_pointer (&state->server);
  GPtrArray *list;

  state->in_server = FALSE;
  if (server == NULL || state->bad_server || !state->have_hostname || !state->have_socket)
    return;

  list = state->server_incoming ? state->config->incoming : state->config->outgoing;
  if (list->len >= MAX_SERVERS)
    return;

  if (!state->have_port)
    server->port = mail_protocol_default_port (server->protocol, server->security);
  if (state->auth->len == 0)
    g_ptr_array_add (state->auth, (gpointer) "plain");

  server->auth = g_new0 (char *, state->auth->len + 1);
  for (guint i = 0; i < state->auth->len; i++)
    server->auth[i] = g_strdup (g_ptr_array_index (state->auth, i));
  if (server->username == NULL)
    server->username = g_strdup ("%EMAILADDRESS%");

  g_ptr_array_add (list, g_steal_pointer (&server));
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **attribute_names,
               const char          **attribute_values,
               gpointer              user_data,
               GError              **error)
{
  ParseState *state = user_data;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  const char *parent = stack->next != NULL ? stack->next->data : NULL;

  if (state->error != NULL)
    return;

  state->field = TEXT_NONE;

  if (++state->depth > MAX_DEPTH)
    {
      set_invalid (&state->error, _("The configuration file is nested too deeply"));
      return;
    }

  if (parent == NULL)
    {
      if (strcmp (element_name, "clientConfig") != 0)
        set_invalid (&state->error, _("This is not a mail configuration file"));
      return;
    }

  /* Structure by depth as well as by name: clientConfig 1, emailProvider 2, its children 3,
   * theirs 4. Anything elsewhere is ignored, whatever its name. */
  if (state->depth == 2 && strcmp (parent, "clientConfig") == 0)
    {
      if (strcmp (element_name, "emailProvider") == 0 && !state->seen_provider)
        {
          state->seen_provider = state->in_provider = TRUE;
          state->config->provider_id =
            g_strdup (find_attribute ("id", attribute_names, attribute_values));
        }
      return;
    }

  if (!state->in_provider || state->depth > 4)
    return;

  if (state->depth == 3 && strcmp (parent, "emailProvider") == 0)
    {
      if (strcmp (element_name, "domain") == 0)
        start_text (state, TEXT_DOMAIN);
      else if (strcmp (element_name, "displayName") == 0)
        start_text (state, TEXT_DISPLAY_NAME);
      else if (strcmp (element_name, "displayShortName") == 0)
        start_text (state, TEXT_DISPLAY_SHORT_NAME);
      else if (strcmp (element_name, "incomingServer") == 0 ||
               strcmp (element_name, "outgoingServer") == 0)
        begin_server (state, element_name[0] == 'i',
                      find_attribute ("type", attribute_names, attribute_values));
      else if (strcmp (element_name, "enable") == 0 && !state->have_enable)
        {
          const char *url = find_attribute ("visiturl", attribute_names, attribute_values);

          state->have_enable = state->in_enable = TRUE;
          if (url != NULL && g_str_has_prefix (url, "https://") && strlen (url) <= MAX_TEXT)
            state->config->enable_url = g_strdup (url);
        }
      else if (strcmp (element_name, "documentation") == 0 &&
               state->config->documentation->len < MAX_DOCS)
        {
          const char *url = find_attribute ("url", attribute_names, attribute_values);

          g_clear_pointer (&state->doc, free_doc);
          state->doc_english = FALSE;
          if (url != NULL && (g_str_has_prefix (url, "https://") ||
                              g_str_has_prefix (url, "http://")) && strlen (url) <= MAX_TEXT)
            {
              state->doc = g_new0 (MailAutoconfigDoc, 1);
              state->doc->url = g_strdup (url);
            }
        }
      else if (strcmp (element_name, "appPasswordRequired") == 0)
        state->config->app_password_required = TRUE;
      return;
    }

  if (state->depth != 4)
    return;

  if (state->server != NULL &&
      (strcmp (parent, "incomingServer") == 0 || strcmp (parent, "outgoingServer") == 0))
    {
      if (strcmp (element_name, "hostname") == 0)
        start_text (state, TEXT_HOSTNAME);
      else if (strcmp (element_name, "port") == 0)
        start_text (state, TEXT_PORT);
      else if (strcmp (element_name, "socketType") == 0)
        start_text (state, TEXT_SOCKET_TYPE);
      else if (strcmp (element_name, "authentication") == 0)
        start_text (state, TEXT_AUTHENTICATION);
      else if (strcmp (element_name, "username") == 0)
        start_text (state, TEXT_USERNAME);
      return;
    }

  if (strcmp (parent, "enable") == 0 && state->in_enable &&
      strcmp (element_name, "instruction") == 0)
    {
      g_free (state->lang);
      state->lang = g_strdup (find_attribute ("lang", attribute_names, attribute_values));
      start_text (state, TEXT_INSTRUCTION);
    }
  else if (strcmp (parent, "documentation") == 0 && state->doc != NULL &&
           strcmp (element_name, "descr") == 0)
    {
      g_free (state->lang);
      state->lang = g_strdup (find_attribute ("lang", attribute_names, attribute_values));
      start_text (state, TEXT_DESCR);
    }
}

/* Keeps the first text, unless a later one is in English and the kept one is not. */
static void
set_localized (char      **field,
               gboolean   *field_is_english,
               const char *text,
               const char *lang)
{
  gboolean english = lang == NULL || g_ascii_strncasecmp (lang, "en", 2) == 0;

  if (*field != NULL && (*field_is_english || !english))
    return;
  g_free (*field);
  *field = g_strdup (text);
  *field_is_english = english;
}

static void
finish_text (ParseState  *state,
             GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (state->text->str));
  MailAutoconfigConfig *config = state->config;

  switch (state->field)
    {
    case TEXT_DOMAIN:
      {
        g_autofree char *domain = mail_autoconfig_normalize_domain (text, NULL);

        if (domain != NULL && config->domains->len < MAX_DOMAINS)
          g_ptr_array_add (config->domains, g_steal_pointer (&domain));
      }
      break;

    case TEXT_DISPLAY_NAME:
      if (config->display_name == NULL)
        config->display_name = g_steal_pointer (&text);
      break;

    case TEXT_DISPLAY_SHORT_NAME:
      if (config->display_short_name == NULL)
        config->display_short_name = g_steal_pointer (&text);
      break;

    case TEXT_HOSTNAME:
      if (!state->have_hostname)
        {
          if (!hostname_is_plausible (text))
            state->bad_server = TRUE;
          state->server->hostname = g_steal_pointer (&text);
          state->have_hostname = TRUE;
        }
      break;

    case TEXT_PORT:
      if (!state->have_port)
        {
          if (!parse_port (text, &state->server->port))
            state->bad_server = TRUE;
          state->have_port = TRUE;
        }
      break;

    case TEXT_SOCKET_TYPE:
      /* Several socketType elements: the first supported one wins. */
      if (!state->have_socket && parse_socket_type (text, &state->server->security))
        state->have_socket = TRUE;
      break;

    case TEXT_AUTHENTICATION:
      {
        const char *auth = map_authentication (text, state->server_incoming);

        if (auth != NULL && state->auth->len < 16 &&
            !g_ptr_array_find_with_equal_func (state->auth, auth, g_str_equal, NULL))
          g_ptr_array_add (state->auth, (gpointer) auth);
      }
      break;

    case TEXT_USERNAME:
      if (state->server->username == NULL)
        state->server->username = g_steal_pointer (&text);
      break;

    case TEXT_INSTRUCTION:
      set_localized (&config->enable_instruction, &state->instruction_english, text,
                     state->lang);
      break;

    case TEXT_DESCR:
      set_localized (&state->doc->description, &state->doc_english, text, state->lang);
      break;

    case TEXT_NONE:
    default:
      break;
    }

  state->field = TEXT_NONE;
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;

  if (state->error != NULL)
    return;

  state->depth--;

  if (state->field != TEXT_NONE)
    {
      finish_text (state, error);
      return;
    }

  if (!state->in_provider)
    return;

  if (strcmp (element_name, "emailProvider") == 0 && state->depth == 1)
    state->in_provider = FALSE;
  else if (state->in_server && state->depth == 2 &&
           (strcmp (element_name, "incomingServer") == 0 ||
            strcmp (element_name, "outgoingServer") == 0))
    end_server (state);
  else if (state->in_enable && state->depth == 2 && strcmp (element_name, "enable") == 0)
    state->in_enable = FALSE;
  else if (state->doc != NULL && state->depth == 2 &&
           strcmp (element_name, "documentation") == 0)
    g_ptr_array_add (state->config->documentation, g_steal_pointer (&state->doc));
}

static void
text (GMarkupParseContext  *context,
      const char           *text,
      gsize                 text_len,
      gpointer              user_data,
      GError              **error)
{
  ParseState *state = user_data;

  if (state->error != NULL || state->field == TEXT_NONE)
    return;

  if (state->text->len + text_len > MAX_TEXT)
    {
      g_set_error_literal (&state->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
                           _("A field of the configuration file is too long"));
      return;
    }
  g_string_append_len (state->text, text, text_len);
}

/* GMarkup hands us comments, processing instructions and DOCTYPE here. It never expands
 * entities beyond the five predefined ones, but a DOCTYPE has no business in these files. */
static void
passthrough (GMarkupParseContext  *context,
             const char           *passthrough_text,
             gsize                 text_len,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;

  if (state->error == NULL && text_len >= 2 && passthrough_text[0] == '<' &&
      passthrough_text[1] == '!' && !(text_len >= 4 && memcmp (passthrough_text, "<!--", 4) == 0))
    set_invalid (&state->error,
                 _("The configuration file contains a document type declaration"));
}

static const GMarkupParser parser = {
  start_element,
  end_element,
  text,
  passthrough,
  NULL,
};

/**
 * mail_autoconfig_xml_parse:
 * @data: the contents of a `config-v1.1.xml` file
 * @length: the length of @data in bytes
 * @error: return location for an error
 *
 * Reads a configuration in Thunderbird's autoconfig format. Unknown elements are ignored,
 * servers with unusable values are skipped, and the file must offer at least one usable
 * incoming server. Placeholders are kept: see mail_autoconfig_config_expand().
 *
 * Returns: (transfer full): the configuration, with source "manual" and needing confirmation
 *   until the caller says otherwise, or %NULL with @error set
 */
MailAutoconfigConfig *
mail_autoconfig_xml_parse (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) local_error = NULL;
  ParseState state = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > MAIL_AUTOCONFIG_XML_MAX_SIZE)
    {
      g_set_error_literal (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
                           _("The configuration file is too large"));
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      set_invalid (error, _("The configuration file contains a NUL byte"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      set_invalid (error, _("The configuration file is not valid UTF-8"));
      return NULL;
    }

  config = mail_autoconfig_config_new ();
  state.config = config;
  state.text = g_string_new (NULL);
  state.auth = g_ptr_array_new ();

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);
  ok = g_markup_parse_context_parse (context, data, length, &local_error) &&
       local_error == NULL && state.error == NULL &&
       g_markup_parse_context_end_parse (context, &local_error);
  if (state.error != NULL)
    {
      g_clear_error (&local_error);
      local_error = g_steal_pointer (&state.error);
      ok = FALSE;
    }
  else if (!ok && local_error == NULL)
    set_invalid (&local_error, _("The configuration file is not well-formed"));

  mail_autoconfig_server_free (state.server);
  g_clear_pointer (&state.doc, free_doc);
  g_free (state.lang);
  g_string_free (state.text, TRUE);
  g_ptr_array_unref (state.auth);

  if (!ok)
    {
      if (local_error->domain == MAIL_AUTOCONFIG_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_DATA,
                     _("The configuration file is not well-formed: %s"), local_error->message);
      return NULL;
    }

  if (!state.seen_provider)
    {
      set_invalid (error, _("The configuration file names no mail provider"));
      return NULL;
    }
  if (config->incoming->len == 0)
    {
      set_invalid (error, _("The configuration file offers no usable incoming server"));
      return NULL;
    }

  return g_steal_pointer (&config);
}
