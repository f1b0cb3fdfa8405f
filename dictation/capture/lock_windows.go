//go:build windows

package capture

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/windows"
)

// lockMemory keeps the buffer out of the page file where Windows allows it, and
// returns what undoes it. Audio is never written to disk, the page file included.
// VirtualLock counts against the process's minimum working set (about 200 KB by
// default; 10 s of audio is 640 KB), which is raised by the buffer's size when it
// is too small.
func lockMemory(buf []float32) func() {
	if len(buf) == 0 {
		return func() {}
	}
	addr, size := uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)*4)
	err := windows.VirtualLock(addr, size)
	if errors.Is(err, windows.ERROR_WORKING_SET_QUOTA) {
		var lo, hi uintptr
		var flags uint32
		p := windows.CurrentProcess()
		windows.GetProcessWorkingSetSizeEx(p, &lo, &hi, &flags)
		if windows.SetProcessWorkingSetSizeEx(p, lo+size+1<<16, max(hi, lo+size+1<<16), flags) == nil {
			err = windows.VirtualLock(addr, size)
		}
	}
	if err != nil {
		return func() {} // not allowed: the buffer stays in memory, pageable
	}
	return func() { windows.VirtualUnlock(addr, size) }
}
