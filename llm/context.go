package llm

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Facts in their context. A vital sign is grounded by the same value said for the
// same sign ("heart rate seventy six" grounds "HR 76 bpm", not "RR 76"); what is
// structure (list numbers, spinal levels) is not a fact; and an age, a weight, a
// height or a BMI the dictation does not say usually comes from the record: it is
// shown apart (NotInSource), not as a suspected fabrication.

// vitalLabels are the words that name a vital sign, lower-cased, with the sign.
var vitalLabels = map[string]string{
	"bp": "bp", "blood pressure": "bp", "pressure": "bp",
	"hr": "hr", "heart rate": "hr", "pulse": "hr", "heart": "hr",
	"rr": "rr", "respiratory rate": "rr", "resp rate": "rr", "respirations": "rr", "resp": "rr", "respiratory": "rr",
	"t": "temp", "temp": "temp", "temperature": "temp", "tmax": "temp",
	"spo2": "spo2", "sp02": "spo2", "sao2": "spo2", "o2 sat": "spo2", "sats": "spo2", "sat": "spo2",
	"saturation": "spo2", "oxygen saturation": "spo2", "saturating": "spo2", "pulse ox": "spo2",
}

// labelStarts are the first words of the labels of two words or more.
var labelStarts = func() map[string]bool {
	m := map[string]bool{}
	for l := range vitalLabels {
		if first, _, ok := strings.Cut(l, " "); ok {
			m[first] = true
		}
	}
	return m
}()

// unitSigns are units that say which sign a bare number is.
var unitSigns = map[string]string{"bpm": "hr", "mmhg": "bp", "/min": "rr", "°f": "temp", "°c": "temp"}

// draftVitalRe is a vital sign in a draft: its label, then its value (a blood
// pressure's two), then its unit.
var draftVitalRe = regexp.MustCompile(`(?i)\b(bp|blood pressure|hr|heart rate|pulse|rr|resp(?:iratory)? rate|respirations|t|temp|temperature|tmax|spo2|sp02|sao2|o2 sat|sats?|oxygen saturation|saturation)\b[\s:=]*(?:(?:of|is|was|at|now|remains|remained|elevated|high|low|up|down|to|around|about)\s+){0,3}(\d{1,3}(?:\.\d+)?)(?:\s*/\s*(\d{2,3}))?(\s*(?:mm\s*hg|bpm|%|°\s?[fc]\b|[fc]\b|/min|breaths/min))?`)

// vitals are the values the source gives each sign, canonical ("142/90" for a
// blood pressure, and its two numbers).
type vitals map[string]map[string]bool

func (v vitals) add(sign, value string) {
	if v[sign] == nil {
		v[sign] = map[string]bool{}
	}
	v[sign][value] = true
}

// sourceVitals reads the vital signs of a written, lower-cased source: each label,
// and the numbers within the five words after it, up to the next label; and each
// number whose unit says its sign.
func sourceVitals(words []string) vitals {
	out := vitals{}
	for i, w := range words {
		w = trimPunct(w)
		sign := vitalLabels[w]
		if i+1 < len(words) && labelStarts[w] {
			if s, ok := vitalLabels[w+" "+trimPunct(words[i+1])]; ok {
				sign = s
			}
		}
		if u, ok := unitSigns[w]; ok && i > 0 {
			if n := leadingNumber(words[i-1]); n != "" {
				out.add(u, n)
			}
		}
		if sign == "" {
			continue
		}
		// Every reading in the five words after the label, up to the next label
		// ("BP 150/95, repeat 138/88").
		for k := i + 1; k < len(words) && k <= i+5; k++ {
			if k > i+1 && vitalLabels[trimPunct(words[k])] != "" {
				break
			}
			n := leadingNumber(words[k])
			if n == "" {
				continue
			}
			out.add(sign, n)
			// "142/90", or "142 mmhg" then "90" (a spoken pressure, rewritten).
			if sign == "bp" {
				second := ""
				if _, b, ok := strings.Cut(trimPunct(words[k]), "/"); ok {
					second = leadingNumber(b)
				} else if k+2 < len(words) && words[k+1] == "over" {
					second = leadingNumber(words[k+2]) // "142 over 90"
				}
				if second != "" {
					out.add("bp", n+"/"+second)
					out.add("bp", second)
				}
			}
		}
	}
	return out
}

