//go:build windows || (darwin && cgo)

package hotkey

import (
	"fmt"
	"sync"
	"time"

	xhotkey "golang.design/x/hotkey"
)

// Register takes c from the system through golang.design/x/hotkey (RegisterHotKey on
// Windows, Carbon's RegisterEventHotKey on macOS).
func Register(c Combo) (Hotkey, error) {
	key, ok := libraryKey(c.Key)
	if !ok {
		return nil, fmt.Errorf("%s: the keyboard has no key %s", c, c.Key)
	}
	hk := xhotkey.New(libraryMods(c), key)
	if err := hk.Register(); err != nil {
		return nil, fmt.Errorf("%s: %w (%v)", c, ErrTaken, err)
	}
	h := &libraryHotkey{hk: hk, events: make(chan Event, eventBuffer), stop: make(chan struct{}), done: make(chan struct{})}
	go h.loop()
	return h, nil
}

type libraryHotkey struct {
	hk     *xhotkey.Hotkey
	events chan Event
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// loop hands on the library's events in order, less the repeats a held key leaves
// behind (the library registers without MOD_NOREPEAT, and reads the queued repeats
// as presses once the key is up). The library's presses and releases come on two
// channels; it sends a release only once its 10 ms poll finds the key up, and this
// loop never blocks, so a press is read before its release.
func (h *libraryHotkey) loop() {
	defer close(h.done)
	var f repeatFilter
	for {
		select {
		case <-h.stop:
			return
		case <-h.hk.Keydown():
			if f.down(time.Now()) {
				send(h.events, Event{Down: true})
			}
		case <-h.hk.Keyup():
			if f.up(time.Now()) {
				send(h.events, Event{Down: false})
			}
		}
	}
}

func (h *libraryHotkey) Events() <-chan Event { return h.events }

// Close gives the combination back to the system.
func (h *libraryHotkey) Close() error {
	h.once.Do(func() {
		close(h.stop)
		<-h.done
		h.hk.Unregister()
	})
	return nil
}
