/* test-autoconfig-lookup.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "mail-autoconfig.h"
#include "mail-server-check.h"
#include "mail-test-utils.h"

/* Every network source of MailAutoconfig, pointed at local stand-ins: a GResolver subclass
 * with canned MX/SRV/A answers, a SoupServer over HTTPS with the test CA, and small mail
 * servers on 127.0.0.1 for probing. */

#define NEVER G_MAXUINT

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets cancelled operations unwind: the lookup's HTTP session closes its connections, so the
 * server's TLS handshakes and paused messages end before the server is disconnected. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Test resolver ------------------------------------------------------------------------- */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver   parent_instance;
  GHashTable *records;   /* "type:name" → GPtrArray of GVariant */
  GHashTable *hosts;     /* name → address string */
  guint       delay;     /* for every answer; NEVER = only cancellation ends a lookup */
  guint       n_calls;
  guint       n_cancelled;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

typedef struct
{
  GTask  *task;
  GList  *answer;
  gboolean records;
} Pending;

static void
pending_return (Pending *pending)
{
  if (pending->answer != NULL)
    g_task_return_pointer (pending->task, pending->answer, NULL);
  else
    g_task_return_new_error (pending->task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                             "no such record");
  g_object_unref (pending->task);
  g_free (pending);
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  pending_return (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
pending_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  Pending *pending = user_data;

  TEST_RESOLVER (g_task_get_source_object (pending->task))->n_cancelled++;
  g_task_return_new_error (pending->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  g_object_unref (pending->task);
  if (pending->records)
    g_list_free_full (pending->answer, (GDestroyNotify) g_variant_unref);
  else
    g_list_free_full (pending->answer, g_object_unref);
  g_free (pending);
  return G_SOURCE_REMOVE;
}

static void
answer (TestResolver *self,
        GTask        *task,
        GList        *list,
        gboolean      records)
{
  Pending *pending = g_new0 (Pending, 1);

  self->n_calls++;
  pending->task = g_object_ref (task);
  pending->answer = list;
  pending->records = records;

  if (self->delay == NEVER)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      GSource *source;

      g_assert_nonnull (cancellable);
      source = g_cancellable_source_new (cancellable);
      g_source_set_callback (source, (GSourceFunc) (void (*) (void)) pending_cancelled_cb,
                             pending, NULL);
      g_source_attach (source, g_main_context_get_thread_default ());
      g_source_unref (source);
    }
  else
    g_timeout_add (self->delay, pending_timeout_cb, pending);
}

static void
test_resolver_lookup_records_async (GResolver           *resolver,
                                    const char          *rrname,
                                    GResolverRecordType  record_type,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  g_autofree char *key = g_strdup_printf ("%d:%s", record_type, rrname);
  GPtrArray *list = g_hash_table_lookup (self->records, key);
  GList *copy = NULL;

  for (guint i = 0; list != NULL && i < list->len; i++)
    copy = g_list_append (copy, g_variant_ref (g_ptr_array_index (list, i)));
  answer (self, task, copy, TRUE);
}

static GList *
test_resolver_lookup_records_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  const char *address = g_hash_table_lookup (self->hosts, hostname);
  GList *list = NULL;

  if (address != NULL)
    list = g_list_append (NULL, g_inet_address_new_from_string (address));
  answer (self, task, list, FALSE);
}

static GList *
test_resolver_lookup_by_name_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                               const char               *hostname,
                                               GResolverNameLookupFlags  flags,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data)
{
  test_resolver_lookup_by_name_async (resolver, hostname, cancellable, callback, user_data);
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);

  g_hash_table_unref (self->records);
  g_hash_table_unref (self->hosts);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
  resolver_class->lookup_records_async = test_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = test_resolver_lookup_records_finish;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_by_name_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
resolver_add (TestResolver        *self,
              GResolverRecordType  type,
              const char          *name,
              GVariant            *record)
{
  g_autofree char *key = g_strdup_printf ("%d:%s", type, name);
  GPtrArray *list = g_hash_table_lookup (self->records, key);

  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      g_hash_table_insert (self->records, g_steal_pointer (&key), list);
    }
  g_ptr_array_add (list, g_variant_ref_sink (record));
}

/* HTTPS server -------------------------------------------------------------------------- */

typedef struct
{
  int    status;
  char  *body;
  gsize  length;
  guint  delay;
  char  *location;
} Route;

typedef struct
{
  SoupServer   *server;
  char         *base;       /* https://127.0.0.1:port */
  char         *plain_base; /* http://127.0.0.1:port */
  GHashTable   *routes;
  GPtrArray    *requests;   /* "path?query" in arrival order */
  GPtrArray    *paused;
} Http;

typedef struct
{
  TestResolver   *resolver;
  Http            http;
  MailAutoconfig *autoconfig;
  GPtrArray      *services;
  gboolean        done;
  gint64          started;
  gint64          elapsed_ms;
  MailAutoconfigConfig *config;
  GError         *error;
} Fixture;

static void
route_free (gpointer data)
{
  Route *route = data;

  g_free (route->body);
  g_free (route->location);
  g_free (route);
}

static void
respond (SoupServerMessage *msg,
         const Route       *route)
{
  if (route->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                  route->location);
  soup_server_message_set_status (msg, route->status, NULL);
  if (route->body != NULL)
    soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, route->body,
                                      route->length);
}

typedef struct
{
  SoupServerMessage *msg;
  Route             *route;
} Delayed;

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  respond (delayed->msg, delayed->route);
  soup_server_message_unpause (delayed->msg);
  g_object_unref (delayed->msg);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Http *http = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  Route *route = g_hash_table_lookup (http->routes, path);

  g_ptr_array_add (http->requests,
                   g_strconcat (path, g_uri_get_query (uri) != NULL ? "?" : "",
                                g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "",
                                NULL));

  if (route == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (route->delay == NEVER)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (http->paused, g_object_ref (msg));
      return;
    }

  if (route->delay > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->msg = g_object_ref (msg);
      delayed->route = route;
      soup_server_message_pause (msg);
      g_timeout_add (route->delay, delayed_cb, delayed);
      return;
    }

  respond (msg, route);
}