// leadingNumber is the number w starts with ("500", "2.5", "2,5", "10,000"),
// canonical, or "".
func leadingNumber(w string) string {
	end := 0
	for end < len(w) && (w[end] >= '0' && w[end] <= '9' || (w[end] == '.' || w[end] == ',') && end > 0) {
		end++
	}
	num := strings.TrimRight(w[:end], ".,")
	if num == "" {
		return ""
	}
	return canonNumber(num)
}

// signOf is the sign a draft's label names.
func signOf(label string) string {
	return vitalLabels[strings.Join(strings.Fields(strings.ToLower(label)), " ")]
}

// structureRe is what is structure in a note, not a fact: a list or section number
// at the start of a line ("1.", "2)", "3.2"), a spinal level ("L4-5", "C5-C6", "T12").
var structureRe = regexp.MustCompile(`(?m)^[ \t]*(?:[-*•][ \t]*)?\d{1,2}(?:\.\d{1,2})*[.)](?:[ \t]|$)|\b[CTLS]\d{1,2}(?:[ \t]*[-–/][ \t]*[CTLS]?\d{1,2})?\b`)

// recordRe are facts that usually come from the record: an age, a weight, a height,
// a BMI. The value is the last group that matched.
var recordRe = regexp.MustCompile(`(?i)\b(\d{1,3})(?:[ \t]*|-)(?:years?|yrs?)(?:[ \t]*|-)old\b|\b(\d{1,3})[ \t]*(?:yo|y/o|y\.o\.)(?:\b|[ \t])|\bage[d:]?[ \t]+(\d{1,3})\b|\b(?:weight|wt|weighs|weighing)\b[ \t:]*(?:(?:of|is)[ \t]+)?(\d{1,3}(?:\.\d+)?(?:[ \t]*(?:kg|kgs|lbs?|pounds|kilograms)\b)?)|\b(?:height|ht)\b[ \t:]*(\d{1,3}(?:\.\d+)?(?:[ \t]*(?:cm|m|in|inches)\b)?)|\bbmi\b[ \t:]*(?:(?:of|is)[ \t]+)?(\d{1,2}(?:\.\d+)?)`)

// drugUnits are the units of a drug's dose (not of a time or a vital sign).
var drugUnits = map[string]bool{"mg": true, "mcg": true, "g": true, "ml": true, "l": true, "units": true,
	"meq": true, "tablets": true, "capsules": true, "puffs": true, "drops": true, "mmol": true}

// doseUnit is the unit of a canonical dose.
func doseUnit(dose string) string {
	_, u, _ := strings.Cut(dose, " ")
	return u
}

// isDrugDose says whether a canonical dose is a drug's: its unit's base is one of
// drugUnits ("mg", "mg/kg/day"), not a time's or a vital sign's.
func isDrugDose(dose string) bool {
	base, per, _ := strings.Cut(doseUnit(dose), "/")
	// Per decilitre or litre is a concentration in blood: a laboratory value
	// (creatinine 1.8 mg/dL, potassium 3.1 mEq/L), not a dose.
	if p, _, _ := strings.Cut(per, "/"); p == "dl" || p == "l" {
		return false
	}
	return drugUnits[base]
}

// drugWindow is how many words after a drug's name its dose may come ("metformin five
// hundred milligrams twice a day", "increase the lisinopril to forty milligrams").
const drugWindow = 12

// drugDoses reads, in a written, lower-cased source, the doses said for each drug: by
// generic, the canonical doses said after its name and before the next drug's, or
// before its name ("20 mg of lisinopril", "81 mg aspirin"). free are the doses said
// of no drug. wordDoses are its words' doses (doseAt, "" for none).
func drugDoses(words, wordDoses []string) (byDrug map[string]map[string]bool, free map[string]bool) {
	byDrug, free = map[string]map[string]bool{}, map[string]bool{}
	var current []string
	left := 0
	for i, w := range words {
		w = trimPunct(w)
		if gs := drugsOf(w); gs != nil {
			current, left = gs, drugWindow
			continue
		}
		inWindow := left > 0
		if inWindow {
			left--
		}
		said := rangeAt(words, i)
		if wordDoses[i] != "" {
			said = append(said, wordDoses[i])
		}
		if len(said) == 0 || !isDrugDose(said[0]) {
			continue
		}
		owner := current
		if of := doseOf(words, i); of != nil {
			owner = of
		} else if !inWindow {
			owner = nil
		}
		for _, dose := range said {
			if owner == nil {
				free[dose] = true
			}
			for _, g := range owner {
				if byDrug[g] == nil {
					byDrug[g] = map[string]bool{}
				}
				byDrug[g][dose] = true
			}
		}
	}
	return byDrug, free
}

