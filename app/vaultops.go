package app

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// vaultObject is the open vault as a record's object. Called inside a use case's
// transaction, which holds life: the vault cannot close meanwhile.
func (a *App) vaultObject() audit.Object { return audit.Object{Type: "vault", ID: a.vault.ID()} }

// CheckVault verifies every page and the schema and says how the vault is kept
// (auditors and admins; no PHI). A damaged vault returns its Info and the error.
func (a *App) CheckVault(ctx context.Context) (vault.Info, error) {
	if err := a.authorized(ctx, access.VaultCheck, func(*actor) error { return nil }); err != nil {
		return vault.Info{}, err
	}
	v := a.v()
	if v == nil {
		return vault.Info{}, ErrNoVault
	}
	return v.Check(ctx)
}

// Rekey re-encrypts the vault under a new key (admins) and returns the old and new
// key fingerprints. A rekey cannot share a transaction with its record (SQLCipher
// re-encrypts outside any), so the intent is recorded first and the outcome after,
// as the admin authorized, whatever became of their session meanwhile: a crash
// between leaves the intent, and the fingerprint in vault.json tells which key is in
// force.
func (a *App) Rekey(ctx context.Context) (before, after string, err error) {
	var w who
	if err := a.authorized(ctx, access.VaultAdmin, func(c *actor) error { w = c.who(); return nil }); err != nil {
		return "", "", err
	}
	v := a.v()
	if v == nil {
		return "", "", ErrNoVault
	}
	in, err := v.Check(ctx)
	if err != nil {
		return "", "", err
	}
	before = in.KeyFingerprint
	obj := audit.Object{Type: "vault", ID: v.ID()}
	if err := a.recordAs(ctx, w, audit.KeyRotated, obj, "", map[string]string{"phase": "starting", "old_fingerprint": before}); err != nil {
		return "", "", err
	}
	rerr := v.Rekey(ctx)
	if in, err := v.Check(context.WithoutCancel(ctx)); err == nil {
		after = in.KeyFingerprint
	}
	details := map[string]string{"phase": "done", "old_fingerprint": before, "new_fingerprint": after}
	if rerr != nil {
		details["phase"], details["error"] = "failed", "the rekey did not complete"
	}
	if err := a.recordAs(ctx, w, audit.KeyRotated, obj, "", details); err != nil {
		return before, after, errors.Join(rerr, err)
	}
	return before, after, rerr
}

// Backup writes an encrypted backup of the vault to path (admins), reporting
// progress; ctx's end stops it and leaves no file. Its start is recorded before the
// file is written and its end after; if the end cannot be recorded, the file is
// removed and the failure returned.
func (a *App) Backup(ctx context.Context, path string, progress vault.Progress) (vault.BackupInfo, error) {
	var w who
	var obj audit.Object
	err := a.authorized(ctx, access.VaultAdmin, func(c *actor) error {
		w, obj = c.who(), a.vaultObject()
		c.record(audit.Backup, obj, "", map[string]string{"phase": "starting"})
		return nil
	})
	if err != nil {
		return vault.BackupInfo{}, err
	}
	v := a.v()
	if v == nil {
		return vault.BackupInfo{}, ErrNoVault
	}
	info, err := v.BackupFile(ctx, path, progress)
	if err != nil {
		return info, err
	}
	err = a.recordAs(ctx, w, audit.Backup, obj, "", map[string]string{"phase": "done", "notes": fmt.Sprint(info.Notes), "users": fmt.Sprint(info.Users)})
	if err != nil {
		if rerr := os.Remove(path); rerr != nil {
			err = errors.Join(err, fmt.Errorf("the unrecorded backup %s could not be removed: %w", path, rerr))
		}
		return vault.BackupInfo{}, err
	}
	return info, nil
}

// RestoreTrust is whom a restore believes. Anyone can encrypt a file to the public
// recovery recipient, so a backup counts only when a device of this hospital signed
// it: one whose key this vault's journal holds (its own backups, and those of the keys
// it had before), or one the admin names — the device id (d_...) or public key (hex)
// that `vellum vault backup` printed when the backup was made — unless the collector
// says the device is revoked.
type RestoreTrust struct {
	Signers []string
	// Unsigned admits a backup of format version 1, written before backups were
	// signed: the admin vouches for the file themself (recorded).
	Unsigned bool
}

// ErrUntrustedBackup: the backup's signer is none the restore believes.
var ErrUntrustedBackup = errors.New("the backup is not signed by a device this vault trusts")

