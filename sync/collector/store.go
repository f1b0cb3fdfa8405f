package collector

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
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
	// EnrolledAs is the name of the token the device enrolled with (the workstation
	// IT made it for).
	EnrolledAs string
	// Approved: an admin let the device deliver (or the collector did not ask for
	// approval when it enrolled); until then its batches are refused.
	Approved bool
}

// Token is a bearer token of the collector, as an admin lists it: never the token.
type Token struct {
	// ID names the token in lists and revocation: the first 8 bytes of its hash, hex.
	ID      string
	Role    string
	Name    string
	Created time.Time
	// Expires: the token is refused from then on; zero never expires.
	Expires time.Time
	Spent   bool // an enrollment token, used
	Revoked bool
}

// TokenID is how a token is named in lists: the first 8 bytes of its hash, hex.
func TokenID(hash []byte) string { return hex.EncodeToString(hash[:8]) }

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
	// AddToken stores a token's hash (never the token) with t's role, name, creation
	// and expiry.
	AddToken(ctx context.Context, hash []byte, t Token) error
	// TokenByHash returns the token of hash, unspent and unrevoked; ErrBadToken
	// otherwise. The caller checks its expiry against its own clock.
	TokenByHash(ctx context.Context, hash []byte) (Token, error)
	// Tokens lists every token, spent and revoked ones included.
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken refuses the token with this id from now on; ErrBadToken if none.
	RevokeToken(ctx context.Context, id string) error
	// Enroll spends an enrollment token unexpired at d.Enrolled and registers the
	// device with the token's name, approved as d.Approved says, atomically.
	Enroll(ctx context.Context, tokenHash []byte, d Device) error
	// Approve lets an enrolled device deliver; ErrUnknownDevice if none.
	Approve(ctx context.Context, id string) error
	// Setting returns a setting shared by every collector on the store ("" when unset);
	// SetSetting sets it.
	Setting(ctx context.Context, name string) (string, error)
	SetSetting(ctx context.Context, name, value string) error

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

// continuous checks that recs carry the numbers right after prev, in order: a store
// keeps a device's chain gapless whatever its caller verified.
func continuous(prev audit.Anchor, recs []LogRecord) error {
	for i, r := range recs {
		if want := prev.Seq + 1 + uint64(i); r.Seq != want {
			return fmt.Errorf("%w: record %d where %d belongs", ErrGap, r.Seq, want)
		}
	}
	return nil
}

// Errors callers branch on.
var (
	ErrUnknownDevice = errors.New("device not enrolled")
	ErrBadToken      = errors.New("unknown, spent, revoked or expired token")
	ErrConflict      = errors.New("the device's chain moved on meanwhile")
	ErrGap           = errors.New("records out of sequence")
)
