package windowspkg

import (
	"context"
	"debug/pe"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/internal/wine"
)

// TestTheWindowsBuildDraftsOnWine: vellum.exe from make windows carries inference
// (llama.cpp cross-built with MinGW, linked statically): on Wine, in a fresh prefix,
// a physician drafts a SOAP note from a synthetic dictation with the test model, the
// draft is stored in the vault (keyed through Wine's Credential Manager), and the
// audit trail verifies. The program is a GUI-subsystem binary (-H windowsgui): its
// command line still answers on the console it was started from.
//
// It needs `make windows` first, as the MSI's test does, and the test model
// (VELLUM_TEST_MODEL); without either it skips, saying so.
func TestTheWindowsBuildDraftsOnWine(t *testing.T) {
	exe, err := filepath.Abs("../../bin/windows-amd64/vellum.exe")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(exe); err != nil {
		t.Skip("bin/windows-amd64/vellum.exe is missing: run `make windows` first (make test does not: it takes about 14 minutes cold)")
	}
	model := os.Getenv("VELLUM_TEST_MODEL")
	if model == "" {
		t.Skip("VELLUM_TEST_MODEL is unset: the test model is ../shared/models/stories260K.gguf (make test sets it)")
	}
	winecmd, env := wine.Prefix(t)
	profile := `C:\vellum-profile`
	run := func(stdin string, args ...string) (string, string, int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, winecmd, append([]string{exe, "--profile", profile}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("vellum.exe %v: %v", args, err)
		}
		return stdout.String(), stderr.String(), code
	}
	ok := func(stdin string, args ...string) (string, string) {
		t.Helper()
		out, errOut, code := run(stdin, args...)
		if code != 0 {
			t.Fatalf("vellum.exe %v: exit %d\n%s\n%s", args, code, out, errOut)
		}
		return out, errOut
	}
	const pw = "synthetic-password-1"
	ok(pw+"\n", "users", "add", "it.admin", "--role", "admin")
	ok(pw+"\n", "login", "it.admin")
	ok(pw+"\n", "users", "add", "dr.test", "--role", "physician")
	ok(pw+"\n", "login", "dr.test")
	src := "Patient: SYN-MRN-7\n\nPatient reports three days of cough and fever, temp 38.2, lungs clear, plan fluids and paracetamol.\n"
	draft, log := ok(src, "draft", "--template", "soap", "--model", model, "--max-tokens", "24")
	for _, h := range []string{"## Subjective", "## Objective", "## Assessment", "## Plan"} {
		if !strings.Contains(draft, h) {
			t.Fatalf("the draft lacks %s:\n%s\n%s", h, draft, log)
		}
	}
	if !strings.Contains(log, "stored as draft") {
		t.Fatalf("the draft was not stored:\n%s", log)
	}
	if out, _ := ok("", "notes", "list"); !strings.Contains(out, "TEST MODEL") {
		t.Errorf("the draft is not in the vault:\n%s", out)
	}
	ok(pw+"\n", "login", "it.admin")
	if out, _ := ok("", "audit", "verify"); !strings.Contains(out, "chain and signatures ok") {
		t.Errorf("audit verify:\n%s", out)
	}
}

// TestVellumExeIsAWindowsProgramOfItsOwn: vellum.exe is a console program (shells
// wait for it, see its exit status, and never read the password typed for it) and
// vellum-desktop.exe, the same program, a GUI one (no console window behind Vellum);
// both carry the icon and the version information inventory tools read (the version
// of FyneApp.toml, then the commit count), and need no MinGW DLL: the C++ runtime and
// winpthreads are linked in.
func TestVellumExeIsAWindowsProgramOfItsOwn(t *testing.T) {
	for _, tc := range []struct {
		exe       string
		subsystem uint16
	}{{"vellum.exe", pe.IMAGE_SUBSYSTEM_WINDOWS_CUI}, {"vellum-desktop.exe", pe.IMAGE_SUBSYSTEM_WINDOWS_GUI}} {
		t.Run(tc.exe, func(t *testing.T) { checkExe(t, "../../bin/windows-amd64/"+tc.exe, tc.subsystem) })
	}
}

func checkExe(t *testing.T, exe string, subsystem uint16) {
	f, err := pe.Open(exe)
	if err != nil {
		t.Skipf("%s: %v: run `make windows` first", exe, err)
	}
	defer f.Close()
	if oh, ok := f.OptionalHeader.(*pe.OptionalHeader64); !ok || oh.Subsystem != subsystem {
		t.Errorf("%s is not a 64-bit program of subsystem %d: %#v", exe, subsystem, f.OptionalHeader)
	}
	dlls, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	for _, dll := range dlls {
		if d := strings.ToLower(dll); strings.HasPrefix(d, "libstdc++") || strings.HasPrefix(d, "libgcc") ||
			strings.HasPrefix(d, "libwinpthread") || strings.HasPrefix(d, "libgomp") {
			t.Errorf("%s needs %s, which Windows does not have", exe, dll)
		}
	}
	windres, err := exec.LookPath("x86_64-w64-mingw32-windres")
	if err != nil {
		t.Skip("x86_64-w64-mingw32-windres is missing (make deps installs MinGW)")
	}
	rc, err := exec.Command(windres, "-i", exe, "-O", "rc").Output()
	if err != nil {
		t.Fatalf("windres cannot read %s's resources: %v", exe, err)
	}
	toml, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	version := regexp.MustCompile(`(?m)^Version = "([0-9.]+)"`).FindSubmatch(toml)
	if version == nil {
		t.Fatal("FyneApp.toml has no Version line")
	}
	for _, want := range []string{"RT_ICON", `VALUE "ProductName", "Vellum"`, `VALUE "FileVersion", "` + string(version[1]) + `.`} {
		if !strings.Contains(string(rc), want) {
			t.Errorf("%s's resources lack %s", exe, want)
		}
	}
}
