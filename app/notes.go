package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/ehr"
	"github.com/vellumhealth/vellum/phi"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// Note is a note as a use case returns it, with the people it names.
type Note struct {
	vault.Note
	// People names the note's author, signer and addenda authors by user id.
	People map[string]Person
}

func noteObject(id string) audit.Object { return audit.Object{Type: "note", ID: id} }

// contentHashes are what an audit record may say about a note's content: its digest
// (keyed for a sealed note: vault.Note.Digest), never the text.
func contentHashes(n vault.Note) map[string]string {
	return map[string]string{"content_sha256": n.Digest(n.Title, n.Body), "status": string(n.Status)}
}

// note reads note id for action on it, once the user may do that action on a note of
// its owner (a refusal is recorded).
func (c *actor) note(ctx context.Context, id string, action access.Action) (vault.Note, error) {
	n, err := c.tx.Note(ctx, id)
	if err != nil {
		return vault.Note{}, err
	}
	if err := c.authorize(ctx, action, n.Owner); err != nil {
		return vault.Note{}, err
	}
	if n.Sealed {
		// Allowed (emergency access), but sealed to a physician whose key this user
		// does not hold: nothing of its text can be shown. The attempt is recorded.
		e := c.entry(audit.Action(action), noteObject(n.ID), n.PatientRef, map[string]string{"reason": "sealed to its physician's key"})
		e.Outcome = audit.DeniedOutcome
		c.tx.Record(e)
		return vault.Note{}, &sealedRefusal{fmt.Errorf("note %s: %w", id, vault.ErrSealed)}
	}
	return n, nil
}

// sealedRefusal is the refusal of a note sealed to a key the user does not hold: its
// record commits (isRefusal), as a denial's does. It is vault.ErrSealed to callers.
type sealedRefusal struct{ err error }

func (e *sealedRefusal) Error() string { return e.err.Error() }
func (e *sealedRefusal) Unwrap() error { return e.err }

// listFilter is what the user may list: their own notes (a scribe's physician's), or
// every note under emergency access.
func (c *actor) listFilter(ctx context.Context) (vault.Filter, error) {
	if err := c.authorize(ctx, access.NoteList, ""); err != nil {
		return vault.Filter{}, err
	}
	sub, err := c.svc.Subject(ctx, &c.sess)
	if err != nil {
		return vault.Filter{}, err
	}
	if sub.BreakGlass {
		return vault.Filter{}, nil
	}
	return vault.Filter{Owner: sub.Owner()}, nil
}

// recordShown records one entry per note shown (list, search): each carries its note
// and patient reference, so that a per-patient report finds the listing too. An
// empty result is one record. The query of a search may name a patient: it is not
// recorded.
func (c *actor) recordShown(action audit.Action, notes []vault.Note) {
	base := map[string]string{"results": fmt.Sprint(len(notes))}
	if len(notes) == 0 {
		c.record(action, audit.Object{Type: "note"}, "", base)
		return
	}
	for _, n := range notes {
		c.record(action, noteObject(n.ID), n.PatientRef, maps.Clone(base))
	}
}

// Title is how a note is named in a list: its title, or, for a note sealed to a
// physician whose key the reader does not hold (emergency access on a shared
// workstation), a word saying so.
func Title(n vault.Note) string {
	if n.Sealed {
		return "(sealed to its physician)"
	}
	return n.Title
}

// ListNotes lists the notes the signed-in user may see, most recently changed first,
// at most limit (0: all), recording each note shown.
func (a *App) ListNotes(ctx context.Context, limit int) ([]vault.Note, error) {
	var out []vault.Note
	err := a.show(ctx, audit.NoteList, limit, func(c *actor, f vault.Filter) ([]vault.Note, error) {
		var err error
		out, err = c.tx.Notes(ctx, f)
		return out, err
	})
	return out, err
}

// SearchNotes searches the notes the signed-in user may see (every word must match),
// recording each note shown.
func (a *App) SearchNotes(ctx context.Context, query string, limit int) ([]vault.Hit, error) {
	var out []vault.Hit
	err := a.show(ctx, audit.NoteSearch, limit, func(c *actor, f vault.Filter) ([]vault.Note, error) {
		var err error
		if out, err = c.tx.Search(ctx, query, f); err != nil {
			return nil, err
		}
		shown := make([]vault.Note, len(out))
		for i, h := range out {
			shown[i] = h.Note
		}
		return shown, nil
	})
	return out, err
}

