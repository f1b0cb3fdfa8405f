package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/ui/clipboard"
)

// Workspace is the main window and its screens.
type Workspace struct {
	core Core
	app  fyne.App
	win  fyne.Window
	now  func() time.Time
	// onUI runs a function on the UI goroutine, from background work (fyne.Do; tests
	// queue them and run them on the test's goroutine).
	onUI func(func())

	mu           sync.Mutex
	lastActivity time.Time
	user         User
	signedIn     bool
	locked       bool

	signIn *signInScreen
	lock   *lockScreen
	main   fyne.CanvasObject

	notes   []Note
	list    *widget.List
	search  *entry
	current *Note
	title   *widget.Label
	editor  *entry
	saveBtn *widget.Button
	signBtn *widget.Button
	copyBtn *widget.Button
	fhirBtn *widget.Button
	addBtn  *widget.Button
	ack     *fyne.Container
	addForm *fyne.Container
	addText *entry
	newForm *fyne.Container
	patient *entry
	ntitle  *entry

	shortcuts map[desktop.CustomShortcut]func()

	assistant *assistant
	auditBtn  *widget.Button
	backupBtn *widget.Button
	// backupCancel stops the backup in progress (the progress dialog's Cancel).
	backupCancel func()
	status       *widget.Label
	message      *widget.Label
	// trayIcon sets the tray's icon (where the desktop has a tray; tests watch it).
	trayIcon func(fyne.Resource)
}

// New builds the workspace in a new window of app, showing the sign-in screen. now is
// the clock (tests pass a fake one for the idle lock).
func New(app fyne.App, core Core, now func() time.Time) *Workspace {
	if now == nil {
		now = time.Now
	}
	w := &Workspace{core: core, app: app, win: app.NewWindow("Vellum"), now: now, onUI: fyne.Do, trayIcon: func(fyne.Resource) {}}
	w.lastActivity = now()
	w.signIn = newSignInScreen(w)
	w.lock = newLockScreen(w)
	w.main = w.buildMain()
	w.win.SetContent(w.signIn.content)
	w.win.Canvas().Focus(w.signIn.username)
	w.win.Resize(fyne.NewSize(1100, 720))
	w.addShortcuts()
	return w
}

// Started focuses the first field once the window is on screen (the app's OnStarted).
// Stopped is the app ending (Quit, or closing the window without a tray): a draft in
// progress is stopped, so the model can be freed at once.
func (w *Workspace) Stopped() {
	w.assistant.stop()
	// A dictation is dropped, and its end recorded before the vault closes.
	w.assistant.endDictation(3 * time.Second)
}

func (w *Workspace) Started() {
	if !w.signedIn {
		w.win.Canvas().Focus(w.signIn.username)
	}
}

// Window is the workspace's window.
func (w *Workspace) Window() fyne.Window { return w.win }

// Touch records user activity (the idle lock counts from the last).
func (w *Workspace) Touch() {
	w.mu.Lock()
	w.lastActivity = w.now()
	w.mu.Unlock()
}

// Tick locks the session once it has been idle for policy's timeout and refreshes the
// status bar. The app calls it every second; tests call it with a fake clock.
func (w *Workspace) Tick() {
	w.mu.Lock()
	idle := w.now().Sub(w.lastActivity)
	active := w.signedIn && !w.locked
	w.mu.Unlock()
	if !active {
		return
	}
	timeout := w.core.IdleTimeout()
	if idle >= timeout {
		w.Lock()
		return
	}
	w.refreshStatus(timeout - idle)
}

// Locked says whether the lock screen is up.
func (w *Workspace) Locked() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.locked
}

// Lock hides every PHI-bearing view at once: the window shows only the lock screen.
func (w *Workspace) Lock() {
	w.mu.Lock()
	if !w.signedIn || w.locked {
		w.mu.Unlock()
		return
	}
	w.locked = true
	w.mu.Unlock()
	w.assistant.stop()
	w.assistant.stopDictation() // the microphone closes with the session; what was heard stays
	_ = w.core.Lock(context.Background())
	w.win.SetTitle("Vellum — locked")
	// Content first: show focuses the password field, and focus given to an object not
	// yet on the canvas is lost when the content changes.
	w.win.SetContent(w.lock.content)
	w.lock.show(w.user)
}

