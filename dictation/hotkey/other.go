//go:build !linux

package hotkey

import (
	"errors"
	"runtime"
)

// Register is not built for this system yet (Windows and macOS will use
// golang.design/x/hotkey): dictation starts from the window's button there.
func Register(c Combo) (Hotkey, error) {
	return nil, errors.New("the global hotkey is not built for " + runtime.GOOS + " yet; start dictation from the window")
}
