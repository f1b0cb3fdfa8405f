package synth

// Fresh styles: note kinds written apart from both the detector and the other
// held-out writer, for a last measurement nobody tunes on. They are the notes a
// hospital writes besides the SOAP note and the discharge summary — an ICU progress
// note by systems, therapy, dental, eye, nutrition and spiritual-care notes, case
// management, a fax cover with an outside-records summary, an ED note with its
// medical decision making, a dermatology note with photographs, a research consent,
// a refill request, a safety event report and a genetic-counselling pedigree — and
// they carry their own names, places and formats (fr* below), so that a detector
// tuned on the other styles meets shapes it has not seen.
//
// Everything is made up. Telephone numbers are in the 555-0100..0199 range, mail
// domains and web hosts are example.com/.net/.org, IP addresses are private or
// documentation ranges. Facility names, states, rooms and beds are not identifiers
// and are not marked; neither are protocol, IRB and NCT numbers, which name a study
// and not a person. Every date with a month is marked, every age over 89 (the
// patient's or a relative's) is marked, and so are the codes that are tied to the
// patient: subject and kit numbers, photo files, specimen accessions,
// authorisations.

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vellumhealth/vellum/phi"
)

// FreshStyles are the fresh styles, by name; CorpusOf(seed, n, FreshStyles) writes
// them.
var FreshStyles []string

func init() {
	for _, s := range []struct {
		name string
		f    func(*frNote)
	}{
		{"fresh-icu", (*frNote).icu},
		{"fresh-pteval", (*frNote).ptEval},
		{"fresh-dental", (*frNote).dental},
		{"fresh-ophtho", (*frNote).ophtho},
		{"fresh-dietitian", (*frNote).dietitian},
		{"fresh-chaplain", (*frNote).chaplain},
		{"fresh-casemgmt", (*frNote).caseMgmt},
		{"fresh-fax", (*frNote).faxCover},
		{"fresh-edmdm", (*frNote).edMDM},
		{"fresh-derm", (*frNote).derm},
		{"fresh-research", (*frNote).research},
		{"fresh-refill", (*frNote).refill},
		{"fresh-incident", (*frNote).incident},
		{"fresh-genetics", (*frNote).genetics},
	} {
		f := s.f
		heldOut[s.name] = func(w *writer) { f(frNew(w)) }
		FreshStyles = append(FreshStyles, s.name)
	}
}

// frPer is a person of the fresh styles: a middle initial and sometimes a nickname.
type frPer struct{ first, mid, last, nick string }

// frNote writes one fresh note through a writer.
type frNote struct {
	w                 *writer
	pt, doc, rel, x   frPer
	fem               bool
	yr                int
	relWord, relWord2 string
}

func frNew(w *writer) *frNote {
	n := &frNote{w: w}
	n.pt, n.doc, n.rel, n.x = n.per(), n.per(), n.per(), n.per()
	if n.ch(0.6) {
		n.rel.last = n.pt.last
	}
	n.fem = n.ch(0.5)
	n.yr = n.in(2017, 2026)
	n.relWord = n.pick("daughter", "son", "wife", "husband", "partner", "niece", "grandson", "sister", "brother", "daughter-in-law", "stepson", "neighbor")
	n.relWord2 = n.pick("son", "daughter", "nephew", "granddaughter", "cousin", "friend")
	return n
}

// ---- small writing helpers ----

func (n *frNote) t(s ...string)             { n.w.t(s...) }
func (n *frNote) f(format string, a ...any) { n.w.t(fmt.Sprintf(format, a...)) }
func (n *frNote) p(typ phi.Type, s string)  { n.w.p(typ, s) }
func (n *frNote) pick(s ...string) string   { return n.w.pick(s...) }
func (n *frNote) ch(p float64) bool         { return n.w.chance(p) }
func (n *frNote) in(lo, hi int) int         { return n.w.n(lo, hi) }
func (n *frNote) fl(lo, hi float64) float64 { return lo + n.w.r.Float64()*(hi-lo) }

func (n *frNote) sex() string {
	if n.fem {
		return n.pick("woman", "female", "F")
	}
	return n.pick("man", "male", "M")
}

func (n *frNote) honor() string {
	if n.fem {
		return n.pick("Ms. ", "Mrs. ", "Ms ", "Mrs ")
	}
	return n.pick("Mr. ", "Mr ")
}

// dig is k random digits, leading zeros allowed.
func (n *frNote) dig(k int) string {
	b := make([]byte, k)
	for i := range b {
		b[i] = byte('0' + n.w.r.IntN(10))
	}
	return string(b)
}

func (n *frNote) alnum(k int) string {
	const a = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
	b := make([]byte, k)
	for i := range b {
		b[i] = a[n.w.r.IntN(len(a))]
	}
	return string(b)
}

func (n *frNote) clock() string {
	h, m := n.in(0, 23), n.in(0, 59)
	switch n.in(0, 4) {
	case 0:
		return fmt.Sprintf("%02d%02d", h, m)
	case 1:
		return fmt.Sprintf("%02d:%02d", h, m)
	case 2:
		hh, ap := h%12, "AM"
		if hh == 0 {
			hh = 12
		}
		if h >= 12 {
			ap = "PM"
		}
		return fmt.Sprintf("%d:%02d %s", hh, m, ap)
	case 3:
		return fmt.Sprintf("%02d%02d hrs", h, m)
	}
	return fmt.Sprintf("%d:%02d%s", h%12+1, m, n.pick("a", "p", "am", "pm"))
}

func (n *frNote) wday() string {
	return n.pick("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tues", "Wed", "Thurs", "Fri", "Sat", "Sun")
}

// ---- people ----

func (n *frNote) per() frPer {
	var p frPer
	switch {
	case n.ch(0.12):
		nk := frNicks[n.w.r.IntN(len(frNicks))]
		p.first, p.nick = nk[0], nk[1]
	case n.ch(0.28):
		p.first = n.w.madeName(n.in(2, 3))
	default:
		p.first = n.pick(frFirst...)
	}
	if n.ch(0.28) {
		p.last = n.w.madeName(n.in(2, 3))
	} else {
		p.last = n.pick(frLast...)
	}
	if n.ch(0.08) {
		p.last += "-" + n.pick(frLast...)
	}
	p.mid = string(rune('A' + n.w.r.IntN(26)))
	return p
}

func frInitial(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r))
}

const (
	frFull          = iota // First Last
	frFullMid              // First M. Last
	frLastFirst            // Last, First
	frLastFirstM           // Last, First M
	frCaps                 // LAST, FIRST M
	frCapsFull             // FIRST LAST
	frLower                // first last
	frInitLast             // F. Last
	frLastInit             // Last F
	frFirstOnly            // First
	frLastOnly             // Last
	frInits                // FML
	frLowerLast            // last
	frFirstLastInit        // First L
)

func (n *frNote) nameAs(p frPer, form int) {
	var s string
	switch form {
	case frFull:
		s = p.first + " " + p.last
	case frFullMid:
		s = p.first + " " + p.mid + ". " + p.last
	case frLastFirst:
		s = p.last + ", " + p.first
	case frLastFirstM:
		s = p.last + ", " + p.first + " " + p.mid
	case frCaps:
		s = strings.ToUpper(p.last + ", " + p.first)
		if n.ch(0.5) {
			s += " " + p.mid
		}
	case frCapsFull:
		s = strings.ToUpper(p.first + " " + p.last)
	case frLower:
		s = strings.ToLower(p.first + " " + p.last)
	case frInitLast:
		s = frInitial(p.first) + ". " + p.last
	case frLastInit:
		s = p.last + " " + frInitial(p.first)
	case frFirstOnly:
		s = p.first
	case frLastOnly:
		s = p.last
	case frInits:
		s = frInitial(p.first) + frInitial(p.last)
		if n.ch(0.4) {
			s = frInitial(p.first) + p.mid + frInitial(p.last)
		}
	case frLowerLast:
		s = strings.ToLower(p.last)
	case frFirstLastInit:
		s = p.first + " " + frInitial(p.last)
	}
	n.p(phi.Name, s)
}

// nm writes a whole name in one of its many shapes.
func (n *frNote) nm(p frPer) {
	n.nameAs(p, []int{frFull, frFull, frFull, frFullMid, frLastFirst, frLastFirstM, frCaps, frCapsFull, frLower, frInitLast, frLastInit}[n.in(0, 10)])
}

// clin writes a clinician with a title or credentials, neither in the span.
func (n *frNote) clin(p frPer, creds ...string) {
	if len(creds) == 0 {
		creds = []string{"MD", "DO", "MD, PhD", "MBBS"}
	}
	c := creds[n.w.r.IntN(len(creds))]
	switch n.in(0, 8) {
	case 0:
		n.t("Dr. ")
		n.nameAs(p, frLastOnly)
	case 1:
		n.t("Dr. ")
		n.nameAs(p, frFull)
	case 2:
		n.nameAs(p, frFull)
		n.t(", ", c)
	case 3:
		n.nameAs(p, frFullMid)
		n.t(", ", c)
	case 4:
		n.nameAs(p, frCapsFull)
		n.t(" ", strings.ToUpper(c))
	case 5:
		n.t("dr ")
		n.nameAs(p, frLowerLast)
	case 6:
		n.nameAs(p, frLastFirst)
		n.t(" ", c)
	case 7:
		n.t("Dr ")
		n.nameAs(p, frInitLast)
	case 8:
		n.t("DR. ")
		n.p(phi.Name, strings.ToUpper(p.last))
	}
}

// staff writes a non-physician with credentials after the name.
func (n *frNote) staff(p frPer, creds ...string) {
	c := creds[n.w.r.IntN(len(creds))]
	switch n.in(0, 4) {
	case 0, 1:
		n.nameAs(p, frFull)
		n.t(", ", c)
	case 2:
		n.nameAs(p, frFullMid)
		n.t(", ", c)
	case 3:
		n.nameAs(p, frFirstLastInit)
		n.t(" ", c)
	case 4:
		c, _, _ = strings.Cut(c, ",")
		n.t(c, " ")
		n.nameAs(p, frFull)
	}
}

// ---- dates ----

var frMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func frMonAb(m int) string {
	if m == 9 {
		return "Sep"
	}
	return frMonths[m-1][:3]
}

func frOrd(d int) string {
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

func (n *frNote) fmtDate(m, d, y, f int) string {
	mon := frMonths[m-1]
	ab := frMonAb(m)
	switch f {
	case 0:
		return fmt.Sprintf("%02d/%02d/%d", m, d, y)
	case 1:
		return fmt.Sprintf("%d/%d/%d", m, d, y)
	case 2:
		return fmt.Sprintf("%d/%d/%02d", m, d, y%100)
	case 3:
		return fmt.Sprintf("%02d-%02d-%d", m, d, y)
	case 4:
		return fmt.Sprintf("%d-%02d-%02d", y, m, d)
	case 5:
		return fmt.Sprintf("%d/%02d/%02d", y, m, d)
	case 6:
		return fmt.Sprintf("%d%02d%02d", y, m, d)
	case 7:
		return fmt.Sprintf("%s %d, %d", mon, d, y)
	case 8:
		return fmt.Sprintf("%s %d %d", ab, d, y)
	case 9:
		return fmt.Sprintf("%02d-%s-%02d", d, strings.ToUpper(ab), y%100)
	case 10:
		return fmt.Sprintf("%02d%s%d", d, ab, y)
	case 11:
		return fmt.Sprintf("%s %d", mon, d)
	case 12:
		return fmt.Sprintf("%d/%d", m, d)
	case 13:
		return fmt.Sprintf("%s %d%s", ab, d, frOrd(d))
	case 14:
		return fmt.Sprintf("%d%s of %s", d, frOrd(d), mon)
	case 15:
		return fmt.Sprintf("%s-%02d-%d", ab, d, y)
	case 16:
		return fmt.Sprintf("%s %d", mon, y)
	case 17:
		return fmt.Sprintf("%d %s", d, ab)
	case 18:
		if m == 5 {
			return fmt.Sprintf("May %d, %d", d, y)
		}
		if m == 9 {
			return fmt.Sprintf("Sept. %d, %d", d, y)
		}
		return fmt.Sprintf("%s. %d, %d", ab, d, y)
	case 19:
		return fmt.Sprintf("%d/%d", m, y)
	case 20:
		return fmt.Sprintf("%d %s %d", d, mon, y)
	}
	return strings.ToUpper(fmt.Sprintf("%s %d, %d", mon, d, y))
}

// dateIn writes a date in years y0..y1 in any format.
func (n *frNote) dateIn(y0, y1 int) {
	n.p(phi.Date, n.fmtDate(n.in(1, 12), n.in(1, 28), n.in(y0, y1), n.in(0, 21)))
}

// date writes a recent date.
func (n *frNote) date() { n.dateIn(n.yr-1, n.yr) }

// fullDate writes a recent date with day, month and year.
func (n *frNote) fullDate() {
	n.p(phi.Date, n.fmtDate(n.in(1, 12), n.in(1, 28), n.in(n.yr-1, n.yr), []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 18, 20, 21}[n.in(0, 13)]))
}

