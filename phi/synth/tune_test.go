package synth

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/vellumhealth/vellum/phi"
)

var tuSeeds = []uint64{11, 424242}

func TestTuneStylesRegistered(t *testing.T) {
	if len(TuneStyles) != 10 {
		t.Fatalf("%d tune styles, want 10", len(TuneStyles))
	}
	seen := map[string]bool{}
	for _, s := range TuneStyles {
		switch {
		case !strings.HasPrefix(s, "tune-"):
			t.Errorf("style %q lacks the tune- prefix", s)
		case seen[s]:
			t.Errorf("style %q registered twice", s)
		case heldOut[s] == nil:
			t.Errorf("style %q has no writer", s)
		case slices.Contains(Styles, s) || slices.Contains(HeldOutStyles, s) || slices.Contains(FreshStyles, s):
			t.Errorf("style %q belongs to another set too", s)
		}
		seen[s] = true
	}
}

var (
	tuTitleIn   = regexp.MustCompile(`^(?i)(dr|mr|mrs|ms|mx|rev|pastor|imam|rabbi|father|capt|sgt|officer|deputy|baby|nurse)\.?\s`)
	tuCredIn    = regexp.MustCompile(`,\s*(MD|DO|RN|NP|PA-C|CNM|PharmD|RPh|LCSW|MSW|EMT|IBCLC)$`)
	tuMonthish  = regexp.MustCompile(`(?i)jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|/|-`)
	tuYearAlone = regexp.MustCompile(`^(19|20)\d\d$`)
	tuStray     = regexp.MustCompile(`555[-. ]?01\d\d`)
)

// TestTuneSpans checks every span: in range, sorted, not overlapping, trimmed, and
// of text that fits its type.
func TestTuneSpans(t *testing.T) {
	for _, seed := range tuSeeds {
		for i, n := range CorpusOf(seed, 500, TuneStyles) {
			prev := 0
			for j, s := range n.Spans {
				if s.Start < prev || s.Start >= s.End || s.End > len(n.Text) {
					t.Fatalf("seed %d note %d (%s) span %d empty, out of range or overlapping: %+v", seed, i, n.Style, j, s)
				}
				prev = s.End
				x := n.Text[s.Start:s.End]
				if !utf8.ValidString(x) {
					t.Fatalf("seed %d note %d (%s): span %q splits a character", seed, i, n.Style, x)
				}
				f, _ := utf8.DecodeRuneInString(x)
				l, _ := utf8.DecodeLastRuneInString(x)
				if unicode.IsSpace(f) || unicode.IsSpace(l) || strings.ContainsRune(x, '\n') {
					t.Errorf("%s: span %q has space at an end or a line break", n.Style, x)
				}
				if strings.ContainsRune(".,;:!?\"')", f) || strings.ContainsRune(".,;:!?\"'(", l) {
					t.Errorf("%s: span %q has punctuation at an end", n.Style, x)
				}
				tuCheckSpan(t, n.Style, s.Type, x)
			}
		}
	}
}

func tuCheckSpan(t *testing.T, style string, typ phi.Type, x string) {
	t.Helper()
	switch typ {
	case phi.Name:
		if strings.ContainsAny(x, "0123456789/@") || tuTitleIn.MatchString(x) || tuCredIn.MatchString(x) || strings.HasSuffix(x, "'s") {
			t.Errorf("%s: name %q has digits, a title, credentials or a possessive", style, x)
		}
	case phi.Date:
		if tuYearAlone.MatchString(x) || !tuMonthish.MatchString(x) {
			t.Errorf("%s: date %q is a year alone or has no month", style, x)
		}
	default:
		checkContactSpan(t, style, typ, x)
	}
}

// TestTuneText checks what lies outside the spans: no telephone number left
// unmarked, no formatting debris, every unmarked age under 90.
func TestTuneText(t *testing.T) {
	unmarkedAge := regexp.MustCompile(`\b(\d{2,3})(-year-old| yo\b| y/o\b|-yr-old| year old|yo [MF]\b|[MFmf]\b, )`)
	for _, seed := range tuSeeds {
		for i, n := range CorpusOf(seed, 500, TuneStyles) {
			masked := []byte(n.Text)
			for _, s := range n.Spans {
				for k := s.Start; k < s.End; k++ {
					masked[k] = '#'
				}
			}
			if m := tuStray.Find(masked); m != nil {
				t.Errorf("seed %d note %d (%s): unmarked telephone %q", seed, i, n.Style, m)
			}
			for _, m := range unmarkedAge.FindAllSubmatch(masked, -1) {
				if a, _ := strconv.Atoi(string(m[1])); a >= 90 && a < 200 {
					t.Errorf("seed %d note %d (%s): unmarked age %q", seed, i, n.Style, m[0])
				}
			}
			text := strings.ReplaceAll(n.Text, "...", "…")
			for _, bad := range []string{"%!", "(MISSING)", "  .", " ,", "..", "\x00"} {
				if strings.Contains(text, bad) {
					t.Errorf("seed %d note %d (%s): text has %q", seed, i, n.Style, bad)
				}
			}
		}
	}
}

