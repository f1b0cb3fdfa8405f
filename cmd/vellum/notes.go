package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/vault"
)

func notesCommand() *command {
	return &command{
		name:    "notes",
		summary: "add, list, show, search, sign notes in the vault",
		example: `vellum notes add --title "SOAP note" --patient 12345 < draft.txt
vellum notes list
vellum notes search "chest pain"`,
		subs: []*command{notesAdd(), notesList(), notesShow(), notesSearch(), notesEdit(), notesSign(), notesAddendum(), notesExport(), notesExported(), notesDelete(), notesReassign()},
	}
}

func notesAdd() *command {
	var title, patient, body, file string
	var asJSON bool
	return &command{
		name:    "add",
		summary: "store a new draft note",
		example: `vellum notes add --file note.txt          # note.txt: "Title: ...", "Patient: ...", blank line, text
vellum notes add --file - < note.txt
vellum notes add --title "Letter" --body "Dear colleague, ..."

Prefer --file: flags show in the shell history and, while the command runs, in the
process list of the machine.`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&file, "file", "", "read the note from FILE (- for stdin): optional Title: and Patient: lines, a blank line, the text")
			fs.StringVar(&title, "title", "", "note title (overrides the file's)")
			fs.StringVar(&patient, "patient", "", "patient reference, the EHR's identifier (overrides the file's)")
			fs.StringVar(&body, "body", "", "note text (instead of --file)")
			fs.BoolVar(&asJSON, "json", false, "print the stored note as JSON")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			var n vault.NewNote
			if file != "" {
				if body != "" {
					return usageError{"notes add: give --body or --file, not both"}
				}
				var err error
				if n, err = e.readNoteFile(file); err != nil {
					return fmt.Errorf("notes add: %w", err)
				}
			}
			if title != "" {
				n.Title = title
			}
			if patient != "" {
				n.PatientRef = patient
			}
			if body != "" {
				n.Body = body
			}
			if n.Title == "" {
				return usageError{"notes add: the note needs a title (a Title: line in --file, or --title)"}
			}
			a, err := e.openSignedIn(ctx, true)
			if err != nil {
				return err
			}
			defer e.closeVault()
			stored, err := a.CreateNote(ctx, n)
			if err != nil {
				return err
			}
			if asJSON {
				return e.printJSON(stored)
			}
			fmt.Fprintln(e.stdout, stored.ID)
			return nil
		},
	}
}

// readNoteFile reads a note in the --file format from file, or stdin for "-", bounded
// by the vault's note size.
func (e *env) readNoteFile(file string) (vault.NewNote, error) {
	var r io.Reader = e.stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return vault.NewNote{}, err
		}
		defer f.Close()
		r = f
	}
	n, err := readNote(io.LimitReader(r, vault.MaxNoteBytes+1))
	if err != nil {
		return n, usageError{err.Error()}
	}
	return n, nil
}

