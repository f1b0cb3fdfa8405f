package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/vault"
)

func notesAddendum() *command {
	return &command{
		name:    "addendum",
		args:    "ID",
		summary: "add an addendum (a correction or addition) to a signed note; the text comes from stdin",
		example: `vellum notes addendum n_3f9a0c2b7d5e81f4a6c2 < correction.txt`,
		vault:   existingVault,
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			b, err := io.ReadAll(io.LimitReader(e.stdin, vault.MaxNoteBytes+1))
			if err != nil {
				return err
			}
			if len(b) > vault.MaxNoteBytes {
				return fmt.Errorf("the addendum is longer than %d bytes", vault.MaxNoteBytes)
			}
			a, err := e.app.AddAddendum(ctx, args[0], strings.TrimSpace(string(b)))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%s: addendum %s added\n", args[0], a.ID)
			return nil
		},
	}
}

func notesExport() *command {
	var out string
	var deidentified bool
	return &command{
		name: "export",
		args: "ID",
		summary: "write a signed note, with its addenda, as a FHIR R4 DocumentReference (JSON) to stdout or --out; " +
			"--deidentified writes it as text for teaching or research instead, every identifier replaced by a made-up one (where policy export_formats allows)",
		example: `vellum notes export --out note.json n_3f9a0c2b7d5e81f4a6c2
vellum notes export --deidentified --out teaching.txt n_3f9a0c2b7d5e81f4a6c2`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&out, "out", "", "write to FILE (created readable by you alone) instead of stdout")
			fs.BoolVar(&deidentified, "deidentified", false, "de-identified text, for teaching or research (recorded as note.export_deidentified)")
		},
		vault: existingVault,
		auth:  true,
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			format := app.ReleaseFHIR
			if deidentified {
				format = app.ReleaseDeidentified
			}
			b, err := e.app.ReleaseNote(ctx, args[0], format)
			if err != nil {
				return err
			}
			if out == "" {
				_, err = e.stdout.Write(append(b, '\n'))
				return err
			}
			return vault.WriteFileAtomic(out, append(b, '\n'), 0o600)
		},
	}
}
