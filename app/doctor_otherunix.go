//go:build unix && !linux

package app

// dumpable is not known where the OS has no such flag Vellum sets.
func dumpable() (dumpable, known bool) { return false, false }
