/* mail-folder.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MAIL_TYPE_FOLDER (mail_folder_get_type ())

/**
 * MailFolder:
 * @id: the store's id of the folder
 * @name: the mailbox name as the server spells it (never used as a file path)
 * @delimiter: (nullable): the hierarchy delimiter
 * @special_use: (nullable): the RFC 6154 attribute, such as `\Sent`
 * @uidvalidity: UIDVALIDITY of the cached messages
 * @uidnext: UIDNEXT last seen
 * @highestmodseq: HIGHESTMODSEQ last seen (CONDSTORE), 0 when unknown
 * @subscribed: whether the folder is subscribed
 * @total_count: number of messages cached in the folder
 * @unread_count: how many of them lack `\Seen`
 *
 * A folder of an account's store. The counts are kept by the store and ignored on update.
 */
typedef struct
{
  gint64    id;
  char     *name;
  char     *delimiter;
  char     *special_use;
  guint32   uidvalidity;
  guint32   uidnext;
  guint64   highestmodseq;
  gboolean  subscribed;
  guint     total_count;
  guint     unread_count;
} MailFolder;

GType       mail_folder_get_type (void) G_GNUC_CONST;
MailFolder *mail_folder_new      (const char       *name) G_GNUC_WARN_UNUSED_RESULT;
MailFolder *mail_folder_copy     (const MailFolder *self) G_GNUC_WARN_UNUSED_RESULT;
void        mail_folder_free     (MailFolder       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailFolder, mail_folder_free)

G_END_DECLS
