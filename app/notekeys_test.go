package app_test

import (
	"bytes"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/vault"
)

// Markers in the synthetic notes of dr.b: none may be found in the vault's files by
// anyone who holds only the OS account (keychain and files) and their own password.
const (
	markTitle    = "Zebrafinch synthetic title"
	markBody     = "Quokkaline synthetic body 4417"
	markAddendum = "Wombatoid synthetic addendum"
	markDraft    = "Emuberry synthetic draft 9931"
	markClear    = "Numbatite synthetic note kept before note keys"
)

// TestSharedAccountKeepsPhysicianNotesSealed: on one OS account (one keychain) with
// a physician (dr.b), a scribe for another physician and an auditor, the scribe and
// the auditor, holding the keychain, the vault files and their own passwords, read
// no title, body, addendum or draft of dr.b's notes: the vault opened directly with
// the SQLCipher-compatible library shows none of them in any table, a note dr.b had
// before note keys included, and the app refuses them even under emergency access.
// dr.b reads everything.
func TestSharedAccountKeepsPhysicianNotesSealed(t *testing.T) {
	f := newFixture(t)
	v := f.a.VaultForTest()
	drb, err := v.UserByName(f.ctx, "dr.b")
	if err != nil {
		t.Fatal(err)
	}
	// A note stored before dr.b had note keys (a vault from before schema 10).
	old, err := v.AddNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-9", Title: markClear, Body: markClear, Author: drb.ID})
	if err != nil {
		t.Fatal(err)
	}

	f.as("dr.b")
	n, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-2", Title: markTitle, Body: "Draft."})
	if err != nil {
		t.Fatal(err)
	}
	draft := app.DraftUse{Template: "soap", DraftSHA256: strings.Repeat("0", 64), Text: markDraft,
		Ungrounded: []vault.Claim{{Kind: "number", Text: "9931"}}}
	if err := f.a.EditNote(f.ctx, n.ID, "", markBody+"\n"+markDraft, []app.DraftUse{draft}); err != nil {
		t.Fatal(err)
	}
	kept, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-3", Title: "Kept draft", Body: "Draft."})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.a.EditNote(f.ctx, kept.ID, "", markBody+" "+markDraft, []app.DraftUse{draft}); err != nil {
		t.Fatal(err)
	}
	if err := f.a.SignNote(f.ctx, n.ID, []vault.Claim{{Kind: "number", Text: "9931"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.AddAddendum(f.ctx, n.ID, markAddendum); err != nil {
		t.Fatal(err)
	}
	if hits, err := f.a.SearchNotes(f.ctx, "quokkaline synth", 0); err != nil || len(hits) != 2 {
		t.Fatalf("dr.b's search = %d hits, %v; want 2", len(hits), err)
	}
	if err := f.a.SignOut(f.ctx); err != nil {
		t.Fatal(err)
	}

	// The scribe (of dr.a) and the auditor sign in on the same account; the auditor
	// takes emergency access, which policy allows it here.
	f.as("s.scribe")
	f.setPolicy(map[string]any{"models_folder": filepath.Join(filepath.Dir(f.machine), "models"), "allow_offline_shred": true,
		"recovery_recipient": f.identity.Recipient().String(), "break_glass_roles": []string{"physician", "auditor"}})
	f.as("a.auditor")
	if _, err := f.a.BreakGlass(f.ctx, "Synthetic emergency on a shared ward login"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.ViewNote(f.ctx, n.ID); !errors.Is(err, vault.ErrSealed) {
		t.Fatalf("the auditor under emergency access viewed dr.b's note: err = %v, want ErrSealed", err)
	}
	list, err := f.a.ListNotes(f.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if l.Owner == drb.ID && (!l.Sealed || l.Title != "") {
			t.Fatalf("the auditor's list shows dr.b's note %s with its title", l.ID)
		}
	}

	// What they hold of the OS account: every keychain entry, and the files.
	plain := dumpVault(t, f)
	for _, m := range []string{markTitle, markBody, markAddendum, markDraft, markClear, "Quokkaline", "Emuberry", "Numbatite"} {
		if bytes.Contains(bytes.ToLower(plain), bytes.ToLower([]byte(m))) {
			t.Errorf("%q is readable in the vault with the keychain alone", m)
		}
	}
	if !bytes.Contains(plain, []byte("SYN-MRN-2")) {
		t.Fatal("the dump read nothing of the vault (the check would prove nothing)")
	}
	// Nobody but dr.b holds dr.b's key.
	db := openDirect(t, f)
	var holders int
	if err := db.QueryRow("SELECT count(*) FROM note_key_holders WHERE owner = ? AND holder <> ?", drb.ID, drb.ID).Scan(&holders); err != nil {
		t.Fatal(err)
	}
	if holders != 0 {
		t.Fatalf("%d users besides dr.b hold dr.b's key", holders)
	}

	// dr.b reads all of it again.
	f.as("dr.b")
	got, err := f.a.ViewNote(f.ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != markTitle || !strings.Contains(got.Body, markBody) || len(got.Addenda) != 1 || got.Addenda[0].Body != markAddendum {
		t.Fatalf("dr.b reads %q / %q / %+v", got.Title, got.Body, got.Addenda)
	}
	if len(got.Provenance) == 0 {
		t.Fatal("the signed note lost its provenance")
	}
	if g, err := f.a.ViewNote(f.ctx, old.ID); err != nil || g.Body != markClear {
		t.Fatalf("the note from before note keys: %q, %v", g.Body, err)
	}
	if claims, err := f.a.UngroundedClaims(f.ctx, kept.ID); err != nil || len(claims) != 1 {
		t.Fatalf("the kept draft's claims = %v, %v", claims, err)
	}
}

// TestScribeReadsTheirPhysicianOnly: a scribe can be approved only once they have
// signed in (the approval names their key), gets their physician's key with the
// approval, reads and drafts that physician's notes, and loses the key when disabled.
func TestScribeReadsTheirPhysicianOnly(t *testing.T) {
	f := newFixture(t)
	f.as("it.admin")
	f.must(f.a.AddUser(f.ctx, access.NewUser{Username: "s.second", Role: access.Scribe, Password: pw, ActingFor: "dr.a"}, access.Bootstrap{}))
	f.as("dr.a")
	n, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-4", Title: "Synthetic dr.a note", Body: markBody})
	if err != nil {
		t.Fatal(err)
	}
	// Not signed in yet: refused, and they still wait.
	if err := f.a.ApproveScribe(f.ctx, "s.second", pw, ""); !errors.Is(err, vault.ErrScribeNoKey) {
		t.Fatalf("approving a scribe with no key: %v, want ErrScribeNoKey", err)
	}
	if s, _ := f.a.VaultForTest().UserByName(f.ctx, "s.second"); s.PendingFor == "" {
		t.Fatal("a refused approval approved the scribe")
	}
	f.as("s.second")
	if _, err := f.a.ViewNote(f.ctx, n.ID); err == nil {
		t.Fatal("an unapproved scribe read a note")
	}
	f.as("dr.a")
	if err := f.a.ApproveScribe(f.ctx, "s.second", pw, ""); err != nil {
		t.Fatal(err)
	}
	f.as("s.second")
	if got, err := f.a.ViewNote(f.ctx, n.ID); err != nil || got.Body != markBody {
		t.Fatalf("the approved scribe reads %q, %v", got.Body, err)
	}
	f.as("s.scribe")
	got, err := f.a.ViewNote(f.ctx, n.ID)
	if err != nil || got.Body != markBody {
		t.Fatalf("the approved scribe reads %q, %v", got.Body, err)
	}
	mine, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-5", Title: "Scribed", Body: "Scribed draft."})
	if err != nil {
		t.Fatal(err)
	}
	f.as("dr.a")
	if got, err := f.a.ViewNote(f.ctx, mine.ID); err != nil || got.Body != "Scribed draft." {
		t.Fatalf("dr.a reads the scribe's draft as %q, %v", got.Body, err)
	}
	// Disabled: the key goes with the access.
	f.as("it.admin")
	if err := f.a.DisableUser(f.ctx, "s.scribe"); err != nil {
		t.Fatal(err)
	}
	var held int
	db := openDirect(t, f)
	scribe, _ := f.a.VaultForTest().UserByName(f.ctx, "s.scribe")
	if err := db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", scribe.ID).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Fatalf("a disabled scribe still holds %d keys", held)
	}
}

// TestLockDropsNoteKeys: a locked session opens no note until it is unlocked with
// the password.
func TestLockDropsNoteKeys(t *testing.T) {
	f := newFixture(t)
	f.as("dr.a")
	n, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-6", Title: "Synthetic", Body: markBody})
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err := f.a.Whoami(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.a.Lock(f.ctx); err != nil {
		t.Fatal(err)
	}
	var kept int
	if err := openDirect(t, f).QueryRow("SELECT count(*) FROM session_keys WHERE session_id = ?", sess.ID).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != 0 {
		t.Fatalf("a locked session keeps %d sets of keys", kept)
	}
	if err := f.a.Unlock(f.ctx, pw, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := f.a.ViewNote(f.ctx, n.ID); err != nil || got.Body != markBody {
		t.Fatalf("after unlock: %q, %v", got.Body, err)
	}
}

// openDirect opens the vault file as any SQLCipher tool would, with the key from
// the keychain: what a user of the same OS account can do.
func openDirect(t *testing.T, f *fixture) *sql.DB { return openVaultFile(t, f, "&mode=ro") }

// openDirectRW is openDirect for writing.
func openDirectRW(t *testing.T, f *fixture) *sql.DB {
	return openVaultFile(t, f, "&_busy_timeout=10000")
}

func openVaultFile(t *testing.T, f *fixture, params string) *sql.DB {
	t.Helper()
	v := f.a.VaultForTest()
	raw, err := f.kc.Get(f.ctx, "vault:"+v.ID())
	if err != nil {
		t.Fatal(err)
	}
	var entry struct {
		Key []byte `json:"key"`
	}
	if err := json.Unmarshal([]byte(raw), &entry); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(v.Dir(), "vault.db")
	db, err := sql.Open("sqlite3", fmt.Sprintf("file:%s?cipher=sqlcipher&legacy=4&key=x%%27%s%%27%s", path, hex.EncodeToString(entry.Key), params))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dumpVault returns every value of every table of the vault (FTS shadow tables
// included), and every keychain entry, as one byte string.
func dumpVault(t *testing.T, f *fixture) []byte {
	t.Helper()
	db := openDirect(t, f)
	var out bytes.Buffer
	f.kc.mu.Lock()
	for k, v := range f.kc.m {
		fmt.Fprintf(&out, "%s=%s\n", k, v)
	}
	f.kc.mu.Unlock()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	for _, table := range tables {
		r, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			continue // virtual tables that need their module's arguments
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&out, "%s\t", v)
			}
			out.WriteByte('\n')
		}
		r.Close()
	}
	return out.Bytes()
}

// TestLostNoteSecretComesBackWithTheVaultKey: after the keychain loses the note
// secret, sign-in still works but no note opens (recorded), no new secret is made
// (it would orphan every key), and `vault recover` puts it back from its escrow.
func TestLostNoteSecretComesBackWithTheVaultKey(t *testing.T) {
	f := newFixture(t)
	f.as("dr.b")
	n, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-7", Title: "Synthetic", Body: markBody})
	if err != nil {
		t.Fatal(err)
	}
	account := "notes:" + f.a.VaultForTest().ID()
	f.kc.Delete(f.ctx, account)
	f.as("dr.b")
	if _, err := f.a.ViewNote(f.ctx, n.ID); !errors.Is(err, vault.ErrSealed) {
		t.Fatalf("with the note secret lost: %v, want ErrSealed", err)
	}
	if _, err := f.kc.Get(f.ctx, account); !errors.Is(err, vault.ErrKeyMissing) {
		t.Fatal("a new note secret was made while users have keys")
	}
	recs := f.records()
	if !slices.ContainsFunc(recs, func(r audit.Record) bool { return r.Action == audit.NoteKeysUnavailable }) {
		t.Fatal("the unavailable keys were not recorded")
	}
	if !slices.ContainsFunc(recs, func(r audit.Record) bool {
		return r.Action == audit.NoteView && r.Outcome == audit.DeniedOutcome && r.Object.ID == n.ID
	}) {
		t.Fatal("the refused view of a sealed note was not recorded")
	}
	f.as("dr.a")
	if _, err := f.a.RecoverNoteKeys(f.ctx, []age.Identity{f.identity}); !errors.Is(err, access.ErrDenied) {
		t.Fatalf("a physician recovered note keys: %v", err)
	}
	if err := f.a.Recover(f.ctx, []age.Identity{f.identity}); err != nil {
		t.Fatal(err)
	}
	f.as("dr.b")
	if v, err := f.a.ViewNote(f.ctx, n.ID); err != nil || v.Body != markBody {
		t.Fatalf("after recovery: %q, %v", v.Body, err)
	}
}

// TestWrittenRowsDoNotObtainAKey: someone with the vault key writes rows to get a
// physician's key — makes themselves an approved scribe of dr.a with a key pair of
// their own, or swaps dr.a's public note key for theirs — and dr.a's next actions
// give them nothing: grants need dr.a's own mark of approval, and notes are sealed
// to the key dr.a holds, not to the row.
func TestWrittenRowsDoNotObtainAKey(t *testing.T) {
	f := newFixture(t)
	v := f.a.VaultForTest()
	auditor, _ := v.UserByName(f.ctx, "a.auditor")
	dra, _ := v.UserByName(f.ctx, "dr.a")
	mine, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	db := openDirectRW(t, f)
	execAll(t, db,
		"UPDATE users SET role = 'scribe', acting_for = '"+dra.ID+"', pending_for = '' WHERE id = '"+auditor.ID+"'",
		"INSERT INTO user_keys (user_id, public, salt, params, wrapped) VALUES ('"+auditor.ID+"', '"+mine.Recipient().String()+"', x'00', 'm=64,t=1,p=1', x'00')",
		"INSERT INTO scribe_approvals (owner, scribe, public, mac) VALUES ('"+dra.ID+"', '"+auditor.ID+"', '', x'00')",
	)
	f.as("dr.a")
	if _, err := f.a.ListNotes(f.ctx, 0); err != nil {
		t.Fatal(err)
	}
	var held int
	if err := db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", auditor.ID).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Fatal("a forged approval obtained dr.a's key")
	}
	if _, err := db.Exec("UPDATE owner_keys SET public = ? WHERE owner = ?", mine.Recipient().String(), dra.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-8", Title: "Synthetic", Body: markBody}); !errors.Is(err, vault.ErrKeyAltered) {
		t.Fatalf("a note was sealed to a swapped key: %v", err)
	}
	// The key's rows deleted: the note would go in the clear.
	for _, q := range []string{"DELETE FROM note_key_holders WHERE owner = ?", "DELETE FROM owner_keys WHERE owner = ?"} {
		if _, err := db.Exec(q, dra.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-8", Title: "Synthetic", Body: markBody}); !errors.Is(err, vault.ErrKeyAltered) {
		t.Fatalf("a note was stored with its physician's key rows deleted: %v", err)
	}
	// Found mid-session, the fault is recorded though the action is rolled back.
	if !slices.ContainsFunc(f.records(), func(r audit.Record) bool {
		return r.Action == audit.NoteKeysUnavailable && r.User == dra.ID && r.Object.ID == dra.ID && r.Details["reason"] == "altered"
	}) {
		t.Fatal("a key altered mid-session was not recorded")
	}
}

// execAll runs each statement on db, as someone with the vault key alone would.
func execAll(t *testing.T, db *sql.DB, statements ...string) {
	t.Helper()
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// forgeScribe makes, with the vault key alone, the auditor an approved scribe of
// physician with a user key pair of the attacker's, and returns that pair.
func forgeScribe(t *testing.T, db *sql.DB, auditor, physician string) *age.X25519Identity {
	t.Helper()
	mine, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, db,
		"UPDATE users SET role = 'scribe', acting_for = '"+physician+"', pending_for = '' WHERE id = '"+auditor+"'",
		"INSERT OR REPLACE INTO user_keys (user_id, public, salt, params, wrapped) VALUES ('"+auditor+"', '"+mine.Recipient().String()+"', x'00', 'm=64,t=1,p=1', x'00')",
	)
	return mine
}

// TestDeletedNoteKeyIsNotMadeAgain: someone with the vault key deletes dr.a's note
// key rows and writes a scribe of their own for dr.a. dr.a's next sign-in makes no new key for them to be given (recorded, and
// alerted at the collector); nothing of dr.a's is stored in the clear meanwhile; the
// key put back from a backup's row and the escrow opens dr.a's notes again.
func TestDeletedNoteKeyIsNotMadeAgain(t *testing.T) {
	f := newFixture(t)
	v := f.a.VaultForTest()
	auditor, _ := v.UserByName(f.ctx, "a.auditor")
	dra, _ := v.UserByName(f.ctx, "dr.a")
	f.as("dr.a")
	n, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-10", Title: "Synthetic", Body: markBody})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.a.SignOut(f.ctx); err != nil {
		t.Fatal(err)
	}
	db := openDirectRW(t, f)
	var public string
	var escrow []byte
	if err := db.QueryRow("SELECT public, escrow FROM owner_keys WHERE owner = ?", dra.ID).Scan(&public, &escrow); err != nil {
		t.Fatal(err)
	}
	forgeScribe(t, db, auditor.ID, dra.ID)
	for _, q := range []string{"DELETE FROM note_key_holders WHERE owner = ?", "DELETE FROM owner_keys WHERE owner = ?"} {
		if _, err := db.Exec(q, dra.ID); err != nil {
			t.Fatal(err)
		}
	}

	f.as("dr.a")
	var keys, held int
	db.QueryRow("SELECT count(*) FROM owner_keys WHERE owner = ?", dra.ID).Scan(&keys)
	db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", auditor.ID).Scan(&held)
	if keys != 0 || held != 0 {
		t.Fatalf("after the rows were deleted: %d new keys of dr.a, %d held by the forged scribe", keys, held)
	}
	if _, err := f.a.CreateNote(f.ctx, vault.NewNote{PatientRef: "SYN-MRN-11", Title: "Synthetic", Body: markBody}); !errors.Is(err, vault.ErrNoteKeyDeleted) {
		t.Fatalf("a note of dr.a's with the key deleted: %v, want ErrNoteKeyDeleted", err)
	}
	if !slices.ContainsFunc(f.records(), func(r audit.Record) bool {
		return r.Action == audit.NoteKeysUnavailable && r.User == dra.ID && r.Details["reason"] == "missing"
	}) {
		t.Fatal("the deleted key was not recorded")
	}

	// An admin puts the row back (as a restore of the last backup does) and
	// recovers the key from its escrow.
	if _, err := db.Exec("INSERT INTO owner_keys (owner, public, escrow) VALUES (?, ?, ?)", dra.ID, public, escrow); err != nil {
		t.Fatal(err)
	}
	f.as("it.admin")
	if got, err := f.a.RecoverNoteKeys(f.ctx, []age.Identity{f.identity}); err != nil || len(got.Owners) != 1 {
		t.Fatalf("recover-keys: %+v, %v", got, err)
	}
	f.as("dr.a")
	if got, err := f.a.ViewNote(f.ctx, n.ID); err != nil || got.Body != markBody {
		t.Fatalf("after recovery dr.a reads %q, %v", got.Body, err)
	}
	db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", auditor.ID).Scan(&held)
	if held != 0 {
		t.Fatal("the forged scribe was given the recovered key")
	}
}

// TestApprovalNamesTheScribesKey: an approval is of the key the scribe's own password
// opens, typed at the physician's side, not of the public key the scribe's row names.
// A row writer who puts their own public key in a new scribe's row before the
// approval, or in an approved scribe's row after it (taking the copy away so that it
// is given again), is given nothing; the row is set right and the fault recorded. A
// forged approval row is deleted and recorded once.
func TestApprovalNamesTheScribesKey(t *testing.T) {
	f := newFixture(t)
	v := f.a.VaultForTest()
	scribe, _ := v.UserByName(f.ctx, "s.scribe")
	dra, _ := v.UserByName(f.ctx, "dr.a")
	db := openDirectRW(t, f)
	mine, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	swap := func(id string) {
		execAll(t, db,
			"UPDATE user_keys SET public = '"+mine.Recipient().String()+"' WHERE user_id = '"+id+"'",
			"DELETE FROM note_key_holders WHERE holder = '"+id+"'",
		)
	}
	holdsMine := func(id string) bool {
		var wrapped []byte
		if db.QueryRow("SELECT wrapped FROM note_key_holders WHERE owner = ? AND holder = ?", dra.ID, id).Scan(&wrapped) != nil {
			return false
		}
		_, err := age.Decrypt(bytes.NewReader(wrapped), mine)
		return err == nil
	}
	altered := func(id string) bool {
		return slices.ContainsFunc(f.records(), func(r audit.Record) bool {
			return r.Action == audit.NoteKeysUnavailable && r.Object.ID == id && r.Details["reason"] == "altered"
		})
	}

	// After the approval.
	swap(scribe.ID)
	f.as("dr.a")
	if _, err := f.a.ListNotes(f.ctx, 0); err != nil {
		t.Fatal(err)
	}
	var held int
	db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", scribe.ID).Scan(&held)
	if held != 0 {
		t.Fatal("dr.a's key was given to a public key swapped into the approved scribe's row")
	}
	f.as("s.scribe") // their sign-in sets the row right, and dr.a's next action gives the key
	if !altered(scribe.ID) {
		t.Fatal("the swapped public key was not recorded at the scribe's sign-in")
	}
	f.as("dr.a")
	if _, err := f.a.ListNotes(f.ctx, 0); err != nil {
		t.Fatal(err)
	}
	db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", scribe.ID).Scan(&held)
	if held != 1 || holdsMine(scribe.ID) {
		t.Fatalf("after the scribe's row was set right: %d copies held, the writer's key opens one: %v", held, holdsMine(scribe.ID))
	}

	// Before the approval: a new scribe signs in, the row is written, dr.a approves
	// with the scribe at their side.
	f.as("it.admin")
	f.must(f.a.AddUser(f.ctx, access.NewUser{Username: "s.new", Role: access.Scribe, Password: pw, ActingFor: "dr.a"}, access.Bootstrap{}))
	f.as("s.new")
	fresh, _ := v.UserByName(f.ctx, "s.new")
	swap(fresh.ID)
	f.as("dr.a")
	if err := f.a.ApproveScribe(f.ctx, "s.new", "not the scribe's password", ""); !errors.Is(err, access.ErrBadCredentials) {
		t.Fatalf("approved without the scribe's password: %v", err)
	}
	if err := f.a.ApproveScribe(f.ctx, "s.new", pw, ""); err != nil {
		t.Fatal(err)
	}
	if holdsMine(fresh.ID) {
		t.Fatal("dr.a's key was given to the public key written into a new scribe's row")
	}
	if !altered(fresh.ID) {
		t.Fatal("the row written before the approval was not recorded")
	}
	db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", fresh.ID).Scan(&held)
	if held != 1 {
		t.Fatalf("the scribe approved at dr.a's side holds %d copies of dr.a's key, want 1", held)
	}
	f.as("s.new")
	if s, _ := v.UserByName(f.ctx, "s.new"); s.ActingFor != dra.ID {
		t.Fatalf("the approved scribe acts for %q", s.ActingFor)
	}

	// A scribe's pair rewritten: their password passes, their key does not open;
	// refused, nothing given, recorded.
	f.as("it.admin")
	f.must(f.a.AddUser(f.ctx, access.NewUser{Username: "s.rewritten", Role: access.Scribe, Password: pw, ActingFor: "dr.a"}, access.Bootstrap{}))
	f.as("s.rewritten")
	rewritten, _ := v.UserByName(f.ctx, "s.rewritten")
	execAll(t, db, "UPDATE user_keys SET wrapped = x'00' WHERE user_id = '"+rewritten.ID+"'")
	f.as("dr.a")
	if err := f.a.ApproveScribe(f.ctx, "s.rewritten", pw, ""); !errors.Is(err, vault.ErrScribeKeyNotOpened) {
		t.Fatalf("approving a scribe whose key does not open: %v", err)
	}
	db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", rewritten.ID).Scan(&held)
	if held != 0 || !altered(rewritten.ID) {
		t.Fatalf("a scribe whose key does not open: %d copies given, recorded %v; want none, recorded", held, altered(rewritten.ID))
	}

	// A forged approval row: deleted, recorded once.
	f.as("it.admin")
	f.must(f.a.AddUser(f.ctx, access.NewUser{Username: "s.forged", Role: access.Scribe, Password: pw, ActingFor: "dr.a"}, access.Bootstrap{}))
	f.as("s.forged")
	forged, _ := v.UserByName(f.ctx, "s.forged")
	var public string
	db.QueryRow("SELECT public FROM user_keys WHERE user_id = ?", forged.ID).Scan(&public)
	execAll(t, db,
		"UPDATE users SET acting_for = '"+dra.ID+"', pending_for = '' WHERE id = '"+forged.ID+"'",
		"INSERT INTO scribe_approvals (owner, scribe, public, mac) VALUES ('"+dra.ID+"', '"+forged.ID+"', '"+public+"', x'00')",
	)
	f.as("dr.a")
	f.a.ListNotes(f.ctx, 0)
	f.a.ListNotes(f.ctx, 0)
	reports := 0
	for _, r := range f.records() {
		if r.Action == audit.NoteKeysUnavailable && r.Object.ID == forged.ID && r.Details["reason"] == "forged approval" {
			reports++
		}
	}
	db.QueryRow("SELECT count(*) FROM note_key_holders WHERE holder = ?", forged.ID).Scan(&held)
	if reports != 1 || held != 0 {
		t.Fatalf("a forged approval: reported %d times, %d copies given; want once, none", reports, held)
	}
}
