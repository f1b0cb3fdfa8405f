package vault

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vellumhealth/vellum/audit"
)

// The vault is audit's Store: the journal lives in the encrypted file, and one
// transaction holds a batch of records with the head that signs them.

var _ audit.Store = (*Vault)(nil)

func (v *Vault) AuditHead(ctx context.Context, device string) (uint64, string, error) {
	var seq uint64
	var hash string
	err := v.db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_records WHERE device = ? ORDER BY seq DESC LIMIT 1", device).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return seq, hash, err
}

func (v *Vault) AppendAudit(ctx context.Context, device string, build func(seq uint64, hash string) ([]audit.Stored, audit.Head, error)) error {
	tx, err := v.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one appender at a time, across processes
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var seq uint64
	var hash string
	err = tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_records WHERE device = ? ORDER BY seq DESC LIMIT 1", device).Scan(&seq, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	records, head, err := build(seq, hash)
	if err != nil || len(records) == 0 {
		return err
	}
	if err := storeRecords(ctx, tx, device, records, head); err != nil {
		return err
	}
	return tx.Commit()
}

func (v *Vault) AuditRecords(ctx context.Context, device string, after uint64, limit int) ([]audit.Stored, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := v.db.QueryContext(ctx, "SELECT seq, line, hash FROM audit_records WHERE device = ? AND seq > ? ORDER BY seq LIMIT ?", device, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Stored
	for rows.Next() {
		var s audit.Stored
		var line string
		if err := rows.Scan(&s.Seq, &line, &s.Hash); err != nil {
			return nil, err
		}
		s.Line = []byte(line)
		out = append(out, s)
	}
	return out, rows.Err()
}

func (v *Vault) AuditHeads(ctx context.Context, device string, after uint64) ([]audit.Head, error) {
	rows, err := v.db.QueryContext(ctx, "SELECT seq, hash, sig FROM audit_heads WHERE device = ? AND seq > ? ORDER BY seq", device, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Head
	for rows.Next() {
		h := audit.Head{Device: device}
		if err := rows.Scan(&h.Seq, &h.Hash, &h.Sig); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// AuditHeadAtOrBefore returns the device's highest signed head with seq <= seq.
func (v *Vault) AuditHeadAtOrBefore(ctx context.Context, device string, seq uint64) (audit.Head, bool, error) {
	h := audit.Head{Device: device}
	err := v.db.QueryRowContext(ctx, "SELECT seq, hash, sig FROM audit_heads WHERE device = ? AND seq <= ? ORDER BY seq DESC LIMIT 1", device, seq).
		Scan(&h.Seq, &h.Hash, &h.Sig)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	return h, err == nil, err
}

// AuditHeadAfter returns the device's lowest signed head with seq > seq.
func (v *Vault) AuditHeadAfter(ctx context.Context, device string, seq uint64) (audit.Head, bool, error) {
	h := audit.Head{Device: device}
	err := v.db.QueryRowContext(ctx, "SELECT seq, hash, sig FROM audit_heads WHERE device = ? AND seq > ? ORDER BY seq LIMIT 1", device, seq).
		Scan(&h.Seq, &h.Hash, &h.Sig)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	return h, err == nil, err
}

// AuditDevices lists the devices whose records the journal holds (a new device key
// after a lost keychain starts a new chain beside the old one).
func (v *Vault) AuditDevices(ctx context.Context) ([]string, error) {
	rows, err := v.db.QueryContext(ctx, "SELECT DISTINCT device FROM audit_records ORDER BY device")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
