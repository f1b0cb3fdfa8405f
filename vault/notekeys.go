package vault

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
)

// Note keys (FORMAT.md, "Per-user note keys"): who holds which physician's private
// key, and how a session carries the keys its user holds.

func newDataKey() []byte {
	k := make([]byte, dataKeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}

func noteSecretAccount(vaultID string) string { return "notes:" + vaultID }

// noteSecretEscrowState names the state row holding V sealed to the recovery
// recipient: `vault recover` puts V back with the vault key.
const noteSecretEscrowState = "note_secret_escrow"

// ErrNoteSecretMissing: the keychain has lost the note secret of a vault whose users
// have note keys. Making a new one would orphan every key: it is restored from its
// escrow instead.
var ErrNoteSecretMissing = errors.New("the note secret is not in the keychain; restore it with `vellum vault recover --identity FILE`")

// noteSecret is V, the keychain's half of every holder's key-encryption key. It is
// made at the first sign-in that needs it, and escrowed to the recovery recipient
// (now, or once one is set); callers hold the vault's write lock (inside Update), so
// two processes never make two. Once users have keys, a missing V is
// ErrNoteSecretMissing, never a new V.
func (t *Tx) noteSecret(ctx context.Context) ([]byte, error) {
	kc := t.v.opts.keychain()
	account := noteSecretAccount(t.v.meta.VaultID)
	s, err := kc.Get(ctx, account)
	var secret []byte
	switch {
	case errors.Is(err, ErrKeyMissing):
		var keys int
		if err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM user_keys").Scan(&keys); err != nil {
			return nil, err
		}
		if keys > 0 {
			return nil, ErrNoteSecretMissing
		}
		secret = newDataKey()
		if err := kc.Set(ctx, account, hex.EncodeToString(secret)); err != nil {
			return nil, fmt.Errorf("store the note secret in the keychain: %w", err)
		}
		// A secret made anew replaces any escrow of an earlier one: `vault recover`
		// must put back this one.
		if _, err := t.tx.ExecContext(ctx, "DELETE FROM state WHERE name = ?", noteSecretEscrowState); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("read the note secret from the keychain: %w", err)
	default:
		if secret, err = hex.DecodeString(s); err != nil || len(secret) != 32 {
			return nil, fmt.Errorf("%w (the keychain's note secret is malformed)", ErrNoteSecretMissing)
		}
	}
	if r := t.v.recipient(); r != "" {
		if _, ok, err := state(ctx, t.tx, noteSecretEscrowState); err != nil {
			return nil, err
		} else if !ok {
			sealed, err := sealTo(r, secret)
			if err != nil {
				return nil, fmt.Errorf("escrow the note secret: %w", err)
			}
			if err := setState(ctx, t.tx, noteSecretEscrowState, base64.StdEncoding.EncodeToString(sealed)); err != nil {
				return nil, err
			}
		}
	}
	return secret, nil
}

// recoverNoteSecret puts V back into the keychain from its escrow in the vault (db,
// opened with the recovered vault key), where the keychain lacks it.
func recoverNoteSecret(ctx context.Context, db *sql.DB, kc Keychain, vaultID string, ids []age.Identity) error {
	account := noteSecretAccount(vaultID)
	if _, err := kc.Get(ctx, account); !errors.Is(err, ErrKeyMissing) {
		return err
	}
	escrow, ok, err := state(ctx, db, noteSecretEscrowState)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return nil // a vault from before it kept any state: no note keys either
	}
	if err != nil || !ok {
		return err
	}
	sealed, err := base64.StdEncoding.DecodeString(escrow)
	if err != nil {
		return fmt.Errorf("the note secret's escrow is malformed: %w", err)
	}
	secret, err := ageOpen(ids, sealed)
	if err != nil || len(secret) != 32 {
		return fmt.Errorf("the note secret's escrow does not open with this identity: %v", err)
	}
	if err := kc.Set(ctx, account, hex.EncodeToString(secret)); err != nil {
		return fmt.Errorf("store the note secret in the keychain: %w", err)
	}
	return nil
}

// ErrKeyAltered: the vault names, for a physician, a public key that is not the one
// of the private key their holders hold: someone wrote the row to have notes sealed
// to a key of theirs.
var ErrKeyAltered = errors.New("the physician's note key in the vault is not theirs (altered?)")

