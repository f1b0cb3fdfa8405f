package collector

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/vellumhealth/vellum/audit"

	"github.com/vellumhealth/vellum/sync/api"
)

// Collector is the hospital's audit collector: an http.Handler over a Store.
type Collector struct {
	Store Store
	// Signer signs checkpoints (a golang.org/x/mod/sumdb/note key); its name is the
	// log's origin line.
	Signer note.Signer
	// SilentAfter: a device not heard from for this long is flagged (and alerted).
	SilentAfter time.Duration
	// Webhook, if set, receives every alert as a JSON POST (best effort: the
	// collector's journal is the record).
	Webhook string
	// ExportBurst: this many note exports by one user in one batch is an alert (a
	// mass export); zero means 20.
	ExportBurst int
	// ApproveDevices: a device that enrolls waits for an admin's approval (Approve)
	// before its batches are taken; an enrollment token alone does not admit it. The
	// store's setting SettingApproveDevices asks the same of every collector on it:
	// either is enough.
	ApproveDevices bool
	// SourceLimits pace, per source address, the connections Listen and Guard take
	// and the requests the collector refuses; the zero value means
	// DefaultSourceLimits.
	SourceLimits SourceLimits
	Log          *slog.Logger
	Now          func() time.Time

	paceOnce sync.Once
	pacer    *pacer

	// devices orders the appends of each device within this process (Store.Append
	// does across processes); verification happens before, outside any lock.
	devices keyedMutex

	ingestOnce sync.Once
	ingests    chan struct{} // MaxIngests places
	lookups    chan struct{} // two store lookups at once for the heads' check

	cacheMu sync.Mutex
	cache   map[string]cachedDevice // admitted devices, for the heads' check

	alertMu   sync.Mutex
	lastAlert map[string]time.Time // per device and kind of alert: at most one a minute
	webhooks  chan struct{}        // bounds the webhook posts in flight
}

func (c *Collector) makePlaces() {
	c.ingests, c.lookups = make(chan struct{}, MaxIngests), make(chan struct{}, 2)
}

// admitIngest takes one of MaxIngests places, waiting up to a second.
func (c *Collector) admitIngest(ctx context.Context) bool {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case c.ingests <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// keyedMutex is one mutex per key, held only while in use.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyedEntry
}

type keyedEntry struct {
	mu    sync.Mutex
	users int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyedEntry{}
	}
	e := k.m[key]
	if e == nil {
		e = &keyedEntry{}
		k.m[key] = e
	}
	e.users++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.users--; e.users == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}

func (c *Collector) now() time.Time {
	if c.Now == nil {
		return time.Now().UTC()
	}
	return c.Now().UTC()
}

func (c *Collector) log() *slog.Logger {
	if c.Log == nil {
		return slog.Default()
	}
	return c.Log
}

// TLSConfig is the collector's TLS policy: 1.3 preferred, 1.2 the minimum.
func TLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// Server is the collector's HTTPS server for addr: TLS as TLSConfig, and every phase of
// a request bounded in time, so that slow bodies cannot pile up: the headers within
// 10 s, a whole request (at most api.MaxBody) within 2 minutes, an idle connection
// kept 30 s. It speaks HTTP/1.1 only: under HTTP/2 a refused request would not end
// its connection (the streams already open would still be served), and devices gain
// nothing from it.
// Failed handshakes (a flood's, and those of connections held for their source's
// turn) are logged to errs at most 10 a minute, with a count of the rest; its other
// errors (accept failures, panics) all are.
func Server(addr string, h http.Handler, cert tls.Certificate, errs io.Writer) *http.Server {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	return &http.Server{Addr: addr, Handler: h, TLSConfig: TLSConfig(cert), Protocols: &protocols, ConnContext: ConnContext,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute,
		IdleTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: log.New(&fewLines{w: errs, per: time.Minute, most: 10, only: "TLS handshake error", others: 100},
			"vellum-collector: ", log.LstdFlags)}
}

// fewLines passes at most most lines a period that contain only to w, and at most
// others of the other lines (accept failures, panics: rarer, and each worth reading),
// then how many of each it dropped, at the end of the period.
type fewLines struct {
	w            io.Writer
	per          time.Duration
	most, others int
	only         string
	mu           sync.Mutex
	start        time.Time
	n, nOthers   int
	dropped      [2]int // lines with only, other lines
	timer        *time.Timer
}

func (f *fewLines) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if now.Sub(f.start) >= f.per {
		f.start, f.n, f.nOthers = now, 0, 0
	}
	kind, n, most := 0, &f.n, f.most
	if !bytes.Contains(p, []byte(f.only)) {
		kind, n, most = 1, &f.nOthers, f.others
	}
	if *n++; *n <= most {
		return f.w.Write(p)
	}
	if f.dropped[kind]++; f.timer == nil {
		f.timer = time.AfterFunc(f.start.Add(f.per).Sub(now), f.count)
	}
	return len(p), nil
}

