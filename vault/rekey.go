package vault

import (
	"bytes"
	"context"
	"errors"
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
//  3. escrow, metadata and finally the keychain entry drop the old key.
//
// Open completes or abandons a rekey that a crash interrupted (it tries both keys). The
// profile lock keeps other Vellum processes from settling a rekey that is still
// running; a process that already had the vault open loses its connections (their key
// is the old one) and must reopen.
func (v *Vault) Rekey(ctx context.Context) error {
	unlock, err := lockProfile(ctx, v.opts.Dir)
	if err != nil {
		return fmt.Errorf("rekey vault %s: %w", v.opts.Dir, err)
	}
	defer unlock()
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
			return v.reopen(ctx, old.Key, next, err)
		}
	}

	// PRAGMA rekey must run on the only connection: close the pool, rekey on a private
	// handle, reopen.
	if err := v.db.Close(); err != nil {
		return v.reopen(ctx, old.Key, next, err)
	}
	path := filepath.Join(v.opts.Dir, dbFile)
	db, err := openDB(ctx, path, old.Key, v.opts.CacheKiB)
	if err != nil {
		return v.reopen(ctx, old.Key, next, err)
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
	for i, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			// Never quote s: the rekey statement holds the key.
			return v.reopen(ctx, old.Key, next, fmt.Errorf("re-encrypt, step %d: %w", i+1, scrub(err)))
		}
	}
	if err := db.Close(); err != nil {
		return v.reopen(ctx, old.Key, next, err)
	}
	if err := testHook("rekey: after re-encrypt"); err != nil {
		return err
	}
	if v.db, err = openDB(ctx, path, next, v.opts.CacheKiB); err != nil {
		return v.reopen(ctx, old.Key, next, fmt.Errorf("reopen under the new key: %w", err))
	}
	return v.finishRekey(ctx, next)
}

// reopen recovers from a failed rekey step without a restart: it reopens the vault
// with whichever key opens it now, and finishes or abandons the rekey to match. If
// neither does, the vault stays closed (its methods fail) and Open will settle it.
func (v *Vault) reopen(ctx context.Context, old, next []byte, cause error) error {
	ctx = context.WithoutCancel(ctx) // a cancelled rekey must still leave a usable vault
	path := filepath.Join(v.opts.Dir, dbFile)
	for _, k := range [][]byte{old, next} {
		db, err := openDB(ctx, path, k, v.opts.CacheKiB)
		if err != nil {
			continue
		}
		v.db.Close()
		v.db = db
		if bytes.Equal(k, next) {
			return errors.Join(cause, v.finishRekey(ctx, next))
		}
		os.Remove(filepath.Join(v.opts.Dir, escrowNextFile))
		return errors.Join(cause, putEntry(ctx, v.opts.keychain(), keyEntry{VaultID: v.meta.VaultID, Key: old}))
	}
	return cause
}

// finishRekey runs once the database is encrypted under next: escrow, metadata, then
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
