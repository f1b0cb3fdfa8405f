// Package groundeval makes the grounding check's evaluation set: synthetic visits,
// each as a dictation in spoken style (numbers in words or digits, as recognisers
// write them, unit words, spoken blood pressures and dates, brand or generic names)
// and the note a clinician would write from it (abbreviated units, numbered lists,
// the other one of brand and generic, facts from the record the dictation does not
// say), and the same note with one fabrication each: a dose changed, a dose swapped
// between two drugs, a vital sign changed, a date changed, an interval changed, a
// drug added, a brand-name drug added.
//
// Everything is synthetic: no patient, no real conversation. The set is the same for
// the same seed, so that scores compare across changes.
package groundeval

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Case is one visit.
type Case struct {
	Source string // the dictation
	Note   string // the faithful note
	// Record are the spans of Note that come from the record, not the dictation (a
	// weight, an age the dictation does not say): a checker may flag them, in a
	// quieter category than a suspected fabrication.
	Record []Span
	// Fabricated are copies of Note with one fabrication each.
	Fabricated []Fabrication
}

// Span is a stretch [Start, End) of a note, in bytes.
type Span struct{ Start, End int }

// Kind is a kind of fabrication.
type Kind string

const (
	DoseChanged     Kind = "dose changed"
	DoseSwapped     Kind = "dose swapped between drugs"
	VitalChanged    Kind = "vital changed"
	DateChanged     Kind = "date changed"
	IntervalChanged Kind = "interval changed"
	// FrequencyChanged: how often a drug is taken ("BID" for "once a day").
	FrequencyChanged Kind = "frequency changed"
	DrugAdded        Kind = "drug added"
	BrandAdded       Kind = "brand drug added"
)

// Kinds are the kinds of fabrication, in the order scores report them.
var Kinds = []Kind{DoseChanged, DoseSwapped, VitalChanged, DateChanged, IntervalChanged, FrequencyChanged,
	DrugAdded, BrandAdded}

// Fabrication is a note with one fact made up, at Span.
type Fabrication struct {
	Kind Kind
	Note string
	Span Span
}

// med is a drug as the set uses it: generic and brand names, unit, usual doses.
type med struct {
	generic, brand, unit string
	doses                []float64
}

var meds = []med{
	{"lisinopril", "Zestril", "mg", []float64{5, 10, 20, 40}},
	{"amlodipine", "Norvasc", "mg", []float64{2.5, 5, 10}},
	{"metformin", "Glucophage", "mg", []float64{500, 850, 1000}},
	{"atorvastatin", "Lipitor", "mg", []float64{10, 20, 40, 80}},
	{"warfarin", "Coumadin", "mg", []float64{2, 2.5, 5, 7.5}},
	{"pantoprazole", "Protonix", "mg", []float64{20, 40}},
	{"furosemide", "Lasix", "mg", []float64{20, 40, 80}},
	{"cyclobenzaprine", "Flexeril", "mg", []float64{5, 10}},
	{"tramadol", "Ultram", "mg", []float64{50, 100}},
	{"levothyroxine", "Synthroid", "mcg", []float64{25, 50, 75, 88, 100, 112}},
	{"sertraline", "Zoloft", "mg", []float64{25, 50, 100}},
	{"meloxicam", "Mobic", "mg", []float64{7.5, 15}},
	{"gabapentin", "Neurontin", "mg", []float64{100, 300, 600}},
	{"metoprolol", "Lopressor", "mg", []float64{25, 50, 100}},
	{"losartan", "Cozaar", "mg", []float64{25, 50, 100}},
	{"omeprazole", "Prilosec", "mg", []float64{20, 40}},
	{"prednisone", "Deltasone", "mg", []float64{5, 10, 20, 40}},
	{"escitalopram", "Lexapro", "mg", []float64{10, 20}},
	{"clopidogrel", "Plavix", "mg", []float64{75}},
	{"apixaban", "Eliquis", "mg", []float64{2.5, 5}},
	{"hydrochlorothiazide", "Microzide", "mg", []float64{12.5, 25}},
	{"montelukast", "Singulair", "mg", []float64{10}},
}

