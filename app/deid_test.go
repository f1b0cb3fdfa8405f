package app_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/vault"
)

// TestDeidentifiedExport: the export for teaching or research is off until policy
// lists it; it replaces what phi finds and what the record knows (MRN, signer), moves
// dates by the patient's one offset (the interval between two dates stays), gives the
// same text every time, and is recorded as its own action with counts, never values.
func TestDeidentifiedExport(t *testing.T) {
	f := newFixture(t)
	f.as("dr.a")
	body := "Mrs. Quenby, MRN SYN-MRN-77, admitted 03/14/2024 and discharged 03/17/2024. Call (503) 555-0142. " +
		"Quenby lives in Marble Falls. Seen with dr.a today."
	n, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-77", Title: "Synthetic discharge for Tavia Quenby", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.a.SignNote(f.ctx, n.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.ReleaseNote(f.ctx, n.ID, app.ReleaseDeidentified); !errors.Is(err, app.ErrFormatNotAllowed) {
		t.Fatalf("the default policy let a de-identified export out: %v", err)
	}
	p := f.policy()
	p["export_formats"] = []string{"deidentified"}
	f.setPolicy(p)
	before := len(f.records())
	out, err := f.a.ReleaseNote(f.ctx, n.ID, app.ReleaseDeidentified)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, gone := range []string{"Quenby", "Tavia", "SYN-MRN-77", "03/14/2024", "03/17/2024", "0142", "Marble Falls", "dr.a"} {
		if strings.Contains(text, gone) {
			t.Errorf("%q left in the de-identified note:\n%s", gone, text)
		}
	}
	if !strings.Contains(text, "Synthetic discharge for") || !strings.Contains(text, "admitted ") {
		t.Errorf("the note's own words went too:\n%s", text)
	}
	var dates []string
	for _, w := range strings.Fields(text) {
		if len(w) >= 10 && strings.Count(w, "/") == 2 {
			dates = append(dates, strings.TrimRight(w, "."))
		}
	}
	if len(dates) != 2 || dayOf(t, dates[1])-dayOf(t, dates[0]) != 3 {
		t.Errorf("the two dates, 3 days apart, became %v:\n%s", dates, text)
	}
	again, err := f.a.ReleaseNote(f.ctx, n.ID, app.ReleaseDeidentified)
	if err != nil || string(again) != text {
		t.Errorf("a second export differs (the key is kept in the vault): %v\n%s\n%s", err, again, text)
	}
	var rec *audit.Record
	for _, r := range f.records()[before:] {
		if r.Action == audit.NoteExportDeidentified {
			rec = &r
			break
		}
	}
	if rec == nil {
		t.Fatal("no note.export_deidentified record")
	}
	if rec.Details["ids.name"] == "" || rec.Details["ids.date"] != "2" || rec.Details["format"] != "deidentified" {
		t.Errorf("the record: %+v", rec)
	}
	for k, v := range rec.Details {
		if strings.Contains(v, "Quenby") || strings.Contains(v, "03/") || strings.Contains(k, "shift") {
			t.Errorf("the record holds %s=%s", k, v)
		}
	}
	if !strings.HasPrefix(text, "[De-identified copy") {
		t.Errorf("no header says the values are made up:\n%s", text)
	}

	// A draft does not leave this way either.
	draft := f.draft()
	if _, err := f.a.ReleaseNote(f.ctx, draft, app.ReleaseDeidentified); !errors.Is(err, app.ErrNotSigned) {
		t.Fatalf("a draft left de-identified: %v", err)
	}

	// A damaged key stops the export: a new one would silently change every
	// patient's offset.
	if err := f.a.VaultForTest().SetState(f.ctx, "deid_surrogate_key", "not hex"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.ReleaseNote(f.ctx, n.ID, app.ReleaseDeidentified); !errors.Is(err, vault.ErrDamaged) {
		t.Fatalf("an export under a damaged key: %v", err)
	}
}

// dayOf reads MM/DD/YYYY as days since 1970.
func dayOf(t *testing.T, s string) int {
	d, err := time.Parse("01/02/2006", s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return int(d.Unix() / 86400)
}
