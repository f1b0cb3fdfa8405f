//go:build linux

package clipboard

import (
	"testing"

	"github.com/vellumhealth/vellum/internal/wine"
)

// TestWindowsClipboardOnWine runs TestWritePrivateMarksTheText as a Windows program
// on Wine: the Win32 clipboard calls run for real, against Wine's implementation. That
// Windows' clipboard history then skips the text is Windows' doing, not seen here.
func TestWindowsClipboardOnWine(t *testing.T) {
	t.Logf("on Wine:\n%s", wine.Run(t, "TestWritePrivateMarksTheText", []string{"VELLUM_TEST_CLIPBOARD=1"}))
}
