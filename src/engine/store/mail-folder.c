/* mail-folder.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mail-store"

#include "config.h"

#include "mail-folder.h"

G_DEFINE_BOXED_TYPE (MailFolder, mail_folder, mail_folder_copy, mail_folder_free)

/**
 * mail_folder_new:
 * @name: the mailbox name
 *
 * Returns: (transfer full): a folder description with @name and everything else unset
 */
MailFolder *
mail_folder_new (const char *name)
{
  MailFolder *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (MailFolder, 1);
  self->name = g_strdup (name);
  self->subscribed = TRUE;

  return self;
}

/**
 * mail_folder_copy:
 * @self: a #MailFolder
 *
 * Returns: (transfer full): a deep copy of @self
 */
MailFolder *
mail_folder_copy (const MailFolder *self)
{
  MailFolder *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->name = g_strdup (self->name);
  copy->delimiter = g_strdup (self->delimiter);
  copy->special_use = g_strdup (self->special_use);

  return copy;
}

/**
 * mail_folder_free:
 * @self: (transfer full): a #MailFolder
 */
void
mail_folder_free (MailFolder *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->delimiter);
  g_free (self->special_use);
  g_free (self);
}
