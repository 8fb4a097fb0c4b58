/* test-imap-decode.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-imap-decode.h"
#include "mail-imap-error.h"
#include "mail-imap-fetch.h"
#include "mail-imap-parser.h"
#include "mail-imap-state.h"
#include "mail-test-utils.h"

static MailImapResponse *
parse_one (const char *input)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GError) error = NULL;

  mail_imap_parser_feed (parser, (const guint8 *) input, strlen (input), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_parser_get_n_ready (parser), ==, 1);

  return mail_imap_parser_pop (parser);
}

/* All responses of a transcript under tests/data. */
static GPtrArray *
load_transcript (const char *name)
{
  g_autoptr(GBytes) bytes = mail_test_load_data (name);
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_imap_response_unref);
  MailImapResponse *resp;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  mail_imap_parser_feed (parser, data, len, &error);
  g_assert_no_error (error);
  mail_imap_parser_finish (parser, &error);
  g_assert_no_error (error);

  while ((resp = mail_imap_parser_pop (parser)) != NULL)
    g_ptr_array_add (out, resp);

  return out;
}

static MailImapResponse *
find_response (GPtrArray  *responses,
               const char *name,
               guint       nth)
{
  for (guint i = 0; i < responses->len; i++)
    {
      MailImapResponse *resp = g_ptr_array_index (responses, i);

      if (g_strcmp0 (mail_imap_response_get_name (resp), name) == 0 && nth-- == 0)
        return resp;
    }

  g_assert_not_reached ();
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* CAPABILITY, ENABLED, ID, NAMESPACE                                                           */

static void
test_capability (void)
{
  g_autoptr(MailImapResponse) data = parse_one ("* CAPABILITY IMAP4rev1 idle AUTH=PLAIN\r\n");
  g_autoptr(MailImapResponse) code = parse_one ("* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n");
  g_autoptr(MailImapResponse) empty = parse_one ("* CAPABILITY\r\n");
  g_autoptr(MailImapResponse) quoted = parse_one ("* CAPABILITY \"IMAP4rev1\"\r\n");
  g_autoptr(MailImapResponse) other = parse_one ("* OK hi\r\n");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) caps = mail_imap_decode_capability (data, &error);
  g_auto(GStrv) caps2 = NULL;
  g_auto(GStrv) mechs = NULL;
  g_auto(GStrv) none = NULL;
  GStrv bad;

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (caps), ==, 3);
  g_assert_true (mail_imap_capabilities_has ((const char * const *) caps, "IDLE"));
  g_assert_true (mail_imap_capabilities_has ((const char * const *) caps, "imap4rev1"));
  g_assert_false (mail_imap_capabilities_has ((const char * const *) caps, "STARTTLS"));
  mechs = mail_imap_capabilities_get_auth_mechanisms ((const char * const *) caps);
  g_assert_cmpstrv (mechs, ((const char * const[]) { "PLAIN", NULL }));

  caps2 = mail_imap_decode_capability (code, &error);
  g_assert_no_error (error);
  g_assert_true (mail_imap_capabilities_has ((const char * const *) caps2, "STARTTLS"));
  none = mail_imap_capabilities_get_auth_mechanisms ((const char * const *) caps2);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  /* `* CAPABILITY` with no atoms, strings instead of atoms, wrong responses. */
  bad = mail_imap_decode_capability (empty, &error);
  g_assert_null (bad);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  g_clear_error (&error);
  bad = mail_imap_decode_capability (quoted, &error);
  g_assert_null (bad);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  g_clear_error (&error);
  bad = mail_imap_decode_capability (other, &error);
  g_assert_null (bad);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
}

