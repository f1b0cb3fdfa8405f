package llm

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSpokenFormsAreWritten(t *testing.T) {
	tests := map[string]string{
		"twenty milligrams":                     "20 mg ",
		"one twenty four over seventy six":      "124/76 mmHg 124 mmHg 76 mmHg ",
		"ninety eight point six":                "98.6 ",
		"seven and a half":                      "7.5 ",
		"two point five":                        "2.5 ",
		"one hundred and twenty":                "120 ",
		"twenty-four hours":                     "24 hours",
		"two thousand three hundred":            "2300 ",
		"three, four":                           "3 4 ",
		"nineteen ninety":                       "1990 ",
		"five cc":                               "5 mL ",
		"seventy two kilograms.":                "72 kg ",
		"two point five.":                       "2.5 ",
		"no numbers here":                       "no numbers here",
		"a week ago":                            "1 week ago",
		"an hour later, a patient":              "1 hour later, a patient",
		"the patient is one of the lucky ones.": "the patient is 1 of the lucky ones.",
	}
	for in, want := range tests {
		if got := spokenToWritten(in); got != want {
			t.Errorf("spokenToWritten(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGroundReadsSpokenSources: a dictation's spoken numbers and unit words ground
// the note's written ones.
func TestGroundReadsSpokenSources(t *testing.T) {
	src := "Started on lisinopril twenty milligrams daily. Blood pressure one twenty four over seventy six, " +
		"temp ninety eight point six, weighs seventy two kilograms. Takes seven and a half units, and two point five milligrams of something. " +
		"Levothyroxine one hundred micrograms. Five cc of syrup. Cough since a week ago."
	draft := "Lisinopril 20 mg daily. BP 124/76 mmHg. Temp 98.6. Weight 72 kg. Takes 7.5 units. Dose 2.5 mg. " +
		"Levothyroxine 100 mcg. 5 mL of syrup. Cough for 1 week."
	if got := Ground(src, draft); len(got) != 0 {
		t.Fatalf("faithful note flagged: %+v", got)
	}
}

// TestGroundFlagsAChangedUnit: the unit is part of the dose. (When units were
// ignored, "500 mg" grounded "500 g", a thousandfold error.)
func TestGroundFlagsAChangedUnit(t *testing.T) {
	tests := []struct{ src, draft, want string }{
		{"amoxicillin 500 mg", "Amoxicillin 500 g.", "500 g"},
		{"levothyroxine 100 mcg", "Levothyroxine 100 mg.", "100 mg"},
		{"5 mL of syrup", "5 L of syrup.", "5 L"},
		{"insulin 10 units", "Insulin 10 mg.", "10 mg"},
		{"amoxicillin five hundred milligrams", "Amoxicillin 500 g.", "500 g"},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range Ground(tt.src, tt.draft) {
			got = append(got, s.Text)
		}
		if !reflect.DeepEqual(got, []string{tt.want}) {
			t.Errorf("Ground(%q, %q) = %q, want %q", tt.src, tt.draft, got, tt.want)
		}
	}
	// The same unit spelled otherwise is the same dose.
	for _, pair := range [][2]string{{"100 µg", "100 mcg"}, {"5 cc", "5 mL"}, {"10 IU", "10 units"}} {
		if got := Ground(pair[0], pair[1]); len(got) != 0 {
			t.Errorf("Ground(%q, %q) = %+v, want nothing", pair[0], pair[1], got)
		}
	}
}

func FuzzSpokenToWritten(f *testing.F) {
	for _, s := range []string{"one twenty four over seventy six", "seven and a half", "two point five milligrams",
		"one hundred and", "point", "and a half", "twenty-", "-four", "thousand thousand", "über 12.5 mg/kg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := spokenToWritten(s)
		if len(out) > 4*len(s)+64 {
			t.Fatalf("%d bytes in, %d out", len(s), len(out))
		}
		Ground(s, s)
	})
}

// BenchmarkGroundLongSource: a 50-page dictation (about 150,000 words) against a
// 2-page note, target under 50 ms.
func BenchmarkGroundLongSource(b *testing.B) {
	page := strings.Repeat("Patient reports twenty milligrams of lisinopril daily, blood pressure one twenty four over seventy six, "+
		"metformin 500 mg twice daily since 3/1/2026, temp ninety eight point six. ", 30)
	source := strings.Repeat(page, 50)
	draft := strings.Repeat("Lisinopril 20 mg daily. BP 124/76 mmHg. Metformin 500 mg twice daily. Temp 98.6. Started amlodipine 5 mg. ", 40)
	var total time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		Ground(source, draft)
		total += time.Since(start)
		n++
	}
	ms := float64(total.Microseconds()) / float64(n) / 1000
	b.ReportMetric(float64(len(source))/1e6, "source-MB")
	b.ReportMetric(ms, "ground-ms")
	b.ReportMetric(ms/50, "ground/50ms-budget")
}

// TestWordSetIsWordRe: the scanner finds what wordRe finds.
func TestWordSetIsWordRe(t *testing.T) {
	for _, s := range []string{"Amoxicillin-clavulanate 500mg, über-Dosis -x a--b", "", "-", "ß ǅ x-", "naïve 3rd"} {
		want := map[string]bool{}
		for _, w := range wordRe.FindAllString(s, -1) {
			want[strings.ToLower(w)] = true
		}
		if got := wordSet(s); !reflect.DeepEqual(got, want) {
			t.Errorf("wordSet(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestDatesAreComparedAsDates: one date in two formats is grounded; another date is
// not.
func TestDatesAreComparedAsDates(t *testing.T) {
	grounded := [][2]string{
		{"seen 8/3/2020", "Seen 08/03/2020."},
		{"seen 2020-08-03", "Seen August 3, 2020."},
		{"seen 3 August 2020", "Seen 8/3/2020."},
		{"started in July 2021", "Started 07/2021."},
		{"started 07/2021", "Started July 2021."},
	}
	for _, p := range grounded {
		if got := Ground(p[0], p[1]); len(got) != 0 {
			t.Errorf("Ground(%q, %q) = %+v, want nothing", p[0], p[1], got)
		}
	}
	flagged := [][2]string{
		{"seen 8/3/2020", "Seen 8/4/2020."},
		{"seen 2020-08-03", "Seen August 4, 2020."},
		{"started in July 2021", "Started 08/2021."},
		{"seen 3/1/2026", "Seen 13/1/2026."},
	}
	for _, p := range flagged {
		if got := Ground(p[0], p[1]); len(got) != 1 || got[0].Kind != Date {
			t.Errorf("Ground(%q, %q) = %+v, want one date", p[0], p[1], got)
		}
	}
}

// BenchmarkGroundLongDraft: a draft's cost grows with its length, not faster (a
// hostile draft of many doses and drug names): the time per kilobyte of a 380 KB draft
// against a 95 KB one's, in one run (1.0 is linear).
func BenchmarkGroundLongDraft(b *testing.B) {
	source := "Lisinopril 20 mg daily, metformin 500 mg twice daily, aspirin 81 mg."
	line := "Lisinopril 20 mg daily. Metformin 500 mg BID. Aspirin 81 mg. Atorvastatin 40 mg qhs. "
	short, long := strings.Repeat(line, 95<<10/len(line)), strings.Repeat(line, 380<<10/len(line))
	perKB := func(draft string) float64 {
		start := time.Now()
		Ground(source, draft)
		return float64(time.Since(start).Microseconds()) / 1000 / float64(len(draft)>>10)
	}
	var s, l float64
	for b.Loop() {
		s += perKB(short)
		l += perKB(long)
	}
	b.ReportMetric(l/s, "long/short-per-KB")
	b.ReportMetric(l/float64(b.N)*float64(len(long)>>10), "long-draft-ms")
}
