package synth

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/vellumhealth/vellum/models"
)

// KV is one metadata entry of a GGUF file. Value is one of uint8, int8, uint16, int16,
// uint32, int32, float32, bool, string, uint64, int64 or float64, or a slice of one of
// them (a GGUF array); the Go type is the GGUF type, so a value read and written again
// keeps its type, down to the element type of an empty array.
type KV struct {
	Key   string
	Value any
}

const ggufVersion = 3

// Limits on what a file may claim, so that a hostile or damaged file makes the reader
// fail rather than allocate without bound. Real tokenizers stay far below them: the
// largest shipped vocabularies are a few hundred thousand tokens and merges, some
// tens of megabytes in all.
const (
	maxKVs       = 1 << 16
	maxKeyLen    = 1 << 16
	maxStringLen = 64 << 20 // a chat template, or one token
	maxArrayLen  = 16 << 20 // elements
	maxMetaBytes = 256 << 20
)

// encoder writes GGUF's little-endian primitives and remembers the first error, so
// that the long runs of writes in Write read as the format they produce.
type encoder struct {
	w   *bufio.Writer
	off int64
	err error
	b   [8]byte
}

func (e *encoder) write(p []byte) {
	if e.err != nil {
		return
	}
	n, err := e.w.Write(p)
	e.off += int64(n)
	e.err = err
}

func (e *encoder) u8(v uint8)   { e.b[0] = v; e.write(e.b[:1]) }
func (e *encoder) u16(v uint16) { binary.LittleEndian.PutUint16(e.b[:], v); e.write(e.b[:2]) }
func (e *encoder) u32(v uint32) { binary.LittleEndian.PutUint32(e.b[:], v); e.write(e.b[:4]) }
func (e *encoder) u64(v uint64) { binary.LittleEndian.PutUint64(e.b[:], v); e.write(e.b[:8]) }

func (e *encoder) str(s string) {
	e.u64(uint64(len(s)))
	if e.err == nil {
		n, err := e.w.WriteString(s)
		e.off += int64(n)
		e.err = err
	}
}

// pad writes zeros up to the next multiple of align.
func (e *encoder) pad(align int64) {
	var zeros [64]byte
	for e.off%align != 0 && e.err == nil {
		e.write(zeros[:min(int64(len(zeros)), align-e.off%align)])
	}
}

// kv writes one metadata entry: key, type, value.
func (e *encoder) kv(kv KV) error {
	typ, ok := valueType(kv.Value)
	if !ok {
		return fmt.Errorf("metadata %q: GGUF has no type for a Go %T", kv.Key, kv.Value)
	}
	e.str(kv.Key)
	e.u32(typ)
	switch v := kv.Value.(type) {
	case []uint8:
		writeArray(e, models.GGUFUint8, v, e.u8)
	case []int8:
		writeArray(e, models.GGUFInt8, v, func(x int8) { e.u8(uint8(x)) })
	case []uint16:
		writeArray(e, models.GGUFUint16, v, e.u16)
	case []int16:
		writeArray(e, models.GGUFInt16, v, func(x int16) { e.u16(uint16(x)) })
	case []uint32:
		writeArray(e, models.GGUFUint32, v, e.u32)
	case []int32:
		writeArray(e, models.GGUFInt32, v, func(x int32) { e.u32(uint32(x)) })
	case []float32:
		writeArray(e, models.GGUFFloat32, v, func(x float32) { e.u32(math.Float32bits(x)) })
	case []bool:
		writeArray(e, models.GGUFBool, v, e.bool)
	case []string:
		writeArray(e, models.GGUFString, v, e.str)
	case []uint64:
		writeArray(e, models.GGUFUint64, v, e.u64)
	case []int64:
		writeArray(e, models.GGUFInt64, v, func(x int64) { e.u64(uint64(x)) })
	case []float64:
		writeArray(e, models.GGUFFloat64, v, func(x float64) { e.u64(math.Float64bits(x)) })
	default:
		e.scalar(v)
	}
	return e.err
}

func (e *encoder) bool(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}

func (e *encoder) scalar(v any) {
	switch v := v.(type) {
	case uint8:
		e.u8(v)
	case int8:
		e.u8(uint8(v))
	case uint16:
		e.u16(v)
	case int16:
		e.u16(uint16(v))
	case uint32:
		e.u32(v)
	case int32:
		e.u32(uint32(v))
	case float32:
		e.u32(math.Float32bits(v))
	case bool:
		e.bool(v)
	case string:
		e.str(v)
	case uint64:
		e.u64(v)
	case int64:
		e.u64(uint64(v))
	case float64:
		e.u64(math.Float64bits(v))
	}
}

