package llm

import (
	"strconv"
	"strings"
)

// How often. A dictation says "twice a day", "every eight hours", "at night", "as
// needed"; the note writes "BID", "q8h", "qhs", "PRN". Both are read into one
// canonical form (frequencyAt), word by word, so the same code reads the draft and
// the source. A frequency is grounded by the same one said for the same drug, where
// the source gives that drug one; else by the same one anywhere.
//
// Canonical forms: "N/d", "N/wk", "N/mo" (times a day, week, month), "qNh" or
// "qN-Mh" (every N, or N to M, hours), "qNd", "qNwk" (every N days, weeks), "qod",
// "qam", "qpm", "qhs", "prn". Forms that mean the same schedule ground each other:
// q24h and daily, q12h and BID, q8h and TID, q6h and QID; and "daily" is grounded by
// a once-a-day schedule at a time of day ("every morning" is daily), not the reverse.

// frequencyWords are the frequencies one word says.
var frequencyWords = map[string]string{
	"daily": "1/d", "qd": "1/d", "od": "1/d", "qday": "1/d", "once-daily": "1/d",
	"bid": "2/d", "twice-daily": "2/d", "tid": "3/d", "qid": "4/d",
	"qam": "qam", "qmorning": "qam", "qpm": "qpm", "qhs": "qhs", "nightly": "qhs", "qnight": "qhs",
	"weekly": "1/wk", "qw": "1/wk", "qwk": "1/wk", "qweek": "1/wk", "monthly": "1/mo",
	"qod": "qod", "prn": "prn",
}

// sameSchedule are canonical forms that name the same schedule.
var sameSchedule = map[string]string{"q24h": "1/d", "q12h": "2/d", "q8h": "3/d", "q6h": "4/d", "q1d": "1/d",
	"q2d": "qod", "q1wk": "1/wk"}

// atATimeOfDay are once-a-day schedules at a time of day: each grounds "daily".
var atATimeOfDay = map[string]bool{"qam": true, "qpm": true, "qhs": true}

// timesWords are how many times a word says.
var timesWords = map[string]int{"once": 1, "twice": 2, "thrice": 3}

// periodWords are the periods a rate is per, to the suffix of its canonical form.
var periodWords = map[string]string{"day": "d", "daily": "d", "days": "d", "d": "d", "week": "wk", "weekly": "wk",
	"wk": "wk", "month": "mo", "monthly": "mo"}

// hourWords are the spellings of an hour.
var hourWords = map[string]bool{"h": true, "hr": true, "hrs": true, "hour": true, "hours": true}

// frequencyKey is a word as frequencyAt reads it: lower-cased, without the
// punctuation around it, and without the dots of an abbreviation ("b.i.d." is
// "bid").
func frequencyKey(w string) string {
	for len(w) > 0 && keyTrim[w[0]] {
		w = w[1:]
	}
	for len(w) > 0 && keyTrim[w[len(w)-1]] {
		w = w[:len(w)-1]
	}
	w = strings.ToLower(w)
	if strings.Contains(w, ".") && !strings.ContainsAny(w, "0123456789") {
		w = strings.ReplaceAll(w, ".", "")
	}
	return w
}

// keyTrim are the bytes frequencyKey trims (a table: it runs on every word of a
// long source).
var keyTrim = func() (t [256]bool) {
	for _, c := range ".,;:()[]\"'" {
		t[c] = true
	}
	return t
}()