// show runs a listing of what the user may see and records each note it shows.
func (a *App) show(ctx context.Context, action audit.Action, limit int, list func(c *actor, f vault.Filter) ([]vault.Note, error)) error {
	return a.act(ctx, func(c *actor) error {
		f, err := c.listFilter(ctx)
		if err != nil {
			return err
		}
		f.Limit = limit
		shown, err := list(c, f)
		if err != nil {
			return err
		}
		c.recordShown(action, shown)
		return nil
	})
}

// ViewNote opens one note, body and addenda included, recorded (note.view) before
// it is returned.
func (a *App) ViewNote(ctx context.Context, id string) (Note, error) {
	var out Note
	err := a.act(ctx, func(c *actor) error {
		n, err := c.note(ctx, id, access.NoteView)
		if err != nil {
			return err
		}
		c.record(audit.NoteView, noteObject(n.ID), n.PatientRef, contentHashes(n))
		ids := []string{n.Author, n.SignedBy, n.Owner}
		for _, ad := range n.Addenda {
			ids = append(ids, ad.Author)
		}
		out = Note{Note: n, People: people(ctx, c.tx, ids...)}
		return nil
	})
	return out, err
}

// CreateNote stores a new draft written by the signed-in user, for themselves or, for
// a scribe, for their physician.
func (a *App) CreateNote(ctx context.Context, n vault.NewNote) (vault.Note, error) {
	var out vault.Note
	err := a.act(ctx, func(c *actor) error {
		var err error
		out, err = c.createNote(ctx, n)
		return err
	})
	return out, err
}

func (c *actor) createNote(ctx context.Context, n vault.NewNote) (vault.Note, error) {
	sub, err := c.svc.Subject(ctx, &c.sess)
	if err != nil {
		return vault.Note{}, err
	}
	if err := c.authorize(ctx, access.NoteCreate, sub.Owner()); err != nil {
		return vault.Note{}, err
	}
	n.Author, n.Owner = c.user.ID, sub.Owner()
	stored, err := c.tx.AddNote(ctx, n)
	if err != nil {
		return vault.Note{}, err
	}
	c.record(audit.NoteCreate, noteObject(stored.ID), stored.PatientRef, contentHashes(stored))
	return stored, nil
}

// DraftUse is a model's draft the user put into a note since its last save: its
// text as the model wrote it (kept until signing attributes the signed text), its
// hash, the template, and what the grounding check flagged in it. The App knows which
// model wrote it from the hash.
type DraftUse struct {
	Template    string
	DraftSHA256 string
	Text        string
	Ungrounded  []vault.Claim
}

// EditNote replaces a draft's title ("" keeps it) and body, with the drafts the
// assistant put into it since the last save. The edit, the kept drafts and the
// record commit together; the record names the drafts by count and one hash over
// their hashes, so it stays bounded however many there were.
func (a *App) EditNote(ctx context.Context, id, title, body string, drafts []DraftUse) error {
	return a.act(ctx, func(c *actor) error {
		n, err := c.note(ctx, id, access.NoteEdit)
		if err != nil {
			return err
		}
		if title == "" {
			title = n.Title
		}
		if err := c.tx.EditNote(ctx, id, title, body); err != nil {
			return err
		}
		n.Title, n.Body = title, body
		details := contentHashes(n)
		if len(drafts) > 0 {
			var sums, templates, models []string
			for _, d := range drafts {
				model := a.draftModel(d.DraftSHA256)
				sums, templates, models = append(sums, d.DraftSHA256), append(templates, d.Template), append(models, model)
				if err := c.tx.AddDraft(ctx, id, vault.DraftText{Text: d.Text, Model: model, Template: d.Template, Ungrounded: d.Ungrounded}); err != nil {
					return err
				}
			}
			details["drafts"] = fmt.Sprint(len(drafts))
			details["drafts_sha256"] = listHash(sums)
			details["templates"] = strings.Join(distinct(templates), ",")
			details["models_sha256"] = listHash(distinct(models))
		}
		c.record(audit.NoteEdit, noteObject(n.ID), n.PatientRef, details)
		return nil
	})
}

