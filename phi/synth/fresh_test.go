package synth

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/vellumhealth/vellum/phi"
)

var freshSeeds = []uint64{7, 20250611}

func TestFreshStylesRegistered(t *testing.T) {
	if len(FreshStyles) < 8 {
		t.Fatalf("%d fresh styles, want at least 8", len(FreshStyles))
	}
	seen := map[string]bool{}
	for _, s := range FreshStyles {
		if !strings.HasPrefix(s, "fresh-") {
			t.Errorf("style %q lacks the fresh- prefix", s)
		}
		if seen[s] {
			t.Errorf("style %q registered twice", s)
		}
		seen[s] = true
		if heldOut[s] == nil {
			t.Errorf("style %q not in the dispatch table", s)
		}
		if slices.Contains(Styles, s) || slices.Contains(HeldOutStyles, s) {
			t.Errorf("style %q is also a tuning or held-out style", s)
		}
	}
}

// TestFreshSpans checks that every fresh note's spans are well formed.
func TestFreshSpans(t *testing.T) {
	for _, seed := range freshSeeds {
		notes := CorpusOf(seed, 300, FreshStyles)
		perStyle := map[string]int{}
		for i, n := range notes {
			perStyle[n.Style] += len(n.Spans)
			prev := 0
			for j, s := range n.Spans {
				if s.Start < 0 || s.End > len(n.Text) || s.Start >= s.End {
					t.Fatalf("seed %d note %d (%s) span %d out of range or empty: %+v", seed, i, n.Style, j, s)
				}
				if s.Start < prev {
					t.Fatalf("seed %d note %d (%s) span %d unsorted or overlapping: %+v", seed, i, n.Style, j, s)
				}
				prev = s.End
				x := n.Text[s.Start:s.End]
				if !utf8.ValidString(x) {
					t.Errorf("seed %d note %d (%s): span %q splits a character", seed, i, n.Style, x)
				}
				f, _ := utf8.DecodeRuneInString(x)
				l, _ := utf8.DecodeLastRuneInString(x)
				if unicode.IsSpace(f) || unicode.IsSpace(l) {
					t.Errorf("seed %d note %d (%s): span %q has space at an end", seed, i, n.Style, x)
				}
				if strings.ContainsRune(".,;:!?\"'", l) || strings.ContainsRune(".,;:!?\"')", f) {
					t.Errorf("seed %d note %d (%s): span %q has punctuation at an end", seed, i, n.Style, x)
				}
				checkFreshSpan(t, n.Style, s.Type, x)
			}
		}
		for _, st := range FreshStyles {
			if perStyle[st] == 0 {
				t.Errorf("seed %d: style %s wrote no identifiers", seed, st)
			}
		}
	}
}

var (
	freshTitle    = regexp.MustCompile(`^(?i)(dr|mr|mrs|ms|fr|rabbi|imam|pastor|chaplain)\.?\s`)
	freshCred     = regexp.MustCompile(`,?\s(MD|DO|RN|DDS|PT|RD|NP|PA-C)$`)
	freshYearOnly = regexp.MustCompile(`^(19|20)\d\d$`)
	freshMonth    = regexp.MustCompile(`(?i)jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|/|-|\.`)
	freshPhoneOut = regexp.MustCompile(`555[-. /]?01\d\d`)
)

func checkFreshSpan(t *testing.T, style string, typ phi.Type, x string) {
	t.Helper()
	switch typ {
	case phi.Name:
		if strings.ContainsAny(x, "0123456789") || freshTitle.MatchString(x) || freshCred.MatchString(x) {
			t.Errorf("%s: name span %q has digits, a title or credentials", style, x)
		}
	case phi.Date:
		if freshYearOnly.MatchString(x) || !(freshMonth.MatchString(x) || len(x) == 8) {
			t.Errorf("%s: date span %q is a year alone or has no month", style, x)
		}
	default:
		checkContactSpan(t, style, typ, x)
	}
}

// TestFreshNoStrayPhones checks that no 555-01xx number is left outside a span.
func TestFreshNoStrayPhones(t *testing.T) {
	for _, seed := range freshSeeds {
		for i, n := range CorpusOf(seed, 300, FreshStyles) {
			masked := []byte(n.Text)
			for _, s := range n.Spans {
				for k := s.Start; k < s.End; k++ {
					masked[k] = '#'
				}
			}
			if m := freshPhoneOut.Find(masked); m != nil {
				t.Errorf("seed %d note %d (%s): unmarked telephone %q", seed, i, n.Style, m)
			}
			for _, bad := range []string{"\u0000", "%!", "(MISSING)", "  ."} {
				if strings.Contains(n.Text, bad) {
					t.Errorf("seed %d note %d (%s): text has %q", seed, i, n.Style, bad)
				}
			}
		}
	}
}

// TestFreshEachStyle writes every style alone and checks the types it covers
// together.
func TestFreshEachStyle(t *testing.T) {
	types := map[phi.Type]bool{}
	for _, st := range FreshStyles {
		notes := CorpusOf(99, 40, []string{st})
		for _, n := range notes {
			if n.Style != st || n.Text == "" {
				t.Fatalf("style %s wrote %q / %d bytes", st, n.Style, len(n.Text))
			}
			for _, s := range n.Spans {
				types[s.Type] = true
			}
		}
	}
	for _, ty := range []phi.Type{phi.Name, phi.Date, phi.Age, phi.Phone, phi.Fax, phi.Email, phi.SSN, phi.MRN, phi.Account,
		phi.HealthPlan, phi.License, phi.Vehicle, phi.Device, phi.URL, phi.IP, phi.Location, phi.ZIP, phi.ID} {
		if !types[ty] {
			t.Errorf("no fresh style writes type %v", ty)
		}
	}
}

func TestFreshDeterministic(t *testing.T) {
	a, b := CorpusOf(3, 60, FreshStyles), CorpusOf(3, 60, FreshStyles)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different corpus")
	}
}