// doseOf is the drug named just after the dose at words[i]: by "of" ("20 mg of
// lisinopril", "20mg of lisinopril"), or next ("81 mg aspirin") where no drug's name
// is just before it ("metformin 500 mg lisinopril 10 mg" gives 500 mg to
// metformin); or nil.
func doseOf(words []string, i int) []string {
	before := i > 0 && drugsOf(trimPunct(words[i-1])) != nil && !strings.ContainsAny(words[i-1], ".;")
	for k := i + 1; k <= i+2 && k < len(words); k++ {
		w := trimPunct(words[k])
		if w == "of" && k+1 < len(words) {
			return drugsOf(trimPunct(words[k+1]))
		}
		if gs := drugsOf(w); gs != nil && !before && !strings.ContainsAny(words[k-1], ",;.") {
			return gs
		}
	}
	return nil
}

// drugsOf is the generics a word names, by any part of it ("amoxicillin-clavulanate").
func drugsOf(w string) []string {
	if gs := drugs[w]; gs != nil {
		return gs
	}
	var out []string
	if strings.Contains(w, "-") {
		for _, p := range strings.Split(w, "-") {
			out = append(out, drugs[p]...)
		}
	}
	return out
}

// mention is a drug named in a draft, [start, end).
type mention struct {
	start, end int
	generics   []string
}

func drugMentions(draft string) []mention {
	var out []mention
	for _, m := range wordRe.FindAllStringIndex(draft, -1) {
		if gs := drugsOf(strings.ToLower(draft[m[0]:m[1]])); gs != nil {
			out = append(out, mention{m[0], m[1], gs})
		}
	}
	return out
}

// drugBefore is the drug a dose at [pos, end) belongs to: one named right after it
// ("81 mg aspirin") where none is right before it, else the last one named before
// it on its line, at most 60 bytes before. Mentions are in order: found by binary
// search, so that a long draft costs no more per dose.
func drugBefore(draft string, mentions []mention, pos, end int) []string {
	k := sort.Search(len(mentions), func(i int) bool { return mentions[i].end > pos }) // the first not before pos
	justBefore := k > 0 && pos-mentions[k-1].end <= 2
	if !justBefore && k < len(mentions) && mentions[k].start >= end && mentions[k].start-end <= 4 &&
		!strings.ContainsAny(draft[end:mentions[k].start], ",;.\n") {
		return mentions[k].generics
	}
	if k == 0 {
		return nil
	}
	m := mentions[k-1]
	if pos-m.end <= 60 && !strings.Contains(draft[m.end:pos], "\n") {
		return m.generics
	}
	return nil
}

// timeUnits are the units of an interval.
var timeUnits = map[string]bool{"h": true, "days": true, "weeks": true, "months": true, "years": true}

// intervalCues say what an interval is of, from the words before it (the nearest
// wins): when to come back ("in 2 weeks", "follow-up 3 months"), how often ("every 6
// hours"), or how long ago or for how long ("in the past 3 days", "for 2 weeks"),
// which is also what an interval with no cue is.
var intervalCues = map[string]string{
	"in": "next", "follow": "next", "follow-up": "next", "followup": "next", "return": "next", "recheck": "next",
	"review": "next", "revisit": "next", "f/u": "next", "rtc": "next",
	"every": "rate", "per": "rate", "each": "rate", "q": "rate",
	"past": "past", "last": "past", "for": "past", "since": "past", "over": "past", "x": "past",
}

// intervalKind is what an interval is of, from up to three words before it in its
// sentence.
func intervalKind(before []string) string {
	for k := len(before) - 1; k >= 0 && k >= len(before)-3; k-- {
		// "Follow-up: 2 weeks": the cue may end with the colon that leads to it.
		if c, ok := intervalCues[trimCue(strings.TrimRight(before[k], ":"))]; ok {
			return c
		}
		if strings.ContainsAny(before[k][len(before[k])-1:], ".;:") {
			break // the sentence before
		}
	}
	return "past"
}

