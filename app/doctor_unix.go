//go:build unix

package app

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// coreDumps reads this process's core-file limit (vault.ProtectProcess sets it to 0).
func coreDumps() (bool, string) {
	var l unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &l); err != nil {
		return true, fmt.Sprintf("the core-file limit cannot be read: %v", err)
	}
	if l.Cur != 0 || l.Max != 0 {
		return true, fmt.Sprintf("RLIMIT_CORE is %d (hard %d)", l.Cur, l.Max)
	}
	if dumpable, known := dumpable(); known && dumpable {
		return true, "RLIMIT_CORE is 0, but the process is dumpable (another process of the account may read its memory)"
	} else if known {
		return false, "core dumps are off in Vellum's processes (RLIMIT_CORE 0), and they are not dumpable"
	}
	return false, "core dumps are off in Vellum's processes (RLIMIT_CORE 0)"
}

func freeBytes(dir string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}