static void
http_start (Http       *http,
            const char *cert_name)
{
  g_autofree char *cert = g_strdup_printf ("%s.pem", cert_name);
  g_autofree char *key = g_strdup_printf ("%s.key", cert_name);
  g_autofree char *cert_path = mail_test_data_path (cert);
  g_autofree char *key_path = mail_test_data_path (key);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);

  http->server = soup_server_new ("tls-certificate", certificate, NULL);
  http->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  http->requests = g_ptr_array_new_with_free_func (g_free);
  http->paused = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (http->server, NULL, handler, http, NULL);

  soup_server_listen_local (http->server, 0,
                            SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  soup_server_listen_local (http->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (http->server);
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      GUri *uri = l->data;
      char *base = g_strdup_printf ("%s://127.0.0.1:%d", g_uri_get_scheme (uri),
                                    g_uri_get_port (uri));

      if (g_str_equal (g_uri_get_scheme (uri), "https"))
        http->base = base;
      else
        http->plain_base = base;
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_nonnull (http->base);
  g_assert_nonnull (http->plain_base);
}

static void
http_stop (Http *http)
{
  soup_server_disconnect (http->server);
  g_clear_object (&http->server);
  g_clear_pointer (&http->paused, g_ptr_array_unref);
  g_clear_pointer (&http->routes, g_hash_table_unref);
  g_clear_pointer (&http->requests, g_ptr_array_unref);
  g_clear_pointer (&http->base, g_free);
  g_clear_pointer (&http->plain_base, g_free);
}

static void
http_route (Http       *http,
            const char *path,
            int         status,
            const char *body,
            guint       delay)
{
  Route *route = g_new0 (Route, 1);

  route->status = status;
  route->body = g_strdup (body);
  route->length = body != NULL ? strlen (body) : 0;
  route->delay = delay;
  g_hash_table_replace (http->routes, g_strdup (path), route);
}

static gboolean
http_was_requested (Http       *http,
                    const char *prefix)
{
  for (guint i = 0; i < http->requests->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (http->requests, i), prefix))
        return TRUE;
    }
  return FALSE;
}

/* A configuration whose IMAP host tells which source served it. */
static char *
config_xml (const char *tag)
{
  return g_strdup_printf ("<?xml version='1.0'?><clientConfig version='1.1'>"
                          "<emailProvider id='%s'><domain>example.test</domain>"
                          "<incomingServer type='imap'><hostname>imap.%s.example.test</hostname>"
                          "<port>993</port><socketType>SSL</socketType>"
                          "<username>%%EMAILLOCALPART%%</username></incomingServer>"
                          "<outgoingServer type='smtp'><hostname>smtp.%s.example.test</hostname>"
                          "<port>465</port><socketType>SSL</socketType></outgoingServer>"
                          "</emailProvider></clientConfig>", tag, tag, tag);
}

static void
serve_config (Fixture    *fixture,
              const char *path,
              const char *tag,
              guint       delay)
{
  g_autofree char *xml = config_xml (tag);

  http_route (&fixture->http, path, SOUP_STATUS_OK, xml, delay);
}

/* Fixture ------------------------------------------------------------------------------- */

static void
fixture_setup_with_cert (Fixture    *fixture,
                         const char *cert_name)
{
  g_autofree char *ca_path = mail_test_data_path ("certs/ca.pem");
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *ispdb = NULL;

  fixture->resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  fixture->services = g_ptr_array_new_with_free_func (g_object_unref);
  http_start (&fixture->http, cert_name);

  database = g_tls_file_database_new (ca_path, &error);
  g_assert_no_error (error);

  provider = g_strconcat (fixture->http.base, "/provider", NULL);
  ispdb = g_strconcat (fixture->http.base, "/ispdb/", NULL);
  fixture->autoconfig = mail_autoconfig_new ();
  mail_autoconfig_set_resolver (fixture->autoconfig, G_RESOLVER (fixture->resolver));
  mail_autoconfig_set_tls_database (fixture->autoconfig, database);
  mail_autoconfig_set_provider_url (fixture->autoconfig, provider);
  mail_autoconfig_set_ispdb_url (fixture->autoconfig, ispdb);
  mail_autoconfig_set_probe (fixture->autoconfig, FALSE);
  mail_autoconfig_set_deadline (fixture->autoconfig, 10000);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture_setup_with_cert (fixture, "certs/server");
}

static void
fixture_setup_self_signed (Fixture       *fixture,
                           gconstpointer  data)
{
  fixture_setup_with_cert (fixture, "certs/self-signed");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->autoconfig);
  g_clear_pointer (&fixture->config, mail_autoconfig_config_free);
  g_clear_error (&fixture->error);
  spin (150);
  for (guint i = 0; i < fixture->services->len; i++)
    g_socket_service_stop (g_ptr_array_index (fixture->services, i));
  g_clear_pointer (&fixture->services, g_ptr_array_unref);
  http_stop (&fixture->http);
  spin (20);
  g_clear_object (&fixture->resolver);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->config = mail_autoconfig_lookup_finish (MAIL_AUTOCONFIG (object), result,
                                                   &fixture->error);
  fixture->elapsed_ms = (g_get_monotonic_time () - fixture->started) / 1000;
  fixture->done = TRUE;
}

static void
run_lookup (Fixture      *fixture,
            const char   *address,
            GCancellable *cancellable)
{
  fixture->done = FALSE;
  fixture->started = g_get_monotonic_time ();
  mail_autoconfig_lookup_async (fixture->autoconfig, address, cancellable, lookup_cb, fixture);
  mail_test_wait_for (&fixture->done, 20000);
}

