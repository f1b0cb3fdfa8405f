package audit

import (
	"cmp"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// Head is a signed chain head — RFC 5848's "signature block" idea: one Ed25519
// signature over (device, seq, hash of record seq) covers that record and, through the
// chain, every record before it. The log signs the head after every commit, so
// verifying a batch costs one signature check plus one SHA-256 per record.
type Head struct {
	Device string `json:"dev"`
	Seq    uint64 `json:"seq"`
	Hash   string `json:"hash"`
	Sig    string `json:"sig"` // base64 (standard, padded) Ed25519 signature
}

// headMessage is what a head's signature signs (FORMAT.md, "Signed heads").
func headMessage(device string, seq uint64, hash string) []byte {
	return []byte("vellum-audit-head/v1\n" + device + "\n" + strconv.FormatUint(seq, 10) + "\n" + hash + "\n")
}

// SignHead signs the chain head at seq.
func SignHead(key ed25519.PrivateKey, device string, seq uint64, hash string) Head {
	sig := ed25519.Sign(key, headMessage(device, seq, hash))
	return Head{Device: device, Seq: seq, Hash: hash, Sig: base64.StdEncoding.EncodeToString(sig)}
}

// VerifySig checks the head's signature.
func (h Head) VerifySig(pub ed25519.PublicKey) error {
	sig, err := base64.StdEncoding.DecodeString(h.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("malformed signature")
	}
	if !ed25519.Verify(pub, headMessage(h.Device, h.Seq, h.Hash), sig) {
		return errors.New("signature does not verify")
	}
	return nil
}

// ChainError names the first record that fails verification and why.
type ChainError struct {
	Seq    uint64
	Reason string
}

func (e *ChainError) Error() string { return fmt.Sprintf("audit record %d: %s", e.Seq, e.Reason) }

// Anchor is where verification starts: the last record already verified (its seq and
// hash), or the zero Anchor (seq 0, Genesis) for a device's whole chain.
type Anchor struct {
	Seq  uint64
	Hash string
}

func (a Anchor) hash() string {
	if a.Seq == 0 && a.Hash == "" {
		return Genesis
	}
	return a.Hash
}

// Verified summarises a successful verification.
type Verified struct {
	Records int
	Last    Anchor
	// Decoded are the records, decoded once during verification, for callers that
	// go on to use their fields.
	Decoded []Record
}

// Verify checks encoded records, in order, continuing the chain from start: each is
// canonical and valid, of this device, numbered start.Seq+1, +2, ..., and carries the
// hash of the one before. Every head must name a record in range with its hash and a
// valid signature, and the last record must be covered by a head. The first failure is
// returned as a *ChainError.
func Verify(pub ed25519.PublicKey, device string, start Anchor, records [][]byte, heads []Head) (Verified, error) {
	prev, seq := start.hash(), start.Seq
	hashes := make(map[uint64]string, len(records))
	decoded := make([]Record, 0, len(records))
	for _, b := range records {
		seq++
		r, err := Decode(b)
		if err != nil {
			return Verified{}, &ChainError{Seq: seq, Reason: err.Error()}
		}
		switch {
		case r.Seq != seq:
			return Verified{}, &ChainError{Seq: seq, Reason: fmt.Sprintf("found record %d where %d belongs (dropped, duplicated or reordered)", r.Seq, seq)}
		case r.Device != device:
			return Verified{}, &ChainError{Seq: seq, Reason: fmt.Sprintf("record of device %s in the chain of %s", r.Device, device)}
		case r.Prev != prev:
			return Verified{}, &ChainError{Seq: seq, Reason: "previous-record hash mismatch (a record before it was changed or removed)"}
		}
		prev = Hash(b)
		hashes[seq] = prev
		decoded = append(decoded, r)
	}
	covered := start.Seq
	for _, h := range heads {
		want, ok := hashes[h.Seq]
		if !ok {
			if h.Seq <= start.Seq {
				continue // signed an earlier stretch
			}
			return Verified{}, &ChainError{Seq: h.Seq, Reason: "a signed head names a record that is not there"}
		}
		if h.Device != device {
			return Verified{}, &ChainError{Seq: h.Seq, Reason: "head of another device"}
		}
		if h.Hash != want {
			return Verified{}, &ChainError{Seq: h.Seq, Reason: "the signed head's hash differs from the record's (record changed after signing)"}
		}
		if err := h.VerifySig(pub); err != nil {
			return Verified{}, &ChainError{Seq: h.Seq, Reason: "head " + err.Error()}
		}
		covered = max(covered, h.Seq)
	}
	if covered < seq {
		return Verified{}, &ChainError{Seq: covered + 1, Reason: fmt.Sprintf("records %d..%d are covered by no signed head", covered+1, seq)}
	}
	return Verified{Records: len(records), Last: Anchor{Seq: seq, Hash: prev}, Decoded: decoded}, nil
}

// VerifyPrefix is Verify for a batch that may fail part-way, at a cost bounded for
// anyone without the device's key: when the whole does not verify, it returns the
// first failure (err) and, in v and covering, the longest prefix it can vouch for.
//
// Signatures come first, since they are cheap and nothing else of a batch is worth
// reading unless a head of the device verifies: the highest head beyond start, then
// the next. If neither verifies, the batch is refused without reading a record — a
// batch of forged heads costs two signature checks. If the highest verifies, the
// batch is verified whole (Verify); should it fail, the records before the failure
// are kept up to the highest head below it, if that one head's signature verifies.
// If only the next verifies, the stretch it covers is kept if it chains. Either way
// the records are read once or twice, never once per head. v.Records is 0 when no
// prefix verifies.
func VerifyPrefix(pub ed25519.PublicKey, device string, start Anchor, records [][]byte, heads []Head) (v Verified, covering []Head, err error) {
	h, top, topErr := vouching(pub, device, start, heads)
	switch {
	case h == nil:
		return Verified{}, nil, topErr
	case top:
		return verifyWhole(pub, device, start, records, heads)
	}
	n := h.Seq - start.Seq
	if n > uint64(len(records)) {
		return Verified{}, nil, topErr
	}
	p, perr := Verify(pub, device, start, records[:n], []Head{*h})
	if perr != nil {
		return Verified{}, nil, topErr
	}
	return p, []Head{*h}, topErr
}

// CheckHeads is VerifyPrefix's first step alone, for a reader that has a batch's heads
// before its records (the collector streams a request): nil when the highest or the
// next-highest head beyond start is the device's, signed; else the failure
// VerifyPrefix would return. It costs two signature checks at most.
func CheckHeads(pub ed25519.PublicKey, device string, start Anchor, heads []Head) error {
	h, _, err := vouching(pub, device, start, heads)
	if h == nil {
		return err
	}
	return nil
}

// vouching finds the head that vouches for a batch: the highest beyond start if its
// signature verifies (top), else the next if its does; nil if neither. topErr is the
// highest head's failure, nil when it verified.
func vouching(pub ed25519.PublicKey, device string, start Anchor, heads []Head) (h *Head, top bool, topErr error) {
	var cands []Head // heads beyond start, highest first
	for _, h := range heads {
		if h.Seq > start.Seq {
			cands = append(cands, h)
		}
	}
	if len(cands) == 0 {
		return nil, false, &ChainError{Seq: start.Seq + 1, Reason: "covered by no signed head"}
	}
	slices.SortFunc(cands, func(a, b Head) int { return cmp.Compare(b.Seq, a.Seq) })
	for i, c := range cands[:min(2, len(cands))] {
		serr := errors.New("names another device")
		if c.Device == device {
			serr = c.VerifySig(pub)
		}
		if serr == nil {
			return &c, i == 0, topErr
		}
		if i == 0 {
			topErr = &ChainError{Seq: c.Seq, Reason: "head " + serr.Error()}
		}
	}
	return nil, false, topErr
}

// verifyWhole verifies a batch whose highest head is the device's; on a failure it
// keeps the records before it up to the highest head below it, if that head's
// signature verifies (one more check).
func verifyWhole(pub ed25519.PublicKey, device string, start Anchor, records [][]byte, heads []Head) (Verified, []Head, error) {
	v, err := Verify(pub, device, start, records, heads)
	if err == nil {
		return v, heads, nil
	}
	var ce *ChainError
	if !errors.As(err, &ce) || ce.Seq <= start.Seq+1 {
		return Verified{}, nil, err
	}
	// Verify read the records before the failure in order: they chain from start.
	n := min(int(ce.Seq-start.Seq-1), len(records))
	var best *Head
	for i := range heads {
		h := &heads[i]
		if h.Seq > start.Seq && h.Seq <= start.Seq+uint64(n) && h.Device == device && (best == nil || h.Seq > best.Seq) {
			best = h
		}
	}
	if best == nil {
		return Verified{}, nil, err
	}
	p, perr := Verify(pub, device, start, records[:best.Seq-start.Seq], []Head{*best})
	if perr != nil {
		return Verified{}, nil, err
	}
	return p, []Head{*best}, err
}

// DeviceID derives a device's id from its public key: readable, stable, and bound to
// the key, so a record cannot claim another key's device.
func DeviceID(pub ed25519.PublicKey) string {
	return "d_" + hex.EncodeToString(pub[:10])
}
