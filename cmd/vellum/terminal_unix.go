//go:build unix

package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// terminalSession names the terminal session this command runs in: its session id
// and, where /proc tells, when the session's leader started (ids are reused). The
// command line's sign-in ends with it.
func terminalSession() string {
	sid, err := unix.Getsid(0)
	if err != nil {
		return ""
	}
	id := fmt.Sprint(sid)
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", sid)); err == nil {
		// Field 22 is the start time; the command name before it may hold spaces,
		// so count from its closing parenthesis.
		s := string(b)
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			if f := strings.Fields(s[i+1:]); len(f) > 19 {
				id += "@" + f[19]
			}
		}
	}
	return id
}
