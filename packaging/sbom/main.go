// Command sbom writes a CycloneDX 1.5 software bill of materials (JSON) for a Vellum
// binary: every Go module linked into it, read from the binary's own build
// information (so nothing left out of the link is listed), and the native parts it
// carries or loads, with their pinned sources and SHA-256 digests — the recipes in
// native/ (the npm tarball each was built from) and the files bundled beside the
// binary (sherpa-onnx's libraries, the voice activity model), hashed as shipped.
//
//	go run ./packaging/sbom -binary bin/vellum -native native/sqlite3mc.sh,native/llama.cpp.sh \
//	    -file bin/libonnxruntime.so > bin/sbom-vellum.cdx.json
//
// scripts/package-linux.sh runs it for each package.
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type hash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type reference struct {
	Type    string `json:"type"`
	URL     string `json:"url"`
	Comment string `json:"comment,omitempty"`
	Hashes  []hash `json:"hashes,omitempty"`
}

type component struct {
	Type        string      `json:"type"`
	BOMRef      string      `json:"bom-ref"`
	Name        string      `json:"name"`
	Version     string      `json:"version,omitempty"`
	Description string      `json:"description,omitempty"`
	PURL        string      `json:"purl,omitempty"`
	Hashes      []hash      `json:"hashes,omitempty"`
	Properties  []property  `json:"properties,omitempty"`
	References  []reference `json:"externalReferences,omitempty"`
}

type bom struct {
	BOMFormat    string `json:"bomFormat"`
	SpecVersion  string `json:"specVersion"`
	SerialNumber string `json:"serialNumber"`
	Version      int    `json:"version"`
	Metadata     struct {
		Timestamp string    `json:"timestamp"`
		Component component `json:"component"`
	} `json:"metadata"`
	Components   []component `json:"components"`
	Dependencies []struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	} `json:"dependencies"`
}

func main() {
	binary := flag.String("binary", "", "the Go binary")
	native := flag.String("native", "", "comma-separated recipes of native/ built into or fetched for it")
	var files multi
	flag.Var(&files, "file", "a file shipped beside the binary (repeatable)")
	flag.Parse()
	b, err := build(*binary, split(*native), files)
	if err == nil {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(b)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sbom:", err)
		os.Exit(1)
	}
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func build(binary string, recipes, files []string) (*bom, error) {
	info, err := buildinfo.ReadFile(binary)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", binary, err)
	}
	var uuid [16]byte
	rand.Read(uuid[:])
	uuid[6], uuid[8] = uuid[6]&0x0f|0x40, uuid[8]&0x3f|0x80
	b := &bom{BOMFormat: "CycloneDX", SpecVersion: "1.5", Version: 1,
		SerialNumber: fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", uuid[0:4], uuid[4:6], uuid[6:8], uuid[8:10], uuid[10:])}
	b.Metadata.Timestamp = time.Now().UTC().Format(time.RFC3339)
	name := filepath.Base(binary)
	sum, err := fileSHA256(binary)
	if err != nil {
		return nil, err
	}
	b.Metadata.Component = component{Type: "application", BOMRef: name, Name: name, Version: info.Main.Version,
		PURL: "pkg:golang/" + info.Path + "@" + info.Main.Version, Hashes: []hash{{"SHA-256", sum}},
		Properties: []property{{"go:version", info.GoVersion}}}
	var refs []string
	for _, d := range info.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		c := component{Type: "library", BOMRef: "pkg:golang/" + d.Path + "@" + d.Version, Name: d.Path, Version: d.Version,
			PURL: "pkg:golang/" + d.Path + "@" + d.Version}
		if raw, ok := strings.CutPrefix(d.Sum, "h1:"); ok {
			// go.sum's h1 is SHA-256 over the module's file list and files' digests.
			if _, err := base64.StdEncoding.DecodeString(raw); err == nil {
				c.Properties = append(c.Properties, property{"go:sum", d.Sum}) // as go.sum writes it
			}
		}
		b.Components = append(b.Components, c)
		refs = append(refs, c.BOMRef)
	}
	for _, r := range recipes {
		c, err := recipe(r)
		if err != nil {
			return nil, err
		}
		b.Components = append(b.Components, c)
		refs = append(refs, c.BOMRef)
	}
	for _, f := range files {
		sum, err := fileSHA256(f)
		if err != nil {
			return nil, err
		}
		c := component{Type: "file", BOMRef: "file:" + filepath.Base(f), Name: filepath.Base(f), Hashes: []hash{{"SHA-256", sum}},
			Description: "shipped beside the binary"}
		if strings.HasSuffix(f, ".onnx") {
			c.Type = "machine-learning-model"
		}
		b.Components = append(b.Components, c)
		refs = append(refs, c.BOMRef)
	}
	b.Dependencies = append(b.Dependencies, struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	}{name, refs})
	return b, nil
}

// recipe reads a native/ recipe's pins: NAME, VERSION, NPM_PACKAGE, SHA256 (of the
// npm tarball), BUNDLE_COMMIT where there is one.
func recipe(path string) (component, error) {
	f, err := os.Open(path)
	if err != nil {
		return component{}, err
	}
	defer f.Close()
	v := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if k, val, ok := strings.Cut(line, "="); ok && k == strings.ToUpper(k) && !strings.ContainsAny(k, " \t#") {
			v[k] = strings.Trim(val, `"'`)
		}
	}
	if v["NAME"] == "" || v["NPM_PACKAGE"] == "" || len(v["SHA256"]) != 64 {
		return component{}, fmt.Errorf("%s: no NAME, NPM_PACKAGE and SHA256 pins", path)
	}
	version, _, _ := strings.Cut(v["VERSION"], "$") // a GPU suffix is the build's, not the source's
	pkg := v["NPM_PACKAGE"]
	at := strings.LastIndex(pkg, "@")
	if at <= 0 {
		return component{}, errors.New(path + ": NPM_PACKAGE has no version")
	}
	// The component is what was built (SQLite3MultipleCiphers, llama.cpp, the VAD
	// model), not the npm package it was taken from: that is its distribution, and
	// the pinned SHA-256 is the tarball's.
	c := component{Type: "library", BOMRef: "native:" + v["NAME"], Name: v["NAME"], Version: version,
		Description: "built from source pinned in " + filepath.Base(path),
		PURL:        "pkg:generic/" + v["NAME"] + "@" + strings.ReplaceAll(version, "+", "%2B"),
		References: []reference{{Type: "distribution", URL: "https://registry.npmjs.org/" + pkg[:at] + "/-/" + pkg[at+1:],
			Comment: "npm package " + pkg + " (pkg:npm/" + strings.Replace(pkg[:at], "@", "%40", 1) + "@" + pkg[at+1:] + "), the tarball the source is taken from",
			Hashes:  []hash{{"SHA-256", v["SHA256"]}}}}}
	if commit := v["BUNDLE_COMMIT"]; commit != "" {
		c.Properties = append(c.Properties, property{"source commit", commit})
	}
	return c, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
