package phi

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// found is what Find reports, as the text of each span and its type.
func found(text string) map[string]Type {
	out := map[string]Type{}
	for _, s := range Find(text) {
		out[text[s.Start:s.End]] = s.Type
	}
	return out
}

// Every text is synthetic; the names, numbers and places belong to no one.
func TestFindsEachKindOfIdentifier(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       map[string]Type
	}{
		{"a patient's name after the title", "Mrs. Okafor-Lind was seen today.", map[string]Type{"Okafor-Lind": Name}},
		{"a name after its label, and again later", "Patient: Tavia Quenby\nQuenby reports a cough.", map[string]Type{"Tavia Quenby": Name, "Quenby": Name}},
		{"a name beyond ASCII, whole", "Seen by Dr. Zoë Brandt; Zoë agreed.", map[string]Type{"Zoë Brandt": Name, "Zoë": Name}},
		{"a relative's name", "Her daughter, Marisol, brought her in.", map[string]Type{"Marisol": Name}},
		{"a clinician with credentials", "Electronically signed: Orrin Velasquez, MD", map[string]Type{"Orrin Velasquez": Name}},
		{"a letter's salutation", "Dear Dr. Abernathy,\nThank you for the referral.", map[string]Type{"Abernathy": Name}},
		{"a street address", "Lives at 4417 Larkspur Lane, Apt 2B with her son.", map[string]Type{"4417 Larkspur Lane, Apt 2B": Location}},
		{"a city before its state, and the ZIP", "Home: Brookhaven, GA 30319", map[string]Type{"Brookhaven": Location, "30319": ZIP}},
		{"a city after its cue", "She lives in Marble Falls and walks daily.", map[string]Type{"Marble Falls": Location}},
		{"a county", "Referred from Tillamook County clinic.", map[string]Type{"Tillamook County": Location}},
		{"a numeric date", "Admitted 03/14/2024 for pneumonia.", map[string]Type{"03/14/2024": Date}},
		{"an ISO date", "Discharged on 2024-03-18.", map[string]Type{"2024-03-18": Date}},
		{"a date in words", "Surgery on March 3, 2024 went well.", map[string]Type{"March 3, 2024": Date}},
		{"a day before the month", "Seen 3rd of March 2024.", map[string]Type{"3rd of March 2024": Date}},
		{"a month and day after a cue", "Follow up 4/22 in clinic.", map[string]Type{"4/22": Date}},
		{"a month alone", "Symptoms began in January.", map[string]Type{"January": Date}},
		{"an age over 89", "A 93-year-old woman with dyspnea.", map[string]Type{"93-year-old": Age}},
		{"an age over 89 after its cue", "Age: 101, lives alone.", map[string]Type{"101": Age}},
		{"a phone number", "Call (503) 555-0142 with results.", map[string]Type{"(503) 555-0142": Phone}},
		{"a fax number", "Fax: 503-555-0199", map[string]Type{"503-555-0199": Fax}},
		{"an email", "Email jdoe.synthetic@example.org for records.", map[string]Type{"jdoe.synthetic@example.org": Email}},
		{"an SSN", "SSN 219-09-9999 on file.", map[string]Type{"219-09-9999": SSN}},
		{"an MRN", "MRN: 00482913", map[string]Type{"00482913": MRN}},
		{"the record number on a note's Patient line", "Patient: SYN-MRN-5\nCough.", map[string]Type{"SYN-MRN-5": MRN}},
		{"a member id", "Member ID: XKZ448812901", map[string]Type{"XKZ448812901": HealthPlan}},
		{"an account number", "Account #: 7782-1193", map[string]Type{"7782-1193": Account}},
		{"a license number", "DEA# BX1234563", map[string]Type{"BX1234563": License}},
		{"a plate", "License plate: 7ABC123", map[string]Type{"7ABC123": Vehicle}},
		{"a VIN", "Car VIN 1HGCM82633A004352 impounded.", map[string]Type{"1HGCM82633A004352": Vehicle}},
		{"a device serial", "Pacemaker serial number: PJN778812", map[string]Type{"PJN778812": Device}},
		{"a URL", "See https://portal.example.org/p/88123.", map[string]Type{"https://portal.example.org/p/88123": URL}},
		{"an IP address", "Logged in from 192.168.14.201.", map[string]Type{"192.168.14.201": IP}},
		{"an IPv6 address", "Device at 2001:db8:0:0:8d3:0:0:1 reported.", map[string]Type{"2001:db8:0:0:8d3:0:0:1": IP}},
		{"a fingerprint id", "Fingerprint ID: FP-4471902", map[string]Type{"FP-4471902": Biometric}},
		{"a long number", "Reference 88213470 attached.", map[string]Type{"88213470": ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := found(tc.text)
			for s, typ := range tc.want {
				if got[s] != typ {
					t.Errorf("%q: %q is %q, want %q (found %v)", tc.text, s, got[s], typ, got)
				}
			}
		})
	}
}

