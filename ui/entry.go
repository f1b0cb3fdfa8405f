package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
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

// AcceptsTab is false: Tab and Shift+Tab move the focus on, out of multi-line fields
// too, so a keyboard user is never trapped in the editor. A note for the EHR has no
// use for tab characters.
func (e *entry) AcceptsTab() bool { return false }

// TypedKey lets Esc cancel a dictation from the field it writes into.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.w.assistant != nil && e.w.assistant.cancelDictation() {
		return
	}
	e.Entry.TypedKey(k)
}

func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && e.w.runShortcut(cs) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// border lays out as container.NewBorder does, but keeps its parts in reading order —
// top, left, centre, right, bottom — because that is the order Tab visits them in.
// container.NewBorder puts the centre first, so Tab would reach the editor before the
// toolbar above it and the note list before the search box.
func border(top, bottom, left, right fyne.CanvasObject, center ...fyne.CanvasObject) *fyne.Container {
	var parts []fyne.CanvasObject
	for _, o := range append(append([]fyne.CanvasObject{top, left}, center...), right, bottom) {
		if o != nil {
			parts = append(parts, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), parts...)
}
