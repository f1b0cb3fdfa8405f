package models

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// DefaultDir is the managed models folder, writable by administrators only: under the
// ProgramData known folder (not %ProgramData%, which the user's environment sets).
func DefaultDir() string {
	pd, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0)
	if err != nil {
		pd = `C:\ProgramData`
	}
	return filepath.Join(pd, "Vellum", "models")
}
