package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeSpeech makes a speech model folder of files with the given contents (the
// catalog does not parse ONNX: sherpa-onnx does, once the digests are checked).
func writeSpeech(t *testing.T, dir, name string, files map[string]string) {
	t.Helper()
	d := filepath.Join(dir, SpeechDir, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	for f, body := range files {
		if err := os.WriteFile(filepath.Join(d, f), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sumOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func speechByName(c *Catalog) map[string]SpeechModel {
	out := map[string]SpeechModel{}
	for _, m := range c.Speech() {
		out[m.Name] = m
	}
	return out
}

func TestSpeechModelsAreSortedIntoRolesAndJudgedFileByFile(t *testing.T) {
	dir := t.TempDir()
	writeSpeech(t, dir, "zipformer-en", map[string]string{
		"encoder-epoch-99-avg-1.onnx": "enc fp32", "encoder-epoch-99-avg-1.int8.onnx": "enc int8",
		"decoder-epoch-99-avg-1.onnx": "dec", "joiner-epoch-99-avg-1.int8.onnx": "join",
		"tokens.txt": "tok", "bpe.vocab": "bpe", "README.md": "about",
	})
	writeSpeech(t, dir, "whisper-tiny", map[string]string{
		"tiny.en-encoder.onnx": "w enc", "tiny.en-decoder.onnx": "w dec", "tiny.en-tokens.txt": "w tok",
	})
	writeSpeech(t, dir, "two-encoders", map[string]string{
		"a-encoder.onnx": "a", "b-encoder.onnx": "b", "decoder.onnx": "d", "tokens.txt": "t",
	})
	writeSpeech(t, dir, "no-tokens", map[string]string{"encoder.onnx": "e", "decoder.onnx": "d"})
	allowed := []string{sumOf("enc int8"), sumOf("bpe"), sumOf("dec"), sumOf("join"), sumOf("tok"), sumOf("w enc"), sumOf("w tok")}
	c := &Catalog{Dir: dir, Allowlist: func() []string { return allowed }}
	if err := c.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := speechByName(c)
	z := got["zipformer-en"]
	if z.Kind != Transducer || z.Status != Allowed || z.Files["encoder"] != "encoder-epoch-99-avg-1.int8.onnx" || z.Files["bpe"] != "bpe.vocab" {
		t.Errorf("zipformer: %+v, want an allowed transducer with the int8 encoder", z)
	}
	if p := z.Path(dir, "joiner"); p != filepath.Join(dir, "speech", "zipformer-en", "joiner-epoch-99-avg-1.int8.onnx") {
		t.Errorf("joiner path %s", p)
	}
	w := got["whisper-tiny"]
	if w.Kind != Whisper || w.Status != Refused || !strings.Contains(w.Reason, "tiny.en-decoder.onnx") || strings.Contains(w.Reason, "tokens") {
		t.Errorf("whisper: %+v, want refused naming its decoder alone", w)
	}
	if m := got["two-encoders"]; m.Status != Malformed || !strings.Contains(m.Reason, "a-encoder.onnx, b-encoder.onnx") {
		t.Errorf("two encoders: %+v", m)
	}
	if m := got["no-tokens"]; m.Status != Malformed || !strings.Contains(m.Reason, "no tokens") {
		t.Errorf("no tokens: %+v", m)
	}
	// The allowlist in force now decides, without a rescan.
	allowed = append(allowed, sumOf("w dec"))
	if w := speechByName(c)["whisper-tiny"]; w.Status != Allowed {
		t.Errorf("whisper after its decoder was allowed: %+v", w)
	}
	allowed = allowed[2:]
	if z := speechByName(c)["zipformer-en"]; z.Status != Refused {
		t.Errorf("zipformer after its encoder left the allowlist: %+v", z)
	}
	// A changed file is hashed again.
	writeSpeech(t, dir, "whisper-tiny", map[string]string{"tiny.en-decoder.onnx": "w dec, altered"})
	later := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(dir, SpeechDir, "whisper-tiny", "tiny.en-decoder.onnx"), later, later)
	if err := c.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if w := speechByName(c)["whisper-tiny"]; w.Status != Refused {
		t.Errorf("whisper with an altered decoder: %+v", w)
	}
}

func TestASpeechModelAppearsWhenCopiedIn(t *testing.T) {
	dir := t.TempDir()
	c := &Catalog{Dir: dir, Allowlist: func() []string { return []string{sumOf("e"), sumOf("d"), sumOf("t")} }}
	if err := os.MkdirAll(filepath.Join(dir, SpeechDir), 0o755); err != nil {
		t.Fatal(err)
	}
	c.Scan(context.Background())
	changed := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Watch(ctx, func() { changed <- struct{}{} })
	// The watch starts asynchronously: write until it is seen.
	for i := 0; speechByName(c)["w"].Status != Allowed; i++ {
		writeSpeech(t, dir, "w", map[string]string{"encoder.onnx": "e", "decoder.onnx": "d"})
		select {
		case <-changed:
		case <-time.After(time.Second):
		}
		// Its tokens land after the folder was first seen: the model is watched.
		writeSpeech(t, dir, "w", map[string]string{"tokens.txt": "t"})
		select {
		case <-changed:
		case <-time.After(time.Second):
		}
		if i > 10 {
			t.Fatalf("the watcher never saw the model: %+v", c.Speech())
		}
	}
	os.RemoveAll(filepath.Join(dir, SpeechDir, "w"))
	deadline := time.After(10 * time.Second)
	for len(c.Speech()) != 0 {
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("a removed model is still listed: %+v", c.Speech())
		}
	}
}

func TestOpenFileVerifiesAnyFormat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "encoder.onnx")
	os.WriteFile(p, []byte("not GGUF"), 0o644)
	if _, err := OpenFile(p, []string{sumOf("other")}); err == nil || !strings.Contains(err.Error(), "allowlist") {
		t.Fatalf("a file off the list: %v", err)
	}
	m, err := OpenFile(p, []string{sumOf("not GGUF")})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	b, err := os.ReadFile(m.LoadPath())
	if err != nil || string(b) != "not GGUF" || m.Header != nil {
		t.Fatalf("load path gives %q, %v", b, err)
	}
}
