package vault

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
)

// The vault's tests run against the real OS keychain — gnome-keyring over D-Bus under
// `make test` (scripts/with-keyring.sh) — and the real SQLite3MultipleCiphers.

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		crashChild()
		return
	}
	if err := probeKeychain(); err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintf(os.Stderr, "vault tests need the Secret Service and CI=true: %v\n", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "SKIP vault tests: no Secret Service (%v); run them with `make test`\n", err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func probeKeychain() error {
	return ProbeKeychain(context.Background(), SystemKeychain{Timeout: 5 * time.Second})
}

// testDeviceKey signs the test vaults' backups, as a device key would.
var testDeviceKey = ed25519.NewKeyFromSeed([]byte("synthetic-device-key-32-bytes-!!"))

// testVault makes a profile in a temporary directory; its keychain entry is removed
// when the test ends.
func testVault(t testing.TB, o Options) (*Vault, Options) {
	t.Helper()
	if o.Dir == "" {
		o.Dir = filepath.Join(t.TempDir(), "profile")
	}
	v, err := Create(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	v.SignBackups(testDeviceKey)
	id := v.ID()
	t.Cleanup(func() {
		v.Close()
		(SystemKeychain{}).Delete(context.Background(), keychainAccount(id))
	})
	return v, o
}

func newIdentity(t testing.TB) (*age.X25519Identity, string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id, id.Recipient().String()
}

// canary is synthetic "PHI": if it shows up anywhere outside the vault, something
// leaked.
const canary = "CANARY-7f3e-Zebediah-Quillfeather-MRN-000000"

func addNotes(t testing.TB, v *Vault, n int) []Note {
	t.Helper()
	var out []Note
	for i := 0; i < n; i++ {
		note, err := v.AddNote(context.Background(), NewNote{
			PatientRef: fmt.Sprintf("%s-%d", canary, i),
			Title:      fmt.Sprintf("Progress note %d %s", i, canary),
			Body:       fmt.Sprintf("S: synthetic patient reports cough. %s O: afebrile. A/P: note %d.", canary, i),
			Author:     "dr.synthetic",
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, note)
	}
	return out
}

func TestVaultKeepsNotesAcrossReopen(t *testing.T) {
	ctx := context.Background()
	v, o := testVault(t, Options{})
	added := addNotes(t, v, 3)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	v, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for _, a := range added {
		got, err := v.Note(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("note %s came back as %+v, want %+v", a.ID, got, a)
		}
	}
	list, err := v.Notes(ctx, Filter{})
	if err != nil || len(list) != 3 {
		t.Fatalf("Notes = %d notes, %v; want 3", len(list), err)
	}
}

func TestCheckReportsHowTheVaultIsKept(t *testing.T) {
	v, _ := testVault(t, Options{})
	addNotes(t, v, 2)
	in, err := v.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"cipher":       {in.Cipher, "sqlcipher"},
		"journal mode": {in.JournalMode, "wal"},
		// A kill test cannot see a missing fsync; the setting itself must be FULL.
		"synchronous": {in.Synchronous, "FULL"},
		"integrity":   {in.Integrity, "ok"},
	}
	for name, w := range want {
		if w[0] != w[1] {
			t.Errorf("%s = %q, want %q", name, w[0], w[1])
		}
	}
	if !in.SecureDelete {
		t.Error("secure_delete is off")
	}
	if !strings.HasPrefix(in.CipherLib, "SQLite3 Multiple Ciphers 2.") || !strings.HasPrefix(in.SQLite, "3.53") {
		t.Errorf("linked %q / SQLite %q, want SQLite3 Multiple Ciphers 2.x on SQLite 3.53", in.CipherLib, in.SQLite)
	}
	// Temporary tables and sorts never reach a file: compiled in, whatever a PRAGMA says.
	var tempStore int
	if err := v.db.QueryRow("SELECT count(*) FROM pragma_compile_options WHERE compile_options = 'TEMP_STORE=3'").Scan(&tempStore); err != nil || tempStore != 1 {
		t.Errorf("SQLite not built with TEMP_STORE=3 (%d, %v)", tempStore, err)
	}
	if in.Notes != 2 || in.SchemaVersion != SchemaVersion {
		t.Errorf("notes %d schema %d, want 2 and %d", in.Notes, in.SchemaVersion, SchemaVersion)
	}
}

func TestDatabaseFileIsEncryptedOnDisk(t *testing.T) {
	v, o := testVault(t, Options{})
	addNotes(t, v, 5)
	// While the vault is open the notes sit in the write-ahead log: it is encrypted too.
	wal, err := os.ReadFile(filepath.Join(o.Dir, dbFile+"-wal"))
	if err != nil || len(wal) == 0 {
		t.Fatalf("no write-ahead log while open (%d bytes, %v)", len(wal), err)
	}
	for _, f := range []string{dbFile + "-wal", dbFile + "-shm"} {
		if b, _ := os.ReadFile(filepath.Join(o.Dir, f)); bytes.Contains(b, []byte(canary)) {
			t.Fatalf("%s holds plaintext", f)
		}
	}
	v.Close()
	b, err := os.ReadFile(filepath.Join(o.Dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte(sqliteHeader)) {
		t.Fatal("vault.db starts with the plaintext SQLite header")
	}
	if bytes.Contains(b, []byte("CREATE TABLE")) || bytes.Contains(b, []byte(canary)) {
		t.Fatal("vault.db holds plaintext")
	}
}

func TestPlaintextDatabaseIsRefused(t *testing.T) {
	v, o := testVault(t, Options{})
	v.Close()
	path := filepath.Join(o.Dir, dbFile)
	// Replace the vault with a plaintext database of the same size class.
	plain := append([]byte(sqliteHeader), make([]byte, pageSize-len(sqliteHeader))...)
	if err := os.WriteFile(path, plain, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), o)
	if !errors.Is(err, ErrNotEncrypted) {
		t.Fatalf("Open = %v, want ErrNotEncrypted", err)
	}
}

// snapshot hashes every file in dir, to prove a failed open changed nothing.
func snapshot(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = sha256.Sum256(b)
		return nil
	})
	return out
}

func TestOpenFailuresAreNamedAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	kc := SystemKeychain{}
	tests := []struct {
		name   string
		breakf func(t *testing.T, o Options, v *Vault)
		want   error
	}{
		{"wrong key is refused and the file is untouched", func(t *testing.T, o Options, v *Vault) {
			if err := putEntry(ctx, kc, keyEntry{VaultID: v.ID(), Key: newKey()}); err != nil {
				t.Fatal(err)
			}
		}, ErrWrongKey},
		{"missing key says to recover from escrow", func(t *testing.T, o Options, v *Vault) {
			if err := kc.Delete(ctx, keychainAccount(v.ID())); err != nil {
				t.Fatal(err)
			}
		}, ErrKeyMissing},
		{"truncated file is called damaged", func(t *testing.T, o Options, v *Vault) {
			if err := os.Truncate(filepath.Join(o.Dir, dbFile), pageSize+100); err != nil {
				t.Fatal(err)
			}
		}, ErrDamaged},
		{"vault file from another profile is told apart from a wrong key", func(t *testing.T, o Options, v *Vault) {
			other, _ := testVault(t, Options{})
			other.Close()
			b, err := os.ReadFile(filepath.Join(other.Dir(), dbFile))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(o.Dir, dbFile), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrForeignVault},
		{"page 1 corrupted under the right key is damage", func(t *testing.T, o Options, v *Vault) {
			f, err := os.OpenFile(filepath.Join(o.Dir, dbFile), os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteAt([]byte("xxxxxxxx"), 100)
			f.Close()
		}, ErrDamaged},
		{"missing metadata is damage, not a new vault", func(t *testing.T, o Options, v *Vault) {
			os.Remove(filepath.Join(o.Dir, metaFile))
		}, ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, o := testVault(t, Options{})
			addNotes(t, v, 3)
			if err := v.Close(); err != nil {
				t.Fatal(err)
			}
			tt.breakf(t, o, v)
			before := snapshot(t, o.Dir)
			_, err := Open(ctx, o)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %v, want %v", err, tt.want)
			}
			if after := snapshot(t, o.Dir); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Fatalf("a failed open changed the profile:\nbefore %v\nafter  %v", before, after)
			}
			if _, err := OpenOrCreate(ctx, o); !errors.Is(err, tt.want) {
				t.Fatalf("OpenOrCreate = %v, want %v (never a new vault over a broken one)", err, tt.want)
			}
		})
	}
}

