package dictation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Transcript is dictated text as its spoken commands leave it. Punctuation and
// breaks are said ("period", "comma", "question mark", "colon", "semicolon", "new
// line", "new paragraph"), except where "colon" and "period" are the clinical words
// ("the sigmoid colon", "her last period", "colon cancer"); "scratch that" takes back the words said before it in the
// same utterance, or, said first, the utterance before; "next section" asks the
// window to move to the note's next section. Recognisers write in capitals or in
// lower case depending on the model: the text is lower-cased, and a sentence's first
// word and "I" capitalised.
type Transcript struct {
	pieces []string // each utterance's text, as its commands left it
}

// spokenMarks are the commands that write a mark, longest first where one begins
// another.
var spokenMarks = []struct{ said, mark string }{
	{"new paragraph", "\n\n"}, {"new line", "\n"}, {"question mark", "?"},
	{"exclamation mark", "!"}, {"exclamation point", "!"}, {"full stop", "."},
	{"period", "."}, {"comma", ","}, {"semicolon", ";"}, {"colon", ":"},
}

// Add adds an utterance as recognised, and says whether it asked for the next
// section (the words before that command stay in this one).
func (t *Transcript) Add(utterance string) (nextSection bool) {
	words := strings.Fields(strings.ToLower(utterance))
	var b strings.Builder
	for i := 0; i < len(words); {
		if said(words[i:], "scratch that") {
			if b.Len() == 0 && len(t.pieces) > 0 {
				t.pieces = t.pieces[:len(t.pieces)-1]
			}
			b.Reset()
			i += 2
			continue
		}
		if said(words[i:], "next section") {
			nextSection = true
			i += 2
			continue
		}
		if m, n := markAt(words[i:]); n > 0 && !meantAsWord(words, i) {
			b.WriteString(m)
			i += n
			continue
		}
		if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
			b.WriteByte(' ')
		}
		b.WriteString(words[i])
		i++
	}
	if b.Len() > 0 {
		t.pieces = append(t.pieces, b.String())
	}
	return nextSection
}

// said says whether words begin with phrase.
func said(words []string, phrase string) bool {
	p := strings.Fields(phrase)
	if len(words) < len(p) {
		return false
	}
	for i := range p {
		if strings.Trim(words[i], ".,!?;:") != p[i] {
			return false
		}
	}
	return true
}

// meantAsWord says whether the command word at words[i] is the clinical word it also
// is: "the sigmoid colon", "colon cancer", "her last period", "a period of".
func meantAsWord(words []string, i int) bool {
	w := strings.Trim(words[i], ".,!?;:")
	if w != "colon" && w != "period" {
		return false
	}
	if i > 0 && wordBefore[w][strings.Trim(words[i-1], ".,!?;:")] {
		return true
	}
	return i+1 < len(words) && wordAfter[w][strings.Trim(words[i+1], ".,!?;:")]
}

// wordBefore and wordAfter are the words that make "colon" and "period" the organ and
// the span of time, not punctuation.
var wordBefore = map[string]map[string]bool{
	"colon": set("the sigmoid ascending descending transverse right left distal proximal entire whole her his"),
	"period": set("the a her last first menstrual postoperative post-operative perioperative refractory incubation " +
		"washout waiting grace latent this that each entire same follow-up observation trial"),
}

var wordAfter = map[string]map[string]bool{
	"colon":  set("cancer polyp polyps polyposis resection wall mass lesion biopsy"),
	"period": set("of was is lasted lasting started"),
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// markAt is the mark the command at the start of words writes, and how many words it
// took, or 0.
func markAt(words []string) (string, int) {
	for _, m := range spokenMarks {
		if said(words, m.said) {
			return m.mark, len(strings.Fields(m.said))
		}
	}
	return "", 0
}

// String is the text dictated so far.
func (t *Transcript) String() string {
	var b strings.Builder
	for _, p := range t.pieces {
		s := b.String()
		r, _ := utf8.DecodeRuneInString(p)
		if s != "" && !strings.HasSuffix(s, "\n") && !strings.ContainsRune(".,?!;:\n", r) {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return capitalise(b.String())
}

// capitalise capitalises each sentence's first letter, and "i" said alone.
func capitalise(s string) string {
	out := []rune(s)
	start := true
	for i, r := range out {
		switch {
		case unicode.IsLetter(r):
			alone := (i == 0 || !unicode.IsLetter(out[i-1])) && (i+1 == len(out) || !unicode.IsLetter(out[i+1])) // "i", "i'm"
			if start || r == 'i' && alone {
				out[i] = unicode.ToUpper(r)
			}
			start = false
		case r == '.' || r == '?' || r == '!' || r == '\n':
			start = true
		case unicode.IsDigit(r):
			start = false
		}
	}
	return string(out)
}
