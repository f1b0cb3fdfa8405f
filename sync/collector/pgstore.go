package collector

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/vellumhealth/vellum/audit"
)

// PostgresStore is the production store. Several collectors may share one database
// behind a load balancer: Append takes a transaction-scoped advisory lock, so exactly
// one of them extends the log at a time and the log never forks.
type PostgresStore struct {
	pool *pgxpool.Pool
}

// logWriterLock is the advisory lock key of the one log writer.
const logWriterLock = 0x76656c6c756d // "vellum"

const pgSchema = `
CREATE TABLE IF NOT EXISTS tokens (hash BYTEA PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL, spent BOOLEAN NOT NULL DEFAULT false);
CREATE TABLE IF NOT EXISTS devices (
	id TEXT PRIMARY KEY, public_key BYTEA NOT NULL, enrolled_ms BIGINT NOT NULL, last_seen_ms BIGINT NOT NULL DEFAULT 0,
	last_seq BIGINT NOT NULL DEFAULT 0, last_hash TEXT NOT NULL DEFAULT '', revoked BOOLEAN NOT NULL DEFAULT false,
	reported_seq BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS log (
	idx BIGINT PRIMARY KEY, device TEXT NOT NULL, seq BIGINT NOT NULL, line TEXT NOT NULL, hash TEXT NOT NULL,
	patient TEXT NOT NULL, action TEXT NOT NULL, time TEXT NOT NULL, accepted_ms BIGINT NOT NULL, UNIQUE (device, seq));
CREATE INDEX IF NOT EXISTS log_by_patient ON log (patient) WHERE patient <> '';
CREATE TABLE IF NOT EXISTS heads (device TEXT NOT NULL, seq BIGINT NOT NULL, hash TEXT NOT NULL, sig TEXT NOT NULL, PRIMARY KEY (device, seq));
CREATE TABLE IF NOT EXISTS tree (id BIGINT PRIMARY KEY, hash BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS journal (id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL, at_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS created_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS expires_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS revoked BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS enrolled_as TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN IF NOT EXISTS approved BOOLEAN NOT NULL DEFAULT true;
`

// OpenPostgres connects (postgres://...) and creates the tables if needed.
func OpenPostgres(ctx context.Context, url string) (*PostgresStore, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open collector store: %w", err)
	}
	// Concurrent first starts would race on CREATE TABLE IF NOT EXISTS: create the
	// schema in a transaction holding the writer's lock (released at commit, on the
	// one connection that took it).
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", logWriterLock); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, pgSchema)
		return err
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open collector store: %w", err)
	}
	return &PostgresStore{pool: pool}, nil
}

func (s *PostgresStore) Close() error { s.pool.Close(); return nil }

func (s *PostgresStore) AddToken(ctx context.Context, hash []byte, t Token) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO tokens (hash, role, name, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
		hash, t.Role, t.Name, msOf(t.Created), msOf(t.Expires))
	return err
}

func (s *PostgresStore) TokenByHash(ctx context.Context, hash []byte) (Token, error) {
	return scanToken(s.pool.QueryRow(ctx, "SELECT "+tokenColumns+" FROM tokens WHERE hash = $1 AND NOT spent AND NOT revoked", hash))
}

func (s *PostgresStore) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+tokenColumns+" FROM tokens ORDER BY created_ms, name")
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

func (s *PostgresStore) RevokeToken(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, "UPDATE tokens SET revoked = true WHERE encode(substr(hash, 1, 8), 'hex') = lower($1)", id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrBadToken
	}
	return nil
}

func (s *PostgresStore) Enroll(ctx context.Context, tokenHash []byte, d Device) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, "UPDATE tokens SET spent = true WHERE hash = $1 AND role = $2 AND NOT spent AND NOT revoked AND (expires_ms = 0 OR expires_ms > $3) RETURNING name",
			tokenHash, RoleEnroll, d.Enrolled.UnixMilli()).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrBadToken
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO devices (id, public_key, enrolled_ms, enrolled_as, approved) VALUES ($1, $2, $3, $4, $5)",
			d.ID, []byte(d.PublicKey), d.Enrolled.UnixMilli(), name, d.Approved)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return fmt.Errorf("device %s is enrolled already", d.ID)
		}
		return err
	})
}

