package collector

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mattn/go-sqlite3"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/vellumhealth/vellum/audit"
)

// SQLiteStore is the embedded store: one file, encrypted (SQLite3MultipleCiphers,
// SQLCipher v4 format, as the vault) under a 256-bit key the service account alone
// can read, one writer at a time (BEGIN IMMEDIATE), WAL with synchronous=FULL.
type SQLiteStore struct {
	db *sql.DB
}

const sqliteSchema = `
CREATE TABLE IF NOT EXISTS tokens (hash BLOB PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL, spent INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS devices (
	id TEXT PRIMARY KEY, public_key BLOB NOT NULL, enrolled_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL DEFAULT 0,
	last_seq INTEGER NOT NULL DEFAULT 0, last_hash TEXT NOT NULL DEFAULT '', revoked INTEGER NOT NULL DEFAULT 0,
	reported_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS log (
	idx INTEGER PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, line TEXT NOT NULL, hash TEXT NOT NULL,
	patient TEXT NOT NULL, action TEXT NOT NULL, time TEXT NOT NULL, accepted_ms INTEGER NOT NULL, UNIQUE (device, seq));
CREATE INDEX IF NOT EXISTS log_by_patient ON log (patient) WHERE patient != '';
CREATE TABLE IF NOT EXISTS heads (device TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, sig TEXT NOT NULL, PRIMARY KEY (device, seq));
CREATE TABLE IF NOT EXISTS tree (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`

// sqliteColumns are columns added after the first release: added where missing.
var sqliteColumns = []struct{ table, column, decl string }{
	{"tokens", "created_ms", "INTEGER NOT NULL DEFAULT 0"},
	{"tokens", "expires_ms", "INTEGER NOT NULL DEFAULT 0"},
	{"tokens", "revoked", "INTEGER NOT NULL DEFAULT 0"},
	{"devices", "enrolled_as", "TEXT NOT NULL DEFAULT ''"},
	{"devices", "approved", "INTEGER NOT NULL DEFAULT 1"},
}

func addSQLiteColumns(db *sql.DB) error {
	for _, c := range sqliteColumns {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", c.table, c.column).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := db.Exec("ALTER TABLE " + c.table + " ADD COLUMN " + c.column + " " + c.decl); err != nil {
				return err
			}
		}
	}
	return nil
}

// StoreKeySize is the length of the embedded store's key.
const StoreKeySize = 32

// ErrStoreKey: the key does not open the store (another key, or a damaged file).
var ErrStoreKey = errors.New("the key does not open the collector's store")