// dob writes a birth date, always with day, month and year.
func (n *frNote) dob() {
	n.p(phi.Date, n.fmtDate(n.in(1, 12), n.in(1, 28), n.in(1926, 2008), []int{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 18, 20, 21}[n.in(0, 15)]))
}

// md writes a month and day alone.
func (n *frNote) md() {
	m, d := n.in(1, 12), n.in(1, 28)
	n.p(phi.Date, n.fmtDate(m, d, n.yr, []int{11, 12, 12, 12, 13, 17}[n.in(0, 5)]))
}

// stamp writes a date and a time after it (the time is not part of the span).
func (n *frNote) stamp() {
	if n.ch(0.3) {
		n.t(n.wday(), " ")
	}
	n.fullDate()
	n.t(n.pick(" ", " @ ", " at ", "  "), n.clock())
}

// ---- ages ----

var frTens = []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

func frWords(a int) string {
	if a == 90 {
		return "ninety"
	}
	return "ninety-" + frTens[a-90]
}

func frArticle(a int) string {
	if a == 8 || a == 11 || a == 18 || (a >= 80 && a <= 89) {
		return "an"
	}
	return "a"
}

// ageAdj writes "a 93-year-old" (the article as text); over 89 the age is marked.
func (n *frNote) ageAdj() {
	old := n.ch(0.3)
	a := n.in(19, 89)
	if old {
		a = n.in(90, 106)
	}
	if n.ch(0.05) {
		a, old = 89, false
	}
	var s string
	switch n.in(0, 7) {
	case 0:
		s = fmt.Sprintf("%d-year-old", a)
	case 1:
		s = fmt.Sprintf("%d yo", a)
	case 2:
		s = fmt.Sprintf("%dyo", a)
	case 3:
		s = fmt.Sprintf("%d y/o", a)
	case 4:
		s = fmt.Sprintf("%d-yr-old", a)
	case 5:
		s = fmt.Sprintf("%d year old", a)
	case 6:
		s = fmt.Sprintf("%d yr old", a)
	case 7:
		if a >= 90 && a <= 99 {
			n.t("a ")
			n.p(phi.Age, frWords(a)+"-year-old")
			return
		}
		s = fmt.Sprintf("%d-year-old", a)
	}
	n.t(frArticle(a), " ")
	if old {
		n.p(phi.Age, s)
	} else {
		n.t(s)
	}
}

// ageNum writes a bare age (after "age", "aged", "died at"): the number alone.
func (n *frNote) ageNum(old bool) {
	if old {
		n.p(phi.Age, fmt.Sprint(n.in(90, 104)))
		return
	}
	n.t(fmt.Sprint(n.in(20, 89)))
}

// ageShort writes an age in a header: "93 yrs", "93y", "93 Y".
func (n *frNote) ageShort() {
	a := n.in(18, 89)
	old := n.ch(0.3)
	if old {
		a = n.in(90, 103)
	}
	s := fmt.Sprintf(n.pick("%d yrs", "%dy", "%d Y", "%d years", "%d yo"), a)
	if old {
		n.p(phi.Age, s)
	} else {
		n.t(s)
	}
}

// ---- numbers and places ----

func (n *frNote) tel(typ phi.Type) {
	a := n.in(201, 989)
	if a == 555 {
		a = 505
	}
	l := fmt.Sprintf("01%02d", n.in(0, 99))
	var s string
	switch n.in(0, 14) {
	case 0, 1:
		s = fmt.Sprintf("(%d) 555-%s", a, l)
	case 2:
		s = fmt.Sprintf("%d-555-%s", a, l)
	case 3:
		s = fmt.Sprintf("%d.555.%s", a, l)
	case 4:
		s = fmt.Sprintf("%d 555 %s", a, l)
	case 5:
		s = fmt.Sprintf("+1 (%d) 555-%s", a, l)
	case 6:
		s = fmt.Sprintf("+1-%d-555-%s", a, l)
	case 7:
		s = fmt.Sprintf("1-%d-555-%s", a, l)
	case 8:
		s = fmt.Sprintf("555-%s", l)
	case 9:
		s = fmt.Sprintf("(%d)555-%s", a, l)
	case 10:
		s = fmt.Sprintf("%d/555-%s", a, l)
	case 11:
		s = fmt.Sprintf("%d555%s", a, l)
	case 12:
		s = fmt.Sprintf("+1 %d 555 %s", a, l)
	case 13:
		s = fmt.Sprintf("(%d) 555-%s x%d", a, l, n.in(2, 4999))
	case 14:
		s = fmt.Sprintf("%d-555-%s ext %d", a, l, n.in(2, 999))
	}
	n.p(typ, s)
}

func frLocal(s string) string {
	s = emailLocal(s)
	if s == "" {
		return "pt"
	}
	return s
}

func (n *frNote) email(p frPer) {
	f, l := frLocal(p.first), frLocal(p.last)
	var loc string
	switch n.in(0, 5) {
	case 0:
		loc = f + "." + l
	case 1:
		loc = f[:1] + l
	case 2:
		loc = f + l[:1] + n.dig(2)
	case 3:
		loc = f + "_" + l
	case 4:
		loc = l + "." + f + fmt.Sprint(n.in(1950, 2005))
	case 5:
		loc = strings.ToUpper(f[:1]) + l
	}
	n.p(phi.Email, loc+"@"+n.pick("example.com", "example.net", "example.org", "mail.example.com", "inbox.example.net", "clinic.example.org"))
}

func (n *frNote) ip() {
	var s string
	switch n.in(0, 5) {
	case 0:
		s = fmt.Sprintf("10.%d.%d.%d", n.in(0, 255), n.in(0, 255), n.in(1, 254))
	case 1:
		s = fmt.Sprintf("172.%d.%d.%d", n.in(16, 31), n.in(0, 255), n.in(1, 254))
	case 2:
		s = fmt.Sprintf("192.168.%d.%d", n.in(0, 255), n.in(1, 254))
	case 3:
		s = fmt.Sprintf("203.0.113.%d", n.in(1, 254))
	case 4:
		s = fmt.Sprintf("198.51.100.%d", n.in(1, 254))
	case 5:
		s = fmt.Sprintf("2001:db8:%x:%x::%x", n.in(1, 0xffff), n.in(1, 0xffff), n.in(1, 0xfff))
	}
	n.p(phi.IP, s)
}

func (n *frNote) street() string {
	switch n.in(0, 11) {
	case 0:
		return "PO Box " + fmt.Sprint(n.in(10, 9999))
	case 1:
		return fmt.Sprintf("HC %d Box %d", n.in(10, 99), n.in(100, 9999))
	case 2:
		return fmt.Sprintf("%d County Road %d", n.in(100, 99999), n.in(1, 400))
	case 3:
		return fmt.Sprintf("%d Calle %s", n.in(1, 999), n.pick("del Sol", "Las Flores", "Ocho", "Morelos", "San Jacinto"))
	}
	s := fmt.Sprint(n.in(2, 24999)) + " "
	if n.ch(0.3) {
		s += n.pick("N ", "S ", "E ", "W ", "NE ", "SW ", "North ", "West ")
	}
	s += n.pick(frStreets...) + " " + n.pick("St", "Street", "Ave", "Avenue", "Rd", "Blvd", "Ln", "Ct", "Cir", "Pkwy", "Hwy", "Trl", "Pl", "Ter", "Loop")
	if n.ch(0.35) {
		s += n.pick(" Apt ", " Apt. ", " Unit ", " #", " Lot ", " Trlr ", ", Apt ") + n.pick(fmt.Sprint(n.in(1, 40)), fmt.Sprint(n.in(1, 9))+n.pick("A", "B", "C", "F", "R"), "B"+fmt.Sprint(n.in(1, 12)))
	}
	return s
}

func (n *frNote) city() (string, string) {
	c, st, _ := strings.Cut(n.pick(frCities...), "|")
	if n.ch(0.15) {
		if full, ok := frStateNames[st]; ok {
			st = full
		}
	}
	return c, st
}

func (n *frNote) zip() string {
	z := fmt.Sprintf("%05d", n.in(1001, 99929))
	if n.ch(0.25) {
		z += "-" + n.dig(4)
	}
	return z
}

// addr writes a whole address; lines breaks between street and city if multi.
func (n *frNote) addr(multi bool) {
	n.p(phi.Location, n.street())
	if multi {
		n.t("\n")
	} else {
		n.t(", ")
	}
	c, st := n.city()
	n.p(phi.Location, c)
	n.t(", ", st, n.pick(" ", "  ", " "))
	n.p(phi.ZIP, n.zip())
}

func (n *frNote) mrn() string {
	switch n.in(0, 5) {
	case 0:
		return "E" + n.dig(7)
	case 1:
		return "00" + n.dig(7)
	case 2:
		return fmt.Sprintf("%s-%s-%s-%s", n.dig(2), n.dig(2), n.dig(2), n.dig(2))
	case 3:
		return "M" + n.dig(8)
	case 4:
		return n.w.digits(7)
	}
	return n.w.digits(6) + "-" + n.dig(1)
}

func (n *frNote) acct() string {
	switch n.in(0, 3) {
	case 0:
		return n.w.digits(10)
	case 1:
		return "A" + n.dig(9)
	case 2:
		return n.w.digits(3) + "-" + n.dig(6)
	}
	return "V" + n.dig(8)
}

func (n *frNote) mbi() string {
	const let = "ACDEFGHJKMNPQRTUVWXY"
	l := func() byte { return let[n.w.r.IntN(len(let))] }
	an := func() byte {
		if n.ch(0.5) {
			return l()
		}
		return byte('0' + n.w.r.IntN(10))
	}
	d := func() byte { return byte('0' + n.w.r.IntN(10)) }
	b := []byte{byte('1' + n.w.r.IntN(9)), l(), an(), d(), l(), an(), d(), l(), l(), d(), d()}
	s := string(b)
	if n.ch(0.4) {
		s = s[:4] + "-" + s[4:7] + "-" + s[7:]
	}
	return s
}

func (n *frNote) plan() string {
	switch n.in(0, 4) {
	case 0:
		return n.mbi()
	case 1:
		return n.w.letters(3) + n.dig(9)
	case 2:
		return "W" + n.dig(9) + "-0" + fmt.Sprint(n.in(1, 4))
	case 3:
		return n.w.digits(11)
	}
	return n.w.letters(2) + n.dig(7) + n.w.letters(1)
}

func (n *frNote) npi() string { return "1" + n.dig(9) }

func (n *frNote) dea() string {
	return n.pick("A", "B", "F", "M") + n.w.letters(1) + n.dig(7)
}

func (n *frNote) vin() string {
	return n.alnum(11) + n.dig(6)
}

func (n *frNote) plate() string {
	switch n.in(0, 3) {
	case 0:
		return fmt.Sprint(n.in(1, 9)) + n.w.letters(3) + n.dig(3)
	case 1:
		return n.w.letters(3) + "-" + n.dig(4)
	case 2:
		return n.w.letters(3) + " " + n.dig(3)
	}
	return n.dig(3) + "-" + n.w.letters(3)
}

