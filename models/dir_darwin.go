package models

// DefaultDir is the managed models folder, writable by administrators only.
func DefaultDir() string { return "/Library/Application Support/Vellum/models" }
