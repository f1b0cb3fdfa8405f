package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vellumhealth/vellum/llm"
)

// fakeCore is a Core for the screens' tests: synthetic notes, a scripted draft that
// streams one word at a time until released or cancelled.
type fakeCore struct {
	mu       sync.Mutex
	notes    []Note
	locked   bool
	signed   map[string][]llm.Span
	saved    map[string]string
	glass    string
	totp     bool
	words    []string
	gate     chan struct{} // each receive lets one more word out; nil: no waiting
	draftErr error
	template string
	copied   []string
	exported []string
	// provenance holds every draft a save passed on.
	provenance []Provenance
	loading    float64
	reading    float64
	lead       string // emitted before the first word, without waiting for gate
	role       string // of the user signed in
	// aup is the acceptable-use text to accept ("" for none).
	aup                     string
	aupAccepted, aupRefused bool
	// spoken are the utterances a dictation hears, one each time heard is sent to;
	// noDictation makes Dictate say it is not set up.
	spoken      []string
	heard       chan struct{}
	noDictation bool
	via         []string // what started each dictation
}

func (f *fakeCore) Dictate(ctx context.Context, via string, stop <-chan struct{}, ev DictationEvents) (string, error) {
	f.mu.Lock()
	f.via = append(f.via, via)
	f.mu.Unlock()
	if f.noDictation {
		return "", ErrNoDictation
	}
	text := ""
	add := func(u string) {
		if text != "" {
			text += " "
		}
		text += u
	}
	for _, u := range f.spoken {
		ev.Level(0.7)
		ev.Partial(u[:len(u)/2])
		select {
		case <-f.heard:
		case <-stop: // the utterance under way is heard to its end
			add(u)
			return text, nil
		case <-ctx.Done():
			return text, nil
		}
		add(u)
		ev.Transcript(text)
	}
	select { // listening until stopped
	case <-stop:
	case <-ctx.Done():
	}
	return text, nil
}

// vias are what started each dictation, in order.
func (f *fakeCore) vias() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.via)
}

const syntheticBody = "SYNTHETIC-NOTE-BODY cough and fever for three days"

func newFakeCore() *fakeCore {
	return &fakeCore{
		notes: []Note{
			{ID: "n1", PatientRef: "p-7f3a", Title: "SOAP note", Status: "draft", Updated: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Body: syntheticBody},
			{ID: "n2", PatientRef: "p-19c2", Title: "Referral letter", Status: "signed", Updated: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Body: "SYNTHETIC-SIGNED-BODY"},
		},
		signed: map[string][]llm.Span{},
		saved:  map[string]string{},
		words:  []string{"## Plan\n", "Fluids, ", "paracetamol ", "1 g ", "for ", "7 days."},
	}
}

func (f *fakeCore) SignIn(_ context.Context, user, password, code string) (User, error) {
	if user == "auditor.synthetic" && password == "correct horse" {
		f.role = "auditor"
		return User{Name: user, Role: "auditor"}, nil
	}
	if user == "admin.synthetic" && password == "correct horse" {
		f.role = "admin"
		return User{Name: user, Role: "admin"}, nil
	}
	if user != "dr.synthetic" || password != "correct horse" {
		return User{}, errors.New("wrong user name or password")
	}
	if f.totp && code != "123456" {
		return User{}, ErrTOTPNeeded
	}
	f.role = "physician"
	return User{Name: user, Role: "physician"}, nil
}
func (f *fakeCore) Unlock(_ context.Context, password, _ string) error {
	if password != "correct horse" {
		return errors.New("wrong password")
	}
	f.locked = false
	return nil
}
func (f *fakeCore) Lock(context.Context) error    { f.locked = true; return nil }
func (f *fakeCore) SignOut(context.Context) error { f.role = ""; return nil }

// Can answers as the permissions table does for the fake's users.
func (f *fakeCore) Can(action string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch action {
	case "audit.view":
		return f.role == "auditor" || f.role == "admin"
	case "vault.admin":
		return f.role == "admin"
	}
	return false
}
func (f *fakeCore) UsePolicy(context.Context) (string, string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.aup, "sum-of-" + f.aup, f.aup != "" && !f.aupAccepted, nil
}
func (f *fakeCore) AcceptUsePolicy(_ context.Context, sum string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if sum != "sum-of-"+f.aup {
		return errors.New("the text changed")
	}
	f.aupAccepted = true
	return nil
}
func (f *fakeCore) RefuseUsePolicy(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.aupRefused = true
	return nil
}
func (f *fakeCore) BreakGlass(_ context.Context, r string) error { f.glass = r; return nil }
func (f *fakeCore) IdleTimeout() time.Duration                   { return 10 * time.Minute }
func (f *fakeCore) Notes(_ context.Context, q string) ([]Note, error) {
	var out []Note
	for _, n := range f.notes {
		if q == "" || strings.Contains(strings.ToLower(n.Body+" "+n.Title), strings.ToLower(q)) {
			n.Body = ""
			out = append(out, n)
		}
	}
	return out, nil
}
func (f *fakeCore) Note(_ context.Context, id string) (Note, error) {
	for _, n := range f.notes {
		if n.ID == id {
			return n, nil
		}
	}
	return Note{}, errors.New("no such note")
}
func (f *fakeCore) NewNote(_ context.Context, patient, title string) (Note, error) {
	n := Note{ID: fmt.Sprintf("n%d", len(f.notes)+1), PatientRef: "p-0000", Title: title, Status: "draft", Updated: time.Now()}
	f.notes = append(f.notes, n)
	return n, nil
}
func (f *fakeCore) SaveNote(_ context.Context, id, body string, from []Provenance) error {
	f.provenance = append(f.provenance, from...)
	f.saved[id] = body
	for i := range f.notes {
		if f.notes[i].ID == id {
			f.notes[i].Body = body
		}
	}
	return nil
}

