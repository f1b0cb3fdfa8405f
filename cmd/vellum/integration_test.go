package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/dictation/sherpa"
)

// These tests drive the real binary the way a user or an IT script does (restic's
// cmd/restic/integration_test.go style), against the Secret Service of the session that
// `make test` starts (scripts/with-keyring.sh).

var vellumBin, collectorBin string

// testBinDirEnv names a folder whose vellum and vellum-collector this test binary uses
// instead of building its own.
const testBinDirEnv = "VELLUM_TEST_BIN_DIR"

func TestMain(m *testing.M) {
	sherpa.RunProbe() // a speech model's trial load, started by a desktop core under test
	dir, err := os.MkdirTemp("", "vellum-bin-")
	if err != nil {
		panic(err)
	}
	vellumBin = filepath.Join(dir, "vellum")
	collectorBin = filepath.Join(dir, "vellum-collector")
	if d := os.Getenv(testBinDirEnv); d != "" {
		// A test run again by a test (in a namespace, say): the binaries are built.
		vellumBin, collectorBin = filepath.Join(d, "vellum"), filepath.Join(d, "vellum-collector")
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	buildCollector := exec.Command("go", "build", "-tags", "libsqlite3", "-o", collectorBin, "../vellum-collector")
	buildCollector.Stderr = os.Stderr
	if err := buildCollector.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build vellum-collector:", err)
		os.Exit(1)
	}
	// vellumtest lets VELLUM_TEST_POLICY_DIR stand in for /etc/vellum; nothing else
	// differs from the shipped binary.
	build := exec.Command("go", "build", "-tags", "libsqlite3,llamacpp,vellumtest", "-o", vellumBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build vellum:", err)
		os.Exit(1)
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "the CLI tests need a Secret Service (run them with `make test`)")
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "SKIP cmd/vellum tests: no D-Bus session; run them with `make test`")
		os.Exit(0)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// sandbox is one user's world: profile, HOME, TMPDIR and cache all in a test directory,
// so that the canary test can search every place a leak could land.
type sandbox struct {
	t                                 testing.TB
	profile, home, tmp, cache, policy string
	extraEnv                          []string
	// wrap, where set, runs the binary under this command (strace, in the egress
	// test).
	wrap []string
}

func newSandbox(t testing.TB) *sandbox {
	root := t.TempDir()
	s := &sandbox{t: t, profile: filepath.Join(root, "profile"), home: filepath.Join(root, "home"),
		tmp: filepath.Join(root, "tmp"), cache: filepath.Join(root, "cache"), policy: filepath.Join(root, "etc-vellum")}
	for _, d := range []string{s.home, s.tmp, s.cache, s.policy} {
		os.MkdirAll(d, 0o700)
	}
	// No collector in these tests: the cleanup's shred needs offline shredding.
	os.WriteFile(filepath.Join(s.policy, "installer.json"), []byte(`{"allow_offline_shred": true}`), 0o644)
	t.Cleanup(func() {
		// Crypto-shred what the test made, so the keyring holds no orphan entries
		// (allowed: the tests run as an OS administrator).
		s.run("", "logout")
		s.run("", "vault", "shred", "--yes")
	})
	return s
}

