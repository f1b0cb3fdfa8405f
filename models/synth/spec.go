package synth

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalidSpec: a Spec describes no model llama.cpp could load.
var ErrInvalidSpec = errors.New("invalid synthetic model spec")

// TensorType is the ggml type of the weight matrices.
type TensorType uint32

// The types Write produces. Norm weights and rope factors are always F32, as in the
// models llama.cpp's converter writes.
const (
	F32 TensorType = 0
	F16 TensorType = 1
)

// Spec is the shape of a llama model. The vocabulary size is not here: it is the
// tokenizer's, given to Write.
type Spec struct {
	Name              string // general.name
	EmbeddingLength   int    // n_embd
	BlockCount        int    // n_layer
	HeadCount         int    // n_head
	HeadCountKV       int    // n_head_kv; HeadCount for plain multi-head attention
	FeedForwardLength int    // n_ff
	ContextLength     int    // the context the model was "trained" for
	RopeFreqBase      float32
	RMSEpsilon        float32
	// TiedEmbeddings: no output.weight; llama.cpp uses token_embd.weight for both.
	TiedEmbeddings bool
	// RopeScaling, when set, adds Llama 3's rope_freqs.weight tensor.
	RopeScaling *Llama3RopeScaling
	WeightType  TensorType
	// ChatTemplate is written as tokenizer.chat_template; empty writes none, and
	// drops any the vocabulary file carries.
	ChatTemplate string
}

// Llama3RopeScaling is Llama 3.1's "llama3" rope scaling, which llama.cpp applies
// through per-frequency factors stored as the rope_freqs.weight tensor.
type Llama3RopeScaling struct {
	Factor          float64
	LowFreqFactor   float64
	HighFreqFactor  float64
	OriginalContext int
}

// Tiny is a small model for tests: with Llama 3's 128256-token vocabulary it has
// 8.3M parameters, nearly all of them the embedding, and writes 16 MB in F16.
var Tiny = Spec{
	Name:              "synth-tiny",
	EmbeddingLength:   64,
	BlockCount:        2,
	HeadCount:         4,
	HeadCountKV:       2,
	FeedForwardLength: 128,
	ContextLength:     2048,
	RopeFreqBase:      500000,
	RMSEpsilon:        1e-5,
	TiedEmbeddings:    true,
	WeightType:        F16,
	ChatTemplate:      Llama3ChatTemplate,
}

// Llama32_1B is Llama 3.2 1B's exact shape (its config.json), for benchmarks that
// must cost what the real model costs: 1.24B parameters, 2.5 GB in F16.
var Llama32_1B = Spec{
	Name:              "synth-llama-3.2-1b",
	EmbeddingLength:   2048,
	BlockCount:        16,
	HeadCount:         32,
	HeadCountKV:       8,
	FeedForwardLength: 8192,
	ContextLength:     131072,
	RopeFreqBase:      500000,
	RMSEpsilon:        1e-5,
	TiedEmbeddings:    true,
	RopeScaling:       &Llama3RopeScaling{Factor: 32, LowFreqFactor: 1, HighFreqFactor: 4, OriginalContext: 8192},
	WeightType:        F16,
	ChatTemplate:      Llama3ChatTemplate,
}

// Llama31_8B is Llama 3.1 8B's exact shape (its config.json), the size a
// workstation GPU drafts with: 8.03B parameters, 16 GB in F16, about 4.9 GB in
// Q4_K_M. Its output matrix is its own, not the embedding's.
var Llama31_8B = Spec{
	Name:              "synth-llama-3.1-8b",
	EmbeddingLength:   4096,
	BlockCount:        32,
	HeadCount:         32,
	HeadCountKV:       8,
	FeedForwardLength: 14336,
	ContextLength:     131072,
	RopeFreqBase:      500000,
	RMSEpsilon:        1e-5,
	TiedEmbeddings:    false,
	RopeScaling:       &Llama3RopeScaling{Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalContext: 8192},
	WeightType:        F16,
	ChatTemplate:      Llama3ChatTemplate,
}

// Llama3ChatTemplate is the chat template of Meta's Llama 3 Instruct models. llama.cpp
// recognises it by its <|start_header_id|> and <|end_header_id|> markers.
const Llama3ChatTemplate = "{% set loop_messages = messages %}" +
	"{% for message in loop_messages %}" +
	"{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}" +
	"{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}" +
	"{{ content }}" +
	"{% endfor %}" +
	"{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"

// Limits that keep a Spec's arithmetic far from overflow; the largest llama models
// are well inside them.
const (
	maxWidth  = 1 << 18
	maxBlocks = 1 << 10
)

