//go:build linux

package hotkey

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/keysym.h>

int vh_grab(Display *d, unsigned long keysym, unsigned int mods);
int vh_next(Display *d, int kc, int timeout_ms);
void vh_ungrab(Display *d, int kc, unsigned int mods);
Display *vh_focus_window(void);
*/
import "C"

import (
	"fmt"
	"os"
	"sync"
	"unsafe"
)

// Xlib is used from more than one thread (the hotkey's connection here, the
// window's in Fyne's driver): it must be told so before any other Xlib call.
func init() { C.XInitThreads() }

// x11Hotkey is a grab on the X server's root window, read on a connection of its own.
type x11Hotkey struct {
	d          *C.Display
	kc         C.int
	mods       C.uint
	events     chan Event
	stop, done chan struct{}
	once       sync.Once
}

// Register takes c from the X server named by $DISPLAY.
func Register(c Combo) (Hotkey, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, ErrNoDisplay
	}
	d := C.XOpenDisplay(nil)
	if d == nil {
		return nil, fmt.Errorf("%w (cannot open display %q)", ErrNoDisplay, os.Getenv("DISPLAY"))
	}
	name, _ := keyName(c.Key)
	if name == "Space" {
		name = "space"
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	sym := C.XStringToKeysym(cname)
	var mods C.uint
	for _, m := range []struct {
		on   bool
		mask C.uint
	}{{c.Ctrl, C.ControlMask}, {c.Shift, C.ShiftMask}, {c.Alt, C.Mod1Mask}, {c.Super, C.Mod4Mask}} {
		if m.on {
			mods |= m.mask
		}
	}
	kc := C.vh_grab(d, sym, mods)
	switch kc {
	case -1:
		C.XCloseDisplay(d)
		return nil, fmt.Errorf("%s: %w", c, ErrTaken)
	case -2:
		C.XCloseDisplay(d)
		return nil, fmt.Errorf("%s: the keyboard has no key %s", c, c.Key)
	}
	h := &x11Hotkey{d: d, kc: kc, mods: mods, events: make(chan Event, eventBuffer),
		stop: make(chan struct{}), done: make(chan struct{})}
	go h.loop()
	return h, nil
}

// loop reads the grab's events until Close, each press once: a key held (repeated by
// the server as presses alone) is one press and one release.
func (h *x11Hotkey) loop() {
	defer close(h.done)
	pressed := false
	for {
		select {
		case <-h.stop:
			return
		default:
		}
		switch C.vh_next(h.d, h.kc, 100) {
		case 1:
			if !pressed {
				pressed = true
				send(h.events, Event{Down: true})
			}
		case 2:
			if pressed {
				pressed = false
				send(h.events, Event{Down: false})
			}
		}
	}
}

func (h *x11Hotkey) Events() <-chan Event { return h.events }

// Close ungrabs the combination and closes the connection.
func (h *x11Hotkey) Close() error {
	h.once.Do(func() {
		close(h.stop)
		<-h.done
		C.vh_ungrab(h.d, h.kc, h.mods)
		C.XCloseDisplay(h.d)
	})
	return nil
}

// focusWindow puts a window of another program in front, with the keyboard's focus
// (for tests: a hotkey must reach Vellum past it); close takes it away.
func focusWindow() (close func(), ok bool) {
	d := C.vh_focus_window()
	if d == nil {
		return nil, false
	}
	return func() { C.XCloseDisplay(d) }, true
}
