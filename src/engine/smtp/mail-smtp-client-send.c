/* mail-smtp-client-send.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-smtp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mail-smtp-client-private.h"

/* Sending one message: MAIL FROM, RCPT TO (pipelined when the server offers PIPELINING),
 * DATA, the message, the final dot.
 *
 * The message is written once, in a worker thread, through GMime's unix2dos (CRLF line
 * ends, final newline ensured) and SMTP data (dot-stuffing) filters into one buffer; its
 * exact size is then known before anything is sent, so SIZE is checked up front. The buffer
 * is sent in chunks, never copied whole again. */

#define CHUNK_SIZE (64 * 1024)
#define MAX_ADDRESS_LENGTH 320

typedef struct
{
  MailSmtpClient *self;          /* borrowed: the task's source object */
  GMimeMessage   *message;
  char           *from;
  GPtrArray      *recipients;
  GBytes         *data;
  gboolean        eight_bit;
  gboolean        needs_utf8;
  gboolean        pipelining;
  gsize           offset;
  guint           n_commands;    /* MAIL FROM + each RCPT TO */
  guint           n_replies;     /* replies read so far */
  GError         *first_error;
} SendData;

static void
send_data_free (gpointer data)
{
  SendData *sd = data;

  mail_smtp_client_set_busy (sd->self, FALSE);
  g_clear_object (&sd->message);
  g_clear_pointer (&sd->from, g_free);
  g_clear_pointer (&sd->recipients, g_ptr_array_unref);
  g_clear_pointer (&sd->data, g_bytes_unref);
  g_clear_error (&sd->first_error);
  g_free (sd);
}

static gboolean
check_address (const char  *address,
               gboolean    *needs_utf8,
               GError     **error)
{
  gsize len = strlen (address);

  if (len == 0 || len > MAX_ADDRESS_LENGTH || !g_utf8_validate (address, -1, NULL))
    goto fail;

  for (const char *p = address; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c == 0x7f || c == '<' || c == '>')
        goto fail;
    }

  if (!g_str_is_ascii (address))
    *needs_utf8 = TRUE;

  return TRUE;

fail:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a valid email address"), address);
  return FALSE;
}

/* The address to put in the envelope: the IDNA form when that makes it plain ASCII. */
static char *
mailbox_address (InternetAddressMailbox *mailbox)
{
  const char *addr = internet_address_mailbox_get_addr (mailbox);
  const char *idn = internet_address_mailbox_get_idn_addr (mailbox);

  if (addr != NULL && !g_str_is_ascii (addr) && idn != NULL && g_str_is_ascii (idn))
    return g_strdup (idn);

  return g_strdup (addr);
}

static void
collect_addresses (InternetAddressList *list,
                   GPtrArray           *out)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        {
          g_ptr_array_add (out, mailbox_address (INTERNET_ADDRESS_MAILBOX (ia)));
        }
      else if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          /* Groups do not nest (RFC 5322 §3.4): look one level down only. */
          InternetAddressList *members =
            internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia));
          int m = members != NULL ? internet_address_list_length (members) : 0;

          for (int j = 0; j < m; j++)
            {
              InternetAddress *member = internet_address_list_get_address (members, j);

              if (INTERNET_ADDRESS_IS_MAILBOX (member))
                g_ptr_array_add (out, mailbox_address (INTERNET_ADDRESS_MAILBOX (member)));
            }
        }
    }
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SendData *sd = task_data;
  GMimeStream *mem;
  GMimeStream *filtered;
  GMimeFilter *filter;
  GByteArray *array;
  gboolean failed;

  mem = g_mime_stream_mem_new ();
  filtered = g_mime_stream_filter_new (mem);

  filter = g_mime_filter_unix2dos_new (TRUE);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), filter);
  g_object_unref (filter);

  filter = g_mime_filter_smtp_data_new ();
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), filter);
  g_object_unref (filter);

  failed = g_mime_object_write_to_stream (GMIME_OBJECT (sd->message), NULL, filtered) < 0 ||
           g_mime_stream_flush (filtered) < 0;
  g_object_unref (filtered);

  if (failed)
    {
      g_object_unref (mem);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The message could not be prepared for sending"));
      return;
    }

  /* Take the buffer over instead of copying it. */
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
  g_object_unref (mem);

  for (guint i = 0; i < array->len; i++)
    {
      if (array->data[i] >= 0x80)
        {
          sd->eight_bit = TRUE;
          break;
        }
    }

  sd->data = g_byte_array_free_to_bytes (array);
  g_task_return_boolean (task, TRUE);
}

