package models

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// ErrNotGGUF: the file is not a GGUF model.
var ErrNotGGUF = errors.New("not a GGUF model file")

// FormatError says what is wrong with a GGUF file and where.
type FormatError struct {
	Offset int64
	Reason string
	// Truncated: the file ends before what its header describes (a copy in progress,
	// or cut short), as opposed to describing something impossible.
	Truncated bool
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("malformed GGUF file at byte %d: %s", e.Offset, e.Reason)
}

// Limits on what a header may claim, so that a hostile file cannot make the reader
// allocate without bound.
const (
	maxString      = 64 << 20 // a chat template or a merges entry; tokenizers carry big arrays of small strings
	maxArray       = 16 << 20 // elements
	maxKV          = 1 << 16
	maxTensors     = 1 << 20
	maxDims        = 4
	maxHeaderBytes = 512 << 20 // all strings and arrays together
)

// Tensor is one entry of the tensor table.
type Tensor struct {
	Name   string
	Dims   []uint64
	Type   uint32 // ggml_type
	Offset uint64 // from the start of the data section
	Bytes  uint64
}

// Header is what Inspect reads from a GGUF file.
type Header struct {
	Version      uint32
	Architecture string
	Name         string
	Parameters   uint64
	FileType     string // llama_ftype name, e.g. Q4_K_M
	ContextLen   uint64
	ChatTemplate string
	Tokenizer    string // tokenizer.ggml.model: llama, gpt2, ...
	VocabSize    int
	Tensors      []Tensor
	DataOffset   int64
	DataBytes    uint64
	// Meta holds the scalar and string metadata (arrays are summarised as their
	// length), for `vellum models inspect`.
	Meta map[string]string
}

// GGUF value types (ggml's docs/gguf.md), shared with models/synth's writer.
const (
	GGUFUint8 uint32 = iota
	GGUFInt8
	GGUFUint16
	GGUFInt16
	GGUFUint32
	GGUFInt32
	GGUFFloat32
	GGUFBool
	GGUFString
	GGUFArray
	GGUFUint64
	GGUFInt64
	GGUFFloat64
)

type reader struct {
	r     *bufio.Reader
	off   int64
	spent int64 // bytes of strings and arrays read, against maxHeaderBytes
}

func (r *reader) fail(format string, args ...any) error {
	return &FormatError{Offset: r.off, Reason: fmt.Sprintf(format, args...)}
}

func (r *reader) read(b []byte) error {
	n, err := io.ReadFull(r.r, b)
	r.off += int64(n)
	if err != nil {
		return &FormatError{Offset: r.off, Reason: "the file ends inside the header (truncated)", Truncated: true}
	}
	return nil
}

func (r *reader) u32() (uint32, error) {
	var b [4]byte
	err := r.read(b[:])
	return binary.LittleEndian.Uint32(b[:]), err
}

func (r *reader) u64() (uint64, error) {
	var b [8]byte
	err := r.read(b[:])
	return binary.LittleEndian.Uint64(b[:]), err
}

func (r *reader) str() (string, error) {
	n, err := r.u64()
	if err != nil {
		return "", err
	}
	if n > maxString {
		return "", r.fail("a string of %d bytes", n)
	}
	r.spent += int64(n)
	if r.spent > maxHeaderBytes {
		return "", r.fail("the header claims more than %d bytes of strings and arrays", maxHeaderBytes)
	}
	b := make([]byte, n)
	if err := r.read(b); err != nil {
		return "", err
	}
	return string(b), nil
}

var scalarSize = map[uint32]int{GGUFUint8: 1, GGUFInt8: 1, GGUFUint16: 2, GGUFInt16: 2, GGUFUint32: 4, GGUFInt32: 4, GGUFFloat32: 4, GGUFBool: 1, GGUFUint64: 8, GGUFInt64: 8, GGUFFloat64: 8}

