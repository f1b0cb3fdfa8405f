// Package dictationtest has fakes for dictation's tests and its callers': audio in
// memory, a detector that hears loudness, and a recognizer that reads from a script,
// so that a dictation runs without a microphone, a model or speech weights.
package dictationtest

import (
	"context"
	"io"
	"math"
	"strings"

	"github.com/vellumhealth/vellum/dictation"
)

// Samples is a Source over samples in memory.
type Samples struct {
	X   []float32
	Pos int // samples read so far
}

func (s *Samples) Read(p []float32) (int, error) {
	if s.Pos >= len(s.X) {
		return 0, io.EOF
	}
	n := copy(p, s.X[s.Pos:])
	s.Pos += n
	return n, nil
}
func (s *Samples) Close() error { return nil }

// LoudDetector is a Detector for tests: speech is any 100 ms louder than -40 dBFS,
// and an utterance ends after 300 ms quieter.
type LoudDetector struct {
	pos, start, quiet int64
	speaking          bool
	cur               []float32
	done              []dictation.Utterance
	// Handed are the samples of every utterance it handed on; Resets counts Reset.
	Handed [][]float32
	Resets int
}

func (d *LoudDetector) Accept(x []float32) {
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
		} else if d.quiet += int64(len(x)); d.quiet >= dictation.SampleRate*3/10 {
			d.end()
		}
	}
	d.pos += int64(len(x))
}

func (d *LoudDetector) end() {
	u := dictation.Utterance{Start: d.start, Samples: d.cur}
	d.done = append(d.done, u)
	d.Handed = append(d.Handed, u.Samples)
	d.speaking, d.cur = false, nil
}

func (d *LoudDetector) Flush() {
	if d.speaking {
		d.end()
	}
}
func (d *LoudDetector) Next() (dictation.Utterance, bool) {
	if len(d.done) == 0 {
		return dictation.Utterance{}, false
	}
	u := d.done[0]
	d.done = d.done[1:]
	return u, true
}
func (d *LoudDetector) Speaking() bool { return d.speaking }

// Reset wipes what it holds and starts again.
func (d *LoudDetector) Reset() {
	clear(d.cur)
	for _, u := range d.done {
		clear(u.Samples)
	}
	d.pos, d.speaking, d.cur, d.done = 0, false, nil, nil
	d.Resets++
}
func (d *LoudDetector) Close() error { return nil }

// ScriptRecognizer "recognises" each utterance as the next of its lines, and hears
// the live audio as the words of that line so far.
type ScriptRecognizer struct {
	Lines []string
	next  int
	Fail  error
	// Digest is the "model" digest it reports.
	Digest string
	// Finished are the samples each finished stream was given, in order.
	Finished [][]float32
	// Closed: Close was called.
	Closed bool
}

// ModelDigest is the digest it was given.
func (r *ScriptRecognizer) ModelDigest() string { return r.Digest }

type scriptStream struct {
	r     *ScriptRecognizer
	heard int
	got   []float32
}

func (r *ScriptRecognizer) NewStream() (dictation.Stream, error) { return &scriptStream{r: r}, r.Fail }
func (r *ScriptRecognizer) Close() error                         { r.Closed = true; return nil }
func (s *scriptStream) Accept(x []float32) {
	s.heard += len(x)
	s.got = append(s.got, x...)
}
func (s *scriptStream) Partial() string {
	words := strings.Fields(s.r.Lines[min(s.r.next, len(s.r.Lines)-1)])
	return strings.Join(words[:min(len(words), s.heard/(dictation.SampleRate/5)+1)], " ")
}
func (s *scriptStream) Finish(ctx context.Context) (string, error) {
	line := s.r.Lines[min(s.r.next, len(s.r.Lines)-1)]
	s.r.next++
	s.r.Finished = append(s.r.Finished, s.got)
	return line, ctx.Err()
}
func (s *scriptStream) Close() error { return nil }

// Speech is bursts of tone (seconds long each) with gaps of silence.
func Speech(gap float64, bursts ...float64) []float32 {
	silence := make([]float32, int(gap*dictation.SampleRate))
	out := append([]float32{}, silence...)
	for _, b := range bursts {
		for i := range int(b * dictation.SampleRate) {
			out = append(out, float32(0.3*math.Sin(2*math.Pi*220*float64(i)/dictation.SampleRate)))
		}
		out = append(out, silence...)
	}
	return out
}
