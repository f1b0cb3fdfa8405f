package clipboard

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"unicode/utf16"
	"unsafe"
)

var (
	procGetClipboardData           = user32.NewProc("GetClipboardData")
	procIsClipboardFormatAvailable = user32.NewProc("IsClipboardFormatAvailable")
	procGlobalSize                 = kernel32.NewProc("GlobalSize")
)

// TestWritePrivateMarksTheText: after WritePrivate the clipboard holds the text as
// CF_UNICODETEXT and, beside it, the three formats that keep it out of clipboard
// monitors, clipboard history and cloud sync, each a DWORD 0 as Windows documents.
// On Linux, make test runs this on Wine (clipboard_wine_test.go).
func TestWritePrivateMarksTheText(t *testing.T) {
	if os.Getenv("VELLUM_TEST_CLIPBOARD") == "" {
		t.Skip("it replaces the clipboard's content: set VELLUM_TEST_CLIPBOARD=1 (the Wine run does)")
	}
	const text = "SYNTHETIC-NOTE: cough for three days; temp 38.2 °C ✓"
	if err := WritePrivate(text); err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := open(); err != nil {
		t.Fatal(err)
	}
	defer procCloseClipboard.Call()
	read := func(format uintptr) []byte {
		t.Helper()
		if r, _, _ := procIsClipboardFormatAvailable.Call(format); r == 0 {
			return nil
		}
		h, _, err := procGetClipboardData.Call(format)
		if h == 0 {
			t.Fatalf("GetClipboardData(%d): %v", format, err)
		}
		n, _, _ := procGlobalSize.Call(h)
		p, _, err := procGlobalLock.Call(h)
		if p == 0 {
			t.Fatalf("GlobalLock: %v", err)
		}
		defer procGlobalUnlock.Call(h)
		buf := make([]byte, n)
		if n > 0 {
			procRtlMoveMemory.Call(uintptr(unsafe.Pointer(&buf[0])), p, n)
		}
		return buf
	}
	b := read(cfUnicodeText)
	if len(b) < 2 {
		t.Fatalf("no CF_UNICODETEXT on the clipboard (%d bytes)", len(b))
	}
	u := unsafe.Slice((*uint16)(unsafe.Pointer(&b[0])), len(b)/2)
	for i, c := range u {
		if c == 0 {
			u = u[:i]
			break
		}
	}
	if got := string(utf16.Decode(u)); got != text {
		t.Fatalf("CF_UNICODETEXT is %q, want %q", got, text)
	}
	for _, name := range []string{"ExcludeClipboardContentFromMonitorProcessing", "CanIncludeInClipboardHistory", "CanUploadToCloudClipboard"} {
		p, _ := syscall.UTF16PtrFromString(name)
		f, _, err := procRegisterClipboardFormat.Call(uintptr(unsafe.Pointer(p)))
		if f == 0 {
			t.Fatalf("register %s: %v", name, err)
		}
		d := read(f)
		if len(d) < 4 || d[0]|d[1]|d[2]|d[3] != 0 {
			t.Errorf("format %s: %v, want a DWORD 0", name, d)
		}
	}
}
