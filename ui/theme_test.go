package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, bl, _ := c.RGBA()
		ch := func(v uint32) float64 {
			s := float64(v) / 0xffff
			if s <= 0.03928 {
				return s / 12.92
			}
			return math.Pow((s+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(bl)
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestThemes(t *testing.T) {
	hc := Theme("high-contrast")
	bg := hc.Color(theme.ColorNameBackground, theme.VariantLight)
	for _, n := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameError,
		theme.ColorNamePlaceHolder, theme.ColorNameDisabled, theme.ColorNameInputBorder} {
		if r := contrast(hc.Color(n, theme.VariantLight), bg); r < 7 {
			t.Errorf("high contrast: %s on the background is %.1f:1, want 7:1", n, r)
		}
	}
	light, dark := Theme("light"), Theme("dark")
	if light.Color(theme.ColorNameBackground, theme.VariantDark) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) ||
		dark.Color(theme.ColorNameBackground, theme.VariantLight) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Fatal("light and dark do not hold whatever the OS prefers")
	}
	if Theme("system") != theme.DefaultTheme() {
		t.Fatal("system is not the default theme")
	}
}