// checkOwnerPublic refuses to seal to pub where keys hold owner's private key and pub
// is not its public half. Writers who do not hold it (a restore) trust the row.
func checkOwnerPublic(keys *Keys, owner, pub string) error {
	// A missing row while the key is held was deleted: notes would go in the clear.
	if id := keys.identity(owner); id != nil && id.Recipient().String() != pub {
		return &KeyFaultError{User: owner, Err: ErrKeyAltered}
	}
	return nil
}

// KeyFaultError is a fault of the vault's key rows found while acting: Err
// (ErrKeyAltered, ErrNoteKeyDeleted, ErrScribeKeyNotOpened) of User's key, who need
// not be the one acting (a scribe writing for their physician finds the physician's).
type KeyFaultError struct {
	User string
	Err  error
}

func (e *KeyFaultError) Error() string { return e.Err.Error() }
func (e *KeyFaultError) Unwrap() error { return e.Err }

// ErrNoteKeyDeleted: a physician's note key pair is gone from the vault (its row
// deleted) while their sealed notes, scribes' copies or approvals remain: making a
// new pair would let whoever deleted it choose who gets it. Nothing is sealed for
// them until an admin restores the row from a backup and runs `vault recover-keys`.
var ErrNoteKeyDeleted = errors.New("the physician's note key is missing from the vault (deleted?): restore it from a backup, then run `vellum vault recover-keys`")

// ErrScribeNoKey: an approval gives the physician's key to the scribe's own key, and
// the scribe has none until their first sign-in.
var ErrScribeNoKey = errors.New("the scribe has not signed in yet: your note key is given to their own key, so ask them to sign in once, then approve them")

// ErrScribeKeyNotOpened: the scribe's password (checked already) does not open their
// key pair: the keychain's note secret changed, or the pair was altered. Their next
// sign-in gives them a new pair, which the physician then approves.
var ErrScribeKeyNotOpened = errors.New("the scribe's key does not open with their password (the keychain changed, or the key was altered): ask them to sign in once more, then approve them again")

