// Package macospkg holds the tests of the macOS installer's files: no Mac has been
// lent to this project, so scripts/package-macos.sh is checked by shellcheck and the
// plists by a strict reader of Apple's XML property list format, here, on Linux.
package macospkg

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const (
	appID       = "health.vellum.desktop"
	agentFile   = appID + ".plist"
	installed   = "/Applications/Vellum.app/Contents/MacOS/vellum"
	buildScript = "../../scripts/package-macos.sh"
)

// readPlist reads an XML property list as Apple's DTD has it: one value in <plist>,
// dicts of key and value pairs with unique keys, and the value elements only, each
// well-formed (integers that parse, true and false empty). It returns the value as
// map[string]any, []any, string, int64, float64 or bool.
func readPlist(doc []byte) (any, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	next := func() (xml.Token, error) {
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			switch tok := tok.(type) {
			case xml.StartElement, xml.EndElement:
				return tok, nil
			case xml.CharData:
				if len(bytes.TrimSpace(tok)) != 0 {
					return nil, fmt.Errorf("text %q outside a value", bytes.TrimSpace(tok))
				}
			}
		}
	}
	var value func(start xml.StartElement) (any, error)
	value = func(start xml.StartElement) (any, error) {
		switch start.Name.Local {
		case "dict":
			m := map[string]any{}
			for {
				tok, err := next()
				if err != nil {
					return nil, err
				}
				if _, ok := tok.(xml.EndElement); ok {
					return m, nil
				}
				if se := tok.(xml.StartElement); se.Name.Local != "key" {
					return nil, fmt.Errorf("<%s> where a dict wants <key>", se.Name.Local)
				}
				var key string
				if err := d.DecodeElement(&key, ptr(tok.(xml.StartElement))); err != nil {
					return nil, err
				}
				if _, dup := m[key]; dup {
					return nil, fmt.Errorf("key %q twice", key)
				}
				tok, err = next()
				se, ok := tok.(xml.StartElement)
				if err != nil || !ok {
					return nil, fmt.Errorf("key %q has no value (%v)", key, err)
				}
				if m[key], err = value(se); err != nil {
					return nil, fmt.Errorf("%s: %w", key, err)
				}
			}
		case "array":
			var a []any
			for {
				tok, err := next()
				if err != nil {
					return nil, err
				}
				if _, ok := tok.(xml.EndElement); ok {
					return a, nil
				}
				v, err := value(tok.(xml.StartElement))
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
		case "true", "false":
			var s string
			if err := d.DecodeElement(&s, &start); err != nil || s != "" {
				return nil, fmt.Errorf("<%s> is not empty", start.Name.Local)
			}
			return start.Name.Local == "true", nil
		case "string", "integer", "real", "date", "data":
			var s string
			if err := d.DecodeElement(&s, &start); err != nil {
				return nil, err
			}
			switch start.Name.Local {
			case "integer":
				return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			case "real":
				return strconv.ParseFloat(strings.TrimSpace(s), 64)
			}
			return s, nil
		}
		return nil, fmt.Errorf("<%s> is no property list value", start.Name.Local)
	}
	if !bytes.Contains(doc, []byte(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`)) {
		return nil, errors.New("no plist DOCTYPE")
	}
	tok, err := next()
	if se, ok := tok.(xml.StartElement); err != nil || !ok || se.Name.Local != "plist" || attr(se, "version") != "1.0" {
		return nil, fmt.Errorf("not a <plist version=\"1.0\"> (%v)", err)
	}
	tok, err = next()
	se, ok := tok.(xml.StartElement)
	if err != nil || !ok {
		return nil, fmt.Errorf("an empty plist (%v)", err)
	}
	v, err := value(se)
	if err != nil {
		return nil, err
	}
	if tok, err = next(); err != nil {
		return nil, err
	}
	if _, ok := tok.(xml.EndElement); !ok {
		return nil, errors.New("more than one value in the plist")
	}
	if _, err := next(); err != io.EOF {
		return nil, fmt.Errorf("something after </plist> (%v)", err)
	}
	return v, nil
}

func ptr(se xml.StartElement) *xml.StartElement { return &se }

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func plist(t *testing.T, path string) any {
	t.Helper()
	v, err := readPlist(readFile(t, path))
	if err != nil {
		t.Fatalf("%s is not a valid property list: %v", path, err)
	}
	return v
}

// TestThePlistReaderRefusesWhatPlutilRefuses: the validator below is only as good as
// what it turns away.
func TestThePlistReaderRefusesWhatPlutilRefuses(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n"
	good := head + `<plist version="1.0"><dict><key>A</key><array><string>x</string><integer>-3</integer><true/></array></dict></plist>`
	if _, err := readPlist([]byte(good)); err != nil {
		t.Fatalf("a valid plist: %v", err)
	}
	for name, doc := range map[string]string{
		"no doctype":        `<plist version="1.0"><dict/></plist>`,
		"unclosed":          head + `<plist version="1.0"><dict><key>A</key><string>x</dict></plist>`,
		"key without value": head + `<plist version="1.0"><dict><key>A</key></dict></plist>`,
		"value without key": head + `<plist version="1.0"><dict><string>x</string></dict></plist>`,
		"duplicate key":     head + `<plist version="1.0"><dict><key>A</key><true/><key>A</key><false/></dict></plist>`,
		"bad integer":       head + `<plist version="1.0"><integer>one</integer></plist>`,
		"unknown element":   head + `<plist version="1.0"><bool>yes</bool></plist>`,
		"two values":        head + `<plist version="1.0"><true/><false/></plist>`,
		"stray text":        head + `<plist version="1.0"><dict>oops<key>A</key><true/></dict></plist>`,
		"text in true":      head + `<plist version="1.0"><true>1</true></plist>`,
	} {
		if _, err := readPlist([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestTheLaunchAgentStartsTheInstalledApp: the agent the PKG's launch-at-login
// choice installs starts the bundle's binary in each user's graphical session, lands
// where Vellum looks for it (so it drops the user's own entry), and is what the build
// script installs.
func TestTheLaunchAgentStartsTheInstalledApp(t *testing.T) {
	agent, ok := plist(t, agentFile).(map[string]any)
	if !ok {
		t.Fatal("the launch agent is not a dict")
	}
	args, _ := agent["ProgramArguments"].([]any)
	if agent["Label"] != appID || len(args) == 0 || args[0] != installed || agent["RunAtLoad"] != true ||
		agent["LimitLoadToSessionType"] != "Aqua" {
		t.Errorf("the launch agent: %v", agent)
	}
	if src := string(readFile(t, "../../app/autostart_unix.go")); !strings.Contains(src, `"/Library/LaunchAgents/`+agentFile+`"`) {
		t.Errorf("app/autostart_unix.go does not look for /Library/LaunchAgents/%s", agentFile)
	}
	script := string(readFile(t, buildScript))
	if !strings.Contains(script, "APP_ID="+appID) || !strings.Contains(script, `packaging/macos/$APP_ID.plist "$work/root-agent/Library/LaunchAgents/$APP_ID.plist"`) {
		t.Error("scripts/package-macos.sh does not install the launch agent in /Library/LaunchAgents")
	}
}

// TestTheAppAsksForTheMicrophoneAlone: hardened runtime with one entitlement, the
// microphone, and the usage text macOS shows when it asks (fyne package writes it into
// Info.plist from FyneApp.toml).
func TestTheAppAsksForTheMicrophoneAlone(t *testing.T) {
	ent, _ := plist(t, "entitlements.plist").(map[string]any)
	if len(ent) != 1 || ent["com.apple.security.device.audio-input"] != true {
		t.Errorf("entitlements: %v, want the microphone alone", ent)
	}
	toml := string(readFile(t, "../../FyneApp.toml"))
	if !regexp.MustCompile(`(?m)^\[Capabilities\]\nMicrophone = true\nMicrophoneUsage = ".+"$`).MatchString(toml) ||
		!strings.Contains(toml, `ID = "`+appID+`"`) {
		t.Error("FyneApp.toml does not declare the microphone (NSMicrophoneUsageDescription) for " + appID)
	}
	script := string(readFile(t, buildScript))
	for _, step := range []string{"--options runtime", "--entitlements packaging/macos/entitlements.plist", "--timestamp",
		"BundleIsRelocatable false", "notarytool submit", "stapler staple", "@executable_path/../Frameworks"} {
		if !strings.Contains(script, step) {
			t.Errorf("scripts/package-macos.sh lacks %q", step)
		}
	}
}

// TestTheDistributionOffersLaunchAtLogin: productbuild's distribution is well-formed,
// each choice of its outline exists and names a component the script builds, and the
// silent install's choice changes name a choice that exists.
func TestTheDistributionOffersLaunchAtLogin(t *testing.T) {
	d := xml.NewDecoder(bytes.NewReader(readFile(t, "distribution.xml")))
	d.Strict = true
	outline, choices, refs := []string{}, map[string]bool{}, map[string]string{}
	inChoice := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("distribution.xml is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "line":
				outline = append(outline, attr(tok, "choice"))
			case "choice":
				choices[attr(tok, "id")], inChoice = true, true
			case "pkg-ref":
				if !inChoice {
					var file string
					d.DecodeElement(&file, &tok)
					refs[attr(tok, "id")] = file
				}
			}
		case xml.EndElement:
			if tok.Name.Local == "choice" {
				inChoice = false
			}
		}
	}
	script := string(readFile(t, buildScript))
	for _, c := range outline {
		if !choices[c] {
			t.Errorf("the outline names choice %q, which is not there", c)
		}
	}
	for id, file := range map[string]string{appID + ".app": "vellum-app.pkg", appID + ".launchagent": "vellum-launchagent.pkg"} {
		if refs[id] != file || !strings.Contains(script, `--identifier "$APP_ID.`+strings.TrimPrefix(id, appID+".")+`"`) ||
			!strings.Contains(script, `"$work/pkgs/`+file+`"`) {
			t.Errorf("component %s: the distribution has %q, want %s as the script builds it", id, refs[id], file)
		}
	}
	changes, _ := plist(t, "launch-at-login.choices.xml").([]any)
	if len(changes) != 1 {
		t.Fatalf("launch-at-login.choices.xml: %v", changes)
	}
	c, _ := changes[0].(map[string]any)
	if id, _ := c["choiceIdentifier"].(string); !choices[id] || id != "launch-at-login" || c["choiceAttribute"] != "selected" || c["attributeSetting"] != int64(1) {
		t.Errorf("the choice change: %v", c)
	}
}

// TestTheConfigurationProfileIsAPropertyList: the generated profile (its content is
// packaging/policytemplates's test) is read by the same strict reader.
func TestTheConfigurationProfileIsAPropertyList(t *testing.T) {
	p, _ := plist(t, "vellum.mobileconfig").(map[string]any)
	if p["PayloadType"] != "Configuration" {
		t.Errorf("vellum.mobileconfig: PayloadType %v", p["PayloadType"])
	}
}

// TestTheBuildScriptPassesShellcheck: the script cannot run here; shellcheck reads it
// as bash (macOS runs it with its bash 3.2, which the script allows for).
func TestTheBuildScriptPassesShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("shellcheck is missing (make deps installs it)")
		}
		t.Skip("shellcheck is missing: make deps installs it")
	}
	if out, err := exec.Command("shellcheck", "--shell=bash", buildScript).CombinedOutput(); err != nil {
		t.Errorf("shellcheck scripts/package-macos.sh: %v\n%s", err, out)
	}
}
