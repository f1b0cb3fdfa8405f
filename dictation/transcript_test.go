package dictation

import "testing"

// TestSpokenCommandsShapeTheText: punctuation and breaks said are written, "scratch
// that" takes back what was said before it, "next section" is reported, and
// sentences begin with a capital whatever case the recogniser wrote in.
func TestSpokenCommandsShapeTheText(t *testing.T) {
	tests := []struct {
		name       string
		utterances []string
		want       string
		next       bool
	}{
		{"punctuation is said", []string{"patient denies chest pain period she reports mild dyspnea comma worse on exertion period"},
			"Patient denies chest pain. She reports mild dyspnea, worse on exertion.", false},
		{"capitals from the recogniser are not kept", []string{"I THINK THIS IS VIRAL PERIOD"}, "I think this is viral.", false},
		{"utterances are joined", []string{"no fever", "comma no chills period"}, "No fever, no chills.", false},
		{"breaks", []string{"assessment colon new line hypertension new paragraph plan colon continue lisinopril"},
			"Assessment:\nHypertension\n\nPlan: continue lisinopril", false},
		{"scratch that said first takes back the utterance before", []string{"start metformin", "scratch that", "continue metformin period"},
			"Continue metformin.", false},
		{"scratch that after words takes back those words", []string{"blood pressure is high period", "increase amlodipine scratch that hold amlodipine period"},
			"Blood pressure is high. Hold amlodipine.", false},
		{"next section is reported and not written", []string{"follow up in two weeks period next section"}, "Follow up in two weeks.", true},
		{"questions", []string{"any chest pain question mark no period"}, "Any chest pain? No.", false},
		{"i is capitalised alone", []string{"i'm not sure i agree period"}, "I'm not sure I agree.", false},
		{"nothing said", []string{"", "  "}, "", false},
		{"the organ and the span of time are words", []string{"polyp in the sigmoid colon period her last period was two weeks ago period colon cancer screening is due period"},
			"Polyp in the sigmoid colon. Her last period was two weeks ago. Colon cancer screening is due.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr Transcript
			next := false
			for _, u := range tt.utterances {
				next = tr.Add(u) || next
			}
			if got := tr.String(); got != tt.want || next != tt.next {
				t.Errorf("got %q (next section %v), want %q (%v)", got, next, tt.want, tt.next)
			}
		})
	}
}
