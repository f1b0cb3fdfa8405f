// Command vellum is the physician's desktop assistant. With no arguments it opens the
// window (where a display exists); with a subcommand it runs headless — how IT scripts
// it and how tests drive it end to end.
//
// The command parses flags, prompts, prints and picks exit codes; every use case is a
// method of package app, which the window calls too. What it does is documented by
// `vellum --help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/dictation/sherpa"
	"github.com/vellumhealth/vellum/phi"
	"github.com/vellumhealth/vellum/vault"
)

func main() {
	// PHI will sit in this process's memory: no core dumps, no crash-report dumps.
	if err := vault.ProtectProcess(); err != nil {
		fmt.Fprintf(os.Stderr, "vellum: %v\n", err)
		os.Exit(1)
	}
	// A speech model's trial load, in a process of its own (dictation/sherpa).
	sherpa.RunProbe()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses (STYLE.md, "Command line").
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	err := root().dispatch(ctx, env, nil, args)
	switch {
	case err == nil || errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "vellum: %s\n", errorLine(err))
		return exitUsage
	default:
		fmt.Fprintf(stderr, "vellum: %s\n", errorLine(err))
		if hint := hintFor(err); hint != "" {
			fmt.Fprintf(stderr, "%s\n", hint)
		}
		return exitFail
	}
}

// errorLine is err as the one line the command prints, with any identifier phi
// finds in it redacted: an error can quote what it was given (a search, an id typed
// wrong, a line of a file), and stderr ends up in scripts' logs. File paths are left
// as they are: the user named them, and a path with a temporary folder's random
// name redacted would not say which file failed.
func errorLine(err error) string {
	msg := err.Error()
	var keep []phi.Span
	for _, sp := range phi.Find(msg) {
		if !inPath(msg, sp.Start) {
			keep = append(keep, sp)
		}
	}
	return phi.RedactSpans(msg, keep)
}

// inPath says whether msg[i] is inside a word that is a file path (/..., ./...,
// ~/..., C:\...).
func inPath(msg string, i int) bool {
	start := strings.LastIndexAny(msg[:i], " \t\"'(") + 1
	w := msg[start:]
	return strings.HasPrefix(w, "/") || strings.HasPrefix(w, "./") || strings.HasPrefix(w, "../") || strings.HasPrefix(w, "~/") ||
		len(w) > 2 && w[1] == ':' && (w[2] == '\\' || w[2] == '/')
}

// hintFor says what to do next, for the failures a user can act on.
func hintFor(err error) string {
	switch {
	case errors.Is(err, vault.ErrKeychainUnavailable):
		return "hint: Vellum keeps the vault key in the OS keychain. On Linux that is the Secret Service\n" +
			"(gnome-keyring or KWallet) of a desktop session; on a headless machine run Vellum inside\n" +
			"`dbus-run-session` with `gnome-keyring-daemon --unlock` (see README.md)."
	case errors.Is(err, vault.ErrKeychainLocked):
		return "hint: nothing was changed. Vellum needs the keychain unlocked to read the vault key."
	case errors.Is(err, vault.ErrWrongKey), errors.Is(err, vault.ErrForeignVault):
		return "hint: nothing was changed. If the keychain entry was lost or replaced, restore the key with\n" +
			"`vellum vault recover --identity FILE` (the hospital's recovery identity)."
	case errors.Is(err, vault.ErrDamaged):
		return "hint: nothing was changed. Restore the notes from a backup with `vellum vault restore FILE --identity ID`\n" +
			"into a new profile, and keep the damaged file for investigation."
	case errors.Is(err, vault.ErrNoVault):
		return "hint: the profile has no vault yet; an admin creates it with `vellum users add NAME --role admin`."
	case errors.Is(err, access.ErrNotBootstrapped):
		return "hint: see README.md, \"The first admin\"."
	case errors.Is(err, app.ErrUntrustedBackup):
		return "hint: nothing was restored. If you know the workstation that made it, name its device (as `vellum vault\n" +
			"backup` printed it) with --signer; a backup made before backups were signed needs --unsigned."
	case errors.Is(err, app.ErrUndelivered):
		return "hint: nothing was removed. Deliver the journal first with `vellum audit sync`, or ask IT to allow\n" +
			"offline disposal (policy allow_offline_shred)."
	case errors.Is(err, app.ErrUsePolicyPending):
		return "hint: sign in again with `vellum login`, which shows your organisation's acceptable-use policy to accept."
	case errors.Is(err, app.ErrUsePolicyUnreadable):
		return "hint: nobody can sign in until IT fixes the file that policy acceptable_use_file names."
	case errors.Is(err, app.ErrNoSpeechModel):
		return "hint: IT copies a speech model (a sherpa-onnx streaming transducer, and a Whisper model for the final pass\n" +
			"if it likes) into the speech/ folder of the models folder, one folder each, and puts the SHA-256 of each of\n" +
			"its files on model_allowlist; `vellum models speech` shows what is there."
	case errors.Is(err, access.ErrLockedOut):
		return "hint: wait, or ask an admin to run `vellum users unlock NAME` once they know it is you."
	}
	return ""
}
