package synth

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/models"
)

// llamaFile is a file of the llama.cpp build `make llama` puts in the cache, which
// $VELLUM_LLAMA names. Without it the test skips, saying so; with CI=true it fails.
func llamaFile(t *testing.T, rel string) string {
	t.Helper()
	dir := os.Getenv("VELLUM_LLAMA")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("VELLUM_LLAMA is unset; it names the llama.cpp build (make llama)")
		}
		t.Skip("VELLUM_LLAMA is unset; set it to the llama.cpp build (make llama) to run this test")
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the llama.cpp build lacks %s: %v", rel, err)
		}
		t.Skipf("the llama.cpp build lacks %s (%v); rebuild it with make llama", rel, err)
	}
	return p
}

const llama3Vocab = "vocab/ggml-vocab-llama-bpe.gguf"

func TestLoadVocabReadsLlama3sTokenizer(t *testing.T) {
	v, err := LoadVocab(llamaFile(t, llama3Vocab))
	if err != nil {
		t.Fatal(err)
	}
	if v.Size() != 128256 {
		t.Errorf("%d tokens, want Llama 3's 128256", v.Size())
	}
	got := map[string]any{}
	for _, kv := range v.kvs {
		got[kv.Key] = kv.Value
	}
	if got["tokenizer.ggml.model"] != "gpt2" || got["tokenizer.ggml.pre"] != "llama-bpe" {
		t.Errorf("tokenizer %v, pre-tokenizer %v", got["tokenizer.ggml.model"], got["tokenizer.ggml.pre"])
	}
	if merges, _ := got["tokenizer.ggml.merges"].([]string); len(merges) < 200000 {
		t.Errorf("%d merges: the arrays were not read whole", len(merges))
	}
	tokens, _ := got["tokenizer.ggml.tokens"].([]string)
	if len(tokens) > 128009 && (tokens[128000] != "<|begin_of_text|>" || tokens[128009] != "<|eot_id|>") {
		t.Errorf("tokens 128000 and 128009 are %q and %q", tokens[128000], tokens[128009])
	}
	if _, ok := got["general.architecture"]; ok {
		t.Error("kept general.architecture")
	}
}

// TestLlamaCppRunsSyntheticModels is the proof that matters: llama.cpp itself loads a
// synthetic model (architecture, tensors, tokenizer), generates from it, and
// quantizes it, and the quantized model runs too.
func TestLlamaCppRunsSyntheticModels(t *testing.T) {
	vocab := llamaFile(t, llama3Vocab)
	simple := llamaFile(t, "bin/llama-simple")
	dir := t.TempDir()

	untied := Tiny
	untied.TiedEmbeddings, untied.WeightType, untied.RopeScaling = false, F32, Llama32_1B.RopeScaling
	for _, tc := range []struct {
		name string
		spec Spec
	}{
		{"the tiny preset (F16, tied embeddings) generates", Tiny},
		{"an F32 model with its own output matrix and llama 3 rope scaling generates", untied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".gguf")
			if err := WriteFile(path, tc.spec, vocab, 1); err != nil {
				t.Fatal(err)
			}
			runSimple(t, simple, path)
		})
	}

	quantize := llamaFile(t, "bin/llama-quantize")
	// Q4_K packs rows in blocks of 256: at 64 wide Tiny would quantize to fallback
	// types, so test Q4_K_M on rows of 256, as the 1B model has, and Q8_0 on Tiny.
	wide := Tiny
	wide.EmbeddingLength, wide.FeedForwardLength, wide.BlockCount = 256, 512, 1
	for _, tc := range []struct {
		name string
		spec Spec
		typ  string
	}{
		{"the tiny preset quantizes to Q8_0 and generates", Tiny, "Q8_0"},
		{"a model 256 wide quantizes to Q4_K_M and generates", wide, "Q4_K_M"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := filepath.Join(dir, "in-"+tc.typ+".gguf")
			out := filepath.Join(dir, tc.typ+".gguf")
			if err := WriteFile(in, tc.spec, vocab, 2); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := Quantize(ctx, quantize, in, out, tc.typ); err != nil {
				t.Fatal(err)
			}
			runSimple(t, simple, out)
		})
	}

	t.Run("a failed quantization says why and leaves no file", func(t *testing.T) {
		out := filepath.Join(dir, "bogus.gguf")
		err := Quantize(context.Background(), quantize, filepath.Join(dir, "missing.gguf"), out, "Q8_0")
		if err == nil {
			t.Fatal("quantized a missing file")
		}
		if !strings.Contains(err.Error(), "it said:") {
			t.Errorf("the error lacks llama-quantize's output: %v", err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s exists", out)
		}
		if _, err := os.Stat(out + ".tmp"); !os.IsNotExist(err) {
			t.Errorf("%s.tmp exists", out)
		}
	})
}

// runSimple generates 8 tokens with llama.cpp's llama-simple example; exit status 0
// means llama.cpp accepted the model.
func runSimple(t *testing.T, simple, model string) {
	t.Helper()
	f, err := os.Open(model)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	h, err := models.ReadHeader(f, fi.Size())
	f.Close()
	if err != nil {
		t.Fatalf("the model is unreadable: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, simple, "-m", model, "-n", "8", "Hello").CombinedOutput()
	if err != nil {
		t.Fatalf("llama-simple on a %s model: %v\n%s", h.FileType, err, tailOf(out))
	}
	t.Logf("llama-simple on a %s model of %d parameters: %s", h.FileType, h.Parameters, lastLine(out))
}

func tailOf(b []byte) string {
	var t tail
	t.Write(b)
	return t.String()
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "decoded") || strings.Contains(lines[i], "speed") {
			return strings.TrimSpace(lines[i])
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}
