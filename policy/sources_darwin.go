package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
)

const managedPrefs = "/Library/Managed Preferences/" + BundleID + ".plist"

func platformSources() Sources {
	return Sources{
		MachineFile: "/Library/Application Support/Vellum/policy.json",
		OSPolicy:    readManagedPreferences,
	}
}

// readManagedPreferences reads the MDM profile's settings. Managed preferences are
// property lists, often binary; plutil (part of macOS) turns them into JSON.
func readManagedPreferences() (Values, string, error) {
	if _, err := os.Stat(managedPrefs); errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	}
	out, err := exec.Command("/usr/bin/plutil", "-convert", "json", "-o", "-", managedPrefs).Output()
	if err != nil {
		return nil, "", fmt.Errorf("policy %s: plutil: %w", managedPrefs, err)
	}
	v, err := ParseJSON(managedPrefs, out, true)
	return v, managedPrefs, err
}
