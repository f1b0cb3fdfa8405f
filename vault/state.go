package vault

import (
	"context"
	"database/sql"
	"errors"
)

// State returns a named value the app kept between runs (such as the fingerprints of
// the policy it last applied); ok is false when there is none.
func (v *Vault) State(ctx context.Context, name string) (value string, ok bool, err error) {
	return state(ctx, v.db, name)
}

func state(ctx context.Context, db conn, name string) (value string, ok bool, err error) {
	err = db.QueryRowContext(ctx, "SELECT value FROM state WHERE name = ?", name).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return value, err == nil, err
}

// SetState stores a named value.
func (v *Vault) SetState(ctx context.Context, name, value string) error {
	return setState(ctx, v.db, name, value)
}

func setState(ctx context.Context, db conn, name, value string) error {
	_, err := db.ExecContext(ctx, "INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value)
	return err
}

// conn is what the connection pool and a transaction both offer: the vault's queries
// run on either, so that Update's transaction makes the same changes.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
