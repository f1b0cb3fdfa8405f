package ui

import (
	"bytes"
	_ "embed"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is Vellum's application icon, for the window, the system tray and the
// installers (FyneApp.toml names the same file). A PNG: the tray on Linux and
// Windows takes raster images only.
var Icon = fyne.NewStaticResource("vellum.png", iconPNG)

// RecordingIcon is Icon with a red dot: the tray's icon while dictation listens.
var RecordingIcon = fyne.NewStaticResource("vellum-recording.png", withRedDot(iconPNG))

// withRedDot draws a red dot, a quarter of its width across, at a PNG's lower right.
func withRedDot(b []byte) []byte {
	src, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		panic("ui: the embedded icon is not a PNG: " + err.Error())
	}
	r := src.Bounds()
	img := image.NewNRGBA(r)
	draw.Draw(img, r, src, r.Min, draw.Src)
	d := r.Dx() / 4
	cx, cy := r.Max.X-d/2-d/8, r.Max.Y-d/2-d/8
	red := color.NRGBA{R: 0xd3, G: 0x2f, B: 0x2f, A: 0xff}
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	for y := cy - d/2 - 2; y <= cy+d/2+2; y++ {
		for x := cx - d/2 - 2; x <= cx+d/2+2; x++ {
			dx, dy := x-cx, y-cy
			switch dist := dx*dx + dy*dy; {
			case dist <= (d/2)*(d/2):
				img.Set(x, y, red)
			case dist <= (d/2+2)*(d/2+2):
				img.Set(x, y, white) // a ring, so the dot shows on a red icon too
			}
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		panic(err)
	}
	return out.Bytes()
}
