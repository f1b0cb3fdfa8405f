package phi

import (
	"strings"
	"testing"
)

var testKey = []byte("a synthetic key for tests only, 32b")

func TestSurrogatesAreConsistentAndOfTheirKind(t *testing.T) {
	s := NewSurrogates(testKey, -10)
	in := "Patient: Tavia Quenby\nMrs. Quenby, DOB 03/14/1958, seen 2024-03-18 and on March 20, 2024. " +
		"Call (503) 555-0142. SSN 219-09-9999. MRN: 00482913. Email tq@example.com. A 93-year-old woman. " +
		"Home: Brookhaven, GA 30319. Follow up 4/2 with Dr. Abernathy. From 192.168.14.201."
	out := s.Replace(in, Find(in))
	for _, gone := range []string{"Tavia", "Quenby", "03/14/1958", "2024-03-18", "March 20", "0142", "219-09-9999", "00482913", "tq@", "93", "Brookhaven", "30319", "4/2 ", "Abernathy", "192.168.14.201"} {
		if strings.Contains(out, gone) {
			t.Errorf("%q survived:\n%s", gone, out)
		}
	}
	for _, kept := range []string{"03/04/1958", "2024-03-08", "March 10, 2024", "555-01", "90+-year-old", ", GA 303", "3/23 with Dr.", "192.0.2."} {
		if !strings.Contains(out, kept) {
			t.Errorf("want %q in:\n%s", kept, out)
		}
	}
	// The same surname, alone and in the full name, has one surrogate.
	q := s.Value(Name, "Quenby")
	if !strings.Contains(out, "Mrs. "+q+",") || !strings.Contains(out, "Patient: "+s.Value(Name, "Tavia")+" "+q) {
		t.Errorf("Quenby -> %q, not consistent in:\n%s", q, out)
	}
	if s.Value(Name, "QUENBY") != strings.ToUpper(q) {
		t.Errorf("capitals: %q", s.Value(Name, "QUENBY"))
	}
	if s.Value(SSN, "219-09-9999")[0] != '9' {
		t.Error("a surrogate SSN must start with 9 (never issued)")
	}
	if other := NewSurrogates([]byte("another key"), -10).Value(Name, "Quenby"); other == q {
		t.Log("two keys drew the same name (possible, 1 in 50)")
	}
}

func TestDatesMoveInTheirOwnFormat(t *testing.T) {
	s := NewSurrogates(testKey, -20)
	for in, want := range map[string]string{
		"03/14/2024": "02/23/2024", "3/14/24": "2/23/24", "2024-03-14": "2024-02-23", "14.3.2024": "23.2.2024",
		"March 14, 2024": "February 23, 2024", "Mar. 14": "Feb. 23", "MAR 14": "FEB 23", "March 14th": "February 23rd",
		"14 March 2024": "23 February 2024", "14-Mar-2024": "23-Feb-2024", "3rd of March": "12th of February",
		"3/14": "2/23", "January 5, 2024": "December 16, 2023", "March 2024": "February 2024", "January": "[MONTH]",
		"Tuesday next": "[DATE]",
	} {
		if got := s.Value(Date, in); got != want {
			t.Errorf("%q moved 20 days back: %q, want %q", in, got, want)
		}
	}
}

func TestDateShiftIsPerPatientAndNeverZero(t *testing.T) {
	a, b := DateShift(testKey, "SYN-MRN-1"), DateShift(testKey, "SYN-MRN-2")
	if a == 0 || b == 0 || a > -35 || a < -392 || a%7 != 0 || b%7 != 0 {
		t.Fatalf("shifts %d, %d: want whole weeks, 5 to 56 back", a, b)
	}
	if DateShift(testKey, "SYN-MRN-1") != a {
		t.Fatal("one patient, two shifts")
	}
}

func TestRestrictedZIPsBecome000(t *testing.T) {
	s := NewSurrogates(testKey, -1)
	if got := s.Value(ZIP, "03601"); got != "000" {
		t.Errorf("036xx: %q", got)
	}
	if got := s.Value(ZIP, "30319-1234"); got != "303" {
		t.Errorf("30319-1234: %q", got)
	}
}

// TestWhatSaysOver89Goes: a spelled-out age and a date whose year puts the patient
// over 89 leave nothing of their value (found by a second reader).
func TestWhatSaysOver89Goes(t *testing.T) {
	s := NewSurrogates(testKey, -14)
	for in, want := range map[string]string{
		"ninety-seven-year-old": "90+-year-old", "One hundred and two year old": "90+ year old", "93-year-old": "90+-year-old",
	} {
		if got := s.Value(Age, in); got != want {
			t.Errorf("age %q -> %q, want %q", in, got, want)
		}
	}
	if got := s.Value(Age, "aged"); got != "90 or older" {
		t.Errorf("an age without its number -> %q", got)
	}
	in := "DOB: 03/14/1928, born in 1928. Seen 03/14/2024."
	out := s.Replace(in, Find(in))
	if strings.Contains(out, "192") || !strings.Contains(out, "02/29/2024") {
		t.Errorf("a birth year over 89 years ago survived, or the visit did not move:\n%s", out)
	}
}
