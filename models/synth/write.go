package synth

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"sync"
)

// alignment of the data section and of every tensor in it: GGUF's default, which
// llama.cpp's converter writes too.
const alignment = 32

// description marks every synthetic model for whoever inspects one, so that none is
// mistaken for a language model.
const description = "synthetic model: random weights for tests and benchmarks; it generates random tokens"

// Write writes the model s describes as a GGUF file to w: the tokenizer v, the chat
// template s.ChatTemplate, and weights drawn from a generator seeded by seed. The same
// arguments always write the same bytes. w is written sequentially and never held
// whole in memory.
func Write(w io.Writer, s Spec, v *Vocab, seed uint64) error {
	if err := s.validate(); err != nil {
		return err
	}
	if v == nil || v.size == 0 {
		return ErrNoTokenizer
	}
	if v.size > maxArrayLen {
		return fmt.Errorf("%w: a vocabulary of %d tokens", ErrInvalidSpec, v.size)
	}
	ts := s.tensors(v.size)
	kvs := s.metadata(v)

	e := &encoder{w: bufio.NewWriterSize(w, 1<<20)}
	e.write([]byte("GGUF"))
	e.u32(ggufVersion)
	e.u64(uint64(len(ts)))
	e.u64(uint64(len(kvs)))
	for _, kv := range kvs {
		if err := e.kv(kv); err != nil {
			return fmt.Errorf("write model header: %w", err)
		}
	}
	var off uint64
	for _, t := range ts {
		e.str(t.name)
		e.u32(uint32(len(t.dims)))
		for _, d := range t.dims {
			e.u64(d)
		}
		e.u32(uint32(t.typ))
		e.u64(off)
		off += alignUp(t.bytes())
	}
	e.pad(alignment)

	buf := make([]byte, 1<<20)
	for _, t := range ts {
		switch t.fill {
		case fillRandom:
			writeRandom(e, t, seed, buf)
		case fillOnes:
			writeF32(e, t.elems(), func(int) float32 { return 1 }, buf)
		case fillValues:
			writeF32(e, t.elems(), func(i int) float32 { return t.values[i] }, buf)
		}
		e.pad(alignment)
	}
	if e.err == nil {
		e.err = e.w.Flush()
	}
	if e.err != nil {
		return fmt.Errorf("write model: %w", e.err)
	}
	return nil
}