// TestLeavesWhatIsNotAnIdentifier: the numbers and words of a note that identify no
// one stay, so that a de-identified note still reads as medicine.
func TestLeavesWhatIsNotAnIdentifier(t *testing.T) {
	for _, text := range []string{
		"BP 132/84, HR 88, SpO2 94% on 2L, temp 38.2.",
		"Strength 5/5 in all extremities; pain 7/10.",
		"Metformin 500mg twice daily, lisinopril 10 mg daily, insulin 12 units at night.",
		"HbA1c 7.2, eGFR 58, K 4.1, Na 138, WBC 11.2.",
		"History of Parkinson disease and Hodgkin lymphoma; Crohn's in remission.",
		"Positive Murphy sign; Babinski downgoing; Glasgow 15.",
		"COVID-19 vaccine in 2021; T2DM since 2015; L4-L5 disc.",
		"A 45-year-old man, age 67 at diagnosis.",
		"Patient may return to work; he may need a second opinion.",
		"Repeat CBC in 2 weeks, q6h PRN, x3 days, 1-2 tabs.",
		"Version 2.4.1 of the app; section 3.2.1.",
		"Met 10:30:15 at the bedside.",
		"Patient denies chest pain. Patient reports a cough.",
		// Found by a second reader's probes:
		"Pain improved to 3/10, strength to 4/5.",
		"Platelets 250, Tagamet 400 mg nightly.",
		"He is a 72-year-old man. He reports that she visited.",
	} {
		if got := found(text); len(got) != 0 {
			t.Errorf("%q: found %v", text, got)
		}
	}
}

func TestRedactReplacesEachWithItsType(t *testing.T) {
	in := "Mr. Halvorsen (MRN: 4471-22) called 503-555-0142 on 6/2/2024."
	want := "Mr. [NAME] (MRN: [MRN]) called [PHONE] on [DATE]."
	if got := Redact(in); got != want {
		t.Errorf("Redact:\n got %q\nwant %q", got, want)
	}
}

func TestSpansCountCharacters(t *testing.T) {
	text := "Ñandú café: Dr. Zoë Brandt, 503-555-0142"
	spans := Find(text)
	chars := CharSpans(text, spans)
	runes := []rune(text)
	for i, s := range chars {
		if string(runes[s.Start:s.End]) != text[spans[i].Start:spans[i].End] {
			t.Errorf("span %d: characters %d-%d are %q, bytes say %q", i, s.Start, s.End, string(runes[s.Start:s.End]), text[spans[i].Start:spans[i].End])
		}
	}
	if len(chars) == 0 {
		t.Fatal("nothing found")
	}
}

// checkSpans: within the text, sorted, not overlapping, on character boundaries.
func checkSpans(t *testing.T, text string, spans []Span) {
	t.Helper()
	at := 0
	for _, s := range spans {
		if s.Start < at || s.End <= s.Start || s.End > len(text) || !utf8.ValidString(text[s.Start:s.End]) && utf8.ValidString(text) {
			t.Fatalf("bad span %+v after %d in %q", s, at, text)
		}
		at = s.End
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"Mr. Smith, MRN: 12345, 503-555-0142, 3/4/2024", "Dear Dr. A B,\x00\xff", strings.Repeat("Dr. Aa ", 50), "é" + strings.Repeat("9", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		spans := Find(text)
		checkSpans(t, text, spans)
		CharSpans(text, spans)
		Redact(text)
	})
}

