package app

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/llm/llamacpp"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// Config says where an App's profile is and what it is wired to. The zero value is
// the real thing: the profile of $VELLUM_PROFILE or the OS user's data folder, the OS
// keychain, the OS policy sources and llama.cpp.
type Config struct {
	// Profile is the profile folder; empty: vault.ProfileDir's default.
	Profile string
	// Keychain holds the vault key, the device key and the command line's session;
	// nil: the OS keychain.
	Keychain vault.Keychain
	// Sources are where policy is read from; nil: policy.DefaultSources of the profile.
	Sources *policy.Sources
	// LoadEngine loads a verified model file; nil: llama.cpp (llamacpp.Load).
	LoadEngine func(path string, o llamacpp.Options) (llm.Engine, error)
	// Speech builds dictation's detector, recognisers and microphone; nil:
	// sherpa-onnx and the OS's audio input.
	Speech SpeechBackend
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Warn hears what the user should know but that stops nothing (a malformed
	// preferences file, a failed launch-at-login change); nil drops it.
	Warn func(error)
	// IsOSAdmin and OSUser are the OS's answers for access's bootstrap rules; nil:
	// the real ones.
	IsOSAdmin func() bool
	OSUser    func() string
	// PasswordParams are the Argon2id costs of new password hashes; zero: access's
	// defaults. Tests make them cheap.
	PasswordParams access.Params
	// WrapJournal, when set, wraps the journal every change is sealed with: tests make
	// it fail at a chosen write to show that no change is stored without its record.
	WrapJournal func(vault.Journal) vault.Journal
}

// App is one running Vellum for one profile. Its methods are safe for concurrent use:
// the window calls them from the UI thread and from the drafting goroutine at once.
type App struct {
	cfg     Config
	dir     string
	sources policy.Sources
	snap    atomic.Pointer[policy.Snapshot]

	// Open with the vault (OpenVault); nil before and after. life guards them: a use
	// case holds it for reading while it runs (update), so that Close, which takes it
	// for writing, waits for the use cases in flight; elsewhere they are read through
	// v and held.
	life    sync.RWMutex
	vault   *vault.Vault
	log     *audit.Log
	journal vault.Journal
	devKey  ed25519.PublicKey

	mu    sync.Mutex
	token string // the session this App acts for; "" when nobody is signed in

	models modelState
	speech speechState
}

// New reads the profile's policy. A malformed machine policy stops it (the
// organisation's settings are unknown); a malformed preferences file is reported to
// Warn and skipped.
func New(cfg Config) (*App, error) {
	dir, err := vault.ProfileDir(cfg.Profile)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, dir: dir}
	if cfg.Sources != nil {
		a.sources = *cfg.Sources
	} else {
		a.sources = policy.DefaultSources(dir)
	}
	if err := a.ReloadPolicy(); err != nil {
		return nil, err
	}
	return a, nil
}

// Dir is the profile folder.
func (a *App) Dir() string { return a.dir }

// PolicySources are the sources the App reads policy from (the window watches them).
func (a *App) PolicySources() policy.Sources { return a.sources }

// Policy is the effective policy now.
func (a *App) Policy() policy.Snapshot { return *a.snap.Load() }

// ReloadPolicy reads policy again from its sources and puts it in force.
func (a *App) ReloadPolicy() error {
	snap, warning, err := policy.Current(a.sources)
	if err != nil {
		return err
	}
	if warning != nil {
		a.warn(fmt.Errorf("ignoring your preferences: %w", warning))
	}
	a.snap.Store(&snap)
	return nil
}

func (a *App) warn(err error) {
	if a.cfg.Warn != nil && err != nil {
		a.cfg.Warn(err)
	}
}

func (a *App) now() time.Time {
	if a.cfg.Now != nil {
		return a.cfg.Now().UTC()
	}
	return time.Now().UTC()
}

func (a *App) keychain() vault.Keychain {
	if a.cfg.Keychain != nil {
		return a.cfg.Keychain
	}
	return vault.SystemKeychain{}
}