static void
assert_source (Fixture              *fixture,
               MailAutoconfigSource  source)
{
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->config);
  g_assert_cmpstr (mail_autoconfig_source_to_string (fixture->config->source), ==,
                   mail_autoconfig_source_to_string (source));
}

static const MailAutoconfigServer *
first_incoming (Fixture *fixture)
{
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->config);
  g_assert_cmpuint (fixture->config->incoming->len, >, 0);
  return g_ptr_array_index (fixture->config->incoming, 0);
}

/* Tests: sources ------------------------------------------------------------------------ */

static void
test_bundled_no_network (Fixture       *fixture,
                         gconstpointer  data)
{
  run_lookup (fixture, "someone@BTInternet.com", NULL);
  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "mail.btinternet.com");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_BUNDLED);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_TRUSTED);
  g_assert_cmpstr (fixture->config->trust_domain, ==, "btinternet.com");
  /* A known domain never leaks to DNS or HTTP. */
  g_assert_cmpuint (fixture->resolver->n_calls, ==, 0);
  g_assert_cmpuint (fixture->http.requests->len, ==, 0);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  mail_autoconfig_set_offline (fixture->autoconfig, TRUE);
  run_lookup (fixture, "jane@example.test", NULL);
  g_assert_error (fixture->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->resolver->n_calls, ==, 0);
  g_assert_cmpuint (fixture->http.requests->len, ==, 0);
  /* NOT_FOUND comes at once, not at the deadline. */
  g_assert_cmpint (fixture->elapsed_ms, <, 1000);
}

static void
source_finished_cb (MailAutoconfig *autoconfig,
                    guint           source,
                    gboolean        found,
                    GString        *log)
{
  g_string_append_printf (log, "%s=%s;", mail_autoconfig_source_to_string (source),
                          found ? "found" : "none");
}

static void
test_provider (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (fixture->autoconfig, "source-finished", G_CALLBACK (source_finished_cb),
                    log);
  serve_config (fixture, "/provider/autoconfig.example.test/mail/config-v1.1.xml", "provider",
                0);
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  run_lookup (fixture, "jane@example.test", NULL);

  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.provider.example.test");
  g_assert_cmpstr (first_incoming (fixture)->username, ==, "jane");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_TRUSTED);
  g_assert_cmpstr (fixture->config->trust_domain, ==, "example.test");
  g_assert_true (http_was_requested (&fixture->http,
                                     "/provider/autoconfig.example.test/mail/config-v1.1.xml"
                                     "?emailaddress=jane%40example.test"));

  /* Progress: the bundled database answered first, the provider's file won. */
  g_test_message ("progress: %s", log->str);
  g_assert_true (g_str_has_prefix (log->str, "bundled=none;"));
  g_assert_nonnull (strstr (log->str, "provider-https=found;"));
}

static void
test_well_known (Fixture       *fixture,
                 gconstpointer  data)
{
  serve_config (fixture, "/provider/example.test/.well-known/autoconfig/mail/config-v1.1.xml",
                "wellknown", 0);
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  run_lookup (fixture, "jane@example.test", NULL);

  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.wellknown.example.test");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS);
  /* The well-known URL does not carry the address. */
  g_assert_true (http_was_requested (&fixture->http, "/provider/example.test/.well-known/"));
  for (guint i = 0; i < fixture->http.requests->len; i++)
    {
      const char *request = g_ptr_array_index (fixture->http.requests, i);

      if (strstr (request, ".well-known") != NULL)
        g_assert_null (strstr (request, "jane"));
    }
}

static void
test_ispdb (Fixture       *fixture,
            gconstpointer  data)
{
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  run_lookup (fixture, "jane@example.test", NULL);

  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.ispdb.example.test");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_ISPDB);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_TRUSTED);
}

static void
test_ispdb_disabled (Fixture       *fixture,
                     gconstpointer  data)
{
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  mail_autoconfig_set_use_online_database (fixture->autoconfig, FALSE);
  run_lookup (fixture, "jane@example.test", NULL);

  g_assert_error (fixture->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
  g_assert_false (http_was_requested (&fixture->http, "/ispdb/"));
  g_assert_true (http_was_requested (&fixture->http, "/provider/"));
}

static void
test_mx_bundled (Fixture       *fixture,
                 gconstpointer  data)
{
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_MX, "example.test",
                g_variant_new ("(qs)", 10, "alt1.aspmx.l.google.com"));
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_MX, "example.test",
                g_variant_new ("(qs)", 5, "aspmx.l.google.com"));
  run_lookup (fixture, "jane@example.test", NULL);

  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.gmail.com");
  g_assert_cmpstr (first_incoming (fixture)->username, ==, "jane@example.test");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_MX_BUNDLED);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION);
  g_assert_cmpstr (fixture->config->trust_domain, ==, "gmail.com");
  /* Known from the bundled database: google.com is not asked over HTTPS. */
  g_assert_false (http_was_requested (&fixture->http, "/provider/autoconfig.google.com"));
  g_assert_false (http_was_requested (&fixture->http, "/ispdb/google.com"));
  g_assert_true (http_was_requested (&fixture->http, "/ispdb/example.test"));
}

static void
test_mx_provider (Fixture       *fixture,
                  gconstpointer  data)
{
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_MX, "customer.test",
                g_variant_new ("(qs)", 10, "mx1.hoster.test."));
  serve_config (fixture, "/provider/autoconfig.hoster.test/mail/config-v1.1.xml", "hoster", 0);
  serve_config (fixture, "/ispdb/hoster.test", "hoster-ispdb", 0);
  run_lookup (fixture, "jane@customer.test", NULL);

  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.hoster.example.test");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_MX_PROVIDER);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION);
  /* The direct lookups ran first, for the person's own domain. */
  g_assert_true (http_was_requested (&fixture->http, "/ispdb/customer.test"));
}

