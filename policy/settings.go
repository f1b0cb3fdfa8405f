package policy

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
)

// Key names a setting; it is the JSON key in policy files and the value name in the
// Windows registry.
type Key string

// Kind is a setting's type.
type Kind int

const (
	String Kind = iota
	Int
	Bool
	Duration
	StringList
)

func (k Kind) String() string {
	return [...]string{"string", "integer", "boolean", "duration", "list of strings"}[k]
}

// Definition describes one setting.
type Definition struct {
	Key     Key
	Kind    Kind
	Default any // string, int, bool, time.Duration or []string, by Kind
	Doc     string
	// UserSettable: a user's preferences may set it (unless policy locks it).
	UserSettable bool
	// Secret: shown as "(set)" by `vellum policy show`, never printed.
	Secret bool
	// Min and Max bound an Int setting, both ends given (both zero: no bound; a
	// test holds every definition to that). OneOf, when set, is
	// every value a String setting, or each entry of a StringList, may take. They are
	// data rather than a Check so that the Group Policy template can offer the same
	// range and choices as this package accepts.
	Min, Max int
	OneOf    []string
	// Check validates a value of the right kind further; nil accepts any.
	Check func(any) error
}

// validate checks v, of d's kind, against d's range, choices and Check.
func (d Definition) validate(v any) error {
	if n, ok := v.(int); ok && (d.Min != 0 || d.Max != 0) && (n < d.Min || n > d.Max) {
		return fmt.Errorf("must be between %d and %d", d.Min, d.Max)
	}
	if len(d.OneOf) > 0 {
		vals, isList := v.([]string)
		if !isList {
			vals = []string{v.(string)}
		}
		for _, s := range vals {
			if !slices.Contains(d.OneOf, s) {
				return fmt.Errorf("%q is not one of %s", s, strings.Join(d.OneOf, ", "))
			}
		}
	}
	if d.Check != nil {
		return d.Check(v)
	}
	return nil
}

// The settings.
const (
	CollectorURL          Key = "collector_url"
	CollectorCA           Key = "collector_ca"
	EnrollmentToken       Key = "enrollment_token"
	SiteKey               Key = "site_key"
	IdleTimeout           Key = "idle_timeout"
	RecoveryRecipient     Key = "recovery_recipient"
	BreakGlassDuration    Key = "break_glass_duration"
	BreakGlassRoles       Key = "break_glass_roles"
	AcceptableUseFile     Key = "acceptable_use_file"
	TOTPRequiredRoles     Key = "totp_required_roles"
	LockoutAttempts       Key = "lockout_attempts"
	LockoutBackoff        Key = "lockout_backoff"
	InitialAdmins         Key = "initial_admins"
	AdminEnrollmentSecret Key = "admin_enrollment_secret"
	RetentionSignedDays   Key = "retention_signed_days"
	RetentionDraftDays    Key = "retention_draft_days"
	ModelsFolder          Key = "models_folder"
	ModelAllowlist        Key = "model_allowlist"
	DefaultModel          Key = "default_model"
	DefaultTemplate       Key = "default_template"
	Hotkey                Key = "hotkey"
	DictationMode         Key = "dictation_mode"
	DictationStopAfter    Key = "dictation_stop_after"
	DictationDevice       Key = "dictation_device"
	DictationVocabulary   Key = "dictation_vocabulary"
	SpeechModel           Key = "speech_model"
	LaunchAtLogin         Key = "launch_at_login"
	ExportFormats         Key = "export_formats"
	ClipboardClearAfter   Key = "clipboard_clear_after"
	FHIRPatientSystem     Key = "fhir_patient_system"
	KeepRunningInTray     Key = "keep_running_in_tray"
	Theme                 Key = "theme"
	AllowOfflineShred     Key = "allow_offline_shred"
	AllowTestModel        Key = "allow_test_model"
	InferenceThreads      Key = "inference_threads"
	InferenceContext      Key = "inference_context"
	InferenceBatch        Key = "inference_batch"
	InferenceGPULayers    Key = "inference_gpu_layers"
	InferenceFlashAttn    Key = "inference_flash_attention"
)

// Roles as policy names them; access defines what they may do.
var roleNames = []string{"physician", "scribe", "auditor", "admin"}

