package vault

import (
	"context"
	"fmt"
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
	var p Purged
	now := v.opts.now()
	tx, err := v.db.BeginTx(ctx, nil)
	if err != nil {
		return p, fmt.Errorf("purge: %w", err)
	}
	defer tx.Rollback()
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
	if err := tx.Commit(); err != nil {
		return p, fmt.Errorf("purge: %w", err)
	}
	if _, err := v.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return p, fmt.Errorf("purge: checkpoint: %w", err)
	}
	return p, nil
}
