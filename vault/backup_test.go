package vault

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
)

func TestBackupRoundTripKeepsEveryNote(t *testing.T) {
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	src, _ := testVault(t, Options{Recipient: rcpt})
	notes := addNotes(t, src, 40)
	src.SignNote(ctx, notes[0].ID, "dr.synthetic")
	src.MarkExported(ctx, notes[0].ID, 0)
	src.SignNote(ctx, notes[1].ID, "dr.other")
	src.AddNote(ctx, NewNote{Title: "unicode ✓ Ünïcödé 漢字", Body: "line1\nline2\t\"quoted\"\x00nul", Author: "dr.synthetic"})

	doc := access.User{ID: "u_backup1", Username: "dr.synthetic", DisplayName: "Dr Synthetic", Role: access.Physician,
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", TOTPSecret: []byte("0123456789abcdefghij"), Created: time.Unix(1e9, 0).UTC()}
	if err := src.AddUser(ctx, doc); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "notes.vbk")
	info, err := src.BackupFile(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if info.Notes != 41 {
		t.Fatalf("backup has %d notes, want 41", info.Notes)
	}
	// The backup survives a rekey of its source and the loss of its keychain.
	if err := src.Rekey(ctx); err != nil {
		t.Fatal(err)
	}
	dst, _ := testVault(t, Options{})
	f, _ := os.Open(path)
	defer f.Close()
	res, err := dst.Restore(ctx, f, []age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 41 || len(res.UsersAdded) != 1 || res.VaultID != src.ID() {
		t.Fatalf("Restore = %+v", res)
	}
	// The users come back too, or restored notes would belong to no one.
	if got, err := dst.UserByName(ctx, "dr.synthetic"); err != nil || got.ID != doc.ID || got.PasswordHash != doc.PasswordHash || string(got.TOTPSecret) != string(doc.TOTPSecret) || !got.Disabled {
		t.Fatalf("restored user = %+v, %v", got, err)
	}
	want, _ := src.Notes(ctx, Filter{})
	for _, w := range want {
		a, _ := src.Note(ctx, w.ID)
		b, err := dst.Note(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("note %s differs after restore:\n%+v\n%+v", w.ID, a, b)
		}
	}
	// Restored notes are searchable and signed ones stay immutable.
	if hits, _ := dst.Search(ctx, "Ünïcödé", Filter{Limit: 5}); len(hits) != 1 {
		t.Errorf("restored note not searchable: %d hits", len(hits))
	}
	if err := dst.EditNote(ctx, notes[0].ID, "x", "y"); !errors.Is(err, ErrSigned) {
		t.Errorf("restored signed note editable: %v", err)
	}
	// A second restore changes nothing.
	f.Seek(0, io.SeekStart)
	res, err = dst.Restore(ctx, f, []age.Identity{id})
	if err != nil || res.Added != 0 || res.Unchanged != 41 {
		t.Fatalf("second Restore = %+v, %v", res, err)
	}
}

func TestRestoreNeverOverwritesANote(t *testing.T) {
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	v, _ := testVault(t, Options{Recipient: rcpt})
	n := addNotes(t, v, 2)
	var buf bytes.Buffer
	if _, err := v.Backup(ctx, &buf, nil); err != nil {
		t.Fatal(err)
	}
	v.EditNote(ctx, n[0].ID, "edited after the backup", "newer text")
	res, err := v.Restore(ctx, bytes.NewReader(buf.Bytes()), []age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conflicts) != 1 || res.Conflicts[0] != n[0].ID || res.Unchanged != 1 {
		t.Fatalf("Restore = %+v, want one conflict and one unchanged", res)
	}
	if got, _ := v.Note(ctx, n[0].ID); got.Body != "newer text" {
		t.Fatal("restore overwrote a newer note")
	}
}

// backupPayload encrypts a hand-made backup body, for the tests of what a reader must
// reject (FORMAT.md).
func backupPayload(t testing.TB, rcpt string, body string) []byte {
	t.Helper()
	r, err := ParseRecipient(rcpt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, r)
	io.WriteString(w, body)
	w.Close()
	return buf.Bytes()
}

func TestBadBackupsAreRefusedAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	src, _ := testVault(t, Options{Recipient: rcpt})
	addNotes(t, src, 3)
	var good bytes.Buffer
	if _, err := src.Backup(ctx, &good, nil); err != nil {
		t.Fatal(err)
	}
	plain := decryptForTest(t, good.Bytes(), id)
	lines := strings.SplitAfter(plain, "\n")
	header, notes, trailer := lines[0], strings.Join(lines[1:4], ""), lines[4]

	flipped := append([]byte(nil), good.Bytes()...)
	flipped[len(flipped)-20] ^= 1
	tests := []struct {
		name string
		file []byte
	}{
		{"a flipped bit fails authentication", flipped},
		{"a truncated file is refused", good.Bytes()[:len(good.Bytes())-40]},
		{"a backup without its trailer is refused", backupPayload(t, rcpt, header+notes)},
		{"a dropped note breaks the count", backupPayload(t, rcpt, header+lines[1]+lines[2]+trailer)},
		{"a spliced note breaks the checksum", backupPayload(t, rcpt, header+lines[1]+lines[2]+lines[2]+trailer)},
		{"data after the trailer is refused", backupPayload(t, rcpt, plain+"{}\n")},
		{"an unknown version is refused", backupPayload(t, rcpt, strings.Replace(plain, `"version":3`, `"version":4`, 1))},
		{"a forged signature is refused", backupPayload(t, rcpt, header+notes+forgeSig(t, trailer))},
		{"a signature on a version 1 backup is refused", backupPayload(t, rcpt, strings.Replace(plain, `"version":3`, `"version":1`, 1))},
		{"an unknown record type is refused", backupPayload(t, rcpt, header+`{"type":"user"}`+"\n"+trailer)},
		{"not JSON is refused", backupPayload(t, rcpt, "hello\n")},
		{"an empty file is refused", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst, _ := testVault(t, Options{})
			_, err := dst.Restore(ctx, bytes.NewReader(tt.file), []age.Identity{id})
			if !errors.Is(err, ErrBadBackup) {
				t.Fatalf("Restore = %v, want ErrBadBackup", err)
			}
			if n, _ := dst.Notes(ctx, Filter{}); len(n) != 0 {
				t.Fatalf("a refused backup left %d notes behind", len(n))
			}
		})
	}
}

