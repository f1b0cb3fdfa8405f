package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Keychain stores small secrets for the current OS user. SystemKeychain is the real one;
// the interface exists so that the CLI and tests can name which keychain they use, not
// to fake it: the vault's tests run against a real Secret Service.
type Keychain interface {
	// Get returns the secret stored under account, ErrKeyMissing when there is none,
	// or an error wrapping ErrKeychainUnavailable or ErrKeychainLocked.
	Get(ctx context.Context, account string) (string, error)
	Set(ctx context.Context, account, secret string) error
	// Delete removes the secret; deleting an absent one is not an error.
	Delete(ctx context.Context, account string) error
}

// KeychainService is the service name Vellum's entries are stored under.
const KeychainService = "vellum"

// SystemKeychain is the OS keychain through github.com/zalando/go-keyring. A locked
// Secret Service may answer an unlock request with a prompt that nobody will ever see
// on a headless machine, so every call is bounded by Timeout.
type SystemKeychain struct {
	Timeout time.Duration // zero means 15 seconds
}

func (k SystemKeychain) call(ctx context.Context, fn func() (string, error)) (string, error) {
	timeout := k.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := fn()
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		if r.err == nil || errors.Is(r.err, keyring.ErrNotFound) {
			return r.s, r.err
		}
		// go-keyring's errors name D-Bus objects and services, never secrets. It has no
		// typed error for a locked collection; its message is the only signal.
		if strings.Contains(r.err.Error(), "unlock") {
			return "", fmt.Errorf("%w: %v", ErrKeychainLocked, r.err)
		}
		return "", fmt.Errorf("%w: %v", ErrKeychainUnavailable, r.err)
	case <-ctx.Done():
		return "", fmt.Errorf("%w: no answer within %s (waiting for an unlock prompt nobody can see?)", ErrKeychainLocked, timeout)
	}
}

func (k SystemKeychain) Get(ctx context.Context, account string) (string, error) {
	s, err := k.call(ctx, func() (string, error) { return keyring.Get(KeychainService, account) })
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrKeyMissing
	}
	return s, err
}

func (k SystemKeychain) Set(ctx context.Context, account, secret string) error {
	_, err := k.call(ctx, func() (string, error) { return "", keyring.Set(KeychainService, account, secret) })
	return err
}

func (k SystemKeychain) Delete(ctx context.Context, account string) error {
	_, err := k.call(ctx, func() (string, error) { return "", keyring.Delete(KeychainService, account) })
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// keyEntry is what the keychain holds for one vault (FORMAT.md, "Keychain entry"). The
// vault id and the key fingerprint let Open tell a wrong key from a foreign or damaged
// file. Next is set only while a rekey is under way: the old key is dropped only after
// the rekey has committed.
type keyEntry struct {
	Version     int    `json:"v"`
	VaultID     string `json:"vault"`
	Key         []byte `json:"key"`
	Fingerprint string `json:"fp"`
	Next        []byte `json:"next,omitempty"`
}

func keychainAccount(vaultID string) string { return "vault:" + vaultID }

func getEntry(ctx context.Context, kc Keychain, vaultID string) (keyEntry, error) {
	s, err := kc.Get(ctx, keychainAccount(vaultID))
	if err != nil {
		return keyEntry{}, err
	}
	var e keyEntry
	if err := json.Unmarshal([]byte(s), &e); err != nil || e.Version != 1 || len(e.Key) != keySize {
		return keyEntry{}, fmt.Errorf("%w: the keychain entry %q is malformed", ErrWrongKey, keychainAccount(vaultID))
	}
	return e, nil
}

func putEntry(ctx context.Context, kc Keychain, e keyEntry) error {
	e.Version = 1
	e.Fingerprint = fingerprint(e.Key)
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := kc.Set(ctx, keychainAccount(e.VaultID), string(b)); err != nil {
		return fmt.Errorf("store the vault key in the keychain: %w", err)
	}
	return nil
}

// ProbeKeychain checks that kc stores and removes a secret, retrying for a few seconds
// while a Secret Service that was just started comes up. Tests use it to tell "no
// keychain here" from a keychain that is slow to start.
func ProbeKeychain(ctx context.Context, kc Keychain) error {
	account := fmt.Sprintf("probe:%d:%d", os.Getpid(), time.Now().UnixNano())
	var err error
	for i := 0; i < 10; i++ {
		if err = kc.Set(ctx, account, "x"); err == nil {
			return kc.Delete(ctx, account)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(300 * time.Millisecond):
		}
	}
	return err
}
