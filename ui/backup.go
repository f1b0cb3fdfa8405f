package ui

import (
	"context"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// mayBackUp says whether the signed-in user's role may back up the vault.
func (w *Workspace) mayBackUp() bool { return w.user.Role == "admin" }

// backUp asks where to write an encrypted backup of the vault, then writes it.
func (w *Workspace) backUp() {
	if !w.mayBackUp() {
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		// The Core writes the file itself, atomically; the dialog's empty file is
		// replaced.
		wc.Close()
		if wc.URI().Scheme() != "file" {
			w.say("backups are written to local files")
			return
		}
		w.runBackup(wc.URI().Path())
	}, w.win)
	d.SetFileName("vellum.vbk")
	d.Show()
}

// runBackup writes the backup in the background behind a progress dialog whose Cancel
// stops it (and leaves no file).
func (w *Workspace) runBackup(path string) {
	ctx, cancel := context.WithCancel(context.Background())
	w.backupCancel = cancel
	bar := widget.NewProgressBar()
	count := widget.NewLabel("starting…")
	d := dialog.NewCustom("Backing up the vault", "Cancel", container.NewVBox(count, bar), w.win)
	d.SetOnClosed(cancel)
	d.Show()
	go func() {
		err := w.core.Backup(ctx, path, func(done, total int) {
			w.onUI(func() {
				bar.SetValue(float64(done) / float64(max(total, 1)))
				count.SetText(fmt.Sprintf("%d of %d notes", done, total))
			})
		})
		cancel()
		w.onUI(func() {
			d.Hide()
			if err != nil {
				w.say("backup not written: %s", errText(err))
				return
			}
			w.say("backed up to %s", filepath.Base(path))
		})
	}()
}
