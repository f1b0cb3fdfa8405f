package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/policy"
	vsync "github.com/vellumhealth/vellum/sync"
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
			snap, err := e.policy()
			if err != nil {
				return err
			}
			svc, err := e.accessService()
			if err != nil {
				return err
			}
			core := &desktopCore{e: e, svc: svc, snap: snap, modelFile: modelFile}
			defer core.close()
			// Audit records go to the collector while the window is open.
			if up, err := e.uploader(); err == nil {
				runCtx, cancel := context.WithCancel(ctx)
				defer cancel()
				go up.Run(runCtx, time.Minute, func(err error) { fmt.Fprintf(e.stderr, "vellum: audit delivery: %v\n", err) })
			}
			a := app.NewWithID("health.vellum.desktop")
			a.SetIcon(ui.Icon)
			core.text = textscale.Factor()
			a.Settings().SetTheme(ui.Theme(snap.String(policy.Theme), core.text))
			w := ui.New(a, core, nil)
			core.w, core.tray = w, trayAvailable()
			if core.tray {
				w.SetTray(snap.Bool(policy.KeepRunningInTray))
			}
			// Policy applies live: IT's changes and the user's preferences take effect
			// in the open window, and each is recorded.
			if dir, err := vault.ProfileDir(e.profile); err == nil {
				if pw, err := policy.NewWatcher(policy.DefaultSources(dir)); err == nil {
					pw.OnChange = func(ch policy.Change) { fyne.Do(func() { core.applyPolicy(ch.New) }) }
					pw.OnError = func(err error) {
						fmt.Fprintf(e.stderr, "vellum: policy: %v (the last good settings stay in force)\n", err)
					}
					watchCtx, cancel := context.WithCancel(ctx)
					defer cancel()
					go pw.Run(watchCtx)
				}
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
			a.Lifecycle().SetOnStarted(w.Started)
			a.Lifecycle().SetOnStopped(w.Stopped)
			testScreenshots(w.Window())
			w.Window().ShowAndRun()
			return nil
		},
	}
}

// desktopCore is the window's ui.Core: every method goes through access control and
// records what it shows or changes, as the commands do.
type desktopCore struct {
	e         *env
	svc       *access.Service
	snap      policy.Snapshot
	modelFile string

	w    *ui.Workspace
	tray bool    // the desktop shows tray icons
	text float32 // the OS's text size over its default (ui/textscale)

	loadMu  sync.Mutex // one model load at a time
	mu      sync.Mutex
	loading float64       // fraction of the model load done; 0: none in progress
	reading atomic.Uint64 // float64 bits: fraction of a draft's first prompt read; 0: none in progress
	// policyGen counts the changes to which model may or should be loaded: a load
	// that began before one does not install its model.
	policyGen int
	up        *vsync.Uploader // see statusUploader
	// drafts maps each draft's SHA-256 to the digest of the model that wrote it.
	drafts map[string]string
	engine llm.Engine
	model  *models.Model
	rate   float64
}

// close frees the model once the window has gone. Not under mu: Close waits for a
// Generate in progress, whose callbacks may need mu.
func (c *desktopCore) close() {
	c.mu.Lock()
	eng, m := c.engine, c.model
	c.engine, c.model = nil, nil
	c.mu.Unlock()
	if eng != nil {
		eng.Close()
		m.Close()
	}
}

func (c *desktopCore) SignIn(ctx context.Context, username, password, code string) (ui.User, error) {
	sess, _, err := c.svc.SignIn(ctx, username, password, code)
	if errors.Is(err, access.ErrCodeRequired) {
		return ui.User{}, ui.ErrTOTPNeeded
	}
	if err != nil {
		return ui.User{}, err
	}
	u, err := c.e.vault.User(ctx, sess.UserID)
	if err != nil {
		return ui.User{}, err
	}
	c.e.svc, c.e.sess, c.e.user = c.svc, &sess, u
	// As at the command line's sign-in: the OS starts Vellum at login exactly when
	// policy says so.
	if err := c.e.applyLaunchAtLogin(); err != nil {
		fmt.Fprintf(c.e.stderr, "vellum: %v\n", err)
	}
	return ui.User{Name: u.Username, Role: string(u.Role)}, nil
}

