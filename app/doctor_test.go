package app_test

import (
	"crypto/tls"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/sync/synctest"
)

func byControl(checks []app.Check) map[string]app.Check {
	m := map[string]app.Check{}
	for _, c := range checks {
		m[c.Control] = c
	}
	return m
}

// TestDoctorReportsEachSafeguard: on a profile with a vault, doctor passes what is in
// place and fails what is not, each with the Security Rule's section and a fix; once
// IT sets the collector, TOTP for every role and refuses the test model, those pass;
// a process that could dump its memory, or a disk nearly full, fails.
func TestDoctorReportsEachSafeguard(t *testing.T) {
	f := newFixture(t)
	free := func(string) (uint64, error) { return 50 << 30, nil }
	noDumps := func() (bool, string) { return false, "off" }
	checks := f.a.Doctor(f.ctx, app.DoctorOptions{FreeBytes: free, CoreDumps: noDumps})
	got := byControl(checks)
	for control, want := range map[string]app.CheckState{
		"Notes encrypted at rest":             app.Pass,
		"Vault key in the OS keychain":        app.Pass,
		"Vault key escrow":                    app.Pass,
		"Audit delivery over TLS, CA pinned":  app.Fail,
		"Audit trail intact":                  app.Pass,
		"Audit records delivered":             app.Fail,
		"Security settings managed by policy": app.Warn,
		"Automatic logoff":                    app.Pass,
		"Multi-factor sign-in":                app.Fail,
		"Emergency access":                    app.Pass,
		"Only approved models run":            app.Fail,
		"No memory dumps of PHI":              app.Pass,
		"Disk space for the journal":          app.Pass,
		"One OS account per person":           app.Warn,
	} {
		c, ok := got[control]
		if !ok || c.State != want || c.Rule == "" || (c.State == app.Fail && c.Fix == "") {
			t.Errorf("%s: %+v, want %s with a rule (and a fix if failing)", control, c, want)
		}
	}
	ids := map[string]bool{}
	for _, c := range checks {
		if c.ID == "" || ids[c.ID] {
			t.Errorf("%s: id %q missing or repeated", c.Control, c.ID)
		}
		ids[c.ID] = true
	}
	if !app.Failed(checks) {
		t.Fatal("required controls fail, and Failed says none does")
	}
	if c := got["Audit trail intact"]; !strings.Contains(c.Evidence, "verified") {
		t.Errorf("the chain's evidence: %q", c.Evidence)
	}

	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	p := f.policy()
	p["collector_url"] = srv.URL
	p["collector_ca"] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	p["totp_required_roles"] = []string{"admin", "auditor", "physician", "scribe"}
	p["allow_test_model"] = false
	p["idle_timeout"] = "30m"
	f.setPolicy(p)
	got = byControl(f.a.Doctor(f.ctx, app.DoctorOptions{FreeBytes: free, CoreDumps: noDumps}))
	if c := got["Audit delivery over TLS, CA pinned"]; c.State != app.Pass || !strings.Contains(c.Evidence, "TLS 1.3") {
		t.Errorf("collector: %+v", c)
	}
	if c := got["Audit records delivered"]; c.State != app.Fail || !strings.Contains(c.Evidence, "never been delivered") {
		t.Errorf("delivery: %+v", c)
	}
	for _, control := range []string{"Multi-factor sign-in", "Only approved models run", "Vault key escrow"} {
		if got[control].State != app.Pass {
			t.Errorf("%s: %+v", control, got[control])
		}
	}
	if c := got["Automatic logoff"]; c.State != app.Warn || !strings.Contains(c.Evidence, "30m") {
		t.Errorf("a 30-minute idle lock: %+v", c)
	}

	// A collector whose certificate the pinned CA did not sign is no pass.
	other := httptest.NewUnstartedServer(http.NotFoundHandler())
	pki := synctest.New(t) // a CA of its own, not the pinned one
	cert, err := tls.X509KeyPair([]byte(pki.CertPEM), []byte(pki.KeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	other.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	other.StartTLS()
	defer other.Close()
	p["collector_url"] = other.URL
	f.setPolicy(p)
	if c := byControl(f.a.Doctor(f.ctx, app.DoctorOptions{FreeBytes: free, CoreDumps: noDumps}))["Audit delivery over TLS, CA pinned"]; c.State != app.Fail {
		t.Errorf("a collector the pinned CA did not sign: %+v", c)
	}

	got = byControl(f.a.Doctor(f.ctx, app.DoctorOptions{
		FreeBytes: func(string) (uint64, error) { return 50 << 20, nil },
		CoreDumps: func() (bool, string) { return true, "RLIMIT_CORE is unlimited" }}))
	for _, control := range []string{"Disk space for the journal", "No memory dumps of PHI"} {
		if got[control].State != app.Fail {
			t.Errorf("%s: %+v", control, got[control])
		}
	}
}

// TestLaunchAtLoginDefersToTheInstallersEntry: the user's own entry follows policy,
// and gives way to an installer's entry for every account (the MSI's LAUNCHATLOGIN,
// the PKG's launch agent), which would otherwise start a second Vellum at sign-in;
// doctor names the entry in force, and warns where it disagrees with policy.
func TestLaunchAtLoginDefersToTheInstallersEntry(t *testing.T) {
	user, machine := app.AutostartForTest(t, t.TempDir())
	f := newFixture(t)
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	autostart := func() app.Check {
		for _, c := range f.a.Doctor(f.ctx, app.DoctorOptions{FreeBytes: func(string) (uint64, error) { return 50 << 30, nil }}) {
			if c.ID == "autostart" {
				return c
			}
		}
		t.Fatal("doctor has no autostart check")
		return app.Check{}
	}

	apply := func(p map[string]any) { // as the policy watcher does, and every start
		t.Helper()
		f.setPolicy(p)
		if err := f.a.ApplyPolicy(f.ctx, f.a.Policy()); err != nil {
			t.Fatal(err)
		}
	}
	p := f.policy()
	p["launch_at_login"] = true
	apply(p)
	if !exists(user) {
		t.Fatal("policy says launch at login, and the user's entry is not there")
	}
	if c := autostart(); c.State != app.Pass || !strings.Contains(c.Evidence, "own entry is present") {
		t.Errorf("the user's entry as policy says: %+v", c)
	}

	if err := os.WriteFile(machine, []byte("[Desktop Entry]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c := autostart(); c.State != app.Warn || !strings.Contains(c.Fix, "duplicates") {
		t.Errorf("both entries: %+v", c)
	}
	apply(p)
	if exists(user) {
		t.Error("the user's entry stays beside the installer's: Vellum would start twice")
	}
	if c := autostart(); c.State != app.Pass || !strings.Contains(c.Evidence, machine) {
		t.Errorf("the installer's entry in force: %+v", c)
	}

	p["launch_at_login"] = false
	apply(p)
	if exists(user) {
		t.Error("policy says no, and the user's entry was made")
	}
	if c := autostart(); c.State != app.Warn || !strings.Contains(c.Fix, "though policy says not to") || !strings.Contains(c.Evidence, "false (machine") {
		t.Errorf("the installer starts Vellum against policy: %+v", c)
	}
}
