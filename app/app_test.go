package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/llm/llamacpp"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/models/modelstest"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// memKeychain is an in-memory keychain: these tests need no D-Bus.
type memKeychain struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKeychain) Get(_ context.Context, account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[account]
	if !ok {
		return "", vault.ErrKeyMissing
	}
	return v, nil
}

func (k *memKeychain) Set(_ context.Context, account, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[account] = secret
	return nil
}

func (k *memKeychain) Delete(_ context.Context, account string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, account)
	return nil
}

// fakeEngine writes a fixed SOAP section for every prompt: a dose and a drug the
// source does not hold, so that grounding flags them.
type fakeEngine struct{}

func (fakeEngine) Generate(ctx context.Context, prompt string, p llm.Sampling, emit func(string) error) (llm.Result, error) {
	for _, piece := range []string{"Cough for three days. ", "Start amoxicillin ", "875 mg twice daily."} {
		if err := ctx.Err(); err != nil {
			return llm.Result{StopReason: "cancelled"}, err
		}
		if err := emit(piece); err != nil {
			return llm.Result{}, err
		}
	}
	return llm.Result{PromptTokens: 10, Tokens: 3, StopReason: "eog"}, nil
}
func (fakeEngine) Chat([]llm.Message) (string, error) { return "", llm.ErrNoChatTemplate }
func (fakeEngine) Info() llm.Info                     { return llm.Info{Model: "fake", Device: "CPU", Threads: 1} }
func (fakeEngine) Close() error                       { return nil }

// failingJournal fails the seal whose number (from 1) failAt holds; 0 fails none.
type failingJournal struct {
	vault.Journal
	seals, failAt *atomic.Int64
}

var errJournal = errors.New("injected journal failure")

func (j failingJournal) Seal(seq uint64, hash string, entries []audit.Entry) ([]audit.Stored, audit.Head, error) {
	if n := j.seals.Add(1); n == j.failAt.Load() {
		return nil, audit.Head{}, errJournal
	}
	return j.Journal.Seal(seq, hash, entries)
}

const pw = "synthetic-password-1"

// synthSource is a synthetic dictation: no real patient.
const synthSource = "Patient reports a dry cough for three days with a mild fever and a sore throat, no chest pain."

// fixture is a profile with an admin, two physicians, a scribe approved by the first,
// and an auditor; one App, signed in as whoever a step needs.
type fixture struct {
	t             *testing.T
	a             *app.App
	ctx           context.Context
	machine       string
	kc            *memKeychain
	identity      *age.X25519Identity
	seals, failAt atomic.Int64
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, nil) }

// newFixtureWith is newFixture with the App's Config changed by opt.
func newFixtureWith(t *testing.T, opt func(*app.Config)) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{t: t, ctx: context.Background(), machine: filepath.Join(root, "policy.json"), kc: &memKeychain{m: map[string]string{}}}
	models := filepath.Join(root, "models")
	os.MkdirAll(models, 0o700)
	model, err := os.ReadFile(modelstest.Path(t))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(models, "test.gguf"), model, 0o600)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	f.identity = id
	f.setPolicy(map[string]any{"models_folder": models, "allow_offline_shred": true, "recovery_recipient": id.Recipient().String()})
	cfg := app.Config{
		Profile:        filepath.Join(root, "profile"),
		Keychain:       f.kc,
		Sources:        &policy.Sources{MachineFile: f.machine, UserFile: filepath.Join(root, "profile", "prefs.json")},
		LoadEngine:     func(string, llamacpp.Options) (llm.Engine, error) { return fakeEngine{}, nil },
		IsOSAdmin:      func() bool { return true },
		OSUser:         func() string { return "root" },
		PasswordParams: access.Params{MemoryKiB: 64, Time: 1, Threads: 1},
		WrapJournal: func(j vault.Journal) vault.Journal {
			return failingJournal{Journal: j, seals: &f.seals, failAt: &f.failAt}
		},
	}
	if opt != nil {
		opt(&cfg)
	}
	a, err := app.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.OpenVault(f.ctx, true); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	f.a = a
	f.must(a.AddUser(f.ctx, access.NewUser{Username: "it.admin", Role: access.Admin, Password: pw}, access.Bootstrap{}))
	f.as("it.admin")
	f.must(a.AddUser(f.ctx, access.NewUser{Username: "dr.a", Role: access.Physician, Password: pw}, access.Bootstrap{}))
	f.must(a.AddUser(f.ctx, access.NewUser{Username: "dr.b", Role: access.Physician, Password: pw}, access.Bootstrap{}))
	f.must(a.AddUser(f.ctx, access.NewUser{Username: "s.scribe", Role: access.Scribe, Password: pw, ActingFor: "dr.a"}, access.Bootstrap{}))
	f.must(a.AddUser(f.ctx, access.NewUser{Username: "x.leaver", Role: access.Physician, Password: pw}, access.Bootstrap{}))
	f.must(a.AddUser(f.ctx, access.NewUser{Username: "a.auditor", Role: access.Auditor, Password: pw}, access.Bootstrap{}))
	// The scribe signs in once (making their key), then dr.a approves them.
	f.as("s.scribe")
	f.as("dr.a")
	if err := a.ApproveScribe(f.ctx, "s.scribe", pw, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) must(_ access.User, _ string, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) setPolicy(p map[string]any) {
	b, _ := json.Marshal(p)
	if err := os.WriteFile(f.machine, b, 0o644); err != nil {
		f.t.Fatal(err)
	}
	if f.a != nil {
		if err := f.a.ReloadPolicy(); err != nil {
			f.t.Fatal(err)
		}
	}
}

