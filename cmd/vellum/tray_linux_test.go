package main

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/theme"

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

// TestDesktopKeepsToTheTray: with a StatusNotifier host on the session bus and a
// window manager on the display, closing the real window (Alt+F4) locks the session
// and hides the window while Vellum keeps running; the tray menu, driven over D-Bus
// as a panel drives it, locks, opens the window again at the lock screen, and quits.
func TestDesktopKeepsToTheTray(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus (make test runs the tests inside one)")
	}
	s := newSandbox(t)
	s.setup()
	display := startXvfb(t)
	startWindowManager(t, display)
	host := startTrayHost(t)

	var stderr bytes.Buffer
	app := startDesktop(t, s, display, &stderr, nil)
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		if t.Failed() {
			t.Logf("the app's stderr:\n%s", stderr.String())
		}
	}()
	signInOnScreen(t, display)
	xdo, typeText, key := xdotool(t, display)
	item := host.item(t)
	// The panel draws the item's icon from IconPixmap: Vellum's icon, not a blank.
	// (The item may register a moment before its icon is set.)
	var pixmaps []struct {
		W, H int32
		ARGB []byte
	}
	waitUntil(t, 10*time.Second, "the tray item's icon", func() bool {
		v, err := host.conn.Object(item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.IconPixmap")
		pixmaps = nil
		return err == nil && dbus.Store([]any{v.Value()}, &pixmaps) == nil && len(pixmaps) > 0 &&
			pixmaps[0].W >= 16 && len(pixmaps[0].ARGB) == int(4*pixmaps[0].W*pixmaps[0].H)
	})
	menu := trayMenu(t, host.conn, item)
	for _, label := range []string{"Open Vellum", "Lock", "Quit"} {
		if _, ok := menu[label]; !ok {
			t.Fatalf("tray menu %v has no %q", menu, label)
		}
	}
	title := func() string {
		out, _ := exec.Command("sh", "-c", "DISPLAY="+display+" xdotool search --onlyvisible --name '^Vellum' getwindowname %@").Output()
		return strings.TrimSpace(string(out))
	}
	locks := func() int {
		n := 0
		for _, rec := range s.auditRecords(adminName) {
			if rec["act"] == "auth.lock" {
				n++
			}
		}
		return n
	}

	// Lock from the tray while the window is open.
	clickTray(t, host.conn, item, menu["Lock"])
	waitUntil(t, 10*time.Second, "the tray's Lock", func() bool { return title() == "Vellum — locked" })
	typeText(testPW)
	key("Return")
	waitUntil(t, 10*time.Second, "the unlock", func() bool { return title() == "Vellum — "+docName })

	// Close the window as a physician does: the session locks, the window goes, the
	// process stays.
	win := strings.Fields(xdo("search", "--onlyvisible", "--name", "^Vellum"))[0]
	xdo("windowfocus", "--sync", win)
	key("alt+F4")
	waitUntil(t, 10*time.Second, "the window to hide", func() bool { return title() == "" })
	select {
	case err := <-exited:
		t.Fatalf("closing the window ended Vellum (%v); policy keeps it in the tray", err)
	case <-time.After(2 * time.Second):
	}
	if n := locks(); n != 2 {
		t.Fatalf("%d auth.lock records, want 2 (the tray's Lock, then closing the window)", n)
	}

	// Open from the tray: the lock screen, no PHI, until the password is given again.
	clickTray(t, host.conn, item, menu["Open Vellum"])
	waitUntil(t, 10*time.Second, "the tray's Open", func() bool { return title() == "Vellum — locked" })

	// Quit may end Vellum before it answers the click (D-Bus then says the recipient
	// disconnected without replying): what counts is that it ends, and cleanly.
	host.conn.Object(item, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.Event", 0, menu["Quit"], "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("Quit from the tray: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Quit from the tray did not end Vellum")
	}
}

// startWindowManager runs openbox on display: closing a window (Alt+F4) is the window
// manager's doing, and Xvfb has none of its own.
func startWindowManager(t *testing.T, display string) {
	t.Helper()
	if _, err := exec.LookPath("openbox"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openbox is missing (make deps installs it)")
		}
		t.Skip("openbox is missing: `make deps` installs it")
	}
	wm := exec.Command("openbox", "--sm-disable")
	wm.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+t.TempDir())
	var stderr bytes.Buffer
	wm.Stderr = &stderr
	if err := wm.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		wm.Process.Kill()
		wm.Wait()
		if t.Failed() {
			t.Logf("openbox's stderr:\n%s", stderr.String())
		}
	})
	waitUntil(t, 10*time.Second, "openbox to manage the display", func() bool {
		out, _ := exec.Command("sh", "-c", "DISPLAY="+display+" xprop -root _NET_SUPPORTING_WM_CHECK").Output()
		return strings.Contains(string(out), "window id")
	})
}

// trayHost is the StatusNotifier watcher a desktop panel runs: items register with
// it, and the panel shows their menus.
type trayHost struct {
	conn  *dbus.Conn
	items chan string // the bus names of registered items
}

func startTrayHost(t *testing.T) *trayHost {
	t.Helper()
	const name = "org.kde.StatusNotifierWatcher"
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	h := &trayHost{conn: conn, items: make(chan string, 4)}
	if err := conn.Export(watcher{h}, "/StatusNotifierWatcher", name); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Skipf("another StatusNotifier host owns %s on this bus (%v, %v)", name, reply, err)
	}
	return h
}

