package synth

// The held-out styles: notes written apart from the detector, by someone who did not
// read it, in phrasings its authors did not tune it on. Each style is a kind of note
// the tuned styles do not cover (an operative report, a consult with a free-text
// history, a psychosocial assessment, a pharmacy medication history, a home health
// visit with driving directions, a delivery or newborn note, a pathology or
// laboratory report, a message typed by a patient, a night sign-out list, a death or
// transfer summary), and the identifiers in them come in shapes the tuned styles do
// not write: "Jan-03-2024", "3rd of January", "03JAN2024", the weekday before a
// date, "92M", "ninety-two-year-old", "+1 415 555 0123", "4155550123", lower-case
// names and misspellings, nicknames in quotes, "Last, First M", surnames that are
// eponyms or words (Apgar, Foley, Payne, Friday), counties and parishes, PO boxes and
// rural routes, street names in directions, VINs and aircraft tail numbers, NPI and
// DEA numbers, Medicare beneficiary identifiers, IPv6 addresses.
//
// Conventions, so that the spans mean one thing: a span is the identifier's text and
// no more — a weekday or a time next to a date is left out of it, a trailing period
// after an initial is left out, "County" and "Parish" are kept with the county's name,
// the unit is kept with a street address, an extension is kept with its telephone
// number, an age keeps its unit ("93 y.o.", "92M"). A facility's name is never an
// identifier here, nor is a state, a highway number, a bed or room number, a pet's
// name, a year alone, an age under 90, or a weekday alone.

import (
	"fmt"
	"strings"
	"time"

	"github.com/vellumhealth/vellum/phi"
)

func init() {
	styles := []struct {
		name  string
		write func(*writer)
	}{
		{"operative", (*writer).hoOperative},
		{"consult", (*writer).hoConsult},
		{"psychosocial", (*writer).hoPsychosocial},
		{"medrec", (*writer).hoMedRec},
		{"homehealth", (*writer).hoHomeHealth},
		{"newborn", (*writer).hoNewborn},
		{"pathology", (*writer).hoPathology},
		{"portal", (*writer).hoPortal},
		{"signout", (*writer).hoSignout},
		{"deathtransfer", (*writer).hoDeathTransfer},
	}
	for _, s := range styles {
		HeldOutStyles = append(HeldOutStyles, s.name)
		heldOut[s.name] = s.write
	}
}

// The words of the held-out notes, apart from lists.go's.
var (
	hoFirsts = []string{
		"Siobhán", "Sigrún", "Łukasz", "Thảo", "Renée", "Björn", "Gráinne", "Oluwaseun", "Tuấn", "Jesús",
		"María José", "Mary-Kate", "Jean-Luc", "Xiomara", "Ikaika", "Dagny", "Precious", "Summer", "Autumn", "Major",
		"Christian", "Sunny", "Hunter", "Destiny", "Lane", "Royal", "Hope", "Wilson", "Temple", "Blessing",
		"Marisol", "Tenzin", "Aroha", "Ebony", "Cash", "Ever", "Ngọc", "Anh", "Kateřina", "Ximena",
	}
	hoLasts = []string{
		"Ólafsdóttir", "Nguyễn", "Đặng", "Şahin", "Çelik", "Núñez", "Smith-Hernández", "Jean-Baptiste", "D'Angelo", "N'Diaye",
		"de la Cruz", "Lefèvre", "Wiśniewski", "Bell", "Wilson", "Hope", "Love", "Day", "Payne", "Burns",
		"Cross", "Gray", "Moody", "Strong", "Hale", "Marsh", "Little", "Friday", "Rivers", "Frost",
		"Winter", "Summers", "Ramírez-Ortiz", "McAllister", "Ó Súilleabháin", "Two Bulls", "Tsosie", "Kealoha", "Van Buren", "LaFleur",
	}
	// hoEponyms are surnames that are also in the names of signs, diseases, scores
	// and procedures, which the same note may mention.
	hoEponyms = []string{
		"Parkinson", "Foley", "Graves", "Addison", "Cushing", "Hodgkin", "Babinski", "Whipple", "Nissen", "Hartmann",
		"Kocher", "Murphy", "Bell", "Wilson", "Homans", "Crohn", "Apgar", "Barlow", "Ortolani", "Cotton",
	}
	hoNicks = [][2]string{
		{"Robert", "Bobby"}, {"William", "Billy"}, {"Elizabeth", "Betsy"}, {"Margaret", "Peggy"}, {"Richard", "Rick"},
		{"Katherine", "Kit"}, {"James", "Jimmy"}, {"Patricia", "Trish"}, {"Jennifer", "Jen"}, {"Guadalupe", "Lupe"},
		{"Dolores", "Lola"}, {"Sigrún", "Siggi"}, {"Alexander", "Sasha"}, {"Theodore", "Teddy"}, {"Mildred", "Millie"},
		{"Francisco", "Paco"}, {"Oluwaseun", "Seun"}, {"Edward", "Ned"}, {"Dorothy", "Dot"}, {"Harold", "Hal"},
		{"Josephine", "Jo"}, {"Winifred", "Winnie"}, {"Charles", "Chuck"}, {"Beatrice", "Bea"},
	}
	hoCities = []string{
		"Truth or Consequences|NM", "Opportunity|WA", "Friendship|ME", "Liberal|KS", "Commerce|TX", "Independence|MO",
		"Enterprise|AL", "Temple|TX", "Marion|OH", "Florence|AL", "Warren|MI", "Golden|CO", "Sandy|UT", "Joliet|IL",
		"Española|NM", "Cañon City|CO", "Kailua-Kona|HI", "Sault Ste. Marie|MI", "Fond du Lac|WI", "Winner|SD",
		"Bountiful|UT", "Athens|GA", "Moscow|ID", "Reading|PA", "Chester|PA", "Dover|DE", "Aurora|CO", "Orange|CA",
	}
	hoCounties = []string{
		"Cass County", "Yakima County", "St. Louis County", "Tillamook County", "Cuyahoga County", "Pima County",
		"Lake County", "Marion County", "Jefferson Parish", "Kenai Peninsula Borough", "Door County", "Hidalgo County",
	}
	hoStreetNames = []string{
		"Hope", "Church", "Bell", "Wilson", "Dogwood", "Magnolia", "Quail Run", "Prospect", "Mill Pond", "Tanager",
		"Saint Anne's", "Hospital", "Liberty", "Peachtree", "Cottonwood", "Kingfisher",
	}
	hoFacilities = []string{
		"St. Agnes Medical Center", "Mercy Women's Pavilion", "Providence Regional", "Good Samaritan Hospital",
		"Riverside Birth Center", "Sacred Heart Medical Center", "Lakeside Behavioral Health", "Valley Children's",
		"University Hospital", "the VA", "Northside Surgery Center", "Presbyterian",
	}
	hoPets = []string{"Biscuit", "Duke", "Peanut", "Rosie", "Bear", "Lucy", "Tank", "Pepper"}
)

// hoPerson is a person of the held-out styles: besides the names, a middle initial
// and sometimes a nickname.
type hoPerson struct{ first, last, middle, nick string }

func hoPick(r func(int) int, lists ...[]string) string {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	i := r(n)
	for _, l := range lists {
		if i < len(l) {
			return l[i]
		}
		i -= len(l)
	}
	return ""
}

func (w *writer) hoWho() hoPerson {
	var p hoPerson
	switch w.n(0, 9) {
	case 0, 1, 2:
		q := w.person()
		p.first, p.last = q.first, q.last
	case 3, 4, 5:
		p.first, p.last = w.pick(hoFirsts...), w.pick(hoLasts...)
	case 6, 7:
		k := hoNicks[w.r.IntN(len(hoNicks))]
		p.first, p.nick = k[0], k[1]
		p.last = hoPick(w.r.IntN, lastNames, hoLasts)
	case 8:
		p.first, p.last = w.madeName(2), w.madeName(2)+"-"+w.madeName(w.n(2, 3))
	case 9:
		p.first, p.last = hoPick(w.r.IntN, firstNames, hoFirsts), w.pick(hoEponyms...)
	}
	p.middle = string(rune('A' + w.r.IntN(26)))
	return p
}

// called is what the person goes by.
func (p hoPerson) called() string {
	if p.nick != "" {
		return p.nick
	}
	return p.first
}

