-- 0001-initial.sql
--
-- Copyright 2026 The Example Mail authors
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The first schema of an account's store. Applied in one transaction by
-- mail-store-migrations.c, which then sets PRAGMA user_version = 1.

CREATE TABLE folders (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  delimiter      TEXT,
  special_use    TEXT,
  uidvalidity    INTEGER NOT NULL DEFAULT 0,
  uidnext        INTEGER NOT NULL DEFAULT 0,
  highestmodseq  INTEGER NOT NULL DEFAULT 0,
  subscribed     INTEGER NOT NULL DEFAULT 1,
  total_count    INTEGER NOT NULL DEFAULT 0,
  unread_count   INTEGER NOT NULL DEFAULT 0
);

-- One row per conversation. subject_key is the normalised subject, used as the fallback when a
-- reply carries neither References nor In-Reply-To.
CREATE TABLE threads (
  id           INTEGER PRIMARY KEY,
  subject_key  TEXT
);
CREATE INDEX threads_subject ON threads (subject_key);

-- Every Message-ID seen (of a message, or named in its References/In-Reply-To) and the thread
-- it belongs to. A parent that arrives after its child finds its thread here.
CREATE TABLE thread_refs (
  message_id  TEXT PRIMARY KEY,
  thread_id   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX thread_refs_thread ON thread_refs (thread_id);

-- flags: 1 seen, 2 answered, 4 flagged, 8 deleted, 16 draft (MailMessageFlags).
-- date: Unix time of the Date header, or of the internal date when there is none; the sort key.
CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  folder_id       INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uid             INTEGER NOT NULL,
  flags           INTEGER NOT NULL DEFAULT 0,
  keywords        TEXT,
  internal_date   INTEGER NOT NULL DEFAULT 0,
  date            INTEGER NOT NULL DEFAULT 0,
  size            INTEGER NOT NULL DEFAULT 0,
  sender_name     TEXT,
  sender_address  TEXT,
  recipients      TEXT,
  subject         TEXT,
  message_id      TEXT,
  in_reply_to     TEXT,
  refs            TEXT,
  thread_id       INTEGER NOT NULL DEFAULT 0,
  preview         TEXT,
  has_attachment  INTEGER NOT NULL DEFAULT 0,
  body_structure  TEXT,
  UNIQUE (folder_id, uid)
);
CREATE INDEX messages_folder_date ON messages (folder_id, date);
CREATE INDEX messages_date ON messages (date);
CREATE INDEX messages_folder_unread ON messages (folder_id, date) WHERE (flags & 1) = 0;
CREATE INDEX messages_folder_flagged ON messages (folder_id, date) WHERE (flags & 4) != 0;
CREATE INDEX messages_folder_attachment ON messages (folder_id, date) WHERE has_attachment = 1;
-- Covering index for the rows found by a search: checks folder and filters and gives the sort
-- key without reading the (large) table rows.
CREATE INDEX messages_key ON messages (id, folder_id, date, flags, has_attachment);
CREATE INDEX messages_thread ON messages (thread_id);
CREATE INDEX messages_message_id ON messages (message_id);

-- Cheap counts: kept by triggers, read without scanning.
CREATE TRIGGER messages_count_insert AFTER INSERT ON messages
BEGIN
  UPDATE folders SET total_count = total_count + 1,
                     unread_count = unread_count + ((new.flags & 1) = 0)
   WHERE id = new.folder_id;
END;

CREATE TRIGGER messages_count_delete AFTER DELETE ON messages
BEGIN
  UPDATE folders SET total_count = total_count - 1,
                     unread_count = unread_count - ((old.flags & 1) = 0)
   WHERE id = old.folder_id;
END;

CREATE TRIGGER messages_count_update AFTER UPDATE OF flags ON messages
  WHEN (old.flags & 1) != (new.flags & 1)
BEGIN
  UPDATE folders SET unread_count = unread_count + ((new.flags & 1) = 0) - ((old.flags & 1) = 0)
   WHERE id = new.folder_id;
END;

