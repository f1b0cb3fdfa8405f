//go:build !vellumtest

package policy

// testPaths is the identity in every real build: policy locations cannot be moved by
// the environment, or a user could escape the organisation's settings.
func testPaths(s Sources) Sources { return s }