// frequencyAt reads the frequency that starts at keys[i] (words as frequencyKey
// makes them): its canonical form and how many words it takes, or 0.
func frequencyAt(keys []string, i int) (string, int) {
	at := func(k int) string {
		if i+k < len(keys) {
			return keys[i+k]
		}
		return ""
	}
	w := keys[i]
	if f, ok := frequencyWords[w]; ok {
		if w == "daily" && (at(1) == "living" || at(1) == "activities") {
			return "", 0 // "activities of daily living"
		}
		return f, 1
	}
	// "q6h", "q4-6h", "q6", "q 6 hours", "q6 hrs".
	if strings.HasPrefix(w, "q") {
		n, rest := hoursOf(w[1:])
		used := 1
		if w == "q" {
			n, rest = hoursOf(at(1))
			used = 2
		}
		if n != "" && (rest == "" || hourWords[rest]) {
			if rest == "" && hourWords[at(used)] {
				used++
			}
			return "q" + n + "h", used
		}
	}
	switch w {
	case "every", "each", "q":
		switch next := at(1); {
		case next == "day":
			return "1/d", 2
		case next == "morning":
			return "qam", 2
		case next == "evening", next == "afternoon":
			return "qpm", 2
		case next == "night", next == "bedtime":
			return "qhs", 2
		case next == "week":
			return "1/wk", 2
		case next == "month":
			return "1/mo", 2
		case next == "other" && strings.HasPrefix(at(2), "day"):
			return "qod", 3
		case next == "hour":
			return "q1h", 2
		default:
			// "every 6 hours", "every 4-6 hours", "every 4 to 6 hours", "every 2
			// weeks", "every eight hours" (a draft's number in words).
			n, rest := hoursOf(next)
			if n == "" {
				n, rest = wordNumber(next), ""
			}
			if n == "" || rest != "" {
				return "", 0
			}
			used := 2
			if m := wordNumber(at(3)); (at(2) == "to" || at(2) == "-") && m != "" {
				n += "-" + m
				used = 4
			}
			unit := at(used)
			switch {
			case hourWords[unit]:
				return "q" + n + "h", used + 1
			case unit == "days":
				return "q" + n + "d", used + 1
			case unit == "weeks":
				return "q" + n + "wk", used + 1
			}
		}
	case "at", "before":
		if next := at(1); next == "bedtime" || next == "night" || next == "bed" {
			return "qhs", 2
		}
	case "in":
		if at(1) == "the" {
			switch at(2) {
			case "morning":
				return "qam", 3
			case "evening":
				return "qpm", 3
			}
		}
	case "as", "when", "if":
		if next := at(1); next == "needed" || next == "necessary" || next == "required" {
			return "prn", 2
		}
	case "on":
		if at(1) == "alternate" && at(2) == "days" {
			return "qod", 3
		}
	}
	// "once a day", "twice daily", "three times a day", "3 times per week", "2x/day",
	// "2x daily".
	times, used := timesWords[w], 1
	if times > 0 && at(1) == "times" {
		return "", 0 // "once times" is not a rate
	}
	if n := ones[w]; times == 0 && n > 1 && at(1) == "times" {
		times, used = n, 2 // "four times daily", in a draft
	}
	if times == 0 {
		if n, err := strconv.Atoi(strings.TrimSuffix(w, "x")); err == nil && n > 0 && n < 100 {
			switch {
			case strings.HasSuffix(w, "x"):
				times = n
			case at(1) == "times" || at(1) == "x":
				times, used = n, 2
			}
		} else if a, b, ok := strings.Cut(w, "x/"); ok {
			// "2x/day"
			if n, err := strconv.Atoi(a); err == nil && n > 0 && n < 100 && periodWords[b] != "" {
				return strconv.Itoa(n) + "/" + periodWords[b], 1
			}
		}
	}
	if times == 0 {
		return "", 0
	}
	next := at(used)
	switch next {
	case "a", "per", "each", "every", "/":
		if p := periodWords[at(used+1)]; p != "" && at(used+1) != "daily" && at(used+1) != "weekly" {
			return strconv.Itoa(times) + "/" + p, used + 2
		}
	case "daily", "weekly", "monthly":
		return strconv.Itoa(times) + "/" + periodWords[next], used + 1
	}
	if strings.HasPrefix(next, "/") && periodWords[next[1:]] != "" {
		return strconv.Itoa(times) + "/" + periodWords[next[1:]], used + 1
	}
	return "", 0
}