static void
test_mx_ispdb (Fixture       *fixture,
               gconstpointer  data)
{
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_MX, "customer.test",
                g_variant_new ("(qs)", 10, "mx1.hoster.test"));
  serve_config (fixture, "/ispdb/hoster.test", "hoster-ispdb", 0);
  run_lookup (fixture, "jane@customer.test", NULL);

  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.hoster-ispdb.example.test");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_MX_ISPDB);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION);
}

static void
test_mx_same_domain (Fixture       *fixture,
                     gconstpointer  data)
{
  /* An MX in the same registrable domain adds nothing: no second round of requests. */
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_MX, "example.test",
                g_variant_new ("(qs)", 10, "mx.example.test"));
  run_lookup (fixture, "jane@example.test", NULL);
  g_assert_error (fixture->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->http.requests->len, ==, 3);
}

static void
test_srv (Fixture       *fixture,
          gconstpointer  data)
{
  const MailAutoconfigServer *server;

  resolver_add (fixture->resolver, G_RESOLVER_RECORD_SRV, "_imaps._tcp.example.test",
                g_variant_new ("(qqqs)", 10, 0, 993, "imap.hoster.test."));
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_SRV, "_imaps._tcp.example.test",
                g_variant_new ("(qqqs)", 20, 0, 993, "backup.hoster.test."));
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_SRV, "_imap._tcp.example.test",
                g_variant_new ("(qqqs)", 0, 0, 0, "."));
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_SRV, "_pop3s._tcp.example.test",
                g_variant_new ("(qqqs)", 0, 0, 995, "pop.hoster.test"));
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_SRV, "_submissions._tcp.example.test",
                g_variant_new ("(qqqs)", 0, 0, 0, "."));
  resolver_add (fixture->resolver, G_RESOLVER_RECORD_SRV, "_submission._tcp.example.test",
                g_variant_new ("(qqqs)", 0, 1, 587, "smtp.hoster.test"));
  run_lookup (fixture, "jane@example.test", NULL);

  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_SRV);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION);
  g_assert_cmpstr (fixture->config->trust_domain, ==, "hoster.test");
  /* "." is "not offered": no IMAP STARTTLS entry, no implicit-TLS submission. */
  g_assert_cmpuint (fixture->config->incoming->len, ==, 2);
  server = first_incoming (fixture);
  g_assert_cmpstr (server->hostname, ==, "imap.hoster.test");
  g_assert_cmpuint (server->port, ==, 993);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpstr (server->username, ==, "jane@example.test");
  server = g_ptr_array_index (fixture->config->incoming, 1);
  g_assert_cmpint (server->protocol, ==, MAIL_PROTOCOL_POP3);
  g_assert_cmpuint (fixture->config->outgoing->len, ==, 1);
  server = g_ptr_array_index (fixture->config->outgoing, 0);
  g_assert_cmpstr (server->hostname, ==, "smtp.hoster.test");
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_STARTTLS);
}

/* Tests: HTTPS rules -------------------------------------------------------------------- */

static void
test_untrusted_certificate (Fixture       *fixture,
                            gconstpointer  data)
{
  serve_config (fixture, "/provider/autoconfig.example.test/mail/config-v1.1.xml", "provider",
                0);
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  run_lookup (fixture, "jane@example.test", NULL);

  /* The self-signed server never even sees a request. */
  g_assert_error (fixture->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->http.requests->len, ==, 0);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("<clientConfig><emailProvider><!-- ");

  while (big->len < MAIL_AUTOCONFIG_MAX_RESPONSE_SIZE + 1000)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "--></emailProvider></clientConfig>");
  http_route (&fixture->http, "/provider/autoconfig.example.test/mail/config-v1.1.xml",
              SOUP_STATUS_OK, big->str, 0);
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  run_lookup (fixture, "jane@example.test", NULL);

  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_ISPDB);
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  http_route (&fixture->http, "/provider/autoconfig.example.test/mail/config-v1.1.xml",
              SOUP_STATUS_OK, "<html><body>Welcome to nginx</body></html>", 0);
  http_route (&fixture->http, "/provider/example.test/.well-known/autoconfig/mail/"
              "config-v1.1.xml", SOUP_STATUS_INTERNAL_SERVER_ERROR, "oops", 0);
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  run_lookup (fixture, "jane@example.test", NULL);

  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_ISPDB);
}

static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *to_http = NULL;
  Route *route;

  /* provider → http:// is refused without contacting the http:// address … */
  to_http = g_strconcat (fixture->http.plain_base, "/plain/config.xml", NULL);
  http_route (&fixture->http, "/provider/autoconfig.example.test/mail/config-v1.1.xml",
              SOUP_STATUS_FOUND, NULL, 0);
  route = g_hash_table_lookup (fixture->http.routes,
                               "/provider/autoconfig.example.test/mail/config-v1.1.xml");
  route->location = g_steal_pointer (&to_http);
  serve_config (fixture, "/plain/config.xml", "plain-http", 0);

  /* … while well-known → https:// elsewhere is followed. */
  http_route (&fixture->http, "/provider/example.test/.well-known/autoconfig/mail/"
              "config-v1.1.xml", SOUP_STATUS_MOVED_PERMANENTLY, NULL, 0);
  route = g_hash_table_lookup (fixture->http.routes, "/provider/example.test/.well-known/"
                               "autoconfig/mail/config-v1.1.xml");
  route->location = g_strdup ("/elsewhere/config.xml");
  serve_config (fixture, "/elsewhere/config.xml", "redirected", 0);

  run_lookup (fixture, "jane@example.test", NULL);
  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.redirected.example.test");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS);
  g_assert_false (http_was_requested (&fixture->http, "/plain/"));
  g_assert_true (http_was_requested (&fixture->http, "/elsewhere/"));
}

