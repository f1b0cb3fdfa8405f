package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// ProfileDir resolves the profile directory: flag if set, else $VELLUM_PROFILE, else the
// OS user's data directory (Linux: $XDG_DATA_HOME/vellum or ~/.local/share/vellum;
// macOS: ~/Library/Application Support/Vellum; Windows: %LOCALAPPDATA%\Vellum).
func ProfileDir(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if env := os.Getenv("VELLUM_PROFILE"); env != "" {
		return filepath.Abs(env)
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "Vellum"), nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support", "Vellum"), nil
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "vellum"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, ".local", "share", "vellum"), nil
	}
	return "", errors.New("cannot tell where this user's data lives; pass --profile DIR")
}