// value reads one value; scalars and strings come back formatted, and as a uint64
// where they are unsigned integers; arrays as their length (strings kept when want).
func (r *reader) value(typ uint32, keepStrings bool) (text string, num uint64, strs []string, err error) {
	if size, ok := scalarSize[typ]; ok {
		b := make([]byte, size)
		if err := r.read(b); err != nil {
			return "", 0, nil, err
		}
		switch typ {
		case GGUFUint8, GGUFBool:
			num = uint64(b[0])
		case GGUFInt8:
			num = uint64(int8(b[0]))
		case GGUFUint16:
			num = uint64(binary.LittleEndian.Uint16(b))
		case GGUFInt16:
			num = uint64(int16(binary.LittleEndian.Uint16(b)))
		case GGUFUint32:
			num = uint64(binary.LittleEndian.Uint32(b))
		case GGUFInt32:
			num = uint64(int32(binary.LittleEndian.Uint32(b)))
		case GGUFUint64, GGUFInt64:
			num = binary.LittleEndian.Uint64(b)
		case GGUFFloat32:
			return fmt.Sprint(math.Float32frombits(binary.LittleEndian.Uint32(b))), 0, nil, nil
		case GGUFFloat64:
			return fmt.Sprint(math.Float64frombits(binary.LittleEndian.Uint64(b))), 0, nil, nil
		}
		if typ == GGUFBool {
			return fmt.Sprint(num != 0), num, nil, nil
		}
		if typ == GGUFInt8 || typ == GGUFInt16 || typ == GGUFInt32 || typ == GGUFInt64 {
			return fmt.Sprint(int64(num)), num, nil, nil
		}
		return fmt.Sprint(num), num, nil, nil
	}
	switch typ {
	case GGUFString:
		s, err := r.str()
		return s, 0, nil, err
	case GGUFArray:
		et, err := r.u32()
		if err != nil {
			return "", 0, nil, err
		}
		n, err := r.u64()
		if err != nil {
			return "", 0, nil, err
		}
		if n > maxArray {
			return "", 0, nil, r.fail("an array of %d elements", n)
		}
		if et == GGUFArray {
			return "", 0, nil, r.fail("nested arrays")
		}
		if size, ok := scalarSize[et]; ok {
			r.spent += int64(n) * int64(size)
			if r.spent > maxHeaderBytes {
				return "", 0, nil, r.fail("the header claims more than %d bytes of strings and arrays", maxHeaderBytes)
			}
			if _, err := r.r.Discard(int(n) * size); err != nil {
				r.off += int64(n) * int64(size)
				return "", 0, nil, &FormatError{Offset: r.off, Reason: "the file ends inside an array (truncated)", Truncated: true}
			}
			r.off += int64(n) * int64(size)
			return fmt.Sprintf("[%d values]", n), n, nil, nil
		}
		if et != GGUFString {
			return "", 0, nil, r.fail("unknown array element type %d", et)
		}
		for i := uint64(0); i < n; i++ {
			s, err := r.str()
			if err != nil {
				return "", 0, nil, err
			}
			if keepStrings {
				strs = append(strs, s)
			}
		}
		return fmt.Sprintf("[%d strings]", n), n, strs, nil
	}
	return "", 0, nil, r.fail("unknown value type %d", typ)
}

