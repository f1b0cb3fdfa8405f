// Package modelstest finds the project's real trained test model for tests:
// $VELLUM_TEST_MODEL, else shared/models/stories260K.gguf beside the checkout; and the
// Llama 3 vocabulary that generated models take their tokenizer from. With CI=true a
// missing file fails the test; elsewhere the test skips, saying so.
package modelstest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Path returns the test model's path.
func Path(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("VELLUM_TEST_MODEL"); p != "" {
		return p
	}
	_, here, _, _ := runtime.Caller(0) // <checkout>/models/modelstest/modelstest.go
	p := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", "models", "stories260K.gguf")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the test model is missing (%s); set VELLUM_TEST_MODEL", p)
		}
		t.Skipf("no test model at %s; set VELLUM_TEST_MODEL (see shared/models/README.md)", p)
	}
	return p
}

// LlamaVocab returns the Llama 3 vocabulary GGUF of the llama.cpp build at
// $VELLUM_LLAMA (make sets it), from which models/synth writes generated models.
func LlamaVocab(t testing.TB) string {
	t.Helper()
	llama := os.Getenv("VELLUM_LLAMA")
	vocab := filepath.Join(llama, "vocab", "ggml-vocab-llama-bpe.gguf")
	if _, err := os.Stat(vocab); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Llama 3 vocabulary at %s", vocab)
		}
		t.Skipf("no Llama 3 vocabulary (VELLUM_LLAMA=%q): `make llama` builds it", llama)
	}
	return vocab
}
