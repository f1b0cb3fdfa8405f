package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is one node of `vellum <noun> <verb>`: a noun has subs, a verb has run.
type command struct {
	name    string
	args    string // synopsis of the arguments, after the flags
	summary string
	example string
	flags   func(fs *flag.FlagSet)
	// nargs is how many positional arguments a verb takes; anyArgs lets run decide.
	nargs int
	// vault says whether run needs the profile's vault open (in e.vault).
	vault vaultUse
	// auth: run needs a signed-in Vellum user (e.svc, e.sess, e.user); implies a vault.
	auth bool
	run  func(ctx context.Context, e *env, args []string) error
	subs []*command
	// bare, when set, is the command run when this one is given no subcommand (nil:
	// show help).
	bare func() *command
}

const anyArgs = -1

type vaultUse int

const (
	noVault       vaultUse = iota
	existingVault          // the vault must exist
	createVault            // a missing vault is created (first use)
)

var errHelpShown = errors.New("help shown")

func (c *command) dispatch(ctx context.Context, e *env, path []string, args []string) error {
	path = append(path, c.name)
	fs := flag.NewFlagSet(strings.Join(path, " "), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if c.flags != nil {
		c.flags(fs)
	}
	e.globalFlags(fs) // --profile and friends work at every level
	parse := func(args []string) error {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.help(e.stdout, path, fs)
				return errHelpShown
			}
			return usageError{fmt.Sprintf("%s: %v (see `%s --help`)", strings.Join(path, " "), err, strings.Join(path, " "))}
		}
		return nil
	}
	if err := parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if c.run != nil {
		// A verb takes flags after its arguments too (`restore FILE --identity ID`),
		// until a "--".
		var positional []string
		for len(rest) > 0 {
			if rest[0] == "--" {
				positional = append(positional, rest[1:]...)
				break
			}
			positional = append(positional, rest[0])
			if err := parse(rest[1:]); err != nil {
				return err
			}
			rest = fs.Args()
		}
		if c.nargs != anyArgs && len(positional) != c.nargs {
			want := "no arguments"
			if c.nargs > 0 {
				want = c.args
			}
			return usageError{fmt.Sprintf("%s: want %s, got %d argument(s) (see `%s --help`)",
				strings.Join(path, " "), want, len(positional), strings.Join(path, " "))}
		}
		if c.vault != noVault {
			if _, err := e.openVault(ctx, c.vault == createVault); err != nil {
				return err
			}
			defer e.closeVault()
			if c.auth {
				if err := e.signIn(ctx); err != nil {
					return err
				}
			}
		}
		return c.run(ctx, e, positional)
	}
	if len(rest) == 0 && c.bare != nil {
		if sub := c.bare(); sub != nil {
			return sub.dispatch(ctx, e, path, nil)
		}
	}
	if len(rest) == 0 || rest[0] == "help" {
		c.help(e.stdout, path, fs)
		if len(rest) == 0 {
			return usageError{fmt.Sprintf("%s: which one? (see the list above)", strings.Join(path, " "))}
		}
		return errHelpShown
	}
	for _, s := range c.subs {
		if s.name == rest[0] {
			return s.dispatch(ctx, e, path, rest[1:])
		}
	}
	return usageError{fmt.Sprintf("%s: unknown command %q (see `%s --help`)", strings.Join(path, " "), rest[0], strings.Join(path, " "))}
}

func (c *command) help(w io.Writer, path []string, fs *flag.FlagSet) {
	name := strings.Join(path, " ")
	fmt.Fprintf(w, "%s — %s\n\n", name, c.summary)
	if len(c.subs) > 0 {
		fmt.Fprintf(w, "Usage: %s [flags] <command> ...\n\nCommands:\n", name)
		subs := append([]*command(nil), c.subs...)
		sort.Slice(subs, func(i, j int) bool { return subs[i].name < subs[j].name })
		for _, s := range subs {
			fmt.Fprintf(w, "  %-10s %s\n", s.name, s.summary)
		}
	} else {
		fmt.Fprintf(w, "Usage: %s [flags] %s\n", name, c.args)
	}
	var hasFlags bool
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(w, "  --%-14s %s%s\n", f.Name, f.Usage, def)
		})
	}
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", indent(c.example))
	}
	if len(c.subs) > 0 {
		fmt.Fprintf(w, "\nRun `%s <command> --help` for a command's flags and an example.\n", name)
	}
}

func indent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}
