package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vellumhealth/vellum/vault"
)

// VaultForTest lets the tests look at the vault behind the use cases, to see what a
// refused or failed use case left there.
func (a *App) VaultForTest() *vault.Vault { return a.vault }

// fileAutostart is a per-user entry kept as a file, standing in for go-autostart's.
type fileAutostart string

func (f fileAutostart) IsEnabled() bool { _, err := os.Stat(string(f)); return err == nil }
func (f fileAutostart) Enable() error {
	return os.WriteFile(string(f), []byte("[Desktop Entry]\n"), 0o600)
}
func (f fileAutostart) Disable() error { return os.Remove(string(f)) }

// AutostartForTest points launch at login at files in dir, for the rest of t: the
// user's entry (user.desktop) and the installer's for every account (machine.desktop,
// which works where it exists).
func AutostartForTest(t testing.TB, dir string) (user, machine string) {
	user, machine = filepath.Join(dir, "user.desktop"), filepath.Join(dir, "machine.desktop")
	oldUser, oldMachine := userAutostart, machineAutostart
	userAutostart = func(string) autostartEntry { return fileAutostart(user) }
	machineAutostart = func() (machineEntry, bool) {
		_, err := os.Stat(machine)
		return machineEntry{Where: machine}, err == nil
	}
	t.Cleanup(func() { userAutostart, machineAutostart = oldUser, oldMachine })
	return user, machine
}

// VADModelBeside finds the voice activity model as a binary in dir on goos does.
func VADModelBeside(dir, goos string) (string, bool) { return vadModelBeside(dir, goos) }
