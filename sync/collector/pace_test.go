package collector

import (
	"bytes"
	"context"
	"crypto/tls"
	"hash/maphash"
	"net"
	"net/http"
	"net/netip"
	"strings"
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

// atOnce says a turn needs no wait.
func atOnce(t turn, ok bool) bool { return ok && t.wait == 0 && !t.held }

// TestPacerGivesEachSourceItsOwnTurns: a source takes its burst at once, then waits
// its turn; a refused request puts it in debt, never deeper than MaxWait; past that
// its connections are held and closed, and past MaxWaiting closed at once; another
// source is not slowed by any of it.
func TestPacerGivesEachSourceItsOwnTurns(t *testing.T) {
	l := SourceLimits{Rate: 10, Burst: 3, Refusal: 10, MaxWait: 2 * time.Second, MaxWaiting: 2}
	p, now := clockPacer(l)
	flood, honest := sourceOf("192.0.2.7:4000"), sourceOf("192.0.2.8:4000")
	for i := range 3 {
		if got, ok := p.reserve(flood); !atOnce(got, ok) {
			t.Fatalf("burst turn %d: %+v %v, want at once", i, got, ok)
		}
	}
	got, ok := p.reserve(flood)
	if !ok || got.held || got.wait != 100*time.Millisecond {
		t.Fatalf("after the burst: %+v %v, want a wait of 100ms", got, ok)
	}
	p.waited(got.bucket)
	for range 5 {
		p.refusedFrom(flood)
	}
	if b := p.sources[flood]; b.tokens != -20 {
		t.Fatalf("debt %v, want the floor -20 (MaxWait of turns)", b.tokens)
	}
	held, ok := p.reserve(flood)
	if !ok || !held.held || held.wait != l.MaxWait {
		t.Fatalf("in debt: %+v %v, want held for MaxWait", held, ok)
	}
	p.reserve(flood) // the second held
	if _, ok := p.reserve(flood); ok {
		t.Fatal("a third waiting connection of one source was kept (MaxWaiting 2)")
	}
	if got, ok := p.reserve(honest); !atOnce(got, ok) {
		t.Fatalf("another source: %+v %v, want at once", got, ok)
	}
	// Quiet for long enough, the flooding source has its burst again.
	p.waited(held.bucket)
	p.waited(held.bucket)
	*now = now.Add(time.Minute)
	if got, ok := p.reserve(flood); !atOnce(got, ok) {
		t.Fatalf("after a quiet minute: %+v %v", got, ok)
	}
}

// TestOpenConnectionsOfASourceAreBounded: a source holds at most MaxOpen connections
// at once, paced or not; closing one gives its place back.
func TestOpenConnectionsOfASourceAreBounded(t *testing.T) {
	p, now := clockPacer(SourceLimits{Rate: 1000, Burst: 1000, MaxOpen: 3})
	src := sourceOf("192.0.2.9:1")
	var turns []turn
	for range 3 {
		tu, ok := p.reserve(src)
		if !ok {
			t.Fatal("a connection under MaxOpen was closed")
		}
		turns = append(turns, tu)
	}
	*now = now.Add(2 * time.Minute) // a sweep must not forget a source with connections open
	if _, ok := p.reserve(src); ok {
		t.Fatal("a fourth open connection was kept (MaxOpen 3)")
	}
	p.release(turns[0].bucket)
	if _, ok := p.reserve(src); !ok {
		t.Fatal("a closed connection's place was not given back")
	}
}

// TestSourcesAreHostsAndTheTableIsBounded: an IPv6 /64 is one source (one host can
// take all its addresses), IPv4-mapped addresses are their IPv4 source, a quiet
// source is forgotten, one IPv6 site holds a bounded part of the table, and past
// the table's bound new sources share paces spread by hash, whose waiting count
// comes back to the pace that took it.
func TestSourcesAreHostsAndTheTableIsBounded(t *testing.T) {
	if a, b := sourceOf("[2001:db8:1:2::1]:443"), sourceOf("[2001:db8:1:2:ffff::9]:1"); a != b {
		t.Fatalf("two addresses of one /64: %v and %v", a, b)
	}
	if a, b := sourceOf("[::ffff:192.0.2.1]:1"), sourceOf("192.0.2.1:2"); a != b {
		t.Fatalf("mapped %v, plain %v", a, b)
	}
	p, now := clockPacer(DefaultSourceLimits)
	first, _ := p.reserve(sourceOf("192.0.2.1:1"))
	p.release(first.bucket) // its connection closed
	*now = now.Add(2 * time.Minute)
	p.reserve(sourceOf("192.0.2.2:1"))
	if _, ok := p.sources[sourceOf("192.0.2.1:1")]; ok || len(p.sources) != 1 {
		t.Fatalf("a source quiet for two minutes is still tracked (%d tracked)", len(p.sources))
	}

	// One /48 spreading over its /64s holds maxPerSite places, and its others share
	// siteShares.
	for i := range 3 * maxPerSite {
		a := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 7, byte(i >> 8), byte(i), 15: 1})
		p.reserve(netip.PrefixFrom(a, 64).Masked())
	}
	if n, bound := len(p.sources), 1+maxPerSite+siteShares; n > bound {
		t.Fatalf("one IPv6 /48 holds %d places in the table, bound %d", n-1, bound-1)
	}

	// Past the bound, new sources share overflow paces, not one.
	p.maxSources = len(p.sources) + 100
	var table []turn
	for i := range 100 {
		tu, _ := p.reserve(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), 32))
		table = append(table, tu)
	}
	if len(p.sources) > p.maxSources {
		t.Fatalf("%d sources tracked, bound %d", len(p.sources), p.maxSources)
	}
	spread := map[*bucket]bool{}
	var waits []turn
	for i := range 200 {
		src := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), 32)
		for range DefaultSourceLimits.Burst + 1 {
			tu, ok := p.reserve(src)
			if ok && tu.wait > 0 {
				waits = append(waits, tu)
			}
		}
		spread[p.overflow[maphash.Comparable(p.seed, src)%overflowPaces]] = true
	}
	if len(spread) < 50 {
		t.Fatalf("200 sources past the bound share %d paces, want them spread", len(spread))
	}
	for _, tu := range waits {
		p.waited(tu.bucket)
	}
	for k, o := range p.overflow {
		if o != nil && o.waiting != 0 {
			t.Fatalf("overflow pace %d still counts %d waiting after every wait ended", k, o.waiting)
		}
	}
	// A full table of quiet sources is swept at once, not a minute later.
	for _, tu := range table {
		p.release(tu.bucket)
	}
	*now = now.Add(10 * time.Second)
	fresh := sourceOf("192.0.2.200:1")
	p.reserve(fresh)
	if _, ok := p.sources[fresh]; !ok {
		t.Fatal("a full table of quiet sources was not swept for a new one")
	}
}

