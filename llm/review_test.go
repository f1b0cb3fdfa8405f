package llm

import (
	"slices"
	"testing"
)

// TestGroundOnAReviewersCases: what a second reader found the check missing, or
// flagging in faithful notes, stays found and stays quiet.
func TestGroundOnAReviewersCases(t *testing.T) {
	for _, tt := range []struct {
		name, source, draft string
		want                []string // the spans flagged, in order
	}{
		// Made up, and flagged.
		{"a dose said as point five", "Lorazepam point five milligrams at night.", "Lorazepam 5 mg at night.", []string{"5 mg"}},
		{"and written so", "Lorazepam point five milligrams at night.", "Lorazepam 0.5 mg at night.", nil},
		{"a decimal of three digits", "Digoxin point one two five milligrams.", "Digoxin 0.125 mg.", nil},
		{"a leading dot is a tenth", "Lorazepam 5 mg.", "Lorazepam .5 mg.", []string{".5 mg"}},
		{"doses said before their drugs, swapped", "On 81 mg aspirin and 40 mg atorvastatin.", "Aspirin 40 mg. Atorvastatin 81 mg.", []string{"40 mg", "81 mg"}},
		{"and kept", "On 81 mg aspirin and 40 mg atorvastatin.", "Aspirin 81 mg. Atorvastatin 40 mg.", nil},
		{"a dose per kilogram", "Amoxicillin 45 mg twice daily.", "Amoxicillin 45 mg/kg twice daily.", []string{"45 mg/kg"}},
		{"grams spelled out", "Metformin 500 mg.", "Metformin 500 grams.", []string{"500 grams"}},
		{"digits glued to a unit", "Metformin 500 mg.", "Metformin 5000mgs.", []string{"5000mgs"}},
		{"digits glued to x", "Cough x5 days.", "Cough x7 days.", []string{"7 days"}},
		{"an ordinal day", "Seen March 5th, 2024.", "Seen March 6th, 2024.", []string{"6"}},
		{"a decade of values", "Pulse 88.", "HR in the 140s.", []string{"140"}},
		{"a frequency in words", "Metformin 500 mg once daily.", "Metformin 500 mg four times daily.", []string{"four times daily"}},
		{"an interval in words", "Oxycodone 5 mg every 6 hours.", "Oxycodone 5 mg every eight hours.", []string{"every eight hours"}},
		{"intervals in words", "Cough for 5 days. Follow up in 4 weeks.", "Cough for seven days. Follow up in two weeks.", []string{"seven days", "two weeks"}},
		{"a dose in words", "Metformin 500 mg.", "Metformin fifty milligrams.", []string{"fifty milligrams"}},
		{"a vital after words", "BP 142/90, HR 88.", "Blood pressure elevated at 142/88.", []string{"142/88"}},
		{"a combination from one ingredient", "Tylenol 500 mg.", "Percocet 500 mg.", []string{"Percocet"}},
		{"a combination's other ingredient", "Tylenol as needed.", "Codeine as needed.", []string{"Codeine", "as needed"}},
		{"a combination from its other part", "Amoxicillin 875 mg.", "Augmentin 875 mg.", []string{"Augmentin"}},
		// The second reader's second round.
		{"a frequency said only of another drug", "Aspirin 81 mg. Lisinopril 10 mg daily.", "Aspirin 81 mg daily. Lisinopril 10 mg daily.", []string{"daily"}},
		{"a follow-up the source does not give", "Cough for 2 weeks, no fever.", "Cough for 2 weeks. Follow up in 2 weeks.", []string{"2 weeks"}},
		{"a blood pressure from two readings", "BP 150/95, repeat 138/88.", "BP 150/88 mmHg.", []string{"150/88 mmHg"}},
		{"intervals swapped between symptoms", "Cough for 3 days. Fever for 5 days.", "Cough x5 days. Fever x3 days.", []string{"5 days", "3 days"}},
		{"point five in a draft", "Lorazepam 5 mg.", "Lorazepam point five milligrams.", []string{"point five milligrams"}},
		{"a drug the source names as an allergy", "Allergies: penicillin. Takes lisinopril.", "Continue penicillin and lisinopril.", []string{"penicillin"}},
		{"a drug the source says was stopped", "She stopped the metformin last month. On lisinopril.", "Continue metformin. Lisinopril.", []string{"metformin"}},
		// Faithful, and quiet.
		{"an allergy and a stopped drug, kept as such", "Allergic to penicillin. She stopped the metformin. On lisinopril.",
			"Allergies: penicillin. Metformin was stopped. Continue lisinopril.", nil},
		{"an allergy listed after its drug", "Penicillin allergy. On lisinopril.", "Allergies: penicillin (rash). Lisinopril.", nil},
		{"intervals of their symptoms", "Back pain for 2 weeks, leg pain for 3 days. Fever since yesterday.",
			"Leg pain for 3 days. Back pain x2 weeks.", nil},
		{"laboratory values beside a drug", "Creatinine 1.8 mg/dL. On metformin 500 mg twice daily.",
			"Metformin 500 mg BID, held for creatinine 1.8 mg/dL.", nil},
		{"a follow-up written with a colon", "Cough for 3 days. Follow up in two weeks.", "Cough for 3 days. Follow-up: 2 weeks. RTC 2 weeks.", nil},
		{"an interval range", "Cough for 2-3 days.", "Cough for 2-3 days.", nil},
		{"a dose range with a zero", "Lorazepam 0.5-1 mg, or 05-10 mg of something.", "Lorazepam 0.5-1 mg.", nil},
		{"a drug that ends a sentence", "Continue aspirin. 40 mg atorvastatin.", "Continue aspirin. Atorvastatin 40 mg.", nil},
		{"activities of daily living", "Lisinopril 10 mg. Independent in activities.", "Lisinopril 10 mg; independent in activities of daily living.", nil},
		{"per minute", "Norepinephrine 0.1 mcg/kg per minute.", "Norepinephrine 0.1 mcg/kg/min.", nil},
		{"typed numbers", "Cough x5 days, sats >92%, BP:140/90.", "Cough x5 days. Sats >92%. BP 140/90.", nil},
		{"a hundred and twenty over eighty", "Blood pressure a hundred and twenty over eighty.", "BP 120/80 mmHg.", nil},
		{"one-twenty over eighty", "BP was one-twenty over eighty.", "BP 120/80 mmHg.", nil},
		{"a hundred milligrams", "Sertraline a hundred milligrams.", "Sertraline 100 mg.", nil},
		{"laboratory units", "Glucose 110 mg/dL, creatinine 1.1 mg/dL, sodium 140 mEq/L, hemoglobin 12.5 g/dL.",
			"Glucose 110 mg/dL, creatinine 1.1 mg/dL, sodium 140 mEq/L, hemoglobin 12.5 g/dL.", nil},
		{"per kilogram per day", "Amoxicillin 45 mg/kg per day.", "Amoxicillin 45 mg/kg/day.", nil},
		{"a repeat reading", "BP 150/95, repeat 138/88.", "BP 138/88 mmHg.", nil},
		{"a dose range", "Oxycodone 5-10 mg as needed.", "Oxycodone 5-10 mg as needed.", nil},
		{"a range of hours", "Oxycodone every 4-6 hours.", "Oxycodone q4-6h.", nil},
		{"a change of dose", "Increase lisinopril from 10 to 20 mg.", "Increase lisinopril from 10 mg to 20 mg.", nil},
		{"an international name", "Paracetamol as needed. Salbutamol inhaler.", "Acetaminophen as needed. Albuterol inhaler.", nil},
		{"intervals and doses in words, kept", "Cough for 5 days, follow up in 4 weeks, metformin 500 mg.",
			"Cough for five days. Follow up in four weeks. Metformin five hundred milligrams.", nil},
		{"a vital after words, kept", "BP 142/90, HR 88.", "Blood pressure elevated at 142/90.", nil},
		{"names with digits", "SpO2 97 percent. Vitamin B12 low. A1c 7.", "SpO2 97%. B12 low. A1c 7%.", nil},
	} {
		var got []string
		for _, s := range Ground(tt.source, tt.draft) {
			if s.Kind != NotInSource {
				got = append(got, s.Text)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: flagged %q, want %q", tt.name, got, tt.want)
		}
	}
}
