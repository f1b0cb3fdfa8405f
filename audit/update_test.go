package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/vault"
	"github.com/vellumhealth/vellum/vault/vaulttest"
)

// refusingJournal seals nothing: a full disk, a detail over its limit.
type refusingJournal struct{ *audit.Log }

func (refusingJournal) Seal(uint64, string, []audit.Entry) ([]audit.Stored, audit.Head, error) {
	return nil, audit.Head{}, errors.New("injected seal failure")
}

// TestAChangeCommitsWithItsRecords: Update stores a change and its records together,
// chained after the records appended before, and neither when the records cannot be
// sealed or the change fails.
func TestAChangeCommitsWithItsRecords(t *testing.T) {
	ctx := context.Background()
	v := vaulttest.New(t, vault.Options{})
	l, key := openLog(t, v)
	if _, err := l.Append(ctx, audit.Entry{Action: audit.DeviceKeyCreated, Outcome: audit.OK}); err != nil {
		t.Fatal(err)
	}
	var id string
	err := v.Update(ctx, l, func(tx *vault.Tx) error {
		n, err := tx.AddNote(ctx, vault.NewNote{Title: "Synthetic", Body: "x", Author: "u_1"})
		id = n.ID
		tx.Record(audit.Entry{Action: audit.NoteCreate, Object: audit.Object{Type: "note", ID: n.ID}, Outcome: audit.OK})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := verifyAll(t, v, key); got.Records != 2 {
		t.Fatalf("the chain holds %d records, want 2", got.Records)
	}
	for name, j := range map[string]vault.Journal{"the seal fails": refusingJournal{l}, "the change fails": l} {
		t.Run(name+": neither the edit nor its record is stored", func(t *testing.T) {
			err := v.Update(ctx, j, func(tx *vault.Tx) error {
				if err := tx.EditNote(ctx, id, "Synthetic", "changed"); err != nil {
					return err
				}
				tx.Record(audit.Entry{Action: audit.NoteEdit, Object: audit.Object{Type: "note", ID: id}, Outcome: audit.OK})
				if name == "the change fails" {
					return errors.New("injected change failure")
				}
				return nil
			})
			if err == nil {
				t.Fatal("Update succeeded")
			}
			if n, _ := v.Note(ctx, id); n.Body != "x" {
				t.Fatalf("the edit was stored: %q", n.Body)
			}
			if got := verifyAll(t, v, key); got.Records != 2 {
				t.Fatalf("the chain holds %d records, want 2", got.Records)
			}
		})
	}
}
