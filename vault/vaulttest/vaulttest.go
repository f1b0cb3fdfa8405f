// Package vaulttest gives tests of other packages a real vault: encrypted, in a
// temporary profile, keyed from the real OS keychain (the Secret Service that
// `make test` starts). Where no keychain answers, tests skip saying so — or, with
// CI=true, fail.
package vaulttest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/vault"
)

var (
	probeOnce sync.Once
	probeErr  error
)

// RequireKeychain skips the test (fails it under CI=true) when no keychain answers.
func RequireKeychain(t testing.TB) {
	t.Helper()
	probeOnce.Do(func() {
		probeErr = vault.ProbeKeychain(context.Background(), vault.SystemKeychain{Timeout: 5 * time.Second})
	})
	if probeErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the OS keychain is required with CI=true: %v", probeErr)
		}
		t.Skipf("no OS keychain (%v); run the tests with `make test`", probeErr)
	}
}

// New creates a vault in a temporary profile; it is closed and its keychain entry
// removed when the test ends.
func New(t testing.TB, o vault.Options) *vault.Vault {
	t.Helper()
	RequireKeychain(t)
	if o.Dir == "" {
		o.Dir = filepath.Join(t.TempDir(), "profile")
	}
	v, err := vault.Create(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		v.Close()
		vault.Shred(context.Background(), o, true)
	})
	return v
}