func TestBackupNeedsARecipient(t *testing.T) {
	v, _ := testVault(t, Options{})
	if _, err := v.Backup(context.Background(), io.Discard, nil); !errors.Is(err, ErrNoRecipient) {
		t.Fatalf("Backup without recipient = %v, want ErrNoRecipient", err)
	}
}

func decryptForTest(t testing.TB, b []byte, id age.Identity) string {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(b), id)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	return string(out)
}

// FuzzRestorePayload feeds arbitrary plaintext to the backup reader: it must refuse
// or accept, never panic, and never leave notes behind from a refused backup.
func FuzzRestorePayload(f *testing.F) {
	id, rcpt := newIdentity(f)
	v, _ := testVault(f, Options{Recipient: rcpt, Now: func() time.Time { return time.Unix(1e9, 0) }})
	addNotes(f, v, 2)
	var good bytes.Buffer
	v.Backup(context.Background(), &good, nil)
	f.Add(decryptForTest(f, good.Bytes(), id))
	f.Add(`{"format":"vellum-backup","version":1}` + "\n")
	// A version 3 backup with a sealed note, its addendum and its physician's key.
	sealedSrc, _ := testVault(f, Options{Recipient: rcpt})
	dr, withKeys := physicianWithKeys(f, sealedSrc)
	withKeys(func(tx *Tx) error {
		n, err := tx.AddNote(context.Background(), NewNote{PatientRef: "SYN-F", Title: "Synthetic", Body: "Sealed", Author: dr})
		if err != nil {
			return err
		}
		if err := tx.SignNote(context.Background(), n.ID, dr); err != nil {
			return err
		}
		_, err = tx.AddAddendum(context.Background(), n.ID, "Addendum", dr)
		return err
	})
	var sealed bytes.Buffer
	if _, err := sealedSrc.Backup(context.Background(), &sealed, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(decryptForTest(f, sealed.Bytes(), id))
	dst, _ := testVault(f, Options{})
	f.Fuzz(func(t *testing.T, plain string) {
		ctx := context.Background()
		before, _ := dst.Notes(ctx, Filter{})
		_, err := dst.Restore(ctx, bytes.NewReader(backupPayload(t, rcpt, plain)), []age.Identity{id})
		if err != nil {
			if !errors.Is(err, ErrBadBackup) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			if after, _ := dst.Notes(ctx, Filter{}); len(after) != len(before) {
				t.Fatal("a refused backup changed the vault")
			}
		}
	})
}

// forgeSig replaces a trailer's signature with one by another key.
func forgeSig(t testing.TB, trailer string) string {
	var rec backupRecord
	if err := json.Unmarshal([]byte(trailer), &rec); err != nil {
		t.Fatal(err)
	}
	other := ed25519.NewKeyFromSeed([]byte("another-device-key-of-32-bytes!!"))
	rec.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(other, []byte("anything")))
	b, _ := json.Marshal(rec)
	return string(b) + "\n"
}

