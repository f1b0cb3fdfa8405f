package access_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/vault"
	"github.com/vellumhealth/vellum/vault/vaulttest"
)

// These tests run the Service against a real vault (users and sessions in the
// encrypted store) with a fake clock and a sink that keeps the events.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type events struct {
	mu  sync.Mutex
	all []access.Event
}

func (e *events) Record(_ context.Context, ev access.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
	return nil
}

func (e *events) kinds() []access.EventKind {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []access.EventKind
	for _, ev := range e.all {
		out = append(out, ev.Kind)
	}
	return out
}

func (e *events) last() access.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.all[len(e.all)-1]
}

type fixture struct {
	svc      *access.Service
	clock    *clock
	events   *events
	settings access.Settings
	osAdmin  bool
	osUser   string
	v        *vault.Vault
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{
		clock:  &clock{t: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)},
		events: &events{},
		settings: access.Settings{IdleTimeout: 10 * time.Minute, BreakGlassDuration: time.Hour,
			BreakGlassRoles: []string{"physician"}, LockoutAttempts: 3, LockoutBackoff: 30 * time.Second},
		osAdmin: true,
	}
	f.v = vaulttest.New(t, vault.Options{})
	f.svc = &access.Service{Store: f.v, Sink: f.events, Now: f.clock.Now,
		Settings: func() access.Settings { return f.settings }, IsOSAdmin: func() bool { return f.osAdmin },
		OSUser: func() string { return f.osUser },
		Params: access.Params{MemoryKiB: 64, Time: 1, Threads: 1}}
	return f
}

const pw = "synthetic-password-1"

func (f *fixture) admin(t *testing.T) access.Session {
	t.Helper()
	if _, _, err := f.svc.AddUser(context.Background(), nil, access.NewUser{Username: "root.admin", Role: access.Admin, Password: pw}, access.Bootstrap{}); err != nil {
		t.Fatal(err)
	}
	s, _, err := f.svc.SignIn(context.Background(), "root.admin", pw, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *fixture) user(t *testing.T, by *access.Session, name string, role access.Role, actingFor string) string {
	t.Helper()
	_, uri, err := f.svc.AddUser(context.Background(), by, access.NewUser{Username: name, Role: role, Password: pw, ActingFor: actingFor}, access.Bootstrap{})
	if err != nil {
		t.Fatal(err)
	}
	return uri
}

// code is what the user's authenticator app shows for the enrolled URI.
func code(t *testing.T, uri string, now time.Time) string {
	secret, err := access.SecretFromURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return access.TOTPCode(secret, now)
}

func TestFirstAdminNeedsWhatPolicySays(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		settings func(*access.Settings)
		osAdmin  bool
		osUser   string
		secret   string
		ok       bool
	}{
		{"an OS administrator may create the first admin when policy names none", nil, true, "someone", "", true},
		{"an ordinary OS account may not", nil, false, "someone", "", false},
		{"an OS account in initial_admins may", func(s *access.Settings) { s.InitialAdmins = []string{"it.lead"} }, false, "it.lead", "", true},
		{"another OS account may not, even an administrator", func(s *access.Settings) { s.InitialAdmins = []string{"it.lead"} }, true, "intruder", "", false},
		{"the enrollment secret opens it", func(s *access.Settings) { s.AdminEnrollmentSecret = "s3cret-enroll" }, false, "someone", "s3cret-enroll", true},
		{"a wrong secret does not", func(s *access.Settings) { s.AdminEnrollmentSecret = "s3cret-enroll" }, false, "someone", "guess", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.osAdmin, f.osUser = tt.osAdmin, tt.osUser
			if tt.settings != nil {
				tt.settings(&f.settings)
			}
			_, _, err := f.svc.AddUser(ctx, nil, access.NewUser{Username: "first.admin", Role: access.Admin, Password: pw}, access.Bootstrap{EnrollmentSecret: tt.secret})
			if (err == nil) != tt.ok {
				t.Fatalf("AddUser = %v, want ok=%v", err, tt.ok)
			}
		})
	}
	t.Run("the first person to launch does not become admin", func(t *testing.T) {
		f := newFixture(t)
		if _, _, err := f.svc.AddUser(ctx, nil, access.NewUser{Username: "doc", Role: access.Physician, Password: pw}, access.Bootstrap{}); !errors.Is(err, access.ErrNotBootstrapped) {
			t.Fatalf("AddUser(physician, no admin) = %v", err)
		}
	})
	t.Run("once an admin exists, bootstrap is closed", func(t *testing.T) {
		f := newFixture(t)
		f.admin(t)
		if _, _, err := f.svc.AddUser(ctx, nil, access.NewUser{Username: "second", Role: access.Admin, Password: pw}, access.Bootstrap{}); !errors.Is(err, access.ErrDenied) {
			t.Fatalf("second bootstrap = %v", err)
		}
	})
}

