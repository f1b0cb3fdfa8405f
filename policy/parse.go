package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Values is what one source sets: a value of its definition's kind for each key.
type Values map[Key]any

// ParseError says where a policy source is malformed: the file (or registry key), the
// line when there is one, and the setting.
type ParseError struct {
	Source string
	Line   int // 0 when the source has no lines (registry)
	Key    Key // empty for a syntax error
	Reason string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "policy %s", e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ", setting %q", e.Key)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	return b.String()
}

// ParseJSON reads a policy file: one JSON object of settings. For a user preferences
// file (machine false), machine-only settings are refused. Unknown keys, duplicates,
// wrong types, values out of range, an empty file and trailing data are all refused:
// a policy that does not say exactly what it means is not applied.
func ParseJSON(source string, data []byte, machine bool) (Values, error) {
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	fail := func(off int64, k Key, format string, args ...any) error {
		return &ParseError{Source: source, Line: lineAt(off), Key: k, Reason: fmt.Sprintf(format, args...)}
	}
	syntax := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fail(se.Offset, "", "not valid JSON: %v", err)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fail(int64(len(data)), "", "the file ends before the settings object does")
		}
		return fail(0, "", "not valid JSON: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail(0, "", "the file is empty (write {} for no settings)")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fail(dec.InputOffset(), "", "the file must hold one JSON object of settings")
	}
	out := Values{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		off := dec.InputOffset()
		k := Key(tok.(string))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntax(err)
		}
		def, ok := Lookup(k)
		if !ok {
			return nil, fail(off, k, "no such setting")
		}
		if !machine && !def.UserSettable {
			return nil, fail(off, k, "only machine policy may set this")
		}
		if _, dup := out[k]; dup {
			return nil, fail(off, k, "set twice")
		}
		v, err := fromJSON(def, raw)
		if err != nil {
			return nil, fail(off, k, "%v", err)
		}
		out[k] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, syntax(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fail(dec.InputOffset(), "", "data after the settings object")
	}
	return out, nil
}

func fromJSON(def *Definition, raw json.RawMessage) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return convert(def, v)
}

// convert turns a decoded JSON value, or a registry value (string, uint64, []string),
// into the definition's kind, and checks it.
func convert(def *Definition, v any) (any, error) {
	var out any
	switch def.Kind {
	case String:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want a string")
		}
		out = s
	case Int:
		switch n := v.(type) {
		case json.Number:
			i, err := strconv.Atoi(n.String())
			if err != nil {
				return nil, fmt.Errorf("want a whole number")
			}
			out = i
		case uint64:
			out = int(n)
		default:
			return nil, fmt.Errorf("want a whole number")
		}
	case Bool:
		switch b := v.(type) {
		case bool:
			out = b
		case uint64: // registry DWORD
			if b > 1 {
				return nil, fmt.Errorf("want 0 or 1")
			}
			out = b == 1
		default:
			return nil, fmt.Errorf("want true or false")
		}
	case Duration:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf(`want a duration such as "10m" or "90s"`)
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return nil, fmt.Errorf(`want a duration such as "10m" or "90s"`)
		}
		out = d
	case StringList:
		switch l := v.(type) {
		case []string:
			out = append([]string{}, l...)
		case []any:
			ss := []string{}
			for _, e := range l {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("want a list of strings")
				}
				ss = append(ss, s)
			}
			out = ss
		default:
			return nil, fmt.Errorf("want a list of strings")
		}
	}
	if err := def.validate(out); err != nil {
		return nil, err
	}
	return out, nil
}