// deadlineConn records the deadlines set on it.
type deadlineConn struct {
	net.Conn
	read time.Time
}

func (c *deadlineConn) SetReadDeadline(t time.Time) error { c.read = t; return nil }

// TestAWaitingConnectionsDeadlinesCountFromItsTurn: the server's handshake deadline,
// set when the connection is accepted, is moved by the wait still left.
func TestAWaitingConnectionsDeadlinesCountFromItsTurn(t *testing.T) {
	inner := &deadlineConn{}
	c := &pacedConn{Conn: inner, until: time.Now().Add(3 * time.Second)}
	d := time.Now().Add(10 * time.Second)
	c.SetReadDeadline(d)
	if got := inner.read.Sub(d); got < 2*time.Second || got > 3*time.Second {
		t.Fatalf("deadline moved by %v, want the wait left (about 3s)", got)
	}
	c.until = time.Time{}
	c.SetReadDeadline(d)
	if !inner.read.Equal(d) {
		t.Fatal("a connection with no wait had its deadline moved")
	}
}

// TestOnlyHandshakeErrorsAreFew: failed handshakes are logged a few a period, other
// server errors more, and the rest of each counted.
func TestOnlyHandshakeErrorsAreFew(t *testing.T) {
	var out bytes.Buffer
	f := &fewLines{w: &out, per: time.Hour, most: 2, only: "TLS handshake error", others: 3}
	for range 5 {
		f.Write([]byte("http: TLS handshake error from 192.0.2.1:1: EOF\n"))
	}
	for range 4 {
		f.Write([]byte("http: Accept error: too many open files\n"))
	}
	f.mu.Lock()
	armed := f.timer != nil
	f.timer.Stop()
	f.mu.Unlock()
	if !armed {
		t.Fatal("no count was set to be written at the end of the period")
	}
	f.count() // as the timer would, at the end of the period
	got := out.String()
	if n := strings.Count(got, "handshake error from"); n != 2 {
		t.Errorf("%d handshake lines logged, want 2:\n%s", n, got)
	}
	if strings.Count(got, "too many open files") != 3 || !strings.Contains(got, "3 more TLS handshake error lines") ||
		!strings.Contains(got, "1 more server error lines") {
		t.Errorf("want 3 of the other errors, and both counts:\n%s", got)
	}
}

