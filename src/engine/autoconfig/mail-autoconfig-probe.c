/* mail-autoconfig-probe.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-autoconfig"

#include "config.h"

#include "mail-autoconfig-probe.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Guessing, the last resort: connect to likely host names and ports in parallel, look at the
 * greeting (and, for STARTTLS, at the capabilities), and never send anything secret. Ranking:
 * implicit TLS > STARTTLS, IMAP > POP3; a plaintext-only answer is never chosen when any TLS
 * variant answered. */

#define MAX_RESPONSE (16 * 1024)

typedef struct
{
  MailProtocol protocol;
  MailSecurity security;
  char        *host;
  guint16      port;
  guint        index;
  gboolean     cert_unverified;
} Answer;

typedef struct
{
  GCancellable *cancellable;
  GCancellable *parent;
  gulong        parent_handler;
  GResolver    *resolver;
  GTlsDatabase *database;
  GMainContext *context;
  guint         timeout_id;
  guint         pending;
  GArray       *answers;
} Probe;

typedef struct
{
  GTask        *task;
  MailProtocol  protocol;
  MailSecurity  security;
  char         *host;
  guint16       port;
  guint         index;
  GIOStream    *stream;
  GString      *response;
  gboolean      reading_capabilities;
  gboolean      cert_unverified;
  char          chunk[2048];
} Attempt;

static void read_response (Attempt *attempt);

static void
answer_clear (gpointer data)
{
  Answer *answer = data;

  g_free (answer->host);
}

static void
clear_timeout (Probe *probe)
{
  if (probe->timeout_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (probe->context, probe->timeout_id);

      if (source != NULL)
        g_source_destroy (source);
      probe->timeout_id = 0;
    }
}

static void
probe_free (gpointer data)
{
  Probe *probe = data;

  if (probe->parent != NULL)
    g_cancellable_disconnect (probe->parent, probe->parent_handler);
  g_clear_object (&probe->parent);
  clear_timeout (probe);
  g_clear_pointer (&probe->context, g_main_context_unref);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->resolver);
  g_clear_object (&probe->database);
  g_clear_pointer (&probe->answers, g_array_unref);
  g_free (probe);
}

static gint
compare_answers (gconstpointer a,
                 gconstpointer b)
{
  const Answer *x = a;
  const Answer *y = b;

  if (x->security != y->security)
    return (int) x->security - (int) y->security;
  if (x->cert_unverified != y->cert_unverified)
    return x->cert_unverified ? 1 : -1;
  if (x->protocol != y->protocol)
    return (int) x->protocol - (int) y->protocol;
  return (int) x->index - (int) y->index;
}

static void
add_servers (GPtrArray *list,
             GArray    *answers,
             gboolean   outgoing)
{
  gboolean have_tls = FALSE;

  for (guint i = 0; i < answers->len; i++)
    {
      const Answer *answer = &g_array_index (answers, Answer, i);

      if ((answer->protocol == MAIL_PROTOCOL_SMTP) == outgoing &&
          answer->security != MAIL_SECURITY_NONE)
        have_tls = TRUE;
    }

  for (guint i = 0; i < answers->len; i++)
    {
      const Answer *answer = &g_array_index (answers, Answer, i);
      MailAutoconfigServer *server;

      if ((answer->protocol == MAIL_PROTOCOL_SMTP) != outgoing)
        continue;
      /* Downgrade resistance: plaintext only when nothing encrypted answered at all. */
      if (have_tls && answer->security == MAIL_SECURITY_NONE)
        continue;

      server = mail_autoconfig_server_new (answer->protocol, answer->host, answer->port,
                                           answer->security, "%EMAILADDRESS%");
      server->cert_unverified = answer->cert_unverified;
      g_ptr_array_add (list, server);
    }
}