// tuHardNegatives are words that look like names and are not: eponyms, brands,
// songs and prayers. Each must occur in the corpus and never inside a span.
var tuHardNegatives = []string{
	"Foley catheter", "Glasgow Coma Scale", "Morse fall", "Braden", "Apgars", "McRoberts", "Bishop score", "Leopold",
	"Cheyne-Stokes", "Kennedy terminal ulcer", "Parkinson's", "Kendrick", "Stokes basket", "Zimmer frame", "Berg 31",
	"Sara Stedy", "Barthel", "Wernicke", "Beck Depression", "Kübler-Ross", "Kawasaki", "Ortolani", "Peppa Pig", "favourite is Chase",
	"Mrs. Dash", "Dr. Scholl's", "St. John's wort", "Hail Mary", "Amazing Grace", "Meals on Wheels", "St. Vincent de Paul",
	"Eliquis", "Jesus is", "Hunt-Hess", "Pfannenstiel", "Braxton Hicks", "Camp Erin", "Daniel Tiger",
}

func TestTuneHardNegatives(t *testing.T) {
	found := map[string]int{}
	for _, seed := range tuSeeds {
		for i, n := range CorpusOf(seed, 500, TuneStyles) {
			for _, w := range tuHardNegatives {
				for off := 0; ; {
					k := strings.Index(n.Text[off:], w)
					if k < 0 {
						break
					}
					a, b := off+k, off+k+len(w)
					found[w]++
					for _, s := range n.Spans {
						if s.Start < b && a < s.End {
							t.Errorf("seed %d note %d (%s): %q is inside span %q", seed, i, n.Style, w, n.Text[s.Start:s.End])
						}
					}
					off = b
				}
			}
		}
	}
	for _, w := range tuHardNegatives {
		if found[w] == 0 {
			t.Errorf("hard negative %q never written", w)
		}
	}
}

// TestTuneNames checks that each style is rich in names and that the corpus holds
// the name shapes it is written for.
func TestTuneNames(t *testing.T) {
	names := map[string]int{}
	notes := map[string]int{}
	var lower, comma, single, caps, hyphen, particle, nonASCII, apostrophe int
	for _, n := range CorpusOf(5, 600, TuneStyles) {
		notes[n.Style]++
		for _, s := range n.Spans {
			if s.Type != phi.Name {
				continue
			}
			x := n.Text[s.Start:s.End]
			names[n.Style]++
			r, _ := utf8.DecodeRuneInString(x)
			switch {
			case strings.ToLower(x) == x && !strings.HasPrefix(x, "van ") && !strings.HasPrefix(x, "de") && !strings.HasPrefix(x, "al-"):
				lower++
			case strings.ToUpper(x) == x && len(x) > 2:
				caps++
			case unicode.IsLower(r):
				particle++
			}
			if strings.Contains(x, ", ") {
				comma++
			}
			if !strings.Contains(x, " ") {
				single++
			}
			if strings.Contains(x, "-") {
				hyphen++
			}
			if strings.ContainsRune(x, '\'') {
				apostrophe++
			}
			if strings.ContainsFunc(x, func(r rune) bool { return r > unicode.MaxASCII }) {
				nonASCII++
			}
		}
	}
	for _, st := range TuneStyles {
		if notes[st] == 0 {
			t.Fatalf("style %s wrote no notes", st)
		}
		if avg := float64(names[st]) / float64(notes[st]); avg < 6 {
			t.Errorf("style %s: %.1f names a note, want at least 6", st, avg)
		}
	}
	for what, k := range map[string]int{"lower-case": lower, "Last, First": comma, "one-word": single, "capitals": caps,
		"hyphenated": hyphen, "lower-case particle": particle, "beyond ASCII": nonASCII, "apostrophe": apostrophe} {
		if k < 20 {
			t.Errorf("only %d %s names in 600 notes", k, what)
		}
	}
}

// TestTuneTypes checks the identifier types the styles write between them.
func TestTuneTypes(t *testing.T) {
	types := map[phi.Type]bool{}
	for _, st := range TuneStyles {
		for _, n := range CorpusOf(31, 30, []string{st}) {
			if n.Style != st || n.Text == "" {
				t.Fatalf("style %s wrote %q, %d bytes", st, n.Style, len(n.Text))
			}
			for _, s := range n.Spans {
				types[s.Type] = true
			}
		}
	}
	for _, ty := range []phi.Type{phi.Name, phi.Date, phi.Age, phi.Phone, phi.Fax, phi.Email, phi.MRN, phi.HealthPlan,
		phi.License, phi.Vehicle, phi.Location, phi.ZIP, phi.ID} {
		if !types[ty] {
			t.Errorf("no tune style writes %v", ty)
		}
	}
}

func TestTuneDeterministic(t *testing.T) {
	a, b := CorpusOf(3, 40, TuneStyles), CorpusOf(3, 40, TuneStyles)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("one seed, two corpora")
	}
	if c := CorpusOf(4, 40, TuneStyles); reflect.DeepEqual(a, c) {
		t.Fatal("two seeds, one corpus")
	}
}