// hadOwnerKey reports whether owner had a note key pair: notes sealed to it, copies
// of it, or approvals marked with it. None of these is made without the pair.
func hadOwnerKey(ctx context.Context, db conn, owner string) (bool, error) {
	var had bool
	err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notes WHERE owner = ?1 AND sealed_key IS NOT NULL)
		OR EXISTS (SELECT 1 FROM note_key_holders WHERE owner = ?1)
		OR EXISTS (SELECT 1 FROM scribe_approvals WHERE owner = ?1)`, owner).Scan(&had)
	return had, err
}

func ownerPublic(ctx context.Context, db conn, owner string) (string, error) {
	var pub string
	err := db.QueryRowContext(ctx, "SELECT public FROM owner_keys WHERE owner = ?", owner).Scan(&pub)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return pub, err
}

// KeyRequest is what OpenKeys needs at a sign-in or unlock.
type KeyRequest struct {
	UserID   string
	Role     access.Role
	Password string
	// Params are the Argon2id costs for a key-encryption key made now.
	Params access.Params
	// SessionID and Token are the session the keys are kept for.
	SessionID, Token string
}

// KeysOpened says what OpenKeys did, for the audit record.
type KeysOpened struct {
	// Holds counts the physicians whose notes the session opens.
	Holds int
	// Created: the user's key pair (and a physician's note key pair) were made now.
	Created bool
	// Sealed counts notes sealed now (stored in the clear before their physician had
	// a key pair).
	Sealed int
	// Granted are the scribes given the physician's key now; Forged those whose
	// approval was not the physician's (GrantScribes).
	Granted, Forged []string
	// Unavailable: the user's keys did not open (ErrNoteKeys); the session works, its
	// user's notes stay sealed until recovered.
	Unavailable bool
	// Missing: the physician's note key pair was deleted from the vault
	// (ErrNoteKeyDeleted); no new one was made.
	Missing bool
	// Altered: the vault's row named another public key for the user's own key pair
	// than its private half's (written, to have the key given to another); the row
	// is set right.
	Altered bool
	// Waiting are the scribes who wait for their physician's approval again: their
	// key pair was replaced, and an approval names the pair.
	Waiting []string
}

// OpenKeys opens the note keys r.UserID holds with their password and the keychain's
// note secret, making them at the first sign-in of a physician or scribe, and keeps
// them for the session, wrapped under its token. A physician's notes stored in the
// clear are sealed now, and scribes they approved who have since got keys are given
// the physician's key. Admins and auditors hold none: their sessions keep nothing.
func (t *Tx) OpenKeys(ctx context.Context, r KeyRequest) (KeysOpened, error) {
	var out KeysOpened
	if r.Role != access.Physician && r.Role != access.Scribe {
		return out, nil
	}
	secret, err := t.noteSecret(ctx)
	if errors.Is(err, ErrNoteSecretMissing) {
		// Signed in, but no note opens until `vault recover` puts V back.
		out.Unavailable = true
		return out, t.DropSessionKeys(ctx, r.SessionID)
	}
	if err != nil {
		return out, err
	}
	user, created, err := t.userIdentity(ctx, r, secret)
	if errors.Is(err, errPublicAltered) {
		out.Altered, err = true, nil
	}
	if errors.Is(err, ErrNoteKeys) {
		// The password is right (access checked it), so the keychain's note secret
		// changed (a lost keychain) or the keys were altered: the user gets a new
		// pair, and what they held waits for the escrow (RecoverKeys) or, for a
		// scribe, their physician's approval of the new pair.
		out.Unavailable = true
		var waiting bool
		if user, waiting, err = t.replaceUserKey(ctx, r, secret); err != nil {
			return out, err
		}
		if waiting {
			out.Waiting = []string{r.UserID}
		}
		created = true
	} else if err != nil {
		return out, err
	}
	out.Created = created
	if r.Role == access.Scribe {
		stale, err := t.dropStaleApprovals(ctx, r.UserID, user.Recipient().String())
		if err != nil {
			return out, err
		}
		if stale {
			out.Altered = true
			out.Waiting = append(out.Waiting, r.UserID)
		}
	}
	if r.Role == access.Physician {
		err = t.ensureOwnerKey(ctx, r.UserID, user.Recipient().String())
		if errors.Is(err, ErrNoteKeyDeleted) {
			out.Unavailable, out.Missing = true, true
		} else if err != nil {
			return out, err
		}
	}
	keys := &Keys{}
	rows, err := t.tx.QueryContext(ctx, "SELECT owner, wrapped FROM note_key_holders WHERE holder = ?", r.UserID)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var owner string
		var wrapped []byte
		if err := rows.Scan(&owner, &wrapped); err != nil {
			rows.Close()
			return out, err
		}
		b, err := openWith(user, wrapped)
		var id *age.X25519Identity
		if err == nil {
			id, err = parseIdentity(b)
		}
		if err != nil {
			// Sealed to a user key since replaced: kept for the escrow to replace.
			out.Unavailable = true
			continue
		}
		keys.add(owner, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	t.keys = keys
	out.Holds = len(keys.owners)
	if keys.Holds(r.UserID) {
		if err := t.escrowOwnerKey(ctx, r.UserID); err != nil {
			return out, err
		}
		if out.Sealed, err = t.sealOwnerNotes(ctx, r.UserID); err != nil {
			return out, fmt.Errorf("seal the notes of %s: %w", r.UserID, err)
		}
		if err := t.indexSealedNotes(ctx, r.UserID); err != nil {
			return out, fmt.Errorf("index the notes of %s: %w", r.UserID, err)
		}
		if out.Granted, out.Forged, err = t.GrantScribes(ctx, r.UserID); err != nil {
			return out, err
		}
	}
	return out, t.keepSessionKeys(ctx, r.SessionID, r.Token, keys)
}

// userIdentity opens the user's key pair with the password and secret, or makes it
// if the user has none. A row whose public key is not the pair's is set right, and
// errPublicAltered returned with the pair.
func (t *Tx) userIdentity(ctx context.Context, r KeyRequest, secret []byte) (*age.X25519Identity, bool, error) {
	id, err := t.openUserKey(ctx, r.UserID, r.Password, secret)
	if !errors.Is(err, errNoUserKey) {
		return id, false, err
	}
	id = generateIdentity()
	salt := newDataKey()[:16]
	p := r.Params
	if p == (access.Params{}) {
		p = access.DefaultParams
	}
	key := kek(r.Password, salt, p, secret, r.UserID)
	_, err = t.tx.ExecContext(ctx, "INSERT INTO user_keys (user_id, public, salt, params, wrapped) VALUES (?, ?, ?, ?, ?)",
		r.UserID, id.Recipient().String(), salt, formatParams(p), seal(key, []byte(id.String()), userKeyAD(r.UserID)))
	return id, true, err
}

var (
	// errNoUserKey: the user has no key pair yet.
	errNoUserKey = errors.New("no user key")
	// errPublicAltered: the user's key pair opened, but its row named another public
	// key (now set right).
	errPublicAltered = errors.New("the user's public key in the vault was not theirs (altered)")
)

// openUserKey opens user's key pair with their password and the note secret:
// errNoUserKey if they have none, ErrNoteKeys if it does not open. The row's public
// key is whatever was written there; the pair's own is the private half's, and
// where the two differ the row is set right and errPublicAltered returned with the
// pair: a key given to the row's public key would go to whoever wrote it.
func (t *Tx) openUserKey(ctx context.Context, user, password string, secret []byte) (*age.X25519Identity, error) {
	var salt, wrapped []byte
	var params, public string
	err := t.tx.QueryRowContext(ctx, "SELECT public, salt, params, wrapped FROM user_keys WHERE user_id = ?", user).Scan(&public, &salt, &params, &wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUserKey
	}
	if err != nil {
		return nil, err
	}
	p, err := parseParams(params)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoteKeys, err)
	}
	b, err := unseal(kek(password, salt, p, secret, user), wrapped, userKeyAD(user))
	if err != nil {
		return nil, ErrNoteKeys
	}
	id, err := parseIdentity(b)
	if err != nil {
		return nil, ErrNoteKeys
	}
	if own := id.Recipient().String(); public != own {
		if _, err := t.tx.ExecContext(ctx, "UPDATE user_keys SET public = ? WHERE user_id = ?", own, user); err != nil {
			return nil, err
		}
		return id, errPublicAltered
	}
	return id, nil
}

// dropStaleApprovals deletes the approvals of scribe that name another key than
// their own pair's (public): marks made by builds that marked the key a row named,
// which someone may have written. If there were any, the scribe waits for their
// physician's approval again, made at their side, and the copies given under those
// approvals go; stale says so.
func (t *Tx) dropStaleApprovals(ctx context.Context, scribe, public string) (stale bool, err error) {
	res, err := t.tx.ExecContext(ctx, "DELETE FROM scribe_approvals WHERE scribe = ? AND public <> ?", scribe, public)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	for _, q := range []string{
		"UPDATE users SET pending_for = acting_for, acting_for = '' WHERE id = ?1 AND role = 'scribe' AND acting_for <> ''",
		"DELETE FROM note_key_holders WHERE holder = ?1 AND owner <> ?1",
	} {
		if _, err := t.tx.ExecContext(ctx, q, scribe); err != nil {
			return false, err
		}
	}
	return true, nil
}

// replaceUserKey gives the user a new key pair in place of one that no longer opens.
// What others gave them goes (it opened only with the old pair); their own note
// key's copy stays until RecoverKeys replaces it from the escrow. A scribe's
// approval named the old pair: they wait for their physician's approval again.
func (t *Tx) replaceUserKey(ctx context.Context, r KeyRequest, secret []byte) (_ *age.X25519Identity, waiting bool, err error) {
	for _, q := range []string{
		"DELETE FROM note_key_holders WHERE holder = ?1 AND owner <> ?1",
		"DELETE FROM scribe_approvals WHERE scribe = ?1",
	} {
		if _, err := t.tx.ExecContext(ctx, q, r.UserID); err != nil {
			return nil, false, err
		}
	}
	res, err := t.tx.ExecContext(ctx, "UPDATE users SET pending_for = acting_for, acting_for = '' WHERE id = ? AND role = 'scribe' AND acting_for <> ''", r.UserID)
	if err != nil {
		return nil, false, err
	}
	n, _ := res.RowsAffected()
	waiting = n > 0
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM user_keys WHERE user_id = ?", r.UserID); err != nil {
		return nil, false, err
	}
	id, _, err := t.userIdentity(ctx, r, secret)
	return id, waiting, err
}

// RecoverKeys gives each physician back their own note key from its escrow, opened
// with the recovery identities, sealed to their current user key: after a lost
// keychain, once they have signed in again (which made them a new user key), or
// after a restore into another vault. It returns the physicians whose key it gave;
// a physician without a user key yet (not signed in here) is left for a later run.
func (t *Tx) RecoverKeys(ctx context.Context, ids []age.Identity) (Recovered, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT o.owner, o.public, o.escrow, k.public FROM owner_keys o
		JOIN user_keys k ON k.user_id = o.owner WHERE o.escrow IS NOT NULL ORDER BY o.owner`)
	if err != nil {
		return Recovered{}, err
	}
	type todo struct {
		owner, public, userPublic string
		escrow                    []byte
	}
	var all []todo
	for rows.Next() {
		var d todo
		if err := rows.Scan(&d.owner, &d.public, &d.escrow, &d.userPublic); err != nil {
			rows.Close()
			return Recovered{}, err
		}
		all = append(all, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Recovered{}, err
	}
	var out Recovered
	for _, d := range all {
		b, err := ageOpen(ids, d.escrow)
		var id *age.X25519Identity
		if err == nil {
			id, err = parseIdentity(b)
		}
		if err != nil || id.Recipient().String() != d.public {
			// Escrowed to another recipient, or not the key the notes are sealed to:
			// the others are recovered all the same.
			out.Skipped = append(out.Skipped, d.owner)
			continue
		}
		if err := t.hold(ctx, d.owner, d.owner, d.userPublic, id); err != nil {
			return out, err
		}
		out.Owners = append(out.Owners, d.owner)
	}
	return out, nil
}