// freqs are how often, said and written, and the schedule they name: a note may
// write another form of the same schedule ("every eight hours" as "TID"), and
// "daily" for a once-a-day schedule at a time of day.
var freqs = []struct{ spoken, written, schedule string }{
	{"once a day", "daily", "daily"}, {"every day", "once daily", "daily"},
	{"twice a day", "twice daily", "bid"}, {"two times a day", "BID", "bid"}, {"every twelve hours", "q12h", "bid"},
	{"three times a day", "TID", "tid"}, {"every eight hours", "q8h", "tid"}, {"every eight hours", "TID", "tid"},
	{"four times a day", "QID", "qid"}, {"at night", "at bedtime", "night"}, {"at bedtime", "qhs", "night"},
	{"in the morning", "every morning", "morning"}, {"in the morning", "daily", "morning"},
	{"as needed", "PRN", "prn"}, {"once a week", "weekly", "weekly"},
}

var reasons = []struct{ spoken, written, symptom string }{
	{"follow up of her blood pressure", "follow-up of hypertension", "headaches"},
	{"low back pain", "low back pain", "back pain"},
	{"a cough", "cough", "cough"},
	{"follow up of diabetes", "diabetes follow-up", "fatigue"},
	{"chest tightness", "chest tightness", "chest tightness"},
}

var months = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// Cases makes n visits from seed.
func Cases(seed uint64, n int) []Case {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]Case, n)
	for i := range out {
		out[i] = visit(r)
	}
	return out
}

// writer builds a note and remembers where its facts are.
type writer struct {
	b     strings.Builder
	spans map[string]Span
}

func (w *writer) text(s string) { w.b.WriteString(s) }

// fact writes s and names its span.
func (w *writer) fact(name, s string) {
	start := w.b.Len()
	w.b.WriteString(s)
	w.spans[name] = Span{start, w.b.Len()}
}

type medUse struct {
	m      med
	dose   float64
	freq   int
	brandS bool // the dictation says the brand name
	brandN bool // the note writes the brand name
}

func (u medUse) sourceName() string {
	if u.brandS {
		return u.m.brand
	}
	return u.m.generic
}

func (u medUse) noteName() string {
	if u.brandN {
		return u.m.brand
	}
	return capitalize(u.m.generic)
}

