package collector_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/note"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/sync/api"
	"github.com/vellumhealth/vellum/sync/collector"
	"github.com/vellumhealth/vellum/sync/delivery"
	"github.com/vellumhealth/vellum/sync/synctest"
)

// benchCollector is a collector over st with a checkpoint key of its own and a
// silent log.
func benchCollector(st collector.Store) *collector.Collector {
	skey, _, _ := note.GenerateKey(rand.Reader, "bench")
	signer, _ := note.NewSigner(skey)
	return &collector.Collector{Store: st, Signer: signer, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// benchDevice enrolls a new device in st and makes its chain: batches of per validly
// chained records, each batch covered by one head the device signed.
func benchDevice(b *testing.B, st collector.Store, batches, per int) (string, ed25519.PrivateKey, []api.IngestRequest) {
	ctx := context.Background()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	pub := priv.Public().(ed25519.PublicKey)
	id := audit.DeviceID(pub)
	tok := "t-" + id
	st.AddToken(ctx, collector.TokenHash(tok), collector.Token{Role: collector.RoleEnroll, Name: id})
	if err := st.Enroll(ctx, collector.TokenHash(tok), collector.Device{ID: id, PublicKey: pub, Enrolled: time.Now(), Approved: true}); err != nil {
		b.Fatal(err)
	}
	reqs := make([]api.IngestRequest, batches)
	prev := audit.Genesis
	for i := range reqs {
		reqs[i].Device = id
		for j := 0; j < per; j++ {
			seq := uint64(i*per + j + 1)
			r := audit.Record{Version: 1, Device: id, Seq: seq, Time: "2026-03-01T08:00:00.000Z", User: "u_0a1b2c3d4e5f60718293",
				Role: "physician", Action: audit.NoteView, Object: audit.Object{Type: "note", ID: fmt.Sprintf("n_%020d", seq)},
				Patient: audit.PatientRef([]byte("site"), fmt.Sprint(seq%5000)), Details: map[string]string{"content_sha256": audit.Genesis},
				Outcome: audit.OK, Prev: prev}
			line, _ := r.Encode()
			prev = audit.Hash(line)
			reqs[i].Records = append(reqs[i].Records, string(line))
		}
		reqs[i].Heads = []audit.Head{audit.SignHead(priv, id, uint64((i+1)*per), prev)}
	}
	return id, priv, reqs
}

// BenchmarkIngestPostgres measures verified ingest into PostgreSQL — what the audit
// issue asks to be at least 20,000 records/s on this 2-core machine — beside its two
// references in the same run: bare crypto/ed25519 verification, and raw pgx COPY of the
// same rows. Per record the collector decodes, re-encodes (canonical check), hashes
// and chains it, and COPYs it with its tree hashes; per batch it verifies one head
// signature and commits once.
func BenchmarkIngestPostgres(b *testing.B) {
	ctx := context.Background()
	dbURL := postgresDB(b)
	st, err := collector.OpenPostgres(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	col := benchCollector(st)

	const batches, per = 40, 1000
	id, priv, reqs := benchDevice(b, st, batches, per)
	pub := priv.Public().(ed25519.PublicKey)
	for b.Loop() {
		start := time.Now()
		for _, req := range reqs {
			resp, err := col.Ingest(ctx, req)
			if err != nil || resp.Rejected != "" {
				b.Fatalf("%v %s", err, resp.Rejected)
			}
		}
		ingest := float64(batches*per) / time.Since(start).Seconds()
		b.ReportMetric(ingest, "ingest-records/s")

		// Reference 1: bare Ed25519 verification.
		msg := []byte("vellum-audit-head/v1\nd\n1\nh\n")
		sig := ed25519.Sign(priv, msg)
		start = time.Now()
		for i := 0; i < 5000; i++ {
			ed25519.Verify(pub, msg, sig)
		}
		verify := 5000 / time.Since(start).Seconds()
		b.ReportMetric(verify, "ed25519-verify/s")

		// Reference 2: raw COPY of the same log rows into a table of the same shape.
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			b.Fatal(err)
		}
		conn.Exec(ctx, "CREATE TABLE copy_ref (LIKE log INCLUDING ALL)")
		rows := make([][]any, 0, batches*per)
		for i, req := range reqs {
			for j, line := range req.Records {
				rows = append(rows, []any{int64(i*per + j), id, int64(i*per + j + 1), line, audit.Genesis, "", "note.view", "2026-03-01T08:00:00.000Z", time.Now().UnixMilli()})
			}
		}
		start = time.Now()
		for k := 0; k < batches; k++ {
			tx, _ := conn.Begin(ctx)
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"copy_ref"}, []string{"idx", "device", "seq", "line", "hash", "patient", "action", "time", "accepted_ms"}, pgx.CopyFromRows(rows[k*per:(k+1)*per])); err != nil {
				b.Fatal(err)
			}
			tx.Commit(ctx)
		}
		copyRate := float64(batches*per) / time.Since(start).Seconds()
		conn.Close(ctx)
		b.ReportMetric(copyRate, "raw-copy-records/s")
		b.ReportMetric(ingest/copyRate, "ingest/copy")
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkForgedBatch measures what one forged batch of the maximum size costs the
// collector (issue 15: under 50 ms), from its JSON body on: api.MaxBatch validly
// chained records of an enrolled device — device ids are not secret — whose every
// head carries a forged signature. Reference in the same run: an honest batch of the same size, which the
// collector must verify in full. The ratio forged/honest says that refusing costs no
// more than accepting; forged-ms the absolute cost. The time is wall time on an idle
// machine, one goroutine: the collector's CPU for the batch.
func BenchmarkForgedBatch(b *testing.B) {
	ctx := context.Background()
	st, err := collector.OpenSQLite(b.TempDir()+"/collector.db", storeKey)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	col := benchCollector(st)
	id, _, reqs := benchDevice(b, st, 1, api.MaxBatch)
	honest := reqs[0]
	_, forger, _ := ed25519.GenerateKey(rand.Reader)
	forged := api.IngestRequest{Device: id, Records: honest.Records}
	for i, line := range honest.Records {
		forged.Heads = append(forged.Heads, audit.SignHead(forger, id, uint64(i+1), audit.Hash([]byte(line))))
	}
	// The body as it arrives: its JSON decoding is part of the cost.
	wire, _ := json.Marshal(forged)
	for b.Loop() {
		const rounds = 5
		start := time.Now()
		for range rounds {
			var req api.IngestRequest
			if err := json.Unmarshal(wire, &req); err != nil {
				b.Fatal(err)
			}
			resp, err := col.Ingest(ctx, req)
			if err != nil || resp.Accepted != 0 || resp.Rejected == "" {
				b.Fatalf("a forged batch: %+v, %v", resp, err)
			}
		}
		perForged := time.Since(start) / rounds
		// The honest batch is verified in full; it is the store's first, so it is
		// appended too: the reference is its verification and append, once.
		start = time.Now()
		if resp, err := col.Ingest(ctx, honest); err != nil || resp.Accepted != api.MaxBatch {
			b.Fatalf("the honest batch: %+v, %v", resp, err)
		}
		perHonest := time.Since(start)
		b.ReportMetric(float64(perForged.Microseconds())/1000, "forged-ms")
		b.ReportMetric(float64(perForged)/float64(50*time.Millisecond), "forged/50ms-budget")
		b.ReportMetric(float64(perForged)/float64(perHonest), "forged/honest")
		b.ReportMetric(float64(len(wire))/1e6, "body-MB")
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkIngestUnderForgedFlood measures honest ingest into PostgreSQL over TLS while
// 50 clients send forged batches of 8 MB (issue 15: at least 0.8 of the rate without
// them), in one run: an honest device alone, a second while the 50 flood from one
// address of their own, a third while they flood from 50 addresses (one each), and a
// fourth alone; the reference is the mean of the two alone (the store grows as the
// run goes). The collector is served as `vellum-collector serve` serves it
// (Collector.Guard: paced per source, default limits); the honest devices connect from
// 127.0.0.1, the forgers from 127.0.0.2 on. Half the forgers send heads first, as the
// API asks (refused from their heads); half send records first (refused as malformed).
// The forgers run in a process of their own at the lowest CPU priority (nice 19),
// standing in for the other machines they would be on: what they spend encrypting 8 MB
// bodies is theirs, what the collector spends receiving and refusing them is the
// collector's. A flood is bounded (it stops when its honest device is done; each
// forger sends at most 200 batches) and stays on loopback. "sent" counts the forgers'
// tries, "answered" the forged requests the collector's handler saw.
func BenchmarkIngestUnderForgedFlood(b *testing.B) {
	ctx := context.Background()
	st, err := collector.OpenPostgres(ctx, postgresDB(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	col := benchCollector(st)
	pki := synctest.New(b)
	var reached atomic.Int64 // forged requests the collector answered
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.RemoteAddr, "127.0.0.1:") {
			reached.Add(1)
		}
		col.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.Listener = col.Guard(srv.Listener)           // as col.Listen serves
	srv.Config.ConnContext = collector.ConnContext
	srv.TLS = collector.TLSConfig(pki.Cert)
	srv.StartTLS()
	defer srv.Close()
	client, err := delivery.ClientFor(pki.CAPEM)
	if err != nil {
		b.Fatal(err)
	}

	const batches, per = 20, 1000
	deliver := func(reqs []api.IngestRequest) float64 {
		start := time.Now()
		for _, req := range reqs {
			body, _ := json.Marshal(req)
			for try := 0; ; try++ {
				resp, err := client.Post(srv.URL+api.PathIngest, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				var out api.IngestResponse
				json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode == http.StatusServiceUnavailable && try < 100 {
					continue // busy: the device sends again, as the uploader does later
				}
				if resp.StatusCode != 200 || out.Rejected != "" {
					b.Fatalf("honest batch: %d %s", resp.StatusCode, out.Rejected)
				}
				break
			}
		}
		return float64(batches*per) / time.Since(start).Seconds()
	}
	for b.Loop() {
		// Alone before and after the flood (the store grows, and the first run warms
		// it): the reference is their mean.
		_, _, before := benchDevice(b, st, batches, per)
		rateBefore := deliver(before)

		ca := filepath.Join(b.TempDir(), "ca.pem")
		os.WriteFile(ca, []byte(pki.CAPEM), 0o644)
		// flood delivers a new honest device's batches while the forgers, from
		// addrs addresses of their own, send theirs about it.
		flood := func(addrs int) (rate float64, sent, arrived int64) {
			victim, _, flooded := benchDevice(b, st, batches, per)
			forgers := exec.Command("nice", "-n", "19", os.Args[0], "-test.run=^TestForgerProcess$")
			forgers.Env = append(os.Environ(), "VELLUM_FORGER_URL="+srv.URL, "VELLUM_FORGER_CA="+ca,
				"VELLUM_FORGER_DEVICE="+victim, fmt.Sprintf("VELLUM_FORGER_ADDRS=%d", addrs))
			var out bytes.Buffer
			forgers.Stdout = &out
			stdin, _ := forgers.StdinPipe()
			if err := forgers.Start(); err != nil {
				b.Fatal(err)
			}
			reached.Store(0)
			time.Sleep(500 * time.Millisecond) // the flood is under way
			rate = deliver(flooded)
			stdin.Close() // the forgers stop
			forgers.Wait()
			fmt.Sscanf(out.String(), "sent %d", &sent)
			return rate, sent, reached.Load()
		}
		oneRate, oneSent, oneReached := flood(1)
		manyRate, manySent, manyReached := flood(50)
		_, _, after := benchDevice(b, st, batches, per)
		rateAlone := (rateBefore + deliver(after)) / 2
		b.ReportMetric(rateAlone, "alone-records/s")
		b.ReportMetric(oneRate/rateAlone, "flooded-1addr/alone")
		b.ReportMetric(float64(oneSent), "forged-1addr-sent")
		b.ReportMetric(float64(oneReached), "forged-1addr-answered")
		b.ReportMetric(manyRate/rateAlone, "flooded-50addr/alone")
		b.ReportMetric(float64(manySent), "forged-50addr-sent")
		b.ReportMetric(float64(manyReached), "forged-50addr-answered")
	}
	b.ReportMetric(0, "ns/op")
}

// TestForgerProcess is BenchmarkIngestUnderForgedFlood's flood, in a process of its
// own: 50 clients sending forged 8 MB batches about VELLUM_FORGER_DEVICE to
// VELLUM_FORGER_URL until stdin closes, each at most 200. It runs only when the
// benchmark starts it.
func TestForgerProcess(t *testing.T) {
	url, device := os.Getenv("VELLUM_FORGER_URL"), os.Getenv("VELLUM_FORGER_DEVICE")
	if url == "" || !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Skip("run by BenchmarkIngestUnderForgedFlood only, against loopback")
	}
	ca, _ := os.ReadFile(os.Getenv("VELLUM_FORGER_CA"))
	client, err := delivery.ClientFor(string(ca))
	if err != nil {
		t.Fatal(err)
	}
	// From addresses of their own, as from other machines (the honest devices
	// connect from 127.0.0.1): forger i from 127.0.0.(2 + i mod VELLUM_FORGER_ADDRS).
	addrs, _ := strconv.Atoi(os.Getenv("VELLUM_FORGER_ADDRS"))
	addrs = max(1, min(addrs, 200))
	_, forger, _ := ed25519.GenerateKey(rand.Reader)
	filler := make([]string, 5000)
	for i := range filler {
		filler[i] = strings.Repeat("x", 1600)
	}
	heads, _ := json.Marshal([]audit.Head{audit.SignHead(forger, device, 1000, audit.Genesis)})
	recs, _ := json.Marshal(filler)
	headsFirst := []byte(fmt.Sprintf(`{"device":%q,"heads":%s,"records":%s}`, device, heads, recs))
	recordsFirst := []byte(fmt.Sprintf(`{"device":%q,"records":%s,"heads":%s}`, device, recs, heads))
	ctx, stop := context.WithCancel(context.Background())
	go func() { io.Copy(io.Discard, os.Stdin); stop() }()
	var wg sync.WaitGroup
	var sent atomic.Int64
	for i := range 50 {
		client := *client
		transport := client.Transport.(*http.Transport).Clone()
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i%addrs))}}
		transport.DialContext = dialer.DialContext
		client.Transport = transport
		body := headsFirst
		if i%2 == 1 {
			body = recordsFirst
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if ctx.Err() != nil {
					return
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+api.PathIngest, bytes.NewReader(body))
				// Refused from its heads, a batch ends in an error here as often as
				// in an answer (the collector closes while the body is sent).
				sent.Add(1)
				if resp, err := client.Do(req); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("sent %d\n", sent.Load())
}