func TestSearchFindsNotesAndSurvivesAnyInput(t *testing.T) {
	ctx := context.Background()
	v, _ := testVault(t, Options{})
	addNotes(t, v, 3)
	v.AddNote(ctx, NewNote{Title: "Discharge letter", Body: "Metformin 500 mg twice daily; pneumonia resolved.", Author: "dr.synthetic"})
	hits, err := v.Search(ctx, "pneumo", Filter{Limit: 10})
	if err != nil || len(hits) != 1 || hits[0].Title != "Discharge letter" || !strings.Contains(hits[0].Snippet, "«pneumonia»") {
		t.Fatalf("Search(pneumo) = %+v, %v", hits, err)
	}
	hits, err = v.Search(ctx, "afebrile note", Filter{Limit: 10})
	if err != nil || len(hits) != 3 {
		t.Fatalf("Search(afebrile note) = %d hits, %v; want 3", len(hits), err)
	}
	for _, q := range []string{`"`, `NEAR(`, `a OR`, `*`, `-x`, `title:`, `'); DROP TABLE notes; --`, ``, `   `} {
		if _, err := v.Search(ctx, q, Filter{Limit: 10}); err != nil {
			t.Errorf("Search(%q) = %v", q, err)
		}
	}
}

func TestSignedNotesAreImmutable(t *testing.T) {
	ctx := context.Background()
	v, _ := testVault(t, Options{})
	n := addNotes(t, v, 1)[0]
	if err := v.EditNote(ctx, n.ID, "Edited", "new body"); err != nil {
		t.Fatal(err)
	}
	if err := v.MarkExported(ctx, n.ID, 0); !errors.Is(err, ErrNotSigned) {
		t.Fatalf("MarkExported(draft) = %v, want ErrNotSigned", err)
	}
	if err := v.SignNote(ctx, n.ID, "dr.synthetic"); err != nil {
		t.Fatal(err)
	}
	if err := v.EditNote(ctx, n.ID, "Again", "x"); !errors.Is(err, ErrSigned) {
		t.Fatalf("EditNote(signed) = %v, want ErrSigned", err)
	}
	if err := v.DeleteDraft(ctx, n.ID); !errors.Is(err, ErrSigned) {
		t.Fatalf("DeleteDraft(signed) = %v, want ErrSigned", err)
	}
	// The trigger holds even against SQL that bypasses the methods.
	if _, err := v.db.Exec("UPDATE notes SET body = 'x' WHERE id = ?", n.ID); err == nil {
		t.Fatal("raw UPDATE of a signed note succeeded")
	}
	got, _ := v.Note(ctx, n.ID)
	if got.Body != "new body" || got.Status != Signed || got.SignedBy != "dr.synthetic" {
		t.Fatalf("signed note = %+v", got)
	}
	if _, err := v.Note(ctx, "n_missing"); !errors.Is(err, ErrNoteNotFound) {
		t.Fatalf("Note(missing) = %v", err)
	}
}

