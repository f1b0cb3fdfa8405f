package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/vellumhealth/vellum/app"
)

func draftCommand() *command {
	var template, modelFile, file, format string
	var maxTokens int
	return &command{
		name: "draft",
		summary: "draft a note from a source (dictation or shorthand) with the local model, stream it, " +
			"flag what the source does not support, and store it as a draft",
		example: `vellum draft --template soap --file encounter.txt     # encounter.txt: "Patient: MRN", a blank line, the source
vellum draft --template referral < encounter.txt`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&template, "template", "soap", "soap, hp, progress, discharge, referral, patient_summary (or IT's own)")
			fs.StringVar(&modelFile, "model", "", "model file (must be on the allowlist); default: policy default_model, else the first allowed model")
			fs.StringVar(&file, "file", "-", "the source: optional Patient: header, a blank line, the text (- for stdin)")
			fs.IntVar(&maxTokens, "max-tokens", 256, "at most this many tokens per section (json: about 4x as many characters)")
			fs.StringVar(&format, "format", "sections", "sections: one generation per section; json: one generation constrained by a grammar to JSON with a string per section")
		},
		vault: existingVault,
		auth:  true,
		run: func(ctx context.Context, e *env, args []string) error {
			src, err := e.readNoteFile(file)
			if err != nil {
				return fmt.Errorf("draft: %w", err)
			}
			if format != "sections" && format != "json" {
				return usageError{fmt.Sprintf("draft: --format %q: want sections or json", format)}
			}
			req := app.DraftRequest{Template: template, Source: src.Body, ModelFile: modelFile, MaxTokens: maxTokens, JSON: format == "json",
				Loaded: func(l app.Loaded) {
					if l.TestModel {
						fmt.Fprintln(e.stderr, "vellum: TEST MODEL (stories260K, a children's-story model): it writes no clinical text; install a clinical model for real drafts")
					}
					fmt.Fprintf(e.stderr, "vellum: %s on %s, %d threads, context %d\n", l.Info.Model, l.Info.Device, l.Info.Threads, l.Info.Context)
				}}
			stream := func(piece string) error { _, err := io.WriteString(e.stdout, piece); return err }
			note, d, err := e.app.DraftNote(ctx, req, src.PatientRef, stream)
			if errors.Is(err, app.ErrNoTemplate) {
				return usageError{"draft: " + err.Error()}
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout)
			for _, s := range d.Ungrounded {
				fmt.Fprintf(e.stderr, "not in the source (%s): %q\n", s.Kind, s.Text)
			}
			fmt.Fprintf(e.stderr, "stored as draft %s; check it, then `vellum notes sign %s`\n", note.ID, note.ID)
			return nil
		},
	}
}