// policy is the machine policy in force, to change and set again.
func (f *fixture) policy() map[string]any {
	p := map[string]any{}
	b, err := os.ReadFile(f.machine)
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) as(name string) {
	f.t.Helper()
	if _, err := f.a.SignIn(f.ctx, name, pw, ""); err != nil {
		f.t.Fatalf("sign in as %s: %v", name, err)
	}
}

// draft makes a draft note of dr.a's, and signed makes a signed one.
func (f *fixture) draft() string {
	f.t.Helper()
	f.as("dr.a")
	n, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-1", Title: "Synthetic visit", Body: "Cough for three days."})
	if err != nil {
		f.t.Fatal(err)
	}
	return n.ID
}

func (f *fixture) signed() string {
	f.t.Helper()
	id := f.draft()
	if err := f.a.SignNote(f.ctx, id, nil); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// state is what a use case may change, as text: notes with bodies and addenda, users
// with their standing. Sessions (last activity) are left out.
func (f *fixture) state() string {
	f.t.Helper()
	v := f.a.VaultForTest()
	var b strings.Builder
	notes, err := v.Notes(f.ctx, vault.Filter{})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, n := range notes {
		full, err := v.Note(f.ctx, n.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		// A sealed note's text does not open here; its change time tells an edit.
		fmt.Fprintf(&b, "%s %s %q %q %s %v %d %v %v\n", full.ID, full.Status, full.Title, full.Body, full.Owner, full.Exported, len(full.Addenda), full.Sealed, full.Updated)
	}
	users, _ := v.Users(f.ctx)
	for _, u := range users {
		fmt.Fprintf(&b, "%s %s %v %s %s %d\n", u.Username, u.Role, u.Disabled, u.ActingFor, u.PendingFor, u.Lockouts)
	}
	return b.String()
}

// records are this device's journal records, decoded.
func (f *fixture) records() []audit.Record {
	f.t.Helper()
	v := f.a.VaultForTest()
	stored, err := v.AuditRecords(f.ctx, f.a.Device(), 0, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]audit.Record, len(stored))
	for i, s := range stored {
		if out[i], err = audit.Decode(s.Line); err != nil {
			f.t.Fatal(err)
		}
	}
	return out
}

// useCase is one use case as a role would try it: prepare makes what it acts on (as
// dr.a), run runs it as the signed-in user.
type useCase struct {
	name     string
	recorded audit.Action // what an allowed run records
	prepare  func(f *fixture) string
	run      func(f *fixture, id string) error
	allowed  []string // the users it is allowed for
	// changes: an allowed run changes notes or users (a view or a listing does not).
	changes bool
}

var useCases = []useCase{
	{name: "list notes", recorded: audit.NoteList, allowed: []string{"dr.a", "dr.b", "s.scribe"},
		run: func(f *fixture, _ string) error { _, err := f.a.ListNotes(f.ctx, 0); return err }},
	{name: "search notes", recorded: audit.NoteSearch, allowed: []string{"dr.a", "dr.b", "s.scribe"},
		run: func(f *fixture, _ string) error { _, err := f.a.SearchNotes(f.ctx, "cough", 0); return err }},
	{name: "view a note", recorded: audit.NoteView, allowed: []string{"dr.a", "s.scribe"}, prepare: (*fixture).draft,
		run: func(f *fixture, id string) error { _, err := f.a.ViewNote(f.ctx, id); return err }},
	{name: "create a note", recorded: audit.NoteCreate, allowed: []string{"dr.a", "dr.b", "s.scribe"}, changes: true,
		run: func(f *fixture, _ string) error {
			_, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-2", Title: "New", Body: "x"})
			return err
		}},
	{name: "edit a draft", recorded: audit.NoteEdit, allowed: []string{"dr.a", "s.scribe"}, changes: true, prepare: (*fixture).draft,
		run: func(f *fixture, id string) error { return f.a.EditNote(f.ctx, id, "", "Edited text.", nil) }},
	{name: "sign a draft", recorded: audit.NoteSign, allowed: []string{"dr.a"}, changes: true, prepare: (*fixture).draft,
		run: func(f *fixture, id string) error { return f.a.SignNote(f.ctx, id, nil) }},
	{name: "add an addendum", recorded: audit.NoteAddendum, allowed: []string{"dr.a"}, changes: true, prepare: (*fixture).signed,
		run: func(f *fixture, id string) error {
			_, err := f.a.AddAddendum(f.ctx, id, "Synthetic correction.")
			return err
		}},
	{name: "delete a draft", recorded: audit.NoteDelete, allowed: []string{"dr.a", "s.scribe"}, changes: true, prepare: (*fixture).draft,
		run: func(f *fixture, id string) error { return f.a.DeleteDraft(f.ctx, id) }},
	{name: "copy a signed note for the EHR", recorded: audit.NoteExport, allowed: []string{"dr.a"}, prepare: (*fixture).signed,
		run: func(f *fixture, id string) error {
			_, err := f.a.ReleaseNote(f.ctx, id, app.ReleaseClipboard)
			return err
		}},
	{name: "export a signed note as FHIR", recorded: audit.NoteExport, allowed: []string{"dr.a"}, prepare: (*fixture).signed,
		run: func(f *fixture, id string) error { _, err := f.a.ReleaseNote(f.ctx, id, app.ReleaseFHIR); return err }},
	{name: "export a signed note de-identified", recorded: audit.NoteExportDeidentified, allowed: []string{"dr.a"},
		prepare: func(f *fixture) string {
			p := f.policy()
			p["export_formats"] = []string{"clipboard", "fhir", "deidentified"}
			f.setPolicy(p)
			return f.signed()
		},
		run: func(f *fixture, id string) error {
			_, err := f.a.ReleaseNote(f.ctx, id, app.ReleaseDeidentified)
			return err
		}},
	{name: "mark a note exported", recorded: audit.NoteExport, allowed: []string{"dr.a"}, changes: true, prepare: (*fixture).signed,
		run: func(f *fixture, id string) error { return f.a.MarkExported(f.ctx, id, 0) }},
	{name: "draft with the model", recorded: audit.DraftGenerated, allowed: []string{"dr.a", "dr.b", "s.scribe"},
		run: func(f *fixture, _ string) error {
			_, _, err := f.a.Draft(f.ctx, app.DraftRequest{Template: "soap", Source: synthSource}, func(string) error { return nil })
			return err
		}},
	{name: "draft a note from the command line", recorded: audit.NoteCreate, allowed: []string{"dr.a", "dr.b", "s.scribe"}, changes: true,
		run: func(f *fixture, _ string) error {
			_, _, err := f.a.DraftNote(f.ctx, app.DraftRequest{Template: "soap", Source: synthSource}, "SYN-MRN-3", func(string) error { return nil })
			return err
		}},
	{name: "take emergency access", recorded: audit.Action(access.EventBreakGlass), allowed: []string{"dr.a", "dr.b"},
		run: func(f *fixture, _ string) error {
			_, err := f.a.BreakGlass(f.ctx, "Synthetic emergency, covering a colleague")
			return err
		}},
	{name: "list users", allowed: []string{"it.admin"},
		run: func(f *fixture, _ string) error { _, err := f.a.Users(f.ctx); return err }},
	{name: "disable a user", recorded: audit.Action(access.EventUserDisabled), allowed: []string{"it.admin"}, changes: true,
		run: func(f *fixture, _ string) error { return f.a.DisableUser(f.ctx, "x.leaver") }},
	{name: "reset a user's TOTP", recorded: audit.Action(access.EventTOTPReset), allowed: []string{"it.admin"},
		run: func(f *fixture, _ string) error { _, err := f.a.ResetTOTP(f.ctx, "x.leaver"); return err }},
	{name: "unlock a user", recorded: audit.Action(access.EventUserUnlocked), allowed: []string{"it.admin"},
		run: func(f *fixture, _ string) error { return f.a.UnlockUser(f.ctx, "x.leaver") }},
	{name: "reassign an old owner's notes", recorded: audit.NotesReassigned, allowed: []string{"it.admin"},
		run: func(f *fixture, _ string) error {
			_, err := f.a.ReassignNotes(f.ctx, "old-os-account", "dr.a")
			return err
		}},
	{name: "verify the audit chain", allowed: []string{"it.admin", "a.auditor"},
		run: func(f *fixture, _ string) error { _, bad, err := f.a.VerifyChains(f.ctx); return errors.Join(bad, err) }},
	{name: "read the newest records", allowed: []string{"it.admin", "a.auditor"},
		run: func(f *fixture, _ string) error { _, err := f.a.RecentRecords(f.ctx, 10); return err }},
	{name: "check the vault", allowed: []string{"it.admin", "a.auditor"},
		run: func(f *fixture, _ string) error { _, err := f.a.CheckVault(f.ctx); return err }},
	{name: "back up the vault", recorded: audit.Backup, allowed: []string{"it.admin"},
		run: func(f *fixture, _ string) error {
			_, err := f.a.Backup(f.ctx, filepath.Join(f.t.TempDir(), "b.vbk"), nil)
			return err
		}},
	{name: "purge by retention", recorded: audit.Purge, allowed: []string{"it.admin"},
		run: func(f *fixture, _ string) error { _, _, err := f.a.Purge(f.ctx, vault.Retention{}); return err }},
}

var everyone = []string{"dr.a", "dr.b", "s.scribe", "a.auditor", "it.admin"}

// TestEachRoleAtEachUseCase: allowed or denied as the permissions say; an allowed use
// case is recorded; a denied one records its denial and changes nothing.
func TestEachRoleAtEachUseCase(t *testing.T) {
	f := newFixture(t)
	for _, uc := range useCases {
		for _, who := range everyone {
			allowed := slices.Contains(uc.allowed, who)
			verdict := "is refused and changes nothing"
			if allowed {
				verdict = "is allowed and recorded"
			}
			t.Run(uc.name+" by "+who+" "+verdict, func(t *testing.T) {
				f.t = t
				id := ""
				if uc.prepare != nil {
					id = uc.prepare(f)
				}
				f.as(who)
				before, recs := f.state(), len(f.records())
				err := uc.run(f, id)
				after, got := f.state(), f.records()[recs:]
				if !allowed {
					if !errors.Is(err, access.ErrDenied) {
						t.Fatalf("err = %v, want a denial", err)
					}
					if after != before {
						t.Fatalf("a refused use case changed the vault:\nbefore %s\nafter  %s", before, after)
					}
					if !slices.ContainsFunc(got, func(r audit.Record) bool { return r.Outcome == audit.DeniedOutcome }) {
						t.Fatalf("the denial was not recorded: %+v", got)
					}
					return
				}
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if uc.changes && after == before {
					t.Fatal("an allowed change changed nothing")
				}
				if uc.recorded != "" && !slices.ContainsFunc(got, func(r audit.Record) bool { return r.Action == uc.recorded && r.Outcome == audit.OK }) {
					t.Fatalf("no %s record among %+v", uc.recorded, got)
				}
			})
		}
	}
}

// TestAJournalFailureLeavesNoChange makes the journal fail at each of a use case's
// writes in turn: the caller gets the error, and no change stays without its record.
func TestAJournalFailureLeavesNoChange(t *testing.T) {
	f := newFixture(t)
	for _, uc := range useCases {
		who := uc.allowed[0]
		// Count the writes of a run that succeeds, after a first run that loads the
		// model (TestAFailedModelLoadRecord covers that write).
		var writes int64
		for range 2 {
			id := ""
			if uc.prepare != nil {
				id = uc.prepare(f)
			}
			f.as(who)
			f.failAt.Store(0)
			start := f.seals.Load()
			f.t = t
			if err := uc.run(f, id); err != nil {
				t.Fatalf("%s: %v", uc.name, err)
			}
			writes = f.seals.Load() - start
		}
		if uc.recorded != "" && writes == 0 {
			t.Fatalf("%s recorded without a write", uc.name)
		}
		for k := int64(1); k <= writes; k++ {
			t.Run(fmt.Sprintf("%s with write %d of %d failing", uc.name, k, writes), func(t *testing.T) {
				f.t = t
				id := ""
				if uc.prepare != nil {
					id = uc.prepare(f)
				}
				f.as(who)
				before, recs := f.state(), len(f.records())
				f.failAt.Store(f.seals.Load() + k)
				err := uc.run(f, id)
				f.failAt.Store(0)
				if !errors.Is(err, errJournal) {
					t.Fatalf("err = %v, want the journal's failure", err)
				}
				if after := f.state(); after != before {
					t.Fatalf("a change was stored without its record:\nbefore %s\nafter  %s", before, after)
				}
				for _, r := range f.records()[recs:] {
					// An intent recorded before a step that cannot share the
					// transaction (a backup's file) may stay: it claims no change.
					if r.Action == uc.recorded && r.Details["phase"] != "starting" {
						t.Fatalf("the failed use case left its record %+v", r)
					}
				}
			})
		}
	}
}

// TestAFailedModelLoadRecord: a model load whose record cannot be written fails, and
// the model is not kept loaded unrecorded.
func TestAFailedModelLoadRecord(t *testing.T) {
	f := newFixture(t)
	f.as("dr.a")
	recs := len(f.records())
	// The draft's first write is the load's record (asking whether the user may draft
	// writes nothing when they may).
	f.failAt.Store(f.seals.Load() + 1)
	_, _, err := f.a.Draft(f.ctx, app.DraftRequest{Template: "soap", Source: synthSource}, func(string) error { return nil })
	f.failAt.Store(0)
	if !errors.Is(err, errJournal) {
		t.Fatalf("err = %v", err)
	}
	if st := f.a.ModelStatus(); st.Model != "" {
		t.Fatalf("a model stayed loaded without its record: %+v", st)
	}
	for _, r := range f.records()[recs:] {
		if r.Action == audit.ModelLoad || r.Action == audit.DraftGenerated {
			t.Fatalf("recorded %s", r.Action)
		}
	}
}

// brokenEngine fails as the llama.cpp engine does once llama.cpp has thrown.
type brokenEngine struct{ fakeEngine }

func (brokenEngine) Generate(context.Context, string, llm.Sampling, func(string) error) (llm.Result, error) {
	return llm.Result{}, fmt.Errorf("%w (llama.cpp: failed to allocate compute buffers)", llm.ErrEngineFailed)
}

// TestAFailedEngineIsLoadedAgain: an engine that has failed for good is not kept: the
// draft says so, and the next draft loads the model again and works.
func TestAFailedEngineIsLoadedAgain(t *testing.T) {
	var loads atomic.Int64
	f := newFixtureWith(t, func(c *app.Config) {
		c.LoadEngine = func(string, llamacpp.Options) (llm.Engine, error) {
			if loads.Add(1) == 1 {
				return brokenEngine{}, nil
			}
			return fakeEngine{}, nil
		}
	})
	f.as("dr.a")
	draft := func() error {
		_, _, err := f.a.Draft(f.ctx, app.DraftRequest{Template: "soap", Source: synthSource}, func(string) error { return nil })
		return err
	}
	if err := draft(); !errors.Is(err, llm.ErrEngineFailed) {
		t.Fatalf("the failed engine's draft: %v", err)
	}
	if err := draft(); err != nil || loads.Load() != 2 {
		t.Fatalf("the next draft: %v, after %d loads", err, loads.Load())
	}
}

// TestTenInsertsBeforeOneSave: a save after ten drafts went into the note is stored
// and recorded with a bounded record, and signing credits the model.
func TestTenInsertsBeforeOneSave(t *testing.T) {
	f := newFixture(t)
	id := f.draft()
	var uses []app.DraftUse
	var body strings.Builder
	for i := range 10 {
		d, _, err := f.a.Draft(f.ctx, app.DraftRequest{Template: "soap", Source: fmt.Sprintf("Visit %d: %s", i, synthSource)}, func(string) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		// Each insert is the model's text with a word of its own, so that each draft
		// differs and its hash is its own.
		text := d.Text + fmt.Sprintf(" Visit %d.", i)
		uses = append(uses, app.DraftUse{Template: "soap", DraftSHA256: d.TextSHA256, Text: text, Ungrounded: app.Claims(d.Ungrounded)})
		body.WriteString(text + "\n")
	}
	recs := len(f.records())
	if err := f.a.EditNote(f.ctx, id, "", body.String(), uses); err != nil {
		t.Fatalf("save after ten inserts: %v", err)
	}
	var edit audit.Record
	for _, r := range f.records()[recs:] {
		if r.Action == audit.NoteEdit {
			edit = r
		}
	}
	if edit.Details["drafts"] != "10" || len(edit.Details["drafts_sha256"]) != 64 {
		t.Fatalf("the edit's record: %+v", edit.Details)
	}
	for k, v := range edit.Details {
		if len(v) > 256 {
			t.Fatalf("detail %s is %d bytes", k, len(v))
		}
	}
	// Every insert holds the flagged dose: signing wants it acknowledged.
	var unack *app.ErrUnacknowledged
	if err := f.a.SignNote(f.ctx, id, nil); !errors.As(err, &unack) || len(unack.Claims) == 0 {
		t.Fatalf("signing without acknowledging = %v", err)
	}
	if r := f.records(); r[len(r)-1].Action != audit.NoteSign || r[len(r)-1].Outcome != audit.Failed {
		t.Fatalf("the refused signature was recorded as %+v", r[len(r)-1])
	}
	// Acknowledging as many claims, but others, signs nothing.
	others := make([]vault.Claim, len(unack.Claims))
	for i := range others {
		others[i] = vault.Claim{Kind: "dose", Text: fmt.Sprintf("%d mg", 1000+i)}
	}
	if err := f.a.SignNote(f.ctx, id, others); !errors.As(err, &unack) {
		t.Fatalf("signing with other claims acknowledged = %v", err)
	}
	if err := f.a.SignNote(f.ctx, id, unack.Claims); err != nil {
		t.Fatal(err)
	}
	n, err := f.a.ViewNote(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	model, _ := vault.ModelShare(n.Body, n.Provenance)
	if model == 0 || !strings.Contains(app.OriginSummary(n.Note), "from model "+app.TestModelSHA256[:12]) {
		t.Fatalf("the signed note credits the model with %d characters: %q", model, app.OriginSummary(n.Note))
	}
}

// TestDraftsOnlyLeaveSigned: each export format refuses a draft, and records no
// note.export.
func TestDraftsOnlyLeaveSigned(t *testing.T) {
	f := newFixture(t)
	for _, format := range []string{app.ReleaseClipboard, app.ReleaseFHIR} {
		t.Run(format, func(t *testing.T) {
			f.t = t
			id := f.draft()
			recs := len(f.records())
			if _, err := f.a.ReleaseNote(f.ctx, id, format); !errors.Is(err, app.ErrNotSigned) {
				t.Fatalf("a draft left as %s: %v", format, err)
			}
			for _, r := range f.records()[recs:] {
				if r.Action == audit.NoteExport {
					t.Fatalf("a refused export was recorded as one: %+v", r)
				}
			}
		})
	}
}

// TestPolicyAppliesToAccessLive: a change of break-glass duration and roles in
// machine policy applies to the next request of an App already running.
func TestPolicyAppliesToAccessLive(t *testing.T) {
	f := newFixture(t)
	f.as("a.auditor")
	if _, err := f.a.BreakGlass(f.ctx, "Synthetic emergency, covering a colleague"); !errors.Is(err, access.ErrDenied) {
		t.Fatalf("an auditor took emergency access under the default policy: %v", err)
	}
	f.setPolicy(map[string]any{"break_glass_roles": []string{"physician", "auditor"}, "break_glass_duration": "5m"})
	until, err := f.a.BreakGlass(f.ctx, "Synthetic emergency, covering a colleague")
	if err != nil {
		t.Fatalf("after policy allowed auditors: %v", err)
	}
	if d := time.Until(until); d > 6*time.Minute || d < 4*time.Minute {
		t.Fatalf("emergency access lasts %s, policy says 5m", d)
	}
}

// TestADisabledUsersOpenWindowIsRefused: the App signed in as a user an admin then
// disables (in another process, here the same vault) is refused at its next action.
func TestADisabledUsersOpenWindowIsRefused(t *testing.T) {
	f := newFixture(t)
	f.as("x.leaver")
	if _, err := f.a.ListNotes(f.ctx, 0); err != nil {
		t.Fatal(err)
	}
	// The admin's change, made through a second session on the same vault.
	v := f.a.VaultForTest()
	u, _ := v.UserByName(f.ctx, "x.leaver")
	u.Disabled = true
	if err := v.UpdateUser(f.ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.ListNotes(f.ctx, 0); !errors.Is(err, access.ErrDisabled) {
		t.Fatalf("a disabled user's open session listed notes: %v", err)
	}
	if _, err := f.a.ListNotes(f.ctx, 0); !errors.Is(err, access.ErrNoSession) {
		t.Fatalf("the session outlived the refusal: %v", err)
	}
	recs := f.records()
	if last := recs[len(recs)-1]; last.Action != audit.Action(access.EventSignOut) || last.Details["reason"] != "disabled" {
		t.Fatalf("the end of the session was recorded as %+v", last)
	}
}

// TestARefusedModelIsRecorded: a model file off the allowlist is refused and the
// refusal recorded, from the window's path and the command line's alike.
func TestARefusedModelIsRecorded(t *testing.T) {
	f := newFixture(t)
	f.setPolicy(map[string]any{"allow_test_model": false})
	f.as("dr.a")
	recs := len(f.records())
	_, _, err := f.a.Draft(f.ctx, app.DraftRequest{Template: "soap", Source: synthSource, ModelFile: modelstest.Path(t)}, func(string) error { return nil })
	if !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("err = %v", err)
	}
	got := f.records()[recs:]
	if len(got) != 1 || got[0].Action != audit.ModelLoad || got[0].Outcome != audit.DeniedOutcome {
		t.Fatalf("recorded %+v", got)
	}
}

// TestTheCommandLineSessionEndsWithItsTerminal: a session kept in one terminal session
// is not taken up from another; it is signed out, and that is recorded.
func TestTheCommandLineSessionEndsWithItsTerminal(t *testing.T) {
	f := newFixture(t)
	f.as("dr.a")
	if err := f.a.KeepCommandSession(f.ctx, "1234@99"); err != nil {
		t.Fatal(err)
	}
	if err := f.a.ResumeCommandSession(f.ctx, "1234@99"); err != nil {
		t.Fatalf("the same terminal: %v", err)
	}
	if _, err := f.a.ListNotes(f.ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.a.ResumeCommandSession(f.ctx, "5678@12"); !errors.Is(err, access.ErrNoSession) {
		t.Fatalf("another terminal took up the session: %v", err)
	}
	recs := f.records()
	if last := recs[len(recs)-1]; last.Action != audit.Action(access.EventSignOut) || last.Details["reason"] != "terminal session ended" {
		t.Fatalf("recorded %+v", last)
	}
	if err := f.a.ResumeCommandSession(f.ctx, "1234@99"); !errors.Is(err, access.ErrNoSession) {
		t.Fatalf("the ended session came back: %v", err)
	}
}

// TestTheAcceptableUseTextIsAcceptedFirst: where policy names a text, a user may do
// nothing before accepting it; acceptance is recorded with its hash; a changed text is
// asked again; refusal signs out.
func TestTheAcceptableUseTextIsAcceptedFirst(t *testing.T) {
	f := newFixture(t)
	text := filepath.Join(t.TempDir(), "aup.txt")
	os.WriteFile(text, []byte("Synthetic acceptable-use text, version 1."), 0o644)
	f.setPolicy(map[string]any{"acceptable_use_file": text})
	f.as("dr.a")
	if _, err := f.a.ListNotes(f.ctx, 0); !errors.Is(err, app.ErrUsePolicyPending) {
		t.Fatalf("acted before accepting: %v", err)
	}
	p, pending, err := f.a.PendingUsePolicy(f.ctx)
	if err != nil || !pending || !strings.Contains(p.Text, "version 1") {
		t.Fatalf("pending %v %v %+v", pending, err, p)
	}
	if err := f.a.AcceptUsePolicy(f.ctx, p.SHA256); err != nil {
		t.Fatal(err)
	}
	if r := f.records(); r[len(r)-1].Action != audit.Action(access.EventUsePolicyAccepted) || r[len(r)-1].Details["text_sha256"] != p.SHA256 {
		t.Fatalf("acceptance recorded as %+v", r[len(r)-1])
	}
	if _, err := f.a.ListNotes(f.ctx, 0); err != nil {
		t.Fatalf("after accepting: %v", err)
	}
	os.WriteFile(text, []byte("Synthetic acceptable-use text, version 2."), 0o644)
	if _, err := f.a.ListNotes(f.ctx, 0); !errors.Is(err, app.ErrUsePolicyPending) {
		t.Fatalf("a changed text was not asked again: %v", err)
	}
	if err := f.a.RefuseUsePolicy(f.ctx); err != nil {
		t.Fatal(err)
	}
	if f.a.Signed() {
		t.Fatal("refusing left the user signed in")
	}
	os.Remove(text)
	f.as("dr.b")
	if _, err := f.a.ListNotes(f.ctx, 0); !errors.Is(err, app.ErrUsePolicyUnreadable) {
		t.Fatalf("an unreadable text let the user act: %v", err)
	}
}

// TestARestoreBelievesOnlyTrustedSigners: a backup another workstation signed is
// refused, changing nothing, until the admin names its device; this vault's own
// backups are believed.
func TestARestoreBelievesOnlyTrustedSigners(t *testing.T) {
	src, dst := newFixture(t), newFixture(t)
	src.draft()
	src.as("it.admin")
	path := filepath.Join(t.TempDir(), "b.vbk")
	info, err := src.a.Backup(src.ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	restore := func(f *fixture, trust app.RestoreTrust) (vault.RestoreResult, error) {
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		return f.a.Restore(f.ctx, file, []age.Identity{src.identity}, trust)
	}
	dst.as("it.admin")
	before := dst.state()
	if _, err := restore(dst, app.RestoreTrust{}); !errors.Is(err, app.ErrUntrustedBackup) {
		t.Fatalf("another workstation's backup: %v", err)
	}
	if dst.state() != before {
		t.Fatal("an untrusted backup changed the vault")
	}
	if _, err := restore(dst, app.RestoreTrust{Unsigned: true}); !errors.Is(err, app.ErrUntrustedBackup) {
		t.Fatalf("a signed backup passed as unsigned: %v", err)
	}
	res, err := restore(dst, app.RestoreTrust{Signers: []string{src.a.Device()}})
	if err != nil || res.Added != 1 || res.Signer != info.Signer {
		t.Fatalf("with its device named: %+v, %v", res, err)
	}
	if res, err := restore(src, app.RestoreTrust{}); err != nil || res.Unchanged != 1 {
		t.Fatalf("this vault's own backup: %+v, %v", res, err)
	}
}
