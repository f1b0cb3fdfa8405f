package dictation_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/dictation/dictationtest"
)

// TestASessionTurnsSpeechIntoText: each utterance's text arrives as it ends, spoken
// commands applied, with live text and the level as it goes; the session ends with
// its audio; and what the detector handed on is wiped once recognised.
func TestASessionTurnsSpeechIntoText(t *testing.T) {
	det := &dictationtest.LoudDetector{}
	rec := &dictationtest.ScriptRecognizer{Lines: []string{"patient denies chest pain period", "plan colon continue lisinopril period next section"}}
	var partials, utterances []string
	var levels []float64
	nextSection := false
	s := dictation.Session{Source: &dictationtest.Samples{X: dictationtest.Speech(0.8, 1.5, 1.2)}, Detector: det, Recognizer: rec, Events: dictation.Events{
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
	// Each utterance was recognised whole, once: the final streams got exactly what
	// the detector handed on (copied before it was wiped).
	if len(rec.Finished) != len(det.Handed) {
		t.Fatalf("%d final streams for %d utterances", len(rec.Finished), len(det.Handed))
	}
	for i, u := range det.Handed {
		if len(rec.Finished[i]) != len(u) {
			t.Fatalf("utterance %d: the final stream got %d samples, the detector handed on %d", i, len(rec.Finished[i]), len(u))
		}
		if slices.ContainsFunc(u, func(v float32) bool { return v != 0 }) {
			t.Fatalf("utterance %d's audio is still in memory after it was recognised", i)
		}
	}
	if det.Resets != 1 {
		t.Fatalf("the detector was reset %d times, want once, at the end", det.Resets)
	}
}

// TestASessionStopsAfterSilenceOrWhenCancelled: the silence set in settings ends it
// (counted from the start too: a hotkey pressed by mistake), without reading the
// rest; a cancel ends it at once, recognising nothing more.
func TestASessionStopsAfterSilenceOrWhenCancelled(t *testing.T) {
	src := &dictationtest.Samples{X: append(dictationtest.Speech(0.5, 1), dictationtest.Speech(3, 1)...)}
	s := dictation.Session{Source: src, Detector: &dictationtest.LoudDetector{}, Recognizer: &dictationtest.ScriptRecognizer{Lines: []string{"no fever period"}}, StopAfter: time.Second}
	res, err := s.Run(context.Background())
	if err != nil || res.Stopped != "silence" || res.Utterances != 1 || src.Pos >= len(src.X)/2 {
		t.Fatalf("%+v, %v (read %d of %d samples), want stopped by silence after one utterance", res, err, src.Pos, len(src.X))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	det := &dictationtest.LoudDetector{}
	s = dictation.Session{Source: &dictationtest.Samples{X: dictationtest.Speech(0.5, 1)}, Detector: det, Recognizer: &dictationtest.ScriptRecognizer{Lines: []string{"x"}}}
	if res, err := s.Run(ctx); err != nil || res.Stopped != "cancel" || res.Utterances != 0 || det.Resets != 1 {
		t.Fatalf("cancelled: %+v, %v (detector reset %d times)", res, err, det.Resets)
	}
	// Cancelled while the source waits for audio that does not come (a microphone
	// unplugged): the source is closed, and the session ends.
	ctx, cancel = context.WithCancel(context.Background())
	silent := &blockingSource{closed: make(chan struct{}), reading: make(chan struct{})}
	s = dictation.Session{Source: silent, Detector: &dictationtest.LoudDetector{}, Recognizer: &dictationtest.ScriptRecognizer{Lines: []string{"x"}}}
	go func() { <-silent.reading; cancel() }()
	if res, err := s.Run(ctx); err != nil || res.Stopped != "cancel" {
		t.Fatalf("cancelled while waiting for audio: %+v, %v", res, err)
	}
}

// TestAStoppedSessionKeepsTheUtteranceUnderWay: stopped as the physician speaks (a
// push-to-talk key let go before any pause), the utterance under way is recognised
// and kept; a source stuck waiting for audio is closed, and the stop still ends it.
func TestAStoppedSessionKeepsTheUtteranceUnderWay(t *testing.T) {
	stop := make(chan struct{})
	var once sync.Once
	src := &dictationtest.Samples{X: dictationtest.Speech(0.2, 30)} // speech that would go on for 30 s
	s := dictation.Session{Source: src, Detector: &dictationtest.LoudDetector{},
		Recognizer: &dictationtest.ScriptRecognizer{Lines: []string{"lungs clear period"}}, Stop: stop,
		Events: dictation.Events{Partial: func(string) { once.Do(func() { close(stop) }) }}}
	res, err := s.Run(context.Background())
	if err != nil || res.Stopped != "stop" || res.Utterances != 1 || res.Text != "Lungs clear." || src.Pos > len(src.X)/10 {
		t.Fatalf("%+v, %v (read %d of %d samples), want the utterance under way kept", res, err, src.Pos, len(src.X))
	}
	silent := &blockingSource{closed: make(chan struct{}), reading: make(chan struct{})}
	stop = make(chan struct{})
	s = dictation.Session{Source: silent, Detector: &dictationtest.LoudDetector{}, Recognizer: &dictationtest.ScriptRecognizer{Lines: []string{"x"}}, Stop: stop}
	go func() { <-silent.reading; close(stop) }()
	if res, err := s.Run(context.Background()); err != nil || res.Stopped != "stop" {
		t.Fatalf("stopped while waiting for audio: %+v, %v", res, err)
	}
}

// blockingSource is a microphone that delivers nothing until closed; reading is
// closed once a read waits.
type blockingSource struct {
	closed, reading chan struct{}
	once            sync.Once
}

func (b *blockingSource) Read([]float32) (int, error) {
	b.once.Do(func() { close(b.reading) })
	<-b.closed
	return 0, io.EOF
}

func (b *blockingSource) Close() error {
	select {
	case <-b.closed:
	default:
		close(b.closed)
	}
	return nil
}

// TestASessionSaysWhatFailed: no recognizer, or one that fails, is an error that says
// so.
func TestASessionSaysWhatFailed(t *testing.T) {
	s := dictation.Session{Source: &dictationtest.Samples{X: dictationtest.Speech(0.5, 1)}, Detector: &dictationtest.LoudDetector{}}
	if _, err := s.Run(context.Background()); !errors.Is(err, dictation.ErrNoRecognizer) {
		t.Fatalf("no recognizer: %v", err)
	}
	broken := errors.New("model gone")
	s.Recognizer = &dictationtest.ScriptRecognizer{Lines: []string{"x"}, Fail: broken}
	if _, err := s.Run(context.Background()); !errors.Is(err, broken) || !strings.Contains(err.Error(), "recogni") {
		t.Fatalf("a failing recognizer: %v", err)
	}
}
