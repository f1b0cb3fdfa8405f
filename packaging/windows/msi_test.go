package windowspkg

import (
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
// reads them back; a newer version upgrades it in place and keeps the policy; and
// uninstalling removes the program and leaves the policy, which is IT's.
//
// It needs `make windows` first (about 7.5 minutes cold, which make test does not
// spend): without bin/windows-amd64/vellum.exe it skips, saying so.
func TestTheMSIInstallsSilentlyUpgradesAndUninstalls(t *testing.T) {
	for _, tool := range []string{"wixl", "msiinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing: apt install wixl msitools", tool)
		}
	}
	bin := "../../bin/windows-amd64" // wixl takes sources by relative path
	if _, err := os.Stat(filepath.Join(bin, "vellum.exe")); err != nil {
		t.Skip("bin/windows-amd64/vellum.exe is missing: run `make windows` first (make test does not: it takes about 7.5 minutes cold)")
	}
	dir := t.TempDir()
	v1, v2 := filepath.Join(dir, "vellum-0.1.1.msi"), filepath.Join(dir, "vellum-0.1.2.msi")
	buildMSI(t, bin, "0.1.1", v1)
	buildMSI(t, bin, "0.1.2", v2)

	files := msiTable(t, v1, "File")
	for _, f := range []string{"vellum.exe", "sherpa-onnx-c-api.dll", "onnxruntime.dll", "silero_vad_v5.onnx"} {
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
	if !(at("InstallFiles") < at("SetRegExe") && at("SetRegExe") < at("Policy_COLLECTORURL") && at("Policy_RECOVERYRECIPIENT") < at("InstallFinalize")) {
		t.Errorf("the policy actions are not between InstallFiles and InstallFinalize:\n%s", seq)
	}

	winecmd, env := wine.Prefix(t)
	run := func(args ...string) string { return wine.Command(t, env, winecmd, args...) }
	run("msiexec", "/i", v1, "/qn", "COLLECTORURL=https://collector.synthetic-hospital.test:8443", "ENROLLTOKEN=synthetic-token")
	prefix := strings.TrimPrefix(env[0], "WINEPREFIX=")
	installed := filepath.Join(prefix, "drive_c", "Program Files", "Vellum")
	for _, f := range []string{"vellum.exe", "sherpa-onnx-c-api.dll", "onnxruntime.dll", "silero_vad_v5.onnx"} {
		if _, err := os.Stat(filepath.Join(installed, f)); err != nil {
			t.Errorf("not installed: %s", f)
		}
	}
	reg := run("reg", "query", `HKLM\SOFTWARE\Policies\Vellum`)
	if !strings.Contains(reg, "https://collector.synthetic-hospital.test:8443") || !strings.Contains(reg, "synthetic-token") {
		t.Fatalf("the properties are not policy:\n%s", reg)
	}
	exe := `C:\Program Files\Vellum\vellum.exe`
	if out := run(exe, "version"); !strings.Contains(out, "vellum ") {
		t.Fatalf("the installed vellum.exe: %s", out)
	}
	show := run(exe, "--profile", `C:\vellum-profile`, "policy", "show")
	if !strings.Contains(show, "https://collector.synthetic-hospital.test:8443") || !strings.Contains(show, `HKLM\SOFTWARE\Policies\Vellum`) {
		t.Errorf("vellum.exe does not read the installer's policy:\n%s", show)
	}

	// Upgrade, without the properties: the program is replaced, the policy stays.
	run("msiexec", "/i", v2, "/qn")
	if reg := run("reg", "query", `HKLM\SOFTWARE\Policies\Vellum`); !strings.Contains(reg, "synthetic-token") {
		t.Errorf("the upgrade lost the policy:\n%s", reg)
	}
	if out := run(exe, "version"); !strings.Contains(out, "vellum ") {
		t.Fatalf("vellum.exe after the upgrade: %s", out)
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

	run("msiexec", "/x", v2, "/qn")
	if _, err := os.Stat(filepath.Join(installed, "vellum.exe")); err == nil {
		t.Error("vellum.exe remains after uninstalling")
	}
	if reg := run("reg", "query", `HKLM\SOFTWARE\Policies\Vellum`); !strings.Contains(reg, "collector_url") {
		t.Errorf("uninstalling removed IT's policy:\n%s", reg)
	}
}