// hoInitial is the first letter of s, whatever its width in bytes.
func hoInitial(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// hoFull writes a patient's or relative's whole name, in one of many orders.
func (w *writer) hoFull(p hoPerson) {
	switch w.n(0, 9) {
	case 0, 1:
		w.name(p.first + " " + p.last)
	case 2:
		w.name(p.last + ", " + p.first + " " + p.middle)
	case 3:
		w.name(strings.ToUpper(p.last + ", " + p.first))
	case 4:
		w.name(p.first + " " + p.middle + ". " + p.last)
	case 5:
		w.name(hoInitial(p.first) + ". " + p.last)
	case 6:
		if p.nick != "" {
			w.name(p.first)
			w.t(` "`)
			w.name(p.nick)
			w.t(`" `)
			w.name(p.last)
		} else {
			w.name(p.first + " " + p.last)
		}
	case 7:
		w.name(strings.ToUpper(p.first + " " + p.middle + " " + p.last))
	case 8:
		w.name(p.last + ", " + p.first)
	case 9:
		w.name(strings.ToUpper(p.last) + ", " + p.first + " " + p.middle)
	}
}

// hoClin writes a clinician's name with a title or credentials.
func (w *writer) hoClin(p hoPerson, creds ...string) {
	if len(creds) == 0 {
		creds = []string{"MD", "DO", "MD, FACS", "MD, PhD", "NP", "PA-C"}
	}
	switch w.n(0, 6) {
	case 0:
		w.t("Dr. ")
		w.name(p.last)
	case 1:
		w.name(p.first + " " + p.middle + ". " + p.last)
		w.t(", ", w.pick(creds...))
	case 2:
		w.name(p.last + ", " + p.first)
		w.t(" ", w.pick(creds...))
	case 3:
		w.t("Dr. ")
		w.name(p.first + " " + p.last)
	case 4:
		w.name(strings.ToUpper(p.first + " " + p.last))
		w.t(", ", strings.ToUpper(w.pick(creds...)))
	case 5:
		w.name(hoInitial(p.first) + ". " + p.last)
		w.t(", ", w.pick(creds...))
	case 6:
		w.name(p.first + " " + p.last)
		w.t(" ", w.pick(creds...))
	}
}

// hoDr writes "Dr. Last" or "Dr Last".
func (w *writer) hoDr(p hoPerson) {
	w.t(w.pick("Dr. ", "Dr ", "Dr. "))
	w.name(p.last)
}

type hoSexT struct{ sx, hon, sub, obj, pos, noun, kin string }

func (w *writer) hoSex() hoSexT {
	if w.chance(0.5) {
		return hoSexT{"F", w.pick("Ms.", "Mrs.", "Ms"), "she", "her", "her", w.pick("woman", "female", "lady"), "daughter"}
	}
	return hoSexT{"M", w.pick("Mr.", "Mr"), "he", "him", "his", w.pick("man", "male", "gentleman"), "son"}
}

func hoCap(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// --- dates and times ---

type hoDay struct{ y, m, d int }

func (w *writer) hoDay() hoDay { return hoDay{w.n(2016, 2025), w.n(1, 12), w.n(1, 28)} }

func (d hoDay) weekday() time.Weekday {
	return time.Date(d.y, time.Month(d.m), d.d, 12, 0, 0, 0, time.UTC).Weekday()
}

// hoAbbr is a month's short name as people write it, with its period if it has one.
func hoAbbr(m int, dot bool) string {
	s := monthNames[m-1][:3]
	if m == 9 {
		s = "Sept"
	}
	if dot && m != 5 {
		s += "."
	}
	return s
}

// hoDateStr is a date in one of the held-out shapes; some have no year.
func (w *writer) hoDateStr(d hoDay) string {
	mon := monthNames[d.m-1]
	ab := mon[:3]
	switch w.n(0, 17) {
	case 0:
		return fmt.Sprintf("%s %d%s", ab, d.d, ordinal(d.d))
	case 1:
		return fmt.Sprintf("%d%s of %s", d.d, ordinal(d.d), mon)
	case 2:
		return fmt.Sprintf("%d-%d-%d", d.m, d.d, d.y)
	case 3:
		return fmt.Sprintf("%d/%02d/%02d", d.y, d.m, d.d)
	case 4:
		return fmt.Sprintf("%s-%02d-%d", ab, d.d, d.y)
	case 5:
		return fmt.Sprintf("%s %02d %d", strings.ToUpper(ab), d.d, d.y)
	case 6:
		return fmt.Sprintf("%02d%s%d", d.d, strings.ToUpper(ab), d.y)
	case 7:
		return fmt.Sprintf("%d %s %02d", d.d, ab, d.y%100)
	case 8:
		return fmt.Sprintf("%s %d, %d", hoAbbr(d.m, true), d.d, d.y)
	case 9:
		return fmt.Sprintf("%s %d%s, %d", mon, d.d, ordinal(d.d), d.y)
	case 10:
		return fmt.Sprintf("%02d/%02d/%d", d.m, d.d, d.y)
	case 11:
		return fmt.Sprintf("%d/%d/%02d", d.m, d.d, d.y%100)
	case 12:
		return fmt.Sprintf("%02d.%02d.%d", d.m, d.d, d.y)
	case 13:
		return fmt.Sprintf("%s %d", hoAbbr(d.m, false), d.d)
	case 14:
		return fmt.Sprintf("%02d-%02d-%02d", d.m, d.d, d.y%100)
	case 15:
		return fmt.Sprintf("%s %d", mon, d.d)
	case 16:
		return fmt.Sprintf("%d-%s-%02d", d.d, ab, d.y%100)
	default:
		return fmt.Sprintf("%d %s, %d", d.d, mon, d.y)
	}
}

// hoDate writes a date.
func (w *writer) hoDate() { w.p(phi.Date, w.hoDateStr(w.hoDay())) }

// hoDOB writes a date of birth.
func (w *writer) hoDOB() {
	d := w.hoDay()
	d.y = w.n(1920, 2005)
	w.p(phi.Date, w.hoDateStr(d))
}

// hoShort writes a month and day in figures, for after a cue ("on", "last dose").
func (w *writer) hoShort() {
	m, d := w.n(1, 12), w.n(1, 28)
	w.p(phi.Date, w.pick(fmt.Sprintf("%d/%d", m, d), fmt.Sprintf("%02d/%02d", m, d), fmt.Sprintf("%d-%d", m, d)))
}

// hoTime is a clock time, which is not an identifier.
func (w *writer) hoTime() string {
	h, m := w.n(0, 23), w.n(0, 59)
	switch w.n(0, 3) {
	case 0:
		return fmt.Sprintf("%02d%02d", h, m)
	case 1:
		return fmt.Sprintf("%02d:%02d", h, m)
	case 2:
		h12, ap := h%12, "am"
		if h12 == 0 {
			h12 = 12
		}
		if h >= 12 {
			ap = "pm"
		}
		return fmt.Sprintf("%d:%02d %s", h12, m, w.pick(ap, strings.ToUpper(ap)))
	default:
		return fmt.Sprintf("%02d%02dh", h, m)
	}
}

// hoDateTime writes a date and, after it, a time that is not part of the span.
func (w *writer) hoDateTime() {
	w.hoDate()
	w.t(w.pick(" ", " @ ", " at ", "  ", " @"), w.hoTime())
}

// hoWeekdayDate writes the weekday (text) and then the date (the span).
func (w *writer) hoWeekdayDate() {
	d := w.hoDay()
	wd := d.weekday().String()
	switch w.n(0, 3) {
	case 0:
		w.t(wd, ", ")
	case 1:
		w.t(wd[:3], " ")
	case 2:
		w.t(strings.ToUpper(wd[:3]), " ")
	case 3:
		w.t(wd, " ")
	}
	switch w.n(0, 2) {
	case 0:
		w.p(phi.Date, fmt.Sprintf("%d/%d", d.m, d.d))
	case 1:
		w.p(phi.Date, w.hoDateStr(d))
	case 2:
		w.p(phi.Date, fmt.Sprintf("%s %d", hoAbbr(d.m, w.chance(0.5)), d.d))
	}
}

// hoMonthYear writes a month and year, which Safe Harbor counts as a date.
func (w *writer) hoMonthYear() {
	m, y := w.n(1, 12), w.n(2005, 2024)
	w.p(phi.Date, w.pick(
		fmt.Sprintf("%s %d", monthNames[m-1], y),
		fmt.Sprintf("%s %d", hoAbbr(m, false), y),
		fmt.Sprintf("%02d/%d", m, y),
		fmt.Sprintf("%s '%02d", hoAbbr(m, false), y%100),
	))
}

// hoHoliday writes a holiday that names a day of the year.
func (w *writer) hoHoliday() {
	w.p(phi.Date, w.pick("Christmas", "Thanksgiving", "New Year's Eve", "Christmas Eve", "the Fourth of July", "Easter", "Labor Day", "Memorial Day"))
}

// --- ages ---

var hoOnes = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
var hoTens = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

// hoWords is n (0 to 199) in words.
func hoWords(n int) string {
	if n >= 100 {
		if n == 100 {
			return "one hundred"
		}
		return "one hundred and " + hoWords(n-100)
	}
	if n < 20 {
		return hoOnes[n]
	}
	if n%10 == 0 {
		return hoTens[n/10]
	}
	return hoTens[n/10] + "-" + hoOnes[n%10]
}

// hoAgeN is an age in years, a third of them over 89.
func (w *writer) hoAgeN() int {
	if w.chance(0.33) {
		return w.n(90, 104)
	}
	return w.n(19, 89)
}

// hoAgeIs writes s, an age a: an identifier when a is over 89.
func (w *writer) hoAgeIs(a int, s string) {
	if a > 89 {
		w.p(phi.Age, s)
	} else {
		w.t(s)
	}
}

// hoAge writes an age as an adjective ("93 y.o.", "ninety-two-year-old").
func (w *writer) hoAge(a int) {
	var s string
	switch w.n(0, 7) {
	case 0:
		s = fmt.Sprintf("%d y.o.", a)
	case 1:
		s = fmt.Sprintf("%dyo", a)
	case 2:
		s = fmt.Sprintf("%d yr old", a)
	case 3:
		s = fmt.Sprintf("%d-yr-old", a)
	case 4:
		s = hoWords(a) + "-year-old"
	case 5:
		s = fmt.Sprintf("%d y/o", a)
	case 6:
		s = fmt.Sprintf("%d year-old", a)
	case 7:
		s = fmt.Sprintf("%d YO", a)
	}
	w.hoAgeIs(a, s)
}

// hoAgeSex writes an age with the sex run on to it, as lists do ("92M").
func (w *writer) hoAgeSex(a int, sx string) {
	w.hoAgeIs(a, w.pick(
		fmt.Sprintf("%d%s", a, sx),
		fmt.Sprintf("%d%s", a, sx),
		fmt.Sprintf("%d %s", a, sx),
		fmt.Sprintf("%dyo%s", a, sx),
		fmt.Sprintf("%d yo %s", a, sx),
		fmt.Sprintf("%d%s", a, strings.ToLower(sx)),
	))
}

// --- numbers ---

// hoPhoneStr is a telephone number in the fictional 555-01xx range, in a shape the
// tuned styles do not write.
func (w *writer) hoPhoneStr() string {
	a, n := w.n(201, 989), w.n(100, 198)
	switch w.n(0, 11) {
	case 0:
		return fmt.Sprintf("+1 (%d) 555-0%d", a, n)
	case 1:
		return fmt.Sprintf("+1-%d-555-0%d", a, n)
	case 2:
		return fmt.Sprintf("+1 %d 555 0%d", a, n)
	case 3:
		return fmt.Sprintf("%d 555 0%d", a, n)
	case 4:
		return fmt.Sprintf("%d5550%d", a, n)
	case 5:
		return fmt.Sprintf("1-%d-555-0%d", a, n)
	case 6:
		return fmt.Sprintf("%d/555-0%d", a, n)
	case 7:
		return fmt.Sprintf("(%d) 555-0%d x%d", a, n, w.n(2, 4999))
	case 8:
		return fmt.Sprintf("%d.555.0%d ext %d", a, n, w.n(2, 999))
	case 9:
		return fmt.Sprintf("(%d)-555-0%d", a, n)
	case 10:
		return fmt.Sprintf("555-0%d", n)
	default:
		return fmt.Sprintf("+1.%d.555.0%d", a, n)
	}
}

func (w *writer) hoPhone() { w.p(phi.Phone, w.hoPhoneStr()) }
func (w *writer) hoFax()   { w.p(phi.Fax, w.hoPhoneStr()) }

var hoFold = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "ả", "a", "ấ", "a", "ặ", "a", "Á", "A",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "ế", "e", "ễ", "e", "É", "E",
	"í", "i", "ï", "i", "Í", "I", "ó", "o", "ö", "o", "ô", "o", "ø", "o", "ọ", "o", "Ó", "O", "Ö", "O",
	"ú", "u", "ü", "u", "ù", "u", "Ú", "U", "Ü", "U", "ñ", "n", "Ñ", "N", "ç", "c", "Ç", "C",
	"ş", "s", "Ş", "S", "ś", "s", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "ř", "r", "ễ", "e",
)

// hoEmail is an address made from a person's names, at a reserved example domain.
func (w *writer) hoEmail(p hoPerson) string {
	f, l := emailLocal(hoFold.Replace(p.called())), emailLocal(hoFold.Replace(p.last))
	if f == "" {
		f = "pt"
	}
	if l == "" {
		l = "x"
	}
	var local string
	switch w.n(0, 6) {
	case 0:
		local = f + "." + l
	case 1:
		local = f[:1] + l + fmt.Sprint(w.n(1, 99))
	case 2:
		local = f + l + fmt.Sprint(w.n(1930, 2005))
	case 3:
		local = f + "_" + l[:1]
	case 4:
		local = l + "." + f[:1] + fmt.Sprint(w.n(1, 9))
	case 5:
		local = w.pick("grandma", "papa", "nana", "mom", "gigi") + f + fmt.Sprint(w.n(10, 99))
	case 6:
		local = strings.ToUpper(f[:1]) + l
	}
	return local + "@" + w.pick("example.com", "example.net", "mail.example.org", "example.org", "inbox.example.com")
}

func (w *writer) hoSSN() string {
	a, b, c := w.n(100, 665), w.n(1, 99), w.n(1, 9999)
	switch w.n(0, 3) {
	case 0:
		return fmt.Sprintf("%03d %02d %04d", a, b, c)
	case 1:
		return fmt.Sprintf("%03d%02d%04d", a, b, c)
	default:
		return fmt.Sprintf("%03d-%02d-%04d", a, b, c)
	}
}

// hoSSNLast4 writes the last four digits of a social security number; the masked
// digits before them are not the identifier.
func (w *writer) hoSSNLast4() {
	switch w.n(0, 3) {
	case 0:
		w.t("SSN xxx-xx-")
	case 1:
		w.t("SS# ***-**-")
	case 2:
		w.t("last 4 of SSN ")
	case 3:
		w.t("SSN (last four) ")
	}
	w.p(phi.SSN, fmt.Sprintf("%04d", w.n(1, 9999)))
}

func (w *writer) hoMRN() string {
	switch w.n(0, 5) {
	case 0:
		return "00" + w.digits(7)
	case 1:
		return "E" + w.digits(8)
	case 2:
		return w.digits(2) + "-" + w.digits(2) + "-" + w.digits(2)
	case 3:
		return w.digits(6)
	case 4:
		return "M" + w.digits(3) + "-" + w.digits(4)
	default:
		return w.digits(9)
	}
}

func (w *writer) hoAccount() string {
	switch w.n(0, 3) {
	case 0:
		return w.digits(11)
	case 1:
		return "H" + w.digits(9)
	case 2:
		return w.digits(4) + "-" + w.digits(4) + "-" + w.digits(2)
	default:
		return "V" + w.digits(8)
	}
}

const hoMBIAlpha = "ACDEFGHJKMNPQRTUVWXY"

// hoMBI is a Medicare beneficiary identifier in its pattern, with or without dashes.
func (w *writer) hoMBI() string {
	al := func() byte { return hoMBIAlpha[w.r.IntN(len(hoMBIAlpha))] }
	dg := func() byte { return byte('0' + w.r.IntN(10)) }
	an := func() byte {
		if w.chance(0.5) {
			return al()
		}
		return dg()
	}
	b := []byte{byte('1' + w.r.IntN(9)), al(), an(), dg(), al(), an(), dg(), al(), al(), dg(), dg()}
	s := string(b)
	if w.chance(0.5) {
		s = s[:4] + "-" + s[4:7] + "-" + s[7:]
	}
	return s
}

// hoPlanID is a commercial or Medicaid member number.
func (w *writer) hoPlanID() string {
	switch w.n(0, 4) {
	case 0:
		return w.letters(3) + w.digits(9)
	case 1:
		return "W" + w.digits(9)
	case 2:
		return w.digits(9) + " " + fmt.Sprintf("%02d", w.n(1, 4))
	case 3:
		return w.digits(10)
	default:
		return w.letters(1) + w.digits(8) + w.letters(1)
	}
}

// hoNPI is a ten-digit National Provider Identifier.
func (w *writer) hoNPI() string { return w.pick("1", "2") + fmt.Sprintf("%09d", w.n(0, 999999999)) }

// hoDEA is a DEA registration number with its check digit.
func (w *writer) hoDEA(p hoPerson) string {
	l := strings.ToUpper(emailLocal(hoFold.Replace(p.last)))
	if l == "" {
		l = "X"
	}
	d := make([]int, 6)
	for i := range d {
		d[i] = w.r.IntN(10)
	}
	check := (d[0] + d[2] + d[4] + 2*(d[1]+d[3]+d[5])) % 10
	return fmt.Sprintf("%s%s%d%d%d%d%d%d%d", w.pick("A", "B", "F", "M"), l[:1], d[0], d[1], d[2], d[3], d[4], d[5], check)
}

// hoStateLicense is a state professional or driver's license number.
func (w *writer) hoStateLicense() string {
	switch w.n(0, 4) {
	case 0:
		return w.letters(1) + w.digits(5)
	case 1:
		return "RN" + w.digits(7)
	case 2:
		return fmt.Sprintf("%s%03d-%04d-%04d", w.letters(1), w.n(0, 999), w.n(0, 9999), w.n(0, 9999))
	case 3:
		return w.digits(2) + "." + w.digits(6)
	default:
		return w.letters(2) + w.digits(6)
	}
}

const hoVINChars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

func (w *writer) hoVIN() string {
	b := make([]byte, 17)
	b[0] = byte('1' + w.r.IntN(5))
	for i := 1; i < 17; i++ {
		b[i] = hoVINChars[w.r.IntN(len(hoVINChars))]
	}
	for i := 12; i < 17; i++ {
		b[i] = byte('0' + w.r.IntN(10))
	}
	return string(b)
}

func (w *writer) hoPlate() string {
	switch w.n(0, 3) {
	case 0:
		return fmt.Sprintf("%d%s%03d", w.n(1, 9), w.letters(3), w.n(0, 999))
	case 1:
		return w.letters(3) + "-" + w.digits(4)
	case 2:
		return w.letters(3) + " " + w.digits(3)
	default:
		return w.digits(3) + " " + w.letters(3)
	}
}

// hoTail is an aircraft registration ("N417LF"), a vehicle identifier.
func (w *writer) hoTail() string { return fmt.Sprintf("N%d%s", w.n(1, 999), w.letters(2)) }

func (w *writer) hoSerial() string {
	switch w.n(0, 4) {
	case 0:
		return w.letters(3) + w.digits(6) + w.letters(1)
	case 1:
		return w.letters(3) + w.digits(7)
	case 2:
		return w.digits(11)
	case 3:
		return w.letters(1) + w.digits(1) + w.letters(1) + "-" + w.digits(5) + "-" + w.letters(1)
	default:
		return w.letters(2) + w.digits(7) + w.letters(1)
	}
}

func (w *writer) hoIP() string {
	switch w.n(0, 4) {
	case 0:
		return fmt.Sprintf("192.168.%d.%d", w.n(0, 255), w.n(1, 254))
	case 1:
		return fmt.Sprintf("203.0.113.%d", w.n(1, 254))
	case 2:
		return fmt.Sprintf("198.51.100.%d", w.n(1, 254))
	case 3:
		return fmt.Sprintf("172.%d.%d.%d", w.n(16, 31), w.n(0, 255), w.n(1, 254))
	default:
		return fmt.Sprintf("2001:db8:%x:%x::%x", w.n(1, 0xffff), w.n(0, 0xffff), w.n(1, 0xfff))
	}
}

// hoURL is a link to something of one patient's: with a scheme or without.
func (w *writer) hoURL() string {
	host := strings.ToLower(w.madeName(2))
	path := w.pick("/mychart/visit/", "/join/", "/r/", "/msg?id=", "/telehealth/room/", "/pay/")
	s := w.pick("portal.", "www.", "", "mychart.") + host + w.pick("health.example.org", "-clinic.example.com", ".example.net") + path + w.digits(w.n(5, 9))
	if w.chance(0.5) {
		s = w.pick("https://", "http://") + s
	}
	return s
}

// --- places ---

func (w *writer) hoStreet() string {
	name := hoPick(w.r.IntN, streetNames, hoStreetNames)
	suf := w.pick("St", "Street", "Ave", "Rd", "Ln", "Lane", "Dr", "Ct", "Cir", "Pl", "Pkwy", "Trail", "Terrace")
	num := w.n(2, 29999)
	unit := w.pick(fmt.Sprint(w.n(1, 40)), fmt.Sprintf("%d%s", w.n(1, 9), w.pick("A", "B", "C", "R", "F")), fmt.Sprint(w.n(101, 1220)))
	switch w.n(0, 8) {
	case 0, 1:
		return fmt.Sprintf("%d %s %s", num, name, suf)
	case 2:
		return fmt.Sprintf("%d %s %s %s", num, w.pick("N", "S", "E", "W", "NE", "SW", "North"), name, suf)
	case 3:
		return fmt.Sprintf("%d %s %s %s %s", num, name, suf, w.pick("Apt", "Apt.", "Unit", "Ste", "Lot", "Trlr"), unit)
	case 4:
		return fmt.Sprintf("%d %s %s #%s", num, name, suf, unit)
	case 5:
		return fmt.Sprintf("%s Box %d", w.pick("PO", "P.O.", "P O"), w.n(1, 9999))
	case 6:
		return fmt.Sprintf("%s%d %s", w.pick("N", "W", "E", "S"), w.n(1000, 9999), w.pick("County Rd K", "County Road JJ", "Hwy 29", "State Rd 37"))
	case 7:
		return fmt.Sprintf("RR %d Box %d", w.n(1, 9), w.n(1, 300))
	default:
		s := w.street()
		return fmt.Sprintf("%d%s %s", num, w.pick("½", "-B", " 1/2"), s[strings.IndexByte(s, ' ')+1:])
	}
}

// hoRoad is a road's name without a number, as directions give it.
func (w *writer) hoRoad() string {
	switch w.n(0, 3) {
	case 0:
		return fmt.Sprintf("County Rd %d", w.n(1, 60))
	case 1:
		return hoPick(w.r.IntN, streetNames, hoStreetNames) + " " + w.pick("Rd", "Road", "Ln", "Dr", "St")
	case 2:
		return w.pick("Old ", "") + hoPick(w.r.IntN, streetNames, hoStreetNames) + " " + w.pick("Pike", "Hollow Rd", "Loop", "Spur")
	default:
		return fmt.Sprintf("Township Rd %d", w.n(100, 999))
	}
}

func (w *writer) hoCity() (string, string) {
	c := hoPick(w.r.IntN, cities, hoCities)
	city, st, _ := strings.Cut(c, "|")
	return city, st
}

func (w *writer) hoZip() string {
	if w.chance(0.3) {
		return fmt.Sprintf("%05d-%04d", w.n(1001, 99950), w.n(1, 9999))
	}
	return w.zip()
}

// hoCityLine writes "City, ST ZIP" in one of its shapes.
func (w *writer) hoCityLine() {
	city, st := w.hoCity()
	switch w.n(0, 3) {
	case 0:
		w.p(phi.Location, city)
		w.t(", ", st, " ")
	case 1:
		w.p(phi.Location, strings.ToUpper(city))
		w.t(" ", st, "  ")
	case 2:
		w.p(phi.Location, city)
		w.t(" ", st, " ")
	case 3:
		w.p(phi.Location, city)
		w.t(", ", st, ", ")
	}
	w.p(phi.ZIP, w.hoZip())
}

// hoAddress writes a whole address on one line.
func (w *writer) hoAddress() {
	w.p(phi.Location, w.hoStreet())
	w.t(w.pick(", ", " ", ", "))
	w.hoCityLine()
}

// hoPlace writes a city (and perhaps its state, which is not an identifier).
func (w *writer) hoPlace() {
	city, st := w.hoCity()
	w.p(phi.Location, city)
	if w.chance(0.3) {
		w.t(", ", st)
	}
}

func (w *writer) hoCounty() { w.p(phi.Location, w.pick(hoCounties...)) }

// --- clinical text that must survive ---

var hoHPIProblems = []string{
	"HFpEF", "T2DM on insulin", "CKD 3b", "paroxysmal AF on apixaban", "COPD on 2 L home O2", "Parkinson disease",
	"prior CVA with residual L hemiparesis", "HTN", "HLD", "OSA on CPAP", "hypothyroidism", "Graves disease s/p RAI in 2009",
	"Crohn disease", "Bell's palsy (2019)", "alcohol use disorder", "cirrhosis (MELD 14)", "remote Hodgkin lymphoma", "BPH", "dementia (MoCA 17/30)",
}

var hoBrands = []string{
	"Eliquis (apixaban) 5 mg PO BID", "Lasix (furosemide) 40 mg PO daily", "Synthroid 88 mcg PO qAM", "Januvia 100 mg daily",
	"Tylenol Arthritis 650 mg q8h PRN", "Coreg 12.5 mg BID", "Xarelto 20 mg with supper", "Lantus 18 units qHS",
	"Humalog sliding scale", "Flomax 0.4 mg qHS", "Sinemet 25/100 1 tab TID", "Norco 5/325 q6h PRN",
	"Coumadin 5 mg M/W/F, 2.5 mg other days", "Keppra 500 mg BID", "Zoloft 100 mg daily", "Seroquel 25 mg qHS PRN agitation",
	"Ozempic 0.5 mg SC weekly", "Entresto 24/26 mg BID", "Jardiance 10 mg daily", "Miralax 17 g daily",
}

func (w *writer) hoBrand() string { return w.pick(hoBrands...) }

// hoDept is a department or service: words, not identifiers.
func (w *writer) hoDept() string {
	return w.pick("Nephrology", "Hospital Medicine", "Cardiology", "Infectious Disease", "Palliative Care", "Geriatrics",
		"General Surgery", "Case Management", "Physical Therapy", "Wound Ostomy Nursing", "GI", "Neurology")
}

// --- styles ---

type hoProc struct {
	name, pre, findings, specimen, drains, body string
	implant                                     bool
}

var hoProcs = []hoProc{
	{
		name: "Laparoscopic cholecystectomy", pre: "Symptomatic cholelithiasis",
		findings: "Distended, thick-walled gallbladder with adhesions to the omentum; no bile leak.",
		specimen: "Gallbladder to pathology", drains: "None",
		body: "Access to the peritoneum was gained at the umbilicus by Hasson technique and pneumoperitoneum established to 15 mmHg. " +
			"Three additional 5-mm ports were placed under direct vision. The fundus was retracted cephalad and the infundibulum laterally. " +
			"Calot triangle was dissected until the critical view of safety was achieved. The cystic duct and cystic artery were each clipped twice proximally and divided. " +
			"The gallbladder was taken off the liver bed with Bovie electrocautery and removed in an Endo Catch bag. Hemostasis was confirmed. " +
			"The umbilical fascia was closed with 0 Vicryl and skin with 4-0 Monocryl and Dermabond.",
	},
	{
		name: "Dual-chamber permanent pacemaker implantation", pre: "Symptomatic complete heart block",
		findings: "RA lead: P wave 3.1 mV, threshold 0.7 V at 0.4 ms, impedance 540 ohms. RV lead: R wave 11.8 mV, threshold 0.5 V at 0.4 ms, impedance 610 ohms.",
		specimen: "None", drains: "None", implant: true,
		body: "A 5-cm incision was made below the left clavicle and carried down to the pectoralis fascia. " +
			"Access to the left axillary vein was obtained under fluoroscopy with a micropuncture needle. " +
			"The RV lead was positioned in the septum and the RA lead in the appendage; both were secured with 2-0 silk over the sewing sleeves. " +
			"The pocket was irrigated with antibiotic solution, the generator attached and placed, and the wound closed in three layers.",
	},
	{
		name: "Open reduction internal fixation, right bimalleolar ankle fracture", pre: "Right bimalleolar ankle fracture",
		findings: "Oblique distal fibula fracture at the level of the syndesmosis; Cotton test negative after fixation.",
		specimen: "None", drains: "None", implant: true,
		body: "A thigh tourniquet was inflated to 250 mmHg. A lateral approach to the distal fibula was made and the fracture reduced with a pointed clamp. " +
			"A 3.5 mm lag screw and a 7-hole one-third tubular plate were placed. The medial malleolus was fixed with two 4.0 mm cannulated screws. " +
			"Final fluoroscopic images showed anatomic reduction. Tourniquet time 71 minutes. The wounds were closed with 2-0 Vicryl and 3-0 nylon.",
	},
	{
		name: "Exploratory laparotomy, sigmoid colectomy with end colostomy (Hartmann procedure)", pre: "Perforated sigmoid diverticulitis with purulent peritonitis",
		findings: "Hinchey III; 300 mL purulent fluid in the pelvis; sigmoid perforation with phlegmon.",
		specimen: "Sigmoid colon to pathology", drains: "19 Fr Blake drain in the pelvis",
		body: "A midline laparotomy was made. Purulent fluid was aspirated and cultures sent. The sigmoid was mobilized along the white line of Toldt. " +
			"The colon was divided proximally and at the rectosigmoid junction with a GIA stapler, and the mesentery taken with LigaSure. " +
			"The abdomen was irrigated with 6 L warm saline. An end colostomy was matured in the left lower quadrant. The fascia was closed with looped #1 PDS and the skin left open and packed.",
	},
}

func (w *writer) hoOperative() {
	pt, sg, as, an, rel := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	if w.chance(0.3) {
		sg.last = w.pick(hoEponyms...)
	}
	rel.last = pt.last
	sx := w.hoSex()
	pr := hoProcs[w.r.IntN(len(hoProcs))]
	w.t(w.pick("OPERATIVE REPORT\n\n", "BRIEF OP NOTE / OPERATIVE REPORT\n", "Operative Note\n\n"))
	w.t("PATIENT: ")
	w.hoFull(pt)
	w.t(w.pick("      MRN: ", "\nMRN: ", "   MR#"))
	w.p(phi.MRN, w.hoMRN())
	if w.chance(0.5) {
		w.t("   FIN: ")
		w.p(phi.Account, w.hoAccount())
	}
	w.t("\nDATE OF PROCEDURE: ")
	w.hoDate()
	w.t("\nSURGEON: ")
	w.hoClin(sg, "MD", "MD, FACS", "DO")
	w.t("\nASSISTANT: ")
	w.name(as.first + " " + as.last)
	w.t(", PA-C")
	if w.chance(0.4) {
		w.t("; ")
		w.name(w.pick(firstNames...) + " " + w.pick(lastNames...))
		w.t(" (MS3)")
	}
	w.t("\nANESTHESIA: General endotracheal; ")
	if w.chance(0.5) {
		w.hoDr(an)
	} else {
		w.name(an.first + " " + an.last)
		w.t(", CRNA")
	}
	w.t("\nPREOPERATIVE DIAGNOSIS: ", pr.pre, ".\nPOSTOPERATIVE DIAGNOSIS: Same.\nPROCEDURE: ", pr.name, ".\nFINDINGS: ", pr.findings, "\n")
	w.t(fmt.Sprintf("EBL: %d mL.  IVF: %d mL LR.  UOP: %d mL via Foley.\n", w.n(5, 60)*5, w.n(6, 30)*100, w.n(4, 40)*10))
	w.t("SPECIMENS: ", pr.specimen, ".\nDRAINS: ", pr.drains, ".\n")
	if pr.implant {
		w.t("IMPLANTS: ")
		if strings.Contains(pr.name, "pacemaker") {
			w.t("Generator model W1DR01, serial no. ")
			w.p(phi.Device, w.hoSerial())
			w.t("; RA lead 5076-52 cm, SN ")
			w.p(phi.Device, w.hoSerial())
			w.t("; RV lead 5076-58 cm, S/N: ")
			w.p(phi.Device, w.hoSerial())
		} else {
			w.t("1/3 tubular plate 7-hole, REF 241.371 (lot and serial scanned to implant log, plate SN ")
			w.p(phi.Device, w.hoSerial())
			w.t(")")
		}
		w.t(".\n")
	}
	w.t("COMPLICATIONS: None apparent.\nCONDITION: Stable to PACU, extubated.\n\n")
	w.t("INDICATIONS: ", sx.hon, " ")
	w.name(pt.last)
	w.t(" is a ")
	w.hoAge(w.hoAgeN())
	w.t(" ", sx.noun, " with ", w.pick(hoHPIProblems...), " and ", strings.ToLower(pr.pre[:1])+pr.pre[1:], ". ")
	w.t("Risks including bleeding, infection, injury to surrounding structures and the need for further surgery were discussed, and ", sx.sub, " wished to proceed. ")
	w.t("Consent was signed on ")
	w.hoDate()
	w.t(" with ", sx.pos, " ", w.pick("son", "daughter", "wife", "husband", "niece"), ", ")
	w.name(rel.called())
	w.t(", present.\n\n")
	w.t("DESCRIPTION OF PROCEDURE: The patient was identified in the preoperative holding area by name and date of birth and the site was marked. ")
	w.t("Cefazolin 2 g IV was given within 60 minutes of incision. ", hoCap(sx.sub), " was brought to OR ", fmt.Sprint(w.n(1, 14)), " and placed supine. ")
	w.t("After induction of general anesthesia a Foley catheter was placed and the ", w.pick("abdomen", "chest", "leg"), " was prepped with ChloraPrep and draped. ")
	w.t("A time-out was performed at ", w.hoTime(), ". ", pr.body, " ")
	w.t("Sponge, needle and instrument counts were correct x2. ")
	if w.chance(0.5) {
		w.t("Dr. ")
		w.name(sg.last)
		w.t(" was present and scrubbed for the entire procedure. ")
	} else {
		w.t("I was present and scrubbed for the entire procedure. ")
	}
	w.t(hoCap(sx.pos), " ", w.pick("son", "daughter", "wife", "husband"), " was updated in the family waiting area")
	if w.chance(0.5) {
		w.t(" and by phone at ")
		w.hoPhone()
	}
	w.t(".\n\n")
	w.name(sg.first + " " + sg.last)
	w.t(", MD   NPI ")
	w.p(phi.License, w.hoNPI())
	w.t("\nDictated ")
	w.hoDateTime()
	w.t(w.pick("; transcribed by ", "  T: "))
	w.name(hoInitial(w.pick(firstNames...)) + hoInitial(w.pick(lastNames...)))
	w.t("\ncc: ")
	w.hoClin(w.hoWho(), "MD", "DO")
	w.t(", fax ")
	w.hoFax()
	w.t("\n")
}

func (w *writer) hoConsult() {
	pt, req, pcp, rel, att := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	if w.chance(0.5) {
		rel.last = pt.last
	}
	sx := w.hoSex()
	dept := w.pick("NEPHROLOGY", "GERIATRICS", "CARDIOLOGY", "INFECTIOUS DISEASE", "PALLIATIVE CARE")
	a := w.hoAgeN()
	w.t(dept, " CONSULT NOTE\n")
	w.t("Date of service: ")
	w.hoWeekdayDate()
	w.t("  ", w.hoTime(), "\nPatient: ")
	w.hoFull(pt)
	w.t("   MRN ")
	w.p(phi.MRN, w.hoMRN())
	w.t("   Rm ", fmt.Sprintf("%d-%s", w.n(200, 899), w.pick("A", "B", "1", "2")), "\n")
	w.t("Requesting provider: ")
	w.hoClin(req, "MD", "DO", "NP")
	w.t(" (", w.pick("Hospital Medicine", "Trauma Surgery", "Orthopedics"), ")\n")
	w.t("Reason for consultation: ", w.pick("AKI", "syncope", "bacteremia", "goals of care", "delirium and falls"), "\n\n")

	w.t("HISTORY OF PRESENT ILLNESS:\n")
	switch w.n(0, 2) {
	case 0:
		w.t(sx.hon, " ")
		w.name(pt.last)
		w.t(" is a pleasant ")
	case 1:
		w.name(pt.called())
		w.t(" is a ")
	case 2:
		w.t("Patient is a ")
	}
	w.hoAge(a)
	w.t(" ", sx.noun, " with a history of ", w.pick(hoHPIProblems...), ", ", w.pick(hoHPIProblems...), " and ", w.pick(hoHPIProblems...), " who ")
	w.t(w.pick("was brought in by ", "presented with "), sx.pos, " ", w.pick("son", "daughter", "granddaughter", "neighbor", "husband", "wife"), " ")
	w.name(rel.called())
	w.t(w.pick(" after ", " after "), w.pick("finding "+sx.obj+" on the bathroom floor", "noticing "+sx.sub+" was more confused than usual", "a fall at church"), ". ")
	if w.chance(0.5) {
		w.t(hoCap(sx.sub), " was in ", sx.pos, " usual state of health until about ")
		if w.chance(0.3) {
			w.hoHoliday()
		} else {
			w.t("the ")
			d := w.n(1, 28)
			w.p(phi.Date, fmt.Sprintf("%d%s", d, ordinal(d)))
		}
		w.t(", when ", sx.sub, " developed ", w.pick("poor appetite and generalized weakness", "dysuria and low-grade fevers", "worsening dyspnea on exertion"), ". ")
	} else {
		w.t("Symptoms started last ", w.pick("Monday", "Tuesday", "Thursday", "weekend", "week"), ". ")
	}
	if w.chance(0.6) {
		w.t(hoCap(sx.sub), " was seen at an urgent care in ")
		w.hoPlace()
		w.t(" on ")
		w.hoShort()
		w.t(" and started on ", w.pick("azithromycin 500 mg x1 then 250 mg daily", "nitrofurantoin 100 mg BID", "prednisone 40 mg"), ". ")
	}
	w.t(hoCap(sx.pos), " PCP, ")
	w.hoDr(pcp)
	w.t(", had checked a creatinine of ", fmt.Sprintf("%.1f", 0.8+w.r.Float64()), " in ")
	w.hoMonthYear()
	w.t("; on arrival here it was ", fmt.Sprintf("%.1f", 2+w.r.Float64()*3), ". ")
	w.t(w.pick("Per "+sx.pos+" "+w.pick("daughter-in-law", "son-in-law", "nephew"), "Collateral from "+sx.pos+" "+w.pick("sister", "brother", "roommate")), " ")
	w.name(w.pick(firstNames...))
	w.t(w.pick(", who is a retired nurse, ", ", "), sx.sub, " has been drinking poorly and taking ibuprofen 600 mg three times daily for ", sx.pos, " knee since ")
	w.hoMonthYear()
	w.t(". ", hoCap(sx.sub), " denies chest pain, melena or hematuria. ", w.pick("No recent contrast.", "No sick contacts.", "Weight down 4 kg."), "\n\n")

	w.t("PMH: ", w.pick(problems...), "; ", w.pick(hoHPIProblems...), "; ", w.pick(hoHPIProblems...), "\n")
	w.t("Home meds: ", w.hoBrand(), "; ", w.hoBrand(), "; ", w.hoBrand(), "\n")
	w.t("Allergies: ", w.pick("NKDA", "sulfa (rash)", "PCN - hives", "iodinated contrast"), "\n")
	w.t("SH: ", w.pick("Widowed", "Married", "Divorced"), "; lives with ", w.pick("granddaughter", "husband", "wife", "a roommate"), " ")
	w.name(w.hoWho().called())
	w.t(w.pick(" in a ranch house outside ", " in an apartment in ", " on a farm near "))
	w.hoPlace()
	w.t(". Retired ", w.pick("postal worker", "welder", "schoolteacher", "LPN"), ". Quit smoking in ", fmt.Sprint(w.n(1970, 2015)), ". ")
	w.t("FH: Mother with Alzheimer disease, died at ")
	ma := w.n(70, 101)
	w.hoAgeIs(ma, fmt.Sprint(ma))
	w.t("; father MI at ", fmt.Sprint(w.n(45, 80)), ".\n\n")
	w.t("EXAM: ")
	w.vitals()
	w.t(" Gen: elderly, NAD. ", w.pick("No asterixis.", "Murphy sign negative.", "Babinski downgoing bilaterally."), " ", w.pick(fillers...), "\n")
	w.t("DATA: ")
	w.labs()
	w.t(" UA: SG 1.025, 1+ protein, no blood. FENa ", fmt.Sprintf("%.1f", w.r.Float64()*2), "%. Renal US ")
	w.hoShort()
	w.t(": no hydronephrosis.\n\n")
	w.t("ASSESSMENT AND RECOMMENDATIONS:\n")
	w.t(w.pick("Pleasant ", ""))
	w.hoAgeSex(a, sx.sx)
	w.t(" with ", w.pick("prerenal AKI on CKD 3b in setting of NSAIDs and poor PO intake", "MSSA bacteremia, source likely R knee", "hypoactive delirium, multifactorial"), ".\n")
	w.t("1. Hold ", w.pick("lisinopril", "NSAIDs", "Lasix"), "; avoid nephrotoxins.\n2. LR at 75 mL/h x 1 L, then reassess.\n3. Renally dose meds; CrCl ~", fmt.Sprint(w.n(15, 45)), " mL/min.\n")
	w.t("4. Discussed with primary team (")
	w.hoDr(req)
	w.t(") and with ", sx.pos, " ", w.pick("son", "daughter", "niece"), " by phone at ")
	w.hoPhone()
	w.t(".\n", w.pick("5. Hope is to get "+sx.obj+" home with family; PT/OT to see.\n", "5. Will follow labs daily.\n", "5. Faith community involved; chaplain consult placed.\n", ""))
	w.t("\nThank you for this consult; we will follow. Page with questions: ")
	w.hoPhone()
	w.t("\n\n")
	w.name(w.pick(firstNames...) + " " + w.pick(lastNames...))
	w.t(", MD, ", dept[:1]+strings.ToLower(dept[1:]), " fellow\nSeen and discussed with attending ")
	w.hoClin(att, "MD")
	w.t(".\n")
}

func (w *writer) hoPsychosocial() {
	pt, gm, mo, br, aunt, friend, kid1, kid2, cw, po, sf := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	sx := w.hoSex()
	if w.chance(0.5) {
		w.t("BEHAVIORAL HEALTH - PSYCHOSOCIAL ASSESSMENT\nDate: ")
		w.hoDate()
		w.t("   Clinician: ")
		w.name(w.pick(firstNames...) + " " + w.pick(lastNames...))
		w.t(", LCSW\n")
	} else {
		w.t("Psychiatry Consult-Liaison - Initial Evaluation\n")
		w.hoWeekdayDate()
		w.t(", ", w.hoTime(), "\n")
	}
	w.t("Patient: ")
	w.hoFull(pt)
	w.t("  (MRN ")
	w.p(phi.MRN, w.hoMRN())
	w.t(")\n\n")
	w.t("IDENTIFYING DATA: ")
	w.name(pt.called())
	w.t(" is a ", fmt.Sprint(w.n(19, 58)), " y/o ", w.pick("single", "divorced", "separated"), " ", sx.noun, " admitted to 4 North on a 72-hour hold after ", w.pick("an intentional overdose of sertraline (~30 x 50 mg tabs)", "police found "+sx.obj+" on an overpass", "making threats toward family"), ".\n\n")
	w.t("SOURCES: patient; chart; ", sx.pos, " ", w.pick("sister", "cousin", "aunt"), " ")
	w.name(aunt.first)
	w.t(" by phone (")
	w.hoPhone()
	w.t(") on ")
	w.hoShort()
	w.t("; ", w.pick("county", "outpatient"), " case manager.\n\n")

	w.t("FAMILY AND LIVING SITUATION: ")
	w.t(hoCap(sx.sub), " was born in ")
	w.hoPlace()
	w.t(" and raised mostly by ", sx.pos, " maternal grandmother, ")
	w.name(gm.called())
	w.t(", after ", sx.pos, " mother ")
	w.name(mo.first)
	w.t(w.pick(" was \"in and out\" of rehab", " left for work in another state", " lost custody"), ". ")
	w.t("Has a half-brother, ")
	w.name(br.called())
	w.t(w.pick(", who is incarcerated in ", ", who works on oil rigs out of ", ", who is estranged and living somewhere near "))
	if w.chance(0.5) {
		w.hoCounty()
	} else {
		w.hoPlace()
	}
	w.t(". ", hoCap(sx.sub), " moved out to ")
	w.hoPlace()
	w.t(" at 19 with a boyfriend and has gone back and forth between there and ", sx.pos, " aunt ")
	w.name(aunt.first + " " + aunt.last)
	w.t("'s trailer on ")
	w.p(phi.Location, w.hoRoad())
	w.t(" ever since. For the past ", w.pick("two months", "few weeks", "year"), " ", sx.sub, " has been couch-surfing with a friend, ")
	w.name(friend.called())
	w.t(", near the fairgrounds in ")
	w.hoPlace()
	w.t(", or sleeping in ", sx.pos, " car (2009 Chevy Malibu, plate ")
	w.p(phi.Vehicle, w.hoPlate())
	w.t(") when that falls through. ")
	w.t(hoCap(sx.pos), " children, ")
	w.name(kid1.first)
	w.t(" (", fmt.Sprint(w.n(5, 12)), ") and ")
	w.name(kid2.first)
	w.t(" (", fmt.Sprint(w.n(1, 4)), "), are with their paternal grandmother in ")
	w.hoPlace()
	w.t(" under a voluntary placement; DCFS caseworker is ")
	w.name(cw.first + " " + cw.last)
	w.t(" (case #")
	w.p(phi.ID, fmt.Sprintf("%d-%s-%s", w.n(18, 24), w.letters(2), w.digits(5)))
	w.t(", ")
	w.hoPhone()
	w.t("). ")
	w.t(hoCap(sx.sub), " last saw the kids at ", w.pick("Easter", "a birthday party", "a supervised visit"), " and \"misses them every day.\" ")
	w.t("Works part-time stocking shelves overnight at a grocery store; income ~$", fmt.Sprint(w.n(900, 1800)), "/mo. Insurance: state Medicaid, ID ")
	w.p(phi.HealthPlan, w.hoPlanID())
	w.t(".\n\n")

	w.t("LEGAL: On probation through ")
	w.hoCounty()
	w.t(" for ", w.pick("DUI", "shoplifting", "possession"), " (", fmt.Sprint(w.n(2015, 2023)), "); PO is ")
	w.t(w.pick("Officer ", "Agent ", ""))
	w.name(po.last)
	w.t(", ")
	w.hoPhone()
	w.t(". Driver's license ", w.pick("suspended", "valid"), " (DL# ")
	w.p(phi.License, w.hoStateLicense())
	w.t(").\n")
	w.t("SUBSTANCE USE: ", w.pick("Alcohol ~a pint of vodka daily, last drink ", "Methamphetamine IV, last use ", "Cannabis daily; alcohol binges, last "))
	w.hoShort()
	w.t(". AUDIT-C ", fmt.Sprint(w.n(0, 12)), ". CIWA ", fmt.Sprint(w.n(0, 20)), ".\n")
	w.t("MSE: Disheveled, fair eye contact, psychomotor slowing. Speech soft, low volume. Mood \"empty.\" Affect constricted, tearful. ")
	w.t("TP linear. Denies AH/VH. Passive SI, no current plan or intent. Insight and judgment fair.\n")
	w.t("SCALES: PHQ-9 ", fmt.Sprint(w.n(10, 27)), ", GAD-7 ", fmt.Sprint(w.n(5, 21)), ", C-SSRS screen positive (ideation, no behavior in past 3 months).\n")
	w.t("SAFETY: Denies access to firearms; ", sx.pos, " stepfather ")
	w.name(sf.first)
	w.t(" keeps his guns at his place in ")
	w.hoPlace()
	w.t(" and agreed by phone to keep them locked. Safety plan reviewed, including 988 and 911.\n\n")
	w.t(w.pick("Expresses hope that "+sx.sub+" can get the kids back by summer. ", "Faith is important to "+sx.obj+"; attends a Pentecostal church when able. ", "Will consider a sober-living bed in the spring. ", ""), "\n")
	w.t("PLAN: Continue hold; refer to ", w.pick("IOP", "Dual Diagnosis program", "ACT team"), "; SW to call grandmother ")
	w.name(gm.called() + " " + gm.last)
	w.t(" at ")
	w.hoPhone()
	w.t(" re: housing; housing application started, mailing address ")
	w.hoAddress()
	w.t(".\nTime spent: ", fmt.Sprint(w.n(45, 90)), " minutes (90791).\n")
	w.t("-- ")
	w.name(w.hoWho().first + " " + w.hoWho().last)
	w.t(w.pick(", LCSW", ", MD, PGY-3", ", PMHNP-BC"), "\n")
}

func (w *writer) hoMedRec() {
	pt, rel, card, np, rph, phm := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	rel.last = pt.last
	sx := w.hoSex()
	a := w.hoAgeN()
	w.t(w.pick("PHARMACY ADMISSION MEDICATION HISTORY", "Medication Reconciliation - Pharmacy", "PHARMACIST MED REC NOTE"), "\n")
	w.t("Pt: ")
	if w.chance(0.5) {
		w.name(pt.last + ", " + pt.first + " " + pt.middle)
		w.t(".")
	} else {
		w.hoFull(pt)
	}
	w.t("   DOB: ")
	w.hoDOB()
	w.t("   Age: ")
	w.hoAgeIs(a, w.pick(fmt.Sprintf("%d y", a), fmt.Sprintf("%d years", a), fmt.Sprintf("%dY", a)))
	w.t("   Sex: ", sx.sx, "\n")
	if w.chance(0.4) {
		w.t("Identity verified with DOB and ")
		w.hoSSNLast4()
		w.t(".\n")
	}
	w.t(fmt.Sprintf("Wt %.1f kg   Ht %d cm   SCr %.2f   CrCl ~%d mL/min (Cockcroft-Gault)\n", 45+w.r.Float64()*60, w.n(150, 190), 0.7+w.r.Float64()*2, w.n(18, 90)))
	w.t("Allergies: ", w.pick("penicillin (hives); codeine (N/V)", "NKDA", "sulfa (SJS 1998)", "ACE inhibitors (angioedema)"), "\n\n")
	w.t("Sources: patient interview; ", w.pick("daughter", "son", "spouse"), " ")
	w.name(rel.called())
	w.t(" (brought pill bottles); Surescripts fill history; outpatient pharmacy ", w.pick("Hy-Vee Pharmacy", "Walgreens", "Bartell Drugs", "the Kroger pharmacy"), " (")
	w.hoPhone()
	w.t("); PDMP (no controlled fills in the past 12 months).\n\n")
	w.t("HOME MEDICATIONS:\n")
	n := w.n(4, 7)
	for i := 1; i <= n; i++ {
		w.t(fmt.Sprintf("%d. ", i), w.hoBrand(), ". Last dose: ")
		switch w.n(0, 3) {
		case 0:
			w.hoShort()
			w.t(" @ ", w.hoTime())
		case 1:
			w.t("this AM")
		case 2:
			w.t("yesterday evening")
		case 3:
			w.hoDate()
		}
		if w.chance(0.5) {
			w.t(". Last fill ")
			w.hoDate()
			w.t(", #", w.pick("30", "60", "90"), "/", w.pick("30", "90"), " DS, Rx #")
			w.p(phi.ID, w.digits(7))
		}
		w.t(" -> ", w.pick("CONTINUE", "CONTINUE", "HOLD", "CHANGE to formulary equivalent", "DISCONTINUE (duplicate)"), "\n")
	}
	w.t("\nPrescribers: ")
	w.hoClin(card, "MD")
	w.t(" (Cardiology), NPI ")
	w.p(phi.License, w.hoNPI())
	w.t("; ")
	w.name(np.first + " " + np.last)
	w.t(", NP, DEA ")
	w.p(phi.License, w.hoDEA(np))
	w.t(".\n")
	w.t("Coverage: Medicare Part D; MBI ")
	w.p(phi.HealthPlan, w.hoMBI())
	if w.chance(0.5) {
		w.t("; secondary ", w.pick("Medicaid", "BCBS", "Tricare for Life"), " ID ")
		w.p(phi.HealthPlan, w.hoPlanID())
	}
	w.t(".\n\n")
	w.t("DISCREPANCIES / INTERVENTIONS:\n")
	w.t("- Pt reports taking Coumadin 5 mg daily, but fill history and bottle show 2.5 mg M/W/F. INR ", fmt.Sprintf("%.1f", 1.5+w.r.Float64()*2), " on admission. Clarified with ")
	w.hoDr(card)
	w.t("'s office (")
	w.hoPhone()
	w.t(") on ")
	w.hoShort()
	w.t(".\n")
	w.t("- Januvia held, eGFR ", fmt.Sprint(w.n(20, 44)), "; recommend sliding scale insulin while inpatient.\n")
	w.t("- ", hoCap(sx.sub), " stopped Entresto in ")
	w.hoMonthYear()
	w.t(" due to cost ($", fmt.Sprint(w.n(90, 600)), "/month copay). Patient assistance application link sent: ")
	w.p(phi.URL, w.hoURL())
	w.t("\n- Spoke with ")
	w.name(phm.first + " " + phm.last)
	w.t(", RPh, who confirmed the fills on ")
	w.hoDate()
	w.t(".\n")
	w.t("\nPharmacist: ")
	w.name(rph.first + " " + rph.last)
	w.t(w.pick(", PharmD, BCPS", ", PharmD", " PharmD"), "   ")
	w.hoDateTime()
	w.t("\n")
}

func (w *writer) hoHomeHealth() {
	pt, cg, md, nurse, pt2, mgr := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	sx := w.hoSex()
	w.t(w.pick("VISITING NURSE ASSOCIATION", "Home Health Services", "HOMECARE PARTNERS"), " - SKILLED NURSING VISIT\n")
	w.t("Visit: ")
	w.hoWeekdayDate()
	w.t("   Time in ", w.hoTime(), "   Time out ", w.hoTime(), "   Type: ", w.pick("SN recert", "SN routine", "SN + wound care"), "\n")
	w.t("Patient: ")
	w.hoFull(pt)
	w.t("   MR# ")
	w.p(phi.MRN, w.hoMRN())
	w.t("   Medicare #")
	w.p(phi.HealthPlan, w.hoMBI())
	w.t("\nAddress: ")
	w.hoAddress()
	if w.chance(0.6) {
		w.t("  (")
		w.hoCounty()
		w.t(")")
	}
	w.t("\nPhone: ")
	w.hoPhone()
	w.t(" (home)")
	if w.chance(0.5) {
		w.t("  cell ")
		w.hoPhone()
	}
	w.t("\n\nDIRECTIONS: From office take ", w.pick("Hwy 12", "I-94", "US-2", "Route 9"), " ", w.pick("east", "west", "north", "south"), " approx ", fmt.Sprint(w.n(10, 40)), " min. ")
	w.t(w.pick("L", "Left", "R", "Right"), " on ")
	w.p(phi.Location, w.hoRoad())
	w.t(" after the Casey's. Go ~", fmt.Sprint(w.n(1, 6)), " mi, ", w.pick("R", "L"), " on ")
	w.p(phi.Location, w.hoRoad())
	w.t(" at the red barn. ", w.pick("3rd", "2nd", "last"), " drive on ", w.pick("left", "right"), ", ")
	switch w.n(0, 2) {
	case 0:
		w.t("tan single-wide w/ ramp")
	case 1:
		w.t("blue two-story, green door")
	case 2:
		w.t("brick ranch, mailbox says ")
		w.name(strings.ToUpper(pt.last))
	}
	w.t(". ")
	w.t("Dog (", w.pick(hoPets...), ") is friendly. Knock loud, pt HOH. Park on gravel, not the lawn.\n")
	w.t("Caregiver: ", sx.pos, " ", w.pick("daughter", "son", "grandson", "niece"), " ")
	w.name(cg.first + " " + cg.last)
	if w.chance(0.5) {
		w.t(", lives next door at ")
		w.p(phi.Location, w.hoStreet())
	}
	w.t(", cell ")
	w.hoPhone()
	if w.chance(0.4) {
		w.t(", email ")
		w.p(phi.Email, w.hoEmail(cg))
	}
	w.t(".\n\n")
	w.t("HOMEBOUND STATUS: Requires assist of 1 and walker to leave home; SOB after 15 ft. Leaves home only for MD appts and church.\n")
	w.t("VS: ")
	w.vitals()
	w.t(" Wt ", fmt.Sprintf("%.1f", 50+w.r.Float64()*60), " kg (", w.pick("up", "down"), " 1.1 kg since last wk).\n")
	w.t("Pain ", fmt.Sprint(w.n(0, 8)), "/10 ", w.pick("L knee", "low back", "sacrum"), ". Lungs diminished bases, no crackles. 2+ pitting edema BLE.\n")
	w.t("WOUND: Stage ", fmt.Sprint(w.n(2, 4)), " sacral pressure injury ", fmt.Sprintf("%.1f x %.1f x %.1f cm", 1+w.r.Float64()*4, 1+w.r.Float64()*3, w.r.Float64()), ", 80% granulation, small serous drainage; cleansed w/ NS, Aquacel Ag + foam, change q3 days.\n")
	w.t("Foley 16 Fr, 10 mL balloon, changed today without difficulty; urine clear yellow.\n")
	w.t("O2 2 L via concentrator (SN ")
	w.p(phi.Device, w.hoSerial())
	w.t("); backup E-cylinders x2.\n")
	w.t("MEDS: Pill organizer filled for 2 wks. Taking ", w.hoBrand(), ". INR today ", fmt.Sprintf("%.1f", 1.6+w.r.Float64()*2), " by CoaguChek; called to ")
	w.hoDr(md)
	w.t("'s office, spoke with ")
	w.name(nurse.called())
	w.t(", RN, orders to continue current dose, recheck ")
	w.hoShort()
	w.t(".\n\n")
	w.t("PLAN: Next SN visit ")
	w.hoWeekdayDate()
	w.t(". PT (")
	w.name(pt2.first + " " + pt2.last)
	w.t(", DPT) to see pt ", w.pick("Thursday", "Friday", "Monday"), ". Signed 485 faxed to ")
	w.hoDr(md)
	w.t(" at ")
	w.hoFax()
	w.t(" on ")
	w.hoShort()
	w.t(".\n\n")
	w.name(w.pick(firstNames...) + " " + w.pick(lastNames...))
	w.t(", RN   ")
	w.hoDateTime()
	w.t("\nClinical manager: ")
	w.name(mgr.first + " " + mgr.last)
	w.t(", RN, BSN\n")
}

func (w *writer) hoNewborn() {
	mom, dad, ped, cnm, an, sib := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	last := mom.last
	if w.chance(0.25) {
		last = w.pick("Apgar", "Barlow", "Ortolani", "Bell", "Day", "Love", "Hope")
		mom.last = last
	}
	dad.last = last
	if w.chance(0.3) {
		dad.last = w.hoWho().last
	}
	sib.last = last
	sex := w.pick("male", "female")
	baby := w.pick("Summer", "Autumn", "River", "Journey", "Liberty", "Mateo", "Zoë", "Nevaeh", "Grace", "Will", "Hope", w.madeName(2))
	bd := w.hoDay()
	ga := fmt.Sprintf("%dw%dd", w.n(36, 41), w.n(0, 6))
	if w.chance(0.5) {
		w.t("NEWBORN NURSERY ADMISSION H&P\n")
		w.t("Name: ", map[string]string{"male": w.pick("Baby Boy ", "BB "), "female": w.pick("Baby Girl ", "BG ")}[sex])
		if w.chance(0.5) {
			w.name(last)
		} else {
			w.name(strings.ToUpper(last))
		}
		w.t("   Infant MRN: ")
		w.p(phi.MRN, w.hoMRN())
		w.t("\nDOB: ")
		w.p(phi.Date, w.hoDateStr(bd))
		w.t("   Time of birth: ", w.hoTime(), "   Birth hospital: ", w.pick(hoFacilities...), "\n")
		w.t("Mother: ")
		w.hoFull(mom)
		w.t(", ", fmt.Sprint(w.n(17, 44)), " y.o. G", fmt.Sprint(w.n(1, 6)), "P", fmt.Sprintf("%d%d%d%d", w.n(1, 3), w.n(0, 1), w.n(0, 2), w.n(1, 4)), ", MRN ")
		w.p(phi.MRN, w.hoMRN())
		w.t(", cell ")
		w.hoPhone()
		w.t("\nFather: ")
		w.name(dad.first + " " + dad.last)
		w.t(w.pick(", involved, at bedside", ", not involved", " (FOB), present for delivery"), "\n\n")
		w.t("PRENATAL: Blood type ", w.pick("O+", "A+", "B-", "AB+", "O-"), ", antibody neg, GBS ", w.pick("neg", "pos (PCN x3 doses > 4 h PTD)", "unknown"), ", HIV NR, RPR NR, HBsAg neg, rubella immune, HCV neg. ")
		w.t("Care at ", w.pick(hoFacilities...), " clinic since ", ga[:2], " wks; EDD ")
		w.hoDate()
		w.t(" by ", w.pick("LMP c/w 8 wk US", "12 wk US"), ". ", w.pick("GDM A1, diet controlled.", "Uncomplicated.", "cHTN on labetalol 200 mg BID."), "\n")
		w.t("DELIVERY: ", w.pick("NSVD", "Primary LTCS for arrest of descent", "Vacuum-assisted vaginal delivery", "Repeat C/S"), " at ", ga, ". ROM ", fmt.Sprint(w.n(1, 20)), " h, clear. Apgars ", fmt.Sprint(w.n(6, 9)), " and ", fmt.Sprint(w.n(8, 9)), ". Delivered by ")
		w.hoClin(cnm, "CNM", "MD", "DO")
		w.t(".\n")
		w.t(fmt.Sprintf("EXAM: BW %d g (%d%%ile), L %.1f cm, HC %.1f cm. T 36.8, HR 142, RR 48. ", w.n(2400, 4400), w.n(5, 95), 46+w.r.Float64()*6, 32+w.r.Float64()*3))
		w.t("AFOSF. +Red reflex OU. Palate intact. Clavicles intact. Ortolani and Barlow negative. ", map[string]string{"male": "Testes descended bilaterally.", "female": "Normal female genitalia."}[sex], " Sacral dimple absent.\n")
		w.t("PLAN: Hep B #1 given ")
		w.hoShort()
		w.t(" @ ", w.hoTime(), "; vitamin K and erythromycin given. CCHD screen and hearing screen prior to d/c. Newborn screen kit #")
		w.p(phi.ID, fmt.Sprintf("%s-%s-%d", w.digits(4), w.digits(5), w.n(1, 9)))
		w.t(" sent at 24 h. TcB at 24 h ", fmt.Sprintf("%.1f", 3+w.r.Float64()*8), " (low-intermediate risk).\n")
		w.t("Big ", w.pick("brother", "sister"), " ")
		w.name(sib.first)
		w.t(" (", fmt.Sprint(w.n(2, 9)), ") at home with grandma. Parents plan to name ", map[string]string{"male": "him", "female": "her"}[sex], " ")
		w.name(baby)
		w.t(".\nFollow-up with ")
		w.hoClin(ped, "MD", "DO", "NP")
		w.t(" at ", w.pick("Kids First Pediatrics", "the Family Medicine clinic", "Valley Children's"), " on ")
		w.hoWeekdayDate()
		w.t(", 48 h after discharge.\n")
	} else {
		w.t("L&D DELIVERY NOTE\n")
		w.hoFull(mom)
		w.t(" is a ", fmt.Sprint(w.n(17, 44)), " y.o. G", fmt.Sprint(w.n(1, 5)), "P", fmt.Sprint(w.n(0, 4)), " at ", ga, " admitted ")
		w.hoShort()
		w.t(" for ", w.pick("SROM", "IOL for postdates", "active labor", "IOL for gHTN"), ". ")
		w.t("Epidural by ")
		w.hoDr(an)
		w.t(". Pitocin max 12 mU/min. Complete at ", w.hoTime(), ", pushed ", fmt.Sprint(w.n(10, 120)), " min.\n")
		w.t("Delivered a viable ", sex, " infant on ")
		w.p(phi.Date, w.hoDateStr(bd))
		w.t(" at ", w.hoTime(), " at ", w.pick(hoFacilities...), ", ", w.pick("LOA", "ROA", "OA"), ", over a ", w.pick("intact perineum", "2nd degree laceration repaired with 3-0 Vicryl", "1st degree laceration, hemostatic"), ". ")
		w.t("Nuchal cord x1, reduced. Delayed cord clamping 60 s; ")
		if w.chance(0.5) {
			w.t("FOB ")
			w.name(dad.first)
			w.t(" cut the cord. ")
		} else {
			w.t("cord cut by grandmother ")
			w.name(w.hoWho().first)
			w.t(". ")
		}
		w.t("Apgars ", fmt.Sprint(w.n(6, 9)), "/", fmt.Sprint(w.n(8, 9)), fmt.Sprintf(". Weight %d g (%d lb %d oz). ", w.n(2400, 4400), w.n(5, 9), w.n(0, 15)))
		w.t("Placenta delivered spontaneously, intact, 3-vessel cord, sent to pathology. EBL ", fmt.Sprint(w.n(150, 900)), " mL (QBL). Pitocin 30 units in 500 mL postpartum.\n")
		w.t("Cord blood banked, kit SN ")
		w.p(phi.Device, w.hoSerial())
		w.t(". Baby's name: ")
		w.name(baby + " " + w.pick("Grace", "Rose", "James", "Lee", "Marie", "Ray") + " " + last)
		w.t(". Infant to newborn nursery; peds (")
		w.hoDr(ped)
		w.t(") aware. Mom ", w.pick("breastfeeding", "formula feeding", "plans to pump"), "; MBU room 12.\n")
		w.t("Mother's insurance: ", w.pick("Medicaid", "Aetna", "UHC"), " ")
		w.p(phi.HealthPlan, w.hoPlanID())
		w.t(".\n-- ")
		w.hoClin(cnm, "CNM", "MD", "DO")
		w.t("  ")
		w.hoDateTime()
		w.t("\n")
	}
}

func (w *writer) hoPathology() {
	pt, sub, cons, signer, rn := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	sx := w.hoSex()
	a := w.hoAgeN()
	yy := w.n(16, 25)
	if w.chance(0.55) {
		acc := fmt.Sprintf("%s%02d-%05d", w.pick("S", "SP", "SP-", "S"), yy, w.n(1, 39999))
		w.t("SURGICAL PATHOLOGY REPORT\n\nAccession #: ")
		w.p(phi.ID, acc)
		w.t("        Case type: Surgical\nPatient: ")
		w.name(strings.ToUpper(pt.last + ", " + pt.first + " " + pt.middle))
		w.t("    MRN: ")
		w.p(phi.MRN, w.hoMRN())
		w.t("\nDOB: ")
		w.hoDOB()
		w.t("  (Age: ")
		w.hoAgeIs(a, fmt.Sprintf("%dY", a))
		w.t(")   Sex: ", sx.sx, "   Account: ")
		w.p(phi.Account, w.hoAccount())
		w.t("\nCollected: ")
		w.hoDateTime()
		w.t("   Received: ")
		w.hoDateTime()
		w.t("\nSubmitting physician: ")
		w.hoClin(sub, "MD", "DO")
		w.t("   Location: 5 West, bed ", fmt.Sprint(w.n(1, 30)), "\n\n")
		w.t("SPECIMEN(S):\n  A. Right colon, hemicolectomy (container ID ")
		w.p(phi.ID, acc+"-A")
		w.t(")\n  B. ", w.pick("Terminal ileum, donut", "Omental nodule, biopsy", "Additional distal margin"), " (container ID ")
		w.p(phi.ID, acc+"-B")
		w.t(")\n\n")
		w.t("CLINICAL HISTORY: ")
		w.hoAgeSex(a, sx.sx)
		w.t(" with iron deficiency anemia (Hgb ", fmt.Sprintf("%.1f", 6.5+w.r.Float64()*4), ") and cecal mass on colonoscopy ")
		w.hoShort()
		w.t(" (")
		w.hoDr(sub)
		w.t(").\n\n")
		w.t("GROSS DESCRIPTION: A. Received fresh, labeled with the patient's name (\"")
		w.name(strings.ToUpper(pt.last) + ", " + strings.ToUpper(pt.first))
		w.t("\"), medical record number and \"right colon,\" is a ", fmt.Sprintf("%.1f", 18+w.r.Float64()*15), " cm segment of ileocolon. ")
		w.t(fmt.Sprintf("An ulcerated, circumferential mass (%.1f x %.1f x %.1f cm) is %.1f cm from the distal margin. ", 2+w.r.Float64()*4, 2+w.r.Float64()*3, 0.5+w.r.Float64()*1.5, 2+w.r.Float64()*10))
		w.t("Margins inked: proximal blue, distal black, radial orange. Representative sections submitted: A1-A3 mass with deepest invasion; A4 proximal margin; A5-A12 lymph nodes. ")
		w.t("Dictated by ")
		w.name(w.pick(firstNames...) + " " + w.pick(lastNames...))
		w.t(", PA(ASCP).\n\n")
		w.t("FINAL DIAGNOSIS:\n  A. Invasive adenocarcinoma, moderately differentiated (G2), ", fmt.Sprintf("%.1f", 2+w.r.Float64()*4), " cm.\n")
		w.t("     - Invades through muscularis propria into pericolonic fat (pT3).\n")
		w.t(fmt.Sprintf("     - Metastatic carcinoma in %d of %d lymph nodes (pN1b).\n", w.n(2, 3), w.n(12, 31)))
		w.t("     - Margins negative; closest (radial) ", fmt.Sprintf("%.1f", 0.2+w.r.Float64()*2), " cm. LVI present. PNI absent.\n")
		w.t("     - MMR IHC: MLH1, PMS2, MSH2 and MSH6 retained. KRAS c.35G>A (p.G12D) detected.\n")
		w.t("  B. ", w.pick("Benign small bowel, no tumor.", "Fibroadipose tissue, negative for carcinoma.", "Benign colonic mucosa; negative for carcinoma."), "\n\n")
		w.t("COMMENT: Intradepartmental consultation with ")
		w.hoDr(cons)
		w.t(", who agrees. Results discussed with ")
		w.hoDr(sub)
		w.t(" by phone on ")
		w.hoDate()
		w.t(" at ", w.hoTime(), ".\n\n")
		w.t("Electronically signed out by ")
		w.name(signer.first + " " + signer.middle + ". " + signer.last)
		w.t(", MD, on ")
		w.hoDateTime()
		w.t("\n")
	} else {
		acc := fmt.Sprintf("%02d-%03d-%05d", yy, w.n(1, 365), w.n(1, 99999))
		w.t("LABORATORY REPORT - MICROBIOLOGY\n")
		w.t("Accession: ")
		w.p(phi.ID, acc)
		w.t("   Specimen ID: ")
		w.p(phi.ID, "00"+w.digits(8))
		w.t("   Order #: ")
		w.p(phi.ID, w.letters(2)+w.digits(7))
		w.t("\nPatient: ")
		w.hoFull(pt)
		w.t("   DOB: ")
		w.hoDOB()
		w.t("   MRN: ")
		w.p(phi.MRN, w.hoMRN())
		w.t("\nCollected: ")
		d := w.hoDay()
		w.p(phi.Date, fmt.Sprintf("%d%02d%02d", d.y, d.m, d.d))
		w.t(" ", fmt.Sprintf("%02d%02d", w.n(0, 23), w.n(0, 59)), "   Received: ")
		w.p(phi.Date, fmt.Sprintf("%d%02d%02d", d.y, d.m, d.d))
		w.t(" ", fmt.Sprintf("%02d%02d", w.n(0, 23), w.n(0, 59)), "   Source: ", w.pick("Blood, peripheral, L antecubital", "Blood, R IJ CVC", "Urine, clean catch"), "\n")
		w.t("Ordering: ")
		w.hoClin(sub, "MD", "DO", "NP")
		w.t("\n\nTEST: Blood culture, aerobic and anaerobic bottles (2 sets)\n")
		w.t(fmt.Sprintf("PRELIMINARY: Gram positive cocci in clusters in 1 of 2 sets (aerobic bottle) at %.1f h.\n", 8+w.r.Float64()*20))
		w.t("RAPID PCR: S. aureus DNA DETECTED. mecA/C and MREJ NOT detected (MSSA).\n")
		w.t("SUSCEPTIBILITIES (MIC, mcg/mL): Oxacillin 0.5 S; Cefazolin <=2 S; Vancomycin 1 S; Clindamycin <=0.25 S (D-test neg); TMP/SMX <=10 S; Daptomycin 0.5 S.\n\n")
		w.t("CRITICAL VALUE called to and read back by ")
		w.name(rn.first + " " + rn.last)
		w.t(", RN at ", w.hoTime(), " on ")
		w.hoShort()
		w.t(" (caller: ")
		w.name(hoInitial(w.pick(firstNames...)) + hoInitial(w.pick(lastNames...)))
		w.t(").\n")
		w.t("Performed at: Regional Reference Laboratory, ")
		w.hoAddress()
		w.t(". Medical Director: ")
		w.name(signer.first + " " + signer.last)
		w.t(", MD, PhD. Results also available at ")
		w.p(phi.URL, w.hoURL())
		w.t(" (instrument host ")
		w.p(phi.IP, w.hoIP())
		w.t(").\n")
	}
}

func (w *writer) hoPortal() {
	pt, doc, kid, staff := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	kid.last = pt.last
	lo := strings.ToLower
	w.t("MyChart Message\nFrom: ")
	w.name(pt.first + " " + pt.last)
	w.t("\nTo: ")
	w.hoClin(doc, "MD", "DO", "NP")
	w.t(" / ", w.pick("Internal Medicine", "Family Medicine", "Cardiology"), " Pool\nSent: ")
	w.hoDateTime()
	w.t("\nSubject: ", w.pick("question", "RE: appt", "my bp meds", "help!!", "refill"), "\n\n")

	w.t(w.pick("hi dr ", "Hi Dr ", "hello dr. ", "dr "))
	w.name(w.pick(lo(doc.last), doc.last))
	w.t(w.pick(", its ", " its ", ". this is ", ", "))
	switch w.n(0, 2) {
	case 0:
		w.name(lo(pt.called()))
	case 1:
		w.name(lo(pt.called() + " " + hoInitial(pt.last)))
	case 2:
		w.name(lo(pt.first + " " + pt.last))
	}
	w.t(w.pick(" from tusday.", " (the one with the knee).", ".", " again sorry."), " ")
	sents := w.r.Perm(10)
	for _, k := range sents[:w.n(4, 7)] {
		switch k {
		case 0:
			w.t("ive been haveing dizzyness since ", w.pick("saturday", "satruday", "the weekend", "i started the new pill"), " and my bp was ", fmt.Sprintf("%d/%d", w.n(140, 190), w.n(80, 110)), " this am. ")
		case 1:
			w.t(w.pick("can u call me back at ", "my new # is ", "pls call ", "call my cell "))
			w.hoPhone()
			w.t(w.pick(" ", ". ", " after 3. ", " (dont leave a msg on the house phone). "))
		case 2:
			w.t(w.pick("or email me at ", "my email is ", "send it to "))
			w.p(phi.Email, strings.ToLower(w.hoEmail(pt)))
			w.t(w.pick(" ", ". ", " thx. "))
		case 3:
			w.t("my ", w.pick("daughter", "son", "grandaughter"), " ")
			w.name(w.pick(lo(kid.called()), kid.called()))
			w.t(" is gonna pick up the refill ")
			if w.chance(0.5) {
				w.t("on the ")
				d := w.n(1, 28)
				w.p(phi.Date, fmt.Sprintf("%d%s", d, ordinal(d)))
			} else {
				w.p(phi.Date, lo(w.hoDateStr(w.hoDay())))
			}
			w.t(" is that ok. ")
		case 4:
			w.t("im staying at my sons in ")
			c, _ := w.hoCity()
			w.p(phi.Location, w.pick(lo(c), c))
			w.t(" till ")
			switch w.n(0, 2) {
			case 0:
				w.t(w.pick("sunday", "sun", "monday"))
			case 1:
				w.t("next week")
			case 2:
				w.t("the ")
				w.p(phi.Date, "4th of july")
			}
			w.t(" so i cant come in. ")
		case 5:
			w.t("the insurance lady said to give u my member id its ")
			w.p(phi.HealthPlan, w.hoPlanID())
			w.t(". ")
		case 6:
			w.t(w.pick("do u need my ssn? its ", "ssn is ", "my social "))
			w.p(phi.SSN, w.hoSSN())
			w.t(" ")
		case 7:
			w.t("the link u sent (")
			w.p(phi.URL, strings.TrimPrefix(strings.TrimPrefix(w.hoURL(), "https://"), "http://"))
			w.t(") dont work on my phone. ")
		case 8:
			w.t("my appt is ")
			w.hoShort()
			w.t(" @ ", fmt.Sprintf("%d:%s", w.n(1, 12), w.pick("00", "15", "30", "45")), " can i move it. ")
		case 9:
			a := w.n(88, 97)
			w.t("im ")
			w.hoAgeIs(a, fmt.Sprint(a))
			switch w.n(0, 3) {
			case 0:
				w.t(" yrs old")
			case 1:
				w.t(" years young lol")
			case 2:
				w.t(" (")
				w.hoAgeIs(a, hoWords(a))
				w.t("!)")
			}
			w.t(" and i dont like all these computers. ")
		}
	}
	if w.chance(0.3) {
		w.t("ps my address changed its ")
		w.p(phi.Location, lo(w.hoStreet()))
		w.t(" ")
		c, _ := w.hoCity()
		w.p(phi.Location, lo(c))
		w.t(" ")
		w.p(phi.ZIP, w.zip())
		w.t(" now. ")
	}
	if w.chance(0.4) {
		w.t("thx ")
		w.name(lo(pt.called()))
	} else {
		w.t(w.pick("sorry for typos my grandson ", "thanks. my nephew "))
		w.name(lo(w.hoWho().called()))
		w.t(" set this up for me\n- ")
		w.name(pt.called())
	}
	w.t("\n\n---- Reply ----\n")
	w.t("Hi ")
	w.name(pt.called())
	w.t(", ")
	w.hoDr(doc)
	w.t(" reviewed your message. Please keep a log of your blood pressure twice daily and hold the amlodipine 10 mg until we talk. ")
	w.t("If you have chest pain, fainting or weakness on one side, call 911. We called you at ")
	w.hoPhone()
	w.t(" and left a voicemail. ")
	w.t("We can't accept Social Security numbers through the portal. ")
	w.t("-- ")
	w.name(staff.first)
	w.t(w.pick(", RN", ", MA", " RN", ", CMA"), "\n\n")
	w.t("[Message sent from ", w.pick("iOS app", "web", "Android app"), ", IP ")
	w.p(phi.IP, w.hoIP())
	w.t("]\n")
}

func (w *writer) hoSignout() {
	w.t(w.pick("NIGHT FLOAT SIGN-OUT", "Gen Med Team B - Handoff (I-PASS)", "MICU SIGNOUT", "Hospitalist sign-out"), "  ")
	w.hoWeekdayDate()
	w.t("\nNF: ")
	nf := w.hoWho()
	w.name(nf.first + " " + nf.last)
	w.t("  pager ")
	w.hoPhone()
	w.t("   Day team: ")
	w.name(w.hoWho().last)
	w.t("/")
	w.name(w.hoWho().last)
	w.t("\n\n")
	for i, n := 0, w.n(3, 6); i < n; i++ {
		p := w.hoWho()
		sx := w.pick("M", "F")
		a := w.hoAgeN()
		switch w.n(0, 3) {
		case 0:
			w.t(fmt.Sprintf("Bed %d - ", w.n(1, 30)))
		case 1:
			w.t(fmt.Sprintf("Rm %d%s: ", w.n(301, 928), w.pick("A", "B", "")))
		case 2:
			w.t(fmt.Sprintf("%dN-%02d | ", w.n(2, 9), w.n(1, 40)))
		case 3:
			w.t(fmt.Sprintf("#%d ", i+1))
		}
		switch w.n(0, 6) {
		case 0:
			w.name(p.last + ", " + hoInitial(p.first))
			w.t(". ")
		case 1:
			w.name(strings.ToUpper(p.last) + ", " + p.first)
			w.t(" ")
		case 2:
			w.name(p.last)
			w.t(" ")
		case 3:
			w.name(p.first + " " + p.last)
			if p.nick != "" {
				w.t(` "`)
				w.name(p.nick)
				w.t(`"`)
			}
			w.t(" ")
		case 4:
			w.t(w.pick("Mr. ", "Mrs. ", "Ms. "))
			w.name(p.last)
			w.t(" ")
		case 5:
			w.name(strings.ToUpper(p.last))
			w.t(" ")
		case 6:
			w.name(hoInitial(p.first) + hoInitial(p.last))
			w.t(" ")
		}
		if w.chance(0.5) {
			w.hoAgeSex(a, sx)
		} else {
			w.t("(")
			w.hoAgeIs(a, w.pick(fmt.Sprintf("%d y/o", a), fmt.Sprintf("%dyo", a), fmt.Sprintf("%d%s", a, sx)))
			w.t(")")
		}
		if w.chance(0.3) {
			w.t(" MRN ...")
			w.p(phi.MRN, w.digits(4))
		}
		w.t(" ", w.pick(" - ", "  ", " | "))
		w.t(w.pick(
			"CHF exac, diuresing (Lasix 80 IV BID), Cr 1.8 from 1.3. FULL CODE.",
			"CAP on CTX/azithro, O2 3L, CURB-65 3. DNR/DNI.",
			"Parkinson dz, aspiration PNA; SLP eval, NPO except meds. Full code.",
			"ETOH w/d, CIWA 14 at 2000, on phenobarb protocol. Full.",
			"NSTEMI, trop peak 4.2, heparin gtt, cath in AM. CHA2DS2-VASc 5.",
			"GIB, Hgb 6.8 -> 7.9 after 1u, GI scoped today (Forrest IIb). 2 large bore IVs.",
			"cellulitis RLE, Murphy neg, RUQ US neg. Vanc trough 14.",
			"DKA resolved, AG closed, on Lantus 20 + SSI. A1c 11.2.",
		))
		w.t(" ")
		switch w.n(0, 5) {
		case 0:
			w.t("[ ] f/u BMP at 0400, replete K>4/Mg>2. ")
		case 1:
			w.t("Admitted ")
			w.hoShort()
			w.t(" from ", w.pick(hoFacilities...), ". ")
		case 2:
			w.t(w.pick("Dtr", "Son", "Wife", "Husband", "HCP"), " ")
			w.name(w.hoWho().called())
			w.t(" ")
			w.hoPhone()
			w.t(" wants call if any change. ")
		case 3:
			w.t("Dispo: SNF in ")
			w.hoPlace()
			w.t(" once auth (", w.pick("Humana", "Medicare Adv", "UHC"), " ID ")
			w.p(phi.HealthPlan, w.hoPlanID())
			w.t("). ")
		case 4:
			w.t("If SBP<90 -> hold Coreg, 500 mL bolus, call me. ")
		case 5:
			w.t("PEG placed ")
			w.hoShort()
			w.t(", start TF tomorrow. PCP ")
			w.hoDr(w.hoWho())
			w.t(" aware. ")
		}
		w.t(w.pick("Stable.", "Watcher.", "Unstable - see above.", "Sick."), "\n")
	}
	w.t("\nCross-cover: call RRT for MEWS >= 5. Code pager 4-4444.\n")
}

func (w *writer) hoDeathTransfer() {
	pt, rn, att, rel, rel2, me, acc := w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho(), w.hoWho()
	sx := w.hoSex()
	if w.chance(0.5) {
		rel.last = pt.last
	}
	rel2.last = pt.last
	a := w.hoAgeN()
	if w.chance(0.5) {
		w.t(w.pick("DEATH NOTE", "PRONOUNCEMENT OF DEATH", "Expiration Summary"), "\nPatient: ")
		w.hoFull(pt)
		w.t("   MRN ")
		w.p(phi.MRN, w.hoMRN())
		w.t("   Acct ")
		w.p(phi.Account, w.hoAccount())
		w.t("\n\nCalled to bedside at ", w.hoTime(), " by RN ")
		w.name(rn.first + " " + rn.last)
		w.t(" for patient found unresponsive. ")
		w.t(w.pick("Pt", sx.hon), " ")
		if w.chance(0.5) {
			w.name(pt.last)
			w.t(" ")
		}
		w.t("is a ")
		w.hoAge(a)
		w.t(" with ", w.pick("metastatic pancreatic cancer", "end-stage HFrEF (EF 15%)", "advanced dementia and aspiration pneumonia", "ESRD who elected to stop dialysis"), ", DNR/DNI, on comfort measures since ")
		w.hoDate()
		w.t(". On exam: no response to verbal or tactile stimuli; no spontaneous respirations over 60 seconds; no heart sounds or carotid pulse for 60 seconds; pupils fixed and dilated.\n")
		w.t("Time of death: ", w.hoTime(), " on ")
		w.hoWeekdayDate()
		w.t(".\n\n")
		w.t("Family: ", sx.pos, " ", w.pick("wife", "husband", "daughter", "son", "partner"), " ")
		w.name(rel.first + " " + rel.last)
		w.t(" was at the bedside. ", hoCap(w.pick("son", "daughter", "brother", "sister")), " ")
		w.name(rel2.called())
		w.t(" notified by phone at ")
		w.hoPhone()
		w.t("; driving in from ")
		w.hoPlace()
		w.t(". Family declined autopsy. Chaplain ")
		w.name(w.hoWho().first)
		w.t(" at bedside.\n")
		w.t("Attending ")
		w.hoDr(att)
		w.t(" notified. Case reviewed with the ")
		w.hoCounty()
		w.t(" Medical Examiner (investigator ")
		w.name(me.first + " " + me.last)
		w.t("); jurisdiction declined, ME ref #")
		w.p(phi.ID, fmt.Sprintf("%02d-%04d", w.n(16, 25), w.n(1, 9999)))
		w.t(". OPO notified at ", w.hoTime(), ", referral #")
		w.p(phi.ID, w.digits(4)+"-"+w.digits(3))
		w.t("; not a candidate (age/sepsis), eyes/tissue ", w.pick("declined", "accepted"), ".\n")
		w.t("Funeral home: ", w.pick("Anderson-Whitfield Funeral Home", "Good Shepherd Mortuary", "Olson Family Chapel"), ", ")
		w.hoPhone()
		w.t(".\nFor the death certificate, ", w.pick("spouse", "daughter", "son"), " confirmed: birthplace ")
		w.hoPlace()
		w.t("; SSN ")
		w.p(phi.SSN, w.hoSSN())
		w.t("; father's name ")
		w.name(w.hoWho().first + " " + pt.last)
		w.t("; mother's maiden name ")
		w.name(w.hoWho().last)
		w.t("; last address ")
		w.hoAddress()
		w.t(". Immediate cause: ", w.pick("cardiopulmonary arrest due to", "respiratory failure due to"), " underlying disease above.\n\n")
		w.hoClin(w.hoWho(), "MD", "DO")
		w.t(", PGY-2, ", w.hoTime(), "\n")
	} else {
		w.t("INTERFACILITY TRANSFER SUMMARY\n")
		w.t("Patient: ")
		w.hoFull(pt)
		w.t("   DOB ")
		w.hoDOB()
		w.t("   MRN ")
		w.p(phi.MRN, w.hoMRN())
		if w.chance(0.5) {
			w.t("   ")
			w.hoSSNLast4()
		}
		w.t("\nTransfer: ")
		w.hoDateTime()
		w.t("   From: ", w.pick(hoFacilities...), " ED   To: ", w.pick("University Hospital", "Presbyterian", "Providence Regional"), " ", w.pick("MICU", "Neuro ICU", "Trauma Bay", "CVICU"), ", bed ", fmt.Sprint(w.n(1, 24)), w.pick("A", "B", ""), "\n")
		w.t("Accepting: ")
		w.hoClin(acc, "MD", "DO")
		w.t("; accepted at ", w.hoTime(), " via transfer center (ref ")
		w.p(phi.ID, "TC"+w.digits(6))
		w.t(")\n")
		if w.chance(0.5) {
			w.t("Mode: rotor wing, aircraft ")
			w.p(phi.Vehicle, w.hoTail())
			w.t(", flight crew RN ")
			w.name(rn.first + " " + rn.last)
		} else {
			w.t("Mode: ALS ground, Medic ", fmt.Sprint(w.n(1, 40)), ", crew ")
			w.name(rn.first + " " + rn.last)
			w.t(", EMT-P")
		}
		w.t("\n\nREASON: ")
		w.hoAge(a)
		w.t(" ", sx.noun, " ", w.pick("restrained driver in a single-vehicle rollover", "with SAH (Hunt-Hess 3, Fisher 4)", "with STEMI, cath lab unavailable here", "with necrotizing fasciitis of the L thigh"), " requiring higher level of care.\n")
		w.t("COURSE: ")
		if w.chance(0.6) {
			w.t("MVC on ")
			w.p(phi.Location, w.hoRoad())
			w.t(" near ")
			w.hoPlace()
			w.t(" at ~", w.hoTime(), "; vehicle a ", fmt.Sprint(w.n(2004, 2023)), " ", w.pick("Ford F-150", "Honda Civic", "Subaru Outback", "Chevy Silverado"), ", VIN ")
			w.p(phi.Vehicle, w.hoVIN())
			w.t(", plate ")
			w.p(phi.Vehicle, w.hoPlate())
			w.t(" per State Patrol. ")
		}
		w.t("GCS ", fmt.Sprint(w.n(6, 15)), " on arrival. Intubated at ", w.hoTime(), " (7.5 ETT, 23 cm at lip). ")
		w.t("R IJ TLC placed ")
		w.hoShort()
		w.t(" @ ", w.hoTime(), "; 18g L AC. Levophed 0.08 mcg/kg/min, propofol 30 mcg/kg/min. ")
		w.vitals()
		w.t(" ")
		w.labs()
		w.t(" CT head/C-spine/CAP done; images pushed to receiving PACS (")
		w.p(phi.IP, w.hoIP())
		w.t(").\n")
		w.t("BELONGINGS: wallet with driver's license (", w.pick("WA", "OR", "TX", "MN"), " DL ")
		w.p(phi.License, w.hoStateLicense())
		w.t("), phone, wedding ring - sent with patient. Insurance card: ", w.pick("Premera", "Regence", "BCBS", "Medicare"), " ")
		w.p(phi.HealthPlan, w.hoPlanID())
		w.t(".\n")
		w.t("FAMILY: ", hoCap(sx.pos), " ", w.pick("wife", "husband", "mother", "father"), " ")
		w.name(rel.first + " " + rel.last)
		w.t(" is en route from ")
		w.hoPlace()
		w.t(", cell ")
		w.hoPhone()
		w.t(". EMTALA transfer form and CD of imaging sent. Report called to ")
		w.name(w.hoWho().first)
		w.t(", RN, at ", w.hoTime(), ".\n\n")
		w.t("Transferring physician: ")
		w.hoClin(att, "MD", "DO")
		w.t("  ")
		w.hoDateTime()
		w.t("\n")
	}
}
