package llm

import (
	"context"
	"strings"
	"testing"
)

// echo is an Engine for drafting logic tests: it writes a fixed text per call, and
// keeps the prompts. (The real engine is tested against the real model in
// llm/llamacpp.) chat, when set, plays a chat template.
type echo struct {
	replies []string
	prompts []string
	chat    bool
}

func (e *echo) Chat(msgs []Message) (string, error) {
	if !e.chat {
		return "", ErrNoChatTemplate
	}
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString("<" + m.Role + ">" + m.Content + "</" + m.Role + ">")
	}
	return b.String() + "<assistant>", nil
}

func (e *echo) Info() Info { return Info{Model: "echo", Device: "CPU"} }

func (e *echo) Generate(_ context.Context, prompt string, p Sampling, emit func(string) error) (Result, error) {
	e.prompts = append(e.prompts, prompt)
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

// TestSectionPromptsExtendEachOther: each section's prompt begins with the previous
// section's prompt and output, so the engine's KV cache serves all of it; the system
// part comes first and depends on the template only (shared across drafts).
func TestSectionPromptsExtendEachOther(t *testing.T) {
	ts, _ := Templates("")
	src := "Patient reports three days of cough and fever. Temp 38.2. Lungs clear. Plan: fluids and paracetamol."
	for _, chat := range []bool{false, true} {
		e := &echo{chat: chat, replies: []string{"Cough.", "Temp 38.2.", "Viral illness.", "Fluids."}}
		if _, err := Write(context.Background(), e, ts["soap"], src, Sampling{}, func(string) error { return nil }); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(e.prompts); i++ {
			if !strings.HasPrefix(e.prompts[i], e.prompts[i-1]) {
				t.Fatalf("chat=%v: section %d's prompt does not extend section %d's", chat, i, i-1)
			}
		}
		if sys := SystemPrompt(ts["soap"]); !strings.Contains(e.prompts[0], sys) || strings.Index(e.prompts[0], sys) > len("<system>") {
			t.Fatalf("chat=%v: the prompt does not start with the template's system part:\n%s", chat, e.prompts[0])
		}
		if chat != strings.HasPrefix(e.prompts[0], "<system>") {
			t.Fatalf("chat=%v: chat template used=%v", chat, !chat)
		}
	}
}

func TestWriteJSONRendersSections(t *testing.T) {
	ts, _ := Templates("")
	src := "Patient reports three days of cough and fever. Temp 38.2. Lungs clear. Plan: fluids and paracetamol."
	e := &echo{replies: []string{`{"Subjective": "Cough and fever.", "Objective": "Temp 38.2.", "Assessment": "Viral.", "Plan": "Fluids, review in 7 days."}`}}
	d, err := WriteJSON(context.Background(), e, ts["soap"], src, Sampling{}, 400, func(string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	want := "## Subjective\nCough and fever.\n\n## Objective\nTemp 38.2.\n\n## Assessment\nViral.\n\n## Plan\nFluids, review in 7 days."
	if d.Text != want {
		t.Fatalf("rendered:\n%s", d.Text)
	}
	if len(d.Ungrounded) != 1 || d.Ungrounded[0].Text != "7 days" {
		t.Fatalf("ungrounded %+v", d.Ungrounded)
	}
	e = &echo{replies: []string{`{"Subjective": "Cough and`}}
	if _, err := WriteJSON(context.Background(), e, ts["soap"], src, Sampling{}, 400, func(string) error { return nil }); err == nil || !strings.Contains(err.Error(), "before its JSON was complete") {
		t.Fatalf("truncated JSON: %v", err)
	}
}

func TestJSONGrammarNamesEverySectionInOrder(t *testing.T) {
	ts, _ := Templates("")
	g := JSONGrammar(ts["soap"], 300)
	want := `root ::= "{" ws "\"Subjective\"" ws ":" ws str ws "," ws "\"Objective\"" ws ":" ws str ws "," ws "\"Assessment\"" ws ":" ws str ws "," ws "\"Plan\"" ws ":" ws str ws "}"`
	if first := strings.SplitN(g, "\n", 2)[0]; first != want {
		t.Fatalf("root rule:\n%s\nwant\n%s", first, want)
	}
	if !strings.Contains(g, `char{0,300}`) {
		t.Fatalf("no bound on section length:\n%s", g)
	}
}
