package policy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDefaultsAreValid(t *testing.T) {
	for _, d := range Definitions {
		v, err := convert(&d, toRaw(d.Default))
		if err != nil {
			t.Errorf("%s: default %v: %v", d.Key, d.Default, err)
		}
		if !reflect.DeepEqual(v, d.Default) {
			t.Errorf("%s: default %#v round-trips as %#v", d.Key, d.Default, v)
		}
		// A range is both ends (0 and 0 is none), and only a number has one; a list
		// of choices is only a text's or a list's.
		if (d.Min != 0 || d.Max != 0) && (d.Kind != Int || d.Max <= 0 || d.Max < d.Min) {
			t.Errorf("%s: range %d-%d", d.Key, d.Min, d.Max)
		}
		if len(d.OneOf) > 0 && d.Kind != String && d.Kind != StringList {
			t.Errorf("%s: choices on a %s setting", d.Key, d.Kind)
		}
	}
}

// toRaw turns a typed value back into what JSON decoding yields.
func toRaw(v any) any {
	switch x := v.(type) {
	case int:
		return jsonNumber(x)
	case time.Duration:
		return x.String()
	case []string:
		out := []any{}
		for _, s := range x {
			out = append(out, s)
		}
		return out
	}
	return v
}

func TestMergeOrderAndLocks(t *testing.T) {
	user := Layer{FromUser, "prefs.json", Values{Theme: "dark", Hotkey: "Ctrl+Alt+D"}}
	machine := Layer{FromMachineFile, "installer.json", Values{Theme: "light", IdleTimeout: 5 * time.Minute}}
	osp := Layer{FromOSPolicy, "policy.json", Values{IdleTimeout: 2 * time.Minute}}
	// Order of arguments does not matter; precedence does.
	s := Merge(osp, user, machine)
	tests := []struct {
		key    Key
		value  any
		origin Origin
		locked bool
	}{
		{Hotkey, "Ctrl+Alt+D", FromUser, false},
		{Theme, "light", FromMachineFile, true},
		{IdleTimeout, 2 * time.Minute, FromOSPolicy, true},
		{BreakGlassDuration, time.Hour, FromDefault, false},
	}
	for _, tt := range tests {
		st := s.Get(tt.key)
		if !reflect.DeepEqual(st.Value, tt.value) || st.Origin != tt.origin || st.Locked() != tt.locked {
			t.Errorf("%s = %v from %v (locked %v), want %v from %v (locked %v)",
				tt.key, st.Value, st.Origin, st.Locked(), tt.value, tt.origin, tt.locked)
		}
	}
	// A user layer cannot carry a machine-only setting, even built by hand.
	s = Merge(Layer{FromUser, "prefs.json", Values{IdleTimeout: 12 * time.Hour}})
	if s.Duration(IdleTimeout) != 10*time.Minute {
		t.Error("a user layer changed a machine-only setting")
	}
}

func TestParseErrorsNameFileLineAndSetting(t *testing.T) {
	tests := []struct {
		name, file string
		machine    bool
		line       int
		key        Key
		reason     string
	}{
		{"a syntax error names its line", "{\n  \"theme\": \"dark\",\n  \"hotkey\": oops\n}", false, 3, "", "not valid JSON"},
		{"an unknown setting is refused", "{\n\"theme\": \"dark\",\n\"idel_timeout\": \"5m\"\n}", true, 3, "idel_timeout", "no such setting"},
		{"a wrong type is refused", "{\"lockout_attempts\": \"five\"}", true, 1, LockoutAttempts, "whole number"},
		{"a bad duration is refused", "{\n\"idle_timeout\": \"10 minutes\"}", true, 2, IdleTimeout, "duration"},
		{"a value out of range is refused", "{\"idle_timeout\": \"1s\"}", true, 1, IdleTimeout, "between"},
		{"user preferences cannot set machine settings", "{\"idle_timeout\": \"5m\"}", false, 1, IdleTimeout, "only machine policy"},
		{"a duplicate is refused", "{\"theme\": \"dark\",\n \"theme\": \"light\"}", false, 2, Theme, "set twice"},
		{"an empty file is refused", "", true, 1, "", "empty"},
		{"a truncated file is refused", "{\"theme\": \"dark\"", false, 1, "", "ends before"},
		{"trailing data is refused", "{} {}", false, 1, "", "after the settings"},
		{"not an object is refused", "[1]", true, 1, "", "one JSON object"},
		{"a bad recipient is refused", "{\"recovery_recipient\": \"age1nope\"}", true, 1, RecoveryRecipient, "age X25519"},
		{"an unknown role is refused", "{\"totp_required_roles\": [\"admin\", \"janitor\"]}", true, 1, TOTPRequiredRoles, "janitor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSON("/etc/vellum/policy.json", []byte(tt.file), tt.machine)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || pe.Key != tt.key || !strings.Contains(pe.Reason, tt.reason) || pe.Source != "/etc/vellum/policy.json" {
				t.Fatalf("got %q (line %d, key %q), want line %d, key %q, reason containing %q", err, pe.Line, pe.Key, tt.line, tt.key, tt.reason)
			}
		})
	}
}

