//go:build windows

package hotkey

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32               = windows.NewLazySystemDLL("user32.dll")
	procRegisterHotKey   = user32.NewProc("RegisterHotKey")
	procUnregisterHotKey = user32.NewProc("UnregisterHotKey")
	procPeekMessageW     = user32.NewProc("PeekMessageW")
	procGetAsyncKeyState = user32.NewProc("GetAsyncKeyState")
)

const (
	wmHotkey    = 0x0312
	pmRemove    = 0x0001
	modNoRepeat = 0x4000
	// errHotkeyTaken is ERROR_HOTKEY_ALREADY_REGISTERED.
	errHotkeyTaken = windows.Errno(1409)
)

// winMsg is Win32's MSG.
type winMsg struct {
	hwnd    uintptr
	message uint32
	wParam  uintptr
	lParam  uintptr
	time    uint32
	pt      struct{ x, y int32 }
	private uint32
}

// winHotkey is RegisterHotKey's hotkey, served by one goroutine on one OS thread (a
// hotkey's messages go to the thread that registered it). Releases are not sent by
// Windows: that goroutine polls the key's state after a press, and only then
// reports the release, so the two arrive in order. The presses a held key's repeat
// queued meanwhile (where MOD_NOREPEAT is not honoured) are taken off the queue
// before the release is reported: one hold, one press.
type winHotkey struct {
	events     chan Event
	stop, done chan struct{}
	once       sync.Once
}

// Register takes c from Windows.
func Register(c Combo) (Hotkey, error) {
	vk, ok := virtualKey(c.Key)
	if !ok {
		return nil, fmt.Errorf("%s: the keyboard has no key %s", c, c.Key)
	}
	mods := uintptr(modNoRepeat)
	for _, m := range []struct {
		on  bool
		mod uintptr
	}{{c.Alt, 0x1}, {c.Ctrl, 0x2}, {c.Shift, 0x4}, {c.Super, 0x8}} {
		if m.on {
			mods |= m.mod
		}
	}
	h := &winHotkey{events: make(chan Event, eventBuffer), stop: make(chan struct{}), done: make(chan struct{})}
	ready := make(chan error, 1)
	go h.serve(mods, vk, ready)
	if err := <-ready; err != nil {
		if errors.Is(err, errHotkeyTaken) {
			return nil, fmt.Errorf("%s: %w", c, ErrTaken)
		}
		return nil, fmt.Errorf("%s: %v", c, err)
	}
	return h, nil
}

func (h *winHotkey) serve(mods, vk uintptr, ready chan<- error) {
	defer close(h.done)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const id = 1
	if r, _, err := procRegisterHotKey.Call(0, id, mods, vk); r == 0 {
		ready <- err
		return
	}
	defer procUnregisterHotKey.Call(0, id)
	ready <- nil
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var m winMsg
	next := func() bool {
		r, _, _ := procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, wmHotkey, wmHotkey, pmRemove)
		return r != 0
	}
	held := func() bool {
		r, _, _ := procGetAsyncKeyState.Call(vk)
		return r&0x8000 != 0
	}
	wait := func() bool {
		select {
		case <-h.stop:
			return false
		case <-tick.C:
			return true
		}
	}
	for wait() {
		if !next() {
			continue
		}
		send(h.events, Event{Down: true})
		for held() {
			if !wait() {
				return
			}
		}
		for next() { // the repeats queued while it was held
		}
		send(h.events, Event{Down: false})
	}
}

func (h *winHotkey) Events() <-chan Event { return h.events }

// Close gives the combination back to Windows.
func (h *winHotkey) Close() error {
	h.once.Do(func() {
		close(h.stop)
		<-h.done
	})
	return nil
}

// virtualKey is the key's virtual-key code: letters and digits are their upper-case
// ASCII codes, Space 0x20, F1 0x70.
func virtualKey(k string) (uintptr, bool) {
	name, ok := keyName(k)
	switch {
	case !ok:
		return 0, false
	case name == "Space":
		return 0x20, true
	case len(name) == 1:
		return uintptr(name[0]), true
	}
	var n int
	fmt.Sscanf(name[1:], "%d", &n)
	return 0x70 + uintptr(n-1), true
}
