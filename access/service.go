package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Settings are the policy values access obeys; the caller reads them from the live
// policy for every call, so a change applies at once.
type Settings struct {
	IdleTimeout        time.Duration
	BreakGlassDuration time.Duration
	// BreakGlassRoles may take emergency access; others are refused (and recorded).
	BreakGlassRoles       []string
	TOTPRequiredRoles     []string
	LockoutAttempts       int
	LockoutBackoff        time.Duration
	InitialAdmins         []string
	AdminEnrollmentSecret string
}

// Service signs users in and out, keeps sessions, and authorizes actions.
type Service struct {
	Store    Store
	Sink     EventSink
	Settings func() Settings
	// Now is the clock; tests pass a fake one.
	Now func() time.Time
	// IsOSAdmin says whether the OS account running Vellum administers the machine.
	IsOSAdmin func() bool
	// OSUser is the name of the OS account running Vellum.
	OSUser func() string
	// Params are the Argon2id costs for new hashes; zero means DefaultParams.
	Params Params
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func (s *Service) params() Params {
	if s.Params == (Params{}) {
		return DefaultParams
	}
	return s.Params
}

func (s *Service) record(ctx context.Context, e Event) error {
	e.Time = s.now()
	if err := s.Sink.Record(ctx, e); err != nil {
		return fmt.Errorf("record %s: %w", e.Kind, err)
	}
	return nil
}

func newID(prefix string) string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b)
}

// TokenHash is how a session's bearer token is stored and looked up.
func TokenHash(token string) []byte { return tokenHash(token) }

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func (s *Service) totpRequired(r Role) bool {
	return slices.Contains(s.Settings().TOTPRequiredRoles, string(r))
}

// NewUser is what AddUser needs.
type NewUser struct {
	Username    string
	DisplayName string
	Role        Role
	Password    string
	// ActingFor names the physician (user name) a scribe drafts for.
	ActingFor string
	// TOTP enrolls a TOTP secret even where policy does not require one.
	TOTP bool
}

// Bootstrap is how a caller with no admin session proves it may create the first admin.
type Bootstrap struct {
	EnrollmentSecret string
}

// AddUser creates a user. by is the admin session doing it; nil for the first admin,
// which Bootstrap and policy must allow (see the package comment). It returns the
// TOTP enrollment URI when the user has TOTP.
func (s *Service) AddUser(ctx context.Context, by *Session, nu NewUser, b Bootstrap) (User, string, error) {
	if err := s.mayAddUser(ctx, by, nu, b); err != nil {
		return User{}, "", err
	}
	if nu.Username == "" {
		return User{}, "", errors.New("add user: no user name")
	}
	if err := CheckPassword(nu.Password); err != nil {
		return User{}, "", fmt.Errorf("add user: %w", err)
	}
	u := User{
		ID: newID("u_"), Username: nu.Username, DisplayName: nu.DisplayName, Role: nu.Role,
		PasswordHash: HashPassword(nu.Password, s.params()), Created: s.now(),
	}
	if u.DisplayName == "" {
		u.DisplayName = nu.Username
	}
	if nu.Role == Scribe {
		if nu.ActingFor == "" {
			return User{}, "", errors.New("add user: a scribe drafts for a physician; name one")
		}
		p, err := s.Store.UserByName(ctx, nu.ActingFor)
		if err != nil || p.Role != Physician {
			return User{}, "", fmt.Errorf("add user: %q is not a physician on this workstation", nu.ActingFor)
		}
		// The physician approves (ApproveScribe): an admin, who sees no note bodies,
		// must not be able to read a physician's notes by making a scribe.
		u.PendingFor = p.ID
	}
	uri := ""
	if nu.TOTP || s.totpRequired(nu.Role) {
		u.TOTPSecret = NewTOTPSecret()
		uri = TOTPURI(u.TOTPSecret, u.Username)
	}
	if err := s.Store.AddUser(ctx, u); err != nil {
		return User{}, "", fmt.Errorf("add user: %w", err)
	}
	actor, role := "", Role("")
	if by != nil {
		actor = by.UserID
		if a, err := s.Store.User(ctx, by.UserID); err == nil {
			role = a.Role
		}
	}
	if err := s.record(ctx, Event{Kind: EventUserAdded, UserID: actor, Role: role, Subject: u.ID,
		Detail: map[string]string{"role": string(u.Role), "bootstrap": fmt.Sprint(by == nil)}}); err != nil {
		return User{}, "", err
	}
	return u, uri, nil
}

