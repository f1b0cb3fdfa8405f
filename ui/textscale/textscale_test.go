package textscale

import "testing"

func TestFactorOutOfRangeIsIgnored(t *testing.T) {
	for in, want := range map[float32]float32{0: 1, 0.4: 1, 0.5: 0.5, 1.25: 1.25, 3: 3, 3.5: 1, -1: 1} {
		if got := sane(in); got != want {
			t.Errorf("sane(%v) = %v, want %v", in, got, want)
		}
	}
}