func TestParseAcceptsEveryKind(t *testing.T) {
	v, err := ParseJSON("p.json", []byte(`{
		"idle_timeout": "5m", "lockout_attempts": 3, "launch_at_login": true,
		"totp_required_roles": ["admin", "auditor"], "collector_url": "https://audit.example.org"}`), true)
	if err != nil {
		t.Fatal(err)
	}
	want := Values{IdleTimeout: 5 * time.Minute, LockoutAttempts: 3, LaunchAtLogin: true,
		TOTPRequiredRoles: []string{"admin", "auditor"}, CollectorURL: "https://audit.example.org"}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %#v", v)
	}
}

func writeAtomic(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherAppliesChangesLiveAndKeepsLastGood(t *testing.T) {
	dir := t.TempDir()
	src := Sources{UserFile: filepath.Join(dir, "prefs.json"), MachineFile: filepath.Join(dir, "installer.json"), OSFile: filepath.Join(dir, "policy.json")}
	writeAtomic(t, src.OSFile, `{"idle_timeout": "5m"}`)
	w, err := NewWatcher(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Current().Duration(IdleTimeout); got != 5*time.Minute {
		t.Fatalf("initial idle_timeout %v", got)
	}
	changes := make(chan Change, 10)
	errs := make(chan error, 10)
	w.OnChange = func(c Change) { changes <- c }
	w.OnError = func(err error) { errs <- err }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	waitChange := func(what string) Change {
		t.Helper()
		select {
		case c := <-changes:
			return c
		case err := <-errs:
			t.Fatalf("%s: unexpected error %v", what, err)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no change seen", what)
		}
		return Change{}
	}
	// The watch starts asynchronously; keep writing until the first change is seen.
	var c Change
	for i := 0; ; i++ {
		writeAtomic(t, src.OSFile, fmt.Sprintf(`{"idle_timeout": "%dm"}`, 2+i%2))
		select {
		case c = <-changes:
		case <-time.After(200 * time.Millisecond):
			if i > 50 {
				t.Fatal("no change seen after an atomic rename")
			}
			continue
		}
		break
	}
	if len(c.Keys) != 1 || c.Keys[0] != IdleTimeout {
		t.Fatalf("change keys %v", c.Keys)
	}

	// A malformed file is reported with its line and setting; the last good stays.
	before := w.Current().Duration(IdleTimeout)
	writeAtomic(t, src.OSFile, "{\n\"idle_timeout\": \"forever\"\n}")
	select {
	case err := <-errs:
		if !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "idle_timeout") {
			t.Fatalf("error does not name line and setting: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("malformed file not reported")
	}
	if got := w.Current().Get(IdleTimeout); got.Value != before || !got.Locked() {
		t.Fatalf("after a malformed file idle_timeout = %v (locked %v), want %v locked", got.Value, got.Locked(), before)
	}

	// The user's preferences apply live too, unless locked.
	writeAtomic(t, src.UserFile, `{"theme": "dark"}`)
	if c := waitChange("user prefs"); w.Current().String(Theme) != "dark" || c.Keys[0] != Theme {
		t.Fatalf("theme %q after user change %v", w.Current().String(Theme), c.Keys)
	}
	writeAtomic(t, src.MachineFile, `{"theme": "high-contrast"}`)
	waitChange("machine file")
	if st := w.Current().Get(Theme); st.Value != "high-contrast" || !st.Locked() {
		t.Fatalf("machine theme not applied and locked: %+v", st)
	}

	// Removing the OS policy file unlocks what it set.
	os.Remove(src.OSFile)
	waitChange("removal")
	if st := w.Current().Get(IdleTimeout); st.Origin != FromDefault {
		t.Fatalf("after removal idle_timeout from %v", st.Origin)
	}
}

func TestMalformedMachinePolicyAtStartIsAnError(t *testing.T) {
	dir := t.TempDir()
	src := Sources{MachineFile: filepath.Join(dir, "installer.json")}
	os.WriteFile(src.MachineFile, []byte(`{"lockout_attempts": 0}`), 0o644)
	if _, err := NewWatcher(src); err == nil || !strings.Contains(err.Error(), "lockout_attempts") {
		t.Fatalf("NewWatcher = %v, want an error naming the setting", err)
	}
	if _, _, err := Current(src); err == nil {
		t.Fatal("Current accepted a malformed machine policy")
	}
	// A malformed user file only warns.
	src = Sources{UserFile: filepath.Join(dir, "prefs.json")}
	os.WriteFile(src.UserFile, []byte(`{"theme": 7}`), 0o644)
	snap, warn, err := Current(src)
	if err != nil || warn == nil || snap.String(Theme) != "system" {
		t.Fatalf("Current = %v, %v; want defaults and a warning", warn, err)
	}
}

// FuzzParseJSON: any bytes either parse into values of the defined kinds or give a
// ParseError; never a panic.
func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"idle_timeout": "5m", "totp_required_roles": ["admin"], "lockout_attempts": 3}`), true)
	f.Add([]byte(`{"theme": "dark"}`), false)
	f.Add([]byte("{\n\"x\": [1, {\"y\": null}]}"), true)
	f.Fuzz(func(t *testing.T, data []byte, machine bool) {
		v, err := ParseJSON("fuzz.json", data, machine)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		s := Merge(Layer{FromMachineFile, "fuzz.json", v})
		for _, st := range s.All() {
			if reflect.TypeOf(st.Value) != reflect.TypeOf(st.Def.Default) {
				t.Fatalf("%s holds a %T", st.Def.Key, st.Value)
			}
		}
	})
}
