package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// actor is the signed-in user inside one use case's transaction.
type actor struct {
	tx   *vault.Tx
	svc  *access.Service
	sess access.Session
	user access.User
	now  time.Time
}

// act runs fn as the signed-in user, in one transaction: the session is resumed
// first (a session idle past policy is locked, a disabled user's is ended, both
// recorded), and a user who has not accepted the current acceptable-use text is
// refused.
func (a *App) act(ctx context.Context, fn func(c *actor) error) error {
	var who access.User
	err := a.resumed(ctx, func(tx *vault.Tx, svc *access.Service, sess access.Session, u access.User) error {
		who = u
		if _, pending, err := a.usePolicyPending(ctx, tx, u); err != nil {
			return err
		} else if pending {
			return ErrUsePolicyPending
		}
		return fn(&actor{tx: tx, svc: svc, sess: sess, user: u, now: a.now()})
	})
	// A key found deleted or altered mid-session refuses the action, whose
	// transaction is rolled back with whatever it had done; the fault is recorded in
	// one of its own, naming whose key it was (the collector alerts on it).
	var fault *vault.KeyFaultError
	if errors.As(err, &fault) && who.ID != "" {
		reason := "altered"
		if errors.Is(err, vault.ErrNoteKeyDeleted) {
			reason = "missing"
		}
		if rerr := a.update(ctx, func(tx *vault.Tx, _ *access.Service) error {
			recordKeyFault(tx, who, fault.User, reason)
			return nil
		}); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	return err
}

// recordKeyFault records that the vault's note keys were found at fault (reason:
// "missing", "altered", "forged approval") while u acted; object is the user whose
// key or approval it was.
func recordKeyFault(tx *vault.Tx, u access.User, object, reason string) {
	tx.Record(audit.Entry{User: u.ID, Role: string(u.Role), Action: audit.NoteKeysUnavailable,
		Object: audit.Object{Type: "user", ID: object}, Details: map[string]string{"reason": reason}, Outcome: audit.OK})
}

// resumed runs fn with the session resumed (idle lock, disabled user), in one
// transaction. A session that is gone or ended is forgotten: the App then acts for
// nobody.
func (a *App) resumed(ctx context.Context, fn func(tx *vault.Tx, svc *access.Service, sess access.Session, u access.User) error) error {
	tok := a.currentToken()
	if tok == "" {
		return access.ErrNoSession
	}
	err := a.update(ctx, func(tx *vault.Tx, svc *access.Service) error {
		sess, u, err := svc.Resume(ctx, tok)
		if err != nil {
			return err
		}
		if err := tx.UseSessionKeys(ctx, sess.ID, tok); err != nil {
			return err
		}
		if u.Role == access.Physician {
			// An approved scribe's missing copy (taken when they were disabled,
			// given back once enabled) comes with the physician's next action.
			granted, forged, err := tx.GrantScribes(ctx, u.ID)
			if err != nil {
				return err
			}
			recordGrants(tx, u, granted, forged)
		}
		return fn(tx, svc, sess, u)
	})
	if errors.Is(err, access.ErrNoSession) || errors.Is(err, access.ErrDisabled) {
		a.forget(tok)
	}
	return err
}

// DropSession makes the App act for nobody from now on; the session itself stays (a
// shred by an OS administrator needs none).
func (a *App) DropSession() { a.setToken("") }

// forget drops tok if it is still the session the App acts for.
func (a *App) forget(tok string) {
	a.mu.Lock()
	if a.token == tok {
		a.token = ""
	}
	a.mu.Unlock()
}

// authorize asks access whether the user may do action on a note of owner ("" for no
// particular note); a denial is recorded in the transaction.
func (c *actor) authorize(ctx context.Context, action access.Action, owner string) error {
	return c.svc.Authorize(ctx, &c.sess, action, access.Object{Owner: owner})
}

// record adds a record of what the user did, flagged when emergency access is on.
func (c *actor) record(action audit.Action, obj audit.Object, mrn string, details map[string]string) {
	c.tx.Record(c.entry(action, obj, mrn, details))
}

func (c *actor) entry(action audit.Action, obj audit.Object, mrn string, details map[string]string) audit.Entry {
	e := audit.Entry{User: c.user.ID, Role: string(c.user.Role), Action: action, Object: obj, MRN: mrn, Details: details, Outcome: audit.OK}
	if c.sess.BreakGlassOn(c.now) {
		if e.Details == nil {
			e.Details = map[string]string{}
		}
		e.Details["break_glass"] = "true"
	}
	return e
}

// who is the user a use case was authorized for, so that the outcome of a long step
// (a rekey, a backup, a draft) is recorded as theirs even if the session locked or
// the caller stopped meanwhile.
type who struct {
	user, role string
	breakGlass bool
}

func (c *actor) who() who {
	return who{user: c.user.ID, role: string(c.user.Role), breakGlass: c.sess.BreakGlassOn(c.now)}
}

// recordAs records what w did, in a transaction of its own that the caller's end
// does not stop: what happened is recorded even when the caller has gone.
func (a *App) recordAs(ctx context.Context, w who, action audit.Action, obj audit.Object, mrn string, details map[string]string) error {
	if w.breakGlass {
		if details == nil {
			details = map[string]string{}
		}
		details["break_glass"] = "true"
	}
	return a.update(context.WithoutCancel(ctx), func(tx *vault.Tx, _ *access.Service) error {
		tx.Record(audit.Entry{User: w.user, Role: w.role, Action: action, Object: obj, MRN: mrn, Details: details, Outcome: audit.OK})
		return nil
	})
}

func (a *App) currentToken() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.token
}

