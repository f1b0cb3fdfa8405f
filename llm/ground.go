package llm

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// SpanKind says what a span is.
type SpanKind string

const (
	Number SpanKind = "number" // a bare number
	Dose   SpanKind = "dose"   // a number with a unit: 500 mg, 2.5 mL, 40 mmol/L
	Date   SpanKind = "date"   // 2026-03-01, 01/03/2026, 3 March 2026
	Drug   SpanKind = "drug"   // a drug name from the lexicon
	Vital  SpanKind = "vital"  // a vital sign's value: BP 142/90, HR 76
	// Frequency: how often, BID, q6h, every 8 hours, at bedtime, PRN.
	Frequency SpanKind = "frequency"
	// NotInSource: a fact that usually comes from the record, not the dictation (an
	// age, a weight): shown apart, in a quieter category.
	NotInSource SpanKind = "not in source"
)

// Span is a stretch of the draft [Start, End) in bytes.
type Span struct {
	Start, End int
	Kind       SpanKind
	Text       string
}

var (
	dateRe = regexp.MustCompile(`(?i)\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}/\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})\b`)
	// A dose or measurement: a number followed by a unit.
	doseRe = regexp.MustCompile(`(?i)(?:\b|\bx)\d+(?:[.,]\d+)?\s*(?:milligrams?|micrograms?|grams?|kilograms?|kilos?|milliliters?|millilitres?|liters?|litres?|mgs|mg|mcg|µg|ug|g|kg|lbs?|ml|cc|l|units?|iu|meq|mmol|mmhg|mm\s*hg|bpm|%|°c|°f|cm|mm|tabs?|tablets?|capsules?|puffs?|drops?|hours?|hrs?|h|days?|weeks?|months?|years?|yrs?|times|x)(?:/(?:kg|dl|l|ml|h|hr|day|d|min|dose|m2))*\b`)
	// digitsRe is any run of digits, glued to letters or not ("x7", "6th", "140s").
	digitsRe = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
	numRe    = regexp.MustCompile(`\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:[.,]\d+)?\b`)
)