static void
test_enabled_id_namespace (void)
{
  g_autoptr(GPtrArray) dovecot = load_transcript ("imap/dovecot-session.txt");
  g_autoptr(MailImapResponse) id_nil = parse_one ("* ID NIL\r\n");
  g_autoptr(MailImapResponse) id_odd = parse_one ("* ID (\"name\")\r\n");
  g_autoptr(MailImapResponse) ns_bad = parse_one ("* NAMESPACE ((\"\" \"//\")) NIL NIL\r\n");
  g_autoptr(MailImapResponse) ns_short = parse_one ("* NAMESPACE NIL NIL\r\n");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) enabled = mail_imap_decode_enabled (find_response (dovecot, "ENABLED", 0), &error);
  g_autoptr(GHashTable) id = mail_imap_decode_id (find_response (dovecot, "ID", 0), &error);
  g_autoptr(GHashTable) empty_id = mail_imap_decode_id (id_nil, &error);
  g_autoptr(MailImapNamespaces) ns = NULL;
  g_autoptr(GString) many = g_string_new ("* ID (");

  g_assert_no_error (error);
  g_assert_cmpstrv (enabled, ((const char * const[]) { "CONDSTORE", "QRESYNC", NULL }));
  g_assert_cmpstr (g_hash_table_lookup (id, "name"), ==, "Dovecot");
  g_assert_false (g_hash_table_contains (id, "version"));
  g_assert_cmpuint (g_hash_table_size (empty_id), ==, 0);

  ns = mail_imap_decode_namespace (find_response (dovecot, "NAMESPACE", 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns->personal->len, ==, 1);
  g_assert_cmpuint (ns->other->len, ==, 0);
  g_assert_cmpuint (ns->shared->len, ==, 1);
  g_assert_cmpstr (((MailImapNamespace *) g_ptr_array_index (ns->shared, 0))->prefix, ==,
                   "shared/");
  g_assert_cmpint (((MailImapNamespace *) g_ptr_array_index (ns->shared, 0))->delimiter, ==, '/');

  g_assert_null (mail_imap_decode_id (id_odd, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (mail_imap_decode_namespace (ns_bad, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (mail_imap_decode_namespace (ns_short, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  g_clear_error (&error);

  /* RFC 2971: at most 30 pairs. */
  for (guint i = 0; i < 31; i++)
    g_string_append_printf (many, "\"k%u\" \"v\" ", i);
  g_string_append (many, ")\r\n");
  {
    g_autoptr(MailImapResponse) resp = parse_one (many->str);

    g_assert_null (mail_imap_decode_id (resp, &error));
    g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* LIST / STATUS / SELECT                                                                       */

static void
test_list (void)
{
  g_autoptr(GPtrArray) dovecot = load_transcript ("imap/dovecot-session.txt");
  g_autoptr(GPtrArray) gmail = load_transcript ("imap/gmail-session.txt");
  g_autoptr(GPtrArray) exchange = load_transcript ("imap/exchange-session.txt");
  g_autoptr(GError) error = NULL;
  static const struct
  {
    guint                     nth;
    MailImapMailboxAttributes flag;
    const char               *name;
  } gmail_expect[] = {
    { 2, MAIL_IMAP_MAILBOX_ALL, "[Gmail]/All Mail" },
    { 3, MAIL_IMAP_MAILBOX_DRAFTS, "[Gmail]/Drafts" },
    { 4, MAIL_IMAP_MAILBOX_IMPORTANT, "[Gmail]/Important" },
    { 5, MAIL_IMAP_MAILBOX_SENT, "[Gmail]/Sent Mail" },
    { 6, MAIL_IMAP_MAILBOX_JUNK, "[Gmail]/Spam" },
    { 7, MAIL_IMAP_MAILBOX_FLAGGED, "[Gmail]/Starred" },
    { 8, MAIL_IMAP_MAILBOX_TRASH, "[Gmail]/Trash" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (gmail_expect); i++)
    {
      g_autoptr(MailImapListEntry) entry =
        mail_imap_decode_list (find_response (gmail, "LIST", gmail_expect[i].nth), FALSE, &error);

      g_assert_no_error (error);
      g_assert_true (entry->attributes & gmail_expect[i].flag);
      g_assert_true (entry->attributes & MAIL_IMAP_MAILBOX_HAS_NO_CHILDREN);
      g_assert_cmpstr (entry->name, ==, gmail_expect[i].name);
      g_assert_cmpint (entry->delimiter, ==, '/');
    }

  {
    g_autoptr(MailImapListEntry) gm = mail_imap_decode_list (find_response (gmail, "LIST", 1),
                                                             FALSE, &error);
    g_autoptr(MailImapListEntry) archive =
      mail_imap_decode_list (find_response (dovecot, "LIST", 5), FALSE, &error);
    g_autoptr(MailImapListEntry) umlaut =
      mail_imap_decode_list (find_response (dovecot, "LIST", 6), FALSE, &error);
    g_autoptr(MailImapListEntry) cjk =
      mail_imap_decode_list (find_response (dovecot, "LIST", 7), FALSE, &error);
    g_autoptr(MailImapListEntry) literal =
      mail_imap_decode_list (find_response (dovecot, "LIST", 8), FALSE, &error);
    g_autoptr(MailImapListEntry) root =
      mail_imap_decode_list (find_response (exchange, "LIST", 6), FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (gm->attributes & MAIL_IMAP_MAILBOX_NOSELECT);
    g_assert_true (archive->attributes & MAIL_IMAP_MAILBOX_ARCHIVE);
    g_assert_cmpstr (umlaut->name, ==, "Entw\xc3\xbcrfe");
    g_assert_cmpstr (umlaut->wire_name, ==, "Entw&APw-rfe");
    g_assert_cmpstr (cjk->name, ==, "Entw\xc3\xbcrfe/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
    g_assert_cmpstrv (cjk->other_attributes, ((const char * const[]) { "\\UnknownFlag", NULL }));
    g_assert_cmpstr (literal->name, ==, "Odd \"name\" with \\ backslash");
    /* LIST "" "": empty name, NIL delimiter. */
    g_assert_cmpstr (root->name, ==, "");
    g_assert_cmpint (root->delimiter, ==, '\0');
  }

  {
    static const char *const bad[] = {
      "* LIST NIL \"/\" INBOX\r\n",
      "* LIST (\\Noselect \"x\") \"/\" INBOX\r\n",
      "* LIST () \"//\" INBOX\r\n",
      "* LIST () \"/\"\r\n",
      "* LIST () \"/\" \"&Jjo\"\r\n",
      "* LIST () \"/\" \"a&AGE-\"\r\n",
      "* LIST () \"/\" ()\r\n",
      "* LSUB () \"/\" NIL\r\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(MailImapResponse) resp = parse_one (bad[i]);
        g_autoptr(MailImapListEntry) entry = mail_imap_decode_list (resp, FALSE, &error);

        g_assert_null (entry);
        g_assert_nonnull (error);
        g_assert_true (error->domain == MAIL_IMAP_ERROR);
        g_clear_error (&error);
      }
  }

  /* A literal name with a NUL byte is refused rather than truncated. */
  {
    g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
    g_autoptr(MailImapResponse) resp = NULL;
    g_autoptr(MailImapListEntry) entry = NULL;
    static const char input[] = "* LIST () \"/\" {3}\r\na\0b\r\n";

    mail_imap_parser_feed (parser, (const guint8 *) input, sizeof input - 1, &error);
    g_assert_no_error (error);
    resp = mail_imap_parser_pop (parser);
    entry = mail_imap_decode_list (resp, FALSE, &error);
    g_assert_null (entry);
    g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
  }
}

static void
test_status (void)
{
  g_autoptr(GPtrArray) dovecot = load_transcript ("imap/dovecot-session.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapStatusData) inbox =
    mail_imap_decode_status (find_response (dovecot, "STATUS", 0), FALSE, &error);
  g_autoptr(MailImapStatusData) trash =
    mail_imap_decode_status (find_response (dovecot, "STATUS", 1), FALSE, &error);
  static const char *const bad[] = {
    "* STATUS x NIL\r\n",
    "* STATUS x (MESSAGES)\r\n",
    "* STATUS x (MESSAGES abc)\r\n",
    "* STATUS x (MESSAGES -1)\r\n",
    "* STATUS x (MESSAGES 4294967296)\r\n",
    "* STATUS x (\"MESSAGES\" 1)\r\n",
    "* STATUS (MESSAGES 1)\r\n",
    "* STATUS x (MESSAGES 1) extra\r\n",
  };

  g_assert_no_error (error);
  g_assert_cmpstr (inbox->name, ==, "INBOX");
  g_assert_cmpuint (inbox->items, ==,
                    MAIL_IMAP_STATUS_ITEM_MESSAGES | MAIL_IMAP_STATUS_ITEM_UIDNEXT |
                    MAIL_IMAP_STATUS_ITEM_UIDVALIDITY | MAIL_IMAP_STATUS_ITEM_UNSEEN |
                    MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ | MAIL_IMAP_STATUS_ITEM_SIZE);
  g_assert_cmpuint (inbox->messages, ==, 231);
  g_assert_cmpuint (inbox->uidnext, ==, 44292);
  g_assert_cmpuint (inbox->highestmodseq, ==, G_GUINT64_CONSTANT (90060115205545359));
  g_assert_cmpuint (inbox->size, ==, 123456789);

  /* `* STATUS x ()` (libEtPan #420): valid, with nothing set. */
  g_assert_cmpstr (trash->name, ==, "Trash");
  g_assert_cmpuint (trash->items, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (bad[i]);
      g_autoptr(MailImapStatusData) data = mail_imap_decode_status (resp, FALSE, &error);

      g_assert_null (data);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
      g_clear_error (&error);
    }
}

static void
test_select (void)
{
  g_autoptr(GPtrArray) gmail = load_transcript ("imap/gmail-session.txt");
  g_auto(MailImapSelectInfo) info = { 0 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < gmail->len; i++)
    {
      g_assert_true (mail_imap_select_info_update (&info, g_ptr_array_index (gmail, i), &error));
      g_assert_no_error (error);
    }

  g_assert_cmpuint (info.exists, ==, 1042);
  g_assert_cmpuint (info.recent, ==, 0);
  g_assert_cmpuint (info.uidvalidity, ==, 11);
  g_assert_cmpuint (info.uidnext, ==, 98765);
  g_assert_cmpuint (info.highestmodseq, ==, 4567890);
  g_assert_false (info.read_only);
  g_assert_true (info.can_create_keywords);
  g_assert_cmpuint (g_strv_length (info.flags), ==, 7);
  g_assert_cmpuint (g_strv_length (info.permanent_flags), ==, 7);
  g_assert_cmpuint (info.items & (MAIL_IMAP_SELECT_EXISTS | MAIL_IMAP_SELECT_UIDVALIDITY |
                                  MAIL_IMAP_SELECT_PERMANENTFLAGS), ==,
                    MAIL_IMAP_SELECT_EXISTS | MAIL_IMAP_SELECT_UIDVALIDITY |
                    MAIL_IMAP_SELECT_PERMANENTFLAGS);

  mail_imap_select_info_clear (&info);

  {
    g_autoptr(MailImapResponse) ro = parse_one ("A2 OK [READ-ONLY] EXAMINE completed\r\n");
    static const char *const bad[] = {
      "* OK [UIDVALIDITY 0] x\r\n",
      "* OK [UIDVALIDITY abc] x\r\n",
      "* OK [UIDVALIDITY 4294967296] x\r\n",
      "* OK [UIDNEXT] x\r\n",
      "* OK [PERMANENTFLAGS NIL] x\r\n",
      "* OK [PERMANENTFLAGS (\\Seen \"x\")] x\r\n",
      "* FLAGS NIL\r\n",
      "* FLAGS (\\)\r\n",
      "* OK [HIGHESTMODSEQ 1 2] x\r\n",
    };

    g_assert_true (mail_imap_select_info_update (&info, ro, &error));
    g_assert_true (info.read_only);

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(MailImapResponse) resp = parse_one (bad[i]);

        g_assert_false (mail_imap_select_info_update (&info, resp, &error));
        g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
        g_clear_error (&error);
      }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* FETCH                                                                                        */

static const MailImapAddress *
address_at (GPtrArray *list,
            guint      i)
{
  g_assert_cmpuint (i, <, list->len);
  return g_ptr_array_index (list, i);
}

static void
test_fetch_rfc3501 (void)
{
  g_autoptr(GPtrArray) sample = load_transcript ("imap/rfc3501-sample.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (find_response (sample, "FETCH", 0),
                                                           &error);
  g_autoptr(MailImapFetch) header = NULL;
  g_autoptr(GDateTime) expected = NULL;
  const MailImapFetchSection *section;
  MailImapEnvelope *env;

  g_assert_no_error (error);
  g_assert_cmpuint (fetch->seqno, ==, 12);
  g_assert_cmpstrv (fetch->flags, ((const char * const[]) { "\\Seen", NULL }));
  g_assert_cmpuint (fetch->rfc822_size, ==, 4286);
  expected = g_date_time_new_utc (1996, 7, 17, 9, 44, 25);
  g_assert_true (g_date_time_equal (fetch->internaldate, expected));
  g_assert_cmpint (g_date_time_get_utc_offset (fetch->internaldate), ==, -7 * G_TIME_SPAN_HOUR);

  env = fetch->envelope;
  g_assert_cmpstr (env->subject, ==, "IMAP4rev1 WG mtg summary and minutes");
  g_assert_nonnull (env->date);
  g_assert_cmpint (g_date_time_get_day_of_month (env->date), ==, 17);
  g_assert_cmpstr (address_at (env->from, 0)->name, ==, "Terry Gray");
  g_assert_cmpstr (address_at (env->from, 0)->mailbox, ==, "gray");
  g_assert_cmpstr (address_at (env->from, 0)->host, ==, "cac.washington.edu");
  g_assert_null (address_at (env->from, 0)->adl);
  g_assert_cmpuint (env->cc->len, ==, 2);
  g_assert_cmpstr (address_at (env->cc, 1)->mailbox, ==, "KLENSIN");
  g_assert_cmpuint (env->bcc->len, ==, 0);
  g_assert_null (env->in_reply_to);
  g_assert_cmpstr (env->message_id, ==, "<B27397-0100000@cac.washington.edu>");

  /* BODY (non-extensible) decodes like BODYSTRUCTURE. */
  g_assert_cmpstr (fetch->body->type, ==, "text");
  g_assert_cmpstr (fetch->body->subtype, ==, "plain");
  g_assert_cmpstr (fetch->body->charset, ==, "US-ASCII");
  g_assert_cmpstr (fetch->body->section, ==, "1");
  g_assert_cmpuint (fetch->body->size, ==, 3028);
  g_assert_cmpuint (fetch->body->lines, ==, 92);

  header = mail_imap_decode_fetch (find_response (sample, "FETCH", 1), &error);
  g_assert_no_error (error);
  section = mail_imap_fetch_find_section (header, "HEADER");
  g_assert_nonnull (section);
  g_assert_cmpint (section->origin, ==, -1);
  g_assert_cmpuint (section->value->len, ==, 342);
  g_assert_true (g_str_has_prefix (section->value->str, "Date: Wed, 17 Jul 1996"));
}

static void
test_fetch_exchange (void)
{
  g_autoptr(GPtrArray) exchange = load_transcript ("imap/exchange-session.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (find_response (exchange, "FETCH", 0),
                                                           &error);
  const MailImapBodyPart *body;
  const MailImapBodyPart *part;
  MailImapEnvelope *env;

  g_assert_no_error (error);
  env = fetch->envelope;
  g_assert_cmpstr (env->subject, ==, "Quarterly report (Q1) \"draft\" {v2}");
  g_assert_cmpstr (address_at (env->from, 0)->name, ==, "Doe, Jane");

  /* Group syntax: an empty group, then a group of two. */
  g_assert_cmpuint (env->to->len, ==, 1);
  g_assert_cmpstr (address_at (env->to, 0)->group, ==, "undisclosed-recipients");
  g_assert_null (address_at (env->to, 0)->mailbox);
  g_assert_cmpuint (env->cc->len, ==, 2);
  g_assert_cmpstr (address_at (env->cc, 0)->group, ==, "team");
  g_assert_cmpstr (address_at (env->cc, 1)->mailbox, ==, "eva");

  body = fetch->body;
  g_assert_cmpstr (body->type, ==, "multipart");
  g_assert_cmpstr (body->subtype, ==, "mixed");
  g_assert_cmpstr (body->section, ==, "");
  g_assert_cmpstr (body->boundary, ==, "----=_NextPart_000");
  g_assert_cmpstrv (body->language, ((const char * const[]) { "en-US", NULL }));
  g_assert_cmpuint (body->children->len, ==, 4);
  g_assert_cmpuint (mail_imap_body_part_count (body), ==, 8);

  part = mail_imap_body_part_find (body, "2.2");
  g_assert_nonnull (part);
  g_assert_cmpstr (part->type, ==, "image");
  g_assert_cmpstr (part->id, ==, "<logo@contoso>");
  g_assert_cmpstr (part->disposition, ==, "inline");
  g_assert_cmpstr (part->filename, ==, "logo.png");
  g_assert_cmpstr (mail_imap_body_part_find (body, "2")->subtype, ==, "related");
  g_assert_cmpstr (mail_imap_body_part_get_param (mail_imap_body_part_find (body, "2"), "type"),
                   ==, "text/html");

  /* The server-chosen filename is only data; the caller must never use it as a path. */
  part = mail_imap_body_part_find (body, "3");
  g_assert_cmpstr (part->filename, ==, "../../etc/passwd");
  g_assert_cmpstr (part->description, ==, "Report");
  g_assert_cmpuint (part->size, ==, 102400);

  part = mail_imap_body_part_find (body, "4");
  g_assert_cmpstr (part->type, ==, "message");
  g_assert_cmpstr (part->envelope->subject, ==, "Fwd");
  g_assert_cmpuint (part->lines, ==, 20);
  part = mail_imap_body_part_find (body, "4.1");
  g_assert_nonnull (part);
  g_assert_cmpstr (part->subtype, ==, "plain");
  g_assert_cmpstr (part->parent->section, ==, "4");
}

static void
test_fetch_sections (void)
{
  g_autoptr(GPtrArray) gmail = load_transcript ("imap/gmail-session.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(MailImapFetch) labels = mail_imap_decode_fetch (find_response (gmail, "FETCH", 0),
                                                            &error);
  g_autoptr(MailImapFetch) binary = mail_imap_decode_fetch (find_response (gmail, "FETCH", 1),
                                                            &error);
  g_autoptr(MailImapFetch) partial = mail_imap_decode_fetch (find_response (gmail, "FETCH", 2),
                                                             &error);
  const MailImapFetchSection *section;

  g_assert_no_error (error);
  g_assert_cmpuint (labels->uid, ==, 4);
  g_assert_cmpuint (labels->fields, ==, MAIL_IMAP_FETCH_UID | MAIL_IMAP_FETCH_FLAGS);

  section = mail_imap_fetch_find_section (binary, "2");
  g_assert_true (section->binary);
  g_assert_cmpuint (section->value->len, ==, 1024);
  g_assert_true (section->value->binary);

  section = mail_imap_fetch_find_section (partial, "1");
  g_assert_cmpint (section->origin, ==, 0);
  g_assert_cmpstr (section->item, ==, "BODY[1]<0>");
  g_assert_cmpstr (section->value->str, ==, "partial");
  g_assert_nonnull (mail_imap_fetch_find_section (partial, "1.MIME"));
}

static void
test_fetch_errors (void)
{
  static const char *const bad[] = {
    "* 1 FETCH (UID 0)\r\n",
    "* 1 FETCH (UID 4294967296)\r\n",
    "* 1 FETCH (UID)\r\n",
    "* 1 FETCH UID 5\r\n",
    "* 1 FETCH (UID 5) (FLAGS ())\r\n",
    "* 0 FETCH (UID 5)\r\n",
    "* 1 FETCH (FLAGS NIL)\r\n",
    "* 1 FETCH (\"UID\" 5)\r\n",
    "* 1 FETCH (RFC822.SIZE 99999999999999999999)\r\n",
    "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25\")\r\n",
    "* 1 FETCH (INTERNALDATE \"31-Feb-1996 02:44:25 -0700\")\r\n",
    "* 1 FETCH (INTERNALDATE \"17-Foo-1996 02:44:25 -0700\")\r\n",
    "* 1 FETCH (INTERNALDATE \"17-Jul-1996 25:44:25 -0700\")\r\n",
    "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700 and a very long tail........\")\r\n",
    "* 1 FETCH (INTERNALDATE NIL)\r\n",
    "* 1 FETCH (MODSEQ 5)\r\n",
    "* 1 FETCH (ENVELOPE NIL)\r\n",
    "* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
    "* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    "* 1 FETCH (ENVELOPE (NIL NIL () NIL NIL NIL NIL NIL NIL NIL))\r\n",
    "* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL NIL NIL)) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    "* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"g\" NIL)(NIL NIL \"h\" NIL)) NIL NIL NIL NIL NIL NIL "
    "NIL))\r\n",
    "* 1 FETCH (BODYSTRUCTURE NIL)\r\n",
    "* 1 FETCH (BODYSTRUCTURE ())\r\n",
    "* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 10))\r\n",
    "* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" NIL))\r\n",
    "* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" (\"a\") NIL NIL \"base64\" 1))\r\n",
    "* 1 FETCH (BODYSTRUCTURE ((\"image\" \"png\" NIL NIL NIL \"base64\" 1)))\r\n",
    "* 1 FETCH (BODYSTRUCTURE ((\"image\" \"png\" NIL NIL NIL \"base64\" 1) NIL))\r\n",
    "* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1 NIL NIL 1))\r\n",
    "* 1 FETCH (BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" 1 NIL (\"x\")))\r\n",
    "* 1 FETCH (BODY[] 5)\r\n",
    "* 1 FETCH (BODY[] (a))\r\n",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (bad[i]);
      g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (resp, &error);

      if (fetch != NULL)
        g_error ("decoded: %s", bad[i]);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PARSE);
      g_clear_error (&error);
    }

  /* Unknown items and NIL sections are fine. */
  {
    g_autoptr(MailImapResponse) resp =
      parse_one ("* 1 FETCH (X-FUTURE (a (b)) BODY[1] NIL UID 3 SAVEDATE NIL)\r\n");
    g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (resp, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (fetch->uid, ==, 3);
    g_assert_null (mail_imap_fetch_find_section (fetch, "1")->value);
  }
}

static void
test_bodystructure_deep (void)
{
  g_autoptr(MailImapParser) parser = mail_imap_parser_new ();
  g_autoptr(GString) input = g_string_new ("* 1 FETCH (BODYSTRUCTURE ");
  g_autoptr(MailImapResponse) resp = NULL;
  g_autoptr(MailImapFetch) fetch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) section = g_string_new (NULL);
  const guint levels = 1000;
  const MailImapBodyPart *leaf;

  /* 1000 nested multiparts (parser cap raised): decoded and freed without recursion. */
  mail_imap_parser_set_max_depth (parser, levels + 10);
  for (guint i = 0; i < levels; i++)
    g_string_append_c (input, '(');
  g_string_append (input, "\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1");
  for (guint i = 0; i < levels; i++)
    g_string_append (input, ") \"mixed\"");
  g_string_append (input, ")\r\n");
  /* The outermost ") "mixed"" closes the BODYSTRUCTURE value itself: drop one level. */
  g_string_truncate (input, input->len - strlen (") \"mixed\")\r\n"));
  g_string_append (input, "))\r\n");

  mail_imap_parser_feed (parser, (const guint8 *) input->str, input->len, &error);
  g_assert_no_error (error);
  resp = mail_imap_parser_pop (parser);
  fetch = mail_imap_decode_fetch (resp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_imap_body_part_count (fetch->body), ==, levels);

  for (guint i = 0; i < levels - 1; i++)
    g_string_append (section, i == 0 ? "1" : ".1");
  leaf = mail_imap_body_part_find (fetch->body, section->str);
  g_assert_nonnull (leaf);
  g_assert_cmpstr (leaf->type, ==, "text");
}

/* ------------------------------------------------------------------------------------------ */
/* SEARCH, ESEARCH, VANISHED, APPENDUID, COPYUID                                                */

static void
test_search (void)
{
  g_autoptr(GPtrArray) qresync = load_transcript ("imap/rfc7162-qresync.txt");
  g_autoptr(GError) error = NULL;
  guint64 modseq = 0;
  g_autoptr(GArray) result = mail_imap_decode_search (find_response (qresync, "SEARCH", 0),
                                                      &modseq, &error);
  g_autoptr(MailImapEsearch) esearch = mail_imap_decode_esearch (find_response (qresync,
                                                                                "ESEARCH", 0),
                                                                 &error);
  g_autoptr(GPtrArray) dovecot = load_transcript ("imap/dovecot-session.txt");
  g_autoptr(MailImapEsearch) esearch2 = mail_imap_decode_esearch (find_response (dovecot,
                                                                                 "ESEARCH", 0),
                                                                  &error);
  g_autofree char *all = NULL;
  static const char *const bad[] = {
    "* SEARCH 1 0 2\r\n",
    "* SEARCH 1 x\r\n",
    "* SEARCH 4294967296\r\n",
    "* SEARCH (MODSEQ 1) 2\r\n",
    "* SEARCH 1 (MODSEQ)\r\n",
    "* ESEARCH (TAG) ALL 1\r\n",
    "* ESEARCH ALL 1,\r\n",
    "* ESEARCH ALL 0:3\r\n",
    "* ESEARCH MIN 0\r\n",
    "* ESEARCH COUNT\r\n",
  };

  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 10);
  g_assert_cmpuint (g_array_index (result, guint32, 9), ==, 23);
  g_assert_cmpuint (modseq, ==, 917162500);

  g_assert_cmpstr (esearch->tag, ==, "a");
  g_assert_false (esearch->uid);
  all = mail_imap_sequence_set_to_string (esearch->all);
  g_assert_cmpstr (all, ==, "1:3,5");
  g_assert_true (esearch->has_modseq);
  g_assert_cmpuint (esearch->modseq, ==, 1236);

  g_assert_true (esearch2->uid);
  g_assert_true (esearch2->has_count && esearch2->has_min && esearch2->has_max);
  g_assert_cmpuint (esearch2->count, ==, 3);
  g_assert_cmpuint (esearch2->min, ==, 44290);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (bad[i]);
      GArray *arr = NULL;
      MailImapEsearch *es = NULL;

      if (mail_imap_response_is_name (resp, "SEARCH"))
        arr = mail_imap_decode_search (resp, NULL, &error);
      else
        es = mail_imap_decode_esearch (resp, &error);

      if (arr != NULL || es != NULL)
        g_error ("decoded: %s", bad[i]);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

static void
test_vanished (void)
{
  g_autoptr(GPtrArray) qresync = load_transcript ("imap/rfc7162-qresync.txt");
  g_autoptr(GError) error = NULL;
  gboolean earlier = FALSE;
  g_autoptr(MailImapSequenceSet) first = mail_imap_decode_vanished (find_response (qresync,
                                                                                   "VANISHED", 0),
                                                                    &earlier, &error);
  g_autoptr(MailImapSequenceSet) second = NULL;
  static const char *const bad[] = {
    "* VANISHED\r\n",
    "* VANISHED (LATER) 1\r\n",
    "* VANISHED (EARLIER)\r\n",
    "* VANISHED 1:*\r\n",
    "* VANISHED 1,\r\n",
    "* VANISHED 1 2\r\n",
  };

  g_assert_no_error (error);
  g_assert_true (earlier);
  g_assert_cmpuint (mail_imap_sequence_set_get_n_ranges (first), ==, 5);
  g_assert_true (mail_imap_sequence_set_contains (first, 500));
  g_assert_false (mail_imap_sequence_set_contains (first, 42));
  g_assert_cmpuint (mail_imap_sequence_set_count (first), ==, 1 + 74 + 1 + 92 + 327);

  second = mail_imap_decode_vanished (find_response (qresync, "VANISHED", 1), &earlier, &error);
  g_assert_no_error (error);
  g_assert_false (earlier);
  g_assert_cmpuint (mail_imap_sequence_set_count (second), ==, 4);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (bad[i]);
      g_autoptr(MailImapSequenceSet) set = mail_imap_decode_vanished (resp, NULL, &error);

      g_assert_null (set);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

static void
test_uidplus (void)
{
  g_autoptr(GPtrArray) exchange = load_transcript ("imap/exchange-session.txt");
  g_autoptr(MailImapResponse) append = NULL;
  g_autoptr(MailImapResponse) copy = NULL;
  g_autoptr(MailImapSequenceSet) uids = NULL;
  g_autoptr(MailImapSequenceSet) src = NULL;
  g_autoptr(MailImapSequenceSet) dst = NULL;
  g_autoptr(GArray) src_list = NULL;
  g_autoptr(GArray) dst_list = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uidvalidity = 0;
  static const char *const bad[] = {
    "A1 OK [COPYUID 1 1:3 5:6] x\r\n",
    "A1 OK [COPYUID 0 1 2] x\r\n",
    "A1 OK [COPYUID 1 1,] x\r\n",
    "A1 OK [COPYUID 1 * 2] x\r\n",
    "A1 OK [COPYUID 1 1 2 3] x\r\n",
    "A1 OK [APPENDUID 1] x\r\n",
    "A1 OK [APPENDUID 1 0] x\r\n",
    "A1 OK [APPENDUID x 1] x\r\n",
    "A1 OK done\r\n",
  };

  for (guint i = 0; i < exchange->len; i++)
    {
      MailImapResponse *resp = g_ptr_array_index (exchange, i);

      if (g_strcmp0 (mail_imap_response_get_code (resp), "APPENDUID") == 0)
        append = mail_imap_response_ref (resp);
      else if (g_strcmp0 (mail_imap_response_get_code (resp), "COPYUID") == 0)
        copy = mail_imap_response_ref (resp);
    }

  g_assert_true (mail_imap_decode_appenduid (append, &uidvalidity, &uids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (uidvalidity, ==, 14);
  g_assert_true (mail_imap_sequence_set_contains (uids, 301));

  g_assert_true (mail_imap_decode_copyuid (copy, &uidvalidity, &src, &dst, &error));
  src_list = mail_imap_sequence_set_expand (src, 100, &error);
  dst_list = mail_imap_sequence_set_expand (dst, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (src_list->len, ==, 3);
  g_assert_cmpuint (g_array_index (src_list, guint32, 0), ==, 296);
  g_assert_cmpuint (g_array_index (dst_list, guint32, 2), ==, 304);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (bad[i]);
      g_autoptr(MailImapSequenceSet) a = NULL;
      g_autoptr(MailImapSequenceSet) b = NULL;
      gboolean ok;

      if (g_str_has_prefix (bad[i], "A1 OK [APPENDUID"))
        ok = mail_imap_decode_appenduid (resp, &uidvalidity, &a, &error);
      else
        ok = mail_imap_decode_copyuid (resp, &uidvalidity, &a, &b, &error);

      if (ok)
        g_error ("decoded: %s", bad[i]);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* State validation                                                                             */

static gboolean
untagged_ok (MailImapState  state,
             guint32        exists,
             const char    *line,
             GError       **error)
{
  g_autoptr(MailImapResponse) resp = parse_one (line);

  return mail_imap_validate_untagged (state, exists, resp, error);
}

static void
test_state_not_authenticated (void)
{
  static const char *const invalid[] = {
    "* 3 EXISTS\r\n", "* 1 EXPUNGE\r\n", "* 1 FETCH (UID 1)\r\n",
    "* LIST () \"/\" INBOX\r\n", "* LSUB () \"/\" INBOX\r\n", "* STATUS INBOX ()\r\n",
    "* SEARCH 1\r\n", "* ESEARCH COUNT 1\r\n", "* FLAGS (\\Seen)\r\n", "* 1 RECENT\r\n",
    "* VANISHED 1\r\n", "* NAMESPACE NIL NIL NIL\r\n", "* ENABLED X\r\n", "* XYZ 1\r\n",
    "* PREAUTH again\r\n",
  };
  static const char *const valid[] = {
    "* OK [ALERT] hi\r\n", "* NO x\r\n", "* BAD x\r\n", "* BYE going\r\n",
    "* CAPABILITY IMAP4rev1\r\n", "* ID NIL\r\n",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (untagged_ok (MAIL_IMAP_STATE_NOT_AUTHENTICATED, 10, invalid[i], &error));
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
      g_clear_error (&error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_assert_true (untagged_ok (MAIL_IMAP_STATE_NOT_AUTHENTICATED, 0, valid[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_state_authenticated_selected (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (untagged_ok (MAIL_IMAP_STATE_AUTHENTICATED, 0, "* LIST () \"/\" x\r\n", &error));
  g_assert_true (untagged_ok (MAIL_IMAP_STATE_AUTHENTICATED, 0, "* STATUS x ()\r\n", &error));
  g_assert_true (untagged_ok (MAIL_IMAP_STATE_AUTHENTICATED, 0, "* X-FUTURE 1\r\n", &error));
  g_assert_no_error (error);

  g_assert_false (untagged_ok (MAIL_IMAP_STATE_AUTHENTICATED, 5, "* 1 FETCH (UID 1)\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (untagged_ok (MAIL_IMAP_STATE_AUTHENTICATED, 5, "* 4 EXISTS\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* 5 EXPUNGE\r\n", &error));
  g_assert_true (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* 1 FETCH (UID 1)\r\n", &error));
  g_assert_true (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* 9 EXISTS\r\n", &error));
  g_assert_true (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* SEARCH\r\n", &error));
  g_assert_no_error (error);

  /* EXPUNGE/FETCH of a message that does not exist, or of message 0. */
  g_assert_false (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* 6 EXPUNGE\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* 0 EXPUNGE\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (untagged_ok (MAIL_IMAP_STATE_SELECTED, 0, "* 1 FETCH (FLAGS ())\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
  g_clear_error (&error);

  /* Numbers where none belong, none where one must be. */
  g_assert_false (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* 3 LIST () \"/\" x\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (untagged_ok (MAIL_IMAP_STATE_SELECTED, 5, "* EXISTS\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
  g_clear_error (&error);

  /* After LOGOUT only status responses. */
  g_assert_true (untagged_ok (MAIL_IMAP_STATE_LOGOUT, 5, "* BYE bye\r\n", &error));
  g_assert_false (untagged_ok (MAIL_IMAP_STATE_LOGOUT, 5, "* 1 EXISTS\r\n", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
}

static void
test_state_greeting_tags (void)
{
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  static const char *const greetings[] = {
    "* OK ready\r\n", "* PREAUTH welcome\r\n", "* BYE too busy\r\n",
  };
  static const char *const not_greetings[] = {
    "* CAPABILITY IMAP4rev1\r\n", "a1 OK hi\r\n", "+ go\r\n", "* NO x\r\n", "* 1 EXISTS\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (greetings); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (greetings[i]);

      g_assert_true (mail_imap_validate_greeting (resp, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (not_greetings); i++)
    {
      g_autoptr(MailImapResponse) resp = parse_one (not_greetings[i]);

      g_assert_false (mail_imap_validate_greeting (resp, &error));
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_STATE);
      g_clear_error (&error);
    }

  g_hash_table_add (tags, (gpointer) "A7");
  {
    g_autoptr(MailImapResponse) known = parse_one ("A7 OK done\r\n");
    g_autoptr(MailImapResponse) unknown = parse_one ("A8 OK done\r\n");
    g_autoptr(MailImapResponse) cont = parse_one ("+ more\r\n");

    g_assert_true (mail_imap_validate_response (MAIL_IMAP_STATE_AUTHENTICATED, 0, tags, FALSE,
                                                known, &error));
    g_assert_no_error (error);
    g_assert_false (mail_imap_validate_response (MAIL_IMAP_STATE_AUTHENTICATED, 0, tags, FALSE,
                                                 unknown, &error));
    g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNKNOWN_TAG);
    g_clear_error (&error);
    g_assert_false (mail_imap_validate_response (MAIL_IMAP_STATE_AUTHENTICATED, 0, tags, FALSE,
                                                 cont, &error));
    g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNEXPECTED_CONTINUATION);
    g_clear_error (&error);
    g_assert_true (mail_imap_validate_response (MAIL_IMAP_STATE_AUTHENTICATED, 0, tags, TRUE,
                                                cont, &error));
    g_assert_no_error (error);
  }
}

static void
test_transcript_states (void)
{
  g_autoptr(GPtrArray) dovecot = load_transcript ("imap/dovecot-session.txt");
  g_autoptr(GError) error = NULL;
  MailImapState state = MAIL_IMAP_STATE_NOT_AUTHENTICATED;
  guint32 exists = 0;

  /* Replays the Dovecot session through the validator, moving the state as an engine would. */
  g_assert_true (mail_imap_validate_greeting (g_ptr_array_index (dovecot, 0), &error));
  for (guint i = 1; i < dovecot->len; i++)
    {
      MailImapResponse *resp = g_ptr_array_index (dovecot, i);
      const char *tag = mail_imap_response_get_tag (resp);

      if (mail_imap_response_get_kind (resp) == MAIL_IMAP_RESPONSE_UNTAGGED)
        {
          if (g_strcmp0 (mail_imap_response_get_name (resp), "FLAGS") == 0 &&
              state == MAIL_IMAP_STATE_AUTHENTICATED)
            state = MAIL_IMAP_STATE_SELECTED;  /* SELECT sent */
          if (g_strcmp0 (mail_imap_response_get_name (resp), "BYE") == 0)
            state = MAIL_IMAP_STATE_LOGOUT;

          if (!mail_imap_validate_untagged (state, exists, resp, &error))
            {
              g_autofree char *dump = mail_imap_response_dump (resp);

              g_error ("response %u rejected in %s: %s (%s)", i,
                       mail_imap_state_to_string (state), dump, error->message);
            }

          if (mail_imap_response_is_name (resp, "EXISTS"))
            exists = mail_imap_response_get_number (resp);
          else if (mail_imap_response_is_name (resp, "EXPUNGE"))
            exists--;
        }
      else if (g_strcmp0 (tag, "A1") == 0)
        {
          state = MAIL_IMAP_STATE_AUTHENTICATED;
        }
    }
}

/* A transcript captured from the project's Dovecot 2.3 test stack (build-aux/mail-stack):
 * login, ID, ENABLE, NAMESPACE, CREATE, LIST-STATUS, APPEND, SELECT (CONDSTORE), FETCH of
 * ENVELOPE/BODYSTRUCTURE/sections/BINARY, ESEARCH, SEARCH, COPY, STATUS, STORE, errors,
 * EXAMINE, LOGOUT. Every response must parse and every typed decoder must accept it. */
static void
test_real_dovecot (void)
{
  g_autoptr(GPtrArray) real = load_transcript ("imap/dovecot-real.txt");
  g_autoptr(GError) error = NULL;
  g_auto(MailImapSelectInfo) info = { 0 };
  guint n_fetch = 0, n_list = 0, n_status = 0;
  MailImapState state = MAIL_IMAP_STATE_NOT_AUTHENTICATED;
  guint32 exists = 0;

  g_assert_true (mail_imap_validate_greeting (g_ptr_array_index (real, 0), &error));
  g_assert_no_error (error);

  for (guint i = 1; i < real->len; i++)
    {
      MailImapResponse *resp = g_ptr_array_index (real, i);
      const char *name = mail_imap_response_get_name (resp);
      const char *tag = mail_imap_response_get_tag (resp);

      if (tag != NULL)
        {
          if (strcmp (tag, "A1") == 0)
            {
              g_auto(GStrv) caps = mail_imap_decode_capability (resp, &error);

              g_assert_no_error (error);
              g_assert_true (mail_imap_capabilities_has ((const char * const *) caps, "QRESYNC"));
              state = MAIL_IMAP_STATE_AUTHENTICATED;
            }
          else if (strcmp (tag, "C1") == 0 || strcmp (tag, "D1") == 0 ||
                   strcmp (tag, "D4") == 0)
            {
              g_assert_true (mail_imap_select_info_update (&info, resp, &error));
            }
          else if (strcmp (tag, "C7") == 0)
            {
              g_autoptr(MailImapSequenceSet) src = NULL;
              g_autoptr(MailImapSequenceSet) dst = NULL;
              guint32 uidvalidity;

              g_assert_true (mail_imap_decode_copyuid (resp, &uidvalidity, &src, &dst, &error));
              g_assert_cmpuint (mail_imap_sequence_set_count (dst), ==, 2);
            }
          else if (g_str_has_prefix (tag, "B"))
            {
              g_autoptr(MailImapSequenceSet) uids = NULL;
              guint32 uidvalidity;

              g_assert_true (mail_imap_decode_appenduid (resp, &uidvalidity, &uids, &error));
              g_assert_cmpuint (mail_imap_sequence_set_count (uids), ==, 1);
            }
          else if (strcmp (tag, "D2") == 0)
            {
              g_assert_cmpint (mail_imap_response_get_status (resp), ==, MAIL_IMAP_STATUS_NO);
              state = MAIL_IMAP_STATE_AUTHENTICATED;
            }
          g_assert_no_error (error);
          continue;
        }

      if (mail_imap_response_get_kind (resp) != MAIL_IMAP_RESPONSE_UNTAGGED)
        continue;

      if (strcmp (name, "FLAGS") == 0)
        {
          state = MAIL_IMAP_STATE_SELECTED;
          mail_imap_select_info_clear (&info);
        }
      if (strcmp (name, "BYE") == 0)
        state = MAIL_IMAP_STATE_LOGOUT;

      g_assert_true (mail_imap_validate_untagged (state, exists, resp, &error));
      g_assert_no_error (error);
      g_assert_true (mail_imap_select_info_update (&info, resp, &error));
      g_assert_no_error (error);

      if (strcmp (name, "EXISTS") == 0)
        exists = mail_imap_response_get_number (resp);

      if (strcmp (name, "FETCH") == 0)
        {
          g_autoptr(MailImapFetch) fetch = mail_imap_decode_fetch (resp, &error);

          g_assert_no_error (error);
          n_fetch++;
          if (fetch->seqno == 1 && fetch->body != NULL)
            {
              const MailImapBodyPart *pdf = mail_imap_body_part_find (fetch->body, "2");
              const MailImapBodyPart *png = mail_imap_body_part_find (fetch->body, "3");
              const MailImapBodyPart *inner = mail_imap_body_part_find (fetch->body, "4.1");
              MailImapEnvelope *env = fetch->envelope;

              g_assert_cmpstr (fetch->body->subtype, ==, "mixed");
              g_assert_cmpstr (mail_imap_body_part_find (fetch->body, "1")->subtype, ==,
                               "alternative");
              g_assert_cmpstr (mail_imap_body_part_find (fetch->body, "1.2")->subtype, ==,
                               "html");
              g_assert_cmpstr (pdf->subtype, ==, "pdf");
              g_assert_cmpstr (pdf->disposition, ==, "attachment");
              g_assert_cmpstr (png->filename, ==, "../../etc/passwd");
              g_assert_cmpstr (inner->type, ==, "text");
              g_assert_cmpuint (mail_imap_body_part_count (fetch->body), ==, 8);
              g_assert_true (fetch->fields & MAIL_IMAP_FETCH_MODSEQ);
              g_assert_nonnull (fetch->internaldate);
              g_assert_cmpuint (env->to->len, ==, 2);
              g_assert_cmpstr (address_at (env->to, 1)->group, ==, "undisclosed-recipients");
              g_assert_cmpuint (env->cc->len, ==, 2);
              g_assert_cmpstr (address_at (env->cc, 1)->name, ==, "Doe, Jane");
              g_assert_cmpstr (address_at (env->cc, 1)->group, ==, "team");
              g_assert_true (g_str_has_prefix (env->subject, "=?utf-8?b?"));
            }
          if (fetch->seqno == 2 && mail_imap_fetch_find_section (fetch, "") != NULL)
            {
              const MailImapFetchSection *whole = mail_imap_fetch_find_section (fetch, "");
              const MailImapFetchSection *bin = mail_imap_fetch_find_section (fetch, "1");

              g_assert_cmpuint (whole->value->len, ==, 5438);
              g_assert_true (bin->binary);
              g_assert_true (bin->value->binary);
              g_assert_cmpuint (bin->value->len, ==, 5002);
            }
        }
      else if (strcmp (name, "LIST") == 0)
        {
          g_autoptr(MailImapListEntry) entry = mail_imap_decode_list (resp, FALSE, &error);

          g_assert_no_error (error);
          n_list++;
        }
      else if (strcmp (name, "STATUS") == 0)
        {
          g_autoptr(MailImapStatusData) data = mail_imap_decode_status (resp, FALSE, &error);

          g_assert_no_error (error);
          n_status++;
        }
      else if (strcmp (name, "ESEARCH") == 0)
        {
          g_autoptr(MailImapEsearch) es = mail_imap_decode_esearch (resp, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (es->tag, ==, "C5");
          g_assert_cmpuint (es->count, ==, 4);
        }
      else if (strcmp (name, "NAMESPACE") == 0)
        {
          g_autoptr(MailImapNamespaces) ns = mail_imap_decode_namespace (resp, &error);

          g_assert_no_error (error);
        }
      else if (strcmp (name, "ID") == 0)
        {
          g_autoptr(GHashTable) id = mail_imap_decode_id (resp, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (g_hash_table_lookup (id, "name"), ==, "Dovecot");
        }
    }

  g_assert_cmpuint (n_fetch, ==, 4 + 4 + 1 + 1);
  g_assert_cmpuint (n_list, ==, 9);
  g_assert_cmpuint (n_list, ==, n_status - 1);
  g_assert_true (info.read_only);
  g_assert_cmpuint (info.exists, ==, 4);
  g_assert_false (info.can_create_keywords);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/imap/decode/capability", test_capability);
  g_test_add_func ("/engine/imap/decode/enabled-id-namespace", test_enabled_id_namespace);
  g_test_add_func ("/engine/imap/decode/list", test_list);
  g_test_add_func ("/engine/imap/decode/status", test_status);
  g_test_add_func ("/engine/imap/decode/select", test_select);
  g_test_add_func ("/engine/imap/decode/fetch-rfc3501", test_fetch_rfc3501);
  g_test_add_func ("/engine/imap/decode/fetch-exchange", test_fetch_exchange);
  g_test_add_func ("/engine/imap/decode/fetch-sections", test_fetch_sections);
  g_test_add_func ("/engine/imap/decode/fetch-errors", test_fetch_errors);
  g_test_add_func ("/engine/imap/decode/bodystructure-deep", test_bodystructure_deep);
  g_test_add_func ("/engine/imap/decode/search", test_search);
  g_test_add_func ("/engine/imap/decode/vanished", test_vanished);
  g_test_add_func ("/engine/imap/decode/uidplus", test_uidplus);
  g_test_add_func ("/engine/imap/state/not-authenticated", test_state_not_authenticated);
  g_test_add_func ("/engine/imap/state/authenticated-selected",
                   test_state_authenticated_selected);
  g_test_add_func ("/engine/imap/state/greeting-tags", test_state_greeting_tags);
  g_test_add_func ("/engine/imap/state/transcript", test_transcript_states);
  g_test_add_func ("/engine/imap/decode/real-dovecot", test_real_dovecot);

  return g_test_run ();
}
