// Package sync carries audit records from each workstation to the hospital's collector,
// and is the collector's side of that exchange: enrollment, verified ingest into one
// append-only log, signed checkpoints over an RFC 6962 Merkle tree, device status,
// revocation, and per-patient access reports for auditors. API.md specifies the wire
// format.
//
// Device side: Uploader reads the undelivered records of the local journal (package
// audit, in the vault) in batches that end on a signed head, sends them over TLS (1.3
// preferred, 1.2 minimum, the collector's CA pinned from policy), and advances its
// delivered mark only on the collector's acknowledgement. Sending is idempotent on
// (device, seq): a batch sent twice is accepted once.
//
// Collector side: Collector verifies each batch against the device's enrolled public
// key and its last accepted record — signature, chain continuity, sequence — and
// appends what verifies to the log; a forged, replayed-with-changes, reordered, gapped
// or truncated batch is refused with its reason, keeping the valid prefix, and never
// changes stored state otherwise. The collector never holds the site key: it sees
// patient references, not MRNs — but MRNs are few and guessable, so its store is ePHI
// and must be kept on encrypted storage with access limited (see README.md).
package sync
