// Package sherpa is dictation's backend on sherpa-onnx (github.com/k2-fsa/sherpa-onnx-go,
// prebuilt libraries for Linux, macOS and Windows, bundled beside the binary): voice
// activity detection with the Silero VAD model (VAD), live recognition with a
// streaming transducer (Transducer), and a final pass over each whole utterance with
// a Whisper model where IT supplies one (Whisper).
//
// Every model file is checked against its digest — the Silero model's pinned here,
// a recogniser's from the allowlist — through the handle the C library then reads
// (models.OpenFile), so the bytes checked are the bytes loaded. The library does
// not return an error on a file it cannot parse: it ends the process. So a
// recogniser is first loaded in a child process (LoadTransducer, LoadWhisper; the
// binary calls RunProbe first thing), and here only once the child survived it.
//
// sherpa-onnx exports no ggml, llama or SQLite symbols (cmd/vellum tests it), so it
// links beside llama.cpp and SQLite3MultipleCiphers.
package sherpa

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"time"

	sherpa "github.com/k2-fsa/sherpa-onnx-go/sherpa_onnx"

	"github.com/vellumhealth/vellum/dictation"
)

// SileroV5SHA256 is the digest of the Silero VAD model, version 5, that Vellum runs
// (native/silero-vad.sh fetches it).
const SileroV5SHA256 = "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f"

// ErrModel: a model file cannot be used (missing, not the pinned or allowed one, or
// one sherpa-onnx cannot load).
var ErrModel = errors.New("the speech model cannot be used")

// VADConfig configures voice activity detection.
type VADConfig struct {
	// Model is the path of the Silero VAD v5 model (SileroV5SHA256).
	Model string
	// Threshold is the speech probability above which a window is speech; 0.5 if 0.
	Threshold float32
	// MinSilence is the pause that ends an utterance; 300 ms if 0.
	MinSilence time.Duration
	// MinSpeech is the shortest utterance kept; 250 ms if 0.
	MinSpeech time.Duration
	// MaxSpeech cuts an utterance that goes on longer; 20 s if 0.
	MaxSpeech time.Duration
}

// VAD is a dictation.Detector on Silero VAD. It is not safe for concurrent use,
// except Close. The audio it keeps (the last second or two, for onsets) is wiped as
// it goes, on Reset and on Close; the copies sherpa-onnx makes in its own memory are
// freed by it, not wiped.
type VAD struct {
	mu    sync.Mutex
	vad   *sherpa.VoiceActivityDetector
	taken int64 // samples accepted
	// recent are the last second or two of samples accepted, and preroll the second
	// before the detector last began to hear speech, from prerollAt: an utterance is
	// given the onset the detector's first window missed.
	recent    []float32
	preroll   []float32
	prerollAt int64
	speaking  bool
}

// lead is how much audio before the detector's start an utterance may take back,
// and still and quiet how far under its loudest 10 ms a 10 ms frame at its start and
// its end must be to be let go: the detector starts a window or two late and ends
// after its minimum silence; the utterance is the speech.
const (
	lead  = dictation.SampleRate / 5 // 200 ms
	quiet = 45                       // dB, at the end: the detector's hangover
	still = 60                       // dB, at the start: an onset is soft ("k", "s")
)

var _ dictation.Detector = (*VAD)(nil)

// NewVAD loads the model of cfg, once its digest is checked.
func NewVAD(cfg VADConfig) (*VAD, error) {
	dir, file := filepath.Split(cfg.Model)
	files, err := verify(dir, map[string]string{"voice activity model": file}, map[string]string{file: SileroV5SHA256})
	if err != nil {
		return nil, err
	}
	defer files.close()
	or := func(d, dflt time.Duration) float32 {
		if d <= 0 {
			d = dflt
		}
		return float32(d.Seconds())
	}
	threshold := cfg.Threshold
	if threshold <= 0 || threshold >= 1 {
		threshold = 0.5
	}
	c := sherpa.VadModelConfig{
		SileroVad: sherpa.SileroVadModelConfig{
			Model:              files.paths["voice activity model"],
			Threshold:          threshold,
			MinSilenceDuration: or(cfg.MinSilence, 300*time.Millisecond),
			MinSpeechDuration:  or(cfg.MinSpeech, 250*time.Millisecond),
			MaxSpeechDuration:  or(cfg.MaxSpeech, 20*time.Second),
			WindowSize:         512, // the v5 model's, at 16 kHz
		},
		SampleRate: dictation.SampleRate,
		NumThreads: 1,
		Provider:   "cpu",
	}
	// The buffer holds the speech not yet taken: longer than the longest utterance.
	v := sherpa.NewVoiceActivityDetector(&c, or(cfg.MaxSpeech, 20*time.Second)+5)
	if v == nil {
		return nil, fmt.Errorf("%w: sherpa-onnx could not load %s", ErrModel, cfg.Model)
	}
	return &VAD{vad: v}, nil
}

