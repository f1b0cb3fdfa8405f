package llm

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestGroundReadsFactsInTheirContext: a dose belongs to its drug (by brand or
// generic), a vital sign's value to its sign, an interval to what it is of; list
// numbers are structure, spinal levels are compared as levels, and an age or a
// weight the source does not say is shown apart.
func TestGroundReadsFactsInTheirContext(t *testing.T) {
	src := "Fifty eight year old man. Cough for three days. Taking Glucophage five hundred milligrams twice a day " +
		"and lisinopril ten milligrams once a day, and twenty five milligrams of metoprolol. Blood pressure one forty two over ninety, heart rate seventy six, " +
		"respiratory rate eighteen, oxygen saturation ninety seven percent. MRI shows a bulge at L four L five. " +
		"Last A1c on March third, twenty twenty six. Follow up in two weeks."
	tests := []struct {
		name, draft string
		want        []string
		quiet       []string
	}{
		{"a faithful note", "58-year-old man.\n1. Metformin 500 mg BID\n2. Lisinopril 10 mg daily\nBP 142/90 mmHg, HR 76 bpm, RR 18, SpO2 97%.\n" +
			"Cough for 3 days. MRI: bulge at L4-5. A1c (03/03/2026). Follow-up in 2 weeks.", nil, nil},
		{"one drug's dose given to another", "Lisinopril 500 mg daily.", []string{"500 mg"}, nil},
		{"a dose said before its drug", "Metoprolol 25 mg.", nil, nil},
		{"and given to the drug before", "Lisinopril 25 mg.", []string{"25 mg"}, nil},
		{"another sign's value", "HR 18 bpm.", []string{"18 bpm"}, nil},
		{"a changed blood pressure", "BP 142/95 mmHg.", []string{"142/95 mmHg"}, nil},
		{"an interval of another kind", "Cough for 2 weeks.", []string{"2 weeks"}, nil},
		{"a rate is not one day", "Cough for 1 day.", []string{"1 day"}, nil},
		{"another spinal level", "Bulge at L3-4.", []string{"L3-4"}, nil},
		{"a weight from the record", "Weight 82 kg.", nil, []string{"82 kg"}},
		{"an age the source does not say", "61-year-old man.", nil, []string{"61"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, quiet []string
			for _, s := range Ground(src, tt.draft) {
				if s.Kind == NotInSource {
					quiet = append(quiet, s.Text)
				} else {
					got = append(got, s.Text)
				}
			}
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(quiet, tt.quiet) {
				t.Fatalf("Ground = %q and quietly %q, want %q and %q", got, quiet, tt.want, tt.quiet)
			}
		})
	}
}

// TestLexiconHasCommonBrands: common brands of the most prescribed drugs are in the
// lexicon, each naming its generic, and brand and generic ground each other.
func TestLexiconHasCommonBrands(t *testing.T) {
	pairs := map[string]string{
		"Coumadin": "warfarin", "Norvasc": "amlodipine", "Protonix": "pantoprazole", "Lasix": "furosemide",
		"Flexeril": "cyclobenzaprine", "Ultram": "tramadol", "Mobic": "meloxicam", "Lipitor": "atorvastatin",
		"Synthroid": "levothyroxine", "Zoloft": "sertraline", "Zestril": "lisinopril", "Glucophage": "metformin",
		"Prilosec": "omeprazole", "Cozaar": "losartan", "Neurontin": "gabapentin", "Lexapro": "escitalopram",
		"Crestor": "rosuvastatin", "Zocor": "simvastatin", "Toprol": "metoprolol", "Singulair": "montelukast",
		"Eliquis": "apixaban", "Xarelto": "rivaroxaban", "Plavix": "clopidogrel", "Januvia": "sitagliptin",
		"Jardiance": "empagliflozin", "Ozempic": "semaglutide", "Trulicity": "dulaglutide", "Lantus": "glargine",
		"Humalog": "lispro", "ProAir": "albuterol", "Ventolin": "albuterol", "Flonase": "fluticasone",
		"Advair": "salmeterol", "Symbicort": "formoterol", "Spiriva": "tiotropium", "Zyrtec": "cetirizine",
		"Claritin": "loratadine", "Wellbutrin": "bupropion", "Cymbalta": "duloxetine", "Prozac": "fluoxetine",
		"Celexa": "citalopram", "Desyrel": "trazodone", "Seroquel": "quetiapine", "Abilify": "aripiprazole",
		"Xanax": "alprazolam", "Klonopin": "clonazepam", "Ativan": "lorazepam", "Ambien": "zolpidem",
		"Adderall": "amphetamine", "Lyrica": "pregabalin", "Keppra": "levetiracetam", "Lamictal": "lamotrigine",
		"Flomax": "tamsulosin", "Zyloprim": "allopurinol", "Augmentin": "clavulanate", "Keflex": "cephalexin",
		"Zithromax": "azithromycin", "Bactrim": "sulfamethoxazole", "Cipro": "ciprofloxacin", "Valtrex": "valacyclovir",
		"Norco": "hydrocodone", "Percocet": "oxycodone", "Tylenol": "acetaminophen", "Motrin": "ibuprofen",
		"Aleve": "naproxen", "Deltasone": "prednisone", "Medrol": "methylprednisolone", "Coreg": "carvedilol",
		"Lopressor": "metoprolol", "Aldactone": "spironolactone", "Microzide": "hydrochlorothiazide",
		"Zofran": "ondansetron", "Pepcid": "famotidine", "Nexium": "esomeprazole", "Zetia": "ezetimibe",
		"Entresto": "valsartan", "Farxiga": "dapagliflozin", "Victoza": "liraglutide", "Buspar": "buspirone",
		"Remeron": "mirtazapine", "Zanaflex": "tizanidine", "Robaxin": "methocarbamol", "Plaquenil": "hydroxychloroquine",
	}
	for brand, generic := range pairs {
		gs := drugs[strings.ToLower(brand)]
		if !slices.Contains(gs, generic) {
			t.Errorf("%s names %v in the lexicon, want %s among them", brand, gs, generic)
			continue
		}
		if got := Ground("Takes "+brand+" daily.", "Takes "+generic+" daily."); len(got) != 0 {
			t.Errorf("%s in the source does not ground %s: %v", brand, generic, got)
		}
		// A combination's brand is grounded by all its ingredients, not one.
		all := strings.Join(gs, " and ")
		if got := Ground("Takes "+all+" daily.", "Takes "+brand+" daily."); len(got) != 0 {
			t.Errorf("%s in the source does not ground %s: %v", all, brand, got)
		}
		if len(gs) > 1 {
			if got := Ground("Takes "+generic+" daily.", "Takes "+brand+" daily."); len(got) != 1 {
				t.Errorf("%s alone in the source grounds %s, a combination: %v", generic, brand, got)
			}
		}
	}
	// A brand's part that is a name of its own names only its own drug.
	if gs := drugs["tylenol"]; !slices.Equal(gs, []string{"acetaminophen"}) {
		t.Errorf("Tylenol names %v, want acetaminophen alone", gs)
	}
}
