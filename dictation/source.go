package dictation

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// SampleRate is the rate of the audio the pipeline works on, in samples a second.
const SampleRate = 16000

// A Source is audio in: mono samples at SampleRate, in [-1, 1].
type Source interface {
	// Read fills p with the next samples and returns how many, as io.Reader does:
	// io.EOF once there are no more.
	Read(p []float32) (int, error)
	Close() error
}

// WAVError is a WAV file Vellum cannot read, and why.
type WAVError struct{ Reason string }

func (e *WAVError) Error() string { return "not a WAV file Vellum reads: " + e.Reason }

// WAV is a WAV file as a Source: PCM of 8, 16, 24 or 32 bits or 32-bit float, one or
// more channels (mixed down to one), at any rate from 8 to 192 kHz (resampled to
// SampleRate). It reads as it goes: a long file is never held whole.
type WAV struct {
	r        *bufio.Reader
	closer   io.Closer
	format   uint16 // 1 PCM, 3 float
	channels int
	bits     int
	rate     int
	left     int64 // bytes of the data chunk not read yet; -1: to the end
	frame    []byte
	out      Source // the file's samples at SampleRate
}

const (
	formatPCM        = 1
	formatFloat      = 3
	formatExtensible = 0xFFFE
)

// OpenWAV opens a WAV file as a Source.
func OpenWAV(path string) (*WAV, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	w, err := ReadWAV(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	w.closer = f
	return w, nil
}

// ReadWAV reads a WAV file's header from r, and its samples as they are read.
func ReadWAV(r io.Reader) (*WAV, error) {
	w := &WAV{r: bufio.NewReaderSize(r, 64<<10)}
	var head [12]byte
	if _, err := io.ReadFull(w.r, head[:]); err != nil {
		return nil, &WAVError{"too short for a RIFF/WAVE header"}
	}
	if string(head[0:4]) != "RIFF" || string(head[8:12]) != "WAVE" {
		return nil, &WAVError{"no RIFF/WAVE header"}
	}
	haveFormat := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(w.r, ch[:]); err != nil {
			return nil, &WAVError{"no data chunk"}
		}
		id, size := string(ch[0:4]), int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if err := w.readFormat(size); err != nil {
				return nil, err
			}
			haveFormat = true
		case "data":
			if !haveFormat {
				return nil, &WAVError{"the data chunk comes before the fmt chunk"}
			}
			w.left = size
			if size == 0 || size == math.MaxUint32 {
				w.left = -1 // written while streaming: to the end of the file
			}
			w.frame = make([]byte, w.channels*w.bits/8)
			w.out = Resample(wavSamples{w}, w.rate)
			return w, nil
		default: // LIST, fact, cue and the like
			if _, err := io.CopyN(io.Discard, w.r, size+size%2); err != nil {
				return nil, &WAVError{fmt.Sprintf("the %q chunk is cut short", id)}
			}
		}
	}
}

func (w *WAV) readFormat(size int64) error {
	if size < 16 || size > 1<<10 {
		return &WAVError{fmt.Sprintf("a fmt chunk of %d bytes", size)}
	}
	b := make([]byte, size+size%2)
	if _, err := io.ReadFull(w.r, b); err != nil {
		return &WAVError{"the fmt chunk is cut short"}
	}
	w.format = binary.LittleEndian.Uint16(b[0:2])
	w.channels = int(binary.LittleEndian.Uint16(b[2:4]))
	w.rate = int(binary.LittleEndian.Uint32(b[4:8]))
	w.bits = int(binary.LittleEndian.Uint16(b[14:16]))
	if w.format == formatExtensible {
		if size < 40 {
			return &WAVError{"an extensible fmt chunk without its sub-format"}
		}
		w.format = binary.LittleEndian.Uint16(b[24:26])
	}
	switch {
	case w.format != formatPCM && w.format != formatFloat:
		return &WAVError{fmt.Sprintf("encoding %d (Vellum reads PCM and 32-bit float)", w.format)}
	case w.format == formatPCM && w.bits != 8 && w.bits != 16 && w.bits != 24 && w.bits != 32,
		w.format == formatFloat && w.bits != 32:
		return &WAVError{fmt.Sprintf("%d-bit samples", w.bits)}
	case w.channels < 1 || w.channels > 8:
		return &WAVError{fmt.Sprintf("%d channels", w.channels)}
	case w.rate < 8000 || w.rate > 192000:
		return &WAVError{fmt.Sprintf("a rate of %d Hz", w.rate)}
	}
	return nil
}

// Rate is the file's own sample rate (Read returns SampleRate).
func (w *WAV) Rate() int { return w.rate }

// Read returns the file's samples, mono at SampleRate.
func (w *WAV) Read(p []float32) (int, error) { return w.out.Read(p) }

// Close wipes the audio it holds (its read buffer, the resampler's) and closes the
// file OpenWAV opened.
func (w *WAV) Close() error {
	if w.out != nil {
		w.out.Close()
	}
	clear(w.frame)
	// bufio keeps its buffer: refilled from zeros, it holds no audio.
	w.r.Reset(zeros{})
	w.r.Peek(w.r.Size())
	if w.closer != nil {
		return w.closer.Close()
	}
	return nil
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// wavSamples are a WAV's samples at its own rate, mixed to mono.
type wavSamples struct{ w *WAV }

func (s wavSamples) Close() error { return nil }

func (s wavSamples) Read(p []float32) (int, error) {
	w := s.w
	n := 0
	for n < len(p) {
		if w.left == 0 {
			break
		}
		if _, err := io.ReadFull(w.r, w.frame); err != nil {
			if errors.Is(err, io.EOF) && w.left < 0 {
				w.left = 0 // a streamed file ends where it ends
				break
			}
			if n > 0 {
				return n, nil
			}
			return 0, &WAVError{"the data chunk is cut short"}
		}
		if w.left > 0 {
			w.left = max(0, w.left-int64(len(w.frame)))
		}
		var sum float32
		step := w.bits / 8
		for c := 0; c < w.channels; c++ {
			sum += sampleAt(w.frame[c*step:(c+1)*step], w.format, w.bits)
		}
		p[n] = sum / float32(w.channels)
		n++
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// sampleAt is one sample of b in [-1, 1].
func sampleAt(b []byte, format uint16, bits int) float32 {
	switch {
	case format == formatFloat:
		v := math.Float32frombits(binary.LittleEndian.Uint32(b))
		if v != v { // NaN: silence, not poison for what follows
			return 0
		}
		return max(-1, min(1, v))
	case bits == 8:
		return (float32(b[0]) - 128) / 128
	case bits == 16:
		return float32(int16(binary.LittleEndian.Uint16(b))) / (1 << 15)
	case bits == 24:
		v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
		return float32(v) / (1 << 23)
	default:
		return float32(float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31))
	}
}
