package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vellumhealth/vellum/vault"
)

func notesCommand() *command {
	return &command{
		name:    "notes",
		summary: "add, list, show, search, sign notes in the vault",
		example: `vellum notes add --title "SOAP note" --patient 12345 < draft.txt
vellum notes list
vellum notes search "chest pain"`,
		subs: []*command{notesAdd(), notesList(), notesShow(), notesSearch(), notesSign(), notesExported(), notesDelete()},
	}
}

func notesAdd() *command {
	var title, patient, body, bodyFile string
	var asJSON bool
	return &command{
		name:    "add",
		args:    "",
		summary: "store a new draft note (body from --body, --body-file or stdin)",
		example: `vellum notes add --title "Progress note" --patient 12345 --body "S: ..."
vellum notes add --title "Letter" --body-file letter.txt`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&title, "title", "", "note title (required)")
			fs.StringVar(&patient, "patient", "", "patient reference (the EHR's identifier)")
			fs.StringVar(&body, "body", "", "note text")
			fs.StringVar(&bodyFile, "body-file", "", "read the note text from this file (- for stdin)")
			fs.BoolVar(&asJSON, "json", false, "print the stored note as JSON")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if title == "" {
				return usageError{"notes add: --title is required"}
			}
			if body != "" && bodyFile != "" {
				return usageError{"notes add: give --body or --body-file, not both"}
			}
			if bodyFile != "" {
				var b []byte
				var err error
				if bodyFile == "-" {
					b, err = io.ReadAll(e.stdin)
				} else {
					b, err = os.ReadFile(bodyFile)
				}
				if err != nil {
					return fmt.Errorf("read the note text: %w", err)
				}
				body = string(b)
			}
			v, err := e.openVault(ctx, true)
			if err != nil {
				return err
			}
			defer v.Close()
			n, err := v.AddNote(ctx, vault.NewNote{PatientRef: patient, Title: title, Body: body, Author: author()})
			if err != nil {
				return err
			}
			if asJSON {
				return e.printJSON(n)
			}
			fmt.Fprintln(e.stdout, n.ID)
			return nil
		},
	}
}

func notesList() *command {
	var limit int
	var asJSON bool
	return &command{
		name:    "list",
		summary: "list notes, most recently changed first",
		example: `vellum notes list --limit 20`,
		flags: func(fs *flag.FlagSet) {
			fs.IntVar(&limit, "limit", 0, "at most this many (0: all)")
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		},
		vault: createVault,
		run: func(ctx context.Context, e *env, args []string) error {
			v := e.vault
			notes, err := v.Notes(ctx, limit)
			if err != nil {
				return err
			}
			if asJSON {
				if notes == nil {
					notes = []vault.Note{}
				}
				return e.printJSON(notes)
			}
			printNotes(e.stdout, notes, nil)
			return nil
		},
	}
}

func printNotes(w io.Writer, notes []vault.Note, snippets []string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPATIENT\tTITLE\tSTATUS\tUPDATED")
	for i, n := range notes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.ID, n.PatientRef, oneLine(n.Title, 48), n.Status, n.Updated.Local().Format("2006-01-02 15:04"))
		if snippets != nil {
			fmt.Fprintf(tw, "\t\t  %s\t\t\n", oneLine(snippets[i], 80))
		}
	}
	tw.Flush()
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func notesShow() *command {
	var asJSON bool
	return &command{
		name:    "show",
		args:    "ID",
		summary: "print one note",
		example: `vellum notes show n_3f9a0c2b7d5e81f4a6c2`,
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		vault:   existingVault,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			v := e.vault
			n, err := v.Note(ctx, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return e.printJSON(n)
			}
			fmt.Fprintf(e.stdout, "%s\nID: %s\nPatient: %s\nStatus: %s\nAuthor: %s\nCreated: %s\nUpdated: %s\n",
				n.Title, n.ID, n.PatientRef, n.Status, n.Author, stamp(n.Created), stamp(n.Updated))
			if n.Status == vault.Signed {
				fmt.Fprintf(e.stdout, "Signed: %s by %s\n", stamp(n.Signed), n.SignedBy)
			}
			if !n.Exported.IsZero() {
				fmt.Fprintf(e.stdout, "Exported: %s\n", stamp(n.Exported))
			}
			fmt.Fprintf(e.stdout, "\n%s\n", n.Body)
			return nil
		},
	}
}

func stamp(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 MST") }

func notesSearch() *command {
	var limit int
	var asJSON bool
	return &command{
		name:    "search",
		args:    "WORDS...",
		summary: "full-text search of titles and bodies (every word must match)",
		example: `vellum notes search metformin
vellum notes search --json "chest pain"`,
		flags: func(fs *flag.FlagSet) {
			fs.IntVar(&limit, "limit", 50, "at most this many")
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		},
		vault: createVault,
		nargs: anyArgs,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return usageError{"notes search: what to search for?"}
			}
			v := e.vault
			hits, err := v.Search(ctx, strings.Join(args, " "), limit)
			if err != nil {
				return err
			}
			if asJSON {
				if hits == nil {
					hits = []vault.Hit{}
				}
				return e.printJSON(hits)
			}
			if len(hits) == 0 {
				fmt.Fprintln(e.stderr, "no notes match")
				return nil
			}
			notes := make([]vault.Note, len(hits))
			snippets := make([]string, len(hits))
			for i, h := range hits {
				notes[i], snippets[i] = h.Note, h.Snippet
			}
			printNotes(e.stdout, notes, snippets)
			return nil
		},
	}
}

// noteVerb builds the one-ID commands that change a note.
func noteVerb(name, summary, example string, do func(ctx context.Context, v *vault.Vault, id string) error, done string) *command {
	return &command{
		name:    name,
		args:    "ID",
		summary: summary,
		example: example,
		vault:   existingVault,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := do(ctx, e.vault, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%s %s\n", args[0], done)
			return nil
		},
	}
}

func notesSign() *command {
	return noteVerb("sign", "sign a draft; a signed note can no longer change",
		`vellum notes sign n_3f9a0c2b7d5e81f4a6c2`,
		func(ctx context.Context, v *vault.Vault, id string) error { return v.SignNote(ctx, id, author()) },
		"signed")
}

func notesExported() *command {
	return noteVerb("exported", "record that a signed note reached the EHR (retention may then remove it)",
		`vellum notes exported n_3f9a0c2b7d5e81f4a6c2`,
		func(ctx context.Context, v *vault.Vault, id string) error { return v.MarkExported(ctx, id) },
		"marked as exported")
}

func notesDelete() *command {
	return noteVerb("delete", "delete a draft (signed notes go only by retention)",
		`vellum notes delete n_3f9a0c2b7d5e81f4a6c2`,
		func(ctx context.Context, v *vault.Vault, id string) error { return v.DeleteDraft(ctx, id) },
		"deleted")
}
