package llm

import (
	"strconv"
	"strings"
	"unicode"
)

// Spoken forms. A dictation says "twenty milligrams" where the note writes "20 mg",
// and "one twenty four over seventy six" where it writes "124/76". Ground compares the
// draft against the source rewritten into written forms (spokenToWritten): numbers in
// words become digits, unit words their abbreviations, and a spoken blood pressure
// its written one. Only the source is rewritten, so the spans stay on the draft's own
// text.

var (
	ones = map[string]int{"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
		"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
	tens = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
		"seventy": 70, "eighty": 80, "ninety": 90}
	// unitWords are spoken units and their written abbreviations; multi-word ones are
	// matched first.
	unitWords = []struct{ spoken, written string }{
		{"millimeters of mercury", "mmHg"}, {"millimetres of mercury", "mmHg"},
		{"beats per minute", "bpm"}, {"breaths per minute", "/min"},
		{"international units", "IU"}, {"degrees celsius", "°C"}, {"degrees fahrenheit", "°F"},
		{"milligrams", "mg"}, {"milligram", "mg"}, {"micrograms", "mcg"}, {"microgram", "mcg"},
		{"grams", "g"}, {"gram", "g"}, {"kilograms", "kg"}, {"kilogram", "kg"}, {"kilos", "kg"}, {"kilo", "kg"},
		{"pounds", "lb"}, {"pound", "lb"},
		{"milliliters", "mL"}, {"millilitres", "mL"}, {"milliliter", "mL"}, {"millilitre", "mL"},
		{"liters", "L"}, {"litres", "L"}, {"liter", "L"}, {"litre", "L"},
		{"centimeters", "cm"}, {"centimetres", "cm"}, {"millimeters", "mm"}, {"millimetres", "mm"},
		{"milliequivalents", "mEq"}, {"millimoles", "mmol"}, {"percent", "%"}, {"per cent", "%"},
		{"cc", "mL"},
	}
)

// spokenToWritten rewrites the spoken forms of s into written ones. It is linear in
// the length of s: one pass over its words, each looked at a bounded number of times.
func spokenToWritten(s string) string {
	words := splitSpoken(s)
	var out strings.Builder
	out.Grow(len(s))
	for i := 0; i < len(words); {
		// "March third", "June twenty first": a day after its month.
		if i > 0 && monthNames[prefix3(words[i-1].text)] > 0 {
			if d, used := spokenOrdinal(words[i:]); used > 0 {
				out.WriteString(strconv.Itoa(d) + words[i+used-1].after)
				i += used
				continue
			}
		}
		if n, used, ok := spokenNumber(words[i:]); ok {
			out.WriteString(n)
			i += used
			// "one twenty four over seventy six": a blood pressure.
			if i+1 < len(words) && strings.EqualFold(words[i].text, "over") {
				if m, used2, ok := spokenNumber(words[i+1:]); ok {
					out.WriteString("/" + m + " mmHg " + n + " mmHg " + m + " mmHg ")
					i += 1 + used2
					continue
				}
			}
			out.WriteByte(' ')
			continue
		}
		// "a week ago", "an hour": one of an interval.
		// Not "twice a day", "once a week": a rate, not one day.
		if i+1 < len(words) && open(words[i]) && (strings.EqualFold(words[i].text, "a") || strings.EqualFold(words[i].text, "an")) &&
			(i == 0 || !rateWords[strings.ToLower(words[i-1].text)]) &&
			intervalWords[strings.ToLower(words[i+1].text)] {
			out.WriteString("1 ")
			i++
			continue
		}
		if w, used, ok := spokenUnit(words[i:]); ok {
			out.WriteString(w + " ")
			i += used
			continue
		}
		out.WriteString(words[i].text + words[i].after)
		i++
	}
	return out.String()
}

// rateWords come before "a" or "an" in a rate ("twice a day").
var rateWords = map[string]bool{"once": true, "twice": true, "thrice": true, "times": true, "time": true, "per": true}

// intervalWords are the units "a" or "an" counts one of.
var intervalWords = map[string]bool{"minute": true, "hour": true, "day": true, "week": true, "fortnight": true,
	"month": true, "year": true}

type spokenWord struct{ text, after string }