/* Tests: priority, deadline, cancellation ----------------------------------------------- */

static void
test_priority_late_winner (Fixture       *fixture,
                           gconstpointer  data)
{
  /* The provider answers 600 ms after the ISPDB: it still wins. */
  serve_config (fixture, "/provider/autoconfig.example.test/mail/config-v1.1.xml", "provider",
                600);
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  run_lookup (fixture, "jane@example.test", NULL);

  g_assert_cmpstr (first_incoming (fixture)->hostname, ==, "imap.provider.example.test");
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS);
  g_assert_cmpint (fixture->elapsed_ms, >=, 550);
  g_test_message ("provider won after %" G_GINT64_FORMAT " ms", fixture->elapsed_ms);
}

static void
test_priority_cancels_lower (Fixture       *fixture,
                             gconstpointer  data)
{
  /* DNS (MX, SRV) and the ISPDB never answer; the provider answers after 300 ms and wins
   * without waiting for them, and they are cancelled. */
  fixture->resolver->delay = NEVER;
  serve_config (fixture, "/provider/autoconfig.example.test/mail/config-v1.1.xml", "provider",
                300);
  http_route (&fixture->http, "/ispdb/example.test", SOUP_STATUS_OK, "", NEVER);
  run_lookup (fixture, "jane@example.test", NULL);

  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS);
  g_assert_cmpint (fixture->elapsed_ms, >=, 290);
  g_assert_cmpint (fixture->elapsed_ms, <, 2000);
  g_assert_true (http_was_requested (&fixture->http, "/ispdb/example.test"));

  /* MX and the six SRV lookups were cancelled, not left running. */
  spin (50);
  g_assert_cmpuint (fixture->resolver->n_calls, ==, 7);
  g_assert_cmpuint (fixture->resolver->n_cancelled, ==, 7);
}

static void
never_answer_anything (Fixture *fixture)
{
  fixture->resolver->delay = NEVER;
  http_route (&fixture->http, "/provider/autoconfig.example.test/mail/config-v1.1.xml",
              SOUP_STATUS_OK, "", NEVER);
  http_route (&fixture->http, "/provider/example.test/.well-known/autoconfig/mail/"
              "config-v1.1.xml", SOUP_STATUS_OK, "", NEVER);
  http_route (&fixture->http, "/ispdb/example.test", SOUP_STATUS_OK, "", NEVER);
  mail_autoconfig_set_http_timeout (fixture->autoconfig, 60000);
}

static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  never_answer_anything (fixture);
  mail_autoconfig_set_deadline (fixture->autoconfig, 300);
  run_lookup (fixture, "jane@example.test", NULL);

  g_assert_error (fixture->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TIMED_OUT);
  g_test_message ("gave up after %" G_GINT64_FORMAT " ms (deadline 300 ms)",
                  fixture->elapsed_ms);
  g_assert_cmpint (fixture->elapsed_ms, >=, 290);
  g_assert_cmpint (fixture->elapsed_ms, <, 1000);
}

static void
test_deadline_best_so_far (Fixture       *fixture,
                           gconstpointer  data)
{
  never_answer_anything (fixture);
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  /* Generous, so that the ISPDB's TLS handshake fits in even under sanitizers. */
  mail_autoconfig_set_deadline (fixture->autoconfig, 1500);
  run_lookup (fixture, "jane@example.test", NULL);

  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_ISPDB);
  g_assert_cmpint (fixture->elapsed_ms, >=, 1490);
  g_assert_cmpint (fixture->elapsed_ms, <, 2500);
}

static void
test_http_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  never_answer_anything (fixture);
  fixture->resolver->delay = 0;
  serve_config (fixture, "/ispdb/example.test", "ispdb", 0);
  mail_autoconfig_set_http_timeout (fixture->autoconfig, 1500);
  mail_autoconfig_set_deadline (fixture->autoconfig, 10000);
  run_lookup (fixture, "jane@example.test", NULL);

  /* Both provider requests time out after 1.5 s, then the ISPDB result is used, long before
   * the deadline. */
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_ISPDB);
  g_assert_cmpint (fixture->elapsed_ms, >=, 1490);
  g_assert_cmpint (fixture->elapsed_ms, <, 3000);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  never_answer_anything (fixture);
  g_timeout_add (100, cancel_cb, cancellable);
  run_lookup (fixture, "jane@example.test", cancellable);

  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (fixture->elapsed_ms, >=, 90);
  g_assert_cmpint (fixture->elapsed_ms, <, 1000);
}

