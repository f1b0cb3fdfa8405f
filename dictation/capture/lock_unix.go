//go:build unix

package capture

import (
	"syscall"
	"unsafe"
)

// lockMemory keeps the buffer out of swap where the OS allows it (mlock: within the
// user's RLIMIT_MEMLOCK), and returns what undoes it. Audio is never written to disk,
// a swap file included.
func lockMemory(buf []float32) func() {
	if len(buf) == 0 {
		return func() {}
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), len(buf)*4)
	if syscall.Mlock(b) != nil {
		return func() {} // not allowed: the buffer stays in memory, swappable
	}
	return func() { syscall.Munlock(b) }
}
