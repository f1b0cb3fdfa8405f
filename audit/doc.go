// Package audit will define the audit record, its canonical encoding, the hash chain,
// the Ed25519 device signature and the Merkle checkpoints, shared by the app and the
// collector. It arrives with the audit-trail issue.
package audit
