//go:build !windows && !darwin

package models

// DefaultDir is the managed models folder, writable by administrators only.
func DefaultDir() string { return "/var/lib/vellum/models" }
