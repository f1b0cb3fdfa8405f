package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Origin is where an effective value came from, lowest precedence first.
type Origin int

const (
	FromDefault Origin = iota
	FromUser
	FromMachineFile
	FromOSPolicy
)

func (o Origin) String() string {
	return [...]string{"default", "user preferences", "machine policy file", "OS policy"}[o]
}

// Setting is one effective value.
type Setting struct {
	Def    *Definition
	Value  any
	Origin Origin
	Source string // the file or registry key it came from; empty for defaults
}

// Locked: set by the organisation; the user cannot change it.
func (s Setting) Locked() bool { return s.Origin >= FromMachineFile }

// Snapshot is the merged, effective policy at one moment. It is immutable.
type Snapshot struct {
	settings map[Key]Setting
}

// Layer is one source's values, with its origin and name.
type Layer struct {
	Origin Origin
	Source string
	Values Values
}

// Merge computes the effective policy: each key takes the value of the highest layer
// that sets it, else its default.
func Merge(layers ...Layer) Snapshot {
	s := Snapshot{settings: map[Key]Setting{}}
	for i := range Definitions {
		d := &Definitions[i]
		s.settings[d.Key] = Setting{Def: d, Value: d.Default, Origin: FromDefault}
	}
	sorted := slices.Clone(layers)
	slices.SortStableFunc(sorted, func(a, b Layer) int { return int(a.Origin) - int(b.Origin) })
	for _, l := range sorted {
		for k, v := range l.Values {
			d, ok := Lookup(k)
			if !ok {
				continue
			}
			if l.Origin == FromUser && !d.UserSettable {
				continue // ParseJSON refuses these; a layer built by hand must not sneak one in
			}
			s.settings[k] = Setting{Def: d, Value: v, Origin: l.Origin, Source: l.Source}
		}
	}
	return s
}

// Get returns the effective setting for k. It panics on an undefined key: that is a
// programming error, caught by any test that reaches the call.
func (s Snapshot) Get(k Key) Setting {
	st, ok := s.settings[k]
	if !ok {
		panic(fmt.Sprintf("policy: undefined setting %q", k))
	}
	return st
}

func (s Snapshot) String(k Key) string          { return s.Get(k).Value.(string) }
func (s Snapshot) Int(k Key) int                { return s.Get(k).Value.(int) }
func (s Snapshot) Bool(k Key) bool              { return s.Get(k).Value.(bool) }
func (s Snapshot) Duration(k Key) time.Duration { return s.Get(k).Value.(time.Duration) }
func (s Snapshot) Strings(k Key) []string       { return slices.Clone(s.Get(k).Value.([]string)) }

// All lists the effective settings in definition order.
func (s Snapshot) All() []Setting {
	out := make([]Setting, 0, len(Definitions))
	for _, d := range Definitions {
		out = append(out, s.settings[d.Key])
	}
	return out
}

// Changed lists the keys whose value or origin differs between s and t.
func (s Snapshot) Changed(t Snapshot) []Key {
	var out []Key
	for _, d := range Definitions {
		a, b := s.settings[d.Key], t.settings[d.Key]
		if a.Origin != b.Origin || fmt.Sprint(a.Value) != fmt.Sprint(b.Value) {
			out = append(out, d.Key)
		}
	}
	return out
}

// Format renders a value for people: durations as "10m0s", lists comma-separated,
// secrets as "(set)" or "(not set)".
func Format(st Setting) string {
	if st.Def.Secret {
		if st.Value.(string) == "" {
			return "(not set)"
		}
		return "(set)"
	}
	switch v := st.Value.(type) {
	case []string:
		return strings.Join(v, ", ")
	default:
		return fmt.Sprint(v)
	}
}

// Fingerprints identify each setting's value and origin without holding the value
// (secrets included), so that a change can be noticed between two runs and recorded.
func (s Snapshot) Fingerprints() map[Key]string {
	out := make(map[Key]string, len(s.settings))
	for k, st := range s.settings {
		h := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%v", st.Origin, st.Source, st.Value)))
		out[k] = hex.EncodeToString(h[:8])
	}
	return out
}