// TestOpenConnectionsAreBoundedInAll: past MaxOpenTotal open connections, all sources
// together, new ones are closed at accept; closing one gives its place back.
func TestOpenConnectionsAreBoundedInAll(t *testing.T) {
	p, _ := clockPacer(SourceLimits{Rate: 1000, Burst: 1000, MaxOpenTotal: 3})
	var first turn
	for i := range 3 {
		tu, ok := p.reserve(netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), 32))
		if !ok {
			t.Fatal("a connection under MaxOpenTotal was closed")
		}
		first = tu
	}
	if _, ok := p.reserve(sourceOf("192.0.2.99:1")); ok {
		t.Fatal("a fourth open connection was kept (MaxOpenTotal 3)")
	}
	p.release(first.bucket)
	if _, ok := p.reserve(sourceOf("192.0.2.99:1")); !ok {
		t.Fatal("a closed connection's place was not given back")
	}
}

// TestASiteIsNotOneCustomers: one /56 (256 /64s, one customer) fills its /48's
// places in the table; the /48's other /64s share 16 paces by hash, not the one its
// flood has used up.
func TestASiteIsNotOneCustomers(t *testing.T) {
	p, _ := clockPacer(DefaultSourceLimits)
	for i := range maxPerSite {
		a := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, byte(i), 15: 1})
		p.reserve(netip.PrefixFrom(a, 64))
	}
	shares := map[*bucket]bool{}
	for i := range 64 {
		a := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 9, 1, byte(i), 15: 1})
		tu, ok := p.reserve(netip.PrefixFrom(a, 64))
		if !ok {
			t.Fatal("a neighbour's connection was closed")
		}
		shares[tu.bucket] = true
	}
	if len(shares) < 8 {
		t.Fatalf("the /48's other /64s share %d paces, want them spread over %d", len(shares), siteShares)
	}
}

// TestAWaitTooShortToCountStillWaits: a wait that rounds to no time still counts as
// one, so that its waiting count is given back.
func TestAWaitTooShortToCountStillWaits(t *testing.T) {
	p, _ := clockPacer(DefaultSourceLimits)
	src := sourceOf("192.0.2.5:1")
	p.reserve(src)
	p.sources[src].tokens = 1 - 1e-15
	tu, ok := p.reserve(src)
	if !ok || tu.wait <= 0 || tu.bucket.waiting != 1 {
		t.Fatalf("a turn %+v, %v: want a wait, counted", tu, ok)
	}
	p.waited(tu.bucket)
	if tu.bucket.waiting != 0 {
		t.Fatal("the wait was not given back")
	}
}

// TestARefusalIsChargedToItsConnectionsPace: behind TLS, a request's context carries
// the paced connection it came on, so that its refusal is charged to the pace that
// counted it (a shared one, past the table's bound), not looked up again.
func TestARefusalIsChargedToItsConnectionsPace(t *testing.T) {
	p, _ := clockPacer(DefaultSourceLimits)
	tu, _ := p.reserve(sourceOf("192.0.2.30:1"))
	client, server := net.Pipe()
	defer client.Close()
	pc := &pacedConn{Conn: server, pace: p, turn: tu, closed: make(chan struct{})}
	ctx := ConnContext(context.Background(), tls.Server(pc, &tls.Config{}))
	got, ok := ctx.Value(connKey{}).(*pacedConn)
	if !ok || got != pc {
		t.Fatal("the paced connection under TLS is not in the request's context")
	}
	before := tu.bucket.tokens
	c := &Collector{pacer: p}
	c.paceOnce.Do(func() {}) // the pacer is p
	req := (&http.Request{RemoteAddr: "198.51.100.9:1"}).WithContext(ctx)
	c.chargeRefusal(req)
	if tu.bucket.tokens != before-DefaultSourceLimits.Refusal {
		t.Fatalf("the connection's pace went from %v to %v, want charged %v", before, tu.bucket.tokens, DefaultSourceLimits.Refusal)
	}
	if _, ok := p.sources[sourceOf("198.51.100.9:1")]; ok {
		t.Fatal("the refusal was charged by address, not to its connection's pace")
	}
}