// intervals are the intervals a source says: by kind, the canonical intervals; and
// each said with the words it is said of ("cough for 3 days": "cough"), so that a
// draft's interval of the same thing is grounded by that thing's.
type intervals struct {
	byKind map[string]map[string]bool
	said   []thingInterval
}

type thingInterval struct {
	kind, dose string
	things     []string
}

// sourceIntervals reads the intervals of a written, lower-cased source; doses are
// its words' doses (doseAt, "" for none).
func sourceIntervals(words, doses []string) intervals {
	out := intervals{byKind: map[string]map[string]bool{}}
	for i, d := range doses {
		said := rangeAt(words, i) // "2-3 days"
		if d != "" {
			said = append(said, d)
		}
		if len(said) == 0 || !timeUnits[doseUnit(said[0])] {
			continue
		}
		before := words[max(0, i-5):i]
		k := intervalKind(before)
		if out.byKind[k] == nil {
			out.byKind[k] = map[string]bool{}
		}
		things := thingsOf(before)
		for _, d := range said {
			out.byKind[k][d] = true
			if len(things) > 0 {
				out.said = append(out.said, thingInterval{k, d, things})
			}
		}
	}
	return out
}

// ofTheSameThing is what the source says of an interval of kind said of things:
// whether it says intervals of any of those things, and whether dose is one of them.
func (iv intervals) ofTheSameThing(kind, dose string, things []string) (said, same bool) {
	for _, t := range iv.said {
		if t.kind != kind || !slices.ContainsFunc(t.things, func(w string) bool { return slices.Contains(things, w) }) {
			continue
		}
		said = true
		same = same || t.dose == dose
	}
	return said, same
}

// thingsOf are the words an interval is said of: those of the five words before it,
// in its sentence, that are not cues, numbers or words of grammar.
func thingsOf(before []string) []string {
	var out []string
	for k := len(before) - 1; k >= 0; k-- {
		w := trimPunct(before[k])
		if k < len(before)-1 && strings.ContainsAny(before[k][len(before[k])-1:], ".;:!?") {
			break // the sentence before
		}
		if len(w) < 3 || notThings[w] || intervalCues[w] != "" || leadingNumber(w) != "" {
			continue
		}
		out = append(out, w)
	}
	return out
}

// notThings are words an interval is said with that do not say what it is of.
var notThings = set(`the and but with has had have having been being was were are for about around
	approximately nearly almost roughly some which that this these those she her his him they them says said
	reports reported states stated started starting began begun ongoing going lasted lasting now than more
	less intermittent constant on off up ago from until till after before since during`)

// draftInterval is what the interval at pos of draft is of: its kind, and the things
// it is said of, from the words before it on its line.
func draftInterval(draft string, pos int) (kind string, things []string) {
	line := draft[max(0, pos-80):pos] // five words back are in the last 80 bytes
	if k := strings.LastIndexByte(line, '\n'); k >= 0 {
		line = line[k+1:]
	}
	words := strings.Fields(strings.ToLower(line))
	if pos >= 80 && len(words) > 0 && draft[pos-80] != ' ' {
		words = words[1:] // cut by the window
	}
	return intervalKind(words), thingsOf(words[max(0, len(words)-5):])
}

// doseAt reads the dose at words[i] of a written, lower-cased source: a number with
// its unit attached ("500mg") or in the next word ("500 mg", "124 mmhg", "45 mg/kg",
// "45 mg per kg"), canonical as canonDose makes it.
func doseAt(words []string, i int) (string, bool) {
	w := trimInner(words[i])
	if len(w) > 1 && w[0] == 'x' && isDigit(w[1]) {
		w = w[1:] // "x5 days"
	}
	n := leadingNumber(w)
	if n == "" {
		return "", false
	}
	unit := strings.TrimRight(strings.TrimLeft(w, "0123456789.,"), ".")
	next := i + 1
	if unit == "" && i+1 < len(words) {
		unit = trimPunct(words[i+1])
		next = i + 2
		if unit == "mm" && i+2 < len(words) && strings.HasPrefix(words[i+2], "hg") {
			unit, next = "mmhg", i+3
		}
	}
	// "mg per kg per day" is "mg/kg/day".
	for next+1 < len(words) && words[next] == "per" && unitPer[trimPunct(words[next+1])] {
		unit += "/" + trimPunct(words[next+1])
		next += 2
	}
	unit = canonUnit(unit)
	if !knownUnit(unit) {
		return "", false
	}
	return n + " " + unit, true
}