func (n *frNote) ssn() string {
	s := fmt.Sprintf("%03d%02d%04d", n.in(100, 665), n.in(1, 99), n.in(1, 9999))
	switch n.in(0, 2) {
	case 0:
		return s[:3] + "-" + s[3:5] + "-" + s[5:]
	case 1:
		return s[:3] + " " + s[3:5] + " " + s[5:]
	}
	return s
}

// county writes "Yakima County" (the word County in the span) and returns its state.
func (n *frNote) county() string {
	c, st, _ := strings.Cut(n.pick(frCounties...), "|")
	n.p(phi.Location, c)
	return st
}

// ---- a header ----

func (n *frNote) header() {
	switch n.in(0, 5) {
	case 0:
		n.t("Pt Name: ")
		n.nameAs(n.pt, frCaps)
		n.t("  |  MRN: ")
		n.p(phi.MRN, n.mrn())
		n.t("  |  DOB: ")
		n.dob()
		n.t("\n")
	case 1:
		n.t("Patient: ")
		n.nm(n.pt)
		n.t("\nDOB: ")
		n.dob()
		n.t(" (")
		n.ageShort()
		n.t(")   Sex: ", n.pick("F", "M", "X"), "\nMed Rec #: ")
		n.p(phi.MRN, n.mrn())
		n.t("\n")
	case 2:
		n.t("Patient Identification: ")
		n.nameAs(n.pt, frLastFirstM)
		n.t("; Acct ")
		n.p(phi.Account, n.acct())
		n.t("; MR# ")
		n.p(phi.MRN, n.mrn())
		n.t("\n")
	case 3:
		n.nameAs(n.pt, frCaps)
		n.t("\t")
		n.p(phi.MRN, n.mrn())
		n.t("\t")
		n.dob()
		n.t("\t", n.pick("F", "M"), "\n")
	case 4:
		n.t("Name/DOB/MRN: ")
		n.nameAs(n.pt, frLastFirst)
		n.t(" / ")
		n.dob()
		n.t(" / ")
		n.p(phi.MRN, n.mrn())
		n.t("\nFIN: ")
		n.p(phi.Account, n.acct())
		n.t("\n")
	case 5:
		n.t("PATIENT: ")
		n.nameAs(n.pt, frCapsFull)
		n.t("    DATE OF BIRTH: ")
		n.dob()
		n.t("\nMRN ")
		n.p(phi.MRN, n.mrn())
		n.t("    CSN ")
		n.p(phi.Account, n.w.digits(10))
		n.t("\n")
	}
}

// ---- styles ----

// icu writes an ICU daily progress note, by systems.
func (n *frNote) icu() {
	n.t(n.pick("MICU", "SICU", "CVICU", "Neuro ICU", "MICU Team B"), " Daily Progress Note — HD #", fmt.Sprint(n.in(2, 19)), "\n")
	n.header()
	n.t("Date of service: ")
	n.fullDate()
	n.t("   Bed ", n.pick("12", "4B", "MICU-07", "22", "3"), "\nAttending: ")
	n.clin(n.doc)
	n.t("   Fellow: ")
	n.clin(n.per())
	n.t("   Resident: ")
	res := n.per()
	n.nameAs(res, frFull)
	n.t(", MD\n\n")
	n.t("ID: ")
	n.ageAdj()
	n.t(" ", n.sex(), " with ", n.pick(frPMH...), " admitted ")
	n.date()
	n.t(" with ", n.pick("septic shock from a urinary source", "acute hypoxemic respiratory failure", "DKA with AKI", "massive PE s/p tPA", "cardiogenic shock", "status epilepticus", "upper GI bleed, Forrest IIa ulcer"), ".\n")
	n.t("\nOVERNIGHT/24H EVENTS: ", n.pick(
		"Self-extubated at 0320, reintubated without event.",
		"Febrile to 38.9, pan-cultured. New R IJ placed.",
		"No acute events. Weaned FiO2 to 40%.",
		"Brief run of NSVT x 12 beats; Mg repleted."), "\n\nBY SYSTEMS\n")
	n.f("Neuro: RASS %s, CAM-ICU %s. %s. Pupils 3 mm, brisk. %s\n", n.pick("-2", "-1", "0", "+1"), n.pick("negative", "positive"),
		n.pick("Propofol 25 mcg/kg/min", "Dexmedetomidine 0.6 mcg/kg/h", "Fentanyl 50 mcg/h, propofol off"), n.pick("Babinski absent bilaterally.", "No clonus.", "GCS 10T."))
	n.f("CV: MAP %d-%d on norepinephrine %.2f mcg/kg/min. Lactate %.1f (from %.1f). ", n.in(58, 66), n.in(70, 92), n.fl(0.02, 0.3), n.fl(0.8, 2.4), n.fl(2.5, 8))
	if n.ch(0.6) {
		n.t("TTE ")
		n.md()
		n.t(": EF ", n.pick("25-30%", "55%", "40%"), ", RV ", n.pick("normal", "mildly reduced"), ".")
	}
	n.f("\nResp: AC/VC %d x %d, PEEP %d, FiO2 %d%%. ABG 7.%02d/%d/%d. P/F %d. ETT 7.5 @ %d cm at the lip.\n", n.in(380, 500), n.in(14, 28), n.in(5, 14), n.in(30, 80), n.in(20, 45), n.in(30, 60), n.in(60, 140), n.in(90, 320), n.in(21, 25))
	n.f("GI/FEN: %s @ %d mL/h via OGT (KUB confirmed). Senna/docusate. Last BM ", n.pick("Vital AF 1.2", "Peptamen 1.5", "Osmolite 1.2", "Nepro"), n.in(10, 65))
	n.md()
	n.f(".\nRenal: Cr %.1f (baseline %.1f), UOP %.1f mL/kg/h. ", n.fl(1.2, 4.8), n.fl(0.6, 1.3), n.fl(0.2, 1.2))
	if n.ch(0.5) {
		n.t("CRRT via L femoral Trialysis placed ")
		n.date()
		n.t(", UF goal -50 mL/h.")
	}
	n.t("\nID: ", n.pick("Vanc/cefepime", "Meropenem", "Pip-tazo", "Micafungin"), " day #", fmt.Sprint(n.in(2, 9)), " (started ")
	n.md()
	n.t("). BCx ")
	n.date()
	n.t(" ", n.pick("GPC in clusters 2/4", "NGTD", "E. coli, pan-sensitive"), ". MRSA nares neg.\n")
	n.f("Heme: Hgb %.1f, Plt %d (4T score %d). Heparin 5000 units SQ q8h.\nEndo: insulin infusion, BG 140-180. Hydrocortisone 50 mg IV q6h.\n", n.fl(6.8, 11), n.in(40, 320), n.in(1, 5))
	n.t("Lines/tubes/drains: R IJ TLC (")
	n.md()
	n.t(", placed by ")
	n.clin(n.per())
	n.t("); L radial arterial line; Foley (")
	n.md()
	n.t(") — CAUTI bundle reviewed.\n")
	switch n.in(0, 3) {
	case 0:
		n.t("Devices: LVAD (HeartMate 3, pump serial ")
		n.p(phi.Device, "MLP"+n.dig(6))
		n.f(") speed %d rpm, flow %.1f L/min, PI %.1f.\n", n.in(50, 62)*100, n.fl(3.5, 5.5), n.fl(1.8, 4.2))
	case 1:
		n.t("Devices: dual-chamber PPM, ", n.pick("Medtronic", "Abbott", "Boston Scientific"), " SN ")
		n.p(phi.Device, n.w.letters(3)+n.dig(6)+n.w.letters(1))
		n.t(", interrogated — magnet response appropriate.\n")
	case 2:
		n.t("Devices: Impella CP, console S/N ")
		n.p(phi.Device, n.dig(6))
		n.t(", P-level 6.\n")
	}
	n.t("Ppx: SQH, pantoprazole 40 mg IV daily, HOB >30. Code status: ", n.pick("Full code", "DNR/DNI (MOLST on file)", "DNR, OK to intubate", "Full code, pending family meeting"), ".\n")
	n.t("\nFamily: Spoke with ", n.relWord, " ")
	n.nm(n.rel)
	n.t(" (health care proxy) ", n.pick("by phone at ", "at bedside and by phone, cell "))
	n.tel(phi.Phone)
	n.t(" on ", n.wday(), " ")
	n.md()
	n.t("; updated on plan.")
	if n.ch(0.5) {
		c, st := n.city()
		n.t(" ", n.pick("Her", "His"), " ", n.relWord2, " ")
		n.nameAs(n.x, frFirstOnly)
		n.t(" is flying in from ")
		n.p(phi.Location, c)
		n.t(", ", st, ".")
	}
	n.t("\nDispo: remains ICU level of care.\n\nCritical care time: ", fmt.Sprint(n.in(31, 95)), " minutes, exclusive of procedures and teaching.\n")
	n.t("I saw and examined the patient with Dr. ")
	n.nameAs(res, frLastOnly)
	n.t(" and agree with the assessment and plan as documented, with edits above.\n")
	n.nameAs(n.doc, n.pick1(frFull, frFullMid, frCapsFull))
	n.t(", MD  ")
	n.stamp()
	n.t("\n")
}

func (n *frNote) pick1(forms ...int) int { return forms[n.w.r.IntN(len(forms))] }

// ptEval writes a physical therapy initial evaluation.
func (n *frNote) ptEval() {
	n.t(n.pick("PHYSICAL THERAPY INITIAL EVALUATION", "Outpatient PT Evaluation", "PT Eval — Acute Care"), "\n")
	n.header()
	n.t("Date of eval: ")
	n.fullDate()
	n.t("   Time in/out: ", n.clock(), "–", n.clock(), "\nReferring provider: ")
	n.clin(n.doc)
	n.t("  NPI ")
	n.p(phi.License, n.npi())
	n.t("\nMedical dx: ", n.pick("M17.11 unilateral primary OA, right knee; s/p R TKA", "S72.001A fx of R femoral neck; s/p hemiarthroplasty", "M54.50 low back pain", "I63.9 CVA with L hemiparesis", "S83.511A ACL tear, L knee; s/p ACL reconstruction"), " on ")
	n.date()
	if n.ch(0.4) {
		n.t("\nImplant record: ", n.pick("Triathlon CR femoral component", "Accolade II stem", "Persona tibial baseplate"), ", UDI ")
		n.p(phi.Device, fmt.Sprintf("(01)%s(17)%02d%02d%02d(10)%s(21)%s", "0"+n.dig(13), n.in(26, 31), n.in(1, 12), n.in(1, 28), n.alnum(6), n.dig(7)))
	}
	n.t("\nTreatment dx: R26.89 other abnormalities of gait; M62.81 muscle weakness\n")
	if n.ch(0.4) {
		n.t("Date of injury: ")
		n.date()
		n.t(". Workers' comp claim # ")
		n.p(phi.ID, "WC"+n.dig(2)+"-"+n.dig(6))
		n.t(", adjuster ")
		n.nameAs(n.x, frFull)
		n.t(" ")
		n.tel(phi.Phone)
		n.t(".\n")
	}
	n.t("\nSUBJECTIVE: Pt is ")
	n.ageAdj()
	n.t(" ", n.sex(), " who ", n.pick("reports R knee pain 6/10 at rest, 8/10 with stairs", "fell in the kitchen and has been unable to walk household distances", "has had LBP since lifting a patient at work", "notes L leg 'giving way'"), ". ")
	if n.pt.nick != "" {
		n.t("Prefers to be called ")
		n.p(phi.Name, n.pt.nick)
		n.t(". ")
	}
	n.t("Goal: ", n.pick("to walk ", "to dance with ", "to return to coaching "))
	n.t(n.pick("her ", "his ", "a "), n.pick("granddaughter", "son", "daughter"), " ")
	n.nameAs(n.per(), frFirstOnly)
	n.t(n.pick(" at the wedding on ", " at the graduation on ", " at the quinceañera on "))
	n.date()
	n.t(".\nHome: lives with ", n.relWord, " ")
	n.nameAs(n.rel, frFirstOnly)
	n.t(" in a ", n.pick("split-level", "two-story home", "single-wide trailer", "3rd-floor walk-up"), " at ")
	n.addr(false)
	n.t("; ", fmt.Sprint(n.in(2, 16)), " steps with ", n.pick("R rail", "L rail", "no rail"), ". DME: ", n.pick("FWW", "SPC", "none", "shower chair and RW"), ".\n")
	n.t("\nOBJECTIVE:\n")
	n.f("ROM (AROM/PROM): knee flexion %d/%d deg, extension -%d deg. MMT quads %s/5, glute med %s/5.\n", n.in(70, 120), n.in(80, 128), n.in(0, 12), n.pick("3+", "4-", "4", "4+"), n.pick("3", "3+", "4-"))
	n.f("Berg Balance %d/56. TUG %.1f s with %s. 5xSTS %.1f s. 6MWT %d m. LEFS %d/80. Gait speed %.2f m/s.\n", n.in(28, 54), n.fl(8, 24), n.pick("RW", "SPC", "no AD"), n.fl(10, 25), n.in(120, 480), n.in(12, 70), n.fl(0.4, 1.2))
	n.t("Special tests: ", n.pick("Lachman 2+, anterior drawer +", "Thomas test + R", "Trendelenburg + L", "SLR neg bilat, slump neg"), ". Sensation intact to LT L2-S1.\n")
	n.t("\nASSESSMENT: ")
	if n.ch(0.5) {
		n.t(n.honor())
		n.nameAs(n.pt, frLastOnly)
	} else {
		n.t("Pt")
	}
	n.t(" presents with impairments in ROM, strength and balance limiting community ambulation. Good rehab potential. Moderate complexity (CPT 97162).\n")
	n.t("PLAN: ", fmt.Sprint(n.in(1, 3)), "x/wk x ", fmt.Sprint(n.in(4, 12)), " wks — 97110, 97112, 97116, 97140, 97530. Plan of care ")
	n.fullDate()
	n.t(n.pick(" through ", " – ", " to "))
	n.fullDate()
	n.t(". HEP issued (Medbridge code ")
	n.p(phi.ID, n.alnum(8))
	n.t(").\n\n")
	ther := n.per()
	n.staff(ther, "PT, DPT", "PT", "DPT, OCS", "MPT")
	n.t("\nLicense # ")
	n.p(phi.License, n.pick("PT", "PT0", "")+n.dig(6))
	n.t("   ")
	n.tel(phi.Phone)
	n.t("\n")
	if n.ch(0.4) {
		n.t("Co-signed: ")
		n.nameAs(n.per(), frFull)
		n.t(", PTA\n")
	}
}

