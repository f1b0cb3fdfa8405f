package phi

import (
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Type is a Safe Harbor category, as it appears in redacted text ("[NAME]").
type Type string

// The categories of 164.514(b)(2)(i) that occur in free text.
const (
	Name       Type = "NAME"        // (A) names, of the patient, relatives, clinicians
	Location   Type = "LOCATION"    // (B) street address, city, county
	ZIP        Type = "ZIP"         // (B) ZIP code
	Date       Type = "DATE"        // (C) every date element but the year
	Age        Type = "AGE"         // (C) ages over 89
	Phone      Type = "PHONE"       // (D)
	Fax        Type = "FAX"         // (E)
	Email      Type = "EMAIL"       // (F)
	SSN        Type = "SSN"         // (G)
	MRN        Type = "MRN"         // (H) medical record number
	HealthPlan Type = "HEALTH_PLAN" // (I) health plan beneficiary number
	Account    Type = "ACCOUNT"     // (J)
	License    Type = "LICENSE"     // (K) certificate and license numbers
	Vehicle    Type = "VEHICLE"     // (L) vehicle identifiers, plates, VINs
	Device     Type = "DEVICE"      // (M) device identifiers and serial numbers
	URL        Type = "URL"         // (N)
	IP         Type = "IP"          // (O)
	Biometric  Type = "BIOMETRIC"   // (P) biometric identifiers
	ID         Type = "ID"          // (R) any other unique number or code
)

// Span is one identifier: text[Start:End] in bytes, and its category.
type Span struct {
	Start int  `json:"start"`
	End   int  `json:"end"`
	Type  Type `json:"type"`
}

// rule finds one kind of identifier: the match of re, or its group, where valid says
// so (nil: every match).
type rule struct {
	typ   Type
	re    *regexp.Regexp
	group int
	valid func(s string) bool
	// validMatch, where set, checks the whole match (m as FindAllStringSubmatchIndex
	// gives it) in line.
	validMatch func(line string, m []int) bool
	// scan, where set, finds the rule's spans in line instead of re.
	scan func(line string) [][2]int
	// cues, where set, are words (lower-case) that re must match right after,
	// anchored (as a name rule's).
	cues []string
	// digits: the rule matches nothing with fewer digits, and hints: nothing without
	// one of these (lower-case) in the line: lines without are not searched, which is
	// most of the speed.
	digits int
	hints  []string
	// priority breaks ties between overlapping spans of the same length: the more
	// specific rule (an SSN, not just a number) wins.
	priority int
}

const (
	month   = `(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`
	states  = `(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR)`
	capWord = `\p{Lu}\p{Ll}+(?:['’-]\p{L}+)?`
	// number is what an identifier cue precedes: letters and digits, at least one
	// digit, dashes inside.
	number = `([A-Za-z]{0,4}-?\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)`
	cueEnd = `\s*(?:number|num|no\.?|#|id|ID)?\s*[:#]?\s*`
)

// h is a rule's hints.
func h(hints ...string) []string { return hints }

// months are the hints of the rules that read month names.
var months = h("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

var rules = []rule{
	{typ: Email, re: regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`), hints: h("@"), priority: 9},
	{typ: URL, re: regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'()]*[^\s<>"'().,;:!?]`), hints: h("http", "www."), priority: 9},
	{typ: IP, re: regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`), valid: validIPv4, digits: 4, hints: h("."), priority: 8},
	{typ: IP, re: regexp.MustCompile(`(?i)\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b`), valid: validIPv6, digits: 1, hints: h("::", ":"), priority: 8},
	{typ: SSN, re: regexp.MustCompile(`\b(\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4})\b`), group: 1, valid: validSSN, digits: 9, priority: 8},
	{typ: SSN, re: regexp.MustCompile(`(?i)\b(?:SSN|social security(?: number| no\.?| #)?)\s*[:#]?\s*(\d{9}|\d{3}[- ]?\d{2}[- ]?\d{4})\b`), group: 1, digits: 9, hints: h("ssn", "social security"), priority: 9},
	{typ: Fax, re: regexp.MustCompile(`(?i)\bfax(?:\s*(?:number|no\.?|#))?\s*[:#]?\s*((?:\+?1[-.\s]?)?\(?[2-9]\d{2}\)?[-.\s]?[2-9]\d{2}[-.\s]?\d{4})\b`), group: 1, digits: 10, hints: h("fax"), priority: 9},
	{typ: Phone, re: regexp.MustCompile(`(?:\+?1[-.\s]?)?(?:\([2-9]\d{2}\)\s?|\b[2-9]\d{2}[-.\s])[2-9]\d{2}[-.\s]\d{4}\b(?:\s*(?:x|ext\.?)\s*\d{1,5})?`), digits: 10, priority: 7},
	{typ: Phone, re: regexp.MustCompile(`(?i)\b(?:phone|tel|cell|mobile|pager|call(?:ed)?(?: at)?)\s*[:#]?\s*(\d{10}|\d{3}-\d{4})\b`), group: 1, digits: 7, hints: h("phone", "tel", "cell", "mobile", "pager", "call"), priority: 7},
	// Dates: every element but the year.
	{typ: Date, re: regexp.MustCompile(`\b(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b`), digits: 6, priority: 6},
	{typ: Date, re: regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b`), valid: validMDY, digits: 4, priority: 6},
	{typ: Date, cues: h("on", "since", "until", "till", "date", "dated", "dob", "born", "admitted", "discharged", "seen", "visit", "visited", "surgery", "effective", "return", "returns", "follow up", "follow-up", "followup"),
		re: regexp.MustCompile(`^[ \t]*:?[ \t]*((?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))\b`), group: 1, digits: 2, hints: h("/"), priority: 6},
	{typ: Date, re: regexp.MustCompile(`\b` + month + `\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b`), valid: notMayVerb, digits: 1, hints: months, priority: 6},
	{typ: Date, re: regexp.MustCompile(`\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?` + month + `\.?(?:,?\s+\d{4})?\b`), digits: 1, hints: months, priority: 6},
	{typ: Date, re: regexp.MustCompile(`\b` + month + `\.?,?\s+(?:19|20)\d{2}\b`), digits: 4, hints: months, priority: 6},
	{typ: Date, re: regexp.MustCompile(`\b(?:January|February|March|April|June|July|August|September|October|November|December)\b`), hints: months, priority: 5},
	{typ: Age, re: regexp.MustCompile(`(?i)\b(?:9\d|1[0-4]\d)(?:\s*-\s*|\s+)?(?:y/?o|yrs?|years?)(?:[\s-]+old)?\b`), digits: 2, hints: h("y"), priority: 6},
	{typ: Age, re: regexp.MustCompile(`(?i)\b(?:age[ds]?|aged)\s*:?\s*(9\d|1[0-4]\d)\b`), group: 1, digits: 2, hints: h("age"), priority: 6},
	// Places: a street address, a city before its state, ZIP codes after a state or cue.
	{typ: Location, re: regexp.MustCompile(`\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:` + capWord + `[ \t]+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl)\b\.?(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*#?\w+)?`), digits: 1, priority: 7},
	{typ: Location, re: regexp.MustCompile(`\b(` + capWord + `(?:[ \t]+` + capWord + `)?),[ \t]+([A-Z]{2})\b`), group: 1, validMatch: stateAt(2), hints: h(","), priority: 5},
	{typ: Location, re: regexp.MustCompile(`(?i:lives in|living in|resides in|resident of|moved (?:here )?from|moved to|born in|home in|grew up in|relocated (?:to|from))[ \t]+(` + capWord + `(?:[ \t]+` + capWord + `)?)`), group: 1, hints: h("live", "resid", "moved", "born", "home", "grew up", "relocated"), priority: 5},
	{typ: Location, re: regexp.MustCompile(`\b(` + capWord + `(?:[ \t]+` + capWord + `)?)[ \t]+County\b`), group: 1, hints: h("county"), priority: 5},
	{typ: ZIP, re: regexp.MustCompile(`\b([A-Z]{2})[ \t]+(\d{5}(?:-\d{4})?)\b`), group: 2, validMatch: stateAt(1), digits: 5, priority: 7},
	{typ: ZIP, re: regexp.MustCompile(`(?i)\b(?:zip|postal)(?:\s*code)?\s*[:#]?\s*(\d{5}(?:-\d{4})?)\b`), group: 1, digits: 5, hints: h("zip", "postal"), priority: 7},
	// Numbers after the cue that says what they are.
	{typ: MRN, re: regexp.MustCompile(`(?i)(?:^|[^\w-])(?:MRN|MR#|medical record|chart|hospital)` + cueEnd + number), group: 1, valid: hasDigits(3), digits: 3, hints: h("mr", "medical record", "chart", "hospital"), priority: 8},
	// A Vellum note's "Patient:" line holds the patient's record number.
	{typ: MRN, re: regexp.MustCompile(`(?im)^[ \t]*patient[ \t]*:[ \t]*([A-Z0-9]+(?:-[A-Z0-9]+)*)[ \t]*$`), group: 1, valid: hasDigits(1), digits: 1, hints: h("patient"), priority: 8},
	{typ: HealthPlan, re: regexp.MustCompile(`(?i)\b(?:member|subscriber|beneficiary|policy|group|insurance|medicaid|medicare|health plan|plan)` + cueEnd + number), group: 1, valid: hasDigits(4), digits: 4, hints: h("member", "subscriber", "beneficiary", "policy", "group", "insurance", "medicaid", "medicare", "plan"), priority: 8},
	{typ: Account, re: regexp.MustCompile(`(?i)\b(?:account|acct|billing|invoice|encounter|visit|claim)` + cueEnd + number), group: 1, valid: hasDigits(4), digits: 4, hints: h("account", "acct", "billing", "invoice", "encounter", "visit", "claim"), priority: 8},
	{typ: License, re: regexp.MustCompile(`(?i)\b(?:licen[cs]e|lic\.?|DEA|NPI|certificate|cert\.?|registration|passport|driver'?s license|DL)` + cueEnd + number), group: 1, valid: hasDigits(4), digits: 4, hints: h("licen", "lic", "dea", "npi", "cert", "registration", "passport", "dl"), priority: 8},
	{typ: Vehicle, re: regexp.MustCompile(`(?i)\b(?:license plate|plate|tag|VIN|vehicle)\b` + cueEnd + `([A-Z0-9]{2,4}[- ]?[A-Z0-9]{2,5})\b`), group: 1, valid: hasDigits(1), digits: 1, hints: h("plate", "tag", "vin", "vehicle"), priority: 8},
	{typ: Vehicle, re: regexp.MustCompile(`\b[A-HJ-NPR-Z0-9]{17}\b`), valid: validVIN, digits: 1, priority: 8},
	{typ: Device, re: regexp.MustCompile(`(?i)\b(?:serial|S/N|SN|device|lot|UDI|implant|pacemaker|model)` + cueEnd + number), group: 1, valid: hasDigits(3), digits: 3, hints: h("serial", "s/n", "sn", "device", "lot", "udi", "implant", "pacemaker", "model"), priority: 8},
	{typ: Biometric, re: regexp.MustCompile(`(?i)\b(?:fingerprint|finger print|retina(?:l)? scan|iris scan|voice ?print|palm ?print|face ?print|biometric)` + cueEnd + number), group: 1, digits: 1, hints: h("finger", "retina", "iris", "voice", "palm", "face", "biometric"), priority: 8},
	// Any other unique code: seven digits or more in one run, or letters and digits
	// mixed with four digits or more (not a dose with its unit).
	{typ: ID, re: regexp.MustCompile(`\b\d{7,}\b`), digits: 7, priority: 2},
	{typ: ID, scan: codes, digits: 4, priority: 1},
}

var nameRules = []nameRule{
	{re: regexp.MustCompile(`\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Sr|Sister|Father|Rev)\.?[ \t]+((?:[A-Z]\.[ \t]*)?` + capWord + `(?:[ \t]+` + capWord + `)?)`), priority: 5, hints: h("dr", "mr", "ms", "miss", "mx", "prof", "sr", "sister", "father", "rev")},
	{cues: h("patient", "pt", "name", "patient name", "signed by", "signed", "seen by", "attending", "resident", "nurse", "pcp", "referred by", "referring", "provider", "physician", "dictated by", "transcribed by", "contact", "emergency contact", "next of kin", "guardian", "caregiver", "witness"),
		re: regexp.MustCompile(`^[ \t]*:[ \t]*((?:[A-Z]\.[ \t]*)?` + capWord + `(?:[ \t]+(?:[A-Z]\.[ \t]*)?` + capWord + `){0,2})`), priority: 5},
	{cues: h("wife", "husband", "son", "daughter", "mother", "father", "mom", "dad", "sister", "brother", "partner", "spouse", "fiance", "fiancee", "friend", "neighbor", "neighbour", "grandson", "granddaughter", "grandmother", "grandfather", "aunt", "uncle", "niece", "nephew", "cousin", "caregiver", "roommate"),
		re: regexp.MustCompile(`^(?:,|[ \t]+named|[ \t]+is)?[ \t]+(` + capWord + `(?:[ \t]+` + capWord + `)?)`), priority: 4},
	// Credentials after a name outrank "City, ST": MD and PA are states too.
	{re: regexp.MustCompile(`\b((?:[A-Z]\.[ \t]*)?` + capWord + `(?:[ \t]+[A-Z]\.)?[ \t]+` + capWord + `),?[ \t]+(?:MD|M\.D\.|DO|D\.O\.|RN|NP|PA-C|PA|PhD|LPN|CNA|MSW|LCSW|PharmD|DPM|DDS)\b`), priority: 6, hints: h("md", "m.d.", "do", "d.o.", "rn", "np", "pa", "phd", "lpn", "cna", "msw", "lcsw", "dpm", "dds")},
	{re: regexp.MustCompile(`\bDear[ \t]+(` + capWord + `(?:[ \t]+` + capWord + `)?)`), priority: 4, hints: h("dear")},
	{re: regexp.MustCompile(`\b(` + capWord + `(?:[ \t]+` + capWord + `)?)[ \t]+is[ \t]+an?[ \t]+\d{1,3}[- ](?:year|yr|y/?o|month|week)`), priority: 4, hints: h(" is a")},
	{re: regexp.MustCompile(`\b(` + capWord + `(?:[ \t]+` + capWord + `)?)[ \t]+\((?:DOB|MRN|age)\b`), priority: 4, hints: h("(dob", "(mrn", "(age")},
}

// nameRule finds names by what stands before or after them (group 1 is the name).
type nameRule struct {
	re       *regexp.Regexp
	priority int
	hints    []string // as a rule's
	// cues, where set, are words (lower-case) that re must match right after,
	// anchored: finding the words first is many times faster than a regular
	// expression of them.
	cues []string
}

// matches returns where r matches line (lower is line in lower case), with the
// submatch indexes FindAllStringSubmatchIndex gives.
func (r nameRule) matches(line, lower string) [][]int {
	if r.cues == nil {
		if !containsAny(lower, r.hints) {
			return nil
		}
		return r.re.FindAllStringSubmatchIndex(line, -1)
	}
	return cueMatches(line, lower, r.cues, r.re)
}

// cueMatches finds each of cues (lower-case, whole words) in lower, and returns where
// re, anchored at ^, matches line right after it, with its submatch indexes.
func cueMatches(line, lower string, cues []string, re *regexp.Regexp) [][]int {
	var out [][]int
	for _, cue := range cues {
		for at := 0; ; {
			i := strings.Index(lower[at:], cue)
			if i < 0 {
				break
			}
			i += at
			end := i + len(cue)
			at = end
			if (i > 0 && isLetter(lower[i-1])) || (end < len(lower) && isLetter(lower[end])) {
				continue // inside a word ("accept" is no "cc")
			}
			if m := re.FindStringSubmatchIndex(line[end:]); m != nil {
				for j := range m {
					if m[j] >= 0 {
						m[j] += end
					}
				}
				out = append(out, m)
			}
		}
	}
	return out
}

// notNames are words a cue may stand before that are not names: eponyms of diseases,
// signs and instruments, and words of the note itself.
var notNames = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`Parkinson Parkinson's Hodgkin Hodgkin's Alzheimer Alzheimer's Crohn Crohn's Addison Addison's
		Cushing Cushing's Graves Graves' Hashimoto Hashimoto's Bell Bell's Down Down's Tourette Huntington Huntington's
		Wilson Wilson's Raynaud Raynaud's Sjogren Sjögren Kaposi Wernicke Korsakoff Guillain Barre Barré Epstein Barr
		Babinski Murphy Murphy's McBurney Glasgow Apgar Foley Swan Ganz Whipple Nissen Roux Billroth Hartmann Bence
		Jones Kawasaki Marfan Meniere Ménière Paget Peyronie Reiter Reye Tay Sachs Turner Klinefelter Lyme Ebstein
		Fallot Kussmaul Cheyne Stokes Trendelenburg Valsalva Heimlich Homan Homans Kernig Brudzinski Romberg Phalen
		Tinel Finkelstein Lachman McMurray Spurling Allen Doppler Holter Gram Wright Ziehl Mallory Weiss Boerhaave
		Barrett Barrett's Zenker Meckel Hirschprung Hirschsprung Wilms Ewing Burkitt Hodgkins Patient Pt Name Doctor
		Nurse Physician Provider Resident Attending Unknown None Not Denies Reports States Presents With The This
		Mother Father Son Daughter Wife Husband Sister Brother Family Chief Complaint History Plan Assessment
		Subjective Objective Exam Today Yesterday Tomorrow Morning Evening Night Monday Tuesday Wednesday Thursday
		Friday Saturday Sunday Emergency Department Clinic Hospital Health Center Medical Primary Care Service
		Internal Medicine Surgery Cardiology Neurology Oncology Pediatrics Radiology Team Staff Sent Called Left
		Message Will Was Has Had And Or But Also Who He She They It His Her Their`) {
		notNames[w] = true
	}
}

// Find returns the identifiers in text: byte spans, sorted by start, not overlapping
// (of two that overlap, the longer wins, then the more specific).
//
// Each line is searched on its own (an identifier does not run across lines), which
// also keeps each search short: Go's regular expressions take a faster path on short
// inputs. A line over maxSegment bytes is searched in pieces cut at spaces.
func Find(text string) []Span {
	var found []candidate
	segs := segments(text)
	for _, sg := range segs {
		line := text[sg[0]:sg[1]]
		digits := 0
		for i := 0; i < len(line); i++ {
			if line[i] >= '0' && line[i] <= '9' {
				digits++
			}
		}
		lower := asciiLower(line)
		for i, r := range rules {
			if digits < r.digits || (r.hints != nil && !containsAny(lower, r.hints)) {
				continue
			}
			if r.scan != nil {
				for _, m := range r.scan(line) {
					found = append(found, candidate{Span{sg[0] + m[0], sg[0] + m[1], r.typ}, r.priority, i})
				}
				continue
			}
			var ms [][]int
			if r.cues != nil {
				ms = cueMatches(line, lower, r.cues, r.re)
			} else {
				ms = r.re.FindAllStringSubmatchIndex(line, -1)
			}
			for _, m := range ms {
				s, e := m[0], m[1]
				if r.group > 0 {
					if m[2*r.group] < 0 {
						continue
					}
					s, e = m[2*r.group], m[2*r.group+1]
				}
				if s == e || (r.valid != nil && !r.valid(line[s:e])) || (r.validMatch != nil && !r.validMatch(line, m)) {
					continue
				}
				found = append(found, candidate{Span{sg[0] + s, sg[0] + e, r.typ}, r.priority, i})
			}
		}
	}
	found = append(found, names(text, segs)...)
	return resolve(found)
}

// asciiLower lower-cases ASCII letters alone, so that byte offsets in the result are
// those of s (strings.ToLower changes the length of some characters: Ⱥ grows).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// maxSegment is the longest piece of text searched at once.
const maxSegment = 4096

// segments cuts text into its lines, and lines over maxSegment bytes at a space (or,
// with none, anywhere on a character boundary).
func segments(text string) [][2]int {
	var out [][2]int
	for at := 0; at < len(text); {
		end := strings.IndexByte(text[at:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += at
		}
		for at < end {
			cut := end
			if cut-at > maxSegment {
				cut = at + maxSegment
				if sp := strings.LastIndexByte(text[at:cut], ' '); sp > 0 {
					cut = at + sp
				}
				for cut > at && !utf8.RuneStart(text[cut]) {
					cut--
				}
				if cut == at {
					cut = at + maxSegment
				}
			}
			out = append(out, [2]int{at, cut})
			at = cut
		}
		at = end + 1
	}
	return out
}

type candidate struct {
	Span
	priority, rule int
}

// maxNameWords bounds the words searched for again, so that a hostile text of
// thousands of cues costs no more than a few passes.
const maxNameWords = 256

// wordRE is one word of a name found by a cue.
var wordRE = regexp.MustCompile(`[^\s,]+`)

// names finds names by their cues, then every other occurrence of each name's words.
func names(text string, segs [][2]int) []candidate {
	var out []candidate
	words := map[string]bool{}
	for _, sg := range segs {
		out = append(out, cuedNames(text, sg[0], sg[1], words)...)
	}
	if len(words) == 0 {
		return out
	}
	// Every other occurrence of those words, whole and capitalized as found.
	for _, sg := range segs {
		line := text[sg[0]:sg[1]]
		for i := 0; i < len(line); {
			if !wordByte(line[i]) {
				i++
				continue
			}
			j := i
			for j < len(line) && wordByte(line[j]) {
				j++
			}
			if words[line[i:j]] && (i == 0 || !wordByte(line[i-1])) && (j == len(line) || !wordByte(line[j])) {
				out = append(out, candidate{Span{sg[0] + i, sg[0] + j, Name}, 3, -1})
			}
			i = j
		}
	}
	return out
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// wordByte: an ASCII letter, or a byte of a character beyond ASCII (names are
// written in every script; "Zoë" is one word).
func wordByte(c byte) bool { return isLetter(c) || c >= 0x80 }

// cuedNames finds the names of text[from:to] by their cues, and adds their words to
// words.
func cuedNames(text string, from, to int, words map[string]bool) []candidate {
	var out []candidate
	line := text[from:to]
	lower := asciiLower(line)
	for _, r := range nameRules {
		for _, m := range r.matches(line, lower) {
			m[2], m[3] = m[2]+from, m[3]+from
			// The name's words, less words that are not names at either end
			// ("Dr. Parkinson", "Patient: Denies").
			ws := wordRE.FindAllStringIndex(text[m[2]:m[3]], -1)
			word := func(w []int) string { return strings.TrimRight(text[m[2]+w[0]:m[2]+w[1]], ".") }
			for len(ws) > 0 && notNames[word(ws[0])] {
				ws = ws[1:]
			}
			for len(ws) > 0 && notNames[word(ws[len(ws)-1])] {
				ws = ws[:len(ws)-1]
			}
			if len(ws) == 0 {
				continue
			}
			start, end := m[2]+ws[0][0], m[2]+ws[len(ws)-1][1]
			for end < len(text) && wordByte(text[end]) { // never half a word
				end++
			}
			out = append(out, candidate{Span{start, end, Name}, r.priority, -1})
			// Its words, as the letters between apostrophes and hyphens
			// ("O'Brien-Lind" is found again as "Brien" and "Lind").
			for _, w := range ws {
				for _, p := range strings.FieldsFunc(word(w), func(r rune) bool { return !unicode.IsLetter(r) }) {
					if len(p) > 1 && p != "s" && !notNames[p] && len(words) < maxNameWords {
						words[p] = true
					}
				}
			}
		}
	}
	return out
}

// resolve keeps, of overlapping candidates, the longest, then the highest priority,
// then the first found. Candidates are taken in clusters that overlap one another,
// so the choice costs the square of a cluster's size, not of the text's.
func resolve(c []candidate) []Span {
	slices.SortStableFunc(c, func(a, b candidate) int { return a.Start - b.Start })
	var kept []Span
	for i := 0; i < len(c); {
		j, end := i+1, c[i].End
		for j < len(c) && c[j].Start < end {
			end = max(end, c[j].End)
			j++
		}
		cluster := c[i:j]
		slices.SortStableFunc(cluster, func(a, b candidate) int {
			if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
				return lb - la
			}
			return b.priority - a.priority
		})
		from := len(kept)
		for _, x := range cluster {
			if !slices.ContainsFunc(kept[from:], func(k Span) bool { return x.Start < k.End && k.Start < x.End }) {
				kept = append(kept, x.Span)
			}
		}
		slices.SortFunc(kept[from:], func(a, b Span) int { return a.Start - b.Start })
		i = j
	}
	return kept
}

// Redact replaces each identifier in text with its type in brackets.
func Redact(text string) string { return RedactSpans(text, Find(text)) }

// RedactSpans replaces each of spans (as Find returns them for text) with its type in
// brackets.
func RedactSpans(text string, spans []Span) string {
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, s := range spans {
		b.WriteString(text[at:s.Start])
		b.WriteString("[" + string(s.Type) + "]")
		at = s.End
	}
	b.WriteString(text[at:])
	return b.String()
}

// Counts is the number of identifiers of each type in spans.
func Counts(spans []Span) map[Type]int {
	n := map[Type]int{}
	for _, s := range spans {
		n[s.Type]++
	}
	return n
}

// CharSpans turns byte spans of text into spans counted in characters (Unicode code
// points), as `vellum deid --spans` reports them.
func CharSpans(text string, spans []Span) []Span {
	out := make([]Span, len(spans))
	chars, at := 0, 0
	for i, s := range spans {
		chars += utf8.RuneCountInString(text[at:s.Start])
		start := chars
		chars += utf8.RuneCountInString(text[s.Start:s.End])
		out[i] = Span{start, chars, s.Type}
		at = s.End
	}
	return out
}

func validIPv4(s string) bool {
	for _, p := range strings.Split(s, ".") {
		if n, err := strconv.Atoi(p); err != nil || n > 255 || (len(p) > 1 && p[0] == '0') {
			return false
		}
	}
	// Version numbers and section numbers rarely have four parts; 0.0.0.0 and the like
	// identify no one.
	return s != "0.0.0.0"
}

func validIPv6(s string) bool {
	if strings.Count(s, ":") < 4 && !strings.Contains(s, "::") {
		return false // a time of day (10:30:15) is no address
	}
	return net.ParseIP(s) != nil && strings.ContainsAny(s, "0123456789abcdefABCDEF")
}

// validSSN: no area 000, 666 or 9xx, no group 00, no serial 0000 (SSA's rules).
func validSSN(s string) bool {
	d := strings.NewReplacer("-", "", " ", "").Replace(s)
	if len(d) != 9 {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// validMDY: a month and a day that exist, in either order (US or day-first).
func validMDY(s string) bool {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(f) != 3 {
		return false
	}
	a, _ := strconv.Atoi(f[0])
	b, _ := strconv.Atoi(f[1])
	ok := func(m, d int) bool { return m >= 1 && m <= 12 && d >= 1 && d <= 31 }
	return ok(a, b) || ok(b, a)
}

// notMayVerb: "May 3" is a date, "may 3 times" is not; the month must be capitalized.
func notMayVerb(s string) bool { return !strings.HasPrefix(s, "may") }

func hasDigits(n int) func(string) bool {
	return func(s string) bool {
		c := 0
		for _, r := range s {
			if r >= '0' && r <= '9' {
				c++
			}
		}
		return c >= n
	}
}

// usStates are the two-letter codes of the states, DC and Puerto Rico.
var usStates = map[string]bool{}

func init() {
	for _, st := range strings.Split(states[3:len(states)-1], "|") {
		usStates[st] = true
	}
}

// stateAt checks that group g of the match is a state's code.
func stateAt(g int) func(string, []int) bool {
	return func(line string, m []int) bool { return m[2*g] >= 0 && usStates[line[m[2*g]:m[2*g+1]]] }
}

// codes finds the words of line that are codes (codeLike): letters and digits, with
// dashes inside, between spaces and punctuation.
func codes(line string) [][2]int {
	var out [][2]int
	isCode := func(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '-' }
	for i := 0; i < len(line); {
		if !isCode(line[i]) {
			i++
			continue
		}
		j := i
		for j < len(line) && isCode(line[j]) {
			j++
		}
		s, e := i, j
		for s < e && line[s] == '-' {
			s++
		}
		for e > s && line[e-1] == '-' {
			e--
		}
		// A code has letters and digits (a date or a phone number is no code here),
		// and stands alone: not glued to letters beyond ASCII.
		alone := (i == 0 || line[i-1] < 0x80) && (j == len(line) || line[j] < 0x80)
		if e > s && alone && strings.IndexFunc(line[s:e], func(r rune) bool { return isLetter(byte(r)) }) >= 0 && codeLike(line[s:e]) {
			out = append(out, [2]int{s, e})
		}
		i = j
	}
	return out
}

// units are what a number in a note is measured in: "500mg" is a dose, not a code.
var units = regexp.MustCompile(`(?i)^\d+(?:\.\d+)?(?:mg|mcg|µg|ug|g|kg|lb|lbs|ml|mL|l|L|cc|mm|cm|m|in|ft|iu|units?|u|meq|mmol|mol|hr|hrs|h|min|mins|s|sec|d|wk|wks|mo|yr|yrs|x|bpm|mmhg|%|st|nd|rd|th|am|pm|pack|packs|ppd|f|c|k)$`)

// clinicalCodes are codes with letters and digits that name no one.
var clinicalCodes = regexp.MustCompile(`(?i)^(?:covid-?19|sars-cov-2|h1n1|hba1c|a1c|b12|b6|d3|t[1-4]|l[1-5]|c[1-7]|s[1-5]|t1dm|t2dm|dm2|dm1|ckd[1-5]?|g[1-6]p[0-9]+|spo2|fio2|o2|co2|pco2|po2|hco3|nt-?probnp|ck-?mb|il-?\d+|cd\d+|her2|brca[12]|egfr|icd-?10|cpt|covid|hiv-?[12]|hsv-?[12]|ebv|cmv|rsv|hpv|mri|ct|ekg|ecg|eeg|emg|q\d+h?|x\d+|\d+x)$`)

// codeLike: letters and digits mixed, at least four digits, not a dose with its unit
// and not a clinical code.
func codeLike(s string) bool {
	if !hasDigits(4)(s) || units.MatchString(s) || clinicalCodes.MatchString(s) {
		return false
	}
	return true
}

// validVIN checks the check digit (position 9) of a 17-character VIN.
func validVIN(s string) bool {
	const weights = "8765432X098765432"
	value := func(r byte) int {
		switch {
		case r >= '0' && r <= '9':
			return int(r - '0')
		case r >= 'A' && r <= 'H':
			return int(r-'A') + 1
		case r >= 'J' && r <= 'N':
			return int(r-'J') + 1
		case r == 'P':
			return 7
		case r == 'R':
			return 9
		case r >= 'S' && r <= 'Z':
			return int(r-'S') + 2
		}
		return -1
	}
	if !hasDigits(1)(s) || strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := value(s[i])
		if v < 0 {
			return false
		}
		w := 10
		if weights[i] != 'X' {
			w = int(weights[i] - '0')
		}
		sum += v * w
	}
	check := sum % 11
	want := byte('0' + check)
	if check == 10 {
		want = 'X'
	}
	return s[8] == want
}
