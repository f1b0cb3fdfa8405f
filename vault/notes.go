package vault

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	// Sealed: the note is sealed to its physician's key (FORMAT.md, "Per-user note
	// keys"), which the reader does not hold. Its title, body, provenance and addenda
	// texts are then empty; the rest is as stored.
	Sealed bool `json:"sealed,omitempty"`

	// sealed is the note's sealed row, nil for a note stored in the clear.
	sealed *sealedRow
}

// sealedRow is what a sealed note stores in place of its text, and its data key once
// opened.
type sealedRow struct {
	key, content []byte
	dataKey      []byte // nil: not opened
	search       []byte // the owner's search key, once opened
}

// Digest is what an audit record may say of texts of this note: their SHA-256 for a
// note in the clear, and for a sealed note an HMAC-SHA256 under a key derived from its
// data key, so that the journal — readable with the keychain, and delivered to the
// collector — cannot confirm a guess of a sealed note's text. Parts are joined with
// NUL.
func (n Note) Digest(parts ...string) string {
	text := []byte(strings.Join(parts, "\x00"))
	if n.sealed != nil && n.sealed.dataKey != nil {
		m := hmac.New(sha256.New, derive(n.sealed.dataKey, "vellum note digest v1"))
		m.Write(text)
		return hex.EncodeToString(m.Sum(nil))
	}
	sum := sha256.Sum256(text)
	return hex.EncodeToString(sum[:])
}

// dataKey is the key of a sealed note the reader opened; nil for a note in the clear.
// A sealed note the reader cannot open returns ErrSealed.
func (n Note) dataKey() ([]byte, error) {
	if n.sealed == nil {
		return nil, nil
	}
	if n.sealed.dataKey == nil {
		return nil, ErrSealed
	}
	return n.sealed.dataKey, nil
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
	return addNote(ctx, v.db, nil, v.opts.now(), n)
}

