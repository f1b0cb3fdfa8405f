package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/dictation/capture"
	"github.com/vellumhealth/vellum/dictation/sherpa"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/policy"
)

// ErrNoSpeechModel: no allowed speech model is in the models folder, so there is
// nothing to recognise speech with. The error says what was found instead.
var ErrNoSpeechModel = errors.New("no speech model for dictation")

// VADModelFile is the Silero voice activity model's file name: it ships beside the
// binary (make build, the packages), its digest pinned in dictation/sherpa.
const VADModelFile = "silero_vad_v5.onnx"

// SpeechBackend builds what dictation hears with. The App's is sherpa-onnx and the
// microphone; tests give it fakes.
type SpeechBackend interface {
	// Detector is a fresh voice activity detector for one dictation.
	Detector() (dictation.Detector, error)
	// Recognizer loads m, whose files lie in dir, favouring hotWords where the
	// model can.
	Recognizer(ctx context.Context, m models.SpeechModel, dir string, hotWords []string) (dictation.Recognizer, error)
	// Microphone opens the input device of that name ("": the system's default).
	Microphone(device string) (dictation.Source, error)
}

// speechState is the App's loaded recognisers, kept between dictations (loading
// one takes a second or more) and replaced when policy or the folder changes them.
// One load runs at a time (loadMu), outside mu, so that a dictation ending and the
// App closing never wait for a load.
type speechState struct {
	loadMu sync.Mutex
	mu     sync.Mutex // guards the fields
	key    string     // what loaded was loaded for
	loaded *recognizers
	closed bool // the App closed: a load that finishes is freed at once
}

// recognizers are a live and a final recogniser (final nil where there is no
// Whisper model), freed once retired and no dictation uses them.
type recognizers struct {
	live, final dictation.Recognizer
	users       int
	retired     bool
}

func (r *recognizers) close() {
	for _, rec := range []dictation.Recognizer{r.live, r.final} {
		if rec != nil {
			rec.Close()
		}
	}
}

// sherpaBackend is the real SpeechBackend.
type sherpaBackend struct{}

func (sherpaBackend) Detector() (dictation.Detector, error) {
	return sherpa.NewVAD(sherpa.VADConfig{Model: vadModelPath()})
}

func (sherpaBackend) Recognizer(ctx context.Context, m models.SpeechModel, dir string, hotWords []string) (dictation.Recognizer, error) {
	folder := filepath.Join(dir, models.SpeechDir, m.Name)
	switch m.Kind {
	case models.Transducer:
		return sherpa.LoadTransducer(ctx, sherpa.TransducerConfig{Dir: folder, Encoder: m.Files["encoder"],
			Decoder: m.Files["decoder"], Joiner: m.Files["joiner"], Token: m.Files["tokens"], BPEVocab: m.Files["bpe"],
			SHA256: m.SHA256, HotWords: hotWords})
	case models.Whisper:
		return sherpa.LoadWhisper(ctx, sherpa.WhisperConfig{Dir: folder, Encoder: m.Files["encoder"],
			Decoder: m.Files["decoder"], Token: m.Files["tokens"], SHA256: m.SHA256})
	}
	return nil, fmt.Errorf("speech model %s: a %q model is not one Vellum runs", m.Name, m.Kind)
}

func (sherpaBackend) Microphone(device string) (dictation.Source, error) {
	return capture.Open(capture.Config{Device: device})
}

// vadModelPath is the voice activity model beside the binary (or in the app bundle's
// Contents/Resources on macOS, where codesign allows no data beside the binary), else
// (a development build run from the Go cache) the one $VELLUM_VAD_MODEL names. Either
// must be the pinned model.
func vadModelPath() string {
	if exe, err := os.Executable(); err == nil {
		if p, ok := vadModelBeside(filepath.Dir(exe), runtime.GOOS); ok {
			return p
		}
	}
	if p := os.Getenv("VELLUM_VAD_MODEL"); p != "" {
		return p
	}
	return VADModelFile // not found: the error will name it
}

