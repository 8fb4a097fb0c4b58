/* mail-autoconfig.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-autoconfig"

#include "config.h"

#include "mail-autoconfig.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mail-autoconfig-probe.h"

#define MAX_REDIRECTS 3

/* Account autoconfiguration: every source runs in parallel, with strict priority (the best
 * source that succeeds wins, even when it answers after a worse one; worse ones are then
 * cancelled) and one overall deadline, after which the best result so far is used. */

struct _MailAutoconfig
{
  GObject                   parent_instance;

  /* owned references */
  GResolver                *resolver;
  GTlsDatabase             *tls_database;

  /* state */
  char                     *ispdb_url;
  char                     *provider_url;
  guint                     deadline;
  guint                     http_timeout;
  gboolean                  offline;
  gboolean                  use_online_database;
  gboolean                  probe;
  MailAutoconfigProbePorts  probe_ports;
};

G_DEFINE_FINAL_TYPE (MailAutoconfig, mail_autoconfig, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RESOLVER,
  PROP_TLS_DATABASE,
  PROP_OFFLINE,
  PROP_USE_ONLINE_DATABASE,
  PROP_PROBE,
  PROP_DEADLINE,
  PROP_HTTP_TIMEOUT,
  PROP_ISPDB_URL,
  PROP_PROVIDER_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SOURCE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In order of priority. */
typedef enum
{
  SLOT_BUNDLED,
  SLOT_PROVIDER,
  SLOT_WELL_KNOWN,
  SLOT_ISPDB,
  SLOT_MX_BUNDLED,
  SLOT_MX_PROVIDER,
  SLOT_MX_WELL_KNOWN,
  SLOT_MX_ISPDB,
  SLOT_SRV,
  SLOT_PROBE,
  N_SLOTS
} Slot;

typedef enum
{
  SLOT_PENDING,   /* not started yet, will be */
  SLOT_RUNNING,
  SLOT_FAILED,
  SLOT_SUCCEEDED,
} SlotState;

typedef struct
{
  MailAutoconfig        *self;
  GTask                 *task;  /* NULL once the result is returned */
  GMainContext          *context;
  GCancellable          *user_cancellable;
  gulong                 user_handler;
  SoupSession           *session;
  GPtrArray             *ops;   /* GCancellable of every operation in flight */
  GSource               *deadline;
  char                  *address;
  char                  *local_part;
  char                  *domain;
  char                  *mx_domain;
  SlotState              state[N_SLOTS];
  MailAutoconfigConfig  *results[N_SLOTS];
} Lookup;

typedef struct
{
  Lookup       *lookup;
  Slot          slot;
  GCancellable *cancellable;
  GSource      *timeout;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  char         *url;
  guint         redirects;
} Fetch;

typedef struct
{
  Lookup                *lookup;
  GCancellable          *cancellable;
  guint                  pending;
  MailAutoconfigServer  *found[6];
} SrvLookup;

static const struct {
  const char   *service;
  MailProtocol  protocol;
  MailSecurity  security;
} srv_services[6] = {
  { "_imaps._tcp.", MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS },
  { "_imap._tcp.", MAIL_PROTOCOL_IMAP, MAIL_SECURITY_STARTTLS },
  { "_pop3s._tcp.", MAIL_PROTOCOL_POP3, MAIL_SECURITY_TLS },
  { "_pop3._tcp.", MAIL_PROTOCOL_POP3, MAIL_SECURITY_STARTTLS },
  { "_submissions._tcp.", MAIL_PROTOCOL_SMTP, MAIL_SECURITY_TLS },
  { "_submission._tcp.", MAIL_PROTOCOL_SMTP, MAIL_SECURITY_STARTTLS },
};

static void evaluate (Lookup *lookup);

/* Lookup lifetime ------------------------------------------------------------------------ */

static void
lookup_clear (gpointer data)
{
  Lookup *lookup = data;

  g_assert (lookup->task == NULL);
  g_assert (lookup->deadline == NULL);
  if (lookup->user_cancellable != NULL && lookup->user_handler != 0)
    g_cancellable_disconnect (lookup->user_cancellable, lookup->user_handler);
  g_clear_object (&lookup->user_cancellable);
  g_clear_object (&lookup->session);
  g_clear_pointer (&lookup->ops, g_ptr_array_unref);
  g_clear_pointer (&lookup->context, g_main_context_unref);
  g_free (lookup->address);
  g_free (lookup->local_part);
  g_free (lookup->domain);
  g_free (lookup->mx_domain);
  for (guint i = 0; i < N_SLOTS; i++)
    g_clear_pointer (&lookup->results[i], mail_autoconfig_config_free);
  g_clear_object (&lookup->self);
}

static Lookup *
lookup_ref (Lookup *lookup)
{
  return g_atomic_rc_box_acquire (lookup);
}

static void
lookup_unref (Lookup *lookup)
{
  g_atomic_rc_box_release_full (lookup, lookup_clear);
}

static GSource *
add_timeout (GMainContext *context,
             guint         ms,
             GSourceFunc   func,
             gpointer      data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GCancellable *
lookup_new_op (Lookup *lookup)
{
  GCancellable *cancellable = g_cancellable_new ();

  g_ptr_array_add (lookup->ops, g_object_ref (cancellable));
  return cancellable;
}

static void
lookup_end_op (Lookup       *lookup,
               GCancellable *cancellable)
{
  g_ptr_array_remove (lookup->ops, cancellable);
}

static void
finish (Lookup               *lookup,
        MailAutoconfigConfig *config,
        GError               *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&lookup->task);
  g_autoptr(GPtrArray) ops = NULL;

  g_assert (task != NULL);

  clear_source (&lookup->deadline);

  /* Everything still running is worse than the result, or too late. */
  ops = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < lookup->ops->len; i++)
    g_ptr_array_add (ops, g_object_ref (g_ptr_array_index (lookup->ops, i)));
  for (guint i = 0; i < ops->len; i++)
    g_cancellable_cancel (g_ptr_array_index (ops, i));

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, config, (GDestroyNotify) mail_autoconfig_config_free);
}