// Unsupported is what the drafts saved into the note flagged and its body still holds.
func (f *fakeCore) Unsupported(_ context.Context, id string) ([]llm.Span, error) {
	n, err := f.Note(context.Background(), id)
	if err != nil {
		return nil, err
	}
	var out []llm.Span
	seen := map[string]bool{}
	for _, p := range f.provenance {
		for _, sp := range p.Ungrounded {
			if strings.Contains(n.Body, sp.Text) && !seen[sp.Text] {
				seen[sp.Text] = true
				out = append(out, llm.Span{Kind: sp.Kind, Text: sp.Text})
			}
		}
	}
	return out, nil
}
func (f *fakeCore) SignNote(_ context.Context, id string, ack []llm.Span) error {
	f.signed[id] = ack
	for i := range f.notes {
		if f.notes[i].ID == id {
			f.notes[i].Status = "signed"
		}
	}
	return nil
}
func (f *fakeCore) CopyNote(_ context.Context, id string) (string, time.Duration, error) {
	n, err := f.Note(context.Background(), id)
	if err != nil || n.Status == "draft" {
		return "", 0, errors.New("only signed notes leave Vellum")
	}
	f.copied = append(f.copied, id)
	return n.Body, 50 * time.Millisecond, nil
}
func (f *fakeCore) AddAddendum(_ context.Context, id, text string) error {
	for i := range f.notes {
		if f.notes[i].ID == id {
			if f.notes[i].Status == "draft" {
				return errors.New("the note is not signed")
			}
			f.notes[i].Addenda = append(f.notes[i].Addenda, Addendum{Author: "Dr Synthetic", Created: time.Now(), Body: text})
			return nil
		}
	}
	return errors.New("no such note")
}
func (f *fakeCore) ExportFHIR(_ context.Context, id, dir string) (string, error) {
	n, err := f.Note(context.Background(), id)
	if err != nil || n.Status == "draft" {
		return "", errors.New("only signed notes leave Vellum")
	}
	f.exported = append(f.exported, id)
	return filepath.Join(dir, id+".fhir.json"), nil
}
func (f *fakeCore) ExportDeidentified(_ context.Context, id, dir string) (string, error) {
	n, err := f.Note(context.Background(), id)
	if err != nil || n.Status == "draft" {
		return "", errors.New("only signed notes leave Vellum")
	}
	f.exported = append(f.exported, "deidentified:"+id)
	return filepath.Join(dir, id+".deidentified.txt"), nil
}
func (f *fakeCore) Backup(ctx context.Context, dir string, progress func(done, total int)) (string, error) {
	progress(100, 250)
	<-ctx.Done() // a long backup: only Cancel ends it
	return "", ctx.Err()
}
func (f *fakeCore) Templates() []string { return []string{"soap", "progress"} }
func (f *fakeCore) Draft(ctx context.Context, template, source string, emit func(string)) (llm.Draft, error) {
	var b strings.Builder
	if f.lead != "" { // as llm.Write emits a section's heading before the model reads
		b.WriteString(f.lead)
		emit(f.lead)
	}
	for _, w := range f.words {
		if f.gate != nil {
			select {
			case <-f.gate:
			case <-ctx.Done():
				return llm.Draft{}, ctx.Err()
			}
		}
		if ctx.Err() != nil {
			return llm.Draft{}, ctx.Err()
		}
		b.WriteString(w)
		emit(w)
	}
	text := b.String()
	return llm.Draft{Text: text, Ungrounded: llm.Ground(source, text)}, nil
}
func (f *fakeCore) Audit(context.Context) (AuditView, error) {
	return AuditView{Chains: []string{"device d_1: 42 records, chain and signatures ok"},
		Recent: []string{"42  2026-03-01T08:00:00Z  note.view  ok  u_1 physician  note n1"}}, nil
}
func (f *fakeCore) Settings() []Setting {
	return []Setting{
		{Key: "default_template", Label: "Template", Value: f.template, Options: []string{"soap", "progress"}},
		{Key: "theme", Label: "Theme", Value: "high-contrast", Options: []string{"light", "dark", "high-contrast", "system"}, Managed: true},
	}
}
func (f *fakeCore) SetSetting(key, value string) error {
	if key == "theme" {
		return errors.New("managed by your organisation")
	}
	f.template = value
	return nil
}
func (f *fakeCore) Status() Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return Status{Model: "synthetic-1B Q4_K_M", Device: "CPU", TokensPerSec: 24.5, Queued: 3, Loading: f.loading, Reading: f.reading}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// uiQueue stands in for fyne.Do: background work posts, the test's goroutine runs.
type uiQueue chan func()

func (q uiQueue) post(f func()) { q <- f }

// pump runs what background work has posted.
func (q uiQueue) pump() {
	for {
		select {
		case f := <-q:
			f()
		default:
			return
		}
	}
}

var queues = map[*Workspace]uiQueue{}

