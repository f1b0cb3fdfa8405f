package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/models/modelstest"
)

func testModelPath(t *testing.T) string { return modelstest.Path(t) }

func TestModelsThroughTheCLI(t *testing.T) {
	src := testModelPath(t)
	b, _ := os.ReadFile(src)
	sum := sha256.Sum256(b)
	digest := hex.EncodeToString(sum[:])
	s := newSandbox(t)
	folder := filepath.Join(t.TempDir(), "models")
	write := func(allow []string) {
		p, _ := json.Marshal(map[string]any{"models_folder": folder, "model_allowlist": allow})
		os.WriteFile(filepath.Join(s.policy, "policy.json"), p, 0o644)
	}
	write([]string{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, src)
	}))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
	if r := s.run("", "models", "pull", srv.URL+"/stories260K.gguf", "--sha256", digest); r.code != 1 || !strings.Contains(r.stderr, "certificate") {
		t.Fatalf("pull from a server the system does not trust: exit %d\n%s", r.code, r.stderr)
	}
	if r := s.run("", "models", "pull", strings.Replace(srv.URL, "https", "http", 1)+"/stories260K.gguf", "--sha256", digest); r.code != 1 || !strings.Contains(r.stderr, "https") {
		t.Fatalf("pull over http: exit %d\n%s", r.code, r.stderr)
	}
	if r := s.run("", "models", "pull", srv.URL+"/stories260K.gguf", "--ca", ca, "--sha256", strings.Repeat("ab", 32)); r.code != 1 || !strings.Contains(r.stderr, "SHA-256 differs") {
		t.Fatalf("pull with a wrong digest: exit %d\n%s", r.code, r.stderr)
	}
	s.ok("", "models", "pull", srv.URL+"/stories260K.gguf", "--ca", ca, "--sha256", digest)
	if out := s.ok("", "models", "list").stdout; !strings.Contains(out, "refused") || !strings.Contains(out, "allowlist") {
		t.Fatalf("models list before allowing:\n%s", out)
	}
	write([]string{digest})
	var entries []map[string]any
	json.Unmarshal([]byte(s.ok("", "models", "list", "--json").stdout), &entries)
	if len(entries) != 1 || entries[0]["status"] != "allowed" || entries[0]["sha256"] != digest {
		t.Fatalf("models list --json: %v", entries)
	}
	if out := s.ok("", "models", "inspect", filepath.Join(folder, "stories260K.gguf")).stdout; !strings.Contains(out, "architecture:  llama") {
		t.Fatalf("inspect:\n%s", out)
	}
	os.WriteFile(filepath.Join(folder, "broken.gguf"), append([]byte("GGUF\x09\x00\x00\x00"), make([]byte, 16)...), 0o644)
	if r := s.run("", "models", "verify"); r.code != 1 || !strings.Contains(r.stderr, "broken.gguf is malformed") {
		t.Fatalf("verify with a broken file: exit %d\n%s", r.code, r.stderr)
	}
}