/* Slot results --------------------------------------------------------------------------- */

static MailAutoconfigSource
slot_source (Slot slot)
{
  switch (slot)
    {
    case SLOT_BUNDLED:
      return MAIL_AUTOCONFIG_SOURCE_BUNDLED;
    case SLOT_PROVIDER:
    case SLOT_WELL_KNOWN:
      return MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS;
    case SLOT_ISPDB:
      return MAIL_AUTOCONFIG_SOURCE_ISPDB;
    case SLOT_MX_BUNDLED:
      return MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED;
    case SLOT_MX_PROVIDER:
    case SLOT_MX_WELL_KNOWN:
      return MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER;
    case SLOT_MX_ISPDB:
      return MAIL_AUTOCONFIG_SOURCE_MX_ISPDB;
    case SLOT_SRV:
      return MAIL_AUTOCONFIG_SOURCE_SRV;
    case SLOT_PROBE:
    case N_SLOTS:
    default:
      return MAIL_AUTOCONFIG_SOURCE_PROBE;
    }
}

static void
slot_failed (Lookup     *lookup,
             Slot        slot,
             const char *why)
{
  g_debug ("%s: %s failed: %s", lookup->domain,
           mail_autoconfig_source_to_string (slot_source (slot)), why);
  lookup->state[slot] = SLOT_FAILED;
  g_signal_emit (lookup->self, signals[SOURCE_FINISHED], 0, slot_source (slot), FALSE);
  evaluate (lookup);
}

static void
slot_succeeded (Lookup               *lookup,
                Slot                  slot,
                MailAutoconfigConfig *config,
                const char           *origin)
{
  g_autoptr(MailAutoconfigConfig) expanded = NULL;
  g_autoptr(GError) error = NULL;
  const MailAutoconfigServer *first;

  expanded = mail_autoconfig_config_expand (config, lookup->address, NULL, &error);
  if (expanded == NULL)
    {
      slot_failed (lookup, slot, error->message);
      return;
    }

  expanded->source = slot_source (slot);
  switch (slot)
    {
    case SLOT_BUNDLED:
    case SLOT_PROVIDER:
    case SLOT_WELL_KNOWN:
    case SLOT_ISPDB:
      expanded->trust = MAIL_AUTOCONFIG_TRUST_TRUSTED;
      break;
    case SLOT_MX_BUNDLED:
    case SLOT_MX_PROVIDER:
    case SLOT_MX_WELL_KNOWN:
    case SLOT_MX_ISPDB:
    case SLOT_SRV:
    case SLOT_PROBE:
    case N_SLOTS:
    default:
      expanded->trust = MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION;
      break;
    }

  first = g_ptr_array_index (expanded->incoming, 0);
  g_free (expanded->trust_domain);
  expanded->trust_domain = mail_autoconfig_registrable_domain (first->hostname);
  if (origin != NULL)
    {
      g_free (expanded->origin);
      expanded->origin = g_strdup (origin);
    }

  g_debug ("%s: %s found a configuration", lookup->domain,
           mail_autoconfig_source_to_string (expanded->source));
  lookup->results[slot] = g_steal_pointer (&expanded);
  lookup->state[slot] = SLOT_SUCCEEDED;
  g_signal_emit (lookup->self, signals[SOURCE_FINISHED], 0, slot_source (slot), TRUE);
  evaluate (lookup);
}

/* HTTPS ---------------------------------------------------------------------------------- */

static void
fetch_free (Fetch *fetch)
{
  clear_source (&fetch->timeout);
  lookup_end_op (fetch->lookup, fetch->cancellable);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_free (fetch->url);
  lookup_unref (fetch->lookup);
  g_free (fetch);
}

static void
fetch_fail (Fetch      *fetch,
            const char *why)
{
  Lookup *lookup = fetch->lookup;
  Slot slot = fetch->slot;

  lookup_ref (lookup);
  fetch_free (fetch);
  if (lookup->task != NULL)
    slot_failed (lookup, slot, why);
  lookup_unref (lookup);
}

static void
fetch_done (Fetch *fetch)
{
  Lookup *lookup = fetch->lookup;
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup (fetch->url);
  Slot slot = fetch->slot;

  config = mail_autoconfig_xml_parse ((const char *) fetch->body->data, fetch->body->len,
                                      &error);
  if (config == NULL)
    {
      fetch_fail (fetch, error->message);
      return;
    }

  lookup_ref (lookup);
  fetch_free (fetch);
  if (lookup->task != NULL)
    slot_succeeded (lookup, slot, config, url);
  lookup_unref (lookup);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      fetch_fail (fetch, error->message);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      fetch_done (fetch);
      return;
    }

  if (fetch->body->len + g_bytes_get_size (bytes) > MAIL_AUTOCONFIG_MAX_RESPONSE_SIZE)
    {
      fetch_fail (fetch, "response too large");
      return;
    }

  g_byte_array_append (fetch->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (fetch->stream, 16 * 1024, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, read_cb, fetch);
}

