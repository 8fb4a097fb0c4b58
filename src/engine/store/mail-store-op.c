/* mail-store-op.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-store"

#include "config.h"

#include "mail-store-op.h"

G_DEFINE_BOXED_TYPE (MailStoreOp, mail_store_op, mail_store_op_copy, mail_store_op_free)

/**
 * mail_store_op_copy:
 * @self: a #MailStoreOp
 *
 * Returns: (transfer full): a copy of @self
 */
MailStoreOp *
mail_store_op_copy (const MailStoreOp *self)
{
  MailStoreOp *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->args = self->args != NULL ? g_variant_ref (self->args) : NULL;
  copy->last_error = g_strdup (self->last_error);

  return copy;
}

/**
 * mail_store_op_free:
 * @self: (transfer full): a #MailStoreOp
 */
void
mail_store_op_free (MailStoreOp *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->args, g_variant_unref);
  g_free (self->last_error);
  g_free (self);
}