// rangeAt reads a range said before its unit ("5-10 mg", "5 to 10 mg", "from 10 to
// 20 mg") at words[i]: both its ends, with the unit, for the range grounds both.
func rangeAt(words []string, i int) []string {
	w := trimInner(words[i])
	if a, b, ok := strings.Cut(w, "-"); ok && allDigits(a) && leadingNumber(b) != "" {
		rest := append([]string{b}, words[i+1:min(len(words), i+3)]...)
		if d, ok := doseAt(rest, 0); ok {
			return []string{leadingNumber(a) + " " + doseUnit(d), d}
		}
		return nil
	}
	if !allDigits(w) || i+2 >= len(words) ||
		(words[i+1] != "to" && words[i+1] != "-" && words[i+1] != "or") {
		return nil
	}
	if d, ok := doseAt(words, i+2); ok {
		return []string{leadingNumber(w) + " " + doseUnit(d)}
	}
	return nil
}

// doseUnits are the units doseRe reads, as canonDose writes them; unitPer what a unit
// may be per ("mg/kg/day").
var (
	doseUnits = func() map[string]bool {
		m := map[string]bool{}
		for _, u := range strings.Fields("mg mcg g kg lb ml l units meq mmol mmhg bpm % °c °f cm mm tablets capsules puffs drops h days weeks months years times x") {
			m[u] = true
		}
		return m
	}()
	unitPer = map[string]bool{"kg": true, "dl": true, "l": true, "ml": true, "h": true, "hr": true, "day": true,
		"d": true, "min": true, "dose": true, "m2": true, "minute": true, "hour": true}
	// perSynonyms are the spellings of what a unit is per, to one of them.
	perSynonyms = map[string]string{"minute": "min", "hour": "h", "hr": "h", "d": "day"}
)

// canonUnit is a unit, lower-cased, as canonDose writes it: each part by its
// synonyms ("milligrams" is "mg", "mcg/kg" stays).
func canonUnit(u string) string {
	u = strings.ToLower(strings.ReplaceAll(u, " ", ""))
	if s, ok := unitSynonyms[u]; ok {
		return s
	}
	if !strings.Contains(u, "/") {
		return u
	}
	parts := strings.Split(u, "/")
	if s, ok := unitSynonyms[parts[0]]; ok {
		parts[0] = s
	}
	for i, p := range parts[1:] {
		if s, ok := perSynonyms[p]; ok {
			parts[i+1] = s
		}
	}
	return strings.Join(parts, "/")
}

// knownUnit says whether u (canonical) is a dose unit, per what it may be per.
func knownUnit(u string) bool {
	base, per, _ := strings.Cut(u, "/")
	if !doseUnits[base] {
		return false
	}
	for per != "" {
		var p string
		p, per, _ = strings.Cut(per, "/")
		if !unitPer[p] {
			return false
		}
	}
	return true
}

var levelRe = regexp.MustCompile(`\b([ctls])[ \t]?(\d{1,2})\b(?:[ \t]*[-–/][ \t]*([ctls])?[ \t]?(\d{1,2})\b)?`)

// spinalLevels are the spinal levels a lower-cased text names: "l4-5" is l4 and l5.
func spinalLevels(s string) map[string]bool {
	out := map[string]bool{}
	for _, m := range levelRe.FindAllStringSubmatch(s, -1) {
		out[m[1]+m[2]] = true
		if m[4] != "" {
			letter := m[3]
			if letter == "" {
				letter = m[1]
			}
			out[letter+m[4]] = true
		}
	}
	return out
}

// sourceLevels are the spinal levels of a written, lower-cased source, read word by
// word ("l4", "l4-5", "l 4 l 5"): spinalLevels only on the words that may be one.
func sourceLevels(words []string) map[string]bool {
	out := map[string]bool{}
	for i, w := range words {
		if len(w) == 0 || !strings.ContainsRune("ctls", rune(w[0])) {
			continue
		}
		s := w
		if len(w) == 1 && i+1 < len(words) {
			s = w + words[i+1] // "l 4"
		}
		if len(s) < 2 || s[1] < '0' || s[1] > '9' {
			continue
		}
		for l := range spinalLevels(s) {
			out[l] = true
		}
	}
	return out
}

