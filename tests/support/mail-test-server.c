/* mail-test-server.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-test-server.h"

#include <string.h>

#include "mail-test-utils.h"

#define DEFAULT_TIMEOUT_MS 5000
#define DRAIN_WAIT_US      (100 * 1000)

typedef enum
{
  STEP_SEND,
  STEP_EXPECT,
  STEP_EXPECT_REGEX,
  STEP_EXPECT_ANY,
  STEP_TLS,
  STEP_TLS_FAIL,
  STEP_CERT,
  STEP_WAIT,
  STEP_CLOSE,
  STEP_EXPECT_CLOSE,
  STEP_ACCEPT,
} StepKind;

typedef struct
{
  StepKind kind;
  guint lineno;
  char *text;        /* S: template (before $N substitution), C: literal, CERT name */
  GBytes *raw;       /* programmatic sends: sent verbatim */
  GRegex *regex;
  gboolean append_crlf;
  gboolean escapes;
  guint ms;
} Step;

struct _MailTestServer
{
  GObject parent_instance;

  /* owned references */
  GSocket *listen_socket;
  GThread *thread;
  GPtrArray *steps;
  GByteArray *received;
  GError *error;

  /* state, thread side (only the server thread touches these while it runs) */
  GIOStream *stream;
  GSocketConnection *connection;
  GByteArray *pending;
  char *captures[10];

  /* shared */
  GMutex mutex;
  char *cert_name;
  guint timeout_ms;
  guint16 port;
  gboolean client_closed;
};

G_DEFINE_FINAL_TYPE (MailTestServer, mail_test_server, G_TYPE_OBJECT)

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->text, g_free);
  g_clear_pointer (&step->raw, g_bytes_unref);
  g_clear_pointer (&step->regex, g_regex_unref);
  g_free (step);
}

/* ------------------------------------------------------------------------------------ */
/* Script parsing */

static GBytes *
unescape (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p != '\0'; p++)
    {
      guint8 c = (guint8)*p;

      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          switch (*p)
            {
            case 'r': c = '\r'; break;
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case '0': c = '\0'; break;
            case 'x':
              if (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
                {
                  c = (guint8)(g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
                  p += 2;
                }
              else
                g_error ("bad \\x escape in transcript: %s", text);
              break;
            default:
              c = (guint8)*p;
              break;
            }
        }
      g_byte_array_append (out, &c, 1);
    }

  return g_byte_array_free_to_bytes (out);
}

