//go:build darwin && cgo

package hotkey

import xhotkey "golang.design/x/hotkey"

// darwinKeys are the keys' codes on a Mac keyboard (Carbon's kVK_ constants).
var darwinKeys = map[string]xhotkey.Key{
	"Space": xhotkey.KeySpace,
	"A":     xhotkey.KeyA,
	"B":     xhotkey.KeyB,
	"C":     xhotkey.KeyC,
	"D":     xhotkey.KeyD,
	"E":     xhotkey.KeyE,
	"F":     xhotkey.KeyF,
	"G":     xhotkey.KeyG,
	"H":     xhotkey.KeyH,
	"I":     xhotkey.KeyI,
	"J":     xhotkey.KeyJ,
	"K":     xhotkey.KeyK,
	"L":     xhotkey.KeyL,
	"M":     xhotkey.KeyM,
	"N":     xhotkey.KeyN,
	"O":     xhotkey.KeyO,
	"P":     xhotkey.KeyP,
	"Q":     xhotkey.KeyQ,
	"R":     xhotkey.KeyR,
	"S":     xhotkey.KeyS,
	"T":     xhotkey.KeyT,
	"U":     xhotkey.KeyU,
	"V":     xhotkey.KeyV,
	"W":     xhotkey.KeyW,
	"X":     xhotkey.KeyX,
	"Y":     xhotkey.KeyY,
	"Z":     xhotkey.KeyZ,
	"0":     xhotkey.Key0,
	"1":     xhotkey.Key1,
	"2":     xhotkey.Key2,
	"3":     xhotkey.Key3,
	"4":     xhotkey.Key4,
	"5":     xhotkey.Key5,
	"6":     xhotkey.Key6,
	"7":     xhotkey.Key7,
	"8":     xhotkey.Key8,
	"9":     xhotkey.Key9,
	"F1":    xhotkey.KeyF1,
	"F2":    xhotkey.KeyF2,
	"F3":    xhotkey.KeyF3,
	"F4":    xhotkey.KeyF4,
	"F5":    xhotkey.KeyF5,
	"F6":    xhotkey.KeyF6,
	"F7":    xhotkey.KeyF7,
	"F8":    xhotkey.KeyF8,
	"F9":    xhotkey.KeyF9,
	"F10":   xhotkey.KeyF10,
	"F11":   xhotkey.KeyF11,
	"F12":   xhotkey.KeyF12,
}

func libraryKey(k string) (xhotkey.Key, bool) {
	name, ok := keyName(k)
	if !ok {
		return 0, false
	}
	key, ok := darwinKeys[name]
	return key, ok
}

// libraryMods: Super is Command, Alt is Option.
func libraryMods(c Combo) []xhotkey.Modifier {
	var mods []xhotkey.Modifier
	for _, m := range []struct {
		on  bool
		mod xhotkey.Modifier
	}{{c.Ctrl, xhotkey.ModCtrl}, {c.Shift, xhotkey.ModShift}, {c.Alt, xhotkey.ModOption}, {c.Super, xhotkey.ModCmd}} {
		if m.on {
			mods = append(mods, m.mod)
		}
	}
	return mods
}
