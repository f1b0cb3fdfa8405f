package collector

import (
	"errors"
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
// it is refused. A source is an IPv4 address, or an IPv6 /64 (what one host can take).
//
// The pace is per source, not global: a global one would let anyone, by opening bare
// connections, use up every device's turns. A connection over its source's pace waits
// for its turn before its handshake starts, up to MaxWait; beyond that, or with
// MaxWaiting of its source's connections already waiting, it is closed at once. An
// attacker with many addresses gets a pace for each; the collector's other bounds
// (MaxIngests, the read deadlines, alerts per device) still hold.
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
}

// DefaultSourceLimits: a workstation opens a connection a minute or so, and a
// terminal server of a few hundred sessions behind one address stays under 10 a
// second; a source refused once waits a second more.
var DefaultSourceLimits = SourceLimits{Rate: 10, Burst: 20, Refusal: 10, MaxWait: 10 * time.Second, MaxWaiting: 64}

// maxSources bounds the sources tracked; beyond it, new ones share one pace.
const maxSources = 1 << 16

// pacer is a token bucket per source. Taking a turn may reserve a future one (the
// connection then waits until then); a refusal may put a source in debt, at most
// MaxWait deep, so that no source is shut out for longer than that.
type pacer struct {
	limits  SourceLimits
	now     func() time.Time
	mu      sync.Mutex
	sources map[netip.Prefix]*bucket
	swept   time.Time
}

type bucket struct {
	tokens  float64 // below zero: turns reserved ahead, or owed for refusals
	at      time.Time
	waiting int
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
	return &pacer{limits: l, now: time.Now, sources: map[netip.Prefix]*bucket{}}
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

// bucketOf returns src's bucket, refilled to now. The caller holds p.mu.
func (p *pacer) bucketOf(src netip.Prefix, now time.Time) *bucket {
	if now.Sub(p.swept) > time.Minute {
		p.sweep(now) // the table holds only the sources of the last minute or so
	}
	b := p.sources[src]
	if b == nil {
		if len(p.sources) >= maxSources {
			src = netip.Prefix{} // the shared pace of sources not tracked
			b = p.sources[src]
		}
		if b == nil {
			b = &bucket{tokens: float64(p.limits.Burst), at: now}
			p.sources[src] = b
		}
	}
	b.tokens = min(float64(p.limits.Burst), b.tokens+now.Sub(b.at).Seconds()*p.limits.Rate)
	b.at = now
	return b
}

// floor is the deepest debt: MaxWait of turns.
func (p *pacer) floor() float64 { return -p.limits.MaxWait.Seconds() * p.limits.Rate }

// A turn is what reserve gives a new connection.
type turn struct {
	wait time.Duration // before its handshake starts
	// held: it gets no turn, but is held wait (MaxWait) before it is closed, so
	// that a source that owes turns cannot spin on connect and close.
	held bool
}

// reserve takes a turn for a new connection from src, or returns false when it is
// to be closed at once (MaxWaiting of src's connections are waiting already).
func (p *pacer) reserve(src netip.Prefix) (turn, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.bucketOf(src, p.now())
	if b.tokens >= 1 {
		b.tokens--
		return turn{}, true
	}
	if b.waiting >= p.limits.MaxWaiting {
		return turn{}, false
	}
	b.waiting++
	wait := time.Duration((1 - b.tokens) / p.limits.Rate * float64(time.Second))
	if wait > p.limits.MaxWait {
		return turn{wait: p.limits.MaxWait, held: true}, true
	}
	b.tokens--
	return turn{wait: wait}, true
}

// waited says a connection of src that waited has had its turn, or was closed.
func (p *pacer) waited(src netip.Prefix) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b := p.sources[src]; b != nil && b.waiting > 0 {
		b.waiting--
	}
}

// refused charges src for a request the collector refused.
func (p *pacer) refused(src netip.Prefix) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.bucketOf(src, p.now())
	b.tokens = max(p.floor(), b.tokens-p.limits.Refusal)
}

// sweep forgets sources whose bucket has refilled and that have nothing waiting:
// they are as if never seen.
func (p *pacer) sweep(now time.Time) {
	p.swept = now
	for src, b := range p.sources {
		if b.waiting == 0 && b.tokens+now.Sub(b.at).Seconds()*p.limits.Rate >= float64(p.limits.Burst) {
			delete(p.sources, src)
		}
	}
}

func (c *Collector) pace() *pacer {
	c.paceOnce.Do(func() { c.pacer = newPacer(c.SourceLimits) })
	return c.pacer
}

// refused charges the source of r for a refused request and ends its connection.
func (c *Collector) refused(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	c.pace().refused(sourceOf(r.RemoteAddr))
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
		src := sourceOf(conn.RemoteAddr().String())
		t, ok := l.pace.reserve(src)
		if !ok {
			conn.Close() // too many of its source's wait already: no handshake at all
			continue
		}
		if t.wait == 0 {
			return conn, nil
		}
		return &waitingConn{Conn: conn, turn: time.Now().Add(t.wait), held: t.held, closed: make(chan struct{}),
			done: func() { l.pace.waited(src) }}, nil
	}
}

// waitingConn starts its handshake only at its turn: its first read or write waits
// until then (in the connection's own goroutine, not the accept loop's). A held one
// fails then instead.
type waitingConn struct {
	net.Conn
	turn      time.Time
	held      bool
	done      func()
	once      sync.Once
	closeOnce sync.Once
	closed    chan struct{}
}

// errHeld: the connection's source owes turns for refused requests.
var errHeld = errors.New("refused: this address sent too many refused requests; wait, then connect again")

func (c *waitingConn) waitTurn() error {
	c.once.Do(func() {
		defer c.done()
		t := time.NewTimer(time.Until(c.turn))
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.closed:
		}
	})
	if c.held {
		return errHeld
	}
	return nil
}

func (c *waitingConn) Read(b []byte) (int, error) {
	if err := c.waitTurn(); err != nil {
		return 0, err
	}
	return c.Conn.Read(b)
}

func (c *waitingConn) Write(b []byte) (int, error) {
	if err := c.waitTurn(); err != nil {
		return 0, err
	}
	return c.Conn.Write(b)
}

func (c *waitingConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	c.waitTurn() // a connection closed before its turn stops waiting
	return c.Conn.Close()
}
