package collector_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/sync/api"
	"github.com/vellumhealth/vellum/sync/collector"
	"github.com/vellumhealth/vellum/sync/delivery"
	"github.com/vellumhealth/vellum/sync/synctest"
	"github.com/vellumhealth/vellum/vault"
	"github.com/vellumhealth/vellum/vault/vaulttest"
)

type harness struct {
	store    collector.Store
	col      *collector.Collector
	verifier note.Verifier
	server   *httptest.Server
	caPEM    string
	cert     tls.Certificate
}

// storeKey is the embedded stores' key in the tests.
var storeKey = bytes.Repeat([]byte{0x5a}, collector.StoreKeySize)

// storeKinds are the collector's stores; every collector test runs against each.
var storeKinds = []string{"sqlite", "postgres"}

// openStore opens an empty store of a kind. PostgreSQL comes from
// scripts/with-postgres.sh (VELLUM_TEST_POSTGRES); each test gets a database of its own.
func openStore(t testing.TB, kind string) collector.Store {
	ctx := context.Background()
	if kind == "sqlite" {
		st, err := collector.OpenSQLite(filepath.Join(t.TempDir(), "collector.db"), storeKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	st, err := collector.OpenPostgres(ctx, postgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// postgresDB creates an empty database for the test and returns its URL; it is
// dropped when the test ends.
func postgresDB(t testing.TB) string {
	ctx := context.Background()
	base := os.Getenv("VELLUM_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("VELLUM_TEST_POSTGRES is unset with CI=true: run the tests with `make test`")
		}
		t.Skip("no PostgreSQL (VELLUM_TEST_POSTGRES unset); `make test` starts one")
	}
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("vt_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
		admin.Close(ctx)
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

func forEachStore(t *testing.T, test func(t *testing.T, kind string)) {
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) { test(t, kind) })
	}
}

func newHarness(t *testing.T, kind string) *harness {
	h := &harness{store: openStore(t, kind)}
	var err error
	skey, vkey, _ := note.GenerateKey(rand.Reader, "collector.synthetic-hospital.test")
	signer, _ := note.NewSigner(skey)
	h.verifier, err = note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	h.col = &collector.Collector{Store: h.store, Signer: signer, SilentAfter: time.Hour, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	p := synctest.New(t)
	h.caPEM, h.cert = p.CAPEM, p.Cert
	h.start(t)
	return h
}

// start serves the collector over real TLS on loopback.
func (h *harness) start(t *testing.T) {
	h.server = httptest.NewUnstartedServer(h.col)
	h.server.TLS = collector.TLSConfig(h.cert)
	h.server.StartTLS()
	t.Cleanup(h.server.Close)
}

// startAt serves again at addr, as a restarted collector behind the same name.
func (h *harness) startAt(t *testing.T, addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	h.server = httptest.NewUnstartedServer(h.col)
	h.server.Listener.Close()
	h.server.Listener = l
	h.server.TLS = collector.TLSConfig(h.cert)
	h.server.StartTLS()
	t.Cleanup(h.server.Close)
}

func (h *harness) token(t *testing.T, role, name string) string {
	tok := fmt.Sprintf("tok_%s_%d", role, time.Now().UnixNano())
	if err := h.store.AddToken(context.Background(), collector.TokenHash(tok), collector.Token{Role: role, Name: name, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return tok
}

type device struct {
	v   *vault.Vault
	log *audit.Log
	key audit.DeviceKey
	up  *delivery.Uploader
}

var siteKey = []byte("0123456789abcdef0123456789abcdef")

func newDevice(t *testing.T, h *harness) *device {
	ctx := context.Background()
	d := &device{v: vaulttest.New(t, vault.Options{})}
	var err error
	d.key, _, err = audit.LoadDeviceKey(ctx, vault.SystemKeychain{}, d.v.ID(), vault.ErrKeyMissing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vault.SystemKeychain{}.Delete(ctx, audit.DeviceKeyAccount(d.v.ID())) })
	d.log, err = audit.Open(ctx, d.v, d.key, func() []byte { return siteKey }, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.log.Close() })
	client, err := delivery.ClientFor(h.caPEM)
	if err != nil {
		t.Fatal(err)
	}
	d.up = &delivery.Uploader{Journal: d.v, Device: d.key.ID, URL: h.server.URL, Client: client, Batch: 7}
	return d
}

func (d *device) append(t *testing.T, n int, mrn string) {
	for i := 0; i < n; i++ {
		if _, err := d.log.Append(context.Background(), audit.Entry{User: "u_doc", Role: "physician", Action: audit.NoteView,
			Object: audit.Object{Type: "note", ID: fmt.Sprintf("n_%d", i)}, MRN: mrn, Outcome: audit.OK}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDeliveryEndToEndOverTLS(t *testing.T) { forEachStore(t, testDeliveryEndToEnd) }

func testDeliveryEndToEnd(t *testing.T, kind string) {
	ctx := context.Background()
	h := newHarness(t, kind)
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws-1"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	d.append(t, 25, "SYN-0001")
	n, err := d.up.DeliverOnce(ctx)
	if err != nil || n != 25 {
		t.Fatalf("DeliverOnce = %d, %v", n, err)
	}
	if p, _ := d.up.Pending(ctx); p != 0 {
		t.Fatalf("%d records still pending", p)
	}
	if at, err := d.up.LastDelivery(ctx); err != nil || time.Since(at) > time.Minute {
		t.Fatalf("LastDelivery = %v, %v", at, err)
	}

	// The checkpoint is signed, and proves every record's inclusion.
	cp, err := h.col.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := note.Open([]byte(cp), note.VerifierList(h.verifier))
	if err != nil {
		t.Fatalf("checkpoint signature: %v", err)
	}
	lines := strings.Split(opened.Text, "\n")
	if lines[1] != "25" {
		t.Fatalf("checkpoint size %s", lines[1])
	}
	rootB, _ := base64.StdEncoding.DecodeString(lines[2])
	var root tlog.Hash
	copy(root[:], rootB)
	recs, _ := d.v.AuditRecords(ctx, d.key.ID, 0, 0)
	for _, i := range []int64{0, 7, 24} {
		var pr api.ProofResponse
		postJSON(t, h, api.PathInclusion, api.InclusionRequest{Index: i, TreeSize: 25}, &pr)
		if err := tlog.CheckRecord(decodeProof(t, pr), 25, root, i, tlog.RecordHash(recs[i].Line)); err != nil {
			t.Fatalf("inclusion of %d: %v", i, err)
		}
	}

	// Collector down: delivery fails, nothing is lost or marked delivered.
	d.append(t, 10, "SYN-0002")
	h.server.Close()
	if _, err := d.up.DeliverOnce(ctx); err == nil {
		t.Fatal("delivery to a stopped collector succeeded")
	}
	if p, _ := d.up.Pending(ctx); p != 10 {
		t.Fatalf("pending %d after a failed delivery, want 10", p)
	}
	// Back up (same store, new server): the rest arrives exactly once.
	h.start(t)
	d.up.URL = h.server.URL
	if n, err := d.up.DeliverOnce(ctx); err != nil || n != 10 {
		t.Fatalf("after restart: %d, %v", n, err)
	}
	// A device that lost its mark and resends everything duplicates nothing.
	d.v.SetState(ctx, "audit.delivered/"+d.key.ID, "0")
	if n, err := d.up.DeliverOnce(ctx); err != nil || n != 0 {
		t.Fatalf("resend: %d new, %v", n, err)
	}
	if size, _ := h.store.TreeSize(ctx); size != 35 {
		t.Fatalf("tree size %d after a resend, want 35", size)
	}
	// The log only grew: the 25-record tree is a prefix of the 35-record one.
	var pr api.ProofResponse
	postJSON(t, h, api.PathConsistency, api.ConsistencyRequest{Old: 25, New: 35}, &pr)
	cp35, _ := h.col.Checkpoint(ctx)
	opened35, _ := note.Open([]byte(cp35), note.VerifierList(h.verifier))
	root35B, _ := base64.StdEncoding.DecodeString(strings.Split(opened35.Text, "\n")[2])
	var root35 tlog.Hash
	copy(root35[:], root35B)
	if err := tlog.CheckTree(decodeProof(t, pr), 35, root35, 25, root); err != nil {
		t.Fatalf("consistency 25 -> 35: %v", err)
	}

	// An auditor's report for one patient, by reference; the query is recorded.
	ref := audit.PatientRef(siteKey, "SYN-0002")
	var rep api.ReportResponse
	status := postAuth(t, h, api.PathReport, h.token(t, collector.RoleAuditor, "auditor.a"), api.ReportRequest{PatientRef: ref}, &rep)
	if status != 200 || len(rep.Records) != 10 {
		t.Fatalf("report: status %d, %d records", status, len(rep.Records))
	}
	if q, _ := h.store.Notes(ctx, "query"); len(q) != 1 || !strings.Contains(q[0], "auditor.a") {
		t.Fatalf("query journal %v", q)
	}
	if status := postAuth(t, h, api.PathReport, "", api.ReportRequest{PatientRef: ref}, nil); status != 401 {
		t.Fatalf("report without a token: %d", status)
	}
}

func decodeProof(t *testing.T, pr api.ProofResponse) []tlog.Hash {
	out := make([]tlog.Hash, len(pr.Proof))
	for i, s := range pr.Proof {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		copy(out[i][:], b)
	}
	return out
}

func client(h *harness) *http.Client {
	c, _ := delivery.ClientFor(h.caPEM)
	return c
}

func postJSON(t *testing.T, h *harness, path string, in, out any) {
	if status := postAuth(t, h, path, "", in, out); status != 200 {
		t.Fatalf("%s: status %d", path, status)
	}
}

func postAuth(t *testing.T, h *harness, path, token string, in, out any) int {
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, h.server.URL+path, bytes.NewReader(b))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client(h).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == 200 {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// TestIngestRefusesAttacks: each attack is refused with its reason, and stored state
// keeps only what verified.
func TestIngestRefusesAttacks(t *testing.T) { forEachStore(t, testIngestRefusesAttacks) }

func testIngestRefusesAttacks(t *testing.T, kind string) {
	ctx := context.Background()
	h := newHarness(t, kind)
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	d.append(t, 12, "SYN-1")
	d.up.Batch = 4
	// Deliver the first few honestly.
	recs, _ := d.v.AuditRecords(ctx, d.key.ID, 0, 0)
	heads, _ := d.v.AuditHeads(ctx, d.key.ID, 0)
	lines := func(rs []audit.Stored) []string {
		var out []string
		for _, r := range rs {
			out = append(out, string(r.Line))
		}
		return out
	}
	sign := func(seq uint64, hash string) []audit.Head {
		return []audit.Head{audit.SignHead(d.key.Private, d.key.ID, seq, hash)}
	}
	resp, err := h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: lines(recs[:3]), Heads: sign(3, recs[2].Hash)})
	if err != nil || resp.AcceptedThrough != 3 {
		t.Fatalf("honest batch: %+v, %v", resp, err)
	}
	_ = heads
	other, _, _ := audit.LoadDeviceKey(ctx, &memKC{}, "x", errMissing)

	tests := []struct {
		name string
		req  api.IngestRequest
		want string
	}{
		{"a forged signature", api.IngestRequest{Device: d.key.ID, Records: lines(recs[3:6]),
			Heads: []audit.Head{audit.SignHead(other.Private, d.key.ID, 6, recs[5].Hash)}}, "signature"},
		{"a modified record", api.IngestRequest{Device: d.key.ID,
			Records: []string{lines(recs[3:4])[0], strings.Replace(lines(recs[4:5])[0], `"n_4"`, `"n_X"`, 1), lines(recs[5:6])[0]},
			Heads:   sign(6, recs[5].Hash)}, "record 6"},
		{"a dropped record", api.IngestRequest{Device: d.key.ID, Records: []string{string(recs[3].Line), string(recs[5].Line)}, Heads: sign(6, recs[5].Hash)}, "dropped"},
		{"reordered records", api.IngestRequest{Device: d.key.ID, Records: []string{string(recs[4].Line), string(recs[3].Line)}, Heads: sign(5, recs[4].Hash)}, "reordered"},
		{"a replay with changes", api.IngestRequest{Device: d.key.ID, Records: []string{strings.Replace(string(recs[1].Line), `"n_1"`, `"n_Y"`, 1)}}, "replayed with changes"},
		{"a truncated batch (no signed head)", api.IngestRequest{Device: d.key.ID, Records: lines(recs[3:6])}, "covered by no signed head"},
		{"garbage", api.IngestRequest{Device: d.key.ID, Records: []string{"{not a record"}}, "record 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := h.store.TreeSize(ctx)
			resp, err := h.col.Ingest(ctx, tt.req)
			if err != nil || !strings.Contains(resp.Rejected, tt.want) {
				t.Fatalf("Ingest = %+v, %v; want a rejection naming %q", resp, err, tt.want)
			}
			if after, _ := h.store.TreeSize(ctx); after != before {
				t.Fatalf("a refused batch changed the log: %d -> %d", before, after)
			}
		})
	}
	// The valid prefix of a batch is kept: records 4-5 signed by the device, then a 6
	// whose head someone else signed.
	bad := strings.Replace(string(recs[5].Line), `"n_5"`, `"n_Z"`, 1)
	resp, _ = h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: []string{string(recs[3].Line), string(recs[4].Line), bad},
		Heads: append(sign(5, recs[4].Hash), audit.SignHead(other.Private, d.key.ID, 6, audit.Hash([]byte(bad))))})
	if resp.AcceptedThrough != 5 || resp.Rejected == "" {
		t.Fatalf("valid prefix: %+v", resp)
	}
	// The honest device then delivers the rest without trouble.
	if _, err := d.up.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if size, _ := h.store.TreeSize(ctx); size != 12 {
		t.Fatalf("tree size %d, want 12", size)
	}

	// Unenrolled and revoked devices are refused.
	if _, err := h.col.Ingest(ctx, api.IngestRequest{Device: other.ID, Records: lines(recs[:1])}); err == nil {
		t.Fatal("a batch from an unenrolled device was taken")
	}
	admin := h.token(t, collector.RoleAdmin, "it")
	if status := postAuth(t, h, api.PathRevoke, admin, api.RevokeRequest{Device: d.key.ID}, nil); status != 200 {
		t.Fatalf("revoke: %d", status)
	}
	d.append(t, 1, "SYN-1")
	if _, err := d.up.DeliverOnce(ctx); err == nil || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("delivery after revocation: %v", err)
	}
	// Each kind of refusal alerts, once a minute per device (a flood of junk cannot
	// flood the journal): refused batches, a replay with changes, and the
	// unenrolled and revoked devices.
	if alerts, _ := h.store.Notes(ctx, "alert"); len(alerts) < 4 {
		t.Fatalf("only %d alerts for %d attacks: %v", len(alerts), len(tests), alerts)
	}
}

func TestMalformedBodiesAreRefused(t *testing.T) {
	h := newHarness(t, "sqlite")
	for _, body := range []string{"", "{", `{"device":1}`, `{"device":"d","records":[],"heads":[],"extra":1}`, strings.Repeat("x", api.MaxBody+10)} {
		resp, err := client(h).Post(h.server.URL+api.PathIngest, "application/json", strings.NewReader(body))
		if err != nil && len(body) > api.MaxBody && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
			continue // refused and closed while the client was still sending the rest
		}
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("body %.20q: status %d, want 400", body, resp.StatusCode)
		}
	}
}