// dental writes a dental operative progress note.
func (n *frNote) dental() {
	n.t(n.pick("DENTAL PROGRESS NOTE", "Dental Clinic — Operative Visit", "Comprehensive Oral Evaluation"), "\n")
	n.t("Patient: ")
	n.nm(n.pt)
	n.t("   Chart #: ")
	n.p(phi.MRN, n.mrn())
	n.t("   DOB ")
	n.dob()
	n.t("\nVisit: ")
	n.fullDate()
	n.t("   Op ", fmt.Sprint(n.in(1, 9)), "\n")
	if n.ch(0.35) {
		n.t("Minor; accompanied by ", n.pick("mother", "father", "grandmother", "legal guardian"), " ")
		n.nm(n.rel)
		n.t(", who gave consent.\n")
	}
	n.t("Insurance: ", n.pick("Delta Dental PPO", "MetLife Dental", "Medicaid (DentaQuest)", "Cigna DPPO"), "; subscriber ")
	n.nm(n.rel)
	n.t(", subscriber ID ")
	n.p(phi.HealthPlan, n.plan())
	n.t(".\n\nCC: \"", n.pick("my bottom left back tooth hurts since", "broke a filling on", "gums bleed when I floss since"), " ", n.wday(), "\"\n")
	n.t("Med hx: ", n.pick("HTN on amlodipine 5 mg", "T2DM, A1c 7.9", "R TKA 2019 — ortho requests no premed", "bisphosphonate (alendronate 70 mg weekly) x 6 yrs", "none"), ". NKDA. BP ", fmt.Sprintf("%d/%d", n.in(104, 158), n.in(62, 96)), ".\n")
	tooth := n.in(1, 32)
	n.f("Exam: #%d MOD caries, #%d fractured DL cusp. Probing 3-4 mm generalized, 6 mm #%d DL with BOP. BWX x4 and PA #%d taken (image ", tooth, n.in(1, 32), n.in(1, 32), tooth)
	n.p(phi.ID, n.pick("PA_", "BWX-", "IMG")+n.dig(6)+n.pick(".dcm", "", ".jpg"))
	n.t(").\n")
	carp := n.in(1, 3)
	n.f("Procedure: Topical benzocaine 20%%. %s 1:100,000 epi, %.1f mL (%d carpule%s) via %s. Rubber dam. Tx #%d: D2393 resin-based composite, 3 surfaces, shade %s. Occlusion checked with articulating paper.\n",
		n.pick("2% lidocaine with", "4% articaine with"), 1.8*float64(carp), carp, map[bool]string{true: "s"}[carp > 1], n.pick("IANB left", "IANB right", "buccal infiltration"), tooth, n.pick("A2", "A3", "B1"))
	n.t("Pt tolerated well. Post-op instructions given. Nitrous oxide: ", n.pick("none", "30% N2O/70% O2 x 25 min, 5 min 100% O2"), ".\n")
	n.t("Next visit: ")
	n.date()
	n.f(" — crown prep #%d (D2740). Recall 6 mo; prophy D1110.\n\n", n.in(1, 32))
	n.clin(n.doc, "DDS", "DMD")
	n.t("   NPI ")
	n.p(phi.License, n.npi())
	n.t("\nAssisted by ")
	n.nameAs(n.per(), frFirstOnly)
	n.t(" (RDA)")
	if n.ch(0.5) {
		n.t("; hygiene: ")
		n.staff(n.per(), "RDH")
	}
	n.t("\n")
}

// ophtho writes an ophthalmology clinic note.
func (n *frNote) ophtho() {
	n.t(n.pick("OPHTHALMOLOGY CLINIC NOTE", "Eye Clinic — Glaucoma Service", "Retina Clinic Follow-up"), "\n")
	n.header()
	n.t("Visit date: ")
	n.fullDate()
	n.t("\nReferred by: ")
	opt := n.per()
	n.nameAs(opt, n.pick1(frFull, frFullMid, frLastFirst))
	n.t(", OD (", n.pick("Clearview Optometry", "Family Eyecare", "VisionWorks"), "), fax ")
	n.tel(phi.Fax)
	n.t("\n\nCC: ", n.pick("blurry vision OS x 3 months", "glare driving at night", "floaters OD x 2 weeks", "routine glaucoma f/u"), "\n")
	n.t("HPI: ")
	n.ageAdj()
	n.t(" ", n.sex(), ". ", n.pick("s/p YAG capsulotomy OD on ", "s/p CE/IOL OD on ", "Last IVI aflibercept OS on ", "Last visual field "))
	n.date()
	n.t(".\n\n")
	va := []string{"20/20", "20/25", "20/30", "20/40", "20/50", "20/60", "20/80", "20/200", "CF 3'"}
	n.t("VA sc: OD ", n.pick(va...), "  OS ", n.pick(va...), "  PH OS ", n.pick(va[:5]...), "\n")
	n.f("IOP (%s): %d / %d mmHg at %s\n", n.pick("Tonopen", "Goldmann", "iCare"), n.in(10, 32), n.in(10, 32), n.clock())
	n.t("Pupils: 4→2 mm OU, no APD. CVF full OU. EOM full.\n")
	n.f("SLE: L/L nl; C/S white and quiet; K clear; AC deep and quiet; lens %s.\n", n.pick("2+ NS OS", "PCIOL OD, 1+ NS OS", "PCIOL OU"))
	n.f("DFE: C/D %.1f OD, %.1f OS; macula %s; periphery flat 360.\n", n.fl(0.2, 0.9), n.fl(0.2, 0.9), n.pick("flat", "drusen OS", "ERM OD"))
	n.t("OCT RNFL (scan ")
	n.p(phi.ID, n.pick("OCT-", "RNFL_", "")+n.dig(8))
	n.f("): avg %d µm OD, %d µm OS.\n", n.in(62, 100), n.in(62, 100))
	if n.ch(0.5) {
		n.t("IOL OD: ", n.pick("Alcon SN60WF", "J&J Tecnis ZCB00", "B+L enVista"), fmt.Sprintf(" %.1f D", 15+float64(n.in(0, 20))/2), ", serial ")
		n.p(phi.Device, n.dig(8)+"."+n.dig(3))
		n.t(".\n")
	}
	n.t("\nA/P:\n1. ", n.pick("POAG, OS, moderate stage (H40.1122)", "Cataract OS, visually significant (H25.12)", "Wet AMD OS (H35.3221)"), ". ")
	n.t(n.pick("Start latanoprost 0.005% 1 gtt OS qhs.", "Discussed CE/IOL OS; pt wishes to proceed.", "Aflibercept 2 mg IVI OS today, lot on MAR."), "\n")
	if n.ch(0.5) {
		n.t("2. Driving: VA OS below the standard; pt holds DL # ")
		n.p(phi.License, n.w.letters(1)+n.dig(n.in(7, 12)))
		n.t(". DMV vision form completed ")
		n.md()
		n.t(".\n")
	}
	n.t("RTC ", n.pick("6 wks", "4 months", "1 wk post-op"), " — ")
	n.date()
	n.t(". Technician: ")
	n.nameAs(n.per(), frInits)
	n.t("\n")
	n.clin(n.doc)
	n.t("\n")
}

// dietitian writes an inpatient nutrition assessment.
func (n *frNote) dietitian() {
	n.t(n.pick("NUTRITION ASSESSMENT", "Clinical Nutrition — Initial Assessment", "RD Consult Note"), "\n")
	n.header()
	n.t("Consult per ")
	n.clin(n.doc)
	n.t(" for ", n.pick("MST 3", "wt loss", "TF recommendations", "Braden <12"), ". Room ", fmt.Sprint(n.in(200, 990)), ".\n\n")
	h := n.fl(150, 188)
	wt := n.fl(42, 120)
	n.f("Anthropometrics: Ht %.1f cm; Wt %.1f kg (", h, wt)
	n.md()
	n.t(n.pick(", bed scale)", ", standing)", ")"))
	n.f("; UBW %.0f kg (", wt*n.fl(1.05, 1.25))
	n.dateIn(n.yr-1, n.yr)
	n.f("), %.1f%% wt loss; BMI %.1f; IBW %.1f kg.\n", n.fl(4, 18), wt/((h/100)*(h/100)), 45+0.9*(h-152))
	n.t("Diet hx (per pt and ", n.relWord, " ")
	n.nameAs(n.rel, n.pick1(frFirstOnly, frFull))
	n.t("): ")
	if n.ch(0.5) {
		n.t(n.pick("follows halal diet, ate well until ", "kosher; family brings meals since ", "appetite poor since "))
		n.md()
	} else {
		n.t(n.pick("eating <50% of meals x 7 days", "drinks 2 Boost daily, skips lunch"))
	}
	n.t(". 24-h recall: 0700 oatmeal + coffee; 1200 half a turkey sandwich; 1800 rice/broth.\n")
	n.t("NFPE: ", n.pick("moderate temporal and clavicular wasting", "mild orbital fat loss; 1+ LE edema", "no wasting"), "; hand grip ", n.pick("weak", "WNL"), ".\n")
	n.f("Labs: Na %d, K %.1f, Mg %.1f, Phos %.1f, BG %d-%d, Alb %.1f (not a marker of status).\n", n.in(130, 145), n.fl(3.1, 5.0), n.fl(1.4, 2.3), n.fl(1.8, 4.4), n.in(90, 140), n.in(150, 260), n.fl(2.1, 4.2))
	n.f("Estimated needs: %d-%d kcal (25-30 kcal/kg), %d-%d g protein (1.2-1.5 g/kg), %d mL fluid.\n", int(wt*25), int(wt*30), int(wt*1.2), int(wt*1.5), int(wt*30))
	n.t("\nNUTRITION DX (PES): ", n.pick("Severe malnutrition in the context of chronic illness", "Inadequate oral intake", "Increased nutrient needs"), " related to ", n.pick("dysphagia after CVA", "CHF/cachexia", "nausea with chemo"), " as evidenced by intake <75% x >1 month and wt loss.\n")
	n.t("INTERVENTION: ")
	if n.ch(0.4) {
		n.t("Jevity 1.5 @ 55 mL/h via Cortrak (placed ")
		n.md()
		n.t(")")
	} else {
		n.t(n.pick("Ensure Plus BID", "Glucerna 1.2 @ 45 mL/h, advance by 10 q4h", "Magic Cup with lunch and dinner"))
	}
	n.t("; thiamine 100 mg x 5 days (refeeding risk); MVI with minerals.\n")
	n.t("MONITOR: weekly weights, I/O, BMP/Mg/Phos daily x 3. RD to follow up ", n.wday(), " ")
	n.md()
	n.t(".\n\n")
	rd := n.per()
	n.staff(rd, "MS, RD, LDN", "RDN, CNSC", "RD")
	if n.ch(0.5) {
		n.t("  ")
		n.email(rd)
	}
	n.t("\n")
}

