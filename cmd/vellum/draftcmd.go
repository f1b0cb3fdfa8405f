package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/llm"
	"github.com/vellumhealth/vellum/llm/llamacpp"
	"github.com/vellumhealth/vellum/models"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// testModelSHA256 is stories260K.gguf, the children's-story model the project tests
// with. Unless policy sets allow_test_model false, it may be used without being on the
// allowlist, and its output is labelled: it writes no clinical text.
const testModelSHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d"

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
			snap, err := e.policy()
			if err != nil {
				return err
			}
			owner, err := e.newNoteOwner(ctx)
			if err != nil {
				return err
			}
			src, err := e.readNoteFile(file)
			if err != nil {
				return fmt.Errorf("draft: %w", err)
			}
			if err := llm.Screen(src.Body); err != nil {
				return err
			}
			cat, err := e.catalog()
			if err != nil {
				return err
			}
			ts, err := llm.Templates(cat.TemplatesDir())
			if err != nil {
				return err
			}
			tpl, ok := ts[template]
			if !ok {
				return usageError{fmt.Sprintf("draft: no template %q (have %v)", template, llm.TemplateNames(ts))}
			}
			if format != "sections" && format != "json" {
				return usageError{fmt.Sprintf("draft: --format %q: want sections or json", format)}
			}
			m, err := e.pickModel(ctx, cat, snap, modelFile)
			if err != nil {
				if errors.Is(err, models.ErrNotAllowed) {
					if rerr := e.record(ctx, audit.ModelLoad, audit.Object{Type: "model", ID: filepath.Base(modelFile)}, "", map[string]string{"reason": "not on the allowlist"}, audit.DeniedOutcome); rerr != nil {
						return rerr
					}
				}
				return err
			}
			defer m.Close()
			test := m.SHA256 == testModelSHA256
			if test {
				fmt.Fprintln(e.stderr, "vellum: TEST MODEL (stories260K, a children's-story model): it writes no clinical text; install a clinical model for real drafts")
			}
			eng, err := e.loadEngine(ctx, m, engineOptions(snap))
			if err != nil {
				return err
			}
			defer eng.Close()
			info := eng.Info()
			fmt.Fprintf(e.stderr, "vellum: %s on %s, %d threads, context %d\n", info.Model, info.Device, info.Threads, info.Context)
			stream := func(piece string) error { _, err := io.WriteString(e.stdout, piece); return err }
			sampling := llm.Sampling{MaxTokens: maxTokens, RepeatPenalty: 1.1}
			var d llm.Draft
			if format == "json" {
				// maxTokens tokens of English are about 4x as many characters.
				sampling.MaxTokens = 0
				d, err = llm.WriteJSON(ctx, eng, tpl, src.Body, sampling, 4*maxTokens, stream)
			} else {
				d, err = llm.Write(ctx, eng, tpl, src.Body, sampling, stream)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout)
			title := tpl.Title + " (draft)"
			if test {
				title = tpl.Title + " (TEST MODEL, not clinical)"
			}
			note, err := e.vault.AddNote(ctx, vault.NewNote{PatientRef: src.PatientRef, Title: title, Body: d.Text, Author: e.user.ID, Owner: owner})
			if err != nil {
				return err
			}
			// The note is the model's draft: kept so that signing can attribute it.
			if err := e.vault.AddDraftText(ctx, note.ID, d.Text, m.SHA256, tpl.Name); err != nil {
				return err
			}
			details := draftDetails(m.SHA256, tpl.Name, d)
			details["test_model"], details["format"] = fmt.Sprint(test), format
			if err := e.record(ctx, audit.DraftGenerated, noteObject(note.ID), src.PatientRef, details, audit.OK); err != nil {
				return err
			}
			if err := e.record(ctx, audit.NoteCreate, noteObject(note.ID), src.PatientRef, contentHashes(note), audit.OK); err != nil {
				return err
			}
			for _, s := range d.Ungrounded {
				fmt.Fprintf(e.stderr, "not in the source (%s): %q\n", s.Kind, s.Text)
			}
			fmt.Fprintf(e.stderr, "stored as draft %s; check it, then `vellum notes sign %s`\n", note.ID, note.ID)
			return nil
		},
	}
}

// pickModel opens the model to draft with, verified against the allowlist through the
// handle the engine loads.
func (e *env) pickModel(ctx context.Context, cat *models.Catalog, snap policy.Snapshot, file string) (*models.Model, error) {
	allowed := snap.Strings(policy.ModelAllowlist)
	if snap.Bool(policy.AllowTestModel) {
		allowed = append(allowed, testModelSHA256)
	}
	if file != "" {
		return models.Open(file, allowed)
	}
	if err := cat.Scan(ctx); err != nil {
		return nil, err
	}
	want := snap.String(policy.DefaultModel)
	for _, m := range cat.List() {
		if m.Status == models.Allowed && (want == "" || m.File == want || m.SHA256 == want) {
			return models.Open(filepath.Join(cat.Dir, m.File), snap.Strings(policy.ModelAllowlist))
		}
	}
	for _, m := range cat.List() {
		if m.SHA256 == testModelSHA256 && slices.Contains(allowed, m.SHA256) {
			return models.Open(filepath.Join(cat.Dir, m.File), allowed)
		}
	}
	return nil, fmt.Errorf("no allowed model in %s: IT puts a GGUF model there and lists its SHA-256 in policy model_allowlist (or pass --model FILE)", cat.Dir)
}

// engineOptions maps the inference settings (policy, or the user's where policy allows)
// to the engine's options.
func engineOptions(snap policy.Snapshot) llamacpp.Options {
	o := llamacpp.Options{
		Threads:        snap.Int(policy.InferenceThreads),
		Context:        snap.Int(policy.InferenceContext),
		Batch:          snap.Int(policy.InferenceBatch),
		FlashAttention: snap.String(policy.InferenceFlashAttn),
	}
	switch n := snap.Int(policy.InferenceGPULayers); {
	case n == 0:
		o.CPUOnly = true
	case n > 0:
		o.GPULayers = n
	}
	return o
}

// loadEngine loads the verified model with policy's engine settings and records the
// load (digest, device); the caller closes the engine.
func (e *env) loadEngine(ctx context.Context, m *models.Model, o llamacpp.Options) (llm.Engine, error) {
	eng, err := llamacpp.Load(m.LoadPath(), o)
	if err != nil {
		return nil, err
	}
	info := eng.Info()
	if err := e.record(ctx, audit.ModelLoad, audit.Object{Type: "model", ID: m.SHA256}, "", map[string]string{
		"file": filepath.Base(m.Path), "device": info.Device, "gpu_layers": fmt.Sprint(info.GPULayers),
		"context": fmt.Sprint(info.Context), "test_model": fmt.Sprint(m.SHA256 == testModelSHA256)}, audit.OK); err != nil {
		eng.Close()
		return nil, err
	}
	return eng, nil
}

// draftDetails is what an ai.draft record says of a draft: hashes and counts, never text.
func draftDetails(modelSHA256, template string, d llm.Draft) map[string]string {
	return map[string]string{"model_sha256": modelSHA256, "template": template, "prompt_sha256": d.PromptSHA256,
		"output_sha256": d.TextSHA256, "tokens_in": fmt.Sprint(d.PromptTokens), "tokens_out": fmt.Sprint(d.Tokens),
		"ungrounded": fmt.Sprint(len(d.Ungrounded))}
}
