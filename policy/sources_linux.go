//go:build !windows && !darwin

package policy

// On Linux and other Unix systems there is no OS policy store: configuration
// management writes /etc/vellum/policy.json; the installer writes installer.json.
func platformSources() Sources {
	return Sources{
		MachineFile: "/etc/vellum/installer.json",
		OSFile:      "/etc/vellum/policy.json",
	}
}
