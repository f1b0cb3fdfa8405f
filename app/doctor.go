package app

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// CheckState is how a safeguard stands on this workstation.
type CheckState string

const (
	Pass CheckState = "pass"
	// Warn: in place, but weaker than it should be, or not yet provable.
	Warn CheckState = "warn"
	Fail CheckState = "fail"
	// NotApplicable: nothing to check here (no vault in this profile yet, say).
	NotApplicable CheckState = "n/a"
)

// Check is one technical safeguard as `vellum doctor` reports it: the control, the
// HIPAA Security Rule section it serves, its state, what shows it, and what to do.
type Check struct {
	// ID names the check for scripts, the same in every version and every state.
	ID       string     `json:"id"`
	Control  string     `json:"control"`
	Rule     string     `json:"rule"`
	Required bool       `json:"required"`
	State    CheckState `json:"state"`
	Evidence string     `json:"evidence"`
	Fix      string     `json:"fix,omitempty"`
}

// Failed says whether any required control failed.
func Failed(checks []Check) bool {
	return slices.ContainsFunc(checks, func(c Check) bool { return c.Required && c.State == Fail })
}

// DoctorOptions stand in for the OS where a test must; each nil is the OS's answer.
type DoctorOptions struct {
	// CoreDumps says whether this process could write a core dump, and how that
	// was found.
	CoreDumps func() (bool, string)
	// FreeBytes is the space free on the filesystem of dir.
	FreeBytes func(dir string) (uint64, error)
	// DialTimeout bounds the TLS handshake with the collector; 10 s if 0.
	DialTimeout time.Duration
}

// The thresholds doctor holds a workstation to.
const (
	// maxIdleLock is the longest idle lock doctor passes: common guidance for
	// clinical workstations, not a number of the Security Rule's.
	maxIdleLock = 15 * time.Minute
	// maxUndelivered is how long records may wait for the collector before doctor
	// fails the audit control.
	maxUndelivered = 24 * time.Hour
	// journalSpaceFail and journalSpaceWarn are the free space the profile's disk
	// needs for the vault and the journal to keep growing.
	journalSpaceFail = 100 << 20
	journalSpaceWarn = 1 << 30
)

