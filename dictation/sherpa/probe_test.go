package sherpa

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	RunProbe() // a model check started by the tests below
	os.Exit(m.Run())
}

// corruptModel writes files that are on the list (their digests given) but are no
// model: what sherpa-onnx ends the process on.
func corruptModel(t *testing.T, files ...string) (string, map[string]string) {
	dir := t.TempDir()
	sums := map[string]string{}
	for _, f := range files {
		b := []byte("not a model: " + f)
		if strings.HasSuffix(f, ".txt") {
			b = []byte("<blk> 0\na 1\n")
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o600)
		s := sha256.Sum256(b)
		sums[f] = hex.EncodeToString(s[:])
	}
	return dir, sums
}

// TestACorruptModelOnTheListEndsOnlyItsProbe: sherpa-onnx aborts on a file it cannot
// parse; the child process that tried takes the abort, and the caller an error.
func TestACorruptModelOnTheListEndsOnlyItsProbe(t *testing.T) {
	dir, sums := corruptModel(t, "encoder.onnx", "decoder.onnx", "joiner.onnx", "tokens.txt")
	_, err := LoadTransducer(t.Context(), TransducerConfig{Dir: dir, SHA256: sums})
	if !errors.Is(err, ErrModel) || !strings.Contains(err.Error(), "cannot load the model in "+dir) {
		t.Errorf("transducer: %v", err)
	}
	t.Log(err)
	_, err = LoadWhisper(t.Context(), WhisperConfig{Dir: dir, SHA256: sums})
	if !errors.Is(err, ErrModel) || !strings.Contains(err.Error(), "cannot load the model") {
		t.Errorf("whisper: %v", err)
	}
}

// TestAWhisperModelNotOnTheListIsRefused: refused before any process loads it, in
// the child's words.
func TestAWhisperModelNotOnTheListIsRefused(t *testing.T) {
	dir, sums := corruptModel(t, "encoder.onnx", "decoder.onnx", "tokens.txt")
	other := map[string]string{"encoder.onnx": sums["decoder.onnx"], "decoder.onnx": sums["decoder.onnx"], "tokens.txt": sums["tokens.txt"]}
	for name, cfg := range map[string]WhisperConfig{
		"no digests":     {Dir: dir},
		"another digest": {Dir: dir, SHA256: other},
		"a missing file": {Dir: dir, SHA256: sums, Encoder: "tiny.en-encoder.onnx"},
	} {
		if _, err := NewWhisper(cfg); !errors.Is(err, ErrModel) {
			t.Errorf("%s: %v, want ErrModel", name, err)
		}
		_, err := LoadWhisper(t.Context(), cfg)
		if !errors.Is(err, ErrModel) || strings.Contains(err.Error(), "child process") {
			t.Errorf("%s, through the probe: %v, want the child's reason", name, err)
		}
	}
}