// Ground returns the spans of draft — numbers, doses and measurements, vital signs,
// intervals, frequencies, dates, and drug names — that its source does not say. The source is read
// as written and as its spoken forms are written ("twenty milligrams" is "20 mg");
// case and spacing do not matter ("500mg" grounds "500 mg"), units do (500 mg is not
// 500 g), and dates are compared as dates. Facts are grounded in their context
// (context.go): a drug's dose by the same dose said for that drug, by its brand or its
// generic name, where the source gives it one; a vital sign by the same value for the
// same sign; an interval by the same interval of the same kind (ago, in, every), of
// the same thing where the source says what ("cough for 3 days"); a
// frequency ("BID", "every 8 hours") by the same schedule for the same drug; a drug by
// any of its names. A bare number is grounded by the same number anywhere.
// List numbers and spinal levels are not facts; an age, a weight, a height or a BMI
// the source does not say is returned as NotInSource, apart from the rest.
func Ground(source, draft string) []Span {
	// What the source says, in canonical form: doses as (number, unit), dates as
	// written without spaces, numbers, words — read from the source as written and as
	// its spoken forms are written ("twenty milligrams" is "20 mg").
	srcDoses := map[string]bool{}
	srcDates := map[string]bool{}
	srcNumbers := map[string]bool{}
	// The written form keeps every word that is not a spoken number or unit as it
	// was, so it alone is read, and only around its numbers: every form read has a
	// digit, and a long dictation is mostly words.
	written := strings.ToLower(spokenToWritten(source))
	words := strings.Fields(written)
	wordDoses := make([]string, len(words)) // each word's dose, "" for none: read once
	for i, w := range words {
		if d, ok := doseAt(words, i); ok {
			srcDoses[d] = true
			wordDoses[i] = d
		}
		for _, d := range rangeAt(words, i) {
			srcDoses[d] = true
		}
		// Every number in the word: "142/90", "3/1/2026", "10,000".
		for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '/' || r == '-' }) {
			// What leads a number in typed text ("x5", ">92%", "bp:140/90") is not
			// part of it.
			if n := leadingNumber(strings.TrimLeftFunc(part, func(r rune) bool { return r < '0' || r > '9' })); n != "" {
				srcNumbers[n] = true
			}
		}
	}
	sourceDates(words, srcDates)
	srcWords := wordSet(source)
	srcVitals := sourceVitals(words)
	var out []Span
	taken := make([]bool, len(draft)+1)
	add := func(start, end int, kind SpanKind) {
		for i := start; i < end; i++ {
			if taken[i] {
				return
			}
		}
		for i := start; i < end; i++ {
			taken[i] = true
		}
		out = append(out, Span{Start: start, End: end, Kind: kind, Text: draft[start:end]})
	}
	// Longest forms first, so "500 mg" is judged as a dose, not as a number. Each is
	// compared whole: "5 mg" is not grounded by "25 mg", nor 3/1/2026 by 13/1/2026.
	for _, m := range dateRe.FindAllStringIndex(draft, -1) {
		if !anyIn(srcDates, canonDates(draft[m[0]:m[1]])) {
			add(m[0], m[1], Date)
		} else {
			mark(taken, m)
		}
	}
	// A list or section number is not a fact; a spinal level is one when the source
	// names levels ("l four l five" grounds "L4-5", not "L3-4").
	srcLevels := sourceLevels(words)
	for _, m := range structureRe.FindAllStringIndex(draft, -1) {
		if lv := spinalLevels(strings.ToLower(draft[m[0]:m[1]])); len(lv) > 0 && len(srcLevels) > 0 && !allIn(lv, srcLevels) {
			add(m[0], m[1], Number)
			continue
		}
		mark(taken, m)
	}
	// A vital sign: the same value for the same sign, where the source gives that
	// sign a value; else the same number anywhere, as for any number.
	for _, m := range draftVitalRe.FindAllStringSubmatchIndex(draft, -1) {
		if taken[m[4]] {
			continue
		}
		sign := signOf(draft[m[2]:m[3]])
		end := m[5]
		if m[9] > 0 {
			end = m[9]
		} else if m[7] > 0 {
			end = m[7]
		}
		first := canonNumber(draft[m[4]:m[5]])
		ok := srcVitals[sign][first]
		if m[6] >= 0 {
			second := canonNumber(draft[m[6]:m[7]])
			// The same pair; where the source gives no pair for the sign, both numbers
			// said for it (one reading's two halves are not another's).
			ok = srcVitals[sign][first+"/"+second] || !hasPair(srcVitals[sign]) && ok && srcVitals[sign][second]
			if len(srcVitals[sign]) == 0 {
				ok = srcNumbers[first] && srcNumbers[second]
			}
		} else if len(srcVitals[sign]) == 0 {
			ok = srcNumbers[first]
		}
		if ok {
			mark(taken, []int{m[4], end})
		} else {
			add(m[4], end, Vital)
		}
	}
	// An age, a weight, a height: from the record, unless the source says them.
	for _, m := range recordRe.FindAllStringSubmatchIndex(draft, -1) {
		var v []int
		for g := len(m)/2 - 1; g >= 1; g-- {
			if m[2*g] >= 0 {
				v = m[2*g : 2*g+2]
				break
			}
		}
		if v == nil || taken[v[0]] {
			continue
		}
		text := draft[v[0]:v[1]]
		// With its unit ("80 kg"), only the same measure grounds it, not an 80
		// said of something else.
		grounded := srcDoses[canonDose(text)]
		if numRe.FindString(text) == strings.TrimSpace(text) {
			grounded = srcNumbers[canonNumber(text)]
		}
		if grounded {
			mark(taken, v)
		} else {
			add(v[0], v[1], NotInSource)
		}
	}
	// How often: the same schedule said for the same drug, where the source gives
	// that drug one; else the same schedule anywhere (frequency.go).
	mentions := drugMentions(draft)
	srcFreqs, srcDrugFreqs, freeFreqs := sourceFrequencies(words)
	for _, f := range draftFrequencies(draft) {
		if taken[f.start] {
			continue
		}
		ok := frequencyGrounded(f.canon, srcFreqs)
		if gs := drugBefore(draft, mentions, f.start, f.end); gs != nil {
			said, same := false, false
			for _, g := range gs {
				if len(srcDrugFreqs[g]) > 0 {
					said = true
					same = same || frequencyGrounded(f.canon, srcDrugFreqs[g])
				}
			}
			if said {
				ok = same
			} else {
				// The source gives this drug none: one said of no drug, not another's.
				ok = frequencyGrounded(f.canon, freeFreqs)
			}
		}
		if ok {
			mark(taken, []int{f.start, f.end})
		} else {
			add(f.start, f.end, Frequency)
		}
	}
	// A dose of a drug: the same amount and unit said for the same drug, where the
	// source gives that drug a dose; else the same dose anywhere.
	srcDrugDoses, freeDoses := drugDoses(words, wordDoses)
	srcIntervals := sourceIntervals(words, wordDoses)
	for _, q := range draftQuantities(draft) {
		m, dose := q.span, q.dose
		if taken[m[0]] || taken[m[0]+1] {
			continue
		}
		ok := srcDoses[dose]
		if timeUnits[doseUnit(dose)] {
			// An interval: the same one for the same thing, where the source says
			// one for it.
			kind, things := draftInterval(draft, m[0])
			if said, same := srcIntervals.ofTheSameThing(kind, dose, things); said {
				ok = same // "cough for 3 days" does not ground "cough x5 days"
			} else if said := srcIntervals.byKind[kind]; len(said) > 0 || kind == "next" {
				// A follow-up the source does not give is made up, even if the
				// interval is said of something else.
				ok = said[dose]
			}
		} else if gs := drugBefore(draft, mentions, m[0], m[1]); gs != nil && isDrugDose(dose) {
			said := false
			for _, g := range gs {
				said = said || len(srcDrugDoses[g]) > 0
			}
			switch {
			case said:
				// The source gives this drug doses: one of them.
				ok = slices.ContainsFunc(gs, func(g string) bool { return srcDrugDoses[g][dose] })
			case ok && !freeDoses[dose]:
				// The source gives it none, and says this dose only of other drugs.
				ok = false
			}
		}
		if !ok {
			add(m[0], m[1], Dose)
		} else {
			mark(taken, m)
		}
	}
	for _, m := range numRe.FindAllStringIndex(draft, -1) {
		m = withLeadingDot(draft, m)
		if taken[m[0]] || taken[m[0]+1] {
			continue
		}
		if !srcNumbers[canonNumber(draft[m[0]:m[1]])] {
			add(m[0], m[1], Number)
		} else {
			mark(taken, m)
		}
	}
	// Digits glued to letters are numbers too ("x7 days", "March 6th", "in the
	// 140s", "5000mgs"), except in a name ("SpO2", "B12", "A1c", "FEV1"): after a
	// letter other than x.
	for _, m := range digitsRe.FindAllStringIndex(draft, -1) {
		if taken[m[0]] || m[0] > 0 && isLetter(draft[m[0]-1]) && draft[m[0]-1] != 'x' && draft[m[0]-1] != 'X' {
			continue
		}
		if !srcNumbers[canonNumber(draft[m[0]:m[1]])] {
			add(m[0], m[1], Number)
		}
	}
	// A drug: grounded when the source names it by any of its names, brand or
	// generic ("Coumadin" grounds "warfarin"); a combination when the source names
	// each of its ingredients ("Tylenol" does not ground "Percocet").
	// A drug the source names only as an allergy or as stopped ("allergic to
	// penicillin", "she stopped the lisinopril") grounds it only where the draft
	// says so too, not "continue lisinopril".
	srcDrugs := map[string]bool{}
	for w := range srcWords {
		for _, part := range strings.Split(w, "-") {
			for _, g := range drugs[part] {
				srcDrugs[g] = true
			}
		}
	}
	srcTaken := sourceDrugsTaken(words)
	for _, m := range wordRe.FindAllStringIndex(draft, -1) {
		// "amoxicillin-clavulanate": each part is judged.
		start := m[0]
		for _, part := range strings.Split(draft[m[0]:m[1]], "-") {
			gs := drugs[strings.ToLower(part)]
			switch {
			case len(gs) == 0:
			case !everyIn(gs, srcDrugs):
				add(start, start+len(part), Drug)
			case !everyIn(gs, srcTaken) && !draftNegated(draft, m[0], m[1]):
				add(start, start+len(part), Drug)
			}
			start += len(part) + 1
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// quantity is an amount with its unit in a draft: its span, and canonical form.
type quantity struct {
	span []int
	dose string
}

// draftQuantities are the amounts with their units in a draft, in order: written in
// digits ("500 mg", ".5 mg", "7 days"), or in words ("seven days", "five hundred
// milligrams"), as a model may write them.
func draftQuantities(draft string) []quantity {
	var out []quantity
	for _, m := range doseRe.FindAllStringIndex(draft, -1) {
		if draft[m[0]] == 'x' || draft[m[0]] == 'X' {
			m[0]++ // "x5 days"
		}
		m = withLeadingDot(draft, m)
		out = append(out, quantity{m, canonDose(draft[m[0]:m[1]])})
	}
	words := splitSpoken(draft)
	at := 0
	offsets := make([]int, len(words)) // each word's start in draft
	for i, w := range words {
		offsets[i] = at
		at += len(w.text) + len(w.after)
	}
	spoken := len(out)
	for i := 0; i < len(words); i++ {
		if w := strings.ToLower(words[i].text); ones[w] == 0 && tens[w] == 0 && w != "a" && w != "point" {
			continue // not a number word (nor "a hundred", "point five")
		}
		n, used, ok := spokenNumber(words[i:])
		if !ok || i+used >= len(words) || !open(words[i+used-1]) {
			continue
		}
		unit := strings.ToLower(words[i+used].text)
		if u, k, ok := spokenUnit(words[i+used:]); ok {
			unit, used = u, used+k
		} else {
			used++
		}
		if unit = canonUnit(unit); !knownUnit(unit) || unit == "x" || unit == "times" {
			continue
		}
		end := offsets[i+used-1] + len(words[i+used-1].text)
		out = append(out, quantity{[]int{offsets[i], end}, n + " " + unit})
		i += used - 1
	}
	if len(out) > spoken && spoken > 0 {
		sort.Slice(out, func(a, b int) bool { return out[a].span[0] < out[b].span[0] })
	}
	return out
}

// hasPair says whether a sign's values hold a blood pressure's pair.
func hasPair(values map[string]bool) bool {
	for v := range values {
		if strings.Contains(v, "/") {
			return true
		}
	}
	return false
}

// withLeadingDot widens m, a number in draft, to a dot before it that no digit
// precedes: ".5 mg" is 0.5 mg (a form that invites a tenfold error), not 5 mg.
func withLeadingDot(draft string, m []int) []int {
	if m[0] >= 1 && draft[m[0]-1] == '.' && (m[0] == 1 || !isDigit(draft[m[0]-2])) {
		return []int{m[0] - 1, m[1]}
	}
	return m
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var unitRe = regexp.MustCompile(`(?i)[a-zµ%°/]+$`)

// canonDose is a dose as (number, unit): "500mg", "500 MG" and "500 mg" are one dose,
// and so are "100 mcg" and "100 µg", "5 cc" and "5 mL". A different unit is a
// different dose: 500 mg is not 500 g.
func canonDose(s string) string {
	s = strings.TrimSpace(s)
	unit := canonUnit(unitRe.FindString(s))
	num := strings.TrimSpace(strings.TrimSuffix(s, unitRe.FindString(s)))
	return canonNumber(num) + " " + unit
}

// unitSynonyms are the spellings of one unit, lower-cased, to one of them.
var unitSynonyms = map[string]string{
	"µg": "mcg", "ug": "mcg", "cc": "ml", "unit": "units", "iu": "units",
	"tab": "tablets", "tabs": "tablets", "tablet": "tablets", "capsule": "capsules",
	"puff": "puffs", "drop": "drops", "hour": "h", "hours": "h", "hr": "h", "hrs": "h",
	"day": "days", "week": "weeks", "month": "months", "year": "years", "yr": "years", "yrs": "years",
	"mmhg": "mmhg", "mm hg": "mmhg", "lbs": "lb", "kgs": "kg", "mgs": "mg",
	"milligram": "mg", "milligrams": "mg", "microgram": "mcg", "micrograms": "mcg", "gram": "g", "grams": "g",
	"kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg", "milliliter": "ml", "milliliters": "ml",
	"millilitre": "ml", "millilitres": "ml", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
}

func mark(taken []bool, m []int) {
	for i := m[0]; i < m[1]; i++ {
		taken[i] = true
	}
}

var wordRe = regexp.MustCompile(`[\p{L}][\p{L}\-]*`)

// wordSet is the set of wordRe's matches in s, lower-cased, found without the
// regular expression (a long source is mostly words).
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	start := -1
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			if start < 0 {
				start = i
			}
		case r == '-' && start >= 0:
		default:
			if start >= 0 {
				out[strings.ToLower(s[start:i])] = true
				start = -1
			}
		}
	}
	if start >= 0 {
		out[strings.ToLower(s[start:])] = true
	}
	return out
}

// normalize lower-cases and drops white space, so that spacing differences between
// source and draft do not matter.
func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

var thousands = regexp.MustCompile(`^\d{1,3}(,\d{3})+$`)

// canonNumber makes "2,5" and "2.5", "07" and "7", "10,000" and "10000" the same number.
func canonNumber(s string) string {
	s = strings.TrimSpace(s)
	if thousands.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	s = strings.ReplaceAll(s, ",", ".")
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	t := strings.TrimLeft(s, "0")
	if t == "" || t[0] == '.' {
		t = "0" + t
	}
	return t
}
