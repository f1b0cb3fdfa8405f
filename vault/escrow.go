package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// escrowRecord is the plaintext inside vault.escrow.age (FORMAT.md, "Escrow").
type escrowRecord struct {
	Format      string `json:"format"`
	Version     int    `json:"version"`
	VaultID     string `json:"vault_id"`
	Key         []byte `json:"key"`
	Fingerprint string `json:"key_fingerprint"`
}

const escrowFormat = "vellum-escrow"

// ParseRecipient checks an age X25519 recipient ("age1...").
func ParseRecipient(s string) (*age.X25519Recipient, error) {
	r, err := age.ParseX25519Recipient(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("recovery recipient: %w", err)
	}
	return r, nil
}

// ParseIdentities reads age identities (AGE-SECRET-KEY-1...) from an identity file.
func ParseIdentities(r io.Reader) ([]age.Identity, error) {
	ids, err := age.ParseIdentities(r)
	if err != nil {
		return nil, fmt.Errorf("recovery identity: %w", err)
	}
	return ids, nil
}

func writeEscrow(dir, name, recipient, vaultID string, key []byte) error {
	r, err := ParseRecipient(recipient)
	if err != nil {
		return err
	}
	rec, err := json.Marshal(escrowRecord{Format: escrowFormat, Version: 1, VaultID: vaultID, Key: key, Fingerprint: fingerprint(key)})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return fmt.Errorf("escrow the vault key: %w", err)
	}
	if _, err := w.Write(rec); err != nil {
		return fmt.Errorf("escrow the vault key: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("escrow the vault key: %w", err)
	}
	if err := WriteFileAtomic(filepath.Join(dir, name), buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("escrow the vault key: %w", err)
	}
	return nil
}

func readEscrow(path string, ids []age.Identity) (escrowRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return escrowRecord{}, err
	}
	defer f.Close()
	r, err := age.Decrypt(f, ids...)
	if err != nil {
		return escrowRecord{}, fmt.Errorf("decrypt %s: %w", filepath.Base(path), err)
	}
	b, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return escrowRecord{}, fmt.Errorf("decrypt %s: %w", filepath.Base(path), err)
	}
	var rec escrowRecord
	if err := json.Unmarshal(b, &rec); err != nil || rec.Format != escrowFormat || rec.Version != 1 || len(rec.Key) != keySize {
		return escrowRecord{}, fmt.Errorf("%s is not a version 1 Vellum key escrow", filepath.Base(path))
	}
	return rec, nil
}

// recipient is the recovery recipient in force: the configured one, else the one the
// existing escrow was made for.
func (v *Vault) recipient() string {
	if v.opts.Recipient != "" {
		return v.opts.Recipient
	}
	return v.meta.EscrowRecipient
}

// syncEscrow re-wraps the key when the configured recipient changed (policy moved to a
// new recovery key) or the escrow file is gone.
func (v *Vault) syncEscrow(key []byte) error {
	r := v.opts.Recipient
	if r == "" {
		return nil
	}
	_, err := os.Stat(filepath.Join(v.opts.Dir, escrowFile))
	if r == v.meta.EscrowRecipient && err == nil {
		return nil
	}
	if err := writeEscrow(v.opts.Dir, escrowFile, r, v.meta.VaultID, key); err != nil {
		return err
	}
	m := v.meta
	m.EscrowRecipient = r
	if err := writeMeta(v.opts.Dir, m); err != nil {
		return err
	}
	v.meta = m
	return nil
}

// Recover restores the keychain entry of the vault in o.Dir from its escrow, decrypted
// with the hospital's recovery identity. It verifies that the recovered key opens the
// vault before it stores anything, and replaces whatever the keychain held for it.
func Recover(ctx context.Context, o Options, ids []age.Identity) error {
	unlock, err := lockProfile(ctx, o.Dir)
	if err != nil {
		return fmt.Errorf("recover vault %s: %w", o.Dir, err)
	}
	err = recoverKey(ctx, o, ids)
	unlock()
	if err != nil {
		return err
	}
	// Open finishes the job: metadata and escrow brought up to date.
	v, err := Open(ctx, o)
	if err != nil {
		return fmt.Errorf("recover vault %s: %w", o.Dir, err)
	}
	return v.Close()
}

func recoverKey(ctx context.Context, o Options, ids []age.Identity) error {
	m, err := readMeta(o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("recover vault %s: %w", o.Dir, ErrNoVault)
	}
	if err != nil {
		return fmt.Errorf("recover vault %s: %w", o.Dir, err)
	}
	path := filepath.Join(o.Dir, dbFile)
	var tried []string
	// During a rekey both escrows exist and either key may be the live one.
	for _, name := range []string{escrowFile, escrowNextFile} {
		rec, err := readEscrow(filepath.Join(o.Dir, name), ids)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			tried = append(tried, err.Error())
			continue
		}
		if rec.VaultID != m.VaultID {
			tried = append(tried, fmt.Sprintf("%s escrows vault %s, not %s", name, rec.VaultID, m.VaultID))
			continue
		}
		db, err := openDB(ctx, path, rec.Key, 0)
		if err != nil {
			tried = append(tried, fmt.Sprintf("the key in %s does not open %s", name, dbFile))
			continue
		}
		// The note secret (FORMAT.md, "Per-user note keys") comes back with the key;
		// if it cannot, the vault key is restored all the same.
		secretErr := recoverNoteSecret(ctx, db, o.keychain(), m.VaultID, ids)
		db.Close()
		if err := putEntry(ctx, o.keychain(), keyEntry{VaultID: m.VaultID, Key: rec.Key}); err != nil {
			return fmt.Errorf("recover vault %s: %w", o.Dir, err)
		}
		if name == escrowNextFile {
			// A rekey re-encrypted the vault and stopped before its escrow took over.
			if err := os.Rename(filepath.Join(o.Dir, escrowNextFile), filepath.Join(o.Dir, escrowFile)); err != nil {
				return fmt.Errorf("recover vault %s: %w", o.Dir, err)
			}
		}
		if secretErr != nil {
			return fmt.Errorf("recover vault %s: the vault key is back, but not the note secret: %w", o.Dir, secretErr)
		}
		return nil
	}
	if len(tried) == 0 {
		return fmt.Errorf("recover vault %s: there is no key escrow (%s) beside the vault", o.Dir, escrowFile)
	}
	return fmt.Errorf("recover vault %s: %s", o.Dir, strings.Join(tried, "; "))
}

// EscrowedTo is the recipient the vault key's escrow was made for, and whether the
// escrow file is there.
func (v *Vault) EscrowedTo() (recipient string, present bool) {
	_, err := os.Stat(filepath.Join(v.opts.Dir, escrowFile))
	return v.meta.EscrowRecipient, err == nil
}
