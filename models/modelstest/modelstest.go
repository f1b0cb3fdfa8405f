// Package modelstest finds the project's real trained test model for tests:
// $VELLUM_TEST_MODEL, else shared/models/stories260K.gguf beside the checkout. With
// CI=true a missing model fails the test; elsewhere the test skips, saying so.
package modelstest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Path returns the test model's path.
func Path(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("VELLUM_TEST_MODEL"); p != "" {
		return p
	}
	_, here, _, _ := runtime.Caller(0) // <checkout>/models/modelstest/modelstest.go
	p := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", "models", "stories260K.gguf")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the test model is missing (%s); set VELLUM_TEST_MODEL", p)
		}
		t.Skipf("no test model at %s; set VELLUM_TEST_MODEL (see shared/models/README.md)", p)
	}
	return p
}