func (s Spec) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidSpec}, args...)...)
	}
	for _, f := range []struct {
		name string
		v    int
		max  int
	}{
		{"embedding length", s.EmbeddingLength, maxWidth},
		{"block count", s.BlockCount, maxBlocks},
		{"head count", s.HeadCount, maxWidth},
		{"KV head count", s.HeadCountKV, maxWidth},
		{"feed-forward length", s.FeedForwardLength, maxWidth},
		{"context length", s.ContextLength, math.MaxInt32},
	} {
		if f.v <= 0 || f.v > f.max {
			return bad("%s %d is not between 1 and %d", f.name, f.v, f.max)
		}
	}
	if s.EmbeddingLength%s.HeadCount != 0 {
		return bad("head count %d does not divide embedding length %d", s.HeadCount, s.EmbeddingLength)
	}
	if s.HeadCount%s.HeadCountKV != 0 {
		return bad("KV head count %d does not divide head count %d", s.HeadCountKV, s.HeadCount)
	}
	if s.headDim()%2 != 0 {
		return bad("head dimension %d is odd; rope rotates pairs", s.headDim())
	}
	if !(s.RopeFreqBase > 0) || !(s.RMSEpsilon > 0) || math.IsInf(float64(s.RopeFreqBase), 0) {
		return bad("rope base %v and RMS epsilon %v must be positive", s.RopeFreqBase, s.RMSEpsilon)
	}
	if r := s.RopeScaling; r != nil && (!(r.Factor > 0) || !(r.LowFreqFactor > 0) || !(r.HighFreqFactor > r.LowFreqFactor) || r.OriginalContext <= 0) {
		return bad("rope scaling %+v: factors must be positive, the high above the low", *r)
	}
	if s.WeightType != F16 && s.WeightType != F32 {
		return bad("weight type %d (F32 and F16 only; quantize afterwards)", s.WeightType)
	}
	return nil
}

func (s Spec) headDim() int { return s.EmbeddingLength / s.HeadCount }

// Parameters is the number of weights the model has with a vocabulary of nVocab
// tokens, counted as llama.cpp and models.ReadHeader count them (rope factors too);
// 0 for a Spec that Write would refuse.
func (s Spec) Parameters(nVocab int) uint64 {
	if s.validate() != nil || nVocab <= 0 || nVocab > maxArrayLen {
		return 0
	}
	var n uint64
	for _, t := range s.tensors(nVocab) {
		n += t.elems()
	}
	return n
}

// fill says what a tensor holds.
type fill int

const (
	fillRandom fill = iota
	fillOnes
	fillValues
)

type tensor struct {
	name   string
	dims   []uint64 // ne[0] first: the row length
	typ    TensorType
	fill   fill
	values []float32 // for fillValues
}

func (t tensor) elems() uint64 {
	n := uint64(1)
	for _, d := range t.dims {
		n *= d
	}
	return n
}

func (t tensor) bytes() uint64 {
	if t.typ == F16 {
		return t.elems() * 2
	}
	return t.elems() * 4
}

// tensors lists the model's tensors in the order llama.cpp's converter writes them,
// with the names and shapes src/models/llama.cpp asks for.
func (s Spec) tensors(nVocab int) []tensor {
	embd, ff, vocab := uint64(s.EmbeddingLength), uint64(s.FeedForwardLength), uint64(nVocab)
	embdKV := uint64(s.headDim() * s.HeadCountKV)
	matrix := func(name string, dims ...uint64) tensor {
		return tensor{name: name, dims: dims, typ: s.WeightType, fill: fillRandom}
	}
	norm := func(name string) tensor {
		return tensor{name: name, dims: []uint64{embd}, typ: F32, fill: fillOnes}
	}
	ts := []tensor{matrix("token_embd.weight", embd, vocab)}
	if s.RopeScaling != nil {
		f := s.RopeScaling.factors(s.headDim(), float64(s.RopeFreqBase))
		ts = append(ts, tensor{name: "rope_freqs.weight", dims: []uint64{uint64(len(f))}, typ: F32, fill: fillValues, values: f})
	}
	for i := range s.BlockCount {
		blk := fmt.Sprintf("blk.%d.", i)
		ts = append(ts,
			norm(blk+"attn_norm.weight"),
			matrix(blk+"attn_q.weight", embd, embd),
			matrix(blk+"attn_k.weight", embd, embdKV),
			matrix(blk+"attn_v.weight", embd, embdKV),
			matrix(blk+"attn_output.weight", embd, embd),
			norm(blk+"ffn_norm.weight"),
			matrix(blk+"ffn_gate.weight", embd, ff),
			matrix(blk+"ffn_up.weight", embd, ff),
			matrix(blk+"ffn_down.weight", ff, embd),
		)
	}
	ts = append(ts, norm("output_norm.weight"))
	if !s.TiedEmbeddings {
		ts = append(ts, matrix("output.weight", embd, vocab))
	}
	return ts
}

// factors computes Llama 3's rope frequency factors as the Hugging Face converter
// does: high frequencies keep their rate, low ones are slowed by Factor, and those
// between are interpolated smoothly.
func (r Llama3RopeScaling) factors(headDim int, base float64) []float32 {
	ctx := float64(r.OriginalContext)
	lowWavelen, highWavelen := ctx/r.LowFreqFactor, ctx/r.HighFreqFactor
	out := make([]float32, 0, headDim/2)
	for i := 0; i < headDim; i += 2 {
		freq := 1 / math.Pow(base, float64(i)/float64(headDim))
		wavelen := 2 * math.Pi / freq
		switch {
		case wavelen < highWavelen:
			out = append(out, 1)
		case wavelen > lowWavelen:
			out = append(out, float32(r.Factor))
		default:
			smooth := (ctx/wavelen - r.LowFreqFactor) / (r.HighFreqFactor - r.LowFreqFactor)
			out = append(out, float32(1/((1-smooth)/r.Factor+smooth)))
		}
	}
	return out
}

// Version names what Write produces: it changes whenever the bytes written for a given
// Spec, vocabulary and seed change, so that models cached under a name that includes it
// (the benchmark's) are made again rather than silently reused.
const Version = "1"
