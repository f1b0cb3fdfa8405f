package vault

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// The attribution of hand-written cases is the specification: what a compliance
// officer reads as "the model wrote this, the physician changed that".
func TestAttribute(t *testing.T) {
	soap := DraftText{Text: "Cough for 3 days. Temp 38.2. Plan: fluids and rest.", Model: "m1", Template: "soap"}
	other := DraftText{Text: "Review in one week.", Model: "m2", Template: "progress"}
	type span struct{ text, source, model string }
	for _, tc := range []struct {
		name   string
		body   string
		drafts []DraftText
		want   []span
	}{
		{"no draft: all the physician's", "Typed by hand.", nil,
			[]span{{"Typed by hand.", SourcePhysician, ""}}},
		{"the draft as it was", soap.Text, []DraftText{soap},
			[]span{{soap.Text, SourceModel, "m1"}}},
		{"a word changed", "Cough for 4 days. Temp 38.2. Plan: fluids and rest.", []DraftText{soap},
			[]span{{"Cough for", SourceModel, "m1"}, {" 4 ", SourcePhysician, ""}, {"days. Temp 38.2. Plan: fluids and rest.", SourceModel, "m1"}}},
		{"a sentence added, one removed", "Cough for 3 days. Chest clear on exam. Plan: fluids and rest.", []DraftText{soap},
			[]span{{"Cough for 3 days.", SourceModel, "m1"}, {" Chest clear on exam. ", SourcePhysician, ""}, {"Plan: fluids and rest.", SourceModel, "m1"}}},
		{"two drafts, two models", soap.Text + "\n" + other.Text, []DraftText{soap, other},
			[]span{{soap.Text, SourceModel, "m1"}, {"\n", SourcePhysician, ""}, {other.Text, SourceModel, "m2"}}},
		{"surrounding whitespace is the physician's", "  " + soap.Text + "\n", []DraftText{soap},
			[]span{{"  ", SourcePhysician, ""}, {soap.Text, SourceModel, "m1"}, {"\n", SourcePhysician, ""}}},
		{"common words the physician wrote stay the physician's", "Rest and fluids, review of the plan.", []DraftText{soap},
			[]span{{"Rest and fluids, review of the plan.", SourcePhysician, ""}}},
		{"empty", "", []DraftText{soap}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Attribute(tc.body, tc.drafts)
			var spans []span
			pos := 0
			for _, o := range got {
				if o.Start != pos {
					t.Fatalf("ranges leave a gap or overlap at %d: %+v", pos, got)
				}
				pos = o.End
				spans = append(spans, span{tc.body[o.Start:o.End], o.Source, o.Model})
			}
			if pos != len(tc.body) {
				t.Fatalf("ranges end at %d of %d", pos, len(tc.body))
			}
			if !reflect.DeepEqual(spans, tc.want) {
				t.Errorf("Attribute:\n got %q\nwant %q", spans, tc.want)
			}
		})
	}
}

func TestSigningRecordsProvenance(t *testing.T) {
	ctx := context.Background()
	v, _ := testVault(t, Options{})
	n, err := v.AddNote(ctx, NewNote{Title: "Synthetic", Author: "dr.synthetic"})
	if err != nil {
		t.Fatal(err)
	}
	draft := "Cough for 3 days. Plan: fluids."
	if err := v.AddDraftText(ctx, n.ID, draft, "abc123", "soap"); err != nil {
		t.Fatal(err)
	}
	v.AddDraftText(ctx, n.ID, draft, "abc123", "soap") // kept once
	body := "Cough for 3 days, worse at night. Plan: fluids."
	if err := v.EditNote(ctx, n.ID, n.Title, body); err != nil {
		t.Fatal(err)
	}
	if err := v.SignNote(ctx, n.ID, "dr.synthetic"); err != nil {
		t.Fatal(err)
	}
	got, _ := v.Note(ctx, n.ID)
	model, physician := ModelShare(got.Body, got.Provenance)
	// "days." became "days,": the changed word is the physician's, with the spaces
	// around what the physician wrote.
	if model+physician != len(body) || physician != len(" days, worse at night. ") {
		t.Fatalf("provenance %+v: %d model, %d physician characters", got.Provenance, model, physician)
	}
	if got.Provenance[0].Model != "abc123" || got.Provenance[0].Template != "soap" {
		t.Fatalf("first range %+v", got.Provenance[0])
	}
	var kept int
	v.db.QueryRow("SELECT count(*) FROM note_drafts").Scan(&kept)
	if kept != 0 {
		t.Fatalf("%d drafts kept after signing", kept)
	}
	// The record is as immutable as the note.
	if _, err := v.db.Exec("UPDATE notes SET provenance = '[]' WHERE id = ?", n.ID); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Fatalf("raw UPDATE of a signed note's provenance: %v", err)
	}
	if err := v.AddDraftText(ctx, n.ID, "late", "abc123", "soap"); err == nil {
		t.Fatal("a draft was kept for a signed note")
	}
	// Lists leave provenance out, as they leave out the body.
	list, _ := v.Notes(ctx, Filter{})
	if len(list) != 1 || list[0].Provenance != nil {
		t.Fatalf("list = %+v", list)
	}
}
