// Package textscale reads how large the OS asks applications to draw text, for
// physicians who set their workstation to larger text.
//
// Fyne already follows the display's scale (Windows display scaling, a monitor's
// resolution on X11, Retina on macOS): everything grows together. The text size
// setting is separate and Fyne does not read it:
//
//   - Windows 10 and later: Settings › Accessibility › Text size, stored as
//     HKCU\Software\Microsoft\Accessibility\TextScaleFactor (100–225 %).
//   - Linux: GNOME's text scaling factor (Accessibility › Large Text, or GNOME
//     Tweaks), org.gnome.desktop.interface text-scaling-factor, read through the
//     XDG desktop portal's Settings interface on the session bus, so that it works
//     inside a sandbox too. Desktops whose portal does not offer it read as 1.
//   - macOS has no system-wide text size for desktop applications: 1.
//
// The factor is read once, when the window opens (waiting at most half a second for
// the portal); a change applies at the next start.
package textscale

// Factor is the OS's text size over its default: 1 where unset, unknown or out of
// range (below 0.5 or above 3).
func Factor() float32 { return sane(osFactor()) }

func sane(f float32) float32 {
	if f < 0.5 || f > 3 {
		return 1
	}
	return f
}