// Recovered is what RecoverKeys did.
type Recovered struct {
	// Owners got their note key back.
	Owners []string `json:"owners"`
	// Skipped have an escrow this identity does not open, or one of another key.
	Skipped []string `json:"skipped,omitempty"`
}

func userKeyAD(userID string) string { return "vellum user key v1\x00" + userID }

func formatParams(p access.Params) string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.MemoryKiB, p.Time, p.Threads)
}

func parseParams(s string) (access.Params, error) {
	var p access.Params
	if _, err := fmt.Sscanf(s, "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.MemoryKiB == 0 || p.Threads == 0 ||
		p.MemoryKiB > 4<<20 || p.Time > 64 { // bounded: a row cannot make a sign-in spend 4 GiB
		return p, fmt.Errorf("malformed key parameters %q", s)
	}
	return p, nil
}

// ensureOwnerKey makes physician owner's note key pair if they never had one: held
// by the physician (sealed to their user key) and escrowed to the recovery recipient
// where one is set. A physician whose pair exists but who holds no copy of it (a
// restore into a vault where they signed in anew) gets none made: their notes wait
// for the escrow (RecoverKeys). Nor does one whose pair's row is gone but who had
// one (ErrNoteKeyDeleted).
func (t *Tx) ensureOwnerKey(ctx context.Context, owner, userRecipient string) error {
	pub, err := ownerPublic(ctx, t.tx, owner)
	if err != nil || pub != "" {
		return err
	}
	if had, err := hadOwnerKey(ctx, t.tx, owner); err != nil {
		return err
	} else if had {
		return ErrNoteKeyDeleted
	}
	id := generateIdentity()
	var escrow []byte
	if r := t.v.recipient(); r != "" {
		if escrow, err = sealTo(r, []byte(id.String())); err != nil {
			return fmt.Errorf("escrow the note key of %s: %w", owner, err)
		}
	}
	if _, err := t.tx.ExecContext(ctx, "INSERT INTO owner_keys (owner, public, escrow) VALUES (?, ?, ?)", owner, id.Recipient().String(), escrow); err != nil {
		return err
	}
	return t.hold(ctx, owner, owner, userRecipient, id)
}

// escrowOwnerKey escrows owner's note key, which the transaction's keys hold, if it
// was made while no recovery recipient was set and one is set now.
func (t *Tx) escrowOwnerKey(ctx context.Context, owner string) error {
	r := t.v.recipient()
	if r == "" {
		return nil
	}
	escrow, err := sealTo(r, []byte(t.keys.identity(owner).String()))
	if err != nil {
		return fmt.Errorf("escrow the note key of %s: %w", owner, err)
	}
	_, err = t.tx.ExecContext(ctx, "UPDATE owner_keys SET escrow = ? WHERE owner = ? AND escrow IS NULL", escrow, owner)
	return err
}

// hold gives holder (whose user public key is recipient) owner's private key.
func (t *Tx) hold(ctx context.Context, owner, holder, recipient string, id *age.X25519Identity) error {
	wrapped, err := sealTo(recipient, []byte(id.String()))
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, "INSERT OR REPLACE INTO note_key_holders (owner, holder, wrapped) VALUES (?, ?, ?)", owner, holder, wrapped)
	return err
}

