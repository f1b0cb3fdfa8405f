package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// inetAddr finds the IPv4 and IPv6 destinations in strace's record of a connect,
// sendto or sendmsg.
var inetAddr = regexp.MustCompile(`sa_family=AF_INET6?, sin6?_port=htons\((\d+)\)[^}]*?(?:sin_addr=inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")`)

// TestNoEgressButTheCollector: a physician's day — sign-in, a note, a draft with the
// model, a policy change, the desktop window, audit delivery, doctor — is run with
// every socket call each Vellum process makes recorded (strace), and the only
// network peer any of them tries to reach is the collector, on loopback: no DNS
// lookup, no update check, no telemetry. Local sockets (D-Bus for the keychain, the
// X server) are not network peers.
func TestNoEgressButTheCollector(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("strace is missing (make deps installs it)")
		}
		t.Skip("strace is missing: `make deps` installs it")
	}
	model := testModelPath(t)
	col := newCollector(t)
	s := newSandbox(t)
	logs := t.TempDir()
	s.wrap = []string{strace, "-f", "-qq", "--seccomp-bpf", "-e", "trace=%network", "-e", "signal=none",
		"-o", filepath.Join(logs, "cli")}
	// strace -o FILE appends a pid per process with -ff; one file per command here.
	n := 0
	s.wrap[len(s.wrap)-1] = filepath.Join(logs, "cli")
	run := func(stdin string, args ...string) result {
		t.Helper()
		n++
		s.wrap[len(s.wrap)-1] = filepath.Join(logs, fmt.Sprintf("cli-%02d", n))
		return s.ok(stdin, args...)
	}
	pol := map[string]any{"collector_url": col.url, "collector_ca": col.ca, "enrollment_token": col.token("enroll", "ws-egress")}
	b, _ := json.Marshal(pol)
	os.WriteFile(filepath.Join(s.policy, "policy.json"), b, 0o644)

	run(testPW+"\n", "users", "add", adminName, "--role", "admin")
	run(testPW+"\n", "login", adminName)
	run(testPW+"\n", "users", "add", docName, "--role", "physician")
	run("", "audit", "enroll")
	run(testPW+"\n", "login", docName)
	run("Title: Synthetic visit\nPatient: SYN-MRN-90\n\nSynthetic text.\n", "notes", "add", "--file", "-")
	run("Patient: SYN-MRN-90\n\nPatient reports a dry cough for three days, no fever, lungs clear on exam, plan fluids.\n", "draft", "--model", model, "--max-tokens", "8")
	pol["theme"] = "dark"
	b, _ = json.Marshal(pol)
	os.WriteFile(filepath.Join(s.policy, "policy.json"), b, 0o644)
	run("", "policy", "show")
	run("", "models", "list")
	run("", "audit", "sync")
	s.wrap[len(s.wrap)-1] = filepath.Join(logs, "doctor")
	s.run("", "doctor") // fails its required controls here; what matters is whom it called

	// The desktop window, signed in, for a few seconds of the delivery loop.
	display := startXvfb(t)
	desk := exec.Command(strace, append(s.wrap[:len(s.wrap)-1], filepath.Join(logs, "desktop"), vellumBin)...)
	desk.Env = append(os.Environ(), "DISPLAY="+display, "LANG=C.UTF-8",
		"VELLUM_PROFILE="+s.profile, "HOME="+s.home, "TMPDIR="+s.tmp, "XDG_CACHE_HOME="+s.cache,
		"VELLUM_TEST_POLICY_DIR="+s.policy, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"))
	// A group of its own: Vellum is ended first, and strace then writes the rest of
	// its log and exits by itself.
	desk.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := desk.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { syscall.Kill(-desk.Process.Pid, syscall.SIGKILL); desk.Wait() }()
	signInOnScreen(t, display)
	time.Sleep(2 * time.Second)
	exec.Command("pkill", "-TERM", "-P", fmt.Sprint(desk.Process.Pid)).Run() // strace's child: Vellum
	done := make(chan struct{})
	go func() { desk.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-desk.Process.Pid, syscall.SIGKILL)
		<-done
	}
	if b, err := os.ReadFile(filepath.Join(logs, "desktop")); err != nil || !strings.Contains(string(b), "connect(") {
		t.Errorf("the desktop's trace holds no call (its X and D-Bus connections): %v", err)
	}

	_, port, _ := net.SplitHostPort(strings.TrimPrefix(col.url, "https://"))
	files, _ := filepath.Glob(filepath.Join(logs, "*"))
	reached, calls := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.Contains(line, "AF_INET") || strings.Contains(line, "socket(") || strings.Contains(line, "getsockname(") || strings.Contains(line, "getpeername(") {
				continue // making a socket, or asking its own address, reaches no one
			}
			calls++
			m := inetAddr.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("%s: a network call not understood: %s", filepath.Base(f), line)
				continue
			}
			addr := m[2] + m[3]
			if (addr == "127.0.0.1" || addr == "::1") && m[1] == port {
				reached++
				continue
			}
			t.Errorf("%s: a call to %s port %s, not the collector: %s", filepath.Base(f), addr, m[1], line)
		}
	}
	if reached == 0 {
		t.Fatalf("no call to the collector was seen in %d logs: the trace does not see the network", len(files))
	}
	t.Logf("%d network calls in %d traced commands and the desktop, every one to the collector on loopback", calls, len(files))
}
