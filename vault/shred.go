package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Shred crypto-shreds the vault in o.Dir: the key leaves the keychain first — from then
// on the file is noise — then the escrow, the database with its logs, the metadata and
// any temporary files are removed. If the key cannot be removed (no keychain), nothing
// is. If vault.json is missing or damaged, the keychain entry cannot be named: Shred
// then refuses unless force is set, and with force removes the files and says that the
// entry stays (it opens nothing without the files, but would open a copy of them).
// Copies and backups made elsewhere are out of reach: they stay readable by the
// recovery identity until destroyed by their keeper.
func Shred(ctx context.Context, o Options, force bool) error {
	if !Exists(o.Dir) {
		return fmt.Errorf("shred vault %s: %w", o.Dir, ErrNoVault)
	}
	unlock, err := lockProfile(ctx, o.Dir)
	if err != nil {
		return fmt.Errorf("shred vault %s: %w", o.Dir, err)
	}
	defer unlock()
	var warning error
	m, err := readMeta(o.Dir)
	switch {
	case err == nil:
		if err := o.keychain().Delete(ctx, keychainAccount(m.VaultID)); err != nil {
			return fmt.Errorf("shred vault %s: remove the key from the keychain: %w", o.Dir, err)
		}
	case !force:
		return fmt.Errorf("shred vault %s: %w: %v; without vault.json the key's keychain entry cannot be found (force removes the files and leaves the entry)", o.Dir, ErrDamaged, err)
	default:
		warning = errors.New("vault.json was missing or damaged, so the key's keychain entry was left in place")
	}
	var errs []error
	entries, err := os.ReadDir(o.Dir)
	if err != nil {
		return fmt.Errorf("shred vault %s: %w", o.Dir, err)
	}
	for _, e := range entries {
		if isVaultFile(e.Name()) {
			if err := os.Remove(filepath.Join(o.Dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := syncDir(o.Dir); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(append(errs, warning)...); err != nil {
		return fmt.Errorf("shred vault %s: the files are gone, but: %w", o.Dir, err)
	}
	return nil
}

// isVaultFile says whether a file of the profile directory belongs to the vault: its
// database and logs, metadata, escrows, lock, and the temporaries of atomic writes.
func isVaultFile(name string) bool {
	base := strings.TrimPrefix(name, ".")
	return strings.HasPrefix(base, "vault.db") || strings.HasPrefix(base, "vault.json") ||
		strings.HasPrefix(base, "vault.escrow") || base == lockFile
}
