package ui

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is Vellum's application icon, for the window, the system tray and the
// installers (FyneApp.toml names the same file). A PNG: the tray on Linux and
// Windows takes raster images only.
var Icon = fyne.NewStaticResource("vellum.png", iconPNG)
