package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// settingsForm builds the settings screen: one choice per setting; those the
// organisation's policy sets are shown as managed and cannot be changed.
func (w *Workspace) settingsForm() (fyne.CanvasObject, map[string]*widget.Select) {
	selects := map[string]*widget.Select{}
	form := container.New(layout.NewFormLayout())
	for _, st := range w.core.Settings() {
		st := st
		sel := widget.NewSelect(st.Options, nil)
		sel.SetSelected(st.Value)
		sel.OnChanged = func(v string) {
			w.Touch()
			if err := w.core.SetSetting(st.Key, v); err != nil {
				w.say("%s: %v", st.Label, err)
				sel.SetSelected(st.Value)
				return
			}
			st.Value = v
			w.say("%s: %s", st.Label, v)
			if st.Key == "default_template" {
				w.assistant.template.SetSelected(v)
			}
		}
		right := fyne.CanvasObject(sel)
		if st.Managed {
			sel.Disable()
			right = container.NewVBox(sel, widget.NewLabel("Managed by your organisation"))
		}
		selects[st.Key] = sel
		form.Add(widget.NewLabel(st.Label))
		form.Add(right)
	}
	return form, selects
}

func (w *Workspace) openSettings() {
	form, _ := w.settingsForm()
	dialog.ShowCustom("Settings", "Close", form, w.win)
}