func TestRetentionPurgesOnlyWhatPolicyAllows(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	v, _ := testVault(t, Options{Now: clock})
	old := addNotes(t, v, 4) // at day 0
	v.SignNote(ctx, old[0].ID, "dr.synthetic")
	v.MarkExported(ctx, old[0].ID, 0) // signed + exported: goes after 30 days
	v.SignNote(ctx, old[1].ID, "dr.synthetic")
	// old[1]: signed, never exported: kept forever. old[2], old[3]: drafts.
	now = now.AddDate(0, 0, 20)
	v.EditNote(ctx, old[3].ID, "touched", "recent edit") // draft touched at day 20
	now = now.AddDate(0, 0, 20)                          // day 40

	p, err := v.Purge(ctx, Retention{SignedDays: 30, DraftDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	if p != (Purged{Signed: 1, Drafts: 1}) {
		t.Fatalf("Purge = %+v, want 1 signed, 1 draft", p)
	}
	for i, want := range []bool{false, true, false, true} {
		_, err := v.Note(ctx, old[i].ID)
		if (err == nil) != want {
			t.Errorf("note %d present = %v, want %v", i, err == nil, want)
		}
	}
	if p, _ := v.Purge(ctx, Retention{}); p != (Purged{}) {
		t.Fatalf("zero retention purged %+v", p)
	}
}

func TestRekeyKeepsNotesAndRewrapsEscrow(t *testing.T) {
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	v, o := testVault(t, Options{Recipient: rcpt})
	added := addNotes(t, v, 5)
	fp0 := v.meta.KeyFingerprint
	if err := v.Rekey(ctx); err != nil {
		t.Fatal(err)
	}
	if v.meta.KeyFingerprint == fp0 {
		t.Fatal("fingerprint unchanged after rekey")
	}
	// The vault works at once, in WAL mode, and after reopening.
	if _, err := v.AddNote(ctx, NewNote{Title: "after rekey", Author: "dr.synthetic"}); err != nil {
		t.Fatal(err)
	}
	in, err := v.Check(ctx)
	if err != nil || in.JournalMode != "wal" {
		t.Fatalf("Check after rekey = %+v, %v", in, err)
	}
	v.Close()
	e, err := getEntry(ctx, SystemKeychain{}, v.ID())
	if err != nil || e.Next != nil || e.Fingerprint == fp0 {
		t.Fatalf("keychain entry after rekey: fp %s next %v err %v", e.Fingerprint, e.Next != nil, err)
	}
	// The escrow holds the new key: losing the keychain now loses nothing.
	(SystemKeychain{}).Delete(ctx, keychainAccount(v.ID()))
	if err := Recover(ctx, o, []age.Identity{id}); err != nil {
		t.Fatal(err)
	}
	v2, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	for _, a := range added {
		if _, err := v2.Note(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInterruptedRekeyLosesNothing(t *testing.T) {
	for _, step := range []string{"rekey: before re-encrypt", "rekey: after re-encrypt"} {
		t.Run(step, func(t *testing.T) {
			ctx := context.Background()
			id, rcpt := newIdentity(t)
			v, o := testVault(t, Options{Recipient: rcpt})
			added := addNotes(t, v, 3)
			crash := errors.New("simulated crash")
			testHook = func(s string) error {
				if s == step {
					return crash
				}
				return nil
			}
			defer func() { testHook = func(string) error { return nil } }()
			if err := v.Rekey(ctx); !errors.Is(err, crash) {
				t.Fatalf("Rekey = %v, want the simulated crash", err)
			}
			testHook = func(string) error { return nil }
			if v.db != nil {
				v.db.Close()
			}
			v2, err := Open(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range added {
				if _, err := v2.Note(ctx, a.ID); err != nil {
					t.Fatal(err)
				}
			}
			v2.Close()
			e, _ := getEntry(ctx, SystemKeychain{}, v2.ID())
			if e.Next != nil {
				t.Fatal("the keychain entry still holds two keys after open settled the rekey")
			}
			// Recovery still works with whichever key won.
			(SystemKeychain{}).Delete(ctx, keychainAccount(v2.ID()))
			if err := Recover(ctx, o, []age.Identity{id}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRecoverRestoresAccessAfterKeychainLoss(t *testing.T) {
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	v, o := testVault(t, Options{Recipient: rcpt})
	added := addNotes(t, v, 2)
	v.Close()
	(SystemKeychain{}).Delete(ctx, keychainAccount(v.ID()))
	if _, err := Open(ctx, o); !errors.Is(err, ErrKeyMissing) {
		t.Fatalf("Open without key = %v, want ErrKeyMissing", err)
	}
	wrong, _ := newIdentity(t)
	if err := Recover(ctx, o, []age.Identity{wrong}); err == nil {
		t.Fatal("Recover with the wrong identity succeeded")
	}
	if err := Recover(ctx, o, []age.Identity{id}); err != nil {
		t.Fatal(err)
	}
	v2, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if _, err := v2.Note(ctx, added[1].ID); err != nil {
		t.Fatal(err)
	}
}

func TestRecipientChangeRewrapsEscrow(t *testing.T) {
	ctx := context.Background()
	_, r1 := newIdentity(t)
	id2, r2 := newIdentity(t)
	v, o := testVault(t, Options{Recipient: r1})
	v.Close()
	o.Recipient = r2
	v2, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	v2.Close()
	if _, err := readEscrow(filepath.Join(o.Dir, escrowFile), []age.Identity{id2}); err != nil {
		t.Fatalf("escrow not re-wrapped to the new recipient: %v", err)
	}
}

func TestShredRemovesKeyAndFiles(t *testing.T) {
	ctx := context.Background()
	_, rcpt := newIdentity(t)
	v, o := testVault(t, Options{Recipient: rcpt})
	addNotes(t, v, 2)
	v.Close()
	if err := Shred(ctx, o, false); err != nil {
		t.Fatal(err)
	}
	if _, err := (SystemKeychain{}).Get(ctx, keychainAccount(v.ID())); !errors.Is(err, ErrKeyMissing) {
		t.Fatalf("keychain entry after shred: %v", err)
	}
	entries, _ := os.ReadDir(o.Dir)
	if len(entries) != 0 {
		t.Fatalf("files left after shred: %v", entries)
	}
	if _, err := Open(ctx, o); !errors.Is(err, ErrNoVault) {
		t.Fatalf("Open after shred = %v, want ErrNoVault", err)
	}
	if err := Shred(ctx, o, false); !errors.Is(err, ErrNoVault) {
		t.Fatalf("second Shred = %v, want ErrNoVault", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	v, o := testVault(t, Options{})
	v.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+1))
	v.Close()
	if _, err := Open(context.Background(), o); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
}

func TestKeyNeverAppearsInErrors(t *testing.T) {
	ctx := context.Background()
	key := newKey()
	hexKey := fmt.Sprintf("%x", key)
	if !strings.Contains(dsn("/x/vault.db", key, 0), hexKey) {
		t.Fatal("test premise: the DSN carries the key")
	}
	var errs []error
	// A directory where the database should be, a read-only location, a garbage file.
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "isdir"), 0o700)
	os.WriteFile(filepath.Join(dir, "garbage"), bytes.Repeat([]byte{0xAB}, pageSize), 0o600)
	for _, p := range []string{filepath.Join(dir, "isdir"), "/proc/nonexistent/vault.db", filepath.Join(dir, "garbage")} {
		if _, err := openDB(ctx, p, key, 0); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 3 {
		t.Fatalf("want 3 errors, got %v", errs)
	}
	for _, err := range errs {
		if strings.Contains(err.Error(), hexKey) || strings.Contains(err.Error(), "key=") {
			t.Errorf("error quotes the DSN: %v", err)
		}
	}
}

// FuzzSearch: whatever a user types in the search box, Search answers without error.
func FuzzSearch(f *testing.F) {
	v, _ := testVault(f, Options{})
	addNotes(f, v, 3)
	for _, s := range []string{"cough", `"unbalanced`, "NEAR(a b)", "a* OR -b", "title:x", "\x00", "漢字 ünï"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := v.Search(context.Background(), q, Filter{Limit: 5}); err != nil {
			t.Fatalf("Search(%q) = %v", q, err)
		}
	})
}

func TestFailedCreateLeavesNoVaultAndNoKey(t *testing.T) {
	ctx := context.Background()
	_, rcpt := newIdentity(t)
	o := Options{Dir: filepath.Join(t.TempDir(), "profile"), Recipient: rcpt}
	crash := errors.New("disk full")
	testHook = func(s string) error {
		if s == "create: database written" {
			return crash
		}
		return nil
	}
	_, err := Create(ctx, o)
	testHook = func(string) error { return nil }
	if !errors.Is(err, crash) {
		t.Fatalf("Create = %v, want the injected failure", err)
	}
	if Exists(o.Dir) {
		t.Fatal("a failed Create left a vault behind")
	}
	for _, f := range []string{dbFile + ".new", escrowFile, metaFile} {
		if _, err := os.Stat(filepath.Join(o.Dir, f)); err == nil {
			t.Errorf("a failed Create left %s", f)
		}
	}
	// Debris from a crashed Create (which had no chance to clean up) does not block
	// the next one either.
	os.WriteFile(filepath.Join(o.Dir, dbFile+".new"), []byte("half a database"), 0o600)
	v, err := OpenOrCreate(ctx, o)
	if err != nil {
		t.Fatalf("OpenOrCreate over debris = %v", err)
	}
	defer (SystemKeychain{}).Delete(ctx, keychainAccount(v.ID()))
	v.Close()
	if st, _ := os.Stat(o.Dir); st.Mode().Perm() != 0o700 {
		t.Errorf("profile directory mode %v, want 0700", st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Join(o.Dir, dbFile)); st.Mode().Perm()&0o077 != 0 {
		t.Errorf("vault.db mode %v, want no access for group or others", st.Mode().Perm())
	}
}

func TestOversizedNotesAreRefused(t *testing.T) {
	ctx := context.Background()
	v, _ := testVault(t, Options{})
	big := strings.Repeat("x", MaxNoteBytes)
	if _, err := v.AddNote(ctx, NewNote{Title: "big", Body: big, Author: "dr.synthetic"}); !errors.Is(err, ErrNoteTooLarge) {
		t.Fatalf("AddNote(>1 MiB) = %v, want ErrNoteTooLarge", err)
	}
	n := addNotes(t, v, 1)[0]
	if err := v.EditNote(ctx, n.ID, "big", big); !errors.Is(err, ErrNoteTooLarge) {
		t.Fatalf("EditNote(>1 MiB) = %v, want ErrNoteTooLarge", err)
	}
}

func TestShredOfADamagedVaultNeedsForce(t *testing.T) {
	ctx := context.Background()
	v, o := testVault(t, Options{})
	v.Close()
	os.WriteFile(filepath.Join(o.Dir, metaFile), []byte("{not json"), 0o600)
	if err := Shred(ctx, o, false); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Shred = %v, want ErrDamaged", err)
	}
	if _, err := os.Stat(filepath.Join(o.Dir, dbFile)); err != nil {
		t.Fatal("a refused shred removed the database")
	}
	err := Shred(ctx, o, true)
	if err == nil || !strings.Contains(err.Error(), "keychain entry was left") {
		t.Fatalf("Shred(force) = %v, want the warning about the keychain entry", err)
	}
	if entries, _ := os.ReadDir(o.Dir); len(entries) != 0 {
		t.Fatalf("files left: %v", entries)
	}
}

func TestReassignNotesMovesOwnershipNotHistory(t *testing.T) {
	ctx := context.Background()
	v, _ := testVault(t, Options{})
	a, _ := v.AddNote(ctx, NewNote{Title: "old draft", Body: "b", Author: "osuser"})
	b, _ := v.AddNote(ctx, NewNote{Title: "old signed", Body: "b", Author: "osuser"})
	v.SignNote(ctx, b.ID, "osuser")
	n, err := v.ReassignNotes(ctx, "osuser", "u_doc")
	if err != nil || n != 2 {
		t.Fatalf("ReassignNotes = %d, %v", n, err)
	}
	for _, id := range []string{a.ID, b.ID} {
		got, _ := v.Note(ctx, id)
		if got.Owner != "u_doc" || got.Author != "osuser" {
			t.Fatalf("note %s: owner %q author %q", id, got.Owner, got.Author)
		}
	}
}

// TestEncryptedOnDiskReadsTheFilesHead: a vault's file is SQLCipher-format; a
// plaintext SQLite file in its place is seen as such; no file is ErrNoVault.
func TestEncryptedOnDiskReadsTheFilesHead(t *testing.T) {
	_, o := testVault(t, Options{})
	if enc, err := EncryptedOnDisk(o.Dir); err != nil || !enc {
		t.Fatalf("a vault: %v, %v", enc, err)
	}
	plain := t.TempDir()
	os.WriteFile(filepath.Join(plain, dbFile), append([]byte("SQLite format 3\x00"), make([]byte, 84)...), 0o600)
	if enc, err := EncryptedOnDisk(plain); err != nil || enc {
		t.Fatalf("a plaintext file: %v, %v", enc, err)
	}
	if _, err := EncryptedOnDisk(t.TempDir()); !errors.Is(err, ErrNoVault) {
		t.Fatalf("no file: %v", err)
	}
}
