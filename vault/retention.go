package vault

import (
	"context"
	"database/sql"
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
func (v *Vault) Checkpoint(ctx context.Context) error {
	if _, err := v.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
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
