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
	dateRe = regexp.MustCompile(`(?i)\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})\b`)
	// A dose or measurement: a number followed by a unit.
	doseRe = regexp.MustCompile(`(?i)\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|kg|ml|mL|l|L|units?|iu|IU|meq|mmol(?:/l)?|mmhg|mm\s*hg|bpm|%|°c|°f|cm|mm|mg/dl|mg/kg|mcg/kg|tabs?|tablets?|capsules?|puffs?|drops?|hours?|hrs?|h|days?|weeks?|months?|years?|yrs?|times|x)\b`)
	numRe  = regexp.MustCompile(`\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:[.,]\d+)?\b`)
)

// Ground returns the spans of draft — numbers, doses and measurements, dates, and drug
// names — that do not occur in source. Comparison ignores case and white space inside a
// span ("500mg" in the source grounds "500 mg" in the draft), and a number is grounded
// by the same number anywhere in the source.
func Ground(source, draft string) []Span {
	// What the source says, in canonical form: doses as (number, unit), dates as
	// written without spaces, numbers, words.
	srcDoses := map[string]bool{}
	for _, m := range doseRe.FindAllString(source, -1) {
		srcDoses[canonDose(m)] = true
	}
	srcDates := map[string]bool{}
	for _, m := range dateRe.FindAllString(source, -1) {
		srcDates[normalize(m)] = true
	}
	srcNumbers := map[string]bool{}
	for _, m := range numRe.FindAllString(source, -1) {
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
		if !srcDates[normalize(draft[m[0]:m[1]])] {
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

var unitRe = regexp.MustCompile(`(?i)[a-zµ%°/]+$`)

// canonDose is a dose as (number, unit): "500mg", "500 MG" and "500 mg" are one dose.
func canonDose(s string) string {
	s = strings.TrimSpace(s)
	unit := strings.ToLower(strings.ReplaceAll(unitRe.FindString(s), " ", ""))
	num := strings.TrimSpace(strings.TrimSuffix(s, unitRe.FindString(s)))
	return canonNumber(num) + " " + unit
}

func mark(taken []bool, m []int) {
	for i := m[0]; i < m[1]; i++ {
		taken[i] = true
	}
}

var wordRe = regexp.MustCompile(`[\p{L}][\p{L}\-]*`)

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range wordRe.FindAllString(s, -1) {
		out[strings.ToLower(w)] = true
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
