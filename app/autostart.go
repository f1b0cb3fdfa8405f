package app

import "github.com/emersion/go-autostart"

// Launch at login comes in two forms. Vellum keeps a per-user entry in step with
// policy itself (applyLaunchAtLogin). An installer may instead start Vellum for every
// account on the machine: the MSI's LAUNCHATLOGIN=1 (the value "Vellum" under HKLM's
// Run key), the PKG's launch agent (/Library/LaunchAgents/health.vellum.desktop.plist),
// or the desktop file IT drops in /etc/xdg/autostart/vellum.desktop. Where the
// machine's entry works, a user's own entry would start a second Vellum at sign-in
// (on Linux it would hide the machine's), so Vellum removes its own. An entry that
// cannot work (its program gone, a launch agent launchd refuses, a hidden desktop
// file) does not count: Vellum keeps the user's, and doctor says what is wrong.

// machineEntry is the installer's entry: where it is, and why it cannot work, if so.
type machineEntry struct {
	Where, Broken string
}

// machineAutostart finds the installer's entry (a variable for tests); ok is false
// where there is none.
var machineAutostart = func() (e machineEntry, ok bool) { return machineAutostartEntry() }

// autostartEntry is the per-user entry: go-autostart's, or a test's.
type autostartEntry interface {
	IsEnabled() bool
	Enable() error
	Disable() error
}

// userAutostart is this OS account's entry that starts exe (a variable for tests:
// go-autostart fixes its folder when the process starts).
var userAutostart = func(exe string) autostartEntry {
	return &autostart.App{Name: "vellum", DisplayName: "Vellum", Exec: []string{exe}}
}
