package clipboard

import (
	"fmt"
	"runtime"
	"syscall"
	"time"
	"unicode/utf16"
	"unsafe"
)

var (
	user32                      = syscall.NewLazyDLL("user32.dll")
	kernel32                    = syscall.NewLazyDLL("kernel32.dll")
	procOpenClipboard           = user32.NewProc("OpenClipboard")
	procCloseClipboard          = user32.NewProc("CloseClipboard")
	procEmptyClipboard          = user32.NewProc("EmptyClipboard")
	procSetClipboardData        = user32.NewProc("SetClipboardData")
	procRegisterClipboardFormat = user32.NewProc("RegisterClipboardFormatW")
	procGlobalAlloc             = kernel32.NewProc("GlobalAlloc")
	procGlobalLock              = kernel32.NewProc("GlobalLock")
	procGlobalUnlock            = kernel32.NewProc("GlobalUnlock")
	procGlobalFree              = kernel32.NewProc("GlobalFree")
	procRtlMoveMemory           = kernel32.NewProc("RtlMoveMemory")
)

const (
	cfUnicodeText = 13
	gmemMoveable  = 0x0002
)

func writePrivate(text string) error {
	// The clipboard is owned by a thread between Open and Close.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := open(); err != nil {
		return err
	}
	defer procCloseClipboard.Call()
	if r, _, err := procEmptyClipboard.Call(); r == 0 {
		return fmt.Errorf("clipboard: empty: %w", err)
	}
	// Text without its opt-out formats must not stay behind: on any failure below
	// the clipboard is emptied again before it is closed.
	if err := setPrivate(text); err != nil {
		procEmptyClipboard.Call()
		return err
	}
	return nil
}

func setPrivate(text string) error {
	u := append(utf16.Encode([]rune(text)), 0)
	if err := set(cfUnicodeText, unsafe.Slice((*byte)(unsafe.Pointer(&u[0])), len(u)*2)); err != nil {
		return err
	}
	zero := []byte{0, 0, 0, 0} // a DWORD 0
	for name, data := range map[string][]byte{
		"ExcludeClipboardContentFromMonitorProcessing": zero,
		"CanIncludeInClipboardHistory":                 zero,
		"CanUploadToCloudClipboard":                    zero,
	} {
		p, err := syscall.UTF16PtrFromString(name)
		if err != nil {
			return err
		}
		f, _, err := procRegisterClipboardFormat.Call(uintptr(unsafe.Pointer(p)))
		if f == 0 {
			return fmt.Errorf("clipboard: register %s: %w", name, err)
		}
		if err := set(f, data); err != nil {
			return err
		}
	}
	return nil
}

// open opens the clipboard, retrying briefly: another program may hold it.
func open() error {
	var err error
	for i := 0; i < 10; i++ {
		var r uintptr
		if r, _, err = procOpenClipboard.Call(0); r != 0 {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("clipboard: open: %w", err)
}

// set hands a copy of data to the clipboard as format; on success the clipboard owns
// the memory.
func set(format uintptr, data []byte) error {
	h, _, err := procGlobalAlloc.Call(gmemMoveable, uintptr(len(data)))
	if h == 0 {
		return fmt.Errorf("clipboard: alloc: %w", err)
	}
	p, _, err := procGlobalLock.Call(h)
	if p == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("clipboard: lock: %w", err)
	}
	procRtlMoveMemory.Call(p, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)))
	procGlobalUnlock.Call(h)
	if r, _, err := procSetClipboardData.Call(format, h); r == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("clipboard: set: %w", err)
	}
	return nil
}