static void
test_cancel_before (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  never_answer_anything (fixture);
  g_cancellable_cancel (cancellable);
  run_lookup (fixture, "jane@example.test", cancellable);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_invalid_address (Fixture       *fixture,
                      gconstpointer  data)
{
  run_lookup (fixture, "not an address", NULL);
  g_assert_error (fixture->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INVALID_ADDRESS);
  g_assert_cmpuint (fixture->resolver->n_calls, ==, 0);
}

/* Tests: probing ------------------------------------------------------------------------ */

typedef enum
{
  MODE_IMAP_TLS,
  MODE_IMAP_PLAIN,        /* no STARTTLS */
  MODE_POP3_PLAIN,        /* no STLS */
  MODE_SMTP_STARTTLS,
} Mode;

static gboolean
service_run_cb (GThreadedSocketService *service,
                GSocketConnection      *connection,
                GObject                *source_object,
                gpointer                user_data)
{
  Mode mode = GPOINTER_TO_UINT (g_object_get_data (source_object, "mode"));
  GTlsCertificate *certificate = g_object_get_data (source_object, "certificate");
  g_autoptr(GIOStream) tls = NULL;
  GIOStream *stream = G_IO_STREAM (connection);
  GOutputStream *out;
  GInputStream *in;
  char buffer[256];
  const char *greeting;
  const char *reply;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 5);
  if (mode == MODE_IMAP_TLS)
    {
      tls = g_tls_server_connection_new (stream, certificate, NULL);
      if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
        return TRUE;
      stream = tls;
    }

  out = g_io_stream_get_output_stream (stream);
  in = g_io_stream_get_input_stream (stream);
  switch (mode)
    {
    case MODE_IMAP_TLS:
    case MODE_IMAP_PLAIN:
      greeting = "* OK IMAP ready\r\n";
      reply = "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK done\r\n";
      break;
    case MODE_POP3_PLAIN:
      greeting = "+OK POP3 ready\r\n";
      reply = "+OK\r\nUSER\r\nUIDL\r\n.\r\n";
      break;
    case MODE_SMTP_STARTTLS:
    default:
      greeting = "220 smtp ready\r\n";
      reply = "250-smtp.example.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n";
      break;
    }

  if (!g_output_stream_write_all (out, greeting, strlen (greeting), NULL, NULL, NULL))
    return TRUE;
  if (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
    g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL);
  /* Wait for the client to hang up. */
  while (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
  return TRUE;
}

static guint16
start_service (Fixture    *fixture,
               Mode        mode,
               const char *cert_name)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;

  g_object_set_data (source, "mode", GUINT_TO_POINTER (mode));
  if (cert_name != NULL)
    {
      g_autofree char *cert = g_strdup_printf ("%s.pem", cert_name);
      g_autofree char *key = g_strdup_printf ("%s.key", cert_name);
      g_autofree char *cert_path = mail_test_data_path (cert);
      g_autofree char *key_path = mail_test_data_path (key);
      GTlsCertificate *certificate = g_tls_certificate_new_from_files (cert_path, key_path,
                                                                       &error);

      g_assert_no_error (error);
      g_object_set_data_full (source, "certificate", certificate, g_object_unref);
    }

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, source, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (service_run_cb), NULL);
  g_socket_service_start (service);
  g_ptr_array_add (fixture->services, g_object_ref (service));
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
}

static void
probe_setup (Fixture *fixture)
{
  static const char *hosts[] = {
    "imap.example.test", "mail.example.test", "pop.example.test", "smtp.example.test",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    g_hash_table_insert (fixture->resolver->hosts, g_strdup (hosts[i]), g_strdup ("127.0.0.1"));
  for (guint p = MAIL_PROTOCOL_IMAP; p <= MAIL_PROTOCOL_SMTP; p++)
    {
      mail_autoconfig_set_probe_port (fixture->autoconfig, p, MAIL_SECURITY_TLS, 0);
      mail_autoconfig_set_probe_port (fixture->autoconfig, p, MAIL_SECURITY_STARTTLS, 0);
    }
  mail_autoconfig_set_probe (fixture->autoconfig, TRUE);
  mail_autoconfig_set_http_timeout (fixture->autoconfig, 3000);
}

static void
test_probe (Fixture       *fixture,
            gconstpointer  data)
{
  const MailAutoconfigServer *server;
  g_autoptr(GPtrArray) findings = NULL;

  probe_setup (fixture);
  mail_autoconfig_set_probe_port (fixture->autoconfig, MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS,
                                  start_service (fixture, MODE_IMAP_TLS,
                                                 "autoconfig/example-test"));
  mail_autoconfig_set_probe_port (fixture->autoconfig, MAIL_PROTOCOL_IMAP,
                                  MAIL_SECURITY_STARTTLS,
                                  start_service (fixture, MODE_IMAP_PLAIN, NULL));
  mail_autoconfig_set_probe_port (fixture->autoconfig, MAIL_PROTOCOL_POP3,
                                  MAIL_SECURITY_STARTTLS,
                                  start_service (fixture, MODE_POP3_PLAIN, NULL));
  mail_autoconfig_set_probe_port (fixture->autoconfig, MAIL_PROTOCOL_SMTP,
                                  MAIL_SECURITY_STARTTLS,
                                  start_service (fixture, MODE_SMTP_STARTTLS, NULL));
  run_lookup (fixture, "jane@example.test", NULL);

  server = first_incoming (fixture);
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROBE);
  g_assert_cmpint (fixture->config->trust, ==, MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION);
  g_assert_cmpstr (server->hostname, ==, "imap.example.test");
  g_assert_cmpint (server->protocol, ==, MAIL_PROTOCOL_IMAP);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  g_assert_false (server->cert_unverified);
  g_assert_cmpstr (server->username, ==, "jane@example.test");

  /* Plaintext IMAP and POP3 answered too, but a TLS variant did: they are never offered. */
  for (guint i = 0; i < fixture->config->incoming->len; i++)
    {
      server = g_ptr_array_index (fixture->config->incoming, i);
      g_assert_cmpint (server->security, !=, MAIL_SECURITY_NONE);
    }

  g_assert_cmpuint (fixture->config->outgoing->len, >, 0);
  server = g_ptr_array_index (fixture->config->outgoing, 0);
  g_assert_cmpstr (server->hostname, ==, "smtp.example.test");
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_STARTTLS);

  findings = mail_autoconfig_assess (fixture->config, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_true (mail_autoconfig_findings_has_code (findings, "needs-confirmation"));
  g_assert_false (mail_autoconfig_findings_has_code (findings, "no-encryption"));
}

static void
test_probe_plaintext_only (Fixture       *fixture,
                           gconstpointer  data)
{
  const MailAutoconfigServer *server;
  g_autoptr(GPtrArray) findings = NULL;

  probe_setup (fixture);
  mail_autoconfig_set_probe_port (fixture->autoconfig, MAIL_PROTOCOL_IMAP,
                                  MAIL_SECURITY_STARTTLS,
                                  start_service (fixture, MODE_IMAP_PLAIN, NULL));
  run_lookup (fixture, "jane@example.test", NULL);

  server = first_incoming (fixture);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_NONE);
  findings = mail_autoconfig_assess (fixture->config, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_true (mail_autoconfig_findings_has_code (findings, "no-encryption"));
  g_assert_true (mail_autoconfig_findings_has_code (findings, "cleartext-password"));
}