static void
parse_script (MailTestServer *self,
              const char     *script)
{
  g_auto(GStrv) lines = g_strsplit (script, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      Step *step;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (len == 0 || line[0] == '#')
        continue;

      step = g_new0 (Step, 1);
      step->lineno = i + 1;

      if (g_str_has_prefix (line, "S: ") || strcmp (line, "S:") == 0)
        {
          step->kind = STEP_SEND;
          step->text = g_strdup (len > 3 ? line + 3 : "");
          step->append_crlf = TRUE;
        }
      else if (g_str_has_prefix (line, "S-RAW: "))
        {
          step->kind = STEP_SEND;
          step->text = g_strdup (line + 7);
          step->escapes = TRUE;
        }
      else if (g_str_has_prefix (line, "C: ") || strcmp (line, "C:") == 0)
        {
          step->kind = STEP_EXPECT;
          step->text = g_strdup (len > 3 ? line + 3 : "");
        }
      else if (g_str_has_prefix (line, "C~: "))
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", line + 4);

          step->kind = STEP_EXPECT_REGEX;
          step->text = g_strdup (line + 4);
          step->regex = g_regex_new (anchored, G_REGEX_DOTALL, 0, &error);
          if (step->regex == NULL)
            g_error ("transcript line %u: bad regex: %s", step->lineno, error->message);
        }
      else if (strcmp (line, "C-ANY") == 0)
        step->kind = STEP_EXPECT_ANY;
      else if (strcmp (line, "TLS") == 0)
        step->kind = STEP_TLS;
      else if (strcmp (line, "TLS-FAIL") == 0)
        step->kind = STEP_TLS_FAIL;
      else if (g_str_has_prefix (line, "CERT "))
        {
          step->kind = STEP_CERT;
          step->text = g_strstrip (g_strdup (line + 5));
        }
      else if (g_str_has_prefix (line, "WAIT "))
        {
          guint64 ms = 0;

          if (!g_ascii_string_to_unsigned (line + 5, 10, 0, 600000, &ms, NULL))
            g_error ("transcript line %u: bad WAIT", step->lineno);
          step->kind = STEP_WAIT;
          step->ms = (guint)ms;
        }
      else if (strcmp (line, "CLOSE") == 0)
        step->kind = STEP_CLOSE;
      else if (strcmp (line, "EXPECT-CLOSE") == 0)
        step->kind = STEP_EXPECT_CLOSE;
      else if (strcmp (line, "ACCEPT") == 0)
        step->kind = STEP_ACCEPT;
      else
        g_error ("transcript line %u: cannot parse “%s”", i + 1, line);

      g_ptr_array_add (self->steps, step);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Server thread */

static void
record (MailTestServer *self,
        const guint8   *data,
        gsize           len)
{
  g_mutex_lock (&self->mutex);
  g_byte_array_append (self->received, data, len);
  g_mutex_unlock (&self->mutex);
}

static void
fail (MailTestServer *self,
      const Step     *step,
      const char     *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
fail (MailTestServer *self,
      const Step     *step,
      const char     *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_mutex_lock (&self->mutex);
  if (self->error == NULL)
    self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "script line %u: %s",
                               step != NULL ? step->lineno : 0, message);
  g_mutex_unlock (&self->mutex);
}

/* Reads more client bytes into self->pending. Returns the count, 0 on EOF, -1 on error. */
static gssize
read_more (MailTestServer  *self,
           GError         **error)
{
  guint8 buf[4096];
  gssize n;

  n = g_input_stream_read (g_io_stream_get_input_stream (self->stream), buf, sizeof buf,
                           NULL, error);
  if (n > 0)
    {
      record (self, buf, n);
      g_byte_array_append (self->pending, buf, n);
    }
  else if (n == 0)
    {
      g_mutex_lock (&self->mutex);
      self->client_closed = TRUE;
      g_mutex_unlock (&self->mutex);
    }

  return n;
}

/* Returns the next client line without CRLF (or LF), NULL on EOF/error. */
static char *
read_client_line (MailTestServer  *self,
                  GError         **error)
{
  for (;;)
    {
      guint8 *lf = NULL;
      gssize n;

      if (self->pending->len > 0)
        lf = memchr (self->pending->data, '\n', self->pending->len);

      if (lf != NULL)
        {
          gsize len = lf - self->pending->data;
          char *line = g_strndup ((const char *)self->pending->data, len);

          if (len > 0 && line[len - 1] == '\r')
            line[len - 1] = '\0';
          g_byte_array_remove_range (self->pending, 0, len + 1);
          return line;
        }

      n = read_more (self, error);
      if (n <= 0)
        return NULL;
    }
}

static GBytes *
expand (MailTestServer *self,
        const Step     *step)
{
  GString *out;
  g_autofree char *expanded = NULL;

  if (step->raw != NULL)
    return g_bytes_ref (step->raw);

  out = g_string_new (NULL);
  for (const char *p = step->text; *p != '\0'; p++)
    {
      if (p[0] == '$' && p[1] == '$')
        {
          g_string_append_c (out, '$');
          p++;
        }
      else if (p[0] == '$' && p[1] >= '1' && p[1] <= '9')
        {
          const char *capture = self->captures[p[1] - '0'];

          g_string_append (out, capture != NULL ? capture : "");
          p++;
        }
      else
        g_string_append_c (out, *p);
    }

  if (step->append_crlf)
    g_string_append (out, "\r\n");

  expanded = g_string_free (out, FALSE);
  if (step->escapes)
    return unescape (expanded);

  return g_bytes_new (expanded, strlen (expanded));
}

static gboolean
next_steps_expect_close (MailTestServer *self,
                         guint           index)
{
  for (guint i = index + 1; i < self->steps->len; i++)
    {
      Step *step = g_ptr_array_index (self->steps, i);

      if (step->kind == STEP_EXPECT_CLOSE)
        return TRUE;
      if (step->kind != STEP_WAIT)
        return FALSE;
    }

  return TRUE;
}

static GTlsCertificate *
load_certificate (const char  *name,
                  GError     **error)
{
  g_autofree char *cert = mail_test_server_get_cert_file (name);
  g_autofree char *key_name = g_strconcat ("certs/", name, ".key", NULL);
  g_autofree char *key = mail_test_data_path (key_name);

  return g_tls_certificate_new_from_files (cert, key, error);
}

static gboolean
do_tls (MailTestServer *self,
        const Step     *step,
        gboolean        expect_failure)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_mutex_lock (&self->mutex);
  name = g_strdup (self->cert_name != NULL ? self->cert_name : "server");
  g_mutex_unlock (&self->mutex);

  if (self->pending->len > 0)
    {
      fail (self, step, "client sent %u bytes before the TLS handshake", self->pending->len);
      return FALSE;
    }

  certificate = load_certificate (name, &error);
  if (certificate == NULL)
    {
      fail (self, step, "cannot load certificate %s: %s", name, error->message);
      return FALSE;
    }

  tls = g_tls_server_connection_new (self->stream, certificate, &error);
  if (tls == NULL)
    {
      fail (self, step, "cannot create TLS server: %s", error->message);
      return FALSE;
    }

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error))
    {
      if (expect_failure)
        return FALSE;
      fail (self, step, "TLS handshake failed: %s", error->message);
      return FALSE;
    }

  if (expect_failure)
    {
      fail (self, step, "TLS handshake succeeded, but the client should have refused it");
      return FALSE;
    }

  g_set_object (&self->stream, tls);
  return TRUE;
}