func (s *Service) mayAddUser(ctx context.Context, by *Session, nu NewUser, b Bootstrap) error {
	if by != nil {
		return s.Authorize(ctx, by, UserManage, Object{})
	}
	users, err := s.Store.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Role == Admin && !u.Disabled {
			return fmt.Errorf("%w: sign in as an admin first", ErrDenied)
		}
	}
	if nu.Role != Admin {
		return fmt.Errorf("%w: create an admin first (vellum users add NAME --role admin)", ErrNotBootstrapped)
	}
	set := s.Settings()
	switch {
	case len(set.InitialAdmins) > 0 || set.AdminEnrollmentSecret != "":
		// initial_admins names OS accounts, which the OS has authenticated: a Vellum
		// user name alone would let whoever types it first become admin.
		if s.OSUser != nil && slices.Contains(set.InitialAdmins, s.OSUser()) {
			return nil
		}
		if set.AdminEnrollmentSecret != "" && subtle.ConstantTimeCompare([]byte(b.EnrollmentSecret), []byte(set.AdminEnrollmentSecret)) == 1 {
			return nil
		}
		return fmt.Errorf("%w: policy lets the OS accounts in initial_admins, or holders of the enrollment secret, create the first admin, and this is neither", ErrDenied)
	case s.IsOSAdmin != nil && s.IsOSAdmin():
		return nil
	default:
		return fmt.Errorf("%w: the first admin is created from an OS administrator account, or as policy's initial_admins say", ErrDenied)
	}
}

// SignIn checks the password (and TOTP code where the role needs one) and opens a
// session. It returns the session and its bearer token, which the caller keeps (in the
// keychain for the command line). Failures count towards lockout.
func (s *Service) SignIn(ctx context.Context, username, password, code string) (Session, string, error) {
	u, err := s.Store.UserByName(ctx, username)
	if errors.Is(err, ErrNoUser) {
		// Spend the time a real check would, so that timing does not reveal names.
		VerifyPassword(password, HashPassword("x", s.params()))
		if rerr := s.record(ctx, Event{Kind: EventSignInFailed, Detail: map[string]string{"reason": "unknown user"}}); rerr != nil {
			return Session{}, "", rerr
		}
		return Session{}, "", ErrBadCredentials
	}
	if err != nil {
		return Session{}, "", err
	}
	if err := s.checkCredentials(ctx, &u, password, code); err != nil {
		return Session{}, "", err
	}
	token := newID("vt_") + newID("")
	now := s.now()
	sess := Session{ID: newID("s_"), TokenHash: tokenHash(token), UserID: u.ID, Created: now, LastActive: now}
	if err := s.Store.AddSession(ctx, sess); err != nil {
		return Session{}, "", err
	}
	if err := s.record(ctx, Event{Kind: EventSignIn, UserID: u.ID, Role: u.Role, Detail: map[string]string{"session": sess.ID}}); err != nil {
		s.Store.DeleteSession(ctx, sess.ID)
		return Session{}, "", err
	}
	return sess, token, nil
}

// checkCredentials verifies password and code for u, keeping the lockout count.
func (s *Service) checkCredentials(ctx context.Context, u *User, password, code string) error {
	now := s.now()
	set := s.Settings()
	fail := func(kind EventKind, reason string, err error) error {
		if rerr := s.record(ctx, Event{Kind: kind, UserID: u.ID, Role: u.Role, Detail: map[string]string{"reason": reason}}); rerr != nil {
			return rerr
		}
		return err
	}
	was := *u
	if u.Disabled {
		return fail(EventSignInFailed, "disabled", ErrDisabled)
	}
	if now.Before(u.LockedUntil) {
		return fail(EventSignInFailed, "locked out", &LockoutError{Until: u.LockedUntil})
	}
	needCode := u.TOTPSecret != nil || s.totpRequired(u.Role)
	if needCode && u.TOTPSecret == nil {
		return fail(EventSignInFailed, "totp not enrolled", fmt.Errorf("%w, and none is enrolled; ask an admin to run `vellum users reset-totp %s`", ErrCodeRequired, u.Username))
	}
	if needCode && code == "" {
		// Asked before the password is checked, so that the answer says nothing about
		// the password; not a failure: the caller asks for the code and tries again.
		return ErrCodeRequired
	}
	ok, err := VerifyPassword(password, u.PasswordHash)
	if err != nil {
		return err
	}
	if ok && needCode {
		step, good := VerifyTOTP(u.TOTPSecret, code, now, u.TOTPLastStep)
		ok = good
		if good {
			u.TOTPLastStep = step
		}
	}
	if !ok {
		u.FailedAttempts++
		if u.FailedAttempts >= set.LockoutAttempts {
			u.FailedAttempts = 0
			u.Lockouts++
			u.LockedUntil = now.Add(lockoutFor(set.LockoutBackoff, u.Lockouts))
			if err := s.Store.UpdateCredentialState(ctx, *u, was); err != nil {
				return err
			}
			return fail(EventLockedOut, "too many failures", &LockoutError{Until: u.LockedUntil})
		}
		if err := s.Store.UpdateCredentialState(ctx, *u, was); err != nil {
			return err
		}
		return fail(EventSignInFailed, "bad credentials", ErrBadCredentials)
	}
	u.FailedAttempts, u.Lockouts, u.LockedUntil = 0, 0, time.Time{}
	return s.Store.UpdateCredentialState(ctx, *u, was)
}

