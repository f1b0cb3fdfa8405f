package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
)

// Keychain is the part of the OS keychain the device key needs; vault.SystemKeychain
// provides it.
type Keychain interface {
	Get(ctx context.Context, account string) (string, error)
	Set(ctx context.Context, account, secret string) error
	Delete(ctx context.Context, account string) error
}

// DeviceKey is the device's Ed25519 signing key. The private half stays in the
// keychain and in memory; the id is derived from the public half.
type DeviceKey struct {
	ID      string
	Private ed25519.PrivateKey
}

// Public is the key collectors pin at enrollment.
func (k DeviceKey) Public() ed25519.PublicKey { return k.Private.Public().(ed25519.PublicKey) }

type deviceKeyEntry struct {
	Version int    `json:"v"`
	Seed    []byte `json:"ed25519_seed"`
}

// DeviceKeyAccount names the keychain entry of the device key for a vault.
func DeviceKeyAccount(vaultID string) string { return "device:" + vaultID }

// LoadDeviceKey reads the device key; created says whether it was made now (first
// run), in which case the caller records that fact first in the log.
func LoadDeviceKey(ctx context.Context, kc Keychain, vaultID string, notFound error) (k DeviceKey, created bool, err error) {
	s, err := kc.Get(ctx, DeviceKeyAccount(vaultID))
	if errors.Is(err, notFound) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return DeviceKey{}, false, err
		}
		b, _ := json.Marshal(deviceKeyEntry{Version: 1, Seed: seed})
		if err := kc.Set(ctx, DeviceKeyAccount(vaultID), string(b)); err != nil {
			return DeviceKey{}, false, fmt.Errorf("store the device key: %w", err)
		}
		priv := ed25519.NewKeyFromSeed(seed)
		return DeviceKey{ID: DeviceID(priv.Public().(ed25519.PublicKey)), Private: priv}, true, nil
	}
	if err != nil {
		return DeviceKey{}, false, fmt.Errorf("read the device key: %w", err)
	}
	var e deviceKeyEntry
	if err := json.Unmarshal([]byte(s), &e); err != nil || e.Version != 1 || len(e.Seed) != ed25519.SeedSize {
		return DeviceKey{}, false, errors.New("the device key in the keychain is malformed")
	}
	priv := ed25519.NewKeyFromSeed(e.Seed)
	return DeviceKey{ID: DeviceID(priv.Public().(ed25519.PublicKey)), Private: priv}, false, nil
}
