package collector

import (
	"context"
	"crypto/tls"
	"errors"
	"hash/maphash"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// SourceLimits bound, per source address, what the collector takes on before a peer
// has proved anything. Each new connection costs the source a turn (and the collector
// a TLS handshake); each request the collector refuses (a forged or malformed batch,
// a bad token) costs it Refusal turns more and ends its connection, so a peer sending
// forged batches pays a new, paced connection for each, at a pace that falls the more
// it is refused. A source is an IPv4 address, or an IPv6 /64 (what one host can take);
// past 256 /64s of one /48 in the table, that /48's others share one pace.
//
// The pace is per source, not global: a global one would let anyone, by opening bare
// connections, use up every device's turns. A connection over its source's pace waits
// for its turn before its handshake starts, up to MaxWait; beyond that, or with
// MaxWaiting of its source's connections already waiting, or MaxOpen open, it is
// closed at once. An attacker with many addresses gets a pace for each; the table of
// sources is bounded, and past its bound new sources share one of 1024 paces, by a
// keyed hash of the address, so no one peer can put them all in one.
type SourceLimits struct {
	// Rate is the turns a second a source gets, sustained.
	Rate float64
	// Burst is how many turns a source may take at once after a quiet while.
	Burst int
	// Refusal is the turns a refused request costs besides its connection's.
	Refusal float64
	// MaxWait is the longest a connection waits for its turn.
	MaxWait time.Duration
	// MaxWaiting bounds the connections of one source waiting for their turn.
	MaxWaiting int
	// MaxOpen bounds the connections of one source open at once (file descriptors:
	// a source that keeps its connections open cannot take them all).
	MaxOpen int
	// MaxOpenTotal bounds the connections open at once, all sources together: past
	// it, new ones are closed at accept, so that the collector keeps the file
	// descriptors its stores need. Keep it under the process's limit (ulimit -n).
	MaxOpenTotal int
}

// DefaultSourceLimits: a workstation opens a connection a minute or so, and a
// terminal server of a few hundred sessions behind one address stays under 10 a
// second and 256 open; a source refused once waits a second more. A connection waits
// at most 5 s, half the time its handshake then has (Server's ReadHeaderTimeout,
// counted from its turn).
var DefaultSourceLimits = SourceLimits{Rate: 10, Burst: 20, Refusal: 10, MaxWait: 5 * time.Second,
	MaxWaiting: 64, MaxOpen: 256, MaxOpenTotal: 8192}

const (
	// maxSources bounds the sources tracked; beyond it, new ones share overflow paces.
	maxSources = 1 << 16
	// overflowPaces are the paces sources beyond maxSources share, by hash.
	overflowPaces = 1024
	// maxPerSite bounds the /64s of one IPv6 /48 (a site's allocation) tracked apart.
	maxPerSite = 256
)

// pacer is a token bucket per source. Taking a turn may reserve a future one (the
// connection then waits until then); a refusal may put a source in debt, at most
// MaxWait deep, so that no source is shut out for longer than that.
type pacer struct {
	limits     SourceLimits
	maxSources int
	now        func() time.Time
	mu         sync.Mutex
	sources    map[netip.Prefix]*bucket
	perSite    map[netip.Prefix]int // /64 sources tracked, by /48
	overflow   [overflowPaces]*bucket
	seed       maphash.Seed
	swept      time.Time
	open       int // connections open, all sources
}

type bucket struct {
	tokens  float64 // below zero: turns reserved ahead, or owed for refusals
	at      time.Time
	waiting int // connections waiting for their turn
	open    int // connections open
}

// newPacer paces by l: its zero value means DefaultSourceLimits, and so does each
// field that cannot work (a rate or a burst of zero, no wait).
func newPacer(l SourceLimits) *pacer {
	if l == (SourceLimits{}) {
		l = DefaultSourceLimits
	}
	if l.Rate <= 0 || l.Burst < 1 {
		l.Rate, l.Burst = DefaultSourceLimits.Rate, DefaultSourceLimits.Burst
	}
	if l.MaxWait <= 0 {
		l.MaxWait = DefaultSourceLimits.MaxWait
	}
	if l.MaxWaiting <= 0 {
		l.MaxWaiting = DefaultSourceLimits.MaxWaiting
	}
	if l.MaxOpen <= 0 {
		l.MaxOpen = DefaultSourceLimits.MaxOpen
	}
	if l.MaxOpenTotal <= 0 {
		l.MaxOpenTotal = DefaultSourceLimits.MaxOpenTotal
	}
	return &pacer{limits: l, maxSources: maxSources, now: time.Now, sources: map[netip.Prefix]*bucket{},
		perSite: map[netip.Prefix]int{}, seed: maphash.MakeSeed()}
}

// sourceOf names the source of a remote address ("host:port").
func sourceOf(addr string) netip.Prefix {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return netip.Prefix{}
	}
	a := ap.Addr().Unmap()
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// siteOf is the IPv6 /48 of a /64 source, or no prefix.
func siteOf(src netip.Prefix) netip.Prefix {
	if !src.Addr().Is6() || src.Bits() != 64 {
		return netip.Prefix{}
	}
	p, _ := src.Addr().Prefix(48)
	return p
}

// siteShares are the paces the /64s of a full site share, by keyed hash: one
// customer's /56 (256 /64s) can fill its site's places, not take its neighbours'
// turns with them.
const siteShares = 16

// siteShare is the shared pace of src, a /64 of site beyond its places: a key no
// source has (a /56 of the site, numbered by the hash).
func (p *pacer) siteShare(site, src netip.Prefix) netip.Prefix {
	a := site.Addr().As16()
	a[6] = byte(maphash.Comparable(p.seed, src) % siteShares)
	return netip.PrefixFrom(netip.AddrFrom16(a), 56)
}

// bucketOf returns src's bucket, refilled to now. The caller holds p.mu.
func (p *pacer) bucketOf(src netip.Prefix, now time.Time) *bucket {
	if now.Sub(p.swept) > time.Minute {
		p.sweep(now) // the table holds only the sources of the last minute or so
	}
	b := p.sources[src]
	if b == nil {
		if site := siteOf(src); site.IsValid() && p.perSite[site] >= maxPerSite {
			src = p.siteShare(site, src) // the rest of a site's /64s share its paces
			b = p.sources[src]
		}
	}
	if b == nil && len(p.sources) >= p.maxSources && now.Sub(p.swept) >= time.Second {
		p.sweep(now) // full: forget the quiet at once, not a minute later
	}
	switch {
	case b != nil:
	case len(p.sources) >= p.maxSources:
		k := maphash.Comparable(p.seed, src) % overflowPaces
		if b = p.overflow[k]; b == nil {
			b = &bucket{tokens: float64(p.limits.Burst), at: now}
			p.overflow[k] = b
		}
	default:
		b = &bucket{tokens: float64(p.limits.Burst), at: now}
		p.sources[src] = b
		if site := siteOf(src); site.IsValid() {
			p.perSite[site]++
		}
	}
	p.refill(b, now)
	return b
}

// refill gives b the turns earned since it was last looked at. The caller holds p.mu.
func (p *pacer) refill(b *bucket, now time.Time) {
	b.tokens = min(float64(p.limits.Burst), b.tokens+now.Sub(b.at).Seconds()*p.limits.Rate)
	b.at = now
}

// floor is the deepest debt: MaxWait of turns.
func (p *pacer) floor() float64 { return -p.limits.MaxWait.Seconds() * p.limits.Rate }

// A turn is what reserve gives a new connection.
type turn struct {
	wait time.Duration // before its handshake starts; zero: none
	// held: it gets no turn, but is held wait (MaxWait) before it is closed, so
	// that a source that owes turns cannot spin on connect and close.
	held bool
	// bucket is the pace that counts the connection open (and waiting, if it
	// waits): the one its release and waited give back to.
	bucket *bucket
}

// reserve takes a turn for a new connection from src, or returns false when it is
// to be closed at once (MaxWaiting of src's connections are waiting already, or
// MaxOpen are open).
func (p *pacer) reserve(src netip.Prefix) (turn, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.bucketOf(src, p.now())
	if b.open >= p.limits.MaxOpen || p.open >= p.limits.MaxOpenTotal {
		return turn{}, false
	}
	if b.tokens >= 1 {
		b.tokens--
		b.open++
		p.open++
		return turn{bucket: b}, true
	}
	if b.waiting >= p.limits.MaxWaiting {
		return turn{}, false
	}
	b.waiting++
	b.open++
	p.open++
	wait := max(time.Nanosecond, time.Duration((1-b.tokens)/p.limits.Rate*float64(time.Second)))
	if wait > p.limits.MaxWait {
		return turn{wait: p.limits.MaxWait, held: true, bucket: b}, true
	}
	b.tokens--
	return turn{wait: wait, bucket: b}, true
}

// waited says a connection that waited on b has had its turn, or was closed.
func (p *pacer) waited(b *bucket) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b.waiting = max(0, b.waiting-1)
}

