package llm

import (
	"context"
	"strings"
	"testing"
)

// echo is an Engine for drafting logic tests: it writes a fixed text per call. (The
// real engine is tested against the real model in llm/llamacpp.)
type echo struct{ replies []string }

func (e *echo) Generate(_ context.Context, _ string, p Sampling, emit func(string) error) (Result, error) {
	r := e.replies[0]
	e.replies = e.replies[1:]
	for _, w := range strings.SplitAfter(r, " ") {
		if err := emit(w); err != nil {
			return Result{}, err
		}
	}
	return Result{PromptTokens: 10, Tokens: len(strings.Fields(r)), StopReason: "eog"}, nil
}
func (e *echo) Close() error { return nil }

func TestBuiltinTemplates(t *testing.T) {
	ts, err := Templates("")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"discharge", "hp", "patient_summary", "progress", "referral", "soap"}
	if got := TemplateNames(ts); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("templates %v", got)
	}
	for _, tpl := range ts {
		if !strings.Contains(tpl.System, "Never add") {
			t.Errorf("%s: the system prompt does not forbid adding facts", tpl.Name)
		}
	}
}

func TestWriteDraftsSectionBySectionAndGrounds(t *testing.T) {
	ts, _ := Templates("")
	src := "Patient reports three days of cough and fever. Temp 38.2. Lungs clear. Plan: fluids and paracetamol."
	e := &echo{replies: []string{"Cough and fever for three days.", "Temp 38.2, lungs clear.", "Viral illness.", "Fluids, paracetamol 1 g, review in 7 days."}}
	var streamed strings.Builder
	d, err := Write(context.Background(), e, ts["soap"], src, Sampling{}, func(s string) error { streamed.WriteString(s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"## Subjective", "## Objective", "## Assessment", "## Plan"} {
		if !strings.Contains(d.Text, h) || !strings.Contains(streamed.String(), h) {
			t.Fatalf("missing %s in:\n%s", h, d.Text)
		}
	}
	var flagged []string
	for _, s := range d.Ungrounded {
		flagged = append(flagged, s.Text)
	}
	if strings.Join(flagged, "|") != "1 g|7 days" {
		t.Fatalf("ungrounded %q, want the invented dose and interval", flagged)
	}
	if len(d.PromptSHA256) != 64 || len(d.TextSHA256) != 64 || d.Tokens == 0 {
		t.Fatalf("draft bookkeeping %+v", d)
	}
	if _, err := Write(context.Background(), e, ts["soap"], "hello there", Sampling{}, func(string) error { return nil }); err == nil {
		t.Fatal("a non-clinical source was drafted")
	}
}