static void
test_probe_self_signed (Fixture       *fixture,
                        gconstpointer  data)
{
  const MailAutoconfigServer *server;
  g_autoptr(GPtrArray) findings = NULL;

  probe_setup (fixture);
  mail_autoconfig_set_probe_port (fixture->autoconfig, MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS,
                                  start_service (fixture, MODE_IMAP_TLS, "certs/self-signed"));
  run_lookup (fixture, "jane@example.test", NULL);

  server = first_incoming (fixture);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  g_assert_true (server->cert_unverified);
  findings = mail_autoconfig_assess (fixture->config, MAIL_AUTOCONFIG_ASSESS_NONE);
  g_assert_true (mail_autoconfig_findings_has_code (findings, "certificate-not-verified"));
}

static void
test_probe_nothing (Fixture       *fixture,
                    gconstpointer  data)
{
  probe_setup (fixture);
  run_lookup (fixture, "jane@example.test", NULL);
  g_assert_error (fixture->error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
}

/* Probing is the last resort: it does not start while a better source may still answer. */
static void
test_probe_not_when_found (Fixture       *fixture,
                           gconstpointer  data)
{
  probe_setup (fixture);
  mail_autoconfig_set_probe_port (fixture->autoconfig, MAIL_PROTOCOL_IMAP,
                                  MAIL_SECURITY_STARTTLS,
                                  start_service (fixture, MODE_IMAP_PLAIN, NULL));
  serve_config (fixture, "/ispdb/example.test", "ispdb", 200);
  run_lookup (fixture, "jane@example.test", NULL);
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_ISPDB);
  g_assert_cmpuint (g_hash_table_size (fixture->resolver->hosts), ==, 4);
  /* Only MX and the six SRV names were asked, no host name. */
  g_assert_cmpuint (fixture->resolver->n_calls, ==, 7);
}

/* Tests: the local mail stack (build-aux/mail-stack) ------------------------------------ */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (20000, flag_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  return *slot;
}

/* Logs in to @server as the configuration says, with the engine's own check (the one the
 * wizard and `example-mail-cli check` use), trusting the stack's CA. @host replaces the
 * configured host name when not NULL. */
static gboolean
verify_server (const MailAutoconfigServer  *server,
               const char                  *host,
               const char                  *password,
               GError                     **error)
{
  g_autoptr(MailServerConfig) config = NULL;
  g_autoptr(MailServerCheckResult) checked = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  config = mail_server_config_new (server->protocol,
                                   host != NULL ? host : server->hostname,
                                   server->port, server->security, server->username);
  config->ca_file = g_strdup (mail_test_stack ("CA"));

  mail_server_check_async (config, password, NULL, NULL, result_cb, &result);
  checked = mail_server_check_finish (wait_result (&result), error);
  if (checked == NULL)
    return FALSE;

  g_assert_true (checked->encrypted);
  g_assert_nonnull (checked->mechanism);
  return TRUE;
}

/* The provider's autoconfig file, served over local HTTPS, names the stack; every server it
 * lists is then logged in to with Alice's account. */
static void
test_stack_served_file (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *xml = NULL;
  const char *host;

  if (!mail_test_have_stack ())
    return;

  host = mail_test_stack ("TLS_NAME");
  xml = g_strdup_printf ("<clientConfig version='1.1'><emailProvider id='%s'>"
                         "<domain>%s</domain><displayName>Local test stack</displayName>"
                         "<incomingServer type='imap'><hostname>%s</hostname><port>%s</port>"
                         "<socketType>SSL</socketType><authentication>password-cleartext"
                         "</authentication><username>%%EMAILADDRESS%%</username>"
                         "</incomingServer>"
                         "<incomingServer type='pop3'><hostname>%s</hostname><port>%s</port>"
                         "<socketType>SSL</socketType><username>%%EMAILADDRESS%%</username>"
                         "</incomingServer>"
                         "<outgoingServer type='smtp'><hostname>%s</hostname><port>%s</port>"
                         "<socketType>SSL</socketType><username>%%EMAILADDRESS%%</username>"
                         "</outgoingServer>"
                         "<outgoingServer type='smtp'><hostname>%s</hostname><port>%s</port>"
                         "<socketType>STARTTLS</socketType>"
                         "<username>%%EMAILADDRESS%%</username></outgoingServer>"
                         "</emailProvider></clientConfig>",
                         mail_test_stack ("DOMAIN"), mail_test_stack ("DOMAIN"),
                         host, mail_test_stack ("IMAPS_PORT"),
                         host, mail_test_stack ("POP3S_PORT"),
                         host, mail_test_stack ("SUBMISSIONS_PORT"),
                         host, mail_test_stack ("SUBMISSION_PORT"));
  {
    g_autofree char *path = g_strdup_printf ("/provider/autoconfig.%s/mail/config-v1.1.xml",
                                             mail_test_stack ("DOMAIN"));

    http_route (&fixture->http, path, SOUP_STATUS_OK, xml, 0);
  }

  run_lookup (fixture, mail_test_stack ("ALICE"), NULL);
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROVIDER_HTTPS);
  g_assert_cmpuint (fixture->config->incoming->len, ==, 2);
  g_assert_cmpuint (fixture->config->outgoing->len, ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      GPtrArray *list = i == 0 ? fixture->config->incoming : fixture->config->outgoing;

      for (guint j = 0; j < list->len; j++)
        {
          const MailAutoconfigServer *server = g_ptr_array_index (list, j);
          g_autoptr(GError) error = NULL;
          g_autoptr(GError) wrong_error = NULL;

          g_test_message ("verifying %s %s:%u", mail_protocol_to_string (server->protocol),
                          server->hostname, server->port);
          g_assert_cmpstr (server->username, ==, mail_test_stack ("ALICE"));
          g_assert_true (verify_server (server, NULL, mail_test_stack ("ALICE_PASSWORD"),
                                        &error));
          g_assert_no_error (error);

          /* The check is real: a wrong password fails. */
          g_assert_false (verify_server (server, NULL, "wrong-password", &wrong_error));
          g_assert_cmpint (mail_server_check_classify_error (wrong_error), ==,
                           MAIL_SERVER_CHECK_PROBLEM_AUTH);
        }
    }
}

