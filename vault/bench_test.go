package vault

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkVaultAgainstPlainSQLite measures the workload — 20k notes of 2 KB
// inserted in one transaction, 2k random point reads, 200 full-text queries — on the
// encrypted vault and on plain SQLite (the same library and build, same schema and
// pragmas, no key), in one run, and reports encrypted/plain ratios. Targets: reads and
// search within 1.15x, bulk insert within 1.5x. Each phase takes the best of three
// interleaved rounds (reads: of 20 passes in each, searches: of 5), so that a busy
// neighbour on the machine hurts both sides alike.
func BenchmarkVaultAgainstPlainSQLite(b *testing.B) {
	const (
		notes    = 20000
		noteSize = 2048
		reads    = 2000
		queries  = 200
		rounds   = 3
	)
	ctx := context.Background()
	corpus := benchCorpus(notes, noteSize)
	type phases struct{ insert, read, search time.Duration }
	best := map[string]*phases{}
	for b.Loop() {
		for round := 0; round < rounds; round++ {
			order := []string{"plain", "encrypted"}
			if round%2 == 1 {
				order[0], order[1] = order[1], order[0]
			}
			for _, kind := range order {
				dir := b.TempDir()
				var db *sql.DB
				var err error
				if kind == "plain" {
					db, err = sql.Open("sqlite3", plainDSN(filepath.Join(dir, "plain.db")))
				} else {
					db, err = openDB(ctx, filepath.Join(dir, dbFile), newKey(), 0)
				}
				if err != nil {
					b.Fatal(err)
				}
				if err := migrate(ctx, db); err != nil {
					b.Fatal(err)
				}
				v := &Vault{db: db}
				var p phases

				start := time.Now()
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, n := range corpus {
					if _, err := insertNote(ctx, tx, nil, n); err != nil {
						b.Fatal(err)
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				p.insert = time.Since(start)

				// Reads and searches are short (tens of milliseconds for the whole phase):
				// take the best of several passes each, after a GC, so that scheduler and
				// collector noise on a 2-core machine does not decide the ratio.
				p.read, p.search = time.Hour, time.Hour
				for pass := 0; pass < 20; pass++ {
					rng := rand.New(rand.NewPCG(7, 7))
					runtime.GC()
					start = time.Now()
					for i := 0; i < reads; i++ {
						if _, err := v.Note(ctx, corpus[rng.IntN(notes)].ID); err != nil {
							b.Fatal(err)
						}
					}
					p.read = min(p.read, time.Since(start))
				}
				for pass := 0; pass < 5; pass++ {
					rng := rand.New(rand.NewPCG(8, 8))
					runtime.GC()
					start = time.Now()
					for i := 0; i < queries; i++ {
						// Words of middling frequency: each matches hundreds of notes.
						q := benchWords[50+rng.IntN(400)] + " " + benchWords[50+rng.IntN(400)]
						if _, err := v.Search(ctx, q, Filter{Limit: 20}); err != nil {
							b.Fatal(err)
						}
					}
					p.search = min(p.search, time.Since(start))
				}
				db.Close()

				if best[kind] == nil {
					best[kind] = &p
				}
				bp := best[kind]
				bp.insert, bp.read, bp.search = min(bp.insert, p.insert), min(bp.read, p.read), min(bp.search, p.search)
			}
		}
	}
	pl, en := best["plain"], best["encrypted"]
	ratio := func(a, b time.Duration) float64 { return float64(a) / float64(b) }
	b.ReportMetric(ratio(en.insert, pl.insert), "insert-x")
	b.ReportMetric(ratio(en.read, pl.read), "read-x")
	b.ReportMetric(ratio(en.search, pl.search), "search-x")
	b.ReportMetric(float64(en.insert.Milliseconds()), "insert-ms")
	b.ReportMetric(float64(en.read.Microseconds())/reads, "read-µs/op")
	b.ReportMetric(float64(en.search.Microseconds())/queries, "search-µs/op")
	b.ReportMetric(0, "ns/op") // the ratios are the result; wall time per loop is noise
}

// BenchmarkOpen measures opening an existing vault of 20k notes, keychain lookup
// included, against the target of 50 ms.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	v, o := testVault(b, Options{})
	tx, _ := v.db.BeginTx(ctx, nil)
	for _, n := range benchCorpus(20000, 2048) {
		insertNote(ctx, tx, nil, n)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	v.Close()
	var worst time.Duration
	var total time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		v, err := Open(ctx, o)
		if err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		v.Close()
		total += d
		worst = max(worst, d)
		n++
	}
	b.ReportMetric(float64(total.Microseconds())/float64(n)/1000, "open-ms")
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-open-ms")
}

// plainDSN is the vault's DSN without cipher and key: plain SQLite, same pragmas.
func plainDSN(path string) string {
	d := dsn(path, make([]byte, keySize), 0)
	u, q, _ := strings.Cut(d, "?")
	var keep []string
	for _, kv := range strings.Split(q, "&") {
		if k, _, _ := strings.Cut(kv, "="); k != "cipher" && k != "legacy" && k != "key" {
			keep = append(keep, kv)
		}
	}
	return u + "?" + strings.Join(keep, "&")
}

// benchWords is a synthetic vocabulary of 4,000 pronounceable words; notes draw from it
// with a Zipf distribution, as natural text does, so a query matches a realistic share
// of notes rather than all of them.
var benchWords = func() []string {
	cons, vows := "bcdfghjklmnprstvz", "aeiou"
	rng := rand.New(rand.NewPCG(3, 4))
	seen := map[string]bool{}
	var out []string
	for len(out) < 4000 {
		var sb strings.Builder
		for j := 0; j < 2+rng.IntN(3); j++ {
			sb.WriteByte(cons[rng.IntN(len(cons))])
			sb.WriteByte(vows[rng.IntN(len(vows))])
		}
		if w := sb.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}()

// benchCorpus makes n synthetic notes of about size bytes each, deterministically.
func benchCorpus(n, size int) []Note {
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(benchWords)-1))
	out := make([]Note, n)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		var sb strings.Builder
		for sb.Len() < size {
			sb.WriteString(benchWords[zipf.Uint64()])
			sb.WriteByte(' ')
		}
		out[i] = Note{
			ID: fmt.Sprintf("n_bench%07d", i), PatientRef: fmt.Sprintf("SYN-%06d", i%5000),
			Title: "Progress note " + benchWords[rng.IntN(len(benchWords))], Body: sb.String()[:size],
			Status: Draft, Author: "dr.synthetic", Created: t0, Updated: t0,
		}
	}
	return out
}

