//go:build linux

package hotkey

import (
	"testing"

	"github.com/vellumhealth/vellum/internal/wine"
)

// TestTheHotkeyOnWine runs TestTheHotkeyOnWindows as a Windows program on Wine: the
// combination is registered with RegisterHotKey and pressed with SendInput, tapped
// and held through repeat, against Wine's implementation. A real Windows desktop may
// differ (other programs' hotkeys, the secure desktop), and is not seen here.
func TestTheHotkeyOnWine(t *testing.T) {
	t.Logf("on Wine:\n%s", wine.Run(t, "TestTheHotkeyOnWindows", []string{"VELLUM_TEST_HOTKEY=1"}))
}
