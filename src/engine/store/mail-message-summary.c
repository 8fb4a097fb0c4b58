/* mail-message-summary.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-store"

#include "config.h"

#include "mail-message-summary.h"

G_DEFINE_BOXED_TYPE (MailMessageSummary, mail_message_summary,
                     mail_message_summary_ref, mail_message_summary_unref)

/**
 * mail_message_summary_new:
 *
 * Returns: (transfer full): an empty summary
 */
MailMessageSummary *
mail_message_summary_new (void)
{
  MailMessageSummary *self = g_new0 (MailMessageSummary, 1);

  g_atomic_ref_count_init (&self->ref_count);

  return self;
}

/**
 * mail_message_summary_ref:
 * @self: a #MailMessageSummary
 *
 * Returns: (transfer full): @self
 */
MailMessageSummary *
mail_message_summary_ref (MailMessageSummary *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

/**
 * mail_message_summary_unref:
 * @self: (transfer full): a #MailMessageSummary
 */
void
mail_message_summary_unref (MailMessageSummary *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->keywords);
  g_free (self->sender_name);
  g_free (self->sender_address);
  g_free (self->recipients);
  g_free (self->subject);
  g_free (self->message_id);
  g_free (self->in_reply_to);
  g_free (self->references);
  g_free (self->preview);
  g_free (self->body_structure);
  g_free (self);
}
