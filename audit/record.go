package audit

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Version is the record format this package writes and reads.
const Version = 1

// Record is one audit record (FORMAT.md, "Record"). Its JSON field names are in
// lexicographic order so that encoding/json writes them in canonical (RFC 8785) order.
type Record struct {
	Action  Action            `json:"act"`
	Details map[string]string `json:"det,omitempty"`
	Device  string            `json:"dev"`
	Object  Object            `json:"obj"`
	Outcome Outcome           `json:"out"`
	// Patient is the patient reference: hex HMAC-SHA256(site key, normalized MRN),
	// empty when the action concerns no patient or no site key is configured.
	Patient string `json:"pat,omitempty"`
	// Prev is the hex SHA-256 of the previous record's canonical encoding; 64 zeros
	// for the first record of a device.
	Prev string `json:"prev"`
	Role string `json:"role,omitempty"`
	Seq  uint64 `json:"seq"`
	// Time is UTC, RFC 3339 with milliseconds.
	Time    string `json:"t"`
	User    string `json:"user,omitempty"`
	Version int    `json:"v"`
}

// Object is what the action was on: a type ("note", "user", "session", "policy",
// "vault") and an id.
type Object struct {
	ID   string `json:"id,omitempty"`
	Type string `json:"type,omitempty"`
}

// Genesis is the Prev of a device's first record.
var Genesis = strings.Repeat("0", 64)

// TimeFormat is how Record.Time is written.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Encode returns the canonical encoding: RFC 8785 JSON (sorted keys, no whitespace,
// minimal escaping), which, given Validate's printable-ASCII rule, is what
// encoding/json writes with HTML escaping off.
func (r Record) Encode() ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(b) > MaxEncoded {
		// A reader refuses it; so must the writer, or it would block delivery forever.
		return nil, fmt.Errorf("record of %d bytes is over %d", len(b), MaxEncoded)
	}
	return b, nil
}

// Hash is the hex SHA-256 of the canonical encoding: the next record's Prev.
func Hash(canonical []byte) string {
	h := sha256.Sum256(canonical)
	return hex.EncodeToString(h[:])
}

// Limits a reader enforces (FORMAT.md).
const (
	maxField   = 256
	maxDetails = 32
	// MaxEncoded bounds one encoded record.
	MaxEncoded = 16 << 10
)

func checkText(what, s string) error {
	if len(s) > maxField {
		return fmt.Errorf("%s is longer than %d bytes", what, maxField)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Errorf("%s holds a byte outside printable ASCII", what)
		}
	}
	return nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// Validate checks what every record must satisfy; Decode applies it to what it reads.
// Free text cannot pass it: fields are printable ASCII, bounded, and details keys are
// identifiers.
func (r Record) Validate() error {
	if r.Version != Version {
		return fmt.Errorf("version %d, want %d", r.Version, Version)
	}
	if r.Seq == 0 {
		return errors.New("sequence numbers start at 1")
	}
	if _, err := time.Parse(TimeFormat, r.Time); err != nil {
		return fmt.Errorf("time %q is not %s", r.Time, TimeFormat)
	}
	if !isHex(r.Prev, 64) {
		return errors.New("prev is not 64 lower-case hex digits")
	}
	if r.Patient != "" && !isHex(r.Patient, 64) {
		return errors.New("patient reference is not 64 lower-case hex digits")
	}
	for what, s := range map[string]string{"device": r.Device, "user": r.User, "role": r.Role, "action": string(r.Action),
		"object type": r.Object.Type, "object id": r.Object.ID, "outcome": string(r.Outcome)} {
		if err := checkText(what, s); err != nil {
			return err
		}
	}
	if r.Device == "" || r.Action == "" || r.Outcome == "" {
		return errors.New("device, action and outcome are required")
	}
	if len(r.Details) > maxDetails {
		return fmt.Errorf("more than %d details", maxDetails)
	}
	for k, v := range r.Details {
		if k == "" || len(k) > 64 || strings.IndexFunc(k, func(c rune) bool { return !(c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) }) >= 0 {
			return fmt.Errorf("details key %q is not an identifier of at most 64 characters", k)
		}
		if err := checkText("details "+k, v); err != nil {
			return err
		}
	}
	return nil
}

// Decode parses one canonical record, strictly: unknown fields, a non-canonical
// encoding and invalid values are refused.
func Decode(b []byte) (Record, error) {
	if len(b) > MaxEncoded {
		return Record{}, fmt.Errorf("record of %d bytes is over %d", len(b), MaxEncoded)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r Record
	if err := dec.Decode(&r); err != nil {
		return Record{}, fmt.Errorf("not a record: %w", err)
	}
	if dec.More() {
		return Record{}, errors.New("data after the record")
	}
	enc, err := r.Encode()
	if err != nil {
		return Record{}, err
	}
	if !bytes.Equal(enc, b) {
		return Record{}, errors.New("not in canonical form")
	}
	return r, nil
}

// PatientRef is HMAC-SHA256(siteKey, normalized MRN) in hex; empty when either is.
// Normalizing (upper case; spaces, hyphens and dots dropped) makes "12-345" and
// "12345 " the same patient. The reference is still ePHI: MRNs are few and guessable,
// so anyone with the site key can reverse it.
func PatientRef(siteKey []byte, mrn string) string {
	n := NormalizeMRN(mrn)
	if len(siteKey) == 0 || n == "" {
		return ""
	}
	m := hmac.New(sha256.New, siteKey)
	m.Write([]byte(n))
	return hex.EncodeToString(m.Sum(nil))
}

// NormalizeMRN is the form of an MRN that is hashed.
func NormalizeMRN(mrn string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '.' {
			return -1
		}
		return unicode.ToUpper(r)
	}, mrn)
}

// FormatTime writes t as Record.Time does.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// Clean makes s a valid details value: bytes outside printable ASCII become '?', and it
// is cut to the field limit. For values that are not PHI but may hold any text (a
// policy's folder path); never a way to put note text into a record.
func Clean(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	if len(b) > maxField {
		b = b[:maxField]
	}
	return string(b)
}
