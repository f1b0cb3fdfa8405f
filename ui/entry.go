package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// entry is a text field that lets the workspace's shortcuts through: Fyne's Entry
// swallows every shortcut it does not know itself, so Ctrl+L (lock), Ctrl+D (draft)
// and the rest would do nothing while the physician is typing — which is most of the
// time.
type entry struct {
	widget.Entry
	w *Workspace
}

func newEntry(w *Workspace, multiLine bool) *entry {
	e := &entry{w: w}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && e.w.runShortcut(cs) {
		return
	}
	e.Entry.TypedShortcut(s)
}