func (w *Workspace) unlocked() {
	w.mu.Lock()
	w.locked = false
	w.lastActivity = w.now()
	w.mu.Unlock()
	w.win.SetTitle("Vellum — " + w.user.Name)
	w.win.SetContent(w.main)
	w.win.Canvas().Focus(w.editor)
}

func (w *Workspace) signedInAs(u User) {
	w.mu.Lock()
	w.user, w.signedIn, w.locked = u, true, false
	w.lastActivity = w.now()
	w.mu.Unlock()
	w.assistant.setTemplates(w.core.Templates())
	if w.mayAudit() {
		w.auditBtn.Show()
	} else {
		w.auditBtn.Hide()
	}
	if w.mayBackUp() {
		w.backupBtn.Show()
	} else {
		w.backupBtn.Hide()
	}
	w.refreshNotes()
	w.win.SetTitle("Vellum — " + u.Name)
	w.win.SetContent(w.main)
	w.win.Canvas().Focus(w.search)
	w.refreshStatus(w.core.IdleTimeout())
}

func (w *Workspace) buildMain() fyne.CanvasObject {
	w.search = newEntry(w, false)
	w.search.SetPlaceHolder("Search notes (Ctrl+F)")
	w.search.OnChanged = func(string) { w.Touch() }
	w.search.OnSubmitted = func(string) { w.refreshNotes() }
	w.list = widget.NewList(
		func() int { return len(w.notes) },
		func() fyne.CanvasObject {
			return container.NewVBox(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(w.notes) {
				return
			}
			n := w.notes[id]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(n.Title)
			box.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s", n.PatientRef, n.Status, n.Updated.Local().Format("2006-01-02 15:04")))
		})
	w.list.OnSelected = func(id widget.ListItemID) { w.Touch(); w.open(id) }
	newBtn := widget.NewButtonWithIcon("New note", theme.ContentAddIcon(), w.newNote)
	left := border(container.NewVBox(w.search, newBtn), nil, nil, nil, w.list)

	w.title = widget.NewLabelWithStyle("No note open", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.editor = newEntry(w, true)
	w.editor.SetPlaceHolder("Open or create a note; draft with the assistant on the right.")
	w.editor.OnChanged = func(string) { w.Touch() }
	w.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), w.save)
	w.signBtn = widget.NewButtonWithIcon("Sign", theme.ConfirmIcon(), w.sign)
	w.ack = container.NewVBox()
	w.patient = newEntry(w, false)
	w.patient.SetPlaceHolder("Patient (MRN)")
	w.ntitle = newEntry(w, false)
	w.ntitle.SetPlaceHolder("Title")
	w.ntitle.OnSubmitted = func(string) { w.createNote() }
	w.newForm = container.NewVBox(w.patient, w.ntitle, container.NewHBox(
		widget.NewButton("Create", w.createNote), widget.NewButton("Cancel", func() { w.newForm.Hide() })))
	w.newForm.Hide()
	// The dictation issue adds its controls beside these; nothing shows for it yet.
	w.copyBtn = widget.NewButtonWithIcon("Copy to EHR", theme.ContentCopyIcon(), w.copyNote)
	w.copyBtn.Disable()
	// One Export button, its menu the ways to a file: FHIR for the EHR, and the
	// de-identified copy for teaching (Ctrl+E goes straight to FHIR).
	w.fhirBtn = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), nil)
	w.fhirBtn.OnTapped = func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem("FHIR DocumentReference, for the EHR…", w.exportFHIR),
			fyne.NewMenuItem("De-identified copy, for teaching or research…", w.exportDeidentified))
		widget.ShowPopUpMenuAtRelativePosition(menu, w.win.Canvas(), fyne.NewPos(0, w.fhirBtn.Size().Height), w.fhirBtn)
	}
	w.fhirBtn.Disable()
	w.addBtn = widget.NewButtonWithIcon("Addendum…", theme.ContentAddIcon(), w.newAddendum)
	w.addBtn.Disable()
	w.addText = newEntry(w, true)
	w.addText.SetPlaceHolder("Addendum: the correction or addition, signed as you add it")
	w.addText.SetMinRowsVisible(4)
	w.addForm = container.NewVBox(w.addText, container.NewHBox(
		widget.NewButton("Sign addendum", w.addAddendum), widget.NewButton("Cancel", func() { w.addForm.Hide() })))
	w.addForm.Hide()
	editorBar := container.NewHBox(w.saveBtn, w.signBtn, w.addBtn, w.copyBtn, w.fhirBtn)
	center := border(container.NewVBox(w.newForm, w.title, editorBar, w.addForm), w.ack, nil, nil, w.editor)

	w.assistant = newAssistant(w)
	w.status = widget.NewLabel("")
	w.message = widget.NewLabel("")
	lockBtn := widget.NewButtonWithIcon("Lock", theme.VisibilityOffIcon(), w.Lock)
	settingsBtn := widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), w.openSettings)
	w.auditBtn = widget.NewButtonWithIcon("Audit", theme.ListIcon(), w.openAudit)
	w.auditBtn.Hide()
	w.backupBtn = widget.NewButtonWithIcon("Back up…", theme.StorageIcon(), w.backUp)
	w.backupBtn.Hide()
	bottom := border(nil, nil, w.message, container.NewHBox(w.status, w.auditBtn, w.backupBtn, settingsBtn, lockBtn))

	split := container.NewHSplit(left, container.NewHSplit(center, w.assistant.content))
	split.Offset = 0.25
	return border(nil, bottom, nil, nil, split)
}

