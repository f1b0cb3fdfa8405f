// Package wine runs a package's Windows tests as a Windows program on Wine, so that
// the Windows-only code that builds without cgo (the clipboard's opt-out formats, the
// text-size setting, the dictation hotkey) runs in make test on Linux. Wine implements the
// Win32 calls; it is not Windows, and the tests say so where it matters.
//
// Wine 8 (Debian 12's) lacks bcryptprimitives.dll, which Go's runtime loads before
// anything else; shim/bcryptprimitives.c, built with MinGW, stands in for it inside
// the throwaway Wine prefix. Nothing here is shipped.
package wine

import (
	"context"
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

//go:embed shim/bcryptprimitives.c
var shim []byte

// Run cross-builds the tests of the package in the working directory (the caller's,
// as go test runs it) for Windows and runs the one named test on Wine, in a new
// prefix: first each of prep as a Wine command (e.g. reg add ...), then the test with
// env added to its environment. It returns the test's output; t fails unless the
// test passed (a skip is a failure too). Without Wine or MinGW it skips, or fails
// where CI=true.
func Run(t testing.TB, test string, env []string, prep ...[]string) string {
	t.Helper()
	wine, wenv := Prefix(t)
	dir := t.TempDir()
	exe := filepath.Join(dir, "windows.test.exe")
	command(t, []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}, goTool(), "test", "-c", "-o", exe, ".")
	for _, p := range prep {
		command(t, wenv, wine, p...)
	}
	out := command(t, append(wenv, env...), wine, exe, "-test.run", "^"+test+"$", "-test.v")
	if !strings.Contains(out, "--- PASS: "+test) {
		t.Fatalf("%s did not pass on Wine:\n%s", test, out)
	}
	return out
}

// Prefix makes a new Wine prefix for the test, with the shim Go's runtime needs, and
// returns the wine command and the environment that uses the prefix; the prefix's
// server is ended when the test ends. Without Wine or MinGW it skips, or fails where
// CI=true.
func Prefix(t testing.TB) (wine string, env []string) {
	t.Helper()
	wine = firstFound("wine64", "wine", "/usr/lib/wine/wine64")
	mingw := firstFound("x86_64-w64-mingw32-gcc")
	if wine == "" || mingw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("wine64 or the MinGW compiler is missing (make deps installs them)")
		}
		t.Skip("wine64 or the MinGW compiler is missing: `make deps` installs them")
	}
	dir := t.TempDir()
	prefix := filepath.Join(dir, "prefix")
	env = []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=;bcryptprimitives=n", "DISPLAY="}
	if server := firstFound("wineserver64", "wineserver", "/usr/lib/wine/wineserver64"); server != "" {
		// The server lingers a few seconds after the last program, holding the
		// prefix: end it and wait for it before the prefix is removed.
		t.Cleanup(func() {
			for _, flag := range []string{"-k", "-w"} {
				cmd := exec.Command(server, flag)
				cmd.Env = append(os.Environ(), env...)
				cmd.Run()
			}
		})
	}
	command(t, env, wine, "wineboot", "--init")
	src := filepath.Join(dir, "bcryptprimitives.c")
	if err := os.WriteFile(src, shim, 0o644); err != nil {
		t.Fatal(err)
	}
	command(t, nil, mingw, "-shared", "-O2", "-o", filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll"), src, "-ladvapi32")
	return wine, env
}

// Command runs a program on Wine (or any command) with env added, for at most five
// minutes, and returns its output; t fails if it fails.
func Command(t testing.TB, env []string, name string, args ...string) string {
	t.Helper()
	return command(t, env, name, args...)
}

// goTool is the go command of the toolchain running the tests, where it is known.
func goTool() string {
	if root := runtime.GOROOT(); root != "" { // empty in -trimpath builds
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return firstFound("go")
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func firstFound(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// command runs name, for at most five minutes (a first Wine prefix takes about 20 s).
func command(t testing.TB, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, out)
	}
	return string(out)
}