// OpenSQLite opens (creating) the store at path, encrypted under key. A store written
// before stores were encrypted is encrypted in place, once, under key.
func OpenSQLite(path string, key []byte) (*SQLiteStore, error) {
	if len(key) != StoreKeySize {
		return nil, fmt.Errorf("open collector store %s: the key must be %d bytes", path, StoreKeySize)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	db, err := openSQLite(abs, key, "WAL")
	if err != nil && isNotADatabase(err) {
		if cerr := encryptPlaintext(abs, key); cerr != nil {
			return nil, fmt.Errorf("open collector store %s: %w", path, cerr)
		}
		db, err = openSQLite(abs, key, "WAL")
	}
	if err != nil {
		if isNotADatabase(err) {
			err = ErrStoreKey
		}
		return nil, fmt.Errorf("open collector store %s: %w", path, err)
	}
	if _, err := db.Exec(sqliteSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open collector store %s: %w", path, err)
	}
	// Belt and braces: a SQLite without SQLite3MultipleCiphers ignores the key and
	// writes in the clear; refuse to go on with one.
	var mc string
	if err := db.QueryRow("SELECT sqlite3mc_version()").Scan(&mc); err != nil || mc == "" {
		db.Close()
		return nil, fmt.Errorf("open collector store %s: this build's SQLite does not encrypt (SQLite3MultipleCiphers is missing)", path)
	}
	if err := addSQLiteColumns(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open collector store %s: %w", path, err)
	}
	return &SQLiteStore{db: db}, nil
}

// openSQLite opens path under key, checking that the key reads it; key nil opens a
// plaintext file. The key is in the DSN only, never in an error.
func openSQLite(abs string, key []byte, journal string) (*sql.DB, error) {
	params := []string{"_journal_mode=" + journal, "_synchronous=FULL", "_busy_timeout=10000", "_txlock=immediate",
		"_foreign_keys=on", "_secure_delete=on"}
	if key != nil {
		params = append([]string{"cipher=sqlcipher", "legacy=4", "key=x%27" + hex.EncodeToString(key) + "%27"}, params...)
	}
	db, err := sql.Open("sqlite3", (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()+"?"+strings.Join(params, "&"))
	if err != nil {
		return nil, errors.New("sqlite: open failed")
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		db.Close()
		var se sqlite3.Error
		if errors.As(err, &se) {
			return nil, se
		}
		return nil, errors.New("sqlite: open failed")
	}
	return db, nil
}

func isNotADatabase(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrNotADB
}

// encryptPlaintext encrypts a store written before stores were encrypted, without
// ever leaving it half done: the plaintext file is checkpointed out of WAL, copied
// encrypted into a new file (VACUUM INTO, SQLite3MultipleCiphers' parameters in its
// URI), synced, and renamed over the old one. A crash at any point leaves either the
// whole plaintext store (encrypted at the next open) or the whole encrypted one. A file
// that is not a plaintext SQLite database either is left alone: the key is wrong.
func encryptPlaintext(abs string, key []byte) error {
	db, err := openSQLite(abs, nil, "WAL")
	if err != nil {
		return ErrStoreKey
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	f, err := os.CreateTemp(filepath.Dir(abs), filepath.Base(abs)+".encrypting.*")
	if err != nil {
		return fmt.Errorf("encrypt the store: %w", err)
	}
	tmp := f.Name()
	f.Close()
	os.Remove(tmp) // VACUUM INTO writes a file that does not exist yet
	target := (&url.URL{Scheme: "file", Path: filepath.ToSlash(tmp)}).String() +
		"?cipher=sqlcipher&legacy=4&key=x%27" + hex.EncodeToString(key) + "%27"
	for _, step := range []struct{ what, stmt string }{
		{"checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)"},
		{"leave WAL", "PRAGMA journal_mode=DELETE"},
		{"write the encrypted copy", "VACUUM INTO '" + target + "'"}, // the key stays out of the error
	} {
		if _, err := db.Exec(step.stmt); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("encrypt the store: %s failed", step.what)
		}
	}
	db.Close()
	f, err = os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("encrypt the store: %w", err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, abs)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("encrypt the store: %w", err)
	}
	if d, err := os.Open(filepath.Dir(abs)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func (s *SQLiteStore) Close() error { return s.db.Close() }

func (s *SQLiteStore) AddToken(ctx context.Context, hash []byte, t Token) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO tokens (hash, role, name, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)",
		hash, t.Role, t.Name, msOf(t.Created), msOf(t.Expires))
	return err
}

const tokenColumns = "hash, role, name, created_ms, expires_ms, spent, revoked"

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var hash []byte
	var created, expires int64
	err := sc.Scan(&hash, &t.Role, &t.Name, &created, &expires, &t.Spent, &t.Revoked)
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return t, ErrBadToken
	}
	if err != nil {
		return t, err
	}
	t.ID, t.Created, t.Expires = TokenID(hash), timeOf(created), timeOf(expires)
	return t, nil
}

func (s *SQLiteStore) TokenByHash(ctx context.Context, hash []byte) (Token, error) {
	return scanToken(s.db.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM tokens WHERE hash = ? AND spent = 0 AND revoked = 0", hash))
}

func (s *SQLiteStore) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+tokenColumns+" FROM tokens ORDER BY created_ms, name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *SQLiteStore) RevokeToken(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "UPDATE tokens SET revoked = 1 WHERE lower(hex(substr(hash, 1, 8))) = lower(?)", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrBadToken
	}
	return nil
}

func (s *SQLiteStore) Enroll(ctx context.Context, tokenHash []byte, d Device) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var name string
	err = tx.QueryRowContext(ctx, "SELECT name FROM tokens WHERE hash = ? AND role = ? AND spent = 0 AND revoked = 0 AND (expires_ms = 0 OR expires_ms > ?)",
		tokenHash, RoleEnroll, d.Enrolled.UnixMilli()).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrBadToken
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE tokens SET spent = 1 WHERE hash = ?", tokenHash); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO devices (id, public_key, enrolled_ms, enrolled_as, approved) VALUES (?, ?, ?, ?, ?)",
		d.ID, []byte(d.PublicKey), d.Enrolled.UnixMilli(), name, d.Approved); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("device %s is enrolled already", d.ID)
		}
		return err
	}
	return tx.Commit()
}

func (s *SQLiteStore) Approve(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "UPDATE devices SET approved = 1 WHERE id = ?", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrUnknownDevice
	}
	return nil
}

func scanDevice(sc interface{ Scan(...any) error }) (Device, error) {
	var d Device
	var pub []byte
	var enrolled, seen int64
	err := sc.Scan(&d.ID, &pub, &enrolled, &seen, &d.Head.Seq, &d.Head.Hash, &d.Revoked, &d.Reported, &d.EnrolledAs, &d.Approved)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrUnknownDevice
	}
	if err != nil {
		return d, err
	}
	d.PublicKey = ed25519.PublicKey(pub)
	d.Enrolled = time.UnixMilli(enrolled).UTC()
	if seen != 0 {
		d.LastSeen = time.UnixMilli(seen).UTC()
	}
	return d, nil
}

const deviceColumns = "id, public_key, enrolled_ms, last_seen_ms, last_seq, last_hash, revoked, reported_seq, enrolled_as, approved"

