package hotkey

import (
	"testing"
	"time"
)

// TestCombosAreReadAsSettingsWriteThem: what settings may say, and what they may not.
func TestCombosAreReadAsSettingsWriteThem(t *testing.T) {
	for s, want := range map[string]string{"Ctrl+Shift+Space": "Ctrl+Shift+Space", "alt+f9": "Alt+f9",
		"Super+D": "Super+D", "ctrl + shift + d": "Ctrl+Shift+d"} {
		c, err := Parse(s)
		if err != nil || c.String() != want {
			t.Errorf("%q: %v %v, want %q", s, c, err, want)
		}
	}
	for _, bad := range []string{"", "Ctrl", "Shift+Space", "Space", "Ctrl+Hyper+Space", "Ctrl+F13", "Ctrl+Shift+Enter+"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// events counts the presses and releases that arrive within d.
func events(h Hotkey, d time.Duration) (down, up int) {
	deadline := time.After(d)
	for {
		select {
		case e := <-h.Events():
			if e.Down {
				down++
			} else {
				up++
			}
		case <-deadline:
			return down, up
		}
	}
}