static void data_reply_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
rset_then_fail_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  g_autoptr(MailSmtpReply) reply = NULL;

  /* Best effort: the transaction failed already, RSET just leaves the session tidy. */
  reply = mail_smtp_client_command_finish (self, result, NULL);
  g_task_return_error (task, g_steal_pointer (&sd->first_error));
}

/* Takes over @task, like every helper here that continues an operation. */
static void
fail_transaction (GTask *task)
{
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);

  /* After 421 the server is gone; anything else leaves a session worth resetting. */
  if (g_error_matches (sd->first_error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_SERVICE_CLOSING))
    {
      g_task_return_error (task, g_steal_pointer (&sd->first_error));
      g_object_unref (task);
      return;
    }

  mail_smtp_client_command_async (self, "RSET", MAIL_LOG_NORMAL, g_task_get_cancellable (task),
                                  rset_then_fail_cb, task);
}

static char *
rcpt_line (SendData   *sd,
           const char *recipient)
{
  const char *notify = mail_smtp_client_get_dsn_notify (sd->self);
  const MailSmtpCapabilities *caps = mail_smtp_client_get_capabilities (sd->self);

  if (notify != NULL && mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_DSN))
    return g_strdup_printf ("RCPT TO:<%s> NOTIFY=%s", recipient, notify);

  return g_strdup_printf ("RCPT TO:<%s>", recipient);
}

static char *
mail_from_line (SendData *sd)
{
  const MailSmtpCapabilities *caps = mail_smtp_client_get_capabilities (sd->self);
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "MAIL FROM:<%s>", sd->from);

  if (mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_SIZE))
    g_string_append_printf (line, " SIZE=%" G_GSIZE_FORMAT, g_bytes_get_size (sd->data));
  if (sd->eight_bit && mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_8BITMIME))
    g_string_append (line, " BODY=8BITMIME");
  if (sd->needs_utf8)
    g_string_append (line, " SMTPUTF8");
  if (mail_smtp_client_get_dsn_notify (sd->self) != NULL &&
      mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_DSN))
    g_string_append (line, " RET=HDRS");

  return g_string_free (line, FALSE);
}

/* Records the reply to command @index (0: MAIL FROM, n: the n-th RCPT TO). */
static void
check_envelope_reply (SendData      *sd,
                      guint          index,
                      MailSmtpReply *reply)
{
  guint klass, subject;

  if (mail_smtp_reply_is_positive (reply) || sd->first_error != NULL)
    return;

  /* Postfix and others answer a client that skipped the login with a policy refusal
   * ("554 5.7.1 Access denied") at RCPT TO; say what it means when a login was possible. */
  if (!mail_smtp_client_get_is_authenticated (sd->self) &&
      mail_smtp_capabilities_has (mail_smtp_client_get_capabilities (sd->self),
                                  MAIL_SMTP_EXTENSION_AUTH) &&
      mail_smtp_reply_get_enhanced_code (reply, &klass, &subject, NULL) &&
      klass == 5 && subject == 7)
    {
      sd->first_error = g_error_new_literal (MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_REQUIRED,
                                             _("This server requires you to log in before "
                                               "sending"));
      return;
    }

  if (index == 0)
    sd->first_error = mail_smtp_client_error_from_reply (sd->self, reply,
                                                         MAIL_SMTP_STAGE_MAIL_FROM, sd->from);
  else
    sd->first_error = mail_smtp_client_error_from_reply (sd->self, reply,
                                                         MAIL_SMTP_STAGE_RCPT_TO,
                                                         g_ptr_array_index (sd->recipients,
                                                                            index - 1));
}

static void envelope_reply_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
send_next_envelope_command (GTask *task)
{
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  g_autofree char *line = NULL;

  if (sd->n_replies == 0)
    line = mail_from_line (sd);
  else
    line = rcpt_line (sd, g_ptr_array_index (sd->recipients, sd->n_replies - 1));

  mail_smtp_client_command_async (self, line, MAIL_LOG_NORMAL, g_task_get_cancellable (task),
                                  envelope_reply_cb, task);
}

