//go:build llamacpp

package llamacpp

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/llm"
)

func loadSampling(t *testing.T, onHost bool) *engine {
	e, err := Load(testModel(t), Options{Threads: 2, Context: 512, Batch: 64, SampleOnHost: onHost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e.(*engine)
}

func generate(t *testing.T, e llm.Engine, prompt string, p llm.Sampling) string {
	t.Helper()
	var b strings.Builder
	if _, err := e.Generate(context.Background(), prompt, p, func(s string) error { b.WriteString(s); return nil }); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDeviceSamplingWritesTheSameTokens: sampling in the backend (the default without
// a grammar) writes greedy output token for token as sampling on the host does,
// with and without the repetition penalty drafts use, and with a prompt longer than
// a batch (whose first chunks output nothing); a seed gives the same text every time,
// whatever ran before and whatever was cached, and on the CPU the same text as on the
// host. On this CPU build the backend is the
// CPU's; on a CUDA build, the GPU's.
func TestDeviceSamplingWritesTheSameTokens(t *testing.T) {
	dev, host := loadSampling(t, false), loadSampling(t, true)
	long := strings.Repeat("Once upon a time there was a girl who liked to sing. ", 15) // several batches of 64
	for _, c := range []struct {
		name, prompt string
		p            llm.Sampling
	}{
		{"greedy", "Once upon a time", llm.Sampling{MaxTokens: 60}},
		{"greedy, repetition penalty", "Once upon a time", llm.Sampling{MaxTokens: 60, RepeatPenalty: 1.1}},
		{"greedy, a prompt of several batches", long, llm.Sampling{MaxTokens: 20}},
	} {
		want := generate(t, host, c.prompt, c.p)
		got := generate(t, dev, c.prompt, c.p)
		if got != want {
			t.Errorf("%s: on the device\n%q\non the host\n%q", c.name, got, want)
		}
		if !dev.sampledOnDevice() || host.sampledOnDevice() {
			t.Errorf("%s: sampled on the device: %v (want true), on the host engine: %v (want false)", c.name, dev.sampledOnDevice(), host.sampledOnDevice())
		}
	}

	seeded := llm.Sampling{Temperature: 0.8, TopP: 0.9, RepeatPenalty: 1.1, Seed: 42, MaxTokens: 40}
	first := generate(t, dev, "Once upon a time", seeded)
	generate(t, dev, "A dog", llm.Sampling{MaxTokens: 5})                   // another chain attached between
	generate(t, dev, "Once upon a time, a cat", llm.Sampling{MaxTokens: 5}) // and the prompt's prefix cached
	if again := generate(t, dev, "Once upon a time", seeded); again != first {
		t.Fatalf("the same seed on the device, different text:\n%q\n%q", first, again)
	}
	if !dev.sampledOnDevice() {
		t.Fatal("temperature sampling did not run on the device")
	}
	other := seeded
	other.Seed = 43
	if generate(t, dev, "Once upon a time", other) == first {
		t.Fatal("another seed, the same text")
	}
	// The CPU backend draws the same numbers as the host sampler; a GPU's arithmetic
	// may round a probability differently, so there the two are only logged.
	if onHost := generate(t, host, "Once upon a time", seeded); onHost != first && !gpuBuild {
		t.Fatalf("seed 42 on the device:\n%q\non the host:\n%q", first, onHost)
	} else if gpuBuild {
		t.Logf("seed 42 on the device: %q; on the host: %q", first, onHost)
	}
}

// TestAGrammarSamplesOnTheHost: the backends cannot run a grammar, so such a request
// samples on the host, and the next request without one is back on the device.
func TestAGrammarSamplesOnTheHost(t *testing.T) {
	e := loadSampling(t, false)
	out := generate(t, e, "Once upon a time", llm.Sampling{MaxTokens: 8, Grammar: `root ::= "yes" | "no"`})
	if out != "yes" && out != "no" {
		t.Fatalf("grammar output %q", out)
	}
	if e.sampledOnDevice() {
		t.Fatal("a grammar was sampled on the device")
	}
	generate(t, e, "Once upon a time", llm.Sampling{MaxTokens: 8})
	if !e.sampledOnDevice() {
		t.Fatal("after the grammar, greedy decoding stayed on the host")
	}
}

// TestGenerationAllocatesNothingPerToken: the loop's token and text come back in C
// memory and go straight into the output, so 60 more tokens cost no more
// allocations than the few the output's growth takes.
func TestGenerationAllocatesNothingPerToken(t *testing.T) {
	for _, onHost := range []bool{false, true} {
		e := loadSampling(t, onHost)
		allocs := func(n int) float64 {
			return testing.AllocsPerRun(5, func() {
				e.Generate(context.Background(), "Once upon a time", llm.Sampling{MaxTokens: n, RepeatPenalty: 1.1}, func(string) error { return nil })
			})
		}
		short, long := allocs(4), allocs(64)
		if long-short > 8 {
			t.Errorf("on the host %v: %.0f allocations for 4 tokens, %.0f for 64", onHost, short, long)
		}
	}
}

// TestAnExceptionInLlamaCppFailsTheEngineNotTheProcess: llama_decode throws when it
// cannot allocate as it plans its work again (after a sampler change, say, on a full
// GPU); unwinding into cgo would end the process, the physician's unsaved text with
// it. The throw becomes llm.ErrEngineFailed, for this request and every later one,
// so that the app loads the model again.
func TestAnExceptionInLlamaCppFailsTheEngineNotTheProcess(t *testing.T) {
	e := loadSampling(t, false)
	generate(t, e, "Once upon a time", llm.Sampling{MaxTokens: 4})
	e.failNextDecode()
	_, err := e.Generate(context.Background(), "Once upon a time there was", llm.Sampling{MaxTokens: 4}, func(string) error { return nil })
	if !errors.Is(err, llm.ErrEngineFailed) || !strings.Contains(err.Error(), "failed to allocate compute buffers (test)") {
		t.Fatalf("after a throw: %v", err)
	}
	if _, err2 := e.Generate(context.Background(), "Once", llm.Sampling{MaxTokens: 4}, func(string) error { return nil }); !errors.Is(err2, llm.ErrEngineFailed) {
		t.Fatalf("the next request: %v", err2)
	}
}
