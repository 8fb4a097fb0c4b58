/* fuzz-imap-parser.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mail-imap-decode.h"
#include "mail-imap-error.h"
#include "mail-imap-fetch.h"
#include "mail-imap-mailbox-name.h"
#include "mail-imap-parser.h"
#include "mail-imap-sequence-set.h"
#include "mail-imap-state.h"

int LLVMFuzzerTestOneInput (const unsigned char *data, size_t size);

/* The input is server bytes. Options come from a hash of the input (so a mutation of any byte
 * changes them): UTF8=ACCEPT, a literal sink, small caps. The bytes are fed in pseudo-random
 * chunks from 1 to 64 bytes; every response is dumped, validated in every state and run
 * through every typed decoder, and every string and atom through the name and sequence-set
 * codecs. */

static gboolean
sink_cb (MailImapParser            *parser,
         const MailImapLiteralInfo *info,
         const guint8              *bytes,
         gsize                      len,
         gpointer                   user_data,
         GError                   **error)
{
  guint64 *total = user_data;

  g_assert (info->offset + len <= info->size);
  g_assert (info->section != NULL);
  *total += len;
  return TRUE;
}

static void
walk_strings (const MailImapValue *root,
              gboolean             utf8_accept)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  if (root == NULL)
    return;

  g_ptr_array_add (stack, (gpointer) root);
  while (stack->len > 0)
    {
      const MailImapValue *v = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      const char *str;

      if (mail_imap_value_is_list (v))
        {
          for (guint i = 0; i < v->n_children; i++)
            g_ptr_array_add (stack, v->children[i]);
          continue;
        }

      str = mail_imap_value_get_cstring (v);
      if (str != NULL)
        {
          g_autofree char *name = mail_imap_mailbox_name_decode (str, -1, utf8_accept, NULL);
          g_autoptr(MailImapSequenceSet) set = NULL;
          guint32 u32;
          guint64 u64;

          if (name != NULL)
            {
              g_autofree char *back = mail_imap_mailbox_name_encode (name, utf8_accept);
              g_autofree char *file = mail_imap_mailbox_name_to_filename ("acct", name);
              g_autofree char *markup = mail_imap_mailbox_name_to_markup (name);

              /* Strict decoding means one spelling: encoding gives the input back. */
              if (!utf8_accept)
                g_assert (back != NULL && strcmp (back, str) == 0);
              g_assert (strchr (file, '/') == NULL && strlen (file) == 5 + 64);
              g_assert (strchr (markup, '<') == NULL);
              mail_imap_mailbox_name_check (name);
              {
                g_auto(GStrv) levels = mail_imap_mailbox_name_split (name, '/', 16, NULL);

                g_assert (levels == NULL || (levels[0] != NULL && g_strv_length (levels) <= 16));
              }
            }

          set = mail_imap_sequence_set_parse (str, -1, MAIL_IMAP_SEQUENCE_SET_ALLOW_STAR, NULL);
          if (set != NULL)
            {
              g_autofree char *text = NULL;
              g_autoptr(GArray) expanded = NULL;

              mail_imap_sequence_set_normalize (set);
              text = mail_imap_sequence_set_to_string (set);
              expanded = mail_imap_sequence_set_expand (set, 1000, NULL);
              mail_imap_sequence_set_contains (set, 7);
              if (expanded != NULL && expanded->len > 0)
                {
                  g_autofree char *compressed =
                    mail_imap_uid_set_compress (&g_array_index (expanded, guint32, 0),
                                                expanded->len);

                  g_assert (compressed != NULL && strcmp (compressed, text) == 0);
                }
            }

          mail_imap_value_get_uint32 (v, &u32);
          mail_imap_value_get_uint64 (v, &u64);
        }
    }
}