// addShortcuts gives every action a key: Ctrl (Cmd on macOS) with L lock, F search,
// N new note, S save, Return sign (the draft, or the addendum being written), D draft, I insert the draft, period stop, comma
// settings, E copy a signed note for the EHR; Ctrl+Shift with A an addendum, E the
// FHIR export, Space dictation (in the window; the global hotkey is the same keys);
// Esc cancels a dictation.
func (w *Workspace) addShortcuts() {
	w.shortcuts = map[desktop.CustomShortcut]func(){}
	mod := fyne.KeyModifierShortcutDefault
	add := func(k fyne.KeyName, f func()) {
		sc := desktop.CustomShortcut{KeyName: k, Modifier: mod}
		w.shortcuts[sc] = f
		w.win.Canvas().AddShortcut(&sc, func(s fyne.Shortcut) { w.runShortcut(s.(*desktop.CustomShortcut)) })
	}
	w.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape && w.assistant != nil {
			w.assistant.cancelDictation()
		}
	})
	add(fyne.KeyL, w.Lock)
	add(fyne.KeyF, func() { w.focusLater(w.search) })
	add(fyne.KeyN, w.newNote)
	add(fyne.KeyS, w.save)
	add(fyne.KeyReturn, w.sign)
	add(fyne.KeyD, func() { w.assistant.draft() })
	add(fyne.KeyI, func() { w.assistant.insert(false) })
	add(fyne.KeyPeriod, func() { w.assistant.stop() })
	add(fyne.KeyComma, w.openSettings)
	add(fyne.KeyE, w.copyNote)
	mod |= fyne.KeyModifierShift
	add(fyne.KeySpace, func() { w.assistant.toggleDictation("window") })
	add(fyne.KeyA, w.newAddendum)
	add(fyne.KeyE, w.exportFHIR)
}

// runShortcut runs the action of a workspace shortcut, if it is one, while signed in
// and unlocked.
func (w *Workspace) runShortcut(sc *desktop.CustomShortcut) bool {
	f, ok := w.shortcuts[*sc]
	if !ok {
		return false
	}
	w.mu.Lock()
	active := w.signedIn && !w.locked
	w.mu.Unlock()
	if active {
		w.Touch()
		f()
	}
	return true
}

func (w *Workspace) say(format string, args ...any) { w.message.SetText(fmt.Sprintf(format, args...)) }

// Notice shows a message in the status bar: what the user should know of the
// workstation's setup (a hotkey another program holds, say).
func (w *Workspace) Notice(msg string) { w.message.SetText(msg) }

func (w *Workspace) refreshNotes() {
	notes, err := w.core.Notes(context.Background(), strings.TrimSpace(w.search.Text))
	if err != nil {
		w.say("%v", err)
		return
	}
	w.notes = notes
	w.list.UnselectAll()
	w.list.Refresh()
}

func (w *Workspace) open(id int) {
	if id >= len(w.notes) {
		return
	}
	n, err := w.core.Note(context.Background(), w.notes[id].ID)
	if err != nil {
		w.say("%v", err)
		return
	}
	w.show(n)
}

