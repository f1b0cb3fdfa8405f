package llm

import (
	"errors"
	"reflect"
	"testing"
)

func TestGroundMarksWhatTheSourceDoesNotSay(t *testing.T) {
	src := "58 yo man, chest pain since 2026-03-01. BP 150/90. On metformin 500mg twice daily. Temp 37.8."
	tests := []struct {
		name, draft string
		want        []string
	}{
		{"everything grounded, spacing aside", "58-year-old man with chest pain since 2026-03-01. BP 150/90. Metformin 500 mg twice daily. Temperature 37.8.", nil},
		{"an invented dose", "Metformin 1000 mg twice daily.", []string{"1000 mg"}},
		{"an invented drug", "Start atorvastatin.", []string{"atorvastatin"}},
		{"an invented date", "Symptoms since 2026-02-14.", []string{"2026-02-14"}},
		{"an invented number", "Pain score 8 out of 10.", []string{"8", "10"}},
		{"a changed measurement", "Temp 38.7.", []string{"38.7"}},
		{"a grounded number in another unit is still a number", "Review in 58 days.", []string{"58 days"}},
		{"words are not flagged", "Well-appearing man in no distress.", nil},
		{"a dose inside a grounded dose is still new", "Metformin 5 mg.", []string{"5 mg"}},
		{"the same date in another format is grounded", "Seen 3/1/2026.", nil},
		{"another date in another format is new", "Seen 3/2/2026.", []string{"3/2/2026"}},
		{"each part of a combination is judged", "Amoxicillin-clavulanate twice daily.", []string{"Amoxicillin", "clavulanate", "twice daily"}},
		{"thousands are one number", "Platelets 10,000.", []string{"10,000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Ground(src, tt.draft) {
				if tt.draft[s.Start:s.End] != s.Text {
					t.Fatalf("span %+v does not match the draft", s)
				}
				got = append(got, s.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Ground = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestScreenRefusesWhatIsNotAClinicalSource(t *testing.T) {
	tests := []struct {
		name, src string
		ok        bool
	}{
		{"empty", "   \n\t", false},
		{"near-empty", "patient seen today", false},
		{"one clinical word is not enough", "The patient went home to the farm and fed the chickens all morning long.", false},
		{"a story", "Once upon a time there was a little girl named Lily who loved to play outside in the park all day.", false},
		{"a story with an old man and a child", "Once upon a time there was an old man who lived by the sea with his child and a plan.", false},
		{"a shopping list", "eggs milk bread butter flour sugar apples bananas cheese coffee", false},
		{"a dictation", "Patient is a 45 year old woman with three days of cough and fever, no chest pain, lungs clear.", true},
		{"shorthand", "pt 72M hx copd, sob x2d, sats 91% RA, started prednisone and azithromycin", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Screen(tt.src)
			if (err == nil) != tt.ok {
				t.Fatalf("Screen = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrNotClinical) {
				t.Fatalf("err %v is not ErrNotClinical", err)
			}
		})
	}
}

func FuzzGround(f *testing.F) {
	f.Add("BP 150/90 on metformin 500mg", "Metformin 1000 mg since 2026-03-01")
	f.Fuzz(func(t *testing.T, src, draft string) {
		for _, s := range Ground(src, draft) {
			if s.Start < 0 || s.End > len(draft) || s.Start >= s.End || draft[s.Start:s.End] != s.Text {
				t.Fatalf("bad span %+v", s)
			}
		}
		Screen(src)
	})
}
