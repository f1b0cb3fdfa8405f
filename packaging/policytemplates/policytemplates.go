// Package policytemplates writes what IT manages Vellum's settings with, from the
// settings' definitions (policy.Definitions), so that neither can drift from the
// code: the Group Policy templates for Windows (vellum.admx and its en-US
// vellum.adml, which write HKLM\SOFTWARE\Policies\Vellum as policy's registry reader
// reads it) and a macOS configuration profile (vellum.mobileconfig, a managed
// preferences payload for health.vellum.desktop) with every setting at its default,
// for IT to edit.
//
// `make policy-templates` writes them into packaging/; a test fails when the files
// there differ from what the definitions make.
package policytemplates

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vellumhealth/vellum/policy"
)

// The ADMX namespace of Vellum's policies, and its category.
const (
	namespace = "Vellum.Policies.Vellum"
	category  = "Vellum"
)

// The configuration profile's identifiers: the same in every version, so that a new
// profile replaces the one installed.
const (
	ProfileUUID = "C1339806-2374-4EED-80DF-E4236E93A5D0"
	PayloadUUID = "030B7DC3-8ACA-47F6-9570-64298DF42DF4"
)

// secretNote is said of every secret setting: the registry's policy key, and a
// configuration profile, are readable by every local user.
const secretNote = " Secret: whatever is set here can be read by every user of the workstation; prefer the installer's property, which lands in a file only administrators can read."

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// managed are the settings Group Policy offers: all but the secret ones, which a
// Group Policy object would put in SYSVOL's Registry.pol, readable by every user of
// the domain (they go in with the installer's properties instead).
func managed(defs []policy.Definition) []policy.Definition {
	var out []policy.Definition
	for _, d := range defs {
		if !d.Secret {
			out = append(out, d)
		}
	}
	return out
}

// ADMX is the Group Policy template: one machine policy per setting but the secret
// ones (managed), under one category, each writing its value where policy's registry reader looks: REG_SZ for
// strings and durations, REG_DWORD for integers and booleans, REG_MULTI_SZ for lists.
func ADMX(defs []policy.Definition) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<!-- Generated from policy/settings.go by packaging/policytemplates: do not edit. -->
<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces>
    <target prefix="vellum" namespace="` + namespace + `" />
    <using prefix="windows" namespace="Microsoft.Policies.Windows" />
  </policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn>
    <definitions>
      <definition name="SUPPORTED_Vellum" displayName="$(string.SUPPORTED_Vellum)" />
    </definitions>
  </supportedOn>
  <categories>
    <category name="` + category + `" displayName="$(string.Vellum)" />
  </categories>
  <policies>