func visit(r *rand.Rand) Case {
	female := r.IntN(2) == 0
	age := 24 + r.IntN(60)
	reason := reasons[r.IntN(len(reasons))]
	// Two to four drugs, no two alike.
	perm := r.Perm(len(meds))
	var uses []medUse
	for _, k := range perm[:2+r.IntN(3)] {
		m := meds[k]
		uses = append(uses, medUse{m: m, dose: m.doses[r.IntN(len(m.doses))], freq: r.IntN(len(freqs)),
			brandS: r.IntN(4) == 0, brandN: r.IntN(4) == 0})
	}
	sys, dia := 104+r.IntN(60), 60+r.IntN(35)
	hr, rr, spo2 := 52+r.IntN(50), 12+r.IntN(10), 90+r.IntN(10)
	temp := 97.0 + float64(r.IntN(30))/10
	weight := 50 + r.IntN(70)
	onset := 2 + r.IntN(5)
	onsetUnit := []string{"days", "weeks"}[r.IntN(2)]
	followUp := []int{2, 3, 4, 6}[r.IntN(4)]
	followUnit := []string{"weeks", "months"}[r.IntN(2)]
	labDay, labMonth, labYear := 1+r.IntN(28), 1+r.IntN(12), 2025+r.IntN(2)
	a1c := 5.5 + float64(r.IntN(40))/10
	back := reason.written == "low back pain"
	change := r.IntN(len(uses)) // the drug the plan changes
	newDose := nextDose(uses[change])

	// The dictation.
	var s strings.Builder
	he, his := "he", "his"
	if female {
		he, his = "she", "her"
	}
	fmt.Fprintf(&s, "Okay, so this is a %s year old %s coming in for %s. ", say(r, float64(age)), pick(female, "woman", "man"), reason.spoken)
	fmt.Fprintf(&s, "%s says the %s started about %s %s ago. ", capitalize(he), reason.symptom, say(r, float64(onset)), onsetUnit)
	if back {
		fmt.Fprintf(&s, "The MRI showed a disc bulge at L %s L %s. ", say(r, 4), say(r, 5))
	}
	s.WriteString("Current medications: ")
	for i, u := range uses {
		if i > 0 {
			s.WriteString(", ")
		}
		if r.IntN(3) == 0 {
			fmt.Fprintf(&s, "%s %s of %s %s", say(r, u.dose), unitWord(u.m.unit), u.sourceName(), freqs[u.freq].spoken)
		} else {
			fmt.Fprintf(&s, "%s %s %s %s", u.sourceName(), say(r, u.dose), unitWord(u.m.unit), freqs[u.freq].spoken)
		}
	}
	s.WriteString(". ")
	fmt.Fprintf(&s, "%s today is %s over %s, %s %s, %s %s, %s %s percent, respiratory rate %s. ",
		oneOf(r, "Blood pressure", "BP"), sayBP(r, sys), say(r, float64(dia)), oneOf(r, "heart rate", "pulse"), say(r, float64(hr)),
		oneOf(r, "temperature", "temp"), say(r, temp), oneOf(r, "oxygen saturation", "sats", "O2 sat"), say(r, float64(spo2)), say(r, float64(rr)))
	weighed := r.IntN(3) == 0 // the weight said, not only from the record
	if weighed {
		fmt.Fprintf(&s, "%s weighs %s %s. ", capitalize(he), say(r, float64(weight)), oneOf(r, "kilograms", "kilos"))
	}
	fmt.Fprintf(&s, "%s last A1c was %s on %s %s, %s. ", capitalize(his), say(r, a1c), months[labMonth-1], ordinal(r, labDay), sayYear(r, labYear))
	fmt.Fprintf(&s, "Plan is to %s the %s to %s %s, and I'll see %s back in %s %s.",
		pick(newDose > uses[change].dose, "increase", "decrease"), uses[change].sourceName(), say(r, newDose), unitWord(uses[change].m.unit),
		pick(female, "her", "him"), say(r, float64(followUp)), followUnit)

	// The note.
	w := &writer{spans: map[string]Span{}}
	w.text("Subjective: ")
	w.fact("age", strconv.Itoa(age))
	fmt.Fprintf(&w.b, "-year-old %s presenting for %s. %s for ", pick(female, "woman", "man"), reason.written, capitalize(reason.symptom))
	w.fact("onset", fmt.Sprintf("%d %s", onset, onsetUnit))
	w.text(".")
	if back {
		w.text(" MRI: disc bulge at L4-5.")
	}
	w.text("\nMedications:\n")
	for i, u := range uses {
		fmt.Fprintf(&w.b, "%d. %s ", i+1, u.noteName())
		w.fact(fmt.Sprintf("dose%d", i), num(u.dose)+" "+u.m.unit)
		w.text(" ")
		w.fact(fmt.Sprintf("freq%d", i), freqs[u.freq].written)
		w.text("\n")
	}
	w.text("Objective: BP ")
	w.fact("sys", strconv.Itoa(sys))
	fmt.Fprintf(&w.b, "/%d mmHg, HR ", dia)
	w.fact("hr", strconv.Itoa(hr))
	w.text(" bpm, T ")
	w.fact("temp", num(temp))
	w.text(" F, SpO2 ")
	w.fact("spo2", fmt.Sprintf("%d%%", spo2))
	fmt.Fprintf(&w.b, ", RR %d. Weight ", rr)
	w.fact("weight", fmt.Sprintf("%d kg", weight))
	w.text(".\nLabs: A1c ")
	w.fact("a1c", num(a1c)+"%")
	w.text(" (")
	w.fact("date", fmt.Sprintf("%02d/%02d/%d", labMonth, labDay, labYear))
	w.text(").\nAssessment and plan:\n1. ")
	fmt.Fprintf(&w.b, "%s: %s %s to ", capitalize(reason.written), pick(newDose > uses[change].dose, "increase", "decrease"), uses[change].noteName())
	w.fact("newdose", num(newDose)+" "+uses[change].m.unit)
	w.text(".\n2. Follow-up in ")
	w.fact("followup", fmt.Sprintf("%d %s", followUp, followUnit))
	w.text(".\n")
	note := w.b.String()

	c := Case{Source: s.String(), Note: note}
	if !weighed {
		c.Record = []Span{w.spans["weight"]}
	}
	replace := func(k Kind, name, with string) {
		sp := w.spans[name]
		n := note[:sp.Start] + with + note[sp.End:]
		c.Fabricated = append(c.Fabricated, Fabrication{Kind: k, Note: n, Span: Span{sp.Start, sp.Start + len(with)}})
	}
	// A dose changed to one the visit does not mention.
	i := r.IntN(len(uses))
	replace(DoseChanged, fmt.Sprintf("dose%d", i), num(otherDose(uses, newDose, uses[i]))+" "+uses[i].m.unit)
	// A dose swapped: a drug given another drug's dose (in the same unit).
	if a, b, ok := swappable(r, uses); ok {
		replace(DoseSwapped, fmt.Sprintf("dose%d", a), num(uses[b].dose)+" "+uses[b].m.unit)
	}
	// A vital sign changed.
	switch r.IntN(3) {
	case 0:
		replace(VitalChanged, "hr", strconv.Itoa(hr+[]int{-9, -6, 5, 8, 11}[r.IntN(5)]))
	case 1:
		replace(VitalChanged, "sys", strconv.Itoa(sys+[]int{-12, -8, 6, 10, 14}[r.IntN(5)]))
	default:
		replace(VitalChanged, "spo2", fmt.Sprintf("%d%%", min(100, spo2+[]int{-4, -2, 1, 3}[r.IntN(4)])))
	}
	// A date moved a few days.
	d := labDay + []int{-3, -2, 2, 5, 9}[r.IntN(5)]
	if d < 1 || d > 28 {
		d = labDay%28 + 1
	}
	replace(DateChanged, "date", fmt.Sprintf("%02d/%02d/%d", labMonth, d, labYear))
	// An interval changed: the follow-up or the onset.
	if r.IntN(2) == 0 {
		replace(IntervalChanged, "followup", fmt.Sprintf("%d %s", otherInt(followUp, []int{1, 2, 3, 4, 6, 8, 12}, r), followUnit))
	} else {
		replace(IntervalChanged, "onset", fmt.Sprintf("%d %s", otherInt(onset, []int{1, 2, 3, 4, 5, 6, 8, 10}, r), onsetUnit))
	}
	// A drug's frequency changed to another schedule (not to "daily" for one at a
	// time of day, which is a broader word, not a made-up one).
	f := r.IntN(len(uses))
	was := freqs[uses[f].freq].schedule
	for {
		o := freqs[r.IntN(len(freqs))]
		daily := o.written == "daily" || o.written == "once daily"
		if o.schedule != was && !(daily && (was == "morning" || was == "night")) {
			replace(FrequencyChanged, fmt.Sprintf("freq%d", f), o.written)
			break
		}
	}
	// A drug added, by its generic name and by its brand.
	addAt := strings.Index(note, "2. Follow-up")
	for _, k := range []Kind{DrugAdded, BrandAdded} {
		added := meds[perm[len(perm)-1]]
		name := capitalize(added.generic)
		if k == BrandAdded {
			added = meds[perm[len(perm)-2]]
			name = added.brand
		}
		line := "2. Start " + name + " " + num(added.doses[0]) + " " + added.unit + " daily.\n3. "
		n := note[:addAt] + line + note[addAt+len("2. "):]
		start := addAt + len("2. Start ")
		c.Fabricated = append(c.Fabricated, Fabrication{Kind: k, Note: n, Span: Span{start, start + len(name)}})
	}
	return c
}

