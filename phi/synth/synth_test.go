package synth

import (
	"slices"
	"testing"
)

func TestSpansAreWellFormed(t *testing.T) {
	for i, n := range Corpus(1, 70) {
		for j, s := range n.Spans {
			if s.Start >= s.End || s.End > len(n.Text) {
				t.Fatalf("note %d span %d out of range: %+v", i, j, s)
			}
			if j > 0 && n.Spans[j-1].End > s.Start {
				t.Fatalf("note %d spans %d and %d overlap", i, j-1, j)
			}
			if txt := n.Text[s.Start:s.End]; txt != trimSpace(txt) {
				t.Fatalf("note %d span %q has space at an end", i, txt)
			}
		}
	}
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\n') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\n') {
		s = s[:len(s)-1]
	}
	return s
}

func TestTheSameSeedGivesTheSameCorpus(t *testing.T) {
	a, b := Corpus(7, 20), Corpus(7, 20)
	for i := range a {
		if a[i].Text != b[i].Text || !slices.Equal(a[i].Spans, b[i].Spans) {
			t.Fatalf("note %d differs between two runs of one seed", i)
		}
	}
	if Corpus(8, 1)[0].Text == a[0].Text {
		t.Fatal("two seeds gave the same note")
	}
}
