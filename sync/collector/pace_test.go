package collector

import (
	"testing"
	"time"
)

// TestNewConnectionsArePaced: the listener's bucket lets MaxNewConnections through at
// once, then one every 1/MaxNewConnections of a second; connections spaced wider wait
// for nothing. (A fake clock: no timing in the test.)
func TestNewConnectionsArePaced(t *testing.T) {
	clock := time.Unix(1e9, 0)
	var slept time.Duration
	p := &pace{rate: MaxNewConnections, tokens: MaxNewConnections,
		now:   func() time.Time { return clock },
		sleep: func(d time.Duration) { slept += d; clock = clock.Add(d) }}
	for i := range MaxNewConnections {
		if d := p.wait(); d != 0 {
			t.Fatalf("connection %d of the burst waited %s", i, d)
		}
	}
	step := time.Second / MaxNewConnections
	for i := range 10 {
		if d := p.wait(); d < step-time.Microsecond || d > step+time.Microsecond {
			t.Fatalf("connection %d past the burst waited %s, want %s", i, d, step)
		}
	}
	clock = clock.Add(time.Second)
	if d := p.wait(); d != 0 {
		t.Fatalf("after a quiet second a connection waited %s", d)
	}
	if slept != 10*step {
		t.Fatalf("slept %s in all, want %s", slept, 10*step)
	}
}