// count writes how many lines were dropped since it last did.
func (f *fewLines) count() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dropped[0] > 0 {
		fmt.Fprintf(f.w, "vellum-collector: %d more %s lines in the last %v (not shown)\n", f.dropped[0], f.only, f.per)
	}
	if f.dropped[1] > 0 {
		fmt.Fprintf(f.w, "vellum-collector: %d more server error lines in the last %v (not shown)\n", f.dropped[1], f.per)
	}
	f.dropped, f.timer = [2]int{}, nil
}

// MaxIngests bounds the ingest requests whose records are read and verified at once;
// more wait briefly, then are answered 503 (the device retries): memory stays bounded
// by this many bodies of api.MaxBody. A request takes a place only once its heads
// verify: forged batches never hold one.
const MaxIngests = 16

// TokenHash is how tokens are stored.
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ServeHTTP routes the API (API.md). A request refused for what its peer sent (a
// 4xx answer, or a refused batch) is charged to its source (SourceLimits) and ends
// its connection.
func (c *Collector) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &answer{ResponseWriter: rw}
	defer func() {
		// Not an ingest's conflict: the collector's own contention (ErrConflict), not
		// the peer's.
		contended := w.status == http.StatusConflict && r.URL.Path == api.PathIngest
		if w.refused || w.status >= 400 && w.status < 500 && !contended {
			c.chargeRefusal(r)
		}
	}()
	r.Body = http.MaxBytesReader(w, r.Body, api.MaxBody)
	switch {
	case r.Method == http.MethodPost && r.URL.Path == api.PathEnroll:
		serve(w, r, c.enroll)
	case r.Method == http.MethodPost && r.URL.Path == api.PathIngest:
		// The whole body arrives within 30 s, or the request is dropped.
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(30 * time.Second))
		c.serveIngest(w, r)
	case r.Method == http.MethodGet && r.URL.Path == api.PathCheckpoint:
		cp, err := c.Checkpoint(r.Context())
		if err != nil {
			writeErr(w, http.StatusInternalServerError, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(cp))
	case r.Method == http.MethodPost && r.URL.Path == api.PathInclusion:
		serve(w, r, c.inclusion)
	case r.Method == http.MethodPost && r.URL.Path == api.PathConsistency:
		serve(w, r, c.consistency)
	case r.Method == http.MethodPost && r.URL.Path == api.PathReport:
		c.authorized(w, r, []string{RoleAuditor, RoleAdmin}, func(who string) { serve(w, r, c.report(who)) })
	case r.Method == http.MethodGet && r.URL.Path == api.PathDevices:
		c.authorized(w, r, []string{RoleAdmin, RoleAuditor}, func(string) {
			st, err := c.DeviceStatuses(r.Context())
			if err != nil {
				writeErr(w, http.StatusInternalServerError, err)
				return
			}
			writeJSON(w, http.StatusOK, st)
		})
	case r.Method == http.MethodPost && r.URL.Path == api.PathRevoke:
		c.authorized(w, r, []string{RoleAdmin}, func(who string) { serve(w, r, c.revoke(who)) })
	case r.Method == http.MethodPost && r.URL.Path == api.PathDeviceKey:
		serve(w, r, c.deviceKey)
	case r.Method == http.MethodPost && r.URL.Path == api.PathApprove:
		c.authorized(w, r, []string{RoleAdmin}, func(who string) { serve(w, r, c.approve(who)) })
	default:
		writeErr(w, http.StatusNotFound, errors.New("no such endpoint"))
	}
}

// serveIngest reads an ingest request as it arrives. Once the device and its heads
// are in — they must come before the records, as api.IngestRequest sends them — a
// batch whose heads do not verify is refused without reading the rest of its body: a
// forged batch costs two signature checks and a few kilobytes, not megabytes of
// decoding, and never holds one of the MaxIngests places.
func (c *Collector) serveIngest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req api.IngestRequest
	// What comes before the records is read with no place held: at most
	// maxBeforeRecords bytes of it, so that many such requests cannot fill memory.
	body := &raisableLimit{r: r.Body, n: maxBeforeRecords}
	dec := json.NewDecoder(body)
	malformed := func(err error) {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("malformed request: %v", err))
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		malformed(errors.New("not a JSON object"))
		return
	}
	c.ingestOnce.Do(c.makePlaces)
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			malformed(err)
			return
		}
		key, _ := t.(string)
		if seen[key] {
			malformed(fmt.Errorf("field %q twice", key))
			return
		}
		seen[key] = true
		switch key {
		case "device":
			err = dec.Decode(&req.Device)
		case "heads":
			err = decodeHeads(dec, &req.Heads)
		case "device_head":
			err = dec.Decode(&req.DeviceHead)
		case "records":
			// Only a batch whose heads verify (checked with no place held) takes a
			// place to have its records read, and they are the request's last field:
			// nothing read after the check can change what was checked. Records
			// before heads cannot be vouched for without reading them all: refused.
			if !seen["heads"] || !seen["device"] {
				malformed(errors.New("device and heads must come before records (a device of an earlier build: update it)"))
				return
			}
			if resp, err := c.precheck(ctx, req); err != nil || resp.Rejected != "" {
				respondIngest(w, resp, err)
				return
			}
			if !c.admitIngest(ctx) {
				w.Header().Set("Retry-After", "5")
				writeErr(w, http.StatusServiceUnavailable, errors.New("the collector is busy; send again shortly"))
				return
			}
			defer func() { <-c.ingests }()
			body.n = api.MaxBody
			if err := dec.Decode(&req.Records); err != nil {
				malformed(err)
				return
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('}') {
				malformed(errors.New("records must be the last field"))
				return
			}
			resp, err := c.Ingest(ctx, req)
			respondIngest(w, resp, err)
			return
		default:
			malformed(fmt.Errorf("unknown field %v", t))
			return
		}
		if err != nil {
			malformed(err)
			return
		}
	}
	// No records: nothing to ingest.
	malformed(errors.New("no records"))
}

