package sherpa

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/dictation/speechtest"
)

// TestATransducerNotOnTheListIsRefused: files missing, without a digest, or with
// another digest never reach the C library.
func TestATransducerNotOnTheListIsRefused(t *testing.T) {
	dir := t.TempDir()
	sums := map[string]string{}
	for _, f := range []string{"encoder.onnx", "decoder.onnx", "joiner.onnx", "tokens.txt"} {
		b := []byte("not a model: " + f)
		os.WriteFile(filepath.Join(dir, f), b, 0o600)
		s := sha256.Sum256(b)
		sums[f] = hex.EncodeToString(s[:])
	}
	for name, cfg := range map[string]TransducerConfig{
		"no digests":       {Dir: dir},
		"another digest":   {Dir: dir, SHA256: map[string]string{"encoder.onnx": sums["decoder.onnx"], "decoder.onnx": sums["decoder.onnx"], "joiner.onnx": sums["joiner.onnx"], "tokens.txt": sums["tokens.txt"]}},
		"a missing file":   {Dir: dir, SHA256: sums, Joiner: "joiner.int8.onnx"},
		"a missing folder": {Dir: filepath.Join(dir, "nowhere"), SHA256: sums},
	} {
		if _, err := NewTransducer(cfg); !errors.Is(err, ErrModel) {
			t.Errorf("%s: %v, want ErrModel", name, err)
		}
	}
}

// TestTheTransducerOnSynthesizedSpeech reports the word error rate of a real model
// (VELLUM_ASR_MODEL: a folder of sherpa-onnx's streaming Zipformer, encoder.onnx,
// decoder.onnx, joiner.onnx, tokens.txt) on the test's espeak-ng sentences. No speech
// weights are reachable here: it skips, saying so, without one.
func TestTheTransducerOnSynthesizedSpeech(t *testing.T) {
	dir := os.Getenv("VELLUM_ASR_MODEL")
	if dir == "" {
		t.Skip("VELLUM_ASR_MODEL is not set: no speech recognition weights here (a folder of a sherpa-onnx streaming transducer)")
	}
	sums := map[string]string{}
	for _, f := range []string{"encoder.onnx", "decoder.onnx", "joiner.onnx", "tokens.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(b)
		sums[f] = hex.EncodeToString(s[:])
	}
	tr, err := NewTransducer(TransducerConfig{Dir: dir, SHA256: sums})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	var words, errs int
	for _, sentence := range speechtest.Sentences {
		s := speechtest.Make(t, t.TempDir(), []string{sentence}, 300*time.Millisecond)
		st, err := tr.NewStream()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(s.Samples); i += dictation.SampleRate / 10 {
			st.Accept(s.Samples[i:min(len(s.Samples), i+dictation.SampleRate/10)])
		}
		got, err := st.Finish(t.Context())
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Fields(strings.ToLower(strings.Trim(sentence, ".")))
		words += len(want)
		errs += editDistance(strings.Fields(strings.ToLower(got)), want)
		t.Logf("%q heard as %q", sentence, got)
	}
	t.Logf("word error rate %.2f on %d words", float64(errs)/float64(words), words)
}

// editDistance is the words' Levenshtein distance.
func editDistance(a, b []string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