// Accept takes the audio's next samples, at dictation.SampleRate.
func (v *VAD) Accept(samples []float32) {
	if len(samples) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.vad == nil {
		return
	}
	if v.recent == nil {
		// Room enough that appending never moves it (a moved array would leave an
		// unwiped copy behind).
		v.recent = make([]float32, 0, 2*dictation.SampleRate+len(samples))
		v.preroll = make([]float32, 0, dictation.SampleRate+len(samples))
	}
	before := v.taken - int64(len(v.recent)) // where recent starts, before these samples
	keep := v.recent
	v.vad.AcceptWaveform(samples)
	v.taken += int64(len(samples))
	if speaking := v.vad.IsSpeech(); speaking && !v.speaking {
		// The detector hears speech once it has gone on for MinSpeech: its onset
		// and lead-in are in the second before these samples.
		from := max(0, len(keep)-dictation.SampleRate)
		clear(v.preroll)
		v.preroll = append(append(v.preroll[:0], keep[from:]...), samples...)
		v.prerollAt = before + int64(from)
		v.speaking = true
	} else if !speaking {
		v.speaking = false
	}
	if len(v.recent)+len(samples) > cap(v.recent) {
		// Keep the last second; what moves down is wiped where it was.
		over := max(0, len(v.recent)-dictation.SampleRate)
		n := copy(v.recent, v.recent[over:])
		clear(v.recent[n:])
		v.recent = v.recent[:n]
	}
	if len(v.recent)+len(samples) <= cap(v.recent) {
		v.recent = append(v.recent, samples...)
	}
}

// Flush ends the audio.
func (v *VAD) Flush() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.vad != nil {
		v.vad.Flush()
	}
}

// Next returns the next utterance found, if any.
func (v *VAD) Next() (dictation.Utterance, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.vad == nil || v.vad.IsEmpty() {
		return dictation.Utterance{}, false
	}
	s := v.vad.Front()
	v.vad.Pop()
	defer clear(s.Samples)
	u := dictation.Utterance{Start: int64(s.Start), Samples: s.Samples}
	// The onset before the detector's start, from the audio kept when it began to
	// hear speech.
	end := v.prerollAt + int64(len(v.preroll))
	if from := max(u.Start-lead, v.prerollAt); from < u.Start && u.Start <= end {
		before := v.preroll[from-v.prerollAt : u.Start-v.prerollAt]
		u.Samples = append(append(make([]float32, 0, len(before)+len(u.Samples)), before...), u.Samples...)
		u.Start = from
		defer clear(u.Samples)
	}
	// The speech alone, in a slice of its own: what trim lets go of is wiped with
	// the rest.
	t := trim(u)
	return dictation.Utterance{Start: t.Start, Samples: append([]float32(nil), t.Samples...)}, true
}

// Reset forgets the audio accepted and wipes what the detector holds.
func (v *VAD) Reset() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.vad != nil {
		for !v.vad.IsEmpty() {
			clear(v.vad.Front().Samples)
			v.vad.Pop()
		}
		v.vad.Clear()
		v.vad.Reset()
	}
	clear(v.recent)
	clear(v.preroll)
	v.recent, v.preroll = v.recent[:0], v.preroll[:0]
	v.taken, v.prerollAt, v.speaking = 0, 0, false
}

// trim lets go of the 10 ms frames at u's ends that are quiet beside its loudest
// (still at the start, quiet at the end).
func trim(u dictation.Utterance) dictation.Utterance {
	const frame = dictation.SampleRate / 100
	n := len(u.Samples) / frame
	if n < 3 {
		return u
	}
	rms := make([]float64, n)
	loudest := 0.0
	for f := range n {
		var e float64
		for _, x := range u.Samples[f*frame : (f+1)*frame] {
			e += float64(x) * float64(x)
		}
		rms[f] = math.Sqrt(e / frame)
		loudest = max(loudest, rms[f])
	}
	first, last := 0, n-1
	for floor := loudest * math.Pow(10, -still/20.0); first < last && rms[first] < floor; {
		first++
	}
	for floor := loudest * math.Pow(10, -quiet/20.0); last > first && rms[last] < floor; {
		last--
	}
	start, end := first*frame, (last+1)*frame
	if last == n-1 {
		end = len(u.Samples) // the tail shorter than a frame stays with the speech
	}
	return dictation.Utterance{Start: u.Start + int64(start), Samples: u.Samples[start:end]}
}

// Speaking says whether speech is going on at the end of the audio accepted.
func (v *VAD) Speaking() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.vad != nil && v.vad.IsSpeech()
}

// Close frees the model.
func (v *VAD) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.vad != nil {
		sherpa.DeleteVoiceActivityDetector(v.vad)
		v.vad = nil
	}
	clear(v.recent)
	clear(v.preroll)
	return nil
}
