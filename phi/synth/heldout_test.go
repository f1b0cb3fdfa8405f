package synth

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vellumhealth/vellum/phi"
)

// checkSpans reports a span that is out of range, out of order, overlapping, empty,
// split inside a character, or that starts or ends with space or with punctuation
// that is not part of an identifier.
func checkSpans(t *testing.T, n Note) {
	t.Helper()
	end := 0
	for i, s := range n.Spans {
		if s.Start < end || s.Start >= s.End || s.End > len(n.Text) {
			t.Fatalf("%s: span %d [%d,%d) out of range or order (prev end %d, len %d)\n%s", n.Style, i, s.Start, s.End, end, len(n.Text), n.Text)
		}
		end = s.End
		if !utf8.RuneStart(n.Text[s.Start]) || (s.End < len(n.Text) && !utf8.RuneStart(n.Text[s.End])) {
			t.Fatalf("%s: span %d [%d,%d) splits a character", n.Style, i, s.Start, s.End)
		}
		txt := n.Text[s.Start:s.End]
		if strings.TrimSpace(txt) != txt {
			t.Fatalf("%s: span %d %q has space at an end", n.Style, i, txt)
		}
		if strings.ContainsAny(txt[:1], ",;:.\"'") || strings.ContainsAny(txt[len(txt)-1:], ",;:\"'(") {
			t.Fatalf("%s: span %d %q has punctuation at an end", n.Style, i, txt)
		}
		if strings.Count(txt, "(") != strings.Count(txt, ")") {
			t.Fatalf("%s: span %d %q has unbalanced parentheses", n.Style, i, txt)
		}
		if strings.Contains(txt, "\n") {
			t.Fatalf("%s: span %d %q spans lines", n.Style, i, txt)
		}
	}
}

func TestHeldOutSpans(t *testing.T) {
	if len(HeldOutStyles) < 8 {
		t.Fatalf("%d held-out styles, want at least 8", len(HeldOutStyles))
	}
	seen := map[string]bool{}
	for _, s := range HeldOutStyles {
		if seen[s] {
			t.Fatalf("style %q registered twice", s)
		}
		seen[s] = true
		for _, old := range Styles {
			if s == old {
				t.Fatalf("held-out style %q is also a tuned style", s)
			}
		}
		if heldOut[s] == nil {
			t.Fatalf("style %q has no writer", s)
		}
	}
	for _, seed := range []uint64{1, 7, 2024} {
		notes := CorpusOf(seed, 300, HeldOutStyles)
		perStyle := map[string]int{}
		for _, n := range notes {
			if !utf8.ValidString(n.Text) {
				t.Fatalf("%s: text is not UTF-8", n.Style)
			}
			checkSpans(t, n)
			perStyle[n.Style] += len(n.Spans)
		}
		for _, s := range HeldOutStyles {
			if perStyle[s] == 0 {
				t.Errorf("seed %d: style %q wrote no identifiers", seed, s)
			}
		}
	}
}

// TestHeldOutDeterministic checks that a seed gives the same held-out corpus.
func TestHeldOutDeterministic(t *testing.T) {
	a, b := CorpusOf(42, 40, HeldOutStyles), CorpusOf(42, 40, HeldOutStyles)
	for i := range a {
		if a[i].Text != b[i].Text || len(a[i].Spans) != len(b[i].Spans) {
			t.Fatalf("note %d differs between runs of one seed", i)
		}
	}
}

// TestHeldOutEachStyle runs every style many times on its own.
func TestHeldOutEachStyle(t *testing.T) {
	for _, s := range HeldOutStyles {
		r := rand.New(rand.NewPCG(3, 5))
		for i := 0; i < 200; i++ {
			n := Write(r, s)
			if n.Style != s || n.Text == "" {
				t.Fatalf("style %q wrote an empty note", s)
			}
			checkSpans(t, n)
		}
	}
}

// TestHeldOutPhones checks that every telephone and fax number is in the fictional
// 555-01xx range.
func TestHeldOutPhones(t *testing.T) {
	for _, n := range CorpusOf(9, 300, HeldOutStyles) {
		for _, s := range n.Spans {
			if s.Type != phi.Phone && s.Type != phi.Fax {
				continue
			}
			d := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, n.Text[s.Start:s.End])
			if !strings.Contains(d, "55501") {
				t.Fatalf("%s: phone %q not in 555-01xx", n.Style, n.Text[s.Start:s.End])
			}
		}
	}
}