`)
	for _, d := range managed(defs) {
		k := string(d.Key)
		fmt.Fprintf(&b, `    <policy name="%s" class="Machine" displayName="$(string.%s)" explainText="$(string.%s_Explain)"`, k, k, k)
		if d.Kind != policy.Bool {
			fmt.Fprintf(&b, ` presentation="$(presentation.%s)"`, k)
		}
		fmt.Fprintf(&b, ` key="%s"`, esc(policy.RegistryKey))
		if d.Kind == policy.Bool {
			fmt.Fprintf(&b, ` valueName="%s"`, k)
		}
		b.WriteString(">\n")
		fmt.Fprintf(&b, "      <parentCategory ref=\"%s\" />\n      <supportedOn ref=\"SUPPORTED_Vellum\" />\n", category)
		switch d.Kind {
		case policy.Bool:
			b.WriteString("      <enabledValue>\n        <decimal value=\"1\" />\n      </enabledValue>\n")
			b.WriteString("      <disabledValue>\n        <decimal value=\"0\" />\n      </disabledValue>\n")
		case policy.Int:
			lo, hi := bounds(d)
			fmt.Fprintf(&b, "      <elements>\n        <decimal id=\"%s\" valueName=\"%s\" minValue=\"%d\" maxValue=\"%d\" />\n      </elements>\n", k, k, lo, hi)
		case policy.StringList:
			fmt.Fprintf(&b, "      <elements>\n        <multiText id=\"%s\" valueName=\"%s\" />\n      </elements>\n", k, k)
		default:
			if len(d.OneOf) == 0 {
				fmt.Fprintf(&b, "      <elements>\n        <text id=\"%s\" valueName=\"%s\" maxLength=\"65535\" />\n      </elements>\n", k, k)
				break
			}
			// A choice of values: a drop-down list, each item writing its value.
			fmt.Fprintf(&b, "      <elements>\n        <enum id=\"%s\" valueName=\"%s\" required=\"true\">\n", k, k)
			for _, v := range d.OneOf {
				fmt.Fprintf(&b, "          <item displayName=\"$(string.%s)\">\n            <value>\n              <string>%s</string>\n            </value>\n          </item>\n", choiceID(k, v), esc(v))
			}
			b.WriteString("        </enum>\n      </elements>\n")
		}
		b.WriteString("    </policy>\n")
	}
	b.WriteString("  </policies>\n</policyDefinitions>\n")
	return []byte(b.String())
}

// ADML is the template's en-US language file: each setting's name, its
// documentation with its default, and its box.
func ADML(defs []policy.Definition) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<!-- Generated from policy/settings.go by packaging/policytemplates: do not edit. -->
<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>Vellum</displayName>
  <description>Settings of Vellum, the clinical note assistant. A setting set here is locked: users cannot change it.</description>
  <resources>
    <stringTable>
      <string id="Vellum">Vellum</string>
      <string id="SUPPORTED_Vellum">Vellum, every version</string>
`)
	for _, d := range managed(defs) {
		k := string(d.Key)
		explain := d.Doc + "." + " Default: " + defaultText(d) + "." + kindNote(d)
		if d.Secret {
			explain += secretNote
		}
		if d.Key == policy.CollectorCA {
			explain += " A PEM certificate is several lines, and Group Policy's box holds one: set it with the installer's property or the machine policy file instead."
		}
		if d.UserSettable {
			explain += " Users may set it themselves where this policy does not."
		}
		fmt.Fprintf(&b, "      <string id=\"%s\">%s</string>\n", k, esc(title(k)))
		fmt.Fprintf(&b, "      <string id=\"%s_Explain\">%s</string>\n", k, esc(explain))
		if d.Kind == policy.String {
			for _, v := range d.OneOf {
				fmt.Fprintf(&b, "      <string id=\"%s\">%s</string>\n", choiceID(k, v), esc(v))
			}
		}
	}
	b.WriteString("    </stringTable>\n    <presentationTable>\n")
	for _, d := range managed(defs) {
		k := string(d.Key)
		if d.Kind == policy.Bool {
			continue
		}
		fmt.Fprintf(&b, "      <presentation id=\"%s\">\n", k)
		switch d.Kind {
		case policy.Int:
			lo, _ := bounds(d)
			fmt.Fprintf(&b, "        <decimalTextBox refId=\"%s\" defaultValue=\"%d\">%s</decimalTextBox>\n", k, max(lo, d.Default.(int)), esc(title(k)))
		case policy.StringList:
			fmt.Fprintf(&b, "        <multiTextBox refId=\"%s\">%s (one a line)</multiTextBox>\n", k, esc(title(k)))
		default:
			if len(d.OneOf) > 0 {
				fmt.Fprintf(&b, "        <dropdownList refId=\"%s\" defaultItem=\"%d\" noSort=\"true\">%s</dropdownList>\n", k, max(0, slices.Index(d.OneOf, d.Default.(string))), esc(title(k)))
				break
			}
			fmt.Fprintf(&b, "        <textBox refId=\"%s\">\n          <label>%s</label>\n", k, esc(title(k)))
			if def := defaultText(d); d.Kind == policy.Duration || d.Default.(string) != "" {
				fmt.Fprintf(&b, "          <defaultValue>%s</defaultValue>\n", esc(def))
			}
			b.WriteString("        </textBox>\n")
		}
		b.WriteString("      </presentation>\n")
	}
	b.WriteString("    </presentationTable>\n  </resources>\n</policyDefinitionResources>\n")
	return []byte(b.String())
}

