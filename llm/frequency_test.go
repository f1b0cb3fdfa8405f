package llm

import (
	"slices"
	"strings"
	"testing"
)

// TestFrequenciesAreReadInEveryForm: the forms a dictation says and a note writes
// read as one schedule, and what is not a schedule reads as none.
func TestFrequenciesAreReadInEveryForm(t *testing.T) {
	for text, want := range map[string]string{
		"daily": "1/d", "once a day": "1/d", "once daily": "1/d", "every day": "1/d", "QD": "1/d",
		"BID": "2/d", "b.i.d.": "2/d", "twice a day": "2/d", "twice daily": "2/d", "2 times a day": "2/d",
		"2x/day": "2/d", "2x daily": "2/d", "2 times per day": "2/d",
		"TID": "3/d", "3 times daily": "3/d", "thrice daily": "3/d", "QID": "4/d",
		"q6h": "q6h", "Q6H": "q6h", "q 6 hours": "q6h", "q6 hrs": "q6h", "every 6 hours": "q6h",
		"q4-6h": "q4-6h", "every 4 to 6 hours": "q4-6h", "every 2 weeks": "q2wk", "every 3 days": "q3d",
		"qhs": "qhs", "at bedtime": "qhs", "at night": "qhs", "nightly": "qhs", "every night": "qhs",
		"qAM": "qam", "every morning": "qam", "in the morning": "qam", "every evening": "qpm",
		"weekly": "1/wk", "once a week": "1/wk", "twice weekly": "2/wk", "monthly": "1/mo",
		"every other day": "qod", "QOD": "qod", "PRN": "prn", "as needed": "prn",
		// Not schedules.
		"once": "", "vomited 3 times": "", "quit": "", "q": "", "for 6 hours": "", "every": "",
	} {
		words := strings.Fields(text)
		keys := make([]string, len(words))
		for i, w := range words {
			keys[i] = frequencyKey(w)
		}
		got := ""
		for i := range keys {
			if f, used := frequencyAt(keys, i); used > 0 {
				got = f
				break
			}
		}
		if got != want {
			t.Errorf("%q reads as %q, want %q", text, got, want)
		}
	}
}

// TestGroundChecksHowOften: a frequency is grounded by the same schedule said for
// the same drug, in any of its forms; another schedule, or another drug's, is
// flagged.
func TestGroundChecksHowOften(t *testing.T) {
	src := "She takes metformin five hundred milligrams twice a day, lisinopril twenty milligrams once a day, " +
		"oxycodone five milligrams every six hours as needed for pain, and trazodone fifty milligrams at night. " +
		"Tylenol every eight hours."
	for _, tt := range []struct {
		draft string
		want  []string
	}{
		{"Metformin 500 mg BID. Lisinopril 20 mg daily. Oxycodone 5 mg q6h PRN pain. Trazodone 50 mg qhs. " +
			"Acetaminophen q8h.", nil},
		{"Metformin 500 mg b.i.d., lisinopril 20 mg once daily, trazodone 50 mg at bedtime. Oxycodone 5 mg QID as needed.", nil},
		{"Acetaminophen TID.", nil},                // q8h and TID are one schedule
		{"Trazodone 50 mg daily.", nil},            // at night is once a day
		{"Metformin 500 mg TID.", []string{"TID"}}, // another schedule
		{"Lisinopril 20 mg BID.", []string{"BID"}}, // metformin's schedule given to lisinopril
		{"Lisinopril 20 mg qhs.", []string{"qhs"}}, // daily is not at night
		{"Oxycodone 5 mg every 4 hours.", []string{"every 4 hours"}},
		{"Metformin 500 mg weekly.", []string{"weekly"}},
		{"Walks daily.", nil}, // said, though not of a drug
		{"Aspirin 81 mg every other day.", []string{"Aspirin", "81 mg", "every other day"}},
	} {
		var got []string
		for _, s := range Ground(src, tt.draft) {
			got = append(got, s.Text)
			if s.Kind == Frequency && !slices.Contains(tt.want, s.Text) {
				t.Errorf("%q: %q flagged", tt.draft, s.Text)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: flagged %q, want %q", tt.draft, got, tt.want)
		}
	}
}