// chaplain writes a spiritual care note.
func (n *frNote) chaplain() {
	n.t(n.pick("Spiritual Care Note", "CHAPLAINCY VISIT", "Pastoral Care — Initial Visit"), "\n")
	n.t("Patient: ")
	n.nm(n.pt)
	n.t("   Unit: ", n.pick("5 West", "PCU", "Oncology 8", "MICU"), "   Date/time: ")
	n.stamp()
	n.t("\nReferral: ", n.pick("RN ", "family request via RN ", "Palliative team, "))
	n.nameAs(n.per(), frFirstOnly)
	n.t("\n\n")
	n.t("Pt is ")
	n.ageAdj()
	n.t(" ", n.pick("widow", "widower", "retired machinist", "former schoolteacher", "Navy veteran", "grandmother of eleven"), ", faith tradition: ")
	faith := n.in(0, 4)
	n.t([]string{"Roman Catholic", "Muslim (Sunni)", "Jewish (Conservative)", "Baptist", "none; 'spiritual, not religious'"}[faith], ".\n")
	n.t("Present: ", n.relWord, " ")
	n.nm(n.rel)
	n.t(" and ", n.relWord2, " ")
	n.nameAs(n.x, frFirstOnly)
	n.t(" (", fmt.Sprint(n.in(17, 70)), ").\n")
	c, st := n.city()
	if n.ch(0.5) {
		n.t("\n", n.honor())
		n.nameAs(n.pt, frLastOnly)
		n.t(" shared memories of growing up in ")
	} else {
		n.t("\nPt shared memories of growing up in ")
	}
	n.p(phi.Location, c)
	n.t(", ", st, n.pick(", and of ", "; spoke of "), n.pick("marrying ", "meeting "))
	sp := n.per()
	sp.last = n.pt.last
	n.nameAs(sp, frFirstOnly)
	n.t(" on ")
	n.p(phi.Date, n.fmtDate(n.in(1, 12), n.in(1, 28), n.in(1948, 1975), n.pick1(7, 14, 20, 1)))
	n.t(". ")
	if n.ch(0.5) {
		n.t(n.pick("Her", "His"), " mother lived to ")
		n.ageNum(true)
		n.t(" and 'never missed Mass'. ")
	}
	n.t(n.pick("Expressed fear of being a burden.", "Wonders whether God is punishing the family.", "Is at peace; 'I've had a good run.'"), "\n")
	n.t("\nInterventions: ")
	switch faith {
	case 0:
		n.t("Prayed the Hail Mary and Our Father with family. Anointing of the Sick by Fr. ")
		n.nameAs(n.per(), n.pick1(frFull, frLastOnly))
		n.t(" of ", n.pick("St. Casimir", "St. Brigid", "Our Lady of Guadalupe", "Holy Family"), " Parish, ")
		n.tel(phi.Phone)
		n.t(".")
	case 1:
		n.t("Contacted Imam ")
		n.nameAs(n.per(), n.pick1(frFull, frLastOnly))
		n.t(" at ")
		n.tel(phi.Phone)
		n.t("; family read Surah Ya-Sin; facing qibla arranged.")
	case 2:
		n.t("Rabbi ")
		n.nameAs(n.per(), n.pick1(frFull, frLastOnly))
		n.t(" visited; Vidui discussed; LED Shabbat candles provided Friday.")
	case 3:
		n.t("Read Psalm 23 and John 14:1-3; sang \"Amazing Grace\" with ", n.relWord, ". Pastor ")
		n.nameAs(n.per(), n.pick1(frFull, frLastOnly))
		n.t(" (", n.pick("Greater Mt. Zion", "First Baptist", "New Hope"), ") updated, cell ")
		n.tel(phi.Phone)
		n.t(".")
	default:
		n.t("Reflective listening; life review; Mark 5:34 read at pt request; music (Dvořák, Bach).")
	}
	if n.ch(0.4) {
		n.t(" Family posts updates for the congregation at ")
		n.p(phi.URL, n.pick("https://www.", "www.", "http://")+n.pick("caringbridge", "carepages", "lotsahelp")+".example.org/"+n.pick("site/", "visit/", "")+frLocal(n.pt.first)+frLocal(n.pt.last))
		n.t(".")
	}
	n.t("\nAssessment (FICA): spiritual ", n.pick("distress", "resilience", "pain related to unresolved family conflict"), "; ", n.pick("anticipatory grief in family", "hope reframed toward comfort"), ".\n")
	n.t("Plan: will follow ", n.pick("daily", "Mon/Wed/Fri", "PRN"), "; ", n.pick("bereavement packet to family", "notify on-call chaplain at time of death", "advance directive conversation with SW"), ".\n\n")
	n.t("Chaplain ")
	n.nameAs(n.per(), n.pick1(frFull, frFullMid))
	n.t(n.pick(", MDiv, BCC", ", MA", ", ACPE resident"), "\n")
}

// caseMgmt writes a case-management / discharge-planning note.
func (n *frNote) caseMgmt() {
	n.t(n.pick("CASE MANAGEMENT NOTE", "Discharge Planning — Progress", "CM/SW Assessment"), "\n")
	n.header()
	n.t("Admit: ")
	n.fullDate()
	n.t("   Anticipated DC: ")
	n.md()
	n.t("   LOS ", fmt.Sprint(n.in(2, 30)), " (GMLOS 4.8)\n")
	n.t("Payer: ")
	switch n.in(0, 2) {
	case 0:
		n.t("Medicare A/B, MBI ")
		n.p(phi.HealthPlan, n.mbi())
		n.t("; secondary Medicaid ID ")
		n.p(phi.HealthPlan, n.w.digits(n.in(8, 12)))
	case 1:
		n.t(n.pick("Humana Gold Plus HMO", "UHC Dual Complete", "Aetna Medicare Advantage"), " member ")
		n.p(phi.HealthPlan, n.plan())
	case 2:
		n.t("IHS/tribal (",
			n.pick("Navajo Nation", "Oglala Sioux", "Cherokee Nation"), "); CHS referral # ")
		n.p(phi.ID, n.dig(9))
	}
	n.t("\n\nPLOF: independent with ADLs; drives. Lives with ", n.relWord, " at ")
	n.addr(false)
	n.t(". ")
	if n.ch(0.6) {
		st := n.county()
		n.t(" resident (", st, ") — local Medicaid waiver office notified.")
	}
	if n.ch(0.5) {
		n.t("\nMedicaid LTC application started with ", n.relWord, "; SSN ")
		n.p(phi.SSN, n.ssn())
		n.t(" verified against the card; ", n.pick("bank statements x 60 months requested", "spend-down discussed"), ".")
	}
	n.t("\nDecision maker: ", n.pick("DPOA-HC", "POA", "health care surrogate"), " ")
	n.nm(n.rel)
	n.t(" (", n.relWord, "), cell ")
	n.tel(phi.Phone)
	if n.ch(0.5) {
		n.t(", email ")
		n.email(n.rel)
	}
	n.t(".\n\nPT/OT recs: ", n.pick("SNF", "IPR", "home with HH PT/OT", "LTACH"), ". Pt and family agreeable. Choice list provided; referrals sent via CarePort:\n")
	for i := 0; i < n.in(2, 3); i++ {
		n.t(" - ", n.pick(frFacilities...), ": ")
		switch n.in(0, 2) {
		case 0:
			n.t("ACCEPTED — admissions ")
			n.nameAs(n.per(), n.pick1(frFull, frFirstOnly, frFirstLastInit))
			n.t(", ")
			n.tel(phi.Phone)
			n.t(", fax ")
			n.tel(phi.Fax)
		case 1:
			n.t("declined (no Medicaid-pending beds)")
		case 2:
			n.t("pending clinical review; left VM for liaison ")
			n.nameAs(n.per(), frFirstOnly)
			n.t(" at ")
			n.tel(phi.Phone)
		}
		n.t("\n")
	}
	n.t("\nAuth: submitted to ", n.pick("naviHealth", "Humana", "eviCore", "the plan"), " on ")
	n.md()
	n.t(", ref # ")
	n.p(phi.ID, n.w.letters(2)+n.dig(8))
	n.t("; ", n.pick("approved ", "peer-to-peer scheduled "))
	n.md()
	n.t(", auth # ")
	n.p(phi.ID, n.dig(4)+n.w.letters(1)+n.dig(5))
	n.t(" for ", fmt.Sprint(n.in(3, 14)), " days.\n")
	if n.ch(0.6) {
		n.t("DME: ", n.pick("hospital bed + Hoyer lift", "O2 concentrator 2 L", "3-in-1 commode and RW"), " ordered from ", n.pick("Apria", "Lincare", "AdaptHealth"), ", order # ")
		n.p(phi.ID, n.dig(8))
		n.t(", delivery to ")
		n.p(phi.Location, n.street())
		n.t(".\n")
	}
	n.t("Transport: wheelchair van, ", n.wday(), " ")
	n.md()
	n.t(" at ", n.clock(), ", confirmation ")
	n.p(phi.ID, n.alnum(7))
	n.t(".\nIM from Medicare given and signed ")
	n.fullDate()
	n.t(". MOON N/A.\n\n")
	n.staff(n.per(), "RN, CCM", "LCSW", "LMSW", "RN CM")
	n.t("  Vocera ", n.pick("Case Mgmt 5W", "CM Team 2"), "\n")
}

