package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"

	"github.com/vellumhealth/vellum/vault"
)

// env is what every command shares: the streams and the global flags.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	profile   string
	recipient string

	vault *vault.Vault // open while a command with vault != noVault runs
}

func (e *env) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.profile, "profile", e.profile, "profile directory (default $VELLUM_PROFILE, else the OS user data dir)")
	fs.StringVar(&e.recipient, "recipient", e.recipient, "recovery recipient (age1...) the vault key is escrowed to (default $VELLUM_RECOVERY_RECIPIENT)")
}

func (e *env) options() (vault.Options, error) {
	dir, err := vault.ProfileDir(e.profile)
	if err != nil {
		return vault.Options{}, err
	}
	r := e.recipient
	if r == "" {
		r = os.Getenv("VELLUM_RECOVERY_RECIPIENT")
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
	if create {
		if !vault.Exists(o.Dir) {
			fmt.Fprintf(e.stderr, "vellum: creating a new vault in %s\n", o.Dir)
		}
		return vault.OpenOrCreate(ctx, o)
	}
	return vault.Open(ctx, o)
}

// author is who writes notes until Vellum has its own users: the OS account.
func author() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
