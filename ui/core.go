package ui

import (
	"context"
	"errors"
	"time"

	"github.com/vellumhealth/vellum/llm"
)

// DictationEvents are what a dictation tells the window as it goes; they arrive off
// the UI goroutine.
type DictationEvents struct {
	Level      func(level float64) // 0 to 1
	Partial    func(text string)   // the utterance being spoken
	Transcript func(text string)   // all recognised so far
}

// ErrNoDictation: dictation is not set up on this workstation (no speech model, or a
// build without it).
var ErrNoDictation = errors.New("dictation is not set up on this workstation")

// Core is everything the window asks of the rest of Vellum. cmd/vellum wires it to the
// vault, access control, the audit log and the engine; tests use a fake. Every method
// that touches PHI is audited by the implementation, not by the screens.
type Core interface {
	// SignIn checks a password (and TOTP code, when the user's role needs one).
	// ErrTOTPNeeded asks the screen for the code.
	SignIn(ctx context.Context, username, password, code string) (User, error)
	// Unlock resumes a locked session with the signed-in user's password.
	Unlock(ctx context.Context, password, code string) error
	// Lock locks the session (idle, or the user's choice).
	Lock(ctx context.Context) error
	// SignOut ends the session.
	SignOut(ctx context.Context) error
	// BreakGlass grants the signed-in user emergency access, with the reason.
	BreakGlass(ctx context.Context, reason string) error
	// IdleTimeout is policy's idle lock.
	IdleTimeout() time.Duration
	// Can says whether the signed-in user may do action ("audit.view",
	// "vault.admin"), for what the screens offer; the Core decides again, and
	// records, when the action is taken.
	Can(action string) bool
	// UsePolicy is the organisation's acceptable-use text the signed-in user must
	// accept before anything else; pending is false when there is none to accept.
	UsePolicy(ctx context.Context) (text, sha256 string, pending bool, err error)
	// AcceptUsePolicy records acceptance of the text with that hash.
	AcceptUsePolicy(ctx context.Context, sha256 string) error
	// RefuseUsePolicy records the refusal and signs the user out.
	RefuseUsePolicy(ctx context.Context) error

	// Notes lists notes, or those matching query (full-text) when it is not empty.
	Notes(ctx context.Context, query string) ([]Note, error)
	// Note opens one note, body included.
	Note(ctx context.Context, id string) (Note, error)
	// NewNote creates a draft note.
	NewNote(ctx context.Context, patient, title string) (Note, error)
	// SaveNote stores a draft's text and the drafts the assistant put into this
	// note since its last save (their provenance).
	SaveNote(ctx context.Context, id, body string, from []Provenance) error
	// Unsupported lists what the grounding check flagged in the models' drafts kept
	// with a draft note that its stored text still holds: what signing it needs
	// acknowledged (their Start and End are not set).
	Unsupported(ctx context.Context, id string) ([]llm.Span, error)
	// SignNote signs a note; acknowledged lists the flagged items the physician kept
	// knowingly: every one Unsupported lists.
	SignNote(ctx context.Context, id string, acknowledged []llm.Span) error

	// AddAddendum adds a signed addendum to a signed note: the only change a signed
	// note takes.
	AddAddendum(ctx context.Context, id, text string) error

	// CopyNote releases a signed note's text, addenda included, for the EHR by
	// clipboard (audited), and says how soon the clipboard must be cleared.
	CopyNote(ctx context.Context, id string) (text string, clearAfter time.Duration, err error)
	// ExportFHIR releases a signed note as a FHIR R4 DocumentReference (JSON,
	// audited) into a file in dir, readable by its owner alone, and returns its path.
	ExportFHIR(ctx context.Context, id, dir string) (path string, err error)
	// ExportDeidentified releases a signed note de-identified, for teaching or
	// research (every identifier replaced by a made-up one; audited, where policy
	// allows it), into a text file in dir readable by its owner alone.
	ExportDeidentified(ctx context.Context, id, dir string) (path string, err error)

	// Templates lists note templates by name, the default first.
	Templates() []string
	// Draft drafts from source with the named template, streaming pieces to emit;
	// ctx's end stops it within one token.
	Draft(ctx context.Context, template, source string, emit func(piece string)) (llm.Draft, error)
	// Dictate listens to the microphone until ctx ends, telling ev the input's level,
	// the live text of what is being said, and the transcript as each utterance is
	// recognised; it returns the transcript. Closing stop ends it keeping the text,
	// the utterance under way included; cancelling ctx drops it. via says what
	// started it, for the record: "window" (the button, or the shortcut in the
	// window) or "hotkey" (the global one). ErrNoDictation where dictation is not
	// set up on this workstation.
	Dictate(ctx context.Context, via string, stop <-chan struct{}, ev DictationEvents) (string, error)
	// Status is what the status bar shows.
	Status() Status

	// Audit is the audit view: the local chain's state and the newest records (no
	// note text: records never hold any). Auditors and admins only.
	Audit(ctx context.Context) (AuditView, error)

	// Backup writes an encrypted backup of the vault into a new file in dir (admins
	// only, audited), reporting how many notes are written, and returns its path;
	// ctx's end stops it and leaves no file.
	Backup(ctx context.Context, dir string, progress func(done, total int)) (path string, err error)

	// Settings lists what the settings screen offers.
	Settings() []Setting
	// SetSetting changes one of them (the user's preference); it fails for one the
	// organisation's policy sets.
	SetSetting(key, value string) error
}

// Setting is one line of the settings screen.
type Setting struct {
	Key     string
	Label   string
	Value   string
	Options []string
	// Managed: the organisation's policy sets it; shown, not changeable.
	Managed bool
}

// User is the signed-in user, as the screens show it.
type User struct {
	Name string
	Role string
}

// Note is a note as listed and edited.
type Note struct {
	ID         string
	PatientRef string // the short patient reference, never the MRN
	Title      string
	Status     string // "draft", "signed", "exported"
	Updated    time.Time
	Body       string
	Addenda    []Addendum // of a signed note, oldest first
	// Origin says where a signed note's text came from (the model's share, which
	// model and template); empty for a draft.
	Origin string
}

// Addendum is one addendum of a signed note.
type Addendum struct {
	Author  string // display name
	Created time.Time
	Body    string
}

// Provenance is a draft the assistant put into a note: its text as the model wrote
// it (kept until signing attributes the signed text), its hash (by which the Core
// knows the model that wrote it) and the template.
type Provenance struct {
	Template    string
	DraftSHA256 string
	Text        string
	// Ungrounded is what the grounding check flagged in the draft: kept with it, so
	// that signing asks for their acknowledgement wherever the note is signed.
	Ungrounded []llm.Span
}

// Status is the status bar's content.
type Status struct {
	Model        string // "" while none is loaded
	Device       string // "CPU" or the GPU's name
	TokensPerSec float64
	// Loading is the fraction of a model load done while one is in progress (the
	// assistant's Stop cancels it), else 0.
	Loading float64
	// Reading is the fraction of a draft's prompt read while the model reads it (the
	// wait before the first token; Stop cancels it too), else 0.
	Reading      float64
	Queued       int       // audit records waiting for delivery
	LastDelivery time.Time // zero: never
}

var (
	// ErrTOTPNeeded: the user's role signs in with a TOTP code too.
	ErrTOTPNeeded = errors.New("enter the code from your authenticator app")
)

// AuditView is what the audit view shows.
type AuditView struct {
	// Chains holds one line per device chain: records, last sequence, and "ok" or
	// what is wrong with it.
	Chains []string
	// Recent are the newest records, newest first, one line each.
	Recent []string
}
