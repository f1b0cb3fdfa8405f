package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDeidRedactsAndReportsSpans: `vellum deid` writes the text with each identifier
// replaced by its type; --spans gives character offsets (not bytes) of the input,
// and --json the text, the spans and a count per type. Synthetic text only.
func TestDeidRedactsAndReportsSpans(t *testing.T) {
	s := newSandbox(t)
	in := "Patient: SYN-MRN-31\nDr. Zoë Brandt saw Mrs. Quenby on 03/14/2024; call 503-555-0142.\n"
	if out := s.ok(in, "deid").stdout; out != "Patient: [MRN]\nDr. [NAME] saw Mrs. [NAME] on [DATE]; call [PHONE].\n" {
		t.Fatalf("deid:\n%s", out)
	}
	var spans []struct {
		Start, End int
		Type       string
	}
	if err := json.Unmarshal([]byte(s.ok(in, "deid", "--spans").stdout), &spans); err != nil || len(spans) != 5 {
		t.Fatalf("deid --spans: %v %+v", err, spans)
	}
	runes := []rune(in)
	if got := string(runes[spans[1].Start:spans[1].End]); got != "Zoë Brandt" || spans[1].Type != "NAME" {
		t.Errorf("the second span, in characters, is %q (%s)", got, spans[1].Type)
	}
	var report struct {
		Text   string
		Counts map[string]int
	}
	if err := json.Unmarshal([]byte(s.ok(in, "deid", "--json").stdout), &report); err != nil ||
		report.Counts["NAME"] != 2 || report.Counts["MRN"] != 1 || !strings.Contains(report.Text, "[PHONE]") {
		t.Errorf("deid --json: %v %+v", err, report)
	}
	if out := s.ok("", "deid", "--spans").stdout; strings.TrimSpace(out) != "[]" {
		t.Errorf("no input, no spans: %q", out)
	}
}