func (s *PostgresStore) Approve(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, "UPDATE devices SET approved = true WHERE id = $1", id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrUnknownDevice
	}
	return nil
}

const pgDeviceColumns = "id, public_key, enrolled_ms, last_seen_ms, last_seq, last_hash, revoked, reported_seq, enrolled_as, approved"

func scanPgDevice(row pgx.Row) (Device, error) {
	var d Device
	var pub []byte
	var enrolled, seen int64
	var seq, reported int64
	err := row.Scan(&d.ID, &pub, &enrolled, &seen, &seq, &d.Head.Hash, &d.Revoked, &reported, &d.EnrolledAs, &d.Approved)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, ErrUnknownDevice
	}
	if err != nil {
		return d, err
	}
	d.Head.Seq, d.Reported = uint64(seq), uint64(reported)
	d.PublicKey = ed25519.PublicKey(pub)
	d.Enrolled = time.UnixMilli(enrolled).UTC()
	if seen != 0 {
		d.LastSeen = time.UnixMilli(seen).UTC()
	}
	return d, nil
}

func (s *PostgresStore) Device(ctx context.Context, id string) (Device, error) {
	return scanPgDevice(s.pool.QueryRow(ctx, "SELECT "+pgDeviceColumns+" FROM devices WHERE id = $1", id))
}

func (s *PostgresStore) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+pgDeviceColumns+" FROM devices ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		d, err := scanPgDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *PostgresStore) Revoke(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, "UPDATE devices SET revoked = true WHERE id = $1", id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrUnknownDevice
	}
	return nil
}

func (s *PostgresStore) Contact(ctx context.Context, device string, reported uint64, seen time.Time) error {
	_, err := s.pool.Exec(ctx, "UPDATE devices SET reported_seq = greatest(reported_seq, $1), last_seen_ms = $2 WHERE id = $3", int64(reported), seen.UnixMilli(), device)
	return err
}

func (s *PostgresStore) StoredHash(ctx context.Context, device string, seq uint64) (string, bool, error) {
	var h string
	err := s.pool.QueryRow(ctx, "SELECT hash FROM log WHERE device = $1 AND seq = $2", device, int64(seq)).Scan(&h)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return h, err == nil, err
}