// maxBeforeRecords bounds what an ingest request may hold before its records (the
// device, its heads): a batch has one head, a few hundred bytes.
const maxBeforeRecords = 64 << 10

// raisableLimit reads at most n bytes of r; n may be raised as reading goes on.
type raisableLimit struct {
	r io.Reader
	n int64
}

func (l *raisableLimit) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("too long before its records")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// maxHeads bounds the heads of one request: a device sends one per batch.
const maxHeads = 1000

// decodeHeads reads a JSON array of heads, one at a time, refusing more than maxHeads.
func decodeHeads(dec *json.Decoder, heads *[]audit.Head) error {
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		if t == nil && err == nil {
			return nil // null
		}
		return errors.New("heads is not an array")
	}
	for dec.More() {
		if len(*heads) == maxHeads {
			return fmt.Errorf("more than %d heads", maxHeads)
		}
		var h audit.Head
		if err := dec.Decode(&h); err != nil {
			return err
		}
		*heads = append(*heads, h)
	}
	_, err := dec.Token()
	return err
}

// precheck refuses, before the records are read, a batch of a device that may not
// deliver or whose heads do not verify (audit.CheckHeads). It changes nothing.
func (c *Collector) precheck(ctx context.Context, req api.IngestRequest) (api.IngestResponse, error) {
	if len(req.Heads) > api.MaxBatch {
		return api.IngestResponse{}, &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("more than %d heads in one batch", api.MaxBatch)}
	}
	d, err := c.precheckDevice(ctx, req.Device)
	if err != nil {
		return api.IngestResponse{}, err
	}
	resp := api.IngestResponse{AcceptedThrough: d.Head.Seq}
	if err := audit.CheckHeads(d.PublicKey, d.ID, d.Head, req.Heads); err != nil {
		// A device that lost an acknowledgement resends what the collector has, under
		// a head the collector has too: that is no forgery.
		if !anyBeyond(req.Heads, d.Head.Seq) {
			if ok, herr := c.knownHead(ctx, d, req.Heads); herr != nil || ok {
				return resp, herr
			}
		}
		resp.Rejected = err.Error()
		c.alert(ctx, d.ID, "refused", "batch refused: "+err.Error())
	}
	return resp, nil
}

// anyBeyond says whether a head names a record after seq: then the batch brings new
// records, and only a head beyond seq may vouch for it.
func anyBeyond(heads []audit.Head, seq uint64) bool {
	for _, h := range heads {
		if h.Seq > seq {
			return true
		}
	}
	return false
}

// knownHead says whether the highest of heads at or below d's last accepted record is
// one the collector stored the record of, signed by the device.
func (c *Collector) knownHead(ctx context.Context, d Device, heads []audit.Head) (bool, error) {
	var best *audit.Head
	for i, h := range heads {
		if h.Seq > 0 && h.Seq <= d.Head.Seq && h.Device == d.ID && (best == nil || h.Seq > best.Seq) {
			best = &heads[i]
		}
	}
	if best == nil {
		return false, nil
	}
	stored, ok, err := c.Store.StoredHash(ctx, d.ID, best.Seq)
	if err != nil || !ok || stored != best.Hash {
		return false, err
	}
	return best.VerifySig(d.PublicKey) == nil, nil
}