// readNote reads the --file format: if the first line is a "Title:" or "Patient:"
// header, header lines up to a blank line, then the text; otherwise all of it is text.
func readNote(r io.Reader) (vault.NewNote, error) {
	var n vault.NewNote
	b, err := io.ReadAll(r)
	if err != nil {
		return n, err
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	header := func(line string) (key, value string, ok bool) {
		k, v, found := strings.Cut(line, ":")
		k = strings.ToLower(strings.TrimSpace(k))
		return k, strings.TrimSpace(v), found && (k == "title" || k == "patient")
	}
	if first, _, _ := strings.Cut(text, "\n"); !func() bool { _, _, ok := header(first); return ok }() {
		n.Body = text
		return n, nil
	}
	for i := 1; ; i++ {
		line, rest, more := strings.Cut(text, "\n")
		text = rest
		if strings.TrimSpace(line) == "" {
			break
		}
		k, v, ok := header(line)
		if !ok {
			return n, fmt.Errorf("line %d: want a Title: or Patient: header, or a blank line before the text", i)
		}
		if k == "title" {
			n.Title = v
		} else {
			n.PatientRef = v
		}
		if !more {
			break
		}
	}
	n.Body = text
	return n, nil
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
		vault: existingVault,
		auth:  true,
		run: func(ctx context.Context, e *env, args []string) error {
			notes, err := e.app.ListNotes(ctx, limit)
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
	head := "ID\tPATIENT\tTITLE\tSTATUS\tUPDATED"
	if snippets != nil {
		head += "\tMATCH"
	}
	fmt.Fprintln(tw, head)
	for i, n := range notes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s", n.ID, n.PatientRef, oneLine(app.Title(n), 48), n.Status, n.Updated.Local().Format("2006-01-02 15:04"))
		if snippets != nil {
			fmt.Fprintf(tw, "\t%s", oneLine(snippets[i], 80))
		}
		fmt.Fprintln(tw)
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
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			v, err := e.app.ViewNote(ctx, args[0])
			if err != nil {
				return err
			}
			n := v.Note
			n.Author, n.SignedBy = v.People[n.Author].Username, v.People[n.SignedBy].Username
			for i := range n.Addenda {
				n.Addenda[i].Author = v.People[n.Addenda[i].Author].Username
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
			if o := app.OriginSummary(n); o != "" {
				fmt.Fprintf(e.stdout, "Origin: %s\n", o)
			}
			fmt.Fprintf(e.stdout, "\n%s\n", n.Body)
			for _, a := range n.Addenda {
				fmt.Fprintf(e.stdout, "\nAddendum %s, %s by %s:\n%s\n", a.ID, stamp(a.Created), a.Author, a.Body)
			}
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
		vault: existingVault,
		auth:  true,
		nargs: anyArgs,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return usageError{"notes search: what to search for?"}
			}
			hits, err := e.app.SearchNotes(ctx, strings.Join(args, " "), limit)
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
func noteVerb(name, summary, example string, do func(ctx context.Context, a *app.App, id string) error, done string) *command {
	return &command{
		name:    name,
		args:    "ID",
		summary: summary,
		example: example,
		vault:   existingVault,
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := do(ctx, e.app, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%s %s\n", args[0], done)
			return nil
		},
	}
}

func notesSign() *command {
	var acknowledge bool
	return &command{
		name:    "sign",
		args:    "ID",
		summary: "sign a draft; a signed note can no longer change. Statements of a model's draft that its source does not support must be acknowledged",
		example: `vellum notes sign n_3f9a0c2b7d5e81f4a6c2
vellum notes sign --acknowledge-unsupported n_3f9a0c2b7d5e81f4a6c2   # after checking what the first run listed`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&acknowledge, "acknowledge-unsupported", false, "sign although the note keeps statements of the model's draft its source does not support (listed by a run without it)")
		},
		vault: existingVault,
		auth:  true,
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			var acked []vault.Claim
			if acknowledge {
				// Exactly what is listed here: a claim added since is refused.
				claims, err := e.app.UngroundedClaims(ctx, args[0])
				if err != nil {
					return err
				}
				acked = claims
			}
			err := e.app.SignNote(ctx, args[0], acked)
			var unack *app.ErrUnacknowledged
			if errors.As(err, &unack) {
				for _, c := range unack.Claims {
					fmt.Fprintf(e.stderr, "not in the source (%s): %q\n", c.Kind, c.Text)
				}
				return fmt.Errorf("%w; check each against the source, correct the note (`vellum notes edit`), or sign with --acknowledge-unsupported", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%s signed\n", args[0])
			return nil
		},
	}
}

func notesExported() *command {
	var addenda int
	c := noteVerb("exported", "record that a signed note reached the EHR (retention may then remove it); with addenda, say how many the EHR received",
		`vellum notes exported n_3f9a0c2b7d5e81f4a6c2
vellum notes exported --addenda 2 n_3f9a0c2b7d5e81f4a6c2`,
		func(ctx context.Context, a *app.App, id string) error { return a.MarkExported(ctx, id, addenda) },
		"marked as exported")
	c.flags = func(fs *flag.FlagSet) {
		fs.IntVar(&addenda, "addenda", 0, "the addenda the version the EHR received had (note.export records say); a note with more stays unexported")
	}
	return c
}

func notesDelete() *command {
	return noteVerb("delete", "delete a draft (signed notes go only by retention)",
		`vellum notes delete n_3f9a0c2b7d5e81f4a6c2`,
		func(ctx context.Context, a *app.App, id string) error { return a.DeleteDraft(ctx, id) },
		"deleted")
}

func notesReassign() *command {
	var from, to string
	return &command{
		name:    "reassign",
		summary: "admin: give every note owned by --from (an old owner, such as the OS account of a vault made before Vellum had users) to the physician --to",
		example: `vellum notes reassign --from jsmith --to dr.smith`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&from, "from", "", "the owner the notes have now")
			fs.StringVar(&to, "to", "", "the physician (user name) who gets them")
		},
		vault: existingVault,
		auth:  true,
		run: func(ctx context.Context, e *env, args []string) error {
			if from == "" || to == "" {
				return usageError{"notes reassign: --from and --to are required"}
			}
			n, err := e.app.ReassignNotes(ctx, from, to)
			if err != nil {
				return fmt.Errorf("notes reassign: %w", err)
			}
			fmt.Fprintf(e.stderr, "%d notes now belong to %s\n", n, to)
			return nil
		},
	}
}

func notesEdit() *command {
	var file string
	return &command{
		name:    "edit",
		args:    "ID",
		summary: "replace a draft's title and text (from --file, in the notes add format)",
		example: `vellum notes edit n_3f9a0c2b7d5e81f4a6c2 --file revised.txt`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&file, "file", "", "the revised note (- for stdin): optional Title: line, a blank line, the text")
		},
		vault: existingVault,
		auth:  true,
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			if file == "" {
				return usageError{"notes edit: --file is required"}
			}
			revised, err := e.readNoteFile(file)
			if err != nil {
				return fmt.Errorf("notes edit: %w", err)
			}
			if err := e.app.EditNote(ctx, args[0], revised.Title, revised.Body, nil); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%s edited\n", args[0])
			return nil
		},
	}
}
