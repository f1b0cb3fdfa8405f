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
	hc := Theme("high-contrast", 1)
	bg := hc.Color(theme.ColorNameBackground, theme.VariantLight)
	for _, n := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameError,
		theme.ColorNamePlaceHolder, theme.ColorNameDisabled, theme.ColorNameInputBorder} {
		if r := contrast(hc.Color(n, theme.VariantLight), bg); r < 7 {
			t.Errorf("high contrast: %s on the background is %.1f:1, want 7:1", n, r)
		}
	}
	light, dark := Theme("light", 1), Theme("dark", 1)
	if light.Color(theme.ColorNameBackground, theme.VariantDark) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) ||
		dark.Color(theme.ColorNameBackground, theme.VariantLight) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Fatal("light and dark do not hold whatever the OS prefers")
	}
	if Theme("system", 1) != theme.DefaultTheme() {
		t.Fatal("system is not the default theme")
	}
}

// TestLargerTextGrowsTheScreens: with the OS's text size at 150%, every theme draws
// text half as large again, and the sign-in and lock forms widen with it instead of
// cutting their text off.
func TestLargerTextGrowsTheScreens(t *testing.T) {
	for _, name := range []string{"light", "dark", "high-contrast", "system"} {
		th := Theme(name, 1.5)
		for _, n := range []fyne.ThemeSizeName{theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameCaptionText} {
			if got, want := th.Size(n), 1.5*theme.DefaultTheme().Size(n); got != want {
				t.Errorf("%s: %s is %v at 150%%, want %v", name, n, got, want)
			}
		}
		if th.Size(theme.SizeNamePadding) != theme.DefaultTheme().Size(theme.SizeNamePadding) {
			t.Errorf("%s: padding changed with the text size", name)
		}
		if th.Color(theme.ColorNameBackground, theme.VariantLight) != Theme(name, 1).Color(theme.ColorNameBackground, theme.VariantLight) {
			t.Errorf("%s: colours changed with the text size", name)
		}
	}

	w, _, _ := setup(t)
	fyne.CurrentApp().Settings().SetTheme(Theme("light", 1.5))
	w.win.Resize(fyne.NewSize(1100, 720))
	form := w.signIn.content.(*fyne.Container).Objects[0]
	if got := form.Size().Width; got < 570 {
		t.Errorf("the sign-in form is %v wide at 150%% text, want 570 (380 at 100%%)", got)
	}
	for _, o := range []fyne.CanvasObject{w.signIn.submit, w.signIn.emergent} {
		if o.Size().Width < o.MinSize().Width {
			t.Errorf("%T is cut off at 150%% text: %v wide, needs %v", o, o.Size().Width, o.MinSize().Width)
		}
	}
}
