package vault

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
)

// Backups are logical: the notes, one JSON line each, inside an age file encrypted to
// the recovery recipient, so a backup outlives rekeys and a lost keychain, and restores
// into any later schema. FORMAT.md specifies the format.

const backupFormat = "vellum-backup"

// maxBackupLine bounds one line of a backup: a note's JSON, never more.
const maxBackupLine = 16 << 20

type backupHeader struct {
	Format        string    `json:"format"`
	Version       int       `json:"version"`
	VaultID       string    `json:"vault_id"`
	SchemaVersion int       `json:"schema_version"`
	Created       time.Time `json:"created"`
}

type backupRecord struct {
	Type string `json:"type"`
	Note *Note  `json:"note,omitempty"`
	// Sealed (version 3) is a sealed note's text as stored: a backup, written by
	// whoever, never opens a note.
	Sealed   *backupSealed   `json:"sealed,omitempty"`
	OwnerKey *backupOwnerKey `json:"owner_key,omitempty"`
	User     *backupUser     `json:"user,omitempty"`
	Users    int             `json:"users,omitempty"`
	Notes    int             `json:"notes,omitempty"`
	// OwnerKeys (version 3) counts the owner_key lines.
	OwnerKeys int    `json:"owner_keys,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	// Signer and Sig (version 2): the Ed25519 public key (hex) of the device that
	// wrote the backup, and its signature over backupSigned.
	Signer string `json:"signer,omitempty"`
	Sig    string `json:"sig,omitempty"`
}

// backupSigned is what a backup's signature covers: the format, the vault and the
// SHA-256 of every byte before the trailer.
func backupSigned(vaultID, sum string) []byte {
	return []byte("vellum-backup/v2\n" + vaultID + "\n" + sum + "\n")
}

// SignBackups makes the backups written from now on signed with key: the device's
// signing key, so that a restore can tell a backup this hospital's workstation wrote
// from one anyone could encrypt to the public recovery recipient.
func (v *Vault) SignBackups(key ed25519.PrivateKey) { v.backupKey = key }

// backupSealed is a sealed note's text as the vault stores it.
type backupSealed struct {
	Key     []byte `json:"key"`
	Content []byte `json:"content"`
	// Addenda are the sealed bodies of its addenda, by addendum id.
	Addenda map[string][]byte `json:"addenda,omitempty"`
}

// backupOwnerKey is a physician's note public key and its escrow: restored notes
// stay sealed to it, and the escrow opens them where the physician's own copy is
// gone.
type backupOwnerKey struct {
	Owner  string `json:"owner"`
	Public string `json:"public"`
	Escrow []byte `json:"escrow,omitempty"`
}

// backupUser is a Vellum user in a backup: restoring notes without the users they
// belong to would leave every note unreachable to its physician.
type backupUser struct {
	ID           string    `json:"id"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Role         string    `json:"role"`
	ActingFor    string    `json:"acting_for,omitempty"`
	PasswordHash string    `json:"password_hash"`
	TOTPSecret   []byte    `json:"totp_secret,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	Created      time.Time `json:"created"`
}

// BackupInfo describes a written backup.
type BackupInfo struct {
	VaultID string `json:"vault_id"`
	// Signer is the public key (hex) of the device that signed the backup.
	Signer  string    `json:"signer"`
	Users   int       `json:"users"`
	Notes   int       `json:"notes"`
	Created time.Time `json:"created"`
}

// Progress is told, as a backup runs, how many of its notes are written.
type Progress func(done, total int)

// Backup writes every note to w, encrypted to the recovery recipient in force (the
// configured one, else the escrow's). The notes are read in one transaction: the
// backup is a consistent snapshot. progress, when not nil, is called every 100 notes
// and at the end; ctx's end stops the backup between two notes.
func (v *Vault) Backup(ctx context.Context, w io.Writer, progress Progress) (BackupInfo, error) {
	info, err := v.backup(ctx, w, progress)
	if err != nil {
		return info, fmt.Errorf("back up vault %s: %w", v.opts.Dir, err)
	}
	return info, nil
}

// BackupFile writes a backup to path atomically: a crash leaves the old file or none,
// never a partial one. An existing file is replaced.
func (v *Vault) BackupFile(ctx context.Context, path string, progress Progress) (BackupInfo, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("back up vault: %w", err)
	}
	defer os.Remove(tmp.Name())
	info, err := v.Backup(ctx, tmp, progress)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		return BackupInfo{}, fmt.Errorf("back up vault to %s: %w", path, err)
	}
	return info, nil
}

func (v *Vault) backup(ctx context.Context, w io.Writer, progress Progress) (BackupInfo, error) {
	r := v.recipient()
	if r == "" {
		return BackupInfo{}, fmt.Errorf("backups are encrypted to the recovery recipient: %w", ErrNoRecipient)
	}
	rcpt, err := ParseRecipient(r)
	if err != nil {
		return BackupInfo{}, err
	}
	info := BackupInfo{VaultID: v.meta.VaultID, Created: v.opts.now()}
	// A deferred BEGIN on a pinned connection: a snapshot that takes no write lock, so
	// a backup to slow media never blocks a physician saving a note. (go-sqlite3 turns
	// every BeginTx into the DSN's BEGIN IMMEDIATE, ReadOnly or not.)
	conn, err := v.db.Conn(ctx)
	if err != nil {
		return info, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return info, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")

	aw, err := age.Encrypt(w, rcpt)
	if err != nil {
		return info, err
	}
	bw := bufio.NewWriterSize(aw, 64<<10)
	sum := sha256.New()
	line := func(x any) error {
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if len(b) > maxBackupLine {
			return fmt.Errorf("a backup line would be %d bytes, more than a restore reads (%d)", len(b), maxBackupLine)
		}
		sum.Write(b)
		_, err = bw.Write(b)
		return err
	}
	if v.backupKey == nil {
		return info, errors.New("backups are signed by the device: no signing key is set (SignBackups)")
	}
	if err := line(backupHeader{Format: backupFormat, Version: 3, VaultID: info.VaultID, SchemaVersion: SchemaVersion, Created: info.Created}); err != nil {
		return info, err
	}
	urows, err := conn.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY created_ms, id")
	if err != nil {
		return info, err
	}
	for urows.Next() {
		u, err := scanUser(urows)
		if err != nil {
			urows.Close()
			return info, err
		}
		bu := backupUser{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: string(u.Role), ActingFor: u.ActingFor,
			PasswordHash: u.PasswordHash, TOTPSecret: u.TOTPSecret, Disabled: u.Disabled, Created: u.Created}
		if err := line(backupRecord{Type: "user", User: &bu}); err != nil {
			urows.Close()
			return info, err
		}
		info.Users++
	}
	urows.Close()
	if err := urows.Err(); err != nil {
		return info, err
	}
	krows, err := conn.QueryContext(ctx, "SELECT owner, public, escrow FROM owner_keys ORDER BY owner")
	if err != nil {
		return info, err
	}
	ownerKeys := 0
	for krows.Next() {
		var k backupOwnerKey
		if err := krows.Scan(&k.Owner, &k.Public, &k.Escrow); err != nil {
			krows.Close()
			return info, err
		}
		if err := line(backupRecord{Type: "owner_key", OwnerKey: &k}); err != nil {
			krows.Close()
			return info, err
		}
		ownerKeys++
	}
	krows.Close()
	if err := krows.Err(); err != nil {
		return info, err
	}
	// Addenda travel inside their note's line; they are few, so they are read first.
	byNote := map[string][]Addendum{}
	sealedAddenda := map[string]map[string][]byte{}
	arows, err := conn.QueryContext(ctx, "SELECT "+addendumColumns+", note_id, sealed FROM addenda ORDER BY seq")
	if err != nil {
		return info, err
	}
	for arows.Next() {
		var noteID string
		var sealed []byte
		a, err := scanAddendum(arows, &noteID, &sealed)
		if err != nil {
			arows.Close()
			return info, err
		}
		byNote[noteID] = append(byNote[noteID], a)
		if sealed != nil {
			if sealedAddenda[noteID] == nil {
				sealedAddenda[noteID] = map[string][]byte{}
			}
			sealedAddenda[noteID][a.ID] = sealed
		}
	}
	arows.Close()
	if err := arows.Err(); err != nil {
		return info, err
	}
	var total int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&total); err != nil {
		return info, err
	}
	rows, err := conn.QueryContext(ctx, "SELECT "+noteColumns+" FROM notes ORDER BY seq")
	if err != nil {
		return info, err
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return info, err
		}
		n, err := scanNote(rows, nil)
		if err != nil {
			return info, err
		}
		n.Addenda = byNote[n.ID]
		rec := backupRecord{Type: "note", Note: &n}
		if n.sealed != nil {
			n.Sealed = false
			rec.Sealed = &backupSealed{Key: n.sealed.key, Content: n.sealed.content, Addenda: sealedAddenda[n.ID]}
		}
		if err := line(rec); err != nil {
			return info, err
		}
		info.Notes++
		if progress != nil && (info.Notes%100 == 0 || info.Notes == total) {
			progress(info.Notes, total)
		}
	}
	if err := rows.Err(); err != nil {
		return info, err
	}
	end := backupRecord{Type: "end", Users: info.Users, Notes: info.Notes, OwnerKeys: ownerKeys, SHA256: hex.EncodeToString(sum.Sum(nil))}
	end.Signer = hex.EncodeToString(v.backupKey.Public().(ed25519.PublicKey))
	end.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(v.backupKey, backupSigned(info.VaultID, end.SHA256)))
	info.Signer = end.Signer
	if err := line(end); err != nil {
		return info, err
	}
	if err := bw.Flush(); err != nil {
		return info, err
	}
	return info, aw.Close()
}

// RestoreResult counts what Restore did.
type RestoreResult struct {
	VaultID string `json:"backup_of"`
	// Created is when the backup was made: an old one brings back what was deleted
	// since (drafts, notes past retention), so it is shown and recorded.
	Created time.Time `json:"created"`
	// UsersAdded are the ids of users the vault lacked. They arrive disabled: an admin
	// enables each (`vellum users enable`), so a file someone encrypted to the public
	// recovery recipient cannot slip an account in.
	UsersAdded []string `json:"users_added,omitempty"`
	// UsersUnmatched are the names of backup users the vault has under another id (an
	// account re-created after a re-image, or a name taken): users are matched by id
	// only, so the user is not restored, and their notes keep the backup's id as
	// owner until an admin moves them (`vellum notes reassign --from ID --to NAME`).
	UsersUnmatched []string `json:"users_unmatched,omitempty"`
	// Signer is the public key (hex) of the device that signed the backup, its
	// signature verified; "" for an unsigned backup of version 1. Whether to trust it
	// is the caller's decision, made before the restore commits.
	Signer    string `json:"signer,omitempty"`
	Added     int    `json:"added"`
	Unchanged int    `json:"unchanged"`
	// Conflicts are notes whose id exists in the vault with other content. The vault's
	// version is kept: a restore never overwrites a note.
	Conflicts []string `json:"conflicts,omitempty"`
	// AddendaAdded counts addenda of added or unchanged notes that the vault lacked.
	AddendaAdded int `json:"addenda_added,omitempty"`
	// KeysUnmatched are physicians whose note key in the backup differs from the
	// vault's, or has no escrow while the vault has none: their sealed notes in the
	// backup are not restored (they would open for nobody here); the backup keeps
	// them.
	KeysUnmatched []string `json:"keys_unmatched,omitempty"`
	// Sealed counts the notes of Added that came sealed, as stored: their physician
	// reads them with their key (or the escrow's, where their own copy is gone).
	Sealed int `json:"sealed,omitempty"`
}

// Restore reads a backup, decrypted with the recovery identities, into the vault. It
// adds the notes the vault lacks and never changes or removes one it has. Nothing is
// written unless the whole backup verifies (header, every line, count and checksum).
func (v *Vault) Restore(ctx context.Context, r io.Reader, ids []age.Identity) (RestoreResult, error) {
	tx, err := v.db.BeginTx(ctx, nil)
	if err != nil {
		return RestoreResult{}, fmt.Errorf("restore into vault %s: %w", v.opts.Dir, err)
	}
	defer tx.Rollback()
	res, err := restore(ctx, tx, r, ids)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return RestoreResult{}, fmt.Errorf("restore into vault %s: %w", v.opts.Dir, err)
	}
	return res, nil
}

// Restore reads a backup into the vault inside the transaction (see Vault.Restore).
func (t *Tx) Restore(ctx context.Context, r io.Reader, ids []age.Identity) (RestoreResult, error) {
	res, err := restore(ctx, t.tx, r, ids)
	if err != nil {
		return RestoreResult{}, fmt.Errorf("restore into vault %s: %w", t.v.opts.Dir, err)
	}
	return res, nil
}

func restore(ctx context.Context, tx *sql.Tx, r io.Reader, ids []age.Identity) (RestoreResult, error) {
	var res RestoreResult
	ar, err := age.Decrypt(r, ids...)
	if err != nil {
		return res, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	br := newBackupReader(ar)
	var h backupHeader
	if err := br.next(&h); err != nil {
		return res, err
	}
	if h.Format != backupFormat || h.Version < 1 || h.Version > 3 {
		return res, fmt.Errorf("%w: format %q version %d (this build reads %s versions 1 to 3)", ErrBadBackup, h.Format, h.Version, backupFormat)
	}
	res.VaultID, res.Created = h.VaultID, h.Created

	count, users, ownerKeys := 0, 0, 0
	// keyOK says, per physician of the backup's owner_key lines, whether the vault
	// now has the same key: only then are their sealed notes restored.
	keyOK := map[string]bool{}
	for {
		sumBefore := br.sum()
		var rec backupRecord
		if err := br.next(&rec); err != nil {
			return res, err
		}
		switch rec.Type {
		case "note":
			if rec.Note == nil || rec.Note.ID == "" || (rec.Note.Status != Draft && rec.Note.Status != Signed) {
				return res, fmt.Errorf("%w: line %d is not a valid note", ErrBadBackup, br.line)
			}
			count++
			n := *rec.Note
			n.Sealed = false
			if rec.Sealed != nil {
				if h.Version < 3 || len(rec.Sealed.Key) == 0 || len(rec.Sealed.Content) == 0 || n.Title != "" || n.Body != "" || n.Provenance != nil {
					return res, fmt.Errorf("%w: line %d is not a valid sealed note", ErrBadBackup, br.line)
				}
				ok, known := keyOK[n.Owner]
				if !known {
					return res, fmt.Errorf("%w: line %d is sealed to a physician whose key the backup lacks", ErrBadBackup, br.line)
				}
				if !ok {
					continue
				}
				n.sealed = &sealedRow{key: rec.Sealed.Key, content: rec.Sealed.Content}
				for _, a := range n.Addenda {
					if rec.Sealed.Addenda[a.ID] == nil || a.Body != "" {
						return res, fmt.Errorf("%w: line %d has an addendum not sealed with its note", ErrBadBackup, br.line)
					}
				}
			}
			// Users are matched by id only: the note keeps the ids it names.
			if err := restoreNote(ctx, tx, n, rec.Sealed, &res); err != nil {
				return res, err
			}
		case "owner_key":
			k := rec.OwnerKey
			if h.Version < 3 || k == nil || k.Owner == "" {
				return res, fmt.Errorf("%w: line %d is not a valid owner key", ErrBadBackup, br.line)
			}
			if _, err := age.ParseX25519Recipient(k.Public); err != nil {
				return res, fmt.Errorf("%w: line %d: %v", ErrBadBackup, br.line, err)
			}
			ownerKeys++
			if _, dup := keyOK[k.Owner]; dup {
				return res, fmt.Errorf("%w: line %d repeats the note key of a physician", ErrBadBackup, br.line)
			}
			have, err := ownerPublic(ctx, tx, k.Owner)
			if err != nil {
				return res, err
			}
			switch {
			case have == "" && len(k.Escrow) == 0:
				// Without an escrow nobody here could ever open that key, and the
				// physician would get no key of their own: their sealed notes stay
				// in the backup.
				keyOK[k.Owner] = false
				res.KeysUnmatched = append(res.KeysUnmatched, k.Owner)
			case have == "":
				if _, err := tx.ExecContext(ctx, "INSERT INTO owner_keys (owner, public, escrow) VALUES (?, ?, ?)", k.Owner, k.Public, k.Escrow); err != nil {
					return res, err
				}
				keyOK[k.Owner] = true
			case have == k.Public:
				keyOK[k.Owner] = true
			default:
				keyOK[k.Owner] = false
				res.KeysUnmatched = append(res.KeysUnmatched, k.Owner)
			}
		case "user":
			u := rec.User
			if u == nil || u.ID == "" || u.Username == "" || u.PasswordHash == "" {
				return res, fmt.Errorf("%w: line %d is not a valid user", ErrBadBackup, br.line)
			}
			role, err := access.ParseRole(u.Role)
			if err != nil {
				return res, fmt.Errorf("%w: line %d: %v", ErrBadBackup, br.line, err)
			}
			users++
			if err := access.CheckHashParams(u.PasswordHash); err != nil {
				return res, fmt.Errorf("%w: line %d: %v", ErrBadBackup, br.line, err)
			}
			var byID, byName string
			tx.QueryRowContext(ctx, "SELECT id FROM users WHERE id = ?", u.ID).Scan(&byID)
			tx.QueryRowContext(ctx, "SELECT id FROM users WHERE username = ?", u.Username).Scan(&byName)
			switch {
			case byID != "": // the vault has this user: kept as it is
			case byName != "":
				// Matched by id only: a name says nothing of who holds it now.
				res.UsersUnmatched = append(res.UsersUnmatched, u.Username)
			default:
				// Disabled until an admin enables it; TOTP codes of the last minute
				// cannot be replayed; a scribe waits for their physician's approval
				// again: a restore grants no access.
				_, err := tx.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, '', ?, ?, ?, 1, 0, 0, 0, ?, ?)`,
					u.ID, u.Username, u.DisplayName, role, u.PasswordHash, u.TOTPSecret,
					time.Now().Unix()/30+1, u.Created.UnixMilli(), u.ActingFor)
				if err != nil {
					return res, err
				}
				res.UsersAdded = append(res.UsersAdded, u.ID)
			}
		case "end":
			if rec.Notes != count || rec.Users != users || rec.OwnerKeys != ownerKeys || rec.SHA256 != sumBefore {
				return res, fmt.Errorf("%w: the trailer does not match the content (altered or spliced)", ErrBadBackup)
			}
			switch {
			case h.Version == 1 && (rec.Signer != "" || rec.Sig != ""):
				return res, fmt.Errorf("%w: a version 1 backup with a signature", ErrBadBackup)
			case h.Version >= 2:
				pub, perr := hex.DecodeString(rec.Signer)
				sig, serr := base64.StdEncoding.DecodeString(rec.Sig)
				if perr != nil || serr != nil || len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, backupSigned(h.VaultID, rec.SHA256), sig) {
					return res, fmt.Errorf("%w: its signature does not verify", ErrBadBackup)
				}
				res.Signer = rec.Signer
			}
			if _, err := br.r.ReadByte(); err != io.EOF {
				return res, fmt.Errorf("%w: data after the trailer", ErrBadBackup)
			}
			return res, nil
		default:
			return res, fmt.Errorf("%w: line %d has unknown type %q", ErrBadBackup, br.line, rec.Type)
		}
	}
}