-- Raw RFC 822 bytes. sha256 is checked on every read, so damaged bytes are never returned.
CREATE TABLE bodies (
  message_id  INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  size        INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  data        BLOB NOT NULL
);

-- Plain text of a body for the search index (HTML reduced to text).
CREATE TABLE message_text (
  message_id  INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  body        TEXT
);

-- The external content the full-text index reads back from.
CREATE VIEW messages_fts_content AS
  SELECT m.id AS id,
         m.subject AS subject,
         coalesce (m.sender_name, '') || ' ' || coalesce (m.sender_address, '') AS sender,
         m.recipients AS recipients,
         t.body AS body
    FROM messages m LEFT JOIN message_text t ON t.message_id = m.id;

CREATE VIRTUAL TABLE messages_fts USING fts5 (
  subject, sender, recipients, body,
  content = 'messages_fts_content',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Keep the index in step with messages and message_text. A 'delete' must repeat exactly the
-- values that were indexed, which is why the body text is looked up here.
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
BEGIN
  INSERT INTO messages_fts (rowid, subject, sender, recipients, body)
  VALUES (new.id, new.subject,
          coalesce (new.sender_name, '') || ' ' || coalesce (new.sender_address, ''),
          new.recipients, NULL);
END;

CREATE TRIGGER messages_fts_delete BEFORE DELETE ON messages
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, sender, recipients, body)
  VALUES ('delete', old.id, old.subject,
          coalesce (old.sender_name, '') || ' ' || coalesce (old.sender_address, ''),
          old.recipients, (SELECT body FROM message_text WHERE message_id = old.id));
END;

CREATE TRIGGER messages_fts_update
  AFTER UPDATE OF subject, sender_name, sender_address, recipients ON messages
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, sender, recipients, body)
  VALUES ('delete', old.id, old.subject,
          coalesce (old.sender_name, '') || ' ' || coalesce (old.sender_address, ''),
          old.recipients, (SELECT body FROM message_text WHERE message_id = old.id));
  INSERT INTO messages_fts (rowid, subject, sender, recipients, body)
  VALUES (new.id, new.subject,
          coalesce (new.sender_name, '') || ' ' || coalesce (new.sender_address, ''),
          new.recipients, (SELECT body FROM message_text WHERE message_id = new.id));
END;

CREATE TRIGGER message_text_insert AFTER INSERT ON message_text
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, sender, recipients, body)
  SELECT 'delete', m.id, m.subject,
         coalesce (m.sender_name, '') || ' ' || coalesce (m.sender_address, ''),
         m.recipients, NULL
    FROM messages m WHERE m.id = new.message_id;
  INSERT INTO messages_fts (rowid, subject, sender, recipients, body)
  SELECT m.id, m.subject,
         coalesce (m.sender_name, '') || ' ' || coalesce (m.sender_address, ''),
         m.recipients, new.body
    FROM messages m WHERE m.id = new.message_id;
END;

CREATE TRIGGER message_text_update AFTER UPDATE OF body ON message_text
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, sender, recipients, body)
  SELECT 'delete', m.id, m.subject,
         coalesce (m.sender_name, '') || ' ' || coalesce (m.sender_address, ''),
         m.recipients, old.body
    FROM messages m WHERE m.id = new.message_id;
  INSERT INTO messages_fts (rowid, subject, sender, recipients, body)
  SELECT m.id, m.subject,
         coalesce (m.sender_name, '') || ' ' || coalesce (m.sender_address, ''),
         m.recipients, new.body
    FROM messages m WHERE m.id = new.message_id;
END;

-- Local operations not yet replayed on the server. state: 0 pending, 1 running, 2 failed.
-- args is a serialised GVariant of type args_type.
CREATE TABLE ops (
  id          INTEGER PRIMARY KEY,
  kind        INTEGER NOT NULL,
  folder_id   INTEGER,
  args_type   TEXT NOT NULL,
  args        BLOB NOT NULL,
  state       INTEGER NOT NULL DEFAULT 0,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created     INTEGER NOT NULL
);
CREATE INDEX ops_state ON ops (state, id);
