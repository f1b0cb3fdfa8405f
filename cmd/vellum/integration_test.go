package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

// These tests drive the real binary the way a user or an IT script does (restic's
// cmd/restic/integration_test.go style), against the Secret Service of the session that
// `make test` starts (scripts/with-keyring.sh).

var vellumBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vellum-bin-")
	if err != nil {
		panic(err)
	}
	vellumBin = filepath.Join(dir, "vellum")
	// vellumtest lets VELLUM_TEST_POLICY_DIR stand in for /etc/vellum; nothing else
	// differs from the shipped binary.
	build := exec.Command("go", "build", "-tags", "libsqlite3,vellumtest", "-o", vellumBin, ".")
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
	t                                 *testing.T
	profile, home, tmp, cache, policy string
	extraEnv                          []string
}

func newSandbox(t *testing.T) *sandbox {
	root := t.TempDir()
	s := &sandbox{t: t, profile: filepath.Join(root, "profile"), home: filepath.Join(root, "home"),
		tmp: filepath.Join(root, "tmp"), cache: filepath.Join(root, "cache"), policy: filepath.Join(root, "etc-vellum")}
	for _, d := range []string{s.home, s.tmp, s.cache, s.policy} {
		os.MkdirAll(d, 0o700)
	}
	t.Cleanup(func() {
		// Crypto-shred what the test made, so the keyring holds no orphan entries.
		s.run("", "vault", "shred", "--yes")
	})
	return s
}

type result struct {
	code           int
	stdout, stderr string
}

func (s *sandbox) run(stdin string, args ...string) result {
	s.t.Helper()
	cmd := exec.Command(vellumBin, args...)
	cmd.Env = append(os.Environ(),
		"VELLUM_PROFILE="+s.profile, "HOME="+s.home, "TMPDIR="+s.tmp, "XDG_CACHE_HOME="+s.cache,
		"VELLUM_TEST_POLICY_DIR="+s.policy)
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
	s.ok("", "notes", "sign", id)
	if r := s.run("", "notes", "delete", id); r.code != 1 || !strings.Contains(r.stderr, "signed") {
		t.Fatalf("deleting a signed note: exit %d, %s", r.code, r.stderr)
	}
	s.ok("", "notes", "exported", id)

	var info map[string]any
	json.Unmarshal([]byte(s.ok("", "vault", "check", "--json").stdout), &info)
	if info["integrity"] != "ok" || info["cipher"] != "sqlcipher" || info["synchronous"] != "FULL" || info["notes"] != 2.0 {
		t.Fatalf("vault check --json = %v", info)
	}
	s.ok("", "vault", "rekey")
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
"$VELLUM" notes add --title t --body b >/dev/null 2>&1
cp -a "$VELLUM_PROFILE" "$SNAPSHOT"
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
"$VELLUM" notes list`
	cmd := exec.Command("../../scripts/with-keyring.sh", "bash", "-c", script)
	snapshot := filepath.Join(t.TempDir(), "snapshot")
	cmd.Env = append(os.Environ(), "VELLUM_IN_KEYRING_SESSION=", "VELLUM="+vellumBin, "VELLUM_PROFILE="+profile, "SNAPSHOT="+snapshot)
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
	s.extraEnv = []string{"VELLUM_RECOVERY_RECIPIENT=" + id.Recipient().String()}
	for i := 0; i < 5; i++ {
		s.ok("", "notes", "add", "--title", fmt.Sprintf("note %d", i), "--body", fmt.Sprintf("synthetic body %d", i))
	}
	backup := filepath.Join(t.TempDir(), "notes.vbk")
	s.ok("", "vault", "backup", backup)
	want := s.ok("", "notes", "list", "--json").stdout

	// Restore into a fresh profile: every note comes back.
	fresh := newSandbox(t)
	r := fresh.ok("", "vault", "restore", backup, "--identity", idFile, "--json")
	if !strings.Contains(r.stdout, `"added": 5`) {
		t.Fatalf("restore: %s", r.stdout)
	}
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
	if got := s.ok("", "notes", "list", "--json").stdout; got != want {
		t.Fatal("notes differ after recovery")
	}
}

// TestCanaryNeverLeavesTheVault runs every command with synthetic PHI and searches the
// profile (database, log, backups), HOME, TMPDIR and the cache dir for it afterwards,
// and the output of the commands that print no note content.
func TestCanaryNeverLeavesTheVault(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	idFile := filepath.Join(t.TempDir(), "recovery.key")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)
	s := newSandbox(t)
	s.extraEnv = []string{"VELLUM_RECOVERY_RECIPIENT=" + id.Recipient().String()}
	var quiet []result // commands whose output must not carry note content
	nid := strings.TrimSpace(s.ok("Title: Note "+canary+"\nPatient: "+canary+"\n\nBody "+canary, "notes", "add", "--file", "-").stdout)
	for i := 0; i < 50; i++ {
		s.ok("", "notes", "add", "--title", fmt.Sprintf("filler %d %s", i, canary), "--body", strings.Repeat(canary+" ", 100))
	}
	s.ok("", "notes", "search", canary)
	s.ok("", "notes", "sign", nid)
	quiet = append(quiet, s.ok("", "notes", "exported", nid))
	quiet = append(quiet, s.ok("", "vault", "check"))
	quiet = append(quiet, s.ok("", "vault", "backup", filepath.Join(s.profile, "backup.vbk")))
	quiet = append(quiet, s.ok("", "vault", "rekey"))
	quiet = append(quiet, s.ok("", "vault", "purge", "--draft-days", "1"))
	quiet = append(quiet, s.run("", "notes", "show", "n_doesnotexist"))

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