// lockoutFor doubles the back-off with each consecutive lockout, up to a day.
func lockoutFor(base time.Duration, lockouts int) time.Duration {
	d := base
	for i := 1; i < lockouts && d < 24*time.Hour; i++ {
		d *= 2
	}
	return min(d, 24*time.Hour)
}

// Resume finds the session of a bearer token and marks activity. A session idle past
// the policy's timeout is locked first (a lock event), and ErrSessionLocked returned:
// nothing PHI-bearing is reachable until Unlock.
func (s *Service) Resume(ctx context.Context, token string) (Session, User, error) {
	sess, err := s.Store.SessionByToken(ctx, tokenHash(token))
	if err != nil {
		return Session{}, User{}, err
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return Session{}, User{}, err
	}
	if u.Disabled {
		// Disabling a user ends their sessions at the next use, in an open window too.
		if err := s.Store.DeleteSession(ctx, sess.ID); err != nil {
			return Session{}, User{}, err
		}
		if err := s.record(ctx, Event{Kind: EventSignOut, UserID: u.ID, Role: u.Role,
			Detail: map[string]string{"session": sess.ID, "reason": "disabled"}}); err != nil {
			return Session{}, User{}, err
		}
		return Session{}, User{}, ErrDisabled
	}
	now := s.now()
	if !sess.Locked && now.Sub(sess.LastActive) > s.Settings().IdleTimeout {
		if err := s.lock(ctx, &sess, u, "idle"); err != nil {
			return Session{}, User{}, err
		}
	}
	if sess.Locked {
		return sess, u, ErrSessionLocked
	}
	sess.LastActive = now
	if err := s.Store.UpdateSession(ctx, sess); err != nil {
		return Session{}, User{}, err
	}
	return sess, u, nil
}

// Lock locks a session now (the user walked away, or asked).
func (s *Service) Lock(ctx context.Context, sess *Session) error {
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return err
	}
	return s.lock(ctx, sess, u, "requested")
}

func (s *Service) lock(ctx context.Context, sess *Session, u User, why string) error {
	sess.Locked = true
	if err := s.Store.UpdateSession(ctx, *sess); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventLock, UserID: u.ID, Role: u.Role, Detail: map[string]string{"session": sess.ID, "reason": why}})
}

// Unlock reopens a locked session with the password (and code) again.
func (s *Service) Unlock(ctx context.Context, sess *Session, password, code string) error {
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return err
	}
	if err := s.checkCredentials(ctx, &u, password, code); err != nil {
		return err
	}
	sess.Locked, sess.LastActive = false, s.now()
	if err := s.Store.UpdateSession(ctx, *sess); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventUnlock, UserID: u.ID, Role: u.Role, Detail: map[string]string{"session": sess.ID}})
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, sess Session) error {
	u, _ := s.Store.User(ctx, sess.UserID)
	if err := s.Store.DeleteSession(ctx, sess.ID); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventSignOut, UserID: sess.UserID, Role: u.Role, Detail: map[string]string{"session": sess.ID}})
}

// BreakGlass turns emergency access on for the policy's duration. The reason is
// required and stays in the vault with the session; the event records that it was
// given and for how long.
func (s *Service) BreakGlass(ctx context.Context, sess *Session, reason string) error {
	if len(reason) < 10 {
		return errors.New("break-glass needs a reason of at least 10 characters")
	}
	if sess.Locked {
		return ErrSessionLocked
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return err
	}
	set := s.Settings()
	if !slices.Contains(set.BreakGlassRoles, string(u.Role)) {
		if err := s.record(ctx, Event{Kind: EventDenied, UserID: u.ID, Role: u.Role, Subject: string(EventBreakGlass)}); err != nil {
			return err
		}
		return &DeniedError{Action: Action(EventBreakGlass), Reason: fmt.Sprintf("policy does not let the %s role take emergency access (break_glass_roles)", u.Role)}
	}
	d := set.BreakGlassDuration
	sess.BreakGlassReason, sess.BreakGlassUntil = reason, s.now().Add(d)
	if err := s.Store.UpdateSession(ctx, *sess); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventBreakGlass, UserID: u.ID, Role: u.Role,
		Detail: map[string]string{"session": sess.ID, "duration": d.String(), "until": sess.BreakGlassUntil.Format(time.RFC3339)}})
}

