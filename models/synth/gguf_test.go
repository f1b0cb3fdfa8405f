package synth

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/models"
)

// everyType has one entry of each GGUF value type, and arrays of each element type,
// empty ones included.
var everyType = []KV{
	{"u8", uint8(200)},
	{"i8", int8(-100)},
	{"u16", uint16(60000)},
	{"i16", int16(-30000)},
	{"u32", uint32(4000000000)},
	{"i32", int32(-2000000000)},
	{"f32", float32(1e-5)},
	{"bool", true},
	{"string", "<|start_header_id|>\n"},
	{"empty string", ""},
	{"u64", uint64(1) << 63},
	{"i64", int64(-1) << 62},
	{"f64", math.Pi},
	{"[]u8", []uint8{1, 2, 255}},
	{"[]i8", []int8{-1, 0, 1}},
	{"[]u16", []uint16{1, 65535}},
	{"[]i16", []int16{-32768, 32767}},
	{"[]u32", []uint32{7}},
	{"[]i32", []int32{-1, 1, 3, 3}},
	{"[]f32", []float32{0.5, float32(math.Inf(-1))}},
	{"[]bool", []bool{true, false}},
	{"[]string", []string{"Ġthe", "", "<|eot_id|>"}},
	{"[]string empty", []string{}},
	{"[]u64", []uint64{math.MaxUint64}},
	{"[]i64", []int64{math.MinInt64}},
	{"[]f64", []float64{-0.25}},
}

// encodeGGUF writes a GGUF header with the given entries and no tensors.
func encodeGGUF(t testing.TB, kvs []KV) []byte {
	t.Helper()
	b := cat([]byte("GGUF"), u32(ggufVersion), u64(0), u64(uint64(len(kvs))), encodeEntries(t, kvs))
	return append(b, make([]byte, (alignment-len(b)%alignment)%alignment)...)
}

func encodeEntries(t testing.TB, kvs []KV) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := &encoder{w: bufio.NewWriter(&buf)}
	for _, kv := range kvs {
		if err := e.kv(kv); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMetadataRoundTripKeepsEveryTypeAndValue(t *testing.T) {
	// A string longer than the reader's 1 MiB piece is read in pieces.
	kvs := append(everyType[:len(everyType):len(everyType)], KV{"long", strings.Repeat("ab", 1<<20+7)})
	b := encodeGGUF(t, kvs)
	got, err := ReadMetadata(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, kvs) {
		t.Errorf("read back\n%.2000v\nwant\n%.2000v", got, kvs)
	}
	// And the project's own reader agrees on what was written.
	h, err := models.ReadHeader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if h.Meta["string"] != "<|start_header_id|>\n" || h.Meta["u32"] != "4000000000" || h.Meta["[]string"] != "[3 strings]" {
		t.Errorf("models.ReadHeader read %v", h.Meta)
	}
}

func TestEncoderRefusesGoTypesGGUFLacks(t *testing.T) {
	for _, v := range []any{1, uint(1), []any{1}, map[string]int{}, nil, [][]string{{"a"}}} {
		var buf bytes.Buffer
		e := &encoder{w: bufio.NewWriter(&buf)}
		if err := e.kv(KV{"k", v}); err == nil {
			t.Errorf("%T was written", v)
		}
	}
}

// header is the start of a GGUF file with one metadata entry, whose type and value
// bytes follow.
func header(key string) []byte {
	b := []byte("GGUF")
	b = binary.LittleEndian.AppendUint32(b, 3)
	b = binary.LittleEndian.AppendUint64(b, 0)
	b = binary.LittleEndian.AppendUint64(b, 1)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(key)))
	return append(b, key...)
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestReadMetadataRefusesMalformedAndHostileFiles(t *testing.T) {
	valid := encodeGGUF(t, everyType)
	twice := encodeGGUF(t, []KV{{"a", uint8(1)}, {"a", uint8(2)}})
	for _, tc := range []struct {
		name      string
		file      []byte
		truncated bool
	}{
		{"a file cut inside an array is truncated", valid[:len(valid)-40], true},
		{"a file cut inside the magic is not GGUF", []byte("GG"), false},
		{"version 4 is refused", cat([]byte("GGUF"), u32(4), u64(0), u64(0)), false},
		{"a million entries are refused before reading one", cat([]byte("GGUF"), u32(3), u64(0), u64(1<<20)), false},
		{"a key of a gigabyte is refused", cat([]byte("GGUF"), u32(3), u64(0), u64(1), u64(1<<30)), false},
		{"a string of an exabyte is refused", cat(header("k"), u32(uint32(models.GGUFString)), u64(1<<60)), false},
		{"a string the file does not hold is truncated", cat(header("k"), u32(uint32(models.GGUFString)), u64(50<<20), []byte("abc")), true},
		{"an array of 2^40 elements is refused", cat(header("k"), u32(uint32(models.GGUFArray)), u32(uint32(models.GGUFUint8)), u64(1<<40)), false},
		{"an array of 16M strings the file does not hold is truncated", cat(header("k"), u32(uint32(models.GGUFArray)), u32(uint32(models.GGUFString)), u64(16<<20)), true},
		{"nested arrays are refused", cat(header("k"), u32(uint32(models.GGUFArray)), u32(uint32(models.GGUFArray)), u64(1)), false},
		{"an unknown value type is refused", cat(header("k"), u32(13)), false},
		{"an unknown element type is refused", cat(header("k"), u32(uint32(models.GGUFArray)), u32(99), u64(1)), false},
		{"a bool of 2 is refused", cat(header("k"), u32(uint32(models.GGUFBool)), []byte{2}), false},
		{"a key twice is refused", twice, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadMetadata(bytes.NewReader(tc.file))
			var fe *models.FormatError
			switch {
			case err == nil:
				t.Fatal("accepted")
			case errors.Is(err, models.ErrNotGGUF):
				if tc.name != "a file cut inside the magic is not GGUF" {
					t.Fatalf("not GGUF: %v", err)
				}
			case !errors.As(err, &fe):
				t.Fatalf("%v is not a *models.FormatError", err)
			case fe.Truncated != tc.truncated:
				t.Fatalf("%v: Truncated = %v", err, fe.Truncated)
			}
		})
	}
}

