package synth

// Tune styles: a fourth set of notes, by a fourth author who read neither the
// detector nor the other styles' phrasings, written to TUNE the detector on (the
// fresh styles stay the measure nobody tunes on). They are the notes in which
// de-identifiers miss names: a nursing handoff board of surnames and rooms, the
// attendance list and minutes of a team meeting (comma lists, first names alone,
// "Dr Li and Priya from pharmacy"), a lower-case patient-portal thread with
// nicknames and family, a social work assessment full of relatives, neighbours,
// landlords and employers, an EMS handover with crews and callsigns, a well-child
// visit (parents, siblings, daycare and teachers), an obstetric note (partner,
// doula, midwife, "Baby Boy Nguyen"), a pharmacist's medication reconciliation with
// prescribers in lists and slashes, a psychiatry note with names inside quotes and
// reported speech, and a hospice death visit or bereavement call. Their helpers and
// word lists carry the prefix tu.
//
// Names come from many traditions (Hispanic double surnames and particles, West
// African, South Asian, East Asian, Slavic, Arabic with al-/Abu, Irish O'/Mc/Ní,
// Vietnamese short surnames such as Le and Do, Dutch van der, Haitian, Filipino,
// Diné, Hawaiian), from words that are names (Hope, Will, Chase, Friday, Bishop)
// and from syllables in no list; they are written as "Last, First", "LAST, First",
// "F. Last", "Last F", "First L", a first name or surname alone, nicknames, lower
// case, at the start of a line, in lists, after commas and inside quotes.
//
// Conventions, so that a span means one thing:
//   - A NAME span is the name and nothing more. Titles and words before it (Dr, Mr.,
//     Ms., Mx., Capt., Officer, Pastor, Rev., Imam, "Baby Boy"), credentials after it
//     (RN, MD, CNM, PharmD, LCSW), a possessive 's, quotation marks and the period
//     after a closing initial ("Kasia W.") are outside it. "Last, First" is one span.
//   - Names of organisations are never marked, even when they hold a surname
//     ("Kowalski Family Pharmacy", "O'Donoghue & Sons Funeral Home", "Delgado
//     Landscaping", "St. Brendan's"): fresh.go and heldout.go leave facility names
//     alone, and such a name is a business, not a person in the note. The same
//     surname standing for a person ("cleans for the Delgado family", "Mr. Haddad,
//     the landlord") is marked. Pets, cartoon characters, deities and the names in
//     songs, prayers, scales, signs and devices (Glasgow Coma Scale, Foley catheter,
//     Apgar, McRoberts, Cheyne-Stokes, "Amazing Grace", "Hail Mary", Mrs. Dash,
//     Dr. Scholl's, St. John's wort) are not people in the note and are not marked.
//   - A DATE is marked when it has a month and a day, with or without a year; a year
//     alone, a weekday or a clock time is not. An AGE over 89 is marked with its
//     unit ("93F", "ninety-two-year-old"); younger ages are not.
//   - Streets (with a unit number), cross streets and cities are LOCATION, ZIP codes
//     ZIP; states, room and bed numbers, unit callsigns (Medic 14, Engine 7) and
//     highway mile markers are not marked.
//   - NPI and EMS certification numbers are LICENSE; incident, Rx, badge, case and
//     interpreter numbers are ID; Medicaid numbers HEALTH_PLAN; plates VEHICLE.
//
// Everything is made up: telephone and fax numbers are in 555-0100..0199, e-mail
// domains are example.com/.net/.org.

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/vellumhealth/vellum/phi"
)

// TuneStyles are the tuning styles, by name; CorpusOf(seed, n, TuneStyles) writes
// them.
var TuneStyles []string

func init() {
	for _, s := range []struct {
		name string
		f    func(*tuNote)
	}{
		{"tune-handoff", (*tuNote).handoff},
		{"tune-mdt", (*tuNote).mdt},
		{"tune-portal", (*tuNote).portal},
		{"tune-socialwork", (*tuNote).socialWork},
		{"tune-ems", (*tuNote).ems},
		{"tune-wellchild", (*tuNote).wellChild},
		{"tune-obstetric", (*tuNote).obstetric},
		{"tune-medrec", (*tuNote).medRec},
		{"tune-psych", (*tuNote).psych},
		{"tune-hospice", (*tuNote).hospice},
	} {
		f := s.f
		heldOut[s.name] = func(w *writer) { f(tuNew(w)) }
		TuneStyles = append(TuneStyles, s.name)
	}
}

// ---- words ----

// tuOrigin is a naming tradition: women's and men's given names and surnames.
type tuOrigin struct{ fem, masc, last []string }

var tuOrigins = []tuOrigin{
	{ // Hispanic: double surnames and particles
		fem:  []string{"Marisol", "Yesenia", "Guadalupe", "Xóchitl", "Araceli", "Luz", "Dulce María", "Maricela", "Dolores", "Itzel", "Rocío"},
		masc: []string{"Jesús", "Rigoberto", "Joaquín", "Efraín", "Francisco", "Ulises", "Heriberto", "Roberto", "Ignacio", "José Luis"},
		last: []string{"Villalobos", "de la Cruz", "Zamora Ibarra", "Quintanilla", "Ochoa", "Barrientos", "del Toro", "Arellano Díaz", "Cisneros", "Montes de Oca", "Peña-Ruiz", "Santiago"},
	},
	{ // West African
		fem:  []string{"Adaeze", "Folasade", "Abena", "Chiamaka", "Yewande", "Efua", "Nneka", "Oluwaseun", "Blessing", "Comfort"},
		masc: []string{"Olumide", "Kwabena", "Chukwuemeka", "Babatunde", "Kofi", "Yaw", "Chidi", "Ikechukwu", "Kwame", "Oluwaseyi"},
		last: []string{"Okonkwo", "Adeyemi", "Mensah", "Boateng", "Nwosu", "Asante", "Eze", "Ogunleye", "Acheampong", "Danso", "Onyekachi", "Adebayo-Cole"},
	},
	{ // South Asian
		fem:  []string{"Priya", "Lakshmi", "Anjali", "Farzana", "Sunita", "Harpreet", "Meenakshi", "Nusrat", "Kavya"},
		masc: []string{"Arjun", "Venkatesh", "Imran", "Sandeep", "Rajesh", "Gurpreet", "Sanjay", "Tanvir", "Aditya"},
		last: []string{"Raghunathan", "Chaudhry", "Venkataraman", "Bhattacharya", "Sandhu", "Iyer", "Menon", "Siddiqui", "Desai", "Kulkarni", "Rahman", "Gill"},
	},
	{ // East Asian
		fem:  []string{"Mei-Ling", "Yuki", "Ji-woo", "Hana", "Xiaoyan", "Min-jung", "Aiko", "Shu Fen"},
		masc: []string{"Haruto", "Wei", "Jun-ho", "Zhiwei", "Kenji", "Dong-hyun", "Takeshi", "Hao"},
		last: []string{"Li", "Zhang", "Takahashi", "Park", "Choi", "Watanabe", "Lin", "Huang", "Yamamoto", "Kwon", "Ma", "Ng"},
	},
	{ // Slavic
		fem:  []string{"Agnieszka", "Katarzyna", "Oksana", "Svetlana", "Milena", "Zofia", "Ludmila", "Yekaterina", "Dorota"},
		masc: []string{"Tomasz", "Bogdan", "Miroslav", "Dariusz", "Yaroslav", "Piotr", "Vasyl", "Aleksandr", "Zbigniew"},
		last: []string{"Kowalczyk", "Wiśniewski", "Shevchenko", "Novák", "Petrović", "Zielińska", "Dąbrowski", "Horvat", "Kravchenko", "Sokolova", "Grzybowski", "Babić"},
	},
	{ // Arabic
		fem:  []string{"Fatima", "Layla", "Noor", "Amira", "Yasmin", "Rania", "Huda", "Mariam"},
		masc: []string{"Omar", "Khalid", "Tariq", "Youssef", "Karim", "Bilal", "Samir", "Mohammed", "Abdulrahman"},
		last: []string{"Al-Masri", "Haddad", "Abdel-Rahman", "Nasser", "El-Sayed", "Khoury", "Saleh", "Mansour", "Darwish", "al-Farsi", "Abu Zaid"},
	},
	{ // Irish
		fem:  []string{"Siobhan", "Aoife", "Niamh", "Brigid", "Caoimhe", "Maeve", "Róisín", "Margaret", "Gráinne"},
		masc: []string{"Declan", "Cormac", "Eoin", "Padraig", "Ciarán", "Fergal", "Seamus", "Dermot"},
		last: []string{"O'Sullivan", "McGrath", "Fitzgerald", "O'Donoghue", "MacNamara", "Dunleavy", "Kilbride", "Mc Cormack", "Ní Bhriain", "O'Shaughnessy"},
	},
	{ // Vietnamese
		fem:  []string{"Thảo", "Linh", "Huong", "Ngoc Anh", "Thuy", "Mai", "Phuong"},
		masc: []string{"Minh", "Tuan", "Quang", "Duc", "Hieu", "Bao", "Thanh"},
		last: []string{"Nguyen", "Tran", "Pham", "Le", "Vo", "Huynh", "Dang", "Bui", "Do", "Ngo", "Truong"},
	},
	{ // names that are words, surnames shared with eponyms
		fem:  []string{"Hope", "Faith", "Joy", "Summer", "Ivy", "Dawn", "Holly", "Brooke", "Destiny", "Ginger", "Patience", "Elizabeth", "Patricia"},
		masc: []string{"Will", "Bill", "Mark", "Chase", "Grant", "Hunter", "Rusty", "Sonny", "Duke", "Cliff", "William", "Robert"},
		last: []string{"Banks", "Fields", "Rich", "Bishop", "Young", "Church", "Sweet", "Friday", "Parrish", "Love", "Strong", "Moody", "Foley", "Graves", "Bell", "Addison", "Baker"},
	},
	{ // Dutch, Haitian, Filipino, Diné, Hawaiian, Hebrew, German
		fem:  []string{"Marieke", "Nadège", "Rowena", "Shandiin", "Leilani", "Tova", "Friederike", "Wilhelmina"},
		masc: []string{"Joost", "Jean-Baptiste", "Rodel", "Darrell", "Kekoa", "Avraham", "Jürgen", "Pieter"},
		last: []string{"van der Meer", "de Vries", "Pierre-Louis", "dela Cruz", "Magbanua", "Yellowhorse", "Tsosie", "Kealoha", "Ben-Ami", "Schäfer", "van Wyk", "Saint-Fleur"},
	},
}

// tuNicks are the names people go by.
var tuNicks = map[string]string{
	"Jesús": "Chuy", "Francisco": "Pancho", "Guadalupe": "Lupe", "Roberto": "Beto", "Ignacio": "Nacho", "Dolores": "Lola",
	"Katarzyna": "Kasia", "Tomasz": "Tomek", "Aleksandr": "Sasha", "Yekaterina": "Katya", "Ludmila": "Luda",
	"Babatunde": "Tunde", "Chukwuemeka": "Emeka", "Oluwaseun": "Seun", "Ikechukwu": "Ike",
	"Rajesh": "Raju", "Venkatesh": "Venky", "Margaret": "Peggy", "Padraig": "Paddy", "Elizabeth": "Betsy",
	"William": "Billy", "Robert": "Bobby", "Patricia": "Trish", "Mohammed": "Mo", "Abdulrahman": "Abdul",
	"Xiaoyan": "Yan", "Wilhelmina": "Willa", "Avraham": "Avi", "Ngoc Anh": "Anh", "Dulce María": "Dulce",
}

var tuSyl = []string{"ze", "ka", "mo", "ri", "thu", "van", "dro", "lei", "sa", "ni", "ob", "ue", "ta", "lu", "ren", "ko", "fi", "da", "mar", "yo", "be", "chi", "ola", "ven", "qui", "sto", "nae", "gul"}

var tuStreets = []string{"Calle Rosario", "Okemos Ridge", "Tamarack", "Quarry Hill", "Bellweather", "Juniper Hollow", "Kingsbury", "Dunmore", "Lotus Pond",
	"Saguaro Vista", "Harbor View", "Mill Pond", "Birchwood", "Cottonwood Bend", "Pulaski", "Delancey", "Magnolia", "W 5th", "N Kedzie", "Old Farm", "Sycamore Knoll"}

var tuSuffix = []string{"St", "Street", "Ave", "Avenue", "Rd", "Road", "Ln", "Dr", "Ct", "Way", "Blvd", "Pl", "Terrace", "Cir"}

var tuCities = []string{"Port Aldrich|ME", "Riverton|WY", "Cedar Bluff|AL", "Millbrook|NY", "Dos Palos|CA", "Harlan Springs|KY", "New Bremen|OH",
	"Ravenna|NE", "Las Animas|CO", "Española|NM", "Bayou Vista|LA", "Hope Mills|NC", "Independence|MO", "Liberty|TX", "Paradise|CA",
	"Marion|IN", "Florence|SC", "Eugene|OR", "Beatrice|NE", "Dearborn|MI", "Hamtramck|MI", "Chinle|AZ", "Kapaʻa|HI", "Tacoma|WA", "Lowell|MA"}

var tuFacilities = []string{"Riverside Regional", "St. Brendan's Hospital", "Mercy West", "Lakeshore General", "Good Shepherd Rehab", "Sunrise Manor SNF",
	"Maple Grove Rehab", "Valley Children's", "Hillcrest Behavioral Health", "Cedar Ridge Medical Center", "the VA", "University Hospital"}

var tuBirthPlaces = []string{"Mercy West", "Lakeshore General", "St. Brendan's Hospital", "University Hospital", "Riverside Regional", "home (planned)"}

var tuHospiceHomes = []string{"Sunrise Manor SNF", "Good Shepherd Hospice House", "Mercy West", "St. Brendan's Hospital", "Cedar Ridge Medical Center"}

var tuEmployers = []string{"Delgado Landscaping", "Kim's Dry Cleaning", "Tri-County Foods", "Okafor & Sons Trucking", "Haddad Auto Body", "Sunrise Senior Living",
	"the Walmart distribution center", "the school district", "McAllister Roofing", "Golden Dragon restaurant", "a home health agency", "the county jail kitchen"}