func (w *Workspace) show(n Note) {
	w.current = &n
	title := fmt.Sprintf("%s — %s (%s)", n.Title, n.PatientRef, n.Status)
	if n.Origin != "" {
		title += " · " + n.Origin
	}
	w.title.SetText(title)
	w.editor.SetText(n.Body + addendaText(n.Addenda))
	w.addForm.Hide()
	signed := []*widget.Button{w.addBtn, w.copyBtn, w.fhirBtn}
	if n.Status == "draft" {
		w.editor.Enable()
		w.signBtn.Enable()
		w.saveBtn.Enable()
		for _, b := range signed {
			b.Disable()
		}
	} else {
		w.editor.Disable() // signed: immutable; corrections are addenda
		w.signBtn.Disable()
		w.saveBtn.Disable()
		for _, b := range signed {
			b.Enable()
		}
		// A disabled field that keeps the focus receives no shortcuts (Fyne passes it
		// only Copy), which would leave the window deaf to them.
		if w.win.Canvas().Focused() == fyne.Focusable(w.editor) {
			w.win.Canvas().Unfocus()
		}
	}
	w.ack.RemoveAll()
}

// newNote asks for the patient and a title.
func (w *Workspace) newNote() {
	w.patient.SetText("")
	w.ntitle.SetText("")
	w.newForm.Show()
	w.focusLater(w.patient)
}

// focusLater moves the keyboard focus once the current event is handled: focus set
// inside a shortcut's handler is taken back by the entry that had the key. Posting
// from another goroutine queues it behind the event.
func (w *Workspace) focusLater(o fyne.Focusable) {
	go w.onUI(func() { w.win.Canvas().Focus(o) })
}

func (w *Workspace) createNote() {
	patient, title := strings.TrimSpace(w.patient.Text), strings.TrimSpace(w.ntitle.Text)
	if patient == "" {
		w.say("which patient? enter the MRN")
		return
	}
	if title == "" {
		title = "Note"
	}
	n, err := w.core.NewNote(context.Background(), patient, title)
	if err != nil {
		w.say("%v", err)
		return
	}
	w.newForm.Hide()
	w.refreshNotes()
	w.show(n)
	w.focusLater(w.editor)
}

func (w *Workspace) save() { w.trySave() }

// trySave saves the open draft and says whether it is saved.
func (w *Workspace) trySave() bool {
	if w.current == nil || w.current.Status != "draft" {
		return false
	}
	id := w.current.ID
	if err := w.core.SaveNote(context.Background(), id, w.editor.Text, w.assistant.provenance(id)); err != nil {
		w.say("not saved: %v", err)
		return false
	}
	w.assistant.saved(id)
	w.current.Body = w.editor.Text
	w.say("saved")
	return true
}

// sign signs the open draft once every ungrounded span still in it is acknowledged
// or, under a signed note, the addendum being written.
func (w *Workspace) sign() {
	if w.current != nil && w.current.Status != "draft" && !w.addForm.Hidden {
		w.addAddendum()
		return
	}
	if w.current == nil || w.current.Status != "draft" {
		return
	}
	if len(w.ack.Objects) > 0 {
		w.say("tick each item kept, or edit it out, then Sign with these kept")
		return
	}
	// What is signed is what the physician sees: saved first. Then the Core says what
	// of the models' drafts kept with the note (from this window or any other) the
	// text still holds unsupported.
	if !w.trySave() {
		return
	}
	open, err := w.core.Unsupported(context.Background(), w.current.ID)
	if err != nil {
		w.say("not signed: %v", err)
		return
	}
	if len(open) > 0 {
		w.askAcknowledgement(open)
		return
	}
	w.finishSign(nil)
}

