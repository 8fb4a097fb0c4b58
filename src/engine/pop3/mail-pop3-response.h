/* mail-pop3-response.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 2449 allows 512 octets per response line; allow more, but cap it. */
#define MAIL_POP3_MAX_LINE_LENGTH   4096
/* Caps for multi-line listings (CAPA, LIST, UIDL); message bodies have their own cap. */
#define MAIL_POP3_MAX_LIST_LINES    1000000
#define MAIL_POP3_MAX_LIST_BYTES    (64 * 1024 * 1024)
/* RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E. */
#define MAIL_POP3_MAX_UID_LENGTH    70

/**
 * MailPop3Status:
 * @MAIL_POP3_STATUS_OK: `+OK`
 * @MAIL_POP3_STATUS_ERR: `-ERR`
 * @MAIL_POP3_STATUS_CONTINUE: `+ ` (a SASL challenge, only during AUTH)
 *
 * The status indicator of a response line.
 */
typedef enum
{
  MAIL_POP3_STATUS_OK,
  MAIL_POP3_STATUS_ERR,
  MAIL_POP3_STATUS_CONTINUE,
} MailPop3Status;

typedef struct _MailPop3Response  MailPop3Response;
typedef struct _MailPop3Multiline MailPop3Multiline;

/**
 * MailPop3ListEntry:
 * @msgno: the message number, 1 or more
 * @size: the size in octets (LIST), or 0 (UIDL)
 * @uid: (nullable): the unique id (UIDL), or %NULL (LIST)
 *
 * One line of a LIST or UIDL listing.
 */
typedef struct
{
  guint    msgno;
  guint64  size;
  char    *uid;
} MailPop3ListEntry;

MailPop3Response   *mail_pop3_response_parse          (const char              *line,
                                                       gsize                    len,
                                                       gboolean                 allow_continue,
                                                       GError                 **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
void                mail_pop3_response_free           (MailPop3Response        *response);
MailPop3Status      mail_pop3_response_get_status     (const MailPop3Response  *response);
gboolean            mail_pop3_response_is_ok          (const MailPop3Response  *response);
const char         *mail_pop3_response_get_code       (const MailPop3Response  *response);
gboolean            mail_pop3_response_has_code       (const MailPop3Response  *response,
                                                       const char              *code);
const char         *mail_pop3_response_get_text       (const MailPop3Response  *response);

gboolean            mail_pop3_unstuff_line            (const char              *line,
                                                       gsize                    len,
                                                       gsize                   *offset);
MailPop3Multiline  *mail_pop3_multiline_new           (guint                    max_lines,
                                                       gsize                    max_bytes)
                                                      G_GNUC_WARN_UNUSED_RESULT;
void                mail_pop3_multiline_free          (MailPop3Multiline       *multiline);
gboolean            mail_pop3_multiline_feed          (MailPop3Multiline       *multiline,
                                                       const char              *line,
                                                       gsize                    len,
                                                       gboolean                *done,
                                                       GError                 **error);
const char * const *mail_pop3_multiline_get_lines     (const MailPop3Multiline *multiline);
guint               mail_pop3_multiline_get_n_lines   (const MailPop3Multiline *multiline);

gboolean            mail_pop3_parse_stat              (const char              *text,
                                                       guint                   *count,
                                                       guint64                 *size,
                                                       GError                 **error);
gboolean            mail_pop3_parse_list_line         (const char              *line,
                                                       MailPop3ListEntry       *entry,
                                                       GError                 **error);
gboolean            mail_pop3_parse_uidl_line         (const char              *line,
                                                       MailPop3ListEntry       *entry,
                                                       GError                 **error);
GArray             *mail_pop3_parse_listing           (const char * const      *lines,
                                                       gboolean                 uidl,
                                                       GError                 **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
char               *mail_pop3_greeting_get_timestamp  (const char              *text)
                                                      G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailPop3Response, mail_pop3_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailPop3Multiline, mail_pop3_multiline_free)

G_END_DECLS