func TestReadMetadataBudgetCountsEveryStringAndArray(t *testing.T) {
	// Four one-byte keys, three strings of 40 bytes and an array of 5 uint32s: 144
	// bytes in all, within a budget of 144 and over one of 143, though each alone is
	// within both.
	var parts [][]byte
	parts = append(parts, []byte("GGUF"), u32(3), u64(0), u64(4))
	for i := range 3 {
		parts = append(parts, u64(1), []byte{'a' + byte(i)}, u32(uint32(models.GGUFString)), u64(40), bytes.Repeat([]byte{'x'}, 40))
	}
	parts = append(parts, u64(1), []byte("d"), u32(uint32(models.GGUFArray)), u32(uint32(models.GGUFUint32)), u64(5), make([]byte, 20))
	b := cat(parts...)
	if _, err := readMetadata(bytes.NewReader(b), 144); err != nil {
		t.Fatalf("within the budget: %v", err)
	}
	_, err := readMetadata(bytes.NewReader(b), 143)
	var fe *models.FormatError
	if !errors.As(err, &fe) || fe.Truncated {
		t.Fatalf("over the budget: got %v", err)
	}
}

func FuzzReadMetadata(f *testing.F) {
	f.Add(encodeGGUF(f, everyType))
	f.Add(encodeGGUF(f, fakeVocabKVs()))
	f.Add(cat(header("k"), u32(uint32(models.GGUFArray)), u32(uint32(models.GGUFString)), u64(2), u64(1), []byte("a"), u64(0)))
	f.Fuzz(func(t *testing.T, b []byte) {
		kvs, err := readMetadata(bytes.NewReader(b), 1<<20)
		if err != nil {
			return
		}
		// What was read is what the file holds: written again, the entries are the
		// same bytes that follow the file's 24-byte preamble.
		if again := encodeEntries(t, kvs); !bytes.HasPrefix(b[24:], again) {
			t.Fatalf("written again, the metadata differs")
		}
	})
}