func (a *App) setToken(tok string) {
	a.mu.Lock()
	a.token = tok
	a.mu.Unlock()
}

// SignIn checks the password (and TOTP code where the role needs one) and makes the
// new session the one this App acts for. access.ErrCodeRequired asks for the code.
func (a *App) SignIn(ctx context.Context, username, password, code string) (access.User, error) {
	var u access.User
	var tok string
	var sealed bool
	err := a.update(ctx, func(tx *vault.Tx, svc *access.Service) error {
		sess, t, err := svc.SignIn(ctx, username, password, code)
		if err != nil {
			return err
		}
		tok = t
		if u, err = tx.User(ctx, sess.UserID); err != nil {
			return err
		}
		sealed, err = a.openKeys(ctx, tx, u, password, sess.ID, tok)
		return err
	})
	if err != nil {
		return access.User{}, err
	}
	a.afterSealing(ctx, sealed)
	a.setToken(tok)
	a.applyLaunchAtLogin()
	return u, nil
}

// Whoami is the signed-in user and their session (emergency access, if on, until
// Session.BreakGlassUntil); it marks activity as any action does.
func (a *App) Whoami(ctx context.Context) (access.User, access.Session, error) {
	var u access.User
	var s access.Session
	err := a.act(ctx, func(c *actor) error {
		u, s = c.user, c.sess
		return nil
	})
	return u, s, err
}

// Signed says whether a session is held (it may be locked).
func (a *App) Signed() bool { return a.currentToken() != "" }

// session runs fn on the held session as stored, locked or not (lock, unlock and
// sign-out act on a locked session).
func (a *App) session(ctx context.Context, fn func(tx *vault.Tx, svc *access.Service, s *access.Session) error) error {
	tok := a.currentToken()
	if tok == "" {
		return access.ErrNoSession
	}
	return a.update(ctx, func(tx *vault.Tx, svc *access.Service) error {
		s, err := tx.SessionByToken(ctx, access.TokenHash(tok))
		if err != nil {
			return err
		}
		return fn(tx, svc, &s)
	})
}

// Lock locks the session now (idle, or the user's choice); unlocking needs the
// password again.
func (a *App) Lock(ctx context.Context) error {
	return a.session(ctx, func(_ *vault.Tx, svc *access.Service, s *access.Session) error {
		if s.Locked {
			return nil
		}
		return svc.Lock(ctx, s)
	})
}

// Unlock reopens the locked session with the signed-in user's password (and code),
// and with it the note keys the lock dropped.
func (a *App) Unlock(ctx context.Context, password, code string) error {
	tok := a.currentToken()
	var sealed bool
	err := a.session(ctx, func(tx *vault.Tx, svc *access.Service, s *access.Session) error {
		if err := svc.Unlock(ctx, s, password, code); err != nil {
			return err
		}
		u, err := tx.User(ctx, s.UserID)
		if err != nil {
			return err
		}
		sealed, err = a.openKeys(ctx, tx, u, password, s.ID, tok)
		return err
	})
	if err == nil {
		a.afterSealing(ctx, sealed)
	}
	return err
}