var tuPharmacies = []string{"Kowalski Family Pharmacy", "Okafor Apothecary", "Nguyen's Pharmacy", "Delgado Discount Drugs", "Ben-Ami Pharmacy & Compounding",
	"Patel Chemists", "Haddad Drug Co", "MacNamara's Pharmacy", "Walgreens #4471", "CVS/pharmacy #10233", "Costco Pharmacy", "the VA mail-order pharmacy"}

var tuFuneralHomes = []string{"O'Donoghue & Sons Funeral Home", "Villalobos Family Mortuary", "Okafor-Grant Memorial Chapel", "Tran Funeral Services",
	"Whitcomb-Barrera Funeral Home", "Lakeview Cremation Society", "Al-Noor Islamic Funeral Services", "Chevra Kadisha of Riverton", "Yellowhorse Family Funeral Home"}

var tuMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

var tuOnes = []string{"", "-one", "-two", "-three", "-four", "-five", "-six", "-seven", "-eight", "-nine"}

// ---- the note writer ----

// tuPer is a person: o is the naming tradition, kept for relatives.
type tuPer struct {
	first, mid, last, nick string
	fem                    bool
	o                      int
}

// tuNote writes one tuning note through a writer.
type tuNote struct {
	w  *writer
	yr int
}

func tuNew(w *writer) *tuNote { return &tuNote{w: w, yr: w.n(2019, 2026)} }

func (n *tuNote) t(s ...string)             { n.w.t(s...) }
func (n *tuNote) f(format string, a ...any) { n.w.t(fmt.Sprintf(format, a...)) }
func (n *tuNote) mark(typ phi.Type, s string) {
	n.w.p(typ, s)
}
func (n *tuNote) pick(s ...string) string { return n.w.pick(s...) }
func (n *tuNote) ch(p float64) bool       { return n.w.chance(p) }
func (n *tuNote) in(lo, hi int) int       { return n.w.n(lo, hi) }
func (n *tuNote) form(f ...int) int       { return f[n.w.r.IntN(len(f))] }

// oneOf runs one of fs.
func (n *tuNote) oneOf(fs ...func()) { fs[n.w.r.IntN(len(fs))]() }

// someOf runs k of fs in a random order, sep between them.
func (n *tuNote) someOf(k int, sep string, fs ...func()) {
	k = min(k, len(fs))
	for i, j := range n.w.r.Perm(len(fs))[:k] {
		if i > 0 {
			n.t(sep)
		}
		fs[j]()
	}
}

// dig is k digits, leading zeros allowed.
func (n *tuNote) dig(k int) string {
	b := make([]byte, k)
	for i := range b {
		b[i] = byte('0' + n.w.r.IntN(10))
	}
	return string(b)
}

func (n *tuNote) made(syl int) string {
	var b strings.Builder
	for range syl {
		b.WriteString(n.pick(tuSyl...))
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

func (n *tuNote) clock() string {
	h, m := n.in(0, 23), n.in(0, 59)
	switch n.in(0, 3) {
	case 0:
		return fmt.Sprintf("%02d%02d", h, m)
	case 1:
		return fmt.Sprintf("%02d:%02d", h, m)
	case 2:
		ap := "am"
		if h >= 12 {
			ap = "pm"
		}
		return fmt.Sprintf("%d:%02d %s", (h+11)%12+1, m, ap)
	}
	return fmt.Sprintf("%02d%02d hrs", h, m)
}

func (n *tuNote) wday() string {
	return n.pick("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tues", "Wed", "Thu", "Fri", "Sat")
}

// ---- people ----

func (n *tuNote) origin() int { return n.w.r.IntN(len(tuOrigins)) }

// per is anyone: a patient, a clinician, a stranger to the others.
func (n *tuNote) per() tuPer { return n.perOf(n.origin(), n.ch(0.5)) }

func (n *tuNote) perOf(o int, fem bool) tuPer {
	og := tuOrigins[o]
	p := tuPer{fem: fem, o: o}
	switch {
	case n.ch(0.18):
		p.first = n.made(n.in(2, 3))
	case fem:
		p.first = n.pick(og.fem...)
	default:
		p.first = n.pick(og.masc...)
	}
	if n.ch(0.2) {
		p.last = n.made(n.in(2, 3))
	} else {
		p.last = n.pick(og.last...)
	}
	if n.ch(0.08) {
		p.last += "-" + n.pick(tuOrigins[n.origin()].last...)
	}
	p.mid = string(rune('A' + n.w.r.IntN(26)))
	p.nick = tuNicks[p.first]
	return p
}

// kin is a relative of p: the same tradition and, mostly, the same surname.
func (n *tuNote) kin(p tuPer, fem bool) tuPer {
	q := n.perOf(p.o, fem)
	if n.ch(0.75) {
		q.last = p.last
	}
	return q
}

func tuInitial(s string) string {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return string(unicode.ToUpper(r))
		}
	}
	return "X"
}

// The shapes a name is written in.
const (
	tuFull          = iota // First Last
	tuFullMid              // First M. Last
	tuLastFirst            // Last, First
	tuLastFirstMid         // Last, First M
	tuCapsLastFirst        // LAST, First
	tuCapsFull             // FIRST LAST
	tuCapsLast             // LAST
	tuInitLast             // F. Last
	tuLastInit             // Last F
	tuFirstInit            // First L
	tuFirst                // First
	tuLast                 // Last
	tuNick                 // what they go by
	tuLowerFirst           // first
	tuLowerLast            // last
	tuLowerFull            // first last
	tuLowerNick            // nick
)

// nameAs writes p's name in form, the whole of it one NAME span.
func (n *tuNote) nameAs(p tuPer, form int) {
	lo := strings.ToLower
	nick := p.nick
	if nick == "" {
		nick = p.first
	}
	var s string
	switch form {
	case tuFull:
		s = p.first + " " + p.last
	case tuFullMid:
		s = p.first + " " + p.mid + ". " + p.last
	case tuLastFirst:
		s = p.last + ", " + p.first
	case tuLastFirstMid:
		s = p.last + ", " + p.first + " " + p.mid
	case tuCapsLastFirst:
		s = strings.ToUpper(p.last) + ", " + p.first
	case tuCapsFull:
		s = strings.ToUpper(p.first + " " + p.last)
	case tuCapsLast:
		s = strings.ToUpper(p.last)
	case tuInitLast:
		s = tuInitial(p.first) + ". " + p.last
	case tuLastInit:
		s = p.last + " " + tuInitial(p.first)
	case tuFirstInit:
		s = p.first + " " + tuInitial(p.last)
	case tuFirst:
		s = p.first
	case tuLast:
		s = p.last
	case tuNick:
		s = nick
	case tuLowerFirst:
		s = lo(p.first)
	case tuLowerLast:
		s = lo(p.last)
	case tuLowerFull:
		s = lo(p.first + " " + p.last)
	case tuLowerNick:
		s = lo(nick)
	}
	n.mark(phi.Name, s)
}

// nm writes a whole name in one of its shapes.
func (n *tuNote) nm(p tuPer) {
	n.nameAs(p, n.form(tuFull, tuFull, tuFull, tuFullMid, tuLastFirst, tuLastFirstMid, tuCapsLastFirst, tuCapsFull, tuInitLast, tuLastInit))
}

// casual writes a name as colleagues and family say it: often the first name alone.
func (n *tuNote) casual(p tuPer) {
	n.nameAs(p, n.form(tuFirst, tuFirst, tuFirst, tuNick, tuFull, tuFirstInit))
}

func (n *tuNote) title(p tuPer) string {
	if n.ch(0.08) {
		return n.pick("Mx. ", "Mx ")
	}
	if p.fem {
		return n.pick("Ms. ", "Mrs. ", "Ms ", "Mrs ")
	}
	return n.pick("Mr. ", "Mr ")
}

// dr writes a physician with a title or credentials, neither in the span.
func (n *tuNote) dr(p tuPer) {
	switch n.in(0, 8) {
	case 0, 1:
		n.t(n.pick("Dr. ", "Dr "))
		n.nameAs(p, tuLast)
	case 2:
		n.t("Dr. ")
		n.nameAs(p, tuFull)
	case 3:
		n.t("Dr ")
		n.nameAs(p, tuInitLast)
	case 4:
		n.nameAs(p, tuFull)
		n.t(", ", n.pick("MD", "DO", "MD PhD", "MBBS"))
	case 5:
		n.nameAs(p, tuLastFirst)
		n.t(" ", n.pick("MD", "DO"))
	case 6:
		n.nameAs(p, tuInitLast)
		n.t(" MD")
	case 7:
		n.t("dr ")
		n.nameAs(p, tuLowerLast)
	case 8:
		n.t("Dr. ")
		n.nameAs(p, tuFullMid)
	}
}

// drLast writes "Dr Last", the way a colleague refers back to a physician.
func (n *tuNote) drLast(p tuPer) {
	n.t(n.pick("Dr ", "Dr. "))
	n.nameAs(p, tuLast)
}

// staff writes someone with credentials after the name.
func (n *tuNote) staff(p tuPer, creds ...string) {
	c := creds[n.w.r.IntN(len(creds))]
	switch n.in(0, 5) {
	case 0, 1:
		n.nameAs(p, tuFull)
		n.t(", ", c)
	case 2:
		n.nameAs(p, tuFirstInit)
		n.t(" ", c)
	case 3:
		n.nameAs(p, tuFirst)
		n.t(", ", c)
	case 4:
		n.nameAs(p, tuInitLast)
		n.t(", ", c)
	case 5:
		n.nameAs(p, tuFullMid)
		n.t(" ", c)
	}
}

func (n *tuNote) relWord(fem bool) string {
	if fem {
		return n.pick("daughter", "wife", "sister", "niece", "granddaughter", "mother", "daughter-in-law", "partner", "aunt")
	}
	return n.pick("son", "husband", "brother", "nephew", "grandson", "father", "son-in-law", "partner", "uncle")
}

func tuHe(fem bool) string {
	if fem {
		return "she"
	}
	return "he"
}

func tuHim(fem bool) string {
	if fem {
		return "her"
	}
	return "him"
}

func tuHis(fem bool) string {
	if fem {
		return "her"
	}
	return "his"
}

