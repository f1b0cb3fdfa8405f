package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is the Fyne theme for policy's `theme` setting: "light", "dark",
// "high-contrast", or "system" (anything else), which follows the OS. Text size
// follows the OS scale setting in every theme (Fyne applies it).
func Theme(name string) fyne.Theme {
	switch name {
	case "light":
		return fixedVariant{theme.DefaultTheme(), theme.VariantLight}
	case "dark":
		return fixedVariant{theme.DefaultTheme(), theme.VariantDark}
	case "high-contrast":
		return highContrast{theme.DefaultTheme()}
	}
	return theme.DefaultTheme()
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