// TestHostileInputIsReadWhole: a megabyte of one digit, of cues, of punctuation and
// of bytes that are not UTF-8 each come back with valid spans (Find is linear: no
// input makes it backtrack).
func TestHostileInputIsReadWhole(t *testing.T) {
	if raceEnabled {
		t.Skip("a megabyte at a time under the race detector takes minutes, and Find has no concurrency")
	}
	for name, text := range map[string]string{
		"digits":      strings.Repeat("9", 1<<20),
		"cues":        strings.Repeat("Dr. Aa Bb MRN: 12345 ", 1<<15),
		"dashes":      strings.Repeat("1-2-", 1<<18),
		"not UTF-8":   strings.Repeat("\xff\xfe\x00Zoë ", 1<<17),
		"one mark":    strings.Repeat("\u0301", 1<<18),
		"long words":  strings.Repeat("A", 1<<19) + " " + strings.Repeat("a1", 1<<18),
		"colons":      strings.Repeat("a:b:c:d:e:f:1:", 1<<16),
		"month names": strings.Repeat("March May June 3 ", 1<<15),
	} {
		spans := Find(text)
		checkSpans(t, text, spans)
		t.Logf("%s: %d bytes, %d spans", name, len(text), len(spans))
	}
}

// TestCharactersThatChangeLengthInLowerCase: cue words are found in a lower-cased copy
// of the line whose byte offsets must be the line's (Ⱥ grows when lower-cased by
// Unicode's rules, İ shrinks), found by a second reader.
func TestCharactersThatChangeLengthInLowerCase(t *testing.T) {
	for _, text := range []string{"Ⱥ cc", "ȺȺ son", "ȺȺȺ wife Rosa Delgado", "İİ Patient: Rosa Delgado", "\u212a wife Rosa Delgado"} {
		spans := Find(text)
		checkSpans(t, text, spans)
		if strings.Contains(text, "Rosa") && len(spans) == 0 {
			t.Errorf("%q: the name after the cue was missed", text)
		}
	}
}

// TestKnownIdentifiersAreFoundEverywhere: what the record says (the MRN, the signer's
// name) is found wherever it stands, even where no pattern would find it.
func TestKnownIdentifiersAreFoundEverywhere(t *testing.T) {
	text := "quenby called about SYN-7 again; tavia Quenby-Smith is not her. Signed tavia."
	spans := FindWith(text, []Known{{"Tavia Quenby", Name}, {"SYN-7", MRN}, {"x", ID}})
	var got []string
	for _, s := range spans {
		got = append(got, text[s.Start:s.End]+"/"+string(s.Type))
	}
	want := "quenby/NAME SYN-7/MRN tavia Quenby/NAME tavia/NAME"
	if strings.Join(got, " ") != want {
		t.Errorf("FindWith: %q, want %q", strings.Join(got, " "), want)
	}
	// Capitals beyond ASCII, and a known name inside a longer code, which it takes
	// whole (found by a second reader).
	text = "HELLO RENÉE; file O'Brien12345.pdf"
	spans = FindWith(text, []Known{{"Renée", Name}, {"Tavia O'Brien", Name}})
	got = nil
	for _, s := range spans {
		got = append(got, text[s.Start:s.End]+"/"+string(s.Type))
	}
	if want := "RENÉE/NAME O'Brien12345/NAME"; strings.Join(got, " ") != want {
		t.Errorf("FindWith: %q, want %q", strings.Join(got, " "), want)
	}
	checkSpans(t, text, spans)
}

// TestOldYearsAreDates: a year that puts its patient over 89 is an identifier; a
// count is not.
func TestOldYearsAreDates(t *testing.T) {
	if got := found("Born in 1928 in a farmhouse."); got["1928"] != Date {
		t.Errorf("born in 1928: %v", got)
	}
	if got := found("Output 1928 mL overnight; since 2019 stable."); len(got) != 0 {
		t.Errorf("a volume and a recent year: %v", got)
	}
}

// TestVellumIDsAreNoIdentifiers: a note's or user's id in an error line stays.
func TestVellumIDsAreNoIdentifiers(t *testing.T) {
	for _, text := range []string{"note n_3f9a0c2b7d5e81f4a6c2: sealed", "user u_7cd26c17c050bcb6acf7 disabled"} {
		if got := found(text); len(got) != 0 {
			t.Errorf("%q: found %v", text, got)
		}
	}
}