static void send_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Only HTTPS to HTTPS: a trusted source must not be taken off HTTPS, nor the e-mail address
 * in the query be sent in clear. */
static void
follow_redirect (Fetch *fetch)
{
  const char *location;
  g_autoptr(GUri) target = NULL;
  g_autofree char *url = NULL;

  location = soup_message_headers_get_one (
    soup_message_get_response_headers (fetch->message), "Location");
  if (location == NULL || ++fetch->redirects > MAX_REDIRECTS)
    {
      fetch_fail (fetch, "bad or too many redirects");
      return;
    }

  target = g_uri_parse_relative (soup_message_get_uri (fetch->message), location,
                                 SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL || g_strcmp0 (g_uri_get_scheme (target), "https") != 0)
    {
      fetch_fail (fetch, "redirect to a non-HTTPS address refused");
      return;
    }

  url = g_uri_to_string (target);
  g_debug ("Following redirect to %s", url);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  fetch->message = soup_message_new_from_uri (SOUP_METHOD_GET, target);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  g_free (fetch->url);
  fetch->url = g_steal_pointer (&url);
  soup_session_send_async (fetch->lookup->session, fetch->message, G_PRIORITY_DEFAULT,
                           fetch->cancellable, send_cb, fetch);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  GUri *uri;
  guint status;
  goffset length;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (fetch->stream == NULL)
    {
      fetch_fail (fetch, error->message);
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      follow_redirect (fetch);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *why = g_strdup_printf ("HTTP status %u", status);

      fetch_fail (fetch, why);
      return;
    }

  /* Redirects are followed by hand, so this holds; checked again all the same. */
  uri = soup_message_get_uri (fetch->message);
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      fetch_fail (fetch, "not HTTPS");
      return;
    }

  length = soup_message_headers_get_content_length (
    soup_message_get_response_headers (fetch->message));
  if (length > MAIL_AUTOCONFIG_MAX_RESPONSE_SIZE)
    {
      fetch_fail (fetch, "response too large");
      return;
    }

  fetch->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (fetch->stream, 16 * 1024, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, read_cb, fetch);
}

static gboolean
fetch_timeout_cb (gpointer user_data)
{
  Fetch *fetch = user_data;

  g_clear_pointer (&fetch->timeout, g_source_unref);
  g_cancellable_cancel (fetch->cancellable);
  return G_SOURCE_REMOVE;
}

static void
start_fetch (Lookup     *lookup,
             Slot        slot,
             const char *url)
{
  Fetch *fetch;
  g_autoptr(GUri) uri = NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      lookup->state[slot] = SLOT_FAILED;
      g_debug ("Not fetching %s: not an https:// URL", url);
      return;
    }

  fetch = g_new0 (Fetch, 1);
  fetch->lookup = lookup_ref (lookup);
  fetch->slot = slot;
  fetch->url = g_strdup (url);
  fetch->cancellable = lookup_new_op (lookup);
  fetch->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->message), "Accept",
                                "application/xml, text/xml");
  fetch->timeout = add_timeout (lookup->context, lookup->self->http_timeout, fetch_timeout_cb,
                                fetch);
  lookup->state[slot] = SLOT_RUNNING;

  g_debug ("Fetching %s", url);
  soup_session_send_async (lookup->session, fetch->message, G_PRIORITY_DEFAULT,
                           fetch->cancellable, send_cb, fetch);
}

static char *
provider_url (Lookup     *lookup,
              const char *domain,
              gboolean    well_known)
{
  const char *base = lookup->self->provider_url;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  if (well_known)
    {
      host = g_strdup (domain);
      path = g_strdup ("/.well-known/autoconfig/mail/config-v1.1.xml");
    }
  else
    {
      g_autofree char *escaped = g_uri_escape_string (lookup->address, NULL, FALSE);

      host = g_strconcat ("autoconfig.", domain, NULL);
      path = g_strdup ("/mail/config-v1.1.xml");
      query = g_strconcat ("?emailaddress=", escaped, NULL);
    }

  /* Tests point every provider at one server: <base>/<host><path>. */
  if (base != NULL)
    return g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", host, path,
                        query != NULL ? query : "", NULL);
  return g_strconcat ("https://", host, path, query != NULL ? query : "", NULL);
}

static char *
ispdb_url (Lookup     *lookup,
           const char *domain)
{
  const char *base = lookup->self->ispdb_url;

  return g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", domain, NULL);
}

/* Bundled -------------------------------------------------------------------------------- */

static void
run_bundled (Lookup     *lookup,
             Slot        slot,
             const char *domain)
{
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = mail_autoconfig_bundled_lookup (domain, &error);
  if (config == NULL)
    {
      g_debug ("%s: %s", domain, error->message);
      lookup->state[slot] = SLOT_FAILED;
      g_signal_emit (lookup->self, signals[SOURCE_FINISHED], 0, slot_source (slot), FALSE);
      return;
    }

  lookup->state[slot] = SLOT_RUNNING;
  slot_succeeded (lookup, slot, config, config->origin);
}

/* MX ------------------------------------------------------------------------------------- */

