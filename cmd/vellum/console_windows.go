package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole: vellum.exe is a GUI program (-H windowsgui), so the window opens with
// no console behind it. Started from cmd.exe or PowerShell, though, a GUI program has
// no standard handles, and a command's output would go nowhere. So where standard
// output is missing, and a command (not the window) runs, it attaches to the console
// of the program that started it. Handles a script gave (redirected, piped) are kept.
func attachConsole(args []string) {
	if len(args) == 0 || args[0] == "desktop" {
		return
	}
	if h, err := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != windows.InvalidHandle {
		return
	}
	const attachParentProcess = 0xFFFFFFFF // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer or a service: there is no console to show it
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = f, f
	}
	if f, err := os.OpenFile("CONIN$", os.O_RDWR, 0); err == nil {
		os.Stdin = f
	}
}
