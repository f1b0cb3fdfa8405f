package sherpa

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/dictation/speechtest"
)

// vadModel is the pinned Silero model make deps fetches (VELLUM_VAD_MODEL).
func vadModel(t testing.TB) string {
	p := os.Getenv("VELLUM_VAD_MODEL")
	if p == "" {
		t.Skip("VELLUM_VAD_MODEL is not set (make test sets it to the model make deps fetches): no voice activity model")
	}
	return p
}

// TestVADFindsTheUtterancesAtThePauses: the real Silero model, over speech laid out
// with 800 ms silences (after a Reset that drops half a dictation heard before),
// finds each sentence, its start and end within 100 ms of where
// the speech is, and hands on the audio as it was: the same samples at the place it
// names, none dropped or repeated.
func TestVADFindsTheUtterancesAtThePauses(t *testing.T) {
	model := vadModel(t)
	s := speechtest.Make(t, t.TempDir(), speechtest.Sentences, 800*time.Millisecond)
	v, err := NewVAD(VADConfig{Model: model})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	w, err := dictation.OpenWAV(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// A dictation cancelled midway leaves nothing to the next: half the speech
	// heard, then Reset.
	v.Accept(s.Samples[:len(s.Samples)/2])
	v.Reset()
	if v.Speaking() {
		t.Fatal("still hearing speech after Reset")
	}
	got, err := dictation.Segment(w, v)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(s.Spans) {
		t.Fatalf("%d utterances, want %d: %v", len(got), len(s.Spans), spans(got))
	}
	const within = dictation.SampleRate / 10 // 100 ms
	for i, u := range got {
		want := s.Spans[i]
		t.Logf("utterance %d spans %v ms, the speech %v ms", i, ms(u.Start, u.End()), ms(want[0], want[1]))
		if abs(u.Start-want[0]) > within || abs(u.End()-want[1]) > within {
			t.Errorf("utterance %d spans %v ms, the speech %v ms", i, ms(u.Start, u.End()), ms(want[0], want[1]))
		}
		if db := snr(u.Samples, s.Samples[u.Start:u.End()]); db < 30 {
			t.Errorf("utterance %d is %.1f dB above its difference from the audio at its place, want 30", i, db)
		}
	}
}

// TestAModelThatIsNotThePinnedOneIsRefused: a corrupt or other model never reaches
// the C library; the error names the digest.
func TestAModelThatIsNotThePinnedOneIsRefused(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "silero_vad_v5.onnx")
	os.WriteFile(bad, []byte("not a model"), 0o600)
	for _, path := range []string{bad, filepath.Join(dir, "missing.onnx")} {
		if _, err := NewVAD(VADConfig{Model: path}); !errors.Is(err, ErrModel) {
			t.Errorf("%s: %v, want ErrModel", path, err)
		}
	}
}

// BenchmarkVAD reports the detector's real-time factor on one thread (issue 17: under
// 0.01): the seconds it takes for a second of speech.
func BenchmarkVAD(b *testing.B) {
	model := vadModel(b)
	s := speechtest.Make(b, b.TempDir(), speechtest.Sentences, 800*time.Millisecond)
	var spent time.Duration
	for b.Loop() {
		v, err := NewVAD(VADConfig{Model: model})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := 0; i < len(s.Samples); i += dictation.SampleRate / 10 {
			v.Accept(s.Samples[i:min(len(s.Samples), i+dictation.SampleRate/10)])
			for _, ok := v.Next(); ok; _, ok = v.Next() {
			}
		}
		spent += time.Since(start)
		v.Close()
	}
	audio := float64(len(s.Samples)) / dictation.SampleRate * float64(b.N)
	b.ReportMetric(spent.Seconds()/audio, "real-time-factor")
	b.ReportMetric(spent.Seconds()/audio/0.01, "rtf/0.01-budget")
}

func spans(us []dictation.Utterance) [][2]float64 {
	var out [][2]float64
	for _, u := range us {
		out = append(out, ms(u.Start, u.End()))
	}
	return out
}

func ms(a, b int64) [2]float64 {
	return [2]float64{float64(a) * 1000 / dictation.SampleRate, float64(b) * 1000 / dictation.SampleRate}
}

func abs(x int64) int64 { return max(x, -x) }

// snr is got's power over the power of its difference from want, in dB.
func snr(got, want []float32) float64 {
	var sig, noise float64
	for i := range min(len(got), len(want)) {
		sig += float64(want[i]) * float64(want[i])
		d := float64(got[i]) - float64(want[i])
		noise += d * d
	}
	if len(got) != len(want) {
		return math.Inf(-1)
	}
	if noise == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(sig/noise)
}
