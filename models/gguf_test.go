package models

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/models/modelstest"
)

func testModel(t testing.TB) string { return modelstest.Path(t) }

func TestInspectTheTestModel(t *testing.T) {
	p := testModel(t)
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	h, err := ReadHeader(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if h.Architecture != "llama" || h.Tokenizer != "llama" || h.VocabSize != 512 || len(h.Tensors) == 0 {
		t.Fatalf("header %+v", h)
	}
	if h.Parameters < 200_000 || h.Parameters > 400_000 {
		t.Errorf("parameters %d, want about 260K", h.Parameters)
	}
	if h.ChatTemplate != "" {
		t.Errorf("the test model has no chat template, got %q", h.ChatTemplate)
	}
	t.Logf("%s %s: %d parameters, %d tensors, context %d, file type %q", h.Architecture, h.Name, h.Parameters, len(h.Tensors), h.ContextLen, h.FileType)
}

func TestTruncatedAndHostileFilesAreRefused(t *testing.T) {
	p := testModel(t)
	good, _ := os.ReadFile(p)
	le := func(v any) []byte {
		var b bytes.Buffer
		binary.Write(&b, binary.LittleEndian, v)
		return b.Bytes()
	}
	hdr := func(tensors, kvs uint64) []byte {
		return append(append(append([]byte("GGUF"), le(uint32(3))...), le(tensors)...), le(kvs)...)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not GGUF", []byte("PK\x03\x04 a zip file"), "not a GGUF"},
		{"a truncated header", good[:100], "truncated"},
		{"truncated tensor data (a copy in progress)", good[:len(good)-1000], "truncated or still being copied"},
		{"a future version", append(append([]byte("GGUF"), le(uint32(9))...), make([]byte, 16)...), "version 9"},
		{"a billion tensors", hdr(1<<30, 0), "tensors"},
		{"a 1 TB string", append(hdr(0, 1), le(uint64(1<<40))...), "string of"},
		{"a tensor at an offset that wraps around", append(append(append(hdr(1, 0), le(uint64(1))...), 'w'), append(append(le(uint32(1)), le(uint64(8))...), append(le(uint32(0)), le(uint64(1<<64-64))...)...)...), "bytes after the header"},
		{"an array of 2^40 elements", append(append(append(hdr(0, 1), le(uint64(1))...), 'k'), append(le(uint32(GGUFArray)), append(le(uint32(GGUFUint8)), le(uint64(1<<40))...)...)...), "array of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadHeader(bytes.NewReader(tt.data), int64(len(tt.data)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			var fe *FormatError
			if !errors.Is(err, ErrNotGGUF) && !errors.As(err, &fe) {
				t.Fatalf("err %T is neither ErrNotGGUF nor *FormatError", err)
			}
		})
	}
}

// FuzzReadHeader: any bytes are refused with an error, or parse into tensors that lie
// inside the file; never a panic or an unbounded allocation.
func FuzzReadHeader(f *testing.F) {
	if p := os.Getenv("VELLUM_TEST_MODEL"); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b[:min(len(b), 4096)])
		}
	}
	if b, err := os.ReadFile("../../shared/models/stories260K.gguf"); err == nil {
		f.Add(b[:4096])
	}
	f.Add([]byte("GGUF\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadHeader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, tn := range h.Tensors {
			room := uint64(len(data)) - uint64(h.DataOffset)
			if h.DataOffset > int64(len(data)) || tn.Offset > room || tn.Bytes > room-tn.Offset {
				t.Fatalf("tensor %q lies outside the file", tn.Name)
			}
		}
	})
}
