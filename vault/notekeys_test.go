package vault

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
)

var cheapParams = access.Params{MemoryKiB: 64, Time: 1, Threads: 1}

const keysPassword = "synthetic-password-of-the-test"

// physicianWithKeys adds a physician and a session to v and opens their note keys
// (made now) for it; it returns the physician's id and a function that runs fn in a
// transaction holding the session's keys.
func physicianWithKeys(t testing.TB, v *Vault) (string, func(fn func(tx *Tx) error) error) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	u := access.User{ID: "u_drsealed", Username: "dr.sealed", DisplayName: "Dr Sealed", Role: access.Physician,
		PasswordHash: access.HashPassword(keysPassword, cheapParams), Created: now}
	if err := v.AddUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	token := "synthetic-token"
	if err := v.AddSession(ctx, access.Session{ID: "s_1", TokenHash: access.TokenHash(token), UserID: u.ID, Created: now, LastActive: now}); err != nil {
		t.Fatal(err)
	}
	err := v.Update(ctx, nil, func(tx *Tx) error {
		got, err := tx.OpenKeys(ctx, KeyRequest{UserID: u.ID, Role: u.Role, Password: keysPassword, Params: cheapParams, SessionID: "s_1", Token: token})
		if err == nil && (!got.Created || got.Holds != 1) {
			t.Errorf("OpenKeys = %+v, want keys made and one held", got)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { (SystemKeychain{}).Delete(ctx, noteSecretAccount(v.ID())) })
	return u.ID, func(fn func(tx *Tx) error) error {
		return v.Update(ctx, nil, func(tx *Tx) error {
			if err := tx.UseSessionKeys(ctx, "s_1", token); err != nil {
				return err
			}
			return fn(tx)
		})
	}
}

// TestEditedNoteIsFoundByItsNewWords: the full-text index follows an edit of a note
// in the clear (its old words leave before its new ones enter).
func TestEditedNoteIsFoundByItsNewWords(t *testing.T) {
	v, _ := testVault(t, Options{})
	ctx := context.Background()
	n := addNotes(t, v, 1)[0]
	if err := v.EditNote(ctx, n.ID, "Revised", "Synthetic wheeze resolved"); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"wheeze": 1, "cough": 0, "revis": 1} {
		hits, err := v.Search(ctx, q, Filter{})
		if err != nil || len(hits) != want {
			t.Fatalf("search %q = %d hits, %v; want %d", q, len(hits), err, want)
		}
	}
}

