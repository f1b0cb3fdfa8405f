// Package collector is the hospital's side of audit delivery: enrollment, verified
// ingest into one append-only log, signed checkpoints over an RFC 6962 Merkle tree,
// device status, revocation, and per-patient access reports for auditors. Package api
// (API.md) specifies the wire format; package delivery is the workstations' side.
//
// Collector verifies each batch against the device's enrolled public key and its last
// accepted record — signature, chain continuity, sequence — and appends what verifies
// to the log; a forged, replayed-with-changes, reordered, gapped or truncated batch is
// refused with its reason, keeping the valid prefix, and never changes stored state
// otherwise. The collector never holds the site key: it sees patient references, not
// MRNs — but MRNs are few and guessable, so its store is ePHI and must be kept on
// encrypted storage with access limited (see README.md).
package collector