/* Records whatever the client still sends shortly after the script ended, so
 * received_contains() also sees data sent "too late". */
static void
drain (MailTestServer *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->connection);

  while (g_socket_condition_timed_wait (socket, G_IO_IN, DRAIN_WAIT_US, NULL, NULL))
    {
      if (read_more (self, NULL) <= 0)
        break;
    }
}

/* Plays steps from @start up to the next ACCEPT (returns its index) or the end of the
 * script (returns steps->len). A failure or CLOSE also ends the script. */
/* After CLOSE or EXPECT-CLOSE only an ACCEPT (a new connection) may follow. */
static guint
after_close (MailTestServer *self,
             const Step     *step,
             guint           index)
{
  Step *next;

  if (index + 1 >= self->steps->len)
    return self->steps->len;

  next = g_ptr_array_index (self->steps, index + 1);
  if (next->kind == STEP_ACCEPT)
    return index + 1;

  fail (self, next, "only ACCEPT may follow CLOSE or EXPECT-CLOSE");
  return self->steps->len;
}

static guint
play (MailTestServer *self,
      guint           start)
{
  for (guint i = start; i < self->steps->len; i++)
    {
      Step *step = g_ptr_array_index (self->steps, i);
      g_autoptr(GError) error = NULL;

      switch (step->kind)
        {
        case STEP_SEND:
          {
            g_autoptr(GBytes) bytes = expand (self, step);
            gsize len = 0;
            const guint8 *data = g_bytes_get_data (bytes, &len);

            if (!g_output_stream_write_all (g_io_stream_get_output_stream (self->stream),
                                            data, len, NULL, NULL, &error))
              {
                if (next_steps_expect_close (self, i))
                  {
                    g_mutex_lock (&self->mutex);
                    self->client_closed = TRUE;
                    g_mutex_unlock (&self->mutex);
                    return self->steps->len;
                  }
                fail (self, step, "send failed: %s", error->message);
                return self->steps->len;
              }
          }
          break;

        case STEP_EXPECT:
        case STEP_EXPECT_REGEX:
        case STEP_EXPECT_ANY:
          {
            g_autofree char *line = read_client_line (self, &error);
            g_autoptr(GMatchInfo) match = NULL;

            if (line == NULL)
              {
                fail (self, step, "expected a client line (%s), got %s",
                      step->text != NULL ? step->text : "any",
                      error != NULL ? error->message : "end of stream");
                return self->steps->len;
              }

            if (step->kind == STEP_EXPECT && strcmp (line, step->text) != 0)
              {
                fail (self, step, "expected “%s”, got “%s”", step->text, line);
                return self->steps->len;
              }

            if (step->kind == STEP_EXPECT_REGEX)
              {
                if (!g_regex_match (step->regex, line, 0, &match))
                  {
                    fail (self, step, "expected /%s/, got “%s”", step->text, line);
                    return self->steps->len;
                  }
                for (guint c = 1; c < G_N_ELEMENTS (self->captures); c++)
                  {
                    g_free (self->captures[c]);
                    self->captures[c] = g_match_info_fetch (match, c);
                  }
              }
          }
          break;

        case STEP_TLS:
          if (!do_tls (self, step, FALSE))
            return self->steps->len;
          break;

        case STEP_TLS_FAIL:
          do_tls (self, step, TRUE);
          return self->steps->len;

        case STEP_CERT:
          g_mutex_lock (&self->mutex);
          g_free (self->cert_name);
          self->cert_name = g_strdup (step->text);
          g_mutex_unlock (&self->mutex);
          break;

        case STEP_WAIT:
          g_usleep ((gulong)step->ms * 1000);
          break;

        case STEP_CLOSE:
          return after_close (self, step, i);

        case STEP_ACCEPT:
          drain (self);
          return i;

        case STEP_EXPECT_CLOSE:
          for (;;)
            {
              gssize n;

              g_byte_array_set_size (self->pending, 0);
              n = read_more (self, &error);
              if (n == 0)
                return after_close (self, step, i);
              if (n < 0)
                {
                  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
                      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
                      g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
                    {
                      g_mutex_lock (&self->mutex);
                      self->client_closed = TRUE;
                      g_mutex_unlock (&self->mutex);
                      return after_close (self, step, i);
                    }
                  fail (self, step, "expected the client to hang up: %s", error->message);
                  return self->steps->len;
                }
            }

        default:
          g_assert_not_reached ();
        }
    }

  drain (self);
  return self->steps->len;
}