// MobileConfig is a configuration profile whose one payload is the managed
// preferences of policy.BundleID, every setting at its default and its
// documentation beside it. Every key in it is locked once installed: IT keeps the
// ones it means to set. uuid and payloadUUID identify the profile and its payload
// (keep them across versions, so that a new profile replaces the old).
func MobileConfig(defs []policy.Definition, uuid, payloadUUID string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Generated from policy/settings.go by packaging/policytemplates: do not edit here;
     copy it, keep the settings you mean to lock, set their values. -->
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key>
      <string>` + policy.BundleID + `</string>
      <key>PayloadIdentifier</key>
      <string>` + policy.BundleID + `.settings</string>
      <key>PayloadUUID</key>
      <string>` + payloadUUID + `</string>
      <key>PayloadVersion</key>
      <integer>1</integer>
      <key>PayloadDisplayName</key>
      <string>Vellum settings</string>
`)
	for _, d := range defs {
		note := d.Doc
		if d.Secret {
			note += "." + secretNote
		}
		fmt.Fprintf(&b, "      <!-- %s -->\n", strings.ReplaceAll(esc(note), "--", "- -"))
		fmt.Fprintf(&b, "      <key>%s</key>\n      %s\n", d.Key, plistValue(d))
	}
	b.WriteString(`    </dict>
  </array>
  <key>PayloadDisplayName</key>
  <string>Vellum</string>
  <key>PayloadDescription</key>
  <string>Settings of Vellum, the clinical note assistant, managed by the organisation.</string>
  <key>PayloadIdentifier</key>
  <string>` + policy.BundleID + `</string>
  <key>PayloadOrganization</key>
  <string>Your organisation</string>
  <key>PayloadScope</key>
  <string>System</string>
  <key>PayloadType</key>
  <string>Configuration</string>
  <key>PayloadUUID</key>
  <string>` + uuid + `</string>
  <key>PayloadVersion</key>
  <integer>1</integer>
</dict>
</plist>
`)
	return []byte(b.String())
}

func plistValue(d policy.Definition) string {
	switch d.Kind {
	case policy.Bool:
		if d.Default.(bool) {
			return "<true/>"
		}
		return "<false/>"
	case policy.Int:
		return fmt.Sprintf("<integer>%d</integer>", d.Default.(int))
	case policy.StringList:
		var b strings.Builder
		b.WriteString("<array>")
		for _, s := range d.Default.([]string) {
			b.WriteString("<string>" + esc(s) + "</string>")
		}
		b.WriteString("</array>")
		return b.String()
	}
	if d.Kind == policy.Duration {
		return "<string>" + durationText(d.Default.(time.Duration)) + "</string>"
	}
	return "<string>" + esc(d.Default.(string)) + "</string>"
}

// defaultText is a setting's default as policy files write it.
func defaultText(d policy.Definition) string {
	switch v := d.Default.(type) {
	case time.Duration:
		return durationText(v)
	case []string:
		if len(v) == 0 {
			return "none"
		}
		return strings.Join(v, ", ")
	case string:
		if v == "" {
			return "empty"
		}
		return v
	}
	return fmt.Sprint(d.Default)
}

// durationText writes 10m for ten minutes, 1h for an hour, 30s for half a minute.
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func kindNote(d policy.Definition) string {
	switch d.Kind {
	case policy.Duration:
		return " A duration, such as 90s, 10m or 1h."
	case policy.Bool:
		return " Enabled is true, Disabled false."
	case policy.Int:
		if d.Default.(int) < 0 {
			return " Group Policy writes no negative number: leave it not configured for the default."
		}
	case policy.StringList:
		if len(d.OneOf) > 0 {
			return " Each line one of: " + strings.Join(d.OneOf, ", ") + "."
		}
	}
	return ""
}

// bounds is the range Group Policy lets an Int setting take: the setting's own
// where it has one, within what a REG_DWORD holds that policy reads back (no
// negative numbers).
func bounds(d policy.Definition) (lo, hi int) {
	lo, hi = 0, 2147483647
	if d.Min != 0 || d.Max != 0 {
		lo, hi = max(0, d.Min), d.Max
	}
	return lo, hi
}

// choiceID is the string id of value v of setting k's drop-down list.
func choiceID(k, v string) string {
	return k + "_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, v)
}

// title is a setting's key as a name: idle_timeout is "Idle timeout".
func title(k string) string {
	s := strings.ReplaceAll(k, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
