// Package linuxpkg holds the test of the Linux packages: built by
// scripts/package-linux.sh from what make build left in bin/, installed into a fresh
// root, and run from there.
package linuxpkg

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func need(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing (make deps installs it)", tool)
			}
			t.Skipf("%s is missing: `make deps` installs it", tool)
		}
	}
}

func run(t *testing.T, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return out.String(), 0
}

// TestThePackagesInstallAndRun: the deb and rpm of Vellum and of its collector are
// built; Vellum's deb, unpacked into a fresh root, holds the binary with dictation's
// libraries and model beside it (found there, and nowhere else), the desktop entry,
// the icon, the policy example and the bill of materials, and runs `vellum version`
// and `vellum doctor` from that root with a bare environment; the collector's holds
// its hardened systemd unit (systemd rates its exposure), which runs the packaged
// server.
func TestThePackagesInstallAndRun(t *testing.T) {
	need(t, "dpkg-deb", "systemd-analyze", "ldd", "rpm", "rpm2cpio", "cpio")
	top, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(top, "bin", "vellum")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("bin/vellum is missing: make test builds it first")
		}
		t.Skip("bin/vellum is missing: run `make build` first")
	}
	out, code := run(t, os.Environ(), filepath.Join(top, "scripts", "package-linux.sh"))
	if code != 0 {
		t.Fatalf("package-linux.sh: exit %d\n%s", code, out)
	}
	debs, _ := filepath.Glob(filepath.Join(top, "bin", "vellum_*.deb"))
	cdebs, _ := filepath.Glob(filepath.Join(top, "bin", "vellum-collector_*.deb"))
	rpms, _ := filepath.Glob(filepath.Join(top, "bin", "vellum*.rpm"))
	if len(debs) != 1 || len(cdebs) != 1 || len(rpms) != 2 {
		t.Fatalf("packages: %v %v %v", debs, cdebs, rpms)
	}
	for _, r := range rpms {
		if b, _ := os.ReadFile(r); len(b) < 4 || !bytes.Equal(b[:4], []byte{0xed, 0xab, 0xee, 0xdb}) {
			t.Errorf("%s is not an RPM", filepath.Base(r))
		}
	}

	// Depends as the binaries' symbols need them (dpkg-shlibdeps), and what GLFW opens.
	for _, d := range append(debs, cdebs...) {
		dep, _ := run(t, os.Environ(), "dpkg-deb", "-f", d, "Depends")
		if !regexp.MustCompile(`^libc6 \(>= 2\.\d+\)`).MatchString(dep) ||
			(d == debs[0] && (!strings.Contains(dep, "libstdc++6 (>= ") || !strings.Contains(dep, "libxcursor1"))) {
			t.Errorf("%s: Depends: %s", filepath.Base(d), dep)
		}
	}

	root := t.TempDir()
	for _, d := range append(debs, cdebs...) {
		if out, code := run(t, os.Environ(), "dpkg-deb", "-x", d, root); code != 0 {
			t.Fatalf("dpkg-deb -x %s: %s", d, out)
		}
	}
	for _, f := range []string{"usr/lib/vellum/vellum", "usr/lib/vellum/libsherpa-onnx-c-api.so", "usr/lib/vellum/libonnxruntime.so",
		"usr/lib/vellum/silero_vad_v5.onnx", "usr/share/applications/health.vellum.desktop.desktop",
		"usr/share/icons/hicolor/256x256/apps/health.vellum.desktop.png", "etc/vellum/policy.json.example",
		"usr/share/doc/vellum/sbom.cdx.json", "usr/bin/vellum-collector", "lib/systemd/system/vellum-collector.service",
		"usr/share/doc/vellum-collector/sbom.cdx.json"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("the packages lack /%s", f)
		}
	}
	if target, err := os.Readlink(filepath.Join(root, "usr/bin/vellum")); err != nil || target != "../lib/vellum/vellum" {
		t.Errorf("/usr/bin/vellum: %q, %v", target, err)
	}
	if st, err := os.Stat(filepath.Join(root, "etc/vellum-collector")); err != nil || st.Mode().Perm() != 0o750 {
		t.Errorf("/etc/vellum-collector: %v", err)
	}

	// Run from the root, with a bare environment: no LD_LIBRARY_PATH, a fresh HOME.
	home := t.TempDir()
	bare := []string{"PATH=/usr/bin:/bin", "HOME=" + home, "VELLUM_PROFILE=" + filepath.Join(home, "profile"), "LC_MESSAGES=C"}
	ldd, _ := run(t, bare, "ldd", filepath.Join(root, "usr/lib/vellum/vellum"))
	if !strings.Contains(ldd, "libsherpa-onnx-c-api.so => "+filepath.Join(root, "usr/lib/vellum")) {
		t.Errorf("the packaged binary does not load sherpa-onnx from beside itself:\n%s", ldd)
	}
	if out, code := run(t, bare, filepath.Join(root, "usr/bin/vellum"), "version"); code != 0 || !strings.HasPrefix(out, "vellum ") {
		t.Fatalf("vellum version from the package: exit %d\n%s", code, out)
	}
	out, code = run(t, bare, filepath.Join(root, "usr/bin/vellum"), "doctor", "--json")
	var report struct {
		Version int
		Checks  []struct{ ID, State string }
	}
	if i := strings.Index(out, "{"); i >= 0 {
		json.Unmarshal([]byte(out[i:strings.LastIndex(out, "}")+1]), &report)
	}
	if code != 1 || report.Version != 1 || len(report.Checks) < 10 {
		t.Fatalf("vellum doctor from the package (no policy: it fails): exit %d\n%s", code, out)
	}
	if out, code := run(t, bare, filepath.Join(root, "usr/bin/vellum-collector"), "--help"); code != 0 || !strings.Contains(out, "serve") {
		t.Errorf("vellum-collector --help from the package: exit %d\n%s", code, out)
	}

	// The unit: systemd reads it, and rates its exposure low.
	unit := filepath.Join(root, "lib/systemd/system/vellum-collector.service")
	if out, code := run(t, os.Environ(), "systemd-analyze", "security", "--offline=true", "--threshold=20", unit); code != 0 {
		t.Errorf("the collector's unit is exposed above 2.0:\n%s", out)
	}
	if out, _ := run(t, os.Environ(), "systemd-analyze", "verify", "--root="+root, "/lib/systemd/system/vellum-collector.service"); strings.Contains(out, "Unknown") || strings.Contains(out, "Failed to parse") {
		t.Errorf("systemd does not read the collector's unit:\n%s", out)
	}

	// The rpms hold the same files, run the same way, and name RPM systems'
	// dependencies and user tools (not installed on an RPM system here: unpacked).
	rroot := t.TempDir()
	for _, r := range rpms {
		cmd := exec.Command("sh", "-c", `rpm2cpio "$1" | cpio -idm --quiet --no-absolute-filenames -D "$2"`, "sh", r, rroot)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("unpacking %s: %v\n%s", filepath.Base(r), err, out)
		}
	}
	for _, f := range []string{"usr/lib/vellum/vellum", "usr/lib/vellum/libsherpa-onnx-c-api.so", "usr/lib/vellum/silero_vad_v5.onnx",
		"usr/share/applications/health.vellum.desktop.desktop", "usr/share/doc/vellum/sbom.cdx.json", "usr/bin/vellum-collector",
		"lib/systemd/system/vellum-collector.service"} {
		if _, err := os.Stat(filepath.Join(rroot, f)); err != nil {
			t.Errorf("the rpms lack /%s", f)
		}
	}
	if out, code := run(t, bare, filepath.Join(rroot, "usr/bin/vellum"), "version"); code != 0 || !strings.HasPrefix(out, "vellum ") {
		t.Errorf("vellum version from the rpm: exit %d\n%s", code, out)
	}
	for _, r := range rpms {
		reqs, _ := run(t, os.Environ(), "rpm", "-qp", "--requires", r)
		scripts, _ := run(t, os.Environ(), "rpm", "-qp", "--scripts", r)
		if strings.Contains(reqs, "libc6") || strings.Contains(reqs, "libstdc++6") {
			t.Errorf("%s requires Debian's package names:\n%s", filepath.Base(r), reqs)
		}
		if strings.Contains(filepath.Base(r), "collector") && !strings.Contains(scripts, "useradd --system") {
			t.Errorf("%s does not make its user with useradd:\n%s", filepath.Base(r), scripts)
		}
		if !strings.Contains(filepath.Base(r), "collector") && !strings.Contains(reqs, "glibc") {
			t.Errorf("%s does not require glibc:\n%s", filepath.Base(r), reqs)
		}
	}

	// The bill of materials names the modules and the pinned native sources.
	b, _ := os.ReadFile(filepath.Join(root, "usr/share/doc/vellum/sbom.cdx.json"))
	for _, want := range []string{`"bomFormat": "CycloneDX"`, "pkg:golang/fyne.io/fyne/v2@", "pkg:npm/better-sqlite3-multiple-ciphers@13.0.3",
		"pkg:generic/llama.cpp@", "libonnxruntime.so", "pkg:golang/github.com/k2-fsa/sherpa-onnx-go-linux@"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the bill of materials lacks %s", want)
		}
	}
}