// machinePolicy writes the installer's policy file (offline shredding stays allowed,
// for the cleanup): the only place the escrow recipient may come from.
func (s *sandbox) machinePolicy(p map[string]any) {
	s.t.Helper()
	p["allow_offline_shred"] = true
	b, _ := json.Marshal(p)
	if err := os.WriteFile(filepath.Join(s.policy, "installer.json"), b, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// The synthetic users every sandbox can have. The tests run as root (CI does), an OS
// administrator, so the first admin needs no policy.
const (
	adminName = "it.admin"
	docName   = "dr.test"
	testPW    = "synthetic-password-1"
)

// setup creates the admin and a physician and signs the physician in.
func (s *sandbox) setup() {
	s.t.Helper()
	s.ok(testPW+"\n", "users", "add", adminName, "--role", "admin")
	s.as(adminName)
	s.ok(testPW+"\n", "users", "add", docName, "--role", "physician", "--display-name", "Dr Test")
	s.as(docName)
}

// as signs in as name (every sandbox user has testPW).
func (s *sandbox) as(name string) {
	s.t.Helper()
	s.ok(testPW+"\n", "login", name)
}

// auditRecords signs in as an auditor or admin (name) and returns the journal.
func (s *sandbox) auditRecords(name string) []map[string]any {
	s.t.Helper()
	s.as(name)
	out := s.ok("", "audit", "tail", "-n", "100000", "--json").stdout
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			s.t.Fatalf("audit tail printed %q", line)
		}
		recs = append(recs, r)
	}
	return recs
}

type result struct {
	code           int
	stdout, stderr string
}

