//go:build !vellumtest

package main

import "fyne.io/fyne/v2"

// testScreenshots is a hook of integration-test builds only (desktop_vellumtest.go).
func testScreenshots(fyne.Window) {}