// VaultOptions are the options the profile's vault opens with. The escrow recipient
// comes from machine policy alone (recovery_recipient is no user preference): nothing
// a user types or sets in the environment can send the vault key elsewhere.
func (a *App) VaultOptions() vault.Options {
	return vault.Options{Dir: a.dir, Keychain: a.cfg.Keychain, Recipient: a.Policy().String(policy.RecoveryRecipient), Now: a.cfg.Now}
}

// VaultExists says whether the profile has a vault.
func (a *App) VaultExists() bool { return vault.Exists(a.dir) }

// OpenVault opens the profile's vault and its audit journal; create makes a missing
// vault. A device key made now (first run, or a keychain that lost it) is the first
// thing recorded, and a policy that differs from the one last applied to this vault
// is recorded next (policy.changed).
func (a *App) OpenVault(ctx context.Context, create bool) error {
	if a.v() != nil {
		return nil
	}
	o := a.VaultOptions()
	var v *vault.Vault
	var err error
	if create {
		v, err = vault.OpenOrCreate(ctx, o)
	} else {
		v, err = vault.Open(ctx, o)
	}
	if err != nil {
		return err
	}
	key, created, err := audit.LoadDeviceKey(ctx, a.keychain(), v.ID(), vault.ErrKeyMissing)
	if err != nil {
		v.Close()
		return err
	}
	l, err := audit.Open(ctx, v, key, a.siteKey, a.cfg.Now)
	if err != nil {
		v.Close()
		return err
	}
	v.SignBackups(key.Private)
	j := vault.Journal(l)
	if a.cfg.WrapJournal != nil {
		j = a.cfg.WrapJournal(j)
	}
	a.life.Lock()
	a.vault, a.log, a.journal, a.devKey = v, l, j, key.Public()
	a.life.Unlock()
	if created {
		err := a.update(ctx, func(tx *vault.Tx, _ *access.Service) error {
			tx.Record(audit.Entry{Action: audit.DeviceKeyCreated, Object: audit.Object{Type: "device", ID: key.ID},
				Details: map[string]string{"public_key": hex.EncodeToString(key.Public())}, Outcome: audit.OK})
			return nil
		})
		if err != nil {
			a.Close()
			return err
		}
	}
	if err := a.recordPolicyChange(ctx); err != nil {
		a.Close()
		return fmt.Errorf("record the policy in force: %w", err)
	}
	return nil
}

// siteKey is policy's site key for patient references, read at each record.
func (a *App) siteKey() []byte {
	b, _ := hex.DecodeString(a.Policy().String(policy.SiteKey)) // validated by policy
	return b
}

// Close frees the model, closes the journal (waiting for appends in flight), then the
// vault. The App can open the vault again.
func (a *App) Close() {
	a.closeModel()
	a.closeSpeech()
	a.life.Lock()
	v, l := a.vault, a.log
	a.vault, a.log, a.journal = nil, nil, nil
	a.life.Unlock()
	if l != nil {
		l.Close()
	}
	if v != nil {
		v.Close()
	}
}

// v is the open vault, nil when none is: for reads outside a use case's transaction.
func (a *App) v() *vault.Vault {
	a.life.RLock()
	defer a.life.RUnlock()
	return a.vault
}

// ErrNoVault: the use case needs the vault, and the App has not opened it.
var ErrNoVault = errors.New("the vault is not open")

