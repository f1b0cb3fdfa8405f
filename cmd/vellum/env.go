package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/policy"
)

// env is what every command shares: the streams, the global flags, and the
// application core the verbs call.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	profile string
	// sources, when set, replace the policy's sources (tests in this process).
	sources *policy.Sources

	app *app.App      // made on first use
	in  *bufio.Reader // buffered stdin, shared by every read of a line
}

func (e *env) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.profile, "profile", e.profile, "profile directory (default $VELLUM_PROFILE, else the OS user data dir)")
}

// core is the application for this profile, reading its policy on first use. A
// malformed machine policy stops the command (the organisation's settings are
// unknown); a malformed preferences file is reported and skipped.
func (e *env) core() (*app.App, error) {
	if e.app != nil {
		return e.app, nil
	}
	a, err := app.New(app.Config{Profile: e.profile, Sources: e.sources,
		Warn: func(err error) { fmt.Fprintf(e.stderr, "vellum: %s\n", errorLine(err)) }})
	if err != nil {
		return nil, err
	}
	e.app = a
	return a, nil
}

// policy is the effective policy for this profile.
func (e *env) policy() (policy.Snapshot, error) {
	a, err := e.core()
	if err != nil {
		return policy.Snapshot{}, err
	}
	return a.Policy(), nil
}

// openVault opens the profile's vault; create says whether a missing one is made.
func (e *env) openVault(ctx context.Context, create bool) (*app.App, error) {
	a, err := e.core()
	if err != nil {
		return nil, err
	}
	if create && !a.VaultExists() {
		fmt.Fprintf(e.stderr, "vellum: creating a new vault in %s\n", a.Dir())
	}
	if err := a.OpenVault(ctx, create); err != nil {
		return nil, err
	}
	return a, nil
}

// closeVault closes the vault and frees the model.
func (e *env) closeVault() {
	if e.app != nil {
		e.app.Close()
	}
}

// signIn takes up the session `vellum login` kept in this terminal session; commands
// that need one call it (dispatch does, for commands with auth set).
func (e *env) signIn(ctx context.Context) error {
	if err := e.app.ResumeCommandSession(ctx, terminalSession()); err != nil {
		return err
	}
	u, s, err := e.app.Whoami(ctx)
	if errors.Is(err, access.ErrSessionLocked) {
		return fmt.Errorf("%w (`vellum unlock`)", err)
	}
	if err != nil {
		return err
	}
	if s.BreakGlassOn(time.Now()) {
		fmt.Fprintf(e.stderr, "vellum: EMERGENCY ACCESS is on for %s until %s\n", u.Username, s.BreakGlassUntil.Local().Format("15:04"))
	}
	return nil
}

// openSignedIn opens the profile's vault and resumes the signed-in session, for the
// commands that validate their input before touching the profile (so that a usage error
// never creates a vault).
func (e *env) openSignedIn(ctx context.Context, create bool) (*app.App, error) {
	a, err := e.openVault(ctx, create)
	if err != nil {
		return nil, err
	}
	if err := e.signIn(ctx); err != nil {
		e.closeVault()
		return nil, err
	}
	return a, nil
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