// faxCover writes a fax cover sheet and an outside-records summary.
func (n *frNote) faxCover() {
	n.t(n.pick("FAX COVER SHEET", "F A X", "*** CONFIDENTIAL FAX ***"), "\n")
	n.t("Date: ")
	n.fullDate()
	n.t("   Time: ", n.clock(), "   Pages (incl. cover): ", fmt.Sprint(n.in(2, 48)), "\n\nTO: ")
	n.clin(n.doc)
	n.t("\n    ", n.pick("Pinecrest Family Medicine", "Hematology/Oncology Associates", "Valley Pulmonary", "Three Rivers Indian Health Center"), "\n    Fax: ")
	n.tel(phi.Fax)
	n.t("   Phone: ")
	n.tel(phi.Phone)
	n.t("\nFROM: ")
	him := n.per()
	n.nameAs(him, n.pick1(frFull, frFirstLastInit, frCapsFull))
	n.t(", ", n.pick("HIM / Release of Information", "Referral Coordinator", "Medical Records"), "\n    Fax: ")
	n.tel(phi.Fax)
	n.t("   Direct: ")
	n.tel(phi.Phone)
	n.t("\n    ")
	n.addr(false)
	n.t("\n\nRE: ")
	n.nameAs(n.pt, n.pick1(frCaps, frLastFirst, frFull))
	n.t("   DOB: ")
	n.dob()
	if n.ch(0.5) {
		n.t("   SSN: ", n.pick("XXX-XX-", "***-**-", "xxx-xx-"))
		n.p(phi.SSN, n.dig(4))
	}
	n.t("   Your ref #: ")
	n.p(phi.ID, "ROI-"+n.dig(7))
	n.t("\n[x] Urgent  [ ] For review  [x] Records per signed authorization dated ")
	n.fullDate()
	n.t("\n\nOUTSIDE RECORDS SUMMARY (reviewed by ")
	n.nameAs(n.per(), frFull)
	n.t(", RN, referral coordinator)\nOutside MRN: ")
	n.p(phi.MRN, n.mrn())
	n.t("   Outside PCP: ")
	n.clin(n.x)
	n.t("\n")
	for i := 0; i < n.in(3, 5); i++ {
		n.t(" • ")
		n.fullDate()
		n.t(" — ")
		switch n.in(0, 5) {
		case 0:
			n.t("Colonoscopy: 2 tubular adenomas <10 mm; repeat in 3 years.")
		case 1:
			n.t("CT A/P (accession ")
			n.p(phi.ID, n.w.letters(2)+n.dig(8))
			n.t("): 2.1 cm R adrenal adenoma, 10 HU.")
		case 2:
			n.t("Admitted to ", n.pick(frFacilities...), " for CHF exacerbation; BNP 1,840; diuresed 6 L.")
		case 3:
			n.t("Surgical path ")
			n.p(phi.ID, "S"+n.dig(2)+"-"+n.dig(5))
			n.t(": invasive ductal carcinoma, grade 2, ER 95%, PR 40%, HER2 1+.")
		case 4:
			n.t("Echo: EF 35-40%, grade II diastolic dysfunction, mod TR; RVSP 48.")
		case 5:
			c, st := n.city()
			n.t("Urgent care in ")
			n.p(phi.Location, c)
			n.t(", ", st, ": Z-pak for bronchitis.")
		}
		n.t("\n")
	}
	n.t(" • Immunizations: Tdap 2019, PCV20 2023, Shingrix x2.\n")
	n.t("\nCONFIDENTIALITY NOTICE: This facsimile contains protected health information that is privileged and confidential under HIPAA (45 CFR Parts 160 and 164). If you received it in error, notify the sender at ")
	n.tel(phi.Phone)
	n.t(" and destroy all copies. Redisclosure is prohibited.\n")
}

// edMDM writes an ED provider note with its medical decision making.
func (n *frNote) edMDM() {
	n.t("EMERGENCY DEPARTMENT PROVIDER NOTE\n")
	n.header()
	n.t("Arrival: ")
	n.stamp()
	n.t("   Room: ", n.pick("Hall 4", "Pod B-12", "Resus 2", "Fast Track 7"), "   Mode: ", n.pick("EMS", "POV", "police"), "\nPCP: ")
	n.clin(n.x)
	n.t("\n\nHPI: ")
	n.ageAdj()
	n.t(" ", n.sex(), " ")
	mvc := n.ch(0.45)
	if mvc {
		n.t("BIBA (", n.pick("Medic 12", "Engine 3", "AMR unit 44"), ", run # ")
		n.p(phi.ID, n.dig(2)+"-"+n.dig(6))
		n.t(") after an MVC at ")
		a := n.pick(frStreets...) + " " + n.pick("Ave", "St", "Rd") + " and " + n.pick(frStreets...) + " " + n.pick("Blvd", "St", "Ln")
		n.p(phi.Location, a)
		n.t(": restrained driver of a ", fmt.Sprint(n.in(2004, 2024)), " ", n.pick("Honda Civic", "Ford F-150", "Toyota RAV4", "Chevy Malibu"), " (plate ")
		n.p(phi.Vehicle, n.plate())
		n.t("), T-boned at ~35 mph, + airbag, self-extricated, ambulatory at scene.")
		if n.ch(0.4) {
			n.t(" Officer ")
			n.nameAs(n.per(), n.pick1(frLastOnly, frFull))
			n.t(" (badge ")
			n.p(phi.ID, n.dig(4))
			n.t(") requested BAC; VIN ")
			n.p(phi.Vehicle, n.vin())
			n.t(" on the tow slip.")
		}
	} else {
		n.t(n.pick("with 2 days of RLQ abdominal pain, anorexia, one episode of NBNB emesis.",
			"with substernal chest pressure radiating to the L arm, onset 0530 while shoveling snow.",
			"with the worst headache of life, sudden onset during exercise, brief LOC.",
			"with fever, dysuria and R flank pain x 3 days."))
	}
	n.t(" Independent historian: ", n.relWord, " ")
	n.nameAs(n.rel, n.pick1(frFull, frFirstOnly))
	n.t(".\n\nROS: 10-point negative except as above.\nPMH: ", n.pick(frPMH...), ". Meds: ", n.pick("Eliquis 5 mg BID", "Xarelto 20 mg", "Ozempic 1 mg weekly", "Lantus 30 u qHS", "none"), ".\n")
	n.f("\nEXAM: BP %d/%d  HR %d  RR %d  T %.1f  SpO2 %d%%. ", n.in(96, 184), n.in(50, 110), n.in(50, 130), n.in(12, 28), n.fl(36.2, 39.6), n.in(88, 100))
	n.t(n.pick("McBurney point TTP, + Rovsing, + psoas sign.", "Kernig and Brudzinski negative; no pronator drift.", "CVA tenderness R. Murphy sign negative.", "Seatbelt sign absent; FAST negative; c-collar cleared by NEXUS."), "\n")
	n.t("\nMDM:\nDifferential: ", n.pick("appendicitis, ovarian torsion, ectopic (hCG neg), mesenteric adenitis", "ACS, PE, aortic dissection, esophageal spasm", "SAH, RCVS, migraine, venous sinus thrombosis", "pyelonephritis, obstructing stone, appendicitis"), ".\n")
	n.t("Data: independently interpreted ECG (NSR 78, no STE), CT ", n.pick("head: no bleed", "A/P: dilated appendix 11 mm with fat stranding", "chest PE protocol: negative"), ". ")
	n.f("Labs: WBC %.1f, lipase %d, hs-trop %d → %d ng/L, lactate %.1f. ", n.fl(4, 19), n.in(12, 90), n.in(2, 9), n.in(2, 14), n.fl(0.6, 3.2))
	n.t("Reviewed outside records via Care Everywhere from ", n.pick(frFacilities...), " dated ")
	n.fullDate()
	n.t(".\nRisk: HEART score ", fmt.Sprint(n.in(1, 7)), "; ", n.pick("decision regarding hospitalization", "prescription drug management", "emergency major surgery"), ".\n")
	n.t("Discussed with ", n.pick("general surgery", "cardiology", "neurosurgery", "urology"), " (")
	n.clin(n.per())
	n.t(") at ", n.clock(), ".\n")
	n.t("\nDISPO: ", n.pick("Admit to surgery", "Obs — chest pain pathway", "Discharge home"), ". ")
	if n.ch(0.5) {
		n.t("Work note through ")
		n.md()
		n.t(". ")
	}
	n.t("Return precautions given; pt verbalized understanding.\n\n")
	if n.ch(0.6) {
		n.t("Scribe attestation: I, ")
		scribe := n.per()
		n.nameAs(scribe, frFull)
		n.t(", am scribing for and in the presence of ")
		n.clin(n.doc)
		n.t(".\nProvider: I personally performed the services described by the scribe.\n")
	}
	n.clin(n.doc, "MD", "DO", "PA-C", "FNP-C")
	n.t("   ")
	n.stamp()
	n.t("\n")
}

// derm writes a dermatology note with clinical photographs.
func (n *frNote) derm() {
	n.t(n.pick("DERMATOLOGY CLINIC NOTE", "Derm — Total Body Skin Exam", "Mohs Surgery Consultation"), "\n")
	n.header()
	n.t("Date: ")
	n.fullDate()
	n.t("   Provider: ")
	n.clin(n.doc)
	n.t("\n\nHPI: ")
	n.ageAdj()
	n.t(" Fitzpatrick ", n.pick("I", "II", "III", "IV", "V"), " ", n.sex(), " with hx of ", n.pick("melanoma in situ (2019)", "multiple BCCs", "actinic keratoses", "psoriasis on Otezla"), " here for ", n.pick("TBSE", "new changing mole noticed by partner", "itchy rash x 3 wks"), ".\n")
	n.t("\nPhotos: ", n.pick("Clinical photos taken with the clinic iPad + DermLite DL5", "Pt-submitted photos from the portal", "Dermoscopic images (FotoFinder)"), ": ")
	k := n.in(1, 4)
	y, m, d := n.in(n.yr-1, n.yr), n.in(1, 12), n.in(1, 28)
	for i := 0; i < k; i++ {
		if i > 0 {
			n.t(", ")
		}
		var s string
		switch n.in(0, 4) {
		case 0:
			s = fmt.Sprintf("IMG_%04d.JPG", n.in(1, 9999))
		case 1:
			s = fmt.Sprintf("IMG_%d%02d%02d_%02d%02d%02d.jpg", y, m, d, n.in(8, 17), n.in(0, 59), n.in(0, 59))
		case 2:
			s = fmt.Sprintf("DSC%05d.JPG", n.in(1, 99999))
		case 3:
			s = "derm_" + n.dig(6) + "_" + n.pick("L", "R") + n.pick("back", "cheek", "shin") + ".png"
		case 4:
			s = "PXL_" + fmt.Sprintf("%d%02d%02d", y, m, d) + "_" + n.dig(9)
		}
		n.p(phi.ID, s)
	}
	n.t(n.pick("; uploaded to Media tab, media ID ", "; stored under photo set ", "; series "))
	n.p(phi.ID, n.dig(8))
	if n.ch(0.4) {
		n.t(" (e-visit; uploaded from ")
		n.ip()
		n.t(")")
	}
	n.t(".\n\nEXAM: ", n.pick("Scalp, face, neck, chest, abdomen, back, arms, legs, palms/soles examined.", "Focused exam of the back and legs."), "\n")
	for i := 1; i <= n.in(1, 3); i++ {
		n.f("%d. %s, %d mm %s. Dermoscopy: %s.\n", i, n.pick("L upper back", "R nasal ala", "L shin", "R helix", "mid chest"), n.in(3, 14),
			n.pick("irregularly pigmented macule", "pearly papule with telangiectasia", "scaly erythematous plaque", "stuck-on waxy papule"),
			n.pick("atypical network, regression structures", "arborizing vessels", "glomerular vessels", "comedo-like openings, milia-like cysts"))
	}
	n.t("\nPROCEDURE: Shave biopsy of #1 after informed consent; 1% lidocaine w/ epi 1 mL; hemostasis with AlCl3. Specimen A labeled with name and DOB, sent to dermpath — accession ")
	n.p(phi.ID, n.pick("DS", "D", "SD")+n.dig(2)+"-"+n.dig(6))
	n.t(".\n")
	if n.ch(0.4) {
		n.t("Mohs with ")
		n.clin(n.per())
		n.t(" scheduled ")
		n.date()
		n.t(".\n")
	}
	n.t("\nPLAN: ", n.pick("Tretinoin 0.025% cream qHS", "Triamcinolone 0.1% oint BID x 2 wks", "5-FU 5% cream BID x 3 wks to forehead", "Dupixent 300 mg q2w"), "; sun protection SPF 50. Path results via portal ")
	n.p(phi.URL, "https://"+n.pick("mychart", "portal", "myhealth")+".example.org/"+n.pick("results/", "msg?id=", "r/")+n.dig(7))
	n.t(". ")
	if n.ch(0.4) {
		n.t("Pt asks that photos also go to ", n.pick("her husband", "his wife", "partner"), " ")
		n.nameAs(n.rel, frFirstOnly)
		n.t(" at ")
		n.email(n.rel)
		n.t(". ")
	}
	n.t("RTC ")
	n.md()
	n.t(" for TBSE.\n")
}

