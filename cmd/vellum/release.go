package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/ehr"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// How a signed note leaves Vellum, as policy's export_formats names the ways.
const (
	releaseClipboard = "clipboard"
	releaseFHIR      = "fhir"
)

// releaseNote is the one door out of Vellum for a note: policy must allow the format,
// the note must be signed, the user must be allowed to export it, and the release is
// recorded (note.export, with the SHA-256 of exactly what leaves) before anything
// leaves. It returns what leaves: the text (clipboard) or the DocumentReference
// (fhir).
func (e *env) releaseNote(ctx context.Context, id, format string) ([]byte, error) {
	snap, err := e.policy()
	if err != nil {
		return nil, err
	}
	if !slices.Contains(snap.Strings(policy.ExportFormats), format) {
		return nil, fmt.Errorf("your organisation does not allow exporting notes as %s (policy export_formats)", format)
	}
	n, err := e.vault.Note(ctx, id)
	if err != nil {
		return nil, err
	}
	if n.Status != vault.Signed {
		return nil, errors.New("sign the note first: only signed notes leave Vellum")
	}
	if err := e.authorize(ctx, access.NoteExport, n.Owner); err != nil {
		return nil, err
	}
	doc := e.ehrDocument(ctx, n)
	var out []byte
	if format == releaseFHIR {
		if out, err = ehr.DocumentReference(doc, ehr.FHIROptions{PatientSystem: snap.String(policy.FHIRPatientSystem)}); err != nil {
			return nil, err
		}
	} else {
		out = []byte(ehr.Text(doc))
	}
	details := contentHashes(n)
	sum := sha256.Sum256(out)
	details["format"], details["released_sha256"] = format, hex.EncodeToString(sum[:])
	details["addenda"] = fmt.Sprint(len(n.Addenda))
	if err := e.record(ctx, audit.NoteExport, noteObject(n.ID), n.PatientRef, details, audit.OK); err != nil {
		return nil, err
	}
	return out, nil
}

// ehrDocument is n with its people named as the EHR shows them.
func (e *env) ehrDocument(ctx context.Context, n vault.Note) ehr.Document {
	person := func(id string) ehr.Person {
		if u, err := e.vault.User(ctx, id); err == nil {
			return ehr.Person{Username: u.Username, DisplayName: u.DisplayName}
		}
		return ehr.Person{Username: id}
	}
	d := ehr.Document{NoteID: n.ID, PatientMRN: n.PatientRef, Title: n.Title, Body: n.Body,
		Created: n.Created, Signer: person(n.SignedBy), Signed: n.Signed}
	for _, a := range n.Addenda {
		d.Addenda = append(d.Addenda, ehr.Addendum{Author: person(a.Author), Created: a.Created, Body: a.Body})
	}
	return d
}

// addAddendum appends an addendum to a signed note: the note's physician signs it by
// writing it (access note.sign), and it is recorded as note.addendum.
func (e *env) addAddendum(ctx context.Context, id, body string) (vault.Addendum, error) {
	n, err := e.vault.Note(ctx, id)
	if err != nil {
		return vault.Addendum{}, err
	}
	if err := e.authorize(ctx, access.NoteSign, n.Owner); err != nil {
		return vault.Addendum{}, err
	}
	a, err := e.vault.AddAddendum(ctx, id, body, e.user.ID)
	if err != nil {
		return vault.Addendum{}, err
	}
	details := contentHashes(n)
	sum := sha256.Sum256([]byte(a.Body))
	details["addendum"], details["addendum_sha256"] = a.ID, hex.EncodeToString(sum[:])
	return a, e.record(ctx, audit.NoteAddendum, noteObject(n.ID), n.PatientRef, details, audit.OK)
}

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
			a, err := e.addAddendum(ctx, args[0], strings.TrimSpace(string(b)))
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
	return &command{
		name:    "export",
		args:    "ID",
		summary: "write a signed note, with its addenda, as a FHIR R4 DocumentReference (JSON) to stdout or --out",
		example: `vellum notes export --out note.json n_3f9a0c2b7d5e81f4a6c2`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&out, "out", "", "write to FILE (created readable by you alone) instead of stdout")
		},
		vault: existingVault,
		auth:  true,
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			b, err := e.releaseNote(ctx, args[0], releaseFHIR)
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

// addShare adds to an audit record's details how many characters of a signed note
// came from a model and how many from the physician.
func addShare(details map[string]string, n vault.Note) {
	if n.Provenance == nil {
		return
	}
	model, physician := vault.ModelShare(n.Body, n.Provenance)
	details["model_chars"], details["physician_chars"] = fmt.Sprint(model), fmt.Sprint(physician)
}

// originSummary says in one line where a signed note's text came from: "" for a
// draft, or a note signed before provenance was kept.
func originSummary(n vault.Note) string {
	if n.Provenance == nil {
		return ""
	}
	model, physician := vault.ModelShare(n.Body, n.Provenance)
	if model == 0 {
		return "written by the physician"
	}
	var from []string
	for _, o := range n.Provenance {
		if o.Source == vault.SourceModel {
			f := fmt.Sprintf("model %.12s (%s)", o.Model, o.Template)
			if !slices.Contains(from, f) {
				from = append(from, f)
			}
		}
	}
	return fmt.Sprintf("%d%% from %s; %d characters written or changed by the physician",
		100*model/max(1, model+physician), strings.Join(from, ", "), physician)
}
