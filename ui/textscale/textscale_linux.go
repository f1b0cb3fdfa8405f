package textscale

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	portalName  = "org.freedesktop.portal.Desktop"
	portalPath  = "/org/freedesktop/portal/desktop"
	settingsAPI = "org.freedesktop.portal.Settings"
)

func osFactor() float32 {
	conn, err := dbus.SessionBus() // shared: not closed here
	if err != nil {
		return 1
	}
	return portalFactor(conn)
}

// portalFactor asks the desktop portal for GNOME's text-scaling-factor: ReadOne
// (portal version 2), else Read, whose answer older portals wrap in a second variant.
func portalFactor(conn *dbus.Conn) float32 {
	obj := conn.Object(portalName, portalPath)
	// The portal starts on demand; a desktop without one must not hold up the window
	// (start-up to the sign-in window is meant to take under a second).
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	read := func(method string) (v dbus.Variant, ok bool) {
		err := obj.CallWithContext(ctx, settingsAPI+"."+method, 0, "org.gnome.desktop.interface", "text-scaling-factor").Store(&v)
		return v, err == nil
	}
	v, ok := read("ReadOne")
	if !ok {
		if v, ok = read("Read"); !ok {
			return 1
		}
	}
	if inner, nested := v.Value().(dbus.Variant); nested {
		v = inner
	}
	if f, ok := v.Value().(float64); ok {
		return float32(f)
	}
	return 1
}
