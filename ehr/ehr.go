package ehr

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Document is a signed note as it leaves Vellum. Everything in it but the names of
// the people is PHI.
type Document struct {
	NoteID     string
	PatientMRN string
	Title      string
	Body       string
	Created    time.Time
	Signer     Person
	Signed     time.Time
	Addenda    []Addendum
}

// Person is a Vellum user as a document names them.
type Person struct {
	Username    string
	DisplayName string
}

// Addendum is one addendum of the note, oldest first in Document.Addenda.
type Addendum struct {
	Author  Person
	Created time.Time
	Body    string
}

// ErrNotSigned: only signed notes leave Vellum.
var ErrNotSigned = errors.New("only a signed note can be exported")

// Text is the note as the EHR's note field takes it: the signed text, then each
// addendum under a line naming its time and author.
func Text(d Document) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(d.Body, "\n"))
	b.WriteString("\n")
	for _, a := range d.Addenda {
		// UTC: the same version of a note is the same bytes on every workstation.
		fmt.Fprintf(&b, "\nAddendum, %s, %s:\n%s\n", a.Created.UTC().Format("2006-01-02 15:04 UTC"), a.Author.name(), strings.TrimRight(a.Body, "\n"))
	}
	return b.String()
}

func (p Person) name() string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.Username
}

// ref is p as a FHIR reference: display name and Vellum user name.
func (p Person) ref() reference {
	return reference{Display: p.name(), Identifier: &identifier{System: vellumUsers, Value: p.Username}}
}

// FHIROptions are the hospital's choices for DocumentReference.
type FHIROptions struct {
	// PatientSystem is the URI of the identifier system the MRN belongs to (policy
	// fhir_patient_system); empty leaves the system out.
	PatientSystem string
}

// DocumentReference renders d as a FHIR R4 DocumentReference, indented JSON.
func DocumentReference(d Document, o FHIROptions) ([]byte, error) {
	if d.Signed.IsZero() || d.Signer.Username == "" {
		return nil, ErrNotSigned
	}
	if d.NoteID == "" || strings.TrimSpace(d.PatientMRN) == "" {
		return nil, errors.New("a DocumentReference needs the note's id and the patient's MRN")
	}
	text := Text(d)
	hash := sha1.Sum([]byte(text)) // FHIR R4 defines Attachment.hash as SHA-1
	status := "final"
	if len(d.Addenda) > 0 {
		status = "amended"
	}
	title := strings.TrimSpace(d.Title)
	signer := d.Signer.ref()
	// Authors: the signer, then whoever else wrote an addendum.
	authors := []reference{signer}
	seen := map[string]bool{d.Signer.Username: true}
	for _, a := range d.Addenda {
		if !seen[a.Author.Username] && a.Author.Username != "" {
			seen[a.Author.Username] = true
			authors = append(authors, a.Author.ref())
		}
	}
	doc := documentReference{
		ResourceType:     "DocumentReference",
		MasterIdentifier: identifier{System: "urn:ietf:rfc:3986", Value: uuidURN(fmt.Sprintf("%s/%d", d.NoteID, len(d.Addenda)))},
		Identifier:       []identifier{{System: "urn:ietf:rfc:3986", Value: uuidURN(d.NoteID)}},
		Status:           "current",
		DocStatus:        status,
		Type: concept{
			Coding: []coding{{System: "http://loinc.org", Code: "34109-9", Display: "Note"}},
			Text:   title,
		},
		Category: []concept{{Coding: []coding{{
			System: "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
			Code:   "clinical-note", Display: "Clinical Note",
		}}}},
		Subject:       reference{Type: "Patient", Identifier: &identifier{System: o.PatientSystem, Value: strings.TrimSpace(d.PatientMRN)}},
		Date:          instant(d.Signed),
		Author:        authors,
		Authenticator: &signer,
		Description:   title,
		Content: []content{{Attachment: attachment{
			ContentType: "text/plain; charset=utf-8",
			Data:        base64.StdEncoding.EncodeToString([]byte(text)),
			Hash:        base64.StdEncoding.EncodeToString(hash[:]),
			Title:       title,
			Creation:    instant(d.Created),
		}}},
	}
	return json.MarshalIndent(doc, "", "  ")
}

// vellumUsers names the identifier system of Vellum user names in author references.
const vellumUsers = "urn:vellum:user"

// instant formats t as FHIR's instant (and dateTime): to the second, in UTC.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// uuidURN derives a name-based UUID (RFC 9562 version 8, from SHA-256) from s: the
// same note gives the same identifier on every export and every workstation.
func uuidURN(s string) string {
	h := sha256.Sum256([]byte("vellum-fhir\x00" + s))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// The subset of FHIR R4's types that DocumentReference uses here. FHIR forbids empty
// strings and arrays, hence omitempty throughout.
type documentReference struct {
	ResourceType     string       `json:"resourceType"`
	MasterIdentifier identifier   `json:"masterIdentifier"`
	Identifier       []identifier `json:"identifier,omitempty"`
	Status           string       `json:"status"`
	DocStatus        string       `json:"docStatus,omitempty"`
	Type             concept      `json:"type"`
	Category         []concept    `json:"category,omitempty"`
	Subject          reference    `json:"subject"`
	Date             string       `json:"date,omitempty"`
	Author           []reference  `json:"author,omitempty"`
	Authenticator    *reference   `json:"authenticator,omitempty"`
	Description      string       `json:"description,omitempty"`
	Content          []content    `json:"content"`
}

type identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value"`
}

type coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

type concept struct {
	Coding []coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

type reference struct {
	Type       string      `json:"type,omitempty"`
	Identifier *identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

type content struct {
	Attachment attachment `json:"attachment"`
}

type attachment struct {
	ContentType string `json:"contentType"`
	Data        string `json:"data"`
	Hash        string `json:"hash"`
	Title       string `json:"title,omitempty"`
	Creation    string `json:"creation,omitempty"`
}