func writeArray[T any](e *encoder, elem uint32, v []T, put func(T)) {
	e.u32(elem)
	e.u64(uint64(len(v)))
	for _, x := range v {
		if e.err != nil {
			return
		}
		put(x)
	}
}

// valueType is the GGUF type of a Go value, and false for a Go type GGUF lacks.
func valueType(v any) (uint32, bool) {
	switch v.(type) {
	case uint8:
		return models.GGUFUint8, true
	case int8:
		return models.GGUFInt8, true
	case uint16:
		return models.GGUFUint16, true
	case int16:
		return models.GGUFInt16, true
	case uint32:
		return models.GGUFUint32, true
	case int32:
		return models.GGUFInt32, true
	case float32:
		return models.GGUFFloat32, true
	case bool:
		return models.GGUFBool, true
	case string:
		return models.GGUFString, true
	case uint64:
		return models.GGUFUint64, true
	case int64:
		return models.GGUFInt64, true
	case float64:
		return models.GGUFFloat64, true
	case []uint8, []int8, []uint16, []int16, []uint32, []int32, []float32, []bool, []string, []uint64, []int64, []float64:
		return models.GGUFArray, true
	}
	return 0, false
}

// ReadMetadata reads the metadata of a GGUF file (version 2 or 3) from its start:
// every entry, in file order, arrays whole. It stops before the tensor table. A file
// that is not GGUF gives models.ErrNotGGUF; a malformed one, or one whose sizes exceed
// the limits above, a *models.FormatError.
func ReadMetadata(r io.Reader) ([]KV, error) {
	return readMetadata(r, maxMetaBytes)
}

func readMetadata(r io.Reader, budget int64) ([]KV, error) {
	d := &decoder{r: bufio.NewReaderSize(r, 1<<16), budget: budget}
	var magic [4]byte
	if err := d.read(magic[:]); err != nil || string(magic[:]) != "GGUF" {
		return nil, models.ErrNotGGUF
	}
	version, err := d.u32()
	if err != nil {
		return nil, err
	}
	if version != 2 && version != 3 {
		return nil, d.fail("GGUF version %d (this reader knows 2 and 3)", version)
	}
	if _, err := d.u64(); err != nil { // tensor count: not ours to read
		return nil, err
	}
	n, err := d.u64()
	if err != nil {
		return nil, err
	}
	if n > maxKVs {
		return nil, d.fail("%d metadata entries", n)
	}
	kvs := make([]KV, 0, n)
	seen := make(map[string]bool, n)
	for range n {
		key, err := d.str(maxKeyLen)
		if err != nil {
			return nil, err
		}
		if seen[key] {
			return nil, d.fail("metadata key %q twice", key)
		}
		seen[key] = true
		typ, err := d.u32()
		if err != nil {
			return nil, err
		}
		v, err := d.value(typ)
		if err != nil {
			return nil, err
		}
		kvs = append(kvs, KV{Key: key, Value: v})
	}
	return kvs, nil
}

type decoder struct {
	r      *bufio.Reader
	off    int64
	spent  int64 // bytes of strings and arrays, against budget
	budget int64
	b      [8]byte
}

func (d *decoder) fail(format string, args ...any) error {
	return &models.FormatError{Offset: d.off, Reason: fmt.Sprintf(format, args...)}
}

func (d *decoder) read(p []byte) error {
	n, err := io.ReadFull(d.r, p)
	d.off += int64(n)
	if err != nil {
		return &models.FormatError{Offset: d.off, Reason: "the file ends inside the metadata (truncated)", Truncated: true}
	}
	return nil
}

// spend counts n bytes against the budget before they are read or allocated.
func (d *decoder) spend(n uint64) error {
	if n > uint64(d.budget) || d.spent+int64(n) > d.budget {
		return d.fail("the metadata claims more than %d bytes of strings and arrays", d.budget)
	}
	d.spent += int64(n)
	return nil
}

func (d *decoder) u8() (uint8, error) {
	err := d.read(d.b[:1])
	return d.b[0], err
}

func (d *decoder) u16() (uint16, error) {
	err := d.read(d.b[:2])
	return binary.LittleEndian.Uint16(d.b[:]), err
}

func (d *decoder) u32() (uint32, error) {
	err := d.read(d.b[:4])
	return binary.LittleEndian.Uint32(d.b[:]), err
}

