package phi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Surrogates replaces identifiers with made-up values of the same kind, so that a
// de-identified note still reads as a note: "Mrs. Quenby" becomes "Mrs. Harlow", a
// date moves by the patient's offset in the format it was written in, a phone number
// keeps its punctuation.
//
// The same key gives the same surrogate for the same value, in one note and across
// notes: "Quenby" is "Harlow" every time, so a reader can follow a person through a
// text without learning who it is. Surrogates are drawn by HMAC-SHA-256 under key, so
// without the key a surrogate says nothing of the value it replaced; the key must be
// kept secret as the values are (Vellum keeps it in the encrypted vault).
//
// Dates move by ShiftDays, one offset per patient (DateShift), so intervals stay
// true: an admission and a discharge three days apart are three days apart after. A
// date whose year says the patient is over 89 becomes "[DATE]". Ages over 89 become
// "90+" (Safe Harbor's aggregate); ZIP codes keep their first three
// digits, or none where those three digits cover fewer than 20,000 people
// (restrictedZIP3, from the 2000 census as HHS lists them); SSNs start with 9, which
// the SSA never issues; phone numbers fall in 555-0100–0199, reserved for fiction;
// IP addresses in 192.0.2.0/24 (documentation); e-mail addresses and URLs at
// example.org.
type Surrogates struct {
	key       []byte
	ShiftDays int
}

// NewSurrogates returns surrogates drawn under key, dates moved by shiftDays.
func NewSurrogates(key []byte, shiftDays int) *Surrogates {
	return &Surrogates{key: append([]byte(nil), key...), ShiftDays: shiftDays}
}

// DateShift is a patient's date offset under key: a whole number of weeks, 5 to 56
// back, never zero, the same for the same patient. Whole weeks keep each date's day of
// the week, so a weekday beside a date ("Thu 3/14") says nothing of the offset.
func DateShift(key []byte, patient string) int {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("date-shift\x00" + patient))
	return -7 * (5 + int(binary.BigEndian.Uint32(m.Sum(nil))%52))
}

// draw returns a number from the HMAC of kind and value.
func (s *Surrogates) draw(kind, value string) uint64 {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(kind + "\x00" + value))
	return binary.BigEndian.Uint64(m.Sum(nil))
}

// Replace returns text with each of spans (as Find returns them for text) replaced by
// its surrogate.
func (s *Surrogates) Replace(text string, spans []Span) string {
	// Each name surrogate drawn here, and the word it stands for: two people in one
	// text never share a surrogate.
	used := map[string]string{}
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, sp := range spans {
		b.WriteString(text[at:sp.Start])
		b.WriteString(s.value(sp.Type, text[sp.Start:sp.End], used))
		at = sp.End
	}
	b.WriteString(text[at:])
	return b.String()
}

// Value is the surrogate of value, an identifier of type t.
func (s *Surrogates) Value(t Type, value string) string { return s.value(t, value, nil) }

func (s *Surrogates) value(t Type, value string, used map[string]string) string {
	switch t {
	case Name:
		return s.name(value, used)
	case Date:
		return s.date(value)
	case Age:
		// Safe Harbor's one category for every age over 89.
		if out := ageOver89.ReplaceAllString(value, "90+"); out != value {
			return out
		}
		return "90 or older"
	case ZIP:
		return s.zip(value)
	case Location:
		return s.place(value)
	case Email:
		return fmt.Sprintf("%s@example.org", strings.ToLower(s.fakeName("email\x00"+value, 0)))
	case URL:
		return fmt.Sprintf("https://example.org/%d", s.draw("url", value)%100000)
	case IP:
		return fmt.Sprintf("192.0.2.%d", 1+s.draw("ip", value)%254)
	case Phone, Fax:
		return s.phone(value)
	case SSN:
		return s.ssn(value)
	}
	return s.shape(string(t), value)
}

func (s *Surrogates) pick(kind, value string, from []string) string {
	return from[s.draw(kind, value)%uint64(len(from))]
}

