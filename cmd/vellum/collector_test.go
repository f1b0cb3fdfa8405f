package main

import (
	"crypto/tls"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/sync/synctest"
)

// collectorProc is a real vellum-collector serving TLS on loopback.
type collectorProc struct {
	t                        *testing.T
	data, cert, key, ca, url string
	cmd                      *exec.Cmd
}

func newCollector(t *testing.T) *collectorProc {
	dir := t.TempDir()
	p := synctest.New(t)
	c := &collectorProc{t: t, data: filepath.Join(dir, "data"), cert: filepath.Join(dir, "cert.pem"), key: filepath.Join(dir, "key.pem"), ca: p.CAPEM}
	os.WriteFile(c.cert, []byte(p.CertPEM), 0o600)
	os.WriteFile(c.key, []byte(p.KeyPEM), 0o600)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	c.url = "https://127.0.0.1:" + strconv.Itoa(port)
	c.start()
	t.Cleanup(c.stop)
	return c
}

func (c *collectorProc) run(stdin string, args ...string) string {
	c.t.Helper()
	cmd := exec.Command(collectorBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		c.t.Fatalf("vellum-collector %v: %v", args, err)
	}
	return string(out)
}

func (c *collectorProc) token(role, name string) string {
	return strings.TrimSpace(c.run("", "token", "--data", c.data, "--role", role, "--name", name))
}

func (c *collectorProc) start() {
	c.t.Helper()
	c.cmd = exec.Command(collectorBin, "serve", "--data", c.data, "--addr", strings.TrimPrefix(c.url, "https://"),
		"--tls-cert", c.cert, "--tls-key", c.key, "--origin", "collector.synthetic-hospital.test")
	if err := c.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	// Ready when it completes a TLS handshake (bounded: a broken build fails here).
	for i := 0; ; i++ {
		conn, err := tls.Dial("tcp", strings.TrimPrefix(c.url, "https://"), &tls.Config{InsecureSkipVerify: true})
		if err == nil {
			conn.Close()
			return
		}
		if i == 200 {
			c.t.Fatalf("the collector did not come up: %v", err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func (c *collectorProc) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
		c.cmd = nil
	}
}

func TestAuditReachesTheCollectorAndAnswersTheAuditor(t *testing.T) {
	col := newCollector(t)
	s := newSandbox(t)
	site := strings.Repeat("5a", 32)
	pol, _ := json.Marshal(map[string]any{
		"collector_url": col.url, "collector_ca": col.ca, "enrollment_token": col.token("enroll", "ws-0001"), "site_key": site,
	})
	os.WriteFile(filepath.Join(s.policy, "policy.json"), pol, 0o644)
	s.setup()
	id := strings.TrimSpace(s.ok("Title: Synthetic visit\nPatient: SYN-MRN-77\n\nSynthetic text.\n", "notes", "add", "--file", "-").stdout)
	s.ok("", "notes", "show", id)

	s.as(adminName)
	s.ok("", "audit", "enroll")
	if r := s.ok("", "audit", "sync"); !strings.Contains(r.stderr, "; 0 pending") {
		t.Fatalf("audit sync: %s", r.stderr)
	}

	// The auditor asks about the patient by MRN on stdin; only the reference travels.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ca.pem"), []byte(col.ca), 0o600)
	os.WriteFile(filepath.Join(dir, "token"), []byte(col.token("auditor", "compliance.officer")), 0o600)
	os.WriteFile(filepath.Join(dir, "site"), []byte(site), 0o600)
	report := func() string {
		return col.run("SYN-MRN-77\n", "report", "--url", col.url, "--ca", filepath.Join(dir, "ca.pem"),
			"--token-file", filepath.Join(dir, "token"), "--site-key-file", filepath.Join(dir, "site"), "--patient")
	}
	out := report()
	if !strings.Contains(out, "2 records for this patient") || !strings.Contains(out, "note.create") || !strings.Contains(out, "note.view") {
		t.Fatalf("report:\n%s", out)
	}
	if strings.Contains(out, "SYN-MRN-77") {
		t.Fatal("the MRN came back from the collector")
	}
	// What was sent holds no PHI: neither the MRN nor the note's text is anywhere in
	// the collector's files.
	filepath.WalkDir(col.data, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, phi := range []string{"SYN-MRN-77", "Synthetic visit", "Synthetic text"} {
			if strings.Contains(string(b), phi) {
				t.Errorf("%q found in the collector's %s", phi, filepath.Base(p))
			}
		}
		return nil
	})

	// Collector down: the device keeps its records; back up: they arrive.
	col.stop()
	s.as(docName)
	s.ok("", "notes", "show", id)
	if r := s.run("", "audit", "sync"); r.code != 1 {
		t.Fatalf("sync with the collector down: exit %d", r.code)
	}
	col.start()
	if r := s.ok("", "audit", "sync"); !strings.Contains(r.stderr, "; 0 pending") {
		t.Fatalf("sync after the collector came back: %s", r.stderr)
	}
	if out := report(); !strings.Contains(out, "3 records for this patient") {
		t.Fatalf("report after the outage:\n%s", out)
	}

	// Shred delivers first (offline shredding not allowed), so nothing is lost.
	os.WriteFile(filepath.Join(s.policy, "installer.json"), []byte(`{}`), 0o644)
	col.stop()
	s.as(adminName)
	if r := s.run("", "vault", "shred", "--yes"); r.code != 1 || !strings.Contains(r.stderr, "allow_offline_shred") {
		t.Fatalf("shred with the collector down: exit %d\n%s", r.code, r.stderr)
	}
	col.start()
	s.ok("", "vault", "shred", "--yes")
}
