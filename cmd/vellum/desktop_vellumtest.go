//go:build vellumtest

package main

import (
	"image"
	"image/png"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
)

// testScreenshots, in binaries built with the vellumtest tag for integration tests only,
// writes the window's image to $VELLUM_TEST_SCREENSHOT on SIGUSR1. A release binary
// has no such hook: a screenshot of the window is PHI on disk.
func testScreenshots(w fyne.Window) {
	path := os.Getenv("VELLUM_TEST_SCREENSHOT")
	if path == "" {
		return
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			fyne.Do(func() {
				img := render(w)
				f, err := os.Create(path + ".tmp")
				if err != nil {
					return
				}
				if png.Encode(f, img) == nil && f.Close() == nil {
					os.Rename(path+".tmp", path)
				}
			})
		}
	}()
}

// render draws the window's content with Fyne's software painter, at the window's
// size: reading the GL framebuffer back under Xvfb gives an empty frame. The content
// goes back to the window afterwards.
func render(w fyne.Window) image.Image {
	content, size := w.Content(), w.Canvas().Size()
	c := software.NewCanvas()
	c.SetPadded(false)
	c.SetContent(content)
	c.Resize(size)
	img := c.Capture()
	w.SetContent(content)
	return img
}
