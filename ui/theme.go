package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is the Fyne theme for policy's `theme` setting: "light", "dark",
// "high-contrast", or "system" (anything else), which follows the OS, with text
// drawn at text times its default size: the OS's text size setting
// (ui/textscale.Factor). The display's scale applies on top, by Fyne.
func Theme(name string, text float32) fyne.Theme {
	var t fyne.Theme
	switch name {
	case "light":
		t = fixedVariant{theme.DefaultTheme(), theme.VariantLight}
	case "dark":
		t = fixedVariant{theme.DefaultTheme(), theme.VariantDark}
	case "high-contrast":
		t = highContrast{theme.DefaultTheme()}
	default:
		t = theme.DefaultTheme()
	}
	if text > 0 && text != 1 {
		t = largerText{t, text}
	}
	return t
}

// largerText scales the sizes of text, and of the icons that stand beside text.
type largerText struct {
	fyne.Theme
	f float32
}

func (t largerText) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return t.Theme.Size(n) * t.f
	}
	return t.Theme.Size(n)
}

// fixedVariant is the default theme, light or dark whatever the OS prefers.
type fixedVariant struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t fixedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// highContrast is white and yellow on black, with white borders: every text colour
// has a contrast ratio of at least 7:1 with the background (WCAG AAA).
type highContrast struct{ fyne.Theme }

var (
	hcBlack  = color.NRGBA{0, 0, 0, 255}
	hcWhite  = color.NRGBA{255, 255, 255, 255}
	hcYellow = color.NRGBA{255, 230, 0, 255}
	hcGrey   = color.NRGBA{200, 200, 200, 255}
	hcRed    = color.NRGBA{255, 140, 140, 255}
)

func (t highContrast) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground,
		theme.ColorNameMenuBackground, theme.ColorNameHeaderBackground, theme.ColorNameButton:
		return hcBlack
	case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator, theme.ColorNameForegroundOnPrimary:
		return hcWhite
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink, theme.ColorNameSelection:
		return hcYellow
	case theme.ColorNamePlaceHolder, theme.ColorNameDisabled, theme.ColorNameDisabledButton:
		return hcGrey
	case theme.ColorNameError:
		return hcRed
	}
	return t.Theme.Color(n, theme.VariantDark)
}
