// Package phi finds the HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)) in
// clinical free text, with their spans and types, and redacts them: for notes
// exported for teaching or research, and for any log or error line that could carry
// free text.
//
// Find returns the identifiers of a text as byte spans, sorted and not overlapping,
// each with its Type (one per Safe Harbor category that occurs in free text). Redact
// replaces each with its type in brackets ("[NAME]"). Detection is by validated
// patterns (SSN area rules, the NANP phone plan, calendar dates, IPv4 octets, the
// VIN check digit), by context cues ("MRN:", "Dr.", "lives in", "fax", a relative's
// role before a name), and by consistency: a name found once by its cue is found
// everywhere in the text. A list of eponyms (Parkinson, Hodgkin, Crohn...) is never a
// name, and numbers that are doses, lab values, scores, blood pressures or years are
// never identifiers. Safe Harbor's three-digit ZIP rule is the caller's: every ZIP
// code found is reported whole.
//
// Guarantees: Find never panics, and runs in time linear in the input (Go's regular
// expressions are automata without backtracking); it reads nothing but its argument.
//
// What it does not do, yet: names without a cue (no census name dictionary is
// shipped), cities without a cue, surrogate values, and a measured recall. A text
// that passed through Redact is less identifying, not proven de-identified: Safe
// Harbor also requires that the covered entity has no actual knowledge that what
// remains could identify the patient.
package phi