// precheckDevice is admitted for the heads' check, which is only a filter (Ingest
// decides again from the store): an admitted device is remembered for a second, so
// that a flood of forged batches about it costs the store one lookup a second, not
// one a request; lookups of devices not remembered (ids are not secret: an attacker
// can name any) run two at a time, so that they cannot take every connection to the
// store from the honest appends.
func (c *Collector) precheckDevice(ctx context.Context, id string) (Device, error) {
	c.cacheMu.Lock()
	e, ok := c.cache[id]
	c.cacheMu.Unlock()
	if ok && c.now().Sub(e.at) < time.Second {
		return e.d, nil
	}
	select {
	case c.lookups <- struct{}{}:
		defer func() { <-c.lookups }()
	case <-ctx.Done():
		return Device{}, ctx.Err()
	}
	d, err := c.admitted(ctx, id)
	if err != nil {
		return d, err
	}
	c.cacheMu.Lock()
	if c.cache == nil || len(c.cache) >= maxCachedDevices {
		c.cache = map[string]cachedDevice{}
	}
	c.cache[id] = cachedDevice{d: d, at: c.now()}
	c.cacheMu.Unlock()
	return d, nil
}

type cachedDevice struct {
	d  Device
	at time.Time
}

// maxCachedDevices bounds the devices remembered for the heads' check: more than a
// hospital's workstations.
const maxCachedDevices = 20000

// admitted is the device of id if it may deliver: enrolled, not revoked, approved.
func (c *Collector) admitted(ctx context.Context, id string) (Device, error) {
	if !validDeviceID(id) {
		return Device{}, &httpError{http.StatusBadRequest, errors.New("device is not a device id (d_ and 20 hex digits)")}
	}
	d, err := c.Store.Device(ctx, id)
	if errors.Is(err, ErrUnknownDevice) {
		// Device ids are not secret: one alert a minute for all of them.
		c.alert(ctx, "", "unenrolled", "batches from unenrolled devices refused (last: "+id+")")
		return Device{}, &httpError{http.StatusForbidden, err}
	}
	if err != nil {
		return Device{}, err
	}
	if d.Revoked {
		c.alert(ctx, d.ID, "revoked", "batch from a revoked device refused")
		return Device{}, &httpError{http.StatusForbidden, fmt.Errorf("device %s is revoked", d.ID)}
	}
	if !d.Approved {
		c.alert(ctx, d.ID, "unapproved", "batch from a device awaiting an admin's approval refused")
		return Device{}, &httpError{http.StatusForbidden, fmt.Errorf("device %s (enrolled as %s) awaits an admin's approval", d.ID, d.EnrolledAs)}
	}
	return d, nil
}

// httpError carries a status.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string { return e.err.Error() }

func serve[Req any, Resp any](w http.ResponseWriter, r *http.Request, fn func(context.Context, Req) (Resp, error)) {
	var req Req
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("malformed request: %v", err))
		return
	}
	resp, err := fn(r.Context(), req)
	respond(w, resp, err)
}

// respond writes a handler's result: the response, or the error with its status.
func respond(w http.ResponseWriter, resp any, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		writeErr(w, he.status, he.err)
	case err != nil:
		writeErr(w, http.StatusInternalServerError, err)
	default:
		writeJSON(w, http.StatusOK, resp)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeErr answers an error and ends the connection: whoever sends again pays a new
// connection, which is paced per source (SourceLimits).
func writeErr(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Connection", "close")
	writeJSON(w, status, api.ErrorResponse{Error: err.Error()})
}

// respondIngest is respond for ingests: a refused batch (answered 200, with the
// reason) is refused as an error is.
func respondIngest(w http.ResponseWriter, resp api.IngestResponse, err error) {
	if resp.Rejected != "" {
		if a, ok := w.(*answer); ok {
			a.refused = true
		}
		w.Header().Set("Connection", "close")
	}
	respond(w, resp, err)
}

// answer notes what ServeHTTP answered.
type answer struct {
	http.ResponseWriter
	status  int
	refused bool
}

func (a *answer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
	a.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (a *answer) Unwrap() http.ResponseWriter { return a.ResponseWriter }

func (c *Collector) authorized(w http.ResponseWriter, r *http.Request, roles []string, fn func(who string)) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		writeErr(w, http.StatusUnauthorized, errors.New("a bearer token is required"))
		return
	}
	t, err := c.Store.TokenByHash(r.Context(), TokenHash(tok))
	if err != nil || (!t.Expires.IsZero() && !c.now().Before(t.Expires)) {
		writeErr(w, http.StatusUnauthorized, errors.New("unknown, revoked or expired token"))
		return
	}
	role, name := t.Role, t.Name
	for _, allowed := range roles {
		if subtle.ConstantTimeCompare([]byte(role), []byte(allowed)) == 1 {
			fn(role + ":" + name)
			return
		}
	}
	writeErr(w, http.StatusForbidden, fmt.Errorf("the %s role may not use this endpoint", role))
}

