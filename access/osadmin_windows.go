package access

import "golang.org/x/sys/windows"

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