// askAcknowledgement asks, before signing, for each suspected fabrication to be
// checked one by one, and for the facts that usually come from the record (an age, a
// weight: llm.NotInSource) to be confirmed together, in one quieter check.
func (w *Workspace) askAcknowledgement(open []llm.Span) {
	w.ack.RemoveAll()
	var checks []*widget.Check
	confirm := widget.NewButton("Sign with these kept", func() {
		for _, c := range checks {
			if !c.Checked {
				w.say("acknowledge every highlighted item, or edit it out, before signing")
				return
			}
		}
		w.finishSign(open)
	})
	var record []string
	for _, s := range open {
		if s.Kind == llm.NotInSource {
			record = append(record, s.Text)
			continue
		}
		if len(checks) == 0 {
			w.ack.Add(widget.NewLabelWithStyle("Not found in the source — check each before signing:", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		c := widget.NewCheck(fmt.Sprintf("%s (%s) is correct", s.Text, s.Kind), func(bool) { w.Touch() })
		checks = append(checks, c)
		w.ack.Add(c)
	}
	if len(record) > 0 {
		c := widget.NewCheck(fmt.Sprintf("From the record, not the dictation, and correct: %s", strings.Join(record, ", ")), func(bool) { w.Touch() })
		checks = append(checks, c)
		w.ack.Add(c)
	}
	w.ack.Add(container.NewHBox(confirm, widget.NewButton("Cancel", func() { w.ack.RemoveAll() })))
}

func (w *Workspace) finishSign(acknowledged []llm.Span) {
	// What is signed is what the physician sees: not a stale stored text. A change
	// since the list was asked for may bring new items: the Core refuses then.
	if !w.trySave() {
		return
	}
	w.ack.RemoveAll()
	if err := w.core.SignNote(context.Background(), w.current.ID, acknowledged); err != nil {
		w.say("not signed: %v", err)
		return
	}
	w.reopen("signed")
}

// reopen shows the open note as the Core has it now, refreshes the list and says msg.
func (w *Workspace) reopen(msg string) {
	if n, err := w.core.Note(context.Background(), w.current.ID); err == nil {
		w.show(n)
	}
	w.refreshNotes()
	w.say("%s", msg)
}

func (w *Workspace) refreshStatus(untilLock time.Duration) {
	st := w.core.Status()
	var parts []string
	if st.Model != "" {
		p := fmt.Sprintf("%s on %s", st.Model, st.Device)
		if st.TokensPerSec > 0 {
			p += fmt.Sprintf(", %.1f tok/s", st.TokensPerSec)
		}
		parts = append(parts, p)
	} else {
		parts = append(parts, "no model loaded")
	}
	audit := fmt.Sprintf("audit: %d queued", st.Queued)
	if !st.LastDelivery.IsZero() {
		audit += ", delivered " + st.LastDelivery.Local().Format("15:04")
	}
	parts = append(parts, audit, fmt.Sprintf("locks in %d:%02d", int(untilLock.Minutes()), int(untilLock.Seconds())%60))
	w.status.SetText(strings.Join(parts, " · "))
	if st.Loading > 0 {
		w.assistant.loading(st.Loading)
	} else {
		w.assistant.reading(st.Reading)
	}
}

// errText is an error for a screen: the Core's errors are written for people.
func errText(err error) string {
	if errors.Is(err, context.Canceled) {
		return "stopped"
	}
	return err.Error()
}

// copyNote puts a signed note on the clipboard for the EHR, and clears it after
// policy's time unless something else has been copied since.
func (w *Workspace) copyNote() {
	if w.current == nil || w.current.Status == "draft" {
		return
	}
	text, after, err := w.core.CopyNote(context.Background(), w.current.ID)
	if err != nil {
		w.say("not copied: %v", err)
		return
	}
	cb := w.app.Clipboard()
	// Where the OS allows it, the copy stays out of clipboard history and cloud sync.
	switch err := clipboard.WritePrivate(text); {
	case errors.Is(err, clipboard.ErrUnsupported):
		cb.SetContent(text)
	case err != nil:
		w.say("not copied: %v", err)
		return
	}
	w.say("copied; the clipboard is cleared in %s", after)
	time.AfterFunc(after, func() {
		w.onUI(func() {
			if cb.Content() == text {
				cb.SetContent("")
			}
		})
	})
}

// addendaText shows a signed note's addenda after its text, as the EHR receives them.
func addendaText(as []Addendum) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "\n\nAddendum, %s, %s:\n%s", a.Created.Local().Format("2006-01-02 15:04"), a.Author, a.Body)
	}
	return b.String()
}

// newAddendum opens the addendum form under a signed note.
func (w *Workspace) newAddendum() {
	if w.current == nil || w.current.Status == "draft" {
		return
	}
	w.addText.SetText("")
	w.addForm.Show()
	w.focusLater(w.addText)
}

