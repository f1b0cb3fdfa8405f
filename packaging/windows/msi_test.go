package windowspkg

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/internal/wine"
)

// buildMSI makes the MSI of version from the cross-built binaries in bin.
func buildMSI(t *testing.T, bin, version, out string) {
	t.Helper()
	if b, err := exec.Command("wixl", "-a", "x64", "-D", "Version="+version, "-D", "Bin="+bin, "-o", out, "vellum.wxs").CombinedOutput(); err != nil {
		t.Fatalf("wixl: %v\n%s", err, b)
	}
}

func msiTable(t *testing.T, msi, table string) string {
	t.Helper()
	b, err := exec.Command("msiinfo", "export", msi, table).CombinedOutput()
	if err != nil {
		t.Fatalf("msiinfo export %s: %v\n%s", table, err, b)
	}
	return string(b)
}

// TestTheMSIInstallsSilentlyUpgradesAndUninstalls: the MSI built with wixl holds
// the program with its DLLs and model, a Start Menu shortcut, an upgrade code, and
// the custom actions that write the silent install's properties as policy, in order;
// installed with `msiexec /qn` on Wine it puts them under Program Files and the
// properties under HKLM\SOFTWARE\Policies\Vellum, where the installed vellum.exe
// reads them back, LAUNCHATLOGIN=1 under HKLM's Run key, where its doctor finds it;
// a newer version upgrades it in place and keeps both; and uninstalling removes the
// program and its sign-in entry and leaves the policy, which is IT's.
//
// It needs `make windows` first (about 14 minutes cold, which make test does not
// spend): without bin/windows-amd64/vellum.exe it skips, saying so.
func TestTheMSIInstallsSilentlyUpgradesAndUninstalls(t *testing.T) {
	for _, tool := range []string{"wixl", "msiinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing: apt install wixl msitools", tool)
		}
	}
	bin := "../../bin/windows-amd64" // wixl takes sources by relative path
	if _, err := os.Stat(filepath.Join(bin, "vellum.exe")); err != nil {
		t.Skip("bin/windows-amd64/vellum.exe is missing: run `make windows` first (make test does not: it takes about 14 minutes cold)")
	}
	dir := t.TempDir()
	v1, v2 := filepath.Join(dir, "vellum-0.1.1.msi"), filepath.Join(dir, "vellum-0.1.2.msi")
	buildMSI(t, bin, "0.1.1", v1)
	buildMSI(t, bin, "0.1.2", v2)

	files := msiTable(t, v1, "File")
	for _, f := range []string{"vellum.exe", "vellum-desktop.exe", "sherpa-onnx-c-api.dll", "onnxruntime.dll", "silero_vad_v5.onnx"} {
		if !strings.Contains(files, f) {
			t.Errorf("the MSI lacks %s", f)
		}
	}
	if up := msiTable(t, v1, "Upgrade"); !strings.Contains(up, "{6D5A7C1E-3B0F-4E8A-9C2D-5F1B7A4E9D31}") {
		t.Errorf("the upgrade code is not in the Upgrade table:\n%s", up)
	}
	if sc := msiTable(t, v1, "Shortcut"); !strings.Contains(sc, "Vellum") {
		t.Errorf("no Start Menu shortcut:\n%s", sc)
	}
	seq := msiTable(t, v1, "InstallExecuteSequence")
	at := func(action string) int {
		for _, line := range strings.Split(seq, "\n") {
			if f := strings.Split(strings.TrimRight(line, "\r"), "\t"); len(f) == 3 && f[0] == action {
				var n int
				for _, c := range f[2] {
					n = n*10 + int(c-'0')
				}
				return n
			}
		}
		return -1
	}
	if !(at("InstallFiles") < at("SetRegExe") && at("SetRegExe") < at("Policy_COLLECTORURL") &&
		at("Policy_RECOVERYRECIPIENT") < at("Run_Add") && at("PublishProduct") < at("Run_Add") && at("Run_Delete") < at("InstallFinalize")) {
		t.Errorf("the policy actions are not between InstallFiles and InstallFinalize:\n%s", seq)
	}

	winecmd, env := wine.Prefix(t)
	run := func(args ...string) string { return wine.Command(t, env, winecmd, args...) }
	// Refused before anything is installed: a launch at login that is neither 0 nor
	// 1, and one that would start, at every account's sign-in, a program from a
	// folder other accounts may write.
	for _, props := range [][]string{{"LAUNCHATLOGIN=yes"}, {"LAUNCHATLOGIN=1", `INSTALLDIR=C:\Vellum\`}} {
		cmd := exec.Command(winecmd, append([]string{"msiexec", "/i", v1, "/qn"}, props...)...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err == nil {
			t.Errorf("msiexec %v installed:\n%s", props, out)
		}
	}
	if got := run("reg", "query", `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`); strings.Contains(got, "Vellum") {
		t.Fatalf("a refused install left a sign-in entry:\n%s", got)
	}

	run("msiexec", "/i", v1, "/qn", "COLLECTORURL=https://collector.synthetic-hospital.test:8443", "ENROLLTOKEN=synthetic-token", "LAUNCHATLOGIN=1")
	prefix := strings.TrimPrefix(env[0], "WINEPREFIX=")
	installed := filepath.Join(prefix, "drive_c", "Program Files", "Vellum")
	for _, f := range []string{"vellum.exe", "vellum-desktop.exe", "sherpa-onnx-c-api.dll", "onnxruntime.dll", "silero_vad_v5.onnx"} {
		if _, err := os.Stat(filepath.Join(installed, f)); err != nil {
			t.Errorf("not installed: %s", f)
		}
	}
	reg := run("reg", "query", `HKLM\SOFTWARE\Policies\Vellum`)
	if !strings.Contains(reg, "https://collector.synthetic-hospital.test:8443") || !strings.Contains(reg, "synthetic-token") ||
		!strings.Contains(reg, "launch_at_login    REG_DWORD    0x1") {
		t.Fatalf("the properties are not policy:\n%s", reg)
	}
	const runKey = `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`
	runEntry := `Vellum    REG_SZ    "C:\Program Files\Vellum\vellum-desktop.exe"`
	if got := run("reg", "query", runKey); !strings.Contains(got, runEntry) {
		t.Errorf("LAUNCHATLOGIN=1 made no entry for every account's sign-in:\n%s", got)
	}
	exe := `C:\Program Files\Vellum\vellum.exe`
	if out := run(exe, "version"); !strings.Contains(out, "vellum ") {
		t.Fatalf("the installed vellum.exe: %s", out)
	}
	show := run(exe, "--profile", `C:\vellum-profile`, "policy", "show")
	if !strings.Contains(show, "https://collector.synthetic-hospital.test:8443") || !strings.Contains(show, `HKLM\SOFTWARE\Policies\Vellum`) {
		t.Errorf("vellum.exe does not read the installer's policy:\n%s", show)
	}
	// doctor, as IT runs it after the install: it fails required controls here (no
	// collector on Wine), and finds the installer's entry for launch at login.
	doctor := exec.Command(winecmd, exe, "--profile", `C:\vellum-profile`, "doctor", "--json")
	doctor.Env = append(os.Environ(), env...)
	out, err := doctor.Output()
	var report struct {
		Checks []struct{ ID, State, Evidence string }
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil || len(report.Checks) == 0 {
		t.Fatalf("doctor on the installed vellum.exe: %v, %v\n%s", err, jerr, out)
	}
	for _, c := range report.Checks {
		if c.ID == "autostart" && (c.State != "pass" || !strings.Contains(c.Evidence, runKey+`\Vellum`)) {
			t.Errorf("doctor does not see the installer's launch at login: %+v", c)
		}
	}

	// Upgrade, without the properties: the program is replaced, the policy stays.
	run("msiexec", "/i", v2, "/qn")
	if reg := run("reg", "query", `HKLM\SOFTWARE\Policies\Vellum`); !strings.Contains(reg, "synthetic-token") {
		t.Errorf("the upgrade lost the policy:\n%s", reg)
	}
	if out := run(exe, "version"); !strings.Contains(out, "vellum ") {
		t.Fatalf("vellum.exe after the upgrade: %s", out)
	}
	if got := run("reg", "query", runKey); !strings.Contains(got, runEntry) {
		t.Errorf("the upgrade lost launch at login:\n%s", got)
	}
	uninstall := run("reg", "query", `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`, "/s")
	n := 0
	for _, line := range strings.Split(uninstall, "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "DisplayName" && f[2] == "Vellum" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d Vellums are installed after the upgrade, want 1", n)
	}

	// A repair with LAUNCHATLOGIN=0 takes the entry away, and says so as policy.
	run("msiexec", "/i", v2, "/qn", "REINSTALL=ALL", "REINSTALLMODE=omus", "LAUNCHATLOGIN=0")
	if got := run("reg", "query", runKey); strings.Contains(got, "Vellum") {
		t.Errorf("LAUNCHATLOGIN=0 left the sign-in entry:\n%s", got)
	}
	if reg := run("reg", "query", `HKLM\SOFTWARE\Policies\Vellum`); !strings.Contains(reg, "launch_at_login    REG_DWORD    0x0") {
		t.Errorf("LAUNCHATLOGIN=0 is not policy:\n%s", reg)
	}
	run("reg", "add", runKey, "/v", "Vellum", "/d", "stale", "/f") // as if IT had run the repair the other way

	run("msiexec", "/x", v2, "/qn")
	if _, err := os.Stat(filepath.Join(installed, "vellum.exe")); err == nil {
		t.Error("vellum.exe remains after uninstalling")
	}
	if got := run("reg", "query", runKey); strings.Contains(got, "Vellum") {
		t.Errorf("uninstalling left a sign-in entry for a program that is gone:\n%s", got)
	}
	if reg := run("reg", "query", `HKLM\SOFTWARE\Policies\Vellum`); !strings.Contains(reg, "collector_url") {
		t.Errorf("uninstalling removed IT's policy:\n%s", reg)
	}
}
