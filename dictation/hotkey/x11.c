//go:build linux

#include <X11/XKBlib.h>
#include <X11/Xlib.h>
#include <poll.h>

static int vh_bad_access;

static int vh_on_error(Display *d, XErrorEvent *e) {
	if (e->error_code == BadAccess) {
		vh_bad_access = 1;
	}
	return 0;
}

// The lock modifiers a grab must be made with too: Caps Lock, Num Lock (Mod2).
static const unsigned int vh_locks[] = {0, LockMask, Mod2Mask, LockMask | Mod2Mask};

// vh_grab grabs keysym with mods on d's root window, whatever the locks: the
// keycode, -1 if another client holds it, -2 if no key has the symbol.
int vh_grab(Display *d, unsigned long keysym, unsigned int mods) {
	int kc = XKeysymToKeycode(d, keysym);
	if (kc == 0) {
		return -2;
	}
	Window root = DefaultRootWindow(d);
	XErrorHandler old = XSetErrorHandler(vh_on_error);
	vh_bad_access = 0;
	for (int i = 0; i < 4; i++) {
		XGrabKey(d, kc, mods | vh_locks[i], root, False, GrabModeAsync, GrabModeAsync);
	}
	XSync(d, False);
	int taken = vh_bad_access;
	if (taken) {
		for (int i = 0; i < 4; i++) {
			XUngrabKey(d, kc, mods | vh_locks[i], root);
		}
		XSync(d, False);
	}
	XSetErrorHandler(old);
	if (taken) {
		return -1;
	}
	Bool supported = False;
	XkbSetDetectableAutoRepeat(d, True, &supported);
	XSelectInput(d, root, KeyPressMask | KeyReleaseMask);
	XFlush(d);
	return kc;
}

// vh_next waits up to timeout_ms for kc's next press (1) or release (2); 0 if none.
// A release followed at once by a press of the same time is the server repeating a
// held key: neither is reported.
int vh_next(Display *d, int kc, int timeout_ms) {
	if (!XPending(d)) {
		struct pollfd p = {ConnectionNumber(d), POLLIN, 0};
		if (poll(&p, 1, timeout_ms) <= 0 || !XPending(d)) {
			return 0;
		}
	}
	XEvent ev;
	XNextEvent(d, &ev);
	if ((ev.type != KeyPress && ev.type != KeyRelease) || (int)ev.xkey.keycode != kc) {
		return 0;
	}
	if (ev.type == KeyRelease && XPending(d)) {
		XEvent next;
		XPeekEvent(d, &next);
		if (next.type == KeyPress && next.xkey.keycode == ev.xkey.keycode && next.xkey.time == ev.xkey.time) {
			XNextEvent(d, &next);
			return 0;
		}
	}
	return ev.type == KeyPress ? 1 : 2;
}

void vh_ungrab(Display *d, int kc, unsigned int mods) {
	Window root = DefaultRootWindow(d);
	for (int i = 0; i < 4; i++) {
		XUngrabKey(d, kc, mods | vh_locks[i], root);
	}
	XSync(d, False);
}

// vh_focus_window maps a window of its own and gives it the keyboard's focus, as a
// program in front (the EHR) has it: keys reach the root window's grab only through
// the grab. For tests.
Display *vh_focus_window(void) {
	Display *d = XOpenDisplay(0);
	if (d == NULL) {
		return NULL;
	}
	Window w = XCreateSimpleWindow(d, DefaultRootWindow(d), 0, 0, 200, 100, 0, 0, 0);
	XSelectInput(d, w, KeyPressMask | KeyReleaseMask);
	XMapRaised(d, w);
	XSync(d, False);
	XSetInputFocus(d, w, RevertToParent, CurrentTime);
	XSync(d, False);
	return d;
}
