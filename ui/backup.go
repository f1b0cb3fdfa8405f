package ui

import (
	"context"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// mayBackUp says whether the signed-in user may back up the vault.
func (w *Workspace) mayBackUp() bool { return w.core.Can("vault.admin") }

// backUp asks for a folder and writes an encrypted backup of the vault into it, under
// a new name: choosing a folder, not a file, means an earlier backup is never emptied
// or replaced by one that then fails.
func (w *Workspace) backUp() {
	if !w.mayBackUp() {
		return
	}
	w.pickLocalFolder("backups", w.runBackup)
}

// runBackup writes the backup in the background behind a progress dialog whose Cancel
// stops it (and leaves no file).
func (w *Workspace) runBackup(dir string) {
	ctx, cancel := context.WithCancel(context.Background())
	w.backupCancel = cancel
	bar := widget.NewProgressBar()
	count := widget.NewLabel("starting…")
	d := dialog.NewCustom("Backing up the vault", "Cancel", container.NewVBox(count, bar), w.win)
	d.SetOnClosed(cancel)
	d.Show()
	go func() {
		path, err := w.core.Backup(ctx, dir, func(done, total int) {
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
