package hotkey

import (
	"errors"
	"os"
	"testing"
	"time"
	"unsafe"
)

var sendInput = user32.NewProc("SendInput")

// keyInput is Win32's INPUT for a keyboard event (type 1), 40 bytes on amd64.
type keyInput struct {
	typ     uint32
	_       uint32
	vk      uint16
	scan    uint16
	flags   uint32
	time    uint32
	_       uint32
	extra   uintptr
	padding [8]byte
}

// press sends the keys down in order, or up in reverse order, as the keyboard would.
func press(t *testing.T, up bool, vks ...uint16) {
	t.Helper()
	var in []keyInput
	for i := range vks {
		vk := vks[i]
		if up {
			vk = vks[len(vks)-1-i]
		}
		k := keyInput{typ: 1, vk: vk}
		if up {
			k.flags = 2 // KEYEVENTF_KEYUP
		}
		in = append(in, k)
	}
	n, _, err := sendInput.Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0]))
	if int(n) != len(in) {
		t.Fatalf("SendInput sent %d of %d: %v", n, len(in), err)
	}
}

const vkCtrl, vkShift, vkSpace = 0x11, 0x10, 0x20

// TestTheHotkeyOnWindows runs where Windows (or Wine) does: the combination is
// heard tapped, once when held through the keyboard's repeat, and a second
// registration of it is ErrTaken.
func TestTheHotkeyOnWindows(t *testing.T) {
	if os.Getenv("VELLUM_TEST_HOTKEY") == "" {
		t.Skip("sends keystrokes to the desktop: run by the Wine test on Linux (VELLUM_TEST_HOTKEY=1)")
	}
	h, err := Register(DefaultCombo)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := Register(DefaultCombo); !errors.Is(err, ErrTaken) {
		t.Errorf("registered twice: %v, want ErrTaken", err)
	}
	press(t, false, vkCtrl, vkShift, vkSpace)
	time.Sleep(100 * time.Millisecond)
	press(t, true, vkCtrl, vkShift, vkSpace)
	if down, up := events(h, time.Second); down != 1 || up != 1 {
		t.Errorf("tapped: %d presses, %d releases; want 1 and 1", down, up)
	}
	// Held: the keyboard repeats the key down every 33 ms until it comes up.
	press(t, false, vkCtrl, vkShift)
	for range 20 {
		press(t, false, vkSpace)
		time.Sleep(33 * time.Millisecond)
	}
	press(t, true, vkSpace)
	press(t, true, vkCtrl, vkShift)
	if down, up := events(h, 2*time.Second); down != 1 || up != 1 {
		t.Errorf("held through repeat: %d presses, %d releases; want 1 and 1", down, up)
	}
}
