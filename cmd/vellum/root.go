package main

import (
	"os"
	"runtime"
)

func root() *command {
	return &command{
		name:    "vellum",
		summary: "on-device clinical note drafting with an encrypted vault and an audit trail",
		example: `vellum notes add --file note.txt
vellum notes search pneumonia
vellum --profile /srv/demo vault check`,
		subs: []*command{loginCommand(), logoutCommand(), lockCommand(), unlockCommand(), whoamiCommand(),
			breakGlassCommand(), usersCommand(), draftCommand(), transcribeCommand(), deidCommand(), notesCommand(), vaultCommand(), auditCommand(), modelsCommand(), policyCommand(), doctorCommand(), versionCommand(),
			desktopCommand()},
		// With no arguments: the window where there is a display, else this help.
		bare: func() *command {
			if hasDisplay() {
				return desktopCommand()
			}
			return nil
		},
	}
}

// hasDisplay says whether a window can open: on Linux an X11 or Wayland display must
// be named (SSH sessions, CI and servers have none).
func hasDisplay() bool {
	if runtime.GOOS != "linux" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
