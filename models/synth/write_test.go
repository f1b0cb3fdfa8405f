package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/models"
)

// fakeVocabKVs is a small GPT-2-style tokenizer, with a chat template of its own that
// Write must replace, and a non-tokenizer key that LoadVocab must not copy.
func fakeVocabKVs() []KV {
	tokens := make([]string, 300)
	types := make([]int32, len(tokens))
	for i := range tokens {
		tokens[i] = fmt.Sprintf("t%d", i)
		types[i] = 1
	}
	return []KV{
		{"general.architecture", "llama"},
		{"general.name", "vocab only"},
		{"tokenizer.ggml.model", "gpt2"},
		{"tokenizer.ggml.pre", "llama-bpe"},
		{"tokenizer.ggml.tokens", tokens},
		{"tokenizer.ggml.token_type", types},
		{"tokenizer.ggml.merges", []string{"t 1", "t 2"}},
		{"tokenizer.ggml.bos_token_id", uint32(1)},
		{"tokenizer.chat_template", "{{ the vocabulary's own }}"},
	}
}

func fakeVocab(t testing.TB) *Vocab {
	t.Helper()
	v, err := newVocab(fakeVocabKVs())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func writeModel(t testing.TB, s Spec, v *Vocab, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, s, v, seed); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readHeader(t testing.TB, b []byte) *models.Header {
	t.Helper()
	h, err := models.ReadHeader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestWrittenModelsReadBackAsLlamaModelsOfTheirSpec(t *testing.T) {
	untied := Tiny
	untied.TiedEmbeddings = false
	f32 := Tiny
	f32.WeightType = F32
	noTemplate := Tiny
	noTemplate.ChatTemplate = ""
	scaled := Tiny
	scaled.RopeScaling = Llama32_1B.RopeScaling
	mha := Tiny
	mha.HeadCountKV = mha.HeadCount
	for _, tc := range []struct {
		name     string
		spec     Spec
		tensors  int
		fileType string
	}{
		{"the tiny preset has 2 blocks of 9 tensors, the embedding and the output norm", Tiny, 2*9 + 2, "F16"},
		{"untied embeddings add output.weight", untied, 2*9 + 3, "F16"},
		{"F32 weights make an F32 file", f32, 2*9 + 2, "F32"},
		{"no chat template writes none", noTemplate, 2*9 + 2, "F16"},
		{"llama 3 rope scaling adds rope_freqs.weight", scaled, 2*9 + 3, "F16"},
		{"multi-head attention is a KV head per head", mha, 2*9 + 2, "F16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := fakeVocab(t)
			b := writeModel(t, tc.spec, v, 1)
			h := readHeader(t, b)
			if h.Version != 3 || h.Architecture != "llama" || h.Name != tc.spec.Name || h.Tokenizer != "gpt2" {
				t.Errorf("version %d, architecture %q, name %q, tokenizer %q", h.Version, h.Architecture, h.Name, h.Tokenizer)
			}
			if len(h.Tensors) != tc.tensors {
				t.Errorf("%d tensors, want %d", len(h.Tensors), tc.tensors)
			}
			if h.FileType != tc.fileType {
				t.Errorf("file type %s, want %s", h.FileType, tc.fileType)
			}
			if h.ChatTemplate != tc.spec.ChatTemplate {
				t.Errorf("chat template %q, want %q", h.ChatTemplate, tc.spec.ChatTemplate)
			}
			if h.VocabSize != v.Size() || h.Meta["llama.vocab_size"] != fmt.Sprint(v.Size()) {
				t.Errorf("vocabulary of %d (llama.vocab_size %s), want %d", h.VocabSize, h.Meta["llama.vocab_size"], v.Size())
			}
			if h.ContextLen != uint64(tc.spec.ContextLength) {
				t.Errorf("context %d", h.ContextLen)
			}
			if want := tc.spec.Parameters(v.Size()); h.Parameters != want || want == 0 {
				t.Errorf("%d parameters, want %d", h.Parameters, want)
			}
			if _, ok := h.Meta["general.name"]; !ok || h.Meta["general.architecture"] != "llama" {
				t.Error("general.* keys missing")
			}
			if h.Meta["general.description"] != description {
				t.Errorf("description %q", h.Meta["general.description"])
			}
			if _, ok := h.Meta["general.name"]; ok && strings.Contains(h.Name, "vocab only") {
				t.Error("the vocabulary's general.name was copied")
			}
			// The file ends with the last tensor's padding, and nothing else.
			if int64(len(b)) != h.DataOffset+int64(alignUp(h.DataBytes)) {
				t.Errorf("%d bytes, want %d + %d", len(b), h.DataOffset, alignUp(h.DataBytes))
			}
		})
	}
}

func TestMetadataHasTheKeysLlamaCppReads(t *testing.T) {
	// Only the header: Write streams, so the first megabyte holds it, and the 2.5 GB
	// of weights are never made.
	w := &prefix{max: 1 << 20}
	if err := Write(w, Llama32_1B, fakeVocab(t), 0); !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	kvs, err := ReadMetadata(bytes.NewReader(w.b))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, kv := range kvs {
		got[kv.Key] = kv.Value
	}
	for key, want := range map[string]any{
		"general.architecture":                   "llama",
		"general.file_type":                      uint32(1),
		"general.alignment":                      uint32(32),
		"llama.vocab_size":                       uint32(300),
		"llama.context_length":                   uint32(131072),
		"llama.embedding_length":                 uint32(2048),
		"llama.block_count":                      uint32(16),
		"llama.feed_forward_length":              uint32(8192),
		"llama.attention.head_count":             uint32(32),
		"llama.attention.head_count_kv":          uint32(8),
		"llama.attention.key_length":             uint32(64),
		"llama.attention.value_length":           uint32(64),
		"llama.rope.dimension_count":             uint32(64),
		"llama.rope.freq_base":                   float32(500000),
		"llama.attention.layer_norm_rms_epsilon": float32(1e-5),
		"tokenizer.ggml.model":                   "gpt2",
		"tokenizer.ggml.pre":                     "llama-bpe",
		"tokenizer.ggml.bos_token_id":            uint32(1),
		"tokenizer.chat_template":                Llama3ChatTemplate,
	} {
		if got[key] != want {
			t.Errorf("%s = %#v, want %#v", key, got[key], want)
		}
	}
	for _, marker := range []string{"<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"} {
		if !strings.Contains(Llama3ChatTemplate, marker) {
			t.Errorf("the template lacks %s, by which llama.cpp knows it", marker)
		}
	}
}

// prefix keeps the first max bytes written to it, then refuses more.
type prefix struct {
	b   []byte
	max int
}

var errEnough = errors.New("enough")

func (p *prefix) Write(b []byte) (int, error) {
	n := min(len(b), p.max-len(p.b))
	p.b = append(p.b, b[:n]...)
	if n < len(b) {
		return n, errEnough
	}
	return n, nil
}

func TestLlama32_1BHasTheRealModelsShape(t *testing.T) {
	// Llama 3.2 1B: 1,235,814,400 weights (embedding tied), plus 32 rope factors.
	if got := Llama32_1B.Parameters(128256); got != 1_235_814_400+32 {
		t.Errorf("%d parameters", got)
	}
	byName := map[string][]uint64{}
	for _, tt := range Llama32_1B.tensors(128256) {
		byName[tt.name] = tt.dims
	}
	for name, dims := range map[string][]uint64{
		"token_embd.weight":         {2048, 128256},
		"rope_freqs.weight":         {32},
		"blk.0.attn_q.weight":       {2048, 2048},
		"blk.15.attn_k.weight":      {2048, 512},
		"blk.15.attn_v.weight":      {2048, 512},
		"blk.7.attn_output.weight":  {2048, 2048},
		"blk.3.ffn_gate.weight":     {2048, 8192},
		"blk.3.ffn_up.weight":       {2048, 8192},
		"blk.3.ffn_down.weight":     {8192, 2048},
		"blk.3.attn_norm.weight":    {2048},
		"blk.3.ffn_norm.weight":     {2048},
		"output_norm.weight":        {2048},
		"output.weight":             nil,
		"blk.16.attn_norm.weight":   nil,
		"blk.0.attn_q.weight.extra": nil,
	} {
		if fmt.Sprint(byName[name]) != fmt.Sprint(dims) {
			t.Errorf("%s: %v, want %v", name, byName[name], dims)
		}
	}
}

func TestLlama31_8BHasTheRealModelsShape(t *testing.T) {
	// Llama 3.1 8B: 8,030,261,248 weights (its own output matrix), plus 64 rope factors.
	if got := Llama31_8B.Parameters(128256); got != 8_030_261_248+64 {
		t.Errorf("%d parameters", got)
	}
	if err := Llama31_8B.validate(); err != nil {
		t.Fatal(err)
	}
	byName := map[string][]uint64{}
	for _, tt := range Llama31_8B.tensors(128256) {
		byName[tt.name] = tt.dims
	}
	for name, dims := range map[string][]uint64{
		"output.weight":         {4096, 128256},
		"blk.31.attn_k.weight":  {4096, 1024},
		"blk.0.ffn_down.weight": {14336, 4096},
		"rope_freqs.weight":     {64},
	} {
		if fmt.Sprint(byName[name]) != fmt.Sprint(dims) {
			t.Errorf("%s: %v, want %v", name, byName[name], dims)
		}
	}
}

func TestRopeFactorsFollowLlama3Scaling(t *testing.T) {
	f := Llama32_1B.RopeScaling.factors(64, 500000)
	if len(f) != 32 {
		t.Fatalf("%d factors", len(f))
	}
	// Short wavelengths keep their rate, long ones are slowed 32 times, and between
	// the factors rise monotonically.
	if f[0] != 1 || f[31] != 32 {
		t.Errorf("factors from %v to %v", f[0], f[31])
	}
	for i := 1; i < len(f); i++ {
		if f[i] < f[i-1] {
			t.Errorf("factor %d (%v) below factor %d (%v)", i, f[i], i-1, f[i-1])
		}
	}
}

func TestTensorsAreAlignedAndHoldWhatTheySay(t *testing.T) {
	s := Tiny
	s.RopeScaling = Llama32_1B.RopeScaling
	b := writeModel(t, s, fakeVocab(t), 7)
	h := readHeader(t, b)
	if h.DataOffset%alignment != 0 {
		t.Errorf("data section at %d", h.DataOffset)
	}
	for _, tt := range h.Tensors {
		if tt.Offset%alignment != 0 {
			t.Errorf("%s at %d", tt.Name, tt.Offset)
		}
		data := b[h.DataOffset+int64(tt.Offset):][:tt.Bytes]
		vals := decode(t, tt.Type, data)
		switch {
		case strings.HasSuffix(tt.Name, "norm.weight"):
			for _, v := range vals {
				if v != 1 {
					t.Fatalf("%s holds %v", tt.Name, v)
				}
			}
		case tt.Name == "rope_freqs.weight":
			if vals[0] != 1 || vals[len(vals)-1] != 32 {
				t.Errorf("rope factors %v", vals)
			}
		default:
			// N(0, 0.02²): over thousands of values the mean is near 0, the
			// deviation near 0.02, and nothing is beyond 5σ.
			var sum, sq float64
			for _, v := range vals {
				sum += float64(v)
				sq += float64(v) * float64(v)
				if math.Abs(float64(v)) > 5*sigma {
					t.Fatalf("%s holds %v", tt.Name, v)
				}
			}
			n := float64(len(vals))
			mean, sd := sum/n, math.Sqrt(sq/n)
			if math.Abs(mean) > 4*sigma/math.Sqrt(n) || math.Abs(sd-sigma) > 0.001 {
				t.Errorf("%s: mean %.5f, deviation %.5f over %d values", tt.Name, mean, sd, len(vals))
			}
		}
	}
}

func decode(t *testing.T, typ uint32, b []byte) []float32 {
	var out []float32
	switch typ {
	case 0:
		for i := 0; i+4 <= len(b); i += 4 {
			out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
		}
	case 1:
		for i := 0; i+2 <= len(b); i += 2 {
			out = append(out, halfToFloat(binary.LittleEndian.Uint16(b[i:])))
		}
	default:
		t.Fatalf("type %d", typ)
	}
	return out
}

func TestTheSameSeedWritesTheSameBytesAndAnotherDoesNot(t *testing.T) {
	v := fakeVocab(t)
	odd := Tiny // rows of 66 elements: the last chunk of each tensor ends mid-draw
	odd.EmbeddingLength, odd.HeadCount, odd.HeadCountKV = 66, 3, 1
	for _, s := range []Spec{Tiny, odd} {
		a := sha256.Sum256(writeModel(t, s, v, 42))
		b := sha256.Sum256(writeModel(t, s, v, 42))
		c := sha256.Sum256(writeModel(t, s, v, 43))
		if a != b {
			t.Errorf("%d×: seed 42 twice wrote different models", s.EmbeddingLength)
		}
		if a == c {
			t.Errorf("%d×: seeds 42 and 43 wrote the same model", s.EmbeddingLength)
		}
	}
	// Golden digest: the generator, the quantile table and the layout must not
	// change silently, or benchmarks named by (spec, seed) would compare different
	// models. Change it only with a note in the commit.
	const golden = "1637b55caa18e263c4b0b7ff4f8b3b017989cd8f97a3dd0f6cf517c96dc4f90a"
	got := fmt.Sprintf("%x", sha256.Sum256(writeModel(t, Tiny, v, 1)))
	if got != golden {
		t.Errorf("Tiny with seed 1 digests to %s, was %s", got, golden)
	}
}

func TestInvalidSpecsAreRefused(t *testing.T) {
	v := fakeVocab(t)
	for _, tc := range []struct {
		name   string
		modify func(*Spec)
	}{
		{"zero blocks", func(s *Spec) { s.BlockCount = 0 }},
		{"negative width", func(s *Spec) { s.EmbeddingLength = -64 }},
		{"heads not dividing the width", func(s *Spec) { s.HeadCount = 5 }},
		{"KV heads not dividing the heads", func(s *Spec) { s.HeadCountKV = 3 }},
		{"an odd head dimension", func(s *Spec) { s.EmbeddingLength, s.HeadCount, s.HeadCountKV = 12, 4, 4 }},
		{"an absurd width", func(s *Spec) { s.EmbeddingLength, s.FeedForwardLength = 1<<40, 1<<40 }},
		{"a zero RMS epsilon", func(s *Spec) { s.RMSEpsilon = 0 }},
		{"a NaN rope base", func(s *Spec) { s.RopeFreqBase = float32(math.NaN()) }},
		{"rope scaling with high below low", func(s *Spec) {
			s.RopeScaling = &Llama3RopeScaling{Factor: 8, LowFreqFactor: 4, HighFreqFactor: 1, OriginalContext: 8192}
		}},
		{"a quantized weight type", func(s *Spec) { s.WeightType = 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Tiny
			tc.modify(&s)
			if err := Write(io.Discard, s, v, 0); !errors.Is(err, ErrInvalidSpec) {
				t.Errorf("Write: %v", err)
			}
			if n := s.Parameters(v.Size()); n != 0 {
				t.Errorf("Parameters: %d", n)
			}
		})
	}
	if err := Write(io.Discard, Tiny, nil, 0); !errors.Is(err, ErrNoTokenizer) {
		t.Errorf("no vocabulary: %v", err)
	}
}

func TestVocabKeepsOnlyTheTokenizer(t *testing.T) {
	v := fakeVocab(t)
	if v.Size() != 300 {
		t.Errorf("size %d", v.Size())
	}
	for _, kv := range v.kvs {
		if !strings.HasPrefix(kv.Key, "tokenizer.") {
			t.Errorf("kept %s", kv.Key)
		}
	}
	for _, kvs := range [][]KV{
		nil,
		{{"tokenizer.ggml.model", "gpt2"}},
		{{"tokenizer.ggml.tokens", []string{"a"}}},
		{{"tokenizer.ggml.model", "gpt2"}, {"tokenizer.ggml.tokens", []string{}}},
	} {
		if _, err := newVocab(kvs); !errors.Is(err, ErrNoTokenizer) {
			t.Errorf("%v: %v", kvs, err)
		}
	}
	if _, err := newVocab([]KV{{"tokenizer.ggml.model", "gpt2"}, {"tokenizer.ggml.tokens", []int32{1}}}); err == nil {
		t.Error("tokens of int32 accepted")
	}
}

func TestWriteFileLeavesAWholeModelOrNone(t *testing.T) {
	dir := t.TempDir()
	vocabPath := filepath.Join(dir, "vocab.gguf")
	if err := os.WriteFile(vocabPath, encodeGGUF(t, fakeVocabKVs()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "tiny.gguf")
	if err := WriteFile(out, Tiny, vocabPath, 1); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, writeModel(t, Tiny, fakeVocab(t), 1)) {
		t.Error("WriteFile and Write differ")
	}
	bad := Tiny
	bad.BlockCount = 0
	if err := WriteFile(filepath.Join(dir, "bad.gguf"), bad, vocabPath, 1); !errors.Is(err, ErrInvalidSpec) {
		t.Errorf("invalid spec: %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "novocab.gguf"), Tiny, out+"-missing", 1); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing vocabulary: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %v, want only the vocabulary and tiny.gguf", entries)
	}
}

// halfToFloat decodes IEEE 754 half precision exactly, independently of f16.
func halfToFloat(h uint16) float32 {
	sign := float32(1)
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, man := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * float32(math.Ldexp(man, -24))
	case 0x1f:
		if man != 0 {
			return float32(math.NaN())
		}
		return sign * float32(math.Inf(1))
	}
	return sign * float32(math.Ldexp(1024+man, exp-25))
}