// TestSealedNotesOpenOnlyWithTheirKey: a physician's notes are stored sealed; a
// transaction without their key sees metadata only and cannot change them; search
// through the blind terms finds them by word and prefix, and nothing else does.
func TestSealedNotesOpenOnlyWithTheirKey(t *testing.T) {
	v, _ := testVault(t, Options{})
	ctx := context.Background()
	dr, withKeys := physicianWithKeys(t, v)
	var id string
	err := withKeys(func(tx *Tx) error {
		n, err := tx.AddNote(ctx, NewNote{PatientRef: "SYN-1", Title: "Synthetic " + canary, Body: "Bronchospasm eased after salbutamol", Author: dr})
		id = n.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bare, err := v.Note(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !bare.Sealed || bare.Title != "" || bare.Body != "" || bare.PatientRef != "SYN-1" {
		t.Fatalf("without the key: %+v", bare)
	}
	if err := v.EditNote(ctx, id, "x", "y"); !errors.Is(err, ErrSealed) {
		t.Fatalf("edit without the key = %v, want ErrSealed", err)
	}
	if hits, _ := v.Search(ctx, "bronchospasm", Filter{}); len(hits) != 0 {
		t.Fatal("the full-text index holds a sealed note")
	}
	err = withKeys(func(tx *Tx) error {
		n, err := tx.Note(ctx, id)
		if err != nil || n.Body != "Bronchospasm eased after salbutamol" {
			t.Fatalf("with the key: %q, %v", n.Body, err)
		}
		for q, want := range map[string]int{"bronchospasm": 1, "salbut": 1, "eased bronch": 1, "salbutamolx": 0, "wheeze": 0, "bronchospasms": 0} {
			hits, err := tx.Search(ctx, q, Filter{})
			if err != nil || len(hits) != want {
				t.Fatalf("search %q = %d hits, %v; want %d", q, len(hits), err, want)
			}
		}
		if err := tx.EditNote(ctx, id, "Synthetic", "Wheeze resolved"); err != nil {
			return err
		}
		if hits, _ := tx.Search(ctx, "bronchospasm", Filter{}); len(hits) != 0 {
			t.Fatal("an edit left the old words' terms")
		}
		hits, err := tx.Search(ctx, "wheeze", Filter{})
		if err != nil || len(hits) != 1 || !strings.Contains(hits[0].Snippet, "«Wheeze»") {
			t.Fatalf("search after edit = %+v, %v", hits, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSealedBackupRestoresSealed: a backup carries sealed notes as stored (its
// plaintext, opened with the recovery identity, holds none of their text), and a
// restore into another vault adds them still sealed to their physician's key, with
// the key's escrow; the same backup restored again changes nothing.
func TestSealedBackupRestoresSealed(t *testing.T) {
	id, rcpt := newIdentity(t)
	v, _ := testVault(t, Options{Recipient: rcpt})
	ctx := context.Background()
	dr, withKeys := physicianWithKeys(t, v)
	var noteID string
	err := withKeys(func(tx *Tx) error {
		n, err := tx.AddNote(ctx, NewNote{PatientRef: "SYN-2", Title: "Synthetic " + canary, Body: canary, Author: dr})
		if err != nil {
			return err
		}
		noteID = n.ID
		if err := tx.SignNote(ctx, n.ID, dr); err != nil {
			return err
		}
		_, err = tx.AddAddendum(ctx, n.ID, "Addendum "+canary, dr)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := v.Backup(ctx, &buf, nil); err != nil {
		t.Fatal(err)
	}
	if plain := decryptForTest(t, buf.Bytes(), id); strings.Contains(plain, canary) {
		t.Fatal("the backup holds a sealed note's text")
	}
	dst, _ := testVault(t, Options{})
	res, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), []age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Sealed != 1 || res.AddendaAdded != 1 {
		t.Fatalf("restore = %+v", res)
	}
	n, err := dst.Note(ctx, noteID)
	if err != nil || !n.Sealed || len(n.Addenda) != 1 || n.Addenda[0].Body != "" {
		t.Fatalf("restored note = %+v, %v", n, err)
	}
	if pub, _ := ownerPublic(ctx, dst.db, dr); pub == "" {
		t.Fatal("the physician's public key was not restored")
	}
	var escrow []byte
	dst.db.QueryRowContext(ctx, "SELECT escrow FROM owner_keys WHERE owner = ?", dr).Scan(&escrow)
	key, err := openWith(id, escrow)
	if err != nil {
		t.Fatalf("the escrow does not open with the recovery identity: %v", err)
	}
	owner, _ := parseIdentity(key)
	keys := &Keys{}
	keys.add(dr, owner)
	got, err := note(ctx, dst.db, keys, noteID)
	if err != nil || got.Body != canary || got.Addenda[0].Body != "Addendum "+canary {
		t.Fatalf("the restored note opened with the escrowed key: %+v, %v", got, err)
	}
	again, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), []age.Identity{id})
	if err != nil || again.Unchanged != 1 || again.Added != 0 {
		t.Fatalf("restore again = %+v, %v", again, err)
	}
}

// addScribe adds a scribe, approved in the users table for physician, with the
// tests' password.
func addScribe(t *testing.T, v *Vault, id, name, physician string) access.User {
	t.Helper()
	sc := access.User{ID: id, Username: name, Role: access.Scribe, ActingFor: physician,
		PasswordHash: access.HashPassword(keysPassword, cheapParams), Created: time.Now().UTC()}
	if err := v.AddUser(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestApprovalBoundToNoKeyObtainsNothing: an approval marked before its scribe had a
// user key (as builds of schema 10 made them) names no key, so whoever writes a
// public key into the scribe's row could have it bound to theirs: it grants nothing,
// and migration 11 drops it, the scribe waiting for their physician again.
func TestApprovalBoundToNoKeyObtainsNothing(t *testing.T) {
	ctx := context.Background()
	v, o := testVault(t, Options{})
	dr, do := physicianWithKeys(t, v)
	sc := addScribe(t, v, "u_scribe", "s.scribe", dr)
	theirs := generateIdentity()
	err := do(func(tx *Tx) error {
		for _, q := range []string{
			"INSERT INTO user_keys (user_id, public, salt, params, wrapped) VALUES (?1, ?2, x'00', 'm=64,t=1,p=1', x'00')",
			"INSERT INTO scribe_approvals (owner, scribe, public, mac) VALUES (?3, ?1, '', ?4)",
		} {
			if _, err := tx.tx.ExecContext(ctx, q, sc.ID, theirs.Recipient().String(), dr, approvalMAC(tx.keys.identity(dr), sc.ID, "")); err != nil {
				return err
			}
		}
		granted, forged, err := tx.GrantScribes(ctx, dr)
		if len(granted) != 0 || len(forged) != 0 {
			t.Errorf("an approval bound to no key gave the key to %v (reported as forged: %v; its mark is the physician's)", granted, forged)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// The vault as schema 10 left it, opened by this build.
	if _, err := v.db.ExecContext(ctx, "PRAGMA user_version = 10"); err != nil {
		t.Fatal(err)
	}
	v.Close()
	if v, err = Open(ctx, o); err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	var approvals int
	v.db.QueryRowContext(ctx, "SELECT count(*) FROM scribe_approvals").Scan(&approvals)
	u, err := v.User(ctx, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if approvals != 0 || u.PendingFor != dr || u.ActingFor != "" {
		t.Fatalf("after migration 11: %d approvals, scribe acting for %q pending for %q; want none, waiting for %s", approvals, u.ActingFor, u.PendingFor, dr)
	}
}

// TestLegacyApprovalsWaitForTheirPhysician: approvals made before note keys, which
// migration 11 listed for their physician's first sign-in to mark, are marked by
// nobody after migration 12 (the list was rows anyone with the vault key could add
// to): their scribes wait for their physician, who approves each at their side.
func TestLegacyApprovalsWaitForTheirPhysician(t *testing.T) {
	ctx := context.Background()
	v, o := testVault(t, Options{})
	now := time.Now().UTC()
	dr := access.User{ID: "u_legacy_dr", Username: "dr.legacy", Role: access.Physician,
		PasswordHash: access.HashPassword(keysPassword, cheapParams), Created: now}
	sc := access.User{ID: "u_legacy_scribe", Username: "s.legacy", Role: access.Scribe, ActingFor: dr.ID,
		PasswordHash: access.HashPassword(keysPassword, cheapParams), Created: now}
	for _, u := range []access.User{dr, sc} {
		if err := v.AddUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	// The vault as schema 11 left it: the scribe listed for dr.legacy to mark.
	if _, err := v.db.ExecContext(ctx, `CREATE TABLE legacy_approvals (owner TEXT NOT NULL, scribe TEXT NOT NULL, PRIMARY KEY (owner, scribe)) WITHOUT ROWID;
		INSERT INTO legacy_approvals (owner, scribe) VALUES ('u_legacy_dr', 'u_legacy_scribe');
		PRAGMA user_version = 11`); err != nil {
		t.Fatal(err)
	}
	v.Close()
	v, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	u, err := v.User(ctx, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.PendingFor != dr.ID || u.ActingFor != "" {
		t.Fatalf("after migration 12 the listed scribe acts for %q, pending for %q; want waiting for %s", u.ActingFor, u.PendingFor, dr.ID)
	}
	var tables int
	v.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'legacy_approvals'").Scan(&tables)
	if tables != 0 {
		t.Fatal("legacy_approvals is still there to be read")
	}
}

// TestStaleApprovalsAreDroppedAtTheScribesSignIn: an approval that names another key
// than the scribe's own pair (as builds that marked the key a row named could make,
// after someone wrote the row) is dropped at the scribe's next sign-in: the scribe
// waits for their physician again, and what it gave them goes.
func TestStaleApprovalsAreDroppedAtTheScribesSignIn(t *testing.T) {
	ctx := context.Background()
	v, _ := testVault(t, Options{})
	dr, do := physicianWithKeys(t, v)
	sc := addScribe(t, v, "u_stale_scribe", "s.stale", dr)
	now := time.Now().UTC()
	if err := v.AddSession(ctx, access.Session{ID: "s_stale", TokenHash: access.TokenHash("stale-token"), UserID: sc.ID, Created: now, LastActive: now}); err != nil {
		t.Fatal(err)
	}
	signIn := func() KeysOpened {
		var got KeysOpened
		err := v.Update(ctx, nil, func(tx *Tx) error {
			var err error
			got, err = tx.OpenKeys(ctx, KeyRequest{UserID: sc.ID, Role: sc.Role, Password: keysPassword, Params: cheapParams,
				SessionID: "s_stale", Token: "stale-token"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	signIn() // the scribe's pair is made
	theirs := generateIdentity()
	err := do(func(tx *Tx) error {
		// The mark an older build made of a public key someone wrote into the row.
		_, err := tx.tx.ExecContext(ctx, "INSERT INTO scribe_approvals (owner, scribe, public, mac) VALUES (?, ?, ?, ?)",
			dr, sc.ID, theirs.Recipient().String(), approvalMAC(tx.keys.identity(dr), sc.ID, theirs.Recipient().String()))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := signIn()
	if !got.Altered || len(got.Waiting) != 1 {
		t.Fatalf("sign-in with a stale approval: %+v, want it reported and the scribe waiting", got)
	}
	u, _ := v.User(ctx, sc.ID)
	var approvals int
	v.db.QueryRowContext(ctx, "SELECT count(*) FROM scribe_approvals WHERE scribe = ?", sc.ID).Scan(&approvals)
	if u.PendingFor != dr || u.ActingFor != "" || approvals != 0 {
		t.Fatalf("after: acting for %q, pending for %q, %d approvals; want waiting for %s, none", u.ActingFor, u.PendingFor, approvals, dr)
	}
}
