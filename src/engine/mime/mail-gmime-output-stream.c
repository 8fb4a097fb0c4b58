/* mail-gmime-output-stream.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-gmime-output-stream.h"

/* A write-only GMimeStream on top of a GOutputStream, so that GMime can stream a message
 * (with its attachments) straight into a socket or file without building it in memory.
 * The GError of the first failed write is kept for the caller. */

struct _MailGMimeOutputStream
{
  GMimeStream    parent_instance;

  /* owned references */
  GOutputStream *output;
  GCancellable  *cancellable;

  /* state */
  GError        *error;
};

G_DEFINE_FINAL_TYPE (MailGMimeOutputStream, mail_gmime_output_stream, GMIME_TYPE_STREAM)

static ssize_t
mail_gmime_output_stream_read (GMimeStream *stream,
                               char        *buf,
                               size_t       len)
{
  return -1;
}

static ssize_t
mail_gmime_output_stream_write (GMimeStream *stream,
                                const char  *buf,
                                size_t       len)
{
  MailGMimeOutputStream *self = MAIL_GMIME_OUTPUT_STREAM (stream);
  gsize written = 0;

  if (self->error != NULL)
    return -1;
  if (!g_output_stream_write_all (self->output, buf, len, &written, self->cancellable,
                                  &self->error))
    return -1;
  stream->position += (gint64) written;

  return (ssize_t) written;
}

static int
mail_gmime_output_stream_flush (GMimeStream *stream)
{
  MailGMimeOutputStream *self = MAIL_GMIME_OUTPUT_STREAM (stream);

  if (self->error != NULL)
    return -1;

  return g_output_stream_flush (self->output, self->cancellable, &self->error) ? 0 : -1;
}

static int
mail_gmime_output_stream_close (GMimeStream *stream)
{
  /* The GOutputStream belongs to the caller, who closes it. */
  return 0;
}

static gboolean
mail_gmime_output_stream_eos (GMimeStream *stream)
{
  return TRUE;
}

static int
mail_gmime_output_stream_reset (GMimeStream *stream)
{
  return -1;
}

static gint64
mail_gmime_output_stream_seek (GMimeStream     *stream,
                               gint64           offset,
                               GMimeSeekWhence  whence)
{
  return -1;
}

static gint64
mail_gmime_output_stream_tell (GMimeStream *stream)
{
  return stream->position;
}

static gint64
mail_gmime_output_stream_length (GMimeStream *stream)
{
  return -1;
}

static GMimeStream *
mail_gmime_output_stream_substream (GMimeStream *stream,
                                    gint64       start,
                                    gint64       end)
{
  return NULL;
}

static void
mail_gmime_output_stream_finalize (GObject *object)
{
  MailGMimeOutputStream *self = MAIL_GMIME_OUTPUT_STREAM (object);

  g_clear_object (&self->output);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (mail_gmime_output_stream_parent_class)->finalize (object);
}

static void
mail_gmime_output_stream_class_init (MailGMimeOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GMimeStreamClass *stream_class = GMIME_STREAM_CLASS (klass);

  object_class->finalize = mail_gmime_output_stream_finalize;

  stream_class->read = mail_gmime_output_stream_read;
  stream_class->write = mail_gmime_output_stream_write;
  stream_class->flush = mail_gmime_output_stream_flush;
  stream_class->close = mail_gmime_output_stream_close;
  stream_class->eos = mail_gmime_output_stream_eos;
  stream_class->reset = mail_gmime_output_stream_reset;
  stream_class->seek = mail_gmime_output_stream_seek;
  stream_class->tell = mail_gmime_output_stream_tell;
  stream_class->length = mail_gmime_output_stream_length;
  stream_class->substream = mail_gmime_output_stream_substream;
}

static void
mail_gmime_output_stream_init (MailGMimeOutputStream *self)
{
}

/**
 * mail_gmime_output_stream_new:
 * @output: where to write
 * @cancellable: (nullable): checked by every write
 *
 * Returns: (transfer full): a write-only, unseekable #GMimeStream
 */
GMimeStream *
mail_gmime_output_stream_new (GOutputStream *output,
                              GCancellable  *cancellable)
{
  MailGMimeOutputStream *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), NULL);

  self = g_object_new (MAIL_TYPE_GMIME_OUTPUT_STREAM, NULL);
  self->output = g_object_ref (output);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_mime_stream_construct (GMIME_STREAM (self), 0, -1);

  return GMIME_STREAM (self);
}

/**
 * mail_gmime_output_stream_propagate_error:
 * @self: a stream
 * @error: return location for the error of the first failed write
 *
 * Returns: %TRUE when no write failed
 */
gboolean
mail_gmime_output_stream_propagate_error (MailGMimeOutputStream  *self,
                                          GError                **error)
{
  g_return_val_if_fail (MAIL_IS_GMIME_OUTPUT_STREAM (self), FALSE);

  if (self->error == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (self->error));

  return FALSE;
}
