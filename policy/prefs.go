package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrManaged: the organisation's policy sets the setting, so the user cannot.
var ErrManaged = errors.New("managed by your organisation")

// SetPreference sets a user preference in s.UserFile (prefs.json), keeping the others.
// It refuses a setting users may not set, one that policy currently locks
// (ErrManaged), and a value the setting's definition rejects; the file is replaced
// atomically, so a crash leaves the old preferences or the new, never a torn file.
func SetPreference(s Sources, current Snapshot, k Key, value any) error {
	def, ok := Lookup(k)
	if !ok {
		return fmt.Errorf("no setting %q", k)
	}
	if !def.UserSettable {
		return fmt.Errorf("%s: only the organisation's policy sets it", k)
	}
	if current.Get(k).Locked() {
		return fmt.Errorf("%s: %w", k, ErrManaged)
	}
	prefs := map[string]json.RawMessage{}
	if b, err := os.ReadFile(s.UserFile); err == nil {
		if err := json.Unmarshal(b, &prefs); err != nil {
			prefs = map[string]json.RawMessage{} // unreadable before: start again
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	raw, err := json.Marshal(value)
	if err != nil {
		return err
	}
	prefs[string(k)] = raw
	out, err := json.MarshalIndent(prefs, "", "  ")
	if err != nil {
		return err
	}
	// The strict parser is the judge of the whole file, as it will be when read.
	if _, err := ParseJSON(s.UserFile, out, false); err != nil {
		return err
	}
	tmp := s.UserFile + ".tmp"
	if err := os.MkdirAll(filepath.Dir(s.UserFile), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(tmp, append(out, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.UserFile)
}
