package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// mayAudit says whether the signed-in user may see the audit view.
func (w *Workspace) mayAudit() bool { return w.core.Can("audit.view") }

// auditContent builds the audit view: the chain's state, then the newest records.
func (w *Workspace) auditContent() (fyne.CanvasObject, error) {
	v, err := w.core.Audit(context.Background())
	if err != nil {
		return nil, err
	}
	chains := widget.NewLabel(strings.Join(v.Chains, "\n"))
	chains.Wrapping = fyne.TextWrapWord
	recent := widget.NewList(func() int { return len(v.Recent) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(v.Recent[i]) })
	head := container.NewVBox(widget.NewLabelWithStyle("Local audit chain", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), chains,
		widget.NewLabelWithStyle("Newest records", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	return border(head, nil, nil, nil, recent), nil
}

func (w *Workspace) openAudit() {
	if !w.mayAudit() {
		return
	}
	c, err := w.auditContent()
	if err != nil {
		w.say("audit view: %v", err)
		return
	}
	d := dialog.NewCustom("Audit", "Close", c, w.win)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}
