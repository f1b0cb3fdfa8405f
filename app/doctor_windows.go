//go:build windows

package app

import "golang.org/x/sys/windows"

// coreDumps: vault.ProtectProcess excludes Vellum from Windows Error Reporting at
// start (the process would not have started otherwise).
func coreDumps() (bool, string) {
	return false, "Vellum is excluded from Windows Error Reporting's dumps (WerAddExcludedApplication)"
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