// addAddendum signs the addendum in the form onto the open note.
func (w *Workspace) addAddendum() {
	if w.current == nil || strings.TrimSpace(w.addText.Text) == "" {
		return
	}
	if err := w.core.AddAddendum(context.Background(), w.current.ID, strings.TrimSpace(w.addText.Text)); err != nil {
		w.say("addendum not added: %v", err)
		return
	}
	w.reopen("addendum signed")
}

// exportFHIR asks for a folder and exports the open signed note there as a FHIR
// DocumentReference. The Core writes the file itself (whole or not at all, readable
// by its owner alone); a save dialog would have created, or emptied, the file first.
func (w *Workspace) exportFHIR() {
	if w.current == nil || w.current.Status == "draft" {
		return
	}
	id := w.current.ID
	w.pickLocalFolder("exports", func(dir string) { w.exportFHIRTo(id, dir) })
}

// pickLocalFolder asks for a local folder and hands it to then; what names what is
// written there, for the message when the folder is not local.
func (w *Workspace) pickLocalFolder(what string, then func(dir string)) {
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		if dir.Scheme() != "file" {
			w.say("%s are written to local folders", what)
			return
		}
		then(dir.Path())
	}, w.win)
}

func (w *Workspace) exportFHIRTo(id, dir string) { w.exportTo(w.core.ExportFHIR, id, dir) }

// exportDeidentified asks for a folder and writes the open signed note there
// de-identified, for teaching or research.
func (w *Workspace) exportDeidentified() {
	if w.current == nil || w.current.Status == "draft" {
		return
	}
	id := w.current.ID
	w.pickLocalFolder("exports", func(dir string) { w.exportTo(w.core.ExportDeidentified, id, dir) })
}

func (w *Workspace) exportTo(export func(ctx context.Context, id, dir string) (string, error), id, dir string) {
	path, err := export(context.Background(), id, dir)
	if err != nil {
		w.say("not exported: %v", err)
		return
	}
	w.say("exported to %s", filepath.Base(path))
}

// SetTray gives Vellum a system-tray menu (Open, Lock; Fyne adds Quit) and decides
// what closing the window does: with keep, it locks the session and hides the window,
// and Vellum stays in the tray; without, it quits. Call it only where the desktop
// shows tray icons, or a hidden window could not be found again.
func (w *Workspace) SetTray(keep bool) {
	if desk, ok := w.app.(desktop.App); ok {
		w.trayIcon = desk.SetSystemTrayIcon
		desk.SetSystemTrayMenu(fyne.NewMenu("Vellum",
			fyne.NewMenuItem("Open Vellum", func() { w.win.Show(); w.win.RequestFocus() }),
			fyne.NewMenuItem("Lock", w.Lock)))
	}
	if keep {
		w.win.SetCloseIntercept(w.closeToTray)
	} else {
		w.win.SetCloseIntercept(nil)
	}
}

// DictationKey is the global hotkey, pressed (down) or released. The window comes to
// the front, so that the physician sees what is heard; in toggle mode a press starts
// dictation into the assistant's source, or stops it keeping its text; in
// push-to-talk it dictates while the key is held. Locked or signed out, the window
// only comes to the front, to sign in: nothing listens.
func (w *Workspace) DictationKey(down, pushToTalk bool) {
	w.mu.Lock()
	active := w.signedIn && !w.locked
	w.mu.Unlock()
	if down {
		w.win.Show()
		w.win.RequestFocus()
	}
	if !active {
		if down {
			w.say("sign in to dictate")
		}
		return
	}
	w.Touch()
	switch {
	case !pushToTalk && down:
		w.assistant.toggleDictation("hotkey")
	case pushToTalk && down && w.assistant.dictating == nil:
		w.assistant.startDictation("hotkey")
	case pushToTalk && !down:
		w.assistant.stopDictation()
	}
}

const recordingMark = "● Recording — "

// recording shows, in the window's title and the tray's icon, that the microphone is
// open: seen from the taskbar and the tray while another window is in front.
func (w *Workspace) recording(on bool) {
	title := w.win.Title()
	title = strings.TrimPrefix(title, recordingMark)
	if on {
		w.win.SetTitle(recordingMark + title)
		w.trayIcon(RecordingIcon)
		return
	}
	w.win.SetTitle(title)
	w.trayIcon(Icon)
}

// closeToTray is closing the window while Vellum stays in the tray: the session locks
// first, so the hidden window holds no PHI when it is opened again.
func (w *Workspace) closeToTray() {
	w.Lock()
	w.win.Hide()
}