func (d *decoder) u64() (uint64, error) {
	err := d.read(d.b[:8])
	return binary.LittleEndian.Uint64(d.b[:]), err
}

func (d *decoder) str(limit uint64) (string, error) {
	n, err := d.u64()
	if err != nil {
		return "", err
	}
	if n > limit {
		return "", d.fail("a string of %d bytes", n)
	}
	if err := d.spend(n); err != nil {
		return "", err
	}
	// Read a long string in pieces, so that a length the file does not back costs no
	// more memory than the bytes it does hold.
	const piece = 1 << 20
	if n <= piece {
		b := make([]byte, n)
		if err := d.read(b); err != nil {
			return "", err
		}
		return string(b), nil
	}
	var b []byte
	for uint64(len(b)) < n {
		chunk := min(n-uint64(len(b)), piece)
		b = append(b, make([]byte, chunk)...)
		if err := d.read(b[uint64(len(b))-chunk:]); err != nil {
			return "", err
		}
	}
	return string(b), nil
}

func (d *decoder) value(typ uint32) (any, error) {
	switch typ {
	case models.GGUFUint8:
		return d.u8()
	case models.GGUFInt8:
		v, err := d.u8()
		return int8(v), err
	case models.GGUFUint16:
		return d.u16()
	case models.GGUFInt16:
		v, err := d.u16()
		return int16(v), err
	case models.GGUFUint32:
		return d.u32()
	case models.GGUFInt32:
		v, err := d.u32()
		return int32(v), err
	case models.GGUFFloat32:
		v, err := d.u32()
		return math.Float32frombits(v), err
	case models.GGUFBool:
		return d.bool()
	case models.GGUFString:
		return d.str(maxStringLen)
	case models.GGUFUint64:
		return d.u64()
	case models.GGUFInt64:
		v, err := d.u64()
		return int64(v), err
	case models.GGUFFloat64:
		v, err := d.u64()
		return math.Float64frombits(v), err
	case models.GGUFArray:
		return d.array()
	}
	return nil, d.fail("unknown value type %d", typ)
}

func (d *decoder) bool() (bool, error) {
	v, err := d.u8()
	if err == nil && v > 1 {
		return false, d.fail("a bool of value %d", v)
	}
	return v == 1, err
}

func (d *decoder) array() (any, error) {
	elem, err := d.u32()
	if err != nil {
		return nil, err
	}
	n, err := d.u64()
	if err != nil {
		return nil, err
	}
	if n > maxArrayLen {
		return nil, d.fail("an array of %d elements", n)
	}
	switch elem {
	case models.GGUFUint8:
		return readArray(d, n, 1, d.u8)
	case models.GGUFInt8:
		return readArray(d, n, 1, func() (int8, error) { v, err := d.u8(); return int8(v), err })
	case models.GGUFUint16:
		return readArray(d, n, 2, d.u16)
	case models.GGUFInt16:
		return readArray(d, n, 2, func() (int16, error) { v, err := d.u16(); return int16(v), err })
	case models.GGUFUint32:
		return readArray(d, n, 4, d.u32)
	case models.GGUFInt32:
		return readArray(d, n, 4, func() (int32, error) { v, err := d.u32(); return int32(v), err })
	case models.GGUFFloat32:
		return readArray(d, n, 4, func() (float32, error) { v, err := d.u32(); return math.Float32frombits(v), err })
	case models.GGUFBool:
		return readArray(d, n, 1, d.bool)
	case models.GGUFString:
		// Each string's bytes are counted as they are read; its length field here.
		return readArray(d, n, 8, func() (string, error) { return d.str(maxStringLen) })
	case models.GGUFUint64:
		return readArray(d, n, 8, d.u64)
	case models.GGUFInt64:
		return readArray(d, n, 8, func() (int64, error) { v, err := d.u64(); return int64(v), err })
	case models.GGUFFloat64:
		return readArray(d, n, 8, func() (float64, error) { v, err := d.u64(); return math.Float64frombits(v), err })
	case models.GGUFArray:
		return nil, d.fail("nested arrays")
	}
	return nil, d.fail("unknown array element type %d", elem)
}

// readArray reads n elements of size bytes each. The slice grows as elements arrive
// rather than being sized by n, so a count the file does not back fails at its end
// having allocated only what was there.
func readArray[T any](d *decoder, n uint64, size uint64, next func() (T, error)) ([]T, error) {
	if err := d.spend(n * size); err != nil {
		return nil, err
	}
	out := make([]T, 0, min(n, 1<<12))
	for range n {
		v, err := next()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
