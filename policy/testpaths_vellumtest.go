//go:build vellumtest

package policy

import (
	"os"
	"path/filepath"
)

// testPaths, in binaries built with the vellumtest tag for integration tests only,
// moves the machine-level policy files under $VELLUM_TEST_POLICY_DIR.
func testPaths(s Sources) Sources {
	if d := os.Getenv("VELLUM_TEST_POLICY_DIR"); d != "" {
		s.MachineFile = filepath.Join(d, "installer.json")
		s.OSFile = filepath.Join(d, "policy.json")
		s.OSPolicy = nil
	}
	return s
}
