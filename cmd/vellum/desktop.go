package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/sync/delivery"
	"github.com/vellumhealth/vellum/ui"
	"github.com/vellumhealth/vellum/ui/textscale"
	"github.com/vellumhealth/vellum/vault"
)

func desktopCommand() *command {
	var modelFile string
	return &command{
		name:    "desktop",
		summary: "open the desktop window (what `vellum` with no arguments does where a display exists)",
		example: `vellum desktop
vellum desktop --model /path/to/model.gguf`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&modelFile, "model", "", "model file (must be on the allowlist); default: policy default_model, else the first allowed model")
		},
		vault: createVault,
		run: func(ctx context.Context, e *env, args []string) error {
			a := e.app
			snap := a.Policy()
			core := &desktopCore{app: a, modelFile: modelFile, stderr: e.stderr}
			// Audit records go to the collector while the window is open.
			if up, err := a.Uploader(); err == nil {
				core.up = up
				runCtx, cancel := context.WithCancel(ctx)
				defer cancel()
				go up.Run(runCtx, time.Minute, func(err error) { fmt.Fprintf(e.stderr, "vellum: audit delivery: %s\n", errorLine(err)) })
			}
			// The catalog is kept current in the background: the settings screen and a
			// first draft never hash a model on the UI thread.
			watchCtx, stopWatch := context.WithCancel(ctx)
			defer stopWatch()
			go a.WatchModels(watchCtx, nil)
			fa := fyneapp.NewWithID("health.vellum.desktop")
			fa.SetIcon(ui.Icon)
			core.text = textscale.Factor()
			fa.Settings().SetTheme(ui.Theme(snap.String(policy.Theme), core.text))
			w := ui.New(fa, core, nil)
			core.w, core.tray = w, trayAvailable()
			if core.tray {
				w.SetTray(snap.Bool(policy.KeepRunningInTray))
			}
			// Dictation's global hotkey, from policy; a change takes the new one.
			core.hotkey = &globalHotkey{w: w, policy: a.Policy, stderr: e.stderr}
			go core.hotkey.update() // it speaks to the X server; what it says waits for the window
			defer core.hotkey.Close()
			// Policy applies live: IT's changes and the user's preferences take effect
			// in the open window, and each is recorded.
			if pw, err := policy.NewWatcher(a.PolicySources()); err == nil {
				pw.OnChange = func(ch policy.Change) { fyne.Do(func() { core.applyPolicy(ch.New) }) }
				pw.OnError = func(err error) {
					fmt.Fprintf(e.stderr, "vellum: policy: %s (the last good settings stay in force)\n", errorLine(err))
				}
				go pw.Run(watchCtx)
			}
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				t := time.NewTicker(time.Second)
				defer t.Stop()
				for {
					select {
					case <-stop:
						return
					case <-t.C:
						fyne.Do(w.Tick)
					}
				}
			}()
			fa.Lifecycle().SetOnStarted(w.Started)
			fa.Lifecycle().SetOnStopped(w.Stopped)
			testScreenshots(w.Window())
			w.Window().ShowAndRun()
			return nil
		},
	}
}

// desktopCore is the window's ui.Core: a thin adapter that calls the application
// core and shapes its answers for the screens. It authorizes, records and touches the
// vault never itself.
type desktopCore struct {
	app       *app.App
	modelFile string
	stderr    io.Writer

	w    *ui.Workspace
	tray bool    // the desktop shows tray icons
	text float32 // the OS's text size over its default (ui/textscale)
	up   *delivery.Uploader
	// hotkey is dictation's global hotkey; nil in tests of the core alone.
	hotkey *globalHotkey
}

func (c *desktopCore) SignIn(ctx context.Context, username, password, code string) (ui.User, error) {
	u, err := c.app.SignIn(ctx, username, password, code)
	if errors.Is(err, access.ErrCodeRequired) {
		return ui.User{}, ui.ErrTOTPNeeded
	}
	if err != nil {
		return ui.User{}, err
	}
	return ui.User{Name: u.Username, Role: string(u.Role)}, nil
}

func (c *desktopCore) Unlock(ctx context.Context, password, code string) error {
	err := c.app.Unlock(ctx, password, code)
	if errors.Is(err, access.ErrCodeRequired) {
		return ui.ErrTOTPNeeded
	}
	return err
}

func (c *desktopCore) Lock(ctx context.Context) error { return c.app.Lock(ctx) }

func (c *desktopCore) SignOut(ctx context.Context) error { return c.app.SignOut(ctx) }

func (c *desktopCore) BreakGlass(ctx context.Context, reason string) error {
	_, err := c.app.BreakGlass(ctx, reason)
	return err
}

func (c *desktopCore) IdleTimeout() time.Duration { return c.app.IdleTimeout() }

func (c *desktopCore) Can(action string) bool {
	return c.app.Can(context.Background(), access.Action(action))
}

func (c *desktopCore) UsePolicy(ctx context.Context) (string, string, bool, error) {
	p, pending, err := c.app.PendingUsePolicy(ctx)
	return p.Text, p.SHA256, pending, err
}

