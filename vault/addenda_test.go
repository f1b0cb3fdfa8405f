package vault

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"filippo.io/age"
)

func TestAddendaAreTheOnlyChangeToASignedNote(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	v, _ := testVault(t, Options{Now: func() time.Time { return now }})
	n := addNotes(t, v, 2)
	if _, err := v.AddAddendum(ctx, n[0].ID, "Correction.", "dr.synthetic"); !errors.Is(err, ErrNotSigned) {
		t.Fatalf("AddAddendum(draft) = %v, want ErrNotSigned", err)
	}
	if err := v.SignNote(ctx, n[0].ID, "dr.synthetic"); err != nil {
		t.Fatal(err)
	}
	if err := v.MarkExported(ctx, n[0].ID, 0); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "  \n"} {
		if _, err := v.AddAddendum(ctx, n[0].ID, bad, "dr.synthetic"); err == nil {
			t.Errorf("AddAddendum(%q) succeeded", bad)
		}
	}
	now = now.Add(time.Hour)
	a1, err := v.AddAddendum(ctx, n[0].ID, "Correction: the dose is 5 mg.", "dr.synthetic")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	a2, err := v.AddAddendum(ctx, n[0].ID, "Lab result received.", "dr.synthetic")
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Note(ctx, n[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Addenda) != 2 || got.Addenda[0] != a1 || got.Addenda[1] != a2 || !a1.Created.Before(a2.Created) {
		t.Fatalf("addenda = %+v", got.Addenda)
	}
	// The EHR has not had the addenda: the export mark goes, so retention waits.
	if !got.Exported.IsZero() || !got.Updated.Equal(a2.Created) {
		t.Fatalf("after an addendum: exported %v, updated %v", got.Exported, got.Updated)
	}
	if got.Body != n[0].Body {
		t.Fatal("an addendum changed the signed body")
	}
	// The version the EHR had must be the latest to mark the note exported.
	if err := v.MarkExported(ctx, n[0].ID, 0); !errors.Is(err, ErrNewerAddendum) {
		t.Fatalf("MarkExported of the version without the addenda = %v, want ErrNewerAddendum", err)
	}
	if err := v.MarkExported(ctx, n[0].ID, 2); err != nil {
		t.Fatal(err)
	}
	// Addenda are append-only, even to SQL that bypasses the methods, and only
	// signed notes take them; a signed note stays signed.
	if _, err := v.db.Exec("DELETE FROM addenda WHERE id = ?", a1.ID); err == nil {
		t.Fatal("raw DELETE of an addendum succeeded")
	}
	if _, err := v.db.Exec("UPDATE notes SET status = 'draft' WHERE id = ?", n[0].ID); err == nil {
		t.Fatal("a signed note was made a draft again")
	}
	if _, err := v.db.Exec("UPDATE addenda SET body = 'x' WHERE id = ?", a1.ID); err == nil {
		t.Fatal("raw UPDATE of an addendum succeeded")
	}
	if _, err := v.db.Exec("INSERT INTO addenda (id, note_id, body, author, created_ms) VALUES ('a_x', ?, 'x', 'y', 0)", n[1].ID); err == nil {
		t.Fatal("raw INSERT of an addendum to a draft succeeded")
	}
	if other, _ := v.Note(ctx, n[1].ID); len(other.Addenda) != 0 {
		t.Fatalf("a draft has addenda: %+v", other.Addenda)
	}
	// A note and its addenda stay within MaxNoteBytes together.
	big := string(bytes.Repeat([]byte("x"), MaxNoteBytes-len(got.Body)))
	if _, err := v.AddAddendum(ctx, n[0].ID, big, "dr.synthetic"); !errors.Is(err, ErrNoteTooLarge) {
		t.Fatalf("oversized addendum = %v, want ErrNoteTooLarge", err)
	}
}

func TestAddendaSurviveBackupRestoreAndGoWithTheirNote(t *testing.T) {
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	src, _ := testVault(t, Options{Recipient: rcpt})
	n := addNotes(t, src, 2)
	src.SignNote(ctx, n[0].ID, "dr.synthetic")
	a1, err := src.AddAddendum(ctx, n[0].ID, "First addendum.", "dr.synthetic")
	if err != nil {
		t.Fatal(err)
	}
	var before bytes.Buffer
	if _, err := src.Backup(ctx, &before, nil); err != nil {
		t.Fatal(err)
	}
	a2, _ := src.AddAddendum(ctx, n[0].ID, "Second addendum.", "dr.synthetic")
	var after bytes.Buffer
	if _, err := src.Backup(ctx, &after, nil); err != nil {
		t.Fatal(err)
	}

	dst, _ := testVault(t, Options{})
	res, err := dst.Restore(ctx, bytes.NewReader(before.Bytes()), []age.Identity{id})
	if err != nil || res.Added != 2 || res.AddendaAdded != 1 {
		t.Fatalf("Restore(before) = %+v, %v", res, err)
	}
	// The later backup brings the second addendum to the unchanged note, and the
	// note is no longer marked exported: the EHR may not have had it.
	if err := dst.MarkExported(ctx, n[0].ID, 1); err != nil {
		t.Fatal(err)
	}
	res, err = dst.Restore(ctx, bytes.NewReader(after.Bytes()), []age.Identity{id})
	if err != nil || res.Unchanged != 2 || res.AddendaAdded != 1 {
		t.Fatalf("Restore(after) = %+v, %v", res, err)
	}
	if got, _ := dst.Note(ctx, n[0].ID); !got.Exported.IsZero() {
		t.Fatal("a restored addendum left its note marked exported")
	}
	got, _ := dst.Note(ctx, n[0].ID)
	if len(got.Addenda) != 2 || got.Addenda[0] != a1 || got.Addenda[1] != a2 {
		t.Fatalf("restored addenda = %+v", got.Addenda)
	}

	// Removing the note (retention, after export) removes its addenda.
	if _, err := dst.db.Exec("DELETE FROM notes WHERE id = ?", n[0].ID); err != nil {
		t.Fatal(err)
	}
	var left int
	dst.db.QueryRow("SELECT count(*) FROM addenda").Scan(&left)
	if left != 0 {
		t.Fatalf("%d addenda outlived their note", left)
	}
}
