package app

import "golang.org/x/sys/unix"

// dumpable reads PR_GET_DUMPABLE (vault.ProtectProcess clears it).
func dumpable() (dumpable, known bool) {
	n, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	return n != 0, err == nil
}
