package sherpa

import (
	"context"
	"fmt"
	"strings"
	"sync"

	sherpa "github.com/k2-fsa/sherpa-onnx-go/sherpa_onnx"

	"github.com/vellumhealth/vellum/dictation"
)

// WhisperConfig names a Whisper model as sherpa-onnx exports it (an encoder and a
// decoder in ONNX, and its tokens) and the digests its files must have.
type WhisperConfig struct {
	Dir                     string
	Encoder, Decoder, Token string
	// SHA256 is each file's digest, by its name in Dir, from the allowlist.
	SHA256 map[string]string
	// Language spoken; "en" if empty (a multilingual model would guess otherwise).
	Language string
	// Threads for the network; 2 if 0.
	Threads int
}

// Whisper is a dictation.Recognizer that hears a whole utterance once it is over:
// the final pass, where IT supplies a Whisper model, more accurate than the
// streaming transducer's live text. Its streams have no partial text.
type Whisper struct {
	mu     sync.Mutex
	rec    *sherpa.OfflineRecognizer
	digest string
}

var _ dictation.Recognizer = (*Whisper)(nil)

// NewWhisper checks cfg's files against their digests, then loads them.
func NewWhisper(cfg WhisperConfig) (*Whisper, error) {
	v, err := verify(cfg.Dir, map[string]string{
		"encoder": nameOr(cfg.Encoder, "encoder.onnx"), "decoder": nameOr(cfg.Decoder, "decoder.onnx"),
		"tokens": nameOr(cfg.Token, "tokens.txt"),
	}, cfg.SHA256)
	if err != nil {
		return nil, err
	}
	defer v.close()
	threads := threadsOr(cfg.Threads)
	lang := cfg.Language
	if lang == "" {
		lang = "en"
	}
	c := sherpa.OfflineRecognizerConfig{
		FeatConfig: sherpa.FeatureConfig{SampleRate: dictation.SampleRate, FeatureDim: 80},
		ModelConfig: sherpa.OfflineModelConfig{
			Whisper: sherpa.OfflineWhisperModelConfig{
				Encoder: v.paths["encoder"], Decoder: v.paths["decoder"],
				Language: lang, Task: "transcribe", TailPaddings: -1,
			},
			Tokens:     v.paths["tokens"],
			NumThreads: threads,
			Provider:   "cpu",
		},
		DecodingMethod: "greedy_search",
	}
	rec := sherpa.NewOfflineRecognizer(&c)
	if rec == nil {
		return nil, fmt.Errorf("%w: sherpa-onnx could not load the Whisper model in %s", ErrModel, cfg.Dir)
	}
	return &Whisper{rec: rec, digest: v.digest}, nil
}

// ModelDigest names the model by its files' digests, for the audit record.
func (w *Whisper) ModelDigest() string { return w.digest }

// NewStream begins an utterance.
func (w *Whisper) NewStream() (dictation.Stream, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.rec == nil {
		return nil, fmt.Errorf("%w: the Whisper model is closed", ErrModel)
	}
	return &whisperStream{w: w}, nil
}

// Close frees the model.
func (w *Whisper) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.rec != nil {
		sherpa.DeleteOfflineRecognizer(w.rec)
		w.rec = nil
	}
	return nil
}

// whisperStream keeps the utterance's audio until Finish hears it whole; Close
// wipes it.
type whisperStream struct {
	w       *Whisper
	samples []float32
}

func (st *whisperStream) Accept(samples []float32) {
	if cap(st.samples)-len(st.samples) < len(samples) {
		grown := make([]float32, len(st.samples), 2*cap(st.samples)+len(samples))
		copy(grown, st.samples)
		clear(st.samples) // the old array is let go wiped
		st.samples = grown
	}
	st.samples = append(st.samples, samples...)
}

func (st *whisperStream) Partial() string { return "" }

func (st *whisperStream) Finish(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	st.w.mu.Lock()
	defer st.w.mu.Unlock()
	if st.w.rec == nil {
		return "", fmt.Errorf("%w: the Whisper model is closed", ErrModel)
	}
	s := sherpa.NewOfflineStream(st.w.rec)
	if s == nil {
		return "", fmt.Errorf("%w: sherpa-onnx could not start a stream", ErrModel)
	}
	defer sherpa.DeleteOfflineStream(s)
	s.AcceptWaveform(dictation.SampleRate, st.samples)
	st.w.rec.Decode(s) // one call: an utterance is at most a few seconds
	return strings.TrimSpace(s.GetResult().Text), nil
}

func (st *whisperStream) Close() error {
	clear(st.samples)
	st.samples = nil
	return nil
}