// BenchmarkSealedNotesAgainstClear measures what sealing costs a physician (FORMAT.md,
// "Per-user note keys"): 1,000 notes of 2 KB saved, listed whole, 200 opened, 50
// searches (at most 50 hits each), for a physician with a note key (sealed, blind
// terms) and, in the same vault and transaction, for one without (in the clear, FTS5),
// and reports sealed/clear ratios with the sealed times. No target is set; the
// figures say what a physician with many notes waits.
func BenchmarkSealedNotesAgainstClear(b *testing.B) {
	const notes, views, queries = 1000, 200, 50
	ctx := context.Background()
	corpus := benchCorpus(notes, 2048)
	rng := rand.New(rand.NewPCG(5, 6))
	type phases struct{ insert, list, view, search time.Duration }
	got := map[bool]*phases{}
	for b.Loop() {
		v, _ := testVault(b, Options{})
		dr, withKeys := physicianWithKeys(b, v)
		err := withKeys(func(tx *Tx) error {
			for _, sealed := range []bool{true, false} {
				owner := "u_clear"
				if sealed {
					owner = dr
				}
				p := &phases{}
				got[sealed] = p
				ids := make([]string, 0, notes)
				start := time.Now()
				for _, n := range corpus {
					stored, err := tx.AddNote(ctx, NewNote{PatientRef: n.PatientRef, Title: n.Title, Body: n.Body, Author: owner})
					if err != nil {
						return err
					}
					ids = append(ids, stored.ID)
				}
				p.insert = time.Since(start)
				start = time.Now()
				if l, err := tx.Notes(ctx, Filter{Owner: owner}); err != nil || len(l) != notes {
					return fmt.Errorf("list: %d notes, %v", len(l), err)
				}
				p.list = time.Since(start)
				start = time.Now()
				for range views {
					if _, err := tx.Note(ctx, ids[rng.IntN(len(ids))]); err != nil {
						return err
					}
				}
				p.view = time.Since(start)
				start = time.Now()
				for i := range queries {
					if _, err := tx.Search(ctx, benchWords[20+i*7], Filter{Owner: owner, Limit: 50}); err != nil {
						return err
					}
				}
				p.search = time.Since(start)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	s, c := got[true], got[false]
	ratio := func(a, b time.Duration) float64 { return float64(a) / float64(b) }
	b.ReportMetric(ratio(s.insert, c.insert), "insert-x")
	b.ReportMetric(ratio(s.list, c.list), "list-x")
	b.ReportMetric(ratio(s.view, c.view), "view-x")
	b.ReportMetric(ratio(s.search, c.search), "search-x")
	b.ReportMetric(float64(s.insert.Microseconds())/notes/1000, "sealed-save-ms/note")
	b.ReportMetric(float64(s.list.Milliseconds()), "sealed-list-1000-ms")
	b.ReportMetric(float64(s.view.Microseconds())/views, "sealed-view-µs")
	b.ReportMetric(float64(s.search.Microseconds())/queries/1000, "sealed-search-ms")
	b.ReportMetric(0, "ns/op")
}
