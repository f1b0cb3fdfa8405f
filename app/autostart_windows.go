//go:build windows

package app

import (
	"os"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// machineRunKey is where the MSI's LAUNCHATLOGIN=1 puts the value "Vellum".
const machineRunKey = `SOFTWARE\Microsoft\Windows\CurrentVersion\Run`

func machineAutostartEntry() (machineEntry, bool) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, machineRunKey, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err != nil {
		return machineEntry{}, false
	}
	defer k.Close()
	cmd, _, err := k.GetStringValue("Vellum")
	if err != nil {
		return machineEntry{}, false
	}
	e := machineEntry{Where: `HKLM\` + machineRunKey + `\Vellum = ` + cmd}
	// The program is the command's first word, quoted where it has spaces.
	exe := cmd
	if strings.HasPrefix(exe, `"`) {
		exe, _, _ = strings.Cut(exe[1:], `"`)
	} else {
		exe, _, _ = strings.Cut(exe, " ")
	}
	if fi, err := os.Stat(exe); err != nil || !fi.Mode().IsRegular() {
		e.Broken = "its program " + exe + " is not there"
	}
	return e, true
}

// removeMachineEntry is how IT takes the installer's entry away.
const removeMachineEntry = "repair the MSI with LAUNCHATLOGIN=0 (msiexec /i vellum.msi REINSTALL=ALL REINSTALLMODE=omus LAUNCHATLOGIN=0), which also sets launch_at_login off as machine policy"
