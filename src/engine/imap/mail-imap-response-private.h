/* mail-imap-response-private.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-response.h"

G_BEGIN_DECLS

typedef struct _MailImapArenaChunk MailImapArenaChunk;

struct _MailImapResponse
{
  gatomicrefcount       ref_count;
  MailImapResponseKind  kind;
  MailImapStatus        status;
  gboolean              has_number;
  guint32               number;
  const char           *tag;
  const char           *name;
  const char           *code;
  const char           *code_text;
  const char           *text;
  MailImapValue        *code_args;
  MailImapValue        *data;

  /* Every string, node and child array above lives in this arena, freed in one go. */
  MailImapArenaChunk   *chunks;
  gsize                 arena_size;
};

MailImapResponse *mail_imap_response_new        (void);
gpointer          mail_imap_response_alloc      (MailImapResponse *self,
                                                 gsize             size);
char             *mail_imap_response_strndup    (MailImapResponse *self,
                                                 const char       *str,
                                                 gsize             len);
MailImapValue    *mail_imap_response_new_value  (MailImapResponse *self,
                                                 MailImapValueType type);

G_END_DECLS