func (c *desktopCore) AcceptUsePolicy(ctx context.Context, sum string) error {
	return c.app.AcceptUsePolicy(ctx, sum)
}

func (c *desktopCore) RefuseUsePolicy(ctx context.Context) error { return c.app.RefuseUsePolicy(ctx) }

func (c *desktopCore) Notes(ctx context.Context, query string) ([]ui.Note, error) {
	var notes []vault.Note
	var err error
	if query == "" {
		notes, err = c.app.ListNotes(ctx, 0)
	} else {
		var hits []vault.Hit
		hits, err = c.app.SearchNotes(ctx, query, 0)
		for _, h := range hits {
			notes = append(notes, h.Note)
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]ui.Note, len(notes))
	for i, n := range notes {
		out[i] = uiNote(app.Note{Note: n})
	}
	return out, nil
}

func (c *desktopCore) Note(ctx context.Context, id string) (ui.Note, error) {
	n, err := c.app.ViewNote(ctx, id)
	if err != nil {
		return ui.Note{}, err
	}
	return uiNote(n), nil
}

func (c *desktopCore) NewNote(ctx context.Context, patient, title string) (ui.Note, error) {
	n, err := c.app.CreateNote(ctx, vault.NewNote{PatientRef: patient, Title: title})
	if err != nil {
		return ui.Note{}, err
	}
	return uiNote(app.Note{Note: n}), nil
}

func (c *desktopCore) SaveNote(ctx context.Context, id, body string, from []ui.Provenance) error {
	drafts := make([]app.DraftUse, len(from))
	for i, p := range from {
		drafts[i] = app.DraftUse{Template: p.Template, DraftSHA256: p.DraftSHA256, Text: p.Text, Ungrounded: app.Claims(p.Ungrounded)}
	}
	return c.app.EditNote(ctx, id, "", body, drafts)
}

func (c *desktopCore) Unsupported(ctx context.Context, id string) ([]llm.Span, error) {
	claims, err := c.app.UngroundedClaims(ctx, id)
	out := make([]llm.Span, len(claims))
	for i, cl := range claims {
		out[i] = llm.Span{Kind: llm.SpanKind(cl.Kind), Text: cl.Text}
	}
	return out, err
}

func (c *desktopCore) SignNote(ctx context.Context, id string, acknowledged []llm.Span) error {
	return c.app.SignNote(ctx, id, app.Claims(acknowledged))
}

func (c *desktopCore) Templates() []string { return c.app.Templates() }

func (c *desktopCore) Draft(ctx context.Context, template, source string, emit func(string)) (llm.Draft, error) {
	d, _, err := c.app.Draft(ctx, app.DraftRequest{Template: template, Source: source, ModelFile: c.modelFile},
		func(p string) error { emit(p); return nil })
	return d, err
}

// Dictate listens to the microphone with the workstation's speech models until ctx
// ends or the physician falls silent (policy dictation_stop_after).
func (c *desktopCore) Dictate(ctx context.Context, via string, stop <-chan struct{}, ev ui.DictationEvents) (string, error) {
	res, err := c.app.Dictate(ctx, app.DictationRequest{Via: via, Stop: stop,
		Events: dictation.Events{Level: ev.Level, Partial: ev.Partial, Utterance: ev.Transcript}})
	if errors.Is(err, app.ErrNoSpeechModel) {
		err = fmt.Errorf("%w: %v", ui.ErrNoDictation, err)
	}
	if err != nil {
		// For IT, beside the window's words: the error names models and devices,
		// never what was said.
		fmt.Fprintf(c.stderr, "vellum: dictation (%s): %s\n", via, errorLine(err))
	}
	return res.Text, err
}

func (c *desktopCore) Status() ui.Status {
	m := c.app.ModelStatus()
	st := ui.Status{Model: m.Model, Device: m.Device, TokensPerSec: m.TokensPerSec, Loading: m.Loading, Reading: m.Reading}
	if p, last, ok := c.app.DeliveryStatus(context.Background(), c.up); ok {
		st.Queued, st.LastDelivery = int(p), last
	}
	return st
}

func uiNote(n app.Note) ui.Note {
	u := ui.Note{ID: n.ID, PatientRef: n.PatientRef, Title: app.Title(n.Note), Status: string(n.Status), Updated: n.Updated, Body: n.Body,
		Origin: app.OriginSummary(n.Note)}
	for _, a := range n.Addenda {
		author := a.Author
		if p, ok := n.People[a.Author]; ok {
			author = p.Name()
		}
		u.Addenda = append(u.Addenda, ui.Addendum{Author: author, Created: a.Created, Body: a.Body})
	}
	return u
}

// The settings the window offers a user; policy may lock any of them.
var desktopSettings = []struct {
	key   policy.Key
	label string
}{{policy.DefaultModel, "Model"}, {policy.DefaultTemplate, "Template"}, {policy.Theme, "Theme"}}

