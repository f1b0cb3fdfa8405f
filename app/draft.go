package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/llm/llamacpp"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// TestModelSHA256 is stories260K.gguf, the children's-story model the project tests
// with. Unless policy sets allow_test_model false, it may be used without being on the
// allowlist, and its output is labelled: it writes no clinical text.
const TestModelSHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d"

// modelState is the App's one model catalog and loaded engine.
type modelState struct {
	loadMu sync.Mutex // one model load at a time

	mu      sync.Mutex
	catalog *models.Catalog
	engine  llm.Engine
	model   *models.Model
	loading float64 // fraction of a model load done; 0: none in progress
	// gen counts the changes of policy to which model may or should be loaded: a load
	// that began before one does not install its model.
	gen int
	// drafts maps each draft's SHA-256 to the digest of the model that wrote it.
	drafts map[string]string
	rate   float64

	reading atomic.Uint64 // float64 bits: fraction of a draft's prompt read; 0: none
}

// Catalog is the managed models folder (policy models_folder, else the platform's)
// under the allowlist in force: one per folder for the App's life, so that a file
// already hashed is not hashed again while it is unchanged.
func (a *App) Catalog() *models.Catalog {
	dir := a.Policy().String(policy.ModelsFolder)
	if dir == "" {
		dir = models.DefaultDir()
	}
	a.models.mu.Lock()
	defer a.models.mu.Unlock()
	if a.models.catalog == nil || a.models.catalog.Dir != dir {
		a.models.catalog = &models.Catalog{Dir: dir, Allowlist: func() []string { return a.Policy().Strings(policy.ModelAllowlist) }}
	}
	return a.models.catalog
}

// Models scans the managed folder (hashing only new or changed files) and lists it.
func (a *App) Models(ctx context.Context) ([]models.Entry, error) {
	c := a.Catalog()
	if err := c.Scan(ctx); err != nil {
		return nil, err
	}
	return c.List(), nil
}

// KnownModels lists the catalog as last scanned, without touching the disk: what a
// screen shows while WatchModels keeps the list current.
func (a *App) KnownModels() []models.Entry { return a.Catalog().List() }

// WatchModels scans the managed folder, then rescans on each change until ctx ends,
// calling changed after each scan; a change of the folder in policy moves the watch.
func (a *App) WatchModels(ctx context.Context, changed func()) {
	for ctx.Err() == nil {
		c := a.Catalog()
		if c.Scan(ctx) == nil && changed != nil {
			changed()
		}
		wctx, cancel := context.WithCancel(ctx)
		go func() {
			// Policy may name another folder: poll the choice, cheaply.
			t := time.NewTicker(2 * time.Second)
			defer t.Stop()
			for {
				select {
				case <-wctx.Done():
					return
				case <-t.C:
					if a.Catalog() != c {
						cancel()
						return
					}
				}
			}
		}()
		if err := c.Watch(wctx, changed); err != nil {
			// No folder to watch yet: look again in a while.
			select {
			case <-wctx.Done():
			case <-time.After(10 * time.Second):
			}
		}
		cancel()
	}
}

// PullModel downloads a model over https into dir (default: the managed folder),
// verified against sha256Hex and the GGUF header before it is published there (see
// models.Pull). caPEM, when given, is the CA that signs the model server's
// certificate, in place of the system's roots.
func (a *App) PullModel(ctx context.Context, url, sha256Hex, dir string, caPEM []byte, progress func(done, total int64)) (string, error) {
	if dir == "" {
		dir = a.Catalog().Dir
	}
	client := &http.Client{}
	if caPEM != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return "", errors.New("the model server's CA holds no PEM certificate")
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	return models.Pull(ctx, client, url, dir, sha256Hex, progress)
}