// research writes a research informed-consent note.
func (n *frNote) research() {
	code := fmt.Sprintf("%s-%s-%03d", n.pick("VLM", "ACT", "HRZ", "CARD"), n.pick("HF", "ONC", "DM", "AD"), n.in(100, 999))
	n.t("RESEARCH — INFORMED CONSENT NOTE\n")
	n.header()
	n.t("Study: \"", n.pick("A Phase 3, Randomized, Double-Blind, Placebo-Controlled Study of", "An Open-Label Extension of", "A Pragmatic Cluster Trial of"), " ", n.pick("Zelfinibart in HFpEF", "Oral Semaglutide in Prediabetes", "Remote Monitoring after TAVR", "Lecanemab in Early Alzheimer Disease"), "\"\n")
	n.t("Protocol ", code, "   NCT0", n.dig(7), "   IRB # ", fmt.Sprint(n.in(2019, 2025)), "-", n.dig(4), "   Sponsor: ", n.pick("Zelmark Therapeutics", "NIH/NHLBI", "industry"), "\nPI: ")
	n.clin(n.doc)
	n.t("\n\nConsent obtained by ")
	crc := n.per()
	n.nameAs(crc, n.pick1(frFull, frFullMid))
	n.t(", ", n.pick("CRC", "research RN", "CCRP"), " on ")
	n.stamp()
	n.t(" in clinic room ", fmt.Sprint(n.in(1, 20)), ".\n")
	n.t("The potential participant is ")
	n.ageAdj()
	n.t(" ", n.sex(), " ")
	if n.ch(0.35) {
		n.t("with impaired capacity; consent from LAR ")
		n.nm(n.rel)
		n.t(" (", n.relWord, "), assent obtained.")
	} else {
		n.t("with capacity, who read the ICF (v", fmt.Sprint(n.in(1, 6)), ".0) in ", n.pick("English", "Spanish", "Vietnamese", "Polish"), ".")
	}
	if n.ch(0.4) {
		n.t(" Certified interpreter ")
		n.nameAs(n.per(), frFull)
		n.t(" (ID ")
		n.p(phi.ID, n.dig(5))
		n.t(") present.")
	}
	if n.ch(0.5) {
		n.t(" eConsent (REDCap) signed; audit trail shows IP ")
		n.ip()
		n.t(", e-mail copy to ")
		n.email(n.pt)
		n.t(".")
	}
	n.t("\nRisks, benefits, alternatives, voluntariness and the right to withdraw were reviewed; all questions answered. HIPAA authorization signed. Copy given. No study procedures before consent.\n")
	n.t("Witness: ")
	n.nameAs(n.per(), frFull)
	n.t("\n\nSubject ID: ")
	n.p(phi.ID, fmt.Sprintf("%s-%s-%s", code[len(code)-3:], n.dig(3), n.dig(4)))
	n.t("   Screening #: ")
	n.p(phi.ID, "S"+n.dig(4))
	if n.ch(0.6) {
		n.t("   Randomization #: ")
		n.p(phi.ID, "R"+n.dig(5))
		n.t("   Kit dispensed: ")
		n.p(phi.ID, n.dig(6))
	}
	n.t("\nEligibility: I/E reviewed; eGFR ", fmt.Sprint(n.in(31, 110)), ", NT-proBNP ", fmt.Sprint(n.in(150, 3000)), ", MMSE ", fmt.Sprint(n.in(20, 30)), "/30.\n")
	n.t("Visit 2 (Day 14 ± 3) scheduled ")
	n.date()
	n.t(". Study line ")
	n.tel(phi.Phone)
	n.t("; after hours ")
	n.tel(phi.Phone)
	n.t(".\n")
	if n.ch(0.3) {
		n.t("ePRO app activated on pt's phone, device ID ")
		n.p(phi.Device, strings.ToLower(n.alnum(8)+"-"+n.alnum(4)))
		n.t(".\n")
	}
}

// refill writes a prescription refill request and its handling.
func (n *frNote) refill() {
	n.t(n.pick("Rx Refill Request", "REFILL REQUEST — e-Rx", "Medication Refill Encounter"), "\n")
	n.t("Received: ")
	n.stamp()
	n.t(" via ", n.pick("SureScripts", "pharmacy fax", "portal message", "phone (patient)"), "\n")
	n.t("Pharmacy: ", n.pick("CVS/pharmacy", "Walgreens", "H-E-B Pharmacy", "Kroger Pharmacy", "Costco Pharmacy", "Indian Health Service Pharmacy"), " #", fmt.Sprint(n.in(100, 19999)), ", ")
	n.addr(false)
	n.t("\n  Ph ")
	n.tel(phi.Phone)
	n.t("  Fax ")
	n.tel(phi.Fax)
	n.t("\nPatient: ")
	n.nm(n.pt)
	n.t("   DOB ")
	n.dob()
	n.t("   Home ")
	n.tel(phi.Phone)
	n.t("\n\n")
	ctrl := n.ch(0.35)
	if ctrl {
		n.t("Medication: ", n.pick("tramadol 50 mg tab, #30, 1 PO q6h PRN pain", "lorazepam 0.5 mg tab, #20, 1 PO qHS PRN", "hydrocodone/APAP 5/325, #20"), " (C-", n.pick("II", "IV"), ")\n")
	} else {
		n.t("Medication: ", n.pick("lisinopril 20 mg tab, #90, 1 PO daily", "Synthroid 88 mcg, #90", "metformin ER 750 mg, #180, 2 PO with supper", "Eliquis 5 mg, #60, 1 PO BID", "Januvia 100 mg, #30"), "; refills requested: ", fmt.Sprint(n.in(1, 3)), "\n")
	}
	n.t("Rx # ")
	n.p(phi.ID, n.dig(7))
	n.t("   Last filled ")
	n.fullDate()
	n.t("   Qty remaining: 0\n")
	n.t("Last OV: ")
	n.fullDate()
	n.t(" (")
	n.clin(n.doc)
	n.t("). BMP ")
	n.md()
	n.f(": K %.1f, Cr %.2f. BP at last visit %d/%d.\n", n.fl(3.5, 5.3), n.fl(0.6, 1.8), n.in(110, 158), n.in(64, 94))
	if ctrl {
		n.t("PDMP reviewed ")
		n.md()
		n.t(" — no other prescribers; MME 10. Controlled-substance agreement on file.\n")
	}
	n.t("\nAction: ", n.pick("Approved x 90 days with 1 refill", "Approved 30-day supply; needs appt before further refills", "Denied — pt must be seen; offered visit"), ".\nPrescriber: ")
	n.clin(n.doc)
	n.t("   DEA ")
	n.p(phi.License, n.dea())
	n.t("   NPI ")
	n.p(phi.License, n.npi())
	n.t("\n")
	switch n.in(0, 2) {
	case 0:
		n.t("LVM for pt at ")
		n.tel(phi.Phone)
		n.t(" on ")
		n.md()
		n.t(" at ", n.clock(), ".")
	case 1:
		n.t("Pt notified via MyChart; reply from pt's ", n.relWord, " ")
		n.nameAs(n.rel, frFirstOnly)
		n.t(": 'thank you!!'")
	case 2:
		n.t("Spoke with pharmacist ")
		n.nameAs(n.x, n.pick1(frFirstOnly, frFull))
		n.t(" at ", n.clock(), ", read back verified.")
	}
	n.t("\nRouted by ")
	n.nameAs(n.per(), n.pick1(frFull, frFirstLastInit))
	n.t(", ", n.pick("CMA", "LPN", "RN"), "\n")
}

// incident writes a patient safety event report.
func (n *frNote) incident() {
	n.t(n.pick("PATIENT SAFETY EVENT REPORT", "Incident Report — Confidential (peer review privileged)", "SAFETY EVENT"), "\n")
	n.t("Event # ")
	n.p(phi.ID, "SE-"+fmt.Sprint(n.yr%100)+"-"+n.dig(6))
	n.t("   Event date: ")
	n.fullDate()
	n.t("   Time: ", n.clock(), "\nLocation: ", n.pick("6 North, Rm 614, bathroom", "ED hallway bed 3", "Radiology, CT 2", "PACU bay 9", "Dialysis chair 11"), "\n")
	n.t("Event type: ", n.pick("Fall, unwitnessed", "Medication error — wrong dose", "Pressure injury, stage 3", "Patient elopement", "Retained guidewire"), ". Harm level: ", n.pick("No harm (C)", "Minor (E)", "Temporary harm (F)"), ".\n")
	n.t("Patient: ")
	n.nm(n.pt)
	n.t("   MRN ")
	n.p(phi.MRN, n.mrn())
	n.t("   Age ")
	n.ageNum(n.ch(0.35))
	n.t("\n\nDESCRIPTION: Pt found ", n.pick("on the floor beside the bed", "in the bathroom, seated on the floor", "walking in the parking garage"), " by ", n.pick("CNA ", "RN ", "PCT ", "sitter "))
	n.nameAs(n.per(), n.pick1(frFirstLastInit, frFirstOnly, frFull))
	n.t(" at ", n.clock(), ". Bed alarm ", n.pick("off", "on, not audible at the station"), ". Morse ", fmt.Sprint(n.in(25, 95)), ". Last hourly rounding at ", n.clock(), ". ")
	n.t("Pt states \"", n.pick("I didn't want to bother anybody.", "I was trying to get to the bathroom.", "My legs just went.", "I thought it was morning."))
	n.t("\" Assessed by ")
	n.clin(n.per())
	n.t("; no LOC, neuro intact, CT head ", n.pick("negative", "pending"), ". ")
	if n.ch(0.4) {
		n.t("Heparin was infusing at 18 units/kg/h; pump serial ")
		n.p(phi.Device, n.dig(8))
		n.t(" sequestered for biomed.")
	}
	n.t("\nWitnesses: ")
	n.nameAs(n.per(), frFull)
	n.t(n.pick(" (RN)", " (roommate's visitor)", " (transport)"))
	if n.ch(0.5) {
		n.t("; ")
		n.nameAs(n.per(), frLastFirst)
		n.t(" (CNA)")
	}
	n.t("\nNotified: charge RN ")
	n.nameAs(n.per(), frFull)
	n.t("; ")
	n.clin(n.doc)
	n.t(" at ", n.clock(), "; ", n.relWord, " ")
	n.nm(n.rel)
	n.t(" by phone ")
	n.tel(phi.Phone)
	n.t(" at ", n.clock(), ".\n")
	n.t("Immediate actions: low bed, floor mats, bed alarm verified, yellow socks; TIPS poster updated.\n")
	n.t("\nReported by: ")
	rep := n.per()
	n.nameAs(rep, n.pick1(frFull, frLastFirst))
	n.t(", RN   Employee ID ")
	n.p(phi.ID, n.dig(6))
	n.t("   ")
	n.fullDate()
	n.t("\nManager review: ")
	n.nameAs(n.per(), frFull)
	n.t(", MSN, RN on ")
	n.md()
	n.t(" — ", n.pick("no RCA required", "referred for ACA", "SBAR to quality"), ".\n")
}

