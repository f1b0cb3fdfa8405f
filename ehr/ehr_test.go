package ehr

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json from the code")

// synthetic is a made-up note: no real patient, person or record.
func synthetic(addenda int) Document {
	d := Document{
		NoteID:     "n_0123456789abcdef0123",
		PatientMRN: "SYN-000042",
		Title:      "Follow-up visit (synthetic)",
		Body:       "S: Synthetic patient reports cough for 3 days.\nA/P: Viral URI. Fluids, rest.\n",
		Created:    time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		Signer:     Person{Username: "dr.synthetic", DisplayName: "Dr Synthetic"},
		Signed:     time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
	}
	for i := 0; i < addenda; i++ {
		d.Addenda = append(d.Addenda, Addendum{
			Author:  d.Signer,
			Created: d.Signed.Add(time.Duration(i+1) * time.Hour),
			Body:    "Correction: cough for 4 days.",
		})
	}
	return d
}

// fhirSchema compiles the DocumentReference definition of the FHIR R4 JSON Schema at
// $VELLUM_FHIR_SCHEMA (make sets it). The file holds HL7's schema plus resources
// Medplum added; some of those refer to definitions the file lacks, so it does not
// compile as it is. They are dropped (with their entries in ResourceList, which
// `contained` uses) until every reference resolves: what remains of the schema is
// HL7's, unchanged, and DocumentReference is checked against it.
func fhirSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path := os.Getenv("VELLUM_FHIR_SCHEMA")
	b, err := os.ReadFile(path)
	if path == "" || err != nil {
		msg := "VELLUM_FHIR_SCHEMA does not name the FHIR R4 JSON Schema (make deps fetches it; make test sets it)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defs, _ := doc["definitions"].(map[string]any)
	if _, ok := defs["DocumentReference"]; !ok {
		t.Fatalf("%s has no DocumentReference definition", path)
	}
	dropDangling(defs)
	delete(doc, "oneOf") // the root's list of every resource; DocumentReference is compiled alone
	c := jsonschema.NewCompiler()
	const url = "urn:vellum:fhir-r4-schema"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url + "#/definitions/DocumentReference")
	if err != nil {
		t.Fatalf("compile the DocumentReference schema from %s: %v", path, err)
	}
	return s
}

var refPattern = regexp.MustCompile(`"#/definitions/([A-Za-z0-9_]+)"`)

// dropDangling removes the definitions that refer to one missing, and their entries
// in ResourceList, until none does.
func dropDangling(defs map[string]any) {
	for {
		dropped := false
		for name, def := range defs {
			if name == "ResourceList" {
				continue
			}
			b, _ := json.Marshal(def)
			for _, m := range refPattern.FindAllSubmatch(b, -1) {
				if _, ok := defs[string(m[1])]; !ok {
					delete(defs, name)
					dropped = true
					break
				}
			}
		}
		if list, ok := defs["ResourceList"].(map[string]any); ok {
			var kept []any
			for _, alt := range list["oneOf"].([]any) {
				ref, _ := alt.(map[string]any)["$ref"].(string)
				if _, ok := defs[strings.TrimPrefix(ref, "#/definitions/")]; ok {
					kept = append(kept, alt)
				}
			}
			list["oneOf"] = kept
		}
		if !dropped {
			return
		}
	}
}

func validate(t *testing.T, s *jsonschema.Schema, doc []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

func TestDocumentReferenceIsValidFHIRR4(t *testing.T) {
	s := fhirSchema(t)
	for _, d := range []Document{synthetic(0), synthetic(2), func() Document {
		d := synthetic(0)
		d.Title, d.Body = "Ünïcödé ✓ 漢字", "line1\nline2\t\"quoted\""
		return d
	}()} {
		for _, o := range []FHIROptions{{}, {PatientSystem: "urn:oid:2.16.840.1.113883.19.5"}} {
			doc, err := DocumentReference(d, o)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, s, doc); err != nil {
				t.Errorf("invalid DocumentReference (%d addenda, %+v):\n%v\n%s", len(d.Addenda), o, err, doc)
			}
		}
	}
	// The schema is not vacuous: it refuses what FHIR refuses.
	good, _ := DocumentReference(synthetic(0), FHIROptions{})
	for name, bad := range map[string]string{
		"unknown status":    strings.Replace(string(good), `"status": "current"`, `"status": "signed"`, 1),
		"empty description": strings.Replace(string(good), `"description": "Follow-up visit (synthetic)"`, `"description": ""`, 1),
		"no resourceType":   strings.Replace(string(good), `"resourceType": "DocumentReference",`, ``, 1),
	} {
		if bad == string(good) {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if err := validate(t, s, []byte(bad)); err == nil {
			t.Errorf("the schema accepted a DocumentReference with %s", name)
		}
	}
}

// The documents in testdata are the specification of the output: any change to them
// is a change to what reaches EHRs, and shows in review.
func TestDocumentReferenceVectors(t *testing.T) {
	for _, tc := range []struct {
		file string
		doc  Document
		o    FHIROptions
	}{
		{"testdata/final.json", synthetic(0), FHIROptions{PatientSystem: "urn:oid:2.16.840.1.113883.19.5"}},
		{"testdata/amended.json", synthetic(2), FHIROptions{}},
	} {
		got, err := DocumentReference(tc.doc, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		if *update {
			os.WriteFile(tc.file, got, 0o644)
		}
		want, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the code's output:\n%s", tc.file, got)
		}
	}
}

func TestDocumentReferenceCarriesTheSignedTextAndAddenda(t *testing.T) {
	d := synthetic(2)
	doc, err := DocumentReference(d, FHIROptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		MasterIdentifier struct{ Value string }
		Identifier       []struct{ Value string }
		DocStatus        string
		Content          []struct{ Attachment struct{ Data string } }
	}
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatal(err)
	}
	text, _ := base64.StdEncoding.DecodeString(got.Content[0].Attachment.Data)
	if string(text) != Text(d) || got.DocStatus != "amended" {
		t.Fatalf("attachment %q, docStatus %s", text, got.DocStatus)
	}
	if !strings.HasPrefix(string(text), d.Body) || strings.Count(string(text), "\nAddendum, ") != 2 {
		t.Fatalf("text does not hold the body and both addenda:\n%s", text)
	}
	// Each version has its own master identifier; the note keeps one identifier.
	first, _ := DocumentReference(synthetic(0), FHIROptions{})
	var f struct {
		MasterIdentifier struct{ Value string }
		Identifier       []struct{ Value string }
	}
	json.Unmarshal(first, &f)
	if f.MasterIdentifier.Value == got.MasterIdentifier.Value || f.Identifier[0].Value != got.Identifier[0].Value {
		t.Fatalf("identifiers: first %+v, amended %+v", f, got)
	}
}

func TestOnlySignedNotesLeave(t *testing.T) {
	d := synthetic(0)
	d.Signed = time.Time{}
	if _, err := DocumentReference(d, FHIROptions{}); !errors.Is(err, ErrNotSigned) {
		t.Fatalf("unsigned: %v", err)
	}
	d = synthetic(0)
	d.PatientMRN = " "
	if _, err := DocumentReference(d, FHIROptions{}); err == nil {
		t.Fatal("a document without a patient was made")
	}
}