// nextDose is the dose the plan moves u to: the next of its usual doses, or the one
// before the highest.
func nextDose(u medUse) float64 {
	for k, d := range u.m.doses {
		if d == u.dose {
			if k+1 < len(u.m.doses) {
				return u.m.doses[k+1]
			}
			if k > 0 {
				return u.m.doses[k-1]
			}
		}
	}
	return u.dose * 2
}

// otherDose is a dose for u that no drug of the visit has (a plausible mistake: a
// usual dose of the drug, or half or twice its dose).
func otherDose(uses []medUse, newDose float64, u medUse) float64 {
	taken := map[float64]bool{newDose: true}
	for _, x := range uses {
		taken[x.dose] = true
	}
	for _, d := range append(append([]float64{}, u.m.doses...), u.dose*2, u.dose/2, u.dose*3, u.dose*4) {
		if !taken[d] {
			return d
		}
	}
	return u.dose*10 + 1
}

// swappable picks two drugs of one unit with different doses.
func swappable(r *rand.Rand, uses []medUse) (a, b int, ok bool) {
	for _, i := range r.Perm(len(uses)) {
		for _, j := range r.Perm(len(uses)) {
			if i != j && uses[i].m.unit == uses[j].m.unit && uses[i].dose != uses[j].dose {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func oneOf(r *rand.Rand, s ...string) string { return s[r.IntN(len(s))] }

func otherInt(v int, choices []int, r *rand.Rand) int {
	for {
		if c := choices[r.IntN(len(choices))]; c != v {
			return c
		}
	}
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// num writes a number as a note does: 2.5, 500, 7.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func unitWord(u string) string {
	switch u {
	case "mg":
		return "milligrams"
	case "mcg":
		return "micrograms"
	}
	return u
}

// say speaks a number as a recogniser may write it: in words most of the time, in
// digits otherwise.
func say(r *rand.Rand, f float64) string {
	if r.IntN(3) == 0 {
		return num(f)
	}
	whole := int(f)
	frac := f - float64(whole)
	switch {
	case frac == 0:
		return words(whole)
	case frac == 0.5 && r.IntN(2) == 0:
		return words(whole) + " and a half"
	}
	digits := strings.TrimPrefix(num(f), strconv.Itoa(whole)+".")
	var out []string
	for _, d := range digits {
		out = append(out, words(int(d-'0')))
	}
	return words(whole) + " point " + strings.Join(out, " ")
}

// sayBP speaks a systolic pressure: "one forty two" or "a hundred and forty two".
func sayBP(r *rand.Rand, v int) string {
	if v >= 100 && v < 200 && r.IntN(2) == 0 {
		rest := v - 100
		if rest < 10 {
			return "one oh " + words(rest)
		}
		return "one " + words(rest)
	}
	return say(r, float64(v))
}

// sayYear speaks a year: "twenty twenty six" or digits.
func sayYear(r *rand.Rand, y int) string {
	if r.IntN(2) == 0 {
		return strconv.Itoa(y)
	}
	return words(y/100) + " " + words(y%100)
}

var ordinals = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
	"ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
	"seventeenth", "eighteenth", "nineteenth", "twentieth"}

// ordinal speaks a day of the month: "third", "twenty first", or "3rd".
func ordinal(r *rand.Rand, d int) string {
	if r.IntN(3) == 0 {
		suffix := "th"
		switch {
		case d%10 == 1 && d != 11:
			suffix = "st"
		case d%10 == 2 && d != 12:
			suffix = "nd"
		case d%10 == 3 && d != 13:
			suffix = "rd"
		}
		return strconv.Itoa(d) + suffix
	}
	if d <= 20 {
		return ordinals[d]
	}
	if d%10 == 0 {
		return "thirtieth"
	}
	return words(d/10*10) + " " + ordinals[d%10]
}

var small = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
var tensWords = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

// words writes 0 ≤ n < 10000 in words.
func words(n int) string {
	switch {
	case n < 20:
		return small[n]
	case n < 100:
		if n%10 == 0 {
			return tensWords[n/10]
		}
		return tensWords[n/10] + " " + small[n%10]
	case n < 1000:
		if n%100 == 0 {
			return small[n/100] + " hundred"
		}
		return small[n/100] + " hundred " + words(n%100)
	default:
		if n%1000 == 0 {
			return words(n/1000) + " thousand"
		}
		return words(n/1000) + " thousand " + words(n%1000)
	}
}