// approvalMAC is physician id's mark on an approval of scribe, bound to the scribe's
// user public key.
func approvalMAC(id *age.X25519Identity, scribe, public string) []byte {
	m := hmac.New(sha256.New, derive([]byte(id.String()), "vellum scribe approvals v1"))
	m.Write([]byte(scribe + "\x00" + public))
	return m.Sum(nil)
}

// ApproveScribeKey marks, with physician's key (which the transaction's keys hold),
// that physician approved scribe's user key: only such a mark lets GrantScribes give
// the physician's key, and only to that user key. The key is the one scribePassword
// opens — the scribe types it at the physician's side — not the public key the
// vault's row names: a row can be written by anyone with the vault key, a key that
// opens with the scribe's password only by the scribe. A scribe without a user key
// (not signed in yet) cannot be approved (ErrScribeNoKey), nor one whose key does not
// open (ErrScribeKeyNotOpened). A row that named another public key is set right,
// and the approval goes on with altered true.
func (t *Tx) ApproveScribeKey(ctx context.Context, physician, scribe, scribePassword string) (altered bool, err error) {
	id := t.keys.identity(physician)
	if id == nil {
		return false, fmt.Errorf("approve scribe %s: %w", scribe, ErrSealed)
	}
	secret, err := t.noteSecret(ctx)
	if err != nil {
		return false, err
	}
	own, err := t.openUserKey(ctx, scribe, scribePassword, secret)
	switch {
	case errors.Is(err, errNoUserKey):
		return false, ErrScribeNoKey
	case errors.Is(err, ErrNoteKeys):
		return false, &KeyFaultError{User: scribe, Err: ErrScribeKeyNotOpened}
	case errors.Is(err, errPublicAltered):
		altered = true
	case err != nil:
		return false, err
	}
	public := own.Recipient().String()
	_, err = t.tx.ExecContext(ctx, "INSERT OR REPLACE INTO scribe_approvals (owner, scribe, public, mac) VALUES (?, ?, ?, ?)",
		physician, scribe, public, approvalMAC(id, scribe, public))
	return altered, err
}

