// Package hotkey is dictation's global hotkey: a key combination that reaches Vellum
// whichever window is in front (the EHR, say), pressed to start or stop dictation
// (toggle) or held while speaking (push-to-talk).
//
// On Linux it speaks to the X server itself (a grab on the root window): it works
// with Num Lock and Caps Lock on, reports a held key once however the server repeats
// it, says so when another program holds the combination (ErrTaken) rather than
// crashing, and refuses to start without a display (ErrNoDisplay) rather than
// panicking, so that the command line runs where there is none. On Windows it is
// RegisterHotKey on a thread of its own, which reports a release only after taking
// the repeats a held key queued (tested on Wine). On macOS it is
// golang.design/x/hotkey (Carbon's RegisterEventHotKey), not even compiled here (no
// Mac is lent). While it grabs, it sets
// Xlib's process-wide error handler for a moment, to hear another program's grab:
// an X error another thread meets in that moment is its to ignore.
package hotkey

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNoDisplay: there is no display to take a hotkey from (a terminal over SSH,
	// a server).
	ErrNoDisplay = errors.New("no display: the global hotkey needs a graphical session")
	// ErrTaken: another program holds the key combination.
	ErrTaken = errors.New("another program already uses this key combination")
)

// Combo is a key combination: modifiers and one key.
type Combo struct {
	Ctrl, Shift, Alt, Super bool
	// Key is the key's name: a letter, a digit, F1 to F12, Space.
	Key string
}

// DefaultCombo is the hotkey where settings name none.
var DefaultCombo = Combo{Ctrl: true, Shift: true, Key: "Space"}

// Parse reads a combination as settings write it: "Ctrl+Shift+Space", "Alt+F9".
func Parse(s string) (Combo, error) {
	var c Combo
	parts := strings.Split(s, "+")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		last := i == len(parts)-1
		switch strings.ToLower(p) {
		case "ctrl", "control":
			c.Ctrl = true
		case "shift":
			c.Shift = true
		case "alt", "option":
			c.Alt = true
		case "super", "win", "cmd", "command", "meta":
			c.Super = true
		default:
			if !last {
				return Combo{}, fmt.Errorf("hotkey %q: %q is not a modifier (Ctrl, Shift, Alt, Super)", s, p)
			}
			if _, ok := keyName(p); !ok {
				return Combo{}, fmt.Errorf("hotkey %q: no key %q (a letter, a digit, F1-F12, Space)", s, p)
			}
			c.Key = p
		}
	}
	if c.Key == "" {
		return Combo{}, fmt.Errorf("hotkey %q names no key", s)
	}
	if !c.Ctrl && !c.Alt && !c.Super {
		return Combo{}, fmt.Errorf("hotkey %q: a global hotkey needs Ctrl, Alt or Super, or it would take the key from every program", s)
	}
	return c, nil
}

// String writes c as Parse reads it.
func (c Combo) String() string {
	var parts []string
	for _, m := range []struct {
		on   bool
		name string
	}{{c.Ctrl, "Ctrl"}, {c.Shift, "Shift"}, {c.Alt, "Alt"}, {c.Super, "Super"}} {
		if m.on {
			parts = append(parts, m.name)
		}
	}
	return strings.Join(append(parts, c.Key), "+")
}

// keyName is the canonical name of a key ("space" is "Space", "a" is "A").
func keyName(k string) (string, bool) {
	switch u := strings.ToUpper(k); {
	case u == "SPACE":
		return "Space", true
	case len(u) == 1 && (u[0] >= 'A' && u[0] <= 'Z' || u[0] >= '0' && u[0] <= '9'):
		return u, true
	case len(u) >= 2 && len(u) <= 3 && u[0] == 'F':
		var n int
		if _, err := fmt.Sscanf(u[1:], "%d", &n); err == nil && n >= 1 && n <= 12 && fmt.Sprint(n) == u[1:] {
			return u, true
		}
	}
	return "", false
}

// Event is a press of the combination (Down) or its release.
type Event struct{ Down bool }

// A Hotkey is a registered combination.
type Hotkey interface {
	// Events are its presses and releases, in the order they happened, once each
	// however long it is held: one channel, so that a quick tap's release is never
	// read before its press.
	Events() <-chan Event
	// Close gives the combination back to the system.
	Close() error
}

// eventBuffer is how far a reader may fall behind before events are dropped: a
// hotkey's events are not worth blocking the system's connection for.
const eventBuffer = 64

// send delivers e, or drops it if the reader is eventBuffer behind.
func send(ch chan Event, e Event) {
	select {
	case ch <- e:
	default:
	}
}