// FuzzIngest: no request body makes the collector fail (5xx), and the log never holds
// anything but the enrolled device's verified chain: its size is always the device's
// last accepted sequence number. Seeds include a valid batch of an enrolled device, so
// the fuzzer reaches verification, not only JSON decoding.
func FuzzIngest(f *testing.F) {
	ctx := context.Background()
	store, err := collector.OpenSQLite(filepath.Join(f.TempDir(), "c.db"), storeKey)
	if err != nil {
		f.Fatal(err)
	}
	defer store.Close()
	skey, _, _ := note.GenerateKey(rand.Reader, "fuzz")
	signer, _ := note.NewSigner(skey)
	col := &collector.Collector{Store: store, Signer: signer, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	id := audit.DeviceID(pub)
	store.AddToken(ctx, collector.TokenHash("t"), collector.Token{Role: collector.RoleEnroll, Name: "fuzz"})
	store.Enroll(ctx, collector.TokenHash("t"), collector.Device{ID: id, PublicKey: pub, Enrolled: time.Now(), Approved: true})
	prev := audit.Genesis
	var lines []string
	for i := 1; i <= 3; i++ {
		r := audit.Record{Version: 1, Device: id, Seq: uint64(i), Time: "2026-03-01T08:00:00.000Z", Action: audit.NoteView, Outcome: audit.OK, Prev: prev}
		b, _ := r.Encode()
		prev = audit.Hash(b)
		lines = append(lines, string(b))
	}
	valid, _ := json.Marshal(api.IngestRequest{Device: id, Records: lines, Heads: []audit.Head{audit.SignHead(priv, id, 3, prev)}})
	f.Add(valid)
	f.Add([]byte(`{"device":"` + id + `","records":["{}"],"heads":[]}`))
	f.Add([]byte(`{"device":"","records":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		col.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, api.PathIngest, bytes.NewReader(body)))
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		d, _ := store.Device(ctx, id)
		if n, _ := store.TreeSize(ctx); n != int64(d.Head.Seq) {
			t.Fatalf("the log holds %d records, the device's verified chain %d", n, d.Head.Seq)
		}
	})
}

type memKC struct{ m map[string]string }

var errMissing = errors.New("missing")

func (k *memKC) Get(_ context.Context, a string) (string, error) {
	if v, ok := k.m[a]; ok {
		return v, nil
	}
	return "", errMissing
}
func (k *memKC) Set(_ context.Context, a, s string) error {
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[a] = s
	return nil
}
func (k *memKC) Delete(_ context.Context, a string) error { delete(k.m, a); return nil }

// TestTwoCollectorsOnOneStoreNeverForkTheLog: two collectors (separate connection
// pools, as two processes behind a load balancer) take batches of four devices at
// once; the log must be one sequence whose tree hash is that of its records in order,
// with each device's records complete and in order.
func TestTwoCollectorsOnOneStoreNeverForkTheLog(t *testing.T) {
	ctx := context.Background()
	dbURL := postgresDB(t)
	var cols []*collector.Collector
	var stores []collector.Store
	skey, _, _ := note.GenerateKey(rand.Reader, "lb")
	signer, _ := note.NewSigner(skey)
	for i := 0; i < 2; i++ {
		st, err := collector.OpenPostgres(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		stores = append(stores, st)
		cols = append(cols, &collector.Collector{Store: st, Signer: signer, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	}
	// Four devices, each with a chain of 40 records signed in heads of 5.
	type dev struct {
		key   ed25519.PrivateKey
		id    string
		lines []string
		heads []audit.Head
	}
	var devs []dev
	for d := 0; d < 4; d++ {
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		id := audit.DeviceID(priv.Public().(ed25519.PublicKey))
		tok := fmt.Sprintf("enroll-%d", d)
		stores[0].AddToken(ctx, collector.TokenHash(tok), collector.Token{Role: collector.RoleEnroll, Name: tok})
		if err := stores[0].Enroll(ctx, collector.TokenHash(tok), collector.Device{ID: id, PublicKey: priv.Public().(ed25519.PublicKey), Enrolled: time.Now(), Approved: true}); err != nil {
			t.Fatal(err)
		}
		dv := dev{key: priv, id: id}
		prev := audit.Genesis
		for i := 1; i <= 40; i++ {
			r := audit.Record{Version: 1, Device: id, Seq: uint64(i), Time: "2026-03-01T08:00:00.000Z", Action: audit.NoteView, Outcome: audit.OK, Prev: prev}
			b, _ := r.Encode()
			prev = audit.Hash(b)
			dv.lines = append(dv.lines, string(b))
			if i%5 == 0 {
				dv.heads = append(dv.heads, audit.SignHead(priv, id, uint64(i), prev))
			}
		}
		devs = append(devs, dv)
	}
	var wg gosync.WaitGroup
	for d, dv := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := 0; b < 8; b++ {
				col := cols[(d+b)%2] // alternate collectors, as a load balancer would
				for {
					resp, err := col.Ingest(ctx, api.IngestRequest{Device: dv.id, Records: dv.lines[b*5 : b*5+5], Heads: dv.heads[b : b+1]})
					if err == nil && resp.Rejected == "" {
						break
					}
					if err != nil && !strings.Contains(err.Error(), "moved on") {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	size, _ := stores[1].TreeSize(ctx)
	if size != 160 {
		t.Fatalf("tree size %d, want 160", size)
	}
	// Recompute the tree from the records in log order: it must equal the stored one.
	pg, _ := pgx.Connect(ctx, dbURL)
	defer pg.Close(ctx)
	rows, _ := pg.Query(ctx, "SELECT idx, device, seq, line FROM log ORDER BY idx")
	var hashes []tlog.Hash
	next := map[string]int64{}
	n := int64(0)
	for rows.Next() {
		var idx, seq int64
		var device, line string
		rows.Scan(&idx, &device, &seq, &line)
		if idx != n {
			t.Fatalf("log index %d where %d belongs: the log forked or has a hole", idx, n)
		}
		n++
		if seq != next[device]+1 {
			t.Fatalf("device %s: seq %d after %d", device, seq, next[device])
		}
		next[device] = seq
		hs, err := tlog.StoredHashes(idx, []byte(line), tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(ix))
			for i, x := range ix {
				out[i] = hashes[x]
			}
			return out, nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	rows.Close()
	want, _ := tlog.TreeHash(160, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = hashes[x]
		}
		return out, nil
	}))
	got, _ := tlog.TreeHash(160, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) { return stores[0].ReadHashes(ctx, ix) }))
	if got != want {
		t.Fatal("the stored tree differs from the tree of the stored records")
	}
}

func TestPurgeKeepsProofsAndSilentDevicesAlert(t *testing.T) { forEachStore(t, testPurgeAndSilence) }

func testPurgeAndSilence(t *testing.T, kind string) {
	ctx := context.Background()
	h := newHarness(t, kind)
	hooks := make(chan string, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		json.NewDecoder(r.Body).Decode(&m)
		hooks <- m["alert"]
	}))
	defer hook.Close()
	h.col.Webhook = hook.URL
	d := newDevice(t, h)
	d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public())
	d.append(t, 6, "SYN-9")
	if _, err := d.up.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	recs, _ := d.v.AuditRecords(ctx, d.key.ID, 0, 0)
	cp, _ := h.col.Checkpoint(ctx)
	// Seven years later: the content goes, the proofs stay.
	h.col.Now = func() time.Time { return time.Now().Add(7 * 365 * 24 * time.Hour) }
	n, err := h.col.Purge(ctx, collector.Retention)
	if err != nil || n != 6 {
		t.Fatalf("Purge = %d, %v", n, err)
	}
	opened, _ := note.Open([]byte(cp), note.VerifierList(h.verifier))
	rootB, _ := base64.StdEncoding.DecodeString(strings.Split(opened.Text, "\n")[2])
	var root tlog.Hash
	copy(root[:], rootB)
	var pr api.ProofResponse
	postJSON(t, h, api.PathInclusion, api.InclusionRequest{Index: 3, TreeSize: 6}, &pr)
	if err := tlog.CheckRecord(decodeProof(t, pr), 6, root, 3, tlog.RecordHash(recs[3].Line)); err != nil {
		t.Fatalf("inclusion after purge: %v", err)
	}
	var rep api.ReportResponse
	postAuth(t, h, api.PathReport, h.token(t, collector.RoleAuditor, "a"), api.ReportRequest{PatientRef: audit.PatientRef(siteKey, "SYN-9")}, &rep)
	if len(rep.Records) != 0 {
		t.Fatalf("purged records still reported: %d", len(rep.Records))
	}
	if p, _ := h.store.Notes(ctx, "purge"); len(p) != 1 {
		t.Fatalf("purge journal %v", p)
	}
	// The device has been silent for seven years: one alert, to the webhook too.
	alerted := map[string]bool{}
	h.col.CheckSilent(ctx, alerted)
	h.col.CheckSilent(ctx, alerted)
	select {
	case a := <-hooks:
		if !strings.Contains(a, "silent for") {
			t.Fatalf("webhook got %q", a)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook call")
	}
	if a, _ := h.store.Notes(ctx, "alert"); len(a) != 1 {
		t.Fatalf("alerts %v, want exactly one", a)
	}
}

func TestRunBacksOffAndDeliversWhenTheCollectorReturns(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	d := newDevice(t, h)
	d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public())
	addr := h.server.Listener.Addr().String()
	h.server.Close()
	d.append(t, 30, "SYN-3")
	failures := make(chan error, 100)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.up.Run(runCtx, 50*time.Millisecond, func(err error) { failures <- err }); close(done) }()
	<-failures // it tried, and failed, while the collector was down
	h.startAt(t, addr)
	deadline := time.After(30 * time.Second)
	for {
		if p, _ := d.up.Pending(ctx); p == 0 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("Run did not deliver after the collector came back")
		case <-failures:
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	<-done
	if cp, ok, _ := d.v.State(ctx, delivery.CheckpointState); !ok || !strings.Contains(cp, "\n30\n") {
		t.Fatalf("the device kept no checkpoint of the 30-record log: %q", cp)
	}
	// A burst of exports is an alert; de-identified exports count with the others
	// (half of these 20 are).
	d.up.Batch = 100
	for i := 0; i < 20; i++ {
		action := audit.NoteExport
		if i%2 == 1 {
			action = audit.NoteExportDeidentified
		}
		d.log.Append(ctx, audit.Entry{User: "u_x", Action: action, Outcome: audit.OK})
	}
	d.up.DeliverOnce(ctx)
	if a, _ := h.store.Notes(ctx, "alert"); len(a) == 0 || !strings.Contains(strings.Join(a, "\n"), "burst of 20 note exports") {
		t.Fatalf("alerts %v", a)
	}
}

// crashingStore simulates a collector that dies in the middle of a batch: before its
// transaction commits (nothing stored), or after (stored, but the answer never sent).
type crashingStore struct {
	collector.Store
	crash string // "before" or "after", once
}

var errCrash = errors.New("collector crashed")

func (s *crashingStore) Append(ctx context.Context, device string, prev audit.Anchor, recs []collector.LogRecord, heads []audit.Head, seen time.Time) (int64, error) {
	switch s.crash {
	case "before":
		s.crash = ""
		return 0, errCrash
	case "after":
		s.crash = ""
		if _, err := s.Store.Append(ctx, device, prev, recs, heads, seen); err != nil {
			return 0, err
		}
		return 0, errCrash
	}
	return s.Store.Append(ctx, device, prev, recs, heads, seen)
}

// forgetfulJournal simulates a device that dies after sending a batch and before
// recording the acknowledgement.
type forgetfulJournal struct {
	delivery.Journal
	drop int // SetState calls to lose
}

func (j *forgetfulJournal) SetState(ctx context.Context, name, value string) error {
	if j.drop > 0 && strings.HasPrefix(name, "audit.delivered/") {
		j.drop--
		return errCrash
	}
	return j.Journal.SetState(ctx, name, value)
}

// TestCheckpointIsKeptBeforeTheMark: records count as delivered only once the device
// holds the checkpoint that covers them, so a device that stops between the two
// resends rather than lacking proof for what it marked (Run's test once saw Pending
// reach 0 with the last checkpoint still unwritten).
func TestCheckpointIsKeptBeforeTheMark(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	d.append(t, 5, "SYN-C")
	head, _, _ := d.v.AuditHead(ctx, d.key.ID)
	up := *d.up
	up.Journal = &forgetfulJournal{Journal: d.v, drop: 1}
	if _, err := up.DeliverOnce(ctx); !errors.Is(err, errCrash) {
		t.Fatalf("the lost mark: %v", err)
	}
	cp, ok, _ := d.v.State(ctx, delivery.CheckpointState)
	if !ok || !strings.Contains(cp, fmt.Sprintf("\n%d\n", head)) {
		t.Fatalf("no checkpoint of the %d delivered records before their mark: %q", head, cp)
	}
	if p, _ := d.up.Pending(ctx); p != head {
		t.Fatalf("%d pending, want all %d (their mark was lost)", p, head)
	}
}

func TestRestartsMidBatchLoseAndDuplicateNothing(t *testing.T) { forEachStore(t, testRestartsMidBatch) }

func testRestartsMidBatch(t *testing.T, kind string) {
	ctx := context.Background()
	h := newHarness(t, kind)
	cs := &crashingStore{Store: h.store}
	h.col.Store = cs
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	d.append(t, 21, "SYN-R")
	for _, crash := range []string{"before", "after"} {
		cs.crash = crash
		if _, err := d.up.DeliverOnce(ctx); err == nil {
			t.Fatalf("collector crash %s commit: no error", crash)
		}
	}
	// The device dies after sending, before noting the acknowledgement.
	up := *d.up
	up.Journal = &forgetfulJournal{Journal: d.v, drop: 1}
	up.DeliverOnce(ctx)
	// Restarted, everything goes through once.
	if _, err := d.up.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if p, _ := d.up.Pending(ctx); p != 0 {
		t.Fatalf("%d pending", p)
	}
	if size, _ := h.store.TreeSize(ctx); size != 21 {
		t.Fatalf("tree size %d, want each of the 21 records exactly once", size)
	}
}

// TestHostileHeadsAreRefusedWithoutHarm: heads far beyond the batch, or forged, make
// the collector refuse, not fail; a valid lower head still saves the valid prefix.
func TestHostileHeadsAreRefusedWithoutHarm(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	d := newDevice(t, h)
	d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public())
	d.append(t, 6, "SYN-H")
	recs, _ := d.v.AuditRecords(ctx, d.key.ID, 0, 0)
	var lines []string
	for _, r := range recs {
		lines = append(lines, string(r.Line))
	}
	other, _, _ := audit.LoadDeviceKey(ctx, &memKC{}, "y", errMissing)
	resp, err := h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: lines[:2],
		Heads: []audit.Head{{Device: d.key.ID, Seq: 1000, Hash: audit.Genesis, Sig: "AA=="}, {Device: d.key.ID, Seq: 999, Hash: audit.Genesis, Sig: "AA=="}}})
	if err != nil || resp.Rejected == "" || resp.Accepted != 0 {
		t.Fatalf("heads beyond the batch: %+v, %v", resp, err)
	}
	// Records 1-4: a valid head at 3, a forged one at 4 with a changed record 4.
	bad := strings.Replace(lines[3], `"n_3"`, `"n_Q"`, 1)
	resp, err = h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: []string{lines[0], lines[1], lines[2], bad},
		Heads: []audit.Head{audit.SignHead(d.key.Private, d.key.ID, 3, recs[2].Hash), audit.SignHead(other.Private, d.key.ID, 4, audit.Hash([]byte(bad)))}})
	if err != nil || resp.AcceptedThrough != 3 {
		t.Fatalf("valid lower head: %+v, %v", resp, err)
	}
	if _, err := h.col.Ingest(ctx, api.IngestRequest{Device: strings.Repeat("x", 1000)}); err == nil {
		t.Fatal("a malformed device id was taken")
	}
}

func TestDeviceStatusShowsRecordsWaiting(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	d := newDevice(t, h)
	d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public())
	d.append(t, 12, "SYN-W")
	// One batch of five reaches the collector, then the device goes quiet.
	recs, _ := d.v.AuditRecords(ctx, d.key.ID, 0, 5)
	var lines []string
	for _, r := range recs {
		lines = append(lines, string(r.Line))
	}
	head, _, _ := d.v.AuditHeadAtOrBefore(ctx, d.key.ID, 5)
	if head.Seq != 5 {
		t.Fatalf("no head at 5 (each sequential append commits alone): %d", head.Seq)
	}
	h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: lines, Heads: []audit.Head{head}, DeviceHead: 12})
	var st []api.DeviceStatus
	req, _ := http.NewRequest(http.MethodGet, h.server.URL+api.PathDevices, nil)
	req.Header.Set("Authorization", "Bearer "+h.token(t, collector.RoleAuditor, "a"))
	resp, err := client(h).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if len(st) != 1 || st[0].LastSeq != 5 || st[0].Waiting != 7 {
		t.Fatalf("device status %+v, want last_seq 5 and 7 waiting", st)
	}
}

// TestAForgedBatchChangesNothing: a batch of validly chained records whose heads carry
// forged signatures is refused without a trace on the device's state — not even its
// last contact — and a batch that starts past the device's head is refused as records
// dropped, leaving the log as it was.
func TestAForgedBatchChangesNothing(t *testing.T) { forEachStore(t, testAForgedBatchChangesNothing) }

func testAForgedBatchChangesNothing(t *testing.T, kind string) {
	ctx := context.Background()
	h := newHarness(t, kind)
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	d.append(t, 8, "SYN-F")
	recs, _ := d.v.AuditRecords(ctx, d.key.ID, 0, 0)
	lines := make([]string, len(recs))
	for i, r := range recs {
		lines[i] = string(r.Line)
	}
	head3, _, _ := d.v.AuditHeadAtOrBefore(ctx, d.key.ID, 3)
	if resp, err := h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: lines[:3], Heads: []audit.Head{head3}}); err != nil || resp.AcceptedThrough != 3 {
		t.Fatalf("honest batch: %+v, %v", resp, err)
	}
	status := func() api.DeviceStatus {
		st, err := h.col.DeviceStatuses(ctx)
		if err != nil || len(st) != 1 {
			t.Fatalf("statuses %+v, %v", st, err)
		}
		return st[0]
	}
	before, size := status(), func() int64 { n, _ := h.store.TreeSize(ctx); return n }
	sizeBefore := size()
	h.col.Now = func() time.Time { return time.Now().UTC().Add(time.Hour) } // a contact now would show

	other, _, _ := audit.LoadDeviceKey(ctx, &memKC{}, "forger", errMissing)
	var forged []audit.Head
	for _, r := range recs[3:] {
		forged = append(forged, audit.SignHead(other.Private, d.key.ID, r.Seq, r.Hash))
	}
	resp, err := h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: lines[3:], Heads: forged, DeviceHead: 1000})
	if err != nil || resp.Accepted != 0 || !strings.Contains(resp.Rejected, "signature") {
		t.Fatalf("forged heads: %+v, %v", resp, err)
	}
	if after := status(); after.LastSeen != before.LastSeen || after.Waiting != before.Waiting {
		t.Fatalf("a forged batch changed the device's state: %+v -> %+v", before, after)
	}
	// Records 6.. after 3, with their genuine head: 4 and 5 were dropped.
	head8, _, _ := d.v.AuditHeadAtOrBefore(ctx, d.key.ID, 8)
	resp, err = h.col.Ingest(ctx, api.IngestRequest{Device: d.key.ID, Records: lines[5:], Heads: []audit.Head{head8}})
	if err != nil || resp.Accepted != 0 || !strings.Contains(resp.Rejected, "dropped") {
		t.Fatalf("a batch past the head: %+v, %v", resp, err)
	}
	if size() != sizeBefore {
		t.Fatalf("refused batches changed the log: %d -> %d", sizeBefore, size())
	}
	// The store keeps the chain gapless whatever its caller verified: records 6.. after
	// 3, appended directly, are refused.
	d3, _ := h.store.Device(ctx, d.key.ID)
	gap := []collector.LogRecord{{Device: d.key.ID, Seq: 6, Line: []byte(lines[5]), Hash: recs[5].Hash, Action: "note.view", Time: "t"}}
	if _, err := h.store.Append(ctx, d.key.ID, d3.Head, gap, []audit.Head{head8}, time.Now()); !errors.Is(err, collector.ErrGap) {
		t.Fatalf("a gap appended to the store: %v", err)
	}
	if size() != sizeBefore {
		t.Fatalf("the store's refusal changed the log: %d -> %d", sizeBefore, size())
	}
	// Batches from a thousand unenrolled ids raise one alert, not a thousand.
	alerts := func() int { n, _ := h.store.Notes(ctx, "alert"); return len(n) }
	was := alerts()
	for i := range 1000 {
		h.col.Ingest(ctx, api.IngestRequest{Device: fmt.Sprintf("d_%020x", i), Records: lines[:1]})
	}
	if n := alerts() - was; n != 1 {
		t.Fatalf("%d alerts for batches from unenrolled ids", n)
	}
}

// TestTheEmbeddedStoreIsEncrypted: the file holds no record in the clear, opens only
// under its key, and a store written before stores were encrypted is encrypted with
// its records (into a new file renamed over it, whatever an earlier crash left).
func TestTheEmbeddedStoreIsEncrypted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "collector.db")
	// A plaintext store, as earlier builds wrote it.
	plain, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Exec(`CREATE TABLE journal (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL, at_ms INTEGER NOT NULL);
		INSERT INTO journal (kind, who, what, at_ms) VALUES ('alert', 'd_synthetic', 'SYNTHETIC-CANARY-ALERT', 1)`); err != nil {
		t.Fatal(err)
	}
	plain.Close()
	// A half-written encrypted copy, as a crash during an earlier attempt leaves it.
	os.WriteFile(path+".encrypting.123", []byte("half written"), 0o600)
	st, err := collector.OpenSQLite(path, storeKey)
	if err != nil {
		t.Fatalf("encrypting a plaintext store: %v", err)
	}
	if notes, _ := st.Notes(ctx, "alert"); len(notes) != 1 || !strings.Contains(notes[0], "SYNTHETIC-CANARY-ALERT") {
		t.Fatalf("the records did not survive: %v", notes)
	}
	if left, _ := filepath.Glob(path + ".encrypting.*"); len(left) != 1 {
		t.Fatalf("beside the store: %v (the earlier debris only)", left)
	}
	st.Note(ctx, "alert", "d_synthetic", "SYNTHETIC-CANARY-TWO", time.Now())
	st.Close()
	for _, f := range []string{path, path + "-wal"} {
		if b, err := os.ReadFile(f); err == nil && (bytes.Contains(b, []byte("SYNTHETIC-CANARY")) || bytes.HasPrefix(b, []byte("SQLite format 3"))) {
			t.Fatalf("%s holds plaintext", filepath.Base(f))
		}
	}
	if _, err := collector.OpenSQLite(path, bytes.Repeat([]byte{1}, collector.StoreKeySize)); !errors.Is(err, collector.ErrStoreKey) {
		t.Fatalf("another key: %v", err)
	}
	st, err = collector.OpenSQLite(path, storeKey)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if notes, _ := st.Notes(ctx, "alert"); len(notes) != 2 {
		t.Fatalf("after reopening: %v", notes)
	}
}

// TestTokensExpireAreListedAndRevoked: a token past its expiry or revoked is refused;
// the list shows ids, roles and names, never a token; a device records the name of
// the token it enrolled with; where the collector asks for approval, an enrolled
// device delivers only once an admin approved it.
func TestTokensExpireAreListedAndRevoked(t *testing.T) { forEachStore(t, testTokens) }

func testTokens(t *testing.T, kind string) {
	ctx := context.Background()
	h := newHarness(t, kind)
	// Asked of every collector on the store, not of this process alone.
	if err := h.store.SetSetting(ctx, collector.SettingApproveDevices, "on"); err != nil {
		t.Fatal(err)
	}
	admin := h.token(t, collector.RoleAdmin, "it.synthetic")
	get := func(tok string) int {
		req, _ := http.NewRequest(http.MethodGet, h.server.URL+api.PathDevices, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client(h).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(admin); code != 200 {
		t.Fatalf("a fresh admin token: %d", code)
	}
	old := "vct_synthetic_expired"
	h.store.AddToken(ctx, collector.TokenHash(old), collector.Token{Role: collector.RoleAdmin, Name: "old", Created: time.Now().Add(-48 * time.Hour), Expires: time.Now().Add(-time.Hour)})
	if code := get(old); code != 401 {
		t.Fatalf("an expired token: %d", code)
	}
	auditor := h.token(t, collector.RoleAuditor, "c.officer")
	tokens, err := h.store.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, tk := range tokens {
		if tk.Name == "c.officer" {
			id = tk.ID
		}
		if strings.Contains(tk.ID, "vct_") || len(tk.ID) != 16 {
			t.Fatalf("a listed token id %q", tk.ID)
		}
	}
	if err := h.store.RevokeToken(ctx, id); err != nil {
		t.Fatal(err)
	}
	if code := get(auditor); code != 401 {
		t.Fatalf("a revoked token: %d", code)
	}

	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws-0142"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	d.append(t, 3, "SYN-T")
	if _, err := d.up.DeliverOnce(ctx); err == nil || !strings.Contains(err.Error(), "approval") {
		t.Fatalf("delivery before approval: %v", err)
	}
	st, _ := h.col.DeviceStatuses(ctx)
	if len(st) != 1 || st[0].EnrolledAs != "ws-0142" || !st[0].AwaitingApproval {
		t.Fatalf("status %+v", st)
	}
	if code := postAuth(t, h, api.PathApprove, auditor, api.RevokeRequest{Device: d.key.ID}, nil); code != 401 {
		t.Fatalf("approval with a revoked auditor token: %d", code)
	}
	if code := postAuth(t, h, api.PathApprove, admin, api.RevokeRequest{Device: d.key.ID}, nil); code != 200 {
		t.Fatalf("approve: %d", code)
	}
	if n, err := d.up.DeliverOnce(ctx); err != nil || n != 3 {
		t.Fatalf("delivery after approval: %d, %v", n, err)
	}
}

// TestIngestReadsHeadsFirst: over HTTP, a batch whose heads do not verify is refused
// from its heads alone (its records are never read), nothing of the device changes;
// records before heads are refused; a device that lost an acknowledgement resends what
// the collector has and is answered without an alert.
func TestIngestReadsHeadsFirst(t *testing.T) { forEachStore(t, testIngestReadsHeadsFirst) }

func testIngestReadsHeadsFirst(t *testing.T, kind string) {
	ctx := context.Background()
	h := newHarness(t, kind)
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	d.append(t, 6, "SYN-R")
	recs, _ := d.v.AuditRecords(ctx, d.key.ID, 0, 0)
	lines := make([]string, len(recs))
	for i, r := range recs {
		lines[i] = string(r.Line)
	}
	post := func(body string) (api.IngestResponse, int) {
		resp, err := client(h).Post(h.server.URL+api.PathIngest, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out api.IngestResponse
		json.NewDecoder(resp.Body).Decode(&out)
		return out, resp.StatusCode
	}
	head3, _, _ := d.v.AuditHeadAtOrBefore(ctx, d.key.ID, 3)
	head6, _, _ := d.v.AuditHeadAtOrBefore(ctx, d.key.ID, 6)
	// Records first, as an earlier build sent them: refused unread, the device told why.
	hb, _ := json.Marshal([]audit.Head{head3})
	rb, _ := json.Marshal(lines[:3])
	if resp, code := post(fmt.Sprintf(`{"device":%q,"records":%s,"heads":%s}`, d.key.ID, rb, hb)); code != 400 {
		t.Fatalf("records first: %d %+v", code, resp)
	}
	if out, code := post(fmt.Sprintf(`{"device":%q,"heads":%s,"records":%s}`, d.key.ID, hb, rb)); code != 200 || out.AcceptedThrough != 3 {
		t.Fatalf("heads first: %d %+v", code, out)
	}
	statusBefore, _ := h.col.DeviceStatuses(ctx)
	// Heads first, forged; the records that follow are not even JSON.
	other, _, _ := audit.LoadDeviceKey(ctx, &memKC{}, "forger", errMissing)
	forged, _ := json.Marshal([]audit.Head{audit.SignHead(other.Private, d.key.ID, 6, recs[5].Hash)})
	if out, code := post(fmt.Sprintf(`{"device":%q,"heads":%s,"records":[this is never read`, d.key.ID, forged)); code != 200 || !strings.Contains(out.Rejected, "signature") {
		t.Fatalf("forged heads: %d %+v", code, out)
	}
	if after, _ := h.col.DeviceStatuses(ctx); after[0].LastSeen != statusBefore[0].LastSeen || after[0].LastSeq != 3 {
		t.Fatalf("a forged batch changed the device: %+v -> %+v", statusBefore[0], after[0])
	}
	// What could change what was checked, or fill memory before any place is held, is
	// refused: a field twice, a field after the records, a long prelude.
	for name, body := range map[string]string{
		"heads twice":            fmt.Sprintf(`{"device":%q,"heads":%s,"heads":%s,"records":%s}`, d.key.ID, hb, forged, rb),
		"a device after records": fmt.Sprintf(`{"device":%q,"heads":%s,"records":%s,"device":"d_00000000000000000000"}`, d.key.ID, hb, rb),
		"a long prelude":         fmt.Sprintf(`{"device":%q,"heads":[%s{"dev":%q,"seq":1,"hash":"x","sig":"%s"}],"records":[]}`, d.key.ID, strings.Repeat(`{"dev":"d","seq":1,"hash":"x","sig":"y"},`, 10), d.key.ID, strings.Repeat("A", 100<<10)),
	} {
		if out, code := post(body); code != 400 {
			t.Fatalf("%s: %d %+v", name, code, out)
		}
	}
	// A lost acknowledgement: the device resends 1..3 under the head at 3.
	alerts := func() int { n, _ := h.store.Notes(ctx, "alert"); return len(n) }
	was := alerts()
	req, _ := json.Marshal(api.IngestRequest{Device: d.key.ID, Heads: []audit.Head{head3}, Records: lines[:3]})
	if out, code := post(string(req)); code != 200 || out.Rejected != "" || out.AcceptedThrough != 3 {
		t.Fatalf("a resend: %d %+v", code, out)
	}
	if alerts() != was {
		t.Fatal("an honest resend raised an alert")
	}
	req, _ = json.Marshal(api.IngestRequest{Device: d.key.ID, Heads: []audit.Head{head6}, Records: lines[3:]})
	if out, code := post(string(req)); code != 200 || out.AcceptedThrough != 6 {
		t.Fatalf("the rest, heads first: %d %+v", code, out)
	}
}

// TestTheCollectorVouchesForEnrolledKeys: a workstation restoring a backup asks whether
// its signer is an enrolled device: yes for an enrolled, approved key; no for an
// unknown key, or a key claiming an enrolled device's id; revoked when revoked.
func TestTheCollectorVouchesForEnrolledKeys(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	if ok, revoked, err := d.up.DeviceKey(ctx, d.key.Public()); err != nil || !ok || revoked {
		t.Fatalf("an enrolled key: %v %v %v", ok, revoked, err)
	}
	other, _, _ := audit.LoadDeviceKey(ctx, &memKC{}, "stranger", errMissing)
	if ok, _, err := d.up.DeviceKey(ctx, other.Public()); err != nil || ok {
		t.Fatalf("an unknown key: %v %v", ok, err)
	}
	if status := postAuth(t, h, api.PathRevoke, h.token(t, collector.RoleAdmin, "it"), api.RevokeRequest{Device: d.key.ID}, nil); status != 200 {
		t.Fatalf("revoke: %d", status)
	}
	if _, revoked, err := d.up.DeviceKey(ctx, d.key.Public()); err != nil || !revoked {
		t.Fatalf("a revoked key: %v %v", revoked, err)
	}
}

// TestBreakGlassAlertsEveryTime: each delivered break-glass record raises an alert,
// never folded into the once-a-minute limit, and only once it is in the log.
func TestBreakGlassAlertsEveryTime(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := d.log.Append(ctx, audit.Entry{User: "u_doc", Role: "physician", Action: audit.BreakGlass,
			Object: audit.Object{Type: "session", ID: "s_1"}, Outcome: audit.OK}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.up.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n, notes := alertsSaying(t, h, "break-glass by user u_doc"); n != 2 {
		t.Fatalf("%d break-glass alerts for 2 records: %v", n, notes)
	}
}

// alertsSaying counts the collector's alerts that contain what, and returns them all.
func alertsSaying(t *testing.T, h *harness, what string) (int, []string) {
	t.Helper()
	notes, err := h.store.Notes(context.Background(), "alert")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range notes {
		if strings.Contains(a, what) {
			n++
		}
	}
	return n, notes
}

// TestDeletedNoteKeyAlerts: a workstation's record that a physician's note key was
// deleted from its vault, a user's key altered, or an approval forged (someone with
// the OS account's keychain wrote its rows) raises an alert; the same action for
// another reason does not.
func TestDeletedNoteKeyAlerts(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}
	for _, det := range []map[string]string{nil, {"reason": "missing"}, {"reason": "altered"}, {"reason": "forged approval"}} {
		if _, err := d.log.Append(ctx, audit.Entry{User: "u_doc", Role: "physician", Action: audit.NoteKeysUnavailable,
			Object: audit.Object{Type: "user", ID: "u_scribe"}, Details: det, Outcome: audit.OK}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.up.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, what := range []string{"note key of user u_scribe deleted", "key of user u_scribe altered", "forged approval of scribe u_scribe"} {
		if n, notes := alertsSaying(t, h, what); n != 1 {
			t.Fatalf("%d alerts saying %q, want 1: %v", n, what, notes)
		}
	}
	// A device that names a new user in each record (its signature covers what it
	// says) raises no more alerts: one a minute per reason.
	for i := range 50 {
		if _, err := d.log.Append(ctx, audit.Entry{User: "u_doc", Role: "physician", Action: audit.NoteKeysUnavailable,
			Object: audit.Object{Type: "user", ID: fmt.Sprintf("u_made_up_%d", i)}, Details: map[string]string{"reason": "altered"}, Outcome: audit.OK}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.up.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := alertsSaying(t, h, "u_made_up_"); n != 0 {
		t.Fatalf("%d alerts for records naming made-up users, want none within the minute", n)
	}
}

// TestAForgingSourceIsPacedAlone: over real TLS, a forged batch ends its connection
// and costs its source (127.0.0.2) its turns, so that its next connection is held
// and closed without a handshake, while a device at another address (127.0.0.1)
// connects and delivers at once.
func TestAForgingSourceIsPacedAlone(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, "sqlite")
	h.server.Close()
	// One turn each, next to none earned back, held a moment when in debt.
	h.col.SourceLimits = collector.SourceLimits{Rate: 0.001, Burst: 2, Refusal: 10, MaxWait: 200 * time.Millisecond, MaxWaiting: 4}
	h.server = httptest.NewUnstartedServer(h.col)
	h.server.Listener = h.col.Guard(h.server.Listener)
	h.server.Config.ErrorLog = log.New(io.Discard, "", 0)
	h.server.Config.ConnContext = collector.ConnContext // refusals charged to the connection's pace
	h.server.TLS = collector.TLSConfig(h.cert)
	h.server.StartTLS()
	t.Cleanup(h.server.Close)
	d := newDevice(t, h)
	if err := d.up.Enroll(ctx, h.token(t, collector.RoleEnroll, "ws"), d.key.Public()); err != nil {
		t.Fatal(err)
	}

	from := func(ip string) *http.Client {
		c := client(h)
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
		c.Transport.(*http.Transport).DialContext = dialer.DialContext
		return c
	}
	forger := from("127.0.0.2")
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	heads, _ := json.Marshal([]audit.Head{audit.SignHead(key, d.key.ID, 1, audit.Genesis)})
	body := fmt.Sprintf(`{"device":%q,"heads":%s,"records":["x"]}`, d.key.ID, heads)
	resp, err := forger.Post(h.server.URL+api.PathIngest, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out api.IngestResponse
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if out.Rejected == "" || !resp.Close {
		t.Fatalf("a forged batch: rejected %q, connection closed %v; want both", out.Rejected, resp.Close)
	}
	if _, err := forger.Post(h.server.URL+api.PathIngest, "application/json", strings.NewReader(body)); err == nil {
		t.Fatal("the forging address was served again at once")
	}

	d.append(t, 3, "SYN-P")
	d.up.Client = from("127.0.0.1")
	if n, err := d.up.DeliverOnce(ctx); err != nil || n != 3 {
		t.Fatalf("the device at another address delivered %d, %v; want 3", n, err)
	}
}

// TestServerSpeaksHTTP1Only: the collector's server does not offer HTTP/2, under
// which a refused request would not end its connection (other streams go on).
func TestServerSpeaksHTTP1Only(t *testing.T) {
	h := newHarness(t, "sqlite")
	srv := collector.Server("127.0.0.1:0", h.col, h.cert, io.Discard)
	l, err := h.col.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeTLS(l, "", "")
	t.Cleanup(func() { srv.Close() })
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(h.caPEM))
	tr := &http.Transport{ForceAttemptHTTP2: true, TLSClientConfig: &tls.Config{RootCAs: pool, NextProtos: []string{"h2", "http/1.1"}}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("https://" + l.Addr().String() + api.PathCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 1 || resp.TLS.NegotiatedProtocol == "h2" {
		t.Fatalf("the collector spoke %s (ALPN %q) to a client offering HTTP/2", resp.Proto, resp.TLS.NegotiatedProtocol)
	}
}