static void
exercise (MailImapResponse *resp,
          gboolean          utf8_accept)
{
  g_autofree char *dump = mail_imap_response_dump (resp);
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(MailImapSelectInfo) info = { 0 };
  guint32 uidvalidity;

  g_assert (dump != NULL);
  g_hash_table_add (tags, (gpointer) "a1");

  mail_imap_validate_greeting (resp, NULL);
  for (int state = MAIL_IMAP_STATE_NOT_AUTHENTICATED; state <= MAIL_IMAP_STATE_LOGOUT; state++)
    {
      mail_imap_validate_response (state, 10, tags, TRUE, resp, NULL);
      mail_imap_validate_response (state, 0, tags, FALSE, resp, NULL);
    }

  {
    g_auto(GStrv) caps = mail_imap_decode_capability (resp, NULL);
    g_auto(GStrv) mechs = mail_imap_capabilities_get_auth_mechanisms ((const char * const *) caps);
    g_auto(GStrv) enabled = mail_imap_decode_enabled (resp, NULL);
    g_autoptr(MailImapListEntry) list = mail_imap_decode_list (resp, utf8_accept, NULL);
    g_autoptr(MailImapStatusData) status = mail_imap_decode_status (resp, utf8_accept, NULL);
    g_autoptr(GArray) search = mail_imap_decode_search (resp, NULL, NULL);
    g_autoptr(MailImapEsearch) esearch = mail_imap_decode_esearch (resp, NULL);
    g_autoptr(MailImapSequenceSet) vanished = mail_imap_decode_vanished (resp, NULL, NULL);
    g_autoptr(MailImapNamespaces) ns = mail_imap_decode_namespace (resp, NULL);
    g_autoptr(GHashTable) id = mail_imap_decode_id (resp, NULL);
    g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (resp, NULL);
    g_autoptr(MailImapSequenceSet) appended = NULL;
    g_autoptr(MailImapSequenceSet) src = NULL;
    g_autoptr(MailImapSequenceSet) dst = NULL;

    if (caps != NULL)
      g_assert (caps[0] != NULL);
    g_assert (mechs != NULL);
    if (enabled != NULL)
      g_assert (g_strv_length (enabled) < 1024 * 1024);
    if (status != NULL)
      g_assert (status->name != NULL);
    if (search != NULL)
      for (guint i = 0; i < search->len; i++)
        g_assert (g_array_index (search, guint32, i) != 0);
    if (esearch != NULL && esearch->has_min)
      g_assert (esearch->min != 0);
    if (vanished != NULL)
      g_assert (mail_imap_sequence_set_get_n_ranges (vanished) > 0);
    if (ns != NULL)
      g_assert (ns->personal != NULL && ns->other != NULL && ns->shared != NULL);
    if (id != NULL)
      g_assert (g_hash_table_size (id) <= 30);
    if (list != NULL)
      g_assert (list->name != NULL && g_utf8_validate (list->name, -1, NULL));
    if (fetch != NULL && fetch->body != NULL)
      {
        g_assert (mail_imap_body_part_count (fetch->body) >= 1);
        g_assert (mail_imap_body_part_find (fetch->body, fetch->body->section) != NULL);
        mail_imap_body_part_find (fetch->body, "1.2");
        mail_imap_body_part_get_param (fetch->body, "charset");
      }
    if (fetch != NULL)
      mail_imap_fetch_find_section (fetch, "");
    if (mail_imap_decode_appenduid (resp, &uidvalidity, &appended, NULL))
      g_assert (appended != NULL);
    if (mail_imap_decode_copyuid (resp, &uidvalidity, &src, &dst, NULL))
      g_assert (mail_imap_sequence_set_count (src) == mail_imap_sequence_set_count (dst));
  }

  mail_imap_select_info_update (&info, resp, NULL);
  mail_imap_mailbox_name_check (mail_imap_response_get_text (resp) != NULL ?
                                mail_imap_response_get_text (resp) : "");

  walk_strings (mail_imap_response_get_data (resp), utf8_accept);
  walk_strings (mail_imap_response_get_code_args (resp), utf8_accept);
}

int
LLVMFuzzerTestOneInput (const unsigned char *data,
                        size_t               size)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  guint32 hash = 2166136261u;
  guint32 rng;
  guint64 streamed = 0;
  gboolean utf8_accept;
  gsize pos = 0;
  gboolean ok = TRUE;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  for (gsize i = 0; i < size; i++)
    hash = (hash ^ data[i]) * 16777619u;
  rng = hash;

  utf8_accept = (hash & 1) != 0;
  mail_imap_parser_set_utf8_accept (parser, utf8_accept);
  if (hash & 2)
    mail_imap_parser_set_literal_func (parser, sink_cb, &streamed, NULL);
  if (hash & 4)
    {
      mail_imap_parser_set_max_line_length (parser, 256);
      mail_imap_parser_set_max_literal_size (parser, 128);
      mail_imap_parser_set_max_depth (parser, 8);
      mail_imap_parser_set_max_response_size (parser, 16 * 1024);
    }

  /* Every other input goes through the line-reader interface instead. */
  while (ok && pos < size && (hash & 8) != 0)
    {
      guint64 want = mail_imap_parser_get_literal_remaining (parser);
      MailImapResponse *resp;

      if (want > 0)
        {
          gsize n = (gsize) MIN (want, (guint64) (size - pos));

          ok = mail_imap_parser_feed (parser, data + pos, n, NULL);
          pos += n;
        }
      else
        {
          const guint8 *nl = memchr (data + pos, '\n', size - pos);
          gsize end = nl != NULL ? (gsize) (nl - data) : size;
          gsize len = end - pos;

          if (len > 0 && data[pos + len - 1] == '\r')
            len--;
          ok = mail_imap_parser_feed_line (parser, (const char *) data + pos, len, NULL);
          pos = nl != NULL ? end + 1 : size;
        }

      while ((resp = mail_imap_parser_pop (parser)) != NULL)
        {
          exercise (resp, utf8_accept);
          mail_imap_response_unref (resp);
        }
    }

  while (ok && pos < size)
    {
      gsize n;
      MailImapResponse *resp;

      rng = rng * 1103515245u + 12345u;
      n = MIN ((gsize) ((rng >> 16) % 64) + 1, size - pos);
      ok = mail_imap_parser_feed (parser, data + pos, n, NULL);
      pos += n;

      while ((resp = mail_imap_parser_pop (parser)) != NULL)
        {
          exercise (resp, utf8_accept);
          mail_imap_response_unref (resp);
        }

      g_assert (mail_imap_parser_get_memory_size (parser) <= 64 * 1024 * 1024);
    }

  if (ok)
    mail_imap_parser_finish (parser, NULL);

  return 0;
}
