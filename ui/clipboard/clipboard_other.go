//go:build !windows

package clipboard

func writePrivate(string) error { return ErrUnsupported }