// openKeys opens the note keys u holds for the session (vault.Tx.OpenKeys) and
// records what that changed; sealed says whether notes were sealed now.
func (a *App) openKeys(ctx context.Context, tx *vault.Tx, u access.User, password, sessionID, tok string) (sealed bool, err error) {
	got, err := tx.OpenKeys(ctx, vault.KeyRequest{UserID: u.ID, Role: u.Role, Password: password,
		Params: a.cfg.PasswordParams, SessionID: sessionID, Token: tok})
	if err != nil {
		return false, err
	}
	rec := func(action audit.Action, details map[string]string) {
		tx.Record(audit.Entry{User: u.ID, Role: string(u.Role), Action: action,
			Object: audit.Object{Type: "user", ID: u.ID}, Details: details, Outcome: audit.OK})
	}
	if got.Created {
		rec(audit.NoteKeysCreated, nil)
	}
	if got.Missing {
		rec(audit.NoteKeysUnavailable, map[string]string{"reason": "missing"})
	} else if got.Unavailable {
		rec(audit.NoteKeysUnavailable, nil)
	}
	if got.Altered {
		recordKeyFault(tx, u, u.ID, "altered")
	}
	for _, s := range got.Waiting {
		tx.Record(audit.Entry{User: u.ID, Role: string(u.Role), Action: audit.NoteKeyApprovalNeeded,
			Object: audit.Object{Type: "user", ID: s}, Outcome: audit.OK})
	}
	if got.Sealed > 0 {
		rec(audit.NotesSealed, map[string]string{"notes": fmt.Sprint(got.Sealed)})
	}
	recordGrants(tx, u, got.Granted, got.Forged)
	return got.Sealed > 0, nil
}

// recordGrants records each scribe given physician u's note key.
func recordGrants(tx *vault.Tx, u access.User, scribes, forged []string) {
	for _, s := range scribes {
		tx.Record(audit.Entry{User: u.ID, Role: string(u.Role), Action: audit.NoteKeyGranted,
			Object: audit.Object{Type: "user", ID: s}, Outcome: audit.OK})
	}
	for _, s := range forged {
		recordKeyFault(tx, u, s, "forged approval")
	}
}

// afterSealing checkpoints the log once notes were sealed: the page images of their
// text in the clear leave the log file (secure delete has zeroed them in the
// database).
func (a *App) afterSealing(ctx context.Context, sealed bool) {
	if v := a.v(); sealed && v != nil {
		v.Checkpoint(ctx)
	}
}

// SignOut ends the session.
func (a *App) SignOut(ctx context.Context) error {
	err := a.session(ctx, func(_ *vault.Tx, svc *access.Service, s *access.Session) error {
		return svc.SignOut(ctx, *s)
	})
	if err == nil || errors.Is(err, access.ErrNoSession) {
		a.setToken("")
	}
	return err
}

// BreakGlass grants the signed-in user emergency access for policy's time, where
// policy's break_glass_roles include their role. The reason stays in the vault; the
// record says that one was given and for how long.
func (a *App) BreakGlass(ctx context.Context, reason string) (until time.Time, err error) {
	err = a.act(ctx, func(c *actor) error {
		if err := c.svc.BreakGlass(ctx, &c.sess, reason); err != nil {
			return err
		}
		until = c.sess.BreakGlassUntil
		return nil
	})
	return until, err
}

// The command line's session lives in the keychain beside the vault key, one per
// vault, bound to the terminal session it began in: a later command from another
// terminal session (the next person at that workstation, after the first closed
// their terminal) finds it ended.
type storedSession struct {
	Token    string `json:"token"`
	Terminal string `json:"terminal"`
}

func (a *App) sessionAccount() string { return "session:" + a.VaultID() }