static gboolean
accept_client (MailTestServer *self)
{
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GError) error = NULL;

  client = g_socket_accept (self->listen_socket, NULL, &error);
  if (client == NULL)
    {
      fail (self, NULL, "no client connected: %s", error->message);
      return FALSE;
    }

  g_socket_set_timeout (client, (self->timeout_ms + 999) / 1000);
  self->connection = g_socket_connection_factory_create_connection (client);
  self->stream = g_object_ref (G_IO_STREAM (self->connection));
  g_byte_array_set_size (self->pending, 0);
  return TRUE;
}

static void
close_client (MailTestServer *self)
{
  if (self->stream != NULL)
    g_io_stream_close (self->stream, NULL, NULL);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->stream);
  g_clear_object (&self->connection);
}

static gpointer
server_thread (gpointer data)
{
  MailTestServer *self = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  guint next = 0;

  g_main_context_push_thread_default (context);

  /* Each ACCEPT step ends the current connection and waits for the next one. */
  while (next <= self->steps->len && accept_client (self))
    {
      next = play (self, next);
      close_client (self);
      if (next >= self->steps->len)
        break;
      next++;   /* skip the ACCEPT step itself */
    }

  close_client (self);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* GObject */

static void
mail_test_server_finalize (GObject *object)
{
  MailTestServer *self = (MailTestServer *)object;

  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));

  g_clear_object (&self->listen_socket);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->received, g_byte_array_unref);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->cert_name, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->captures); i++)
    g_clear_pointer (&self->captures[i], g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (mail_test_server_parent_class)->finalize (object);
}

static void
mail_test_server_class_init (MailTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mail_test_server_finalize;
}

