package hotkey

import (
	"strings"
	"testing"
	"time"
)

// TestARepeatQueuedBehindAReleaseIsNoPress: a key held, its repeats delivered as
// press-release pairs just after the release, is one press; a second press a hand
// makes is a press.
func TestARepeatQueuedBehindAReleaseIsNoPress(t *testing.T) {
	var f repeatFilter
	t0 := time.Unix(0, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	var got []string
	for _, ev := range []struct {
		down bool
		ms   int
	}{{true, 0}, {false, 900}, {true, 910}, {false, 920}, {true, 930}, {false, 940}, {true, 1200}, {false, 1300}} {
		if ev.down && f.down(at(ev.ms)) {
			got = append(got, "down")
		}
		if !ev.down && f.up(at(ev.ms)) {
			got = append(got, "up")
		}
	}
	if want := "down up down up"; strings.Join(got, " ") != want {
		t.Fatalf("%s, want %s", strings.Join(got, " "), want)
	}
}