static void
start_domain_slots (Lookup     *lookup,
                    const char *domain,
                    Slot        bundled,
                    Slot        provider,
                    Slot        well_known,
                    Slot        ispdb)
{
  MailAutoconfig *self = lookup->self;

  /* The bundled database first: when it knows the domain, the network sources below it can
   * never win, so the domain is not sent anywhere. */
  if (lookup->state[bundled] == SLOT_PENDING)
    run_bundled (lookup, bundled, domain);
  if (lookup->task == NULL)
    return;
  if (lookup->state[bundled] == SLOT_SUCCEEDED)
    {
      lookup->state[provider] = lookup->state[well_known] = lookup->state[ispdb] = SLOT_FAILED;
      return;
    }

  if (!self->offline)
    {
      g_autofree char *url1 = provider_url (lookup, domain, FALSE);
      g_autofree char *url2 = provider_url (lookup, domain, TRUE);

      start_fetch (lookup, provider, url1);
      start_fetch (lookup, well_known, url2);
    }
  else
    lookup->state[provider] = lookup->state[well_known] = SLOT_FAILED;

  if (!self->offline && self->use_online_database)
    {
      g_autofree char *url = ispdb_url (lookup, domain);

      start_fetch (lookup, ispdb, url);
    }
  else
    lookup->state[ispdb] = SLOT_FAILED;
}

static void
mx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *best = NULL;
  g_autofree char *registrable = NULL;
  g_autofree char *normalized = NULL;
  GList *records;
  guint best_pref = G_MAXUINT;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (lookup->task == NULL)
    goto out;

  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 pref;
      const char *host;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qs)")))
        continue;
      g_variant_get (l->data, "(q&s)", &pref, &host);
      if (pref < best_pref && host[0] != '\0' && strcmp (host, ".") != 0)
        {
          best_pref = pref;
          g_free (best);
          best = g_strdup (host);
        }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (best != NULL)
    normalized = mail_autoconfig_normalize_domain (best, NULL);
  if (normalized != NULL)
    registrable = mail_autoconfig_registrable_domain (normalized);

  if (registrable == NULL || strcmp (registrable, lookup->domain) == 0)
    {
      g_debug ("%s: MX gives no other domain (%s)", lookup->domain,
               error != NULL ? error->message : best != NULL ? best : "no usable record");
      for (Slot slot = SLOT_MX_BUNDLED; slot <= SLOT_MX_ISPDB; slot++)
        {
          lookup->state[slot] = SLOT_FAILED;
          g_signal_emit (lookup->self, signals[SOURCE_FINISHED], 0, slot_source (slot), FALSE);
        }
      evaluate (lookup);
      goto out;
    }

  g_debug ("%s: MX host %s belongs to %s", lookup->domain, normalized, registrable);
  lookup->mx_domain = g_steal_pointer (&registrable);
  start_domain_slots (lookup, lookup->mx_domain, SLOT_MX_BUNDLED, SLOT_MX_PROVIDER,
                      SLOT_MX_WELL_KNOWN, SLOT_MX_ISPDB);
  evaluate (lookup);

out:
  lookup_unref (lookup);
}

/* SRV ------------------------------------------------------------------------------------ */

static void srv_step (SrvLookup *srv);

typedef struct
{
  SrvLookup *srv;
  guint      index;
} SrvCall;

static void
srv_call_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SrvCall *call = user_data;
  SrvLookup *srv = call->srv;
  GList *records;
  guint best_priority = G_MAXUINT;
  gint best_weight = -1;
  g_autofree char *best_host = NULL;
  guint16 best_port = 0;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, NULL);
  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 priority, weight, port;
      const char *target;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qqqs)")))
        continue;
      g_variant_get (l->data, "(qqq&s)", &priority, &weight, &port, &target);
      if (priority < best_priority || (priority == best_priority && weight > best_weight))
        {
          best_priority = priority;
          best_weight = weight;
          best_port = port;
          g_free (best_host);
          best_host = g_strdup (target);
        }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  /* RFC 6186: a target of "." means the service is not offered. */
  if (best_host != NULL && best_port != 0 && strcmp (best_host, ".") != 0)
    {
      g_autofree char *host = mail_autoconfig_normalize_domain (best_host, NULL);

      if (host != NULL)
        srv->found[call->index] =
          mail_autoconfig_server_new (srv_services[call->index].protocol, host, best_port,
                                      srv_services[call->index].security, "%EMAILADDRESS%");
    }

  g_free (call);
  srv->pending--;
  srv_step (srv);
}

static void
srv_step (SrvLookup *srv)
{
  Lookup *lookup = srv->lookup;
  g_autoptr(MailAutoconfigConfig) config = NULL;

  if (srv->pending > 0)
    return;

  config = mail_autoconfig_config_new ();
  for (guint i = 0; i < G_N_ELEMENTS (srv_services); i++)
    {
      MailAutoconfigServer *server = g_steal_pointer (&srv->found[i]);

      if (server == NULL)
        continue;
      if (server->protocol == MAIL_PROTOCOL_SMTP)
        g_ptr_array_add (config->outgoing, server);
      else
        g_ptr_array_add (config->incoming, server);
    }

  lookup_end_op (lookup, srv->cancellable);
  g_clear_object (&srv->cancellable);
  g_free (srv);

  if (lookup->task != NULL)
    {
      if (config->incoming->len == 0)
        slot_failed (lookup, SLOT_SRV, "no incoming SRV record");
      else
        {
          g_autofree char *origin = g_strconcat ("dns:", lookup->domain, NULL);

          slot_succeeded (lookup, SLOT_SRV, config, origin);
        }
    }
  lookup_unref (lookup);
}

