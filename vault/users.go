package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vellumhealth/vellum/access"
)

// The vault is access's Store: users and sessions live in the encrypted file with the
// notes they guard.

const userColumns = `id, username, display_name, role, acting_for, password_hash, totp_secret,
	totp_last_step, disabled, failed_attempts, lockouts, locked_until_ms, created_ms, pending_for`

func scanUser(s scanner) (access.User, error) {
	var u access.User
	var lockedUntil, created int64
	err := s.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.ActingFor, &u.PasswordHash, &u.TOTPSecret,
		&u.TOTPLastStep, &u.Disabled, &u.FailedAttempts, &u.Lockouts, &lockedUntil, &created, &u.PendingFor)
	if errors.Is(err, sql.ErrNoRows) {
		return u, access.ErrNoUser
	}
	if err != nil {
		return u, err
	}
	if lockedUntil != 0 {
		u.LockedUntil = time.UnixMilli(lockedUntil).UTC()
	}
	u.Created = time.UnixMilli(created).UTC()
	return u, nil
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func (v *Vault) AddUser(ctx context.Context, u access.User) error { return addUser(ctx, v.db, u) }

func addUser(ctx context.Context, db conn, u access.User) error {
	_, err := db.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Username, u.DisplayName, u.Role, u.ActingFor, u.PasswordHash, u.TOTPSecret,
		u.TOTPLastStep, u.Disabled, u.FailedAttempts, u.Lockouts, msOrZero(u.LockedUntil), u.Created.UnixMilli(), u.PendingFor)
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: users.username") {
		return fmt.Errorf("%w: %s", access.ErrUserExists, u.Username)
	}
	return err
}

func (v *Vault) User(ctx context.Context, id string) (access.User, error) {
	return userByID(ctx, v.db, id)
}

func userByID(ctx context.Context, db conn, id string) (access.User, error) {
	return scanUser(db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

func (v *Vault) UserByName(ctx context.Context, username string) (access.User, error) {
	return userByName(ctx, v.db, username)
}

func userByName(ctx context.Context, db conn, username string) (access.User, error) {
	return scanUser(db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE username = ?", username))
}

func (v *Vault) Users(ctx context.Context) ([]access.User, error) { return users(ctx, v.db) }

func users(ctx context.Context, db conn) ([]access.User, error) {
	rows, err := db.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (v *Vault) UpdateUser(ctx context.Context, u access.User) error { return updateUser(ctx, v.db, u) }

func updateUser(ctx context.Context, db conn, u access.User) error {
	res, err := db.ExecContext(ctx, `UPDATE users SET display_name = ?, role = ?, acting_for = ?, password_hash = ?,
		totp_secret = ?, totp_last_step = ?, disabled = ?, failed_attempts = ?, lockouts = ?, locked_until_ms = ?,
		pending_for = ? WHERE id = ?`,
		u.DisplayName, u.Role, u.ActingFor, u.PasswordHash, u.TOTPSecret, u.TOTPLastStep, u.Disabled,
		u.FailedAttempts, u.Lockouts, msOrZero(u.LockedUntil), u.PendingFor, u.ID)
	if err := affectedOne(res, err, access.ErrNoUser); err != nil {
		return err
	}
	return revokeHolds(ctx, db, u)
}

// UpdateCredentialState writes the outcome of a sign-in attempt only if the counters
// it was computed from are still those stored: two sign-ins racing (two processes, or
// fifty) cannot both start from zero failures or both spend one TOTP code.
func (v *Vault) UpdateCredentialState(ctx context.Context, u access.User, was access.User) error {
	return updateCredentialState(ctx, v.db, u, was)
}

func updateCredentialState(ctx context.Context, db conn, u access.User, was access.User) error {
	res, err := db.ExecContext(ctx, `UPDATE users SET failed_attempts = ?, lockouts = ?, locked_until_ms = ?, totp_last_step = ?
		WHERE id = ? AND failed_attempts = ? AND lockouts = ? AND locked_until_ms = ? AND totp_last_step = ?`,
		u.FailedAttempts, u.Lockouts, msOrZero(u.LockedUntil), u.TOTPLastStep,
		u.ID, was.FailedAttempts, was.Lockouts, msOrZero(was.LockedUntil), was.TOTPLastStep)
	return affectedOne(res, err, access.ErrConflict)
}

func affectedOne(res sql.Result, err error, none error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return none
	}
	return nil
}

const sessionColumns = `id, token_hash, user_id, created_ms, last_active_ms, locked, break_glass_reason, break_glass_until_ms`

func (v *Vault) AddSession(ctx context.Context, s access.Session) error {
	return addSession(ctx, v.db, s)
}

func addSession(ctx context.Context, db conn, s access.Session) error {
	_, err := db.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.TokenHash, s.UserID, s.Created.UnixMilli(), s.LastActive.UnixMilli(), s.Locked,
		s.BreakGlassReason, msOrZero(s.BreakGlassUntil))
	return err
}

func (v *Vault) SessionByToken(ctx context.Context, tokenHash []byte) (access.Session, error) {
	return sessionByToken(ctx, v.db, tokenHash)
}

func sessionByToken(ctx context.Context, db conn, tokenHash []byte) (access.Session, error) {
	var s access.Session
	var created, active, until int64
	err := db.QueryRowContext(ctx, "SELECT "+sessionColumns+" FROM sessions WHERE token_hash = ?", tokenHash).
		Scan(&s.ID, &s.TokenHash, &s.UserID, &created, &active, &s.Locked, &s.BreakGlassReason, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return s, access.ErrNoSession
	}
	if err != nil {
		return s, err
	}
	s.Created, s.LastActive = time.UnixMilli(created).UTC(), time.UnixMilli(active).UTC()
	if until != 0 {
		s.BreakGlassUntil = time.UnixMilli(until).UTC()
	}
	return s, nil
}

func (v *Vault) UpdateSession(ctx context.Context, s access.Session) error {
	return updateSession(ctx, v.db, s)
}

func updateSession(ctx context.Context, db conn, s access.Session) error {
	res, err := db.ExecContext(ctx, `UPDATE sessions SET last_active_ms = ?, locked = ?, break_glass_reason = ?,
		break_glass_until_ms = ? WHERE id = ?`,
		s.LastActive.UnixMilli(), s.Locked, s.BreakGlassReason, msOrZero(s.BreakGlassUntil), s.ID)
	if err := affectedOne(res, err, access.ErrNoSession); err != nil {
		return err
	}
	if s.Locked {
		// A locked session opens no note: unlocking, with the password, opens the
		// keys again (FORMAT.md, "Per-user note keys").
		_, err = db.ExecContext(ctx, "DELETE FROM session_keys WHERE session_id = ?", s.ID)
	}
	return err
}

func (v *Vault) DeleteSession(ctx context.Context, id string) error {
	return deleteSession(ctx, v.db, id)
}

func deleteSession(ctx context.Context, db conn, id string) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM session_keys WHERE session_id = ?", id); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", id)
	return err
}

var _ access.Store = (*Vault)(nil)