// splitSpoken splits s into words (letters, digits, and the characters that join them
// in "twenty-four" or "2.5") each with what follows it up to the next word.
func splitSpoken(s string) []spokenWord {
	out := make([]spokenWord, 0, len(s)/5+1) // about a word in five bytes: no regrowing
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && isSpokenRune(rune(s[j])) {
			j++
		}
		if j == i { // punctuation or space before the first word
			k := i
			for k < len(s) && !isSpokenRune(rune(s[k])) {
				k++
			}
			if len(out) > 0 {
				out[len(out)-1].after += s[i:k]
			} else {
				out = append(out, spokenWord{after: s[i:k]})
			}
			i = k
			continue
		}
		// Punctuation that ends a word ("kilograms.") is not part of it.
		for j > i+1 && strings.ContainsRune(".-/", rune(s[j-1])) {
			j--
		}
		k := j
		for k < len(s) && (!isSpokenRune(rune(s[k])) || strings.ContainsRune(".-/", rune(s[k]))) {
			k++
		}
		out = append(out, spokenWord{text: s[i:j], after: s[j:k]})
		i = k
	}
	return out
}

func isSpokenRune(r rune) bool {
	return r >= 0x80 || unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '/'
}

// spokenNumber reads a number said in words at the start of ws: a cardinal ("one
// hundred and twenty", "twenty-four"), digits said in groups ("one twenty four" is
// 124, "nineteen ninety" 1990), a decimal ("two point five"), or with "and a half".
// It returns the number written, how many words it took, and whether there was one.
func spokenNumber(ws []spokenWord) (string, int, bool) {
	const most = 12 // no spoken number is longer: bounds the look-ahead
	if len(ws) > most {
		ws = ws[:most]
	}
	// "point five": a decimal said without its zero.
	if len(ws) > 1 && strings.EqualFold(ws[0].text, "point") && open(ws[0]) {
		if frac, j := spokenDigits(ws[1:]); frac != "" {
			return "0." + frac, 1 + j, true
		}
	}
	v, i := cardinal(ws)
	if i == 0 {
		return "", 0, false
	}
	written := strconv.Itoa(v)
	// Groups: a digit or a teen then a two-digit group, said without "hundred" ("one
	// twenty four", "nineteen ninety"; a teen after one or two: "one nineteen"), or
	// "oh" and a digit ("one oh five", "twenty oh five").
	if open(ws[i-1]) && i < len(ws) && v >= 1 && v < 100 {
		if strings.EqualFold(ws[i].text, "oh") && open(ws[i]) && i+1 < len(ws) {
			if d, ok := ones[strings.ToLower(ws[i+1].text)]; ok && d >= 1 && d <= 9 {
				written += "0" + strconv.Itoa(d)
				i += 2
			}
		} else if w, used := cardinal(ws[i:]); used > 0 && (w >= 20 && w < 100 || w >= 10 && w < 20 && v <= 2) {
			written += strconv.Itoa(w)
			i += used
		}
	}
	// A decimal: "point five", "point two five".
	if i+1 < len(ws) && open(ws[i-1]) && strings.EqualFold(ws[i].text, "point") && open(ws[i]) {
		if frac, j := spokenDigits(ws[i+1:]); frac != "" {
			return written + "." + frac, i + 1 + j, true
		}
	}
	// "seven and a half".
	if i+2 < len(ws) && open(ws[i-1]) && strings.EqualFold(ws[i].text, "and") && strings.EqualFold(ws[i+1].text, "a") &&
		strings.EqualFold(ws[i+2].text, "half") {
		return written + ".5", i + 3, true
	}
	return written, i, true
}

// spokenDigits reads digits said one by one ("two five"), as after "point": the
// digits and how many words they took.
func spokenDigits(ws []spokenWord) (string, int) {
	frac, j := "", 0
	for j < len(ws) {
		d, ok := ones[strings.ToLower(ws[j].text)]
		if !ok || d > 9 {
			break
		}
		frac += strconv.Itoa(d)
		j++
		if !open(ws[j-1]) {
			break
		}
	}
	return frac, j
}

// open says whether the word is followed by space only, so that the next word may
// continue what it began ("three, four" are two numbers).
func open(w spokenWord) bool { return strings.TrimSpace(w.after) == "" }

