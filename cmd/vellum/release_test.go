package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAddendaAndFHIRExportThroughTheCLI: a signed note changes only by addenda, which
// travel with it to the EHR; the export is policy-gated, audited, and written for its
// owner alone.
func TestAddendaAndFHIRExportThroughTheCLI(t *testing.T) {
	s := newSandbox(t)
	s.setup()
	id := strings.TrimSpace(s.ok("", "notes", "add", "--title", "Progress note", "--patient", "SYN-7", "--body", "Synthetic: stable, continue plan.").stdout)
	if r := s.run("Too early.", "notes", "addendum", id); r.code != 1 || !strings.Contains(r.stderr, "not signed") {
		t.Fatalf("addendum to a draft: exit %d, %s", r.code, r.stderr)
	}
	if r := s.run("", "notes", "export", id); r.code != 1 || !strings.Contains(r.stderr, "sign the note first") {
		t.Fatalf("export of a draft: exit %d, %s", r.code, r.stderr)
	}
	s.ok("", "notes", "sign", id)
	s.ok("Correction: review in one week, not two.\n", "notes", "addendum", id)
	if out := s.ok("", "notes", "show", id).stdout; !strings.Contains(out, "Addendum a_") || !strings.Contains(out, "review in one week") || !strings.Contains(out, "by "+docName) {
		t.Fatalf("notes show:\n%s", out)
	}

	out := filepath.Join(s.tmp, "note.fhir.json")
	s.ok("", "notes", "export", "--out", out, id)
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v, %v", fi, err)
	}
	b, _ := os.ReadFile(out)
	var doc struct {
		ResourceType string
		DocStatus    string
		Subject      struct{ Identifier struct{ Value string } }
		Content      []struct{ Attachment struct{ Data string } }
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Content) != 1 {
		t.Fatalf("export: %v\n%s", err, b)
	}
	text, _ := base64.StdEncoding.DecodeString(doc.Content[0].Attachment.Data)
	if doc.ResourceType != "DocumentReference" || doc.DocStatus != "amended" || doc.Subject.Identifier.Value != "SYN-7" ||
		!strings.HasPrefix(string(text), "Synthetic: stable") || !strings.Contains(string(text), "Addendum, ") || !strings.Contains(string(text), "Dr Test") {
		t.Fatalf("exported %+v with text:\n%s", doc, text)
	}
	// To stdout as well, for interface engines that read a pipe.
	if r := s.ok("", "notes", "export", id); !strings.Contains(r.stdout, `"resourceType": "DocumentReference"`) {
		t.Fatalf("export to stdout:\n%s", r.stdout)
	}

	// De-identified, for teaching: refused until policy lists it; then text with the
	// record's own identifiers (the MRN, the signer) replaced.
	if r := s.run("", "notes", "export", "--deidentified", id); r.code != 1 || !strings.Contains(r.stderr, "export_formats") {
		t.Fatalf("a de-identified export under the default policy: exit %d, %s", r.code, r.stderr)
	}
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"export_formats": ["fhir", "deidentified"]}`), 0o644)
	teaching := s.ok("", "notes", "export", "--deidentified", id).stdout
	if !strings.HasPrefix(teaching, "[De-identified copy") || !strings.Contains(teaching, "Progress note\n\nSynthetic: stable") || strings.Contains(teaching, "Dr Test") || strings.Contains(teaching, docName) ||
		!strings.Contains(teaching, "review in one week") {
		t.Fatalf("de-identified:\n%s", teaching)
	}

	// Policy decides which ways out exist.
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"export_formats": ["clipboard"]}`), 0o644)
	if r := s.run("", "notes", "export", id); r.code != 1 || !strings.Contains(r.stderr, "export_formats") {
		t.Fatalf("export against policy: exit %d, %s", r.code, r.stderr)
	}

	var addenda, exports, teachingExports int
	for _, r := range s.auditRecords(adminName) {
		details, _ := r["det"].(map[string]any)
		switch r["act"] {
		case "note.addendum":
			addenda++
			if details["addendum_sha256"] == nil {
				t.Errorf("note.addendum without the addendum's hash: %v", r)
			}
		case "note.export_deidentified":
			if details["ids.name"] != nil && details["released_sha256"] != nil {
				teachingExports++
			}
		case "note.export":
			if details["format"] == "fhir" && details["released_sha256"] != nil && details["addenda"] == "1" {
				exports++
			}
		}
	}
	if addenda != 1 || exports != 2 || teachingExports != 1 {
		t.Fatalf("audit: %d note.addendum, %d fhir note.export, %d note.export_deidentified records; want 1, 2 and 1", addenda, exports, teachingExports)
	}
}
