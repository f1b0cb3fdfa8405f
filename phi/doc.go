// Package phi finds the HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)) in
// clinical free text, with their spans and types, and replaces them: with their type
// in brackets (Redact) or with made-up values of the same kind (Surrogates), for
// notes exported for teaching or research, and for any log or error line that could
// carry free text.
//
// Find returns the identifiers of a text as byte spans, sorted and not overlapping,
// each with its Type (one per Safe Harbor category that occurs in free text). Detection
// is by validated patterns (SSN area rules, the NANP phone plan, calendar dates, IPv4
// octets, the VIN check digit), by context cues ("MRN:", "Dr.", "lives in", "fax", a
// relative's role before a name, "calling about", a sign-off), and by consistency: a
// name found once by its cue is found everywhere in the text, with the capitalized
// word beside it ("Tavia" of "Tavia Quenby" once "Mrs. Quenby" was seen). Names come
// in the shapes notes write them: "Last, First", capitals, initials, O'Brien,
// McDonald, van der Berg. Eponyms (Parkinson, Hodgkin, Murphy...) are names except
// where a clinical word follows them ("Murphy sign", "Parkinson disease") or they take
// the possessive; names that are English words too (Hope, Will, Grace) are not found
// again where they start a sentence. Numbers that are doses, lab values, scores,
// blood pressures or years are never identifiers. FindWith adds identifiers the caller
// knows of (the MRN and the signer's name from the record): Safe Harbor asks that
// nothing the covered entity knows to identify the patient remain.
//
// Surrogates replace each identifier with a made-up one of its kind, drawn by
// HMAC-SHA-256 under a secret key so that a value always gets the same surrogate
// and a surrogate says nothing of its value; dates move by one per-patient offset of
// whole weeks (DateShift), so intervals and weekdays stay true; a date whose year
// puts its patient over 89 is removed; ages over 89 become "90+"; ZIP codes keep
// three digits, or none where those cover fewer than 20,000 people. Moved dates and
// keyed pseudonyms go beyond Safe Harbor's letter (which keeps only the year, and
// codes not derived from the patient's data): an Expert Determination matter.
//
// Guarantees: Find never panics, and runs in time linear in the input (Go's regular
// expressions are automata without backtracking); it reads nothing but its argument.
//
// Measured, not claimed: packages phi/synth (a generator of annotated synthetic notes)
// and phi/score (i2b2-style precision, recall and F2, per type, token and entity
// level) measure it; README "De-identification" has the figures, and says what they
// are worth — the corpus is synthetic, written by the same team.
//
// What it does not do: find names that have no cue, no repetition and no record
// behind them (no census name dictionary is shipped yet), initials, or cities without
// a cue; on note styles it was not tuned on it finds about 83% of the identifiers.
// A text that passed through it is less identifying, not proven de-identified: Safe
// Harbor also requires that the covered entity has no actual knowledge that what
// remains could identify the patient.
package phi
