/* mail-gmime-bytes-stream.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-mime"

#include "config.h"

#include "mail-gmime-bytes-stream.h"

#include <errno.h>
#include <string.h>

/* A read-only, seekable GMimeStream over a GBytes, so that a message held in memory is parsed
 * without being copied: GMime's parser keeps substreams of it for every part's content, and
 * the substreams share the same GBytes. */

struct _MailGMimeBytesStream
{
  GMimeStream  parent_instance;

  /* owned references */
  GBytes      *bytes;
};

G_DEFINE_FINAL_TYPE (MailGMimeBytesStream, mail_gmime_bytes_stream, GMIME_TYPE_STREAM)

static gint64
bound_end (GMimeStream *stream)
{
  MailGMimeBytesStream *self = MAIL_GMIME_BYTES_STREAM (stream);
  gint64 size = (gint64) g_bytes_get_size (self->bytes);

  return stream->bound_end == -1 ? size : MIN (stream->bound_end, size);
}

static ssize_t
mail_gmime_bytes_stream_read (GMimeStream *stream,
                              char        *buf,
                              size_t       len)
{
  MailGMimeBytesStream *self = MAIL_GMIME_BYTES_STREAM (stream);
  const char *data = g_bytes_get_data (self->bytes, NULL);
  gint64 n = MIN (bound_end (stream) - stream->position, (gint64) len);

  if (n < 0)
    {
      errno = EINVAL;
      return -1;
    }
  if (n > 0)
    {
      memcpy (buf, data + stream->position, (size_t) n);
      stream->position += n;
    }

  return (ssize_t) n;
}

static ssize_t
mail_gmime_bytes_stream_write (GMimeStream *stream,
                               const char  *buf,
                               size_t       len)
{
  errno = EBADF;
  return -1;
}

static int
mail_gmime_bytes_stream_flush (GMimeStream *stream)
{
  return 0;
}

static int
mail_gmime_bytes_stream_close (GMimeStream *stream)
{
  return 0;
}

static gboolean
mail_gmime_bytes_stream_eos (GMimeStream *stream)
{
  return stream->position >= bound_end (stream);
}

static int
mail_gmime_bytes_stream_reset (GMimeStream *stream)
{
  stream->position = stream->bound_start;
  return 0;
}

static gint64
mail_gmime_bytes_stream_seek (GMimeStream     *stream,
                              gint64           offset,
                              GMimeSeekWhence  whence)
{
  gint64 end = bound_end (stream);
  gint64 real;

  switch (whence)
    {
    case GMIME_STREAM_SEEK_SET:
      real = stream->bound_start + offset;
      break;
    case GMIME_STREAM_SEEK_CUR:
      real = stream->position + offset;
      break;
    case GMIME_STREAM_SEEK_END:
      real = end + offset;
      break;
    default:
      errno = EINVAL;
      return -1;
    }

  if (real < stream->bound_start || real > end)
    {
      errno = EINVAL;
      return -1;
    }
  stream->position = real;

  return real - stream->bound_start;
}

static gint64
mail_gmime_bytes_stream_tell (GMimeStream *stream)
{
  return stream->position - stream->bound_start;
}

static gint64
mail_gmime_bytes_stream_length (GMimeStream *stream)
{
  return bound_end (stream) - stream->bound_start;
}

static GMimeStream *
mail_gmime_bytes_stream_substream (GMimeStream *stream,
                                   gint64       start,
                                   gint64       end)
{
  MailGMimeBytesStream *self = MAIL_GMIME_BYTES_STREAM (stream);
  MailGMimeBytesStream *sub = g_object_new (MAIL_TYPE_GMIME_BYTES_STREAM, NULL);

  sub->bytes = g_bytes_ref (self->bytes);
  g_mime_stream_construct (GMIME_STREAM (sub), start, end);

  return GMIME_STREAM (sub);
}

static void
mail_gmime_bytes_stream_finalize (GObject *object)
{
  MailGMimeBytesStream *self = MAIL_GMIME_BYTES_STREAM (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (mail_gmime_bytes_stream_parent_class)->finalize (object);
}

static void
mail_gmime_bytes_stream_class_init (MailGMimeBytesStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GMimeStreamClass *stream_class = GMIME_STREAM_CLASS (klass);

  object_class->finalize = mail_gmime_bytes_stream_finalize;

  stream_class->read = mail_gmime_bytes_stream_read;
  stream_class->write = mail_gmime_bytes_stream_write;
  stream_class->flush = mail_gmime_bytes_stream_flush;
  stream_class->close = mail_gmime_bytes_stream_close;
  stream_class->eos = mail_gmime_bytes_stream_eos;
  stream_class->reset = mail_gmime_bytes_stream_reset;
  stream_class->seek = mail_gmime_bytes_stream_seek;
  stream_class->tell = mail_gmime_bytes_stream_tell;
  stream_class->length = mail_gmime_bytes_stream_length;
  stream_class->substream = mail_gmime_bytes_stream_substream;
}

static void
mail_gmime_bytes_stream_init (MailGMimeBytesStream *self)
{
}

/**
 * mail_gmime_bytes_stream_new:
 * @bytes: the data (referenced, not copied)
 *
 * Returns: (transfer full): a read-only seekable stream over @bytes
 */
GMimeStream *
mail_gmime_bytes_stream_new (GBytes *bytes)
{
  MailGMimeBytesStream *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (MAIL_TYPE_GMIME_BYTES_STREAM, NULL);
  self->bytes = g_bytes_ref (bytes);
  g_mime_stream_construct (GMIME_STREAM (self), 0, -1);

  return GMIME_STREAM (self);
}
