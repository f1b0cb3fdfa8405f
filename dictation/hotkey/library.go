//go:build darwin && cgo

package hotkey

import (
	"fmt"
	"sync"
	"time"

	xhotkey "golang.design/x/hotkey"
)

// Register takes c from macOS through golang.design/x/hotkey (Carbon's
// RegisterEventHotKey).
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

// loop hands on the library's events, less any repeats a held key leaves behind
// (as golang.design/x/hotkey's Windows code does; whether Carbon does is not known
// here). Its presses and releases come on two channels, so that under load a
// release may be read before its press: the filter drops a release with no press.
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