// name replaces each word of a name on its own (used: as in Replace, or nil), so that "Tavia Quenby", "Quenby" and
// "QUENBY, TAVIA" agree; initials stay initials, and the case of each word is kept.
func (s *Surrogates) name(value string, used map[string]string) string {
	return nameWords.ReplaceAllStringFunc(value, func(w string) string {
		if utf8.RuneCountInString(w) == 1 {
			return string(rune('A' + s.draw("initial", strings.ToUpper(w))%26))
		}
		key := strings.ToLower(w)
		fake := s.fakeName(key, 0)
		for i := 1; used != nil && used[fake] != "" && used[fake] != key && i < 64; i++ {
			fake = s.fakeName(key, i)
		}
		if used != nil {
			used[fake] = key
		}
		if strings.ToUpper(w) == w {
			return strings.ToUpper(fake)
		}
		return fake
	})
}

// fakeName is the try'th surrogate of a name word: one of 870, of two halves.
func (s *Surrogates) fakeName(word string, try int) string {
	h := s.draw("name", fmt.Sprintf("%s\x00%d", word, try))
	return nameStarts[h%uint64(len(nameStarts))] + nameEnds[(h>>32)%uint64(len(nameEnds))]
}

var nameWords = regexp.MustCompile(`\p{L}+(?:['’]\p{L}+)*`)

// ageOver89 is the number of an age over 89, in digits or in words.
var ageOver89 = regexp.MustCompile(`(?i)\d+|ninety(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one hundred(?:(?: and)? (?:one|two|three|four|five|six|seven|eight|nine|ten))?`)

