package textscale

import (
	"os"
	"testing"

	"github.com/godbus/dbus/v5"
)

// portal is the desktop portal's Settings interface as GNOME's backend answers it.
type portal struct {
	factor  float64
	readOne bool // portal version 2; older ones have only Read
}

func (p portal) ReadOne(ns, key string) (dbus.Variant, *dbus.Error) {
	if !p.readOne {
		return dbus.Variant{}, dbus.MakeFailedError(dbus.ErrMsgUnknownMethod)
	}
	return p.read(ns, key)
}

func (p portal) Read(ns, key string) (dbus.Variant, *dbus.Error) {
	v, err := p.read(ns, key)
	return dbus.MakeVariant(v), err // Read wraps its answer once more
}

func (p portal) read(ns, key string) (dbus.Variant, *dbus.Error) {
	if ns != "org.gnome.desktop.interface" || key != "text-scaling-factor" {
		return dbus.Variant{}, dbus.NewError("org.freedesktop.portal.Error.NotFound", nil)
	}
	return dbus.MakeVariant(p.factor), nil
}

// TestPortalFactor: GNOME's text scaling factor, read through the desktop portal on a
// real session bus, in both of the portal's dialects; 1 without a portal.
func TestPortalFactor(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus (make test runs the tests inside one)")
	}
	client, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var has bool
	client.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, portalName).Store(&has)
	if has {
		t.Skip("a desktop portal already runs on this bus")
	}
	if f := portalFactor(client); f != 1 {
		t.Fatalf("no portal: factor %v, want 1", f)
	}
	for _, p := range []portal{{1.5, true}, {1.25, false}} {
		server, err := dbus.ConnectSessionBus()
		if err != nil {
			t.Fatal(err)
		}
		server.Export(p, portalPath, settingsAPI)
		if reply, err := server.RequestName(portalName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("own %s: %v %v", portalName, reply, err)
		}
		if f := portalFactor(client); f != float32(p.factor) {
			t.Errorf("portal (ReadOne %v) says %v: factor %v", p.readOne, p.factor, f)
		}
		server.ReleaseName(portalName) // before the next owner asks for it
		server.Close()
	}
}