// listHash is one SHA-256 over a list of strings, in order: a bounded stand-in in a
// record for a list that can grow.
func listHash(items []string) string {
	h := sha256.New()
	for _, s := range items {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func distinct(items []string) []string {
	out := slices.Clone(items)
	slices.Sort(out)
	return slices.Compact(out)
}

// ErrUnacknowledged: the note still holds claims of a model's draft that its source
// does not support, and the signer has not acknowledged them.
type ErrUnacknowledged struct {
	Claims []vault.Claim
}

func (e *ErrUnacknowledged) Error() string {
	return fmt.Sprintf("the note holds %d statement(s) of the model's draft that the source does not support; check and acknowledge them before signing", len(e.Claims))
}

// SignNote signs a draft as the signed-in user. Every claim of a model's draft that
// the grounding check flagged and the body still holds must be among acknowledged
// (the claims the signer was shown and kept knowingly); otherwise *ErrUnacknowledged
// lists those that are not, nothing is signed, and the attempt is recorded. The
// signature's record carries the count acknowledged and the shares of the text that
// came from a model and from the physician.
func (a *App) SignNote(ctx context.Context, id string, acknowledged []vault.Claim) error {
	return a.act(ctx, func(c *actor) error {
		n, err := c.note(ctx, id, access.NoteSign)
		if err != nil {
			return err
		}
		claims, err := c.tx.Ungrounded(ctx, id)
		if err != nil {
			return err
		}
		var missing []vault.Claim
		for _, cl := range claims {
			if !slices.Contains(acknowledged, cl) {
				missing = append(missing, cl)
			}
		}
		if len(missing) > 0 {
			e := c.entry(audit.NoteSign, noteObject(n.ID), n.PatientRef, map[string]string{"reason": "unacknowledged claims", "unacknowledged": fmt.Sprint(len(missing))})
			e.Outcome = audit.Failed
			c.tx.Record(e)
			return &ErrUnacknowledged{Claims: missing}
		}
		if err := c.tx.SignNote(ctx, id, c.user.ID); err != nil {
			return err
		}
		details := contentHashes(n)
		details["ungrounded_acknowledged"] = fmt.Sprint(len(claims))
		if signed, err := c.tx.Note(ctx, id); err == nil && signed.Provenance != nil {
			model, physician := vault.ModelShare(signed.Body, signed.Provenance)
			details["model_chars"], details["physician_chars"] = fmt.Sprint(model), fmt.Sprint(physician)
		}
		c.record(audit.NoteSign, noteObject(n.ID), n.PatientRef, details)
		return nil
	})
}

// UngroundedClaims are the flagged claims a note's body still holds, for the signer
// to review (`vellum notes sign` prints them). They are the note's text: showing them
// is recorded as a view.
func (a *App) UngroundedClaims(ctx context.Context, id string) ([]vault.Claim, error) {
	var out []vault.Claim
	err := a.act(ctx, func(c *actor) error {
		n, err := c.note(ctx, id, access.NoteView)
		if err != nil {
			return err
		}
		if out, err = c.tx.Ungrounded(ctx, id); err != nil {
			return err
		}
		details := contentHashes(n)
		details["claims"] = fmt.Sprint(len(out))
		c.record(audit.NoteView, noteObject(n.ID), n.PatientRef, details)
		return nil
	})
	return out, err
}

// AddAddendum signs an addendum onto a signed note: its physician writes it (access
// note.sign), and it is recorded as note.addendum.
func (a *App) AddAddendum(ctx context.Context, id, body string) (vault.Addendum, error) {
	var out vault.Addendum
	err := a.act(ctx, func(c *actor) error {
		n, err := c.note(ctx, id, access.NoteSign)
		if err != nil {
			return err
		}
		if out, err = c.tx.AddAddendum(ctx, id, body, c.user.ID); err != nil {
			return err
		}
		details := contentHashes(n)
		details["addendum"], details["addendum_sha256"] = out.ID, n.Digest(out.Body)
		c.record(audit.NoteAddendum, noteObject(n.ID), n.PatientRef, details)
		return nil
	})
	return out, err
}

// DeleteDraft deletes a draft (signed notes go only by retention).
func (a *App) DeleteDraft(ctx context.Context, id string) error {
	return a.noteChange(ctx, id, access.NoteDelete, audit.NoteDelete, func(tx *vault.Tx) error { return tx.DeleteDraft(ctx, id) })
}

// MarkExported records that a signed note, with addenda addenda, reached the EHR;
// retention may then remove it.
func (a *App) MarkExported(ctx context.Context, id string, addenda int) error {
	return a.noteChange(ctx, id, access.NoteExport, audit.NoteExport, func(tx *vault.Tx) error { return tx.MarkExported(ctx, id, addenda) })
}

// noteChange authorizes action on note id, makes the change and records it.
func (a *App) noteChange(ctx context.Context, id string, action access.Action, recorded audit.Action, change func(tx *vault.Tx) error) error {
	return a.act(ctx, func(c *actor) error {
		n, err := c.tx.Note(ctx, id)
		if err != nil {
			return err
		}
		if err := c.authorize(ctx, action, n.Owner); err != nil {
			return err
		}
		if n.Sealed {
			// Not blind: what cannot be read is neither released nor removed.
			return fmt.Errorf("note %s: %w", id, vault.ErrSealed)
		}
		if err := change(c.tx); err != nil {
			return err
		}
		c.record(recorded, noteObject(n.ID), n.PatientRef, contentHashes(n))
		return nil
	})
}

// ErrReassign: the reassignment named a user as the old owner, or a non-physician as
// the new one.
var ErrReassign = errors.New("notes can only move from an owner who is not a Vellum user to a physician")

// ReassignNotes gives every note owned by from — an owner who is no user, such as the
// OS account of a vault made before Vellum had users — to the physician named to
// (admins). Moving one physician's notes to another would hand over records without
// either's consent, so a user as from is refused.
func (a *App) ReassignNotes(ctx context.Context, from, to string) (int, error) {
	var moved int
	err := a.act(ctx, func(c *actor) error {
		if err := c.authorize(ctx, access.VaultAdmin, ""); err != nil {
			return err
		}
		if _, err := c.tx.User(ctx, from); err == nil {
			return fmt.Errorf("%w: %q is a Vellum user", ErrReassign, from)
		}
		u, err := c.tx.UserByName(ctx, to)
		if err != nil || u.Role != access.Physician {
			return fmt.Errorf("%w: %q is not a physician", ErrReassign, to)
		}
		if moved, err = c.tx.ReassignNotes(ctx, from, u.ID); err != nil {
			return err
		}
		c.record(audit.NotesReassigned, audit.Object{Type: "user", ID: u.ID}, "", map[string]string{"notes": fmt.Sprint(moved)})
		return nil
	})
	return moved, err
}

// How a signed note leaves Vellum, as policy's export_formats names the ways.
const (
	ReleaseClipboard = "clipboard"
	ReleaseFHIR      = "fhir"
	// ReleaseDeidentified is the note for teaching or research: its title, text and
	// addenda with every identifier phi finds, and every one the record knows (the
	// MRN, the signer's and authors' names), replaced by a surrogate; dates move by
	// the patient's own offset, so intervals between this patient's notes stay true.
	ReleaseDeidentified = "deidentified"
)

// ErrNotSigned: only signed notes leave Vellum.
var ErrNotSigned = errors.New("sign the note first: only signed notes leave Vellum")

// ErrFormatNotAllowed: policy's export_formats does not allow the way asked for.
var ErrFormatNotAllowed = errors.New("your organisation does not allow exporting notes this way (policy export_formats)")

// ReleaseNote is the one door out of Vellum for a note: policy must allow the format,
// the note must be signed, the user must be allowed to export it, and the release is
// recorded (note.export, with the SHA-256 of exactly what leaves) before anything
// leaves. It returns what leaves: the text (clipboard) or the FHIR R4
// DocumentReference (fhir).
func (a *App) ReleaseNote(ctx context.Context, id, format string) ([]byte, error) {
	snap := a.Policy()
	if !slices.Contains(snap.Strings(policy.ExportFormats), format) {
		return nil, fmt.Errorf("%w: %s", ErrFormatNotAllowed, format)
	}
	var out []byte
	err := a.act(ctx, func(c *actor) error {
		n, err := c.tx.Note(ctx, id)
		if err != nil {
			return err
		}
		if n.Status != vault.Signed {
			return ErrNotSigned
		}
		if err := c.authorize(ctx, access.NoteExport, n.Owner); err != nil {
			return err
		}
		if n.Sealed {
			return fmt.Errorf("note %s: %w", id, vault.ErrSealed)
		}
		doc := ehrDocument(ctx, c.tx, n)
		action, ids := audit.NoteExport, map[phi.Type]int(nil)
		switch format {
		case ReleaseDeidentified:
			var text string
			if text, ids, err = deidentify(ctx, c.tx, n, doc); err != nil {
				return err
			}
			out, action = []byte(text), audit.NoteExportDeidentified
		case ReleaseFHIR:
			if out, err = ehr.DocumentReference(doc, ehr.FHIROptions{PatientSystem: snap.String(policy.FHIRPatientSystem)}); err != nil {
				return err
			}
		default:
			out = []byte(ehr.Text(doc))
		}
		details := contentHashes(n)
		details["format"], details["released_sha256"] = format, n.Digest(string(out))
		details["addenda"] = fmt.Sprint(len(n.Addenda))
		for t, k := range ids {
			details["ids."+strings.ToLower(string(t))] = fmt.Sprint(k)
		}
		c.record(action, noteObject(n.ID), n.PatientRef, details)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// surrogateKeyState names the vault's key for surrogates: made on first use, kept
// encrypted with the notes, so that a patient has one date offset and a name one
// surrogate across every de-identified export of this vault.
const surrogateKeyState = "deid_surrogate_key"

// deidentify returns the de-identified text of n (doc as the EHR would get it, with
// its title first) and the number of identifiers replaced of each type.
func deidentify(ctx context.Context, tx *vault.Tx, n vault.Note, doc ehr.Document) (string, map[phi.Type]int, error) {
	hexKey, ok, err := tx.State(ctx, surrogateKeyState)
	if err != nil {
		return "", nil, err
	}
	key, err := hex.DecodeString(hexKey)
	if ok && (err != nil || len(key) != 32) {
		// Replacing it would change every patient's offset and every surrogate
		// from here on, and hide whatever damaged it.
		return "", nil, fmt.Errorf("%w: the key for de-identified exports (vault state %s) is damaged", vault.ErrDamaged, surrogateKeyState)
	}
	if !ok {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return "", nil, err
		}
		if err := tx.SetState(ctx, surrogateKeyState, hex.EncodeToString(key)); err != nil {
			return "", nil, err
		}
	}
	text := doc.Title + "\n\n" + ehr.Text(doc)
	known := []phi.Known{{Text: n.PatientRef, Type: phi.MRN}}
	for _, p := range append([]ehr.Person{doc.Signer}, addendaAuthors(doc)...) {
		known = append(known, phi.Known{Text: p.DisplayName, Type: phi.Name}, phi.Known{Text: p.Username, Type: phi.Name})
	}
	spans := phi.FindWith(text, known)
	return deidentifiedHeader + phi.NewSurrogates(key, phi.DateShift(key, n.PatientRef)).Replace(text, spans), phi.Counts(spans), nil
}

// deidentifiedHeader opens every de-identified export: a made-up value reads like a
// real one, and a number the de-identifier mistook for an identifier is changed
// too, so whoever teaches from the text is told.
const deidentifiedHeader = "[De-identified copy from Vellum, for teaching or research. Names, dates, places and numbers " +
	"that could identify someone are made up; dates are moved by a whole number of weeks. A value the de-identifier " +
	"took for an identifier may have been changed too: check clinical values against the record.]\n\n"

func addendaAuthors(d ehr.Document) []ehr.Person {
	var out []ehr.Person
	for _, a := range d.Addenda {
		out = append(out, a.Author)
	}
	return out
}

// ehrDocument is n with its people named as the EHR shows them.
func ehrDocument(ctx context.Context, tx *vault.Tx, n vault.Note) ehr.Document {
	ids := []string{n.SignedBy}
	for _, ad := range n.Addenda {
		ids = append(ids, ad.Author)
	}
	names := people(ctx, tx, ids...)
	person := func(id string) ehr.Person {
		p := names[id]
		return ehr.Person{Username: p.Username, DisplayName: p.DisplayName}
	}
	d := ehr.Document{NoteID: n.ID, PatientMRN: n.PatientRef, Title: n.Title, Body: n.Body,
		Created: n.Created, Signer: person(n.SignedBy), Signed: n.Signed}
	for _, ad := range n.Addenda {
		d.Addenda = append(d.Addenda, ehr.Addendum{Author: person(ad.Author), Created: ad.Created, Body: ad.Body})
	}
	return d
}

// OriginSummary says in one line where a signed note's text came from: "" for a
// draft, or a note signed before provenance was kept.
func OriginSummary(n vault.Note) string {
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
