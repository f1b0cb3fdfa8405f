package collector

import (
	"net/netip"
	"testing"
	"time"
)

// clockPacer is a pacer on a clock the test moves.
func clockPacer(l SourceLimits) (*pacer, *time.Time) {
	p := newPacer(l)
	now := time.Unix(1_000_000, 0)
	p.now = func() time.Time { return now }
	return p, &now
}

// TestPacerGivesEachSourceItsOwnTurns: a source takes its burst at once, then waits
// its turn; a refused request puts it in debt, never deeper than MaxWait; past that
// its connections are held and closed, and past MaxWaiting closed at once; another
// source is not slowed by any of it.
func TestPacerGivesEachSourceItsOwnTurns(t *testing.T) {
	l := SourceLimits{Rate: 10, Burst: 3, Refusal: 10, MaxWait: 2 * time.Second, MaxWaiting: 2}
	p, now := clockPacer(l)
	flood, honest := sourceOf("192.0.2.7:4000"), sourceOf("192.0.2.8:4000")
	for i := range 3 {
		if got, ok := p.reserve(flood); !ok || got != (turn{}) {
			t.Fatalf("burst turn %d: %+v %v, want at once", i, got, ok)
		}
	}
	if got, ok := p.reserve(flood); !ok || got.held || got.wait != 100*time.Millisecond {
		t.Fatalf("after the burst: %+v %v, want a wait of 100ms", got, ok)
	}
	p.waited(flood)
	for range 5 {
		p.refused(flood)
	}
	if b := p.sources[flood]; b.tokens != -20 {
		t.Fatalf("debt %v, want the floor -20 (MaxWait of turns)", b.tokens)
	}
	if got, ok := p.reserve(flood); !ok || !got.held || got.wait != l.MaxWait {
		t.Fatalf("in debt: %+v %v, want held for MaxWait", got, ok)
	}
	p.reserve(flood) // the second held
	if _, ok := p.reserve(flood); ok {
		t.Fatal("a third waiting connection of one source was kept (MaxWaiting 2)")
	}
	if got, ok := p.reserve(honest); !ok || got != (turn{}) {
		t.Fatalf("another source: %+v %v, want at once", got, ok)
	}
	// Quiet for long enough, the flooding source has its burst again.
	p.waited(flood)
	p.waited(flood)
	*now = now.Add(time.Minute)
	if got, ok := p.reserve(flood); !ok || got != (turn{}) {
		t.Fatalf("after a quiet minute: %+v %v", got, ok)
	}
}

// TestSourcesAreHostsAndTheTableIsBounded: an IPv6 /64 is one source (one host can
// take all its addresses), IPv4-mapped addresses are their IPv4 source, a quiet
// source is forgotten, and past maxSources new sources share one pace.
func TestSourcesAreHostsAndTheTableIsBounded(t *testing.T) {
	if a, b := sourceOf("[2001:db8:1:2::1]:443"), sourceOf("[2001:db8:1:2:ffff::9]:1"); a != b {
		t.Fatalf("two addresses of one /64: %v and %v", a, b)
	}
	if a, b := sourceOf("[::ffff:192.0.2.1]:1"), sourceOf("192.0.2.1:2"); a != b {
		t.Fatalf("mapped %v, plain %v", a, b)
	}
	p, now := clockPacer(DefaultSourceLimits)
	p.reserve(sourceOf("192.0.2.1:1"))
	*now = now.Add(2 * time.Minute)
	p.reserve(sourceOf("192.0.2.2:1"))
	if _, ok := p.sources[sourceOf("192.0.2.1:1")]; ok || len(p.sources) != 1 {
		t.Fatalf("a source quiet for two minutes is still tracked (%d tracked)", len(p.sources))
	}
	for i := range maxSources + 10 {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		p.reserve(netip.PrefixFrom(a, 32))
	}
	if len(p.sources) > maxSources+1 {
		t.Fatalf("%d sources tracked, bound %d", len(p.sources), maxSources)
	}
	if _, ok := p.sources[netip.Prefix{}]; !ok {
		t.Fatal("sources past the bound have no shared pace")
	}
}
