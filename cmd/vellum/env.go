package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// env is what every command shares: the streams and the global flags.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	profile   string
	recipient string

	vault    *vault.Vault // open while a command with vault != noVault runs
	audit    *audit.Log   // open with the vault
	auditKey []byte       // the device's public key

	// snap is the policy, loaded on first use; the window replaces it when policy
	// changes, while a draft may read it on another goroutine.
	snap atomic.Pointer[policy.Snapshot]

	// Set by signIn for commands that need a Vellum user.
	svc  *access.Service
	sess *access.Session
	user access.User

	in *bufio.Reader // buffered stdin, shared by every read of a line
}

// policy is the effective policy for this profile, loaded once per command. A
// malformed machine policy stops the command (the organisation's settings are
// unknown); a malformed user preferences file is reported and skipped.
func (e *env) policy() (policy.Snapshot, error) {
	if p := e.snap.Load(); p != nil {
		return *p, nil
	}
	dir, err := vault.ProfileDir(e.profile)
	if err != nil {
		return policy.Snapshot{}, err
	}
	snap, warning, err := policy.Current(policy.DefaultSources(dir))
	if err != nil {
		return policy.Snapshot{}, err
	}
	if warning != nil {
		fmt.Fprintf(e.stderr, "vellum: ignoring your preferences: %v\n", warning)
	}
	e.snap.Store(&snap)
	return snap, nil
}

// setPolicy replaces the policy in force (nil: load it again at next use).
func (e *env) setPolicy(p *policy.Snapshot) { e.snap.Store(p) }

func (e *env) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.profile, "profile", e.profile, "profile directory (default $VELLUM_PROFILE, else the OS user data dir)")
	fs.StringVar(&e.recipient, "recipient", e.recipient, "recovery recipient (age1...) the vault key is escrowed to (default $VELLUM_RECOVERY_RECIPIENT)")
}

func (e *env) options() (vault.Options, error) {
	dir, err := vault.ProfileDir(e.profile)
	if err != nil {
		return vault.Options{}, err
	}
	snap, err := e.policy()
	if err != nil {
		return vault.Options{}, err
	}
	r := e.recipient
	if r == "" {
		r = os.Getenv("VELLUM_RECOVERY_RECIPIENT")
	}
	if st := snap.Get(policy.RecoveryRecipient); st.Locked() {
		if r != "" && r != st.Value.(string) {
			return vault.Options{}, usageError{"the recovery recipient is managed by your organisation (" + st.Source + "); leave out --recipient"}
		}
		r = st.Value.(string)
	}
	if r != "" {
		if _, err := vault.ParseRecipient(r); err != nil {
			return vault.Options{}, usageError{err.Error()}
		}
	}
	return vault.Options{Dir: dir, Recipient: r}, nil
}

// openVault opens the profile's vault; create says whether a missing one is made.
func (e *env) openVault(ctx context.Context, create bool) (*vault.Vault, error) {
	o, err := e.options()
	if err != nil {
		return nil, err
	}
	var v *vault.Vault
	if create {
		if !vault.Exists(o.Dir) {
			fmt.Fprintf(e.stderr, "vellum: creating a new vault in %s\n", o.Dir)
		}
		v, err = vault.OpenOrCreate(ctx, o)
	} else {
		v, err = vault.Open(ctx, o)
	}
	if err != nil {
		return nil, err
	}
	e.vault = v
	if err := e.openAudit(ctx); err != nil {
		e.closeVault()
		return nil, err
	}
	if err := e.recordPolicyChange(ctx, v); err != nil {
		e.closeVault()
		return nil, fmt.Errorf("record the policy in force: %w", err)
	}
	return v, nil
}

// closeVault closes the audit log (waiting for appends in flight), then the vault.
func (e *env) closeVault() {
	if e.audit != nil {
		e.audit.Close()
		e.audit = nil
	}
	if e.vault != nil {
		e.vault.Close()
		e.vault = nil
	}
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
