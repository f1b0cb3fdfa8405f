package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// accessService wires access to the open vault, the live policy and the event file.
func (e *env) accessService() (*access.Service, error) {
	snap, err := e.policy()
	if err != nil {
		return nil, err
	}
	return &access.Service{
		Store:     e.vault,
		Sink:      auditSink{e.audit},
		Settings:  func() access.Settings { return accessSettings(snap) },
		IsOSAdmin: access.IsOSAdmin,
		OSUser:    access.OSUser,
	}, nil
}

func accessSettings(s policy.Snapshot) access.Settings {
	return access.Settings{
		IdleTimeout:           s.Duration(policy.IdleTimeout),
		BreakGlassDuration:    s.Duration(policy.BreakGlassDuration),
		TOTPRequiredRoles:     s.Strings(policy.TOTPRequiredRoles),
		LockoutAttempts:       s.Int(policy.LockoutAttempts),
		LockoutBackoff:        s.Duration(policy.LockoutBackoff),
		InitialAdmins:         s.Strings(policy.InitialAdmins),
		AdminEnrollmentSecret: s.String(policy.AdminEnrollmentSecret),
	}
}

// The command line's session token lives in the keychain beside the vault key, one per
// vault: `vellum login` puts it there, every command resumes it.
func sessionAccount(v *vault.Vault) string { return "session:" + v.ID() }

func (e *env) storedToken(ctx context.Context) (string, error) {
	tok, err := vault.SystemKeychain{}.Get(ctx, sessionAccount(e.vault))
	if errors.Is(err, vault.ErrKeyMissing) {
		return "", access.ErrNoSession
	}
	return tok, err
}

// signIn resumes the signed-in session; commands that need one call it (dispatch does,
// for commands with auth set). A session idle past policy is locked here.
func (e *env) signIn(ctx context.Context) error {
	svc, err := e.accessService()
	if err != nil {
		return err
	}
	tok, err := e.storedToken(ctx)
	if err != nil {
		return err
	}
	sess, u, err := svc.Resume(ctx, tok)
	if errors.Is(err, access.ErrSessionLocked) {
		return fmt.Errorf("%w (`vellum unlock`)", err)
	}
	if err != nil {
		return err
	}
	e.svc, e.sess, e.user = svc, &sess, u
	if sess.BreakGlassOn(time.Now()) {
		fmt.Fprintf(e.stderr, "vellum: EMERGENCY ACCESS is on for %s until %s\n", u.Username, sess.BreakGlassUntil.Local().Format("15:04"))
	}
	return nil
}

// authorize asks access whether the signed-in user may do a on a note of owner.
func (e *env) authorize(ctx context.Context, a access.Action, owner string) error {
	return e.svc.Authorize(ctx, e.sess, a, access.Object{Owner: owner})
}

// readLine reads one line of input: from the terminal without echo when stdin is one
// (a password, a code), else the next line of stdin (scripts, tests).
func (e *env) readLine(prompt string, secret bool) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, prompt)
		var b []byte
		var err error
		if secret {
			b, err = term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(e.stderr)
		} else {
			var s string
			s, err = e.lines().ReadString('\n')
			b = []byte(s)
		}
		return strings.TrimRight(string(b), "\r\n"), err
	}
	s, err := e.lines().ReadString('\n')
	if err != nil && s == "" {
		return "", fmt.Errorf("%s: no input", strings.TrimSuffix(strings.TrimSpace(prompt), ":"))
	}
	return strings.TrimRight(s, "\r\n"), nil
}

func (e *env) lines() *bufio.Reader {
	if e.in == nil {
		e.in = bufio.NewReader(e.stdin)
	}
	return e.in
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// openSignedIn opens the profile's vault and resumes the signed-in session, for the
// commands that validate their input before touching the profile (so that a usage error
// never creates a vault).
func (e *env) openSignedIn(ctx context.Context, create bool) error {
	if _, err := e.openVault(ctx, create); err != nil {
		return err
	}
	if err := e.signIn(ctx); err != nil {
		e.closeVault()
		return err
	}
	return nil
}

// newNoteOwner is the physician a note written now belongs to — the user, or a scribe's
// physician — once access allows the user to create one.
func (e *env) newNoteOwner(ctx context.Context) (string, error) {
	sub, err := e.svc.Subject(ctx, e.sess)
	if err != nil {
		return "", err
	}
	if err := e.authorize(ctx, access.NoteCreate, sub.Owner()); err != nil {
		return "", err
	}
	return sub.Owner(), nil
}