// genetics writes a genetic counselling note with a pedigree in prose.
func (n *frNote) genetics() {
	n.t(n.pick("GENETIC COUNSELING NOTE", "Cancer Genetics — Initial Consult", "Genetic Counseling: Hereditary Cancer Risk Assessment"), "\n")
	n.header()
	n.t("Date: ")
	n.fullDate()
	n.t("   Referred by: ")
	n.clin(n.doc)
	n.t(" (", n.pick("Breast Surgery", "GI", "Gyn Onc", "Primary Care"), ")\n\n")
	n.t("Indication: ")
	n.ageAdj()
	n.t(" ", n.sex(), " with ", n.pick("breast cancer dx at 41 (ER+/PR+/HER2-)", "colon cancer dx at 38, MMR-deficient (MLH1/PMS2 loss)", "a family history of ovarian and pancreatic cancer", "a VUS in CHEK2 from a DTC test"), ".\n")
	n.t("\nPEDIGREE (3 generations, drawn in Progeny, pedigree ID ")
	n.p(phi.ID, "P"+n.dig(6))
	n.t("):\n")
	mom := n.per()
	mom.last = n.pick(frLast...)
	n.t(" - Mother: ")
	n.nameAs(mom, frFull)
	if n.ch(0.5) {
		n.t(", died at ", fmt.Sprint(n.in(48, 82)), " of ", n.pick("ovarian cancer", "stroke", "COVID-19"), ".\n")
	} else {
		n.t(", ")
		n.ageNum(n.ch(0.4))
		n.t(", alive, ", n.pick("breast cancer at 62", "unaffected", "endometrial cancer at 55"), ".\n")
	}
	n.t(" - Maternal grandmother: ")
	n.nameAs(n.per(), frFirstOnly)
	n.t(n.pick(", alive at ", ", living in a nursing home at ", ", now "))
	n.ageNum(true)
	n.t(n.pick(" in ", ", ", " — lives in "))
	c, st := n.city()
	n.p(phi.Location, c)
	n.t(", ", st, "; ", n.pick("no cancer", "skin cancers", "breast cancer in her 70s"), ".\n")
	n.t(" - Maternal aunt: ")
	aunt := n.per()
	n.nameAs(aunt, frFull)
	if aunt.nick != "" {
		n.t(" (\"")
		n.p(phi.Name, aunt.nick)
		n.t("\")")
	}
	n.t(", ", fmt.Sprint(n.in(55, 80)), ", pancreatic cancer dx ", fmt.Sprint(n.in(50, 75)), ".\n")
	n.t(" - Father: ")
	n.nameAs(n.rel, n.pick1(frFull, frFirstOnly))
	n.t(", ", fmt.Sprint(n.in(60, 88)), ", prostate cancer dx ", fmt.Sprint(n.in(55, 80)), ", Gleason 3+4=7.\n")
	n.t(" - Paternal grandfather: ", n.pick("d. at ", "died age ", "deceased, "))
	n.ageNum(n.ch(0.6))
	n.t(n.pick(" of 'old age'", ", colon cancer in his 60s", ", MI"), "; paternal grandmother d. ", fmt.Sprint(n.in(60, 88)), ", unknown cause.\n")
	n.t(" - Siblings: ")
	for i := 0; i < n.in(1, 3); i++ {
		if i > 0 {
			n.t("; ")
		}
		n.t(n.pick("brother ", "sister ", "half-sister (paternal) "))
		n.nameAs(n.per(), frFirstOnly)
		n.t(", ", fmt.Sprint(n.in(30, 70)))
	}
	n.t(" — unaffected.\n - Children: ")
	kid := n.per()
	kid.last = n.pt.last
	n.t(n.pick("daughter ", "son "))
	n.nameAs(kid, n.pick1(frFirstOnly, frFull))
	n.t(", ", fmt.Sprint(n.in(8, 35)), " (born ", fmt.Sprint(n.in(1990, 2016)), ")\n")
	n.t("Ancestry: ", n.pick("Ashkenazi Jewish (maternal); Irish/Polish (paternal)", "Nigerian (Igbo) both sides", "Mexican (maternal), Navajo (paternal)", "Vietnamese", "Punjabi Sikh"), ". Consanguinity denied.\n")
	n.f("\nRisk: Tyrer-Cuzick v8 lifetime %d%%; NCCN v2.2024 testing criteria %s. PREMM5 %.1f%%.\n", n.in(9, 42), n.pick("met", "not met"), n.fl(0.5, 14))
	n.t("Testing: ", n.pick("84-gene multi-cancer panel", "BRCA1/2 + PALB2 + CHEK2 + ATM", "Lynch panel with del/dup"), "; ", n.pick("saliva", "blood"), " sample collected ")
	n.md()
	n.t(", requisition # ")
	n.p(phi.ID, n.alnum(2)+n.dig(7))
	n.t(", kit barcode ")
	n.p(phi.ID, n.dig(12))
	n.t(". Results expected by ")
	n.md()
	n.t(". GINA discussed (does not cover life/LTC insurance). Family letter for cascade testing offered; ", n.pick("sister", "cousin"), " ")
	n.nameAs(n.x, frFull)
	n.t(" may call ")
	n.tel(phi.Phone)
	n.t(".\n\n")
	gc := n.per()
	n.staff(gc, "MS, LCGC", "MS, CGC", "ScM, CGC")
	n.t("\n")
}

// ---- lists ----

var (
	frFirst = []string{
		"Jennifer", "Ashley", "Christopher", "Jessica", "Matthew", "Amanda", "Joshua", "Brittany", "Tyler", "Kayla",
		"Brandon", "Megan", "Dustin", "Heather", "Travis", "Misty", "Darnell", "Keisha", "Tamika", "Jamal",
		"Imani", "Marisol", "Yesenia", "Alejandro", "Luz", "Rocío", "Xóchitl", "Itzel", "Thanh", "Hương",
		"Minh", "Tuấn", "Linh", "Chidi", "Adaeze", "Emeka", "Folasade", "Oluwaseun", "Chinonso", "Bartosz",
		"Agnieszka", "Krzysztof", "Małgorzata", "Wojciech", "Layla", "Omar", "Yousef", "Noor", "Rania", "Khalid",
		"Winona", "Dakota", "Cheyenne", "Tallulah", "Anjali", "Sanjay", "Deepa", "Harpreet", "Arjun", "Lakshmi",
		"Jiahui", "Hyun-woo", "Seo-yeon", "Haruto", "Mei-Ling", "Siobhán", "Declan", "Niamh", "Ciarán", "Aoife",
		"Miriam", "Avi", "Shoshana", "Yitzchak", "Chaim", "Rivka", "Bernice", "Clarence", "Irene", "Lorraine",
		"Wendell", "Opal", "Thelma", "Summer", "Autumn", "Hunter", "Rusty", "Sunny", "Destiny", "Precious",
		"Major", "Justice", "Ivy", "Mercy", "Sterling", "Royal", "Skip", "Dusty", "Page", "Miles",
	}
	frLast = []string{
		"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bui", "Truong", "Pham",
		"Okonkwo", "Adeyemi", "Eze", "Nwosu", "Balogun", "Obi", "Chukwu", "Adebayo", "Onyekachi", "Sunday",
		"Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zając", "Szymański", "Grabowski", "Dąbrowska", "Kaczmarek", "Nowak",
		"Al-Masri", "Khoury", "Nasser", "Abdullah", "El-Sayed", "Mansour", "Qureshi", "Hamdan", "bin Rashid", "Abu-Ghazaleh",
		"Hernández", "Rodríguez", "de la Cruz", "Villanueva", "Ochoa", "Delgado", "Quintero", "Sandoval", "Montes de Oca", "Esparza",
		"Tsosie", "Benally", "Nez", "Manygoats", "Chee", "Etsitty", "Whitehorse", "Lightfoot", "Two Bulls", "Lente",
		"Venkataraman", "Chaudhary", "Reddy", "Banerjee", "Iyer", "Sandhu", "Gill", "Bhattacharya", "Desai", "Menon",
		"Zhang", "Liu", "Huang", "Park", "Choi", "Tanaka", "Watanabe", "Yamamoto", "Ng", "Oh",
		"O'Sullivan", "Fitzgerald", "Callahan", "Doherty", "McGillicuddy", "Ní Bhriain", "Ó Súilleabháin", "Brennan", "Keane", "Moloney",
		"Goldberg", "Rosenthal", "Katz", "Levi", "Feldman", "Shapiro", "Ben-Ami", "Horowitz", "Weiss", "Edelstein",
		"Foley", "Graves", "Bishop", "Love", "Person", "May", "Day", "Early", "Short", "English",
	}
	frNicks = [][2]string{
		{"Robert", "Bobby"}, {"William", "Billy"}, {"Margaret", "Peggy"}, {"Elizabeth", "Betsy"}, {"Katherine", "Kitty"},
		{"Richard", "Rick"}, {"Charles", "Chuck"}, {"Oluwaseun", "Seun"}, {"Krzysztof", "Krzyś"}, {"Dorothy", "Dottie"},
		{"Theodore", "Teddy"}, {"Guadalupe", "Lupita"}, {"Francisco", "Paco"}, {"Yitzchak", "Itzik"}, {"Patrick", "Paddy"},
		{"Harold", "Hal"}, {"Josephine", "Josie"}, {"Ignatius", "Iggy"}, {"Wilhelmina", "Billie"}, {"Dolores", "Lola"},
		{"Mildred", "Millie"}, {"Nnamdi", "Nam"}, {"Rajesh", "Raj"}, {"Nguyệt", "Kim"},
	}
	frStreets = []string{
		"Tamarack", "Bluebonnet", "Pulaski", "Kosciuszko", "Cesar Chavez", "Martin Luther King Jr", "Alder", "Juniper",
		"Mesquite", "Saguaro", "Cottonwood", "Prairie Rose", "Dogwood", "Magnolia", "Sycamore", "Quail Run",
		"Harbor View", "Mill Creek", "Turtle Creek", "Bayou", "Spring Garden", "Chestnut", "Canal", "Frontage",
		"Independence", "Liberty", "Hope", "Church", "Walnut Grove", "Buffalo Gap",
	}
	frCities = []string{
		"Gallup|NM", "Chinle|AZ", "Tuba City|AZ", "Westminster|CA", "Garden Grove|CA", "Hamtramck|MI", "Dearborn|MI",
		"Paterson|NJ", "Lakewood|NJ", "Brownsville|TX", "Laredo|TX", "Pharr|TX", "Sugar Land|TX", "Edison|NJ",
		"Fremont|CA", "Chicopee|MA", "Worcester|MA", "Pawtucket|RI", "Toppenish|WA", "Bemidji|MN", "Fargo|ND",
		"Hialeah|FL", "Kissimmee|FL", "Bowling Green|KY", "Clarksville|TN", "Opelousas|LA", "Hope Mills|NC",
		"Truth or Consequences|NM", "Independence|MO", "Liberty|MO", "Boring|OR", "Story City|IA", "Kearny|NJ",
		"Houma|LA", "Wasilla|AK", "Hilo|HI", "Rapid City|SD", "Lewiston|ME", "Pikeville|KY", "Skokie|IL",
	}
	frCounties = []string{
		"Apache County|AZ", "McKinley County|NM", "Cameron County|TX", "Hidalgo County|TX", "Wayne County|MI",
		"Passaic County|NJ", "Ocean County|NJ", "Cook County|IL", "Orange County|CA", "Marion County|IN",
		"Polk County|IA", "Lake County|OH", "St. Landry Parish|LA", "Yakima County|WA", "Oglala Lakota County|SD",
		"Pike County|KY", "Hampden County|MA", "Matanuska-Susitna Borough|AK", "Hawaii County|HI",
	}
	frStateNames = map[string]string{
		"NM": "New Mexico", "AZ": "Arizona", "CA": "California", "MI": "Michigan", "NJ": "New Jersey", "TX": "Texas",
		"MA": "Massachusetts", "WA": "Washington", "MN": "Minnesota", "FL": "Florida", "LA": "Louisiana", "MO": "Missouri",
	}
	frFacilities = []string{
		"Riverbend Skilled Nursing", "Sunrise Care Center", "Maple Grove Rehab & Nursing", "Sisters of Charity Hospice",
		"Northridge Health", "Valley Oaks Post-Acute", "Lakeside Memorial Hospital", "St. Casimir Manor", "Beth Shalom Home",
		"Shepherd of the Hills LTACH", "Hope Lodge", "Morningside Assisted Living", "Mercy Regional Medical Center",
		"St. Agnes Rehabilitation", "Good Samaritan Society",
	}
	frPMH = []string{
		"HFrEF (EF 30%), AF on apixaban", "COPD on 2 L home O2", "ESRD on HD MWF", "cirrhosis (MELD 22)", "T1DM with gastroparesis",
		"Parkinson disease", "prior CVA with residual L hemiparesis", "Crohn disease s/p ileocecectomy", "HIV on Biktarvy, CD4 640",
		"sickle cell disease (HbSS)", "Down syndrome", "myasthenia gravis", "Hashimoto thyroiditis",
	}
)
