package llm

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Template is a note template: data, not code (templates/*.json; IT may add its own
// in the managed folder's templates/ subfolder).
type Template struct {
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	System   string    `json:"system"`
	Sections []Section `json:"sections"`
}

// Section is one heading of a note.
type Section struct {
	Heading     string `json:"heading"`
	Instruction string `json:"instruction"`
}

//go:embed templates/*.json
var builtin embed.FS

// Templates returns the built-in templates and those in extraDir (if any), by name; a
// template in extraDir replaces a built-in one of the same name.
func Templates(extraDir string) (map[string]Template, error) {
	out := map[string]Template{}
	load := func(fsys fs.FS, dir string) error {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			b, err := fs.ReadFile(fsys, dir+"/"+e.Name())
			if err != nil {
				return err
			}
			var t Template
			if err := json.Unmarshal(b, &t); err != nil || t.Name == "" || len(t.Sections) == 0 {
				return fmt.Errorf("template %s: not a template (name, system, sections)", e.Name())
			}
			out[t.Name] = t
		}
		return nil
	}
	if err := load(builtin, "templates"); err != nil {
		return nil, err
	}
	if extraDir != "" {
		if _, err := os.Stat(extraDir); err == nil {
			if err := load(os.DirFS(extraDir), "."); err != nil {
				return nil, fmt.Errorf("templates in %s: %w", filepath.Clean(extraDir), err)
			}
		}
	}
	return out, nil
}

// TemplateNames lists templates by name.
func TemplateNames(ts map[string]Template) []string {
	var out []string
	for n := range ts {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Draft is a drafted note.
type Draft struct {
	Text         string
	Ungrounded   []Span
	PromptTokens int
	Tokens       int
	// PromptSHA256 and TextSHA256 go into the audit record instead of the text.
	PromptSHA256 string
	TextSHA256   string
}

// prompt builds the prompt for one section: the template's instructions, the source,
// the sections already written, and the heading to continue. A plain-text frame: it
// works with every model, the test model (which has no chat template) included.
func prompt(t Template, source, soFar string, s Section) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nWrite the %q section of a %s from the source below. %s\n\nSource:\n%s\n\n", t.System, s.Heading, t.Title, s.Instruction, strings.TrimSpace(source))
	b.WriteString(soFar)
	fmt.Fprintf(&b, "## %s\n", s.Heading)
	return b.String()
}

// Write drafts a note section by section with e, streaming each piece to emit (section
// headings included), then grounds it against the source. Screen the source first.
func Write(ctx context.Context, e Engine, t Template, source string, p Sampling, emit func(string) error) (Draft, error) {
	if err := Screen(source); err != nil {
		return Draft{}, err
	}
	if p.MaxTokens == 0 {
		p.MaxTokens = 256
	}
	p.Stop = append(p.Stop, "\n## ")
	var d Draft
	var soFar strings.Builder
	prompts := sha256.New()
	for _, s := range t.Sections {
		head := fmt.Sprintf("## %s\n", s.Heading)
		if err := emit(head); err != nil {
			return d, err
		}
		pr := prompt(t, source, soFar.String(), s)
		prompts.Write([]byte(pr))
		soFar.WriteString(head)
		var sec strings.Builder
		res, err := e.Generate(ctx, pr, p, func(piece string) error {
			sec.WriteString(piece)
			return emit(piece)
		})
		d.PromptTokens += res.PromptTokens
		d.Tokens += res.Tokens
		if err != nil {
			return d, err
		}
		text := strings.TrimSuffix(sec.String(), "\n## ")
		soFar.WriteString(strings.TrimSpace(text) + "\n\n")
		if err := emit("\n\n"); err != nil {
			return d, err
		}
	}
	d.Text = strings.TrimSpace(soFar.String())
	d.Ungrounded = Ground(source, d.Text)
	d.PromptSHA256 = hex.EncodeToString(prompts.Sum(nil))
	sum := sha256.Sum256([]byte(d.Text))
	d.TextSHA256 = hex.EncodeToString(sum[:])
	return d, nil
}