static void
start_srv (Lookup *lookup)
{
  SrvLookup *srv = g_new0 (SrvLookup, 1);

  srv->lookup = lookup_ref (lookup);
  srv->cancellable = lookup_new_op (lookup);
  srv->pending = G_N_ELEMENTS (srv_services);
  lookup->state[SLOT_SRV] = SLOT_RUNNING;

  for (guint i = 0; i < G_N_ELEMENTS (srv_services); i++)
    {
      g_autofree char *name = g_strconcat (srv_services[i].service, lookup->domain, NULL);
      SrvCall *call = g_new0 (SrvCall, 1);

      call->srv = srv;
      call->index = i;
      g_resolver_lookup_records_async (lookup->self->resolver, name, G_RESOLVER_RECORD_SRV,
                                       srv->cancellable, srv_call_cb, call);
    }
}

/* Probe ---------------------------------------------------------------------------------- */

typedef struct
{
  Lookup       *lookup;
  GCancellable *cancellable;
} ProbeCall;

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ProbeCall *call = user_data;
  Lookup *lookup = call->lookup;
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = mail_autoconfig_probe_finish (result, &error);
  lookup_end_op (lookup, call->cancellable);
  g_clear_object (&call->cancellable);
  g_free (call);

  if (lookup->task != NULL)
    {
      if (config == NULL)
        slot_failed (lookup, SLOT_PROBE, error->message);
      else
        slot_succeeded (lookup, SLOT_PROBE, config, NULL);
    }
  lookup_unref (lookup);
}

static void
start_probe (Lookup *lookup)
{
  ProbeCall *call = g_new0 (ProbeCall, 1);

  call->lookup = lookup_ref (lookup);
  call->cancellable = lookup_new_op (lookup);
  lookup->state[SLOT_PROBE] = SLOT_RUNNING;
  g_debug ("%s: nothing found, probing likely servers", lookup->domain);
  mail_autoconfig_probe_async (lookup->domain, lookup->self->resolver,
                               lookup->self->tls_database,
                               (const guint16 (*)[2]) lookup->self->probe_ports,
                               lookup->self->http_timeout, call->cancellable, probe_cb, call);
}

/* Priority ------------------------------------------------------------------------------- */

static void
evaluate (Lookup *lookup)
{
  if (lookup->task == NULL)
    return;

  if (lookup->user_cancellable != NULL && g_cancellable_is_cancelled (lookup->user_cancellable))
    {
      finish (lookup, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("The lookup was cancelled")));
      return;
    }

  for (guint i = 0; i < N_SLOTS; i++)
    {
      switch (lookup->state[i])
        {
        case SLOT_SUCCEEDED:
          finish (lookup, g_steal_pointer (&lookup->results[i]), NULL);
          return;

        case SLOT_FAILED:
          continue;

        case SLOT_PENDING:
          /* Probing starts only once every better source has failed. */
          if (i == SLOT_PROBE)
            start_probe (lookup);
          return;

        case SLOT_RUNNING:
        default:
          return;
        }
    }

  finish (lookup, NULL,
          g_error_new (MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND,
                       _("No settings were found for “%s”. Enter them by hand."),
                       lookup->domain));
}

static gboolean
deadline_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  g_clear_pointer (&lookup->deadline, g_source_unref);
  if (lookup->task == NULL)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < N_SLOTS; i++)
    {
      if (lookup->state[i] == SLOT_SUCCEEDED)
        {
          g_debug ("%s: deadline, using the best result so far", lookup->domain);
          finish (lookup, g_steal_pointer (&lookup->results[i]), NULL);
          return G_SOURCE_REMOVE;
        }
    }

  finish (lookup, NULL,
          g_error_new (MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TIMED_OUT,
                       _("Looking up the settings for “%s” took too long. Enter them by "
                         "hand."), lookup->domain));
  return G_SOURCE_REMOVE;
}

static gboolean
idle_evaluate_cb (gpointer user_data)
{
  evaluate (user_data);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  Lookup *lookup = user_data;
  GSource *source = g_idle_source_new ();

  /* May run in another thread, and with the cancellable's lock held: defer. */
  g_source_set_callback (source, idle_evaluate_cb, lookup_ref (lookup),
                         (GDestroyNotify) lookup_unref);
  g_source_attach (source, lookup->context);
  g_source_unref (source);
}

/* GObject -------------------------------------------------------------------------------- */

static void
mail_autoconfig_finalize (GObject *object)
{
  MailAutoconfig *self = (MailAutoconfig *) object;

  g_clear_object (&self->resolver);
  g_clear_object (&self->tls_database);
  g_clear_pointer (&self->ispdb_url, g_free);
  g_clear_pointer (&self->provider_url, g_free);

  G_OBJECT_CLASS (mail_autoconfig_parent_class)->finalize (object);
}

