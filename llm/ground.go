package llm

import (
	"regexp"
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
	doseRe = regexp.MustCompile(`(?i)\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|kg|ml|mL|cc|l|L|units?|iu|IU|meq|mmol(?:/l)?|mmhg|mm\s*hg|bpm|%|°c|°f|cm|mm|mg/dl|mg/kg|mcg/kg|tabs?|tablets?|capsules?|puffs?|drops?|hours?|hrs?|h|days?|weeks?|months?|years?|yrs?|times|x)\b`)
	numRe  = regexp.MustCompile(`\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:[.,]\d+)?\b`)
)

// Ground returns the spans of draft — numbers, doses and measurements, dates, and drug
// names — that do not occur in source. Comparison ignores case and white space inside a
// span ("500mg" in the source grounds "500 mg" in the draft), and a number is grounded
// by the same number anywhere in the source.
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
	src := numericWindows(strings.ToLower(spokenToWritten(source)))
	for _, m := range srcDoseRe.FindAllString(src, -1) {
		srcDoses[canonDose(m)] = true
	}
	for _, m := range srcDateRe.FindAllString(src, -1) {
		for _, d := range canonDates(m) {
			srcDates[d] = true
		}
	}
	for _, m := range numRe.FindAllString(src, -1) {
		srcNumbers[canonNumber(m)] = true
	}
	srcWords := wordSet(source)
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
	for _, m := range doseRe.FindAllStringIndex(draft, -1) {
		if taken[m[0]] {
			continue
		}
		if !srcDoses[canonDose(draft[m[0]:m[1]])] {
			add(m[0], m[1], Dose)
		} else {
			mark(taken, m)
		}
	}
	for _, m := range numRe.FindAllStringIndex(draft, -1) {
		if taken[m[0]] {
			continue
		}
		if !srcNumbers[canonNumber(draft[m[0]:m[1]])] {
			add(m[0], m[1], Number)
		}
	}
	for _, m := range wordRe.FindAllStringIndex(draft, -1) {
		// "amoxicillin-clavulanate": each part is judged.
		start := m[0]
		for _, part := range strings.Split(draft[m[0]:m[1]], "-") {
			w := strings.ToLower(part)
			if drugs[w] && !srcWords[w] {
				add(start, start+len(part), Drug)
			}
			start += len(part) + 1
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// The source's patterns run on lower-cased text: without (?i), Go's matcher is
// several times faster.
var (
	srcDoseRe = regexp.MustCompile(strings.TrimPrefix(doseRe.String(), "(?i)"))
	srcDateRe = regexp.MustCompile(strings.TrimPrefix(dateRe.String(), "(?i)"))
)

// numericWindows keeps, of s, each word with a digit and the word before it and the
// two after it (a month before a day, a unit after a number, "mm hg"), one window a
// line: what the source's patterns can match, without the prose between.
func numericWindows(s string) string {
	words := strings.Fields(s)
	keep := make([]bool, len(words))
	for i, w := range words {
		if strings.ContainsAny(w, "0123456789") {
			for k := max(0, i-1); k <= min(len(words)-1, i+2); k++ {
				keep[k] = true
			}
		}
	}
	var b strings.Builder
	for i, w := range words {
		if !keep[i] {
			continue
		}
		if i > 0 && keep[i-1] {
			b.WriteByte(' ')
		} else if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(w)
	}
	return b.String()
}

var unitRe = regexp.MustCompile(`(?i)[a-zµ%°/]+$`)

// canonDose is a dose as (number, unit): "500mg", "500 MG" and "500 mg" are one dose,
// and so are "100 mcg" and "100 µg", "5 cc" and "5 mL". A different unit is a
// different dose: 500 mg is not 500 g.
func canonDose(s string) string {
	s = strings.TrimSpace(s)
	unit := strings.ToLower(strings.ReplaceAll(unitRe.FindString(s), " ", ""))
	if u, ok := unitSynonyms[unit]; ok {
		unit = u
	}
	num := strings.TrimSpace(strings.TrimSuffix(s, unitRe.FindString(s)))
	return canonNumber(num) + " " + unit
}

// unitSynonyms are the spellings of one unit, lower-cased, to one of them.
var unitSynonyms = map[string]string{
	"µg": "mcg", "ug": "mcg", "cc": "ml", "unit": "units", "iu": "units",
	"tab": "tablets", "tabs": "tablets", "tablet": "tablets", "capsule": "capsules",
	"puff": "puffs", "drop": "drops", "hour": "h", "hours": "h", "hr": "h", "hrs": "h",
	"day": "days", "week": "weeks", "month": "months", "year": "years", "yr": "years", "yrs": "years",
	"mmhg": "mmhg", "mm hg": "mmhg",
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
