//go:build unix

package vault

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// ProtectProcess keeps PHI in this process's memory out of core dumps: RLIMIT_CORE 0,
// and on Linux the process is also marked not dumpable (which also stops other
// processes of the same user from attaching a debugger). Call it first thing in main.
func ProtectProcess() error {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return fmt.Errorf("disable core dumps: %w", err)
	}
	return protectPlatform()
}