static void
envelope_done (GTask *task)
{
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);

  if (sd->first_error != NULL)
    {
      fail_transaction (task);
      return;
    }

  mail_smtp_client_command_async (self, "DATA", MAIL_LOG_NORMAL, g_task_get_cancellable (task),
                                  data_reply_cb, task);
}

static void
envelope_reply_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (sd->pipelining)
    reply = mail_smtp_client_read_reply_finish (self, result, &error);
  else
    reply = mail_smtp_client_command_finish (self, result, &error);

  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  check_envelope_reply (sd, sd->n_replies, reply);
  sd->n_replies++;

  if (sd->n_replies == sd->n_commands ||
      (!sd->pipelining && sd->first_error != NULL))
    {
      envelope_done (g_steal_pointer (&task));
      return;
    }

  /* Pipelined: every reply must be read, even after a failure, to stay in step. */
  if (sd->pipelining)
    mail_smtp_client_read_reply_async (self, cancellable, envelope_reply_cb,
                                       g_steal_pointer (&task));
  else
    send_next_envelope_command (g_steal_pointer (&task));
}

static void
pipeline_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  MailConnection *connection = mail_smtp_client_get_connection (self);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_write_bytes_finish (connection, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_smtp_client_read_reply_async (self, cancellable, envelope_reply_cb,
                                     g_steal_pointer (&task));
}

static void
start_envelope (GTask *task)
{
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  const MailSmtpCapabilities *caps = mail_smtp_client_get_capabilities (self);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mail_from = NULL;
  GString *batch;

  sd->n_commands = 1 + sd->recipients->len;
  sd->pipelining = mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_PIPELINING);

  if (!sd->pipelining)
    {
      send_next_envelope_command (task);
      return;
    }

  /* RFC 2920: MAIL FROM and all RCPT TO go out in one write; replies come in order. */
  mail_from = mail_from_line (sd);
  batch = g_string_new (mail_from);
  g_string_append (batch, "\r\n");
  for (guint i = 0; i < sd->recipients->len; i++)
    {
      g_autofree char *rcpt = rcpt_line (sd, g_ptr_array_index (sd->recipients, i));

      g_string_append_printf (batch, "%s\r\n", rcpt);
    }

  bytes = g_string_free_to_bytes (batch);
  mail_connection_write_bytes_async (mail_smtp_client_get_connection (self), bytes,
                                     MAIL_LOG_NORMAL, g_task_get_cancellable (task),
                                     pipeline_written_cb, task);
}

static void
final_reply_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mail_smtp_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!mail_smtp_reply_is_positive (reply))
    g_task_return_error (task, mail_smtp_client_error_from_reply (self, reply,
                                                                  MAIL_SMTP_STAGE_MESSAGE,
                                                                  NULL));
  else
    g_task_return_boolean (task, TRUE);
}

static void
dot_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_write_line_finish (mail_smtp_client_get_connection (self), result,
                                          &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mail_smtp_client_read_reply_async (self, cancellable, final_reply_cb,
                                     g_steal_pointer (&task));
}

static void
write_next_chunk (GTask *task);

static void
chunk_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mail_connection_write_bytes_finish (mail_smtp_client_get_connection (self), result,
                                           &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  write_next_chunk (g_steal_pointer (&task));
}

static void
write_next_chunk (GTask *task)
{
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  MailConnection *connection = mail_smtp_client_get_connection (self);
  gsize total = g_bytes_get_size (sd->data);
  g_autoptr(GBytes) chunk = NULL;
  gsize len;

  if (sd->offset >= total)
    {
      /* The unix2dos filter ensured the data ends in CRLF: only the dot is missing. */
      mail_connection_write_line_async (connection, ".", MAIL_LOG_NORMAL,
                                        g_task_get_cancellable (task), dot_written_cb, task);
      return;
    }

  len = MIN (CHUNK_SIZE, total - sd->offset);
  chunk = g_bytes_new_from_bytes (sd->data, sd->offset, len);
  sd->offset += len;
  mail_connection_write_bytes_async (connection, chunk, MAIL_LOG_BODY,
                                     g_task_get_cancellable (task), chunk_written_cb, task);
}

