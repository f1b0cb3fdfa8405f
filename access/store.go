package access

import (
	"context"
	"errors"
	"time"
)

// User is a Vellum user. PasswordHash and TOTPSecret are secrets; the vault keeps them
// encrypted with everything else.
type User struct {
	ID          string
	Username    string
	DisplayName string
	Role        Role
	// ActingFor is the id of the physician a scribe drafts for, once that physician
	// approved; PendingFor holds it until then.
	ActingFor    string
	PendingFor   string
	PasswordHash string
	TOTPSecret   []byte // nil: not enrolled
	TOTPLastStep int64
	Disabled     bool
	// FailedAttempts counts failed sign-ins since the last success or lockout;
	// Lockouts counts consecutive lockouts, for the back-off.
	FailedAttempts int
	Lockouts       int
	LockedUntil    time.Time
	Created        time.Time
}

// Session is one signed-in user on this workstation. Only the hash of its bearer
// token is stored.
type Session struct {
	ID               string
	TokenHash        []byte
	UserID           string
	Created          time.Time
	LastActive       time.Time
	Locked           bool
	BreakGlassReason string // may name a patient: never leaves the vault
	BreakGlassUntil  time.Time
}

// BreakGlassOn says whether emergency access is on at now.
func (s Session) BreakGlassOn(now time.Time) bool { return now.Before(s.BreakGlassUntil) }

// Store keeps users and sessions; the vault implements it.
type Store interface {
	AddUser(ctx context.Context, u User) error // ErrUserExists if the name is taken
	User(ctx context.Context, id string) (User, error)
	UserByName(ctx context.Context, username string) (User, error) // ErrNoUser
	Users(ctx context.Context) ([]User, error)
	UpdateUser(ctx context.Context, u User) error
	// UpdateCredentialState stores u's sign-in counters (failures, lockouts, TOTP step)
	// only if the stored ones still equal was's; ErrConflict otherwise.
	UpdateCredentialState(ctx context.Context, u, was User) error

	AddSession(ctx context.Context, s Session) error
	SessionByToken(ctx context.Context, tokenHash []byte) (Session, error) // ErrNoSession
	UpdateSession(ctx context.Context, s Session) error
	DeleteSession(ctx context.Context, id string) error
}

// Errors callers branch on.
var (
	ErrNoUser          = errors.New("no such user")
	ErrUserExists      = errors.New("a user with that name exists")
	ErrNoSession       = errors.New("not signed in; run `vellum login`")
	ErrBadCredentials  = errors.New("wrong user name, password or code")
	ErrCodeRequired    = errors.New("this role signs in with a TOTP code as well")
	ErrLockedOut       = errors.New("too many failed sign-ins; the account is locked for a while")
	ErrDisabled        = errors.New("the account is disabled")
	ErrSessionLocked   = errors.New("the session is locked; unlock it with your password")
	ErrDenied          = errors.New("not permitted")
	ErrNotBootstrapped = errors.New("only an admin may do this, and no admin exists yet")
	ErrConflict        = errors.New("changed by another sign-in at the same moment")
)

// LockoutError says until when an account is locked out.
type LockoutError struct{ Until time.Time }

func (e *LockoutError) Error() string {
	return ErrLockedOut.Error() + " (until " + e.Until.Local().Format("15:04:05") + ")"
}
func (e *LockoutError) Unwrap() error { return ErrLockedOut }

// DeniedError says why an action was refused.
type DeniedError struct {
	Action Action
	Reason string
}

func (e *DeniedError) Error() string { return "not permitted: " + e.Reason }
func (e *DeniedError) Unwrap() error { return ErrDenied }