// ReadHeader parses a GGUF header from r; size is the file's size, against which the
// tensor table is checked (a truncated file is refused).
func ReadHeader(rd io.Reader, size int64) (*Header, error) {
	r := &reader{r: bufio.NewReaderSize(rd, 1<<16)}
	var magic [4]byte
	if err := r.read(magic[:]); err != nil || string(magic[:]) != "GGUF" {
		return nil, ErrNotGGUF
	}
	h := &Header{Meta: map[string]string{}}
	var err error
	if h.Version, err = r.u32(); err != nil {
		return nil, err
	}
	if h.Version != 2 && h.Version != 3 {
		return nil, r.fail("GGUF version %d (this reader knows 2 and 3)", h.Version)
	}
	nTensors, err := r.u64()
	if err != nil {
		return nil, err
	}
	nKV, err := r.u64()
	if err != nil {
		return nil, err
	}
	if nTensors > maxTensors || nKV > maxKV {
		return nil, r.fail("%d tensors and %d metadata entries", nTensors, nKV)
	}
	alignment := uint64(32)
	nums := map[string]uint64{}
	for i := uint64(0); i < nKV; i++ {
		key, err := r.str()
		if err != nil {
			return nil, err
		}
		typ, err := r.u32()
		if err != nil {
			return nil, err
		}
		text, num, _, err := r.value(typ, false)
		if err != nil {
			return nil, err
		}
		if _, dup := h.Meta[key]; dup {
			return nil, r.fail("metadata key %q twice", key)
		}
		h.Meta[key] = text
		nums[key] = num
		if key == "general.alignment" {
			if num == 0 || num&(num-1) != 0 || num > 1<<20 {
				return nil, r.fail("alignment %d is not a power of two", num)
			}
			alignment = num
		}
		if key == "tokenizer.ggml.tokens" {
			h.VocabSize = int(num)
		}
	}
	h.Architecture = h.Meta["general.architecture"]
	h.Name = h.Meta["general.name"]
	h.ChatTemplate = h.Meta["tokenizer.chat_template"]
	h.Tokenizer = h.Meta["tokenizer.ggml.model"]
	h.ContextLen = nums[h.Architecture+".context_length"]
	if ft, ok := h.Meta["general.file_type"]; ok {
		h.FileType = fileTypeName(nums["general.file_type"], ft)
	}
	for i := uint64(0); i < nTensors; i++ {
		var t Tensor
		if t.Name, err = r.str(); err != nil {
			return nil, err
		}
		nd, err := r.u32()
		if err != nil {
			return nil, err
		}
		if nd == 0 || nd > maxDims {
			return nil, r.fail("tensor %q has %d dimensions", t.Name, nd)
		}
		elems := uint64(1)
		for d := uint32(0); d < nd; d++ {
			n, err := r.u64()
			if err != nil {
				return nil, err
			}
			if n == 0 || elems > math.MaxUint64/n {
				return nil, r.fail("tensor %q has an impossible shape", t.Name)
			}
			elems *= n
			t.Dims = append(t.Dims, n)
		}
		if t.Type, err = r.u32(); err != nil {
			return nil, err
		}
		if t.Offset, err = r.u64(); err != nil {
			return nil, err
		}
		bt, ok := typeSizes[t.Type]
		if !ok {
			return nil, r.fail("tensor %q has unknown type %d", t.Name, t.Type)
		}
		if t.Dims[0]%uint64(bt.block) != 0 {
			return nil, r.fail("tensor %q: %d is not a multiple of its type's block of %d", t.Name, t.Dims[0], bt.block)
		}
		if elems/uint64(bt.block) > math.MaxUint64/uint64(bt.bytes) {
			return nil, r.fail("tensor %q is impossibly large", t.Name)
		}
		t.Bytes = elems / uint64(bt.block) * uint64(bt.bytes)
		if t.Offset%alignment != 0 {
			return nil, r.fail("tensor %q is not aligned to %d", t.Name, alignment)
		}
		h.Parameters += elems
		h.Tensors = append(h.Tensors, t)
	}
	h.DataOffset = (r.off + int64(alignment) - 1) / int64(alignment) * int64(alignment)
	// Every tensor must lie inside the file, and none may overlap another.
	sorted := append([]Tensor(nil), h.Tensors...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].Offset < sorted[b].Offset })
	end := uint64(0)
	for _, t := range sorted {
		if t.Offset < end {
			return nil, &FormatError{Offset: r.off, Reason: fmt.Sprintf("tensor %q overlaps another", t.Name)}
		}
		if t.Offset > math.MaxUint64-t.Bytes {
			return nil, &FormatError{Offset: r.off, Reason: fmt.Sprintf("tensor %q lies beyond any file", t.Name)}
		}
		end = t.Offset + t.Bytes
	}
	h.DataBytes = end
	// Compare without adding: offset + end could wrap around.
	if size >= 0 && (h.DataOffset > size || end > uint64(size-h.DataOffset)) {
		return nil, &FormatError{Offset: size, Reason: fmt.Sprintf("the tensors need %d bytes after the header but the file has %d (truncated or still being copied)",
			end, max(0, size-h.DataOffset)), Truncated: true}
	}
	return h, nil
}

// typeSizes: for each ggml_type, the elements in a block and the block's bytes.
var typeSizes = map[uint32]struct{ block, bytes int }{
	0: {1, 4}, 1: {1, 2}, 2: {32, 18}, 3: {32, 20}, 6: {32, 22}, 7: {32, 24}, 8: {32, 34}, 9: {32, 36},
	10: {256, 84}, 11: {256, 110}, 12: {256, 144}, 13: {256, 176}, 14: {256, 210}, 15: {256, 292},
	16: {256, 66}, 17: {256, 74}, 18: {256, 98}, 19: {256, 50}, 20: {32, 18}, 21: {256, 110}, 22: {256, 82},
	23: {256, 136}, 24: {1, 1}, 25: {1, 2}, 26: {1, 4}, 27: {1, 8}, 28: {1, 8}, 29: {256, 56}, 30: {1, 2},
	34: {256, 54}, 35: {256, 66}, 39: {32, 17},
}

var fileTypes = map[uint64]string{
	0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M",
	13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS",
	21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
	29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
}

func fileTypeName(n uint64, text string) string {
	if s, ok := fileTypes[n]; ok {
		return s
	}
	return "type " + text
}
