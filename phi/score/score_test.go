package score

import (
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/phi"
)

// TestScoresAsI2b2Does: a name half found is an entity missed but a token found; a
// date found as another type still counts (binary), with the types disagreeing; a
// span on no gold token is a false positive.
func TestScoresAsI2b2Does(t *testing.T) {
	text := "Tavia Quenby seen 03/14/2024 for cough, lisinopril 10 mg."
	at := func(s string) (int, int) { i := strings.Index(text, s); return i, i + len(s) }
	ns, ne := at("Tavia Quenby")
	ds, de := at("03/14/2024")
	ls, le := at("lisinopril")
	gold := []phi.Span{{Start: ns, End: ne, Type: phi.Name}, {Start: ds, End: de, Type: phi.Date}}
	found := []phi.Span{{Start: ns, End: ns + 5, Type: phi.Name}, {Start: ds, End: de, Type: phi.ID}, {Start: ls, End: le, Type: phi.Name}}
	var r Report
	r.Add(text, gold, found)
	// Tokens: Tavia, Quenby, 03, 14, 2024 are gold; Tavia and the date's three are
	// found; lisinopril is a false positive.
	if r.Token != (Counts{TP: 4, FN: 1, Right: 4, FP: 1}) {
		t.Errorf("tokens: %+v", r.Token)
	}
	// Entities: the name is missed (Quenby left), the date found; of three found
	// spans two touch gold.
	if r.Entity != (Counts{TP: 1, FN: 1, Right: 2, FP: 1}) {
		t.Errorf("entities: %+v", r.Entity)
	}
	if got := r.EntityBy[phi.Date].Recall(); got != 1 {
		t.Errorf("date recall %v", got)
	}
	if got := r.EntityBy[phi.Name].Recall(); got != 0 {
		t.Errorf("name recall %v", got)
	}
	if got := r.TypeAgreement(); got != 0.25 {
		t.Errorf("type agreement %v, want 1 of 4 tokens", got)
	}
	if len(r.Misses) != 1 || r.Misses[0].Text != "Tavia Quenby" || len(r.FalseAlarms) != 1 || r.FalseAlarms[0].Text != "lisinopril" {
		t.Errorf("examples: %+v %+v", r.Misses, r.FalseAlarms)
	}
	c := Counts{TP: 9, FN: 1, Right: 9, FP: 3}
	if p, rc, f2 := c.Precision(), c.Recall(), c.F2(); p != 0.75 || rc != 0.9 || f2 < 0.8653 || f2 > 0.8654 {
		t.Errorf("P %v R %v F2 %v", p, rc, f2)
	}
	var all Report
	all.Merge(&r)
	all.Merge(&r)
	if all.Entity.FN != 2 || all.Texts != 2 {
		t.Errorf("merged: %+v", all.Entity)
	}
}