// GrantScribes gives physician's key to each scribe assigned to and approved by them
// — approved with the physician's own mark of the scribe's current user key
// (ApproveScribeKey), not only in the users table — who does not hold the key yet,
// and returns their ids. An approval whose mark fails was written by someone else:
// it is deleted, so that it is reported once, and its scribe returned in forged. One
// that names another key than the scribe's row waits: the row was written, and the
// scribe's next sign-in sets it right. The session must hold the
// physician's key; without it nothing is granted.
func (t *Tx) GrantScribes(ctx context.Context, physician string) (granted, forged []string, err error) {
	id := t.keys.identity(physician)
	if id == nil {
		return nil, nil, nil
	}
	// With the key's row altered or gone, a copy could not be stored: the sealing
	// that the physician's actions do names the fault (ErrKeyAltered).
	if pub, err := ownerPublic(ctx, t.tx, physician); err != nil || checkOwnerPublic(t.keys, physician, pub) != nil {
		return nil, nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT u.id, k.public, a.public, a.mac FROM users u
		JOIN user_keys k ON k.user_id = u.id
		JOIN scribe_approvals a ON a.owner = ? AND a.scribe = u.id
		WHERE u.role = 'scribe' AND u.acting_for = ? AND u.pending_for = '' AND u.disabled = 0
		AND NOT EXISTS (SELECT 1 FROM note_key_holders h WHERE h.owner = ? AND h.holder = u.id)`, physician, physician, physician)
	if err != nil {
		return nil, nil, err
	}
	type grant struct {
		scribe, public, approved string
		mac                      []byte
	}
	var grants []grant
	for rows.Next() {
		var g grant
		if err := rows.Scan(&g.scribe, &g.public, &g.approved, &g.mac); err != nil {
			rows.Close()
			return nil, nil, err
		}
		grants = append(grants, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for _, g := range grants {
		if g.approved != g.public && hmac.Equal(g.mac, approvalMAC(id, g.scribe, g.approved)) {
			// The physician's approval, of another key than the row names: the row
			// was written, or the approval names a key a row once named. The
			// scribe's next sign-in sets the row right, or drops the approval and
			// has them approved again (dropStaleApprovals), and records it.
			continue
		}
		if !hmac.Equal(g.mac, approvalMAC(id, g.scribe, g.approved)) {
			// Not the physician's approval.
			if _, err := t.tx.ExecContext(ctx, "DELETE FROM scribe_approvals WHERE owner = ? AND scribe = ?", physician, g.scribe); err != nil {
				return nil, nil, err
			}
			forged = append(forged, g.scribe)
			continue
		}
		if err := t.hold(ctx, physician, g.scribe, g.public, id); err != nil {
			return nil, nil, fmt.Errorf("give the note key of %s to %s: %w", physician, g.scribe, err)
		}
		granted = append(granted, g.scribe)
	}
	return granted, forged, nil
}

// revokeHolds takes from u every physician's key their role and assignment no
// longer allow (a scribe reassigned or disabled, a role changed), and the keys kept
// for their sessions with it: the next sign-in opens only what they still hold.
func revokeHolds(ctx context.Context, db conn, u access.User) error {
	keep := ""
	switch {
	case u.Role == access.Physician:
		keep = u.ID
	case u.Role == access.Scribe && u.PendingFor == "" && !u.Disabled:
		keep = u.ActingFor
	}
	res, err := db.ExecContext(ctx, "DELETE FROM note_key_holders WHERE holder = ? AND owner IS NOT ?", u.ID, keep)
	if err != nil {
		return err
	}
	// An approval outlives a disabled account (enabled again, the scribe is still
	// approved), not a change of physician or role.
	approvedBy := ""
	if u.Role == access.Scribe && u.PendingFor == "" {
		approvedBy = u.ActingFor
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM scribe_approvals WHERE scribe = ? AND owner IS NOT ?", u.ID, approvedBy); err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 || u.Disabled {
		_, err = db.ExecContext(ctx, "DELETE FROM session_keys WHERE session_id IN (SELECT id FROM sessions WHERE user_id = ?)", u.ID)
	}
	return err
}

// Session keys: the private keys a session holds, wrapped under a key derived from
// its bearer token, so that each action of the session opens them again and nothing
// without the token does.

func sessionKey(token, sessionID string) []byte {
	return derive([]byte(token), sessionKeysInfo(sessionID))
}

func (t *Tx) keepSessionKeys(ctx context.Context, sessionID, token string, keys *Keys) error {
	m := map[string]string{}
	for owner, id := range keys.owners {
		m[owner] = id.String()
	}
	sealed, err := sealJSON(sessionKey(token, sessionID), m, sessionKeysInfo(sessionID))
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, "INSERT OR REPLACE INTO session_keys (session_id, wrapped) VALUES (?, ?)", sessionID, sealed)
	return err
}

// UseSessionKeys opens the keys kept for the session with its token, for the notes
// this transaction reads and writes. A session with none kept (locked, an admin's,
// or signed in before note keys) opens no sealed note.
func (t *Tx) UseSessionKeys(ctx context.Context, sessionID, token string) error {
	var sealed []byte
	err := t.tx.QueryRowContext(ctx, "SELECT wrapped FROM session_keys WHERE session_id = ?", sessionID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		t.keys = nil
		return nil
	}
	if err != nil {
		return err
	}
	var m map[string]string
	if err := unsealJSON(sessionKey(token, sessionID), sealed, sessionKeysInfo(sessionID), &m); err != nil {
		return fmt.Errorf("%w (the session's keys do not open)", ErrNoteKeys)
	}
	keys := &Keys{}
	for owner, s := range m {
		id, err := parseIdentity([]byte(s))
		if err != nil {
			return fmt.Errorf("%w (the session's keys are malformed)", ErrNoteKeys)
		}
		keys.add(owner, id)
	}
	t.keys = keys
	return nil
}

// DropSessionKeys forgets the keys kept for a session (it was locked).
func (t *Tx) DropSessionKeys(ctx context.Context, sessionID string) error {
	t.keys = nil
	_, err := t.tx.ExecContext(ctx, "DELETE FROM session_keys WHERE session_id = ?", sessionID)
	return err
}

// sealPerSignIn bounds the notes one sign-in seals, and so the wait: sealing costs
// about 6 ms a note on a 2-core workstation (BenchmarkSealedNotesAgainstClear), most
// of it the blind terms. A physician with more has the rest sealed at the sign-ins
// that follow; `vault check` counts what is left.
const sealPerSignIn = 1000

// sealOwnerNotes seals up to sealPerSignIn notes of owner still stored in the clear, with its
// addenda and kept drafts, and returns how many. The full-text index loses them
// (its triggers), the blind index gains them.
func (t *Tx) sealOwnerNotes(ctx context.Context, owner string) (int, error) {
	pub, err := ownerPublic(ctx, t.tx, owner)
	if err != nil || pub == "" {
		return 0, err
	}
	if err := checkOwnerPublic(t.keys, owner, pub); err != nil {
		return 0, err
	}
	search := t.keys.derivedFor(owner).search
	clear, err := t.notesWhere(ctx, nil, "owner = ? AND sealed_key IS NULL ORDER BY seq LIMIT ?", owner, sealPerSignIn)
	if err != nil {
		return 0, err
	}
	for _, n := range clear {
		if err := t.sealNote(ctx, n, pub, search); err != nil {
			return 0, fmt.Errorf("note %s: %w", n.ID, err)
		}
	}
	return len(clear), nil
}

func (t *Tx) sealNote(ctx context.Context, n Note, pub string, search []byte) error {
	dk := newDataKey()
	sealedKey, err := sealDataKey(t.keys, n.Owner, pub, n.ID, dk)
	if err != nil {
		return err
	}
	content, err := sealJSON(dk, noteContent{Title: n.Title, Body: n.Body, Provenance: n.Provenance}, noteAD(n.ID))
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, "UPDATE notes SET title = '', body = '', provenance = NULL, sealed_key = ?, sealed = ? WHERE id = ?",
		sealedKey, content, n.ID); err != nil {
		return err
	}
	as, err := addenda(ctx, t.tx, n, n.ID)
	if err != nil {
		return err
	}
	for _, a := range as {
		if _, err := t.tx.ExecContext(ctx, "UPDATE addenda SET body = '', sealed = ? WHERE id = ? AND sealed IS NULL",
			seal(dk, []byte(a.Body), addendumAD(n.ID, a.ID)), a.ID); err != nil {
			return err
		}
	}
	kept, err := keptDrafts(ctx, t.tx, n)
	if err != nil {
		return err
	}
	for _, k := range kept {
		c, err := sealJSON(dk, draftContent{Text: k.Text, Ungrounded: k.Ungrounded}, draftAD(n.ID))
		if err != nil {
			return err
		}
		if _, err := t.tx.ExecContext(ctx, "UPDATE note_drafts SET text = '', ungrounded = '[]', text_sha256 = ?, sealed = ? WHERE note_id = ? AND text_sha256 = ?",
			keyedDigest(dk, k.Text), c, n.ID, k.digest); err != nil {
			return err
		}
	}
	return setTerms(ctx, t.tx, n.ID, search, n.Title, n.Body)
}

// indexSealedNotes adds the blind terms of owner's sealed notes that have none (a
// note sealed by a writer who does not hold the key: a restore, a scribe not yet
// given it).
func (t *Tx) indexSealedNotes(ctx context.Context, owner string) error {
	todo, err := t.notesWhere(ctx, t.keys, `owner = ? AND sealed_key IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM note_terms WHERE note_id = notes.id)`, owner)
	if err != nil {
		return err
	}
	for _, n := range todo {
		if n.sealed.search == nil {
			continue
		}
		if err := setTerms(ctx, t.tx, n.ID, n.sealed.search, n.Title, n.Body); err != nil {
			return err
		}
	}
	return nil
}

// notesWhere reads the notes the condition selects, whole, opened with keys. They are
// read before any is changed: the caller then rewrites them in the same transaction.
func (t *Tx) notesWhere(ctx context.Context, keys *Keys, cond string, args ...any) ([]Note, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+noteColumns+" FROM notes WHERE "+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n, err := scanNote(rows, keys)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// setTerms replaces a sealed note's blind terms, up to termsPerInsert to a statement.
func setTerms(ctx context.Context, db conn, noteID string, key []byte, title, body string) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM note_terms WHERE note_id = ?", noteID); err != nil {
		return err
	}
	terms := noteTerms(key, title, body)
	for len(terms) > 0 {
		n := min(len(terms), termsPerInsert)
		args := make([]any, 0, 2*n)
		for _, term := range terms[:n] {
			args = append(args, term, noteID)
		}
		q := "INSERT OR IGNORE INTO note_terms (term, note_id) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ")
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		terms = terms[n:]
	}
	return nil
}

// termsPerInsert keeps a statement's parameters under SQLite's limit.
const termsPerInsert = 400