// Templates lists note templates by name, policy's default first.
func (a *App) Templates() []string {
	ts, err := llm.Templates(a.Catalog().TemplatesDir())
	if err != nil {
		return nil
	}
	names := llm.TemplateNames(ts)
	if def := a.Policy().String(policy.DefaultTemplate); slices.Contains(names, def) {
		names = append([]string{def}, slices.DeleteFunc(names, func(n string) bool { return n == def })...)
	}
	return names
}

// ErrNoTemplate: no note template has that name.
var ErrNoTemplate = errors.New("no such note template")

func (a *App) template(name string) (llm.Template, error) {
	ts, err := llm.Templates(a.Catalog().TemplatesDir())
	if err != nil {
		return llm.Template{}, err
	}
	t, ok := ts[name]
	if !ok {
		return llm.Template{}, fmt.Errorf("%w: %q (have %v)", ErrNoTemplate, name, llm.TemplateNames(ts))
	}
	return t, nil
}

// allowedDigests are the models that may load now: the allowlist, and the test model
// where policy allows it.
func allowedDigests(snap policy.Snapshot) []string {
	allowed := snap.Strings(policy.ModelAllowlist)
	if snap.Bool(policy.AllowTestModel) {
		allowed = append(allowed, TestModelSHA256)
	}
	return allowed
}

// openModel opens the model to draft with, verified against the allowlist through
// the handle the engine loads: file when given, else policy's default_model, else the
// first allowed model of the folder, else the test model where allowed.
func (a *App) openModel(ctx context.Context, file string) (*models.Model, error) {
	snap := a.Policy()
	allowed := allowedDigests(snap)
	if file != "" {
		return models.Open(file, allowed)
	}
	cat := a.Catalog()
	if err := cat.Scan(ctx); err != nil {
		return nil, err
	}
	want := snap.String(policy.DefaultModel)
	for _, m := range cat.List() {
		if m.Status == models.Allowed && (want == "" || m.File == want || m.SHA256 == want) {
			return models.Open(filepath.Join(cat.Dir, m.File), snap.Strings(policy.ModelAllowlist))
		}
	}
	for _, m := range cat.List() {
		if m.SHA256 == TestModelSHA256 && slices.Contains(allowed, m.SHA256) {
			return models.Open(filepath.Join(cat.Dir, m.File), allowed)
		}
	}
	return nil, fmt.Errorf("%w in %s: IT puts a GGUF model there and lists its SHA-256 in policy model_allowlist", ErrNoModel, cat.Dir)
}

// ErrNoModel: the managed folder has no model that may be loaded.
var ErrNoModel = errors.New("no allowed model")

// EngineOptions maps the inference settings (policy, or the user's where policy
// allows) to the engine's options.
func EngineOptions(snap policy.Snapshot) llamacpp.Options {
	o := llamacpp.Options{
		Threads:        snap.Int(policy.InferenceThreads),
		Context:        snap.Int(policy.InferenceContext),
		Batch:          snap.Int(policy.InferenceBatch),
		FlashAttention: snap.String(policy.InferenceFlashAttn),
	}
	switch n := snap.Int(policy.InferenceGPULayers); {
	case n == 0:
		o.CPUOnly = true
	case n > 0:
		o.GPULayers = n
	}
	return o
}

// Loaded describes the engine a draft runs on.
type Loaded struct {
	Info      llm.Info
	SHA256    string
	TestModel bool
}

