package vault

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	wer                           = windows.NewLazySystemDLL("wer.dll")
	procWerAddExcludedApplication = wer.NewProc("WerAddExcludedApplication")
)

// ProtectProcess keeps PHI in this process's memory out of Windows Error Reporting
// dumps: the executable is excluded from WER for this user, and the crash dialog that
// offers to send a report is suppressed.
func ProtectProcess() error {
	windows.SetErrorMode(windows.SEM_FAILCRITICALERRORS | windows.SEM_NOGPFAULTERRORBOX)
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("exclude from error reporting: %w", err)
	}
	p, err := windows.UTF16PtrFromString(exe)
	if err != nil {
		return fmt.Errorf("exclude from error reporting: %w", err)
	}
	if err := procWerAddExcludedApplication.Find(); err != nil {
		return fmt.Errorf("exclude from error reporting: %w", err)
	}
	hr, _, _ := procWerAddExcludedApplication.Call(uintptr(unsafe.Pointer(p)), 0)
	if hr != 0 {
		return fmt.Errorf("exclude from error reporting: HRESULT 0x%x", hr)
	}
	return nil
}
