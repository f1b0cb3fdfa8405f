// Package audit is Vellum's audit trail: the record, its canonical encoding, the hash
// chain, the device's Ed25519 signatures over the chain, and the Log the app appends to.
//
// Every access to PHI and every AI prompt and output leaves one Record: who (user and
// role), did what (action, from the one list in actions.go), to what (object type and
// id), for which patient (a reference: HMAC-SHA256 of the normalized MRN under the
// site key — never the MRN), with what outcome, and details that are ids, counts and
// hashes, never text. Each record carries the hash of the one before it, so removing,
// changing or reordering any record breaks the chain from there on; the device signs
// the chain's head after every commit, so one signature covers every record before it.
// FORMAT.md specifies all of it, with test vectors.
//
// Guarantees: Append returns only once the record is durable (WAL, synchronous=FULL,
// in the encrypted vault); concurrent appends share one commit (group commit); Verify
// names the first record that fails and why (*ChainError).
//
// What it does not do: the chain makes tampering detectable, not impossible. The
// audited user, or malware running as them, could rewrite their own journal before it
// is delivered; the collector's copy is the reference from the first delivered record
// on (package sync delivers it).
package audit
