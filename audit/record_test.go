package audit

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

type vectors struct {
	SiteKeyHex, MRN, NormalizedMRN, PatientRef, Record, RecordHash     string
	DeviceSeedHex, DevicePublicHex, DeviceIDOfKey, HeadDevice, HeadSig string
}

func loadVectors(t testing.TB) vectors {
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]string
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	return vectors{raw["site_key_hex"], raw["mrn"], raw["normalized_mrn"], raw["patient_ref"], raw["record"], raw["record_hash"],
		raw["device_seed_hex"], raw["device_public_hex"], raw["device_id_of_key"], raw["head_device"], raw["head_sig"]}
}

func unhex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVectors: the encoding, hash, patient reference and head signature of
// FORMAT.md's vector, byte for byte.
func TestVectors(t *testing.T) {
	v := loadVectors(t)
	site := unhex(t, v.SiteKeyHex)
	if got := NormalizeMRN(v.MRN); got != v.NormalizedMRN {
		t.Errorf("NormalizeMRN = %q", got)
	}
	if got := PatientRef(site, v.MRN); got != v.PatientRef {
		t.Errorf("PatientRef = %s", got)
	}
	r := Record{Version: 1, Device: "d_00112233445566778899", Seq: 1, Time: "2026-03-01T08:00:00.000Z",
		User: "u_0a1b2c3d4e5f60718293", Role: "physician", Action: NoteView,
		Object: Object{Type: "note", ID: "n_00aa11bb22cc33dd44ee"}, Patient: PatientRef(site, v.MRN),
		Details: map[string]string{"template": "soap", "body_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		Outcome: OK, Prev: Genesis}
	b, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != v.Record {
		t.Fatalf("encoding:\n got %s\nwant %s", b, v.Record)
	}
	if Hash(b) != v.RecordHash {
		t.Errorf("hash %s", Hash(b))
	}
	back, err := Decode([]byte(v.Record))
	if err != nil {
		t.Fatal(err)
	}
	if b2, _ := back.Encode(); string(b2) != v.Record {
		t.Error("decode/encode does not round-trip")
	}
	key := ed25519.NewKeyFromSeed(unhex(t, v.DeviceSeedHex))
	if hex.EncodeToString(key.Public().(ed25519.PublicKey)) != v.DevicePublicHex || DeviceID(key.Public().(ed25519.PublicKey)) != v.DeviceIDOfKey {
		t.Error("device key or id differs from the vector")
	}
	h := SignHead(key, v.HeadDevice, 1, v.RecordHash)
	if h.Sig != v.HeadSig {
		t.Errorf("head signature %s", h.Sig)
	}
	if err := h.VerifySig(key.Public().(ed25519.PublicKey)); err != nil {
		t.Error(err)
	}
}

func TestDecodeRefusesWhatIsNotCanonicalOrValid(t *testing.T) {
	v := loadVectors(t)
	tests := []struct{ name, in, want string }{
		{"white space", strings.Replace(v.Record, `,"dev"`, `, "dev"`, 1), "canonical"},
		{"keys out of order", `{"dev":"d_1","act":"x","obj":{},"out":"ok","prev":"` + Genesis + `","seq":1,"t":"2026-03-01T08:00:00.000Z","v":1}`, "canonical"},
		{"an unknown field", strings.Replace(v.Record, `"v":1}`, `"v":1,"zz":1}`, 1), "unknown field"},
		{"version 2", strings.Replace(v.Record, `"v":1}`, `"v":2}`, 1), "version"},
		{"seq 0", strings.Replace(v.Record, `"seq":1`, `"seq":0`, 1), "start at 1"},
		{"a bad time", strings.Replace(v.Record, `08:00:00.000Z`, `08:00:00Z`, 1), "time"},
		{"a short prev", strings.Replace(v.Record, `"prev":"00`, `"prev":"0`, 1), "prev"},
		{"upper-case hex", strings.Replace(v.Record, `"pat":"761c`, `"pat":"761C`, 1), "patient"},
		{"non-ASCII text", strings.Replace(v.Record, `"role":"physician"`, `"role":"physicián"`, 1), "printable ASCII"},
		{"a control character", strings.Replace(v.Record, `"role":"physician"`, `"role":"phys\nician"`, 1), "printable ASCII"},
		{"a free-text details key", strings.Replace(v.Record, `"template":"soap"`, `"Chief Complaint":"soap"`, 1), "identifier"},
		{"trailing data", v.Record + `{}`, "after the record"},
		{"not JSON", `hello`, "not a record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Decode = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	v := loadVectors(f)
	f.Add([]byte(v.Record))
	f.Add([]byte(`{"act":"a","dev":"d","obj":{},"out":"ok","prev":"` + Genesis + `","seq":1,"t":"2026-03-01T08:00:00.000Z","v":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Decode(b)
		if err != nil {
			return
		}
		enc, err := r.Encode()
		if err != nil || string(enc) != string(b) {
			t.Fatalf("accepted %q but it re-encodes as %q (%v)", b, enc, err)
		}
	})
}
