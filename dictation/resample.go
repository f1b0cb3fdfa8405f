package dictation

import (
	"io"
	"math"
)

// Resample is src, mono at rate from, as a Source at SampleRate. It is band-limited
// interpolation with a Blackman-windowed sinc of 16 zero crossings, its cut-off just
// under the lower of the two rates' Nyquist frequencies: speech's band passes flat,
// and what would fold back is held under -60 dB. Positions are exact (integer
// arithmetic), so a long recording does not drift. A Source already at SampleRate
// is returned as it is.
func Resample(src Source, from int) Source {
	if from == SampleRate {
		return src
	}
	c := 0.95 * min(1, float64(SampleRate)/float64(from))
	return &resampler{src: src, from: int64(from), cutoff: c, half: int64(math.Ceil(zeroCrossings / c))}
}

const zeroCrossings = 16

type resampler struct {
	src    Source
	from   int64
	cutoff float64 // of the input's band, 1 = its Nyquist frequency
	half   int64   // taps on each side, in input samples
	in     []float32
	base   int64 // the index of in[0] among the input's samples
	n      int64 // the next output sample
	eof    bool
	err    error
	chunk  [1024]float32
}

// Close wipes the samples the resampler holds, then closes its source.
func (r *resampler) Close() error {
	clear(r.in[:cap(r.in)])
	clear(r.chunk[:])
	return r.src.Close()
}

func (r *resampler) Read(p []float32) (int, error) {
	out := 0
	for out < len(p) {
		// The output sample's time, in input samples: pos + frac.
		num := r.n * r.from
		pos, frac := num/SampleRate, float64(num%SampleRate)/SampleRate
		for !r.eof && r.base+int64(len(r.in)) <= pos+r.half {
			k, err := r.src.Read(r.chunk[:])
			r.in = appendWiped(r.in, r.chunk[:k])
			if err == io.EOF {
				r.eof = true
			} else if err != nil {
				r.err = err
				r.eof = true
			}
		}
		if r.eof && pos >= r.base+int64(len(r.in)) {
			break // past the input's last sample
		}
		var acc float64
		for k := pos - r.half + 1; k <= pos+r.half; k++ {
			i := k - r.base
			if i < 0 || i >= int64(len(r.in)) {
				continue // before the first sample, or after the last: silence
			}
			acc += float64(r.in[i]) * r.tap(float64(k-pos)-frac)
		}
		p[out] = float32(acc)
		out++
		r.n++
		// What no later output sample reaches is let go.
		if drop := pos - r.half - r.base; drop > int64(len(r.in))/2 && drop > 4096 {
			r.in = append(r.in[:0], r.in[drop:]...)
			r.base += drop
		}
	}
	if out == 0 {
		if r.err != nil {
			return 0, r.err
		}
		return 0, io.EOF
	}
	return out, nil
}

// tap is the kernel at t input samples from the output sample's time.
func (r *resampler) tap(t float64) float64 {
	u := t / float64(r.half)
	if u <= -1 || u >= 1 {
		return 0
	}
	window := 0.42 + 0.5*math.Cos(math.Pi*u) + 0.08*math.Cos(2*math.Pi*u)
	x := r.cutoff * t
	sinc := 1.0
	if x != 0 {
		sinc = math.Sin(math.Pi*x) / (math.Pi * x)
	}
	return r.cutoff * sinc * window
}

// appendWiped is append that wipes the array it leaves behind when it grows.
func appendWiped(dst, src []float32) []float32 {
	if len(dst)+len(src) <= cap(dst) {
		return append(dst, src...)
	}
	grown := make([]float32, len(dst), 2*cap(dst)+len(src))
	copy(grown, dst)
	clear(dst[:cap(dst)])
	return append(grown, src...)
}
