package dictation

import (
	"context"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// samplesSource is a Source over samples in memory.
type samplesSource struct {
	x   []float32
	pos int
}

func (s *samplesSource) Read(p []float32) (int, error) {
	if s.pos >= len(s.x) {
		return 0, io.EOF
	}
	n := copy(p, s.x[s.pos:])
	s.pos += n
	return n, nil
}
func (s *samplesSource) Close() error { return nil }

// loudDetector is a Detector for tests: speech is any 100 ms louder than -40 dBFS,
// and an utterance ends after 300 ms quieter.
type loudDetector struct {
	pos, start, quiet int64
	speaking          bool
	cur               []float32
	done              []Utterance
	handed            [][]float32 // every utterance's samples it handed on
}

func (d *loudDetector) Accept(x []float32) {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	loud := math.Sqrt(e/float64(len(x))) > 0.01
	switch {
	case loud && !d.speaking:
		d.speaking, d.start, d.quiet = true, d.pos, 0
		d.cur = append([]float32{}, x...)
	case d.speaking:
		d.cur = append(d.cur, x...)
		if loud {
			d.quiet = 0
		} else if d.quiet += int64(len(x)); d.quiet >= SampleRate*3/10 {
			d.end()
		}
	}
	d.pos += int64(len(x))
}

func (d *loudDetector) end() {
	u := Utterance{Start: d.start, Samples: d.cur}
	d.done = append(d.done, u)
	d.handed = append(d.handed, u.Samples)
	d.speaking, d.cur = false, nil
}

func (d *loudDetector) Flush() {
	if d.speaking {
		d.end()
	}
}
func (d *loudDetector) Next() (Utterance, bool) {
	if len(d.done) == 0 {
		return Utterance{}, false
	}
	u := d.done[0]
	d.done = d.done[1:]
	return u, true
}
func (d *loudDetector) Speaking() bool { return d.speaking }
func (d *loudDetector) Close() error   { return nil }

// scriptRecognizer "recognises" each utterance as the next of its lines, and hears
// the live audio as the words of that line so far.
type scriptRecognizer struct {
	lines []string
	next  int
	fail  error
}

type scriptStream struct {
	r     *scriptRecognizer
	heard int
}

func (r *scriptRecognizer) NewStream() (Stream, error) { return &scriptStream{r: r}, r.fail }
func (r *scriptRecognizer) Close() error               { return nil }
func (s *scriptStream) Accept(x []float32)             { s.heard += len(x) }
func (s *scriptStream) Partial() string {
	words := strings.Fields(s.r.lines[min(s.r.next, len(s.r.lines)-1)])
	return strings.Join(words[:min(len(words), s.heard/(SampleRate/5)+1)], " ")
}
func (s *scriptStream) Finish(ctx context.Context) (string, error) {
	line := s.r.lines[min(s.r.next, len(s.r.lines)-1)]
	s.r.next++
	return line, ctx.Err()
}
func (s *scriptStream) Close() error { return nil }

// speech is bursts of tone (seconds long each) with gaps of silence.
func speech(gap float64, bursts ...float64) []float32 {
	silence := make([]float32, int(gap*SampleRate))
	out := append([]float32{}, silence...)
	for _, b := range bursts {
		for i := range int(b * SampleRate) {
			out = append(out, float32(0.3*math.Sin(2*math.Pi*220*float64(i)/SampleRate)))
		}
		out = append(out, silence...)
	}
	return out
}

// TestASessionTurnsSpeechIntoText: each utterance's text arrives as it ends, spoken
// commands applied, with live text and the level as it goes; the session ends with
// its audio; and what the detector handed on is wiped once recognised.
func TestASessionTurnsSpeechIntoText(t *testing.T) {
	det := &loudDetector{}
	rec := &scriptRecognizer{lines: []string{"patient denies chest pain period", "plan colon continue lisinopril period next section"}}
	var partials, utterances []string
	var levels []float64
	nextSection := false
	s := Session{Source: &samplesSource{x: speech(0.8, 1.5, 1.2)}, Detector: det, Recognizer: rec, Events: Events{
		Level:       func(l float64) { levels = append(levels, l) },
		Partial:     func(p string) { partials = append(partials, p) },
		Utterance:   func(u string) { utterances = append(utterances, u) },
		NextSection: func() { nextSection = true },
	}}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := "Patient denies chest pain. Plan: continue lisinopril."
	if res.Text != want || res.Utterances != 2 || res.Stopped != "end" || !nextSection {
		t.Fatalf("result %+v (next section %v), want %q from 2 utterances", res, nextSection, want)
	}
	if len(utterances) != 2 || utterances[1] != want || len(partials) == 0 || !slices.Contains(partials, "patient denies") {
		t.Fatalf("events: utterances %q, partials %q", utterances, partials)
	}
	if slices.Max(levels) <= 0.5 || slices.Min(levels) != 0 {
		t.Fatalf("levels from %v to %v, want silence at 0 and speech above 0.5", slices.Min(levels), slices.Max(levels))
	}
	for i, u := range det.handed {
		if slices.ContainsFunc(u, func(v float32) bool { return v != 0 }) {
			t.Fatalf("utterance %d's audio is still in memory after it was recognised", i)
		}
	}
}

// TestASessionStopsAfterSilenceOrWhenCancelled: the silence set in settings ends it
// (counted from the start too: a hotkey pressed by mistake), without reading the
// rest; a cancel ends it at once, recognising nothing more.
func TestASessionStopsAfterSilenceOrWhenCancelled(t *testing.T) {
	src := &samplesSource{x: append(speech(0.5, 1), speech(3, 1)...)}
	s := Session{Source: src, Detector: &loudDetector{}, Recognizer: &scriptRecognizer{lines: []string{"no fever period"}}, StopAfter: time.Second}
	res, err := s.Run(context.Background())
	if err != nil || res.Stopped != "silence" || res.Utterances != 1 || src.pos >= len(src.x)/2 {
		t.Fatalf("%+v, %v (read %d of %d samples), want stopped by silence after one utterance", res, err, src.pos, len(src.x))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s = Session{Source: &samplesSource{x: speech(0.5, 1)}, Detector: &loudDetector{}, Recognizer: &scriptRecognizer{lines: []string{"x"}}}
	if res, err := s.Run(ctx); err != nil || res.Stopped != "cancel" || res.Utterances != 0 {
		t.Fatalf("cancelled: %+v, %v", res, err)
	}
}

// TestASessionSaysWhatFailed: no recognizer, or one that fails, is an error that says
// so.
func TestASessionSaysWhatFailed(t *testing.T) {
	s := Session{Source: &samplesSource{x: speech(0.5, 1)}, Detector: &loudDetector{}}
	if _, err := s.Run(context.Background()); !errors.Is(err, ErrNoRecognizer) {
		t.Fatalf("no recognizer: %v", err)
	}
	broken := errors.New("model gone")
	s.Recognizer = &scriptRecognizer{lines: []string{"x"}, fail: broken}
	if _, err := s.Run(context.Background()); !errors.Is(err, broken) || !strings.Contains(err.Error(), "recogni") {
		t.Fatalf("a failing recognizer: %v", err)
	}
}
