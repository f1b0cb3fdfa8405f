//go:build !linux && !windows && !(darwin && cgo)

package hotkey

import (
	"errors"
	"runtime"
)

// Register is not built for this system: dictation starts from the window's button
// there.
func Register(c Combo) (Hotkey, error) {
	return nil, errors.New("the global hotkey is not built for " + runtime.GOOS + "; start dictation from the window")
}
