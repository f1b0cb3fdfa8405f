package vault

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockFile serialises the operations that change which key opens a vault — Create,
// Rekey, Recover, Shred, and an Open that finds a rekey under way — between processes.
// The OS releases the lock when its holder dies, so a crash never leaves it held.
const lockFile = "vault.lock"

// errLocked is what tryLock returns while another process holds the lock.
var errLocked = errors.New("locked")

// lockProfile takes the profile's exclusive lock, waiting until ctx is done (at most
// 30 seconds), and returns its release.
func lockProfile(ctx context.Context, dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock profile: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := tryLock(f)
		if err == nil {
			return func() { unlock(f); f.Close() }, nil
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("lock profile: %w", err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock profile %s: another Vellum process is rekeying, recovering or shredding this vault", dir)
		case <-tick.C:
		}
	}
}
