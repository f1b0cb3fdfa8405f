package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/dictation/dictationtest"
)

// TestDictationIsRecordedWithoutItsWords: a physician's dictation is recorded as it
// starts and as it ends, with its length, the model's digest and the characters it
// produced, and nothing of what was said; a cancelled one is recorded as such; a
// user who does not write notes cannot dictate.
func TestDictationIsRecordedWithoutItsWords(t *testing.T) {
	f := newFixture(t)
	f.as("dr.a")
	said := "patient denies chest pain period"
	rec := &dictationtest.ScriptRecognizer{Lines: []string{said}, Digest: "sha256-of-the-speech-model"}
	req := app.DictationRequest{Source: &dictationtest.Samples{X: dictationtest.Speech(0.5, 1.5)}, Detector: &dictationtest.LoudDetector{},
		Recognizer: rec, Via: "hotkey"}
	res, err := f.a.Dictate(f.ctx, req)
	if err != nil || res.Text != "Patient denies chest pain." {
		t.Fatalf("%+v, %v", res, err)
	}
	var start, stop *audit.Record
	for _, r := range f.records() {
		for _, w := range []string{"denies", "chest", "pain"} {
			if strings.Contains(strings.ToLower(fmt.Sprint(r)), w) {
				t.Fatalf("a record holds what was said: %v", r)
			}
		}
		switch r.Action {
		case audit.DictationStart:
			start = &r
		case audit.DictationStop:
			stop = &r
		}
	}
	if start == nil || stop == nil || stop.Details["characters"] != "26" || stop.Details["model"] != rec.Digest ||
		stop.Details["utterances"] != "1" || stop.Details["ms"] == "0" || start.Details["via"] != "hotkey" {
		t.Fatalf("records: start %v, stop %v", start, stop)
	}

	// Cancelled (Esc) as it listens.
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	req.Source = &dictationtest.Samples{X: dictationtest.Speech(0.5, 1)}
	req.Events.Level = func(float64) { cancel() }
	if res, err := f.a.Dictate(ctx, req); err != nil || res.Stopped != "cancel" {
		t.Fatalf("cancelled: %+v, %v", res, err)
	}
	if !slices.ContainsFunc(f.records(), func(r audit.Record) bool { return r.Action == audit.DictationCancel }) {
		t.Fatal("the cancelled dictation was not recorded")
	}
	req.Events.Level = nil
	f.as("a.auditor")
	req.Source = &dictationtest.Samples{X: dictationtest.Speech(0.5, 1)}
	if _, err := f.a.Dictate(f.ctx, req); !errors.Is(err, access.ErrDenied) {
		t.Fatalf("an auditor dictated: %v", err)
	}
}
