package hotkey

import "time"

// repeatGap is shorter than any press a hand makes after a release: a press that
// follows a release sooner is a held key's repeat, delivered late.
const repeatGap = 60 * time.Millisecond

// repeatFilter drops the press-and-release pairs a held key's auto-repeat leaves
// queued behind its release, where a system delivers them, and a release that
// follows no press.
type repeatFilter struct {
	lastUp   time.Time
	dropping bool
	pressed  bool
}

// down says whether a press at now is a press.
func (f *repeatFilter) down(now time.Time) bool {
	if !f.lastUp.IsZero() && now.Sub(f.lastUp) < repeatGap {
		f.dropping = true
		return false
	}
	f.pressed = true
	return true
}

// up says whether a release at now is a release (not that of a dropped repeat).
func (f *repeatFilter) up(now time.Time) bool {
	f.lastUp = now
	if f.dropping || !f.pressed {
		f.dropping = false
		return false
	}
	f.pressed = false
	return true
}
