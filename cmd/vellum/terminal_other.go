//go:build !unix

package main

// terminalSession: on Windows the command line's sign-in is not bound to a console
// session; the idle lock and `vellum logout` end it (README says so).
func terminalSession() string { return "" }
