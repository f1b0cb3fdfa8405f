//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTheCommandLineSignInEndsWithTheTerminalSession: `vellum login` in one terminal
// session does not sign in the next person's commands from another; the session is
// ended (recorded) rather than taken up.
func TestTheCommandLineSignInEndsWithTheTerminalSession(t *testing.T) {
	s := newSandbox(t)
	s.setup()
	s.ok("", "notes", "list")
	// A command from a new terminal session, as after the first closed theirs.
	cmd := exec.Command(vellumBin, "notes", "list")
	cmd.Env = append(os.Environ(),
		"VELLUM_PROFILE="+s.profile, "HOME="+s.home, "TMPDIR="+s.tmp, "XDG_CACHE_HOME="+s.cache,
		"VELLUM_TEST_POLICY_DIR="+s.policy, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), "not signed in") {
		t.Fatalf("another terminal session used the sign-in: %v\n%s", err, stderr.String())
	}
	if r := s.run("", "notes", "list"); r.code != 1 || !strings.Contains(r.stderr, "not signed in") {
		t.Fatalf("the ended session came back: exit %d\n%s", r.code, r.stderr)
	}
	var ended bool
	for _, rec := range s.auditRecords(adminName) {
		det, _ := rec["det"].(map[string]any)
		ended = ended || (rec["act"] == "auth.sign_out" && det["reason"] == "terminal session ended")
	}
	if !ended {
		t.Fatal("the end of the session was not recorded")
	}
}