// Doctor checks each technical safeguard on this workstation and profile, and
// reports them in a fixed order. It reads no note, and needs nobody signed in: it
// opens the vault where there is one (with the keychain's key, as any command does),
// verifies the audit chain, and speaks to the collector only for a TLS handshake.
func (a *App) Doctor(ctx context.Context, o DoctorOptions) []Check {
	snap := a.Policy()
	var out []Check
	add := func(c Check) { out = append(out, c) }

	// The vault: encrypted on disk, its key in the keychain alone. Opening it is
	// what proves both (the open checks that pages are encrypted); it is opened as
	// any command opens it, which may record a policy change or finish a migration.
	encrypted := Check{ID: "vault-encrypted", Control: "Notes encrypted at rest", Rule: "164.312(a)(2)(iv)", Required: true}
	key := Check{ID: "vault-key", Control: "Vault key in the OS keychain", Rule: "164.312(a)(2)(iv)", Required: true}
	vaultOpen := false
	if !vault.Exists(a.dir) {
		encrypted.State, encrypted.Evidence = NotApplicable, "no vault in "+a.dir+" yet: it is created, encrypted, at the first sign-in"
		key.State, key.Evidence = NotApplicable, encrypted.Evidence
	} else {
		if a.v() == nil {
			err := a.OpenVault(ctx, false)
			switch {
			case err == nil:
			case errors.Is(err, vault.ErrKeychainLocked), errors.Is(err, vault.ErrKeychainUnavailable):
				key.State, key.Evidence = Warn, err.Error()
				key.Fix = "run doctor in the user's desktop session, with the keychain unlocked"
			case errors.Is(err, vault.ErrNotEncrypted):
				encrypted.State, encrypted.Evidence = Fail, err.Error()
				encrypted.Fix = "restore from a backup into a new profile; report it as a security incident"
			default:
				key.State, key.Evidence = Fail, err.Error()
				key.Fix = "restore the key with `vellum vault recover --identity FILE`, or the notes from a backup (`vellum vault restore`)"
			}
		}
		if a.v() != nil {
			vaultOpen = true
			encrypted.State, encrypted.Evidence = Pass, "the vault opened encrypted: SQLCipher format, AES-256 pages with HMAC-SHA512"
			key.State, key.Evidence = Pass, "the vault opened with the key from the OS keychain"
		}
		if encrypted.State == "" {
			encrypted.State, encrypted.Evidence = Warn, "not proven: the vault could not be opened"
			if enc, err := vault.EncryptedOnDisk(a.dir); err == nil && !enc {
				encrypted.State, encrypted.Evidence = Fail, "the vault file is plaintext SQLite"
				encrypted.Fix = "restore from a backup into a new profile; report it as a security incident"
			} else if err != nil {
				encrypted.State, encrypted.Evidence = Fail, err.Error()
				encrypted.Fix = "restore the notes from a backup (`vellum vault restore`)"
			}
		}
	}
	add(encrypted)
	add(key)

	// Escrow: a lost keychain must not lose the notes.
	escrow := Check{ID: "key-escrow", Control: "Vault key escrow", Rule: "164.308(a)(7)(ii)(B)", Required: true}
	r := snap.Get(policy.RecoveryRecipient)
	want := r.Value.(string)
	switch {
	case want == "":
		escrow.State, escrow.Evidence = Fail, "policy sets no recovery_recipient: a lost keychain would lose this profile's notes"
		escrow.Fix = "set recovery_recipient (an age1... recipient whose identity IT keeps offline) in machine policy"
	case !vaultOpen:
		escrow.State, escrow.Evidence = Pass, "policy encrypts the vault key and backups to "+short(want)+" (from "+origin(r)+"); no vault open to check its escrow file"
	default:
		to, present := a.v().EscrowedTo()
		switch {
		case !present:
			escrow.State, escrow.Evidence = Fail, "the vault has no escrow file"
			escrow.Fix = "start Vellum once as this user: it writes the escrow for policy's recipient"
		case to != want:
			escrow.State, escrow.Evidence = Fail, "the escrow file is for "+short(to)+", not policy's "+short(want)
			escrow.Fix = "start Vellum once as this user: it writes the escrow anew"
		default:
			escrow.State, escrow.Evidence = Pass, "the vault key is escrowed to "+short(want)+" (from "+origin(r)+")"
		}
	}
	add(escrow)

	add(a.collectorCheck(ctx, snap, o.DialTimeout))
	if vaultOpen {
		out = append(out, a.journalChecks(ctx)...)
	} else {
		none := "no vault open in this profile: no journal to check"
		add(Check{ID: "audit-chain", Control: "Audit trail intact", Rule: "164.312(c)(1)", Required: true, State: NotApplicable, Evidence: none})
		add(Check{ID: "audit-delivered", Control: "Audit records delivered", Rule: "164.312(b)", Required: true, State: NotApplicable, Evidence: none})
	}

	// Policy: where the settings come from, and the security settings the
	// organisation has not set.
	var sources, unset []string
	for _, st := range snap.All() {
		if st.Locked() && !slices.Contains(sources, st.Source) {
			sources = append(sources, st.Source)
		}
	}
	for _, k := range []policy.Key{policy.CollectorURL, policy.CollectorCA, policy.RecoveryRecipient, policy.ModelAllowlist,
		policy.AllowTestModel, policy.TOTPRequiredRoles, policy.IdleTimeout} {
		if !snap.Get(k).Locked() {
			unset = append(unset, string(k))
		}
	}
	c := Check{ID: "policy-managed", Control: "Security settings managed by policy", Rule: "164.308(a)(1)(ii)(B)", Required: true, State: Pass,
		Evidence: "every security setting is the organisation's, from " + strings.Join(sources, ", ")}
	switch {
	case len(sources) == 0:
		c.State, c.Evidence = Fail, "no setting comes from the organisation: every one is a default or the user's"
		c.Fix = "install the machine policy (the installer's properties, Group Policy, a configuration profile, /etc/vellum/policy.json)"
	case len(unset) > 0:
		c.State, c.Evidence = Warn, "the organisation leaves "+strings.Join(unset, ", ")+" at the default"
		c.Fix = "set them in machine policy"
	}
	add(c)

	idle := snap.Get(policy.IdleTimeout)
	c = Check{ID: "idle-lock", Control: "Automatic logoff", Rule: "164.312(a)(2)(iii)", Required: true, State: Pass,
		Evidence: fmt.Sprintf("the session locks after %v idle (from %s)", idle.Value, origin(idle))}
	if d := idle.Value.(time.Duration); d > maxIdleLock {
		c.State, c.Fix = Warn, fmt.Sprintf("set idle_timeout to %v or less", maxIdleLock)
	}
	add(c)

	add(mfaCheck(snap))

	bg := snap.Strings(policy.BreakGlassRoles)
	alerted := "recorded, and alerted by the collector"
	if snap.String(policy.CollectorURL) == "" {
		alerted = "recorded (no collector to alert)"
	}
	c = Check{ID: "emergency-access", Control: "Emergency access", Rule: "164.312(a)(2)(ii)", Required: true, State: Pass,
		Evidence: fmt.Sprintf("break-glass for %s, %v at a time, each use %s", strings.Join(bg, ", "), snap.Duration(policy.BreakGlassDuration), alerted)}
	if len(bg) == 0 {
		c.State, c.Evidence, c.Fix = Fail, "no role may take emergency access", "set break_glass_roles (physician, at least)"
	}
	add(c)

	add(a.modelsCheck(ctx, snap))

	if o.CoreDumps == nil {
		o.CoreDumps = coreDumps
	}
	if o.FreeBytes == nil {
		o.FreeBytes = freeBytes
	}
	{
		dumps, how := o.CoreDumps()
		c = Check{ID: "core-dumps", Control: "No memory dumps of PHI", Rule: "164.312(a)(1)", Required: true, State: Pass, Evidence: how}
		if dumps {
			c.State, c.Fix = Fail, "Vellum could not turn core dumps off in this process: check the OS's limits (ulimit -c, WER policy)"
		}
		add(c)
	}

	{
		free, err := o.FreeBytes(existingParent(a.dir))
		c = Check{ID: "disk-space", Control: "Disk space for the journal", Rule: "164.312(b)", Required: true, State: Pass,
			Evidence: fmt.Sprintf("%d MB free where the profile is", free>>20)}
		switch {
		case err != nil:
			c.State, c.Evidence, c.Fix = Warn, err.Error(), "check the profile's disk"
		case free < journalSpaceFail:
			c.State, c.Fix = Fail, "free space: under 100 MB, new records and notes cannot be kept"
		case free < journalSpaceWarn:
			c.State, c.Fix = Warn, "free space: under 1 GB"
		}
		add(c)
	}

	add(launchAtLoginCheck(snap))

	if vaultOpen {
		add(a.sharedAccountCheck(ctx))
	} else {
		add(Check{ID: "shared-account", Control: "One OS account per person", Rule: "164.312(a)(2)(i)", State: NotApplicable,
			Evidence: "no vault open in this profile"})
	}
	return out
}

