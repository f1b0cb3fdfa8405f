package dictation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// A Recognizer turns speech into text, one utterance at a time.
type Recognizer interface {
	// NewStream begins an utterance.
	NewStream() (Stream, error)
	Close() error
}

// A Stream decodes one utterance as its audio arrives.
type Stream interface {
	// Accept takes the utterance's next samples, at SampleRate.
	Accept(samples []float32)
	// Partial is the text decoded so far.
	Partial() string
	// Finish ends the utterance's audio and returns its text.
	Finish(ctx context.Context) (string, error)
	Close() error
}

// Events are what a Session tells its caller as it goes. Each may be nil; they are
// called from Run's goroutine.
type Events struct {
	// Level is the input's level, 0 to 1, about ten times a second.
	Level func(level float64)
	// Partial is the text of the utterance being spoken, as it grows.
	Partial func(text string)
	// Utterance is the transcript once an utterance is recognised: all the text so
	// far, as spoken commands left it.
	Utterance func(text string)
	// NextSection: the physician said "next section".
	NextSection func()
}

// Session is one dictation: audio from a Source, cut into utterances by a Detector,
// each heard as it is spoken by a Recognizer (for the live text), and recognised
// whole once the Detector has cut it (by Final where there is one, else by the same
// Recognizer: the whole utterance, its onset included, which the live stream heard
// only from the moment the Detector knew it was speech), until the audio ends, the
// caller cancels, or the physician is silent for StopAfter.
type Session struct {
	Source     Source
	Detector   Detector
	Recognizer Recognizer
	Final      Recognizer
	Events     Events
	// StopAfter ends the session after this long without speech; never if 0.
	StopAfter time.Duration
	// Stop, once closed, ends the session as its audio ending would (Stopped
	// "stop"): the utterance under way is recognised, and the text kept. Cancelling
	// the context drops it instead.
	Stop <-chan struct{}
}

// Result is what a session produced, for the audit record: never audio, never text
// beyond the transcript handed to the caller.
type Result struct {
	// Text is the transcript, as spoken commands left it.
	Text string
	// Audio is how long the session listened; Utterances how many it recognised.
	Audio      time.Duration
	Utterances int
	// Stopped says why the session ended: "end" of the audio, "stop" (asked to),
	// "silence", "cancel", or "error".
	Stopped string
	// Dropped is the audio the source dropped because the session fell behind.
	Dropped time.Duration
}

// dropper is a Source that counts the samples it dropped (the microphone).
type dropper interface{ Dropped() int64 }

// ErrNoRecognizer: a session was asked to run without a recognizer.
var ErrNoRecognizer = errors.New("dictation: no speech recognizer is configured")

