package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// UserPrefsFile is the user's preferences file inside the profile directory.
const UserPrefsFile = "prefs.json"

// RegistryKey is where Group Policy (the ADMX templates in packaging/windows) puts
// Vellum's settings on Windows, under HKEY_LOCAL_MACHINE.
const RegistryKey = `SOFTWARE\Policies\Vellum`

// BundleID is the app's bundle identifier on macOS: the domain of its managed
// preferences (the configuration profile in packaging/macos).
const BundleID = "health.vellum.desktop"

// Sources says where each layer of policy is read from. DefaultSources gives the
// platform's places; tests point them at temporary files.
type Sources struct {
	UserFile    string // <profile>/prefs.json
	MachineFile string // written by the installer (MSI/PKG/deb)
	// OSFile is the OS policy where it is a file (Linux: /etc/vellum/policy.json).
	OSFile string
	// OSPolicy reads the OS policy where it is not a file (Windows registry, macOS
	// managed preferences); nil elsewhere. It returns nil Values when none is set.
	OSPolicy func() (Values, string, error)
}

// Load reads every source. A missing file is no layer. A malformed machine-level source
// is an error (its ParseError names file, line and setting); so is a malformed user
// file, reported separately so that the caller can run on without it.
func (s Sources) Load() (layers []Layer, machineErr, userErr error) {
	var machineErrs []error
	if l, err := readFileLayer(s.UserFile, FromUser); err != nil {
		userErr = err
	} else if l != nil {
		layers = append(layers, *l)
	}
	for _, f := range []struct {
		path   string
		origin Origin
	}{{s.MachineFile, FromMachineFile}, {s.OSFile, FromOSPolicy}} {
		if l, err := readFileLayer(f.path, f.origin); err != nil {
			machineErrs = append(machineErrs, err)
		} else if l != nil {
			layers = append(layers, *l)
		}
	}
	if s.OSPolicy != nil {
		v, name, err := s.OSPolicy()
		if err != nil {
			machineErrs = append(machineErrs, err)
		} else if v != nil {
			layers = append(layers, Layer{Origin: FromOSPolicy, Source: name, Values: v})
		}
	}
	return layers, errors.Join(machineErrs...), userErr
}

func readFileLayer(path string, origin Origin) (*Layer, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	v, err := ParseJSON(path, data, origin != FromUser)
	if err != nil {
		return nil, err
	}
	return &Layer{Origin: origin, Source: path, Values: v}, nil
}

// Current loads the policy once, for a command that runs and exits. A malformed
// machine-level source is an error: without it the locked settings are unknown. A
// malformed user file is skipped and returned as a warning.
func Current(s Sources) (snap Snapshot, warning, err error) {
	layers, machineErr, userErr := s.Load()
	if machineErr != nil {
		return Snapshot{}, nil, machineErr
	}
	return Merge(layers...), userErr, nil
}

// DefaultSources is the platform's set of sources for the profile in profileDir.
func DefaultSources(profileDir string) Sources {
	s := platformSources()
	if profileDir != "" {
		s.UserFile = filepath.Join(profileDir, UserPrefsFile)
	}
	return testPaths(s)
}