static void
attempt_done (Attempt  *attempt,
              gboolean  answered,
              gboolean  starttls)
{
  g_autoptr(GTask) task = g_steal_pointer (&attempt->task);
  Probe *probe = g_task_get_task_data (task);

  if (answered)
    {
      Answer answer = { 0 };

      answer.protocol = attempt->protocol;
      answer.security = attempt->security == MAIL_SECURITY_TLS ? MAIL_SECURITY_TLS :
                        starttls ? MAIL_SECURITY_STARTTLS : MAIL_SECURITY_NONE;
      answer.host = g_strdup (attempt->host);
      answer.port = attempt->port;
      answer.index = attempt->index;
      answer.cert_unverified = attempt->cert_unverified;
      g_array_append_val (probe->answers, answer);
      g_debug ("Probe: %s:%u answers (%s)", attempt->host, attempt->port,
               mail_security_to_string (answer.security));
    }

  g_clear_object (&attempt->stream);
  g_string_free (attempt->response, TRUE);
  g_free (attempt->host);
  g_free (attempt);

  if (--probe->pending > 0)
    return;

  clear_timeout (probe);

  if (probe->parent != NULL && g_cancellable_is_cancelled (probe->parent))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The lookup was cancelled"));
      return;
    }

  g_array_sort (probe->answers, compare_answers);
  {
    g_autoptr(MailAutoconfigConfig) config = mail_autoconfig_config_new ();

    add_servers (config->incoming, probe->answers, FALSE);
    add_servers (config->outgoing, probe->answers, TRUE);
    if (config->incoming->len == 0)
      {
        g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND,
                                 _("No likely mail server answered"));
        return;
      }
    config->source = MAIL_AUTOCONFIG_SOURCE_PROBE;
    config->trust = MAIL_AUTOCONFIG_TRUST_NEEDS_CONFIRMATION;
    g_task_return_pointer (task, g_steal_pointer (&config),
                           (GDestroyNotify) mail_autoconfig_config_free);
  }
}

static gboolean
greeting_ok (MailProtocol  protocol,
             const char   *line)
{
  switch (protocol)
    {
    case MAIL_PROTOCOL_IMAP:
      return g_str_has_prefix (line, "* OK") || g_str_has_prefix (line, "* PREAUTH");
    case MAIL_PROTOCOL_POP3:
      return g_str_has_prefix (line, "+OK");
    case MAIL_PROTOCOL_SMTP:
      return g_str_has_prefix (line, "220");
    default:
      return FALSE;
    }
}

/* Whether the response read so far is complete: the greeting line, or the last line of the
 * capability answer. */
static gboolean
response_complete (Attempt *attempt)
{
  const char *text = attempt->response->str;
  const char *line = text;
  const char *nl;

  if (!attempt->reading_capabilities)
    return strchr (text, '\n') != NULL;

  while ((nl = strchr (line, '\n')) != NULL)
    {
      switch (attempt->protocol)
        {
        case MAIL_PROTOCOL_IMAP:
          if (g_str_has_prefix (line, "A1 "))
            return TRUE;
          break;
        case MAIL_PROTOCOL_POP3:
          if (g_str_has_prefix (line, "-ERR") || g_str_has_prefix (line, ".\r") ||
              g_str_has_prefix (line, ".\n"))
            return TRUE;
          break;
        case MAIL_PROTOCOL_SMTP:
          if (nl - line >= 4 && g_ascii_isdigit (line[0]) && line[3] == ' ')
            return TRUE;
          break;
        default:
          return TRUE;
        }
      line = nl + 1;
    }
  return FALSE;
}

