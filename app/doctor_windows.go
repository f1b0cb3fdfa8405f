//go:build windows

package app

import "golang.org/x/sys/windows"

// coreDumps: vault.ProtectProcess excludes Vellum from Windows Error Reporting at
// start, and Vellum does not start where it cannot; this is by design, not read back.
func coreDumps() (bool, string) {
	return false, "Vellum is excluded from Windows Error Reporting's dumps at every start (WerAddExcludedApplication; by design, not read back)"
}

func freeBytes(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var free uint64
	err = windows.GetDiskFreeSpaceEx(p, &free, nil, nil)
	return free, err
}