// collectorCheck: a collector over TLS, its CA pinned, and a handshake with it.
func (a *App) collectorCheck(ctx context.Context, snap policy.Snapshot, timeout time.Duration) Check {
	c := Check{ID: "collector-tls", Control: "Audit delivery over TLS, CA pinned", Rule: "164.312(e)(1)", Required: true}
	raw, caPEM := snap.String(policy.CollectorURL), snap.String(policy.CollectorCA)
	if raw == "" || caPEM == "" {
		c.State, c.Evidence = Fail, "policy sets no collector (collector_url and collector_ca): the journal stays on this workstation"
		c.Fix = "set collector_url and collector_ca in machine policy, then `vellum audit enroll` as an admin"
		return c
	}
	pool := x509.NewCertPool()
	block, _ := pem.Decode([]byte(caPEM))
	if block == nil || !pool.AppendCertsFromPEM([]byte(caPEM)) {
		c.State, c.Evidence, c.Fix = Fail, "collector_ca holds no PEM certificate", "set collector_ca to the PEM of the CA that signs the collector's certificate"
		return c
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		c.State, c.Evidence, c.Fix = Fail, "collector_url is not an https:// URL", "set collector_url to the collector's https:// address"
		return c
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: timeout},
		Config: &tls.Config{RootCAs: pool, ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := d.DialContext(dctx, "tcp", host)
	var verr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &verr):
		c.State, c.Evidence = Fail, fmt.Sprintf("%s: its certificate is not one the pinned CA signed: %v", u.Host, err)
		c.Fix = "set collector_ca to the CA that signs the collector's certificate, or check that collector_url is the collector"
		return c
	case err != nil:
		c.State, c.Evidence = Warn, fmt.Sprintf("%s: no TLS handshake: %v", u.Host, err)
		c.Fix = "check that the collector runs and that this workstation reaches it"
		return c
	}
	defer conn.Close()
	st := conn.(*tls.Conn).ConnectionState()
	c.State = Pass
	c.Evidence = fmt.Sprintf("%s: %s with a certificate signed by the pinned CA (%s)", u.Host, tls.VersionName(st.Version), subject(block))
	return c
}

