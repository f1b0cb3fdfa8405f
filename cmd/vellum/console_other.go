//go:build !windows

package main

// attachConsole: only Windows builds vellum as a GUI program without a console.
func attachConsole([]string) {}
