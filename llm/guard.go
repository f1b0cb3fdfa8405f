package llm

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
)

//go:embed drugs.txt
var drugList string

var drugs = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(drugList, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()

// ErrNotClinical: Screen refused the source.
var ErrNotClinical = errors.New("the source does not read as a clinical encounter")

// MinSourceWords is the least a source must say before a draft is attempted.
const MinSourceWords = 8

// clinicalTerms are words that a clinical source almost always has one of; with none,
// a model would have to invent the encounter.
var clinicalTerms = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`patient pt presents presented presenting complains complaint complaints history
		hx exam examination vitals bp hr rr temp temperature pulse pain fever cough dyspnea shortness breath nausea
		vomiting diarrhea rash headache dizziness fatigue chest abdomen abdominal lungs heart wound swelling bleeding
		diagnosis assessment plan impression medication medications meds dose allergies allergy symptoms symptom
		onset denies reports admitted admission discharge discharged follow-up followup referral labs lab imaging
		x-ray ct mri ultrasound ecg ekg bloods creatinine glucose hemoglobin sats saturation oxygen afebrile
		tender tenderness clear murmur auscultation prescribed started stopped increase decrease mg ml years old
		yo male female man woman child infant visit clinic ward ed emergency surgery procedure injury fracture
		infection diabetes hypertension asthma copd pneumonia sepsis stroke seizure anxiety depression`) {
		m[w] = true
	}
	for d := range drugs {
		m[d] = true
	}
	return m
}()

// Screen refuses, before any inference, a source that is empty, near-empty, or has
// nothing clinical in it. It is deterministic: the same text always gets the same
// answer, and no model is asked to fill a void.
func Screen(source string) error {
	words := wordRe.FindAllString(source, -1)
	if len(words) == 0 {
		return fmt.Errorf("%w: it is empty", ErrNotClinical)
	}
	if len(words) < MinSourceWords {
		return fmt.Errorf("%w: %d words is too little to draft from (at least %d)", ErrNotClinical, len(words), MinSourceWords)
	}
	hits := 0
	for _, w := range words {
		if clinicalTerms[strings.ToLower(w)] {
			hits++
		}
	}
	if hits == 0 {
		return fmt.Errorf("%w: it names no symptom, finding, history, medication or plan", ErrNotClinical)
	}
	return nil
}