static void
mail_autoconfig_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MailAutoconfig *self = MAIL_AUTOCONFIG (object);

  switch (prop_id)
    {
    case PROP_RESOLVER:
      g_value_set_object (value, mail_autoconfig_get_resolver (self));
      break;
    case PROP_TLS_DATABASE:
      g_value_set_object (value, mail_autoconfig_get_tls_database (self));
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, mail_autoconfig_get_offline (self));
      break;
    case PROP_USE_ONLINE_DATABASE:
      g_value_set_boolean (value, mail_autoconfig_get_use_online_database (self));
      break;
    case PROP_PROBE:
      g_value_set_boolean (value, mail_autoconfig_get_probe (self));
      break;
    case PROP_DEADLINE:
      g_value_set_uint (value, mail_autoconfig_get_deadline (self));
      break;
    case PROP_HTTP_TIMEOUT:
      g_value_set_uint (value, mail_autoconfig_get_http_timeout (self));
      break;
    case PROP_ISPDB_URL:
      g_value_set_string (value, mail_autoconfig_get_ispdb_url (self));
      break;
    case PROP_PROVIDER_URL:
      g_value_set_string (value, mail_autoconfig_get_provider_url (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_autoconfig_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MailAutoconfig *self = MAIL_AUTOCONFIG (object);

  switch (prop_id)
    {
    case PROP_RESOLVER:
      mail_autoconfig_set_resolver (self, g_value_get_object (value));
      break;
    case PROP_TLS_DATABASE:
      mail_autoconfig_set_tls_database (self, g_value_get_object (value));
      break;
    case PROP_OFFLINE:
      mail_autoconfig_set_offline (self, g_value_get_boolean (value));
      break;
    case PROP_USE_ONLINE_DATABASE:
      mail_autoconfig_set_use_online_database (self, g_value_get_boolean (value));
      break;
    case PROP_PROBE:
      mail_autoconfig_set_probe (self, g_value_get_boolean (value));
      break;
    case PROP_DEADLINE:
      mail_autoconfig_set_deadline (self, g_value_get_uint (value));
      break;
    case PROP_HTTP_TIMEOUT:
      mail_autoconfig_set_http_timeout (self, g_value_get_uint (value));
      break;
    case PROP_ISPDB_URL:
      mail_autoconfig_set_ispdb_url (self, g_value_get_string (value));
      break;
    case PROP_PROVIDER_URL:
      mail_autoconfig_set_provider_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_autoconfig_class_init (MailAutoconfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mail_autoconfig_finalize;
  object_class->get_property = mail_autoconfig_get_property;
  object_class->set_property = mail_autoconfig_set_property;

  /**
   * MailAutoconfig:resolver:
   *
   * The resolver for MX, SRV and host name lookups; tests inject their own.
   */
  properties[PROP_RESOLVER] =
    g_param_spec_object ("resolver", NULL, NULL, G_TYPE_RESOLVER, flags);

  /**
   * MailAutoconfig:tls-database:
   *
   * The certificate authorities for HTTPS and probing; %NULL for the system's.
   */
  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL, G_TYPE_TLS_DATABASE, flags);

  /**
   * MailAutoconfig:offline:
   *
   * Whether only the bundled database is used, without any network access.
   */
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE, flags);

  /**
   * MailAutoconfig:use-online-database:
   *
   * Whether the central provider database may be asked (it learns the domain). Bound to the
   * `use-online-provider-database` setting.
   */
  properties[PROP_USE_ONLINE_DATABASE] =
    g_param_spec_boolean ("use-online-database", NULL, NULL, TRUE, flags);

  /**
   * MailAutoconfig:probe:
   *
   * Whether likely host names are probed when nothing else is found.
   */
  properties[PROP_PROBE] =
    g_param_spec_boolean ("probe", NULL, NULL, TRUE, flags);

  /**
   * MailAutoconfig:deadline:
   *
   * Milliseconds after which the lookup uses the best result so far, or gives up.
   */
  properties[PROP_DEADLINE] =
    g_param_spec_uint ("deadline", NULL, NULL, 1, G_MAXINT,
                       MAIL_AUTOCONFIG_DEFAULT_DEADLINE_MS, flags);

  /**
   * MailAutoconfig:http-timeout:
   *
   * Milliseconds each HTTPS request and each probe may take.
   */
  properties[PROP_HTTP_TIMEOUT] =
    g_param_spec_uint ("http-timeout", NULL, NULL, 1, G_MAXINT,
                       MAIL_AUTOCONFIG_DEFAULT_HTTP_TIMEOUT_MS, flags);

  /**
   * MailAutoconfig:ispdb-url:
   *
   * The base URL of the central provider database; the domain is appended.
   */
  properties[PROP_ISPDB_URL] =
    g_param_spec_string ("ispdb-url", NULL, NULL, MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL, flags);

  /**
   * MailAutoconfig:provider-url:
   *
   * For tests: when set, provider autoconfig requests go to `<provider-url>/<host><path>`
   * instead of `https://<host><path>`.
   */
  properties[PROP_PROVIDER_URL] =
    g_param_spec_string ("provider-url", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MailAutoconfig::source-finished:
   * @self: a #MailAutoconfig
   * @source: the #MailAutoconfigSource that answered, as a guint
   * @found: whether it found a configuration
   *
   * Emitted, on the caller's main context, each time a source of a running lookup answers
   * (provider autoconfig emits twice: the autoconfig host and the .well-known path). Sources
   * cancelled because a better one won do not emit. For progress rows in the interface.
   */
  signals[SOURCE_FINISHED] =
    g_signal_new ("source-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
mail_autoconfig_init (MailAutoconfig *self)
{
  self->resolver = g_resolver_get_default ();
  self->ispdb_url = g_strdup (MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL);
  self->deadline = MAIL_AUTOCONFIG_DEFAULT_DEADLINE_MS;
  self->http_timeout = MAIL_AUTOCONFIG_DEFAULT_HTTP_TIMEOUT_MS;
  self->use_online_database = TRUE;
  self->probe = TRUE;
  for (guint p = MAIL_PROTOCOL_IMAP; p <= MAIL_PROTOCOL_SMTP; p++)
    {
      self->probe_ports[p][0] = mail_protocol_default_port (p, MAIL_SECURITY_TLS);
      self->probe_ports[p][1] = mail_protocol_default_port (p, MAIL_SECURITY_STARTTLS);
    }
}

/* Public API ----------------------------------------------------------------------------- */

/**
 * mail_autoconfig_new:
 *
 * Returns: (transfer full): a new lookup with the default sources and deadline
 */
MailAutoconfig *
mail_autoconfig_new (void)
{
  return g_object_new (MAIL_TYPE_AUTOCONFIG, NULL);
}

/**
 * mail_autoconfig_get_resolver:
 * @self: a #MailAutoconfig
 *
 * Returns: (transfer none): the resolver
 */
GResolver *
mail_autoconfig_get_resolver (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), NULL);

  return self->resolver;
}

/**
 * mail_autoconfig_set_resolver:
 * @self: a #MailAutoconfig
 * @resolver: (nullable): a resolver, %NULL for the default one
 *
 * Sets the resolver for MX, SRV and host name lookups.
 */
void
mail_autoconfig_set_resolver (MailAutoconfig *self,
                              GResolver      *resolver)
{
  g_autoptr(GResolver) fallback = NULL;

  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));

  if (resolver == NULL)
    resolver = fallback = g_resolver_get_default ();
  if (g_set_object (&self->resolver, resolver))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVER]);
}

