//go:build linux

package clipboard

import (
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/ui/internal/wine"
)

// TestWindowsClipboardOnWine runs TestWritePrivateMarksTheText as a Windows program
// on Wine: the Win32 clipboard calls run for real, against Wine's implementation. That
// Windows' clipboard history then skips the text is Windows' doing, not seen here.
func TestWindowsClipboardOnWine(t *testing.T) {
	out := wine.Run(t, "^TestWritePrivateMarksTheText$", []string{"VELLUM_TEST_CLIPBOARD=1"})
	if !strings.Contains(out, "--- PASS: TestWritePrivateMarksTheText") {
		t.Fatalf("the Windows test did not pass on Wine:\n%s", out)
	}
	t.Logf("on Wine:\n%s", out)
}