// release says a connection counted open on b is closed.
func (p *pacer) release(b *bucket) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b.open = max(0, b.open-1)
	p.open = max(0, p.open-1)
}

// refused charges b, the pace of a connection whose request the collector
// refused.
func (p *pacer) refused(b *bucket) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refill(b, p.now())
	p.charge(b)
}

// refusedFrom charges src's pace, for a request that came on a connection the
// collector did not accept itself (no pacedConn: a server not built on Guard).
func (p *pacer) refusedFrom(src netip.Prefix) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.charge(p.bucketOf(src, p.now()))
}

// charge takes a refusal's turns from b, at most down to the floor. The caller holds
// p.mu and has refilled b.
func (p *pacer) charge(b *bucket) {
	b.tokens = max(p.floor(), b.tokens-p.limits.Refusal)
}

// connKey keys the pacedConn of a request's connection in its context.
type connKey struct{}

// ConnContext puts the connection's pace in its requests' context (for
// http.Server.ConnContext), so that a refused request is charged to the pace its
// connection was counted on.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if pc, ok := c.(*pacedConn); ok {
		return context.WithValue(ctx, connKey{}, pc)
	}
	return ctx
}

// chargeRefusal charges the pace of r's connection for its refusal.
func (c *Collector) chargeRefusal(r *http.Request) {
	if pc, ok := r.Context().Value(connKey{}).(*pacedConn); ok {
		pc.pace.refused(pc.turn.bucket)
		return
	}
	c.pace().refusedFrom(sourceOf(r.RemoteAddr))
}