/**
 * mail_autoconfig_get_tls_database:
 * @self: a #MailAutoconfig
 *
 * Returns: (transfer none) (nullable): the TLS database, %NULL for the system's
 */
GTlsDatabase *
mail_autoconfig_get_tls_database (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), NULL);

  return self->tls_database;
}

/**
 * mail_autoconfig_set_tls_database:
 * @self: a #MailAutoconfig
 * @database: (nullable): a TLS database, %NULL for the system's
 *
 * Sets the certificate authorities trusted for HTTPS and probing.
 */
void
mail_autoconfig_set_tls_database (MailAutoconfig *self,
                                  GTlsDatabase   *database)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (g_set_object (&self->tls_database, database))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_DATABASE]);
}

/**
 * mail_autoconfig_get_offline:
 * @self: a #MailAutoconfig
 *
 * Returns: whether only the bundled database is used
 */
gboolean
mail_autoconfig_get_offline (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), FALSE);

  return self->offline;
}

/**
 * mail_autoconfig_set_offline:
 * @self: a #MailAutoconfig
 * @offline: whether to use the network
 *
 * When @offline is %TRUE, lookups use the bundled database only.
 */
void
mail_autoconfig_set_offline (MailAutoconfig *self,
                             gboolean        offline)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  offline = !!offline;
  if (self->offline == offline)
    return;
  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

/**
 * mail_autoconfig_get_use_online_database:
 * @self: a #MailAutoconfig
 *
 * Returns: whether the central provider database may be asked
 */
gboolean
mail_autoconfig_get_use_online_database (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), FALSE);

  return self->use_online_database;
}

/**
 * mail_autoconfig_set_use_online_database:
 * @self: a #MailAutoconfig
 * @use: whether the central provider database may be asked
 *
 * Switches the central provider database (ISPDB) on or off.
 */
void
mail_autoconfig_set_use_online_database (MailAutoconfig *self,
                                         gboolean        use)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  use = !!use;
  if (self->use_online_database == use)
    return;
  self->use_online_database = use;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_ONLINE_DATABASE]);
}

/**
 * mail_autoconfig_get_probe:
 * @self: a #MailAutoconfig
 *
 * Returns: whether likely servers are probed as a last resort
 */
gboolean
mail_autoconfig_get_probe (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), FALSE);

  return self->probe;
}

/**
 * mail_autoconfig_set_probe:
 * @self: a #MailAutoconfig
 * @probe: whether to probe
 *
 * Switches probing of likely servers on or off.
 */
void
mail_autoconfig_set_probe (MailAutoconfig *self,
                           gboolean        probe)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  probe = !!probe;
  if (self->probe == probe)
    return;
  self->probe = probe;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE]);
}

/**
 * mail_autoconfig_get_deadline:
 * @self: a #MailAutoconfig
 *
 * Returns: the overall deadline of a lookup, in milliseconds
 */
guint
mail_autoconfig_get_deadline (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), 0);

  return self->deadline;
}

/**
 * mail_autoconfig_set_deadline:
 * @self: a #MailAutoconfig
 * @deadline_ms: the overall deadline, in milliseconds
 *
 * Sets how long a lookup may take in all.
 */
void
mail_autoconfig_set_deadline (MailAutoconfig *self,
                              guint           deadline_ms)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (deadline_ms > 0);

  if (self->deadline == deadline_ms)
    return;
  self->deadline = deadline_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE]);
}

/**
 * mail_autoconfig_get_http_timeout:
 * @self: a #MailAutoconfig
 *
 * Returns: how long each request and probe may take, in milliseconds
 */
guint
mail_autoconfig_get_http_timeout (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), 0);

  return self->http_timeout;
}

/**
 * mail_autoconfig_set_http_timeout:
 * @self: a #MailAutoconfig
 * @timeout_ms: milliseconds
 *
 * Sets how long each HTTPS request and each probe may take.
 */
void
mail_autoconfig_set_http_timeout (MailAutoconfig *self,
                                  guint           timeout_ms)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->http_timeout == timeout_ms)
    return;
  self->http_timeout = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HTTP_TIMEOUT]);
}

/**
 * mail_autoconfig_get_ispdb_url:
 * @self: a #MailAutoconfig
 *
 * Returns: (transfer none): the base URL of the central provider database
 */
const char *
mail_autoconfig_get_ispdb_url (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), NULL);

  return self->ispdb_url;
}

/**
 * mail_autoconfig_set_ispdb_url:
 * @self: a #MailAutoconfig
 * @url: (nullable): an https:// base URL, %NULL for the default
 *
 * Sets where the central provider database is.
 */
