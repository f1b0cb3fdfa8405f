package audit_test

import (
	"context"
	"crypto/ed25519"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/vault"
	"github.com/vellumhealth/vellum/vault/vaulttest"
)

// BenchmarkAppend measures what the audit issue names: the latency of one audited
// action waiting for its durable record (target p99 < 5 ms), and the throughput of
// many concurrent appenders sharing commits (target >= 20,000 records/s). "Done" is
// durable in both: WAL with synchronous=FULL in the encrypted vault.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	v := vaulttest.New(b, vault.Options{})
	l, _ := openLog(b, v)
	entry := audit.Entry{User: "u_bench", Role: "physician", Action: audit.NoteView, Object: audit.Object{Type: "note", ID: "n_bench"},
		MRN: "SYN-000001", Details: map[string]string{"content_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}, Outcome: audit.OK}
	for b.Loop() {
		// One appender, one action at a time: the latency a physician waits.
		lat := make([]time.Duration, 0, 500)
		for i := 0; i < 500; i++ {
			start := time.Now()
			if _, err := l.Append(ctx, entry); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")

		// 256 concurrent appenders (a busy shared workstation, or a burst of list views):
		// group commit.
		const appenders, each = 256, 125
		start := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < appenders; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if _, err := l.Append(ctx, entry); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(appenders*each/time.Since(start).Seconds(), "records/s")
	}
	// The references: what one signature and one verification cost here.
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	msg := []byte("vellum-audit-head/v1\nd_x\n1\n0000\n")
	start := time.Now()
	var sig []byte
	for i := 0; i < 2000; i++ {
		sig = ed25519.Sign(key, msg)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/2000, "sign-µs")
	start = time.Now()
	for i := 0; i < 2000; i++ {
		ed25519.Verify(key.Public().(ed25519.PublicKey), msg, sig)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/2000, "verify-µs")
	b.ReportMetric(0, "ns/op")
}