// Restore adds the notes of a backup that the vault lacks (admins), if its signer is
// one trust admits; users it adds arrive disabled, and scribes wait for their
// physician's approval again. The restored notes and users and their records commit
// together; an untrusted backup changes nothing.
func (a *App) Restore(ctx context.Context, r io.Reader, ids []age.Identity, trust RestoreTrust) (vault.RestoreResult, error) {
	var res vault.RestoreResult
	err := a.authorized(ctx, access.VaultAdmin, func(c *actor) error {
		var err error
		if res, err = c.tx.Restore(ctx, r, ids); err != nil {
			return err
		}
		signer, err := a.trusted(ctx, res.Signer, trust)
		if err != nil {
			return err
		}
		c.record(audit.Restore, a.vaultObject(), "", map[string]string{"backup_of": res.VaultID, "signer": signer,
			"backup_created": audit.FormatTime(res.Created),
			"notes_added":    fmt.Sprint(res.Added), "users_added": fmt.Sprint(len(res.UsersAdded)),
			"users_unmatched": fmt.Sprint(len(res.UsersUnmatched)), "conflicts": fmt.Sprint(len(res.Conflicts))})
		for _, id := range res.UsersAdded {
			c.record(audit.UserAdded, audit.Object{Type: "user", ID: id}, "", map[string]string{"restored": "true", "disabled": "true"})
		}
		return nil
	})
	return res, err
}

// trusted says which device signed a backup (its id, or "unsigned"), if trust admits
// it. Called inside the restore's transaction, which holds the vault open.
func (a *App) trusted(ctx context.Context, signerHex string, trust RestoreTrust) (string, error) {
	if signerHex == "" {
		if trust.Unsigned {
			return "unsigned", nil
		}
		return "", fmt.Errorf("%w: it is unsigned (written before backups were signed)", ErrUntrustedBackup)
	}
	pub, err := hex.DecodeString(signerHex)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return "", fmt.Errorf("%w: its signer is malformed", ErrUntrustedBackup)
	}
	id := audit.DeviceID(pub)
	// The collector, where one is configured and answers, knows which devices the
	// hospital revoked: their backups are refused, whatever the journal or the admin
	// says. Being enrolled is not enough to be believed: anyone holding an enrollment
	// token could enroll a key of their own.
	if up, err := a.uploader(a.vault, a.log.Device()); err == nil {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, revoked, _ := up.DeviceKey(qctx, pub)
		cancel()
		if revoked {
			return "", fmt.Errorf("%w: it was signed by device %s, which the collector has revoked", ErrUntrustedBackup, id)
		}
	}
	for _, s := range trust.Signers {
		if s == id || strings.EqualFold(s, signerHex) {
			return id, nil
		}
	}
	keys, err := a.deviceKeys(ctx, a.vault)
	if err != nil {
		return "", err
	}
	if k, ok := keys[id]; ok && k.Equal(ed25519.PublicKey(pub)) {
		return id, nil
	}
	return "", fmt.Errorf("%w: it was signed by device %s", ErrUntrustedBackup, id)
}

// RetentionFor is policy's retention, with signedDays and draftDays (-1: policy's)
// where policy does not lock them. ErrManaged names a locked one asked to differ.
func (a *App) RetentionFor(signedDays, draftDays int) (vault.Retention, error) {
	snap := a.Policy()
	var r vault.Retention
	for _, x := range []struct {
		asked int
		key   policy.Key
		dst   *int
	}{{signedDays, policy.RetentionSignedDays, &r.SignedDays}, {draftDays, policy.RetentionDraftDays, &r.DraftDays}} {
		st := snap.Get(x.key)
		switch {
		case x.asked < -1:
			return r, errors.New("retention days cannot be negative")
		case x.asked == -1:
			*x.dst = st.Value.(int)
		case st.Locked() && x.asked != st.Value.(int):
			return r, &ManagedError{Key: x.key, Source: st.Source, Value: fmt.Sprint(st.Value)}
		default:
			*x.dst = x.asked
		}
	}
	return r, nil
}

// ManagedError: the organisation's policy sets Key, and a different value was asked.
type ManagedError struct {
	Key    policy.Key
	Value  string
	Source string
}

func (e *ManagedError) Error() string {
	return fmt.Sprintf("%s is managed by your organisation (%s, %s)", e.Key, e.Value, e.Source)
}