// subject names the pinned CA: its common name, where it has one, and the start of
// its SHA-256 fingerprint.
func subject(block *pem.Block) string {
	sum := sha256.Sum256(block.Bytes)
	fp := "SHA-256 " + hex.EncodeToString(sum[:8]) + "…"
	if cert, err := x509.ParseCertificate(block.Bytes); err == nil && cert.Subject.CommonName != "" {
		return cert.Subject.CommonName + ", " + fp
	}
	return fp
}

// journalChecks: the chain verifies, and the records of every device chain in the
// journal (keys lost with an old keychain included) reach the collector.
func (a *App) journalChecks(ctx context.Context) []Check {
	v := a.v()
	rows, bad, err := a.verifyChains(ctx, v)
	chain := Check{ID: "audit-chain", Control: "Audit trail intact", Rule: "164.312(c)(1)", Required: true, State: Pass}
	records := 0
	for _, r := range rows {
		records += r.Records
	}
	switch {
	case err != nil:
		chain.State, chain.Evidence, chain.Fix = Fail, err.Error(), "run `vellum vault check` as an admin"
	case bad != nil:
		chain.State, chain.Evidence = Fail, bad.Error()
		chain.Fix = "keep this workstation as it is and report it: the collector holds the delivered copy"
	default:
		chain.Evidence = fmt.Sprintf("%d records on %d device chains, every hash and signature verified", records, len(rows))
	}
	delivered := Check{ID: "audit-delivered", Control: "Audit records delivered", Rule: "164.312(b)", Required: true}
	up, err := a.uploader(v, a.Device())
	if err != nil {
		delivered.State, delivered.Evidence = Fail, err.Error()
		delivered.Fix = "set collector_url and collector_ca, then `vellum audit enroll` as an admin"
		return []Check{chain, delivered}
	}
	devices, err := v.AuditDevices(ctx)
	if err != nil {
		delivered.State, delivered.Evidence = Warn, "the delivery state cannot be read: "+err.Error()
		return []Check{chain, delivered}
	}
	var pending uint64
	var oldest time.Time // the least recent delivery of a device with records waiting
	never := false
	for _, d := range devices {
		u := *up
		u.Device = d
		p, last, ok := a.DeliveryStatus(ctx, &u)
		if !ok {
			delivered.State, delivered.Evidence = Warn, "the delivery state of device "+d+" cannot be read"
			return []Check{chain, delivered}
		}
		if p == 0 {
			continue
		}
		pending += p
		if last.IsZero() {
			never = true
		} else if oldest.IsZero() || last.Before(oldest) {
			oldest = last
		}
	}
	switch {
	case pending > 0 && never:
		delivered.State, delivered.Evidence = Fail, fmt.Sprintf("%d records wait; a device chain has never been delivered", pending)
		delivered.Fix = "`vellum audit enroll` as an admin (once), then `vellum audit sync`; the desktop delivers every minute"
	case pending > 0 && a.now().Sub(oldest) > maxUndelivered:
		delivered.State, delivered.Evidence = Fail, fmt.Sprintf("%d records wait; the oldest delivery was %s", pending, oldest.Format(time.RFC3339))
		delivered.Fix = "check the collector and the network; `vellum audit sync` delivers now"
	default:
		delivered.State = Pass
		delivered.Evidence = fmt.Sprintf("%d records wait, on %d device chains", pending, len(devices))
		if !oldest.IsZero() {
			delivered.Evidence += "; the last delivery was " + oldest.Format(time.RFC3339)
		}
	}
	return []Check{chain, delivered}
}

// mfaCheck: which roles must give a TOTP code as well as a password.
func mfaCheck(snap policy.Snapshot) Check {
	roles := snap.Strings(policy.TOTPRequiredRoles)
	var without []string
	for _, r := range []access.Role{access.Admin, access.Auditor, access.Physician, access.Scribe} {
		if !slices.Contains(roles, string(r)) {
			without = append(without, string(r))
		}
	}
	c := Check{ID: "mfa", Control: "Multi-factor sign-in", Rule: "164.312(d)", Required: true, State: Pass,
		Evidence: "every role signs in with a password and a TOTP code"}
	switch {
	case slices.Contains(without, string(access.Admin)):
		c.State, c.Evidence = Fail, "admins sign in with a password alone (the Rule asks for authentication; Vellum asks admins for two factors)"
		c.Fix = "add admin (and auditor) to totp_required_roles"
	case len(without) > 0:
		c.State, c.Evidence = Warn, fmt.Sprintf("%s sign in with a password alone (TOTP for %s)", strings.Join(without, ", "), strings.Join(roles, ", "))
		c.Fix = "add them to totp_required_roles where the workflow allows"
	}
	return c
}

