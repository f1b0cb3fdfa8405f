package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDesktopUnderXvfb starts the real binary's window on a virtual display, signs in,
// writes and signs a note by keyboard (xdotool), and keeps a screenshot of the main
// window as a test artifact ($VELLUM_ARTIFACTS, else the test's temp dir).
func TestDesktopUnderXvfb(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing (make deps installs it)", tool)
			}
			t.Skipf("%s is missing: `make deps` installs it", tool)
		}
	}
	s := newSandbox(t)
	s.setup()

	display := fmt.Sprintf(":%d", 90+os.Getpid()%900)
	xvfb := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { xvfb.Process.Kill(); xvfb.Wait() }()
	xdo := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}

	artifacts := os.Getenv("VELLUM_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	shot := filepath.Join(artifacts, "desktop-main-window.png")
	os.Remove(shot)
	app := exec.Command(vellumBin) // no arguments: the window, since a display exists
	app.Env = append(os.Environ(), "DISPLAY="+display, "VELLUM_TEST_SCREENSHOT="+shot,
		"VELLUM_PROFILE="+s.profile, "HOME="+s.home, "TMPDIR="+s.tmp, "XDG_CACHE_HOME="+s.cache,
		"VELLUM_TEST_POLICY_DIR="+s.policy, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"))
	var stderr bytes.Buffer
	app.Stderr = &stderr
	// Xvfb takes a moment to accept clients; the app retries nothing, so wait for it.
	waitUntil(t, 10*time.Second, "Xvfb to start", func() bool {
		cmd := exec.Command("xdotool", "getmouselocation")
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		return cmd.Run() == nil
	})
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { app.Process.Kill(); app.Wait() }()

	win := xdo("search", "--sync", "--name", "^Vellum$")
	win = strings.Fields(win)[0]
	time.Sleep(time.Second) // the first frame
	xdo("windowfocus", "--sync", win)
	typeText := func(s string) { xdo("type", "--delay", "20", s) }
	key := func(k string) { xdo("key", "--delay", "50", k); time.Sleep(200 * time.Millisecond) }

	typeText(docName)
	key("Tab")
	typeText(testPW)
	key("Return")
	waitUntil(t, 10*time.Second, "the sign-in", func() bool {
		cmd := exec.Command("xdotool", "getwindowname", win)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, _ := cmd.Output()
		return strings.TrimSpace(string(out)) == "Vellum — "+docName
	})
	key("ctrl+n")
	typeText("SYN-MRN-77")
	key("Tab")
	typeText("Clinic note by keyboard")
	key("Return")
	typeText("Synthetic text: cough for three days, lungs clear.")
	key("ctrl+s")
	time.Sleep(500 * time.Millisecond)
	app.Process.Signal(syscall.SIGUSR1)
	waitUntil(t, 10*time.Second, "the screenshot", func() bool { _, err := os.Stat(shot); return err == nil })
	key("ctrl+Return")

	var signed bool
	defer func() {
		if t.Failed() {
			t.Logf("the app's stderr:\n%s", stderr.String())
		}
	}()
	waitUntil(t, 10*time.Second, "the note to be signed", func() bool {
		var notes []struct{ Title, Status, Body string }
		json.Unmarshal([]byte(s.ok("", "notes", "list", "--json").stdout), &notes)
		for _, n := range notes {
			signed = signed || (n.Title == "Clinic note by keyboard" && n.Status == "signed")
		}
		return signed
	})
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 800 {
		t.Fatalf("screenshot %s: %v", shot, err)
	}
	t.Logf("screenshot of the main window: %s (%dx%d)", shot, img.Bounds().Dx(), img.Bounds().Dy())
}

func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
