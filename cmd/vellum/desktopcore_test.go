package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/vellumhealth/vellum/models/modelstest"
	"github.com/vellumhealth/vellum/models/synth"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/ui"
)

// TestDesktopCoreDraftsWithAGeneratedModel runs the window's Core in this process,
// headless (fyne/test), on a generated Llama-3-architecture model (random weights,
// the Llama 3 tokenizer and chat template) from the managed folder and the allowlist:
// sign in, a new note, a streamed draft, Stop mid-stream, a whole draft saved with
// its provenance, signed; the note credits the model, and every step is recorded.
func TestDesktopCoreDraftsWithAGeneratedModel(t *testing.T) {
	vocab := modelstest.LlamaVocab(t)
	folder := t.TempDir()
	model := filepath.Join(folder, "synth-tiny.gguf")
	if err := synth.WriteFile(model, synth.Tiny, vocab, 1); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(model)
	sum := sha256.Sum256(b)
	digest := hex.EncodeToString(sum[:])

	s := newSandbox(t)
	s.setup()
	s.run("", "logout")
	// This process is not built with vellumtest: its policy comes from explicit sources.
	machine := filepath.Join(s.policy, "policy.json")
	pol, _ := json.Marshal(map[string]any{"models_folder": folder, "model_allowlist": []string{digest}, "allow_test_model": false})
	os.WriteFile(machine, pol, 0o644)
	for k, v := range map[string]string{"HOME": s.home, "TMPDIR": s.tmp, "XDG_CACHE_HOME": s.cache, "XDG_CONFIG_HOME": filepath.Join(s.home, ".config")} {
		t.Setenv(k, v)
	}
	var stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, profile: s.profile,
		sources: &policy.Sources{OSFile: machine, UserFile: filepath.Join(s.profile, "prefs.json")}}
	ctx := context.Background()
	a, err := e.openVault(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			e.closeVault()
		}
	}()
	core := &desktopCore{app: a, stderr: &stderr}
	w := ui.New(test.NewApp(), core, time.Now)
	core.w = w

	if _, err := core.SignIn(ctx, docName, testPW, ""); err != nil {
		t.Fatal(err)
	}
	n, err := core.NewNote(ctx, "SYN-MRN-90", "Generated-model note")
	if err != nil {
		t.Fatal(err)
	}
	source := "Patient reports three days of cough and fever, temp 38.2, lungs clear, plan fluids and rest."

	// Stop mid-stream: the draft ends with the context's error within a token.
	stopCtx, stop := context.WithCancel(ctx)
	pieces := 0
	if _, err := core.Draft(stopCtx, "soap", source, func(string) {
		if pieces++; pieces == 5 {
			stop()
		}
	}); err == nil || stopCtx.Err() == nil {
		t.Fatalf("a stopped draft ended with %v", err)
	}
	if st := core.Status(); st.Model == "" || st.Device != "CPU" {
		t.Fatalf("status names no model: %+v", st)
	}

	var streamed strings.Builder
	d, err := core.Draft(ctx, "soap", source, func(p string) { streamed.WriteString(p) })
	if err != nil {
		t.Fatal(err)
	}
	if d.Text == "" || !strings.Contains(d.Text, "## Subjective") || streamed.Len() == 0 {
		t.Fatalf("draft %q, streamed %d bytes", d.Text, streamed.Len())
	}
	if err := core.SaveNote(ctx, n.ID, d.Text, []ui.Provenance{{Template: "soap", DraftSHA256: d.TextSHA256, Text: d.Text, Ungrounded: d.Ungrounded}}); err != nil {
		t.Fatal(err)
	}
	if err := core.SignNote(ctx, n.ID, d.Ungrounded); err != nil {
		t.Fatal(err)
	}
	signed, err := core.Note(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(signed.Origin, "100% from model "+digest[:12]+" (soap)") {
		t.Fatalf("the signed note's origin: %q", signed.Origin)
	}

	// Export FHIR: the Core writes the file, whole, for its owner alone.
	path, err := core.ExportFHIR(ctx, n.ID, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export %s: %v, %v", path, fi, err)
	}
	if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte(`"resourceType": "DocumentReference"`)) {
		t.Fatalf("export holds:\n%s", b)
	}

	// Every step is in the journal: the load (ok, with the digest), both drafts' ends,
	// the save with the model's digest, the signature with the shares.
	e.closeVault()
	closed = true
	seen := map[string]bool{}
	for _, r := range s.auditRecords(adminName) {
		b, _ := json.Marshal(r)
		var rec struct {
			Act string            `json:"act"`
			Det map[string]string `json:"det"`
			Obj struct{ ID string }
		}
		json.Unmarshal(b, &rec)
		switch {
		case rec.Act == "ai.model_load" && rec.Obj.ID == digest:
			seen["load"] = true
		case rec.Act == "ai.draft" && rec.Det["model_sha256"] == digest:
			seen["draft"] = true
		case rec.Act == "note.edit" && rec.Det["drafts"] == "1" && rec.Det["models_sha256"] == listHashOf(digest):
			seen["save"] = true
		case rec.Act == "note.sign" && rec.Det["model_chars"] != "" && rec.Det["physician_chars"] == "0":
			seen["sign"] = true
		}
	}
	for _, k := range []string{"load", "draft", "save", "sign"} {
		if !seen[k] {
			t.Errorf("no %s record", k)
		}
	}
}

// listHashOf is the one hash a record keeps for a list (app's listHash): a count and
// one SHA-256 stand in for a list that can grow.
func listHashOf(items ...string) string {
	h := sha256.New()
	for _, s := range items {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}
