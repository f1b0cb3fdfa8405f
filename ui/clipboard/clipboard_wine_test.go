//go:build linux

package clipboard

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestWindowsClipboardOnWine runs this package's Windows test
// (TestWritePrivateMarksTheText) as a Windows program on Wine: the Win32 clipboard
// calls run for real, against Wine's implementation of them. Wine is not Windows —
// whether Windows' clipboard history then skips the text is Windows' doing — but the
// formats and their contents are checked as a Windows program sees them.
//
// Wine 8 (Debian 12) lacks bcryptprimitives.dll, which Go's runtime loads first; a
// small stand-in (testdata/bcryptprimitives.c, built with MinGW) goes into a
// throwaway Wine prefix.
func TestWindowsClipboardOnWine(t *testing.T) {
	wine := firstFound("wine64", "wine", "/usr/lib/wine/wine64")
	mingw := firstFound("x86_64-w64-mingw32-gcc")
	if wine == "" || mingw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("wine64 or the MinGW compiler is missing (make deps installs them)")
		}
		t.Skip("wine64 or the MinGW compiler is missing: `make deps` installs them")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "clipboard.test.exe")
	run(t, []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}, firstFound("go"), "test", "-c", "-o", exe, ".")

	prefix := filepath.Join(dir, "prefix")
	env := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=;bcryptprimitives=n", "DISPLAY="}
	run(t, env, wine, "wineboot", "--init")
	if server := firstFound("wineserver64", "wineserver", "/usr/lib/wine/wineserver64"); server != "" {
		t.Cleanup(func() { // it lingers a few seconds, holding the prefix
			kill := exec.Command(server, "-k")
			kill.Env = append(os.Environ(), env...)
			kill.Run()
		})
	}
	run(t, nil, mingw, "-shared", "-O2", "-o", filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll"),
		filepath.Join("testdata", "bcryptprimitives.c"), "-ladvapi32")
	out := run(t, env, wine, exe, "-test.run", "^TestWritePrivateMarksTheText$", "-test.v")
	t.Logf("on Wine:\n%s", out)
}

func firstFound(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, out)
	}
	return string(out)
}
