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
//
// The day runs in a network namespace of its own where the kernel allows one (a user
// namespace needs no privilege): loopback is its only interface, so no packet can leave
// however a call is made — through a resolver service, a library strace does not see, a
// child — and the trace says who tried. The test runs itself again inside the
// namespace with a D-Bus session and keychain of the namespace's own (a session bus
// outside it could not be reached from inside, and the keys must not be shared with it).
func TestNoEgressButTheCollector(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("strace is missing (make deps installs it)")
		}
		t.Skip("strace is missing: `make deps` installs it")
	}
	model := testModelPath(t)
	if os.Getenv(insideEgressNamespace) == "" && runInNetworkNamespace(t) {
		return
	}
	if os.Getenv(insideEgressNamespace) != "" {
		onlyLoopback(t)
	}
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

// insideEgressNamespace marks the run of TestNoEgressButTheCollector inside its network
// namespace.
const insideEgressNamespace = "VELLUM_TEST_EGRESS_NETNS"

// runInNetworkNamespace runs this test again in a new user and network namespace with
// only loopback up, and reports whether it could. Where the kernel refuses unprivileged
// user namespaces the test goes on outside one, with strace alone, and says so.
func runInNetworkNamespace(t *testing.T) bool {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Log("no unshare(1): the day runs traced but outside a network namespace")
		return false
	}
	if err := exec.Command(unshare, "--net", "--map-root-user", "true").Run(); err != nil {
		t.Logf("the kernel refuses a user and network namespace (%v): the day runs traced but outside one", err)
		return false
	}
	keyring, err := filepath.Abs("../../scripts/with-keyring.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(unshare, "--net", "--map-root-user", "--", "sh", "-c", `ip link set lo up && exec "$@"`, "sh",
		keyring, os.Args[0], "-test.run", "^TestNoEgressButTheCollector$", "-test.count", "1", "-test.v")
	env := []string{insideEgressNamespace + "=1", testBinDirEnv + "=" + filepath.Dir(vellumBin)}
	for _, kv := range os.Environ() {
		// The namespace gets a D-Bus session and keychain of its own.
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "VELLUM_IN_KEYRING_SESSION=") &&
			!strings.HasPrefix(kv, "GNOME_KEYRING_CONTROL=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNoEgressButTheCollector") {
		t.Fatalf("in its network namespace: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "egress_test.go") {
			t.Log(strings.TrimSpace(line))
		}
	}
	return true
}

// onlyLoopback checks that the namespace is the one intended: loopback its only
// interface, and an address outside it unreachable.
func onlyLoopback(t *testing.T) {
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback == 0 {
			t.Fatalf("the namespace has interface %s besides loopback", i.Name)
		}
	}
	// 192.0.2.1 is TEST-NET-1 (RFC 5737): nobody's address, and unreachable here.
	if c, err := net.DialTimeout("tcp", "192.0.2.1:443", time.Second); err == nil {
		c.Close()
		t.Fatal("an address outside the namespace was reached")
	}
	t.Logf("in a network namespace with %d interface (loopback): nothing can leave it", len(ifs))
}