func allIn(keys, set map[string]bool) bool {
	for k := range keys {
		if !set[k] {
			return false
		}
	}
	return true
}

// everyIn says whether each of list is in set.
func everyIn(list []string, set map[string]bool) bool {
	for _, k := range list {
		if !set[k] {
			return false
		}
	}
	return true
}

// The trims of a word read in a long source, by tables (strings.Trim builds its set
// on each call): trimPunct of ".,;:()", trimInner of ",;:()" (a dose keeps its
// decimal point), trimCue of ",()".
var punct, inner, cue = byteSet(".,;:()"), byteSet(",;:()"), byteSet(",()")

func trimPunct(w string) string { return trimSet(w, &punct) }
func trimInner(w string) string { return trimSet(w, &inner) }
func trimCue(w string) string   { return trimSet(w, &cue) }

func byteSet(s string) (t [256]bool) {
	for i := range len(s) {
		t[s[i]] = true
	}
	return t
}

func trimSet(w string, set *[256]bool) string {
	for len(w) > 0 && set[w[0]] {
		w = w[1:]
	}
	for len(w) > 0 && set[w[len(w)-1]] {
		w = w[:len(w)-1]
	}
	return w
}

// allDigits says whether w is a number in digits and nothing else ("05", "1.0").
func allDigits(w string) bool {
	if w == "" {
		return false
	}
	for i := range len(w) {
		if !isDigit(w[i]) && (w[i] != '.' || i == 0) {
			return false
		}
	}
	return true
}

// negationBefore are the words that, in the five before a drug's name in its
// sentence, say it is not taken: an allergy, or stopped. negationAfter, in the three
// after it ("penicillin allergy", "metformin was stopped").
var (
	negationBefore = set("allergic allergy allergies intolerant intolerance reaction reactions stopped stop " +
		"stopping discontinued discontinue discontinuing quit held hold off nkda")
	negationAfter = set("allergy allergies intolerance reaction stopped discontinued held")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// negated says whether a drug named between before and after (lower-cased words) is
// named as not taken.
func negated(before, after []string) bool {
	for k := len(before) - 1; k >= 0 && k >= len(before)-5; k-- {
		w := before[k]
		if k < len(before)-1 && strings.ContainsAny(w[len(w)-1:], ".;!?") {
			break // the sentence before
		}
		if negationBefore[trimPunct(w)] {
			return true
		}
	}
	for k := 0; k < len(after) && k < 3; k++ {
		if negationAfter[trimPunct(after[k])] {
			return true
		}
		if strings.ContainsAny(after[k][len(after[k])-1:], ".;!?,") {
			break
		}
	}
	return false
}

// sourceDrugsTaken are the generics a written, lower-cased source names other than as
// an allergy or as stopped.
func sourceDrugsTaken(words []string) map[string]bool {
	out := map[string]bool{}
	for i, w := range words {
		gs := drugsOf(trimPunct(w))
		if gs == nil || negated(words[max(0, i-5):i], words[i+1:min(len(words), i+4)]) {
			continue
		}
		for _, g := range gs {
			out[g] = true
		}
	}
	return out
}

// draftNegated says whether the drug named at [start, end) of draft is named as not
// taken (its line's words around it).
func draftNegated(draft string, start, end int) bool {
	before := draft[max(0, start-60):start]
	if k := strings.LastIndexByte(before, '\n'); k >= 0 {
		before = before[k+1:]
	}
	after := draft[end:min(len(draft), end+40)]
	if k := strings.IndexByte(after, '\n'); k >= 0 {
		after = after[:k]
	}
	bw := strings.Fields(strings.ToLower(before))
	if start >= 60 && len(bw) > 0 && draft[start-60] != ' ' {
		bw = bw[1:] // cut by the window
	}
	aw := strings.Fields(strings.ToLower(after))
	if len(aw) > 0 && end+40 < len(draft) && draft[end+39] != ' ' {
		aw = aw[:len(aw)-1]
	}
	return negated(bw, aw)
}