// KeepCommandSession stores the session signed in now for the commands that follow
// in the same terminal session (terminal names it; "" where the platform cannot
// tell, and then only the idle lock ends it). A session kept before is signed out:
// one command-line session per vault.
func (a *App) KeepCommandSession(ctx context.Context, terminal string) error {
	tok := a.currentToken()
	if tok == "" {
		return access.ErrNoSession
	}
	if old, err := a.storedSession(ctx); err == nil && old.Token != tok {
		a.endSession(ctx, old.Token, "replaced")
	}
	b, _ := json.Marshal(storedSession{Token: tok, Terminal: terminal})
	if err := a.keychain().Set(ctx, a.sessionAccount(), string(b)); err != nil {
		a.SignOut(ctx)
		return err
	}
	return nil
}

// ResumeCommandSession takes up the session `vellum login` kept, if it began in this
// terminal session. One from another terminal session is signed out (recorded) and
// access.ErrNoSession returned.
func (a *App) ResumeCommandSession(ctx context.Context, terminal string) error {
	s, err := a.storedSession(ctx)
	if err != nil {
		return err
	}
	if s.Terminal != terminal {
		a.endSession(ctx, s.Token, "terminal session ended")
		a.keychain().Delete(ctx, a.sessionAccount())
		return access.ErrNoSession
	}
	// A session signed out or ended elsewhere is no session: the entry goes too.
	v := a.v()
	if v == nil {
		return ErrNoVault
	}
	if _, err := v.SessionByToken(ctx, access.TokenHash(s.Token)); errors.Is(err, access.ErrNoSession) {
		a.keychain().Delete(ctx, a.sessionAccount())
		return access.ErrNoSession
	} else if err != nil {
		return err
	}
	a.setToken(s.Token)
	return nil
}

// EndCommandSession signs the kept session out and removes it from the keychain.
func (a *App) EndCommandSession(ctx context.Context) error {
	if err := a.SignOut(ctx); err != nil && !errors.Is(err, access.ErrNoSession) {
		return err
	}
	return a.keychain().Delete(ctx, a.sessionAccount())
}

func (a *App) storedSession(ctx context.Context) (storedSession, error) {
	v, err := a.keychain().Get(ctx, a.sessionAccount())
	if errors.Is(err, vault.ErrKeyMissing) {
		return storedSession{}, access.ErrNoSession
	}
	if err != nil {
		return storedSession{}, err
	}
	var s storedSession
	if json.Unmarshal([]byte(v), &s) != nil || s.Token == "" {
		// A token kept before sessions were bound to a terminal: bound to none.
		s = storedSession{Token: v, Terminal: "(unbound)"}
	}
	return s, nil
}

// endSession signs out the session of tok, recorded with why; a session already gone
// is nothing to end.
func (a *App) endSession(ctx context.Context, tok, why string) {
	a.update(ctx, func(tx *vault.Tx, svc *access.Service) error {
		s, err := tx.SessionByToken(ctx, access.TokenHash(tok))
		if err != nil {
			return nil
		}
		u, _ := tx.User(ctx, s.UserID)
		if err := tx.DeleteSession(ctx, s.ID); err != nil {
			return err
		}
		tx.Record(audit.Entry{User: u.ID, Role: string(u.Role), Action: audit.Action(access.EventSignOut),
			Object: audit.Object{Type: "session", ID: s.ID}, Details: map[string]string{"reason": why}, Outcome: audit.OK})
		return nil
	})
}

// Acceptable use: where policy names a text, each user accepts it at first sign-in
// and again whenever it changes.

// ErrUsePolicyPending: the user has not accepted the organisation's acceptable-use
// text in force; they may accept (AcceptUsePolicy) or refuse (RefuseUsePolicy), and
// nothing else.
var ErrUsePolicyPending = errors.New("accept your organisation's acceptable-use policy first")

// UsePolicy is the organisation's acceptable-use text in force.
type UsePolicy struct {
	Text   string
	SHA256 string
}

// maxUsePolicyBytes bounds the text: a page or two, never a reason to read a disk.
const maxUsePolicyBytes = 256 << 10

// usePolicy reads the text policy names; ok is false when policy names none. A text
// named but unreadable is an error: the control fails closed.
func (a *App) usePolicy() (UsePolicy, bool, error) {
	path := a.Policy().String(policy.AcceptableUseFile)
	if path == "" {
		return UsePolicy{}, false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return UsePolicy{}, false, fmt.Errorf("%w: %v", ErrUsePolicyUnreadable, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxUsePolicyBytes+1))
	if err != nil || len(b) > maxUsePolicyBytes {
		return UsePolicy{}, false, fmt.Errorf("%w: %s is unreadable or longer than %d bytes", ErrUsePolicyUnreadable, path, maxUsePolicyBytes)
	}
	sum := sha256.Sum256(b)
	return UsePolicy{Text: string(b), SHA256: hex.EncodeToString(sum[:])}, true, nil
}

