//go:build llamacpp

package llamacpp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/models/modelstest"
	"github.com/vellumhealth/vellum/models/synth"
)

func testModel(t testing.TB) string { return modelstest.Path(t) }

// load opens the model the way the app does: verified through the handle it loads.
func load(t testing.TB) llm.Engine { return loadCtx(t, 512) }

// loadCtx loads with a context of n tokens (drafting prompts with the whole template
// outgrow the test model's 512).
func loadCtx(t testing.TB, n int) llm.Engine {
	path := testModel(t)
	m, err := models.Open(path, []string{digest(t, path)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	e, err := Load(m.LoadPath(), Options{Threads: 2, Context: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestGreedyOutputMatchesLlamaSimple: our binding must produce exactly the tokens that
// llama.cpp's own llama-simple, built from the same tree, produces on the real
// trained test model — and readable English.
func TestGreedyOutputMatchesLlamaSimple(t *testing.T) {
	bin := filepath.Join(os.Getenv("VELLUM_LLAMA"), "bin", "llama-simple")
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no llama-simple (VELLUM_LLAMA=%q): `make llama` builds it", os.Getenv("VELLUM_LLAMA"))
	}
	const prompt, n = "Once upon a time", 40
	out, err := exec.Command(bin, "-m", testModel(t), "-n", "40", prompt).Output()
	if err != nil {
		t.Fatal(err)
	}
	ref := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(out)), "<s>"))
	ref = strings.TrimPrefix(strings.TrimSpace(ref), prompt)

	e := load(t)
	var got strings.Builder
	res, err := e.Generate(context.Background(), prompt, llm.Sampling{MaxTokens: n}, func(p string) error { got.WriteString(p); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(got.String()) != strings.TrimSpace(ref) {
		t.Fatalf("our greedy continuation differs from llama-simple's:\n ours: %q\n theirs: %q", got.String(), ref)
	}
	if !strings.Contains(got.String(), "there was a little girl named Lily") {
		t.Fatalf("not the expected story: %q", got.String())
	}
	t.Logf("%d prompt tokens, %d generated (%s): %q", res.PromptTokens, res.Tokens, res.StopReason, got.String())
}

func TestCancellationStopsWithinOneToken(t *testing.T) {
	e := load(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := e.Generate(ctx, "Once upon a time", llm.Sampling{MaxTokens: 200}, func(string) error {
		n++
		if n == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 5 {
		t.Fatalf("after cancel at token 5: %d tokens, %v", n, err)
	}
	// Sampling with a seed is reproducible; stop sequences end the draft.
	gen := func(p llm.Sampling) string {
		var b strings.Builder
		e.Generate(context.Background(), "Once upon a time", p, func(s string) error { b.WriteString(s); return nil })
		return b.String()
	}
	a := gen(llm.Sampling{Temperature: 0.8, TopP: 0.9, Seed: 42, MaxTokens: 30})
	if b := gen(llm.Sampling{Temperature: 0.8, TopP: 0.9, Seed: 42, MaxTokens: 30}); a != b {
		t.Fatalf("same seed, different text:\n%q\n%q", a, b)
	}
	if s := gen(llm.Sampling{MaxTokens: 100, Stop: []string{"Lily"}}); !strings.HasSuffix(s, "Lily") {
		t.Fatalf("stop sequence not honoured: %q", s)
	}
}

// TestNoLeakAcrossLoads loads and frees the model many times; the process must not
// grow (every C object freed).
func TestNoLeakAcrossLoads(t *testing.T) {
	path := testModel(t)
	rss := func() int64 {
		b, _ := os.ReadFile("/proc/self/statm")
		var size, res int64
		fmtSscan(string(b), &size, &res)
		return res * int64(os.Getpagesize())
	}
	for i := 0; i < 20; i++ { // warm up allocators
		e, _ := Load(path, Options{Threads: 1, Context: 256})
		e.Close()
	}
	before := rss()
	for i := 0; i < 1000; i++ {
		e, err := Load(path, Options{Threads: 1, Context: 256})
		if err != nil {
			t.Fatal(err)
		}
		e.Close()
	}
	if grew := rss() - before; grew > 32<<20 {
		t.Fatalf("RSS grew %d MB over 1000 loads", grew>>20)
	}
}

func digest(t testing.TB, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestDraftingRunsOnTheRealEngine: the whole drafting path — template, section prompts,
// streaming, stop at the next heading, grounding — on the real model. The test model
// writes stories, so only the shape of the result is checked.
func TestDraftingRunsOnTheRealEngine(t *testing.T) {
	e := loadCtx(t, 2048)
	ts, err := llm.Templates("")
	if err != nil {
		t.Fatal(err)
	}
	src := "Patient reports three days of cough and fever. Temp 38.2. Lungs clear. Plan: fluids and paracetamol."
	var streamed strings.Builder
	d, err := llm.Write(context.Background(), e, ts["soap"], src, llm.Sampling{MaxTokens: 16}, func(s string) error { streamed.WriteString(s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"## Subjective", "## Objective", "## Assessment", "## Plan"} {
		if !strings.Contains(d.Text, h) {
			t.Fatalf("draft lacks %s:\n%s", h, d.Text)
		}
	}
	if d.Tokens == 0 || d.PromptTokens == 0 || streamed.Len() == 0 {
		t.Fatalf("draft %+v", d)
	}
	// Each section after the first reuses the previous prompt and output from the KV
	// cache: only the new heading is computed.
	if fresh := d.PromptTokens - d.CachedTokens; fresh > d.PromptTokens/4+50 {
		t.Fatalf("%d prompt tokens over 4 sections, only %d reused", d.PromptTokens, d.CachedTokens)
	}
}

// TestPromptsLongerThanABatch: a prompt longer than n_batch goes in chunks (a single
// oversized batch would abort the whole process inside llama.cpp).
func TestPromptsLongerThanABatch(t *testing.T) {
	path := testModel(t)
	e, err := Load(path, Options{Threads: 2, Context: 300}) // llama.cpp pads the context; the batch is 300
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	long := strings.Repeat("Once upon a time there was a girl. ", 40) // about 400 tokens: over the batch, under the padded context
	res, err := e.Generate(context.Background(), long, llm.Sampling{MaxTokens: 4}, func(string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.PromptTokens <= 300 {
		t.Fatalf("prompt of %d tokens does not exceed the batch of 300", res.PromptTokens)
	}
}

// TestPrefixReuseGivesTheSameTokens: a prompt sharing a prefix with what the engine
// last computed reuses that prefix's KV cache, and greedy output is the same as a
// fresh engine's; Regenerate reuses all but the last prompt token.
func TestPrefixReuseGivesTheSameTokens(t *testing.T) {
	gen := func(e llm.Engine, prompt string) (string, llm.Result) {
		var b strings.Builder
		res, err := e.Generate(context.Background(), prompt, llm.Sampling{MaxTokens: 24}, func(s string) error { b.WriteString(s); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return b.String(), res
	}
	const shared = "Once upon a time, there was a little dog named Max. Max liked to run in the park."
	a, b := shared+" One day, Max saw a big red ball.", shared+" One night, Max heard a loud noise."
	warm := load(t)
	gen(warm, a)
	outB, res := gen(warm, b)
	if res.CachedTokens < 15 || res.CachedTokens >= res.PromptTokens {
		t.Fatalf("after a prompt sharing %q, %d of %d tokens reused", shared, res.CachedTokens, res.PromptTokens)
	}
	fresh := load(t)
	if want, _ := gen(fresh, b); outB != want {
		t.Fatalf("with the prefix reused:\n%q\nfrom scratch:\n%q", outB, want)
	}
	again, res := gen(warm, b)
	if again != outB || res.CachedTokens != res.PromptTokens-1 {
		t.Fatalf("regenerate: %d of %d reused, same text %v", res.CachedTokens, res.PromptTokens, again == outB)
	}
	// A continuation of prompt and output reuses both.
	_, res = gen(warm, b+outB+" Then")
	if res.CachedTokens < res.PromptTokens-4 {
		t.Fatalf("continuing the output: %d of %d reused", res.CachedTokens, res.PromptTokens)
	}
}

// TestGrammarConstrainsToJSON: with the JSON grammar, even a children's-story model
// writes a JSON object with exactly the template's sections.
func TestGrammarConstrainsToJSON(t *testing.T) {
	e := loadCtx(t, 2048)
	ts, _ := llm.Templates("")
	src := "Patient reports three days of cough and fever. Temp 38.2. Lungs clear. Plan: fluids and paracetamol."
	var raw strings.Builder
	d, err := llm.WriteJSON(context.Background(), e, ts["soap"], src, llm.Sampling{Temperature: 0.8, Seed: 7, MaxTokens: 400}, 40,
		func(s string) error { raw.WriteString(s); return nil })
	if err != nil {
		t.Fatalf("%v\nraw: %s", err, raw.String())
	}
	for _, h := range []string{"## Subjective", "## Objective", "## Assessment", "## Plan"} {
		if !strings.Contains(d.Text, h) {
			t.Fatalf("draft lacks %s:\n%s", h, d.Text)
		}
	}
	if _, err := e.Generate(context.Background(), "x", llm.Sampling{Grammar: "root ::= nonsense ("}, func(string) error { return nil }); !errors.Is(err, llm.ErrGrammar) {
		t.Fatalf("a broken grammar: %v", err)
	}
}

// TestModelWithoutChatTemplate: the test model has none; Chat says so and drafting
// falls back to the plain frame (TestDraftingRunsOnTheRealEngine).
func TestModelWithoutChatTemplate(t *testing.T) {
	e := load(t)
	if _, err := e.Chat([]llm.Message{{Role: "user", Content: "hi"}}); !errors.Is(err, llm.ErrNoChatTemplate) {
		t.Fatalf("Chat on a model without a template: %v", err)
	}
	info := e.Info()
	if info.ChatTemplate || (info.Device == "CPU") == gpuBuild || info.Context < 512 || info.Threads != 2 || info.Params == 0 || !strings.Contains(info.Model, "llama") {
		t.Fatalf("info %+v", info)
	}
}

func TestOptionsAreChecked(t *testing.T) {
	for _, o := range []Options{{FlashAttention: "sometimes"}, {Threads: -1}, {Context: -5}} {
		if _, err := Load(testModel(t), o); err == nil {
			t.Errorf("Load accepted %+v", o)
		}
	}
}

// TestBuildUsesSIMD: the static release build (GGML_NATIVE=OFF) must still use AVX2
// and FMA on x86-64 — without them ggml's CPU backend runs 4-14x slower.
func TestBuildUsesSIMD(t *testing.T) {
	info := SystemInfo()
	if runtime.GOARCH == "amd64" {
		for _, f := range []string{"AVX2 = 1", "FMA = 1", "F16C = 1"} {
			if !strings.Contains(info, f) {
				t.Fatalf("the llama.cpp build lacks %s: %s", f, info)
			}
		}
	}
	t.Log(info)
}

// TestChatTemplateFromTheModel: a generated model with the Llama 3 architecture,
// tokenizer and chat template (random weights): Chat formats with the template from
// its metadata, the BOS it writes is not doubled, and drafting runs through it.
func TestChatTemplateFromTheModel(t *testing.T) {
	vocab := modelstest.LlamaVocab(t)
	path := filepath.Join(t.TempDir(), "tiny.gguf")
	if err := synth.WriteFile(path, synth.Tiny, vocab, 1); err != nil {
		t.Fatal(err)
	}
	e, err := Load(path, Options{Threads: 2, Context: 2048})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if !e.Info().ChatTemplate {
		t.Fatal("the model's chat template was not found")
	}
	got, err := e.Chat([]llm.Message{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Source: cough."}})
	if err != nil {
		t.Fatal(err)
	}
	want := "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nSource: cough.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
	if !strings.HasSuffix(got, want) {
		t.Fatalf("chat prompt:\n%q\nwant it to end with\n%q", got, want)
	}
	res, err := e.Generate(context.Background(), got, llm.Sampling{MaxTokens: 2}, func(string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	// Beyond the text (and the BOS both have): 3 headers of 4 tokens (start, role, end,
	// blank line) and 2 <|eot_id|>. A doubled BOS, or special tokens split into text,
	// would add tokens.
	plain, _ := e.Generate(context.Background(), "Be brief. Source: cough.", llm.Sampling{MaxTokens: 1}, func(string) error { return nil })
	if extra := res.PromptTokens - plain.PromptTokens; extra != 3*4+2 {
		t.Fatalf("the chat frame took %d tokens beyond the text (%d vs %d); want 14: special tokens must be single tokens and BOS not doubled", extra, res.PromptTokens, plain.PromptTokens)
	}
	ts, _ := llm.Templates("")
	src := "Patient reports three days of cough and fever. Temp 38.2. Lungs clear. Plan: fluids and paracetamol."
	d, err := llm.Write(context.Background(), e, ts["progress"], src, llm.Sampling{MaxTokens: 4}, func(string) error { return nil })
	if err != nil || d.Tokens == 0 {
		t.Fatalf("drafting through the chat template: %v (%+v)", err, d)
	}
}

// TestLoadReportsProgressAndCanBeCancelled: the load reports its progress up to done,
// and a Progress that says stop ends it with ErrLoadCancelled, leaving nothing loaded.
func TestLoadReportsProgressAndCanBeCancelled(t *testing.T) {
	path := testModel(t)
	var seen []float64
	e, err := Load(path, Options{Context: 256, Progress: func(done float64) bool {
		seen = append(seen, done)
		return true
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	if len(seen) == 0 || seen[len(seen)-1] != 1 || !slices.IsSorted(seen) {
		t.Fatalf("progress reported %v, want rising to 1", seen)
	}
	calls := 0
	_, err = Load(path, Options{Context: 256, Progress: func(float64) bool { calls++; return false }})
	if !errors.Is(err, ErrLoadCancelled) || calls != 1 {
		t.Fatalf("cancelled load: %v after %d calls", err, calls)
	}
	// The engine still loads afterwards: nothing was left half-done.
	e, err = Load(path, Options{Context: 256})
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
}

// TestPromptReadingReportsProgressAndStops: a prompt longer than a batch reports its
// reading batch by batch; Stop during it (here: the context ends as the second batch
// begins) aborts that batch inside llama.cpp and keeps what the first one computed,
// and the engine's output afterwards is what a fresh engine's is. A context that has
// ended before Generate computes nothing at all.
func TestPromptReadingReportsProgressAndStops(t *testing.T) {
	path := testModel(t)
	const batch = 64
	load := func() llm.Engine {
		e, err := Load(path, Options{Threads: 2, Context: 512, Batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e
	}
	prompt := strings.Repeat("Once upon a time there was a girl who liked to play. ", 12) // about 170 tokens
	greedy := func(e llm.Engine, ctx context.Context, s llm.Sampling) (string, llm.Result, error) {
		var b strings.Builder
		s.MaxTokens = 16
		res, err := e.Generate(ctx, prompt, s, func(p string) error { b.WriteString(p); return nil })
		return b.String(), res, err
	}
	fresh := load()
	var seen [][2]int
	want, res, err := greedy(fresh, context.Background(), llm.Sampling{Progress: func(done, total int) { seen = append(seen, [2]int{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	n := res.PromptTokens
	if n <= 2*batch {
		t.Fatalf("the prompt is %d tokens: not over two batches of %d", n, batch)
	}
	last := seen[len(seen)-1]
	if len(seen) != (n+batch-1)/batch+1 || seen[0][0] != 0 || last != [2]int{n, n} {
		t.Fatalf("progress %v for a %d-token prompt in batches of %d", seen, n, batch)
	}

	e := load()
	ctx, cancel := context.WithCancel(context.Background())
	_, res, err = greedy(e, ctx, llm.Sampling{Progress: func(done, _ int) {
		if done >= batch {
			cancel()
			// The stop reaches llama.cpp from another goroutine; wait for it, so that
			// the second batch is stopped inside llama_decode, not after it.
			for *e.(*engine).stop == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}})
	if !errors.Is(err, context.Canceled) || res.StopReason != "cancelled" {
		t.Fatalf("stopped while reading the prompt: %v, %q", err, res.StopReason)
	}
	got, res, err := greedy(e, context.Background(), llm.Sampling{})
	if err != nil {
		t.Fatal(err)
	}
	if res.CachedTokens != batch {
		t.Fatalf("after Stop in the second batch, %d tokens were cached, want the first batch's %d", res.CachedTokens, batch)
	}
	if got != want {
		t.Fatalf("after a stopped prompt the engine writes %q, a fresh one %q", got, want)
	}

	e = load()
	cancel() // already ended
	if _, _, err := greedy(e, ctx, llm.Sampling{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("ended context: %v", err)
	}
	if _, res, _ = greedy(e, context.Background(), llm.Sampling{}); res.CachedTokens != 0 {
		t.Fatalf("a context ended before Generate left %d tokens computed, want none", res.CachedTokens)
	}
}