func (c *desktopCore) Unlock(ctx context.Context, password, code string) error {
	err := c.svc.Unlock(ctx, c.e.sess, password, code)
	if errors.Is(err, access.ErrCodeRequired) {
		return ui.ErrTOTPNeeded
	}
	return err
}

func (c *desktopCore) Lock(ctx context.Context) error { return c.svc.Lock(ctx, c.e.sess) }

func (c *desktopCore) BreakGlass(ctx context.Context, reason string) error {
	return c.svc.BreakGlass(ctx, c.e.sess, reason)
}

func (c *desktopCore) IdleTimeout() time.Duration { return c.snap.Duration(policy.IdleTimeout) }

func (c *desktopCore) Notes(ctx context.Context, query string) ([]ui.Note, error) {
	f, err := c.e.listFilter(ctx)
	if err != nil {
		return nil, err
	}
	var notes []vault.Note
	action := audit.NoteList
	if query == "" {
		notes, err = c.e.vault.Notes(ctx, f)
	} else {
		action = audit.NoteSearch
		var hits []vault.Hit
		hits, err = c.e.vault.Search(ctx, query, f)
		for _, h := range hits {
			notes = append(notes, h.Note)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := c.e.recordShown(ctx, action, notes); err != nil {
		return nil, err
	}
	out := make([]ui.Note, len(notes))
	for i, n := range notes {
		out[i] = c.uiNote(ctx, n)
	}
	return out, nil
}

func (c *desktopCore) Note(ctx context.Context, id string) (ui.Note, error) {
	n, err := c.e.vault.Note(ctx, id)
	if err != nil {
		return ui.Note{}, err
	}
	if err := c.e.authorize(ctx, access.NoteView, n.Owner); err != nil {
		return ui.Note{}, err
	}
	if err := c.e.record(ctx, audit.NoteView, noteObject(n.ID), n.PatientRef, contentHashes(n), audit.OK); err != nil {
		return ui.Note{}, err
	}
	return c.uiNote(ctx, n), nil
}

func (c *desktopCore) NewNote(ctx context.Context, patient, title string) (ui.Note, error) {
	owner, err := c.e.newNoteOwner(ctx)
	if err != nil {
		return ui.Note{}, err
	}
	n, err := c.e.vault.AddNote(ctx, vault.NewNote{PatientRef: patient, Title: title, Author: c.e.user.ID, Owner: owner})
	if err != nil {
		return ui.Note{}, err
	}
	if err := c.e.record(ctx, audit.NoteCreate, noteObject(n.ID), n.PatientRef, contentHashes(n), audit.OK); err != nil {
		return ui.Note{}, err
	}
	return c.uiNote(ctx, n), nil
}

func (c *desktopCore) SaveNote(ctx context.Context, id, body string, from []ui.Provenance) error {
	n, err := c.e.vault.Note(ctx, id)
	if err != nil {
		return err
	}
	if err := c.e.authorize(ctx, access.NoteEdit, n.Owner); err != nil {
		return err
	}
	if err := c.e.vault.EditNote(ctx, id, n.Title, body); err != nil {
		return err
	}
	n.Body = body
	details := contentHashes(n)
	var drafts, templates, models []string
	for _, p := range from {
		drafts, templates, models = append(drafts, p.DraftSHA256), append(templates, p.Template), append(models, c.draftModel(p.DraftSHA256))
	}
	if len(from) > 0 {
		details["draft_sha256"], details["template"], details["model_sha256"] = strings.Join(drafts, ","), strings.Join(templates, ","), strings.Join(models, ",")
	}
	// The edit is recorded before the drafts are kept: a failure to keep them must
	// not leave a change unrecorded.
	if err := c.e.record(ctx, audit.NoteEdit, noteObject(n.ID), n.PatientRef, details, audit.OK); err != nil {
		return err
	}
	for i, p := range from {
		if err := c.e.vault.AddDraftText(ctx, id, p.Text, models[i], p.Template); err != nil {
			return err
		}
	}
	return nil
}

// draftModel is the digest of the model that wrote the draft with this hash in this
// session (the model in use may have changed since).
func (c *desktopCore) draftModel(draftSHA256 string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.drafts[draftSHA256]
}

func (c *desktopCore) SignNote(ctx context.Context, id string, acknowledged []llm.Span) error {
	return c.e.signNote(ctx, id, map[string]string{"ungrounded_acknowledged": fmt.Sprint(len(acknowledged))})
}

func (c *desktopCore) Templates() []string {
	cat, err := c.e.catalog()
	if err != nil {
		return nil
	}
	ts, err := llm.Templates(cat.TemplatesDir())
	if err != nil {
		return nil
	}
	names := llm.TemplateNames(ts)
	if def := c.snap.String(policy.DefaultTemplate); slices.Contains(names, def) {
		names = append([]string{def}, slices.DeleteFunc(names, func(n string) bool { return n == def })...)
	}
	return names
}

func (c *desktopCore) Draft(ctx context.Context, template, source string, emit func(string)) (llm.Draft, error) {
	if err := llm.Screen(source); err != nil {
		return llm.Draft{}, err
	}
	cat, err := c.e.catalog()
	if err != nil {
		return llm.Draft{}, err
	}
	ts, err := llm.Templates(cat.TemplatesDir())
	if err != nil {
		return llm.Draft{}, err
	}
	tpl, ok := ts[template]
	if !ok {
		return llm.Draft{}, fmt.Errorf("no template %q", template)
	}
	eng, err := c.loadEngine(ctx, cat)
	if err != nil {
		return llm.Draft{}, err
	}
	start := time.Now()
	// The first section's prompt is the long wait; the later ones are read from the
	// cache in a moment. Progress runs on the inference thread: no locks there.
	read := false
	sampling := llm.Sampling{MaxTokens: 256, RepeatPenalty: 1.1, Progress: func(done, total int) {
		switch {
		case read:
		case done < total:
			c.reading.Store(math.Float64bits(max(float64(done)/float64(total), 0.01)))
		default:
			read = true
			c.reading.Store(0)
		}
	}}
	defer c.reading.Store(0)
	d, err := llm.Write(ctx, eng, tpl, source, sampling, func(p string) error { emit(p); return nil })
	if d.Tokens > 0 {
		c.mu.Lock()
		c.rate = float64(d.Tokens) / time.Since(start).Seconds()
		c.mu.Unlock()
	}
	if err != nil {
		return d, err
	}
	model := c.modelDigest()
	c.mu.Lock()
	if c.drafts == nil {
		c.drafts = map[string]string{}
	}
	c.drafts[d.TextSHA256] = model
	c.mu.Unlock()
	details := draftDetails(model, tpl.Name, d)
	details["source"] = "desktop"
	return d, c.e.record(ctx, audit.DraftGenerated, audit.Object{Type: "draft"}, "", details, audit.OK)
}

// loadEngine loads the model once, the first time a draft needs it. The load reports
// its progress to the status (the window shows it) and stops when ctx ends (the
// assistant's Stop). Only loadMu is held meanwhile, so the window keeps asking for
// its status.
func (c *desktopCore) loadEngine(ctx context.Context, cat *models.Catalog) (llm.Engine, error) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	c.mu.Lock()
	eng, snap, gen := c.engine, c.snap, c.policyGen
	c.mu.Unlock()
	if eng != nil {
		return eng, nil
	}
	m, err := c.e.pickModel(ctx, cat, snap, c.modelFile)
	if err != nil {
		return nil, err
	}
	o := engineOptions(snap)
	o.Progress = func(done float64) bool {
		c.mu.Lock()
		c.loading = max(done, 0.01)
		c.mu.Unlock()
		return ctx.Err() == nil
	}
	defer func() {
		c.mu.Lock()
		c.loading = 0
		c.mu.Unlock()
	}()
	eng, err = c.e.loadEngine(ctx, m, o)
	if err != nil {
		m.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	c.mu.Lock()
	stale := gen != c.policyGen
	if !stale {
		c.engine, c.model = eng, m
	}
	c.mu.Unlock()
	if stale {
		eng.Close()
		m.Close()
		return nil, errors.New("the model settings changed while the model loaded: draft again")
	}
	return eng, nil
}

func (c *desktopCore) modelDigest() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.model == nil {
		return ""
	}
	return c.model.SHA256
}

func (c *desktopCore) Status() ui.Status {
	c.mu.Lock()
	var st ui.Status
	st.Loading, st.Reading = c.loading, math.Float64frombits(c.reading.Load())
	if c.engine != nil {
		info := c.engine.Info()
		st.Model, st.Device, st.TokensPerSec = info.Model, info.Device, c.rate
	}
	c.mu.Unlock()
	if up := c.statusUploader(); up != nil {
		if p, err := up.Pending(context.Background()); err == nil {
			st.Queued = int(p)
		}
		if at, err := up.LastDelivery(context.Background()); err == nil {
			st.LastDelivery = at
		}
	}
	return st
}

// statusUploader is the uploader the status bar asks about the journal, made once:
// Status runs every second, and making one parses the collector's CA and builds an
// HTTP client.
func (c *desktopCore) statusUploader() *vsync.Uploader {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.up == nil {
		c.up, _ = c.e.uploader()
	}
	return c.up
}

func (c *desktopCore) uiNote(ctx context.Context, n vault.Note) ui.Note {
	u := ui.Note{ID: n.ID, PatientRef: n.PatientRef, Title: n.Title, Status: string(n.Status), Updated: n.Updated, Body: n.Body,
		Origin: originSummary(n)}
	for _, a := range n.Addenda {
		author := a.Author
		if usr, err := c.e.vault.User(ctx, a.Author); err == nil {
			author = cmp.Or(usr.DisplayName, usr.Username)
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
	var out []ui.Setting
	for _, d := range desktopSettings {
		st := ui.Setting{Key: string(d.key), Label: d.label, Value: c.snap.String(d.key), Managed: c.snap.Get(d.key).Locked()}
		switch d.key {
		case policy.DefaultModel:
			if cat, err := c.e.catalog(); err == nil && cat.Scan(context.Background()) == nil {
				for _, m := range cat.List() {
					if m.Status == models.Allowed {
						st.Options = append(st.Options, m.File)
					}
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

// applyPolicy puts a changed policy into force in the running window: theme, tray,
// idle lock and export formats at once, launch at login through the OS, and a model
// no longer allowed (or no longer the chosen one) is unloaded once the draft in
// progress, if any, is done. The change is recorded (policy.changed).
func (c *desktopCore) applyPolicy(snap policy.Snapshot) {
	c.mu.Lock()
	old := c.snap
	c.snap = snap
	c.e.setPolicy(&snap)
	var retire llm.Engine
	var retireModel *models.Model
	if !slices.Equal(old.Strings(policy.ModelAllowlist), snap.Strings(policy.ModelAllowlist)) ||
		old.String(policy.ModelsFolder) != snap.String(policy.ModelsFolder) ||
		old.String(policy.DefaultModel) != snap.String(policy.DefaultModel) {
		c.policyGen++ // a load in progress must not install its model
		if c.engine != nil {
			retire, retireModel = c.engine, c.model
			c.engine, c.model = nil, nil
		}
	}
	c.mu.Unlock()
	if retire != nil {
		// Close waits for a Generate in progress: a model is never yanked mid-draft.
		go func() {
			retire.Close()
			retireModel.Close()
		}()
	}
	fyne.CurrentApp().Settings().SetTheme(ui.Theme(snap.String(policy.Theme), c.text))
	if c.tray && c.w != nil {
		c.w.SetTray(snap.Bool(policy.KeepRunningInTray))
	}
	ctx := context.Background()
	if err := c.e.applyLaunchAtLogin(); err != nil {
		fmt.Fprintf(c.e.stderr, "vellum: %v\n", err)
	}
	if c.e.vault != nil {
		if err := c.e.recordPolicyChange(ctx, c.e.vault); err != nil {
			fmt.Fprintf(c.e.stderr, "vellum: recording the policy change: %v\n", err)
		}
	}
}

// SetSetting stores a preference in the profile's prefs.json (refused where policy
// sets the value), and applies and records it as any policy change.
func (c *desktopCore) SetSetting(key, value string) error {
	dir, err := vault.ProfileDir(c.e.profile)
	if err != nil {
		return err
	}
	if err := policy.SetPreference(policy.DefaultSources(dir), c.snap, policy.Key(key), value); err != nil {
		return err
	}
	c.e.setPolicy(nil)
	snap, err := c.e.policy()
	if err != nil {
		return err
	}
	c.applyPolicy(snap)
	return nil
}

// Audit is the audit view: the journal's chains verified, and this device's newest
// records (actions, users, objects; never note text). Viewing it is authorized as
// `vellum audit verify` is.
func (c *desktopCore) Audit(ctx context.Context) (ui.AuditView, error) {
	if err := c.e.authorize(ctx, access.AuditView, ""); err != nil {
		return ui.AuditView{}, err
	}
	rows, _, err := c.e.verifyChains(ctx)
	if err != nil {
		return ui.AuditView{}, err
	}
	var v ui.AuditView
	for _, r := range rows {
		state := "ok"
		if r.Error != "" {
			state = "FAILED: " + r.Error
		}
		v.Chains = append(v.Chains, fmt.Sprintf("device %s: %d records, chain and signatures %s", r.Device, r.Records, state))
	}
	recs, err := c.e.recentRecords(ctx, 200)
	if err != nil {
		return ui.AuditView{}, err
	}
	for i := len(recs) - 1; i >= 0; i-- {
		var r audit.Record
		if json.Unmarshal(recs[i].Line, &r) != nil {
			continue
		}
		obj := r.Object.Type
		if r.Object.ID != "" {
			obj += " " + r.Object.ID
		}
		v.Recent = append(v.Recent, fmt.Sprintf("%d  %s  %s  %s  %s %s  %s", r.Seq, r.Time, r.Action, r.Outcome, r.User, r.Role, obj))
	}
	return v, nil
}

// CopyNote releases a signed note, with its addenda, for the EHR by clipboard, where
// policy's export_formats allow it.
func (c *desktopCore) CopyNote(ctx context.Context, id string) (string, time.Duration, error) {
	text, err := c.e.releaseNote(ctx, id, releaseClipboard)
	if err != nil {
		return "", 0, err
	}
	return string(text), c.snap.Duration(policy.ClipboardClearAfter), nil
}

// ExportFHIR releases a signed note as a FHIR R4 DocumentReference into dir, as
// <note id>.fhir.json: written whole or not at all, readable by its owner alone.
func (c *desktopCore) ExportFHIR(ctx context.Context, id, dir string) (string, error) {
	doc, err := c.e.releaseNote(ctx, id, releaseFHIR)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, id+".fhir.json")
	return path, vault.WriteFileAtomic(path, append(doc, '\n'), 0o600)
}

// Backup writes an encrypted backup of the vault (admins only), as `vault backup`,
// into dir under a new name: an earlier backup there is never replaced.
func (c *desktopCore) Backup(ctx context.Context, dir string, progress func(done, total int)) (string, error) {
	path := filepath.Join(dir, "vellum-"+time.Now().UTC().Format("20060102-150405")+".vbk")
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("%s exists already: back up again in a second", filepath.Base(path))
	}
	_, err := c.e.backupVault(ctx, path, progress)
	return path, err
}

// AddAddendum signs an addendum onto a signed note.
func (c *desktopCore) AddAddendum(ctx context.Context, id, text string) error {
	_, err := c.e.addAddendum(ctx, id, text)
	return err
}
