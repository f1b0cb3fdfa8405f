//go:build !linux

package models

import "os"

// seal is the identity outside Linux: load only from the managed folder there, which
// only administrators can write.
func seal(f *os.File, path string) (*os.File, error) { return f, nil }