static gboolean
offers_starttls (Attempt *attempt)
{
  g_auto(GStrv) lines = g_strsplit (attempt->response->str, "\n", -1);
  const char *token = attempt->protocol == MAIL_PROTOCOL_POP3 ? "STLS" : "STARTTLS";

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;

      g_strdelimit (lines[i], "\r-", ' ');
      words = g_strsplit_set (lines[i], " ", -1);
      for (guint j = 0; words[j] != NULL; j++)
        {
          if (g_ascii_strcasecmp (words[j], token) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Attempt *attempt = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      attempt_done (attempt, TRUE, FALSE);
      return;
    }
  read_response (attempt);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *attempt = user_data;
  gssize n;
  const char *command;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  if (n <= 0)
    {
      /* A greeting without capabilities still counts as a plaintext answer. */
      attempt_done (attempt, attempt->reading_capabilities, FALSE);
      return;
    }

  g_string_append_len (attempt->response, attempt->chunk, n);
  if (memchr (attempt->chunk, '\0', n) != NULL || attempt->response->len > MAX_RESPONSE)
    {
      attempt_done (attempt, attempt->reading_capabilities, FALSE);
      return;
    }

  if (!response_complete (attempt))
    {
      read_response (attempt);
      return;
    }

  if (attempt->reading_capabilities)
    {
      attempt_done (attempt, TRUE, offers_starttls (attempt));
      return;
    }

  if (!greeting_ok (attempt->protocol, attempt->response->str))
    {
      attempt_done (attempt, FALSE, FALSE);
      return;
    }

  if (attempt->security == MAIL_SECURITY_TLS)
    {
      attempt_done (attempt, TRUE, FALSE);
      return;
    }

  /* Over plaintext, ask whether STARTTLS is offered. Nothing secret is ever sent. */
  attempt->reading_capabilities = TRUE;
  g_string_truncate (attempt->response, 0);
  command = attempt->protocol == MAIL_PROTOCOL_IMAP ? "A1 CAPABILITY\r\n" :
            attempt->protocol == MAIL_PROTOCOL_POP3 ? "CAPA\r\n" : "EHLO localhost\r\n";
  g_output_stream_write_all_async (g_io_stream_get_output_stream (attempt->stream),
                                   command, strlen (command), G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (attempt->task), write_cb, attempt);
}

static void
read_response (Attempt *attempt)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (attempt->stream),
                             attempt->chunk, sizeof attempt->chunk, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (attempt->task), read_cb, attempt);
}

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Attempt *attempt = user_data;

  /* Only the greeting is read, nothing is sent: go on, but remember it for the findings. */
  attempt->cert_unverified = TRUE;
  return TRUE;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Attempt *attempt = user_data;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, NULL))
    {
      attempt_done (attempt, FALSE, FALSE);
      return;
    }
  read_response (attempt);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *attempt = user_data;
  Probe *probe = g_task_get_task_data (attempt->task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  GIOStream *tls;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, NULL);
  if (connection == NULL)
    {
      attempt_done (attempt, FALSE, FALSE);
      return;
    }

  if (attempt->security != MAIL_SECURITY_TLS)
    {
      attempt->stream = G_IO_STREAM (g_steal_pointer (&connection));
      read_response (attempt);
      return;
    }

  identity = g_network_address_new (attempt->host, attempt->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, NULL);
  if (tls == NULL)
    {
      attempt_done (attempt, FALSE, FALSE);
      return;
    }
  if (probe->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), probe->database);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), attempt);
  attempt->stream = tls;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (attempt->task), handshake_cb,
                                    attempt);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, NULL);
  if (addresses == NULL)
    {
      attempt_done (attempt, FALSE, FALSE);
      return;
    }

  address = g_inet_socket_address_new (addresses->data, attempt->port);
  g_resolver_free_addresses (addresses);

  client = g_socket_client_new ();
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address),
                                 g_task_get_cancellable (attempt->task), connect_cb, attempt);
}

static void
start_attempt (GTask        *task,
               MailProtocol  protocol,
               MailSecurity  security,
               const char   *host,
               guint16       port,
               guint         index)
{
  Probe *probe = g_task_get_task_data (task);
  Attempt *attempt;

  if (port == 0)
    return;

  attempt = g_new0 (Attempt, 1);
  attempt->task = g_object_ref (task);
  attempt->protocol = protocol;
  attempt->security = security;
  attempt->host = g_strdup (host);
  attempt->port = port;
  attempt->index = index;
  attempt->response = g_string_new (NULL);
  probe->pending++;

  g_resolver_lookup_by_name_async (probe->resolver, host, g_task_get_cancellable (task),
                                   resolve_cb, attempt);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timeout_id = 0;
  g_cancellable_cancel (probe->cancellable);
  return G_SOURCE_REMOVE;
}