static void
mail_test_server_init (MailTestServer *self)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&self->mutex);
  self->steps = g_ptr_array_new_with_free_func (step_free);
  self->received = g_byte_array_new ();
  self->pending = g_byte_array_new ();
  self->timeout_ms = DEFAULT_TIMEOUT_MS;

  /* 127.0.0.1 only, port chosen by the kernel. */
  self->listen_socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (self->listen_socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (self->listen_socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (self->listen_socket, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* ------------------------------------------------------------------------------------ */
/* Public API */

MailTestServer *
mail_test_server_new (void)
{
  return g_object_new (MAIL_TYPE_TEST_SERVER, NULL);
}

/* Appends the transcript tests/data/transcripts/<relative_path>. */
void
mail_test_server_load_transcript (MailTestServer *self,
                                  const char     *relative_path)
{
  g_autofree char *path = g_build_filename ("transcripts", relative_path, NULL);
  g_autoptr(GBytes) bytes = mail_test_load_data (path);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_return_if_fail (MAIL_IS_TEST_SERVER (self));
  g_return_if_fail (self->thread == NULL);

  parse_script (self, text);
}

void
mail_test_server_add_script (MailTestServer *self,
                             const char     *script)
{
  g_return_if_fail (MAIL_IS_TEST_SERVER (self));
  g_return_if_fail (self->thread == NULL);

  parse_script (self, script);
}

/* Appends a send of @bytes in one write, verbatim (binary, huge: fine). */
void
mail_test_server_add_send (MailTestServer *self,
                           GBytes         *bytes)
{
  Step *step;

  g_return_if_fail (MAIL_IS_TEST_SERVER (self));
  g_return_if_fail (self->thread == NULL);

  step = g_new0 (Step, 1);
  step->kind = STEP_SEND;
  step->raw = g_bytes_ref (bytes);
  step->text = g_strdup ("<bytes>");
  g_ptr_array_add (self->steps, step);
}

/* Selects tests/data/certs/<name>.pem/.key for TLS steps (default "server"). */
void
mail_test_server_set_certificate (MailTestServer *self,
                                  const char     *name)
{
  g_return_if_fail (MAIL_IS_TEST_SERVER (self));

  g_mutex_lock (&self->mutex);
  g_free (self->cert_name);
  self->cert_name = g_strdup (name);
  g_mutex_unlock (&self->mutex);
}

/* How long the server waits for the client to connect and for each client line
 * (rounded up to whole seconds). Default 5 s. */
void
mail_test_server_set_timeout (MailTestServer *self,
                              guint           timeout_ms)
{
  g_return_if_fail (MAIL_IS_TEST_SERVER (self));
  g_return_if_fail (self->thread == NULL);

  self->timeout_ms = MAX (timeout_ms, 1);
}

void
mail_test_server_start (MailTestServer *self)
{
  g_return_if_fail (MAIL_IS_TEST_SERVER (self));
  g_return_if_fail (self->thread == NULL);

  g_socket_set_timeout (self->listen_socket, (self->timeout_ms + 999) / 1000);
  self->thread = g_thread_new ("mail-test-server", server_thread, self);
}

const char *
mail_test_server_get_host (MailTestServer *self)
{
  return "127.0.0.1";
}

guint16
mail_test_server_get_port (MailTestServer *self)
{
  g_return_val_if_fail (MAIL_IS_TEST_SERVER (self), 0);
  return self->port;
}

/* Waits for the script to finish. Returns FALSE with @error describing the first
 * mismatch (unexpected client line, missing line, failed handshake…). */
gboolean
mail_test_server_wait (MailTestServer  *self,
                       GError         **error)
{
  g_return_val_if_fail (MAIL_IS_TEST_SERVER (self), FALSE);

  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  return TRUE;
}

/* (transfer full): everything the client sent, decrypted. */
GBytes *
mail_test_server_get_received (MailTestServer *self)
{
  GBytes *bytes;

  g_return_val_if_fail (MAIL_IS_TEST_SERVER (self), NULL);

  g_mutex_lock (&self->mutex);
  bytes = g_bytes_new (self->received->data, self->received->len);
  g_mutex_unlock (&self->mutex);

  return bytes;
}

gboolean
mail_test_server_received_contains (MailTestServer *self,
                                    const char     *needle)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  gsize needle_len;
  const guint8 *data;

  g_return_val_if_fail (MAIL_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (needle != NULL && *needle != '\0', FALSE);

  bytes = mail_test_server_get_received (self);
  data = g_bytes_get_data (bytes, &len);
  needle_len = strlen (needle);

  for (gsize i = 0; data != NULL && i + needle_len <= len; i++)
    {
      if (memcmp (data + i, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
mail_test_server_client_closed (MailTestServer *self)
{
  gboolean closed;

  g_return_val_if_fail (MAIL_IS_TEST_SERVER (self), FALSE);

  g_mutex_lock (&self->mutex);
  closed = self->client_closed;
  g_mutex_unlock (&self->mutex);

  return closed;
}

char *
mail_test_server_get_ca_file (void)
{
  return mail_test_data_path ("certs/ca.pem");
}

char *
mail_test_server_get_cert_file (const char *name)
{
  g_autofree char *relative = g_strconcat ("certs/", name, ".pem", NULL);

  return mail_test_data_path (relative);
}
