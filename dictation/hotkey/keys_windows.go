//go:build windows

package hotkey

import (
	"fmt"

	xhotkey "golang.design/x/hotkey"
)

// libraryKey is the key's virtual-key code: letters and digits are their upper-case
// ASCII codes, F1 is 0x70.
func libraryKey(k string) (xhotkey.Key, bool) {
	name, ok := keyName(k)
	switch {
	case !ok:
		return 0, false
	case name == "Space":
		return xhotkey.KeySpace, true
	case len(name) == 1:
		return xhotkey.Key(name[0]), true
	}
	var n int
	fmt.Sscanf(name[1:], "%d", &n)
	return xhotkey.KeyF1 + xhotkey.Key(n-1), true
}

func libraryMods(c Combo) []xhotkey.Modifier {
	var mods []xhotkey.Modifier
	for _, m := range []struct {
		on  bool
		mod xhotkey.Modifier
	}{{c.Ctrl, xhotkey.ModCtrl}, {c.Shift, xhotkey.ModShift}, {c.Alt, xhotkey.ModAlt}, {c.Super, xhotkey.ModWin}} {
		if m.on {
			mods = append(mods, m.mod)
		}
	}
	return mods
}
