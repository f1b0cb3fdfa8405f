package vault

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Status is a note's place in its life: a draft may change, a signed note may not.
type Status string

const (
	Draft  Status = "draft"
	Signed Status = "signed"
)

// Note is one clinical note. PatientRef, Title and Body are PHI: they stay inside the
// vault and never reach a log, an error or an audit record.
type Note struct {
	ID         string `json:"id"`
	PatientRef string `json:"patient_ref"`
	Title      string `json:"title"`
	Body       string `json:"body,omitempty"`
	Status     Status `json:"status"`
	Author     string `json:"author"`
	// Owner is the physician the note belongs to: its author, or the physician a
	// scribe drafted it for.
	Owner    string    `json:"owner,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	SignedBy string    `json:"signed_by,omitempty"`
	Signed   time.Time `json:"signed,omitzero"`
	Exported time.Time `json:"exported,omitzero"`
	// Addenda of a signed note, oldest first. Note fills them in; lists and searches
	// leave them out, as they leave out the body.
	Addenda []Addendum `json:"addenda,omitempty"`
	// Provenance of a signed note's body: which ranges came from which model and
	// template, and which are the physician's (vault.Attribute). Empty for drafts and
	// for notes signed before Vellum kept it.
	Provenance []Origin `json:"provenance,omitempty"`
}

// NewNote is what AddNote needs.
type NewNote struct {
	PatientRef string
	Title      string
	Body       string
	Author     string
	Owner      string // empty: the author
}

func newNoteID() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "n_" + hex.EncodeToString(b)
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// AddNote stores a new draft. It returns once the note is durable.
func (v *Vault) AddNote(ctx context.Context, n NewNote) (Note, error) {
	return addNote(ctx, v.db, v.opts.now(), n)
}

func addNote(ctx context.Context, db execer, now time.Time, n NewNote) (Note, error) {
	if strings.TrimSpace(n.Title) == "" {
		return Note{}, errors.New("add note: the title is empty")
	}
	if n.Author == "" {
		return Note{}, errors.New("add note: no author")
	}
	if err := checkSize(n.PatientRef, n.Title, n.Body); err != nil {
		return Note{}, fmt.Errorf("add note: %w", err)
	}
	now = now.Truncate(time.Millisecond)
	note := Note{
		ID: newNoteID(), PatientRef: n.PatientRef, Title: n.Title, Body: n.Body,
		Status: Draft, Author: n.Author, Owner: n.Owner, Created: now, Updated: now,
	}
	if note.Owner == "" {
		note.Owner = n.Author
	}
	if err := insertNote(ctx, db, note); err != nil {
		return Note{}, fmt.Errorf("add note: %w", err)
	}
	return note, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertNote(ctx context.Context, db execer, n Note) error {
	owner := n.Owner
	if owner == "" {
		owner = n.Author
	}
	var prov any
	if n.Provenance != nil {
		b, err := json.Marshal(n.Provenance)
		if err != nil {
			return err
		}
		prov = string(b)
	}
	_, err := db.ExecContext(ctx, `INSERT INTO notes (`+noteColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.PatientRef, n.Title, n.Body, n.Status, n.Author, owner, ms(n.Created), ms(n.Updated),
		nullString(n.SignedBy), nullMS(n.Signed), nullMS(n.Exported), prov)
	return err
}

// MaxNoteBytes bounds a note (patient reference, title and body together). Clinical
// notes are kilobytes; the bound keeps every note inside one backup line (FORMAT.md).
const MaxNoteBytes = 1 << 20

func checkSize(fields ...string) error {
	n := 0
	for _, f := range fields {
		n += len(f)
	}
	if n > MaxNoteBytes {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrNoteTooLarge, n, MaxNoteBytes)
	}
	return nil
}

const noteColumns = `id, patient_ref, title, body, status, author, owner, created_ms, updated_ms, signed_by, signed_ms, exported_ms, provenance`

type scanner interface{ Scan(...any) error }

// scanNote reads the noteColumns of a row, then any extra columns into extra.
func scanNote(s scanner, extra ...any) (Note, error) {
	var n Note
	var created, updated int64
	var signedBy sql.NullString
	var signed, exported sql.NullInt64
	var prov sql.NullString
	dest := append([]any{&n.ID, &n.PatientRef, &n.Title, &n.Body, &n.Status, &n.Author, &n.Owner,
		&created, &updated, &signedBy, &signed, &exported, &prov}, extra...)
	err := s.Scan(dest...)
	if err != nil {
		return Note{}, err
	}
	n.Created = time.UnixMilli(created).UTC()
	n.Updated = time.UnixMilli(updated).UTC()
	n.SignedBy = signedBy.String
	n.Signed = fromMS(signed)
	n.Exported = fromMS(exported)
	if prov.Valid && prov.String != "" {
		if err := json.Unmarshal([]byte(prov.String), &n.Provenance); err != nil {
			return Note{}, fmt.Errorf("note %s: its provenance is unreadable: %w", n.ID, err)
		}
	}
	return n, nil
}

// Note returns one note, body included.
func (v *Vault) Note(ctx context.Context, id string) (Note, error) { return note(ctx, v.db, id) }

func note(ctx context.Context, db conn, id string) (Note, error) {
	n, err := scanNote(db.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM notes WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Note{}, fmt.Errorf("note %s: %w", id, ErrNoteNotFound)
	}
	if err != nil {
		return Note{}, fmt.Errorf("note %s: %w", id, err)
	}
	if n.Addenda, err = addenda(ctx, db, id); err != nil {
		return Note{}, fmt.Errorf("note %s: %w", id, err)
	}
	return n, nil
}

// Filter narrows Notes and Search.
type Filter struct {
	// Owner keeps only the notes of this physician; empty keeps all.
	Owner string
	// Limit is the most results; <= 0 means no limit for Notes and 50 for Search.
	Limit int
}

// Notes lists notes, most recently changed first, without their bodies.
func (v *Vault) Notes(ctx context.Context, f Filter) ([]Note, error) { return notes(ctx, v.db, f) }

func notes(ctx context.Context, db conn, f Filter) ([]Note, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.QueryContext(ctx, `SELECT id, patient_ref, title, '', status, author, owner,
		created_ms, updated_ms, signed_by, signed_ms, exported_ms, NULL
		FROM notes WHERE ? = '' OR owner = ? ORDER BY updated_ms DESC, seq DESC LIMIT ?`, f.Owner, f.Owner, limit)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, fmt.Errorf("list notes: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Hit is a search result: the note without its body, and a snippet of the matching
// text with the matched terms between « and ».
type Hit struct {
	Note
	Snippet string `json:"snippet"`
}

// Search finds notes whose title or body contain every word of query (the last word
// also as a prefix), best match first. The query is taken as words, never as FTS5
// syntax, so no input can make it fail.
func (v *Vault) Search(ctx context.Context, query string, f Filter) ([]Hit, error) {
	return search(ctx, v.db, query, f)
}

func search(ctx context.Context, db conn, query string, f Filter) ([]Hit, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.QueryContext(ctx, `SELECT n.id, n.patient_ref, n.title, '', n.status, n.author, n.owner,
		n.created_ms, n.updated_ms, n.signed_by, n.signed_ms, n.exported_ms, NULL,
		snippet(notes_fts, 1, '«', '»', '…', 12)
		FROM notes_fts JOIN notes n ON n.seq = notes_fts.rowid
		WHERE notes_fts MATCH ? AND (? = '' OR n.owner = ?) ORDER BY rank LIMIT ?`, match, f.Owner, f.Owner, limit)
	if err != nil {
		return nil, fmt.Errorf("search notes: %w", err)
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		var h Hit
		if h.Note, err = scanNote(rows, &h.Snippet); err != nil {
			return nil, fmt.Errorf("search notes: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// ftsQuery turns free text into an FTS5 query: each word quoted (so operators and
// punctuation are just text), all required, the last one also matching as a prefix.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) == 0 {
		return ""
	}
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	words[len(words)-1] += "*"
	return strings.Join(words, " ")
}

// EditNote replaces a draft's title and body. A signed note returns ErrSigned.
func (v *Vault) EditNote(ctx context.Context, id, title, body string) error {
	return v.changeNote(ctx, id, "edit", editNote(ctx, id, title, body))
}

func editNote(ctx context.Context, id, title, body string) noteChange {
	return func(tx *sql.Tx, n Note, now int64) error {
		if n.Status == Signed {
			return ErrSigned
		}
		if err := checkSize(n.PatientRef, title, body); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE notes SET title = ?, body = ?, updated_ms = ? WHERE id = ?", title, body, now, id)
		return err
	}
}

// SignNote signs a draft as by. From then on it is immutable.
func (v *Vault) SignNote(ctx context.Context, id, by string) error {
	if by == "" {
		return errors.New("sign note: no signer")
	}
	return v.changeNote(ctx, id, "sign", signNote(ctx, id, by))
}

func signNote(ctx context.Context, id, by string) noteChange {
	return func(tx *sql.Tx, n Note, now int64) error {
		if n.Status == Signed {
			return ErrSigned
		}
		prov, err := provenanceAtSign(ctx, tx, id, n.Body)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE notes SET status = 'signed', signed_by = ?, signed_ms = ?, updated_ms = ?, provenance = ? WHERE id = ?", by, now, now, prov, id)
		return err
	}
}

// MarkExported records that a signed note reached the EHR with its first addenda
// addenda (the version released: note.export records the count); retention may then
// remove it after the configured time. A note that has gained an addendum since that
// version returns ErrNewerAddendum: the EHR has not had it, and the note must stay.
func (v *Vault) MarkExported(ctx context.Context, id string, addenda int) error {
	return v.changeNote(ctx, id, "mark exported", markExported(ctx, id, addenda))
}

func markExported(ctx context.Context, id string, addenda int) noteChange {
	return func(tx *sql.Tx, n Note, now int64) error {
		if n.Status != Signed {
			return ErrNotSigned
		}
		var have int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM addenda WHERE note_id = ?", id).Scan(&have); err != nil {
			return err
		}
		if have != addenda {
			return fmt.Errorf("%w (the note has %d, the version exported %d)", ErrNewerAddendum, have, addenda)
		}
		_, err := tx.ExecContext(ctx, "UPDATE notes SET exported_ms = ? WHERE id = ?", now, id)
		return err
	}
}

// DeleteDraft removes a draft (secure delete: its pages are zeroed). Signed notes are
// removed only by retention, after export.
func (v *Vault) DeleteDraft(ctx context.Context, id string) error {
	return v.changeNote(ctx, id, "delete", deleteDraft(ctx, id))
}

func deleteDraft(ctx context.Context, id string) noteChange {
	return func(tx *sql.Tx, n Note, now int64) error {
		if n.Status == Signed {
			return ErrSigned
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM notes WHERE id = ?", id)
		return err
	}
}

// noteChange changes one note inside a transaction, given the note as it is there and
// the time in milliseconds.
type noteChange func(tx *sql.Tx, n Note, now int64) error

func (v *Vault) changeNote(ctx context.Context, id, what string, fn noteChange) error {
	tx, err := v.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s note %s: %w", what, id, err)
	}
	defer tx.Rollback()
	if err := changeNoteIn(ctx, tx, v.opts.now(), id, what, fn); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s note %s: %w", what, id, err)
	}
	return nil
}

// changeNoteIn applies fn to the note id inside tx.
func changeNoteIn(ctx context.Context, tx *sql.Tx, now time.Time, id, what string, fn noteChange) error {
	n, err := scanNote(tx.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM notes WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s note %s: %w", what, id, ErrNoteNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s note %s: %w", what, id, err)
	}
	if err := fn(tx, n, ms(now)); err != nil {
		return fmt.Errorf("%s note %s: %w", what, id, err)
	}
	return nil
}

// ReassignNotes gives every note owned by from to the physician to. Vaults written
// before Vellum had users name the OS account as owner; an admin maps it to the
// physician's user once. Authors and signers stay as recorded: history is not
// rewritten, and signed notes stay immutable.
func (v *Vault) ReassignNotes(ctx context.Context, from, to string) (int, error) {
	return reassignNotes(ctx, v.db, from, to)
}

func reassignNotes(ctx context.Context, db conn, from, to string) (int, error) {
	res, err := db.ExecContext(ctx, "UPDATE notes SET owner = ? WHERE owner = ?", to, from)
	if err != nil {
		return 0, fmt.Errorf("reassign notes: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
