package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Rekey re-encrypts the vault under a new random key. The order makes a crash at any
// point recoverable with no note lost:
//
//  1. the new key joins the old one in the keychain entry (and its escrow is written
//     beside the current one);
//  2. the database is re-encrypted in one transaction — in rollback-journal mode,
//     since SQLite3MultipleCiphers refuses to rekey a WAL database — then put back
//     into WAL mode;
//  3. metadata, escrow and finally the keychain entry drop the old key.
//
// Open completes or abandons a rekey that a crash interrupted (it tries both keys). The
// vault must not be open in another process.
func (v *Vault) Rekey(ctx context.Context) error {
	if err := v.rekey(ctx); err != nil {
		return fmt.Errorf("rekey vault %s: %w", v.opts.Dir, err)
	}
	return nil
}

func (v *Vault) rekey(ctx context.Context) error {
	kc := v.opts.keychain()
	old, err := getEntry(ctx, kc, v.meta.VaultID)
	if err != nil {
		return err
	}
	next := newKey()
	if err := putEntry(ctx, kc, keyEntry{VaultID: old.VaultID, Key: old.Key, Next: next}); err != nil {
		return err
	}
	if r := v.recipient(); r != "" {
		if err := writeEscrow(v.opts.Dir, escrowNextFile, r, v.meta.VaultID, next); err != nil {
			return err
		}
	}

	// PRAGMA rekey must run on the only connection: close the pool, rekey on a private
	// handle, reopen.
	if err := v.db.Close(); err != nil {
		return err
	}
	path := filepath.Join(v.opts.Dir, dbFile)
	db, err := openDB(ctx, path, old.Key, v.opts.CacheKiB)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	if err := testHook("rekey: before re-encrypt"); err != nil {
		db.Close()
		return err
	}
	stmts := []string{
		"PRAGMA wal_checkpoint(TRUNCATE)",
		"PRAGMA journal_mode = DELETE",
		fmt.Sprintf("PRAGMA rekey = \"x'%x'\"", next),
		"PRAGMA journal_mode = WAL",
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			v.db, _ = openDB(ctx, path, old.Key, v.opts.CacheKiB)
			// Never quote s: the rekey statement holds the key.
			return fmt.Errorf("re-encrypt: %w", scrub(err))
		}
	}
	if err := db.Close(); err != nil {
		return err
	}
	if err := testHook("rekey: after re-encrypt"); err != nil {
		return err
	}
	if v.db, err = openDB(ctx, path, next, v.opts.CacheKiB); err != nil {
		return fmt.Errorf("reopen under the new key: %w", err)
	}
	return v.finishRekey(ctx, next)
}

// finishRekey runs once the database is encrypted under next: metadata, escrow, then
// the keychain entry forget the old key.
func (v *Vault) finishRekey(ctx context.Context, next []byte) error {
	m := v.meta
	m.KeyFingerprint = fingerprint(next)
	salt, err := fileSalt(filepath.Join(v.opts.Dir, dbFile))
	if err != nil {
		return err
	}
	m.Salt = salt
	if r := v.recipient(); r != "" {
		if _, err := os.Stat(filepath.Join(v.opts.Dir, escrowNextFile)); err != nil {
			if err := writeEscrow(v.opts.Dir, escrowNextFile, r, m.VaultID, next); err != nil {
				return err
			}
		}
		if err := os.Rename(filepath.Join(v.opts.Dir, escrowNextFile), filepath.Join(v.opts.Dir, escrowFile)); err != nil {
			return err
		}
		m.EscrowRecipient = r
	}
	if err := writeMeta(v.opts.Dir, m); err != nil {
		return err
	}
	v.meta = m
	return putEntry(ctx, v.opts.keychain(), keyEntry{VaultID: m.VaultID, Key: next})
}

// testHook lets tests stop an operation between two of its steps, as a crash would.
var testHook = func(step string) error { return nil }
