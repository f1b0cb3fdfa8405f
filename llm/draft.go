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
	// CachedTokens of PromptTokens were reused from the engine's KV cache.
	CachedTokens int
	Tokens       int
	// PromptSHA256 and TextSHA256 go into the audit record instead of the text.
	PromptSHA256 string
	TextSHA256   string
}

// SystemPrompt is the template's system part: its rules, and every section with its
// instruction. It depends on the template only, so that it is the shared prefix of
// every draft with that template (the engine computes it once).
func SystemPrompt(t Template) string {
	var b strings.Builder
	b.WriteString(t.System)
	fmt.Fprintf(&b, "\n\nWrite a %s from the source the user gives. Use these sections, in this order, each under its own \"## \" heading:\n", t.Title)
	for _, s := range t.Sections {
		fmt.Fprintf(&b, "## %s: %s\n", s.Heading, s.Instruction)
	}
	return b.String()
}

// Frame is the start of every prompt for one note: the system part, the source, and
// the beginning of the model's reply. With the model's chat template (from its GGUF
// metadata) it is the model's own chat format; a model without one gets a plain-text
// frame that any model can continue.
func Frame(e Engine, t Template, source string) string {
	sys := SystemPrompt(t)
	user := "Source:\n" + strings.TrimSpace(source)
	if p, err := e.Chat([]Message{{Role: "system", Content: sys}, {Role: "user", Content: user}}); err == nil {
		return p
	}
	return sys + "\n" + user + "\n\nNote:\n"
}

// Write drafts a note section by section with e, streaming each piece to emit (section
// headings included), then grounds it against the source. Screen the source first.
//
// Each section's prompt is the frame, the sections written so far, and the next
// heading: it extends the previous section's prompt and output, which the engine still
// holds, so only the new heading is computed before the next section starts.
func Write(ctx context.Context, e Engine, t Template, source string, p Sampling, emit func(string) error) (Draft, error) {
	if err := Screen(source); err != nil {
		return Draft{}, err
	}
	if p.MaxTokens == 0 {
		p.MaxTokens = 256
	}
	p.Stop = append(p.Stop, "\n## ")
	frame := Frame(e, t, source)
	var d Draft
	var soFar strings.Builder
	prompts := sha256.New()
	for _, s := range t.Sections {
		head := fmt.Sprintf("## %s\n", s.Heading)
		if err := emit(head); err != nil {
			return d, err
		}
		pr := frame + soFar.String() + head
		prompts.Write([]byte(pr))
		soFar.WriteString(head)
		var sec strings.Builder
		res, err := e.Generate(ctx, pr, p, func(piece string) error {
			sec.WriteString(piece)
			return emit(piece)
		})
		d.add(res)
		if err != nil {
			return d, err
		}
		text := strings.TrimSuffix(sec.String(), "\n## ")
		soFar.WriteString(strings.TrimSpace(text) + "\n\n")
		if err := emit("\n\n"); err != nil {
			return d, err
		}
	}
	d.finish(source, soFar.String(), prompts.Sum(nil))
	return d, nil
}

// WriteJSON drafts the whole note in one generation constrained by JSONGrammar to a
// JSON object with one string per section, streams the raw JSON to emit, and renders
// it as the same "## Heading" text Write produces. maxChars bounds each section; with
// p.MaxTokens 0 the token budget is enough for the longest JSON the grammar allows.
func WriteJSON(ctx context.Context, e Engine, t Template, source string, p Sampling, maxChars int, emit func(string) error) (Draft, error) {
	if err := Screen(source); err != nil {
		return Draft{}, err
	}
	if p.MaxTokens == 0 {
		// Every token is at least one character: with this budget the grammar, not
		// the token limit, ends the draft, and the JSON is always complete.
		p.MaxTokens = len(t.Sections) * (maxChars + 32)
	}
	p.Grammar = JSONGrammar(t, maxChars)
	pr := Frame(e, t, source)
	var out strings.Builder
	res, err := e.Generate(ctx, pr, p, func(piece string) error {
		out.WriteString(piece)
		return emit(piece)
	})
	var d Draft
	d.add(res)
	if err != nil {
		return d, err
	}
	var sections map[string]string
	if err := json.Unmarshal([]byte(out.String()), &sections); err != nil {
		return d, fmt.Errorf("the draft ended (%s) before its JSON was complete: raise the token limit", res.StopReason)
	}
	var text strings.Builder
	for _, s := range t.Sections {
		fmt.Fprintf(&text, "## %s\n%s\n\n", s.Heading, strings.TrimSpace(sections[s.Heading]))
	}
	sum := sha256.Sum256([]byte(pr))
	d.finish(source, text.String(), sum[:])
	return d, nil
}

// JSONGrammar is a GBNF grammar for a JSON object holding each of t's sections, in
// order, as a string of at most maxChars characters (no control characters; the
// escapes JSON allows).
func JSONGrammar(t Template, maxChars int) string {
	var b strings.Builder
	b.WriteString(`root ::= "{" ws`)
	for i, s := range t.Sections {
		if i > 0 {
			b.WriteString(` "," ws`)
		}
		key, _ := json.Marshal(s.Heading)
		fmt.Fprintf(&b, " %q ws \":\" ws str ws", string(key))
	}
	b.WriteString(` "}"` + "\n")
	fmt.Fprintf(&b, "str ::= \"\\\"\" char{0,%d} \"\\\"\"\n", maxChars)
	b.WriteString(`char ::= [^"\\\x00-\x1F\x7F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})` + "\n")
	b.WriteString(`ws ::= [ \n]?` + "\n")
	return b.String()
}

func (d *Draft) add(r Result) {
	d.PromptTokens += r.PromptTokens
	d.CachedTokens += r.CachedTokens
	d.Tokens += r.Tokens
}

func (d *Draft) finish(source, text string, promptSum []byte) {
	d.Text = strings.TrimSpace(text)
	d.Ungrounded = Ground(source, d.Text)
	d.PromptSHA256 = hex.EncodeToString(promptSum)
	sum := sha256.Sum256([]byte(d.Text))
	d.TextSHA256 = hex.EncodeToString(sum[:])
}
