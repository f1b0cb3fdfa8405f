package policy

import (
	"errors"
	"fmt"
	"path/filepath"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

func platformSources() Sources {
	// The known folder, not %ProgramData%: the environment is the user's to change.
	pd, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0)
	if err != nil {
		pd = `C:\ProgramData`
	}
	return Sources{
		MachineFile: filepath.Join(pd, "Vellum", "policy.json"),
		OSPolicy:    readRegistry,
	}
}

// readRegistry reads HKLM\SOFTWARE\Policies\Vellum: REG_SZ for strings and durations,
// REG_DWORD for integers and booleans, REG_MULTI_SZ for lists.
func readRegistry() (Values, string, error) {
	name := `HKLM\` + RegistryKey
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, RegistryKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, name, nil
	}
	if err != nil {
		return nil, name, fmt.Errorf("policy %s: %w", name, err)
	}
	defer k.Close()
	names, err := k.ReadValueNames(0)
	if err != nil {
		return nil, name, fmt.Errorf("policy %s: %w", name, err)
	}
	out := Values{}
	for _, n := range names {
		def, ok := Lookup(Key(n))
		if !ok {
			// A setting of a newer version's template, in the domain's central
			// store: this version has nothing to apply it to.
			continue
		}
		var raw any
		switch def.Kind {
		case StringList:
			raw, _, err = k.GetStringsValue(n)
		case Int, Bool:
			raw, _, err = k.GetIntegerValue(n)
		default:
			raw, _, err = k.GetStringValue(n)
		}
		if err != nil {
			return nil, name, &ParseError{Source: name, Key: def.Key, Reason: fmt.Sprintf("wrong registry type: %v", err)}
		}
		v, err := convert(def, raw)
		if err != nil {
			return nil, name, &ParseError{Source: name, Key: def.Key, Reason: err.Error()}
		}
		out[def.Key] = v
	}
	return out, name, nil
}
