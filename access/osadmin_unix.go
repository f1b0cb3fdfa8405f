//go:build unix

package access

import (
	"os"
	"os/user"
	"slices"
)

// adminGroups are the groups whose members administer a Unix machine: Debian and
// Ubuntu's sudo, Red Hat's and BSD's wheel, macOS's admin.
var adminGroups = []string{"sudo", "wheel", "admin"}

// OSUser is the name of the OS account running Vellum.
func OSUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// IsOSAdmin says whether this process runs as root or as a member of an administrators
// group. Kiosk and clinical accounts are not in those groups.
func IsOSAdmin() bool {
	if os.Geteuid() == 0 {
		return true
	}
	u, err := user.Current()
	if err != nil {
		return false
	}
	gids, err := u.GroupIds()
	if err != nil {
		return false
	}
	for _, gid := range gids {
		if g, err := user.LookupGroupId(gid); err == nil && slices.Contains(adminGroups, g.Name) {
			return true
		}
	}
	return false
}
