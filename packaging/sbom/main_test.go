package main

import (
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// TestTheBillListsEveryModuleAndEveryPin: run on this test's own binary, every Go
// module its build information names is a component with a purl, and each native
// recipe is one with its npm source and the tarball's SHA-256.
func TestTheBillListsEveryModuleAndEveryPin(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := build(exe, []string{"../../native/sqlite3mc.sh", "../../native/llama.cpp.sh", "../../native/silero-vad.sh"}, []string{"../../ui/icon.png"})
	if err != nil {
		t.Fatal(err)
	}
	info, _ := debug.ReadBuildInfo()
	names := map[string]component{}
	for _, c := range b.Components {
		names[c.Name] = c
	}
	for _, d := range info.Deps {
		if c, ok := names[d.Path]; !ok || !strings.HasPrefix(c.PURL, "pkg:golang/"+d.Path+"@") {
			t.Errorf("module %s: %+v", d.Path, c)
		}
	}
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for name, npm := range map[string]string{"sqlite3mc": "pkg:npm/better-sqlite3-multiple-ciphers@13.0.3",
		"llama.cpp": "pkg:npm/node-llama-cpp@3.22.1", "silero-vad": "pkg:npm/%40ricky0123/vad-web@0.0.31"} {
		c := names[name]
		if !strings.HasPrefix(c.PURL, "pkg:generic/"+name+"@") || len(c.References) != 1 || !strings.Contains(c.References[0].Comment, npm) ||
			!hex64.MatchString(c.References[0].Hashes[0].Content) || strings.Contains(c.Version, "$") {
			t.Errorf("%s: %+v", name, c)
		}
	}
	if c := names["icon.png"]; c.Type != "file" || !hex64.MatchString(c.Hashes[0].Content) {
		t.Errorf("a shipped file: %+v", c)
	}
	if b.BOMFormat != "CycloneDX" || b.SpecVersion != "1.5" || !strings.HasPrefix(b.SerialNumber, "urn:uuid:") {
		t.Errorf("header: %+v", b)
	}
	if _, err := recipe("main.go"); err == nil {
		t.Error("a file without pins was read as a recipe")
	}
}
