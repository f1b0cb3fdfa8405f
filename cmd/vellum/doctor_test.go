package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDoctorThroughTheCLI: IT runs doctor after install, before anyone signs in: a
// table of every control with its Security Rule section, exit status 1 while a
// required one fails, and the same as JSON; with the organisation's settings in
// place, the policy controls pass.
func TestDoctorThroughTheCLI(t *testing.T) {
	s := newSandbox(t)
	r := s.run("", "doctor")
	if r.code != 1 || !strings.Contains(r.stdout, "164.312(a)(2)(iii)") || !strings.Contains(r.stdout, "fix: ") ||
		!strings.Contains(r.stderr, "a required safeguard fails") {
		t.Fatalf("doctor on a bare workstation: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	s.setup()
	s.machinePolicy(map[string]any{"totp_required_roles": []string{"admin", "auditor", "physician", "scribe"},
		"allow_test_model": false, "idle_timeout": "5m"})
	r = s.run("", "doctor", "--json")
	var report struct {
		Version int
		Checks  []struct {
			ID, Control, Rule, State, Evidence, Fix string
			Required                                bool
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil || r.code != 1 || report.Version != 1 {
		t.Fatalf("doctor --json: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	state := map[string]string{}
	for _, c := range report.Checks {
		state[c.ID] = c.State
	}
	for control, want := range map[string]string{"vault-encrypted": "pass", "vault-key": "pass",
		"mfa": "pass", "models": "pass", "policy-managed": "warn",
		"idle-lock": "pass", "audit-chain": "pass", "collector-tls": "fail", "key-escrow": "fail"} {
		if state[control] != want {
			t.Errorf("%s: %q, want %q", control, state[control], want)
		}
	}
}