func (s *sandbox) run(stdin string, args ...string) result {
	s.t.Helper()
	cmd := exec.Command(vellumBin, args...)
	if len(s.wrap) > 0 {
		cmd = exec.Command(s.wrap[0], append(append(s.wrap[1:], vellumBin), args...)...)
	}
	cmd.Env = append(os.Environ(),
		"VELLUM_PROFILE="+s.profile, "HOME="+s.home, "TMPDIR="+s.tmp, "XDG_CACHE_HOME="+s.cache,
		"VELLUM_TEST_POLICY_DIR="+s.policy, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"))
	cmd.Env = append(cmd.Env, s.extraEnv...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		s.t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func (s *sandbox) ok(stdin string, args ...string) result {
	s.t.Helper()
	r := s.run(stdin, args...)
	if r.code != 0 {
		s.t.Fatalf("vellum %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

const canary = "CANARY-41d9-Philomena-Brackenridge-MRN-000000"

func TestNotesLifecycleThroughTheCLI(t *testing.T) {
	s := newSandbox(t)
	s.setup()
	id := strings.TrimSpace(s.ok("", "notes", "add", "--title", "SOAP note", "--patient", "SYN-1", "--body", "Cough and wheeze; start salbutamol.").stdout)
	if !strings.HasPrefix(id, "n_") {
		t.Fatalf("notes add printed %q, want a note id", id)
	}
	s.ok("Title: From stdin\nPatient: SYN-2\n\nS: synthetic\nO: fine\n", "notes", "add", "--file", "-")

	var notes []map[string]any
	json.Unmarshal([]byte(s.ok("", "notes", "list", "--json").stdout), &notes)
	if len(notes) != 2 {
		t.Fatalf("notes list --json = %d notes, want 2", len(notes))
	}
	if out := s.ok("", "notes", "search", "salbutamol").stdout; !strings.Contains(out, id) || !strings.Contains(out, "«salbutamol»") {
		t.Fatalf("notes search output:\n%s", out)
	}
	if out := s.ok("", "notes", "show", id).stdout; !strings.Contains(out, "Cough and wheeze") {
		t.Fatalf("notes show output:\n%s", out)
	}
	s.ok("Title: SOAP note\n\nCough and wheeze; start salbutamol. Review in 48 h.\n", "notes", "edit", id, "--file", "-")
	s.ok("", "notes", "sign", id)
	if r := s.run("x\n", "notes", "edit", id, "--file", "-"); r.code != 1 || !strings.Contains(r.stderr, "signed") {
		t.Fatalf("editing a signed note: exit %d, %s", r.code, r.stderr)
	}
	if r := s.run("", "notes", "delete", id); r.code != 1 || !strings.Contains(r.stderr, "signed") {
		t.Fatalf("deleting a signed note: exit %d, %s", r.code, r.stderr)
	}
	s.ok("", "notes", "exported", id)
	if out := s.ok("", "notes", "show", id).stdout; !strings.Contains(out, "Signed: ") || !strings.Contains(out, "by "+docName) {
		t.Fatalf("signed note shows:\n%s", out)
	}

	s.as(adminName)
	var info map[string]any
	json.Unmarshal([]byte(s.ok("", "vault", "check", "--json").stdout), &info)
	if info["integrity"] != "ok" || info["cipher"] != "sqlcipher" || info["synchronous"] != "FULL" || info["notes"] != 2.0 {
		t.Fatalf("vault check --json = %v", info)
	}
	s.ok("", "vault", "rekey")
	s.as(docName)
	if out := s.ok("", "notes", "show", id).stdout; !strings.Contains(out, "Cough and wheeze") {
		t.Fatal("note unreadable after rekey")
	}
}

func TestUsageErrorsExitTwoAndHelpExitsZero(t *testing.T) {
	s := newSandbox(t)
	for _, args := range [][]string{{"--help"}, {"notes", "--help"}, {"vault", "backup", "--help"}} {
		r := s.run("", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Example:") {
			t.Errorf("vellum %v: exit %d, output lacks an example:\n%s", args, r.code, r.stdout)
		}
	}
	for _, args := range [][]string{{"frobnicate"}, {"notes", "add"}, {"notes", "show"}, {"vault", "shred"}, {"notes", "list", "--bogus"}} {
		if r := s.run("", args...); r.code != 2 {
			t.Errorf("vellum %v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

func TestNoSecretServiceIsAClearErrorAndChangesNothing(t *testing.T) {
	s := newSandbox(t)
	s.setup()
	s.ok("", "notes", "add", "--title", "t", "--body", "b")
	before := tree(t, s.profile)
	s.extraEnv = []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus")}
	r := s.run("", "notes", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "keychain is not available (no Secret Service") || !strings.Contains(r.stderr, "dbus-run-session") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if after := tree(t, s.profile); after != before {
		t.Fatalf("the profile changed:\n%s\n---\n%s", before, after)
	}
	s.extraEnv = nil
}

func TestLockedKeychainIsNamedAndChangesNothing(t *testing.T) {
	// A keyring session of its own: locking the shared one would fail other tests.
	profile := filepath.Join(t.TempDir(), "profile")
	script := `set -e
printf '%s\n' "$PW" | "$VELLUM" users add it.admin --role admin >/dev/null 2>&1
printf '%s\n' "$PW" | "$VELLUM" login it.admin 2>/dev/null
cp -a "$VELLUM_PROFILE" "$SNAPSHOT"
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
"$VELLUM" vault check`
	cmd := exec.Command("../../scripts/with-keyring.sh", "bash", "-c", script)
	snapshot := filepath.Join(t.TempDir(), "snapshot")
	cmd.Env = append(os.Environ(), "VELLUM_IN_KEYRING_SESSION=", "VELLUM="+vellumBin, "VELLUM_PROFILE="+profile, "SNAPSHOT="+snapshot, "PW="+testPW)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("want exit 1, got %v:\n%s", err, out)
	}
	if !strings.Contains(string(out), "keychain is locked") {
		t.Fatalf("output does not say the keychain is locked:\n%s", out)
	}
	if tree(t, profile) != tree(t, snapshot) {
		t.Fatal("a refused open changed the profile")
	}
}

func TestWrongKeyIsNamedWithARemedy(t *testing.T) {
	a, b := newSandbox(t), newSandbox(t)
	a.setup()
	b.setup()
	a.ok("", "notes", "add", "--title", "a", "--body", "x")
	b.ok("", "notes", "add", "--title", "b", "--body", "y")
	vaultDB, _ := os.ReadFile(filepath.Join(b.profile, "vault.db"))
	os.WriteFile(filepath.Join(a.profile, "vault.db"), vaultDB, 0o600)
	r := a.run("", "notes", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "belongs to another profile") || !strings.Contains(r.stderr, "vault recover") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestBackupRestoreAndRecoveryThroughTheCLI(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	idFile := filepath.Join(t.TempDir(), "recovery.key")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)

	s := newSandbox(t)
	s.machinePolicy(map[string]any{"recovery_recipient": id.Recipient().String()})
	s.setup()
	for i := 0; i < 5; i++ {
		s.ok("", "notes", "add", "--title", fmt.Sprintf("note %d", i), "--body", fmt.Sprintf("synthetic body %d", i))
	}
	backup := filepath.Join(t.TempDir(), "notes.vbk")
	want := s.ok("", "notes", "list", "--json").stdout
	s.as(adminName)
	made := s.ok("", "vault", "backup", backup).stderr
	_, device, _ := strings.Cut(made, "signed by device ")
	device = strings.TrimSpace(device)

	// Restore into a fresh profile, as its new admin: a backup of another workstation
	// counts only once the admin names the device that signed it; then every note comes
	// back, and so does the physician they belong to.
	fresh := newSandbox(t)
	fresh.ok(testPW+"\n", "users", "add", "new.admin", "--role", "admin")
	fresh.as("new.admin")
	if r := fresh.run("", "vault", "restore", backup, "--identity", idFile); r.code != 1 || !strings.Contains(r.stderr, "signed by device "+device) {
		t.Fatalf("restore of another device's backup without --signer: exit %d\n%s", r.code, r.stderr)
	}
	r := fresh.ok("", "vault", "restore", backup, "--identity", idFile, "--signer", device, "--json")
	var res struct {
		Added      int      `json:"added"`
		UsersAdded []string `json:"users_added"`
	}
	json.Unmarshal([]byte(r.stdout), &res)
	if res.Added != 5 || len(res.UsersAdded) != 2 {
		t.Fatalf("restore: %s", r.stdout)
	}
	// Restored users arrive disabled until an admin enables them.
	if r := fresh.run(testPW+"\n", "login", docName); r.code != 1 || !strings.Contains(r.stderr, "disabled") {
		t.Fatalf("a restored user signed in before being enabled: exit %d\n%s", r.code, r.stderr)
	}
	fresh.ok("", "users", "enable", docName)
	// The notes came sealed to the physician's note key, which nobody holds on this
	// workstation yet: the physician signs in (making their user key here), the admin
	// gives them their note key from the escrow, and at their next sign-in every note
	// reads as it did.
	fresh.as(docName)
	if got := fresh.ok("", "notes", "list").stdout; !strings.Contains(got, "(sealed to its physician)") {
		t.Fatalf("restored notes before their key is recovered:\n%s", got)
	}
	fresh.as("new.admin")
	fresh.ok("", "vault", "recover-keys", "--identity", idFile)
	fresh.as(docName)
	if got := fresh.ok("", "notes", "list", "--json").stdout; got != want {
		t.Fatalf("restored notes differ:\n%s\n---\n%s", got, want)
	}

	// Lose the keychain entry, then recover from the escrow.
	s.ok("", "vault", "rekey")
	var info struct {
		VaultID string `json:"vault_id"`
	}
	json.Unmarshal([]byte(s.ok("", "vault", "check", "--json").stdout), &info)
	// Remove this vault's entry only: other tests share the keyring.
	if out, err := exec.Command("secret-tool", "clear", "service", "vellum", "username", "vault:"+info.VaultID).CombinedOutput(); err != nil {
		t.Fatalf("secret-tool clear: %v %s", err, out)
	}
	if r := s.run("", "notes", "list"); r.code != 1 || !strings.Contains(r.stderr, "not in the keychain") {
		t.Fatalf("after keychain loss: exit %d\n%s", r.code, r.stderr)
	}
	s.ok("", "vault", "recover", "--identity", idFile)
	s.as(docName)
	if got := s.ok("", "notes", "list", "--json").stdout; got != want {
		t.Fatal("notes differ after recovery")
	}
}

// TestCanaryNeverLeavesTheVault runs every command with synthetic PHI and searches the
// profile (database, log, backups, access events), HOME, TMPDIR and the cache dir for it
// afterwards, and the output of the commands that print no note content.
func TestCanaryNeverLeavesTheVault(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	idFile := filepath.Join(t.TempDir(), "recovery.key")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)
	s := newSandbox(t)
	s.machinePolicy(map[string]any{"recovery_recipient": id.Recipient().String()})
	s.setup()
	var quiet []result // commands whose output must not carry note content
	nid := strings.TrimSpace(s.ok("Title: Note "+canary+"\nPatient: "+canary+"\n\nBody "+canary, "notes", "add", "--file", "-").stdout)
	for i := 0; i < 50; i++ {
		s.ok("", "notes", "add", "--title", fmt.Sprintf("filler %d %s", i, canary), "--body", strings.Repeat(canary+" ", 100))
	}
	s.ok("", "notes", "search", canary)
	s.ok("", "notes", "sign", nid)
	quiet = append(quiet, s.ok("", "notes", "exported", nid))
	s.as(adminName)
	quiet = append(quiet, s.ok("", "vault", "check"))
	quiet = append(quiet, s.ok("", "vault", "backup", filepath.Join(s.profile, "backup.vbk")))
	quiet = append(quiet, s.ok("", "vault", "rekey"))
	quiet = append(quiet, s.ok("", "vault", "purge", "--draft-days", "1"))
	quiet = append(quiet, s.run("", "notes", "show", "n_doesnotexist"))
	quiet = append(quiet, s.ok("", "audit", "verify"))
	quiet = append(quiet, s.ok("", "audit", "tail", "-n", "100000", "--json"))
	quiet = append(quiet, s.ok("", "audit", "tail", "-n", "100000"))

	for _, dir := range []string{s.profile, s.home, s.tmp, s.cache} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte("Philomena")) {
				t.Errorf("synthetic PHI found in %s", p)
			}
			return nil
		})
	}
	for _, r := range quiet {
		if strings.Contains(r.stdout+r.stderr, canary) {
			t.Errorf("synthetic PHI in command output: %s%s", r.stdout, r.stderr)
		}
	}
}

func tree(t *testing.T, dir string) string {
	var sb strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&sb, "%s %x\n", rel, b)
		return nil
	})
	return sb.String()
}

func TestPolicyShowsOriginsLocksAndRefusesMalformedFiles(t *testing.T) {
	s := newSandbox(t)
	os.MkdirAll(s.profile, 0o700)
	os.WriteFile(filepath.Join(s.profile, "prefs.json"), []byte(`{"theme": "dark", "hotkey": "Ctrl+Alt+V"}`), 0o600)
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"theme": "high-contrast", "idle_timeout": "5m", "site_key": "`+strings.Repeat("ab", 32)+`"}`), 0o644)
	var rows []struct {
		Key, Value, Origin string
		Locked             bool
	}
	json.Unmarshal([]byte(s.ok("", "policy", "show", "--json").stdout), &rows)
	got := map[string]string{}
	for _, r := range rows {
		got[r.Key] = fmt.Sprintf("%s|%s|%v", r.Value, r.Origin, r.Locked)
	}
	for k, want := range map[string]string{
		"theme":            "high-contrast|OS policy|true",
		"hotkey":           "Ctrl+Alt+V|user preferences|false",
		"idle_timeout":     "5m0s|OS policy|true",
		"site_key":         "(set)|OS policy|true", // secrets are never printed
		"lockout_attempts": "5|default|false",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	if out := s.ok("", "policy", "show").stdout; !strings.Contains(out, "managed by your organisation") || strings.Contains(out, "abab") {
		t.Errorf("policy show:\n%s", out)
	}

	// A malformed machine policy stops the command and names file, line and setting.
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte("{\n  \"idle_timeout\": 600\n}"), 0o644)
	r := s.run("", "policy", "show")
	if r.code != 1 || !strings.Contains(r.stderr, "policy.json, line 2, setting \"idle_timeout\"") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	os.Remove(filepath.Join(s.policy, "policy.json"))

	// A malformed user file is skipped with a warning.
	os.WriteFile(filepath.Join(s.profile, "prefs.json"), []byte(`{"idle_timeout": "1h"}`), 0o600)
	r = s.ok("", "policy", "show")
	if !strings.Contains(r.stderr, "ignoring your preferences") || !strings.Contains(r.stderr, "only machine policy") {
		t.Fatalf("stderr:\n%s", r.stderr)
	}
}

func TestAccessControlThroughTheCLI(t *testing.T) {
	s := newSandbox(t)
	// Policy names the OS accounts that may create the first admin, and requires TOTP
	// for admins. This OS account (an administrator) is not among them: refused.
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"initial_admins": ["it-lead-os-account"], "totp_required_roles": ["admin"]}`), 0o644)
	if r := s.run(testPW+"\n", "users", "add", "it.lead", "--role", "admin"); r.code != 1 || !strings.Contains(r.stderr, "initial_admins") {
		t.Fatalf("an OS account policy does not name: exit %d\n%s", r.code, r.stderr)
	}
	me, _ := user.Current()
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"initial_admins": ["`+me.Username+`"], "totp_required_roles": ["admin"]}`), 0o644)
	if r := s.run(testPW+"\n", "users", "add", "dr.first", "--role", "physician"); r.code != 1 || !strings.Contains(r.stderr, "create an admin first") {
		t.Fatalf("a physician before any admin: exit %d\n%s", r.code, r.stderr)
	}
	out := s.ok(testPW+"\n", "users", "add", "it.lead", "--role", "admin").stdout
	i := strings.Index(out, "otpauth://")
	if i < 0 {
		t.Fatalf("no TOTP enrollment printed for an admin:\n%s", out)
	}
	uri := strings.TrimSpace(out[i:])
	if r := s.run(testPW+"\n", "login", "it.lead"); r.code != 1 || !strings.Contains(r.stderr, "code") {
		t.Fatalf("admin login without a code: exit %d\n%s", r.code, r.stderr)
	}
	s.ok(testPW+"\n"+totpNow(t, uri)+"\n", "login", "it.lead")
	s.ok(testPW+"\n", "users", "add", "dr.a", "--role", "physician")
	s.ok(testPW+"\n", "users", "add", "dr.b", "--role", "physician")
	s.ok(testPW+"\n", "users", "add", "sc.a", "--role", "scribe", "--for", "dr.a")
	s.ok(testPW+"\n", "users", "add", "aud.a", "--role", "auditor")
	if out := s.ok("", "users", "list").stdout; !strings.Contains(out, "sc.a") || !strings.Contains(out, "dr.a") {
		t.Fatalf("users list:\n%s", out)
	}

	// The scribe can do nothing until dr.a approves; then drafts for dr.a, whom dr.b
	// cannot read.
	s.as("sc.a")
	if r := s.run("Title: Too early\n\nx\n", "notes", "add", "--file", "-"); r.code != 1 || !strings.Contains(r.stderr, "not assigned") {
		t.Fatalf("unapproved scribe adding a note: exit %d\n%s", r.code, r.stderr)
	}
	s.as("dr.b")
	if r := s.run(testPW+"\n", "users", "approve-scribe", "sc.a"); r.code != 1 {
		t.Fatal("another physician approved dr.a's scribe")
	}
	s.as("dr.a")
	// The scribe, at dr.a's side, types their own password.
	if r := s.run("not the scribe's password\n", "users", "approve-scribe", "sc.a"); r.code != 1 {
		t.Fatal("approved without the scribe's password")
	}
	s.ok(testPW+"\n", "users", "approve-scribe", "sc.a")
	s.as("sc.a")
	id := strings.TrimSpace(s.ok("Title: Scribed note\n\nSynthetic findings.\n", "notes", "add", "--file", "-").stdout)
	if r := s.run("", "notes", "sign", id); r.code != 1 || !strings.Contains(r.stderr, "not permitted") {
		t.Fatalf("scribe signing: exit %d\n%s", r.code, r.stderr)
	}
	if r := s.run("", "users", "list"); r.code != 1 || !strings.Contains(r.stderr, "not permitted") {
		t.Fatalf("scribe listing users: exit %d\n%s", r.code, r.stderr)
	}
	s.as("dr.a")
	s.ok("", "notes", "sign", id)
	s.as("dr.b")
	if out := s.ok("", "notes", "list").stdout; strings.Contains(out, id) {
		t.Fatal("dr.b lists dr.a's note")
	}
	if r := s.run("", "notes", "show", id); r.code != 1 || !strings.Contains(r.stderr, "another physician") {
		t.Fatalf("dr.b showing dr.a's note: exit %d\n%s", r.code, r.stderr)
	}

	// Break-glass: a reason on stdin, then dr.a's notes list, visibly, but stay
	// sealed to dr.a's key: this sandbox is one OS account, and emergency access
	// cannot open a key dr.b does not hold.
	s.ok("Synthetic emergency: covering dr.a in resus\n", "break-glass")
	r := s.ok("", "notes", "list")
	if !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "(sealed to its physician)") || strings.Contains(r.stdout, "Scribed note") ||
		!strings.Contains(r.stderr, "EMERGENCY ACCESS") {
		t.Fatalf("list under break-glass:\n%s\n%s", r.stdout, r.stderr)
	}
	if r := s.run("", "notes", "show", id); r.code != 1 || !strings.Contains(r.stderr, "sealed to its physician's key") || strings.Contains(r.stdout, "Synthetic findings") {
		t.Fatalf("show under break-glass: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := s.run("", "notes", "exported", id); r.code != 1 {
		t.Fatal("break-glass let dr.b act on dr.a's note")
	}

	// Lock, unlock, logout.
	s.ok("", "lock")
	if r := s.run("", "notes", "list"); r.code != 1 || !strings.Contains(r.stderr, "locked") {
		t.Fatalf("locked session: exit %d\n%s", r.code, r.stderr)
	}
	s.ok(testPW+"\n", "unlock")
	s.ok("", "notes", "list")
	s.ok("", "logout")
	if r := s.run("", "notes", "list"); r.code != 1 || !strings.Contains(r.stderr, "vellum login") {
		t.Fatalf("after logout: exit %d\n%s", r.code, r.stderr)
	}

	// The journal has it all, the emergency view flagged, the reason nowhere.
	recs := s.auditRecords("aud.a")
	all, _ := json.Marshal(recs)
	var sawGlass, sawFlaggedView, sawDenied bool
	for _, r := range recs {
		det, _ := r["det"].(map[string]any)
		switch {
		case r["act"] == "auth.break_glass":
			sawGlass = true
		case r["act"] == "note.list" && det["break_glass"] == "true":
			sawFlaggedView = true
		case r["act"] == "auth.denied" && r["out"] == "denied":
			sawDenied = true
		}
	}
	if !sawGlass || !sawFlaggedView || !sawDenied || strings.Contains(string(all), "resus") {
		t.Fatalf("journal: break-glass %v, flagged view %v, denial %v, reason leaked %v", sawGlass, sawFlaggedView, sawDenied, strings.Contains(string(all), "resus"))
	}
	if out := s.ok("", "audit", "verify").stdout; !strings.Contains(out, "chain and signatures ok") {
		t.Fatalf("audit verify:\n%s", out)
	}
}

// totpNow is what the user's authenticator app shows now for an enrollment URI.
func totpNow(t *testing.T, uri string) string {
	secret, err := access.SecretFromURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return access.TOTPCode(secret, time.Now())
}