// update runs fn in one vault transaction with access control bound to it: the
// changes fn makes and the records it (or access) adds commit together. A refusal —
// a denial, a failed sign-in, a lockout, a locked or ended session — is an outcome,
// not a fault: its records (and access's lockout count) commit, and the refusal is
// returned. Any other error leaves the vault as it was.
func (a *App) update(ctx context.Context, fn func(tx *vault.Tx, svc *access.Service) error) error {
	a.life.RLock()
	defer a.life.RUnlock()
	if a.vault == nil {
		return ErrNoVault
	}
	var refusal error
	err := a.vault.Update(ctx, a.journal, func(tx *vault.Tx) error {
		err := fn(tx, a.accessIn(tx))
		if isRefusal(err) {
			refusal = err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return refusal
}

func isRefusal(err error) bool {
	if err == nil {
		return false
	}
	if errors.As(err, new(*ErrUnacknowledged)) || errors.As(err, new(*sealedRefusal)) {
		return true
	}
	for _, r := range []error{access.ErrDenied, access.ErrBadCredentials, access.ErrLockedOut, access.ErrDisabled,
		access.ErrSessionLocked, access.ErrCodeRequired, ErrUsePolicyPending} {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}

// accessIn is access control over the transaction: its users, sessions and events
// commit with the change they guard.
func (a *App) accessIn(tx *vault.Tx) *access.Service {
	return &access.Service{
		Store:     tx,
		Sink:      txSink{tx},
		Settings:  a.accessSettings,
		Now:       a.cfg.Now,
		IsOSAdmin: or(a.cfg.IsOSAdmin, access.IsOSAdmin),
		OSUser:    or(a.cfg.OSUser, access.OSUser),
		Params:    a.cfg.PasswordParams,
	}
}

func or[T any](f, dflt func() T) func() T {
	if f != nil {
		return f
	}
	return dflt
}

// accessSettings are the policy values access obeys, read from the live policy at
// each call: a change of break-glass duration, TOTP roles or lockout applies at once.
func (a *App) accessSettings() access.Settings {
	s := a.Policy()
	return access.Settings{
		IdleTimeout:           s.Duration(policy.IdleTimeout),
		BreakGlassDuration:    s.Duration(policy.BreakGlassDuration),
		BreakGlassRoles:       s.Strings(policy.BreakGlassRoles),
		TOTPRequiredRoles:     s.Strings(policy.TOTPRequiredRoles),
		LockoutAttempts:       s.Int(policy.LockoutAttempts),
		LockoutBackoff:        s.Duration(policy.LockoutBackoff),
		InitialAdmins:         s.Strings(policy.InitialAdmins),
		AdminEnrollmentSecret: s.String(policy.AdminEnrollmentSecret),
	}
}

// IdleTimeout is policy's idle lock.
func (a *App) IdleTimeout() time.Duration { return a.Policy().Duration(policy.IdleTimeout) }

// txSink records access's events in the transaction of the change they describe.
type txSink struct{ tx *vault.Tx }

func (s txSink) Record(_ context.Context, ev access.Event) error {
	entry := audit.Entry{User: ev.UserID, Role: string(ev.Role), Action: audit.Action(ev.Kind), Outcome: audit.OK, Details: ev.Detail}
	switch ev.Kind {
	case access.EventSignInFailed, access.EventLockedOut:
		entry.Outcome = audit.Failed
	case access.EventDenied:
		entry.Outcome = audit.DeniedOutcome
		entry.Details = map[string]string{"action": ev.Subject}
	case access.EventUserAdded, access.EventUserDisabled, access.EventUserEnabled, access.EventTOTPReset,
		access.EventScribeApproved, access.EventUserUnlocked:
		entry.Object = audit.Object{Type: "user", ID: ev.Subject}
	}
	if id := ev.Detail["session"]; id != "" {
		entry.Object = audit.Object{Type: "session", ID: id}
	}
	s.tx.Record(entry)
	return nil
}

// DevicePublicKey is the public half of this device's signing key.
func (a *App) DevicePublicKey() ed25519.PublicKey { return a.devKey }

// Device is this device's id in the journal.
func (a *App) Device() string {
	a.life.RLock()
	defer a.life.RUnlock()
	if a.log == nil {
		return ""
	}
	return a.log.Device()
}

// VaultID is the open vault's id ("" when none is open): not secret.
func (a *App) VaultID() string {
	if v := a.v(); v != nil {
		return v.ID()
	}
	return ""
}
