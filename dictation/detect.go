package dictation

import (
	"errors"
	"io"
)

// An Utterance is speech a Detector found between pauses.
type Utterance struct {
	// Start is where it begins, in samples from the start of the audio.
	Start   int64
	Samples []float32
}

// End is where the utterance ends, in samples from the start of the audio.
func (u Utterance) End() int64 { return u.Start + int64(len(u.Samples)) }

// A Detector finds the utterances in audio: voice activity detection, which cuts
// speech at its pauses.
type Detector interface {
	// Accept takes the audio's next samples, at SampleRate.
	Accept(samples []float32)
	// Flush ends the audio: speech still going on ends where the audio does.
	Flush()
	// Next returns the next utterance found so far, if any.
	Next() (Utterance, bool)
	// Speaking says whether speech is going on at the end of the audio accepted.
	Speaking() bool
	// Reset forgets the audio accepted, wiping what it holds: the detector starts
	// again as new (a dictation cancelled leaves nothing to the next).
	Reset()
	Close() error
}

// Segment reads src to its end through d, and returns the utterances d found.
func Segment(src Source, d Detector) ([]Utterance, error) {
	var out []Utterance
	buf := make([]float32, SampleRate/10) // 100 ms at a time, as a microphone delivers
	for {
		n, err := src.Read(buf)
		if n > 0 {
			d.Accept(buf[:n])
			for u, ok := d.Next(); ok; u, ok = d.Next() {
				out = append(out, u)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, err
		}
	}
	d.Flush()
	for u, ok := d.Next(); ok; u, ok = d.Next() {
		out = append(out, u)
	}
	return out, nil
}