// wordNumber is a whole number written in digits or as one word ("8", "eight"), or "".
func wordNumber(w string) string {
	if n, ok := ones[w]; ok {
		return strconv.Itoa(n)
	}
	if n, ok := tens[w]; ok {
		return strconv.Itoa(n)
	}
	if n := leadingNumber(w); n == w && !strings.Contains(n, ".") {
		return n
	}
	return ""
}

// hoursOf reads "6", "6h", "4-6h", "6hrs" into the number ("6", "4-6") and the
// unit after it.
func hoursOf(s string) (string, string) {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '-' && end > 0) {
		end++
	}
	n := strings.TrimRight(s[:end], "-")
	if n == "" {
		return "", ""
	}
	return n, s[len(n):]
}

// sameFrequency is the schedule a canonical frequency names, for comparing.
func sameFrequency(f string) string {
	if s, ok := sameSchedule[f]; ok {
		return s
	}
	return f
}

// frequencyGrounded says whether a draft's frequency is grounded by what the source
// says: the same schedule, or "daily" by a once-a-day schedule at a time of day.
func frequencyGrounded(draft string, said map[string]bool) bool {
	d := sameFrequency(draft)
	for s := range said {
		if sameFrequency(s) == d || d == "1/d" && atATimeOfDay[s] {
			return true
		}
	}
	return false
}

// sourceFrequencies reads the frequencies of a written source's words: all of them,
// by generic those said after a drug's name and before the next drug's, and free
// those said of no drug.
func sourceFrequencies(words []string) (all map[string]bool, byDrug map[string]map[string]bool, free map[string]bool) {
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = frequencyKey(w)
	}
	all, byDrug, free = map[string]bool{}, map[string]map[string]bool{}, map[string]bool{}
	var current []string
	left := 0
	for i := 0; i < len(keys); {
		if gs := drugsOf(keys[i]); gs != nil {
			current, left = gs, drugWindow
			i++
			continue
		}
		f, used := frequencyAt(keys, i)
		if used == 0 {
			if left > 0 {
				left--
			}
			i++
			continue
		}
		all[f] = true
		if left > 0 {
			for _, g := range current {
				if byDrug[g] == nil {
					byDrug[g] = map[string]bool{}
				}
				byDrug[g][f] = true
			}
		} else {
			free[f] = true
		}
		left = max(0, left-used)
		i += used
	}
	return all, byDrug, free
}

// draftWord is a word of a draft and where it is, [start, end).
type draftWord struct {
	key        string
	start, end int
}

// frequencySpan is a frequency in a draft, [start, end), and its canonical form.
type frequencySpan struct {
	start, end int
	canon      string
}

// draftFrequencies finds the frequencies of a draft.
func draftFrequencies(draft string) []frequencySpan {
	var words []draftWord
	start := -1
	for i := 0; i <= len(draft); i++ {
		if i == len(draft) || draft[i] == ' ' || draft[i] == '\t' || draft[i] == '\n' || draft[i] == '\r' {
			if start >= 0 {
				words = append(words, draftWord{frequencyKey(draft[start:i]), start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = w.key
	}
	var out []frequencySpan
	for i := 0; i < len(words); {
		f, used := frequencyAt(keys, i)
		if used == 0 {
			i++
			continue
		}
		first, last := words[i], words[i+used-1]
		s, e := first.start, last.end
		// The span is the words, not the punctuation around them.
		for s < e && strings.ContainsRune("([\"'", rune(draft[s])) {
			s++
		}
		for e > s && strings.ContainsRune(",;:)]\"'", rune(draft[e-1])) {
			e--
		}
		if e > s && draft[e-1] == '.' && !strings.Contains(strings.ToLower(draft[s:e-1]), ".") {
			e-- // a sentence's full stop, not an abbreviation's ("b.i.d.")
		}
		out = append(out, frequencySpan{s, e, f})
		i += used
	}
	return out
}
