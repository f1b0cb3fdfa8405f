package vault

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] brings the schema from version i to i+1 (PRAGMA user_version). They
// only ever grow: a released migration is never edited.
var migrations = []string{
	// 1: notes and their full-text index.
	`
CREATE TABLE notes (
	seq         INTEGER PRIMARY KEY,
	id          TEXT    NOT NULL UNIQUE,
	patient_ref TEXT    NOT NULL DEFAULT '',
	title       TEXT    NOT NULL,
	body        TEXT    NOT NULL,
	status      TEXT    NOT NULL CHECK (status IN ('draft', 'signed')),
	author      TEXT    NOT NULL,
	created_ms  INTEGER NOT NULL,
	updated_ms  INTEGER NOT NULL,
	signed_by   TEXT,
	signed_ms   INTEGER,
	exported_ms INTEGER
);
CREATE INDEX notes_by_updated ON notes (updated_ms);
CREATE INDEX notes_by_patient ON notes (patient_ref);

CREATE TRIGGER notes_signed_are_immutable
BEFORE UPDATE OF patient_ref, title, body, author, created_ms ON notes
WHEN OLD.status = 'signed'
BEGIN
	SELECT RAISE(ABORT, 'signed notes are immutable');
END;

CREATE VIRTUAL TABLE notes_fts USING fts5(
	title, body,
	content = 'notes', content_rowid = 'seq',
	tokenize = 'unicode61 remove_diacritics 2'
);
-- Deleted notes leave no trace in the index's pages (FTS5 secure-delete).
INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
	INSERT INTO notes_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
	INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF title, body ON notes BEGIN
	INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
	INSERT INTO notes_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
`,
	// 2: Vellum users and sessions (access), and whose notes are whose.
	`
CREATE TABLE users (
	id              TEXT    PRIMARY KEY,
	username        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
	display_name    TEXT    NOT NULL,
	role            TEXT    NOT NULL CHECK (role IN ('physician', 'scribe', 'auditor', 'admin')),
	acting_for      TEXT    NOT NULL DEFAULT '',
	password_hash   TEXT    NOT NULL,
	totp_secret     BLOB,
	totp_last_step  INTEGER NOT NULL DEFAULT 0,
	disabled        INTEGER NOT NULL DEFAULT 0,
	failed_attempts INTEGER NOT NULL DEFAULT 0,
	lockouts        INTEGER NOT NULL DEFAULT 0,
	locked_until_ms INTEGER NOT NULL DEFAULT 0,
	created_ms      INTEGER NOT NULL
);
CREATE TABLE sessions (
	id                   TEXT    PRIMARY KEY,
	token_hash           BLOB    NOT NULL UNIQUE,
	user_id              TEXT    NOT NULL REFERENCES users (id),
	created_ms           INTEGER NOT NULL,
	last_active_ms       INTEGER NOT NULL,
	locked               INTEGER NOT NULL DEFAULT 0,
	break_glass_reason   TEXT    NOT NULL DEFAULT '',
	break_glass_until_ms INTEGER NOT NULL DEFAULT 0
);
-- The physician a note belongs to: its author, or the physician a scribe drafted for.
ALTER TABLE notes ADD COLUMN owner TEXT NOT NULL DEFAULT '';
UPDATE notes SET owner = author;
CREATE INDEX notes_by_owner ON notes (owner, updated_ms);
`,
	// 3: small named values the app keeps between runs (State, SetState).
	`
CREATE TABLE state (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`,
	// 4: the audit journal (package audit): records reference patients, so they live
	// encrypted here, and an append is as durable as a note.
	`
CREATE TABLE audit_records (
	device TEXT    NOT NULL,
	seq    INTEGER NOT NULL,
	line   TEXT    NOT NULL,
	hash   TEXT    NOT NULL,
	PRIMARY KEY (device, seq)
) WITHOUT ROWID;
CREATE TABLE audit_heads (
	device TEXT    NOT NULL,
	seq    INTEGER NOT NULL,
	hash   TEXT    NOT NULL,
	sig    TEXT    NOT NULL,
	PRIMARY KEY (device, seq)
) WITHOUT ROWID;
`,
	// 5: a scribe's assignment waits for the physician's approval.
	`
ALTER TABLE users ADD COLUMN pending_for TEXT NOT NULL DEFAULT '';
`,
	// 6: addenda, the only way a signed note changes. They are append-only and go
	// with their note when retention removes it.
	`
CREATE TABLE addenda (
	seq        INTEGER PRIMARY KEY,
	id         TEXT    NOT NULL UNIQUE,
	note_id    TEXT    NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	body       TEXT    NOT NULL,
	author     TEXT    NOT NULL,
	created_ms INTEGER NOT NULL
);
CREATE INDEX addenda_by_note ON addenda (note_id, seq);

CREATE TRIGGER addenda_are_immutable
BEFORE UPDATE ON addenda
BEGIN
	SELECT RAISE(ABORT, 'addenda are immutable');
END;

CREATE TRIGGER addenda_to_signed_notes_only
BEFORE INSERT ON addenda
WHEN (SELECT status FROM notes WHERE id = NEW.note_id) IS NOT 'signed'
BEGIN
	SELECT RAISE(ABORT, 'addenda are added to signed notes only');
END;
`,
	// 7: provenance. Drafts a model wrote for a note are kept until it is signed;
	// signing stores which ranges of the signed text came from which model and
	// template and which are the physician's, and that record never changes.
	`
ALTER TABLE notes ADD COLUMN provenance TEXT;

CREATE TABLE note_drafts (
	seq          INTEGER PRIMARY KEY,
	note_id      TEXT    NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	text_sha256  TEXT    NOT NULL,
	text         TEXT    NOT NULL,
	model_sha256 TEXT    NOT NULL,
	template     TEXT    NOT NULL,
	created_ms   INTEGER NOT NULL,
	UNIQUE (note_id, text_sha256)
);

CREATE TRIGGER notes_provenance_is_immutable
BEFORE UPDATE OF provenance ON notes
WHEN OLD.status = 'signed'
BEGIN
	SELECT RAISE(ABORT, 'the provenance of a signed note is immutable');
END;
`,
	// 8: a signed note stays signed, and its addenda go only with it (retention's
	// delete of the note cascades after the note's row is gone).
	`
CREATE TRIGGER notes_stay_signed
BEFORE UPDATE OF status, signed_by, signed_ms ON notes
WHEN OLD.status = 'signed'
BEGIN
	SELECT RAISE(ABORT, 'a signed note stays signed');
END;

CREATE TRIGGER addenda_go_only_with_their_note
BEFORE DELETE ON addenda
WHEN EXISTS (SELECT 1 FROM notes WHERE id = OLD.note_id)
BEGIN
	SELECT RAISE(ABORT, 'addenda are removed only with their note');
END;
`,
	// 9: what the grounding check found unsupported in each kept draft, so that
	// signing can demand its acknowledgement wherever the note is signed.
	`
ALTER TABLE note_drafts ADD COLUMN ungrounded TEXT NOT NULL DEFAULT '[]';
`,
	// 10: note keys (FORMAT.md, "Per-user note keys"). A sealed note keeps its text
	// only as ciphertext (sealed) under a data key sealed to its physician
	// (sealed_key); it leaves the full-text index for blind terms, and the triggers
	// that keep signed notes immutable let it be sealed once.
	`
CREATE TABLE user_keys (
	user_id TEXT PRIMARY KEY,
	public  TEXT NOT NULL,
	salt    BLOB NOT NULL,
	params  TEXT NOT NULL,
	wrapped BLOB NOT NULL
);
CREATE TABLE owner_keys (
	owner  TEXT PRIMARY KEY,
	public TEXT NOT NULL,
	escrow BLOB
);
CREATE TABLE note_key_holders (
	owner   TEXT NOT NULL REFERENCES owner_keys (owner),
	holder  TEXT NOT NULL,
	wrapped BLOB NOT NULL,
	PRIMARY KEY (owner, holder)
) WITHOUT ROWID;
-- A physician's approval of a scribe, made with the physician's key: rows an
-- attacker with the vault key can write cannot obtain that key.
CREATE TABLE scribe_approvals (
	owner  TEXT NOT NULL,
	scribe TEXT NOT NULL,
	public TEXT NOT NULL DEFAULT '',
	mac    BLOB NOT NULL,
	PRIMARY KEY (owner, scribe)
) WITHOUT ROWID;
CREATE TABLE session_keys (
	session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
	wrapped    BLOB NOT NULL
);
CREATE TABLE note_terms (
	term    BLOB NOT NULL,
	note_id TEXT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	PRIMARY KEY (term, note_id)
) WITHOUT ROWID;
CREATE INDEX note_terms_by_note ON note_terms (note_id);

ALTER TABLE notes ADD COLUMN sealed_key BLOB;
ALTER TABLE notes ADD COLUMN sealed BLOB;
ALTER TABLE addenda ADD COLUMN sealed BLOB;
ALTER TABLE note_drafts ADD COLUMN sealed BLOB;

DROP TRIGGER notes_fts_insert;
DROP TRIGGER notes_fts_delete;
DROP TRIGGER notes_fts_update;
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes WHEN new.sealed_key IS NULL BEGIN
	INSERT INTO notes_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes WHEN old.sealed_key IS NULL BEGIN
	INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
END;
-- One trigger, so that the old text leaves the index before the new one enters.
CREATE TRIGGER notes_fts_update AFTER UPDATE OF title, body, sealed_key ON notes BEGIN
	INSERT INTO notes_fts (notes_fts, rowid, title, body) SELECT 'delete', old.seq, old.title, old.body WHERE old.sealed_key IS NULL;
	INSERT INTO notes_fts (rowid, title, body) SELECT new.seq, new.title, new.body WHERE new.sealed_key IS NULL;
END;

-- A signed note changes once more: when it is sealed, and then never.
DROP TRIGGER notes_signed_are_immutable;
CREATE TRIGGER notes_signed_are_immutable
BEFORE UPDATE OF patient_ref, title, body, author, created_ms ON notes
WHEN OLD.status = 'signed' AND NOT (OLD.sealed_key IS NULL AND NEW.sealed_key IS NOT NULL AND NEW.sealed IS NOT NULL
	AND NEW.title = '' AND NEW.body = '' AND NEW.patient_ref IS OLD.patient_ref AND NEW.author IS OLD.author
	AND NEW.owner IS OLD.owner AND NEW.created_ms IS OLD.created_ms)
BEGIN
	SELECT RAISE(ABORT, 'signed notes are immutable');
END;
DROP TRIGGER notes_provenance_is_immutable;
CREATE TRIGGER notes_provenance_is_immutable
BEFORE UPDATE OF provenance ON notes
WHEN OLD.status = 'signed' AND NOT (OLD.sealed_key IS NULL AND NEW.sealed_key IS NOT NULL AND NEW.provenance IS NULL)
BEGIN
	SELECT RAISE(ABORT, 'the provenance of a signed note is immutable');
END;
CREATE TRIGGER notes_sealed_signed_are_immutable
BEFORE UPDATE OF sealed, sealed_key ON notes
WHEN OLD.status = 'signed' AND OLD.sealed_key IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'signed notes are immutable');
END;
DROP TRIGGER addenda_are_immutable;
CREATE TRIGGER addenda_are_immutable
BEFORE UPDATE ON addenda
WHEN NOT (OLD.sealed IS NULL AND NEW.sealed IS NOT NULL AND NEW.body = '' AND NEW.id IS OLD.id
	AND NEW.note_id IS OLD.note_id AND NEW.author IS OLD.author AND NEW.created_ms IS OLD.created_ms
	AND EXISTS (SELECT 1 FROM notes WHERE id = OLD.note_id AND sealed_key IS NOT NULL))
BEGIN
	SELECT RAISE(ABORT, 'addenda are immutable');
END;
`,
	// 11: approvals a physician's key must mark are frozen (FORMAT.md, "Approvals"):
	// those made before note keys are listed now, for their physician's first
	// sign-in with a key to mark, once; an approval marked before its scribe had a
	// key (bound to nothing, so replayable) is dropped, and the scribe waits for
	// their physician again.
	`
CREATE TABLE legacy_approvals (
	owner  TEXT NOT NULL,
	scribe TEXT NOT NULL,
	PRIMARY KEY (owner, scribe)
) WITHOUT ROWID;
INSERT INTO legacy_approvals (owner, scribe)
	SELECT acting_for, id FROM users WHERE role = 'scribe' AND acting_for <> '' AND pending_for = ''
	AND acting_for NOT IN (SELECT owner FROM owner_keys);
UPDATE users SET pending_for = acting_for, acting_for = ''
	WHERE role = 'scribe' AND acting_for <> '' AND pending_for = ''
	AND id IN (SELECT scribe FROM scribe_approvals WHERE public = '' AND owner = users.acting_for);
DELETE FROM scribe_approvals WHERE public = '';
DELETE FROM note_key_holders WHERE holder IN (SELECT id FROM users WHERE role = 'scribe' AND pending_for <> '');
`,
	// 12: approvals made before note keys are no longer marked at the physician's
	// first sign-in: legacy_approvals is rows like any other, and a row written there
	// would have been marked too. Their scribes wait for their physician, who
	// approves each at their side (FORMAT.md, "Approvals").
	`
UPDATE users SET pending_for = acting_for, acting_for = ''
	WHERE role = 'scribe' AND acting_for <> '' AND pending_for = ''
	AND id IN (SELECT scribe FROM legacy_approvals WHERE owner = users.acting_for);
DROP TABLE legacy_approvals;
`,
}

// SchemaVersion is the schema this build writes.
var SchemaVersion = len(migrations)

func migrate(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var version int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate: %w", classifyOpenError(err))
		}
		if version > len(migrations) {
			tx.Rollback()
			return fmt.Errorf("%w (schema %d; this build knows up to %d)", ErrNewerSchema, version, len(migrations))
		}
		if version == len(migrations) {
			return tx.Rollback()
		}
		if _, err := tx.ExecContext(ctx, migrations[version]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to schema %d: %w", version+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to schema %d: %w", version+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", version+1, err)
		}
	}
}
