// Package api is the wire format between workstations and the audit collector: the
// request and response bodies, paths and limits that API.md specifies. The device's
// delivery (sync/delivery) and the collector (sync/collector) both speak it; neither
// depends on the other.
package api

import "github.com/vellumhealth/vellum/audit"

// API paths (API.md).
const (
	PathEnroll      = "/v1/enroll"
	PathIngest      = "/v1/ingest"
	PathCheckpoint  = "/v1/checkpoint"
	PathInclusion   = "/v1/proof/inclusion"
	PathConsistency = "/v1/proof/consistency"
	PathReport      = "/v1/report"
	PathDevices     = "/v1/devices"
	PathRevoke      = "/v1/revoke"
	PathApprove     = "/v1/approve"
	PathDeviceKey   = "/v1/device-key"
)

// MaxBody bounds every request body.
const MaxBody = 8 << 20

// MaxBatch bounds the records of one ingest request.
const MaxBatch = 5000

// EnrollRequest registers a device's public key with a one-time token.
type EnrollRequest struct {
	Token     string `json:"token"`
	Device    string `json:"device"`
	PublicKey string `json:"public_key"` // hex Ed25519
}

// EnrollResponse confirms it.
type EnrollResponse struct {
	Device string `json:"device"`
}

// IngestRequest carries records of one device in order, and the signed heads that
// cover them. Records are the canonical encodings, as strings, so that JSON transport
// cannot change a byte of what was hashed.
//
// The fields are sent in this order, heads before records: the collector checks the
// heads' signatures before it reads the records, and refuses a batch it cannot
// vouch for without reading the rest of its body.
type IngestRequest struct {
	Device string       `json:"device"`
	Heads  []audit.Head `json:"heads"`
	// DeviceHead is the last seq the device has written, delivered or not: the
	// collector reports the difference as records waiting on the workstation.
	DeviceHead uint64   `json:"device_head,omitempty"`
	Records    []string `json:"records"`
}

// IngestResponse says how far the collector has the device's chain: a device sending
// again from AcceptedThrough+1 loses and duplicates nothing.
type IngestResponse struct {
	AcceptedThrough uint64 `json:"accepted_through"`
	Accepted        int    `json:"accepted"`
	// Rejected is the reason the rest of the batch was refused, naming its first bad
	// record; empty when all was accepted.
	Rejected   string `json:"rejected,omitempty"`
	Checkpoint string `json:"checkpoint,omitempty"`
}

// InclusionRequest asks for the proof that the record at Index is in the tree of size
// TreeSize.
type InclusionRequest struct {
	Index    int64 `json:"index"`
	TreeSize int64 `json:"tree_size"`
}

// ConsistencyRequest asks for the proof that the tree of size Old is a prefix of the
// tree of size New.
type ConsistencyRequest struct {
	Old int64 `json:"old"`
	New int64 `json:"new"`
}

// ProofResponse carries a proof as hashes (base64, the tlog encoding).
type ProofResponse struct {
	Proof []string `json:"proof"`
}

// ReportRequest asks for every record about one patient. Ref is the patient reference
// the auditor computed with the site key; it travels in the body, never in a URL.
type ReportRequest struct {
	PatientRef string `json:"patient_ref"`
}

// ReportEntry is one record of a report with its place in the log.
type ReportEntry struct {
	Index  int64  `json:"index"`
	Record string `json:"record"`
}

// ReportResponse is a per-patient access report.
type ReportResponse struct {
	PatientRef string        `json:"patient_ref"`
	Records    []ReportEntry `json:"records"`
	TreeSize   int64         `json:"tree_size"`
	Checkpoint string        `json:"checkpoint"`
}

// DeviceStatus is what the collector knows of a device.
type DeviceStatus struct {
	Device   string `json:"device"`
	Enrolled string `json:"enrolled"`
	// EnrolledAs is the name of the enrollment token it used (the workstation).
	EnrolledAs string `json:"enrolled_as,omitempty"`
	// AwaitingApproval: enrolled where the collector asks for an admin's approval,
	// and not yet approved; its batches are refused.
	AwaitingApproval bool   `json:"awaiting_approval,omitempty"`
	LastSeen         string `json:"last_seen,omitempty"`
	LastSeq          uint64 `json:"last_seq"`
	// Waiting is how many records the device said it had written beyond LastSeq, at
	// its last contact: the gap between the workstation's journal and the log.
	Waiting    uint64 `json:"waiting"`
	Revoked    bool   `json:"revoked"`
	SilentFor  string `json:"silent_for,omitempty"`
	SilentLong bool   `json:"silent_too_long"`
}

// RevokeRequest revokes a device: its later batches are refused. The same body
// approves a device awaiting approval (PathApprove).
type RevokeRequest struct {
	Device string `json:"device"`
}

// ErrorResponse is every non-2xx body.
type ErrorResponse struct {
	Error string `json:"error"`
}

// DeviceKeyRequest asks whether a public key (hex) is that of an enrolled device: a
// workstation restoring a backup asks it of the backup's signer.
type DeviceKeyRequest struct {
	PublicKey string `json:"public_key"`
}

// DeviceKeyResponse answers a DeviceKeyRequest. Public keys and device ids are not
// secret; nothing else is said.
type DeviceKeyResponse struct {
	Device   string `json:"device"`
	Enrolled bool   `json:"enrolled"`
	Revoked  bool   `json:"revoked,omitempty"`
}