// modelsCheck: only models on the allowlist run, and the test model is refused.
func (a *App) modelsCheck(ctx context.Context, snap policy.Snapshot) Check {
	c := Check{ID: "models", Control: "Only approved models run", Rule: "164.308(a)(1)(ii)(B)", Required: true, State: Pass}
	entries, err := a.Models(ctx)
	if err != nil {
		c.State, c.Evidence, c.Fix = Warn, err.Error(), "check models_folder"
		return c
	}
	var allowed, other int
	for _, e := range entries {
		if e.Status == models.Allowed {
			allowed++
		} else {
			other++
		}
	}
	for _, m := range a.Catalog().Speech() {
		if m.Status == models.Allowed {
			allowed++
		} else {
			other++
		}
	}
	c.Evidence = fmt.Sprintf("%d allowed and %d refused or incomplete models in %s; every load is hashed against model_allowlist", allowed, other, a.Catalog().Dir)
	if snap.Bool(policy.AllowTestModel) {
		c.State = Fail
		c.Evidence += "; the project's test model is admitted off the allowlist"
		c.Fix = "set allow_test_model false in machine policy"
	}
	return c
}

// sharedAccountCheck: the vault key is the OS account's, so everyone who signs in to
// Vellum under one OS account shares what protects it.
func (a *App) sharedAccountCheck(ctx context.Context) Check {
	c := Check{ID: "shared-account", Control: "One OS account per person", Rule: "164.312(a)(2)(i)", State: Pass}
	users, err := a.v().Users(ctx)
	if err != nil {
		c.State, c.Evidence = Warn, err.Error()
		return c
	}
	active := 0
	for _, u := range users {
		if !u.Disabled && u.Role != access.Admin {
			active++
		}
	}
	c.Evidence = fmt.Sprintf("%d people other than admins use this profile", active)
	if active > 1 {
		c.State = Warn
		c.Evidence += ": they share this OS account, its keychain and the vault key in it"
		c.Fix = "give each clinician an OS account of their own (Vellum's own sign-in and note keys still keep them apart)"
	}
	return c
}

func origin(s policy.Setting) string {
	if s.Source == "" {
		return "the default"
	}
	return s.Source
}

func short(s string) string {
	if len(s) > 16 {
		return s[:12] + "…"
	}
	return s
}

// existingParent is dir, or its nearest parent that exists (a profile not made yet
// will be made on that disk).
func existingParent(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		dir = up
	}
}

// launchAtLoginCheck: launch at login as policy says, by the installer's entry for
// every account or this account's own (autostart.go), and once.
func launchAtLoginCheck(snap policy.Snapshot) Check {
	user := userAutostart("").IsEnabled()
	machine, onMachine := machineAutostart()
	setting := snap.Get(policy.LaunchAtLogin)
	want := setting.Value.(bool)
	every := "none"
	if onMachine {
		every = machine.Where
		if machine.Broken != "" {
			every += ", which cannot work: " + machine.Broken
		}
	}
	c := Check{ID: "autostart", Control: "Launch at login (audit delivery runs)", Rule: "164.312(b)", State: Pass,
		Evidence: fmt.Sprintf("launch_at_login is %v (%s); the installer's entry for every account: %s; this OS account's own entry is %s",
			want, setting.Origin, every, map[bool]string{true: "present", false: "absent"}[user])}
	works := onMachine && machine.Broken == ""
	switch {
	case onMachine && machine.Broken != "":
		c.State, c.Fix = Warn, "repair or remove "+machine.Where+" ("+machine.Broken+")"
	case works && !want && setting.Locked():
		c.State, c.Fix = Warn, "the installer starts Vellum for every account though policy says not to: "+removeMachineEntry
	case works && !want:
		c.State, c.Fix = Warn, "the installer starts Vellum for every account: set launch_at_login to true by policy (GPO or configuration profile) if that is meant, else "+removeMachineEntry
	case works && user:
		c.State, c.Fix = Warn, "this account's own entry duplicates the installer's (on Linux it hides it): restart Vellum as this user, and it removes its own"
	case !works && user != want:
		c.State, c.Fix = Warn, "restart Vellum as this user: it sets launch at login as policy says"
	}
	return c
}
