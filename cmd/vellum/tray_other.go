//go:build !linux

package main

// trayAvailable: Windows' notification area and macOS's menu bar are always there.
func trayAvailable() bool { return true }