// Subject describes the session's user for Decide.
func (s *Service) Subject(ctx context.Context, sess *Session) (Subject, error) {
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return Subject{}, err
	}
	if u.Disabled {
		return Subject{}, ErrDisabled
	}
	return Subject{UserID: u.ID, Role: u.Role, ActingFor: u.ActingFor, BreakGlass: sess.BreakGlassOn(s.now())}, nil
}

// Authorize decides whether the session may do action on obj. A denial is recorded
// and returned as a *DeniedError. A locked session may do nothing.
func (s *Service) Authorize(ctx context.Context, sess *Session, a Action, obj Object) error {
	if sess.Locked {
		return ErrSessionLocked
	}
	sub, err := s.Subject(ctx, sess)
	if err != nil {
		return err
	}
	d := Decide(sub, a, obj)
	if !d.Allowed {
		if err := s.record(ctx, Event{Kind: EventDenied, UserID: sub.UserID, Role: sub.Role, Subject: string(a)}); err != nil {
			return err
		}
		return &DeniedError{Action: a, Reason: d.Reason}
	}
	return nil
}

// DisableUser disables a user and ends their sessions at their next use.
func (s *Service) DisableUser(ctx context.Context, by *Session, username string) error {
	if err := s.Authorize(ctx, by, UserManage, Object{}); err != nil {
		return err
	}
	u, err := s.Store.UserByName(ctx, username)
	if err != nil {
		return err
	}
	if u.ID == by.UserID {
		return errors.New("an admin cannot disable their own account")
	}
	u.Disabled = true
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventUserDisabled, UserID: by.UserID, Role: Admin, Subject: u.ID})
}

// ResetTOTP gives a user a new TOTP secret and returns its enrollment URI.
func (s *Service) ResetTOTP(ctx context.Context, by *Session, username string) (string, error) {
	if err := s.Authorize(ctx, by, UserManage, Object{}); err != nil {
		return "", err
	}
	u, err := s.Store.UserByName(ctx, username)
	if err != nil {
		return "", err
	}
	u.TOTPSecret, u.TOTPLastStep = NewTOTPSecret(), 0
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return "", err
	}
	if err := s.record(ctx, Event{Kind: EventTOTPReset, UserID: by.UserID, Role: Admin, Subject: u.ID}); err != nil {
		return "", err
	}
	return TOTPURI(u.TOTPSecret, u.Username), nil
}

// ApproveScribe: the signed-in physician accepts a scribe an admin created for them,
// with the scribe at their side, who proves who they are with their own password (and
// TOTP code where they have one), counted against their lockout like a sign-in. Until
// then the scribe can do nothing.
func (s *Service) ApproveScribe(ctx context.Context, by *Session, scribe, password, code string) error {
	if by.Locked {
		return ErrSessionLocked
	}
	p, err := s.Store.User(ctx, by.UserID)
	if err != nil {
		return err
	}
	u, err := s.Store.UserByName(ctx, scribe)
	if err != nil {
		return err
	}
	if p.Role != Physician || u.Role != Scribe || u.PendingFor != p.ID {
		if err := s.record(ctx, Event{Kind: EventDenied, UserID: p.ID, Role: p.Role, Subject: "user.approve_scribe"}); err != nil {
			return err
		}
		return &DeniedError{Action: "user.approve_scribe", Reason: fmt.Sprintf("%s is not a scribe waiting for your approval", scribe)}
	}
	if err := s.checkCredentials(ctx, &u, password, code); err != nil {
		return err
	}
	u.ActingFor, u.PendingFor = p.ID, ""
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventScribeApproved, UserID: p.ID, Role: p.Role, Subject: u.ID})
}

// UnlockUser lets a user locked out by failed sign-ins sign in again at once: an
// admin does it once they have confirmed who asks (the back-off doubles up to a day).
func (s *Service) UnlockUser(ctx context.Context, by *Session, username string) error {
	if err := s.Authorize(ctx, by, UserManage, Object{}); err != nil {
		return err
	}
	u, err := s.Store.UserByName(ctx, username)
	if err != nil {
		return err
	}
	was := u
	u.FailedAttempts, u.Lockouts, u.LockedUntil = 0, 0, time.Time{}
	if err := s.Store.UpdateCredentialState(ctx, u, was); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventUserUnlocked, UserID: by.UserID, Role: Admin, Subject: u.ID,
		Detail: map[string]string{"was_locked_until": was.LockedUntil.Format(time.RFC3339)}})
}

// EnableUser turns a disabled user back on (restored users arrive disabled).
func (s *Service) EnableUser(ctx context.Context, by *Session, username string) error {
	if err := s.Authorize(ctx, by, UserManage, Object{}); err != nil {
		return err
	}
	u, err := s.Store.UserByName(ctx, username)
	if err != nil {
		return err
	}
	u.Disabled = false
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return err
	}
	return s.record(ctx, Event{Kind: EventUserEnabled, UserID: by.UserID, Role: Admin, Subject: u.ID})
}
