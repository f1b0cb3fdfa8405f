package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Shred crypto-shreds the vault in o.Dir: the key leaves the keychain first — from
// then on the file is noise — then the escrow, the database with its log, and the
// metadata are removed. A vault whose key cannot be removed (no keychain) is left
// whole and the error says so. Copies and backups made elsewhere are out of reach:
// they stay readable by the recovery identity until destroyed by their keeper.
func Shred(ctx context.Context, o Options) error {
	m, err := readMeta(o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		if !Exists(o.Dir) {
			return fmt.Errorf("shred vault %s: %w", o.Dir, ErrNoVault)
		}
	} else if err != nil {
		return fmt.Errorf("shred vault %s: %w", o.Dir, err)
	}
	if m.VaultID != "" {
		if err := o.keychain().Delete(ctx, keychainAccount(m.VaultID)); err != nil {
			return fmt.Errorf("shred vault %s: remove the key from the keychain: %w", o.Dir, err)
		}
	}
	var errs []error
	for _, name := range []string{escrowFile, escrowNextFile, dbFile + "-wal", dbFile + "-shm", dbFile, dbFile + ".new", metaFile} {
		if err := os.Remove(filepath.Join(o.Dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := syncDir(o.Dir); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("shred vault %s: the key is gone, but: %w", o.Dir, err)
	}
	return nil
}