// sweep forgets sources whose bucket has refilled and that have no connection
// open: they are as if never seen. (A bucket with one open stays, so that what
// its connections give back finds it.)
func (p *pacer) sweep(now time.Time) {
	p.swept = now
	for src, b := range p.sources {
		if b.open == 0 && b.waiting == 0 && b.tokens+now.Sub(b.at).Seconds()*p.limits.Rate >= float64(p.limits.Burst) {
			delete(p.sources, src)
			if site := siteOf(src); site.IsValid() {
				if p.perSite[site]--; p.perSite[site] <= 0 {
					delete(p.perSite, site)
				}
			}
		}
	}
}

func (c *Collector) pace() *pacer {
	c.paceOnce.Do(func() { c.pacer = newPacer(c.SourceLimits) })
	return c.pacer
}

// Listen listens on addr for the collector's server: paced per source
// (SourceLimits), with each connection's receive buffer kept small (128 KiB), so
// that a client the collector stops reading — a forged batch refused from its heads
// — cannot push megabytes into the kernel's memory, or make the machine copy them,
// before the connection is closed.
func (c *Collector) Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return c.Guard(l), nil
}

// Guard wraps a TCP listener as Listen does.
func (c *Collector) Guard(l net.Listener) net.Listener {
	return &guarded{Listener: l, pace: c.pace()}
}

type guarded struct {
	net.Listener
	pace *pacer
}

func (l *guarded) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetReadBuffer(128 << 10)
		}
		t, ok := l.pace.reserve(sourceOf(conn.RemoteAddr().String()))
		if !ok {
			conn.Close() // too many of its source's wait or are open already: no handshake at all
			continue
		}
		pc := &pacedConn{Conn: conn, pace: l.pace, turn: t, closed: make(chan struct{})}
		if t.wait > 0 {
			pc.until = time.Now().Add(t.wait)
		}
		return pc, nil
	}
}

// pacedConn is a connection counted open on its source's pace until it is closed.
// One over its source's pace starts its handshake only at its turn: its first read
// or write waits until then (in the connection's own goroutine, not the accept
// loop's), and deadlines set before then count from then. A held one fails then
// instead.
type pacedConn struct {
	net.Conn
	pace      *pacer
	turn      turn
	until     time.Time // the turn; zero: none to wait for
	once      sync.Once
	closeOnce sync.Once
	closed    chan struct{}
}

// errHeld: the connection's source owes turns for refused requests.
var errHeld = errors.New("refused: this address sent too many refused requests; wait, then connect again")

func (c *pacedConn) waitTurn() error {
	if c.until.IsZero() {
		return nil
	}
	c.once.Do(func() {
		defer c.pace.waited(c.turn.bucket)
		t := time.NewTimer(time.Until(c.until))
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.closed:
		}
	})
	if c.turn.held {
		return errHeld
	}
	return nil
}

func (c *pacedConn) Read(b []byte) (int, error) {
	if err := c.waitTurn(); err != nil {
		return 0, err
	}
	return c.Conn.Read(b)
}

func (c *pacedConn) Write(b []byte) (int, error) {
	if err := c.waitTurn(); err != nil {
		return 0, err
	}
	return c.Conn.Write(b)
}

// later moves a deadline set before the turn by the wait still left: the server's
// handshake deadline, set at accept, counts from the turn.
func (c *pacedConn) later(t time.Time) time.Time {
	if left := time.Until(c.until); !t.IsZero() && left > 0 {
		return t.Add(left)
	}
	return t
}

func (c *pacedConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.later(t)) }
func (c *pacedConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.later(t)) }
func (c *pacedConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.later(t)) }

func (c *pacedConn) Close() error {
	first := false
	c.closeOnce.Do(func() { close(c.closed); first = true })
	c.waitTurn() // a connection closed before its turn stops waiting
	if first {
		c.pace.release(c.turn.bucket)
	}
	return c.Conn.Close()
}