/* Probing finds the stack's ports, implicit TLS first, and never a plaintext variant. */
static void
test_stack_probe (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct {
    MailProtocol  protocol;
    MailSecurity  security;
    const char   *key;
  } ports[] = {
    { MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS, "IMAPS_PORT" },
    { MAIL_PROTOCOL_IMAP, MAIL_SECURITY_STARTTLS, "IMAP_PORT" },
    { MAIL_PROTOCOL_POP3, MAIL_SECURITY_TLS, "POP3S_PORT" },
    { MAIL_PROTOCOL_POP3, MAIL_SECURITY_STARTTLS, "POP3_PORT" },
    { MAIL_PROTOCOL_SMTP, MAIL_SECURITY_TLS, "SUBMISSIONS_PORT" },
    { MAIL_PROTOCOL_SMTP, MAIL_SECURITY_STARTTLS, "SUBMISSION_PORT" },
  };
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  const MailAutoconfigServer *server;
  gboolean seen_starttls = FALSE;
  gboolean seen_pop3 = FALSE;

  if (!mail_test_have_stack ())
    return;

  probe_setup (fixture);
  database = g_tls_file_database_new (mail_test_stack ("CA"), &error);
  g_assert_no_error (error);
  mail_autoconfig_set_tls_database (fixture->autoconfig, database);
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    mail_autoconfig_set_probe_port (fixture->autoconfig, ports[i].protocol, ports[i].security,
                                    mail_test_stack_port (ports[i].key));

  run_lookup (fixture, mail_test_stack ("ALICE"), NULL);
  assert_source (fixture, MAIL_AUTOCONFIG_SOURCE_PROBE);

  server = first_incoming (fixture);
  g_assert_cmpint (server->protocol, ==, MAIL_PROTOCOL_IMAP);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpuint (server->port, ==, mail_test_stack_port ("IMAPS_PORT"));
  /* The stack's certificate names localhost, not imap.example.test. */
  g_assert_true (server->cert_unverified);

  for (guint i = 0; i < fixture->config->incoming->len; i++)
    {
      server = g_ptr_array_index (fixture->config->incoming, i);
      g_assert_cmpint (server->security, !=, MAIL_SECURITY_NONE);
      seen_starttls |= server->security == MAIL_SECURITY_STARTTLS;
      seen_pop3 |= server->protocol == MAIL_PROTOCOL_POP3;
    }
  g_assert_true (seen_starttls);
  g_assert_true (seen_pop3);

  server = g_ptr_array_index (fixture->config->outgoing, 0);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpuint (server->port, ==, mail_test_stack_port ("SUBMISSIONS_PORT"));

  /* Log in with what probing found (port, security, user name), under the certificate's
   * name. */
  for (guint i = 0; i < fixture->config->incoming->len; i++)
    {
      server = g_ptr_array_index (fixture->config->incoming, i);
      if (server->protocol == MAIL_PROTOCOL_POP3)
        {
          g_assert_true (verify_server (server, mail_test_stack ("TLS_NAME"),
                                        mail_test_stack ("ALICE_PASSWORD"), &error));
          g_assert_no_error (error);
          break;
        }
    }
  g_assert_true (verify_server (g_ptr_array_index (fixture->config->outgoing, 0),
                                mail_test_stack ("TLS_NAME"),
                                mail_test_stack ("ALICE_PASSWORD"), &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/autoconfig/lookup/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("bundled-no-network", test_bundled_no_network);
  ADD ("offline", test_offline);
  ADD ("provider", test_provider);
  ADD ("well-known", test_well_known);
  ADD ("ispdb", test_ispdb);
  ADD ("ispdb-disabled", test_ispdb_disabled);
  ADD ("mx-bundled", test_mx_bundled);
  ADD ("mx-provider", test_mx_provider);
  ADD ("mx-ispdb", test_mx_ispdb);
  ADD ("mx-same-domain", test_mx_same_domain);
  ADD ("srv", test_srv);
  g_test_add ("/engine/autoconfig/lookup/untrusted-certificate", Fixture, NULL,
              fixture_setup_self_signed, test_untrusted_certificate, fixture_teardown);
  ADD ("too-large", test_too_large);
  ADD ("garbage", test_garbage);
  ADD ("redirects", test_redirects);
  ADD ("priority-late-winner", test_priority_late_winner);
  ADD ("priority-cancels-lower", test_priority_cancels_lower);
  ADD ("deadline", test_deadline);
  ADD ("deadline-best-so-far", test_deadline_best_so_far);
  ADD ("http-timeout", test_http_timeout);
  ADD ("cancel", test_cancel);
  ADD ("cancel-before", test_cancel_before);
  ADD ("invalid-address", test_invalid_address);
  ADD ("probe", test_probe);
  ADD ("probe-plaintext-only", test_probe_plaintext_only);
  ADD ("probe-self-signed", test_probe_self_signed);
  ADD ("probe-nothing", test_probe_nothing);
  ADD ("probe-not-when-found", test_probe_not_when_found);
  ADD ("stack-served-file", test_stack_served_file);
  ADD ("stack-probe", test_stack_probe);

#undef ADD

  return g_test_run ();
}
