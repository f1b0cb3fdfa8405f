package dictation

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"testing"
)

// wavBytes encodes samples (one slice per channel) as a WAV file.
func wavBytes(format uint16, bits, rate int, channels ...[]float64) []byte {
	var data bytes.Buffer
	for i := range channels[0] {
		for _, ch := range channels {
			v := ch[i]
			switch {
			case format == formatFloat:
				binary.Write(&data, binary.LittleEndian, float32(v))
			case bits == 8:
				data.WriteByte(byte(math.Round(v*127) + 128))
			case bits == 16:
				binary.Write(&data, binary.LittleEndian, int16(math.Round(v*32767)))
			case bits == 24:
				x := int32(math.Round(v * 8388607))
				data.Write([]byte{byte(x), byte(x >> 8), byte(x >> 16)})
			default:
				binary.Write(&data, binary.LittleEndian, int32(math.Round(v*2147483647)))
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+16+8+4+8+data.Len()))
	b.WriteString("WAVE")
	b.WriteString("LIST") // a chunk a reader skips
	binary.Write(&b, binary.LittleEndian, uint32(4))
	b.WriteString("INFO")
	b.WriteString("fmt ")
	binary.Write(&b, binary.LittleEndian, uint32(16))
	block := len(channels) * bits / 8
	for _, v := range []any{format, uint16(len(channels)), uint32(rate), uint32(rate * block), uint16(block), uint16(bits)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data.Len()))
	b.Write(data.Bytes())
	return b.Bytes()
}

func sine(freq float64, rate, n int, amp float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
	}
	return out
}