func TestDraftWithTheTestModel(t *testing.T) {
	src := testModelPath(t)
	s := newSandbox(t)
	s.setup()
	in := "Patient: SYN-MRN-5\n\nPatient reports three days of cough and fever, temp 38.2, lungs clear, plan fluids and paracetamol.\n"
	r := s.ok(in, "draft", "--template", "soap", "--model", src, "--max-tokens", "24")
	for _, h := range []string{"## Subjective", "## Objective", "## Assessment", "## Plan"} {
		if !strings.Contains(r.stdout, h) {
			t.Fatalf("draft lacks %s:\n%s", h, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "TEST MODEL") || !strings.Contains(r.stderr, "stored as draft") {
		t.Fatalf("stderr:\n%s", r.stderr)
	}
	if out := s.ok("", "notes", "list").stdout; !strings.Contains(out, "TEST MODEL, not clinical") {
		t.Fatalf("the draft was not stored, labelled:\n%s", out)
	}
	// The physician adds a line and signs: the signed note says how much is the
	// model's, which model and template, and how much the physician's.
	var notes []struct{ ID, Body string }
	json.Unmarshal([]byte(s.ok("", "notes", "list", "--json").stdout), &notes)
	full := s.ok("", "notes", "show", "--json", notes[0].ID).stdout
	var n struct{ Title, Body string }
	json.Unmarshal([]byte(full), &n)
	s.ok("Title: "+n.Title+"\n\n"+n.Body+"\nReviewed by the physician.\n", "notes", "edit", notes[0].ID, "--file", "-")
	// What the grounding check flagged in the draft and the note still holds must be
	// acknowledged: a refusal lists it, and names the way to sign.
	if r := s.run("", "notes", "sign", notes[0].ID); r.code != 0 {
		if !strings.Contains(r.stderr, "not in the source") || !strings.Contains(r.stderr, "--acknowledge-unsupported") {
			t.Fatalf("sign: exit %d\n%s", r.code, r.stderr)
		}
		s.ok("", "notes", "sign", "--acknowledge-unsupported", notes[0].ID)
	}
	if out := s.ok("", "notes", "show", notes[0].ID).stdout; !strings.Contains(out, "Origin: ") || !strings.Contains(out, "(soap); ") ||
		!strings.Contains(out, "characters written or changed by the physician") {
		t.Fatalf("a signed draft does not say where its text came from:\n%s", out)
	}
	// Engine settings come from policy; JSON-constrained drafting renders the same
	// headings.
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"inference_threads": 1, "inference_context": 2048}`), 0o644)
	r = s.ok(in, "draft", "--template", "soap", "--model", src, "--max-tokens", "24", "--format", "json")
	if !strings.Contains(r.stderr, "1 threads, context 2048") || !strings.Contains(r.stdout, `"Subjective"`) {
		t.Fatalf("json draft with policy's engine settings:\n%s\n%s", r.stdout, r.stderr)
	}
	if r := s.run(in, "draft", "--model", src, "--format", "yaml"); r.code != 2 {
		t.Fatalf("--format yaml: exit %d", r.code)
	}
	// A non-clinical source is refused before any inference.
	if r := s.run("Once upon a time there was a girl who loved the park very much.\n", "draft", "--model", src); r.code != 1 || !strings.Contains(r.stderr, "clinical") {
		t.Fatalf("non-clinical source: exit %d\n%s", r.code, r.stderr)
	}
	// IT can forbid even the test model.
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"allow_test_model": false}`), 0o644)
	if r := s.run(in, "draft", "--model", src); r.code != 1 || !strings.Contains(r.stderr, "allowlist") {
		t.Fatalf("the test model with allow_test_model false: exit %d\n%s", r.code, r.stderr)
	}
	os.Remove(filepath.Join(s.policy, "policy.json"))
	// A model off the allowlist is refused.
	other := filepath.Join(t.TempDir(), "other.gguf")
	b, _ := os.ReadFile(src)
	os.WriteFile(other, append(b, 0), 0o644) // a different digest
	if r := s.run(in, "draft", "--model", other); r.code != 1 || !strings.Contains(r.stderr, "allowlist") {
		t.Fatalf("a model off the allowlist: exit %d\n%s", r.code, r.stderr)
	}
	// The journal has the draft, with hashes and the model's digest, not the text.
	recs := s.auditRecords(adminName)
	var found bool
	loads := map[string]int{}
	for _, rec := range recs {
		switch rec["act"] {
		case "ai.draft":
			det := rec["det"].(map[string]any)
			found = det["model_sha256"] != "" && det["test_model"] == "true" && rec["pat"] == nil
		case "ai.model_load":
			loads[rec["out"].(string)]++
		}
	}
	if !found {
		t.Fatal("no ai.draft record with the model digest")
	}
	if loads["ok"] != 2 || loads["denied"] != 2 {
		t.Fatalf("model loads recorded: %v, want 2 ok and 2 denied", loads)
	}
	if all, _ := json.Marshal(recs); strings.Contains(string(all), "paracetamol") {
		t.Fatal("source text in the journal")
	}
}