func TestF16RoundsToNearestEven(t *testing.T) {
	// Every finite half converts back to itself.
	for h := range 1 << 16 {
		if h&0x7c00 == 0x7c00 {
			continue
		}
		if got := f16(halfToFloat(uint16(h))); got != uint16(h) {
			t.Fatalf("%#04x → %v → %#04x", h, halfToFloat(uint16(h)), got)
		}
	}
	// Halfway between two neighbours rounds to the even one; just above or below,
	// to the nearer. Neighbours across the subnormal/normal edge included.
	for h := 0; h < 0x7bff; h++ {
		lo, hi := float64(halfToFloat(uint16(h))), float64(halfToFloat(uint16(h+1)))
		mid := float32((lo + hi) / 2)
		even := uint16(h)
		if h&1 == 1 {
			even = uint16(h + 1)
		}
		if got := f16(mid); got != even {
			t.Fatalf("midpoint %v of %#04x and %#04x → %#04x", mid, h, h+1, got)
		}
		if got := f16(-mid); got != even|0x8000 {
			t.Fatalf("midpoint %v → %#04x", -mid, got)
		}
		if got := f16(math.Nextafter32(mid, float32(lo))); got != uint16(h) {
			t.Fatalf("just below %v → %#04x, want %#04x", mid, got, h)
		}
		if got := f16(math.Nextafter32(mid, float32(hi))); got != uint16(h+1) {
			t.Fatalf("just above %v → %#04x, want %#04x", mid, got, h+1)
		}
	}
	for _, tc := range []struct {
		in   float32
		want uint16
	}{
		{65504, 0x7bff},
		{65520, 0x7c00}, // halfway to 65536 rounds up, to infinity
		{1e10, 0x7c00},
		{float32(math.Inf(-1)), 0xfc00},
		{1e-10, 0},
		{float32(math.Ldexp(1, -25)), 0}, // halfway to the least subnormal: even, zero
		{math.Nextafter32(float32(math.Ldexp(1, -25)), 1), 1}, // just above: the least subnormal
		{float32(math.Copysign(0, -1)), 0x8000},
	} {
		if got := f16(tc.in); got != tc.want {
			t.Errorf("f16(%v) = %#04x, want %#04x", tc.in, got, tc.want)
		}
	}
	if got := f16(float32(math.NaN())); got&0x7c00 != 0x7c00 || got&0x3ff == 0 {
		t.Errorf("NaN → %#04x", got)
	}
}

func BenchmarkWriteF16(b *testing.B) {
	v := fakeVocab(b)
	s := Tiny
	s.EmbeddingLength, s.FeedForwardLength, s.BlockCount = 1024, 4096, 4
	b.SetBytes(int64(s.Parameters(v.Size()) * 2))
	for b.Loop() {
		if err := Write(io.Discard, s, v, 1); err != nil {
			b.Fatal(err)
		}
	}
}