func (c *Collector) enroll(ctx context.Context, req api.EnrollRequest) (api.EnrollResponse, error) {
	pub, err := hex.DecodeString(req.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return api.EnrollResponse{}, &httpError{http.StatusBadRequest, errors.New("public_key is not a hex Ed25519 key")}
	}
	if audit.DeviceID(pub) != req.Device {
		return api.EnrollResponse{}, &httpError{http.StatusBadRequest, errors.New("the device id is not derived from the public key")}
	}
	approval, err := c.approvalRequired(ctx)
	if err != nil {
		return api.EnrollResponse{}, err
	}
	err = c.Store.Enroll(ctx, TokenHash(req.Token), Device{ID: req.Device, PublicKey: pub, Enrolled: c.now(), Approved: !approval})
	if errors.Is(err, ErrBadToken) {
		return api.EnrollResponse{}, &httpError{http.StatusForbidden, err}
	}
	if err != nil {
		return api.EnrollResponse{}, &httpError{http.StatusConflict, err}
	}
	c.log().Info("device enrolled", "device", req.Device, "awaiting_approval", approval)
	return api.EnrollResponse{Device: req.Device}, nil
}

// Ingest verifies a batch against the device's key and its last accepted record and
// appends what verifies. See the package comment for what is refused. Verification
// runs outside any lock and in time linear in the batch; nothing is changed — not
// even the device's last contact — before a signature verifies; only the append is
// ordered per device.
func (c *Collector) Ingest(ctx context.Context, req api.IngestRequest) (api.IngestResponse, error) {
	if len(req.Records) > api.MaxBatch || len(req.Heads) > api.MaxBatch {
		return api.IngestResponse{}, &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("more than %d records or heads in one batch", api.MaxBatch)}
	}
	lines := make([][]byte, len(req.Records))
	for i, s := range req.Records {
		lines[i] = []byte(s)
	}
	// A batch verified against a head that moved meanwhile (another process of the
	// device delivered) is verified again from the new head, a few times at most.
	for try := 0; ; try++ {
		d, err := c.admitted(ctx, req.Device)
		if err != nil {
			return api.IngestResponse{}, err
		}
		b, resp, err := c.verify(ctx, d, lines, req.Heads)
		if err != nil || len(b.recs) == 0 {
			return resp, err
		}
		resp, err = c.appendVerified(ctx, d, b, req.DeviceHead, resp)
		if errors.Is(err, errHeadMoved) && try < 3 {
			continue
		}
		if errors.Is(err, errHeadMoved) || errors.Is(err, ErrConflict) {
			return resp, &httpError{http.StatusConflict, ErrConflict}
		}
		return resp, err
	}
}

// verifiedBatch is what of a batch verified: records to append and the heads that
// cover them.
type verifiedBatch struct {
	recs    []LogRecord
	decoded []audit.Record
	heads   []audit.Head
}

var errHeadMoved = errors.New("the device's head moved during verification")

// verify checks a batch against d's last accepted record: records it already has
// must be byte-identical (a resend), the rest must chain and be covered by a head
// whose signature verifies (VerifyPrefix: the longest good prefix of a batch that
// fails part-way is kept, in linear time). It reads the store, and changes nothing.
func (c *Collector) verify(ctx context.Context, d Device, lines [][]byte, heads []audit.Head) (verifiedBatch, api.IngestResponse, error) {
	resp := api.IngestResponse{AcceptedThrough: d.Head.Seq}
	skip := 0
	for ; skip < len(lines); skip++ {
		r, err := audit.Decode(lines[skip])
		if err != nil || r.Seq > d.Head.Seq {
			break
		}
		stored, ok, err := c.Store.StoredHash(ctx, d.ID, r.Seq)
		if err != nil {
			return verifiedBatch{}, resp, err
		}
		if !ok || stored != audit.Hash(lines[skip]) {
			resp.Rejected = (&audit.ChainError{Seq: r.Seq, Reason: "differs from the record already accepted with this number (replayed with changes)"}).Error()
			c.alert(ctx, d.ID, "replayed", resp.Rejected)
			return verifiedBatch{}, resp, nil
		}
	}
	rest := lines[skip:]
	if len(rest) == 0 {
		return verifiedBatch{}, resp, nil
	}
	verified, covering, verr := audit.VerifyPrefix(d.PublicKey, d.ID, d.Head, rest, heads)
	if verr != nil {
		resp.Rejected = verr.Error()
		c.alert(ctx, d.ID, "refused", "batch refused: "+verr.Error())
	}
	if verified.Records == 0 {
		return verifiedBatch{}, resp, nil
	}
	rest = rest[:verified.Records]
	b := verifiedBatch{recs: make([]LogRecord, len(rest)), decoded: verified.Decoded}
	for i, line := range rest {
		r := verified.Decoded[i]
		h := verified.Last.Hash
		if i+1 < len(rest) {
			h = verified.Decoded[i+1].Prev // the chain already hashed each record
		}
		b.recs[i] = LogRecord{Device: d.ID, Seq: r.Seq, Line: line, Hash: h, Patient: r.Patient, Action: string(r.Action), Time: r.Time}
	}
	last := b.recs[len(b.recs)-1].Seq
	for _, h := range covering {
		if h.Seq > d.Head.Seq && h.Seq <= last {
			b.heads = append(b.heads, h)
		}
	}
	return b, resp, nil
}

