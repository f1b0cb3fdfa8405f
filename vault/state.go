package vault

import (
	"context"
	"database/sql"
	"errors"
)

// State returns a named value the app kept between runs (such as the fingerprints of
// the policy it last applied); ok is false when there is none.
func (v *Vault) State(ctx context.Context, name string) (value string, ok bool, err error) {
	err = v.db.QueryRowContext(ctx, "SELECT value FROM state WHERE name = ?", name).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return value, err == nil, err
}

// SetState stores a named value.
func (v *Vault) SetState(ctx context.Context, name, value string) error {
	_, err := v.db.ExecContext(ctx, "INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value)
	return err
}
