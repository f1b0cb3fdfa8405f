// Package ehr turns a signed note into what an electronic health record takes from
// Vellum: the note's text, for the clipboard, and a FHIR R4 DocumentReference (JSON),
// for an interface engine or the EHR's import folder.
//
// Both carry the note as signed and its addenda after it, each addendum headed with
// its time and author, so what reaches the chart is what the physician signed, in the
// order it was signed. Vellum never sends either anywhere: the physician pastes the
// text or hands the file over, and the caller records the release (note.export).
//
// The DocumentReference follows FHIR R4 (4.0.1):
//
//   - masterIdentifier is a urn:uuid derived from the note's id and how many addenda
//     it has, so each version of the document is told apart; identifier holds one
//     derived from the note's id alone, the same for every version.
//   - status is "current"; docStatus is "final", or "amended" once the note has an
//     addendum.
//   - type is LOINC 34109-9 ("Note") with the note's title as text; category is US
//     Core's "clinical-note".
//   - subject is a Patient reference by identifier: the medical record number, in the
//     hospital's identifier system when policy names one (fhir_patient_system).
//   - date is when the note was signed; authenticator names the signing physician
//     by display name and Vellum user name, and author names them and anyone else who
//     wrote an addendum.
//   - content holds one attachment: text/plain in UTF-8, base64, with the SHA-1 hash
//     FHIR R4 defines for attachments, the title, and when the note was created.
//
// The tests validate every document against the FHIR R4 JSON Schema that HL7
// publishes (make deps fetches it from a package registry).
package ehr