func (s *PostgresStore) Append(ctx context.Context, device string, prev audit.Anchor, recs []LogRecord, heads []audit.Head, seen time.Time) (int64, error) {
	var size int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", logWriterLock); err != nil {
			return err
		}
		var seq int64
		var hash string
		var revoked bool
		if err := tx.QueryRow(ctx, "SELECT last_seq, last_hash, revoked FROM devices WHERE id = $1", device).Scan(&seq, &hash, &revoked); err != nil {
			return err
		}
		if revoked {
			return fmt.Errorf("device %s is revoked", device)
		}
		if uint64(seq) != prev.Seq || hash != prev.Hash {
			return ErrConflict
		}
		if err := continuous(prev, recs); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(idx) + 1, 0) FROM log").Scan(&size); err != nil {
			return err
		}
		// Tree hashes of this batch depend on each other: compute them against an
		// overlay of the new ones, then COPY everything in.
		overlay := map[int64]tlog.Hash{}
		reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(idx))
			var need []int64
			for _, i := range idx {
				if _, ok := overlay[i]; !ok {
					need = append(need, i)
				}
			}
			got, err := pgReadHashes(ctx, tx, need)
			if err != nil {
				return nil, err
			}
			for i, id := range idx {
				if h, ok := overlay[id]; ok {
					out[i] = h
				} else {
					out[i] = got[id]
				}
			}
			return out, nil
		})
		treeRows := [][]any{}
		logRows := make([][]any, 0, len(recs))
		for i, r := range recs {
			idx := size + int64(i)
			hashes, err := tlog.StoredHashes(idx, r.Line, reader)
			if err != nil {
				return err
			}
			base := tlog.StoredHashIndex(0, idx)
			for j, h := range hashes {
				overlay[base+int64(j)] = h
				treeRows = append(treeRows, []any{base + int64(j), append([]byte(nil), h[:]...)})
			}
			logRows = append(logRows, []any{idx, device, int64(r.Seq), string(r.Line), r.Hash, r.Patient, r.Action, r.Time, seen.UnixMilli()})
			seq, hash = int64(r.Seq), r.Hash
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tree"}, []string{"id", "hash"}, pgx.CopyFromRows(treeRows)); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"log"}, []string{"idx", "device", "seq", "line", "hash", "patient", "action", "time", "accepted_ms"}, pgx.CopyFromRows(logRows)); err != nil {
			return err
		}
		for _, h := range heads {
			if _, err := tx.Exec(ctx, "INSERT INTO heads (device, seq, hash, sig) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", device, int64(h.Seq), h.Hash, h.Sig); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, "UPDATE devices SET last_seq = $1, last_hash = $2, last_seen_ms = $3 WHERE id = $4", seq, hash, seen.UnixMilli(), device)
		return err
	})
	if err != nil {
		return 0, err
	}
	return size + int64(len(recs)), nil
}

func pgReadHashes(ctx context.Context, q interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}, ids []int64) (map[int64]tlog.Hash, error) {
	out := map[int64]tlog.Hash{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, "SELECT id, hash FROM tree WHERE id = ANY($1)", ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return nil, err
		}
		var h tlog.Hash
		copy(h[:], b)
		out[id] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			return nil, fmt.Errorf("tree hash %d missing", id)
		}
	}
	return out, nil
}

func (s *PostgresStore) TreeSize(ctx context.Context) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, "SELECT coalesce(max(idx) + 1, 0) FROM log").Scan(&n)
	return n, err
}

func (s *PostgresStore) ReadHashes(ctx context.Context, ids []int64) ([]tlog.Hash, error) {
	got, err := pgReadHashes(ctx, s.pool, ids)
	if err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(ids))
	for i, id := range ids {
		out[i] = got[id]
	}
	return out, nil
}

func (s *PostgresStore) RecordsForPatient(ctx context.Context, ref string) ([]LogRecord, error) {
	rows, err := s.pool.Query(ctx, "SELECT idx, device, seq, line, hash, patient, action, time FROM log WHERE patient = $1 ORDER BY idx", ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LogRecord
	for rows.Next() {
		var r LogRecord
		var seq int64
		var line string
		if err := rows.Scan(&r.Index, &r.Device, &seq, &line, &r.Hash, &r.Patient, &r.Action, &r.Time); err != nil {
			return nil, err
		}
		r.Seq, r.Line = uint64(seq), []byte(line)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *PostgresStore) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, "UPDATE log SET line = '', patient = '', action = 'purged' WHERE accepted_ms < $1 AND line <> ''", cutoff.UnixMilli())
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (s *PostgresStore) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, "SELECT value FROM settings WHERE name = $1", name).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func (s *PostgresStore) SetSetting(ctx context.Context, name, value string) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value)
	return err
}

func (s *PostgresStore) Note(ctx context.Context, kind, who, what string, at time.Time) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO journal (kind, who, what, at_ms) VALUES ($1, $2, $3, $4)", kind, who, what, at.UnixMilli())
	return err
}

func (s *PostgresStore) Notes(ctx context.Context, kind string) ([]string, error) {
	rows, err := s.pool.Query(ctx, "SELECT who || ' ' || what FROM journal WHERE kind = $1 ORDER BY id", kind)
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