// vadModelBeside finds the model in the binary's folder dir or, on macOS, its app
// bundle's Resources.
func vadModelBeside(dir, goos string) (string, bool) {
	places := []string{filepath.Join(dir, VADModelFile)}
	if goos == "darwin" {
		places = append(places, filepath.Join(dir, "..", "Resources", VADModelFile))
	}
	for _, p := range places {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

func (a *App) speechBackend() SpeechBackend {
	if a.cfg.Speech != nil {
		return a.cfg.Speech
	}
	return sherpaBackend{}
}

// SpeechModels picks dictation's models from the catalog (scanned now): live, the
// model policy names (speech_model), else the first allowed streaming transducer,
// else the first allowed model; final, an allowed Whisper model that is not live,
// if any. ErrNoSpeechModel says what the folder holds where none is allowed.
func (a *App) SpeechModels(ctx context.Context) (live, final models.SpeechModel, err error) {
	live, final, _, err = a.speechModels(ctx)
	return live, final, err
}

// speechModels is SpeechModels, with the models folder they were found in.
func (a *App) speechModels(ctx context.Context) (live, final models.SpeechModel, dir string, err error) {
	c := a.Catalog()
	dir = c.Dir
	if err := c.Scan(ctx); err != nil {
		return live, final, dir, err
	}
	all := c.Speech()
	var allowed []models.SpeechModel
	var others []string
	for _, m := range all {
		if m.Status == models.Allowed {
			allowed = append(allowed, m)
		} else {
			others = append(others, fmt.Sprintf("%s is %s: %s", m.Name, m.Status, m.Reason))
		}
	}
	if want := a.Policy().String(policy.SpeechModel); want != "" {
		i := slices.IndexFunc(all, func(m models.SpeechModel) bool { return m.Name == want })
		switch {
		case i < 0:
			return live, final, dir, fmt.Errorf("%w: speech_model names %s, which is not in %s", ErrNoSpeechModel, want, filepath.Join(c.Dir, models.SpeechDir))
		case all[i].Status != models.Allowed:
			return live, final, dir, fmt.Errorf("%w: speech_model %s is %s: %s", ErrNoSpeechModel, want, all[i].Status, all[i].Reason)
		}
		live = all[i]
	} else {
		for _, kind := range []models.SpeechKind{models.Transducer, models.Whisper} {
			if i := slices.IndexFunc(allowed, func(m models.SpeechModel) bool { return m.Kind == kind }); i >= 0 {
				live = allowed[i]
				break
			}
		}
	}
	if live.Name == "" {
		found := "it holds none"
		if len(others) > 0 {
			found = strings.Join(others, "; ")
		}
		return live, final, dir, fmt.Errorf("%w: IT copies an allowed one into %s (%s)", ErrNoSpeechModel, filepath.Join(c.Dir, models.SpeechDir), found)
	}
	for _, m := range allowed {
		if m.Kind == models.Whisper && m.Name != live.Name {
			final = m
			break
		}
	}
	return live, final, dir, nil
}

// useRecognizers returns dictation's recognisers, loading them if policy, the
// folder or the vocabulary changed, and a release to call when the dictation is over.
func (a *App) useRecognizers(ctx context.Context) (*recognizers, func(), error) {
	lm, fm, dir, err := a.speechModels(ctx)
	if err != nil {
		return nil, nil, err
	}
	words := a.Policy().Strings(policy.DictationVocabulary)
	key := strings.Join([]string{dir, speechKey(lm), speechKey(fm), strings.Join(words, "\n")}, "\x00")
	s := &a.speech
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.mu.Lock()
	current := s.loaded != nil && s.key == key
	s.mu.Unlock()
	if !current {
		next, err := a.loadRecognizers(ctx, lm, fm, dir, words)
		if err != nil {
			return nil, nil, err
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			next.close()
			return nil, nil, ErrNoVault
		}
		s.retireLocked()
		s.key, s.loaded = key, next
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.loaded
	r.users++
	return r, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.users--; r.users == 0 && r.retired {
			r.close()
		}
	}, nil
}

func (a *App) loadRecognizers(ctx context.Context, lm, fm models.SpeechModel, dir string, words []string) (*recognizers, error) {
	b := a.speechBackend()
	live, err := b.Recognizer(ctx, lm, dir, words)
	if err != nil {
		return nil, fmt.Errorf("dictation: %w", err)
	}
	next := &recognizers{live: live}
	if fm.Name != "" {
		if next.final, err = b.Recognizer(ctx, fm, dir, nil); err != nil {
			live.Close()
			return nil, fmt.Errorf("dictation, final pass: %w", err)
		}
	}
	return next, nil
}

// speechKey names a model by its folder and its files' digests.
func speechKey(m models.SpeechModel) string {
	if m.Name == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.Name)
	for _, f := range slices.Sorted(maps.Keys(m.SHA256)) {
		b.WriteString("\x01" + f + "=" + m.SHA256[f])
	}
	return b.String()
}

// retireLocked lets the loaded recognisers go: now, or when the last dictation using
// them ends. s.mu is held.
func (s *speechState) retireLocked() {
	if r := s.loaded; r != nil {
		r.retired = true
		if r.users == 0 {
			r.close()
		}
	}
	s.key, s.loaded = "", nil
}

// closeSpeech frees the recognisers (once no dictation uses them), and any a load
// under way finishes with; it does not wait for that load.
func (a *App) closeSpeech() {
	a.speech.mu.Lock()
	defer a.speech.mu.Unlock()
	a.speech.closed = true
	a.speech.retireLocked()
}