// TestRestoreMatchesUsersByIDGrantsNothingAndNamesTheSigner: a user whose name the
// vault holds under another id is not matched (a name says nothing of who holds it
// now) and their notes keep the backup's owner; a restored scribe waits for their
// physician's approval again; the signer is the device key that wrote the backup.
func TestRestoreMatchesUsersByIDGrantsNothingAndNamesTheSigner(t *testing.T) {
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	src, _ := testVault(t, Options{Recipient: rcpt})
	hash := "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
	src.AddUser(ctx, access.User{ID: "u_old", Username: "dr.same", Role: access.Physician, PasswordHash: hash, Created: time.Unix(1e9, 0)})
	src.AddUser(ctx, access.User{ID: "u_doc", Username: "dr.doc", Role: access.Physician, PasswordHash: hash, Created: time.Unix(1e9, 0)})
	src.AddUser(ctx, access.User{ID: "u_scr", Username: "s.scribe", Role: access.Scribe, ActingFor: "u_doc", PasswordHash: hash, Created: time.Unix(1e9, 0)})
	n, _ := src.AddNote(ctx, NewNote{Title: "t", Body: "b", Author: "u_old"})
	var buf bytes.Buffer
	if _, err := src.Backup(ctx, &buf, nil); err != nil {
		t.Fatal(err)
	}
	// Someone named dr.same exists on the new workstation, with another id.
	dst, _ := testVault(t, Options{})
	dst.AddUser(ctx, access.User{ID: "u_new", Username: "dr.same", Role: access.Physician, PasswordHash: hash, Created: time.Unix(1e9, 0)})
	res, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), []age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.UsersUnmatched) != 1 || len(res.UsersAdded) != 2 {
		t.Fatalf("Restore = %+v", res)
	}
	if res.Signer != hex.EncodeToString(testDeviceKey.Public().(ed25519.PublicKey)) {
		t.Fatalf("signer %q", res.Signer)
	}
	if got, _ := dst.Note(ctx, n.ID); got.Owner != "u_old" {
		t.Fatalf("the restored note went to %q; it must keep the backup's owner", got.Owner)
	}
	if s, _ := dst.UserByName(ctx, "s.scribe"); s.ActingFor != "" || s.PendingFor != "u_doc" || !s.Disabled {
		t.Fatalf("the restored scribe: acting for %q, pending %q, disabled %v", s.ActingFor, s.PendingFor, s.Disabled)
	}
	// A hostile hash asking for 4 GiB per sign-in is refused.
	bad, _ := testVault(t, Options{Recipient: rcpt})
	bad.AddUser(ctx, access.User{ID: "u_bad", Username: "x", Role: access.Admin, PasswordHash: "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", Created: time.Unix(1e9, 0)})
	buf.Reset()
	bad.Backup(ctx, &buf, nil)
	if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), []age.Identity{id}); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("restore of a hostile hash = %v", err)
	}
}

// TestBackupReportsProgressAndStopsWhenCancelled: progress rises to the note count; a
// cancelled backup returns the context's error and leaves no file.
func TestBackupReportsProgressAndStopsWhenCancelled(t *testing.T) {
	_, rcpt := newIdentity(t)
	v, _ := testVault(t, Options{Recipient: rcpt})
	addNotes(t, v, 250)
	var seen [][2]int
	path := filepath.Join(t.TempDir(), "notes.vbk")
	if _, err := v.BackupFile(context.Background(), path, func(done, total int) { seen = append(seen, [2]int{done, total}) }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seen, [][2]int{{100, 250}, {200, 250}, {250, 250}}) {
		t.Fatalf("progress = %v", seen)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := filepath.Join(t.TempDir(), "stopped.vbk")
	_, err := v.BackupFile(ctx, stopped, func(done, total int) {
		if done == 100 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled backup: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(stopped), "*")); len(left) != 0 {
		t.Fatalf("a cancelled backup left %v", left)
	}
}