func restoreNote(ctx context.Context, tx *sql.Tx, n Note, sealed *backupSealed, res *RestoreResult) error {
	have, err := scanNote(tx.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM notes WHERE id = ?", n.ID), nil)
	// dk is the data key of a note in the clear in the backup that is sealed now,
	// because its physician has a key: its addenda are sealed with it.
	var dk []byte
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if sealed != nil {
			// As stored: sealed to its physician's key, which the vault has.
			if _, err := tx.ExecContext(ctx, `INSERT INTO notes (`+noteColumns+`) VALUES (?, ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
				n.ID, n.PatientRef, n.Status, n.Author, n.Owner, ms(n.Created), ms(n.Updated),
				nullString(n.SignedBy), nullMS(n.Signed), nullMS(n.Exported), sealed.Key, sealed.Content); err != nil {
				return err
			}
			res.Sealed++
		} else if dk, err = insertNote(ctx, tx, nil, n); err != nil {
			return err
		}
		res.Added++
	case err != nil:
		return err
	case sameNote(have, n):
		res.Unchanged++
	default:
		res.Conflicts = append(res.Conflicts, n.ID)
		return nil
	}
	var sealedAddenda map[string][]byte
	if sealed != nil {
		sealedAddenda = sealed.Addenda
	}
	return restoreAddenda(ctx, tx, n.ID, n.Addenda, sealedAddenda, dk, res)
}

func sameNote(a, b Note) bool {
	if (a.sealed == nil) != (b.sealed == nil) ||
		(a.sealed != nil && (!bytes.Equal(a.sealed.key, b.sealed.key) || !bytes.Equal(a.sealed.content, b.sealed.content))) {
		return false
	}
	return a.ID == b.ID && a.PatientRef == b.PatientRef && a.Title == b.Title && a.Body == b.Body &&
		a.Status == b.Status && a.Author == b.Author && a.Owner == b.Owner && a.SignedBy == b.SignedBy &&
		a.Created.Equal(b.Created) && a.Signed.Equal(b.Signed)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// backupReader reads the JSON lines of a backup, keeping the running SHA-256 of what
// it has read.
type backupReader struct {
	r    *bufio.Reader
	h    hash.Hash
	line int
}

func newBackupReader(r io.Reader) *backupReader {
	return &backupReader{r: bufio.NewReaderSize(r, 64<<10), h: sha256.New()}
}

func (b *backupReader) sum() string { return hex.EncodeToString(b.h.Sum(nil)) }

func (b *backupReader) next(x any) error {
	b.line++
	var buf bytes.Buffer
	for {
		chunk, err := b.r.ReadSlice('\n')
		buf.Write(chunk)
		if buf.Len() > maxBackupLine {
			return fmt.Errorf("%w: line %d is longer than %d bytes", ErrBadBackup, b.line, maxBackupLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			return fmt.Errorf("%w: it ends at line %d without its trailer (truncated)", ErrBadBackup, b.line)
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrBadBackup, err)
		}
		break
	}
	b.h.Write(buf.Bytes())
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(x); err != nil {
		return fmt.Errorf("%w: line %d: %v", ErrBadBackup, b.line, err)
	}
	return nil
}