// WriteFile writes the model to path, with the tokenizer of the GGUF file at
// vocabPath. It writes path+".tmp" and renames it, so that path, if it exists, is a
// whole model. It does not sync: a synthetic model is made again, not recovered, and
// syncing gigabytes would cost the benchmark that waits for it several seconds.
func WriteFile(path string, s Spec, vocabPath string, seed uint64) (err error) {
	v, err := LoadVocab(vocabPath)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := Write(f, s, v, seed); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write model %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

func alignUp(n uint64) uint64 { return (n + alignment - 1) / alignment * alignment }

// metadata is the model's key-value section, as llama.cpp's converter writes it for
// a Llama 3 model, with the vocabulary's tokenizer.
func (s Spec) metadata(v *Vocab) []KV {
	u := func(n int) uint32 { return uint32(n) }
	name := s.Name
	if name == "" {
		name = "synth"
	}
	fileType := uint32(0) // LLAMA_FTYPE_ALL_F32
	if s.WeightType == F16 {
		fileType = 1 // LLAMA_FTYPE_MOSTLY_F16: norms stay F32
	}
	kvs := []KV{
		{"general.architecture", "llama"},
		{"general.name", name},
		{"general.description", description},
		{"general.file_type", fileType},
		{"general.alignment", uint32(alignment)},
		{"llama.vocab_size", u(v.size)},
		{"llama.context_length", u(s.ContextLength)},
		{"llama.embedding_length", u(s.EmbeddingLength)},
		{"llama.block_count", u(s.BlockCount)},
		{"llama.feed_forward_length", u(s.FeedForwardLength)},
		{"llama.attention.head_count", u(s.HeadCount)},
		{"llama.attention.head_count_kv", u(s.HeadCountKV)},
		{"llama.attention.key_length", u(s.headDim())},
		{"llama.attention.value_length", u(s.headDim())},
		{"llama.rope.dimension_count", u(s.headDim())},
		{"llama.rope.freq_base", s.RopeFreqBase},
		{"llama.attention.layer_norm_rms_epsilon", s.RMSEpsilon},
	}
	for _, kv := range v.kvs {
		if kv.Key != "tokenizer.chat_template" {
			kvs = append(kvs, kv)
		}
	}
	if s.ChatTemplate != "" {
		kvs = append(kvs, KV{"tokenizer.chat_template", s.ChatTemplate})
	}
	return kvs
}

// writeF32 writes n float32s, value(i) each.
func writeF32(e *encoder, n uint64, value func(int) float32, buf []byte) {
	for i := uint64(0); i < n && e.err == nil; {
		k := min(n-i, uint64(len(buf)/4))
		for j := range k {
			binary.LittleEndian.PutUint32(buf[j*4:], math.Float32bits(value(int(i+j))))
		}
		e.write(buf[:k*4])
		i += k
	}
}

// writeRandom writes t's elements drawn from N(0, 0.02²). Each 64-bit draw of the
// generator picks four values from a table of the distribution's 65536 quantiles,
// already in the tensor's type: no arithmetic per element, so the 1.24 billion
// weights of the 1B model cost under a second and the disk sets the pace. 65536
// levels are finer than F16 can tell apart near the mode.
//
// A tensor's stream depends on the seed and its name only, so adding a tensor leaves
// the others' values as they were.
func writeRandom(e *encoder, t tensor, seed uint64, buf []byte) {
	tab := normalTables()
	h := fnv.New64a()
	h.Write([]byte(t.name))
	rng := splitmix64(mix64(seed ^ h.Sum64()))
	size := uint64(4)
	if t.typ == F16 {
		size = 2
	}
	var tail [16]byte
	n := t.elems()
	for i := uint64(0); i < n && e.err == nil; {
		// A multiple of 4 elements but for the last chunk, whose remainder takes
		// part of one final draw.
		k := min(n-i, uint64(len(buf))/size)
		b := buf[:k*size]
		full := k / 4 * 4
		for j := uint64(0); j < k; j += 4 {
			r := rng.next()
			dst := b[j*size:]
			if j >= full {
				dst = tail[:]
			}
			if t.typ == F16 {
				binary.LittleEndian.PutUint64(dst, uint64(tab.f16[r&0xffff])|uint64(tab.f16[r>>16&0xffff])<<16|
					uint64(tab.f16[r>>32&0xffff])<<32|uint64(tab.f16[r>>48])<<48)
			} else {
				binary.LittleEndian.PutUint64(dst, uint64(math.Float32bits(tab.f32[r&0xffff]))|uint64(math.Float32bits(tab.f32[r>>16&0xffff]))<<32)
				binary.LittleEndian.PutUint64(dst[8:], uint64(math.Float32bits(tab.f32[r>>32&0xffff]))|uint64(math.Float32bits(tab.f32[r>>48]))<<32)
			}
			if j >= full {
				copy(b[j*size:], tail[:(k-j)*size])
			}
		}
		e.write(b)
		i += k
	}
}

// sigma is the standard deviation of the weights: that of a freshly initialised
// transformer, small enough that activations stay finite through any depth here.
const sigma = 0.02

type tables struct {
	f32 [1 << 16]float32
	f16 [1 << 16]uint16
}

// normalTables holds the quantiles of N(0, sigma²) at the midpoints of 65536 equal
// slices of probability, in F32 and F16.
var normalTables = sync.OnceValue(func() *tables {
	t := new(tables)
	for i := range t.f32 {
		p := (float64(i)+0.5)/(1<<16)*2 - 1
		t.f32[i] = float32(sigma * math.Sqrt2 * math.Erfinv(p))
		t.f16[i] = f16(t.f32[i])
	}
	return t
})

// splitmix64 is Steele, Lea and Flood's generator: fast, 2⁶⁴ period, and good enough
// for weights nobody will train.
type splitmix64 uint64

func (s *splitmix64) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	return mix64(uint64(*s))
}

func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// f16 converts a float32 to IEEE 754 half precision, rounding to nearest even, as
// ggml does: overflow becomes infinity, tiny values half's subnormals or zero.
func f16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b >> 23 & 0xff)
	man := b & 0x7fffff
	if exp == 0xff { // infinity or NaN; a NaN stays a (quiet) NaN
		if man != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// Half's subnormals: m × 2⁻²⁴. Below 2⁻²⁵ everything rounds to zero.
		if e < -10 {
			return sign
		}
		m := man | 0x800000
		shift := uint(14 - e)
		h := m >> shift
		rem, mid := m&(1<<shift-1), uint32(1)<<(shift-1)
		if rem > mid || rem == mid && h&1 == 1 {
			h++ // may carry into the smallest normal, which is the right encoding
		}
		return sign | uint16(h)
	}
	h := uint32(e)<<10 | man>>13
	if rem := man & 0x1fff; rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++ // may carry into the exponent, up to infinity, which is right too
	}
	return sign | uint16(h)
}
