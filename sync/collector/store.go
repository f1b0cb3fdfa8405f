package collector

import (
	"context"
	"crypto/ed25519"
	"errors"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/vellumhealth/vellum/audit"
)

// Device is an enrolled device.
type Device struct {
	ID        string
	PublicKey ed25519.PublicKey
	Enrolled  time.Time
	LastSeen  time.Time
	Head      audit.Anchor // the last record accepted
	Reported  uint64       // the device's own last seq, at its last contact
	Revoked   bool
}

// LogRecord is one accepted record and where it sits in the log.
type LogRecord struct {
	Index   int64
	Device  string
	Seq     uint64
	Line    []byte
	Hash    string
	Patient string
	Action  string
	Time    string
}

// Token roles.
const (
	RoleEnroll  = "enroll"  // one device enrollment, then spent
	RoleAuditor = "auditor" // reports
	RoleAdmin   = "admin"   // devices, revocation, reports
)

// Store is the collector's storage: SQLite embedded, PostgreSQL in production. Append
// is the single writer into the one log: it must serialise with every other Append,
// in this process and in other collector processes on the same store.
type Store interface {
	AddToken(ctx context.Context, hash []byte, role, name string) error
	// TokenRole returns the role and name of an unspent token; ErrBadToken otherwise.
	TokenRole(ctx context.Context, hash []byte) (role, name string, err error)
	// Enroll spends an enrollment token and registers the device, atomically.
	Enroll(ctx context.Context, tokenHash []byte, d Device) error

	Device(ctx context.Context, id string) (Device, error) // ErrUnknownDevice
	Devices(ctx context.Context) ([]Device, error)
	Revoke(ctx context.Context, id string) error

	// Append adds records of one device after prev (which must still be the device's
	// head, else ErrConflict), with the heads that sign them, extends the Merkle tree,
	// and returns the new tree size. All or nothing.
	Append(ctx context.Context, device string, prev audit.Anchor, recs []LogRecord, heads []audit.Head, seen time.Time) (int64, error)
	// Contact notes that the device reached the collector, and how far its own
	// journal goes.
	Contact(ctx context.Context, device string, reported uint64, seen time.Time) error
	// StoredHash returns the device's stored hash of seq, for idempotent resends.
	StoredHash(ctx context.Context, device string, seq uint64) (string, bool, error)

	TreeSize(ctx context.Context) (int64, error)
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
	RecordsForPatient(ctx context.Context, ref string) ([]LogRecord, error)

	// Purge drops the content of records the collector accepted before cutoff (its
	// own clock: a device's may be wrong), keeping their hashes and tree hashes, so
	// every proof still verifies; it returns how many it purged.
	Purge(ctx context.Context, cutoff time.Time) (int64, error)

	// Note keeps a line of the collector's own journal: auditor queries, alerts.
	Note(ctx context.Context, kind, who, what string, at time.Time) error
	Notes(ctx context.Context, kind string) ([]string, error)
	Close() error
}

// Errors callers branch on.
var (
	ErrUnknownDevice = errors.New("device not enrolled")
	ErrBadToken      = errors.New("unknown or spent token")
	ErrConflict      = errors.New("the device's chain moved on meanwhile")
)