func tuCap(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// tuA is the article before an age written in digits.
func tuA(a int) string {
	if a == 8 || a == 11 || a == 18 || (a >= 80 && a <= 89) {
		return "an "
	}
	return "a "
}

// childWord is what a patient's grown child is called.
func (n *tuNote) childWord(fem bool) string {
	if fem {
		return n.pick("daughter", "daughter", "stepdaughter")
	}
	return n.pick("son", "son", "stepson")
}

// partnerWord is what a partner is called.
func (n *tuNote) partnerWord(fem bool) string {
	if fem {
		return n.pick("wife", "partner", "girlfriend")
	}
	return n.pick("husband", "partner", "boyfriend")
}

// ---- ages, dates, numbers, places ----

// ageOf is a patient's age from lo to hi; with chance p it is over 89.
func (n *tuNote) ageOf(lo, hi int, p float64) int {
	if hi >= 90 && n.ch(p) {
		return n.in(90, hi)
	}
	return n.in(lo, min(hi, 89))
}

// age writes an age; over 89 it is an identifier, unit and all.
func (n *tuNote) age(a int, fem, short bool) {
	sx := "M"
	if fem {
		sx = "F"
	}
	var s string
	if short {
		s = []string{fmt.Sprintf("%d%s", a, sx), fmt.Sprintf("%d %s", a, sx), fmt.Sprintf("%d%s", a, strings.ToLower(sx)), fmt.Sprintf("%dyo %s", a, sx)}[n.in(0, 3)]
	} else {
		s = []string{fmt.Sprintf("%d-year-old", a), fmt.Sprintf("%d yo", a), fmt.Sprintf("%d y/o", a), fmt.Sprintf("%d-yr-old", a), fmt.Sprintf("%d year old", a)}[n.in(0, 4)]
		if a >= 90 && a <= 99 && n.ch(0.25) {
			s = "ninety" + tuOnes[a-90] + "-year-old"
		}
	}
	n.ageText(a, s)
}

// ageNum writes an age as a bare number, as in "(93)".
func (n *tuNote) ageNum(a int) { n.ageText(a, fmt.Sprint(a)) }

func (n *tuNote) ageText(a int, s string) {
	if a >= 90 {
		n.mark(phi.Age, s)
	} else {
		n.t(s)
	}
}

func (n *tuNote) fmtDate(m, d, y int) string {
	mon := tuMonths[m-1]
	ab := mon[:3]
	switch n.in(0, 10) {
	case 0, 1:
		return fmt.Sprintf("%02d/%02d/%d", m, d, y)
	case 2:
		return fmt.Sprintf("%d/%d/%02d", m, d, y%100)
	case 3:
		return fmt.Sprintf("%d/%d/%d", m, d, y)
	case 4:
		return fmt.Sprintf("%d-%02d-%02d", y, m, d)
	case 5:
		return fmt.Sprintf("%s %d, %d", mon, d, y)
	case 6:
		return fmt.Sprintf("%s %d, %d", ab, d, y)
	case 7:
		return fmt.Sprintf("%02d%s%d", d, strings.ToUpper(ab), y)
	case 8:
		return fmt.Sprintf("%d-%s-%d", d, ab, y)
	case 9:
		return fmt.Sprintf("%d %s %d", d, mon, y)
	}
	return fmt.Sprintf("%02d-%02d-%d", m, d, y)
}

func (n *tuNote) dateY(y int) { n.mark(phi.Date, n.fmtDate(n.in(1, 12), n.in(1, 28), y)) }

// date writes a date of this year or last.
func (n *tuNote) date() { n.dateY(n.yr - n.in(0, 1)) }

// dob writes the birth date of someone now a years old.
func (n *tuNote) dob(a int) { n.dateY(n.yr - a) }

// mdStr is a month and day without a year.
func (n *tuNote) mdStr() string {
	m, d := n.in(1, 12), n.in(1, 28)
	mon := tuMonths[m-1]
	switch n.in(0, 5) {
	case 0, 1:
		return fmt.Sprintf("%d/%d", m, d)
	case 2:
		return fmt.Sprintf("%s %d", mon[:3], d)
	case 3:
		return fmt.Sprintf("%s %d%s", mon, d, ordinal(d))
	case 4:
		return fmt.Sprintf("%d %s", d, mon[:3])
	}
	return fmt.Sprintf("%02d/%02d", m, d)
}

func (n *tuNote) md() { n.mark(phi.Date, n.mdStr()) }

// phone writes a telephone (or fax) number in the fictional range.
func (n *tuNote) phone(typ phi.Type) {
	a, x := n.in(201, 989), n.in(100, 199)
	s := []string{
		fmt.Sprintf("(%d) 555-0%d", a, x), fmt.Sprintf("%d-555-0%d", a, x), fmt.Sprintf("%d.555.0%d", a, x),
		fmt.Sprintf("555-0%d", x), fmt.Sprintf("%d 555 0%d", a, x), fmt.Sprintf("+1 %d 555 0%d", a, x),
		fmt.Sprintf("%d-555-0%d x%d", a, x, n.in(2, 899)), fmt.Sprintf("%d5550%d", a, x),
	}[n.in(0, 7)]
	n.mark(typ, s)
}

func (n *tuNote) mrn() string {
	return n.pick(n.dig(8), "E"+n.dig(7), "MR-"+n.dig(6), n.dig(3)+"-"+n.dig(3)+"-"+n.dig(2), "00"+n.dig(6))
}

func (n *tuNote) street() string {
	s := fmt.Sprintf("%d %s %s", n.in(3, 19999), n.pick(tuStreets...), n.pick(tuSuffix...))
	if n.ch(0.3) {
		s += n.pick(" Apt ", " Apt. ", " Unit ", " #", " Lot ") + fmt.Sprint(n.in(1, 40)) + n.pick("", "", "B", "R")
	}
	return s
}

func (n *tuNote) cross() string {
	return n.pick(tuStreets...) + " " + n.pick(tuSuffix...) + n.pick(" & ", " and ", " at ", "/") + n.pick(tuStreets...) + " " + n.pick(tuSuffix...)
}

func (n *tuNote) city() (string, string) {
	c, st, _ := strings.Cut(n.pick(tuCities...), "|")
	return c, st
}

func (n *tuNote) zip() string {
	z := fmt.Sprintf("%05d", n.in(1001, 99950))
	if n.ch(0.2) {
		z += "-" + n.dig(4)
	}
	return z
}

// addr writes a street, city, state and ZIP on one line.
func (n *tuNote) addr() {
	n.mark(phi.Location, n.street())
	n.t(", ")
	c, st := n.city()
	n.mark(phi.Location, c)
	n.t(", ", st, " ")
	n.mark(phi.ZIP, n.zip())
}

func (n *tuNote) cityOnly() {
	c, _ := n.city()
	n.mark(phi.Location, c)
}

func tuASCII(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}

func (n *tuNote) email(p tuPer) string {
	local := tuASCII(p.first) + n.pick(".", "_", "", ".") + tuASCII(p.last)
	if n.ch(0.4) {
		local += fmt.Sprint(n.in(1, 99))
	}
	return local + "@" + n.pick("example.com", "example.net", "example.org", "mail.example.com")
}

func (n *tuNote) npi() string { return n.pick("1", "2") + n.dig(9) }

// ---- 1. nursing shift handoff ----

func (n *tuNote) handoff() {
	unit := n.pick("5 West", "4 North Med-Surg", "Step-Down B", "Ortho/Neuro 7", "CCU", "Oncology 6E", "Tele 3", "Geri-Psych 2")
	n.t(n.pick("SHIFT HANDOFF – ", "Nursing handoff (SBAR) – ", "RN report sheet: ", "NIGHT TO DAY HANDOVER, "), unit, "\n")
	n.t("Date: ")
	n.date()
	n.t("   Time: ", n.pick("0645", "0700", "1845", "1900", "2300"), "\n")
	n.t(n.pick("Charge RN: ", "Charge: ", "In charge - "))
	n.staff(n.per(), "RN", "RN, BSN", "RN CCRN")
	n.t("\n", n.pick("Off-going: ", "Report from ", "Handing over: "))
	n.nameAs(n.per(), n.form(tuFirst, tuFirst, tuFirstInit))
	n.t(n.pick(" → ", " -> ", " to ", "   Oncoming: "))
	n.nameAs(n.per(), n.form(tuFirst, tuFirst, tuFirstInit, tuNick))
	if n.ch(0.6) {
		n.t(n.pick("   CNAs: ", "   Techs: ", "   PCAs: "))
		for i := range n.in(1, 3) {
			if i > 0 {
				n.t(n.pick(", ", "/", " & "))
			}
			n.nameAs(n.per(), n.form(tuFirst, tuFirst, tuFirstInit))
		}
	}
	n.t("\n\n")
	bed := n.in(1, 30)
	for i := range n.in(4, 7) {
		n.handoffBed(bed + i)
	}
	n.t("\n", n.pick("Unit: ", "Misc: ", "FYI: "))
	n.oneOf(
		func() { n.t("Pyxis down on the east side, pharmacy aware. May need to pull meds from 6 West.") },
		func() { n.t("Glucometer #3 out for repair. Will need to borrow one from Tele.") },
		func() {
			n.t("Bed ", fmt.Sprint(bed), " family asks that no info be given to callers without the password \"", n.pick("bluebird", "Tuesday", "Marigold", "Hope", "Grace"), "\".")
		},
		func() {
			n.t("Rapid response at ", n.clock(), " for Bed ", fmt.Sprint(bed+1), ", resolved; ")
			n.drLast(n.per())
			n.t(" at bedside, ")
			n.casual(n.per())
			n.t(" from RRT.")
		},
		func() {
			n.t("Sitter ")
			n.nameAs(n.per(), tuFirst)
			n.t(" floated to ED at 0300; ")
			n.nameAs(n.per(), n.form(tuFirst, tuFirstInit))
			n.t(" covering 1:1s.")
		},
	)
	n.t("\n", n.pick("Report given by ", "Handoff completed: ", "-- "))
	n.staff(n.per(), "RN")
	n.t(n.pick(" to ", " / "))
	n.nameAs(n.per(), n.form(tuFirst, tuFirstInit, tuFull))
	n.t(n.pick(", RN", " RN", ""), " at ", n.clock(), "\n")
}

var tuHandoffDx = []string{
	"CHF exacerbation, on Lasix gtt", "NSTEMI, heparin gtt per protocol", "post-op day 2 s/p R TKA", "COPD flare, BiPAP at night",
	"DKA resolving, off insulin gtt since 0200", "Parkinson's disease with aspiration PNA", "ETOH withdrawal, CIWA q4h", "urosepsis, on cefepime",
	"SBO, NGT to LIWS", "new AFib RVR, dilt gtt", "hip fx s/p ORIF", "GI bleed, 2 units PRBC overnight", "cellulitis L leg, vanc",
	"Graves disease, thyroid storm r/o", "CVA, R-sided weakness", "sickle cell crisis, PCA dilaudid",
}

// handoffBed writes one line of the board: a bed, a surname, an age and the items.
func (n *tuNote) handoffBed(b int) {
	n.t(n.pick("Bed ", "Rm ", "RM ", "Room ", "#", ""), fmt.Sprint(b), n.pick("", "", "A", "B"), n.pick(" – ", " - ", ": ", "  ", " | "))
	if n.ch(0.1) {
		n.t(n.pick("EMPTY – clean, ready for admit from ED", "blocked (isolation clean)", "empty, d/c'd at 1400", "holding for PACU"), "\n")
		return
	}
	p := n.per()
	switch n.in(0, 8) {
	case 0, 1:
		n.nameAs(p, tuLast)
	case 2:
		n.nameAs(p, tuCapsLastFirst)
	case 3:
		n.nameAs(p, tuLastFirst)
	case 4:
		n.t(n.title(p))
		n.nameAs(p, tuLast)
	case 5:
		n.nameAs(p, tuCapsLast)
	case 6:
		n.nameAs(p, tuLastInit)
	case 7:
		n.nameAs(p, tuFull)
	case 8:
		n.nameAs(p, tuLastFirstMid)
	}
	if p.nick != "" && n.ch(0.6) {
		if n.ch(0.5) {
			n.t(" \"")
			n.nameAs(p, tuNick)
			n.t("\"")
		} else {
			n.t(" (goes by ")
			n.nameAs(p, tuNick)
			n.t(")")
		}
	}
	a := n.ageOf(19, 104, 0.2)
	n.t(n.pick(", ", " ", " – "))
	n.age(a, p.fem, true)
	n.t(", ", n.pick(tuHandoffDx...))
	if n.ch(0.35) {
		n.t(" (MRN ")
		n.mark(phi.MRN, n.mrn())
		n.t(")")
	}
	n.t(".")
	sep := n.pick(" ", "\n    - ")
	n.t(sep)
	doc := n.per()
	n.someOf(n.in(3, 6), sep,
		func() {
			n.t(n.pick("PIV x2, ", "PICC R arm, ", "L IJ CVC, ", "Hickman line, "), n.pick("Foley catheter in place (day 2).", "Foley d/c'd at 0400, needs to void by 1000.", "condom cath.", "no Foley."))
		},
		func() {
			n.t(n.pick("A&Ox4.", "A&Ox2, sundowning.", "GCS 14 (Glasgow Coma Scale E4V4M6).", "NIHSS 3, L facial droop.", "CIWA 6, last Ativan at 0300."))
		},
		func() {
			n.t(n.pick("Morse fall score 55, bed alarm on.", "Braden 13, turn q2h, heels floated.", "High fall risk, tele-sitter.", "Aspiration precautions, nectar-thick liquids."))
		},
		func() {
			q := n.kin(p, n.ch(0.5))
			switch n.in(0, 3) {
			case 0:
				n.t("Family: ", n.relWord(q.fem), " ")
				n.casual(q)
				n.t(n.pick(" at bedside overnight.", " is HCP.", " calling for updates."))
			case 1:
				n.casual(q)
				n.t(" (", n.relWord(q.fem), ") ", n.pick("stayed overnight", "will visit after work", "wants a call from MD"), ", ")
				n.phone(phi.Phone)
				n.t(".")
			case 2:
				n.t(tuCap(tuHis(p.fem)), " ", n.relWord(q.fem), ", ")
				n.nm(q)
				n.t(", ", n.pick("brought in hearing aids.", "took valuables home.", "asked about d/c plans."))
			case 3:
				n.t("Keeps asking for \"")
				n.nameAs(q, n.form(tuFirst, tuNick))
				n.t("\" – ", n.pick("reoriented.", "calmer after FaceTime with her.", "that is the late wife."))
			}
		},
		func() {
			n.drLast(doc)
			n.t(n.pick(" aware of K 3.1, replacing.", " paged re: BP 182/95, hydralazine given.", " to see in AM re: d/c.", " (ortho) wants PT eval before WB."))
		},
		func() {
			n.t(n.pick("May need CT head if more confused.", "Will need repeat lactate at 0900.", "Hope to d/c home tomorrow.", "May go to Maple Grove Rehab Friday.", "Will need blood cx x2 if spikes."))
		},
		func() {
			n.t("NPO after MN for ", n.pick("EGD", "TEE", "cath", "IR drain"), " w/ ")
			n.dr(n.per())
			n.t(".")
		},
		func() {
			if n.ch(0.4) {
				n.t("Code: FULL.")
				return
			}
			n.t("Code: DNR/DNI")
			if n.ch(0.7) {
				q := n.kin(p, n.ch(0.5))
				n.t(" per MOLST signed ")
				n.md()
				n.t(" with ", n.relWord(q.fem), " ")
				n.casual(q)
			}
			n.t(".")
		},
		func() {
			n.t(n.pick("POD 2 s/p R TKA (", "Admitted via ED (", "Transferred from ICU ("))
			n.md()
			n.t(").")
		},
		func() {
			n.t("ISO: ", n.pick("contact (MRSA nares).", "droplet r/o flu.", "enteric (C diff)."))
		},
		func() {
			n.t("1:1 sitter ")
			n.nameAs(n.per(), tuFirst)
			n.t(" until 1900.")
		},
		func() {
			n.t("CM ")
			n.nameAs(n.per(), n.form(tuFirst, tuFirstInit))
			n.t(" following, ", n.pick("SNF referral sent to Sunrise Manor.", "home with VNA.", "needs Medicaid pending."))
		},
	)
	n.t("\n")
}

// ---- 2. multidisciplinary team meeting ----

type tuMember struct {
	p    tuPer
	role string
	dr   bool
}

var tuRoles = []string{"Pharmacy", "OT", "PT", "Social Work", "Discharge Coordinator", "Dietetics", "SLT", "Ward Manager", "Palliative CNS", "Chaplaincy", "Psychology"}

var tuDept = map[string]string{
	"Pharmacy": "pharmacy", "OT": "OT", "PT": "PT", "Social Work": "social work", "Discharge Coordinator": "discharge planning",
	"Dietetics": "dietetics", "SLT": "SLT", "Ward Manager": "the ward", "Palliative CNS": "palliative care", "Chaplaincy": "chaplaincy",
	"Psychology": "psychology",
}

func tuRoleLower(r string) string {
	if d, ok := tuDept[r]; ok {
		return d
	}
	return strings.ToLower(r)
}

func (n *tuNote) member(m tuMember, chair bool) {
	if m.dr {
		switch n.in(0, 2) {
		case 0:
			n.t("Dr ")
			n.nameAs(m.p, tuLast)
		case 1:
			n.t("Dr ")
			n.nameAs(m.p, tuInitLast)
		case 2:
			n.t("Dr. ")
			n.nameAs(m.p, tuFull)
		}
		if chair {
			n.t(" (Chair, ", m.role, ")")
		} else {
			n.t(" (", m.role, ")")
		}
		return
	}
	switch n.in(0, 5) {
	case 0, 1:
		n.nameAs(m.p, tuFirst)
		n.t(" (", m.role, ")")
	case 2:
		n.nameAs(m.p, tuFirst)
		n.t(" from ", tuRoleLower(m.role))
	case 3:
		n.nameAs(m.p, tuFull)
		n.t(", ", m.role)
	case 4:
		n.nameAs(m.p, tuFirstInit)
		n.t(". (", m.role, ")")
	case 5:
		n.t(m.role, " – ")
		n.nameAs(m.p, tuInitLast)
	}
}

// ref refers back to a member in the minutes.
func (n *tuNote) ref(m tuMember) {
	if m.dr {
		n.drLast(m.p)
		return
	}
	switch n.in(0, 4) {
	case 0, 1, 2:
		n.nameAs(m.p, tuFirst)
	case 3:
		n.nameAs(m.p, tuFirst)
		n.t(" from ", tuRoleLower(m.role))
	case 4:
		n.nameAs(m.p, tuFirst)
		n.t(" (", m.role, ")")
	}
}

func (n *tuNote) mdt() {
	n.t(n.pick("MULTIDISCIPLINARY TEAM MEETING – ", "MDT minutes: ", "Interdisciplinary Team Conference – ", "IDT "),
		n.pick("Complex Discharge", "Stroke Unit", "Thoracic Tumour Board", "Geriatric Rounds", "Frailty Pathway", "Inpatient Rehab"), "\n")
	n.t("Date: ")
	n.date()
	n.t("   Time: ", n.pick("13:00–14:00", "0800", "2:30 pm"), "   Venue: ", n.pick("Conf Rm 4B", "Teams", "7 West day room", "Library, Level 2"), "\n")
	team := []tuMember{{n.per(), n.pick("Geriatrics", "Stroke Medicine", "Oncology", "Rehab Medicine"), true}}
	if n.ch(0.7) {
		team = append(team, tuMember{n.per(), n.pick("Registrar", "Resident", "SHO", "Fellow"), true})
	}
	for _, i := range n.w.r.Perm(len(tuRoles))[:n.in(4, 7)] {
		team = append(team, tuMember{n.per(), tuRoles[i], false})
	}
	n.t("Present: ")
	for i, m := range team {
		if i > 0 {
			if i == len(team)-1 && n.ch(0.5) {
				n.t(" and ")
			} else {
				n.t(", ")
			}
		}
		n.member(m, i == 0)
	}
	n.t("\nApologies: ")
	if n.ch(0.25) {
		n.t("none")
	} else {
		for i := range n.in(1, 2) {
			if i > 0 {
				n.t(", ")
			}
			n.member(tuMember{n.per(), n.pick(tuRoles...), n.ch(0.4)}, false)
		}
	}
	n.t("\nMinutes: ")
	n.nameAs(n.per(), n.form(tuFirst, tuFull, tuFirstInit))
	n.t(" (", n.pick("ward clerk", "admin", "FY1", "student nurse"), ")\n\n")
	for c := range n.in(2, 4) {
		n.mdtCase(c+1, team)
	}
	n.t("AOB: ")
	n.oneOf(
		func() {
			n.t("Farewell and thanks to ")
			n.nameAs(n.per(), tuFirst)
			n.t(", who moves to the ICU next week.")
		},
		func() {
			n.t("Welcome to ")
			n.nameAs(n.per(), tuFull)
			n.t(" (new ", n.pick(tuRoles...), ").")
		},
		func() {
			n.t("Audit results due ")
			n.md()
			n.t("; ")
			n.ref(team[0])
			n.t(" to present.")
		},
		func() { n.t("None. May rounds move to Tuesdays? Will discuss.") },
	)
	n.t("\nNext meeting: ")
	n.date()
	n.t("\n")
}

func (n *tuNote) mdtCase(num int, team []tuMember) {
	pt := n.per()
	a := n.ageOf(58, 104, 0.25)
	n.f("%d. ", num)
	switch n.in(0, 3) {
	case 0:
		n.nameAs(pt, tuCapsLastFirst)
		n.t(" (MRN ")
		n.mark(phi.MRN, n.mrn())
		n.t(")")
	case 1:
		n.t(n.title(pt))
		n.nameAs(pt, tuLast)
		n.t(", ")
		n.age(a, pt.fem, false)
	case 2:
		n.nameAs(pt, tuFull)
		n.t(", Bed ", fmt.Sprint(n.in(1, 28)))
	case 3:
		n.nameAs(pt, tuLastFirst)
		n.t(" – DOB ")
		n.dob(a)
	}
	n.t(" – ", n.pick("mechanical fall, NOF fracture", "L MCA stroke", "delirium on dementia", "NSCLC stage IIIA", "recurrent falls, Parkinson's disease", "CAP, deconditioned"), "\n")
	var drs, others []tuMember
	for _, m := range team {
		if m.dr {
			drs = append(drs, m)
		} else {
			others = append(others, m)
		}
	}
	anyone := func() tuMember { return team[n.w.r.IntN(len(team))] }
	oth := func() tuMember { return others[n.w.r.IntN(len(others))] }
	// withRole is a member in one of roles, else anyone not a doctor.
	withRole := func(roles ...string) tuMember {
		for _, i := range n.w.r.Perm(len(others)) {
			for _, r := range roles {
				if others[i].role == r {
					return others[i]
				}
			}
		}
		return oth()
	}
	d := drs[n.w.r.IntN(len(drs))]
	kin1 := n.kin(pt, n.ch(0.5))
	kin2 := n.kin(pt, n.ch(0.5))
	n.t("   - ")
	n.someOf(n.in(3, 6), "\n   - ",
		func() {
			n.ref(d)
			n.t(" and ")
			o := withRole("Pharmacy")
			n.nameAs(o.p, tuFirst)
			n.t(" from ", tuRoleLower(o.role), " reviewed ", n.pick("anticoagulation: apixaban reduced to 2.5 mg BID (Cr 1.9, wt 54 kg).", "the Madopar timings – to give on time, not with meals.", "falls meds: stop zopiclone."))
		},
		func() {
			n.ref(withRole("PT", "OT", "SLT"))
			n.t(n.pick(": mobilising with Zimmer frame and 1 assist; Berg 31/56.", ": transfers with Sara Stedy x2.", " – swallow: IDDSI level 4, thin fluids via Provale cup."))
		},
		func() {
			for i, j := range n.w.r.Perm(len(others))[:3] {
				if i == 1 {
					n.t(", ")
				} else if i == 2 {
					n.t(n.pick(" and ", ", "))
				}
				n.nameAs(others[j].p, tuFirst)
			}
			n.t(" agree ", n.pick("not yet safe for home.", "a trial of home with care x4/day.", "referral to Hospice at Home.", "Meals on Wheels plus a key safe."))
		},
		func() {
			n.t("Family meeting with ", n.relWord(kin1.fem), " ")
			n.casual(kin1)
			n.t(n.pick(" and ", ", "), n.relWord(kin2.fem), " ")
			n.nm(kin2)
			n.t(" on ")
			n.md()
			n.t("; ")
			n.nameAs(kin1, tuFirst)
			n.t(n.pick(" keen for her to return home to ", " lives in ", " would take her to "))
			n.cityOnly()
			n.t(".")
		},
		func() {
			n.t("ACTION: ")
			n.ref(anyone())
			n.t(" to ", n.pick("refer to community OT.", "chase the DoLS application.", "book a best-interests meeting."))
			n.t(" ACTION: ")
			n.ref(d)
			n.t(" to call GP ")
			n.drLast(n.per())
			n.t(" (")
			n.phone(phi.Phone)
			n.t(").")
		},
		func() {
			n.t(n.pick("Barthel 45/100, MoCA 17/30, Rockwood CFS 6. May need 24-hr care.", "Waterlow 18, MUST 2 – dietitian to review.", "4AT 6 – delirium screen positive; Will repeat."))
		},
		func() {
			n.t("Discussed with ")
			n.nameAs(kin1, tuFirst)
			n.t(" by phone (")
			n.phone(phi.Phone)
			n.t("), who ", n.pick("holds LPA for health and welfare.", "is not coping.", "wants a second opinion."))
		},
		func() {
			n.t("Will discuss at next MDT; ")
			n.ref(oth())
			n.t(" to update ")
			n.nameAs(kin2, n.form(tuFirst, tuNick))
			n.t(".")
		},
	)
	n.t("\n\n")
}

// ---- 3. patient-portal thread ----

func (n *tuNote) portal() {
	n.t(n.pick("MyChart Secure Message Thread", "Patient Portal – Messages", "PORTAL MESSAGE (patient-initiated)", "eVisit / Message"), "\n")
	if n.ch(0.55) {
		n.portalParent()
	} else {
		n.portalAdult()
	}
}

// lowerMD writes a month and day as a hurried typist does.
func (n *tuNote) lowerMD() { n.mark(phi.Date, strings.ToLower(n.mdStr())) }

func (n *tuNote) sent() {
	n.t("   Sent: ")
	n.date()
	n.t(" ", n.clock(), "\n")
}

func (n *tuNote) portalParent() {
	mom := n.perOf(n.origin(), true)
	kid := n.kin(mom, n.ch(0.5))
	kid.last = mom.last
	sib := n.kin(mom, n.ch(0.5))
	sib.last = mom.last
	gma := n.kin(mom, true)
	dad := n.kin(mom, false)
	doc, rn, teacher := n.per(), n.per(), n.per()
	son := "son"
	if kid.fem {
		son = "daughter"
	}
	he := tuHe(kid.fem)
	n.t("Patient: ")
	n.nameAs(kid, n.form(tuFull, tuLastFirst, tuCapsLastFirst))
	n.t("   DOB: ")
	n.dob(n.in(2, 15))
	n.t("   MRN: ")
	n.mark(phi.MRN, n.mrn())
	n.t("\nProxy: ")
	n.nameAs(mom, n.form(tuFull, tuFullMid))
	n.t(" (", n.pick("mother", "parent/guardian"), ")   Email on file: ")
	n.mark(phi.Email, n.email(mom))
	n.t("\nSubject: ", n.pick("refill", "rash??", "school form", "question", "re: inhaler", "fever"), "\n\n")

	n.t("From: ")
	n.nameAs(mom, n.form(tuLowerFull, tuFull))
	n.sent()
	n.oneOf(
		func() {
			n.t("hi its ")
			n.nameAs(mom, n.form(tuLowerFirst, tuLowerNick))
			n.t(", ")
		},
		func() {
			n.t("hello dr ")
			n.nameAs(doc, tuLowerLast)
			n.t(" ")
		},
		func() {
			n.t("hi this is ")
			n.nameAs(kid, n.form(tuLowerFirst, tuLowerNick))
			n.t("'s mom, ")
		},
		func() { n.t("Hi, ") },
	)
	n.someOf(n.in(3, 5), n.pick(". ", ", ", " ... ", "\n"),
		func() {
			n.t("my ", son, " ")
			n.nameAs(kid, n.form(tuLowerFirst, tuLowerNick))
			n.t("'s inhaler is almost out and the pharmacy said they need a new rx")
		},
		func() {
			n.t(he, "s been coughing since ")
			n.lowerMD()
			n.t(" mostly at night")
		},
		func() {
			n.t("i gave ", tuHim(kid.fem), " tylenol and motrin but the fever keeps coming back, 101.8 last night")
		},
		func() {
			n.t("my mom ")
			n.nameAs(gma, n.form(tuLowerFirst, tuLowerNick))
			n.t(" watches ", tuHim(kid.fem), " after school and she noticed a red mark on ", tuHis(kid.fem), " arm")
		},
		func() {
			n.t("can dr ")
			n.nameAs(doc, tuLowerLast)
			n.t(" call me back at ")
			n.phone(phi.Phone)
			n.t(" after 3")
		},
		func() { n.t("i hope its not strep again lol") },
		func() { n.t("will ", he, " need a booster before camp") },
		func() { n.t("also we got a bill from the er for $240 is that right") },
		func() {
			n.t(tuHis(kid.fem), " teacher ms. ")
			n.nameAs(teacher, tuLowerLast)
			n.t(" says ", he, " needs the asthma action plan signed")
		},
		func() { n.t("may i bring ", tuHim(kid.fem), " in tomorrow morning") },
	)
	n.t("\n", n.pick("thanks\n", "thx ", "- ", "ty!! "))
	n.nameAs(mom, n.form(tuLowerFirst, tuLowerNick, tuFirst))
	n.t("\n\n--- Reply from: ")
	n.staff(rn, "RN", "LPN", "MA")
	n.sent()
	n.t("Hi ")
	n.nameAs(mom, tuFirst)
	n.t(", ")
	n.oneOf(
		func() {
			n.t("thanks for reaching out. I've sent the refill request to Dr. ")
			n.nameAs(doc, tuLast)
			n.t(".")
		},
		func() {
			n.t("I'm sorry ")
			n.nameAs(kid, n.form(tuFirst, tuNick))
			n.t(" isn't feeling well.")
		},
	)
	n.t(" ")
	n.oneOf(
		func() { n.t("If ", he, " has trouble breathing, call 911 or go to the ER.") },
		func() {
			n.t("We have an opening on ", n.wday(), " ")
			n.md()
			n.t(" at ", n.clock(), " with ")
			n.drLast(doc)
			n.t(".")
		},
		func() { n.t("May we send the form to the school nurse directly?") },
	)
	n.t(" Please call the nurse line at ")
	n.phone(phi.Phone)
	n.t(" with questions.\n")
	n.nameAs(rn, tuFirst)
	n.t(n.pick("", " (nurse line)", " – Pediatrics"), "\n\n--- From: ")
	n.nameAs(mom, tuLowerFull)
	n.sent()
	n.t(n.pick("ok thx. ", "ok. ", "thank u "))
	n.someOf(n.in(2, 4), n.pick(". ", " also ", "\n"),
		func() {
			n.t("my husband ")
			n.nameAs(dad, n.form(tuLowerFirst, tuLowerNick))
			n.t(" can pick up the form ", n.pick("friday", "tmrw", "after work"))
		},
		func() {
			n.t("oh and our address changed its ")
			n.mark(phi.Location, strings.ToLower(n.street()))
			n.t(" ")
			c, _ := n.city()
			n.mark(phi.Location, strings.ToLower(c))
			n.t(" ")
			n.mark(phi.ZIP, n.zip())
			n.t(" now")
		},
		func() {
			n.t("you can also text ")
			n.nameAs(dad, tuLowerFirst)
			n.t(" at ")
			n.phone(phi.Phone)
		},
		func() {
			n.t(tuHis(kid.fem), " ", map[bool]string{true: "sister", false: "brother"}[sib.fem], " ")
			n.nameAs(sib, tuLowerFirst)
			n.t(" has the same rash now")
		},
		func() {
			n.t("i'll be at work at ", n.pick("walmart", "the amazon warehouse", "dunkin", "kowalski family pharmacy"), " till 6")
		},
		func() {
			n.t("is ")
			n.lowerDay()
			n.t(" ok")
		},
	)
	n.t("\n- ")
	n.nameAs(mom, n.form(tuLowerFirst, tuLowerNick))
	n.t("\n")
}

// lowerDay writes an appointment day as typed: a weekday (not an identifier) or a
// month and day.
func (n *tuNote) lowerDay() {
	if n.ch(0.5) {
		n.t(strings.ToLower(n.wday()))
		return
	}
	n.lowerMD()
}

func (n *tuNote) portalAdult() {
	pt := n.per()
	a := n.ageOf(25, 99, 0.25)
	doc, nb := n.per(), n.per()
	child := n.kin(pt, n.ch(0.5))
	sp := n.kin(pt, !pt.fem)
	n.t("Patient: ")
	n.nameAs(pt, n.form(tuFull, tuLastFirst, tuLastFirstMid))
	n.t("   DOB: ")
	n.dob(a)
	n.t("   MRN: ")
	n.mark(phi.MRN, n.mrn())
	n.t("\nSubject: ", n.pick("my bp pills", "Question about labs", "swelling", "refill please"), "\n\nFrom: ")
	n.nameAs(pt, n.form(tuLowerFull, tuFull, tuCapsFull))
	n.sent()
	n.t(n.pick("hi dr ", "dear dr ", "dr "))
	n.nameAs(doc, tuLowerLast)
	n.t(n.pick(" its ", ", this is ", " - "))
	n.nameAs(pt, n.form(tuLowerFirst, tuLowerFull, tuLowerNick))
	n.t(n.pick(". ", " "))
	n.someOf(n.in(3, 5), n.pick(". ", "\n", ", "),
		func() {
			n.t("my ", n.pick("daughter", "son", "granddaughter"), " ")
			n.nameAs(child, tuLowerFirst)
			n.t(" is typing this for me")
		},
		func() { n.t("the new pills (amlodipine) make my ankles swell") },
		func() { n.t("my bp was 158/92 this morning and 149/88 last night") },
		func() {
			n.t("my neighbor ")
			n.nameAs(nb, n.form(tuLowerFull, tuLowerFirst))
			n.t(" drove me to the lab on ")
			n.lowerMD()
		},
		func() {
			n.t("can you send the rx to ", n.pick("cvs", "kowalski family pharmacy", "the walgreens", "costco"), " instead")
		},
		func() {
			n.t("my ", n.pick("husband", "wife", "partner"), " ")
			n.nameAs(sp, n.form(tuLowerFirst, tuLowerNick))
			n.t(" says i'm snoring again")
		},
		func() {
			n.t("i'll be ")
			n.ageNum(a + 1)
			n.t(" next month and i still drive")
		},
		func() {
			n.t("i will be visiting my ", n.pick("son", "daughter"), " ")
			n.nameAs(child, tuLowerFirst)
			n.t(" in ")
			c, _ := n.city()
			n.mark(phi.Location, strings.ToLower(c))
			n.t(" until ")
			n.lowerMD()
		},
		func() { n.t("i hope that's ok, i don't want to bother you") },
		func() { n.t("will the swelling go away. may i stop the pills") },
	)
	n.t("\n", n.pick("thank you\n", "- ", "God bless, "))
	n.nameAs(pt, n.form(tuLowerFirst, tuFirst, tuLowerNick))
	n.t("\n\n--- Reply from: ")
	n.dr(doc)
	n.sent()
	n.t(n.pick("Dear ", "Hi "), n.title(pt))
	n.nameAs(pt, tuLast)
	n.t(", ", n.pick("thank you for the readings.", "I'm glad you wrote.", "please don't worry about bothering us."), " ")
	n.t(n.pick("Amlodipine can cause ankle swelling; let's switch to losartan 25 mg.", "Please keep a log and bring it to your next visit.", "Your labs look stable."))
	if n.ch(0.5) {
		n.t(" I have asked ")
		n.nameAs(n.per(), n.form(tuFirst, tuFull))
		n.t(" from our office to call you at ")
		n.phone(phi.Phone)
		n.t(".")
	}
	n.t("\n")
	n.nameAs(doc, n.form(tuFirstInit, tuInitLast, tuFull))
	n.t("\n")
}

// ---- 4. social work assessment ----

func (n *tuNote) socialWork() {
	pt := n.per()
	a := n.ageOf(45, 101, 0.25)
	he, him, his := tuHe(pt.fem), tuHim(pt.fem), tuHis(pt.fem)
	n.t(n.pick("SOCIAL WORK PSYCHOSOCIAL ASSESSMENT", "Social Work Initial Assessment", "SW NOTE – Psychosocial"), "\n")
	n.t("Patient: ")
	n.nm(pt)
	n.t("   MRN: ")
	n.mark(phi.MRN, n.mrn())
	n.t("   DOB: ")
	n.dob(a)
	n.t("\nUnit: ", n.pick("6 North", "MICU", "4 West", "ED obs"), "   Date: ")
	n.date()
	n.t("\nReferral: ")
	n.dr(n.per())
	n.t(" for ", n.pick("discharge planning", "safety concerns at home", "caregiver strain", "housing instability", "suspected self-neglect"), "\n")
	c1 := n.kin(pt, n.ch(0.5))
	nb := n.per()
	c1W := n.childWord(c1.fem)
	n.t("Sources: patient, ", c1W, " ")
	n.nm(c1)
	n.t(" (by phone, ")
	n.phone(phi.Phone)
	n.t("), chart review")
	if n.ch(0.6) {
		n.t(", neighbour ")
		n.t(n.title(nb))
		n.nameAs(nb, tuLast)
	}
	n.t(".\n\nHOUSING:\n")
	landlord := n.per()
	n.oneOf(
		func() {
			n.t("Lives at ")
			n.addr()
			n.t(" in a rented ", n.pick("second-floor walk-up", "trailer", "basement apartment", "rowhouse"), ". Landlord, ", n.title(landlord))
			n.nameAs(landlord, n.form(tuFull, tuLast))
			n.t(" (")
			n.phone(phi.Phone)
			n.t("), has ")
			n.oneOf(
				func() { n.t("filed for eviction for unpaid rent.") },
				func() { n.t("agreed to install a grab bar.") },
				func() {
					n.t("not fixed the heat since ")
					n.md()
					n.t(".")
				},
			)
		},
		func() {
			n.t("Couch-surfing with ", c1W, " ")
			n.casual(c1)
			n.t(" at ")
			n.mark(phi.Location, n.street())
			n.t(" in ")
			n.cityOnly()
			n.t(" since ")
			n.md()
			n.t("; lease in ", n.pick("her", "his"), " name only. Landlord ")
			n.nameAs(landlord, n.form(tuLastFirst, tuFull))
			n.t(" unaware.")
		},
		func() {
			n.t("Owns a mobile home at ")
			n.mark(phi.Location, n.street())
			n.t(", ")
			n.cityOnly()
			n.t("; lot rent to ")
			n.nameAs(landlord, tuFull)
			n.t(" is two months behind.")
		},
	)
	nb2 := n.per()
	n.t(" Neighbour ")
	n.nameAs(nb2, n.form(tuFirst, tuFull, tuNick))
	n.t(" (", n.pick("upstairs", "next door", "across the hall"), ") checks on ", him, " daily and has a key")
	if n.ch(0.5) {
		n.t("; another neighbour, ")
		n.nm(n.per())
		n.t(", brings meals")
	}
	n.t(". Has a ", n.pick("dog", "cat", "parakeet"), " named ", n.pick("Duke", "Bella", "Chico", "Luna", "Rocky", "Biscuit", "Princess"), " and worries who will feed it; ")
	n.nameAs(nb2, n.form(tuFirst, tuNick))
	n.t(" has agreed to.\n\nFAMILY:\n")
	sp := n.kin(pt, !pt.fem)
	n.oneOf(
		func() {
			n.t("Married to ")
			n.casual(sp)
			n.t(" (")
			n.ageNum(min(max(a+n.in(-6, 6), 40), 106))
			n.t("), ", n.pick("who has dementia and cannot be left alone.", "supportive, works days.", "who is also a patient here."))
		},
		func() {
			n.t("Widowed; ", n.pick("husband", "wife"), " ")
			n.nm(sp)
			n.t(" died in ", fmt.Sprint(n.yr-n.in(1, 20)), ".")
		},
		func() {
			n.t("Divorced from ")
			n.nm(sp)
			n.t("; no contact, protective order since ")
			n.md()
			n.t(".")
		},
		func() {
			n.t("Partner of 12 years, ")
			n.nameAs(sp, n.form(tuFull, tuFirst))
			n.t(", is not legally recognised as next of kin; patient wishes ")
			n.nameAs(sp, tuFirst)
			n.t(" to be HCP.")
		},
	)
	n.t(" Children: ")
	k := n.in(2, 4)
	for i := range k {
		if i > 0 {
			if i == k-1 {
				n.t(n.pick(" and ", ", "))
			} else {
				n.t(", ")
			}
		}
		c := n.kin(pt, n.ch(0.5))
		if i == 0 {
			c = c1
		}
		n.nameAs(c, n.form(tuFirst, tuFirst, tuFull))
		n.t(" (", fmt.Sprint(n.in(max(a-45, 16), a-18)))
		if n.ch(0.4) {
			n.t(", lives in ")
			n.cityOnly()
		}
		n.t(")")
	}
	n.t(". ")
	sib := n.kin(pt, n.ch(0.5))
	if sib.fem {
		n.t(n.pick("Sister ", "Half-sister "))
	} else {
		n.t(n.pick("Brother ", "Half-brother "))
	}
	n.nm(sib)
	n.t(" in ")
	n.cityOnly()
	n.t(" is ", n.pick("supportive but works nights.", "estranged.", "the named HCP.", "on the phone daily."))
	if n.ch(0.5) {
		gk := n.kin(pt, n.ch(0.5))
		par := n.kin(pt, n.ch(0.5))
		n.t(" Is raising grandchild ")
		n.nameAs(gk, n.form(tuFirst, tuNick))
		n.t(" (", fmt.Sprint(n.in(4, 15)), ") since ", tuHis(gk.fem), " ", map[bool]string{true: "mother", false: "father"}[par.fem], " ")
		n.nameAs(par, n.form(tuFirst, tuFull))
		n.t(" ", n.pick("entered treatment.", "was incarcerated.", "moved out of state."))
	}
	if a <= 82 && n.ch(0.5) {
		mom := n.kin(pt, true)
		n.t(" Mother, ")
		n.nameAs(mom, n.form(tuFull, tuFirst))
		n.t(", ")
		n.age(min(a+n.in(18, 34), 106), true, false)
		n.t(", lives with them.")
	}
	n.t("\n\nWORK / INCOME:\n")
	boss := n.per()
	n.oneOf(
		func() {
			n.t("Works as a ", n.pick("night stocker", "line cook", "CNA", "driver", "cashier", "welder"), " at ", n.pick(tuEmployers...), "; supervisor ")
			n.nameAs(boss, n.form(tuFull, tuFirst, tuNick))
			n.t(" ", n.pick("has been supportive.", "keeps asking when "+he+" will be back.", "said the job is held for 2 weeks."), " FMLA forms faxed to HR, fax ")
			n.phone(phi.Fax)
			n.t(".")
		},
		func() {
			n.t("Cleans houses for the ")
			n.nameAs(boss, tuLast)
			n.t(" family and for ", n.title(n.per()))
			n.nameAs(n.per(), tuLast)
			n.t(" (paid cash); no sick leave.")
		},
		func() {
			n.t("Retired from ", n.pick(tuEmployers...), " in ", fmt.Sprint(n.yr-n.in(2, 25)), ". Former boss ")
			n.nameAs(boss, tuFull)
			n.t(" still visits on Sundays.")
		},
	)
	n.t(" Income: ", n.pick("SSDI $1,140/mo", "SSI", "pension + Social Security", "none currently"), "; SNAP; Medicaid ID ")
	n.mark(phi.HealthPlan, n.pick("", "", "M")+n.dig(n.in(8, 11)))
	n.t(".\n\nSUPPORTS:\n")
	n.t("Attends ", n.pick("St. Brendan's", "Iglesia Cristo Rey", "Masjid al-Noor", "Greater Mt. Zion AME", "Holy Trinity Ukrainian Catholic", "Temple Beth El"), "; ")
	n.t(n.pick("Pastor ", "Father ", "Imam ", "Rev. ", "Rabbi "))
	n.nameAs(n.per(), tuLast)
	n.t(" visits. Friend ")
	fr := n.per()
	n.nameAs(fr, n.form(tuFirst, tuNick, tuFull))
	n.t(" drives ", him, " to dialysis MWF.")
	if n.ch(0.5) {
		n.t(" Known to Adult Protective Services (worker ")
		n.nm(n.per())
		n.t(", case #")
		n.mark(phi.ID, n.dig(2)+"-"+n.dig(5))
		n.t(").")
	}
	n.t(" Uses ", n.pick("Meals on Wheels", "a Section 8 voucher", "St. Vincent de Paul food pantry", "Catholic Charities rent help", "Lifeline phone"), ".\n\nASSESSMENT: ")
	n.nameAs(pt, n.form(tuFirst, tuLast, tuNick))
	n.t(" is ", tuA(a))
	n.age(a, pt.fem, false)
	n.t(" ", n.pick("widow", "man", "woman", "veteran", "grandparent"), " ", n.pick("with limited supports", "at risk of eviction", "who wants to go home"), ". Caregiver strain evident in ")
	n.nameAs(c1, tuFirst)
	n.t(". ", tuCap(he), " ", n.pick("is alert and makes "+his+" own decisions.", "lacks capacity for discharge planning per psychiatry.", "declined a SNF."), "\n\nPLAN:\n1. Call ")
	n.nameAs(c1, n.form(tuFirst, tuFull))
	n.t(" at ")
	n.phone(phi.Phone)
	n.t(" re: ", n.pick("family meeting", "HCP form", "home safety"), ".\n2. ", n.pick("Referral to Area Agency on Aging.", "Legal aid referral re: eviction.", "APS report filed."), "\n3. Will follow up ")
	n.md()
	n.t(".\n\n")
	n.staff(n.per(), "LCSW", "MSW", "LMSW")
	n.t("\n")
}

// ---- 5. EMS / transfer handover ----

func (n *tuNote) ems() {
	if n.ch(0.65) {
		n.emsScene()
	} else {
		n.emsTransfer()
	}
}

// crew writes a crew member with the EMS level after the name.
func (n *tuNote) crew(p tuPer) {
	lvl := n.pick("Paramedic", "FF/Medic", "EMT-P", "EMT-B", "AEMT")
	switch n.in(0, 3) {
	case 0:
		n.nameAs(p, tuInitLast)
		n.t(", ", lvl)
	case 1:
		n.nameAs(p, tuLastInit)
		n.t(" (", lvl, ")")
	case 2:
		n.nameAs(p, tuFull)
		n.t(" ", lvl)
	case 3:
		n.t(lvl, " ")
		n.nameAs(p, tuLast)
	}
}

func (n *tuNote) emsScene() {
	unit := n.pick("Medic 14", "Medic 7", "Rescue 3", "Ambulance 22", "Squad 61", "AirCare 2", "Bravo-2")
	pt := n.per()
	a := n.ageOf(18, 103, 0.3)
	c1, c2 := n.per(), n.per()
	n.t(n.pick("EMS HANDOFF (MIST) – ", "PREHOSPITAL CARE REPORT – ", "EMS run sheet: "), unit, "\n")
	n.t("Incident #: ")
	n.mark(phi.ID, fmt.Sprint(n.yr%100)+"-"+n.dig(6))
	n.t("   Date: ")
	n.date()
	n.t("\nCrew: ")
	n.crew(c1)
	n.t("; ")
	n.crew(c2)
	if n.ch(0.3) {
		n.t("; ride-along student ")
		n.nameAs(n.per(), tuFirst)
	}
	n.t("\nTimes: dispatched ", n.clock(), " / on scene ", n.clock(), " / at ED ", n.clock(), "\n")
	n.t("Scene: ")
	n.oneOf(
		func() {
			n.mark(phi.Location, n.street())
			n.t(", ")
			n.cityOnly()
		},
		func() {
			n.mark(phi.Location, n.cross())
			n.t(", ")
			n.cityOnly()
		},
		func() {
			n.t(n.pick("I-80 westbound near mile marker 212", "Walmart parking lot", "county fairgrounds"))
		},
	)
	n.t("\nPt: ")
	if n.ch(0.25) {
		n.t("unknown ", n.pick("male", "female"), ", ID'd by wallet as ")
		n.nm(pt)
	} else {
		n.nm(pt)
	}
	n.t(", ")
	n.age(a, pt.fem, n.ch(0.5))
	if n.ch(0.5) {
		n.t(", DOB ")
		n.dob(a)
	}
	rel := n.kin(pt, n.ch(0.5))
	relW := n.relWord(rel.fem)
	n.t("\nM: ")
	n.oneOf(
		func() {
			n.t("ground-level fall at home, found by ", relW, " ")
			n.casual(rel)
			n.t(" at ", n.clock(), ", down ~", fmt.Sprint(n.in(1, 12)), " hrs.")
		},
		func() {
			n.t("MVC, restrained driver, ~40 mph T-bone, airbags deployed; ", fmt.Sprint(n.in(2005, 2024)), " ", n.pick("Honda Accord", "Ford Ranger", "Kia Soul", "Subaru Outback"), ", plate ")
			n.mark(phi.Vehicle, fmt.Sprintf("%d%c%c%c%d", n.in(1, 9), 'A'+n.in(0, 25), 'A'+n.in(0, 25), 'A'+n.in(0, 25), n.in(100, 999)))
			n.t(".")
		},
		func() { n.t("witnessed syncope at church during the Hail Mary, no head strike per bystanders.") },
		func() {
			n.t("SOB x2 days, ", relW, " ")
			n.casual(rel)
			n.t(" called 911.")
		},
	)
	n.t("\nI: ", n.pick("L hip shortened and externally rotated.", "abrasion to forehead, no LOC.", "none obvious.", "chest wall tenderness, seatbelt sign."))
	n.t("\nS: GCS ", n.pick("15", "14 (E4 V4 M6)", "13"), ", BP ", fmt.Sprint(n.in(84, 190)), "/", fmt.Sprint(n.in(48, 104)), ", HR ", fmt.Sprint(n.in(48, 140)), ", SpO2 ", fmt.Sprint(n.in(86, 100)), "%, BGL ", fmt.Sprint(n.in(60, 380)), ".")
	n.t("\nT: ", n.pick("c-collar, KED (Kendrick extrication device), long board", "Stokes basket extrication", "18g L AC, NS 500 mL", "fentanyl 50 mcg IN, Zofran 4 mg ODT", "CPAP 10 cmH2O, nitro 0.4 SL x2"), ".\n")
	n.t("Other units: Engine ", fmt.Sprint(n.in(1, 40)), " (Capt. ")
	n.nameAs(n.per(), tuLast)
	n.t(") first on scene")
	if n.ch(0.6) {
		n.t("; ", n.pick("PD Officer ", "Sgt. ", "Deputy "))
		n.nameAs(n.per(), tuLast)
		n.t(" (badge ")
		n.mark(phi.ID, n.dig(4))
		n.t(") to notify family")
	}
	n.t(".\nFamily: ", relW, " ")
	n.nameAs(rel, n.form(tuFirst, tuFull, tuNick))
	n.t(n.pick(" following in private vehicle", " on the way from work", " to meet at ED"), "; callback ")
	n.phone(phi.Phone)
	n.t(".\nHandoff at ", n.clock(), " to ")
	n.staff(n.per(), "RN")
	n.t(" (triage) and ")
	n.dr(n.per())
	n.t(". Belongings (wallet, phone, ", n.pick("hearing aids", "dentures", "glasses"), ") given to ")
	n.oneOf(
		func() { n.t("security") },
		func() { n.nameAs(n.per(), tuFirst) },
		func() {
			n.t("the ", relW)
		},
	)
	n.t(".\nPCR by ")
	n.nameAs(c1, n.form(tuInitLast, tuFull, tuFirstInit))
	n.t(", NRP   cert #")
	n.mark(phi.License, n.pick("P", "EMT", "")+n.dig(6))
	n.t("\n")
}

func (n *tuNote) emsTransfer() {
	pt := n.per()
	a := n.ageOf(18, 101, 0.25)
	n.t(n.pick("INTERFACILITY TRANSFER – CRITICAL CARE TRANSPORT", "CCT HANDOVER", "Transfer report (ground)"), "\n")
	n.t("Unit: ", n.pick("CCT 5", "Mobile ICU 2", "LifeFlight 1", "Medic 31"), "   Crew: ")
	n.staff(n.per(), "RN", "CFRN", "CCRN")
	n.t(" / ")
	n.crew(n.per())
	n.t("\nDate: ")
	n.date()
	n.t("   Depart ", n.clock(), "   Arrive ", n.clock(), "\n")
	from, to := n.pick(tuFacilities...), n.pick(tuFacilities...)
	n.t("From: ", from, " ED   To: ", to, " ", n.pick("MICU", "Neuro ICU", "CVICU", "cath lab"), ", bed ", fmt.Sprint(n.in(1, 24)), "\n")
	n.t("Sending: ")
	n.dr(n.per())
	n.t("   Accepting: ")
	n.dr(n.per())
	n.t("\nReport called to ")
	rn := n.per()
	n.nameAs(rn, n.form(tuFirst, tuFirstInit))
	n.t(n.pick(", RN", " (charge)", ""), " at ")
	n.phone(phi.Phone)
	n.t("; ask for ")
	n.nameAs(rn, tuFirst)
	n.t(" on arrival.\nPt: ")
	n.nm(pt)
	n.t(", ")
	n.age(a, pt.fem, false)
	n.t(", MRN (sending) ")
	n.mark(phi.MRN, n.mrn())
	n.t(", ", n.pick("STEMI s/p TNK", "SAH Hunt-Hess 3", "septic shock", "aortic dissection type B", "status epilepticus"), ".\n")
	n.t("En route: ", n.pick("norepinephrine 8 mcg/min, propofol 30 mcg/kg/min", "nicardipine 5 mg/h, SBP 128-140", "Keppra 2 g loaded, no further seizures", "vent AC 450/16/5/40%"), ". No changes.\n")
	rel := n.kin(pt, n.ch(0.5))
	n.t("Family: ", n.relWord(rel.fem), " ")
	n.nm(rel)
	n.t(n.pick(" riding along", " driving separately", " will meet at receiving"), ", cell ")
	n.phone(phi.Phone)
	n.t(".\n")
}

// ---- 6. well-child visit ----

func (n *tuNote) wellChild() {
	kid := n.per()
	mom := n.kin(kid, true)
	mom.last = kid.last
	dad := n.kin(kid, false)
	if n.ch(0.3) {
		mom.last = n.perOf(kid.o, true).last
	}
	yrs := n.in(0, 11)
	visit := []string{"9 MONTH", "1 YEAR", "2 YEAR", "3 YEAR", "4 YEAR", "5 YEAR", "6 YEAR", "7 YEAR", "8 YEAR", "9 YEAR", "10 YEAR", "11 YEAR"}[yrs]
	he, him, his := tuHe(kid.fem), tuHim(kid.fem), tuHis(kid.fem)
	n.t(n.pick("WELL CHILD CHECK – ", "Well-child visit, ", "WCC "), visit, "\n")
	n.t("Patient: ")
	n.nameAs(kid, n.form(tuFull, tuLastFirst, tuCapsLastFirst, tuFullMid))
	n.t("   DOB: ")
	n.dob(max(yrs, 1))
	n.t("   MRN: ")
	n.mark(phi.MRN, n.mrn())
	n.t("\nAccompanied by: ")
	n.oneOf(
		func() {
			n.t("mother, ")
			n.nm(mom)
		},
		func() {
			n.t("mom (")
			n.nameAs(mom, tuFirst)
			n.t(") and dad (")
			n.nameAs(dad, tuFirst)
			n.t(")")
		},
		func() {
			n.t("maternal grandmother ")
			g := n.kin(mom, true)
			n.nm(g)
			n.t(", legal guardian; she goes by \"", n.pick("Abuela", "Nana", "Bà", "Babcia", "Teta"), "\"")
		},
		func() {
			n.t("father ")
			n.nm(dad)
			n.t(" and ", n.pick("his partner ", "stepmom "))
			n.casual(n.per())
		},
	)
	if n.ch(0.4) {
		n.t("\nInterpreter: ", n.pick("Spanish", "Vietnamese", "Arabic", "Pashto", "Haitian Creole", "Polish"), ", ")
		if n.ch(0.5) {
			n.t("in person (")
			n.nameAs(n.per(), n.form(tuFull, tuFirstInit))
			n.t(")")
		} else {
			n.t("video, interpreter ID #")
			n.mark(phi.ID, n.dig(6))
		}
	}
	n.t("\n\nSiblings: ")
	k := n.in(1, 3)
	sibs := make([]tuPer, k)
	for i := range sibs {
		sibs[i] = n.kin(kid, n.ch(0.5))
		sibs[i].last = kid.last
		if i > 0 {
			n.t(", ")
		}
		if n.ch(0.15) {
			n.t("half-", n.pick("brother", "sister"), " ")
			sibs[i].last = n.per().last
			n.nameAs(sibs[i], tuFull)
		} else {
			n.nameAs(sibs[i], n.form(tuFirst, tuFirst, tuNick))
		}
		n.t(" (", fmt.Sprint(n.in(0, 17)), ")")
	}
	n.t(".\nChildcare/school: ")
	teacher := n.per()
	if yrs < 5 {
		n.t("attends ", n.pick("Little Sprouts", "Head Start", "Kinder Care", "Bright Horizons", "a home daycare"), "; ")
		n.oneOf(
			func() {
				n.t("teacher Ms. ")
				n.nameAs(teacher, tuLast)
				n.t(" reports ", n.pick("biting other kids", "good napping", "speech is hard to understand"), ".")
			},
			func() {
				n.t("stays with grandma ")
				n.nameAs(n.kin(mom, true), n.form(tuFirst, tuNick))
				n.t(" while mom works.")
			},
			func() {
				n.t("provider ")
				n.nameAs(teacher, n.form(tuFirst, tuFull))
				n.t(" (home daycare, ")
				n.phone(phi.Phone)
				n.t(") noticed the rash.")
			},
		)
	} else {
		n.t([]string{"kindergarten", "1st", "2nd", "3rd", "4th", "5th", "6th"}[yrs-5], " grade at ", n.pick("Lincoln Elementary", "Cesar Chavez Elementary", "Harriet Tubman Academy", "St. Brigid's School", "Riverton Charter"), "; ")
		n.t(n.pick("teacher ", his+" teacher ", "IEP case manager "), n.title(teacher))
		n.nameAs(teacher, tuLast)
		n.t(" ", n.pick("reports trouble focusing after lunch.", "has requested an ADHD Vanderbilt form.", "says reading is at grade level.", "sent a note about bullying."))
	}
	n.t("\n\nDevelopment: ")
	s := sibs[0]
	n.oneOf(
		func() {
			n.t("says ~", fmt.Sprint(n.in(6, 50)), " words incl. \"mama\", \"dada\" and \"")
			n.nameAs(s, n.form(tuLowerFirst, tuLowerNick))
			n.t("\" (", his, " ", map[bool]string{true: "sister", false: "brother"}[s.fem], "). ASQ-3 passed all domains.")
		},
		func() { n.t("M-CHAT-R low risk (score 1). Walks well, stacks 4 blocks.") },
		func() {
			n.t("Vanderbilt (parent) 6/9 inattentive; teacher form from ")
			n.t(n.title(teacher))
			n.nameAs(teacher, tuLast)
			n.t(" pending.")
		},
		func() { n.t("Tanner 1. Rides a bike, reads chapter books. Denver II normal.") },
	)
	n.t("\nHistory: ", n.pick("term SVD, Apgars 8/9, no NICU.", "Kawasaki disease at 3, echo normal.", "Ortolani and Barlow negative at birth; hips normal on US.", "febrile seizure x1 last year."))
	n.t("\nDiet: ", n.pick("whole milk 16 oz, Cheerios, picky with veg; WIC.", "breastfeeding + purees, Pedialyte when sick.", "school lunch; juice 2 boxes/day."))
	n.t(" Screen time: ", n.pick("watches Peppa Pig and Paw Patrol (favourite is Chase).", "Bluey and Daniel Tiger, ~2 h/day.", "Minecraft 3 h/day."))
	n.t("\nSocial: lives with ")
	n.oneOf(
		func() {
			n.t("mom and dad; dad ")
			n.nameAs(dad, n.form(tuFirst, tuNick))
			n.t(" works nights at ", n.pick(tuEmployers...), ".")
		},
		func() {
			n.t("mom and mom's partner ")
			n.nm(n.per())
			n.t("; sees dad ")
			n.nameAs(dad, tuFull)
			n.t(" every other weekend in ")
			n.cityOnly()
			n.t(".")
		},
		func() {
			n.t("mom at ")
			n.addr()
			n.t("; smoke exposure – grandpa ")
			n.nameAs(n.kin(mom, false), tuFirst)
			n.t(" smokes outside.")
		},
	)
	n.t("\nExam: Wt ", fmt.Sprint(n.in(5, 85)), "th %ile, Ht ", fmt.Sprint(n.in(5, 95)), "th %ile. ", n.pick("Red reflex present bilaterally.", "Moro symmetric.", "Babinski upgoing, normal for age.", "Mongolian spot sacrum – documented."), " Normal exam.\n")
	n.t("Immunizations today: ", n.pick("DTaP, IPV, MMR, varicella", "Hep A #2, flu", "Tdap, HPV #1, MenACWY", "PCV20, Hib"), " – given by ")
	n.staff(n.per(), "MA", "LPN", "RN")
	n.t(". VIS given to ")
	n.oneOf(
		func() { n.t("mom") },
		func() { n.nameAs(mom, n.form(tuFirst, tuFull)) },
	)
	n.t(".\nPlan: ", n.pick("Reach Out and Read book given.", "fluoride varnish applied.", "referral to Early Intervention.", "vision screen failed – ophtho referral."))
	doc := n.per()
	n.t(" May return to ", map[bool]string{true: "daycare", false: "school"}[yrs < 5], " tomorrow. Next visit ")
	n.md()
	n.t(" with ")
	n.drLast(doc)
	n.t("; call ")
	n.phone(phi.Phone)
	n.t(" if ", he, " has a fever. Discussed ", his, " sleep and ", him, " sharing a bed.\n\n")
	n.dr(doc)
	n.t(", ", n.pick("Pediatrics", "Family Medicine"), "\n")
}

// ---- 7. obstetric note ----

func (n *tuNote) obstetric() {
	mom := n.perOf(n.origin(), true)
	a := n.in(17, 44)
	partner := n.per()
	if n.ch(0.3) {
		partner = n.perOf(n.origin(), true)
	}
	mw, att := n.per(), n.per()
	g := n.in(1, 6)
	p := n.in(0, g-1)
	n.t(n.pick("L&D ADMISSION H&P", "DELIVERY NOTE", "POSTPARTUM DAY 1 – CNM NOTE", "OB Triage / Labor Note"), "\n")
	n.t("Patient: ")
	n.nm(mom)
	n.t("   MRN: ")
	n.mark(phi.MRN, n.mrn())
	n.t("   DOB: ")
	n.dob(a)
	n.t("\nEDD: ")
	n.date()
	n.t(" by ", n.pick("LMP", "8 wk US", "IVF transfer date"), ". LMP ")
	n.md()
	n.t(".\n\n")
	n.oneOf(
		func() { n.nameAs(mom, tuFirst) },
		func() {
			n.t(n.title(mom))
			n.nameAs(mom, tuLast)
		},
		func() { n.t("Pt") },
	)
	n.f(" is %s%d yo G%dP%d at %dw%dd who presents with ", tuA(a), a, g, p, n.in(34, 41), n.in(0, 6))
	n.t(n.pick("SROM at 0200, clear fluid.", "regular contractions q3-4 min.", "decreased fetal movement since yesterday.", "BP 152/98 and headache."), " ")
	n.t(n.pick("GBS negative, Rh positive, rubella immune.", "GBS positive – PCN started.", "Rh negative, RhoGAM given at 28 wk."), "\n")
	n.t("Support: ", n.partnerWord(partner.fem), " ")
	n.nameAs(partner, n.form(tuFull, tuFirst, tuFull))
	n.t(" at bedside")
	if n.ch(0.6) {
		n.t("; doula ")
		n.nameAs(n.per(), n.form(tuFirst, tuFull))
		n.t(n.pick(" (Birthing Roots Doula Collective)", " (private)", ""))
	}
	if n.ch(0.6) {
		n.t("; ", n.pick("mother ", "sister ", "best friend "))
		n.nameAs(n.kin(mom, true), n.form(tuFirst, tuNick))
		n.t(" en route from ")
		n.cityOnly()
	}
	n.t(".\nCare team: midwife ")
	n.staff(mw, "CNM", "CNM, MSN")
	n.t("; attending ")
	n.dr(att)
	n.t("; anesthesia ")
	n.dr(n.per())
	n.t(" (epidural at ", n.clock(), ").\n\nCourse: ")
	n.someOf(n.in(3, 5), " ",
		func() {
			n.t("Bishop score ", fmt.Sprint(n.in(2, 9)), " on admission; Foley bulb placed, then Pitocin per protocol.")
		},
		func() { n.t("Cytotec 25 mcg PV x2.") },
		func() { n.t("Leopold maneuvers: vertex, EFW 3400 g.") },
		func() {
			n.t("Shoulder dystocia ~40 s, resolved with McRoberts maneuver and suprapubic pressure; Woods screw not needed.")
		},
		func() { n.t("Braxton Hicks only at 34 wk visit.") },
		func() { n.t("Primary LTCS via Pfannenstiel incision for arrest of dilation.") },
		func() {
			n.t("Cervix checked by ")
			n.nameAs(mw, n.form(tuFirst, tuLast))
			n.t(": 6/90/-1.")
		},
		func() {
			n.t("Category II tracing reviewed with ")
			n.drLast(att)
			n.t(".")
		},
	)
	babyLast := mom.last
	if n.ch(0.35) {
		babyLast = partner.last
	}
	if n.ch(0.15) && babyLast != partner.last {
		babyLast = mom.last + "-" + partner.last
	}
	boy := n.ch(0.5)
	n.t("\n\nDelivery: ")
	if boy {
		n.t(n.pick("Baby Boy ", "BB ", "Baby boy "))
	} else {
		n.t(n.pick("Baby Girl ", "BG ", "Baby girl "))
	}
	n.mark(phi.Name, babyLast)
	n.t(" delivered at ", n.clock(), " on ")
	n.date()
	n.f(", Apgars %d and %d, %d g.", n.in(5, 8), n.in(8, 9), n.in(2400, 4300))
	baby := n.perOf(mom.o, !boy)
	baby.last = babyLast
	gm := n.kin(mom, !boy)
	n.t(" ")
	n.oneOf(
		func() {
			n.t("Baby's name: ")
			n.nameAs(baby, n.form(tuFull, tuFullMid))
			n.t(".")
		},
		func() {
			n.t("Parents plan to name ", tuHim(!boy), " ")
			n.nameAs(baby, tuFirst)
			n.t(" after ", tuHis(!boy), " ", n.pick("", "great-"), map[bool]string{true: "grandmother", false: "grandfather"}[gm.fem], " ")
			n.casual(gm)
			n.t(".")
		},
		func() { n.t("Name not yet chosen.") },
	)
	n.t(" Newborn MRN ")
	n.mark(phi.MRN, n.mrn())
	n.t("; peds (")
	n.drLast(n.per())
	n.t(") at delivery.\n")
	if p > 0 {
		older := n.kin(mom, n.ch(0.5))
		n.t("Prior births: ", map[bool]string{true: "daughter ", false: "son "}[older.fem])
		n.nameAs(older, tuFirst)
		n.t(" (", fmt.Sprint(n.in(1, 12)), ") born by ", n.pick("C/S", "SVD", "VBAC"), " at ", n.pick(tuBirthPlaces...), " in ", fmt.Sprint(n.yr-n.in(1, 12)), ".\n")
	}
	n.t("Postpartum: ", n.pick("desires Nexplanon", "plans IUD at 6 wk", "declines contraception"), "; lactation consult with ")
	n.nameAs(n.per(), n.form(tuFirst, tuFull))
	n.t(n.pick(", IBCLC", " (lactation)"), ". EPDS 4. ", n.pick("May go home tomorrow if BP < 150/100.", "Will recheck Hgb in AM.", "Hope to d/c 24 h."), "\n")
	n.t("F/u with ")
	n.nameAs(mw, n.form(tuFirst, tuFull, tuLast))
	n.t(" (midwife) ")
	n.md()
	n.t(", clinic ")
	n.phone(phi.Phone)
	n.t(".\n\n")
	n.staff(mw, "CNM")
	n.t("\n")
}

// ---- 8. pharmacy medication reconciliation ----

var tuMedRows = []string{
	"apixaban (Eliquis) 5 mg PO BID", "metoprolol succinate (Toprol XL) 50 mg daily", "empagliflozin (Jardiance) 10 mg daily",
	"sitagliptin (Januvia) 100 mg daily", "furosemide (Lasix) 40 mg qAM", "levothyroxine (Synthroid) 88 mcg daily",
	"warfarin (Coumadin) 5 mg Mon/Fri, 2.5 mg other days", "tamsulosin (Flomax) 0.4 mg qHS", "levetiracetam (Keppra) 500 mg BID",
	"semaglutide (Ozempic) 1 mg SC weekly", "rivaroxaban (Xarelto) 20 mg with supper", "insulin glargine (Lantus) 24 units qHS",
	"sertraline (Zoloft) 100 mg daily", "gabapentin (Neurontin) 300 mg TID", "carbidopa/levodopa (Sinemet) 25/100 TID for Parkinson's",
	"atorvastatin (Lipitor) 40 mg qHS", "albuterol HFA (ProAir) 2 puffs q4h PRN", "donepezil (Aricept) 10 mg qHS",
}

var tuOTCRows = []string{
	"St. John's wort 300 mg daily (OTC)", "Mrs. Dash salt-free seasoning (diet)", "Dr. Scholl's corn remover pads (OTC)",
	"Preparation H PRN (OTC)", "Vicks VapoRub at night (OTC)", "Boost Plus 1 bottle daily", "Carlson fish oil 1000 mg (OTC)",
	"Nature Made D3 2000 IU (OTC)", "Tylenol Arthritis 650 mg BID PRN (OTC)", "Benadryl 25 mg qHS for sleep (OTC)",
}

func (n *tuNote) medRec() {
	pt := n.per()
	a := n.ageOf(40, 102, 0.3)
	n.t(n.pick("PHARMACY MEDICATION RECONCILIATION (Admission)", "Pharmacist Admission Medication History", "MED REC – PHARMACY"), "\n")
	n.t("Patient: ")
	n.nm(pt)
	n.t("   MRN: ")
	n.mark(phi.MRN, n.mrn())
	n.t("   DOB: ")
	n.dob(a)
	n.t("   Age: ")
	n.age(a, pt.fem, n.ch(0.5))
	n.t("\nAllergies: ", n.pick("sulfa (rash)", "penicillin – hives", "NKDA", "codeine (N/V)", "lisinopril (angioedema)"), "\n")
	pharm := n.pick(tuPharmacies...)
	rel := n.kin(pt, n.ch(0.5))
	n.t("Sources: patient, ", n.relWord(rel.fem), " ")
	n.casual(rel)
	n.t(" (brought bottles), Surescripts fill history, ", pharm, " (")
	n.phone(phi.Phone)
	n.t(")")
	if n.ch(0.5) {
		n.t(", PCP office (")
		n.drLast(n.per())
		n.t(", fax ")
		n.phone(phi.Fax)
		n.t(")")
	}
	n.t(".\nPreferred pharmacy: ", pharm)
	if n.ch(0.4) {
		n.t("; specialty meds from ", n.pick(tuPharmacies...))
	}
	n.t("\n\n")
	pres := make([]tuPer, n.in(3, 5))
	for i := range pres {
		pres[i] = n.per()
	}
	prescriber := func() {
		q := pres[n.w.r.IntN(len(pres))]
		switch n.in(0, 6) {
		case 0:
			n.nameAs(q, tuLastInit)
		case 1:
			n.drLast(q)
		case 2:
			n.nameAs(q, tuInitLast)
			n.t(" ", n.pick("MD", "NP", "PA-C"))
		case 3:
			n.nameAs(q, tuLast)
			n.t(" NP")
		case 4:
			n.nameAs(q, tuLast)
			n.t("/")
			n.nameAs(pres[n.w.r.IntN(len(pres))], tuLast)
		case 5:
			n.nameAs(q, tuCapsLast)
		case 6:
			n.nameAs(q, tuLastFirst)
		}
	}
	n.t("#  Medication | Prescriber | Last fill | Status\n")
	rows := n.w.r.Perm(len(tuMedRows))[:n.in(5, 9)]
	for i, r := range rows {
		n.f("%d. %s | ", i+1, tuMedRows[r])
		prescriber()
		n.t(" | ")
		if n.ch(0.2) {
			n.t("unknown")
		} else if n.ch(0.5) {
			n.md()
		} else {
			n.date()
		}
		if n.ch(0.3) {
			n.t(", Rx #")
			n.mark(phi.ID, n.dig(7))
		}
		st := n.pick("taking as prescribed", "taking", "not taking – cost", "taking differently: 1/2 tab", "stopped by ", "missed doses")
		n.t(" | ", st)
		if st == "stopped by " {
			n.drLast(pres[n.w.r.IntN(len(pres))])
		}
		n.t("\n")
	}
	for i, r := range n.w.r.Perm(len(tuOTCRows))[:n.in(1, 3)] {
		n.f("%d. %s | self | n/a | taking\n", len(rows)+i+1, tuOTCRows[r])
	}
	n.t("\nPrescribers on file: ")
	for i, q := range pres {
		if i > 0 {
			n.t(n.pick("; ", ", "))
		}
		switch n.in(0, 2) {
		case 0:
			n.dr(q)
		case 1:
			n.staff(q, "NP", "PA-C", "DNP")
		case 2:
			n.nameAs(q, tuLastFirst)
		}
		if n.ch(0.6) {
			n.t(" NPI ")
			n.mark(phi.License, n.npi())
		}
	}
	n.t("\n\nDiscrepancies:\n1) ", n.pick("Apixaban on home list but not ordered – ", "Duplicate statin – ", "Warfarin dose differs from anticoag clinic note – "))
	n.t("discussed with ")
	n.dr(n.per())
	n.t("; ")
	n.nameAs(n.per(), n.form(tuFirst, tuFirstInit))
	n.t(" (RN) to update the MAR.\n2) ", n.pick("Patient takes St. John's wort – interacts with sertraline; advised to stop.", "Uses Mrs. Dash – fine with low-Na diet.", "Fills at two pharmacies; consolidated to one."))
	if n.ch(0.5) {
		n.t(" ")
		n.nameAs(rel, tuFirst)
		n.t(" will ", n.pick("pick up the blister packs", "bring the insulin pen", "call the pharmacy"), ".")
	}
	n.t("\n\nCompleted by ")
	n.staff(n.per(), "PharmD", "RPh", "PharmD, BCPS")
	n.t(" on ")
	n.date()
	n.t(" ", n.clock())
	if n.ch(0.5) {
		n.t("; pharmacy tech ")
		n.nameAs(n.per(), n.form(tuFirst, tuFirstInit))
		n.t(" assisted")
	}
	n.t(".\n")
}

// ---- 9. psychiatry note ----

func (n *tuNote) psych() {
	pt := n.per()
	a := n.ageOf(18, 96, 0.12)
	he, his := tuHe(pt.fem), tuHis(pt.fem)
	He := tuCap(he)
	rel := n.kin(pt, n.ch(0.5))
	relW := n.relWord(rel.fem)
	ex := n.perOf(pt.o, !pt.fem)
	sib := n.kin(pt, n.ch(0.5))
	mom := n.kin(pt, true)
	n.t(n.pick("PSYCHIATRY INITIAL EVALUATION", "Psychiatry C/L Follow-up", "BEHAVIORAL HEALTH PROGRESS NOTE", "Inpatient Psychiatry – Day 3"), "\n")
	n.t("Patient: ")
	n.nm(pt)
	n.t("   MRN: ")
	n.mark(phi.MRN, n.mrn())
	n.t("   DOB: ")
	n.dob(a)
	n.t("\nDate of service: ")
	n.date()
	n.t("\n\nID/CC: ")
	n.nameAs(pt, n.form(tuFirst, tuFull, tuLast))
	n.t(" is ", tuA(a))
	n.age(a, pt.fem, false)
	n.t(" ", n.pick("with MDD, recurrent, severe", "with bipolar I disorder", "with schizophrenia", "with PTSD and AUD", "with no prior psychiatric history"), ", ")
	n.oneOf(
		func() { n.t("brought in by police after a 911 call from ", relW, " "); n.casual(rel) },
		func() { n.t("self-referred") },
		func() {
			n.t("referred by PCP ")
			n.dr(n.per())
		},
	)
	n.t(". CC: \"", n.pick("I just want to sleep.", "They put something in the water.", "I can't do this anymore.", "My family thinks I'm crazy."), "\"\n\nHPI: ")
	n.someOf(n.in(4, 6), " ",
		func() {
			n.t(He, " states \"")
			n.nameAs(sib, n.form(tuFirst, tuNick))
			n.t(" never calls, not since Easter.\"")
		},
		func() {
			n.t("Reports ", his, " ", n.pick("sister", "brother"), " ")
			n.nameAs(sib, n.form(tuFirst, tuNick))
			n.t(" \"took the kids and won't let me see them.\"")
		},
		func() {
			n.t(He, " says '")
			n.drLast(n.per())
			n.t(" told me I was fine' and stopped lithium three weeks ago.")
		},
		func() {
			n.t("\"My ex, ")
			n.nameAs(ex, n.form(tuFirst, tuNick))
			n.t(", keeps texting me,\" ", he, " reports.")
		},
		func() {
			n.t("Per ", his, " mother, ")
			n.nameAs(mom, n.form(tuFirst, tuFull))
			n.t(", ", he, " has not slept in four days.")
		},
		func() {
			n.t(tuCap(relW), " (")
			n.nameAs(rel, tuFirst)
			n.t(") said by phone: \"", he, " hasn't been ", map[bool]string{true: "herself", false: "himself"}[pt.fem], " since ")
			n.nameAs(n.kin(pt, n.ch(0.5)), tuFirst)
			n.t(" was born.\"")
		},
		func() {
			n.t("Endorses hearing a voice that says \"Jesus is coming for you tonight\"; denies command AH to harm others.")
		},
		func() {
			n.t("Sponsor ")
			n.nameAs(n.per(), n.form(tuFirst, tuFirstInit))
			n.t(" (AA) has not heard from ", tuHim(pt.fem), " since ")
			n.md()
			n.t(".")
		},
		func() {
			n.t("Texts from \"")
			n.nameAs(ex, tuNick)
			n.t("\" on ", his, " phone were reviewed with consent; they mention a ", n.pick("gun", "plan to leave", "custody hearing"), ".")
		},
		func() {
			n.t("Quote: \"Tell ")
			n.nameAs(mom, n.form(tuFirst, tuNick))
			n.t(" I'm sorry.\"")
		},
	)
	n.t("\n\nPsych hx: prior admissions to ", n.pick(tuFacilities...), " (", fmt.Sprint(n.yr-n.in(1, 15)), "); outpatient therapy with ", n.title(n.per()))
	n.nameAs(n.per(), tuLast)
	n.t(", LCSW. ", n.pick("Beck Depression Inventory 32.", "PHQ-9 21, GAD-7 15.", "C-SSRS: passive SI, no plan.", "AIMS 0."), "\n")
	n.t("Meds: ", n.pick("Abilify 10 mg", "Seroquel 50 mg qHS", "lithium 900 mg (level 0.8)", "Klonopin 0.5 mg BID PRN", "Zyprexa 10 mg"), ", ", n.pick("Lexapro 20 mg", "Wellbutrin XL 300 mg", "Cogentin 1 mg", "naltrexone 50 mg"), ".\n")
	n.t("MSE: ", n.pick("disheveled, poor eye contact", "well-groomed, guarded", "psychomotor agitation"), "; speech ", n.pick("pressured", "soft, slow", "normal rate"), "; mood \"", n.pick("empty", "fine", "angry"), "\"; thought content preoccupied with ")
	n.nameAs(ex, n.form(tuFirst, tuNick))
	n.t("'s ", n.pick("new relationship", "custody petition", "death"), "; ", n.pick("r/o Wernicke-Korsakoff – thiamine given", "no Capgras features", "Cluster B traits"), ".\n")
	n.t("Safety: ")
	if n.ch(0.5) {
		n.t("firearms: none in home; means restriction counselling done.")
	} else {
		gk := n.kin(pt, false)
		n.t("firearms: ", n.pick("brother-in-law", "father", "son", "cousin"), " ")
		n.nameAs(gk, n.form(tuFirst, tuFull))
		n.t(" holds the key to the gun safe and agreed to remove the guns.")
	}
	n.t("\n\nCollateral: spoke with ", relW, ", ")
	n.nm(rel)
	n.t(" (")
	n.phone(phi.Phone)
	n.t("), ROI signed.\nPlan: ", n.pick("continue IVC; ", "voluntary admission; ", "discharge with safety plan; "), "family meeting ")
	n.md()
	n.t(" with ")
	n.nameAs(rel, tuFirst)
	n.t(" and ")
	n.nameAs(sib, n.form(tuFirst, tuNick))
	n.t(". May titrate lithium. Will reassess.\n\n")
	n.dr(n.per())
	if n.ch(0.5) {
		n.t(" / resident ")
		n.dr(n.per())
	}
	n.t(", Psychiatry\n")
}

// ---- 10. hospice death visit or bereavement call ----

func (n *tuNote) hospice() {
	pt := n.per()
	a := n.ageOf(52, 106, 0.4)
	him := tuHim(pt.fem)
	sp := n.kin(pt, !pt.fem)
	if n.ch(0.5) {
		sp.last = pt.last
	}
	k1, k2 := n.kin(pt, n.ch(0.5)), n.kin(pt, n.ch(0.5))
	k1W := n.relWord(k1.fem)
	funeral := n.pick(tuFuneralHomes...)
	if n.ch(0.5) {
		n.t(n.pick("HOSPICE – DEATH VISIT / PRONOUNCEMENT", "Hospice RN Death Visit", "PRONOUNCEMENT NOTE (Hospice)"), "\n")
		n.t("Patient: ")
		n.nm(pt)
		n.t("   DOB: ")
		n.dob(a)
		n.t("   Hospice ID: ")
		n.mark(phi.MRN, n.mrn())
		n.t("\nDate/time of death: ")
		n.date()
		n.t(" ", n.clock(), "   Age: ")
		n.age(a, pt.fem, n.ch(0.3))
		n.t("\nPlace: ")
		n.oneOf(
			func() {
				n.t("home (")
				n.mark(phi.Location, n.street())
				n.t(", ")
				n.cityOnly()
				n.t(")")
			},
			func() { n.t("Room ", fmt.Sprint(n.in(100, 340)), ", ", n.pick(tuHospiceHomes...)) },
		)
		n.t("\nPronounced by: ")
		n.staff(n.per(), "RN", "RN, CHPN")
		n.t("; ")
		n.dr(n.per())
		n.t(" (hospice medical director) notified at ", n.clock(), ".\nPresent: ", n.partnerWord(sp.fem), " ")
		n.nameAs(sp, n.form(tuFull, tuFirst))
		n.t(", ", k1W, " ")
		n.casual(k1)
		n.t(n.pick(" and ", ", "), n.relWord(k2.fem), " ")
		n.casual(k2)
		n.t(n.pick(", and the family dog.", ".", ", grandchildren in the kitchen."), "\n")
		n.t("Last days: ", n.pick("Cheyne-Stokes respirations since ", "mottling to knees since ", "Kennedy terminal ulcer sacrum noted "), n.wday(), "; ",
			n.pick("Roxanol 5 mg SL q1h PRN", "Haldol 0.5 mg for agitation", "scopolamine patch for secretions", "Ativan 0.5 mg SL"), "; PPS 10%. Dx: ",
			n.pick("end-stage Parkinson's disease", "metastatic pancreatic ca", "ESRD off dialysis", "ALS", "CHF NYHA IV", "Alzheimer's dementia, FAST 7c"), ".\n")
		n.t("Post-mortem care with ")
		n.nameAs(n.per(), n.form(tuFirst, tuFirstInit))
		n.t(" (aide) and ")
		n.nameAs(k1, tuFirst)
		n.t(", who wished to bathe ", him, ". Family ", n.pick("said the Rosary.", "sang \"Amazing Grace\".", "prayed the Hail Mary.", "recited the Mourner's Kaddish.", "read Surah Yasin."), "\n")
		n.t("Funeral home: ", funeral, ", director ")
		n.nameAs(n.per(), n.form(tuFull, tuInitLast))
		n.t(" (")
		n.phone(phi.Phone)
		n.t("), removal at ", n.clock(), ".\nMeds destroyed: morphine 20 mg/mL 18 mL, lorazepam 2 mg/mL 6 mL; witnessed by ")
		n.nm(sp)
		n.t(".\n")
		if n.ch(0.7) {
			n.t("ME not notified – expected death, POLST on file.")
		} else {
			n.t("ME notified, case #")
			n.mark(phi.ID, fmt.Sprint(n.yr)+"-"+n.dig(5))
			n.t(" – released.")
		}
		n.t("\nNext of kin: ")
		n.nm(sp)
		n.t(" (", n.pick("spouse", "partner"), "), ")
		n.phone(phi.Phone)
		n.t("; ")
		n.nm(k1)
		n.t(" (", k1W, "), ")
		n.mark(phi.Email, n.email(k1))
		n.t("\n")
		return
	}
	n.t(n.pick("BEREAVEMENT FOLLOW-UP – ", "Bereavement call, ", "BEREAVEMENT CONTACT "), n.pick("3-month", "6-month", "13-month", "1st anniversary"), "\n")
	n.t("Deceased: ")
	n.nm(pt)
	n.t(" (d. ")
	n.date()
	n.t(", age ")
	n.ageNum(a)
	n.t(")   Hospice ID: ")
	n.mark(phi.MRN, n.mrn())
	n.t("\nBereaved: ", n.pick("spouse ", "partner ", "widow(er) "))
	n.nm(sp)
	n.t(", ")
	n.mark(phi.Location, n.street())
	n.t(", ")
	n.cityOnly()
	n.t("; ")
	n.phone(phi.Phone)
	n.t("\n\nSpoke with ")
	n.nameAs(sp, n.form(tuFirst, tuNick))
	n.t(" by phone. ")
	n.someOf(n.in(3, 5), " ",
		func() {
			n.t(tuCap(tuHe(sp.fem)), " said, \"I still set two plates,\" and that ")
			n.nameAs(pt, n.form(tuFirst, tuNick))
			n.t("'s ", n.pick("chair", "coat", "truck"), " is ", n.pick("still by the door.", "the hardest part."))
		},
		func() {
			n.t(tuCap(k1W), " ")
			n.casual(k1)
			n.t(" has moved back from ")
			n.cityOnly()
			n.t(" to stay with ", tuHim(sp.fem), ".")
		},
		func() {
			gk := n.kin(pt, n.ch(0.5))
			n.t("Grandchild ")
			n.nameAs(gk, n.form(tuFirst, tuNick))
			n.t(" (", fmt.Sprint(n.in(6, 17)), ") is struggling at school; referred to Camp Erin.")
		},
		func() {
			n.t("The anniversary of ")
			n.nameAs(pt, n.form(tuFirst, tuNick))
			n.t("'s death is ")
			n.md()
			n.t("; will send a card.")
		},
		func() {
			n.t("Attends the \"Healing Hearts\" group on Thursdays; facilitator ")
			n.nameAs(n.per(), n.form(tuFirst, tuFull))
			n.t(".")
		},
		func() {
			n.t(n.pick("Pastor ", "Rabbi ", "Imam ", "Father "))
			n.nameAs(n.per(), tuLast)
			n.t(" continues to visit; ", funeral, " sent the death certificates.")
		},
		func() {
			n.t("Sleeping poorly; sees PCP ")
			n.drLast(n.per())
			n.t(" ")
			n.md()
			n.t(". Kübler-Ross model not used; discussed grief as waves.")
		},
	)
	n.t("\nRisk: ", n.pick("low", "moderate", "high"), " (Bereavement Risk Assessment Tool). ", n.pick("May need referral to grief counselling.", "Will call again in 3 months.", "Hope to see "+tuHim(sp.fem)+" at the memorial service."), "\n")
	n.t("\n")
	n.staff(n.per(), "MSW", "MDiv", "Bereavement Coordinator")
	n.t("\n")
}