// engine returns the loaded engine, loading the model the first time (file, or
// policy's choice): the load reports progress to Status and stops when ctx ends. A
// refused model (not on the allowlist) and each load are recorded as the signed-in
// user's. The engine stays loaded for the App's life, until a policy change retires
// it.
func (a *App) engine(ctx context.Context, file string) (llm.Engine, Loaded, error) {
	m := &a.models
	m.loadMu.Lock()
	defer m.loadMu.Unlock()
	m.mu.Lock()
	eng, model, gen := m.engine, m.model, m.gen
	m.mu.Unlock()
	if eng != nil && (file == "" || model.Path == file) {
		return eng, loadedOf(eng, model), nil
	}
	if eng != nil {
		a.closeModel()
	}
	mf, err := a.openModel(ctx, file)
	if err != nil {
		if errors.Is(err, models.ErrNotAllowed) {
			rerr := a.act(ctx, func(c *actor) error {
				c.tx.Record(audit.Entry{User: c.user.ID, Role: string(c.user.Role), Action: audit.ModelLoad,
					Object:  audit.Object{Type: "model", ID: filepath.Base(file)},
					Details: map[string]string{"reason": "not on the allowlist"}, Outcome: audit.DeniedOutcome})
				return nil
			})
			if rerr != nil {
				return nil, Loaded{}, rerr
			}
		}
		return nil, Loaded{}, err
	}
	o := EngineOptions(a.Policy())
	o.Progress = func(done float64) bool {
		m.mu.Lock()
		m.loading = max(done, 0.01)
		m.mu.Unlock()
		return ctx.Err() == nil
	}
	defer func() {
		m.mu.Lock()
		m.loading = 0
		m.mu.Unlock()
	}()
	load := a.cfg.LoadEngine
	if load == nil {
		load = llamacpp.Load
	}
	eng, err = load(mf.LoadPath(), o)
	if err != nil {
		mf.Close()
		if ctx.Err() != nil {
			return nil, Loaded{}, ctx.Err()
		}
		return nil, Loaded{}, err
	}
	info := eng.Info()
	err = a.act(ctx, func(c *actor) error {
		c.record(audit.ModelLoad, audit.Object{Type: "model", ID: mf.SHA256}, "", map[string]string{
			"file": filepath.Base(mf.Path), "device": info.Device, "gpu_layers": fmt.Sprint(info.GPULayers),
			"context": fmt.Sprint(info.Context), "test_model": fmt.Sprint(mf.SHA256 == TestModelSHA256)})
		return nil
	})
	if err != nil {
		eng.Close()
		mf.Close()
		return nil, Loaded{}, err
	}
	m.mu.Lock()
	stale := gen != m.gen
	if !stale {
		m.engine, m.model = eng, mf
	}
	m.mu.Unlock()
	if stale {
		eng.Close()
		mf.Close()
		return nil, Loaded{}, errors.New("the model settings changed while the model loaded: draft again")
	}
	return eng, loadedOf(eng, mf), nil
}

func loadedOf(eng llm.Engine, m *models.Model) Loaded {
	return Loaded{Info: eng.Info(), SHA256: m.SHA256, TestModel: m.SHA256 == TestModelSHA256}
}

// closeModel frees the engine and its model file. Not under mu: Close waits for a
// Generate in progress, whose callbacks may need mu.
func (a *App) closeModel() {
	m := &a.models
	m.mu.Lock()
	eng, model := m.engine, m.model
	m.engine, m.model = nil, nil
	m.mu.Unlock()
	if eng != nil {
		eng.Close()
		model.Close()
	}
}

// retireModel unloads the model once the draft in progress, if any, is done, and
// keeps a load in progress from installing its model: which model may or should be
// loaded has changed.
func (a *App) retireModel() {
	m := &a.models
	m.mu.Lock()
	m.gen++
	eng, model := m.engine, m.model
	m.engine, m.model = nil, nil
	m.mu.Unlock()
	if eng != nil {
		// Close waits for a Generate in progress: a model is never yanked mid-draft.
		go func() {
			eng.Close()
			model.Close()
		}()
	}
}

// DraftRequest is what a draft is made from.
type DraftRequest struct {
	Template string
	Source   string
	// ModelFile overrides policy's choice of model (it must be on the allowlist).
	ModelFile string
	// MaxTokens per section; 0: 256.
	MaxTokens int
	// JSON asks for one generation constrained by a grammar to JSON with a string per
	// section, instead of one generation per section.
	JSON bool
	// Loaded, when set, hears which engine runs the draft before the first token.
	Loaded func(Loaded)
}