static void
data_reply_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  g_autoptr(MailSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mail_smtp_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (mail_smtp_reply_get_code (reply) != 354)
    {
      sd->first_error = mail_smtp_client_error_from_reply (self, reply, MAIL_SMTP_STAGE_DATA,
                                                           NULL);
      fail_transaction (g_steal_pointer (&task));
      return;
    }

  write_next_chunk (g_steal_pointer (&task));
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MailSmtpClient *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  const MailSmtpCapabilities *caps = mail_smtp_client_get_capabilities (self);
  MailConnection *connection = mail_smtp_client_get_connection (self);
  g_autoptr(GError) error = NULL;
  guint64 limit;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  limit = mail_smtp_capabilities_get_size_limit (caps);
  if (limit > 0 && g_bytes_get_size (sd->data) > limit)
    {
      g_autofree char *size_str = g_format_size (g_bytes_get_size (sd->data));
      g_autofree char *limit_str = g_format_size (limit);

      g_task_return_new_error (task, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE,
                               _("The message is too large for this server: it is %s, but "
                                 "%s accepts at most %s"),
                               size_str, mail_connection_get_host (connection), limit_str);
      return;
    }

  if (sd->needs_utf8 && !mail_smtp_capabilities_has (caps, MAIL_SMTP_EXTENSION_SMTPUTF8))
    {
      g_task_return_new_error (task, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_UNSUPPORTED,
                               _("An address uses international characters, which the "
                                 "server %s does not support (SMTPUTF8)"),
                               mail_connection_get_host (connection));
      return;
    }

  start_envelope (g_steal_pointer (&task));
}

/**
 * mail_smtp_client_send_async:
 * @self: a #MailSmtpClient
 * @message: the message, sent as it is (strip Bcc before)
 * @from: (nullable): the envelope sender; %NULL for the first From address
 * @recipients: (nullable) (array zero-terminated=1): envelope recipients; %NULL for every
 *   To, Cc and Bcc address of @message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server accepted or refused the message
 * @user_data: data for @callback
 *
 * Sends one message. A message over the server's SIZE limit fails before anything is sent
 * (%MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE); a refused recipient fails the whole message
 * (%MAIL_SMTP_ERROR_RECIPIENT_REJECTED, naming the address) and the transaction is reset.
 */
void
mail_smtp_client_send_async (MailSmtpClient      *self,
                             GMimeMessage        *message,
                             const char          *from,
                             const char * const  *recipients,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) prepare = NULL;
  g_autoptr(GError) error = NULL;
  SendData *sd;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_smtp_client_send_async);

  if (!mail_smtp_client_check_ready (self, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sd = g_new0 (SendData, 1);
  sd->self = self;
  sd->message = g_object_ref (message);
  sd->recipients = g_ptr_array_new_with_free_func (g_free);
  mail_smtp_client_set_busy (self, TRUE);
  g_task_set_task_data (task, sd, send_data_free);

  if (from != NULL)
    sd->from = g_strdup (from);
  else
    {
      g_autoptr(GPtrArray) senders = g_ptr_array_new_with_free_func (g_free);

      collect_addresses (g_mime_message_get_from (message), senders);
      if (senders->len > 0)
        sd->from = g_strdup (g_ptr_array_index (senders, 0));
    }

  if (recipients != NULL)
    {
      for (guint i = 0; recipients[i] != NULL; i++)
        g_ptr_array_add (sd->recipients, g_strdup (recipients[i]));
    }
  else
    {
      InternetAddressList *all = g_mime_message_get_all_recipients (message);

      collect_addresses (all, sd->recipients);
      g_clear_object (&all);
    }

  if (sd->from == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The message has no sender address"));
      return;
    }

  if (sd->recipients->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The message has no recipients"));
      return;
    }

  if (!check_address (sd->from, &sd->needs_utf8, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < sd->recipients->len; i++)
    {
      if (!check_address (g_ptr_array_index (sd->recipients, i), &sd->needs_utf8, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  prepare = g_task_new (self, cancellable, prepared_cb, g_steal_pointer (&task));
  g_task_set_source_tag (prepare, mail_smtp_client_send_async);
  g_task_set_task_data (prepare, sd, NULL);
  g_task_run_in_thread (prepare, prepare_thread);
}

/**
 * mail_smtp_client_send_finish:
 * @self: a #MailSmtpClient
 * @result: the result
 * @error: return location for a %MAIL_SMTP_ERROR or %MAIL_NET_ERROR error
 *
 * Returns: %TRUE when the server accepted the message for delivery
 */
gboolean
mail_smtp_client_send_finish (MailSmtpClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  mail_smtp_client_set_busy (self, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