// msOf and timeOf store times as milliseconds, zero as 0.
func msOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func timeOf(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func (s *SQLiteStore) Device(ctx context.Context, id string) (Device, error) {
	return scanDevice(s.db.QueryRowContext(ctx, "SELECT "+deviceColumns+" FROM devices WHERE id = ?", id))
}

func (s *SQLiteStore) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+deviceColumns+" FROM devices ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *SQLiteStore) Revoke(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "UPDATE devices SET revoked = 1 WHERE id = ?", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrUnknownDevice
	}
	return nil
}

func (s *SQLiteStore) Contact(ctx context.Context, device string, reported uint64, seen time.Time) error {
	_, err := s.db.ExecContext(ctx, "UPDATE devices SET reported_seq = max(reported_seq, ?), last_seen_ms = ? WHERE id = ?", reported, seen.UnixMilli(), device)
	return err
}

func (s *SQLiteStore) StoredHash(ctx context.Context, device string, seq uint64) (string, bool, error) {
	var h string
	err := s.db.QueryRowContext(ctx, "SELECT hash FROM log WHERE device = ? AND seq = ?", device, seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return h, err == nil, err
}

func (s *SQLiteStore) Append(ctx context.Context, device string, prev audit.Anchor, recs []LogRecord, heads []audit.Head, seen time.Time) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the one writer
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var seq uint64
	var hash string
	var revoked bool
	if err := tx.QueryRowContext(ctx, "SELECT last_seq, last_hash, revoked FROM devices WHERE id = ?", device).Scan(&seq, &hash, &revoked); err != nil {
		return 0, err
	}
	if revoked {
		return 0, fmt.Errorf("device %s is revoked", device)
	}
	if seq != prev.Seq || hash != prev.Hash {
		return 0, ErrConflict
	}
	if err := continuous(prev, recs); err != nil {
		return 0, err
	}
	var size int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM log").Scan(&size); err != nil {
		return 0, err
	}
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) { return readHashes(ctx, tx, idx) })
	for i, r := range recs {
		idx := size + int64(i)
		hashes, err := tlog.StoredHashes(idx, r.Line, reader)
		if err != nil {
			return 0, err
		}
		base := tlog.StoredHashIndex(0, idx)
		for j, h := range hashes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO tree (id, hash) VALUES (?, ?)", base+int64(j), h[:]); err != nil {
				return 0, err
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO log (idx, device, seq, line, hash, patient, action, time, accepted_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			idx, device, r.Seq, string(r.Line), r.Hash, r.Patient, r.Action, r.Time, seen.UnixMilli()); err != nil {
			return 0, err
		}
		seq, hash = r.Seq, r.Hash
	}
	for _, h := range heads {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO heads (device, seq, hash, sig) VALUES (?, ?, ?, ?)", device, h.Seq, h.Hash, h.Sig); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE devices SET last_seq = ?, last_hash = ?, last_seen_ms = ? WHERE id = ?", seq, hash, seen.UnixMilli(), device); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return size + int64(len(recs)), nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func readHashes(ctx context.Context, q querier, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		rows, err := q.QueryContext(ctx, "SELECT hash FROM tree WHERE id = ?", idx)
		if err != nil {
			return nil, err
		}
		if !rows.Next() {
			rows.Close()
			return nil, fmt.Errorf("tree hash %d missing", idx)
		}
		var b []byte
		err = rows.Scan(&b)
		rows.Close()
		if err != nil {
			return nil, err
		}
		copy(out[i][:], b)
	}
	return out, nil
}

func (s *SQLiteStore) TreeSize(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM log").Scan(&n)
	return n, err
}

func (s *SQLiteStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, s.db, indexes)
}

func (s *SQLiteStore) RecordsForPatient(ctx context.Context, ref string) ([]LogRecord, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT idx, device, seq, line, hash, patient, action, time FROM log WHERE patient = ? ORDER BY idx", ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LogRecord
	for rows.Next() {
		var r LogRecord
		var line string
		if err := rows.Scan(&r.Index, &r.Device, &r.Seq, &line, &r.Hash, &r.Patient, &r.Action, &r.Time); err != nil {
			return nil, err
		}
		r.Line = []byte(line)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *SQLiteStore) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, "UPDATE log SET line = '', patient = '', action = 'purged' WHERE accepted_ms < ? AND line != ''", cutoff.UnixMilli())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s *SQLiteStore) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func (s *SQLiteStore) SetSetting(ctx context.Context, name, value string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value)
	return err
}

func (s *SQLiteStore) Note(ctx context.Context, kind, who, what string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO journal (kind, who, what, at_ms) VALUES (?, ?, ?, ?)", kind, who, what, at.UnixMilli())
	return err
}

func (s *SQLiteStore) Notes(ctx context.Context, kind string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT who || ' ' || what FROM journal WHERE kind = ? ORDER BY id", kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
