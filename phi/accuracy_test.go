package phi_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/phi"
	"github.com/vellumhealth/vellum/phi/score"
	"github.com/vellumhealth/vellum/phi/synth"
)

// Seeds of the synthetic corpus: the detector is developed on devSeed and measured on
// heldOutSeed, which no one reads while changing it. The styles are in four sets
// (phi/synth): Styles, written with the detector; HeldOutStyles and TuneStyles, each
// written apart by someone who did not read it, then tuned on (devSeed) after their
// first score; and FreshStyles, written apart again and never tuned on: the honest
// figure.
const (
	devSeed     = 1
	heldOutSeed = 20261206
	corpusNotes = 1400
)

func scoreCorpus(seed uint64, styles []string) *score.Report {
	var r score.Report
	for _, n := range synth.CorpusOf(seed, corpusNotes, styles) {
		r.Add(n.Text, n.Spans, phi.Find(n.Text))
	}
	return &r
}

// TestRecallOnTheDevelopmentCorpus prints the scores and the misses on the corpus the
// detector is developed on (with -v, or PHI_MISSES=1 for every example).
func TestRecallOnTheDevelopmentCorpus(t *testing.T) {
	if phi.RaceEnabled {
		t.Skip("scored without the race detector (make test runs it so)")
	}
	r := scoreCorpus(devSeed, tunedOn())
	var b strings.Builder
	r.Print(&b)
	t.Log("\n" + b.String())
	if os.Getenv("PHI_MISSES") != "" {
		for _, m := range r.Misses {
			t.Logf("MISS %-10s %q  in  %q", m.Type, m.Text, m.Context)
		}
		for _, m := range r.FalseAlarms {
			t.Logf("FALSE %-10s %q  in  %q", m.Type, m.Text, m.Context)
		}
	}
}

// heldOut is the first two tuned-on sets, measured at the held-out seed as they have
// been since before the third; tunedOn is all three.
func heldOut() []string { return append(slices.Clone(synth.Styles), synth.HeldOutStyles...) }

func tunedOn() []string { return append(heldOut(), synth.TuneStyles...) }

// TestTheMeasuredScoresHold guards the figures README reports against a change that
// loses recall or precision: each corpus's floor is a little under its score when the
// figures were written. A failure here means a change made the detector worse on text
// it was measured on; the fix is in the detector, not in the floors.
func TestTheMeasuredScoresHold(t *testing.T) {
	if phi.RaceEnabled {
		t.Skip("scored without the race detector (make test runs it so)")
	}
	for _, c := range []struct {
		name              string
		styles            []string
		recall, precision float64
	}{
		{"held out (styles tuned on, notes never read)", heldOut(), 0.98, 0.98},
		{"fourth author's (styles tuned on, notes never read)", synth.TuneStyles, 0.83, 0.93},
		{"fresh (styles never tuned on)", synth.FreshStyles, 0.835, 0.90},
	} {
		r := scoreCorpus(heldOutSeed, c.styles)
		var b strings.Builder
		r.Print(&b)
		t.Logf("%s:\n%s", c.name, b.String())
		if got := r.Entity.Recall(); got < c.recall {
			t.Errorf("%s: entity recall %.4f, under its floor %.2f", c.name, got, c.recall)
		}
		if got := r.Entity.Precision(); got < c.precision {
			t.Errorf("%s: entity precision %.4f, under its floor %.2f", c.name, got, c.precision)
		}
	}
}

// BenchmarkAccuracy reports the scores `make bench` prints beside the speed: entity
// recall and precision, overall and for names, dates and contact numbers, on each
// measured corpus.
func BenchmarkAccuracy(b *testing.B) {
	for _, c := range []struct {
		name   string
		styles []string
	}{{"heldout", heldOut()}, {"tune", synth.TuneStyles}, {"fresh", synth.FreshStyles}} {
		b.Run(c.name, func(b *testing.B) {
			var r *score.Report
			for b.Loop() {
				r = scoreCorpus(heldOutSeed, c.styles)
			}
			b.ReportMetric(r.Entity.Recall(), "recall")
			b.ReportMetric(r.Entity.Precision(), "precision")
			b.ReportMetric(r.Entity.F2(), "F2")
			for _, t := range []phi.Type{phi.Name, phi.Date, phi.Phone} {
				if c := r.EntityBy[t]; c != nil {
					b.ReportMetric(c.Recall(), strings.ToLower(string(t))+"_recall")
				}
			}
		})
	}
}