func addNote(ctx context.Context, db conn, keys *Keys, now time.Time, n NewNote) (Note, error) {
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
	// A note sealed to a key the writer does not hold could not be read back, edited
	// or signed by them: refused until they hold it.
	if pub, err := ownerPublic(ctx, db, note.Owner); err != nil {
		return Note{}, fmt.Errorf("add note: %w", err)
	} else if pub != "" && !keys.Holds(note.Owner) {
		return Note{}, fmt.Errorf("add note: %w", ErrKeyNotHeld)
	}
	dk, err := insertNote(ctx, db, keys, note)
	if err != nil {
		return Note{}, fmt.Errorf("add note: %w", err)
	}
	if dk != nil {
		note.sealed = &sealedRow{dataKey: dk, search: keys.derivedFor(note.Owner).search}
	}
	return note, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// insertNote stores n: sealed to its owner's public key when the owner has one (with
// its search terms when keys hold the owner's private key; else they are added at
// the next sign-in of a holder), in the clear otherwise.
// It returns the note's data key (nil in the clear), for its addenda.
func insertNote(ctx context.Context, db conn, keys *Keys, n Note) ([]byte, error) {
	owner := n.Owner
	if owner == "" {
		owner = n.Author
	}
	pub, err := ownerPublic(ctx, db, owner)
	if err != nil {
		return nil, err
	}
	if err := checkOwnerPublic(keys, owner, pub); err != nil {
		return nil, err
	}
	if pub == "" {
		// In the clear only for a physician who never had a key pair.
		if had, err := hadOwnerKey(ctx, db, owner); err != nil {
			return nil, err
		} else if had {
			return nil, &KeyFaultError{User: owner, Err: ErrNoteKeyDeleted}
		}
	}
	var prov any
	if n.Provenance != nil && pub == "" {
		b, err := json.Marshal(n.Provenance)
		if err != nil {
			return nil, err
		}
		prov = string(b)
	}
	title, body := n.Title, n.Body
	var dk, sealedKey, content []byte
	if pub != "" {
		dk = newDataKey()
		if sealedKey, err = sealDataKey(keys, owner, pub, n.ID, dk); err != nil {
			return nil, err
		}
		if content, err = sealJSON(dk, noteContent{Title: n.Title, Body: n.Body, Provenance: n.Provenance}, noteAD(n.ID)); err != nil {
			return nil, err
		}
		title, body = "", ""
	}
	_, err = db.ExecContext(ctx, `INSERT INTO notes (`+noteColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.PatientRef, title, body, n.Status, n.Author, owner, ms(n.Created), ms(n.Updated),
		nullString(n.SignedBy), nullMS(n.Signed), nullMS(n.Exported), prov, sealedKey, content)
	if err != nil {
		return nil, err
	}
	if id := keys.identity(owner); id != nil && dk != nil {
		if err := setTerms(ctx, db, n.ID, keys.derivedFor(owner).search, n.Title, n.Body); err != nil {
			return nil, err
		}
	}
	return dk, nil
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

const noteColumns = `id, patient_ref, title, body, status, author, owner, created_ms, updated_ms, signed_by, signed_ms, exported_ms, provenance, sealed_key, sealed`

type scanner interface{ Scan(...any) error }

// scanNote reads the noteColumns of a row, then any extra columns into extra. A
// sealed note is opened with keys where they hold its owner's key, else returned
// with Sealed set.
func scanNote(s scanner, keys *Keys, extra ...any) (Note, error) {
	var n Note
	var created, updated int64
	var signedBy sql.NullString
	var signed, exported sql.NullInt64
	var prov sql.NullString
	var sealedKey, content []byte
	dest := append([]any{&n.ID, &n.PatientRef, &n.Title, &n.Body, &n.Status, &n.Author, &n.Owner,
		&created, &updated, &signedBy, &signed, &exported, &prov, &sealedKey, &content}, extra...)
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
	if sealedKey != nil {
		n.sealed = &sealedRow{key: sealedKey, content: content}
		if err := n.open(keys); err != nil {
			return Note{}, err
		}
	}
	return n, nil
}

// open reads a sealed note's text with keys; without its owner's key the note is
// marked Sealed.
func (n *Note) open(keys *Keys) error {
	id := keys.identity(n.Owner)
	if id == nil {
		n.Sealed = true
		return nil
	}
	dk, err := openDataKey(keys, n.Owner, n.ID, n.sealed.key)
	var c noteContent
	if err == nil && len(dk) == dataKeySize {
		err = unsealJSON(dk, n.sealed.content, noteAD(n.ID), &c)
	} else if err == nil {
		err = errors.New("malformed data key")
	}
	if err != nil {
		// Altered, or sealed to another key: unreadable like a note of another
		// physician, and the other notes still list.
		n.Sealed = true
		return nil
	}
	n.Title, n.Body, n.Provenance = c.Title, c.Body, c.Provenance
	n.sealed.dataKey, n.sealed.search = dk, keys.derivedFor(n.Owner).search
	return nil
}

// Note returns one note, body included.
func (v *Vault) Note(ctx context.Context, id string) (Note, error) { return note(ctx, v.db, nil, id) }

func note(ctx context.Context, db conn, keys *Keys, id string) (Note, error) {
	n, err := scanNote(db.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM notes WHERE id = ?", id), keys)
	if errors.Is(err, sql.ErrNoRows) {
		return Note{}, fmt.Errorf("note %s: %w", id, ErrNoteNotFound)
	}
	if err != nil {
		return Note{}, fmt.Errorf("note %s: %w", id, err)
	}
	if n.Addenda, err = addenda(ctx, db, n, id); err != nil {
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
func (v *Vault) Notes(ctx context.Context, f Filter) ([]Note, error) { return notes(ctx, v.db, nil, f) }

func notes(ctx context.Context, db conn, keys *Keys, f Filter) ([]Note, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.QueryContext(ctx, `SELECT id, patient_ref, title, '', status, author, owner,
		created_ms, updated_ms, signed_by, signed_ms, exported_ms, NULL, sealed_key, sealed
		FROM notes WHERE ? = '' OR owner = ? ORDER BY updated_ms DESC, seq DESC LIMIT ?`, f.Owner, f.Owner, limit)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n, err := scanNote(rows, keys)
		if err != nil {
			return nil, fmt.Errorf("list notes: %w", err)
		}
		// A list shows no body, sealed or not.
		n.Body, n.Provenance = "", nil
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
	return search(ctx, v.db, nil, query, f)
}

// search finds notes in the clear through the full-text index, then sealed notes of
// the owners keys hold through their blind terms; the clear ones come first.
func search(ctx context.Context, db conn, keys *Keys, query string, f Filter) ([]Hit, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.QueryContext(ctx, `SELECT n.id, n.patient_ref, n.title, '', n.status, n.author, n.owner,
		n.created_ms, n.updated_ms, n.signed_by, n.signed_ms, n.exported_ms, NULL, n.sealed_key, n.sealed,
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
		if h.Note, err = scanNote(rows, keys, &h.Snippet); err != nil {
			return nil, fmt.Errorf("search notes: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search notes: %w", err)
	}
	rows.Close()
	words := searchWords(query)
	owners := keys.Owners()
	slices.Sort(owners)
	for _, owner := range owners {
		if f.Owner != "" && owner != f.Owner {
			continue
		}
		hits, err := searchSealed(ctx, db, keys, owner, words, limit-len(out))
		if err != nil {
			return nil, fmt.Errorf("search notes: %w", err)
		}
		out = append(out, hits...)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// searchSealed finds the sealed notes of owner whose terms include every term of the
// query, then keeps those whose opened text has every word (the last as a prefix),
// most recently changed first.
func searchSealed(ctx context.Context, db conn, keys *Keys, owner string, words []string, limit int) ([]Hit, error) {
	if limit <= 0 || len(words) == 0 {
		return nil, nil
	}
	terms := queryTerms(keys.derivedFor(owner).search, words)
	args := []any{owner}
	marks := make([]string, len(terms))
	for i, t := range terms {
		marks[i] = "?"
		args = append(args, t)
	}
	args = append(args, len(terms))
	rows, err := db.QueryContext(ctx, `SELECT `+noteColumns+` FROM notes WHERE owner = ? AND sealed_key IS NOT NULL
		AND id IN (SELECT note_id FROM note_terms WHERE term IN (`+strings.Join(marks, ", ")+`)
			GROUP BY note_id HAVING count(DISTINCT term) = ?)
		ORDER BY updated_ms DESC, seq DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() && len(out) < limit {
		n, err := scanNote(rows, keys)
		if err != nil {
			return nil, err
		}
		snippet, ok := matchSnippet(n.Title, n.Body, words)
		if !ok {
			continue
		}
		n.Body, n.Provenance = "", nil
		out = append(out, Hit{Note: n, Snippet: snippet})
	}
	return out, rows.Err()
}

// matchSnippet says whether title and body have every word (the last also as a
// prefix) and returns a few words of the body around the first match, matched words
// between « and », as the full-text index's snippet does.
func matchSnippet(title, body string, words []string) (string, bool) {
	have := map[string]bool{}
	all := append(searchWords(title), searchWords(body)...)
	for _, w := range all {
		have[w] = true
	}
	matches := func(w string, i int) bool {
		if i == len(words)-1 {
			for h := range have {
				if strings.HasPrefix(h, w) {
					return true
				}
			}
			return false
		}
		return have[w]
	}
	for i, w := range words {
		if !matches(w, i) {
			return "", false
		}
	}
	isMatch := func(token string) bool {
		t := strings.ToLower(strings.TrimFunc(token, func(r rune) bool { return !isWordRune(r) }))
		for i, w := range words {
			if t == w || (i == len(words)-1 && strings.HasPrefix(t, w)) {
				return true
			}
		}
		return false
	}
	tokens := strings.Fields(body)
	first := -1
	for i, t := range tokens {
		if isMatch(t) {
			first = i
			break
		}
	}
	if first < 0 {
		return "", true // matched in the title only
	}
	from, to := max(0, first-4), min(len(tokens), first+8)
	parts := make([]string, 0, to-from+2)
	if from > 0 {
		parts = append(parts, "…")
	}
	for _, t := range tokens[from:to] {
		if isMatch(t) {
			// Mark the word, not the punctuation around it.
			start := strings.IndexFunc(t, isWordRune)
			end := strings.LastIndexFunc(t, isWordRune)
			_, size := utf8.DecodeRuneInString(t[end:])
			t = t[:start] + "«" + t[start:end+size] + "»" + t[end+size:]
		}
		parts = append(parts, t)
	}
	if to < len(tokens) {
		parts = append(parts, "…")
	}
	return strings.Join(parts, " "), true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

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
		dk, err := n.dataKey()
		if err != nil {
			return err
		}
		if dk == nil {
			_, err := tx.ExecContext(ctx, "UPDATE notes SET title = ?, body = ?, updated_ms = ? WHERE id = ?", title, body, now, id)
			return err
		}
		content, err := sealJSON(dk, noteContent{Title: title, Body: body, Provenance: n.Provenance}, noteAD(id))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE notes SET sealed = ?, updated_ms = ? WHERE id = ?", content, now, id); err != nil {
			return err
		}
		return setTerms(ctx, tx, id, n.sealed.search, title, body)
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
		dk, err := n.dataKey()
		if err != nil {
			return err
		}
		prov, origins, err := provenanceAtSign(ctx, tx, n)
		if err != nil {
			return err
		}
		if dk == nil {
			_, err = tx.ExecContext(ctx, "UPDATE notes SET status = 'signed', signed_by = ?, signed_ms = ?, updated_ms = ?, provenance = ? WHERE id = ?", by, now, now, prov, id)
			return err
		}
		content, err := sealJSON(dk, noteContent{Title: n.Title, Body: n.Body, Provenance: origins}, noteAD(id))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE notes SET status = 'signed', signed_by = ?, signed_ms = ?, updated_ms = ?, sealed = ? WHERE id = ?", by, now, now, content, id)
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
	if err := changeNoteIn(ctx, tx, nil, v.opts.now(), id, what, fn); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s note %s: %w", what, id, err)
	}
	return nil
}

// changeNoteIn applies fn to the note id inside tx, opened with keys.
func changeNoteIn(ctx context.Context, tx *sql.Tx, keys *Keys, now time.Time, id, what string, fn noteChange) error {
	n, err := scanNote(tx.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM notes WHERE id = ?", id), keys)
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
	// A sealed note is sealed to its physician's key: it cannot change hands.
	var sealed int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM notes WHERE owner = ? AND sealed_key IS NOT NULL", from).Scan(&sealed); err != nil {
		return 0, fmt.Errorf("reassign notes: %w", err)
	}
	if sealed > 0 {
		return 0, fmt.Errorf("reassign notes: %d of them are sealed to their physician's key and stay theirs", sealed)
	}
	res, err := db.ExecContext(ctx, "UPDATE notes SET owner = ? WHERE owner = ?", to, from)
	if err != nil {
		return 0, fmt.Errorf("reassign notes: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