func TestSignInLockoutAndBackoff(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.a", access.Physician, "")
	for i := 0; i < 2; i++ {
		if _, _, err := f.svc.SignIn(ctx, "dr.a", "wrong-password-x", ""); !errors.Is(err, access.ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, _, err := f.svc.SignIn(ctx, "dr.a", "wrong-password-x", "")
	var lo *access.LockoutError
	if !errors.As(err, &lo) || !lo.Until.Equal(f.clock.Now().Add(30*time.Second)) {
		t.Fatalf("third failure = %v, want a 30 s lockout", err)
	}
	if _, _, err := f.svc.SignIn(ctx, "dr.a", pw, ""); !errors.Is(err, access.ErrLockedOut) {
		t.Fatalf("right password during lockout = %v", err)
	}
	f.clock.Advance(31 * time.Second)
	for i := 0; i < 3; i++ {
		f.svc.SignIn(ctx, "dr.a", "wrong-password-x", "")
	}
	_, _, err = f.svc.SignIn(ctx, "dr.a", pw, "")
	if !errors.As(err, &lo) || lo.Until.Sub(f.clock.Now()) != 60*time.Second {
		t.Fatalf("second lockout = %v, want 60 s", err)
	}
	f.clock.Advance(61 * time.Second)
	if _, _, err := f.svc.SignIn(ctx, "dr.a", pw, ""); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	if _, _, err := f.svc.SignIn(ctx, "nobody", pw, ""); !errors.Is(err, access.ErrBadCredentials) {
		t.Fatalf("unknown user = %v, want the same error as a wrong password", err)
	}
	k := f.events.kinds()
	for _, want := range []access.EventKind{access.EventSignInFailed, access.EventLockedOut, access.EventSignIn} {
		if !contains(k, want) {
			t.Errorf("no %s event in %v", want, k)
		}
	}
}

func contains(ks []access.EventKind, k access.EventKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func TestTOTPRequiredByPolicyPerRole(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.settings.TOTPRequiredRoles = []string{"auditor"}
	uri := f.user(t, &adm, "aud", access.Auditor, "")
	if uri == "" {
		t.Fatal("no enrollment URI for a role that requires TOTP")
	}
	if f.user(t, &adm, "dr.b", access.Physician, "") != "" {
		t.Fatal("TOTP enrolled for a role that does not require it")
	}
	if _, _, err := f.svc.SignIn(ctx, "aud", pw, ""); !errors.Is(err, access.ErrCodeRequired) {
		t.Fatalf("no code = %v", err)
	}
	if _, _, err := f.svc.SignIn(ctx, "aud", "wrong-password-x", ""); !errors.Is(err, access.ErrCodeRequired) {
		t.Fatalf("no code, wrong password = %v: the answer must not reveal the password was wrong", err)
	}
	if _, _, err := f.svc.SignIn(ctx, "aud", pw, "000000"); !errors.Is(err, access.ErrBadCredentials) {
		t.Fatalf("wrong code = %v", err)
	}
	c := code(t, uri, f.clock.Now())
	if _, _, err := f.svc.SignIn(ctx, "aud", pw, c); err != nil {
		t.Fatalf("right code = %v", err)
	}
	if _, _, err := f.svc.SignIn(ctx, "aud", pw, c); !errors.Is(err, access.ErrBadCredentials) {
		t.Fatalf("replayed code = %v", err)
	}
	// Policy turns TOTP on for a role whose users have none: they are told to enroll.
	f.settings.TOTPRequiredRoles = []string{"auditor", "physician"}
	if _, _, err := f.svc.SignIn(ctx, "dr.b", pw, "123456"); !errors.Is(err, access.ErrCodeRequired) || !strings.Contains(err.Error(), "reset-totp") {
		t.Fatalf("TOTP newly required = %v", err)
	}
	uri, err := f.svc.ResetTOTP(ctx, &adm, "dr.b")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SignIn(ctx, "dr.b", pw, code(t, uri, f.clock.Now())); err != nil {
		t.Fatalf("after reset-totp: %v", err)
	}
}

func TestIdleSessionLocksAndUnlocksWithPassword(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.c", access.Physician, "")
	_, token, err := f.svc.SignIn(ctx, "dr.c", pw, "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(9 * time.Minute)
	if _, _, err := f.svc.Resume(ctx, token); err != nil {
		t.Fatalf("after 9 minutes: %v", err)
	}
	f.clock.Advance(9 * time.Minute) // activity reset the timer
	sess, _, err := f.svc.Resume(ctx, token)
	if err != nil {
		t.Fatalf("9 minutes after the last activity: %v", err)
	}
	f.clock.Advance(10*time.Minute + time.Second)
	sess, _, err = f.svc.Resume(ctx, token)
	if !errors.Is(err, access.ErrSessionLocked) {
		t.Fatalf("after 10 idle minutes: %v", err)
	}
	if ev := f.events.last(); ev.Kind != access.EventLock || ev.Detail["reason"] != "idle" {
		t.Fatalf("last event %+v, want an idle lock", ev)
	}
	if err := f.svc.Authorize(ctx, &sess, access.NoteView, access.Object{Owner: sess.UserID}); !errors.Is(err, access.ErrSessionLocked) {
		t.Fatalf("a locked session was authorized: %v", err)
	}
	if err := f.svc.Unlock(ctx, &sess, "wrong-password-x", ""); err == nil {
		t.Fatal("unlocked with a wrong password")
	}
	if err := f.svc.Unlock(ctx, &sess, pw, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Resume(ctx, token); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	// A policy change to the timeout applies at once.
	f.settings.IdleTimeout = time.Minute
	f.clock.Advance(61 * time.Second)
	if _, _, err := f.svc.Resume(ctx, token); !errors.Is(err, access.ErrSessionLocked) {
		t.Fatalf("with a 1-minute timeout: %v", err)
	}
}

func TestBreakGlassExpiresAndIsRecorded(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.d", access.Physician, "")
	f.user(t, &adm, "dr.e", access.Physician, "")
	other, _ := f.v.UserByName(ctx, "dr.e")
	sess, _, err := f.svc.SignIn(ctx, "dr.d", pw, "")
	if err != nil {
		t.Fatal(err)
	}
	obj := access.Object{Owner: other.ID}
	var denied *access.DeniedError
	if err := f.svc.Authorize(ctx, &sess, access.NoteView, obj); !errors.As(err, &denied) {
		t.Fatalf("viewing a colleague's note = %v", err)
	}
	if err := f.svc.BreakGlass(ctx, &sess, "short"); err == nil {
		t.Fatal("break-glass without a real reason")
	}
	reason := "Synthetic emergency: covering colleague's patient"
	if err := f.svc.BreakGlass(ctx, &sess, reason); err != nil {
		t.Fatal(err)
	}
	ev := f.events.last()
	if ev.Kind != access.EventBreakGlass || ev.Detail["duration"] != "1h0m0s" {
		t.Fatalf("event %+v", ev)
	}
	if strings.Contains(fmt.Sprint(f.events.all), "Synthetic emergency") {
		t.Fatal("the break-glass reason reached an event")
	}
	if err := f.svc.Authorize(ctx, &sess, access.NoteView, obj); err != nil {
		t.Fatalf("under break-glass: %v", err)
	}
	if err := f.svc.Authorize(ctx, &sess, access.NoteSign, obj); err == nil {
		t.Fatal("break-glass let a physician sign a colleague's note")
	}
	f.clock.Advance(time.Hour + time.Second)
	if err := f.svc.Authorize(ctx, &sess, access.NoteView, obj); !errors.As(err, &denied) {
		t.Fatalf("after expiry = %v", err)
	}
}

func TestScribeDraftsForOnePhysician(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.f", access.Physician, "")
	if _, _, err := f.svc.AddUser(ctx, &adm, access.NewUser{Username: "sc", Role: access.Scribe, Password: pw}, access.Bootstrap{}); err == nil {
		t.Fatal("a scribe without a physician was created")
	}
	if _, _, err := f.svc.AddUser(ctx, &adm, access.NewUser{Username: "sc", Role: access.Scribe, Password: pw, ActingFor: "root.admin"}, access.Bootstrap{}); err == nil {
		t.Fatal("a scribe for an admin was created")
	}
	f.user(t, &adm, "sc", access.Scribe, "dr.f")
	doc, _ := f.v.UserByName(ctx, "dr.f")
	sess, _, _ := f.svc.SignIn(ctx, "sc", pw, "")
	// An admin made the scribe; until the physician approves, the scribe can do
	// nothing — or an admin could read notes through a scribe of their own making.
	if err := f.svc.Authorize(ctx, &sess, access.NoteCreate, access.Object{Owner: doc.ID}); err == nil {
		t.Fatal("an unapproved scribe may draft")
	}
	if err := f.svc.ApproveScribe(ctx, &adm, "sc", pw, ""); err == nil {
		t.Fatal("the admin approved a scribe")
	}
	docSess, _, _ := f.svc.SignIn(ctx, "dr.f", pw, "")
	// The scribe proves who they are at the physician's side; a wrong password is a
	// failed sign-in of theirs.
	if err := f.svc.ApproveScribe(ctx, &docSess, "sc", "not the scribe's password", ""); !errors.Is(err, access.ErrBadCredentials) {
		t.Fatalf("approved with a wrong scribe password: %v", err)
	}
	if sc, _ := f.v.UserByName(ctx, "sc"); sc.FailedAttempts != 1 || sc.PendingFor != doc.ID {
		t.Fatalf("a wrong scribe password: %d failures counted, pending for %q", sc.FailedAttempts, sc.PendingFor)
	}
	if err := f.svc.ApproveScribe(ctx, &docSess, "sc", pw, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Authorize(ctx, &sess, access.NoteCreate, access.Object{Owner: doc.ID}); err != nil {
		t.Fatalf("scribe drafting for their physician: %v", err)
	}
	if err := f.svc.Authorize(ctx, &sess, access.NoteSign, access.Object{Owner: doc.ID}); err == nil {
		t.Fatal("a scribe may sign")
	}
	if err := f.svc.Authorize(ctx, &sess, access.UserManage, access.Object{}); err == nil {
		t.Fatal("a scribe may manage users")
	}
	if f.events.last().Kind != access.EventDenied {
		t.Fatal("a denial was not recorded")
	}
}

func TestDisabledUserLosesSessions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.g", access.Physician, "")
	_, token, _ := f.svc.SignIn(ctx, "dr.g", pw, "")
	if err := f.svc.DisableUser(ctx, &adm, "dr.g"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Resume(ctx, token); !errors.Is(err, access.ErrDisabled) {
		t.Fatalf("Resume after disable = %v", err)
	}
	if _, _, err := f.svc.SignIn(ctx, "dr.g", pw, ""); !errors.Is(err, access.ErrDisabled) {
		t.Fatalf("SignIn after disable = %v", err)
	}
	if err := f.svc.DisableUser(ctx, &adm, "root.admin"); err == nil {
		t.Fatal("an admin disabled their own account")
	}
}

func TestEventsCarryNoSecrets(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.h", access.Physician, "")
	f.svc.SignIn(ctx, "dr.h", "wrong-password-x", "")
	f.svc.SignIn(ctx, "dr.h", pw, "")
	all := fmt.Sprintf("%+v", f.events.all)
	for _, secret := range []string{pw, "wrong-password-x", "argon2id"} {
		if strings.Contains(all, secret) {
			t.Errorf("events carry %q", secret)
		}
	}
}

func TestBreakGlassIsForThePolicysRoles(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.f", access.Physician, "")
	f.user(t, &adm, "a.auditor", access.Auditor, "")
	sess, _, err := f.svc.SignIn(ctx, "a.auditor", pw, "")
	if err != nil {
		t.Fatal(err)
	}
	var denied *access.DeniedError
	if err := f.svc.BreakGlass(ctx, &sess, "Synthetic reason, long enough"); !errors.As(err, &denied) {
		t.Fatalf("an auditor took emergency access by default: %v", err)
	}
	if ev := f.events.last(); ev.Kind != access.EventDenied || ev.Subject != string(access.EventBreakGlass) {
		t.Fatalf("the refusal was recorded as %+v", ev)
	}
	f.settings.BreakGlassRoles = []string{"physician", "auditor"}
	if err := f.svc.BreakGlass(ctx, &sess, "Synthetic reason, long enough"); err != nil {
		t.Fatalf("policy now allows auditors: %v", err)
	}
}

func TestAnAdminUnlocksALockedOutAccount(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.g", access.Physician, "")
	for range 3 {
		f.svc.SignIn(ctx, "dr.g", "wrong-password-xx", "")
	}
	if _, _, err := f.svc.SignIn(ctx, "dr.g", pw, ""); !errors.Is(err, access.ErrLockedOut) {
		t.Fatalf("after three failures: %v", err)
	}
	phys, _, _ := f.svc.SignIn(ctx, "root.admin", pw, "")
	if err := f.svc.UnlockUser(ctx, &phys, "dr.g"); err != nil {
		t.Fatal(err)
	}
	if ev := f.events.last(); ev.Kind != access.EventUserUnlocked {
		t.Fatalf("unlock recorded as %+v", ev)
	}
	if _, _, err := f.svc.SignIn(ctx, "dr.g", pw, ""); err != nil {
		t.Fatalf("after the admin's unlock: %v", err)
	}
	g, _, _ := f.svc.SignIn(ctx, "dr.g", pw, "")
	if err := f.svc.UnlockUser(ctx, &g, "root.admin"); !errors.Is(err, access.ErrDenied) {
		t.Fatalf("a physician unlocked an account: %v", err)
	}
}

func TestADisabledUsersOpenSessionIsRefusedAtItsNextAction(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	adm := f.admin(t)
	f.user(t, &adm, "dr.h", access.Physician, "")
	sess, token, err := f.svc.SignIn(ctx, "dr.h", pw, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DisableUser(ctx, &adm, "dr.h"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Authorize(ctx, &sess, access.NoteList, access.Object{}); !errors.Is(err, access.ErrDisabled) {
		t.Fatalf("the open session acted after the user was disabled: %v", err)
	}
	if _, _, err := f.svc.Resume(ctx, token); !errors.Is(err, access.ErrDisabled) {
		t.Fatalf("resume: %v", err)
	}
	if ev := f.events.last(); ev.Kind != access.EventSignOut || ev.Detail["reason"] != "disabled" {
		t.Fatalf("the ended session was recorded as %+v", ev)
	}
}
