package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetPreference(t *testing.T) {
	dir := t.TempDir()
	s := Sources{UserFile: filepath.Join(dir, "prefs.json"), MachineFile: filepath.Join(dir, "installer.json")}
	current := func() Snapshot {
		snap, _, err := Current(s)
		if err != nil {
			t.Fatal(err)
		}
		return snap
	}
	if err := SetPreference(s, current(), Theme, "dark"); err != nil {
		t.Fatal(err)
	}
	if err := SetPreference(s, current(), DefaultTemplate, "progress"); err != nil {
		t.Fatal(err)
	}
	snap := current()
	if snap.String(Theme) != "dark" || snap.String(DefaultTemplate) != "progress" || snap.Get(Theme).Origin != FromUser {
		t.Fatalf("after setting: theme %q, template %q", snap.String(Theme), snap.String(DefaultTemplate))
	}
	if err := SetPreference(s, snap, Theme, "purple"); err == nil || !strings.Contains(err.Error(), "purple") {
		t.Fatalf("an invalid theme: %v", err)
	}
	if err := SetPreference(s, snap, IdleTimeout, "1h"); err == nil {
		t.Fatal("a user set the idle timeout")
	}
	os.WriteFile(s.MachineFile, []byte(`{"theme": "high-contrast"}`), 0o644)
	if err := SetPreference(s, current(), Theme, "light"); !errors.Is(err, ErrManaged) {
		t.Fatalf("a setting policy locks: %v", err)
	}
	if got := current().String(Theme); got != "high-contrast" {
		t.Fatalf("theme %q under policy", got)
	}
}
