package llm

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
)

//go:embed drugs.txt
var drugList string

// drugs maps each name in the lexicon (drugs.txt), lower-cased, to the generics it
// names: a generic to itself, a brand to its ingredients (a combination's, all of
// them). A brand of several words or with a hyphen ("MS Contin", "Solu-Medrol") is
// known by each of its parts of five letters or more, as drafts and sources are read
// word by word — except a part that is a name of its own ("Tylenol" of "Tylenol with
// Codeine" names acetaminophen alone, not codeine).
var drugs = func() map[string][]string {
	m := map[string][]string{}
	add := func(name, generic string) {
		if !slices.Contains(m[name], generic) {
			m[name] = append(m[name], generic)
		}
	}
	type entry struct{ generics, brands []string }
	var entries []entry
	own := map[string]bool{} // names that are a whole name in some entry
	for _, l := range strings.Split(drugList, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		generic, brands, _ := strings.Cut(l, ":")
		var e entry
		for _, g := range strings.Split(generic, "+") {
			g = strings.ToLower(strings.TrimSpace(g))
			e.generics = append(e.generics, g)
			own[g] = true
		}
		for _, b := range strings.Split(brands, ",") {
			if b = strings.ToLower(strings.TrimSpace(b)); b != "" {
				e.brands = append(e.brands, b)
				own[b] = true
			}
		}
		entries = append(entries, e)
	}
	for _, e := range entries {
		for _, g := range e.generics {
			add(g, g)
		}
		for _, b := range e.brands {
			parts := strings.FieldsFunc(b, func(r rune) bool { return r == ' ' || r == '-' })
			for _, p := range parts {
				if len(parts) == 1 || len(p) >= 5 && !own[p] {
					for _, g := range e.generics {
						add(p, g)
					}
				}
			}
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
	// Specific terms only: words like "man", "old", "plan" or "heart" occur in
	// stories too.
	for _, w := range strings.Fields(`patient pt presents presented presenting complains complaint complaints
		hx exam examination vitals bp hr rr temp pulse pain fever cough dyspnea dyspnoea sob nausea
		vomiting diarrhea diarrhoea rash headache dizziness fatigue abdominal lungs wound swelling bleeding
		diagnosis assessment impression medication medications meds dose allergies allergy symptoms
		onset denies admitted admission discharge discharged follow-up followup referral labs imaging
		x-ray ct mri ultrasound ecg ekg bloods creatinine glucose hemoglobin haemoglobin sats saturation afebrile
		tender tenderness murmur auscultation prescribed mg ml mmhg bpm yo clinic ward surgery procedure
		fracture infection diabetes hypertension asthma copd pneumonia sepsis stroke seizure anxiety depression
		tonsils tonsillitis lymphadenopathy exudate chest`) {
		m[w] = true
	}
	for d := range drugs {
		m[d] = true
	}
	return m
}()

// MinClinicalTerms is how many distinct clinical terms a source must use.
const MinClinicalTerms = 2

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
	distinct := map[string]bool{}
	for _, w := range words {
		if lw := strings.ToLower(w); clinicalTerms[lw] {
			distinct[lw] = true
		}
	}
	if len(distinct) < MinClinicalTerms {
		return fmt.Errorf("%w: it names too few symptoms, findings, medications or results", ErrNotClinical)
	}
	return nil
}
