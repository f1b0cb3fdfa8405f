package textscale

import (
	"os"
	"strconv"
	"testing"
)

// TestRegistryFactor: Factor reads Windows' text size from the registry. The test
// does not change the user's setting: it runs where $VELLUM_TEST_TEXT_SCALE says what
// the setting is (on Wine, in a throwaway prefix: textscale_wine_test.go).
func TestRegistryFactor(t *testing.T) {
	want, err := strconv.ParseFloat(os.Getenv("VELLUM_TEST_TEXT_SCALE"), 32)
	if err != nil {
		t.Skip("VELLUM_TEST_TEXT_SCALE is unset: the Linux test sets it on Wine")
	}
	if got := Factor(); got != float32(want) {
		t.Fatalf("Factor() = %v, want %v", got, want)
	}
}
