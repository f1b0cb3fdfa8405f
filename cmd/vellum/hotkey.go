package main

import (
	"fmt"
	"io"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/vellumhealth/vellum/dictation/hotkey"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/ui"
)

// globalHotkey is dictation's hotkey while the window is open: the combination policy
// names (hotkey), taken again when it changes, and its presses handed to the window
// in the mode policy names (dictation_mode) when the key went down.
type globalHotkey struct {
	w      *ui.Workspace
	policy func() policy.Snapshot
	stderr io.Writer

	mu     sync.Mutex
	closed bool
	combo  string
	hk     hotkey.Hotkey
	stop   chan bool     // hk is let go; true: release a key held (a new combination)
	served chan struct{} // closed when its serve has returned
}

// update takes the combination policy names now, if it is not the one held: one
// that cannot be had (taken by another program, no such key, no display) is said,
// in the window and on stderr, and dictation stays in the window's button. After
// Close it does nothing.
func (g *globalHotkey) update() {
	g.mu.Lock()
	defer g.mu.Unlock()
	want := g.policy().String(policy.Hotkey)
	if g.closed || want == g.combo && g.hk != nil {
		return
	}
	g.closeLocked(true)
	g.combo = want
	c, err := hotkey.Parse(want)
	if err == nil {
		g.hk, err = hotkey.Register(c)
	}
	if err != nil {
		msg := fmt.Sprintf("dictation hotkey %s: %v (dictate with the button in the window)", want, err)
		fmt.Fprintf(g.stderr, "vellum: %s\n", msg)
		fyne.Do(func() { g.w.Notice(msg) })
		return
	}
	g.stop, g.served = make(chan bool, 1), make(chan struct{})
	go g.serve(g.hk, g.stop, g.served)
}

// serve hands each press and release to the window. The mode is the one in force
// when the key went down, so that a release ends the push-to-talk its press began;
// a key let go while held for a new combination is released (at Close the window
// is going, and ends its dictation itself).
func (g *globalHotkey) serve(hk hotkey.Hotkey, stop <-chan bool, served chan<- struct{}) {
	defer close(served)
	held, ptt := false, false
	release := func() {
		if held {
			held = false
			p := ptt
			fyne.Do(func() { g.w.DictationKey(false, p) })
		}
	}
	for {
		select {
		case releaseHeld := <-stop:
			if releaseHeld {
				release()
			}
			return
		case e := <-hk.Events():
			if e.Down {
				held, ptt = true, g.policy().String(policy.DictationMode) == "push-to-talk"
				p := ptt
				fyne.Do(func() { g.w.DictationKey(true, p) })
			} else {
				release()
			}
		}
	}
}

func (g *globalHotkey) closeLocked(releaseHeld bool) {
	if g.hk != nil {
		g.stop <- releaseHeld
		<-g.served
		g.hk.Close()
		g.hk = nil
	}
}

// Close gives the combination back; update does nothing after it.
func (g *globalHotkey) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	g.closeLocked(false)
}