// Definitions is every setting, in the order `vellum policy show` lists them.
var Definitions = []Definition{
	{Key: CollectorURL, Kind: String, Default: "", Doc: "HTTPS URL of the hospital's audit collector", Check: checkHTTPS},
	{Key: CollectorCA, Kind: String, Default: "", Doc: "PEM of the CA that signs the collector's certificate (pinned)"},
	{Key: EnrollmentToken, Kind: String, Default: "", Secret: true, Doc: "one-time token that enrolls this device with the collector"},
	{Key: SiteKey, Kind: String, Default: "", Secret: true, Doc: "site key (64 hex digits) for patient references: HMAC-SHA256 of the MRN", Check: checkHexLen(32)},
	{Key: IdleTimeout, Kind: Duration, Default: 10 * time.Minute, Doc: "lock the session after this long without input", Check: checkDuration(30*time.Second, 12*time.Hour)},
	{Key: RecoveryRecipient, Kind: String, Default: "", Doc: "age X25519 recipient (age1...) the vault key and backups are encrypted to", Check: checkRecipient},
	{Key: BreakGlassDuration, Kind: Duration, Default: time.Hour, Doc: "how long emergency access lasts", Check: checkDuration(time.Minute, 24*time.Hour)},
	{Key: BreakGlassRoles, Kind: StringList, Default: []string{"physician"}, Doc: "roles that may take emergency access (break-glass)", OneOf: roleNames},
	{Key: AcceptableUseFile, Kind: String, Default: "", Doc: "file with the organisation's acceptable-use text; each user accepts it at first sign-in and whenever it changes (empty: none)"},
	{Key: TOTPRequiredRoles, Kind: StringList, Default: []string{}, Doc: "roles that must sign in with a TOTP code as well", OneOf: roleNames},
	{Key: LockoutAttempts, Kind: Int, Default: 5, Doc: "failed sign-ins before the account is locked out", Min: 1, Max: 100},
	{Key: LockoutBackoff, Kind: Duration, Default: 30 * time.Second, Doc: "first lockout; each further one doubles, up to a day", Check: checkDuration(time.Second, 24*time.Hour)},
	{Key: InitialAdmins, Kind: StringList, Default: []string{}, Doc: "OS accounts that may create the first Vellum admin while none exists"},
	{Key: AdminEnrollmentSecret, Kind: String, Default: "", Secret: true, Doc: "secret that allows creating the first admin (instead of initial_admins)"},
	{Key: RetentionSignedDays, Kind: Int, Default: 30, Doc: "days after signing that an exported note is purged (0: keep)", Min: 0, Max: 3650},
	{Key: RetentionDraftDays, Kind: Int, Default: 0, Doc: "days after the last change that a draft is purged (0: keep)", Min: 0, Max: 3650},
	{Key: ModelsFolder, Kind: String, Default: "", Doc: "managed folder of GGUF models (empty: the platform default)"},
	{Key: ModelAllowlist, Kind: StringList, Default: []string{}, Doc: "SHA-256 digests of the models that may be loaded (empty: none)", Check: checkDigests},
	{Key: DefaultModel, Kind: String, Default: "", UserSettable: true, Doc: "model used for drafting (file name or SHA-256)"},
	{Key: DefaultTemplate, Kind: String, Default: "soap", UserSettable: true, Doc: "note template used by default"},
	{Key: Hotkey, Kind: String, Default: "Ctrl+Shift+Space", UserSettable: true, Doc: "global dictation hotkey, such as Ctrl+Shift+Space or Ctrl+Alt+D"},
	{Key: DictationMode, Kind: String, Default: "toggle", UserSettable: true, Doc: "how the hotkey dictates: toggle (a press starts, the next stops) or push-to-talk (dictates while held)", OneOf: []string{"toggle", "push-to-talk"}},
	{Key: DictationStopAfter, Kind: Duration, Default: 30 * time.Second, UserSettable: true, Doc: "dictation stops after this long without speech", Check: checkDuration(3*time.Second, 10*time.Minute)},
	{Key: DictationDevice, Kind: String, Default: "", UserSettable: true, Doc: "microphone, by the name the OS gives it (empty: the system's default)"},
	{Key: DictationVocabulary, Kind: StringList, Default: []string{}, Doc: "words recognition favours: drug names, the department's terms (a streaming transducer whose folder has its bpe.vocab)"},
	{Key: SpeechModel, Kind: String, Default: "", UserSettable: true, Doc: "speech model for dictation's live text: a folder under speech/ in the models folder (empty: the first allowed); an allowed Whisper model there hears each utterance again, whole"},
	{Key: LaunchAtLogin, Kind: Bool, Default: false, UserSettable: true, Doc: "start Vellum when the user signs in to the OS"},
	{Key: ExportFormats, Kind: StringList, Default: []string{"clipboard", "fhir"}, Doc: "ways a signed note may leave Vellum: clipboard and fhir for the EHR, deidentified for teaching or research (every identifier replaced by a made-up one; off unless listed)", OneOf: []string{"clipboard", "fhir", "deidentified"}},
	{Key: FHIRPatientSystem, Kind: String, Default: "", Doc: "URI of the identifier system of the hospital's MRNs, written into exported FHIR DocumentReferences (empty: left out)", Check: checkURI},
	{Key: KeepRunningInTray, Kind: Bool, Default: true, Doc: "closing the window leaves Vellum running (locked) in the system tray, where the OS has one"},
	{Key: ClipboardClearAfter, Kind: Duration, Default: time.Minute, Doc: "clear copied PHI from the clipboard after this long", Check: checkDuration(5*time.Second, time.Hour)},
	{Key: AllowOfflineShred, Kind: Bool, Default: false, Doc: "allow `vault shred` and retention purges while audit records cannot reach the collector (the disposal is recorded first)"},
	{Key: AllowTestModel, Kind: Bool, Default: true, Doc: "allow the project's test model (stories260K, which writes no clinical text) off the allowlist, labelled; set false in production"},
	{Key: InferenceThreads, Kind: Int, Default: 0, UserSettable: true, Doc: "CPU threads for inference (0: the physical cores)", Min: 0, Max: 256},
	{Key: InferenceContext, Kind: Int, Default: 0, UserSettable: true, Doc: "context size in tokens (0: the model's, capped at 8192)", Min: 0, Max: 131072},
	{Key: InferenceBatch, Kind: Int, Default: 0, UserSettable: true, Doc: "prompt tokens decoded per step (0: 512)", Min: 0, Max: 8192},
	{Key: InferenceGPULayers, Kind: Int, Default: -1, UserSettable: true, Doc: "model layers offloaded to the GPU (-1: every layer that fits; 0: CPU only)", Min: -1, Max: 1000},
	{Key: InferenceFlashAttn, Kind: String, Default: "auto", UserSettable: true, Doc: "flash attention: auto, on or off", OneOf: []string{"auto", "on", "off"}},
	{Key: Theme, Kind: String, Default: "system", UserSettable: true, Doc: "light, dark, high-contrast or system", OneOf: []string{"light", "dark", "high-contrast", "system"}},
}