// appendVerified appends a verified batch, in the device's order: the head it was
// verified against must still be the device's, else errHeadMoved.
func (c *Collector) appendVerified(ctx context.Context, d Device, b verifiedBatch, reported uint64, resp api.IngestResponse) (api.IngestResponse, error) {
	unlock := c.devices.lock(d.ID)
	defer unlock()
	now, err := c.Store.Device(ctx, d.ID)
	if err != nil {
		return resp, err
	}
	if now.Head != d.Head {
		return resp, errHeadMoved
	}
	size, err := c.Store.Append(ctx, d.ID, d.Head, b.recs, b.heads, c.now())
	if errors.Is(err, ErrConflict) {
		return resp, errHeadMoved // another collector on the store appended meanwhile
	}
	if err != nil {
		return resp, err
	}
	// Only now, with the batch in the log, is the device known to be alive, and are
	// its records' alerts due: done to the end, even if the device has hung up (its
	// resend would be skipped as stored, and the alert lost).
	ctx = context.WithoutCancel(ctx)
	if err := c.Store.Contact(ctx, d.ID, reported, c.now()); err != nil {
		c.log().Error("record the device's contact", "device", d.ID, "err", err)
	}
	exports := map[string]int{}
	for _, r := range b.decoded {
		if r.Action == audit.BreakGlass {
			c.alert(ctx, d.ID, "break-glass", fmt.Sprintf("break-glass by user %s at %s (record %d)", r.User, r.Time, r.Seq))
		}
		if r.Action == audit.NoteExport || r.Action == audit.NoteExportDeidentified {
			exports[r.User]++
		}
		if r.Action == audit.NoteKeysUnavailable {
			// The vault's key rows written by someone with the account's keychain
			// (SECURITY.md, shared accounts): a physician's note key deleted, a
			// user's public key swapped, an approval forged.
			// One alert a minute per device and reason, as for every kind: the
			// user named is the record's, which its device signs, so it cannot
			// widen the limit.
			switch whose := r.Object.ID; r.Details["reason"] {
			case "missing":
				c.alert(ctx, d.ID, "note-keys", fmt.Sprintf("note key of user %s deleted from the vault, found as user %s acted (record %d)", whose, r.User, r.Seq))
			case "altered":
				c.alert(ctx, d.ID, "note-keys-altered", fmt.Sprintf("key of user %s altered in the vault, found as user %s acted (record %d)", whose, r.User, r.Seq))
			case "forged approval":
				c.alert(ctx, d.ID, "note-keys-forged", fmt.Sprintf("forged approval of scribe %s found as user %s acted (record %d)", whose, r.User, r.Seq))
			}
		}
	}
	burst := c.ExportBurst
	if burst == 0 {
		burst = 20
	}
	for user, n := range exports {
		if n >= burst {
			c.alert(ctx, d.ID, "exports", fmt.Sprintf("burst of %d note exports by user %s in one batch", n, user))
		}
	}
	resp.AcceptedThrough, resp.Accepted = b.recs[len(b.recs)-1].Seq, len(b.recs)
	resp.Checkpoint, err = c.checkpointAt(ctx, size)
	return resp, err
}

// Checkpoint is the signed checkpoint of the current tree (C2SP tlog-checkpoint:
// origin, size, base64 root hash, then the note signature).
func (c *Collector) Checkpoint(ctx context.Context) (string, error) {
	size, err := c.Store.TreeSize(ctx)
	if err != nil {
		return "", err
	}
	return c.checkpointAt(ctx, size)
}

func (c *Collector) checkpointAt(ctx context.Context, size int64) (string, error) {
	root, err := c.treeHash(ctx, size)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", c.Signer.Name(), size, base64.StdEncoding.EncodeToString(root[:]))
	signed, err := note.Sign(&note.Note{Text: text}, c.Signer)
	if err != nil {
		return "", err
	}
	return string(signed), nil
}

func (c *Collector) reader(ctx context.Context) tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) { return c.Store.ReadHashes(ctx, idx) })
}

func (c *Collector) treeHash(ctx context.Context, size int64) (tlog.Hash, error) {
	if size == 0 {
		return tlog.Hash(sha256.Sum256(nil)), nil // RFC 6962: the empty tree
	}
	return tlog.TreeHash(size, c.reader(ctx))
}