// cardinal reads one cardinal in words: "seven", "twenty four", "twenty-four", "one
// hundred and five", "two thousand three hundred". It returns its value and the words
// it took (0: none).
func cardinal(ws []spokenWord) (int, int) {
	total, current, i := 0, 0, 0
	seen := false
	for i < len(ws) {
		w := strings.ToLower(ws[i].text)
		if a, b, ok := strings.Cut(w, "-"); ok { // "twenty-four"
			t, okT := tens[a]
			o, okO := ones[b]
			if h, okH := ones[a]; okH && h >= 1 && h <= 9 && !seen {
				// "one-twenty", "one-nineteen": a group said with a hyphen.
				if g, okG := tens[b]; okG {
					current, seen = h*100+g, true
					i++
					continue
				}
				if g, okG := ones[b]; okG && g >= 10 {
					current, seen = h*100+g, true
					i++
					continue
				}
			}
			if !okT || !okO || o == 0 || o > 9 {
				break
			}
			current += t + o
			seen = true
			i++
		} else if t, ok := tens[w]; ok {
			if seen && current%100 != 0 && current != 0 {
				break // "twenty thirty": two numbers
			}
			current += t
			seen = true
			i++
			// "twenty four" (not "twenty-four")
			if i < len(ws) && open(ws[i-1]) {
				if o, ok := ones[strings.ToLower(ws[i].text)]; ok && o > 0 && o < 10 {
					current += o
					i++
				}
			}
		} else if o, ok := ones[w]; ok && (w != "oh" || seen) {
			if seen && current%100 != 0 {
				break // "five six": two numbers
			}
			current += o
			seen = true
			i++
		} else if (w == "a" || w == "an") && !seen && i+1 < len(ws) && open(ws[i]) &&
			(strings.EqualFold(ws[i+1].text, "hundred") || strings.EqualFold(ws[i+1].text, "thousand")) {
			current, seen = 1, true // "a hundred and twenty"
			i++
		} else if w == "hundred" && seen {
			current *= 100
			i++
		} else if w == "thousand" && seen {
			total += current * 1000
			current = 0
			i++
		} else if w == "and" && seen && i+1 < len(ws) && current >= 100 && current%100 == 0 {
			// "one hundred and five"
			if _, ok := ones[strings.ToLower(ws[i+1].text)]; !ok {
				if _, ok := tens[strings.ToLower(ws[i+1].text)]; !ok {
					break
				}
			}
			i++
		} else {
			break
		}
		if !open(ws[i-1]) {
			break
		}
	}
	if !seen {
		return 0, 0
	}
	return total + current, i
}

// unitsByFirst are unitWords by their first word, lower-cased: one map look-up a word.
var unitsByFirst = func() map[string][][]string {
	m := map[string][][]string{}
	for _, u := range unitWords {
		parts := strings.Fields(u.spoken)
		m[parts[0]] = append(m[parts[0]], append(parts, u.written))
	}
	return m
}()

// spokenUnit reads a unit said in words at the start of ws.
func spokenUnit(ws []spokenWord) (string, int, bool) {
	for _, u := range unitsByFirst[strings.ToLower(ws[0].text)] {
		parts, written := u[:len(u)-1], u[len(u)-1]
		if len(parts) > len(ws) {
			continue
		}
		ok := true
		for k, p := range parts[1:] {
			if !strings.EqualFold(ws[k+1].text, p) {
				ok = false
				break
			}
		}
		if ok {
			return written, len(parts), true
		}
	}
	return "", 0, false
}

// ordinalWords are the days' ordinals, said in words.
var ordinalWords = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
	"fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
	"nineteenth": 19, "twentieth": 20, "thirtieth": 30}

// spokenOrdinal reads a day of the month at the start of ws: "third", "twenty first",
// "3rd". It returns the day and how many words it took (none: no ordinal).
func spokenOrdinal(ws []spokenWord) (int, int) {
	w := strings.ToLower(ws[0].text)
	if d, ok := ordinalWords[w]; ok {
		return d, 1
	}
	if t, ok := tens[w]; ok && (t == 20 || t == 30) && open(ws[0]) && len(ws) > 1 {
		if d, ok := ordinalWords[strings.ToLower(ws[1].text)]; ok && d < 10 {
			return t + d, 2
		}
	}
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		if d, err := strconv.Atoi(strings.TrimSuffix(w, suffix)); err == nil && strings.HasSuffix(w, suffix) && d >= 1 && d <= 31 {
			return d, 1
		}
	}
	return 0, 0
}

// prefix3 is the first three letters of s, lower-cased ("" when shorter): a month's
// key in monthNames.
func prefix3(s string) string {
	if len(s) < 3 {
		return ""
	}
	return strings.ToLower(s[:3])
}