// ErrUsePolicyUnreadable: policy names an acceptable-use text that cannot be read;
// nobody can accept it, so nobody can act until IT fixes it.
var ErrUsePolicyUnreadable = errors.New("the acceptable-use text named by policy (acceptable_use_file) cannot be read")

func usePolicyState(userID string) string { return "use_policy_accepted:" + userID }

// usePolicyPending says whether u must still accept the text in force.
func (a *App) usePolicyPending(ctx context.Context, tx *vault.Tx, u access.User) (UsePolicy, bool, error) {
	p, ok, err := a.usePolicy()
	if err != nil || !ok {
		return p, false, err
	}
	have, _, err := tx.State(ctx, usePolicyState(u.ID))
	if err != nil {
		return p, false, err
	}
	return p, have != p.SHA256, nil
}

// PendingUsePolicy is the acceptable-use text the signed-in user must accept before
// anything else; ok is false when there is none to accept.
func (a *App) PendingUsePolicy(ctx context.Context) (p UsePolicy, ok bool, err error) {
	err = a.resumed(ctx, func(tx *vault.Tx, _ *access.Service, _ access.Session, u access.User) error {
		p, ok, err = a.usePolicyPending(ctx, tx, u)
		return err
	})
	return p, ok, err
}

// AcceptUsePolicy records that the signed-in user accepted the text with this hash
// (the one they were shown); a text changed since returns ErrUsePolicyPending.
func (a *App) AcceptUsePolicy(ctx context.Context, sha256Hex string) error {
	return a.resumed(ctx, func(tx *vault.Tx, _ *access.Service, _ access.Session, u access.User) error {
		p, ok, err := a.usePolicy()
		if err != nil || !ok {
			return err
		}
		if p.SHA256 != sha256Hex {
			return fmt.Errorf("%w (it changed while it was shown)", ErrUsePolicyPending)
		}
		if err := tx.SetState(ctx, usePolicyState(u.ID), p.SHA256); err != nil {
			return err
		}
		tx.Record(audit.Entry{User: u.ID, Role: string(u.Role), Action: audit.Action(access.EventUsePolicyAccepted),
			Object: audit.Object{Type: "user", ID: u.ID}, Details: map[string]string{"text_sha256": p.SHA256}, Outcome: audit.OK})
		return nil
	})
}

// RefuseUsePolicy records the refusal and signs the user out.
func (a *App) RefuseUsePolicy(ctx context.Context) error {
	err := a.resumed(ctx, func(tx *vault.Tx, svc *access.Service, s access.Session, u access.User) error {
		details := map[string]string{}
		if p, ok, err := a.usePolicy(); err == nil && ok {
			details["text_sha256"] = p.SHA256
		}
		tx.Record(audit.Entry{User: u.ID, Role: string(u.Role), Action: audit.Action(access.EventUsePolicyRefused),
			Object: audit.Object{Type: "user", ID: u.ID}, Details: details, Outcome: audit.OK})
		return svc.SignOut(ctx, s)
	})
	if err == nil {
		a.setToken("")
	}
	return err
}

// Can says whether the signed-in user may do action on no particular note now, for
// what a screen offers; nothing is recorded (the use case decides again, and records,
// when it runs). A locked session, or none, may do nothing.
func (a *App) Can(ctx context.Context, action access.Action) bool {
	tok := a.currentToken()
	v := a.v()
	if tok == "" || v == nil {
		return false
	}
	s, err := v.SessionByToken(ctx, access.TokenHash(tok))
	if err != nil || s.Locked {
		return false
	}
	u, err := v.User(ctx, s.UserID)
	if err != nil || u.Disabled {
		return false
	}
	return access.Decide(access.Subject{UserID: u.ID, Role: u.Role, ActingFor: u.ActingFor, BreakGlass: s.BreakGlassOn(a.now())}, action, access.Object{}).Allowed
}