func encodeProof(p []tlog.Hash) api.ProofResponse {
	out := api.ProofResponse{Proof: make([]string, len(p))}
	for i, h := range p {
		out.Proof[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

func (c *Collector) inclusion(ctx context.Context, req api.InclusionRequest) (api.ProofResponse, error) {
	size, err := c.Store.TreeSize(ctx)
	if err != nil {
		return api.ProofResponse{}, err
	}
	if req.Index < 0 || req.TreeSize > size || req.Index >= req.TreeSize {
		return api.ProofResponse{}, &httpError{http.StatusBadRequest, errors.New("index or tree size out of range")}
	}
	p, err := tlog.ProveRecord(req.TreeSize, req.Index, c.reader(ctx))
	return encodeProof(p), err
}

func (c *Collector) consistency(ctx context.Context, req api.ConsistencyRequest) (api.ProofResponse, error) {
	size, err := c.Store.TreeSize(ctx)
	if err != nil {
		return api.ProofResponse{}, err
	}
	if req.Old < 1 || req.Old > req.New || req.New > size {
		return api.ProofResponse{}, &httpError{http.StatusBadRequest, errors.New("tree sizes out of range")}
	}
	p, err := tlog.ProveTree(req.New, req.Old, c.reader(ctx))
	return encodeProof(p), err
}

func (c *Collector) report(who string) func(context.Context, api.ReportRequest) (api.ReportResponse, error) {
	return func(ctx context.Context, req api.ReportRequest) (api.ReportResponse, error) {
		if len(req.PatientRef) != 64 {
			return api.ReportResponse{}, &httpError{http.StatusBadRequest, errors.New("patient_ref is 64 hex digits")}
		}
		// Every query is itself recorded, before it is answered.
		if err := c.Store.Note(ctx, "query", who, "report "+req.PatientRef, c.now()); err != nil {
			return api.ReportResponse{}, err
		}
		recs, err := c.Store.RecordsForPatient(ctx, req.PatientRef)
		if err != nil {
			return api.ReportResponse{}, err
		}
		size, err := c.Store.TreeSize(ctx)
		if err != nil {
			return api.ReportResponse{}, err
		}
		cp, err := c.checkpointAt(ctx, size)
		if err != nil {
			return api.ReportResponse{}, err
		}
		out := api.ReportResponse{PatientRef: req.PatientRef, TreeSize: size, Checkpoint: cp, Records: []api.ReportEntry{}}
		for _, r := range recs {
			out.Records = append(out.Records, api.ReportEntry{Index: r.Index, Record: string(r.Line)})
		}
		return out, nil
	}
}

func (c *Collector) revoke(who string) func(context.Context, api.RevokeRequest) (api.DeviceStatus, error) {
	return func(ctx context.Context, req api.RevokeRequest) (api.DeviceStatus, error) {
		if err := c.Store.Revoke(ctx, req.Device); errors.Is(err, ErrUnknownDevice) {
			return api.DeviceStatus{}, &httpError{http.StatusNotFound, err}
		} else if err != nil {
			return api.DeviceStatus{}, err
		}
		c.Store.Note(ctx, "admin", who, "revoked "+req.Device, c.now())
		return api.DeviceStatus{Device: req.Device, Revoked: true}, nil
	}
}

// SettingApproveDevices is the store's setting ("on") that makes every collector on
// the store hold new devices for an admin's approval.
const SettingApproveDevices = "approve_devices"

// approvalRequired says whether a device enrolling now waits for approval.
func (c *Collector) approvalRequired(ctx context.Context) (bool, error) {
	if c.ApproveDevices {
		return true, nil
	}
	v, err := c.Store.Setting(ctx, SettingApproveDevices)
	return v == "on", err
}

// deviceKey says whether a public key is an enrolled device's (the key must match the
// one enrolled under its id, not only the id).
func (c *Collector) deviceKey(ctx context.Context, req api.DeviceKeyRequest) (api.DeviceKeyResponse, error) {
	pub, err := hex.DecodeString(req.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return api.DeviceKeyResponse{}, &httpError{http.StatusBadRequest, errors.New("public_key is not a hex Ed25519 key")}
	}
	id := audit.DeviceID(pub)
	d, err := c.Store.Device(ctx, id)
	if errors.Is(err, ErrUnknownDevice) {
		return api.DeviceKeyResponse{Device: id}, nil
	}
	if err != nil {
		return api.DeviceKeyResponse{}, err
	}
	return api.DeviceKeyResponse{Device: id, Enrolled: d.PublicKey.Equal(ed25519.PublicKey(pub)) && d.Approved, Revoked: d.Revoked}, nil
}

// approve lets a device that awaits approval deliver; the approval is journaled.
func (c *Collector) approve(who string) func(context.Context, api.RevokeRequest) (api.DeviceStatus, error) {
	return func(ctx context.Context, req api.RevokeRequest) (api.DeviceStatus, error) {
		if err := c.Store.Approve(ctx, req.Device); errors.Is(err, ErrUnknownDevice) {
			return api.DeviceStatus{}, &httpError{http.StatusNotFound, err}
		} else if err != nil {
			return api.DeviceStatus{}, err
		}
		c.Store.Note(ctx, "admin", who, "approved "+req.Device, c.now())
		return api.DeviceStatus{Device: req.Device}, nil
	}
}

// DeviceStatuses reports every device: last seen, last record, and whether it has
// been silent past SilentAfter — its local journal is only tamper-evident from
// delivery on, so silence is worth an alert.
func (c *Collector) DeviceStatuses(ctx context.Context) ([]api.DeviceStatus, error) {
	ds, err := c.Store.Devices(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now()
	out := []api.DeviceStatus{}
	for _, d := range ds {
		st := api.DeviceStatus{Device: d.ID, Enrolled: d.Enrolled.Format(time.RFC3339), EnrolledAs: d.EnrolledAs,
			AwaitingApproval: !d.Approved, LastSeq: d.Head.Seq, Revoked: d.Revoked}
		if d.Reported > d.Head.Seq {
			st.Waiting = d.Reported - d.Head.Seq
		}
		since := d.Enrolled
		if !d.LastSeen.IsZero() {
			st.LastSeen = d.LastSeen.Format(time.RFC3339)
			since = d.LastSeen
		}
		st.SilentFor = now.Sub(since).Round(time.Second).String()
		if c.SilentAfter > 0 && now.Sub(since) > c.SilentAfter && !d.Revoked {
			st.SilentLong = true
		}
		out = append(out, st)
	}
	return out, nil
}

// alert records an alert in the collector's journal and its log, and posts it to the
// webhook. Anyone can send batches: each device's alerts of one kind come at most
// once a minute (break-glass always), the table that counts them is pruned, and at
// most a few webhook posts are in flight, so that a flood of junk cannot flood the
// journal, the memory or the webhook.
func (c *Collector) alert(ctx context.Context, device, kind, what string) {
	at := c.now()
	c.alertMu.Lock()
	if c.lastAlert == nil {
		c.lastAlert = map[string]time.Time{}
		c.webhooks = make(chan struct{}, maxWebhooks)
	}
	key := device + "\x00" + kind
	if last, ok := c.lastAlert[key]; ok && at.Sub(last) < time.Minute && kind != "break-glass" {
		c.alertMu.Unlock()
		return
	}
	if len(c.lastAlert) >= maxAlertKeys {
		for k, t := range c.lastAlert {
			if at.Sub(t) >= time.Minute {
				delete(c.lastAlert, k)
			}
		}
	}
	c.lastAlert[key] = at
	webhooks := c.webhooks
	c.alertMu.Unlock()
	c.log().Warn("alert", "device", device, "what", what)
	c.Store.Note(ctx, "alert", device, what, at)
	if c.Webhook == "" {
		return
	}
	select {
	case webhooks <- struct{}{}:
	default:
		c.log().Error("alert webhook: too many posts in flight; this one is only in the journal", "device", device)
		return
	}
	body, _ := json.Marshal(map[string]string{"device": device, "alert": what, "at": at.Format(time.RFC3339)})
	go func() {
		defer func() { <-webhooks }()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Webhook, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		} else {
			c.log().Error("alert webhook", "err", err)
		}
	}()
}

// The bounds on what alerts may hold.
const (
	maxAlertKeys = 10000
	maxWebhooks  = 8
)

// Retention is how long the collector keeps record content: six years, HIPAA's
// retention of documentation (45 CFR 164.316(b)(2)), unless configured otherwise.
const Retention = 6 * 365 * 24 * time.Hour

// Purge drops the content of records older than keep. Their hashes stay, so
// inclusion and consistency proofs still verify; the purge is itself journaled.
func (c *Collector) Purge(ctx context.Context, keep time.Duration) (int64, error) {
	cutoff := c.now().Add(-keep)
	n, err := c.Store.Purge(ctx, cutoff)
	if err != nil {
		return 0, err
	}
	if err := c.Store.Note(ctx, "purge", "collector", fmt.Sprintf("purged %d records accepted before %s", n, audit.FormatTime(cutoff)), c.now()); err != nil {
		return n, err
	}
	return n, nil
}

// CheckSilent alerts once for each device silent past SilentAfter since the last
// check; serve runs it periodically.
func (c *Collector) CheckSilent(ctx context.Context, alerted map[string]bool) error {
	st, err := c.DeviceStatuses(ctx)
	if err != nil {
		return err
	}
	for _, d := range st {
		if d.SilentLong && !alerted[d.Device] {
			c.alert(ctx, d.Device, "silent", "silent for "+d.SilentFor+": its records wait too long on the workstation")
			alerted[d.Device] = true
		} else if !d.SilentLong {
			delete(alerted, d.Device)
		}
	}
	return nil
}

func validDeviceID(s string) bool {
	if len(s) != 22 || !strings.HasPrefix(s, "d_") {
		return false
	}
	_, err := hex.DecodeString(s[2:])
	return err == nil && strings.ToLower(s) == s
}