func (c *desktopCore) Settings() []ui.Setting {
	snap := c.app.Policy()
	var out []ui.Setting
	for _, d := range desktopSettings {
		st := ui.Setting{Key: string(d.key), Label: d.label, Value: snap.String(d.key), Managed: snap.Get(d.key).Locked()}
		switch d.key {
		case policy.DefaultModel:
			// As the background watch last saw the folder: nothing is hashed here.
			for _, m := range c.app.KnownModels() {
				if m.Status == models.Allowed {
					st.Options = append(st.Options, m.File)
				}
			}
		case policy.DefaultTemplate:
			st.Options = c.Templates()
		case policy.Theme:
			st.Options = []string{"system", "light", "dark", "high-contrast"}
		}
		out = append(out, st)
	}
	return out
}

// applyPolicy puts a changed policy into force: the core applies and records it; the
// window follows with its theme and tray.
func (c *desktopCore) applyPolicy(snap policy.Snapshot) {
	if err := c.app.ApplyPolicy(context.Background(), snap); err != nil {
		fmt.Fprintf(c.stderr, "vellum: recording the policy change: %s\n", errorLine(err))
	}
	c.showPolicy()
}

func (c *desktopCore) showPolicy() {
	snap := c.app.Policy()
	fyne.CurrentApp().Settings().SetTheme(ui.Theme(snap.String(policy.Theme), c.text))
	if c.tray && c.w != nil {
		c.w.SetTray(snap.Bool(policy.KeepRunningInTray))
	}
	if c.hotkey != nil {
		go c.hotkey.update() // off the UI thread: it speaks to the X server
	}
}

// SetSetting stores a preference (refused where policy sets the value); the core
// applies and records it as any policy change.
func (c *desktopCore) SetSetting(key, value string) error {
	if err := c.app.SetPreference(context.Background(), policy.Key(key), value); err != nil {
		return err
	}
	c.showPolicy()
	return nil
}

// Audit is the audit view: the journal's chains verified, and this device's newest
// records (actions, users, objects; never note text).
func (c *desktopCore) Audit(ctx context.Context) (ui.AuditView, error) {
	rows, _, err := c.app.VerifyChains(ctx)
	if err != nil {
		return ui.AuditView{}, err
	}
	var v ui.AuditView
	for _, r := range rows {
		v.Chains = append(v.Chains, chainLine(r))
	}
	recs, err := c.app.RecentRecords(ctx, 200)
	if err != nil {
		return ui.AuditView{}, err
	}
	for i := len(recs) - 1; i >= 0; i-- {
		var r audit.Record
		if json.Unmarshal(recs[i].Line, &r) != nil {
			continue
		}
		v.Recent = append(v.Recent, recordLine(r))
	}
	return v, nil
}

// CopyNote releases a signed note, with its addenda, for the EHR by clipboard, where
// policy's export_formats allow it.
func (c *desktopCore) CopyNote(ctx context.Context, id string) (string, time.Duration, error) {
	text, err := c.app.ReleaseNote(ctx, id, app.ReleaseClipboard)
	if err != nil {
		return "", 0, err
	}
	return string(text), c.app.Policy().Duration(policy.ClipboardClearAfter), nil
}

// ExportFHIR releases a signed note as a FHIR R4 DocumentReference into dir, as
// <note id>.fhir.json.
func (c *desktopCore) ExportFHIR(ctx context.Context, id, dir string) (string, error) {
	return c.releaseToFile(ctx, id, app.ReleaseFHIR, filepath.Join(dir, id+".fhir.json"))
}

// ExportDeidentified releases a signed note de-identified, for teaching or research,
// into dir as <note id>.deidentified.txt (it is PHI-free only as far as phi finds it).
func (c *desktopCore) ExportDeidentified(ctx context.Context, id, dir string) (string, error) {
	return c.releaseToFile(ctx, id, app.ReleaseDeidentified, filepath.Join(dir, id+".deidentified.txt"))
}

// releaseToFile releases note id in format into path: written whole or not at all,
// readable by its owner alone.
func (c *desktopCore) releaseToFile(ctx context.Context, id, format, path string) (string, error) {
	b, err := c.app.ReleaseNote(ctx, id, format)
	if err != nil {
		return "", err
	}
	if !bytes.HasSuffix(b, []byte("\n")) {
		b = append(b, '\n')
	}
	return path, vault.WriteFileAtomic(path, b, 0o600)
}

// Backup writes an encrypted backup of the vault (admins only), as `vault backup`,
// into dir under a new name: an earlier backup there is never replaced.
func (c *desktopCore) Backup(ctx context.Context, dir string, progress func(done, total int)) (string, error) {
	path := filepath.Join(dir, "vellum-"+time.Now().UTC().Format("20060102-150405")+".vbk")
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("%s exists already: back up again in a second", filepath.Base(path))
	}
	_, err := c.app.Backup(ctx, path, progress)
	return path, err
}

// AddAddendum signs an addendum onto a signed note.
func (c *desktopCore) AddAddendum(ctx context.Context, id, text string) error {
	_, err := c.app.AddAddendum(ctx, id, text)
	return err
}