static void
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/**
 * mail_autoconfig_probe_async:
 * @domain: the normalised mail domain
 * @resolver: the resolver for host names
 * @database: (nullable): the TLS database, %NULL for the system's
 * @ports: the ports to try, 0 to skip one
 * @timeout_ms: when to give up on servers that have not answered
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Connects to imap., pop., pop3., mail. and smtp. host names of @domain in parallel.
 */
void
mail_autoconfig_probe_async (const char                     *domain,
                             GResolver                      *resolver,
                             GTlsDatabase                   *database,
                             const MailAutoconfigProbePorts  ports,
                             guint                           timeout_ms,
                             GCancellable                   *cancellable,
                             GAsyncReadyCallback             callback,
                             gpointer                        user_data)
{
  static const struct {
    MailProtocol protocol;
    const char  *prefix;
  } hosts[] = {
    { MAIL_PROTOCOL_IMAP, "imap." },
    { MAIL_PROTOCOL_IMAP, "mail." },
    { MAIL_PROTOCOL_POP3, "pop." },
    { MAIL_PROTOCOL_POP3, "pop3." },
    { MAIL_PROTOCOL_POP3, "mail." },
    { MAIL_PROTOCOL_SMTP, "smtp." },
    { MAIL_PROTOCOL_SMTP, "mail." },
  };
  g_autoptr(GTask) task = NULL;
  Probe *probe;
  guint index = 0;

  g_return_if_fail (domain != NULL);
  g_return_if_fail (G_IS_RESOLVER (resolver));

  probe = g_new0 (Probe, 1);
  probe->cancellable = g_cancellable_new ();
  probe->context = g_main_context_ref_thread_default ();
  probe->resolver = g_object_ref (resolver);
  probe->database = database != NULL ? g_object_ref (database) : NULL;
  probe->answers = g_array_new (FALSE, TRUE, sizeof (Answer));
  g_array_set_clear_func (probe->answers, answer_clear);

  task = g_task_new (NULL, probe->cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_autoconfig_probe_async);
  g_task_set_task_data (task, probe, probe_free);
  g_task_set_check_cancellable (task, FALSE);

  if (cancellable != NULL)
    {
      probe->parent = g_object_ref (cancellable);
      probe->parent_handler = g_cancellable_connect (cancellable,
                                                     G_CALLBACK (parent_cancelled_cb),
                                                     g_object_ref (probe->cancellable),
                                                     g_object_unref);
    }

  /* Holds the count above zero until every attempt has started. */
  probe->pending = 1;
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *host = g_strconcat (hosts[i].prefix, domain, NULL);

      for (guint j = 0; j < 2; j++)
        start_attempt (task, hosts[i].protocol,
                       j == 0 ? MAIL_SECURITY_TLS : MAIL_SECURITY_STARTTLS,
                       host, ports[hosts[i].protocol][j], index++);
    }

  {
    GSource *source = g_timeout_source_new (timeout_ms);

    g_source_set_callback (source, timeout_cb, probe, NULL);
    probe->timeout_id = g_source_attach (source, probe->context);
    g_source_unref (source);
  }

  {
    Attempt *sentinel = g_new0 (Attempt, 1);

    sentinel->task = g_object_ref (task);
    sentinel->response = g_string_new (NULL);
    attempt_done (sentinel, FALSE, FALSE);
  }
}

/**
 * mail_autoconfig_probe_finish:
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the servers that answered (source "probe", needs confirmation,
 *   placeholders in user names), or %NULL with @error set
 */
MailAutoconfigConfig *
mail_autoconfig_probe_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
