//go:build !windows

package app

import (
	"bufio"
	"os"
	"runtime"
	"strings"
	"syscall"
)

// machineAutostartFile is the PKG's launch agent on macOS, and the XDG desktop file
// for every account elsewhere.
var machineAutostartFile = func() string {
	if runtime.GOOS == "darwin" {
		return "/Library/LaunchAgents/health.vellum.desktop.plist"
	}
	return "/etc/xdg/autostart/vellum.desktop"
}()

func machineAutostartEntry() (machineEntry, bool) {
	fi, err := os.Lstat(machineAutostartFile)
	if err != nil {
		return machineEntry{}, false
	}
	e := machineEntry{Where: machineAutostartFile}
	st, _ := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.Mode().IsRegular():
		e.Broken = "it is not a regular file"
	case st != nil && st.Uid != 0, fi.Mode().Perm()&0o022 != 0:
		// launchd refuses such an agent, and anyone who can write it could start
		// anything in every account.
		e.Broken = "it is not root's alone (owner root, writable by no one else)"
	case runtime.GOOS != "darwin" && desktopFileHidden(machineAutostartFile):
		e.Broken = "it says Hidden=true or X-GNOME-Autostart-enabled=false"
	}
	return e, true
}

// desktopFileHidden says whether an XDG autostart file turns itself off.
func desktopFileHidden(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		switch strings.ReplaceAll(sc.Text(), " ", "") {
		case "Hidden=true", "X-GNOME-Autostart-enabled=false":
			return true
		}
	}
	return false
}

// removeMachineEntry is how IT takes the installer's entry away.
var removeMachineEntry = "remove " + machineAutostartFile + " (sudo rm)"
