package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
)

// Journal seals the audit records that Update commits with a change: *audit.Log is
// one. Tests wrap it to make the journal fail at a chosen write.
type Journal interface {
	// Device is the device id the journal's records carry.
	Device() string
	// Seal numbers, chains, dates and signs entries after the head (seq, hash).
	Seal(seq uint64, hash string, entries []audit.Entry) ([]audit.Stored, audit.Head, error)
}

// Tx is one write transaction of the vault. What is changed through it, and the audit
// records added with Record, commit together in Update, or none of it does: a change
// is never stored without the record that describes it, and no record claims a
// change that did not happen. Its methods are those of the Vault, bound to the
// transaction; it is access's Store too, so that a sign-in's session and lockout
// count commit with their records. A Tx is used by one goroutine, inside Update only.
type Tx struct {
	v       *Vault
	tx      *sql.Tx
	entries []audit.Entry
	// keys open the sealed notes of the physicians the session holds keys of.
	keys *Keys
}

var _ access.Store = (*Tx)(nil)

// Update runs fn in one write transaction (BEGIN IMMEDIATE: one writer at a time,
// across processes), then seals the entries fn recorded with j, from the journal's
// head as it is inside the transaction, and commits the change and its records
// together. If fn fails, or the records cannot be sealed or stored, nothing is
// written and the error is returned.
func (v *Vault) Update(ctx context.Context, j Journal, fn func(tx *Tx) error) error {
	sqlTx, err := v.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	t := &Tx{v: v, tx: sqlTx}
	if err := fn(t); err != nil {
		return err
	}
	if len(t.entries) > 0 {
		if err := appendRecords(ctx, sqlTx, j, t.entries); err != nil {
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Record adds an audit record to the transaction: it is sealed and stored at commit.
func (t *Tx) Record(e audit.Entry) { t.entries = append(t.entries, e) }

// appendRecords seals entries after the device's head as the transaction sees it and
// stores them with their signed head.
func appendRecords(ctx context.Context, tx *sql.Tx, j Journal, entries []audit.Entry) error {
	if j == nil {
		return errors.New("record: no audit journal is open")
	}
	device := j.Device()
	var seq uint64
	var hash string
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_records WHERE device = ? ORDER BY seq DESC LIMIT 1", device).Scan(&seq, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("record: %w", err)
	}
	records, head, err := j.Seal(seq, hash, entries)
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if err := storeRecords(ctx, tx, device, records, head); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	return nil
}

func storeRecords(ctx context.Context, tx *sql.Tx, device string, records []audit.Stored, head audit.Head) error {
	if len(records) == 0 {
		return nil
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO audit_records (device, seq, line, hash) VALUES (?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, r := range records {
		if _, err := ins.ExecContext(ctx, device, r.Seq, string(r.Line), r.Hash); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO audit_heads (device, seq, hash, sig) VALUES (?, ?, ?, ?)", device, head.Seq, head.Hash, head.Sig)
	return err
}

// Notes: the Vault's changes, inside the transaction.

// Note returns one note, body and addenda included, as the transaction sees it.
func (t *Tx) Note(ctx context.Context, id string) (Note, error) { return note(ctx, t.tx, t.keys, id) }

// AddNote stores a new draft.
func (t *Tx) AddNote(ctx context.Context, n NewNote) (Note, error) {
	return addNote(ctx, t.tx, t.keys, t.v.opts.now(), n)
}

// EditNote replaces a draft's title and body.
func (t *Tx) EditNote(ctx context.Context, id, title, body string) error {
	return changeNoteIn(ctx, t.tx, t.keys, t.v.opts.now(), id, "edit", editNote(ctx, id, title, body))
}

// SignNote signs a draft as by.
func (t *Tx) SignNote(ctx context.Context, id, by string) error {
	if by == "" {
		return errors.New("sign note: no signer")
	}
	return changeNoteIn(ctx, t.tx, t.keys, t.v.opts.now(), id, "sign", signNote(ctx, id, by))
}

// AddAddendum appends an addendum by author to a signed note.
func (t *Tx) AddAddendum(ctx context.Context, id, body, author string) (Addendum, error) {
	return addAddendum(ctx, t.tx, t.keys, t.v.opts.now(), id, body, author)
}

// MarkExported records that a signed note with addenda addenda reached the EHR.
func (t *Tx) MarkExported(ctx context.Context, id string, addenda int) error {
	return changeNoteIn(ctx, t.tx, t.keys, t.v.opts.now(), id, "mark exported", markExported(ctx, id, addenda))
}

// DeleteDraft removes a draft.
func (t *Tx) DeleteDraft(ctx context.Context, id string) error {
	return changeNoteIn(ctx, t.tx, t.keys, t.v.opts.now(), id, "delete", deleteDraft(ctx, id))
}

// ReassignNotes gives every note owned by from to the physician to.
func (t *Tx) ReassignNotes(ctx context.Context, from, to string) (int, error) {
	return reassignNotes(ctx, t.tx, from, to)
}

// State returns a named value.
func (t *Tx) State(ctx context.Context, name string) (string, bool, error) {
	return state(ctx, t.tx, name)
}

// SetState stores a named value.
func (t *Tx) SetState(ctx context.Context, name, value string) error {
	return setState(ctx, t.tx, name, value)
}

// Users and sessions: access's Store, inside the transaction.

func (t *Tx) AddUser(ctx context.Context, u access.User) error { return addUser(ctx, t.tx, u) }
func (t *Tx) User(ctx context.Context, id string) (access.User, error) {
	return userByID(ctx, t.tx, id)
}
func (t *Tx) UserByName(ctx context.Context, name string) (access.User, error) {
	return userByName(ctx, t.tx, name)
}
func (t *Tx) Users(ctx context.Context) ([]access.User, error) { return users(ctx, t.tx) }
func (t *Tx) UpdateUser(ctx context.Context, u access.User) error {
	return updateUser(ctx, t.tx, u)
}
func (t *Tx) UpdateCredentialState(ctx context.Context, u, was access.User) error {
	return updateCredentialState(ctx, t.tx, u, was)
}
func (t *Tx) AddSession(ctx context.Context, s access.Session) error {
	return addSession(ctx, t.tx, s)
}
func (t *Tx) SessionByToken(ctx context.Context, tokenHash []byte) (access.Session, error) {
	return sessionByToken(ctx, t.tx, tokenHash)
}
func (t *Tx) UpdateSession(ctx context.Context, s access.Session) error {
	return updateSession(ctx, t.tx, s)
}
func (t *Tx) DeleteSession(ctx context.Context, id string) error {
	return deleteSession(ctx, t.tx, id)
}

// AddDraft keeps a model's draft put into the draft note id, with what the grounding
// check found unsupported in it, until the note is signed.
func (t *Tx) AddDraft(ctx context.Context, id string, d DraftText) error {
	if d.Text == "" {
		return nil
	}
	return changeNoteIn(ctx, t.tx, t.keys, t.v.opts.now(), id, "keep a draft of", addDraft(ctx, id, d))
}

// Ungrounded returns the claims the grounding check flagged in the drafts kept with
// note id that its body still contains: what the signer must acknowledge. A claim
// the physician removed or rewrote is no longer asked about.
func (t *Tx) Ungrounded(ctx context.Context, id string) ([]Claim, error) {
	n, err := t.Note(ctx, id)
	if err != nil {
		return nil, err
	}
	kept, err := keptDrafts(ctx, t.tx, n)
	if err != nil {
		return nil, fmt.Errorf("note %s: %w", id, err)
	}
	var out []Claim
	seen := map[Claim]bool{}
	for _, k := range kept {
		for _, c := range k.Ungrounded {
			if !seen[c] && strings.Contains(n.Body, c.Text) {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Notes lists notes, most recently changed first, without their bodies.
func (t *Tx) Notes(ctx context.Context, f Filter) ([]Note, error) { return notes(ctx, t.tx, t.keys, f) }

// Search is the full-text search of titles and bodies.
func (t *Tx) Search(ctx context.Context, query string, f Filter) ([]Hit, error) {
	return search(ctx, t.tx, t.keys, query, f)
}
