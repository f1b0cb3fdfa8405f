package audit

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// chain builds n records of one device, signing the head every `every` records and at
// the end.
func chain(t *testing.T, key ed25519.PrivateKey, n, every int) ([][]byte, []Head, string) {
	dev := DeviceID(key.Public().(ed25519.PublicKey))
	prev := Genesis
	var recs [][]byte
	var heads []Head
	for i := 1; i <= n; i++ {
		r := Record{Version: 1, Device: dev, Seq: uint64(i), Time: "2026-03-01T08:00:00.000Z", User: "u_x", Role: "physician",
			Action: NoteView, Object: Object{Type: "note", ID: fmt.Sprintf("n_%d", i)}, Outcome: OK, Prev: prev}
		b, err := r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, b)
		prev = Hash(b)
		if i%every == 0 || i == n {
			heads = append(heads, SignHead(key, dev, uint64(i), prev))
		}
	}
	return recs, heads, dev
}

func TestVerifyAcceptsAnIntactChainAndNamesTheFirstBadRecord(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	other := ed25519.NewKeyFromSeed([]byte(strings.Repeat("x", 32)))
	pub := key.Public().(ed25519.PublicKey)
	recs, heads, dev := chain(t, key, 10, 4)
	if v, err := Verify(pub, dev, Anchor{}, recs, heads); err != nil || v.Records != 10 || v.Last.Seq != 10 {
		t.Fatalf("intact chain: %+v, %v", v, err)
	}
	// Incremental: verifying 6..10 from the anchor of 5.
	v5, _ := Verify(pub, dev, Anchor{}, recs[:5], []Head{SignHead(key, dev, 5, Hash(recs[4]))})
	if _, err := Verify(pub, dev, v5.Last, recs[5:], heads); err != nil {
		t.Fatalf("from an anchor: %v", err)
	}

	mutate := func(f func(r [][]byte, h []Head) ([][]byte, []Head)) ([][]byte, []Head) {
		r := append([][]byte(nil), recs...)
		h := append([]Head(nil), heads...)
		return f(r, h)
	}
	tests := []struct {
		name    string
		recs    [][]byte
		heads   []Head
		seq     uint64
		because string
	}{
		{"a modified record breaks the next record's link", nil, nil, 3, ""},
		{"a dropped record is a gap", nil, nil, 4, "dropped"},
		{"reordered records", nil, nil, 2, "reordered"},
		{"a replayed record", nil, nil, 7, "duplicated"},
		{"a forged head", nil, nil, 4, "signature"},
		{"an unsigned tail", nil, nil, 9, "covered by no signed head"},
		{"a record of another device", nil, nil, 1, "device"},
	}
	tests[0].recs, tests[0].heads = mutate(func(r [][]byte, h []Head) ([][]byte, []Head) {
		r[2] = []byte(strings.Replace(string(r[2]), `"n_3"`, `"n_x"`, 1))
		return r, h
	})
	tests[0].seq, tests[0].because = 4, "hash mismatch"
	tests[1].recs, tests[1].heads = mutate(func(r [][]byte, h []Head) ([][]byte, []Head) { return append(r[:3], r[4:]...), h })
	tests[2].recs, tests[2].heads = mutate(func(r [][]byte, h []Head) ([][]byte, []Head) { r[1], r[2] = r[2], r[1]; return r, h })
	tests[3].recs, tests[3].heads = mutate(func(r [][]byte, h []Head) ([][]byte, []Head) { return append(r[:6], r[4:]...), h })
	tests[4].recs, tests[4].heads = mutate(func(r [][]byte, h []Head) ([][]byte, []Head) {
		h[0] = SignHead(other, dev, 4, Hash(r[3]))
		return r, h
	})
	tests[5].recs, tests[5].heads = mutate(func(r [][]byte, h []Head) ([][]byte, []Head) { return r, h[:2] })
	tests[6].recs, tests[6].heads = mutate(func(r [][]byte, h []Head) ([][]byte, []Head) {
		other, _, _ := chain(t, other, 1, 1)
		r[0] = other[0]
		return r, h
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify(pub, dev, Anchor{}, tt.recs, tt.heads)
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Seq != tt.seq || !strings.Contains(ce.Reason, tt.because) {
				t.Fatalf("Verify = %v, want record %d: ...%s...", err, tt.seq, tt.because)
			}
		})
	}
}

// TestVerifyPrefixKeepsWhatVerifiesInLinearTime: a batch that fails part-way keeps
// the stretch up to the highest good head below the failure; a batch whose heads all
// carry forged signatures keeps nothing, at the cost of one more signature check.
func TestVerifyPrefixKeepsWhatVerifiesInLinearTime(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	other := ed25519.NewKeyFromSeed([]byte(strings.Repeat("x", 32)))
	pub := key.Public().(ed25519.PublicKey)
	recs, heads, dev := chain(t, key, 10, 4) // heads at 4, 8, 10

	bad := append([][]byte(nil), recs...)
	bad[8] = []byte(strings.Replace(string(bad[8]), "n_9", "n_X", 1)) // record 9 altered: record 10 no longer links
	v, covering, err := VerifyPrefix(pub, dev, Anchor{}, bad, heads)
	var ce *ChainError
	if !errors.As(err, &ce) || ce.Seq != 10 || v.Records != 8 || len(covering) != 1 || covering[0].Seq != 8 {
		t.Fatalf("an altered record 9: kept %d records under %v, err %v", v.Records, covering, err)
	}

	forged := make([]Head, len(heads))
	for i, h := range heads {
		forged[i] = SignHead(other, dev, h.Seq, h.Hash)
	}
	if v, _, err := VerifyPrefix(pub, dev, Anchor{}, recs, forged); err == nil || v.Records != 0 {
		t.Fatalf("forged heads: kept %d records, err %v", v.Records, err)
	}
	// The highest head forged, the next good: the stretch up to it is kept.
	if v, _, err := VerifyPrefix(pub, dev, Anchor{}, recs, []Head{heads[0], heads[1], forged[2]}); err == nil || v.Records != 8 {
		t.Fatalf("a forged head at 10: kept %d records, err %v", v.Records, err)
	}
	// The two highest forged: nothing is read further, nothing kept.
	if v, _, err := VerifyPrefix(pub, dev, Anchor{}, recs, []Head{heads[0], forged[1], forged[2]}); err == nil || v.Records != 0 {
		t.Fatalf("forged heads at 8 and 10: kept %d records, err %v", v.Records, err)
	}
	// Record 9 altered (10 fails) and the highest head below it (8) forged, a lower one (4) good:
	// nothing is kept (one candidate only); the device resends from its mark.
	if v, _, err := VerifyPrefix(pub, dev, Anchor{}, bad, []Head{heads[0], forged[1], heads[2]}); err == nil || v.Records != 0 {
		t.Fatalf("mixed heads: kept %d records, err %v", v.Records, err)
	}
	if v, covering, err := VerifyPrefix(pub, dev, Anchor{}, recs, heads); err != nil || v.Records != 10 || len(covering) != 3 {
		t.Fatalf("an intact batch: %d records, %v", v.Records, err)
	}
}
