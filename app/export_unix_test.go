//go:build !windows

package app

// MachineAutostartAt reads the installer's entry as if it were at path.
func MachineAutostartAt(path string) (where, broken string, ok bool) {
	old := machineAutostartFile
	defer func() { machineAutostartFile = old }()
	machineAutostartFile = path
	e, ok := machineAutostartEntry()
	return e.Where, e.Broken, ok
}
