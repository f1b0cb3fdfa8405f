package policytemplates

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/policy"
)

var update = flag.Bool("update", false, "write the files in packaging/ anew (make policy-templates)")

// The files as they are kept in packaging/.
var files = map[string]func() []byte{
	"../windows/vellum.admx":       func() []byte { return ADMX(policy.Definitions) },
	"../windows/en-US/vellum.adml": func() []byte { return ADML(policy.Definitions) },
	"../macos/vellum.mobileconfig": func() []byte { return MobileConfig(policy.Definitions, ProfileUUID, PayloadUUID) },
}

// TestTheKeptFilesAreWhatTheSettingsMake: a setting added, removed or changed in
// policy/settings.go without `make policy-templates` fails here.
func TestTheKeptFilesAreWhatTheSettingsMake(t *testing.T) {
	for path, make := range files {
		want := make()
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("packaging/%s is not what policy/settings.go makes (%v): run `make policy-templates`", strings.TrimPrefix(path, "../"), err)
		}
	}
}

// elements reads an XML document's elements: their names and attributes, in order,
// and fails on a document that is not well-formed.
func elements(t *testing.T, doc []byte) []xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var out []xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			out = append(out, se.Copy())
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// TestEverySettingIsInEveryTemplate: each key has its policy in the ADMX, writing
// the value name and registry type policy's reader expects, its strings and box in
// the ADML, and its key and a value of its kind in the profile. A setting with a
// choice of values is a drop-down list of exactly those, its default chosen; one
// with a range takes exactly that range (what a REG_DWORD holds of it).
func TestEverySettingIsInEveryTemplate(t *testing.T) {
	admx := elements(t, ADMX(policy.Definitions))
	adml := elements(t, ADML(policy.Definitions))
	mc := MobileConfig(policy.Definitions, ProfileUUID, PayloadUUID)
	elements(t, mc)
	strs := map[string]bool{}
	boxes := map[string]string{}
	for i, se := range adml {
		switch se.Name.Local {
		case "string":
			strs[attr(se, "id")] = true
		case "presentation":
			if i+1 < len(adml) {
				boxes[attr(se, "id")] = adml[i+1].Name.Local
			}
		}
	}
	for _, d := range policy.Definitions {
		k := string(d.Key)
		if !bytes.Contains(mc, []byte("<key>"+k+"</key>")) {
			t.Errorf("%s: not in the configuration profile", k)
		}
		if d.Secret {
			// Not offered by Group Policy: SYSVOL is readable by the whole domain.
			if bytes.Contains(ADMX(policy.Definitions), []byte(`name="`+k+`"`)) {
				t.Errorf("%s: a secret setting is in the ADMX", k)
			}
			continue
		}
		i := slices.IndexFunc(admx, func(se xml.StartElement) bool { return se.Name.Local == "policy" && attr(se, "name") == k })
		if i < 0 {
			t.Errorf("%s: no policy in the ADMX", k)
			continue
		}
		p := admx[i]
		if attr(p, "key") != policy.RegistryKey || attr(p, "class") != "Machine" {
			t.Errorf("%s: key %q class %q", k, attr(p, "key"), attr(p, "class"))
		}
		want := map[policy.Kind]string{policy.String: "text", policy.Duration: "text", policy.Int: "decimal", policy.StringList: "multiText"}[d.Kind]
		if d.Kind == policy.String && len(d.OneOf) > 0 {
			want = "enum"
			for _, v := range d.OneOf {
				if !bytes.Contains(ADMX(policy.Definitions), []byte("<string>"+v+"</string>")) || !strs[choiceID(k, v)] {
					t.Errorf("%s: choice %q missing from the templates", k, v)
				}
			}
			if n := bytes.Count(ADMX(policy.Definitions), []byte(`item displayName="$(string.`+k+`_`)); n != len(d.OneOf) {
				t.Errorf("%s: %d items in the drop-down, want %d", k, n, len(d.OneOf))
			}
		}
		if d.Kind == policy.Int && d.Max != 0 {
			if el := admx[i+4]; attr(el, "minValue") != fmt.Sprint(max(0, d.Min)) || attr(el, "maxValue") != fmt.Sprint(d.Max) {
				t.Errorf("%s: range %s-%s, want %d-%d", k, attr(el, "minValue"), attr(el, "maxValue"), max(0, d.Min), d.Max)
			}
		}
		if d.Kind == policy.Bool {
			if attr(p, "valueName") != k || admx[i+3].Name.Local != "enabledValue" {
				t.Errorf("%s: a boolean writes REG_DWORD 1 or 0 under its own name", k)
			}
		} else if el := admx[i+4]; el.Name.Local != want || attr(el, "valueName") != k {
			t.Errorf("%s: element %s value %q, want %s writing %s", k, el.Name.Local, attr(el, "valueName"), want, k)
		} else if box := map[string]string{"text": "textBox", "decimal": "decimalTextBox", "multiText": "multiTextBox", "enum": "dropdownList"}[want]; boxes[k] != box {
			t.Errorf("%s: presentation %q, want %s", k, boxes[k], box)
		}
		if !strs[k] || !strs[k+"_Explain"] {
			t.Errorf("%s: no strings in the ADML", k)
		}
	}
}
