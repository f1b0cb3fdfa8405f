package phi

import (
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
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
	cues cueIndex
	// digits: the rule matches nothing with fewer digits, and hints: nothing without
	// one of these (lower-case) in the line: lines without are not searched, which is
	// most of the speed.
	digits int
	hints  []string
	// pre, where set, is a cheaper test than re that a line must pass first.
	pre func(line string) bool
	// anchors, where set, finds the words re's match ends at (a state's code and ZIP,
	// a street's kind, credentials); re is then searched only in the few words
	// before each, which is most of the speed for a pattern that starts at any
	// capital.
	anchors func(line string) [][2]int
	// window is how far before its anchor a match may start, in bytes.
	window int
	// priority breaks ties between overlapping spans of the same length: the more
	// specific rule (an SSN, not just a number) wins.
	priority int
}

const (
	month  = `(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`
	states = `(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR)`
	// capWord is a capitalized word: Quenby, O'Brien, McDonald, DeShawn, Okafor-Lind.
	capWord = `\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:['’-]\p{L}+)*`
	// capsWord is a word in capitals, as names are in some headers: QUENBY, O'BRIEN.
	capsWord = `\p{Lu}(?:['’]?\p{Lu})+(?:-\p{Lu}+)*`
	// nameWord is one word of a name after a cue, with the particles surnames carry
	// (van der Berg, de la Cruz, St. John).
	nameWord = `(?:(?:[Vv][ao]n|VAN|VON|[Dd]e(?:ll)?[a-z]?|DE[LNR]?|[Dd][aiu]|DA|DI|DU|[Dd]os|DOS|[Ll][ae]|L[AE]|[Bb]int?|BINT?|[Ii]bn|IBN|[Aa][lp]|AL|[Ee]l|EL|[Aa]bu|ABU|Ó|N[ií]c?|NIC|Mac|S[Tt]\.?)[ \t])*(?:` + capWord + `|` + capsWord + `)`
	// personName is a name after a cue: up to three words, with initials, or
	// "Last, First".
	// (Alternatives are tried in order: "Last, First" before the name that is its
	// first word.)
	personName = `(?:` + nameWord + `,[ \t]*(?:` + nameWord + `(?:[ \t]` + nameWord + `)?(?:[ \t][A-Z]\b\.?)?|[A-Z]\b\.?)|(?:[A-Z]\.[ \t]*)?` + nameWord + `(?:[ \t](?:[A-Z]\.?[ \t])?` + nameWord + `){0,2}(?:[ \t][A-Z]\b\.?)?)`
	// number is what an identifier cue precedes: letters and digits, at least one
	// digit, dashes inside.
	number = `([A-Za-z]{0,4}-?\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)`
	// titleName is personName in capitalized words alone, where capitals would more
	// often be an abbreviation ("per EMS").
	titleWord = `(?:(?:St\.?|van|von|der|den|de|del|della|la|le|da|di|du|dos|bin|ibn|al|el)[ \t])*` + capWord
	titleName = `(?:` + titleWord + `,[ \t]*` + titleWord + `|(?:[A-Z]\.[ \t]*)?` + titleWord + `(?:[ \t](?:[A-Z]\.?[ \t])?` + titleWord + `){0,2})`
	// wordStart is where a word beyond ASCII may start too: \b knows only ASCII
	// letters, so "Łukasz" after a space has no \b before it.
	wordStart = `(?:^|[^\p{L}\p{N}_'’-])`
	// place is a city's name: Marble Falls, St. Louis, Coeur d'Alene, Winston-Salem.
	place = `(?:(?:St|Ft|Mt|Pt)\.?[ \t]+)?` + capWord + `(?:[ \t]+(?:(?:d['’]|de[ \t]+|la[ \t]+)?` + capWord + `)){0,2}`
	// cueEnd is what stands between a cue and its number: "number", "#", "ID", a
	// colon, a masked prefix ("MRN ...7573", "SS# ***-**-4474").
	cueEnd = `\s*(?:number|num|no\.?|#|id|ID)?\s*[:#]?\s*(?:\.{2,3}|…|[*xX]{3}-?[*xX]{2}-?|[*xX]{4,})?`
)

// h is a rule's hints.
func h(hints ...string) []string { return hints }

