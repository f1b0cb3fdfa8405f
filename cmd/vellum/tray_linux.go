package main

import "github.com/godbus/dbus/v5"

// trayAvailable tells whether the desktop shows tray icons. On Linux that needs a
// StatusNotifier host on the session bus (KDE, GNOME with the AppIndicator extension,
// most others): without one, a window hidden to the tray could never be found again,
// so closing it quits instead.
func trayAvailable() bool {
	conn, err := dbus.SessionBus() // shared: not closed here
	if err != nil {
		return false
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
