// Package speechtest makes synthetic speech for dictation's tests, at test time:
// espeak-ng speaks short clinical sentences (no one's voice, no patient), sox makes
// them 16 kHz, and the sentences are laid out with silences of a known length
// between them, so that a test knows where the speech is to the sample.
package speechtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/dictation"
)

// Sentences are the test's clinical sentences.
var Sentences = []string{
	"Patient reports chest pain for three days.",
	"Blood pressure is one forty over ninety.",
	"Continue lisinopril twenty milligrams daily.",
}

// Speech is synthetic speech laid out with silences.
type Speech struct {
	// Samples are the audio, mono at dictation.SampleRate, as sox wrote them (not
	// read back through the WAV reader).
	Samples []float32
	// Spans are where each sentence's speech is, [start, end) in samples.
	Spans [][2]int64
	// Path is the audio as a 16-bit WAV file.
	Path string
}

// Make speaks sentences into dir with gap of silence before, between and after
// them. It skips the test, saying why, where espeak-ng or sox is missing.
func Make(t testing.TB, dir string, sentences []string, gap time.Duration) Speech {
	t.Helper()
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps installs it): no test speech", tool)
		}
	}
	silence := make([]float32, int(gap.Seconds()*dictation.SampleRate))
	s := Speech{Samples: append([]float32{}, silence...)}
	for i, text := range sentences {
		raw := filepath.Join(dir, fmt.Sprintf("s%d-22k.wav", i))
		f32 := filepath.Join(dir, fmt.Sprintf("s%d.f32", i))
		if out, err := exec.Command("espeak-ng", "-v", "en-us", "-s", "160", "-w", raw, text).CombinedOutput(); err != nil {
			t.Fatalf("espeak-ng: %v\n%s", err, out)
		}
		// sox resamples and writes bare 32-bit floats: the reference is read
		// without the WAV reader or the resampler under test.
		if out, err := exec.Command("sox", raw, "-r", "16000", "-c", "1", "-e", "floating-point", "-b", "32", "-L", "-t", "raw", f32).CombinedOutput(); err != nil {
			t.Fatalf("sox: %v\n%s", err, out)
		}
		b, err := os.ReadFile(f32)
		if err != nil {
			t.Fatal(err)
		}
		speech := make([]float32, len(b)/4)
		binary.Read(bytes.NewReader(b), binary.LittleEndian, speech)
		first, last := speechBounds(speech)
		start := int64(len(s.Samples))
		s.Samples = append(s.Samples, speech[first:last]...)
		s.Spans = append(s.Spans, [2]int64{start, int64(len(s.Samples))})
		s.Samples = append(s.Samples, silence...)
	}
	s.Path = filepath.Join(dir, "speech.wav")
	if err := os.WriteFile(s.Path, WAV(s.Samples), 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}

// speechBounds is where the speech in x begins and ends: the first and last 10 ms
// frame louder than -40 dBFS.
func speechBounds(x []float32) (int, int) {
	const frame = dictation.SampleRate / 100
	first, last := -1, 0
	for f := 0; f+frame <= len(x); f += frame {
		var e float64
		for _, v := range x[f : f+frame] {
			e += float64(v) * float64(v)
		}
		if math.Sqrt(e/frame) > 0.01 {
			if first < 0 {
				first = f
			}
			last = f + frame
		}
	}
	if first < 0 {
		return 0, 0
	}
	return first, last
}

// WAV encodes samples (mono, dictation.SampleRate) as a 16-bit PCM WAV file.
func WAV(samples []float32) []byte {
	var b bytes.Buffer
	data := 2 * len(samples)
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(dictation.SampleRate), uint32(2 * dictation.SampleRate), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	for _, v := range samples {
		binary.Write(&b, binary.LittleEndian, int16(math.Round(float64(max(-1, min(1, v)))*32767)))
	}
	return b.Bytes()
}