// shape replaces each digit with a digit and each letter with a letter of the same
// case, keeping punctuation: an MRN still looks like the hospital's MRNs.
func (s *Surrogates) shape(kind, value string) string {
	h := s.draw(kind, value)
	var b strings.Builder
	for i, r := range value {
		x := (h >> (uint(i) % 56)) ^ uint64(i)*0x9e3779b97f4a7c15
		x ^= x >> 29
		switch {
		case r >= '0' && r <= '9':
			b.WriteByte(byte('0' + x%10))
		case r >= 'A' && r <= 'Z':
			b.WriteByte(byte('A' + x%26))
		case r >= 'a' && r <= 'z':
			b.WriteByte(byte('a' + x%26))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteByte('X')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (s *Surrogates) ssn(value string) string {
	out := []byte(s.shape("ssn", value))
	for i, c := range out {
		if c >= '0' && c <= '9' {
			if len(strings.Map(keepDigits, value)) == 9 {
				out[i] = '9' // area 9xx: never issued
			}
			break
		}
	}
	return string(out)
}

func keepDigits(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// phone keeps the number's punctuation and extension, with 555-01xx for its last
// seven digits.
func (s *Surrogates) phone(value string) string {
	out := []byte(s.shape("phone", value))
	var digits []int
	ext := strings.IndexAny(strings.ToLower(value), "xe")
	for i, c := range out {
		if c >= '0' && c <= '9' && (ext < 0 || i < ext) {
			digits = append(digits, i)
		}
	}
	if len(digits) >= 7 {
		tail := digits[len(digits)-7:]
		for j, d := range "55501" {
			out[tail[j]] = byte(d)
		}
		if len(digits) >= 10 {
			area := digits[len(digits)-10]
			if out[area] < '2' {
				out[area] = '2' // an area code never starts with 0 or 1
			}
		}
	}
	return string(out)
}

// zip keeps the first three digits where they cover 20,000 people or more, else none.
func (s *Surrogates) zip(value string) string {
	if len(value) < 3 {
		return "000"
	}
	if restrictedZIP3[value[:3]] {
		return "000"
	}
	return value[:3]
}

// restrictedZIP3 are the three-digit ZIP prefixes of areas with 20,000 people or
// fewer, which Safe Harbor replaces with 000 (HHS's list, from the 2000 census).
var restrictedZIP3 = wordSet(`036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893`)

// place replaces a street address with a made-up one of the same form and a city with
// a made-up city.
func (s *Surrogates) place(value string) string {
	if value != "" && value[0] >= '0' && value[0] <= '9' {
		return fmt.Sprintf("%d %s %s", 100+s.draw("house", value)%9800, s.pick("street", value, surrogatePlaces), s.pick("suffix", value, []string{"Street", "Avenue", "Road", "Lane"}))
	}
	return s.pick("place", value, surrogatePlaces)
}

// date moves a date by ShiftDays in the format it was written in; a date it cannot
// read becomes "[DATE]".
func (s *Surrogates) date(value string) string {
	for _, f := range dateFormats {
		m := f.re.FindStringSubmatch(value)
		if m == nil {
			continue
		}
		y, mo, d, ok := f.read(m)
		if !ok {
			continue
		}
		if y <= time.Now().Year()-90 && y != defaultYear {
			// A year that says the patient is over 89 (a date of birth): Safe
			// Harbor takes the year too.
			return "[DATE]"
		}
		t := time.Date(y, time.Month(mo), d, 12, 0, 0, 0, time.UTC).AddDate(0, 0, s.ShiftDays)
		return f.write(m, t)
	}
	if monthOnly.MatchString(value) {
		return "[MONTH]"
	}
	return "[DATE]"
}

var monthOnly = regexp.MustCompile(`^(?i:january|february|march|april|may|june|july|august|september|october|november|december)$`)

// dateFormat reads one shape of date and writes a moved date in the same shape.
type dateFormat struct {
	re    *regexp.Regexp
	read  func(m []string) (y, mo, d int, ok bool)
	write func(m []string, t time.Time) string
}

// defaultYear stands in where a date has no year: a leap year, so that 29 February
// reads.
const defaultYear = 2024

var monthIndex = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

func monthOf(s string) int {
	if len(s) < 3 {
		return 0
	}
	return monthIndex[strings.ToLower(s[:3])]
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func year(s string) int {
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
		if y > time.Now().Year()+1 {
			y -= 100
		}
	}
	return y
}

func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// pad writes n with a leading zero where the date had them (zero: one of its numbers
// started with 0, or both were two digits).
func pad(n int, zero bool) string {
	if zero {
		return fmt.Sprintf("%02d", n)
	}
	return strconv.Itoa(n)
}

func zeroPadded(a, b string) bool {
	return a[0] == '0' || b[0] == '0' || len(a) == 2 && len(b) == 2
}

func yearLike(t time.Time, like string) string {
	if len(like) == 2 {
		return fmt.Sprintf("%02d", t.Year()%100)
	}
	return strconv.Itoa(t.Year())
}

// monthLike writes t's month as like wrote its own: "Mar", "March", "MAR", "Mar."
func monthLike(t time.Time, like string) string {
	name, word := t.Month().String(), strings.TrimSuffix(like, ".")
	if !monthOnly.MatchString(word) {
		name = name[:3]
	}
	if strings.ToUpper(word) == word {
		name = strings.ToUpper(name)
	}
	if strings.HasSuffix(like, ".") {
		name += "."
	}
	return name
}

var dateFormats = []dateFormat{
	{ // 2024-03-14, 2024/03/14, 2024.03.14
		re: regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})$`),
		read: func(m []string) (int, int, int, bool) {
			y, mo, d := atoi(m[1]), atoi(m[3]), atoi(m[5])
			return y, mo, d, validDate(y, mo, d)
		},
		write: func(m []string, t time.Time) string {
			z := zeroPadded(m[3], m[5])
			return strconv.Itoa(t.Year()) + m[2] + pad(int(t.Month()), z) + m[4] + pad(t.Day(), z)
		},
	},
	{ // 03/14/2024, 3-14-24, 14.3.2024 (day first where the first number is no month)
		re: regexp.MustCompile(`^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{2}|\d{4})$`),
		read: func(m []string) (int, int, int, bool) {
			y, a, b := year(m[5]), atoi(m[1]), atoi(m[3])
			if validDate(y, a, b) {
				return y, a, b, true
			}
			return y, b, a, validDate(y, b, a)
		},
		write: func(m []string, t time.Time) string {
			a, b := int(t.Month()), t.Day()
			if !validDate(year(m[5]), atoi(m[1]), atoi(m[3])) {
				a, b = b, a
			}
			z := zeroPadded(m[1], m[3])
			return pad(a, z) + m[2] + pad(b, z) + m[4] + yearLike(t, m[5])
		},
	},
	{ // 3/14 (a month and a day)
		re: regexp.MustCompile(`^(\d{1,2})/(\d{1,2})$`),
		read: func(m []string) (int, int, int, bool) {
			mo, d := atoi(m[1]), atoi(m[2])
			return defaultYear, mo, d, validDate(defaultYear, mo, d)
		},
		write: func(m []string, t time.Time) string {
			z := zeroPadded(m[1], m[2])
			return pad(int(t.Month()), z) + "/" + pad(t.Day(), z)
		},
	},
	{ // March 14, 2024; Mar. 14th; MARCH 14 2024
		re: regexp.MustCompile(`^(\p{L}+\.?)(\s+)(\d{1,2})(st|nd|rd|th)?(?:(,?\s+)(\d{4}))?$`),
		read: func(m []string) (int, int, int, bool) {
			y := defaultYear
			if m[6] != "" {
				y = atoi(m[6])
			}
			mo, d := monthOf(m[1]), atoi(m[3])
			return y, mo, d, validDate(y, mo, d)
		},
		write: func(m []string, t time.Time) string {
			out := monthLike(t, m[1]) + m[2] + strconv.Itoa(t.Day())
			if m[4] != "" {
				out += ordinal(t.Day())
			}
			if m[6] != "" {
				out += m[5] + strconv.Itoa(t.Year())
			}
			return out
		},
	},
	{ // 14 March 2024; 3rd of March; 14-Mar-2024
		re: regexp.MustCompile(`^(\d{1,2})(st|nd|rd|th)?(\s+of\s+|\s+|-)(\p{L}+\.?)(?:(,?\s+|-)(\d{4}))?$`),
		read: func(m []string) (int, int, int, bool) {
			y := defaultYear
			if m[6] != "" {
				y = atoi(m[6])
			}
			mo, d := monthOf(m[4]), atoi(m[1])
			return y, mo, d, validDate(y, mo, d)
		},
		write: func(m []string, t time.Time) string {
			out := pad(t.Day(), m[1][0] == '0')
			if m[2] != "" {
				out += ordinal(t.Day())
			}
			out += m[3] + monthLike(t, m[4])
			if m[6] != "" {
				out += m[5] + strconv.Itoa(t.Year())
			}
			return out
		},
	},
	{ // March 2024
		re: regexp.MustCompile(`^(\p{L}+\.?)(,?\s+)(\d{4})$`),
		read: func(m []string) (int, int, int, bool) {
			y, mo := atoi(m[3]), monthOf(m[1])
			return y, mo, 15, mo > 0
		},
		write: func(m []string, t time.Time) string { return monthLike(t, m[1]) + m[2] + strconv.Itoa(t.Year()) },
	},
}

func ordinal(d int) string {
	switch {
	case d%10 == 1 && d != 11:
		return "st"
	case d%10 == 2 && d != 12:
		return "nd"
	case d%10 == 3 && d != 13:
		return "rd"
	}
	return "th"
}

// nameStarts and nameEnds make the surrogate names: made up, belonging to no one in
// particular, and no English words.
var (
	nameStarts = strings.Fields(`Har Bren Tav Quil Mars Ost Pell Corv Wynd Ash Lark Tams Vell Rudd Kest Halv Mor
		Ains Dun Ever Fen Gat Holl Ing Jess Kins Lock Nor Oak Pen`)
	nameEnds = strings.Fields(`low ick ers lon den rander ham vane dell grove kin ett acott erow rel vard row ley
		more wick ling ister ram op sey hart cott hurst rose`)
)

// surrogatePlaces are made-up place and street names.
var surrogatePlaces = strings.Fields(`Alderbrook Birchmont Cedarvale Dunmere Elmsworth Fernhollow Glenbarrow Hazelmoor
	Ironwood Juniper Kingsmere Larchfield Maplecross Northwold Oakmere Pinecrest Quarryville Ravenhill Silverlake
	Thornbury Upton Valewood Westmere Yarrowby`)