// watcher is org.kde.StatusNotifierWatcher's one method an item calls.
type watcher struct{ h *trayHost }

func (w watcher) RegisterStatusNotifierItem(sender dbus.Sender, path string) *dbus.Error {
	w.h.items <- string(sender)
	return nil
}

func (h *trayHost) item(t *testing.T) string {
	t.Helper()
	select {
	case item := <-h.items:
		return item
	case <-time.After(10 * time.Second):
		t.Fatal("Vellum registered no tray item with the StatusNotifier host")
		return ""
	}
}

// trayMenu reads the item's menu (com.canonical.dbusmenu) as a panel does: label → id.
func trayMenu(t *testing.T, conn *dbus.Conn, item string) map[string]int32 {
	t.Helper()
	var rev uint32
	var layout struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	obj := conn.Object(item, "/StatusNotifierMenu")
	if err := obj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &layout); err != nil {
		t.Fatalf("tray menu: %v", err)
	}
	menu := map[string]int32{}
	for _, c := range layout.Children {
		var child struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
		if err := dbus.Store([]any{c.Value()}, &child); err != nil {
			t.Fatalf("tray menu entry %v: %v", c, err)
		}
		if label, ok := child.Props["label"].Value().(string); ok {
			menu[label] = child.ID
		}
	}
	return menu
}

// clickTray chooses a tray menu entry, as a panel does when it is clicked.
func clickTray(t *testing.T, conn *dbus.Conn, item string, id int32) {
	t.Helper()
	obj := conn.Object(item, "/StatusNotifierMenu")
	if err := obj.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err; err != nil {
		t.Fatalf("tray menu click: %v", err)
	}
}

// TestDesktopTextFollowsTheOS: with GNOME's text size at 150%, as the desktop portal
// reports it on the session bus, the real window draws its sign-in form half as
// wide again as at 100% (measured on the window's screenshots: the Sign in button).
// A screenshot at 150% is kept beside the main window's.
func TestDesktopTextFollowsTheOS(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus (make test runs the tests inside one)")
	}
	s := newSandbox(t)
	s.setup()
	os.WriteFile(filepath.Join(s.policy, "policy.json"), []byte(`{"theme": "light"}`), 0o644)
	artifacts := os.Getenv("VELLUM_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	buttonWidth := func(shot string) int {
		t.Helper()
		display := startXvfb(t)
		var stderr bytes.Buffer
		app := startDesktop(t, s, display, &stderr, nil, "VELLUM_TEST_SCREENSHOT="+shot)
		xdo, _, _ := xdotool(t, display)
		xdo("search", "--sync", "--onlyvisible", "--name", "^Vellum$")
		time.Sleep(time.Second) // the first frame
		app.Process.Signal(syscall.SIGUSR1)
		// The app writes the screenshot under another name and renames it: whole.
		waitUntil(t, 10*time.Second, "the screenshot", func() bool { _, err := os.Stat(shot); return err == nil })
		app.Process.Kill()
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		// The longest row of the theme's primary colour: the Sign in button.
		pr, pg, pb, _ := theme.DefaultTheme().Color(theme.ColorNamePrimary, theme.VariantLight).RGBA()
		near := func(a, b uint32) bool { return a>>8 <= b>>8+6 && b>>8 <= a>>8+6 }
		longest := 0
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			run := 0
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				if near(r, pr) && near(g, pg) && near(b, pb) {
					run++
					longest = max(longest, run)
				} else {
					run = 0
				}
			}
		}
		return longest
	}
	// The test is the portal, for both runs: a real one, started on demand, would
	// report the developer's own setting.
	portal, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer portal.Close()
	const path, api = "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Settings"
	portal.Export(gnomeTextSize(1), path, api)
	if reply, err := portal.RequestName("org.freedesktop.portal.Desktop", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Skipf("a desktop portal already runs on this bus (%v, %v)", reply, err)
	}
	at100 := buttonWidth(filepath.Join(t.TempDir(), "100.png"))
	portal.Export(gnomeTextSize(1.5), path, api)
	shot := filepath.Join(artifacts, "desktop-sign-in-text-150-percent.png")
	os.Remove(shot)
	at150 := buttonWidth(shot)
	if r := float64(at150) / float64(at100); at100 < 100 || r < 1.45 || r > 1.55 {
		t.Fatalf("the Sign in button is %d pixels wide at 100%% text and %d at 150%%: the window does not follow the OS's text size", at100, at150)
	}
	t.Logf("Sign in button: %d pixels wide at 100%% text, %d at 150%% (screenshot %s)", at100, at150, shot)
}

// gnomeTextSize answers the desktop portal's Settings.ReadOne as GNOME's backend does
// for its text scaling factor.
type gnomeTextSize float64

func (f gnomeTextSize) ReadOne(ns, key string) (dbus.Variant, *dbus.Error) {
	if ns != "org.gnome.desktop.interface" || key != "text-scaling-factor" {
		return dbus.Variant{}, dbus.NewError("org.freedesktop.portal.Error.NotFound", nil)
	}
	return dbus.MakeVariant(float64(f)), nil
}
