//go:build linux

package hotkey

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// xvfb starts an X server of the test's own (key repeat on, as Xvfb starts) and
// points $DISPLAY at it.
func xvfb(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps installs it)", tool)
		}
	}
	for n := 140; n < 180; n++ {
		display := fmt.Sprintf(":%d", n)
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		cmd := exec.Command("Xvfb", display, "-screen", "0", "640x480x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		for i := 0; i < 100; i++ {
			probe := exec.Command("xdotool", "getmouselocation")
			probe.Env = append(os.Environ(), "DISPLAY="+display)
			if probe.Run() == nil {
				t.Setenv("DISPLAY", display)
				return display
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("Xvfb %s did not start", display)
	}
	t.Fatal("no free display")
	return ""
}

func xdo(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestTheHotkeyIsHeardWhateverTheLocks: under a real X server, with another
// program's window in front, the combination is heard tapped, with Num Lock on and off and with Caps Lock on; held past the key
// repeat, it is one press and one release; another program holding it is an error,
// not a crash; and without a display, registering says so.
func TestTheHotkeyIsHeardWhateverTheLocks(t *testing.T) {
	xvfb(t)
	// Another program in front, with the keyboard: the hotkey reaches Vellum only by
	// its grab.
	closeWindow, ok := focusWindow()
	if !ok {
		t.Fatal("no window could be put in front")
	}
	defer closeWindow()
	h, err := Register(DefaultCombo)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	time.Sleep(100 * time.Millisecond) // the grab reaches the server
	for _, lock := range []string{"", "Num_Lock", "Caps_Lock"} {
		if lock != "" {
			xdo(t, "key", lock)
		}
		xdo(t, "key", "ctrl+shift+space")
		if down, up := events(h, 500*time.Millisecond); down != 1 || up != 1 {
			t.Errorf("tapped (lock %q): %d presses, %d releases; want 1 and 1", lock, down, up)
		}
		if lock != "" {
			xdo(t, "key", lock)
		}
	}
	// Held for a second: the server repeats the key every few tens of milliseconds.
	xdo(t, "keydown", "ctrl+shift+space")
	time.Sleep(time.Second)
	xdo(t, "keyup", "ctrl+shift+space")
	if down, up := events(h, 500*time.Millisecond); down != 1 || up != 1 {
		t.Errorf("held: %d presses, %d releases; want 1 and 1", down, up)
	}
	// Another program's hold.
	if other, err := Register(DefaultCombo); !errors.Is(err, ErrTaken) {
		if other != nil {
			other.Close()
		}
		t.Errorf("a second grab: %v, want ErrTaken", err)
	}
	h.Close()
	// Given back: it can be taken again.
	again, err := Register(DefaultCombo)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	again.Close()
	t.Setenv("DISPLAY", "")
	if _, err := Register(DefaultCombo); !errors.Is(err, ErrNoDisplay) {
		t.Fatalf("without a display: %v", err)
	}
}
