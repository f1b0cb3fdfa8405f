package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Retention says how long notes stay on the workstation. Local notes are drafts on their
// way to the EHR: a signed note may go once it was exported and SignedDays have passed
// since signing; a draft once DraftDays have passed since it last changed. Zero keeps
// that kind forever.
type Retention struct {
	SignedDays int
	DraftDays  int
}

// Purged counts what Purge removed.
type Purged struct {
	Signed int `json:"signed"`
	Drafts int `json:"drafts"`
}

// Purge deletes what Retention allows, in one transaction, with secure delete (freed
// pages and index entries are zeroed), then checkpoints so that the log holds no old
// page images either. Signed notes never exported are kept, whatever their age.
func (v *Vault) Purge(ctx context.Context, r Retention) (Purged, error) {
	tx, err := v.db.BeginTx(ctx, nil)
	if err != nil {
		return Purged{}, fmt.Errorf("purge: %w", err)
	}
	defer tx.Rollback()
	p, err := purge(ctx, tx, v.opts.now(), r)
	if err != nil {
		return p, err
	}
	if err := tx.Commit(); err != nil {
		return p, fmt.Errorf("purge: %w", err)
	}
	return p, v.Checkpoint(ctx)
}

// Purge deletes what Retention allows inside the transaction; call Checkpoint after
// Update commits, so that the log holds no old page images either.
func (t *Tx) Purge(ctx context.Context, r Retention) (Purged, error) {
	return purge(ctx, t.tx, t.v.opts.now(), r)
}

// Checkpoint writes the log into the database file and truncates it: after a purge,
// no page image of what was deleted stays in the log.
// A reader in another process holds the checkpoint off (SQLite answers busy as a
// result, not an error): it is tried again for a few seconds, then reported.
func (v *Vault) Checkpoint(ctx context.Context) error {
	for try := 0; ; try++ {
		var busy, logPages, done int
		if err := v.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == 30 {
			return errors.New("checkpoint: another process kept reading the vault; the log still holds old pages until the next checkpoint")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func purge(ctx context.Context, tx *sql.Tx, now time.Time, r Retention) (Purged, error) {
	var p Purged
	if r.SignedDays > 0 {
		cut := ms(now.AddDate(0, 0, -r.SignedDays))
		res, err := tx.ExecContext(ctx, "DELETE FROM notes WHERE status = 'signed' AND exported_ms IS NOT NULL AND signed_ms < ?", cut)
		if err != nil {
			return p, fmt.Errorf("purge signed notes: %w", err)
		}
		n, _ := res.RowsAffected()
		p.Signed = int(n)
	}
	if r.DraftDays > 0 {
		cut := ms(now.AddDate(0, 0, -r.DraftDays))
		res, err := tx.ExecContext(ctx, "DELETE FROM notes WHERE status = 'draft' AND updated_ms < ?", cut)
		if err != nil {
			return p, fmt.Errorf("purge drafts: %w", err)
		}
		n, _ := res.RowsAffected()
		p.Drafts = int(n)
	}
	return p, nil
}
