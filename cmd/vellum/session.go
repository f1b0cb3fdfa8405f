package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// readLine reads one line of input: from the terminal without echo when stdin is one
// (a password, a code), else the next line of stdin (scripts, tests).
func (e *env) readLine(prompt string, secret bool) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, prompt)
		var b []byte
		var err error
		if secret {
			b, err = term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(e.stderr)
		} else {
			var s string
			s, err = e.lines().ReadString('\n')
			b = []byte(s)
		}
		return strings.TrimRight(string(b), "\r\n"), err
	}
	s, err := e.lines().ReadString('\n')
	if err != nil && s == "" {
		return "", fmt.Errorf("%s: no input", strings.TrimSuffix(strings.TrimSpace(prompt), ":"))
	}
	return strings.TrimRight(s, "\r\n"), nil
}

func (e *env) lines() *bufio.Reader {
	if e.in == nil {
		e.in = bufio.NewReader(e.stdin)
	}
	return e.in
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
