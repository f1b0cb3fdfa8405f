//go:build linux

package textscale

import (
	"testing"

	"github.com/vellumhealth/vellum/internal/wine"
)

// TestWindowsTextSizeOnWine: with Accessibility › Text size at 150% in the registry
// (HKCU\Software\Microsoft\Accessibility, TextScaleFactor = 150), Factor reads 1.5,
// run as a Windows program on Wine.
func TestWindowsTextSizeOnWine(t *testing.T) {
	out := wine.Run(t, "TestRegistryFactor", []string{"VELLUM_TEST_TEXT_SCALE=1.5"},
		[]string{"reg", "add", `HKCU\Software\Microsoft\Accessibility`, "/v", "TextScaleFactor", "/t", "REG_DWORD", "/d", "150", "/f"})
	t.Logf("on Wine:\n%s", out)
}
