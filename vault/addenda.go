package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Addendum is a correction or addition to a signed note. A signed note never changes;
// what its physician later finds wrong or missing is written as an addendum, signed
// by writing it, and kept beside the note for as long as the note, in order. Its body
// is PHI, like the note's.
type Addendum struct {
	ID      string    `json:"id"`
	Body    string    `json:"body"`
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
}

const addendumColumns = `id, body, author, created_ms`

func newAddendumID() string { return "a_" + newNoteID()[2:] }

// AddAddendum appends an addendum by author to the signed note id. The note's export
// mark is cleared: the EHR has not had the addendum yet, and retention must not
// remove the note before it has. A draft returns ErrNotSigned (edit it instead).
func (v *Vault) AddAddendum(ctx context.Context, id, body, author string) (Addendum, error) {
	tx, err := v.db.BeginTx(ctx, nil)
	if err != nil {
		return Addendum{}, fmt.Errorf("add an addendum to note %s: %w", id, err)
	}
	defer tx.Rollback()
	a, err := addAddendum(ctx, tx, nil, v.opts.now(), id, body, author)
	if err != nil {
		return Addendum{}, err
	}
	if err := tx.Commit(); err != nil {
		return Addendum{}, fmt.Errorf("add an addendum to note %s: %w", id, err)
	}
	return a, nil
}

func addAddendum(ctx context.Context, tx *sql.Tx, keys *Keys, now time.Time, id, body, author string) (Addendum, error) {
	if strings.TrimSpace(body) == "" {
		return Addendum{}, errors.New("add addendum: the text is empty")
	}
	if author == "" {
		return Addendum{}, errors.New("add addendum: no author")
	}
	var a Addendum
	err := changeNoteIn(ctx, tx, keys, now, id, "add an addendum to", func(tx *sql.Tx, n Note, now int64) error {
		if n.Status != Signed {
			return ErrNotSigned
		}
		dk, err := n.dataKey()
		if err != nil {
			return err
		}
		have, err := addenda(ctx, tx, n, id)
		if err != nil {
			return err
		}
		fields := []string{n.PatientRef, n.Title, n.Body, body}
		for _, h := range have {
			fields = append(fields, h.Body)
		}
		if err := checkSize(fields...); err != nil {
			return err
		}
		a = Addendum{ID: newAddendumID(), Body: body, Author: author, Created: time.UnixMilli(now).UTC()}
		if err := insertAddendum(ctx, tx, id, a, dk); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE notes SET exported_ms = NULL, updated_ms = ? WHERE id = ?", now, id)
		return err
	})
	return a, err
}

// insertAddendum stores a, its body sealed with the note's data key dk where the
// note is sealed.
func insertAddendum(ctx context.Context, db execer, noteID string, a Addendum, dk []byte) error {
	body := a.Body
	var sealed []byte
	if dk != nil {
		body, sealed = "", seal(dk, []byte(a.Body), addendumAD(noteID, a.ID))
	}
	_, err := db.ExecContext(ctx, `INSERT INTO addenda (note_id, `+addendumColumns+`, sealed) VALUES (?, ?, ?, ?, ?, ?)`,
		noteID, a.ID, body, a.Author, ms(a.Created), sealed)
	return err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// addenda returns note n's addenda, oldest first, opened with its data key where
// they are sealed (empty bodies where the reader cannot open them).
func addenda(ctx context.Context, db querier, n Note, noteID string) ([]Addendum, error) {
	dk, _ := n.dataKey()
	rows, err := db.QueryContext(ctx, "SELECT "+addendumColumns+", sealed FROM addenda WHERE note_id = ? ORDER BY seq", noteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Addendum
	for rows.Next() {
		var sealed []byte
		a, err := scanAddendum(rows, &sealed)
		if err != nil {
			return nil, err
		}
		if sealed != nil && dk != nil {
			b, err := unseal(dk, sealed, addendumAD(noteID, a.ID))
			if err != nil {
				return nil, fmt.Errorf("addendum %s does not open (altered?)", a.ID)
			}
			a.Body = string(b)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// scanAddendum reads the addendumColumns of a row, then any extra columns into extra.
func scanAddendum(s scanner, extra ...any) (Addendum, error) {
	var a Addendum
	var created int64
	err := s.Scan(append([]any{&a.ID, &a.Body, &a.Author, &created}, extra...)...)
	a.Created = time.UnixMilli(created).UTC()
	return a, err
}

// restoreAddenda adds the addenda of a backed-up note that the vault lacks. Addenda
// only ever accumulate, so the union of both is the truth.
// sealed holds the sealed bodies of a sealed note's addenda, stored as they are; dk
// seals addenda that came in the clear where the note was sealed on restore.
func restoreAddenda(ctx context.Context, tx *sql.Tx, noteID string, as []Addendum, sealed map[string][]byte, dk []byte, res *RestoreResult) error {
	added := 0
	for _, a := range as {
		if a.ID == "" || a.Author == "" {
			return fmt.Errorf("%w: an addendum of note %s has no id or author", ErrBadBackup, noteID)
		}
		var have int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM addenda WHERE id = ?", a.ID).Scan(&have); err != nil {
			return err
		}
		if have > 0 {
			continue
		}
		var err error
		if sealed != nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO addenda (note_id, `+addendumColumns+`, sealed) VALUES (?, ?, '', ?, ?, ?)`,
				noteID, a.ID, a.Author, ms(a.Created), sealed[a.ID])
		} else {
			err = insertAddendum(ctx, tx, noteID, a, dk)
		}
		if err != nil {
			return fmt.Errorf("restore addendum %s of note %s: %w", a.ID, noteID, err)
		}
		res.AddendaAdded++
		added++
	}
	if added > 0 {
		// The EHR may not have these addenda: retention waits until they are exported.
		_, err := tx.ExecContext(ctx, "UPDATE notes SET exported_ms = NULL WHERE id = ?", noteID)
		return err
	}
	return nil
}