func readAll(t *testing.T, s Source) []float32 {
	t.Helper()
	var out []float32
	buf := make([]float32, 777) // not a multiple of anything
	for {
		n, err := s.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestWAVReadsEveryEncoding: PCM of 8 to 32 bits and 32-bit float, stereo mixed down,
// at 16 kHz: the samples come back within the encoding's precision.
func TestWAVReadsEveryEncoding(t *testing.T) {
	want := sine(440, SampleRate, 4000, 0.5)
	for _, tt := range []struct {
		name   string
		format uint16
		bits   int
		tol    float64
	}{{"8-bit", formatPCM, 8, 1.0 / 100}, {"16-bit", formatPCM, 16, 1e-4}, {"24-bit", formatPCM, 24, 1e-6},
		{"32-bit", formatPCM, 32, 1e-6}, {"float", formatFloat, 32, 1e-6}} {
		for _, stereo := range []bool{false, true} {
			chans := [][]float64{want}
			if stereo {
				chans = [][]float64{want, want}
			}
			w, err := ReadWAV(bytes.NewReader(wavBytes(tt.format, tt.bits, SampleRate, chans...)))
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			got := readAll(t, w)
			if len(got) != len(want) {
				t.Fatalf("%s stereo %v: %d samples, want %d", tt.name, stereo, len(got), len(want))
			}
			for i := range got {
				if math.Abs(float64(got[i])-want[i]) > tt.tol {
					t.Fatalf("%s stereo %v: sample %d is %v, want %v", tt.name, stereo, i, got[i], want[i])
				}
			}
		}
	}
}

// snr is the ratio, in dB, of want's power to the power of got - want, over the
// samples from skip to len-skip.
func snr(got []float32, want []float64, skip int) float64 {
	var sig, noise float64
	for i := skip; i < len(want)-skip && i < len(got); i++ {
		sig += want[i] * want[i]
		d := float64(got[i]) - want[i]
		noise += d * d
	}
	return 10 * math.Log10(sig/noise)
}

// TestResamplingKeepsTheSignal: a tone recorded at a device's rate comes out at 16
// kHz as the same tone (over 60 dB above the error), as many samples as the duration
// makes, and a tone above 8 kHz, which 16 kHz cannot carry, is taken out rather than
// folded back into speech's band.
func TestResamplingKeepsTheSignal(t *testing.T) {
	for _, rate := range []int{8000, 11025, 22050, 44100, 48000} {
		const seconds = 2
		w, err := ReadWAV(bytes.NewReader(wavBytes(formatFloat, 32, rate, sine(1000, rate, rate*seconds, 0.5))))
		if err != nil {
			t.Fatal(err)
		}
		got := readAll(t, w)
		if len(got) != SampleRate*seconds {
			t.Errorf("%d Hz: %d samples, want %d", rate, len(got), SampleRate*seconds)
		}
		if s := snr(got, sine(1000, SampleRate, SampleRate*seconds, 0.5), 200); s < 60 {
			t.Errorf("%d Hz: the tone resampled is %.1f dB above the error, want 60", rate, s)
		}
	}
	w, _ := ReadWAV(bytes.NewReader(wavBytes(formatFloat, 32, 48000, sine(12000, 48000, 48000, 0.5))))
	var power float64
	got := readAll(t, w)
	for _, v := range got[200 : len(got)-200] {
		power += float64(v) * float64(v)
	}
	if db := 10 * math.Log10(power/float64(len(got)-400)/0.125); db > -60 {
		t.Errorf("a 12 kHz tone folds back at %.1f dB, want under -60", db)
	}
}

// TestABadWAVSaysWhy: files Vellum cannot read are refused with the reason, never a
// panic or a silent empty read.
func TestABadWAVSaysWhy(t *testing.T) {
	good := wavBytes(formatPCM, 16, SampleRate, sine(440, SampleRate, 100, 0.5))
	with := func(at int, b ...byte) []byte {
		c := bytes.Clone(good)
		copy(c[at:], b)
		return c
	}
	fmtAt := bytes.Index(good, []byte("fmt ")) + 8
	for name, file := range map[string][]byte{
		"empty":                {},
		"not RIFF":             with(0, 'R', 'I', 'F', 'X'),
		"an MP3 in a WAV":      with(fmtAt, 0x55, 0),
		"12-bit samples":       with(fmtAt+14, 12, 0),
		"no channels":          with(fmtAt+2, 0, 0),
		"a rate of 4 MHz":      with(fmtAt+4, 0, 0, 0x40, 0),
		"no data chunk":        good[:bytes.Index(good, []byte("data"))],
		"a huge skipped chunk": append(append([]byte("RIFF\x00\x00\x00\x00WAVEjunk"), 0xff, 0xff, 0xff, 0x7f), 'x'),
	} {
		_, err := ReadWAV(bytes.NewReader(file))
		var we *WAVError
		if !errors.As(err, &we) {
			t.Errorf("%s: %v, want a WAVError", name, err)
		}
	}
	// Cut inside the data: the samples before the cut, then the reason.
	w, err := ReadWAV(bytes.NewReader(good[:len(good)-51]))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 1000)
	n, _ := w.Read(buf)
	if _, err := w.Read(buf); n == 0 || !errors.As(err, new(*WAVError)) {
		t.Fatalf("a file cut in its data: read %d, then %v", n, err)
	}
}

// FuzzReadWAV: no file makes the reader panic, loop or read without end.
func FuzzReadWAV(f *testing.F) {
	f.Add(wavBytes(formatPCM, 16, SampleRate, sine(440, SampleRate, 100, 0.5)))
	f.Add(wavBytes(formatFloat, 32, 44100, sine(440, 44100, 100, 0.5), sine(440, 44100, 100, 0.5)))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := ReadWAV(bytes.NewReader(b))
		if err != nil {
			return
		}
		buf := make([]float32, 512)
		for range 1 << 16 {
			if _, err := w.Read(buf); err != nil {
				return
			}
		}
		t.Fatal("a file of at most a few kilobytes read on past 30 million samples")
	})
}

// TestAClosedWAVHoldsNoAudio: once closed, the read buffer and the resampler's
// samples are wiped (the reader's buffer is reused by bufio, so it is refilled).
func TestAClosedWAVHoldsNoAudio(t *testing.T) {
	tone := make([]float64, 44100)
	for i := range tone {
		tone[i] = 0.5 * math.Sin(float64(i)/7)
	}
	w, err := ReadWAV(bytes.NewReader(wavBytes(formatPCM, 16, 44100, tone)))
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float32, 4000)
	if n, err := w.Read(p); n == 0 || err != nil {
		t.Fatalf("read %d: %v", n, err)
	}
	buffered, _ := w.r.Peek(1)
	buffered = buffered[:cap(buffered)]
	rs := w.out.(*resampler)
	if !slices.ContainsFunc(buffered, func(b byte) bool { return b != 0 }) || len(rs.in) == 0 {
		t.Fatal("nothing buffered to wipe: the test reads too little")
	}
	in := rs.in[:cap(rs.in)]
	w.Close()
	if slices.ContainsFunc(buffered, func(b byte) bool { return b != 0 }) {
		t.Error("the read buffer still holds audio")
	}
	if slices.ContainsFunc(in, func(x float32) bool { return x != 0 }) || slices.ContainsFunc(rs.chunk[:], func(x float32) bool { return x != 0 }) {
		t.Error("the resampler still holds audio")
	}
}
