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

// TestDeidWritesSurrogates: --surrogate writes made-up values of each kind, one
// surrogate for one name however often it appears, and dates moved by --shift.
func TestDeidWritesSurrogates(t *testing.T) {
	s := newSandbox(t)
	in := "Mrs. Quenby seen 03/14/2024 by Dr. Brandt; Quenby to return 4/2.\n"
	out := s.ok(in, "deid", "--surrogate", "--shift", "-20").stdout
	for _, gone := range []string{"Quenby", "Brandt", "03/14", "4/2"} {
		if strings.Contains(out, gone) {
			t.Errorf("%q survived: %q", gone, out)
		}
	}
	f := strings.Fields(out) // Mrs. X seen 02/23/2024 by Dr. Y; X to return 3/13.
	if len(f) != 11 || f[1] != f[7] || f[3] != "02/23/2024" || f[10] != "3/13." {
		t.Errorf("surrogates: %q", out)
	}
	if r := s.run("x", "deid", "--shift", "3"); r.code != 2 {
		t.Errorf("--shift without --surrogate: exit %d", r.code)
	}
}

// TestErrorLinesAreRedacted: an error that quotes what it was given (here an id typed
// as a patient's details) prints it with the identifiers redacted; Vellum's own ids
// stay readable.
func TestErrorLinesAreRedacted(t *testing.T) {
	s := newSandbox(t)
	s.setup()
	r := s.run("", "notes", "show", "Mrs. Quenby DOB 03/14/1958 MRN: 00482913")
	if r.code != 1 || strings.Contains(r.stderr, "Quenby") || strings.Contains(r.stderr, "03/14/1958") || strings.Contains(r.stderr, "00482913") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if r := s.run("", "notes", "show", "n_00000000000000000000"); r.code != 1 || !strings.Contains(r.stderr, "n_00000000000000000000") {
		t.Fatalf("a note id was redacted: exit %d, %s", r.code, r.stderr)
	}
}
