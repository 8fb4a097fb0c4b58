-- 0002-pop3-uidls.sql
--
-- Copyright 2026 The Example Mail authors
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- POP3 has no UIDs of its own that fit messages.uid: a message is known by its UIDL string.
-- The sync engine gives each UIDL a local uid in its folder and remembers when it first saw it
-- (for "delete from the server after N days"). A row is written with stored = 0 *before* the
-- message is inserted and set to 1 in a later transaction once summary and body are committed,
-- so a crash in between is found on the next sync (the partial message is replaced under the
-- same uid) and never gives a duplicate.

CREATE TABLE pop3_uidls (
  folder_id   INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uidl        TEXT NOT NULL,
  uid         INTEGER NOT NULL,
  first_seen  INTEGER NOT NULL,
  stored      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (folder_id, uidl)
) WITHOUT ROWID;
CREATE UNIQUE INDEX pop3_uidls_uid ON pop3_uidls (folder_id, uid);
