package main

import (
	"os"
	"testing"

	"github.com/godbus/dbus/v5"
)

// TestTrayNeedsAStatusNotifierHost: on Linux the window keeps to the tray only where
// a StatusNotifier host owns its name on the session bus.
func TestTrayNeedsAStatusNotifierHost(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus (make test runs the tests inside one)")
	}
	const name = "org.kde.StatusNotifierWatcher"
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var has bool
	conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
	if has {
		t.Skip("a StatusNotifier host already runs on this bus")
	}
	if trayAvailable() {
		t.Fatal("a tray is reported with no StatusNotifier host")
	}
	if reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v, %v", name, reply, err)
	}
	defer conn.ReleaseName(name)
	if !trayAvailable() {
		t.Fatal("no tray reported with a StatusNotifier host on the bus")
	}
}