// Draft drafts from req.Source with the named template, streaming pieces to emit;
// ctx's end stops it within one token. The signed-in user must be one who writes
// notes. The draft is recorded (ai.draft: hashes and counts, never text); the App
// remembers which model wrote it, for the provenance of the note it goes into.
func (a *App) Draft(ctx context.Context, req DraftRequest, emit func(piece string) error) (llm.Draft, Loaded, error) {
	d, l, w, err := a.generate(ctx, req, emit)
	if !w.drafted {
		return d, l, err
	}
	details := draftDetails(l, req, d)
	details["source"] = "desktop"
	if err != nil {
		details["stopped"] = "true"
	}
	if rerr := a.recordAs(ctx, w.who, audit.DraftGenerated, audit.Object{Type: "draft"}, "", details); rerr != nil {
		return d, l, errors.Join(err, rerr)
	}
	return d, l, err
}

// DraftNote drafts as Draft does and stores the draft as a new note for patientRef,
// with the draft kept for its provenance and its flagged claims for signing: the
// note, the kept draft and both records (ai.draft, note.create) commit together.
func (a *App) DraftNote(ctx context.Context, req DraftRequest, patientRef string, emit func(piece string) error) (vault.Note, llm.Draft, error) {
	d, l, w, err := a.generate(ctx, req, emit)
	if err != nil {
		if w.drafted {
			// What was streamed was shown: it is recorded, though no note is stored.
			details := draftDetails(l, req, d)
			details["stopped"] = "true"
			if rerr := a.recordAs(ctx, w.who, audit.DraftGenerated, audit.Object{Type: "draft"}, patientRef, details); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		return vault.Note{}, d, err
	}
	tpl, _ := a.template(req.Template)
	title := tpl.Title + " (draft)"
	if l.TestModel {
		title = tpl.Title + " (TEST MODEL, not clinical)"
	}
	var note vault.Note
	err = a.act(ctx, func(c *actor) error {
		var err error
		if note, err = c.createNote(ctx, vault.NewNote{PatientRef: patientRef, Title: title, Body: d.Text}); err != nil {
			return err
		}
		if err := c.tx.AddDraft(ctx, note.ID, vault.DraftText{Text: d.Text, Model: l.SHA256, Template: tpl.Name, Ungrounded: Claims(d.Ungrounded)}); err != nil {
			return err
		}
		details := draftDetails(l, req, d)
		c.tx.Record(c.entry(audit.DraftGenerated, noteObject(note.ID), patientRef, details))
		return nil
	})
	if err != nil {
		// No note is stored (the session locked meanwhile, say), but the draft was
		// shown: it is recorded as the user's.
		if rerr := a.recordAs(ctx, w.who, audit.DraftGenerated, audit.Object{Type: "draft"}, patientRef, draftDetails(l, req, d)); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	return note, d, err
}

// Claims are a draft's flagged spans as the vault keeps them.
func Claims(spans []llm.Span) []vault.Claim {
	var out []vault.Claim
	for _, s := range spans {
		out = append(out, vault.Claim{Kind: string(s.Kind), Text: s.Text})
	}
	return out
}

// generation says who a draft was made for and whether the model began to write
// (from then on, what it wrote may have been shown, and is recorded).
type generation struct {
	who     who
	drafted bool
}

// generate runs one draft for the signed-in user, who must be allowed to write notes.
func (a *App) generate(ctx context.Context, req DraftRequest, emit func(string) error) (llm.Draft, Loaded, generation, error) {
	var g generation
	if err := llm.Screen(req.Source); err != nil {
		return llm.Draft{}, Loaded{}, g, err
	}
	// Asked first: a user who may not write notes loads no model and reads no source.
	if err := a.act(ctx, func(c *actor) error {
		sub, err := c.svc.Subject(ctx, &c.sess)
		if err != nil {
			return err
		}
		g.who = c.who()
		return c.authorize(ctx, access.NoteCreate, sub.Owner())
	}); err != nil {
		return llm.Draft{}, Loaded{}, g, err
	}
	tpl, err := a.template(req.Template)
	if err != nil {
		return llm.Draft{}, Loaded{}, g, err
	}
	eng, l, err := a.engine(ctx, req.ModelFile)
	if err != nil {
		return llm.Draft{}, Loaded{}, g, err
	}
	g.drafted = true
	if req.Loaded != nil {
		req.Loaded(l)
	}
	m := &a.models
	start := time.Now()
	// The first section's prompt is the long wait; the later ones are read from the
	// cache in a moment. Progress runs on the inference thread: no locks there.
	read := false
	maxTokens := req.MaxTokens
	if maxTokens <= 0 {
		maxTokens = 256
	}
	sampling := llm.Sampling{MaxTokens: maxTokens, RepeatPenalty: 1.1, Progress: func(done, total int) {
		switch {
		case read:
		case done < total:
			m.reading.Store(math.Float64bits(max(float64(done)/float64(total), 0.01)))
		default:
			read = true
			m.reading.Store(0)
		}
	}}
	defer m.reading.Store(0)
	var d llm.Draft
	if req.JSON {
		// maxTokens tokens of English are about 4x as many characters.
		sampling.MaxTokens = 0
		d, err = llm.WriteJSON(ctx, eng, tpl, req.Source, sampling, 4*maxTokens, emit)
	} else {
		d, err = llm.Write(ctx, eng, tpl, req.Source, sampling, emit)
	}
	if errors.Is(err, llm.ErrEngineFailed) {
		// It refuses every request from now on: the next draft loads the model again.
		a.retireModel()
	}
	m.mu.Lock()
	if d.Tokens > 0 {
		m.rate = float64(d.Tokens) / time.Since(start).Seconds()
	}
	if err == nil {
		if m.drafts == nil {
			m.drafts = map[string]string{}
		}
		m.drafts[d.TextSHA256] = l.SHA256
	}
	m.mu.Unlock()
	return d, l, g, err
}

// draftModel is the digest of the model that wrote the draft with this hash in this
// App's life (the model in use may have changed since); "" if none did.
func (a *App) draftModel(draftSHA256 string) string {
	a.models.mu.Lock()
	defer a.models.mu.Unlock()
	return a.models.drafts[draftSHA256]
}

// draftDetails is what an ai.draft record says of a draft: hashes and counts, never text.
func draftDetails(l Loaded, req DraftRequest, d llm.Draft) map[string]string {
	format := "sections"
	if req.JSON {
		format = "json"
	}
	return map[string]string{"model_sha256": l.SHA256, "template": req.Template, "prompt_sha256": d.PromptSHA256,
		"output_sha256": d.TextSHA256, "tokens_in": fmt.Sprint(d.PromptTokens), "tokens_out": fmt.Sprint(d.Tokens),
		"ungrounded": fmt.Sprint(len(d.Ungrounded)), "test_model": fmt.Sprint(l.TestModel), "format": format}
}

// ModelStatus is what the status bar shows of the model.
type ModelStatus struct {
	Model        string // "" while none is loaded
	Device       string
	TokensPerSec float64
	// Loading is the fraction of a model load done while one is in progress, else 0.
	Loading float64
	// Reading is the fraction of a draft's prompt read before the first token, else 0.
	Reading float64
}

// ModelStatus is the model's state now; it never waits for a draft or a load.
func (a *App) ModelStatus() ModelStatus {
	m := &a.models
	m.mu.Lock()
	defer m.mu.Unlock()
	st := ModelStatus{Loading: m.loading, Reading: math.Float64frombits(m.reading.Load())}
	if m.engine != nil {
		info := m.engine.Info()
		st.Model, st.Device, st.TokensPerSec = info.Model, info.Device, m.rate
	}
	return st
}