// Purge deletes exported signed notes and stale drafts past r (admins). The journal
// goes to the collector first; where it cannot, policy must allow offline disposal
// (and the record says so). The deletion and its record commit together.
func (a *App) Purge(ctx context.Context, r vault.Retention) (vault.Purged, bool, error) {
	if err := a.authorized(ctx, access.VaultAdmin, func(*actor) error { return nil }); err != nil {
		return vault.Purged{}, false, err
	}
	offline, err := a.deliverFirst(ctx, "purge")
	if err != nil {
		return vault.Purged{}, false, err
	}
	var p vault.Purged
	err = a.authorized(ctx, access.VaultAdmin, func(c *actor) error {
		var err error
		if p, err = c.tx.Purge(ctx, r); err != nil {
			return err
		}
		c.record(audit.Purge, a.vaultObject(), "", map[string]string{"signed_purged": fmt.Sprint(p.Signed), "drafts_purged": fmt.Sprint(p.Drafts),
			"signed_days": fmt.Sprint(r.SignedDays), "draft_days": fmt.Sprint(r.DraftDays), "offline": fmt.Sprint(offline)})
		return nil
	})
	if err != nil {
		return vault.Purged{}, false, err
	}
	// The purge and its record are in; a failed checkpoint only leaves old page images
	// in the log until the next one.
	if v := a.v(); v != nil {
		if err := v.Checkpoint(ctx); err != nil {
			a.warn(fmt.Errorf("after the purge: %w", err))
		}
	}
	return p, offline, nil
}

// Recover puts the vault key back into the keychain from its escrow, with the
// recovery identities, then opens the vault and records the recovery.
func (a *App) Recover(ctx context.Context, ids []age.Identity) error {
	if err := vault.Recover(ctx, a.VaultOptions(), ids); err != nil {
		return err
	}
	if err := a.OpenVault(ctx, false); err != nil {
		return err
	}
	return a.update(ctx, func(tx *vault.Tx, _ *access.Service) error {
		tx.Record(audit.Entry{Action: audit.Recovery, Object: a.vaultObject(), Outcome: audit.OK})
		return nil
	})
}

// RecoverNoteKeys gives each physician back their own note key from its escrow,
// opened with the hospital's recovery identity (admins): after a lost keychain, once
// the physicians have signed in again, or after a restore into another vault. It
// returns the physicians given their key, each recorded, and those whose escrow this
// identity does not open.
func (a *App) RecoverNoteKeys(ctx context.Context, ids []age.Identity) (vault.Recovered, error) {
	var out vault.Recovered
	err := a.authorized(ctx, access.VaultAdmin, func(c *actor) error {
		var err error
		if out, err = c.tx.RecoverKeys(ctx, ids); err != nil {
			return err
		}
		for _, owner := range out.Owners {
			c.record(audit.NoteKeysRecovered, audit.Object{Type: "user", ID: owner}, "", nil)
		}
		return nil
	})
	return out, err
}

// Shred crypto-shreds the vault: the key leaves the keychain, then the files go
// (backups elsewhere are not reached). A signed-in admin may shred; so may an OS
// administrator, because a vault that needs shredding may be one nobody can open
// any more. The journal goes with the vault, so its records reach the collector
// first, the shred's own record included; where that cannot happen, policy must
// allow offline shredding, and the shred is then the journal's last record. force
// removes the files even when vault.json is damaged.
func (a *App) Shred(ctx context.Context, force bool) error {
	osAdmin := or(a.cfg.IsOSAdmin, access.IsOSAdmin)()
	openErr := a.OpenVault(ctx, false)
	if openErr != nil && !osAdmin {
		return fmt.Errorf("%w: the vault does not open (%v), and only an OS administrator may shred it then", access.ErrDenied, openErr)
	}
	if openErr == nil {
		if err := a.recordShred(ctx, osAdmin); err != nil {
			return err
		}
		a.Close()
	}
	return vault.Shred(ctx, a.VaultOptions(), force)
}

// recordShred authorizes the shred and delivers its record; see Shred.
func (a *App) recordShred(ctx context.Context, osAdmin bool) error {
	record := func(offline bool) error {
		details := map[string]string{"offline": fmt.Sprint(offline), "phase": "starting"}
		if a.currentToken() == "" && osAdmin {
			return a.update(ctx, func(tx *vault.Tx, _ *access.Service) error {
				tx.Record(audit.Entry{Action: audit.Shred, Object: a.vaultObject(), Details: details, Outcome: audit.OK})
				return nil
			})
		}
		return a.authorized(ctx, access.VaultAdmin, func(c *actor) error {
			c.record(audit.Shred, a.vaultObject(), "", details)
			return nil
		})
	}
	if a.currentToken() != "" || !osAdmin {
		// Asked before anything leaves: a refusal must not first deliver a record.
		if err := a.authorized(ctx, access.VaultAdmin, func(*actor) error { return nil }); err != nil {
			return err
		}
	}
	_, pending, err := a.deliverAll(ctx)
	if err == nil && pending == 0 {
		if err := record(false); err != nil {
			return err
		}
		if _, pending, err = a.deliverAll(ctx); err == nil && pending == 0 {
			return nil
		}
	}
	if err == nil {
		err = fmt.Errorf("%d records still pending", pending)
	}
	if !a.Policy().Bool(policy.AllowOfflineShred) {
		return fmt.Errorf("%w, and shredding would destroy them (%v); policy %s does not allow the shred offline", ErrUndelivered, err, policy.AllowOfflineShred)
	}
	return record(true)
}
