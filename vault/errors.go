package vault

import "errors"

// Conditions a caller branches on. Open wraps them with the path and, where it helps, a
// detail; test with errors.Is. None of their texts carries a key or note text.
var (
	// ErrKeychainUnavailable: no OS keychain answered (no Secret Service on the session
	// bus, no session bus, a timeout).
	ErrKeychainUnavailable = errors.New("the OS keychain is not available (no Secret Service answered)")

	// ErrKeychainLocked: the keychain answered but is locked, and no unlock prompt
	// could be shown or it was dismissed.
	ErrKeychainLocked = errors.New("the OS keychain is locked; unlock it (sign in to the desktop session or unlock the login keyring) and try again")

	// ErrKeyMissing: the vault exists but its key is not in the keychain.
	ErrKeyMissing = errors.New("the vault key is not in the keychain; restore it from the recovery escrow with `vellum vault recover --identity FILE`")

	// ErrWrongKey: the keychain holds a key for this vault, but not the one it is
	// encrypted with.
	ErrWrongKey = errors.New("the key in the keychain is not this vault's key")

	// ErrForeignVault: the database file is not the one this profile's metadata and key
	// belong to, typically a vault file copied from another profile.
	ErrForeignVault = errors.New("the vault file belongs to another profile")

	// ErrDamaged: the file is truncated, or its pages fail authentication under the
	// right key.
	ErrDamaged = errors.New("the vault file is damaged")

	// ErrNotEncrypted: the database file on disk is plaintext SQLite.
	ErrNotEncrypted = errors.New("the vault file is not encrypted")

	// ErrNoEncryption: the linked SQLite is not SQLite3MultipleCiphers.
	ErrNoEncryption = errors.New("this build's SQLite cannot encrypt (SQLite3MultipleCiphers is not linked)")

	// ErrNewerSchema: the vault was written by a newer Vellum.
	ErrNewerSchema = errors.New("the vault was written by a newer version of Vellum")

	// ErrNoVault: there is no vault in the profile directory.
	ErrNoVault = errors.New("no vault in this profile")

	// ErrNoteNotFound: no note has that id.
	ErrNoteNotFound = errors.New("note not found")

	// ErrSigned: a signed note is immutable; corrections are addenda.
	ErrSigned = errors.New("the note is signed and cannot be changed")

	// ErrNotSigned: the operation needs a signed note.
	ErrNotSigned = errors.New("the note is not signed")

	// ErrNewerAddendum: the note has an addendum the version named lacks.
	ErrNewerAddendum = errors.New("the note has an addendum the EHR has not had")

	// ErrNoteTooLarge: a note over MaxNoteBytes.
	ErrNoteTooLarge = errors.New("the note is too large")

	// ErrNoRecipient: escrow or backup needs a recovery recipient and none is set.
	ErrNoRecipient = errors.New("no recovery recipient is configured (an age X25519 public key, age1...)")

	// ErrBadBackup: a backup file is truncated, altered, or not a Vellum backup.
	ErrBadBackup = errors.New("not a valid Vellum backup")
)
