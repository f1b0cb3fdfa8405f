package audit

// Action is what a record says happened. This is the one list: later issues add their
// actions here.
type Action string

const (
	// Sign-in and sessions (from package access).
	SignIn       Action = "auth.sign_in"
	SignInFailed Action = "auth.sign_in_failed"
	LockedOut    Action = "auth.locked_out"
	SignOut      Action = "auth.sign_out"
	Lock         Action = "auth.lock"
	Unlock       Action = "auth.unlock"
	Denied       Action = "auth.denied"
	BreakGlass   Action = "auth.break_glass"

	// Users.
	UserAdded      Action = "user.added"
	UserDisabled   Action = "user.disabled"
	UserEnabled    Action = "user.enabled"
	TOTPReset      Action = "user.totp_reset"
	ScribeApproved Action = "user.scribe_approved"

	// Notes: every touch of PHI.
	NoteCreate      Action = "note.create"
	NoteView        Action = "note.view"
	NoteList        Action = "note.list"
	NoteSearch      Action = "note.search"
	NoteEdit        Action = "note.edit"
	NoteSign        Action = "note.sign"
	NoteAddendum    Action = "note.addendum"
	NoteExport      Action = "note.export"
	NoteDelete      Action = "note.delete"
	NotesReassigned Action = "note.reassigned"
	// A signed note released de-identified, for teaching or research: details
	// hold the number of identifiers replaced of each type ("ids.name": "3"),
	// never the identifiers or the date offset.
	NoteExportDeidentified Action = "note.export_deidentified"

	// The vault and the settings.
	PolicyChanged Action = "policy.changed"
	KeyRotated    Action = "vault.key_rotated"
	Backup        Action = "vault.backup"
	Restore       Action = "vault.restore"
	Recovery      Action = "vault.recovery"
	Purge         Action = "vault.purge"
	Shred         Action = "vault.shred"

	// Note keys (vault/FORMAT.md, "Per-user note keys"): a user's keys made, a
	// physician's notes sealed, a physician's key given to a scribe, keys that did
	// not open or were found at fault (details "reason": "missing" when a
	// physician's key pair was deleted from the vault, "altered" when a key row
	// named another key, "forged approval" when an approval row was not the
	// physician's), keys recovered from the escrow, a scribe waiting for their
	// physician's approval again.
	NoteKeysCreated       Action = "keys.created"
	NotesSealed           Action = "keys.notes_sealed"
	NoteKeyGranted        Action = "keys.granted"
	NoteKeysUnavailable   Action = "keys.unavailable"
	NoteKeysRecovered     Action = "keys.recovered"
	NoteKeyApprovalNeeded Action = "keys.approval_needed"

	// The log itself.
	DeviceKeyCreated Action = "audit.device_key_created"

	// Drafting: the prompt and output appear only as hashes. A model load names the
	// model's digest and where it runs; a refused one (not on the allowlist) is
	// recorded with the denied outcome.
	DraftGenerated Action = "ai.draft"
	ModelLoad      Action = "ai.model_load"

	// Dictation: its start, and its end (stopped, or cancelled), with how long it
	// listened, the recogniser's model digest and the characters it produced; never
	// audio, never text.
	DictationStart  Action = "dictation.start"
	DictationStop   Action = "dictation.stop"
	DictationCancel Action = "dictation.cancel"
)

// Outcome says how the action ended.
type Outcome string

const (
	OK     Outcome = "ok"
	Failed Outcome = "failed"
	// DeniedOutcome: access control refused it.
	DeniedOutcome Outcome = "denied"
)
