package synth_test

import (
	"context"
	"log"
	"os"
	"path/filepath"

	"github.com/vellumhealth/vellum/models/synth"
)

// A benchmark's model: Llama 3.2 1B's shape with Llama 3's tokenizer, quantized as
// the model it stands in for would be. Generating takes about as long as writing
// 2.5 GB; quantizing, a minute or two on two cores.
func ExampleWriteFile() {
	llama := os.Getenv("VELLUM_LLAMA") // the llama.cpp build: make llama
	dir, err := os.MkdirTemp("", "synth")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	f16 := filepath.Join(dir, "llama-3.2-1b-f16.gguf")
	vocab := filepath.Join(llama, "vocab", "ggml-vocab-llama-bpe.gguf")
	if err := synth.WriteFile(f16, synth.Llama32_1B, vocab, 1); err != nil {
		log.Fatal(err)
	}
	q4 := filepath.Join(dir, "llama-3.2-1b-q4_k_m.gguf")
	if err := synth.Quantize(context.Background(), filepath.Join(llama, "bin", "llama-quantize"), f16, q4, "Q4_K_M"); err != nil {
		log.Fatal(err)
	}
	os.Remove(f16)
}