// Run runs the session until its audio ends, ctx is done (Stopped "cancel": the
// Source is closed, so that a read waiting on a silent device returns), or the
// silence runs past StopAfter. The audio it read is overwritten as soon as it is
// used, and the Detector is reset on every way out: nothing of it remains in them
// once Run returns.
func (s *Session) Run(ctx context.Context) (res Result, err error) {
	if s.Recognizer == nil {
		return Result{}, ErrNoRecognizer
	}
	src := s.Source // this run's: the callback may run after Run has returned
	stopClosing := context.AfterFunc(ctx, func() { src.Close() })
	defer stopClosing()
	var read int64 // samples read
	var tr Transcript
	defer func() {
		res.Text = tr.String() // what was recognised, however it ended
		// Whatever the detector still holds is wiped, taken or not.
		for u, ok := s.Detector.Next(); ok; u, ok = s.Detector.Next() {
			clear(u.Samples)
		}
		s.Detector.Reset()
		res.Audio = time.Duration(read) * time.Second / SampleRate
		if d, ok := s.Source.(dropper); ok {
			res.Dropped = time.Duration(d.Dropped()) * time.Second / SampleRate
		}
		switch {
		case ctx.Err() != nil || errors.Is(err, context.Canceled):
			res.Stopped, err = "cancel", nil
		case err != nil:
			res.Stopped = "error"
		}
	}()
	var (
		live       Stream
		lastSpeech int64
	)
	defer func() {
		if live != nil {
			live.Close()
		}
	}()
	final := s.Final
	if final == nil {
		final = s.Recognizer
	}
	chunk := make([]float32, SampleRate/10)
	defer clear(chunk)
	finish := func(u Utterance) error {
		if live != nil {
			live.Close()
			live = nil
		}
		defer clear(u.Samples)
		st, err := final.NewStream()
		if err != nil {
			return err
		}
		defer st.Close()
		st.Accept(u.Samples)
		text, err := st.Finish(ctx)
		if err != nil {
			return err
		}
		res.Utterances++
		if tr.Add(text) && s.Events.NextSection != nil {
			s.Events.NextSection()
		}
		if s.Events.Utterance != nil {
			s.Events.Utterance(tr.String())
		}
		return nil
	}
	// A source that stops delivering (a device stuck) is closed a second after a
	// stop, so that the stop is not kept waiting on it.
	if stop := s.Stop; stop != nil {
		over := make(chan struct{})
		defer close(over)
		go func() {
			select {
			case <-stop:
			case <-over:
				return
			}
			select {
			case <-time.After(time.Second):
				src.Close()
			case <-over:
			}
		}()
	}
	stopped := "end"
	asked := func() bool {
		select {
		case <-s.Stop:
			return true
		default:
			return false
		}
	}
	for {
		if ctx.Err() != nil {
			stopped = "cancel"
			break
		}
		if asked() {
			// What was read is heard to its end: a push-to-talk key comes up before
			// the pause that would have ended the utterance.
			stopped = "stop"
			break
		}
		n, err := s.Source.Read(chunk)
		if n > 0 {
			samples := chunk[:n]
			read += int64(n)
			if s.Events.Level != nil {
				s.Events.Level(level(samples))
			}
			s.Detector.Accept(samples)
			if s.Detector.Speaking() {
				lastSpeech = read
				// Live text: a stream hears the speech as it comes.
				if live == nil {
					if live, err = s.Recognizer.NewStream(); err != nil {
						return res, fmt.Errorf("dictation: start recognition: %w", err)
					}
				}
				live.Accept(samples)
				if s.Events.Partial != nil {
					s.Events.Partial(live.Partial())
				}
			}
			clear(samples)
			for u, ok := s.Detector.Next(); ok; u, ok = s.Detector.Next() {
				if err := finish(u); err != nil {
					return res, fmt.Errorf("dictation: recognise: %w", err)
				}
			}
		}
		if errors.Is(err, io.EOF) {
			switch {
			case ctx.Err() != nil:
				stopped = "cancel" // the source closed by the cancel
			case asked():
				stopped = "stop" // closed by the stop, or ended as it came
			}
			break
		}
		if err != nil {
			return res, fmt.Errorf("dictation: read audio: %w", err)
		}
		if s.StopAfter > 0 && !s.Detector.Speaking() && read-lastSpeech > int64(s.StopAfter.Seconds()*SampleRate) {
			stopped = "silence"
			break
		}
	}
	if stopped != "cancel" {
		s.Detector.Flush()
		for u, ok := s.Detector.Next(); ok; u, ok = s.Detector.Next() {
			if err := finish(u); err != nil {
				return res, fmt.Errorf("dictation: recognise: %w", err)
			}
		}
	}
	res.Stopped = stopped
	return res, nil
}

// level is the loudness of samples, 0 to 1: their RMS on a 60 dB scale.
func level(samples []float32) float64 {
	var e float64
	for _, v := range samples {
		e += float64(v) * float64(v)
	}
	if e == 0 {
		return 0
	}
	db := 10 * math.Log10(e/float64(len(samples)))
	return max(0, min(1, (db+60)/60))
}