func setup(t *testing.T) (*Workspace, *fakeCore, *clock) {
	t.Helper()
	app := test.NewTempApp(t)
	core := newFakeCore()
	clk := &clock{t: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	w := New(app, core, clk.now)
	q := make(uiQueue, 1024)
	w.onUI = q.post
	queues[w] = q
	w.Window().Resize(fyne.NewSize(1100, 720))
	return w, core, clk
}

func signIn(t *testing.T, w *Workspace) { t.Helper(); signInAs(t, w, "dr.synthetic") }

// signInAs signs in as one of the fake core's synthetic users.
func signInAs(t *testing.T, w *Workspace, user string) {
	t.Helper()
	test.Type(w.signIn.username, user)
	test.Type(w.signIn.password, "correct horse")
	test.Tap(w.signIn.submit)
	if w.win.Content() != w.main {
		t.Fatalf("not signed in: %q", w.signIn.err.Text)
	}
}

// texts is every string the window's current content shows.
func texts(t *testing.T, o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Entry:
			out = append(out, v.Text)
		case *widget.RichText:
			out = append(out, v.String())
		case *widget.Check:
			out = append(out, v.Text)
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.TempWidgetRenderer(t, v)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

func showing(t *testing.T, w *Workspace, s string) bool {
	for _, text := range texts(t, w.win.Content()) {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

func TestSignInShowsTheNotes(t *testing.T) {
	w, _, _ := setup(t)
	test.Type(w.signIn.username, "dr.synthetic")
	test.Type(w.signIn.password, "wrong")
	test.Tap(w.signIn.submit)
	if w.win.Content() == w.main || !strings.Contains(w.signIn.err.Text, "wrong") || w.signIn.password.Text != "" {
		t.Fatalf("a wrong password: %q", w.signIn.err.Text)
	}
	w.signIn.username.SetText("")
	signIn(t, w)
	if len(w.notes) != 2 || w.list.Length() != 2 {
		t.Fatalf("notes listed: %d", w.list.Length())
	}
	if !strings.Contains(w.status.Text, "synthetic-1B Q4_K_M on CPU, 24.5 tok/s") || !strings.Contains(w.status.Text, "3 queued") {
		t.Fatalf("status bar %q", w.status.Text)
	}
}

func TestTOTPAndEmergencyAccess(t *testing.T) {
	w, core, _ := setup(t)
	core.totp = true
	test.Tap(w.signIn.emergent)
	test.Type(w.signIn.username, "dr.synthetic")
	test.Type(w.signIn.password, "correct horse")
	test.Type(w.signIn.reason, "ED")
	test.Tap(w.signIn.submit)
	if !strings.Contains(w.signIn.err.Text, "few words") {
		t.Fatalf("a one-word reason: %q", w.signIn.err.Text)
	}
	test.Type(w.signIn.reason, " patient unconscious, no consent possible")
	test.Tap(w.signIn.submit)
	if !w.signIn.code.Visible() {
		t.Fatal("the TOTP field did not appear")
	}
	test.Type(w.signIn.code, "123456") // the password stays while the code is asked for
	test.Tap(w.signIn.submit)
	if w.win.Content() != w.main || !strings.HasPrefix(core.glass, "ED patient unconscious") {
		t.Fatalf("emergency sign-in: content main %v, reason %q, error %q", w.win.Content() == w.main, core.glass, w.signIn.err.Text)
	}
}

// TestIdleLockHidesEveryNote: after the idle timeout the window shows the lock screen
// and nothing else — no note text anywhere in what it renders — and unlocking brings
// back the unsaved text.
func TestIdleLockHidesEveryNote(t *testing.T) {
	w, core, clk := setup(t)
	signIn(t, w)
	w.list.Select(0)
	test.Type(w.editor, " UNSAVED-SYNTHETIC-EDIT")
	test.Type(w.assistant.source, "SYNTHETIC-SOURCE-TEXT")
	if !showing(t, w, "SYNTHETIC-NOTE-BODY") {
		t.Fatal("the open note is not shown")
	}
	clk.advance(9 * time.Minute)
	w.Tick()
	if w.Locked() || !strings.Contains(w.status.Text, "locks in 1:00") {
		t.Fatalf("locked early, or status %q", w.status.Text)
	}
	clk.advance(time.Minute)
	w.Tick()
	if !w.Locked() || !core.locked {
		t.Fatal("not locked after the idle timeout")
	}
	if f := w.win.Canvas().Focused(); f != w.lock.password {
		t.Fatalf("locked, the keyboard goes to %T, not the password field", f)
	}
	for _, s := range []string{"SYNTHETIC", "p-7f3a", "SOAP note", "Referral"} {
		if showing(t, w, s) {
			t.Fatalf("the lock screen shows %q", s)
		}
	}
	c := w.win.Canvas().Capture()
	if c.Bounds().Dx() == 0 {
		t.Fatal("no image of the lock screen")
	}
	test.Type(w.lock.password, "wrong")
	test.Tap(findButton(t, w.lock.content, "Unlock"))
	if !w.Locked() {
		t.Fatal("unlocked with a wrong password")
	}
	test.Type(w.lock.password, "correct horse")
	test.Tap(findButton(t, w.lock.content, "Unlock"))
	if w.Locked() || !strings.Contains(w.editor.Text, "UNSAVED-SYNTHETIC-EDIT") {
		t.Fatalf("after unlocking: locked %v, editor %q", w.Locked(), w.editor.Text)
	}
}

func TestSearchUsesTheCore(t *testing.T) {
	w, _, _ := setup(t)
	signIn(t, w)
	test.Type(w.search, "referral")
	w.search.OnSubmitted(w.search.Text)
	if w.list.Length() != 1 || w.notes[0].ID != "n2" {
		t.Fatalf("search results: %+v", w.notes)
	}
}

// TestDraftStreamsStopsInsertsAndSigns: tokens show as they come; Stop ends the
// draft; a finished draft's ungrounded spans are highlighted, must be acknowledged
// to sign, and the signed note can no longer be edited.
func TestDraftStreamsStopsInsertsAndSigns(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(0)
	source := "Patient reports three days of cough and fever. Temp 38.2. Lungs clear. Plan: fluids and paracetamol."
	test.Type(w.assistant.source, source)

	core.gate = make(chan struct{})
	test.Tap(w.assistant.draftBtn)
	core.gate <- struct{}{}
	core.gate <- struct{}{}
	waitFor(t, w, func() bool { return strings.Contains(w.assistant.output.String(), "Fluids,") })
	if w.assistant.stopBtn.Disabled() {
		t.Fatal("Stop is not offered while drafting")
	}
	// A model load in progress shows how far it has come.
	core.mu.Lock()
	core.loading = 0.42
	core.mu.Unlock()
	w.Tick()
	if !strings.Contains(w.assistant.state.Text, "42%") {
		t.Fatalf("while loading, the assistant says %q", w.assistant.state.Text)
	}
	core.mu.Lock()
	core.loading = 0
	core.mu.Unlock()
	test.Tap(w.assistant.stopBtn)
	waitFor(t, w, func() bool { return w.assistant.state.Text == "stopped" })
	if !w.assistant.insBtn.Disabled() {
		t.Fatal("a stopped draft can be inserted")
	}

	core.gate = nil
	test.Tap(w.assistant.draftBtn)
	waitFor(t, w, func() bool { return !w.assistant.insBtn.Disabled() })
	var marked []string
	for _, s := range w.assistant.output.Segments {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Style.TextStyle.Bold {
			marked = append(marked, ts.Text)
		}
	}
	if !reflect.DeepEqual(marked, []string{"1 g", "7 days"}) {
		t.Fatalf("highlighted %q, want the invented dose and interval", marked)
	}
	test.Tap(w.assistant.repBtn)
	if !strings.HasPrefix(w.editor.Text, "## Plan") {
		t.Fatalf("editor after Replace: %q", w.editor.Text)
	}
	// Edit out one invented item; the other must be acknowledged.
	w.editor.SetText(strings.Replace(w.editor.Text, " for 7 days.", ".", 1))
	test.Tap(w.signBtn)
	if core.signed["n1"] != nil || len(w.ack.Objects) != 3 {
		t.Fatalf("signed without acknowledgement, or asked about %d items", len(w.ack.Objects)-2)
	}
	confirm := findButton(t, w.ack, "Sign with these kept")
	test.Tap(confirm)
	if _, ok := core.signed["n1"]; ok {
		t.Fatal("signed with an item unchecked")
	}
	test.Tap(w.ack.Objects[1].(*widget.Check))
	test.Tap(confirm)
	ack, ok := core.signed["n1"]
	if !ok || len(ack) != 1 || ack[0].Text != "1 g" || !strings.Contains(core.saved["n1"], "paracetamol 1 g") {
		t.Fatalf("signed %v with %+v; saved %q", ok, ack, core.saved["n1"])
	}
	if !w.editor.Disabled() || !w.signBtn.Disabled() {
		t.Fatal("a signed note can still be edited")
	}
}

func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == text {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no %q button", text)
	}
	return found
}

// waitFor runs posted UI work until cond holds.
func waitFor(t *testing.T, w *Workspace, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for queues[w].pump(); !cond(); queues[w].pump() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestNewNoteAsksForThePatient(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.newNote()
	if !w.newForm.Visible() {
		t.Fatal("no new-note form")
	}
	test.Type(w.ntitle, "Clinic note")
	w.createNote()
	if len(core.notes) != 2 || !strings.Contains(w.message.Text, "MRN") {
		t.Fatalf("a note without a patient: %d notes, %q", len(core.notes), w.message.Text)
	}
	test.Type(w.patient, "SYN-MRN-77")
	w.createNote()
	if len(core.notes) != 3 || w.newForm.Visible() || w.current == nil || w.current.Title != "Clinic note" {
		t.Fatalf("after Create: %d notes, current %+v", len(core.notes), w.current)
	}
}

// TestShortcutsWorkWhileTyping: Fyne's Entry swallows unknown shortcuts; ours pass.
func TestShortcutsWorkWhileTyping(t *testing.T) {
	w, _, _ := setup(t)
	lock := &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	w.signIn.username.TypedShortcut(lock) // before sign-in: nothing to lock
	signIn(t, w)
	w.list.Select(0)
	test.Type(w.editor, " typing")
	w.editor.TypedShortcut(lock)
	if !w.Locked() {
		t.Fatal("Ctrl+L in the editor did not lock")
	}
}

// TestScreensRenderAsRecorded compares the sign-in, main and lock screens with their
// recorded markup (testdata/*.xml): a change to a screen shows up as a diff to review.
func TestScreensRenderAsRecorded(t *testing.T) {
	w, _, _ := setup(t)
	w.Window().Resize(fyne.NewSize(1100, 720))
	test.AssertRendersToMarkup(t, "signin.xml", w.win.Canvas())
	signIn(t, w)
	w.list.Select(0)
	test.AssertRendersToMarkup(t, "main.xml", w.win.Canvas())
	w.Lock()
	test.AssertRendersToMarkup(t, "lock.xml", w.win.Canvas())
}

func TestSettingsShowWhatPolicyManages(t *testing.T) {
	w, core, _ := setup(t)
	core.template = "soap"
	signIn(t, w)
	form, selects := w.settingsForm()
	if !selects["theme"].Disabled() || selects["default_template"].Disabled() {
		t.Fatal("the managed theme can be changed, or the template cannot")
	}
	found := false
	for _, s := range texts(t, form) {
		found = found || s == "Managed by your organisation"
	}
	if !found {
		t.Fatal("the managed setting is not labelled")
	}
	selects["default_template"].SetSelected("progress")
	if core.template != "progress" || w.assistant.template.Selected != "progress" {
		t.Fatalf("template setting: core %q, picker %q", core.template, w.assistant.template.Selected)
	}
}

func TestAuditViewIsNotOfferedToPhysicians(t *testing.T) {
	w, _, _ := setup(t)
	signIn(t, w)
	if w.auditBtn.Visible() {
		t.Fatal("a physician is offered the audit view")
	}
}

func TestAuditViewShowsTheChainAndRecentRecords(t *testing.T) {
	w, _, _ := setup(t)
	signInAs(t, w, "auditor.synthetic")
	if !w.auditBtn.Visible() {
		t.Fatal("an auditor is not offered the audit view")
	}
	c, err := w.auditContent()
	if err != nil {
		t.Fatal(err)
	}
	win := test.NewWindow(c)
	defer win.Close()
	win.Resize(fyne.NewSize(900, 600))
	all := strings.Join(texts(t, win.Content()), "\n")
	if !strings.Contains(all, "chain and signatures ok") || !strings.Contains(all, "note.view") {
		t.Fatalf("audit view shows:\n%s", all)
	}
}

// TestCopyingASignedNoteIsClearedLater: only a signed note can be copied (the core
// records it), and the clipboard is emptied after policy's time unless the user has
// copied something else since.
func TestCopyingASignedNoteIsClearedLater(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(0) // a draft
	if !w.copyBtn.Disabled() || !w.fhirBtn.Disabled() {
		t.Fatal("a draft can be copied or exported")
	}
	w.list.Select(1) // signed
	test.Tap(w.copyBtn)
	cb := w.app.Clipboard()
	if cb.Content() != "SYNTHETIC-SIGNED-BODY" || len(core.copied) != 1 {
		t.Fatalf("clipboard %q, copies recorded %v", cb.Content(), core.copied)
	}
	waitFor(t, w, func() bool { return cb.Content() == "" })
	test.Tap(w.copyBtn)
	cb.SetContent("something the user copied")
	time.Sleep(100 * time.Millisecond)
	queues[w].pump()
	if cb.Content() != "something the user copied" {
		t.Fatal("the timer cleared the user's own clipboard")
	}
}

// TestAddendaAreTheWayToCorrectASignedNote: a draft offers no addendum; a signed note
// takes one through the form (or Ctrl+Shift+A) and shows it after its text.
func TestAddendaAreTheWayToCorrectASignedNote(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(0) // a draft
	if !w.addBtn.Disabled() || !w.fhirBtn.Disabled() {
		t.Fatal("a draft offers an addendum or a FHIR export")
	}
	core.notes[1].Origin = "SYNTHETIC-ORIGIN 60% from model"
	w.list.Select(1) // signed
	if !strings.Contains(w.title.Text, "SYNTHETIC-ORIGIN") {
		t.Fatalf("a signed note's title does not say where its text came from: %q", w.title.Text)
	}
	if w.addBtn.Disabled() || !w.addForm.Hidden {
		t.Fatal("a signed note offers no addendum")
	}
	test.Tap(w.addBtn)
	if w.addForm.Hidden {
		t.Fatal("the addendum form did not open")
	}
	test.Tap(w.addForm.Objects[1].(*fyne.Container).Objects[0].(*widget.Button)) // empty: nothing
	w.addText.SetText("SYNTHETIC-ADDENDUM correction")
	test.Tap(w.addForm.Objects[1].(*fyne.Container).Objects[0].(*widget.Button))
	n, _ := core.Note(context.Background(), w.current.ID)
	if len(n.Addenda) != 1 || n.Addenda[0].Body != "SYNTHETIC-ADDENDUM correction" {
		t.Fatalf("addenda = %+v", n.Addenda)
	}
	if !strings.HasPrefix(w.editor.Text, "SYNTHETIC-SIGNED-BODY") || !strings.Contains(w.editor.Text, "SYNTHETIC-ADDENDUM correction") || !w.editor.Disabled() {
		t.Fatalf("editor shows %q (disabled %v)", w.editor.Text, w.editor.Disabled())
	}
	if !w.addForm.Hidden {
		t.Fatal("the form stayed open")
	}
	sc := &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	if !w.runShortcut(sc) || w.addForm.Hidden {
		t.Fatal("Ctrl+Shift+A did not open the addendum form")
	}
}

// TestFHIRExportGoesThroughTheCore: the export is the Core's (it records it and
// writes the file); the window names the file, or says why there is none.
func TestFHIRExportGoesThroughTheCore(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(1) // signed
	w.exportFHIRTo(w.current.ID, t.TempDir())
	if len(core.exported) != 1 || w.message.Text != "exported to n2.fhir.json" {
		t.Fatalf("export: recorded %v, message %q", core.exported, w.message.Text)
	}
	w.exportFHIRTo(core.notes[0].ID, t.TempDir()) // a draft
	if len(core.exported) != 1 || !strings.HasPrefix(w.message.Text, "not exported") {
		t.Fatalf("a draft was exported: %v, %q", core.exported, w.message.Text)
	}
	if w.fhirBtn.Disabled() {
		t.Fatal("a signed note open, and no export")
	}
	w.exportTo(core.ExportDeidentified, "n2", t.TempDir())
	if len(core.exported) != 2 || core.exported[1] != "deidentified:n2" || w.message.Text != "exported to n2.deidentified.txt" {
		t.Fatalf("de-identified export: recorded %v, message %q", core.exported, w.message.Text)
	}
}

// TestClosingToTheTrayLocksFirst: with the tray kept, closing the window locks the
// session before hiding it.
func TestClosingToTheTrayLocksFirst(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(1)
	w.SetTray(true)
	w.closeToTray()
	if !w.Locked() || !core.locked {
		t.Fatal("closing to the tray left the session unlocked")
	}
	if all := strings.Join(texts(t, w.Window().Content()), "\n"); strings.Contains(all, "SYNTHETIC") {
		t.Fatalf("the hidden window still holds note text:\n%s", all)
	}
}

// TestBackupShowsProgressAndCancels: only admins are offered a backup; it shows how
// far it has come, and Cancel stops it.
func TestBackupShowsProgressAndCancels(t *testing.T) {
	w, _, _ := setup(t)
	signIn(t, w)
	if w.backupBtn.Visible() {
		t.Fatal("a physician is offered a backup")
	}
	w2, _, _ := setup(t)
	signInAs(t, w2, "admin.synthetic")
	if !w2.backupBtn.Visible() {
		t.Fatal("an admin is not offered a backup")
	}
	w2.runBackup(t.TempDir())
	waitFor(t, w2, func() bool {
		return strings.Contains(strings.Join(texts(t, w2.win.Canvas().Overlays().Top()), "\n"), "100 of 250 notes")
	})
	w2.backupCancel()
	waitFor(t, w2, func() bool { return w2.message.Text == "backup not written: stopped" })
}

// TestDraftProvenanceGoesOnlyWithItsNote: a finished draft is the note's provenance
// only once it is inserted into that note, and it is passed on once.
func TestDraftProvenanceGoesOnlyWithItsNote(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(0)
	test.Type(w.assistant.source, "Patient reports three days of cough and fever. Temp 38.2. Lungs clear.")
	test.Tap(w.assistant.draftBtn)
	waitFor(t, w, func() bool { return !w.assistant.insBtn.Disabled() })
	test.Tap(w.saveBtn) // drafted, not inserted
	if len(core.provenance) != 0 {
		t.Fatalf("a draft never inserted was saved as provenance: %d", len(core.provenance))
	}
	test.Tap(w.assistant.insBtn)
	test.Tap(w.saveBtn)
	test.Tap(w.saveBtn)
	if len(core.provenance) != 1 || core.provenance[0].Text == "" || core.provenance[0].Template == "" {
		t.Fatalf("provenance passed on: %+v", core.provenance)
	}
}

// TestTabFollowsReadingOrder: Tab visits the sign-in form and the main window in
// reading order — top to bottom, left to right — and no field keeps Tab for itself,
// so a keyboard user can leave the editor (no keyboard trap).
func TestTabFollowsReadingOrder(t *testing.T) {
	w, _, _ := setup(t)
	c := w.win.Canvas()
	names := map[fyne.Focusable]string{
		w.signIn.username: "user name", w.signIn.password: "password", w.signIn.reason: "reason",
		w.search: "search", w.list: "notes", w.editor: "editor", w.patient: "patient", w.ntitle: "title",
		w.addText: "addendum", w.assistant.source: "source", w.assistant.template: "template",
	}
	chain := func() []string {
		t.Helper()
		c.Unfocus()
		var seq []string
		var first fyne.Focusable
		for len(seq) < 50 {
			c.FocusNext()
			f := c.Focused()
			if f == nil || f == first {
				return seq
			}
			if first == nil {
				first = f
			}
			if tf, ok := f.(fyne.Tabbable); ok && tf.AcceptsTab() {
				t.Errorf("%T keeps Tab: a keyboard user could not leave it", f)
			}
			name, ok := names[f]
			if b, isButton := f.(*widget.Button); !ok && isButton {
				name = b.Text
				if name == "" {
					name = "icon " + b.Icon.Name()
				}
			} else if !ok {
				name = fmt.Sprintf("%T", f)
			}
			seq = append(seq, name)
		}
		t.Fatalf("Tab never comes back to where it began: %v", seq)
		return nil
	}
	want := func(got []string, want ...string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("Tab visits\n %q\nwant\n %q", got, want)
		}
	}

	want(chain(), "user name", "password", "Sign in", "Emergency access…")
	test.Tap(w.signIn.emergent)
	want(chain(), "user name", "password", "reason", "Sign in with emergency access", "Emergency access…")
	w.signIn.reason.Hide()
	signIn(t, w)
	w.list.Select(0)
	waitFor(t, w, func() bool { return w.current != nil })
	w.newNote()
	want(chain(), "search", "New note", "notes",
		"patient", "title", "Create", "Cancel", "Save", "Sign", "editor",
		"source", "Dictate", "template", "Draft",
		"Settings", "Lock")
}

// TestReadingTheSourceShowsProgress: before the first token, while the model reads
// the prompt, the assistant shows how far it has read; Stop ends the wait.
func TestReadingTheSourceShowsProgress(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(0)
	test.Type(w.assistant.source, "Patient reports three days of cough and fever. Temp 38.2. Lungs clear.")
	core.gate = make(chan struct{}) // no token comes until the test says
	core.lead = "## Subjective\n"
	test.Tap(w.assistant.draftBtn)
	waitFor(t, w, func() bool { return strings.Contains(w.assistant.output.String(), "Subjective") })
	says := func(reading float64) string {
		core.mu.Lock()
		core.reading = reading
		core.mu.Unlock()
		w.Tick()
		return w.assistant.state.Text
	}
	if got := says(0.35); got != "reading the source: 35% (Stop cancels)" {
		t.Fatalf("while the prompt is read, the assistant says %q", got)
	}
	if got := says(0); got != "drafting…" {
		t.Fatalf("once the prompt is read, the assistant says %q", got)
	}
	test.Tap(w.assistant.stopBtn)
	waitFor(t, w, func() bool { return w.assistant.state.Text == "stopped" })
}

// TestQuittingStopsTheDraft: when the app ends, a draft in progress is stopped, so
// that the model can be freed at once rather than after the draft.
func TestQuittingStopsTheDraft(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(0)
	test.Type(w.assistant.source, "Patient reports three days of cough and fever. Temp 38.2. Lungs clear.")
	core.gate = make(chan struct{})
	test.Tap(w.assistant.draftBtn)
	w.Stopped()
	waitFor(t, w, func() bool { return w.assistant.state.Text == "stopped" })
}

// button finds the button labelled text in o.
func button(o fyne.CanvasObject, text string) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	var objs []fyne.CanvasObject
	switch c := o.(type) {
	case *fyne.Container:
		objs = c.Objects
	case *container.Scroll:
		objs = []fyne.CanvasObject{c.Content}
	}
	for _, x := range objs {
		if b := button(x, text); b != nil {
			return b
		}
	}
	return nil
}

// TestTheAcceptableUseTextComesBeforeTheWorkspace: a user with a text to accept sees
// it after signing in; accepting opens the workspace, refusing signs out.
func TestTheAcceptableUseTextComesBeforeTheWorkspace(t *testing.T) {
	for _, accept := range []bool{true, false} {
		w, core, _ := setup(t)
		core.aup = "Synthetic acceptable-use text."
		test.Type(w.signIn.username, "dr.synthetic")
		test.Type(w.signIn.password, "correct horse")
		test.Tap(w.signIn.submit)
		if w.win.Content() == w.main {
			t.Fatal("the workspace opened before the text was accepted")
		}
		if !slices.Contains(texts(t, w.win.Content()), "Synthetic acceptable-use text.") {
			t.Fatalf("the text is not shown: %v", texts(t, w.win.Content()))
		}
		label := "I accept"
		if !accept {
			label = "I do not accept (sign out)"
		}
		test.Tap(button(w.win.Content(), label))
		if accept && (w.win.Content() != w.main || !core.aupAccepted) {
			t.Fatal("accepting did not open the workspace")
		}
		if !accept && (w.win.Content() != w.signIn.content || !core.aupRefused) {
			t.Fatal("refusing did not sign out")
		}
	}
}

// TestFactsFromTheRecordAreAcceptedTogether: before signing, each suspected
// fabrication has its own check, and the facts that usually come from the record (an
// age, a weight) one quieter check for all of them.
func TestFactsFromTheRecordAreAcceptedTogether(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	w.list.Select(0)
	open := []llm.Span{{Kind: llm.Dose, Text: "1 g"}, {Kind: llm.NotInSource, Text: "82 kg"}, {Kind: llm.NotInSource, Text: "61"}}
	w.askAcknowledgement(open)
	var checks []*widget.Check
	for _, o := range w.ack.Objects {
		if c, ok := o.(*widget.Check); ok {
			checks = append(checks, c)
		}
	}
	if len(checks) != 2 || !strings.Contains(checks[1].Text, "82 kg, 61") || !strings.Contains(checks[0].Text, "1 g") {
		t.Fatalf("checks %d: %v", len(checks), checks)
	}
	confirm := findButton(t, w.ack, "Sign with these kept")
	test.Tap(checks[0])
	test.Tap(confirm)
	if _, ok := core.signed[w.current.ID]; ok {
		t.Fatal("signed with the record's facts unconfirmed")
	}
	test.Tap(checks[1])
	test.Tap(confirm)
	if ack := core.signed[w.current.ID]; len(ack) != 3 {
		t.Fatalf("signed acknowledging %+v, want all three", ack)
	}
}

// TestDictationWritesIntoTheSource: dictating shows it is recording, the level and
// the live text; each utterance lands in the assistant's source after what was
// typed; Stop keeps the text, Esc drops it; where dictation is not set up, the
// physician is told so.
func TestDictationWritesIntoTheSource(t *testing.T) {
	w, core, _ := setup(t)
	signIn(t, w)
	a := w.assistant
	test.Type(a.source, "Typed first.")
	core.spoken = []string{"Cough for three days.", "No fever."}
	core.heard = make(chan struct{})
	test.Tap(a.dictBtn)
	waitFor(t, w, func() bool { return a.live.Text == core.spoken[0][:len(core.spoken[0])/2] })
	if !a.level.Visible() || a.level.Value != 0.7 || !strings.Contains(a.state.Text, "recording") || a.dictBtn.Text != "Stop dictating" {
		t.Fatalf("while recording: level shown %v at %v, state %q, button %q", a.level.Visible(), a.level.Value, a.state.Text, a.dictBtn.Text)
	}
	core.heard <- struct{}{}
	waitFor(t, w, func() bool { return a.source.Text == "Typed first. Cough for three days." })
	core.heard <- struct{}{}
	waitFor(t, w, func() bool { return a.source.Text == "Typed first. Cough for three days. No fever." })
	test.Tap(a.dictBtn) // Stop: the text stays
	waitFor(t, w, func() bool { return a.dictBtn.Text == "Dictate" })
	if a.source.Text != "Typed first. Cough for three days. No fever." || a.level.Visible() {
		t.Fatalf("after Stop: source %q, level shown %v", a.source.Text, a.level.Visible())
	}

	// Esc: what the dictation wrote goes.
	core.spoken = []string{"Scratch all of this."}
	test.Tap(a.dictBtn)
	core.heard <- struct{}{}
	waitFor(t, w, func() bool { return strings.HasSuffix(a.source.Text, "Scratch all of this.") })
	a.source.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	waitFor(t, w, func() bool { return a.dictBtn.Text == "Dictate" })
	if a.source.Text != "Typed first. Cough for three days. No fever." || !strings.Contains(a.state.Text, "cancelled") {
		t.Fatalf("after Esc: source %q, state %q", a.source.Text, a.state.Text)
	}

	core.noDictation = true
	test.Tap(a.dictBtn)
	waitFor(t, w, func() bool { return a.dictBtn.Text == "Dictate" && strings.Contains(a.state.Text, "not set up") })
}

// TestTheHotkeyDictatesFromAnywhere: the global hotkey brings the window forward
// and, in toggle mode, starts and stops dictation with presses; in push-to-talk it
// dictates while held; the title and the tray show the microphone is open; signed
// out or locked, nothing listens.
func TestTheHotkeyDictatesFromAnywhere(t *testing.T) {
	w, core, _ := setup(t)
	var tray []fyne.Resource
	w.trayIcon = func(r fyne.Resource) { tray = append(tray, r) }
	w.DictationKey(true, false)
	if len(core.vias()) != 0 || !strings.Contains(w.message.Text, "sign in") {
		t.Fatalf("signed out: dictations %v, message %q", core.vias(), w.message.Text)
	}
	signIn(t, w)
	base := w.win.Title()
	a := w.assistant
	core.spoken = []string{"Cough for three days.", "No fever."}
	core.heard = make(chan struct{})
	w.DictationKey(true, false)
	waitFor(t, w, func() bool { return a.dictating != nil && len(core.vias()) == 1 })
	if core.vias()[0] != "hotkey" || w.win.Title() != "● Recording — "+base || len(tray) != 1 || tray[0] != RecordingIcon {
		t.Fatalf("while recording: via %v, title %q, tray %v", core.vias(), w.win.Title(), tray)
	}
	core.heard <- struct{}{}
	waitFor(t, w, func() bool { return a.source.Text == "Cough for three days." })
	w.DictationKey(false, false) // a release does nothing in toggle mode
	w.DictationKey(true, false)  // the second press stops, keeping the text, the utterance under way too
	waitFor(t, w, func() bool { return a.dictating == nil })
	if a.source.Text != "Cough for three days. No fever." || w.win.Title() != base || tray[len(tray)-1] != Icon {
		t.Fatalf("after the second press: source %q, title %q", a.source.Text, w.win.Title())
	}

	// Push-to-talk: it listens while the key is down; let go before any pause, the
	// utterance under way is kept.
	core.spoken = []string{"Lungs clear."}
	w.DictationKey(true, true)
	w.DictationKey(true, true) // the server's repeat, should one come through: still one dictation
	waitFor(t, w, func() bool { return a.live.Text != "" })
	w.DictationKey(false, true)
	waitFor(t, w, func() bool { return a.dictating == nil })
	if len(core.vias()) != 2 || a.source.Text != "Cough for three days. No fever. Lungs clear." {
		t.Fatalf("push-to-talk: dictations %v, source %q", core.vias(), a.source.Text)
	}

	// Locking closes the microphone, keeping what was heard; locked, nothing listens.
	core.spoken = []string{"Abdomen soft."}
	w.DictationKey(true, false)
	core.heard <- struct{}{}
	waitFor(t, w, func() bool { return strings.HasSuffix(a.source.Text, "Abdomen soft.") })
	w.Lock()
	waitFor(t, w, func() bool { return a.dictating == nil })
	if w.win.Title() != "Vellum — locked" || tray[len(tray)-1] != Icon || !strings.HasSuffix(a.source.Text, "Abdomen soft.") {
		t.Fatalf("locked while dictating: title %q, source %q", w.win.Title(), a.source.Text)
	}
	w.DictationKey(true, false)
	queues[w].pump()
	if len(core.vias()) != 3 || a.dictating != nil {
		t.Fatalf("locked: dictations %v", core.vias())
	}
}
