package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/dictation/dictationtest"
	"github.com/vellumhealth/vellum/models"
)

// fakeSpeech is a SpeechBackend of fakes that says what it was asked for.
type fakeSpeech struct {
	mu      sync.Mutex
	loaded  []string // model names, with their hot words
	recs    []*dictationtest.ScriptRecognizer
	devices []string
}

func (s *fakeSpeech) Detector() (dictation.Detector, error) {
	return &dictationtest.LoudDetector{}, nil
}

func (s *fakeSpeech) Recognizer(_ context.Context, m models.SpeechModel, _ string, words []string) (dictation.Recognizer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loaded = append(s.loaded, m.Name+"+"+strings.Join(words, ","))
	r := &dictationtest.ScriptRecognizer{Lines: []string{m.Name + " heard it"}, Digest: "digest-of-" + m.Name}
	s.recs = append(s.recs, r)
	return r, nil
}

func (s *fakeSpeech) Microphone(device string) (dictation.Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.devices = append(s.devices, device)
	return &dictationtest.Samples{X: dictationtest.Speech(0.5, 1)}, nil
}

// speechModel writes a speech model's files (not real networks: the fake loads
// them) and returns their digests.
func speechModel(t *testing.T, dir, name string, files ...string) []string {
	var sums []string
	os.MkdirAll(filepath.Join(dir, models.SpeechDir, name), 0o700)
	for _, f := range files {
		b := []byte(name + "/" + f)
		os.WriteFile(filepath.Join(dir, models.SpeechDir, name, f), b, 0o600)
		s := sha256.Sum256(b)
		sums = append(sums, hex.EncodeToString(s[:]))
	}
	return sums
}

// TestDictationHearsWithTheWorkstationsModels: a dictation without parts of its own
// takes the microphone, the allowed speech models (a transducer live, a Whisper
// model for the final pass) and the vocabulary policy names; the models stay loaded
// between dictations and are replaced, once no dictation uses them, when policy
// changes them; without an allowed model the error says what the folder holds.
func TestDictationHearsWithTheWorkstationsModels(t *testing.T) {
	speech := &fakeSpeech{}
	f := newFixtureWith(t, func(c *app.Config) { c.Speech = speech })
	f.as("dr.a")
	dir := f.a.Catalog().Dir
	if _, err := f.a.Dictate(f.ctx, app.DictationRequest{Via: "hotkey"}); !errors.Is(err, app.ErrNoSpeechModel) || !strings.Contains(err.Error(), "holds none") {
		t.Fatalf("no model: %v", err)
	}
	zip := speechModel(t, dir, "zipformer", "encoder.onnx", "decoder.onnx", "joiner.onnx", "tokens.txt")
	whisper := speechModel(t, dir, "whisper", "tiny-encoder.onnx", "tiny-decoder.onnx", "tiny-tokens.txt")
	if _, err := f.a.Dictate(f.ctx, app.DictationRequest{Via: "hotkey"}); !errors.Is(err, app.ErrNoSpeechModel) || !strings.Contains(err.Error(), "zipformer is refused") {
		t.Fatalf("models off the list: %v", err)
	}
	p := f.policy()
	p["model_allowlist"] = append(zip, whisper...)
	p["dictation_device"] = "USB headset"
	p["dictation_vocabulary"] = []string{"metoprolol"}
	f.setPolicy(p)
	for range 2 {
		res, err := f.a.Dictate(f.ctx, app.DictationRequest{Via: "hotkey"})
		if err != nil || res.Text != "Whisper heard it" {
			t.Fatalf("%+v, %v", res, err)
		}
	}
	if !slices.Equal(speech.loaded, []string{"zipformer+metoprolol", "whisper+"}) || !slices.Equal(speech.devices, []string{"USB headset", "USB headset"}) {
		t.Fatalf("loaded %v, microphones %v: want the two models once, the headset twice", speech.loaded, speech.devices)
	}
	var stop audit.Record
	for _, r := range f.records() {
		if r.Action == audit.DictationStop {
			stop = r
		}
	}
	if stop.Details["model"] != "digest-of-zipformer" || stop.Details["final_model"] != "digest-of-whisper" {
		t.Fatalf("the record names models %v", stop.Details)
	}
	// A new vocabulary reloads the live model; the old ones are freed.
	p["dictation_vocabulary"] = []string{"metoprolol", "apixaban"}
	p["speech_model"] = "whisper"
	f.setPolicy(p)
	res, err := f.a.Dictate(f.ctx, app.DictationRequest{Via: "window"})
	if err != nil || res.Text != "Whisper heard it" || !speech.recs[0].Closed || !speech.recs[1].Closed {
		t.Fatalf("%+v, %v; old models closed: %v %v", res, err, speech.recs[0].Closed, speech.recs[1].Closed)
	}
	if got := speech.loaded[2:]; !slices.Equal(got, []string{"whisper+metoprolol,apixaban"}) {
		t.Fatalf("with speech_model whisper: loaded %v, want it alone (no final pass of itself)", got)
	}
	p["speech_model"] = "elsewhere"
	f.setPolicy(p)
	if _, err := f.a.Dictate(f.ctx, app.DictationRequest{}); !errors.Is(err, app.ErrNoSpeechModel) || !strings.Contains(err.Error(), "elsewhere") {
		t.Fatalf("a speech_model not there: %v", err)
	}
}

// TestTheVADModelIsFoundInTheAppBundle: beside the binary everywhere, and in the app
// bundle's Resources on macOS only (codesign allows no data beside a bundle's binary).
func TestTheVADModelIsFoundInTheAppBundle(t *testing.T) {
	bundle := t.TempDir()
	macos, resources := filepath.Join(bundle, "Contents", "MacOS"), filepath.Join(bundle, "Contents", "Resources")
	os.MkdirAll(macos, 0o755)
	os.MkdirAll(resources, 0o755)
	if _, ok := app.VADModelBeside(macos, "darwin"); ok {
		t.Fatal("found a model where there is none")
	}
	os.WriteFile(filepath.Join(resources, app.VADModelFile), []byte("model"), 0o644)
	if p, ok := app.VADModelBeside(macos, "darwin"); !ok || p != filepath.Join(resources, app.VADModelFile) {
		t.Errorf("in the bundle's Resources: %q, %v", p, ok)
	}
	if _, ok := app.VADModelBeside(macos, "linux"); ok {
		t.Error("looked outside the binary's folder on Linux")
	}
	os.WriteFile(filepath.Join(macos, app.VADModelFile), []byte("model"), 0o644)
	if p, ok := app.VADModelBeside(macos, "linux"); !ok || p != filepath.Join(macos, app.VADModelFile) {
		t.Errorf("beside the binary: %q, %v", p, ok)
	}
}
