//go:build !windows

package app_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vellumhealth/vellum/app"
)

// TestTheInstallersEntryCountsOnlyWhereItWorks: Vellum drops a user's own entry only
// for an installer's entry that starts Vellum: root's alone, a regular file, not
// turned off. Anything else would leave the user with no launch at login at all, or
// (group-writable) let another account choose what every account starts.
func TestTheInstallersEntryCountsOnlyWhereItWorks(t *testing.T) {
	dir := t.TempDir()
	entry := filepath.Join(dir, "vellum.desktop")
	if _, _, ok := app.MachineAutostartAt(entry); ok {
		t.Fatal("an entry that is not there")
	}
	os.WriteFile(entry, []byte("[Desktop Entry]\nType=Application\nExec=/usr/bin/vellum\n"), 0o644)
	if os.Getuid() == 0 { // tests run as root in CI: the file is root's
		if where, broken, ok := app.MachineAutostartAt(entry); !ok || broken != "" || where != entry {
			t.Errorf("root's working entry: %q %q %v", where, broken, ok)
		}
	}
	for name, spoil := range map[string]func(){
		"group-writable": func() { os.Chmod(entry, 0o664) },
		"hidden":         func() { os.WriteFile(entry, []byte("[Desktop Entry]\nHidden=true\n"), 0o644) },
		"turned off":     func() { os.WriteFile(entry, []byte("[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n"), 0o644) },
		"a link": func() {
			os.Remove(entry)
			os.WriteFile(filepath.Join(dir, "elsewhere"), []byte("[Desktop Entry]\n"), 0o644)
			os.Symlink(filepath.Join(dir, "elsewhere"), entry)
		},
	} {
		os.Remove(entry)
		os.WriteFile(entry, []byte("[Desktop Entry]\n"), 0o644)
		os.Chmod(entry, 0o644)
		spoil()
		if _, broken, ok := app.MachineAutostartAt(entry); !ok || broken == "" {
			t.Errorf("%s: counted as working (%q, %v)", name, broken, ok)
		}
	}
}
