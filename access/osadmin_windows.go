package access

import (
	"os/user"

	"golang.org/x/sys/windows"
)

// OSUser is the name of the OS account running Vellum (DOMAIN\\name).
func OSUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// IsOSAdmin says whether this process's user is a member of the local Administrators
// group (elevated or not).
func IsOSAdmin() bool {
	sid, err := windows.CreateWellKnownSid(windows.WinBuiltinAdministratorsSid)
	if err != nil {
		return false
	}
	member, err := windows.Token(0).IsMember(sid)
	return err == nil && member
}