// months are the hints of the rules that read month names.
var months = h("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

var rules = []rule{
	{typ: Email, re: regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`), hints: h("@"), priority: 9},
	{typ: URL, re: regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'()]*[^\s<>"'().,;:!?]`), hints: h("http", "www."), priority: 9},
	// An address without its scheme: a host name under a common top-level domain,
	// and its path ("mychart.example.org/visit/7179").
	{typ: URL, re: regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|mil|io|us|info|biz|health|care|app|co)\b(?:/[^\s<>"'()]*[^\s<>"'().,;:!?])?`), hints: h(".com", ".org", ".net", ".edu", ".gov", ".mil", ".io", ".us", ".info", ".biz", ".health", ".care", ".app", ".co"), priority: 8},
	{typ: IP, re: regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`), valid: validIPv4, digits: 4, hints: h("."), priority: 8},
	{typ: IP, re: regexp.MustCompile(`(?i)\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b`), valid: validIPv6, digits: 1, hints: h("::", ":"), pre: hexColon, priority: 8},
	{typ: SSN, re: regexp.MustCompile(`\b(\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4})\b`), group: 1, valid: validSSN, digits: 9, priority: 8},
	{typ: SSN, re: regexp.MustCompile(`(?i)\b(?:SSN|social security(?: number| no\.?| #)?)\s*[:#]?\s*(\d{9}|\d{3}[- ]?\d{2}[- ]?\d{4})\b`), group: 1, digits: 9, hints: h("ssn", "social security"), priority: 9},
	{typ: SSN, re: regexp.MustCompile(`(?i)\b(?:SSN|SS#|SS no\.?|social security(?: number| no\.?| #)?)[ \t]*(?:\((?:last (?:4|four))\)|last (?:4|four)|#)?[ \t]*[:#]?[ \t]*(?:[*xX]{3}-?[*xX]{2}-?)?(\d{4})\b`), group: 1, digits: 4, hints: h("ssn", "ss#", "ss no", "social security"), priority: 9},
	// Part of an SSN is still one: "SSN ending 4846", "last 4 of SSN 4846".
	{typ: SSN, re: regexp.MustCompile(`(?i)\b(?:(?:SSN|social security(?: number| no\.?| #)?)[ \t]+(?:ending(?:[ \t]+in)?|last[ \t]+(?:4|four)(?:[ \t]+digits)?)|last[ \t]+(?:4|four)(?:[ \t]+digits)?[ \t]+of[ \t]+(?:the[ \t]+)?(?:SSN|social security(?: number)?))[ \t]*[:#]?[ \t]*(\d{4})\b`), group: 1, digits: 4, hints: h("ssn", "social security"), priority: 9},
	{typ: Fax, re: regexp.MustCompile(`(?i)\bfax(?:\s*(?:number|no\.?|#))?\s*[:#]?\s*((?:\+?1[-.\s]?)?\(?[2-9]\d{2}\)?[-.\s]?[2-9]\d{2}[-.\s]?\d{4})\b`), group: 1, digits: 10, hints: h("fax"), priority: 9},
	{typ: Phone, re: regexp.MustCompile(`(?:\+?1[-.\s]?)?(?:\([2-9]\d{2}\)[-\s]?|\b[2-9]\d{2}[-.\s/])[2-9]\d{2}[-.\s]\d{4}\b(?:\s*(?:x|ext\.?)\s*\d{1,5})?`), digits: 10, anchors: exchangeAnchors, window: 20, priority: 7},
	// A number without its area code: NXX-XXXX, alone.
	{typ: Phone, scan: sevenDigitPhones, digits: 7, hints: h("-"), priority: 6},
	{typ: Phone, re: regexp.MustCompile(`(?i)\b(?:phone|tel|cell|mobile|pager|call(?:ed)?(?: at)?)\s*[:#]?\s*(\d{10}|\d{3}-\d{4})\b`), group: 1, digits: 7, hints: h("phone", "tel", "cell", "mobile", "pager", "call"), priority: 7},
	// Dates: every element but the year.
	// Numeric dates: 2024-03-14, 03/14/2024, 14.3.24 (a scan of every run of digits and
	// separators, which is many times faster than four regular expressions of them).
	{typ: Date, scan: numericDates, digits: 4, priority: 6},
	// A month and day alone, after a word that says a date follows ("recheck 2-7",
	// "Friday, 9/3", "last dose: 11/23"), with a slash or a dash.
	{typ: Date, cues: dateCues, re: regexp.MustCompile(`^[ \t]*[:,]?[ \t]*(?:\p{Ll}+[ \t]+)?((?:0?[1-9]|1[0-2])[/-](?:0?[1-9]|[12]\d|3[01]))\b`), group: 1, validMatch: notFollowedByDigit, digits: 2, priority: 6},
	// A month and day with a slash anywhere, where it cannot be a score or a dose:
	// not over 2, 4, 5, 6 or 10 (pain 3/10, strength 5/5, reflexes 2/4, murmur 2/6,
	// half a tablet), not beside a scale's word (Apgars 8/9).
	{typ: Date, scan: monthDays, digits: 2, hints: h("/"), priority: 5},
	{typ: Date, re: regexp.MustCompile(`(?i)\b` + month + `\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?(?:,?[ \t]+(?:(?:19|20)\d{2}|'\d{2}))?\b`), valid: notMayVerb, digits: 1, hints: months, anchors: monthAnchors, window: 16, priority: 6},
	{typ: Date, re: regexp.MustCompile(`(?i)\b\d{1,2}(?:st|nd|rd|th)?(?:[ \t]+(?:of[ \t]+)?|-)` + month + `\.?(?:(?:,?[ \t]+|-)(?:\d{4}|\d{2}\b))?\b`), valid: notMayVerb, digits: 1, hints: months, anchors: monthAnchors, window: 16, priority: 6},
	{typ: Date, re: regexp.MustCompile(`(?i)\b` + month + `\.?(?:,?[ \t]+|-)(?:(?:19|20)\d{2}|'\d{2})\b`), valid: notMayVerb, digits: 2, hints: months, anchors: monthAnchors, window: 16, priority: 6},
	{typ: Date, re: regexp.MustCompile(`\b(?:January|February|March|April|June|July|August|September|October|November|December)\b`), hints: months, anchors: monthAnchors, window: 16, priority: 5},
	// Compact dates: 20211110, 03JAN2024.
	{typ: Date, re: regexp.MustCompile(`\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b`), digits: 8, pre: hasDigitRun(8), priority: 5},
	{typ: Date, re: regexp.MustCompile(`(?i)\b\d{1,2}` + month + `(?:\d{4}|\d{2})\b`), digits: 3, hints: months, priority: 6},
	// A day of the month alone, after "the": "until about the 8th", "on the 21st.".
	{typ: Date, re: regexp.MustCompile(`(?i)\bthe[ \t]+(\d{1,2}(?:st|nd|rd|th))(?:[ \t]*(?:[.,;:)]|$|at\b|@|is\b|and\b|or\b))`), group: 1, digits: 1, hints: h("the"), priority: 5},
	// A year that says its patient is over 89 (born in 1928): Safe Harbor takes it.
	{typ: Date, scan: oldYears, digits: 4, priority: 2},
	// Holidays name a day.
	{typ: Date, re: regexp.MustCompile(`\b(?:Christmas(?: Eve| Day)?|Thanksgiving(?: Day)?|Easter(?: Sunday)?|New Year'?s(?: Eve| Day)?|Labor Day|Memorial Day|Independence Day|Halloween|Valentine'?s Day|Mother'?s Day|Father'?s Day|Veterans Day|Martin Luther King(?: Jr\.?)? Day|Presidents'? Day|Juneteenth|July 4th|Fourth of July)\b`),
		hints: h("christmas", "thanksgiving", "easter", "new year", "labor day", "memorial day", "independence", "halloween", "valentine", "mother", "father", "veterans", "king", "presidents", "juneteenth", "july", "fourth"), priority: 6},
	{typ: Age, re: regexp.MustCompile(`(?i)\b(?:9\d|1[0-4]\d)(?:[ \t]*-[ \t]*|[ \t]+)?(?:y/?o|y\.o\.?|yrs?|years?)(?:[ \t-]+old)?(?:[ \t]?[MF]\b)?`), digits: 2, hints: h("y"), pre: hasOver89, priority: 6},
	// An age with the patient's sex, as sign-outs write it: "93M", "90F", "101m",
	// "95Y".
	{typ: Age, re: regexp.MustCompile(`\b(?:9\d|1[0-4]\d)[ \t]?(?:[MFmfY]|yo[MF])\b`), digits: 2, pre: hasOver89, priority: 6},
	{typ: Age, re: regexp.MustCompile(`(?i)\b(?:age[ds]?|aged|died at|death at|age of|at age)[ \t]*:?[ \t]*(9\d|1[0-4]\d)(?:[ \t]?(?:y|yo|yrs?|years?))?\b`), group: 1, digits: 2, hints: h("age", "died", "death"), priority: 6},
	// Spelled out: "ninety-seven-year-old".
	{typ: Age, re: regexp.MustCompile(`(?i)\b(?:ninety(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one hundred(?:(?: and)? (?:one|two|three|four|five|six|seven|eight|nine|ten))?)(?:[- ]years?[- ]old|[- ]year[- ]old)\b`), hints: h("ninety", "hundred"), priority: 6},
	// Places: a street address, a city before its state, ZIP codes after a state or cue.
	// A street address: house number (N5642, 16457 1/2, 10783½), direction, the
	// street's words and kind, a unit.
	{typ: Location, re: regexp.MustCompile(`\b(?:[NSEW]\d{1,6}|\d{1,6}(?:-?[A-Z]\b|[ \t]?1/2|½)?)[ \t]+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?[ \t]+)?(?:(?:` + capWord + `|Jr\.?|\d{1,3}(?:st|nd|rd|th))[ \t]+){1,5}` + streetKind + `\b\.?(?:[ \t](?:\d{1,5}|[A-Z]{1,2})\b)?(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|Lot|Trlr|Rm|#)\.?[ \t]*#?\w+)?`), digits: 1, anchors: streetKindAnchors, window: 72, priority: 7},
	// A street without a house number, after a word that says a place follows ("trailer
	// on Township Rd 560", "L on Old Elm Spur"), or with a kind no word but a
	// street has.
	{typ: Location, cues: cueList("on", "at", "off", "onto", "address", "via", "down", "up", "past", "take", "along"),
		re: regexp.MustCompile(`^[ \t]*:?[ \t]+((?:` + capWord + `[ \t]){1,4}` + streetKind + `\b(?:[ \t]\d{1,5}\b)?)`), group: 1, priority: 5},
	{typ: Location, re: regexp.MustCompile(`\b((?:` + capWord + `[ \t]){1,4}(?:Rd|Road|Spur|Loop|Pike|Trail|Trl|Hwy|Highway|Pkwy|Parkway|Boulevard|Blvd|Avenue|Ave|Lane|Ln)\b(?:[ \t]\d{1,5}\b)?)`), validMatch: notNoteWordsOnly, anchors: plainStreetKindAnchors, window: 64, priority: 4},
	{typ: Location, re: regexp.MustCompile(`(?i)\b(?:P\.?[ \t]?O\.?[ \t]*Box|RR[ \t]*\d{1,3},?[ \t]*Box|Rural Route[ \t]*\d{1,3},?[ \t]*Box|HC[ \t]*\d{1,3},?[ \t]*Box)[ \t]*#?\d{1,6}\b`), digits: 1, hints: h("box"), priority: 7},
	{typ: Location, scan: cityBeforeState, hints: h(","), priority: 5},
	{typ: Location, cues: cueList("lives in", "living in", "resides in", "resident of", "moved from", "moved here from", "moved to", "born in", "home in", "grew up in", "relocated to", "relocated from"),
		re: regexp.MustCompile(`^[ \t]+(` + place + `)`), group: 1, priority: 5},
	{typ: Location, re: regexp.MustCompile(`\b(?:(?:St|Ft|Mt)\.?[ \t])?` + capWord + `(?:[ \t]` + capWord + `)?[ \t](?:County|Parish|Borough|Township)\b`), hints: h("county", "parish", "borough", "township"), priority: 5},
	// A city after a word that says a place follows: "urgent care in Temple", "out
	// of Hidalgo County", "near Winston-Salem", "birthplace Marion". Weaker than the
	// rules above: a name or a date found there wins.
	{typ: Location, cues: cueList("in", "near", "outside", "outside of", "out of", "from", "to", "birthplace", "hometown", "visiting", "around", "towards", "toward"),
		re: regexp.MustCompile(`^[ \t]+(` + place + `)`), group: 1, validMatch: placeAfterCue, priority: 2},
	// A city, in capitals or not, before a state's code and a ZIP code: "FORT WAYNE IN
	// 36729", "Duluth MN 82963".
	{typ: Location, re: regexp.MustCompile(wordStart + `((?:(?:St|Ft|Mt)\.?[ \t])?(?:` + capWord + `|` + capsWord + `)(?:[ \t](?:` + capWord + `|` + capsWord + `)){0,2}),?[ \t]+([A-Z]{2})[ \t]+\d{5}\b`), group: 1, validMatch: stateAt(2), digits: 5, anchors: stateZIPAnchors, window: 48, priority: 5},
	{typ: ZIP, re: regexp.MustCompile(`\b([A-Z]{2}),?[ \t]+(\d{5}(?:-\d{4})?)\b`), group: 2, validMatch: stateAt(1), digits: 5, anchors: stateZIPAnchors, window: 8, priority: 7},
	{typ: ZIP, re: regexp.MustCompile(`(?i)\b(?:zip|postal)(?:\s*code)?\s*[:#]?\s*(\d{5}(?:-\d{4})?)\b`), group: 1, digits: 5, hints: h("zip", "postal"), priority: 7},
	// Numbers after the cue that says what they are.
	{typ: MRN, re: regexp.MustCompile(`(?i)(?:^|[^\w-])(?:MRN|MR#|medical record|chart|hospital)` + cueEnd + number), group: 1, valid: hasDigits(3), digits: 3, hints: h("mr", "medical record", "chart", "hospital"), priority: 8},
	// A Vellum note's "Patient:" line holds the patient's record number.
	{typ: MRN, re: regexp.MustCompile(`(?im)^[ \t]*patient[ \t]*:[ \t]*([A-Z0-9]+(?:-[A-Z0-9]+)*)[ \t]*$`), group: 1, valid: hasDigits(1), digits: 1, hints: h("patient"), priority: 8},
	{typ: HealthPlan, re: regexp.MustCompile(`(?i)\b(?:member|subscriber|beneficiary|policy|group|insurance|medicaid|medicare|health plan|plan)` + cueEnd + number), group: 1, valid: hasDigits(4), digits: 4, hints: h("member", "subscriber", "beneficiary", "policy", "group", "insurance", "medicaid", "medicare", "plan"), priority: 8},
	{typ: Account, re: regexp.MustCompile(`(?i)\b(?:account|acct|billing|invoice|encounter|visit|claim|FIN|CSN|HAR|financial)` + cueEnd + number), group: 1, valid: hasDigits(4), digits: 4, hints: h("fin", "csn", "har", "account", "acct", "billing", "invoice", "encounter", "visit", "claim"), priority: 8},
	{typ: License, re: regexp.MustCompile(`(?i)\b(?:licen[cs]e|lic\.?|DEA|NPI|certificate|cert\.?|registration|passport|driver'?s license|DL)` + cueEnd + `((?:[A-Za-z]{0,4}-?\d[A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*))`), group: 1, valid: hasDigits(4), digits: 4, hints: h("licen", "lic", "dea", "npi", "cert", "registration", "passport", "dl"), priority: 8},
	{typ: Vehicle, re: regexp.MustCompile(`(?i)\b(?:license plate|plate|tag|VIN|vehicle)\b` + cueEnd + `([A-Z0-9]{2,4}[- ]?[A-Z0-9]{2,5})\b`), group: 1, valid: hasDigits(1), digits: 1, hints: h("plate", "tag", "vin", "vehicle"), priority: 8},
	{typ: Vehicle, re: regexp.MustCompile(`\b[A-HJ-NPR-Z0-9]{17}\b`), valid: validVIN, digits: 1, pre: hasAlnumRun(17), priority: 8},
	// An aircraft's registration (N-number) after its cue.
	{typ: Vehicle, re: regexp.MustCompile(`(?i)\b(?:aircraft|tail(?: number| #)?|helicopter|airplane|n-number)[ \t]*[:#]?[ \t]*(N[0-9][0-9A-Z]{1,5})\b`), group: 1, digits: 1, hints: h("aircraft", "tail", "helicopter", "airplane", "n-number"), priority: 8},
	// A health plan's member number after the plan's name: "Aetna 441314418 01",
	// "Medicare Adv ID 810781027 03".
	{typ: HealthPlan, cues: cueList("aetna", "uhc", "united healthcare", "unitedhealthcare", "medicaid", "medicare", "medicare adv", "medicare advantage", "medi-cal", "regence", "humana", "cigna", "bcbs", "blue cross", "blue cross blue shield", "blue shield", "kaiser", "tricare", "anthem", "molina", "centene", "ambetter", "oscar", "wellcare", "highmark", "premera", "caresource", "amerigroup", "member id", "insurance card", "insurance"),
		re: regexp.MustCompile(`(?i)^[ \t]*(?:id|#|no\.?|number)?[ \t]*[:#]?[ \t]*(?:its|is)?[ \t]*([A-Z]{0,4}\d{6,}(?:[ \t-]\d{2}\b)?)`), group: 1, digits: 6, priority: 8},
	// Other numbers after the word that says what they are: an accession, a case, a
	// referral, a kit, a specimen.
	{typ: ID, cues: cueList("accession", "acc", "specimen", "specimen id", "sample", "sample id", "ref", "reference", "referral", "case", "kit", "order", "requisition", "req", "confirmation", "conf", "auth", "authorization", "ticket", "report", "incident", "barcode", "label", "tracking", "study", "subject", "protocol", "container", "cassette", "block", "slide", "batch", "rx", "prescription"),
		re: regexp.MustCompile(`^` + cueEnd + number), group: 1, valid: hasDigits(3), digits: 3, priority: 3},
	{typ: ID, re: regexp.MustCompile(`#[ \t]?(\d[\d-]{3,}\d|[A-Z]{1,4}-?\d{4,}[A-Z0-9-]*)\b`), group: 1, valid: hasDigits(4), digits: 4, hints: h("#"), priority: 2},
	{typ: Device, re: regexp.MustCompile(`(?i)\b(?:serial|S/N|SN|device|lot|UDI|implant|pacemaker|model)` + cueEnd + number), group: 1, valid: hasDigits(3), digits: 3, hints: h("serial", "s/n", "sn", "device", "lot", "udi", "implant", "pacemaker", "model"), priority: 8},
	{typ: Biometric, re: regexp.MustCompile(`(?i)\b(?:fingerprint|finger print|retina(?:l)? scan|iris scan|voice ?print|palm ?print|face ?print|biometric)` + cueEnd + number), group: 1, digits: 1, hints: h("finger", "retina", "iris", "voice", "palm", "face", "biometric"), priority: 8},
	// Any other unique code: seven digits or more in one run, or letters and digits
	// mixed with four digits or more (not a dose with its unit).
	{typ: ID, re: regexp.MustCompile(`\b\d{7,}\b`), digits: 7, pre: hasLongDigitRun(7), priority: 2},
	{typ: ID, scan: codes, digits: 4, priority: 1},
}

// credentialWords follow a clinician's name ("Earl Young, CRNA"), as written; the
// rule that reads them takes its pattern, anchors and hints from this one list.
var credentialWords = strings.Fields(`MD M.D. DO D.O. RN NP PA-C PA PhD LPN CNA MSW LCSW PharmD RPh DPM DDS DMD CRNA DPT PT OT OTR
	SLP CCC-SLP RD RDN CNM APRN FNP FNP-C DNP ARNP MSN BSN LMFT LPC EMT EMT-P NRP RRT CMA MA CPhT OD DC AuD PsyD LMSW LICSW
	LSW MDiv MBBS MBChB BCPS IBCLC CCLS`)

// credentials is credentialWords as an alternation, in their order ("PA-C" before "PA").
var credentials = func() string {
	q := make([]string, len(credentialWords))
	for i, w := range credentialWords {
		q[i] = regexp.QuoteMeta(w)
	}
	return `(?:` + strings.Join(q, "|") + `)`
}()

var nameRules = []nameRule{
	// After a title, a person: "Dr Babinski", "Dr Friday" are names there.
	{cues: cueList("dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sister", "father", "rev", "officer", "ofc", "agent", "det", "sgt", "chaplain", "pastor", "judge", "atty", "nurse",
		"capt", "captain", "lieutenant", "imam", "rabbi", "deacon", "coach", "deputy"),
		re: regexp.MustCompile(`^\.?[ \t]+(` + personName + `)`), validMatch: titleCapitalized, priority: 5, person: true},
	// A label and a colon: "Patient: Tavia Quenby", "PATIENT NAME: QUENBY, TAVIA".
	{cues: cueList("patient", "pt", "name", "patient name", "signed by", "signed", "seen by", "attending", "resident", "nurse", "pcp", "referred by", "referring", "provider", "physician", "dictated by", "transcribed by", "contact", "emergency contact", "next of kin", "guardian", "caregiver", "witness", "caller", "re", "rn", "triage rn", "ordering", "interpreter", "author", "surgeon", "anesthesiologist", "assistant", "scribe",
		"from", "mother", "father", "nf", "night float", "day team", "prescriber", "prescribers", "hcp", "poa", "dpoa", "proxy", "informant", "historian", "crna", "scrub", "circulator", "fob", "spouse", "parent", "parents", "sender", "recipient", "attn", "attention", "cc", "pharmacist", "accepting", "baby's name", "baby name", "infant name", "maiden name",
		"father's name", "mother's name", "mother's maiden name", "hcp", "dtr", "son", "daughter", "wife", "husband", "team",
		"deceased", "decedent", "off-going", "oncoming", "handed over", "handover to", "attendees", "apologies", "minutes", "sponsor", "landlord"),
		re: regexp.MustCompile(`^[ \t]*:[ \t]*(` + personName + `)`), priority: 5},
	// Words that take a person after them, no colon: "calling about Yuki", "Pt Will
	// Green, rm 460", "I have asked Taman to return".
	{cues: cueList("pt", "patient", "referring", "calling about", "called about", "asked", "told", "informed", "spoke with", "spoke to", "discussed with", "accompanied by", "brought in by", "read by", "routed to", "updated by", "reviewed with", "seen with", "evaluated by", "examined by", "signed by", "cosigned by", "attested by", "covering for", "message for", "message from", "regarding", "re",
		"transcribed by", "called to", "by rn", "rn", "crew rn", "investigator", "caseworker is", "po is", "hi", "hello", "thanks", "thank you", "sincerely", "regards", "paged", "notified", "texted", "emailed", "left message for", "lvm for", "seen by", "attending", "hcp", "dtr", "maiden name", "father's name",
		"mother's name", "name him", "name her", "named", "baby's name", "resident", "intern", "fellow", "pharmacist", "accepting",
		// People named by their role: "sitter Lakshmi", "pharmacy tech Karim",
		// "former boss Ignacio Quintanilla", "CM Siobhan following".
		// Only nouns that name a person, never a test, a drug or a heading ("PCA
		// Morphine", "CM Right", "Principal Diagnosis" are why cm, pca and principal
		// are not here).
		"sitter", "doula", "midwife", "sponsor", "tech", "technician", "director", "supervisor", "boss", "facilitator", "landlord", "landlady", "priest",
		"case manager", "social worker", "babysitter", "nanny", "teacher", "employer", "paramedic", "foreman", "volunteer", "translator",
		"counselor", "counsellor", "mentor", "tutor", "lawyer", "attorney", "dietitian", "physiotherapist", "psychologist", "carer", "homemaker"),
		re: regexp.MustCompile(`^[ \t]+(` + titleName + `)`), priority: 4},
	// A person and the department they come from: "Priya from pharmacy". Not at a
	// sentence's start ("Returned from Radiology"); the acronyms in capitals only
	// ("from pt" is from the patient).
	{re: regexp.MustCompile(wordStart + `(` + titleName + `)[ \t]+[Ff]rom[ \t]+(?:the[ \t]+)?(?:(?i:` + departments + `)|OT|PT|SLT|SALT)\b`),
		hints: h(" from "), anchors: departmentAnchors, window: 56, validMatch: notSentenceStart, priority: 4},
	{cues: cueList("pt", "patient"), re: regexp.MustCompile(`^[ \t]+(` + capsWord + `[ \t]+` + capsWord + `)\b`), priority: 4},
	// A typist's or author's initials: "transcribed by MM", "T: YM".
	{cues: cueList("transcribed by", "typed by", "dictated by", "t", "d", "initials", "by"), re: regexp.MustCompile(`^[ \t]*:?[ \t]*([A-Z]{2,3})\b(?:[ \t]*(?:$|[.;,/]))`), priority: 4, person: true},
	{cues: cueList("wife", "husband", "son", "daughter", "mother", "father", "mom", "dad", "sister", "brother", "partner", "spouse", "fiance", "fiancee", "friend", "neighbor", "neighbour", "grandson", "granddaughter", "grandmother", "grandfather", "aunt", "uncle", "niece", "nephew", "cousin", "caregiver", "roommate",
		"stepfather", "stepmother", "stepson", "stepdaughter", "son-in-law", "daughter-in-law", "mother-in-law", "father-in-law", "brother-in-law", "sister-in-law", "grandma", "grandpa", "children", "kids", "child", "half-brother", "half-sister", "boyfriend", "girlfriend", "godmother", "godfather", "ex-wife", "ex-husband", "guardian", "fob", "granddaughters", "grandsons", "sons", "daughters", "twin"),
		re: regexp.MustCompile(`^(?:,|[ \t]+named|[ \t]+is)?[ \t]+(` + personName + `)`), priority: 4},
	// Credentials after a name outrank "City, ST": MD and PA are states too.
	{re: regexp.MustCompile(wordStart + `(` + personName + `),?[ \t]+\(?(?:` + credentials + `|MS[1-4])\b`), anchors: credentialAnchors, window: 48, priority: 6, person: true,
		hints: credentialWords, exactHints: true},
	// A role after a name and a comma, as a signature block writes it: "Huong Ngo,
	// Bereavement Coordinator".
	{re: regexp.MustCompile(`(?m)^[ \t]*(` + personName + `),[ \t]+(?:[A-Z][a-z]+[ \t]){0,2}(?:` + roleTitles + `)\b`), hints: strings.Split(roleTitles, "|"), exactHints: true, anchors: roleTitleAnchors, window: 64, priority: 4},
	{re: regexp.MustCompile(`\bDear[ \t]+(` + personName + `)`), priority: 4, hints: h("dear")},
	{re: regexp.MustCompile(wordStart + `(` + personName + `)[ \t]+is[ \t]+an?[ \t]+\d{1,3}[- ]?(?:year|yr|y/?o|y\.o|yo|month|week)`), priority: 4, hints: h(" is a"), person: true},
	{re: regexp.MustCompile(wordStart + `(` + personName + `)[ \t]+\((?:DOB|MRN|age)\b`), priority: 4, hints: h("(dob", "(mrn", "(age"), person: true},
	// A name with an age and sex, as sign-outs write them: "Cash Burns (55M)",
	// "FROST, Renée 74M", "HW (28 y/o)", "Wei (9)".
	{re: regexp.MustCompile(wordStart + `(` + personName + `|[A-Z]{2,3}),?[ \t]+(?:\(\d{1,3}[ \t]?(?:(?:y/?o|yo|y\.o\.|yr|yrs)[ \t]?[MFmf]?|[MFmf])?\)|\d{1,3}[ \t]?(?:(?:y/?o|yo|y\.o\.|yr|yrs)[ \t]?[MFmf]?|[MFmf])(?:[ \t]|$|[,;|.]))`), anchors: ageMarkAnchors, window: 40, priority: 4},
	// Names in a list of a team: "Day team: Brown/Wilson".
	{re: regexp.MustCompile(`(?:^|[ \t:])(` + titleWord + `(?:/` + titleWord + `)+)\b`), validMatch: slashNames, hints: h("team", "attendings", "residents"), priority: 3},
	{cues: cueList("mailbox says", "mailbox reads", "name on the mailbox", "name on mailbox", "sign says"), re: regexp.MustCompile(`^[ \t]*:?[ \t]+(` + personName + `)`), priority: 4},
	// Informal messages write names in lower case after "my son", "hi dr".
	{cues: cueList("my son", "my daughter", "my grandson", "my granddaughter", "my grandaughter", "my nephew", "my niece", "my wife", "my husband", "my sister", "my brother", "my mom", "my dad", "my friend", "my neighbor", "hi dr", "hello dr", "dear dr", "hi dr.", "hello dr.",
		"thx"),
		re: regexp.MustCompile(`^\.?[ \t]+(\p{Ll}[\p{Ll}'-]+(?:[ \t]\p{Ll}\b)?)`), validMatch: notFunctionWord, priority: 3},
	// A nickname in quotes, with the name around it: Josephine "Jo" Lefèvre,
	// Robert Şahin "Bobby".
	{re: regexp.MustCompile(wordStart + `((?:` + titleWord + `[ \t])?["“]` + titleWord + `["”](?:[ \t]` + nameWord + `)?)`), hints: h("\"", "“"), priority: 4},
	// A person and, in brackets, who they are: "Kenji (partner)", "Bilal E (aide)".
	// Not blood relatives, which a family history writes after a disease ("Asthma
	// (brother)"), and not a word in capitals ("HLD (partner)").
	{re: regexp.MustCompile(wordStart + `(` + titleName + `(?:[ \t][A-Z]\b)?)[ \t]*\((?i:` + bracketRoles + `)\b`), hints: h("("), anchors: bracketRoleAnchors, window: 48, priority: 4},
	// The sender of a forwarded message, often in lower case: "From: aiko lin   Sent: ...".
	{re: regexp.MustCompile(`(?i:from):[ \t]+(\p{Ll}[\p{Ll}'-]+(?:[ \t]\p{Ll}[\p{Ll}'-]+){0,3})[ \t]+(?i:sent|date):`), hints: h("from:"), validMatch: noLowerNoteWord, priority: 4},
	// A sign-off: "-- Hope T., RN".
	{re: regexp.MustCompile(`(?m)^[ \t]*(?:--|—)[ \t]*(` + personName + `)`), priority: 4, hints: h("--", "—")},
}

// nameRule finds names by what stands before or after them (group 1 is the name).
type nameRule struct {
	re       *regexp.Regexp
	priority int
	hints    []string // as a rule's
	// exactHints: hints are matched in the line as written, not lower-cased
	// (credentials are capitals; "do" and "pa" are in every other line).
	exactHints bool
	// cues, where set, are words (lower-case) that re must match right after,
	// anchored: finding the words first is many times faster than a regular
	// expression of them.
	cues cueIndex
	// validMatch, pre and anchors, where set, are as a rule's.
	validMatch func(line string, m []int) bool
	pre        func(line string) bool
	anchors    func(line string) [][2]int
	window     int
	// person: what the rule finds is a person whatever the word (a title before
	// it), so eponyms and note words other than titles stay ("Dr Babinski",
	// "Dr Friday").
	person bool
}

// matches returns where r matches line (lower is line in lower case), with the
// submatch indexes FindAllStringSubmatchIndex gives.
func (r nameRule) matches(line, lower string) [][]int {
	if r.pre != nil && !r.pre(line) {
		return nil
	}
	if r.cues == nil {
		if r.hints != nil && (r.exactHints && !containsAny(line, r.hints) || !r.exactHints && !containsAny(lower, r.hints)) {
			return nil
		}
		if r.anchors != nil {
			return nearAnchors(line, r.anchors, r.window, r.re)
		}
		return r.re.FindAllStringSubmatchIndex(line, -1)
	}
	return cueMatches(line, lower, r.cues, r.re)
}

// cueMatches finds each cue of idx in lower, and returns where
// re, anchored at ^, matches line right after it, with its submatch indexes.
func cueMatches(line, lower string, idx cueIndex, re *regexp.Regexp) [][]int {
	var out [][]int
	for i := 0; i < len(lower); {
		if !isLetter(lower[i]) || (i > 0 && isLetter(lower[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(lower) && isLetter(lower[j]) {
			j++
		}
		for _, cue := range idx[lower[i:j]] {
			end := i + len(cue)
			if !strings.HasPrefix(lower[i:], cue) || (end < len(lower) && isLetter(lower[end])) {
				continue // inside a word ("accept" is no "cc")
			}
			if m := re.FindStringSubmatchIndex(line[end:]); m != nil {
				for k := range m {
					if m[k] >= 0 {
						m[k] += end
					}
				}
				out = append(out, m)
			}
		}
		i = j
	}
	return out
}

// cueIndex is a list of cues by their first word, so that a line is read once for
// all of them.
type cueIndex map[string][]string

// cueList indexes cues (lower case, whole words) by their first word.
func cueList(cues ...string) cueIndex {
	idx := cueIndex{}
	for _, c := range cues {
		first := c
		if k := strings.IndexFunc(c, func(r rune) bool { return r < 'a' || r > 'z' }); k > 0 {
			first = c[:k]
		}
		idx[first] = append(idx[first], c)
	}
	return idx
}

// eponyms are surnames that name diseases, signs, tests and instruments. They are
// names of people too ("Dr. Murphy", "Mohammed Allen"), so they are left alone only
// where a clinical word follows them or they take the possessive: "Murphy sign",
// "Parkinson disease", "Bell's palsy" (eponymInUse).
var eponyms = wordSet(`Parkinson Hodgkin Hodgkins Alzheimer Crohn Addison Cushing Graves Hashimoto Bell Down Tourette
	Huntington Wilson Raynaud Sjogren Sjögren Kaposi Wernicke Korsakoff Guillain Barre Barré Epstein Barr Babinski Murphy
	McBurney Glasgow Apgar Foley Swan Ganz Whipple Nissen Roux Billroth Hartmann Bence Jones Kawasaki Marfan Meniere
	Ménière Paget Peyronie Reiter Reye Tay Sachs Turner Klinefelter Lyme Ebstein Fallot Kussmaul Cheyne Stokes
	Trendelenburg Valsalva Heimlich Homan Homans Kernig Brudzinski Romberg Phalen Tinel Finkelstein Lachman McMurray
	Spurling Allen Doppler Holter Gram Wright Ziehl Mallory Weiss Boerhaave Barrett Zenker Meckel Hirschprung
	Hirschsprung Wilms Ewing Burkitt Bartholin Baker Colles Smith Monteggia Galeazzi Osgood Schlatter Legg Perthes
	Ortolani Barlow Cotton Thompson Hawkins Neer Apley Thessaly Yergason Speed Finkelstein Adson Allis Galeazzi
	Bovie Pfannenstiel Kocher McBurney Lanz Calot Hasson Veress Jackson Pratt Blake Penrose Hemovac Tenckhoff
	Hickman Broviac Groshong Mediport Quinton Sengstaken Blakemore Minnesota Salem Miller Macintosh`)

// eponymFollowers are the words that make an eponym before them a clinical term.
var eponymFollowers = wordSet(`disease diseases syndrome sign signs test tests maneuver manoeuvre palsy catheter catheters
	lymphoma sarcoma tumor tumour phenomenon reflex score scale classification criteria procedure operation esophagus
	diverticulum ulcer ulcers triad node nodes loop tube bag pouch block stockings cell cells fracture shunt forceps
	fundoplication respiration respirations breathing point position stain protein proteins cyst gland abscess
	disorder dementia encephalopathy tear tears thyroiditis monitor probe ultrasound study studies neg negative
	positive pos downgoing upgoing equivocal intact absent present dz electrocautery incision drain drains
	line port blade retractor maneuvers`)

// noteWords are words a cue may stand before that are not names: the words of the
// note itself, titles, departments, days, relatives and diseases written with a
// capital.
var noteWords = wordSet(`Patient Pt Name Doctor Dr Mr Mrs Ms Miss Mx Prof Rev Nurse Physician Provider Resident
	Attending Unknown None Not Denies Reports States Presents With The This That Mother Father Son Daughter Wife
	Husband Sister Brother Family Chief Complaint History Plan Assessment Subjective Objective Exam Today Yesterday
	Tomorrow Morning Evening Night Monday Tuesday Wednesday Thursday Friday Saturday Sunday Emergency Department
	Clinic Hospital Health Center Medical Primary Care Service Internal Medicine Surgery Cardiology Neurology
	Oncology Pediatrics Radiology Psychiatry Nephrology Endocrinology Pulmonology Gastroenterology Urology Orthopedics
	Hospitalist Hospitalists Team Staff Sent Called Left Message Was Has Had And Or But Also Who He She They It
	His Her Their Physical Occupational Therapy Social Work Pharmacy Home Nursing Hospice Palliative Case Management
	Breast Colon Lung Prostate Ovarian Pancreatic Cervical Skin Bladder Diabetes Hypertension Stroke Cancer Dementia
	Heart Kidney Liver Deceased Alive Healthy Living Died Passed Age Aged Adopted Noncontributory Type Unremarkable
	ED ICU EMS OR PACU CAD CHF COPD MI DM HTN CVA CA PCP NP PA RN MD DO Lab Labs Imaging Results Pending Normal
	Negative Positive No Yes Per See Call Return Follow Discharge Admission Admit Transfer Code Status Full DNR DOB MRN SSN ID
	General Regional Local Spinal Epidural Bed Rm Room Unit Floor Day Team Night Float Hi Hello Thanks Dear From To Re
	Triage Retired AM PM PACS Tel Fax Phone Cell Pager Email Agent Officer Therapist Manager Coordinator Services
	Program Support Admissions Note Notes Bereavement Counselor Counsellor Director Supervisor Liaison Navigator`)

// wordsToo are given names and surnames that are common English words as well. Found
// again where a sentence starts ("Will continue to monitor", "Hope to ambulate"),
// such a word is the word, not the name.
var wordsToo = wordSet(`Will Hope Grace Faith Joy Bill Mark Art Rose June April May Dawn Sky Frank Jack Ray Sue
	Carol Bob Pat Sandy Rich Chase Hunter Grant Young Brown White Black Green Gray Grey King Hill Price Long Cook
	Wood Stone Banks Moss Fox Bell Rice Hall Lane Field Fields Ford Cross Rivers Lake Wells Page Day Gay Hale
	Summer Summers Autumn Winter Rain Star Violet Lily Iris Holly Ivy Daisy Pearl Ruby Amber Crystal Ginger
	Miles Norman Drew Guy Gene Bud Max Sonny Rusty Buck Dean Lance Wade Cliff Glen Dale Heath Reed Rock`)

// sentenceStart says whether line[i:] starts a sentence: the line's first word, or
// the first after a full stop, question or exclamation mark.
func sentenceStart(line string, i int) bool {
	before := strings.TrimRight(line[:i], " \t\"'(")
	return before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, "?") || strings.HasSuffix(before, "!") || strings.HasSuffix(before, ":")
}

// surnameToo are note words that are surnames as well: last in a name of two words
// or more they stay ("Jennifer Day", "Dagny Friday").
var surnameToo = wordSet(`Day Friday Sunday Monday Winter Summer Summers Love Early Person Bishop May June April
	Hope Will Young Strong Little King Price Hill Long Moss Banks Stone Fox Bell Cross Rivers Wells Page Lane`)

// personStop are the words that end a name even after a title.
var personStop = wordSet(`Patient Pt The This That And Or But He She They It His Her Their Was Has Had Who With To
	Of In On At For From By Is Are Dr Mr Mrs Ms Miss Triage Retired Charge Staff Primary Night Float Floor Unit Clinic
	ED ICU Bedside Visiting Home Health Attending Resident Covering Consulting Nurse Student Medical`)

// slashNames: every part of "Brown/Wilson" after a team's label is a capitalized
// word that is no note word (not "Hep B/C", "N/V", "Pain/Fever").
func slashNames(line string, m []int) bool {
	if prev := prevWord(line, m[2]); prev != "team" && prev != "teams" && prev != "attendings" && prev != "residents" {
		return false
	}
	for _, w := range strings.Split(line[m[2]:m[3]], "/") {
		if !capitalized(strings.NewReplacer("-", "", "'", "").Replace(w)) || noteWords[w] {
			return false
		}
	}
	return true
}

// functionWords are the lower-case words that follow "my son" and are no name.
var functionWords = wordSet(`is was and or will has had said says who came called went lives lived can cant could would
	should took takes take picked picks gave gives got gets brought brings drove drives set helped helps thinks
	thought told tells wants wanted needs needed to the a an in on at for with from of by it he she they also just
	did does didnt doesnt isnt wasnt already always never still too ok okay been gonna going not me my your you u
	about because time that this here there fine good bad better worse getting really very so again sorry the all
	for from in out up down over what when where why how which if then than your yours our us we them him her his
	hers its it im ive id dont cant wont please pls thank thanks thx much lot bit little more less new old same
	appointment appt message msg question refill doctor dr nurse office clinic today tomorrow yesterday week morning
	night evening afternoon weekend monday tuesday wednesday thursday friday saturday sunday pain meds medicine`)

// noLowerNoteWord: no word of the match is a function word or, lower-cased, a note
// word ("From: nurse triage" is no name).
func noLowerNoteWord(line string, m []int) bool {
	for _, w := range strings.Fields(line[m[2]:m[3]]) {
		if functionWords[w] || lowerNoteWords[w] {
			return false
		}
	}
	return true
}

var lowerNoteWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range noteWords {
		m[strings.ToLower(w)] = true
	}
	return m
}()

// notSentenceStart: the match does not start a sentence, where every word is
// capitalized.
func notSentenceStart(line string, m []int) bool { return !sentenceStart(line, m[2]) }

// notFunctionWord: the lower-case word after "my son" is no verb or particle.
func notFunctionWord(line string, m []int) bool {
	w := line[m[2]:m[3]]
	if i := strings.IndexAny(w, " \t"); i >= 0 {
		w = w[:i]
	}
	return !functionWords[w]
}

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// notName says whether the word of text at [start, end) is no name where it stands:
// a note word, or an eponym used as one.
func notName(text string, start, end int) bool {
	w := strings.TrimRight(text[start:end], ".,")
	if noteWords[w] {
		return true
	}
	if base, ok := strings.CutSuffix(strings.TrimSuffix(w, "s"), "'"); ok && eponyms[base] {
		return true // Crohn's, Graves'
	} else if base, ok := strings.CutSuffix(strings.TrimSuffix(w, "s"), "’"); ok && eponyms[base] {
		return true
	}
	return eponyms[w] && eponymInUse(text, end)
}

// eponymInUse says whether text at end continues an eponym into a clinical term: an
// apostrophe, or one of eponymFollowers as the next word (a second eponym between,
// as "Guillain Barre syndrome").
func eponymInUse(text string, end int) bool {
	rest := text[end:]
	if strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "’") {
		return true
	}
	for range 3 {
		rest = strings.TrimLeft(rest, " \t-/&")
		if low := strings.ToLower(rest); strings.HasPrefix(low, "and ") || strings.HasPrefix(low, "or ") {
			rest = rest[strings.IndexByte(rest, ' '):] // "Ortolani and Barlow negative"
			continue
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
		if i < 0 {
			i = len(rest)
		}
		next := rest[:i]
		if eponymFollowers[strings.ToLower(next)] {
			return true
		}
		if !eponyms[next] {
			return false
		}
		rest = rest[i:]
	}
	return false
}

// Find returns the identifiers in text: byte spans, sorted by start, not overlapping
// (of two that overlap, the longer wins, then the more specific).
//
// Each line is searched on its own (an identifier does not run across lines), which
// also keeps each search short: Go's regular expressions take a faster path on short
// inputs. A line over maxSegment bytes is searched in pieces cut at spaces.
func Find(text string) []Span { return resolve(candidates(text)) }

// Known is an identifier the caller knows of — the patient's MRN from the record,
// the signer's name — to be found wherever it appears in a text, whatever the
// patterns say: Safe Harbor asks that nothing the covered entity knows to identify
// the patient remain.
type Known struct {
	Text string
	Type Type
}

// FindWith is Find, with every whole-word occurrence of each of known found too, in
// any case of its ASCII letters; each word of a known name is found on its own as
// well ("Quenby" of "Tavia Quenby"). Known texts shorter than two bytes are ignored.
func FindWith(text string, known []Known) []Span {
	var ks []Span
	add := func(k string, t Type) {
		k = strings.TrimSpace(k)
		if len(k) < 2 {
			return
		}
		// Case folded as Unicode has it: "RENÉE" is "Renée".
		re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(k))
		for _, m := range re.FindAllStringIndex(text, -1) {
			i, end := m[0], m[1]
			before, _ := utf8.DecodeLastRuneInString(text[:i])
			after, _ := utf8.DecodeRuneInString(text[end:])
			first, _ := utf8.DecodeRuneInString(k)
			last, _ := utf8.DecodeLastRuneInString(k)
			if i > 0 && unicode.IsLetter(before) && unicode.IsLetter(first) || end < len(text) && unicode.IsLetter(after) && unicode.IsLetter(last) {
				continue // inside a word
			}
			ks = append(ks, Span{i, end, t})
		}
	}
	for _, k := range known {
		add(k.Text, k.Type)
		if k.Type == Name {
			for _, w := range strings.FieldsFunc(k.Text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
				if !noteWords[w] {
					add(w, Name)
				}
			}
		}
	}
	return withKnown(resolve(candidates(text)), ks)
}

// withKnown puts each known span into spans: what it overlaps becomes one span, of
// the known span's type, covering both (a known name inside a longer code takes the
// whole code).
func withKnown(spans, known []Span) []Span {
	slices.SortFunc(known, func(a, b Span) int { return a.Start - b.Start })
	for _, k := range known {
		u := k
		var out []Span
		for _, s := range spans {
			if s.Start < u.End && u.Start < s.End {
				u.Start, u.End = min(u.Start, s.Start), max(u.End, s.End)
				continue
			}
			out = append(out, s)
		}
		// A widened span may now reach spans it did not overlap before.
		for changed := true; changed; {
			changed = false
			for i := 0; i < len(out); i++ {
				if s := out[i]; s.Start < u.End && u.Start < s.End {
					u.Start, u.End = min(u.Start, s.Start), max(u.End, s.End)
					out = slices.Delete(out, i, i+1)
					changed = true
					i--
				}
			}
		}
		i, _ := slices.BinarySearchFunc(out, u, func(a, b Span) int { return a.Start - b.Start })
		spans = slices.Insert(out, i, u)
	}
	return spans
}

// candidates are every span a rule finds in text, overlapping.
func candidates(text string) []candidate {
	var found []candidate
	segs := segments(text)
	words := map[string]bool{} // the words of the names found by their cues
	for _, sg := range segs {
		line := text[sg[0]:sg[1]]
		digits := 0
		for i := 0; i < len(line); i++ {
			if line[i] >= '0' && line[i] <= '9' {
				digits++
			}
		}
		lower := asciiLower(line)
		for _, r := range rules {
			if digits < r.digits || (r.hints != nil && !containsAny(lower, r.hints)) || (r.pre != nil && !r.pre(line)) {
				continue
			}
			if r.scan != nil {
				for _, m := range r.scan(line) {
					found = append(found, candidate{Span{sg[0] + m[0], sg[0] + m[1], r.typ}, r.priority})
				}
				continue
			}
			var ms [][]int
			switch {
			case r.cues != nil:
				ms = cueMatches(line, lower, r.cues, r.re)
			case r.anchors != nil:
				ms = nearAnchors(line, r.anchors, r.window, r.re)
			default:
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
				found = append(found, candidate{Span{sg[0] + s, sg[0] + e, r.typ}, r.priority})
			}
		}
		found = append(found, cuedNames(text, sg[0], sg[1], lower, words)...)
	}
	return append(found, nameRepeats(text, segs, words)...)
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
	priority int
}

// maxNameWords bounds the words searched for again, so that a hostile text of
// thousands of cues costs no more than a few passes.
const maxNameWords = 256

// wordRE is one word of a name found by a cue.
var wordRE = regexp.MustCompile(`[^\s,]+`)

// nameRepeats finds every other occurrence of words (those of the names found by
// their cues), whole and capitalized as found.
func nameRepeats(text string, segs [][2]int, words map[string]bool) []candidate {
	var out []candidate
	if len(words) == 0 {
		return out
	}
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
			if words[line[i:j]] && (i == 0 || !wordByte(line[i-1])) && (j == len(line) || !wordByte(line[j])) &&
				!(eponyms[line[i:j]] && eponymInUse(line, j)) && !(wordsToo[line[i:j]] && sentenceStart(line, i)) {
				s, e := nameNeighbour(line, i, j)
				out = append(out, candidate{Span{sg[0] + s, sg[0] + e, Name}, 3})
			}
			i = j
		}
	}
	return out
}

// nameNeighbour grows the name word line[i:j], found again, by a capitalized word
// right before or after it, one space away: the first name before a surname found
// by its title ("Tavia" of "for Tavia Quenby" once "Mrs. Quenby" was seen), the
// surname after a first name. A note word, a word that starts a sentence (where
// every word is capitalized: "Reassured Quenby") and an eponym in use are not taken.
func nameNeighbour(line string, i, j int) (int, int) {
	s, e := i, j
	if i >= 2 && line[i-1] == ' ' && wordByte(line[i-2]) {
		k := i - 1
		for k > 0 && wordByte(line[k-1]) {
			k--
		}
		if w := line[k : i-1]; capitalized(w) && !noteWords[w] && !sentenceStart(line, k) {
			s = k
		}
	}
	if j+1 < len(line) && line[j] == ' ' && wordByte(line[j+1]) {
		k := j + 1
		for k < len(line) && wordByte(line[k]) {
			k++
		}
		if w := line[j+1 : k]; capitalized(w) && !noteWords[w] && !(eponyms[w] && eponymInUse(line, k)) &&
			(k == len(line) || !wordByte(line[k])) {
			e = k
		}
	}
	return s, e
}

// capitalized: an upper-case letter, then letters of which one at least is lower
// case ("Tavia", "McDonald"; not "COPD", not "a").
func capitalized(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n < len(w) && unicode.IsUpper(r) && strings.IndexFunc(w[n:], unicode.IsLower) >= 0 &&
		strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// wordByte: an ASCII letter, or a byte of a character beyond ASCII (names are
// written in every script; "Zoë" is one word).
func wordByte(c byte) bool { return isLetter(c) || c >= 0x80 }

// cuedNames finds the names of text[from:to] (lower: that line, asciiLower'd) by
// their cues, and adds their words to words.
func cuedNames(text string, from, to int, lower string, words map[string]bool) []candidate {
	var out []candidate
	line := text[from:to]
	for _, r := range nameRules {
		for _, m := range r.matches(line, lower) {
			if r.validMatch != nil && !r.validMatch(line, m) {
				continue
			}
			m[2], m[3] = m[2]+from, m[3]+from
			// The name's words, less words that are not names at either end
			// ("Dr. Parkinson", "Patient: Denies").
			ws := wordRE.FindAllStringIndex(text[m[2]:m[3]], -1)
			word := func(w []int) string { return strings.TrimRight(text[m[2]+w[0]:m[2]+w[1]], ".") }
			not := func(w []int) bool { return notName(text, m[2]+w[0], m[2]+w[1]) }
			if r.person {
				not = func(w []int) bool { return personStop[word(w)] }
			}
			for len(ws) > 0 && not(ws[0]) {
				ws = ws[1:]
			}
			for len(ws) > 0 && not(ws[len(ws)-1]) && !(len(ws) > 1 && surnameToo[word(ws[len(ws)-1])] && !not(ws[0])) {
				ws = ws[:len(ws)-1]
			}
			if len(ws) == 0 {
				continue
			}
			start, end := m[2]+ws[0][0], m[2]+ws[len(ws)-1][1]
			if facilityWords[nextWordAt(text, end)] {
				continue // "From: Good Samaritan Hospital": a facility, which Safe Harbor leaves
			}
			for end < len(text) && wordByte(text[end]) { // never half a word
				end++
			}
			out = append(out, candidate{Span{start, end, Name}, r.priority})
			// Its words, as the letters between apostrophes and hyphens
			// ("O'Brien-Lind" is found again as "Brien" and "Lind").
			for _, w := range ws {
				for _, p := range strings.FieldsFunc(word(w), func(r rune) bool { return !unicode.IsLetter(r) }) {
					if len(p) > 1 && p != "s" && !noteWords[p] && len(words) < maxNameWords {
						words[p] = true
					}
				}
			}
		}
	}
	return out
}

// resolve keeps, of overlapping candidates, the longest, then the highest priority,
// then the first found; one that overlaps a kept span of its own type widens it.
// Candidates are taken in clusters that overlap one another, so the choice costs the
// square of a cluster's size, not of the text's.
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
			overlaps := func(k Span) bool { return x.Start < k.End && k.Start < x.End }
			i := slices.IndexFunc(kept[from:], overlaps)
			if i < 0 {
				kept = append(kept, x.Span)
				continue
			}
			// Overlapping one span of its own type, it widens that span: "13044 S
			// Main Terrace" and "Terrace FORT WAYNE" are one place, not one of the
			// two.
			k := &kept[from+i]
			if k.Type != x.Type || slices.ContainsFunc(kept[from+i+1:], overlaps) {
				continue
			}
			u := Span{min(k.Start, x.Start), max(k.End, x.End), k.Type}
			if !slices.ContainsFunc(kept[from:], func(o Span) bool { return o != *k && u.Start < o.End && o.Start < u.End }) {
				*k = u
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

// notMayVerb: "May 3" is a date, "may 3 times" is not; "may" in lower case is the
// verb.
func notMayVerb(s string) bool { return !mayVerb.MatchString(s) }

var mayVerb = regexp.MustCompile(`\bmay\b`)

// dateCues are words a month and day alone follow when they are a date.
var dateCues = cueList("on", "since", "until", "till", "date", "dated", "dob", "born", "admitted", "admit", "discharged", "discharge",
	"seen", "visit", "visited", "surgery", "effective", "return", "returns", "follow up", "follow-up", "followup", "last",
	"recheck", "given", "placed", "started", "stopped", "use", "dose", "fill", "filled", "collected", "received", "due",
	"scheduled", "appt", "appointment", "edd", "lmp", "us", "ct", "mri", "xr", "echo", "colonoscopy", "egd", "scan", "drawn",
	"expires", "expired", "signed", "faxed", "sent", "done", "performed", "through", "thru", "starting", "as of", "week of",
	"transferred", "transfer", "procedure", "dos", "doa", "dod", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sun", "today", "tonight")

// countWords follow a range of numbers, which a month and day with a dash is not:
// "2-3 times", "1-2 tabs".
var countWords = wordSet(`times days day weeks week wks wk months month hours hour hrs hr h minutes minute mins min
	occasions episodes drinks cigarettes ppd units unit mg mcg g kg lb lbs ml mL l L tabs tab tablets tablet puffs puff
	caps capsules x cm mm inches ft feet beers glasses packs pack yrs years year floors blocks steps stairs flights
	servings cups meals sessions visits losses pregnancies children kids people patients beats breaths`)

// scaleWords stand before or after a score written as a fraction: "pain 3/10",
// "Apgars 8/9", "2/6 murmur".
var scaleWords = wordSet(`pain strength power motor reflex reflexes murmur grade apgar apgars score scored gcs rated rate
	ratio tab tabs tablet tablets dilated effaced station ef nyha asa mallampati ecog karnofsky stage gravida para qty rx ds
	sig bp of systolic diastolic holosystolic mg mcg scale out x vision acuity va tender points`)

// nextWord and prevWord are the words of line right after end and right before start,
// in lower case ("" where there is none).
func nextWord(line string, end int) string {
	rest := strings.TrimLeft(line[end:], " \t")
	i := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 {
		i = len(rest)
	}
	return strings.ToLower(rest[:i])
}

func prevWord(line string, start int) string {
	before := strings.TrimRight(line[:start], " \t:")
	i := strings.LastIndexFunc(before, func(r rune) bool { return !unicode.IsLetter(r) })
	return strings.ToLower(before[i+1:])
}

// notFollowedByDigit: a month and day after its cue, not the start of a longer
// number, and not a range of a count ("on 2-3 occasions").
func notFollowedByDigit(line string, m []int) bool {
	end := m[3]
	if end < len(line) && (line[end] >= '0' && line[end] <= '9' || line[end] == '/' || line[end] == '-') {
		return false
	}
	return !countWords[nextWord(line, end)]
}

// oldYears finds years from 1850 to 90 years ago standing alone (not a count of
// something: "1928 mL").
func oldYears(line string) [][2]int {
	var out [][2]int
	limit := time.Now().Year() - 90
	dateRuns(line, func(s, e int, g []string, _ string) {
		if len(g) != 1 || len(g[0]) != 4 || !inRange(g[0], 1850, limit) || countWords[nextWord(line, e)] {
			return
		}
		if e < len(line) && line[e] == '%' || s > 0 && (line[s-1] == '$' || line[s-1] == '#') {
			return
		}
		out = append(out, [2]int{s, e})
	})
	return out
}

// dateRuns are the runs of digits and separators (/ . -) of line that start and end
// with a digit and stand alone (no letter, digit or underscore either side), as
// [start, end) with their digit groups.
func dateRuns(line string, each func(s, e int, groups []string, seps string)) {
	for i := 0; i < len(line); {
		if line[i] < '0' || line[i] > '9' || (i > 0 && isWordByte(line[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(line) && (line[j] >= '0' && line[j] <= '9' || line[j] == '/' || line[j] == '.' || line[j] == '-') {
			j++
		}
		e := j
		for e > i && (line[e-1] < '0' || line[e-1] > '9') {
			e--
		}
		if j < len(line) && isWordByte(line[j]) {
			i = j
			continue
		}
		var groups []string
		var seps []byte
		at := i
		for k := i; k <= e; k++ {
			if k == e || line[k] == '/' || line[k] == '.' || line[k] == '-' {
				groups = append(groups, line[at:k])
				if k < e {
					seps = append(seps, line[k])
				}
				at = k + 1
			}
		}
		if slices.Index(groups, "") < 0 {
			each(i, e, groups, string(seps))
		}
		i = j
	}
}

func inRange(g string, lo, hi int) bool {
	n, err := strconv.Atoi(g)
	return err == nil && n >= lo && n <= hi
}

// numericDates finds year-month-day (2024-03-14, 2024/3/14) and month-day-year in
// either order with a year of two or four digits (03/14/2024, 14.3.24).
func numericDates(line string) [][2]int {
	var out [][2]int
	dateRuns(line, func(s, e int, g []string, _ string) {
		if len(g) != 3 {
			return // a version, an IP address, a range of ranges
		}
		switch {
		case len(g[0]) == 4 && (g[0][:2] == "19" || g[0][:2] == "20") && len(g[1]) <= 2 && inRange(g[1], 1, 12) && len(g[2]) <= 2 && inRange(g[2], 1, 31):
			out = append(out, [2]int{s, e})
		case len(g[0]) <= 2 && len(g[1]) <= 2 && (len(g[2]) == 2 || len(g[2]) == 4) && validMDY(line[s:e]):
			out = append(out, [2]int{s, e})
		}
	})
	return out
}

// monthDays finds a month and year (08/2007), and a month and day with a slash
// where it cannot be a score or a dose (bareMonthDay).
func monthDays(line string) [][2]int {
	var out [][2]int
	dateRuns(line, func(s, e int, g []string, seps string) {
		if len(g) != 2 || seps != "/" || len(g[0]) > 2 || !inRange(g[0], 1, 12) {
			return
		}
		if len(g[1]) == 4 && (g[1][:2] == "19" || g[1][:2] == "20") {
			out = append(out, [2]int{s, e})
			return
		}
		if len(g[1]) > 2 || !inRange(g[1], 1, 31) || (s > 0 && (line[s-1] == '#' || line[s-1] == '+')) || (e < len(line) && line[e] == '%') {
			return
		}
		if bareMonthDay(line, []int{s, e, s, e}) {
			out = append(out, [2]int{s, e})
		}
	})
	return out
}

// bareMonthDay: a month and day with no cue, which is not a score, a fraction or a
// dose (see the rule).
func bareMonthDay(line string, m []int) bool {
	s, e := m[2], m[3]
	md := strings.SplitN(line[s:e], "/", 2)
	d, _ := strconv.Atoi(md[1])
	switch d {
	case 2, 4, 5, 6, 10:
		return false
	}
	return !scaleWords[prevWord(line, s)] && !scaleWords[nextWord(line, e)] && !countWords[nextWord(line, e)]
}

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

// nearAnchors searches re in the window before each anchor of line (to the anchor's
// end and a little after), and returns the matches that reach into the anchor, with
// line's offsets, once each.
func nearAnchors(line string, anchors func(string) [][2]int, window int, re *regexp.Regexp) [][]int {
	var out [][]int
	for _, a := range anchors(line) {
		from := max(0, a[0]-window)
		if from > 0 {
			sp := strings.IndexAny(line[from:a[0]], " \t")
			if sp < 0 {
				continue
			}
			from += sp + 1
		}
		to := min(len(line), a[1]+24)
		for to < len(line) && !utf8.RuneStart(line[to]) {
			to++
		}
		for _, m := range re.FindAllStringSubmatchIndex(line[from:to], -1) {
			if m[1]+from <= a[0] || m[0]+from >= a[1] {
				continue
			}
			for k := range m {
				if m[k] >= 0 {
					m[k] += from
				}
			}
			if !slices.ContainsFunc(out, func(o []int) bool { return o[0] == m[0] && o[1] == m[1] }) {
				out = append(out, m)
			}
		}
	}
	return out
}

// wordAnchors finds the words of line that are in set: runs of letters, digits, dots
// and dashes, a final dot dropped ("M.D." is "M.D"). A scan, not a regular expression:
// anchors are looked for in every line.
func wordAnchors(set map[string]bool) func(string) [][2]int {
	return func(line string) [][2]int {
		var out [][2]int
		for i := 0; i < len(line); {
			if !isLetter(line[i]) {
				i++
				continue
			}
			j := i
			for j < len(line) && (isLetter(line[j]) || line[j] == '.' || line[j] == '-' || line[j] >= '0' && line[j] <= '9') {
				j++
			}
			w := strings.TrimRight(line[i:j], ".-")
			if (i == 0 || !isWordByte(line[i-1])) && (j == len(line) || !isWordByte(line[j])) && set[w] {
				out = append(out, [2]int{i, i + len(w)})
			}
			i = j
		}
		return out
	}
}

// stateZIPAnchors finds a state's code followed by a ZIP code.
func stateZIPAnchors(line string) [][2]int {
	var out [][2]int
	for i := 0; i+7 < len(line); i++ {
		if !usStates[line[i:i+2]] || (i > 0 && isWordByte(line[i-1])) {
			continue
		}
		j := i + 2
		if j < len(line) && line[j] == ',' {
			j++
		}
		k := j
		for k < len(line) && (line[k] == ' ' || line[k] == '\t') {
			k++
		}
		e := k
		for e < len(line) && line[e] >= '0' && line[e] <= '9' {
			e++
		}
		if k > j && e-k == 5 {
			out = append(out, [2]int{i, e})
		}
	}
	return out
}

// titleCapitalized: the title before the match is written with its capital ("Dr",
// "Father"; "his father" is a relative).
func titleCapitalized(line string, m []int) bool {
	i := m[0]
	for i > 0 && isLetter(line[i-1]) {
		i--
	}
	// "Dr", "Mrs": a capital, then lower case ("MR" is mitral regurgitation, "MS"
	// multiple sclerosis).
	return i+1 < m[0] && line[i] >= 'A' && line[i] <= 'Z' && line[i+1] >= 'a' && line[i+1] <= 'z'
}

// ageMark: rest starts with a closing parenthesis, a sex alone (M, F: not "mg"), or
// an age's unit (yo, y/o, y.o., yr).
func ageMark(rest string) bool {
	switch rest[0] {
	case ')':
		return true
	case 'M', 'F', 'm', 'f':
		return len(rest) == 1 || !isLetter(rest[1])
	case 'y', 'Y':
		return len(rest) > 1 && strings.IndexByte("oO/.r", rest[1]) >= 0
	}
	return false
}

// monthAnchors finds month names and their abbreviations, in any case.
func monthAnchors(line string) [][2]int {
	var out [][2]int
	for i := 0; i < len(line); {
		if !isLetter(line[i]) {
			i++
			continue
		}
		j := i
		for j < len(line) && isLetter(line[j]) {
			j++
		}
		if j-i >= 3 && j-i <= 9 && monthWords[asciiLower(line[i:j])] && (i == 0 || !isWordByte(line[i-1]) || line[i-1] >= '0' && line[i-1] <= '9') {
			out = append(out, [2]int{i, j})
		}
		i = j
	}
	return out
}

var monthWords = wordSet(`jan january feb february mar march apr april may jun june jul july aug august sep sept
	september oct october nov november dec december`)

// roleTitles are the titles of jobs that sign notes and letters after a name.
const roleTitles = `Coordinator|Manager|Chaplain|Director|Counselor|Counsellor|Worker|Supervisor|Liaison|Navigator|Specialist|Advocate|Educator|Therapist|Dietitian|Pharmacist|Midwife|Doula|Paramedic|Interpreter`

var roleTitleAnchors = wordAnchors(wordSet(strings.ReplaceAll(roleTitles, "|", " ")))

// bracketRoles are who a person is to the patient or the team, as written in
// brackets after their name.
const bracketRoles = `wife|husband|partner|spouse|stepmother|stepfather|stepson|stepdaughter|fiance|fiancee|fiancé|fiancée|boyfriend|girlfriend|friend|neighbor|neighbour|guardian|caregiver|carer|aide|sponsor|landlord|landlady|employer|roommate|housemate|student nurse|student|interpreter|doula|midwife|chaplain|godmother|godfather|ex-wife|ex-husband|son-in-law|daughter-in-law|mother-in-law|father-in-law`

var bracketRoleAnchors = wordAnchors(asWritten(strings.Split(bracketRoles, "|")))

// departments are the services a member of staff comes from, as a team lists them.
const departments = `pharmacy|dietetics|nutrition|speech|psychology|social work|chaplaincy|spiritual care|physio|physiotherapy|occupational therapy|palliative|rehab|case management|lactation|finance|interpreter services|infection control|wound care`

// departmentAnchors finds the first words of departments, and the therapies'
// acronyms.
var departmentAnchors = func() func(string) [][2]int {
	var firsts []string
	for _, d := range strings.Split(departments, "|") {
		w, _, _ := strings.Cut(d, " ")
		firsts = append(firsts, w)
	}
	set := asWritten(firsts)
	for _, w := range strings.Fields("OT PT SLT SALT") {
		set[w] = true
	}
	return wordAnchors(set)
}()

// asWritten is words (lower case) as a text writes them: in lower case, and
// capitalized.
func asWritten(words []string) map[string]bool {
	set := map[string]bool{}
	for _, w := range words {
		set[w], set[strings.ToUpper(w[:1])+w[1:]] = true, true
	}
	return set
}

// credentialAnchors finds credentials, and a medical student's year ("MS3").
var credentialAnchors = func() func(string) [][2]int {
	set := wordSet("MS1 MS2 MS3 MS4")
	for _, w := range credentialWords {
		set[strings.TrimRight(w, ".")] = true // as wordAnchors reads "M.D."
	}
	return wordAnchors(set)
}()

// ageMarkAnchors finds a number of one to three digits followed by an age's unit or
// a sex ("92M", "28 y/o"), or closed by a parenthesis ("(9)").
func ageMarkAnchors(line string) [][2]int {
	var out [][2]int
	for i := 0; i < len(line); {
		if line[i] < '0' || line[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		k := j
		if k < len(line) && line[k] == ' ' {
			k++
		}
		if j-i <= 3 && k < len(line) && ageMark(line[k:]) {
			out = append(out, [2]int{i, k + 1})
		}
		i = j
	}
	return out
}

// streetKindAnchors finds the kind of street an address ends with.
var streetKindAnchors = wordAnchors(wordSet(strings.NewReplacer("(?:", "", ")", "", "|", " ").Replace(streetKind)))

// plainStreetKindAnchors finds the kinds of street that are no English word (not
// "Court", "Way", "Place").
var plainStreetKindAnchors = wordAnchors(wordSet(`Rd Road Spur Loop Pike Trail Trl Hwy Highway Pkwy Parkway Boulevard Blvd
	Avenue Ave Lane Ln`))

// The scans below each have a loop of their own over the line's digits or letters:
// one helper taking a function value cost Find a sixth of its speed.

// hasOver89 says whether line has a number from 90 to 149 standing alone.
func hasOver89(line string) bool {
	for i := 0; i < len(line); {
		if line[i] < '0' || line[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		if n := j - i; n == 2 && line[i] == '9' || n == 3 && line[i] == '1' && line[i+1] <= '4' {
			return true
		}
		i = j
	}
	return false
}

// hexColon says whether line has a hexadecimal digit, a colon and another (or a
// second colon): where an IPv6 address can be.
func hexColon(line string) bool {
	isHex := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	for i := 1; i+1 < len(line); i++ {
		if line[i] == ':' && (isHex(line[i-1]) || line[i-1] == ':') && (isHex(line[i+1]) || line[i+1] == ':') {
			return true
		}
	}
	return false
}

// hasLongDigitRun says whether a line has a run of n digits or more.
func hasLongDigitRun(n int) func(string) bool {
	return func(line string) bool {
		run := 0
		for i := 0; i < len(line); i++ {
			if line[i] >= '0' && line[i] <= '9' {
				if run++; run >= n {
					return true
				}
			} else {
				run = 0
			}
		}
		return false
	}
}

// exchangeAnchors finds the last seven digits of a telephone number: three digits,
// a dash, dot or space, four digits.
func exchangeAnchors(line string) [][2]int {
	var out [][2]int
	for i := 3; i+5 <= len(line); i++ {
		if c := line[i]; (c == '-' || c == '.' || c == ' ') && allDigits(line[i-3:i]) && allDigits(line[i+1:i+5]) &&
			(i+5 == len(line) || line[i+5] < '0' || line[i+5] > '9') {
			out = append(out, [2]int{i - 3, i + 5})
		}
	}
	return out
}

// sevenDigitPhones finds NXX-XXXX standing alone: a number without its area code.
func sevenDigitPhones(line string) [][2]int {
	var out [][2]int
	for i := 3; i+5 <= len(line); i++ {
		if line[i] != '-' {
			continue
		}
		s, e := i-3, i+5
		if !allDigits(line[s:i]) || !allDigits(line[i+1:e]) || line[s] < '2' {
			continue
		}
		if s > 0 && (isWordByte(line[s-1]) || strings.IndexByte("/.-", line[s-1]) >= 0) {
			continue
		}
		if e < len(line) && (isWordByte(line[e]) || line[e] == '/' || line[e] == '-') {
			continue
		}
		out = append(out, [2]int{s, e})
	}
	return out
}

// hasAlnumRun says whether a line has a run of n or more ASCII letters and digits.
func hasAlnumRun(n int) func(string) bool {
	return func(line string) bool {
		run := 0
		for i := 0; i < len(line); i++ {
			if isLetter(line[i]) || line[i] >= '0' && line[i] <= '9' {
				if run++; run >= n {
					return true
				}
			} else {
				run = 0
			}
		}
		return false
	}
}

// hasDigitRun says whether a line has a run of exactly n digits.
func hasDigitRun(n int) func(string) bool {
	return func(line string) bool {
		for i := 0; i < len(line); {
			if line[i] < '0' || line[i] > '9' {
				i++
				continue
			}
			j := i
			for j < len(line) && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j-i == n {
				return true
			}
			i = j
		}
		return false
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isWordByte: an ASCII letter, digit or underscore (regexp's \w).
func isWordByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '_' }

// streetKind is the last word of a street's name.
const streetKind = `(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl|Spur|Loop|Pike|Run|Path|Row|Crossing|Alley|Route|Rte|Expressway|Freeway|Turnpike|Plaza|Walk|Cove|Point|Ridge|Heights)`

// notNoteWordsOnly: a street's name is more than note words ("Follow Up Rd" is no
// street; "Old Elm Spur" is).
func notNoteWordsOnly(line string, m []int) bool {
	for _, w := range strings.Fields(line[m[0]:m[1]]) {
		if !noteWords[w] {
			return true
		}
	}
	return false
}

// placeWords follow a cue like "in" or "from" and are no place: departments, months,
// languages, what a note is in.
var placeWords = wordSet(`January February March April May June July August September October November December
	Spanish English French Mandarin Cantonese Vietnamese Arabic Russian Portuguese Tagalog Korean Haitian Creole ASL
	Clinic Hospital Cardiology Neurology Radiology Oncology Surgery Medicine Pediatrics Psychiatry Orthopedics Urology
	Nephrology Endocrinology Dermatology Pulmonology Gastroenterology Hematology Rheumatology Ophthalmology ICU MICU
	SICU CCU NICU PICU ED ER OR PACU Labor Delivery Triage Recovery Rehab Hospice Home Care The This That His Her
	Their Our Your My A An Dr Mr Mrs Ms Miss Doctor Nurse Patient Pt Room Bed Unit Floor Ward Wing Tower Building
	Level Suite Bay Pod Section Stage Grade Type Class Phase Step Part Fig Figure Table Appendix Note Notes Chart
	Epic Cerner MyChart Portal Telehealth Zoom AM PM Addendum Plan Assessment History Exam Review Summary Report
	Order Orders Progress Status Service Services Team Staff Department Office Lab Labs Imaging Pharmacy`)

// placeAfterCue: what follows "in", "near", "from" is a place where it is no note
// word, month, language or department, and no facility ("in Good Samaritan
// Hospital" names no city).
func placeAfterCue(line string, m []int) bool {
	first := strings.Fields(line[m[2]:m[3]])[0]
	if placeWords[strings.TrimSuffix(first, ".")] || noteWords[first] || eponyms[first] {
		return false
	}
	return !facilityWords[nextWordAt(line, m[3])]
}

// facilityWords follow a facility's name, which Safe Harbor does not list.
var facilityWords = wordSet(`Hospital Hospitals Medical Center Clinic Clinics Health Healthcare Pediatrics Surgery Surgical
	Regional Behavioral Birth Children's Memorial General University Pharmacy Drugs Rehab Rehabilitation Nursing Care
	Hospice Urgent Emergency ED ER Institute Foundation Associates Group Practice Partners Physicians Lab Laboratory
	Laboratories Imaging Radiology Dialysis Cancer Heart Women's Home Village Manor Gardens Living Senior`)

// nextWordAt is the word right after end, as written.
func nextWordAt(line string, end int) string {
	rest := strings.TrimLeft(line[end:], " \t")
	i := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	if i < 0 {
		i = len(rest)
	}
	return rest[:i]
}

// cityRE is a city's name ending where the text searched ends.
var cityRE = regexp.MustCompile(wordStart + `(` + place + `)$`)

// cityBeforeState finds "City, ST": at each comma followed by a state's code, the
// city's name in the few words before it (searched there alone: a search of the
// whole line from every capital was most of Find's time).
func cityBeforeState(line string) [][2]int {
	var out [][2]int
	for i := 0; i < len(line); i++ {
		if line[i] != ',' {
			continue
		}
		j := i + 1
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		if j == i+1 || j+2 > len(line) || !usStates[line[j:j+2]] || (j+2 < len(line) && wordByte(line[j+2])) {
			continue
		}
		from := max(0, i-64)
		if from > 0 {
			sp := strings.IndexAny(line[from:i], " \t")
			if sp < 0 {
				continue
			}
			from += sp + 1
		}
		if m := cityRE.FindStringSubmatchIndex(line[from:i]); m != nil {
			out = append(out, [2]int{from + m[2], from + m[3]})
		}
	}
	return out
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
		// Vellum's own ids (n_3f9a0c2b7d5e81f4a6c2: a letter, an underscore, hex)
		// name notes and users, not people.
		if i >= 2 && line[i-1] == '_' && isLetter(line[i-2]) && (i == 2 || !wordByte(line[i-3])) {
			alone = false
		}
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
