package sherpa

import (
	"context"
	"fmt"
	"strings"
	"sync"

	sherpa "github.com/k2-fsa/sherpa-onnx-go/sherpa_onnx"

	"github.com/vellumhealth/vellum/dictation"
)

// TransducerConfig names a streaming transducer model (sherpa-onnx's Zipformer
// releases: an encoder, a decoder and a joiner in ONNX, and their tokens) and the
// digests its files must have.
type TransducerConfig struct {
	// Dir holds encoder.onnx, decoder.onnx, joiner.onnx and tokens.txt (or the
	// names below).
	Dir                             string
	Encoder, Decoder, Joiner, Token string
	// SHA256 is each file's digest, by its name in Dir, from the allowlist: a file
	// without one, or with another, is refused before the C library reads it.
	SHA256 map[string]string
	// BPEVocab names the model's bpe.vocab, if it has one: hot words are spelled in
	// its pieces, so without it they are not used.
	BPEVocab string
	// HotWords are words to favour (drug names, the department's terms), one a line
	// as sherpa-onnx writes them; they switch decoding to beam search.
	HotWords []string
	// Threads for the network; 2 if 0.
	Threads int
}

// Transducer is a dictation.Recognizer on a streaming transducer.
type Transducer struct {
	mu     sync.Mutex
	rec    *sherpa.OnlineRecognizer
	digest string
}

var _ dictation.Recognizer = (*Transducer)(nil)

// NewTransducer checks cfg's files against their digests, then loads them. The
// files are read once, here: the model lives in memory after.
func NewTransducer(cfg TransducerConfig) (*Transducer, error) {
	files := map[string]string{
		"encoder": nameOr(cfg.Encoder, "encoder.onnx"), "decoder": nameOr(cfg.Decoder, "decoder.onnx"),
		"joiner": nameOr(cfg.Joiner, "joiner.onnx"), "tokens": nameOr(cfg.Token, "tokens.txt"),
	}
	if cfg.BPEVocab != "" {
		files["bpe"] = cfg.BPEVocab
	}
	v, err := verify(cfg.Dir, files, cfg.SHA256)
	if err != nil {
		return nil, err
	}
	defer v.close()
	threads := threadsOr(cfg.Threads)
	c := sherpa.OnlineRecognizerConfig{
		FeatConfig: sherpa.FeatureConfig{SampleRate: dictation.SampleRate, FeatureDim: 80},
		ModelConfig: sherpa.OnlineModelConfig{
			Transducer: sherpa.OnlineTransducerModelConfig{
				Encoder: v.paths["encoder"],
				Decoder: v.paths["decoder"],
				Joiner:  v.paths["joiner"],
			},
			Tokens:     v.paths["tokens"],
			NumThreads: threads,
			Provider:   "cpu",
		},
		DecodingMethod: "greedy_search",
	}
	if len(cfg.HotWords) > 0 && cfg.BPEVocab != "" {
		c.ModelConfig.ModelingUnit, c.ModelConfig.BpeVocab = "bpe", v.paths["bpe"]
		buf := strings.Join(cfg.HotWords, "\n") + "\n"
		c.DecodingMethod, c.MaxActivePaths = "modified_beam_search", 4
		c.HotwordsBuf, c.HotwordsBufSize, c.HotwordsScore = buf, len(buf), 1.5
	}
	rec := sherpa.NewOnlineRecognizer(&c)
	if rec == nil {
		return nil, fmt.Errorf("%w: sherpa-onnx could not load the transducer in %s", ErrModel, cfg.Dir)
	}
	return &Transducer{rec: rec, digest: v.digest}, nil
}

// ModelDigest names the model by its files' digests, for the audit record.
func (t *Transducer) ModelDigest() string { return t.digest }

// NewStream begins an utterance.
func (t *Transducer) NewStream() (dictation.Stream, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.rec == nil {
		return nil, fmt.Errorf("%w: the transducer is closed", ErrModel)
	}
	s := sherpa.NewOnlineStream(t.rec)
	if s == nil {
		return nil, fmt.Errorf("%w: sherpa-onnx could not start a stream", ErrModel)
	}
	return &transducerStream{t: t, s: s}, nil
}

// Close frees the model.
func (t *Transducer) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.rec != nil {
		sherpa.DeleteOnlineRecognizer(t.rec)
		t.rec = nil
	}
	return nil
}

type transducerStream struct {
	t *Transducer
	s *sherpa.OnlineStream
}

func (st *transducerStream) Accept(samples []float32) {
	if len(samples) == 0 || st.s == nil {
		return
	}
	st.s.AcceptWaveform(dictation.SampleRate, samples)
	for st.t.rec.IsReady(st.s) {
		st.t.rec.Decode(st.s)
	}
}

func (st *transducerStream) Partial() string {
	if st.s == nil {
		return ""
	}
	return st.t.rec.GetResult(st.s).Text
}

// Finish decodes what is left, a frame at a time, so that a cancel stops it.
func (st *transducerStream) Finish(ctx context.Context) (string, error) {
	if st.s == nil {
		return "", fmt.Errorf("%w: the stream is closed", ErrModel)
	}
	st.s.InputFinished()
	for st.t.rec.IsReady(st.s) {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		st.t.rec.Decode(st.s)
	}
	return st.t.rec.GetResult(st.s).Text, nil
}

func (st *transducerStream) Close() error {
	if st.s != nil {
		sherpa.DeleteOnlineStream(st.s)
		st.s = nil
	}
	return nil
}