void
mail_autoconfig_set_ispdb_url (MailAutoconfig *self,
                               const char     *url)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  if (url == NULL)
    url = MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL;
  if (g_strcmp0 (self->ispdb_url, url) == 0)
    return;
  g_free (self->ispdb_url);
  self->ispdb_url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISPDB_URL]);
}

/**
 * mail_autoconfig_get_provider_url:
 * @self: a #MailAutoconfig
 *
 * Returns: (transfer none) (nullable): the test override of provider URLs
 */
const char *
mail_autoconfig_get_provider_url (MailAutoconfig *self)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), NULL);

  return self->provider_url;
}

/**
 * mail_autoconfig_set_provider_url:
 * @self: a #MailAutoconfig
 * @url: (nullable): an https:// base URL, or %NULL for the real providers
 *
 * For tests: sends provider autoconfig requests to `<url>/<host><path>`.
 */
void
mail_autoconfig_set_provider_url (MailAutoconfig *self,
                                  const char     *url)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  if (g_strcmp0 (self->provider_url, url) == 0)
    return;
  g_free (self->provider_url);
  self->provider_url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_URL]);
}

/**
 * mail_autoconfig_set_probe_port:
 * @self: a #MailAutoconfig
 * @protocol: a protocol
 * @security: %MAIL_SECURITY_TLS or %MAIL_SECURITY_STARTTLS
 * @port: the port to probe, 0 to skip
 *
 * For tests: changes a port that probing tries.
 */
void
mail_autoconfig_set_probe_port (MailAutoconfig *self,
                                MailProtocol    protocol,
                                MailSecurity    security,
                                guint16         port)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (protocol <= MAIL_PROTOCOL_SMTP);
  g_return_if_fail (security != MAIL_SECURITY_NONE);

  self->probe_ports[protocol][security == MAIL_SECURITY_TLS ? 0 : 1] = port;
}

/**
 * mail_autoconfig_lookup_async:
 * @self: a #MailAutoconfig
 * @address: the person's e-mail address
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Finds the servers for @address. All sources run in parallel: the bundled database, the
 * provider's autoconfig file over HTTPS, the central database, the same three for the
 * domain of the MX host, SRV records and, when all of these fail, probing. The best source
 * that succeeds wins; when the deadline passes, the best result so far is used.
 */
void
mail_autoconfig_lookup_async (MailAutoconfig      *self,
                              const char          *address,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_part = NULL;
  g_autofree char *domain = NULL;
  Lookup *lookup;

  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_autoconfig_lookup_async);

  if (!mail_autoconfig_split_address (address, &local_part, &domain, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lookup = g_atomic_rc_box_new0 (Lookup);
  lookup->self = g_object_ref (self);
  lookup->task = g_object_ref (task);
  lookup->context = g_main_context_ref_thread_default ();
  lookup->ops = g_ptr_array_new_with_free_func (g_object_unref);
  lookup->local_part = g_steal_pointer (&local_part);
  lookup->domain = g_steal_pointer (&domain);
  lookup->address = g_strconcat (lookup->local_part, "@", lookup->domain, NULL);
  /* Up to seven requests run at once, and in tests they all go to one host. */
  lookup->session = soup_session_new_with_options ("user-agent", "example-mail/" PACKAGE_VERSION,
                                                   "timeout", (self->http_timeout + 999) / 1000,
                                                   "max-conns", 16,
                                                   "max-conns-per-host", 8,
                                                   NULL);
  if (self->tls_database != NULL)
    g_object_set (lookup->session, "tls-database", self->tls_database, NULL);
  for (guint i = 0; i < N_SLOTS; i++)
    lookup->state[i] = SLOT_PENDING;

  lookup->deadline = add_timeout (lookup->context, self->deadline, deadline_cb, lookup);
  if (cancellable != NULL)
    {
      lookup->user_cancellable = g_object_ref (cancellable);
      lookup->user_handler = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb),
                                                    lookup, NULL);
    }

  /* The bundled database first: when it knows the domain, nothing goes over the network. */
  run_bundled (lookup, SLOT_BUNDLED, lookup->domain);
  if (lookup->task == NULL)
    {
      g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_unref);
      return;
    }

  if (!self->offline)
    {
      GCancellable *op = lookup_new_op (lookup);

      g_resolver_lookup_records_async (self->resolver, lookup->domain, G_RESOLVER_RECORD_MX, op,
                                       mx_cb, lookup_ref (lookup));
      g_object_unref (op);
      start_srv (lookup);
    }
  else
    {
      lookup->state[SLOT_MX_BUNDLED] = lookup->state[SLOT_MX_PROVIDER] =
        lookup->state[SLOT_MX_WELL_KNOWN] = lookup->state[SLOT_MX_ISPDB] = SLOT_FAILED;
      lookup->state[SLOT_SRV] = SLOT_FAILED;
    }
  if (self->offline || !self->probe)
    lookup->state[SLOT_PROBE] = SLOT_FAILED;

  start_domain_slots (lookup, lookup->domain, SLOT_BUNDLED, SLOT_PROVIDER, SLOT_WELL_KNOWN,
                      SLOT_ISPDB);
  /* The GTask owns the lookup from here on. */
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_unref);
  evaluate (lookup);
}

/**
 * mail_autoconfig_lookup_finish:
 * @self: a #MailAutoconfig
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the configuration found, expanded for the address, with its
 *   source and trust level, or %NULL with @error set
 */
MailAutoconfigConfig *
mail_autoconfig_lookup_finish (MailAutoconfig  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (MAIL_IS_AUTOCONFIG (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
