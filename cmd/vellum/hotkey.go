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
// in the mode policy names (dictation_mode), read at each press.
type globalHotkey struct {
	w      *ui.Workspace
	policy func() policy.Snapshot
	stderr io.Writer

	mu    sync.Mutex
	combo string
	hk    hotkey.Hotkey
	stop  chan struct{} // closed when hk is let go
}

// set takes the combination snap names, if it is not the one held: a combination
// that cannot be had (taken by another program, no such key, no display) is said
// once, in the window and on stderr, and dictation stays in the window's button.
func (g *globalHotkey) set(snap policy.Snapshot) {
	want := snap.String(policy.Hotkey)
	g.mu.Lock()
	defer g.mu.Unlock()
	if want == g.combo && g.hk != nil {
		return
	}
	g.closeLocked()
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
	g.stop = make(chan struct{})
	go g.serve(g.hk, g.stop)
}

func (g *globalHotkey) serve(hk hotkey.Hotkey, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-hk.Down():
			ptt := g.policy().String(policy.DictationMode) == "push-to-talk"
			fyne.Do(func() { g.w.DictationKey(true, ptt) })
		case <-hk.Up():
			ptt := g.policy().String(policy.DictationMode) == "push-to-talk"
			fyne.Do(func() { g.w.DictationKey(false, ptt) })
		}
	}
}

func (g *globalHotkey) closeLocked() {
	if g.hk != nil {
		close(g.stop)
		g.hk.Close()
		g.hk = nil
	}
}

// Close gives the combination back.
func (g *globalHotkey) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closeLocked()
}