var byKey = func() map[Key]*Definition {
	m := map[Key]*Definition{}
	for i := range Definitions {
		m[Definitions[i].Key] = &Definitions[i]
	}
	return m
}()

// Lookup returns the definition of k.
func Lookup(k Key) (*Definition, bool) {
	d, ok := byKey[k]
	return d, ok
}

// checkURI accepts an absolute URI (urn:oid:..., https://...), as FHIR's
// Identifier.system must be.
func checkURI(v any) error {
	s := v.(string)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || strings.ContainsAny(s, " \t\n") {
		return fmt.Errorf("must be an absolute URI, such as urn:oid:2.16.840.1.113883.19.5")
	}
	return nil
}

func checkDuration(min, max time.Duration) func(any) error {
	return func(v any) error {
		d := v.(time.Duration)
		if d < min || d > max {
			return fmt.Errorf("must be between %s and %s", min, max)
		}
		return nil
	}
}

func checkHTTPS(v any) error {
	if s := v.(string); s != "" && !strings.HasPrefix(s, "https://") {
		return fmt.Errorf("must be an https:// URL")
	}
	return nil
}

func checkHexLen(n int) func(any) error {
	return func(v any) error {
		s := v.(string)
		if s == "" {
			return nil
		}
		if b, err := hex.DecodeString(s); err != nil || len(b) != n {
			return fmt.Errorf("must be %d hex digits", 2*n)
		}
		return nil
	}
}

func checkRecipient(v any) error {
	if s := v.(string); s != "" {
		if _, err := age.ParseX25519Recipient(s); err != nil {
			return fmt.Errorf("must be an age X25519 recipient (age1...)")
		}
	}
	return nil
}

func checkDigests(v any) error {
	for _, s := range v.([]string) {
		if b, err := hex.DecodeString(s); err != nil || len(b) != 32 {
			return fmt.Errorf("%q is not a SHA-256 digest (64 hex digits)", s)
		}
	}
	return nil
}
