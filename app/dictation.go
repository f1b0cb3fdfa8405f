package app

import (
	"context"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/dictation"
)

// DictationRequest is a dictation to run: where its audio comes from (the
// microphone, or a WAV file), what cuts it into utterances and what hears them.
type DictationRequest struct {
	Source     dictation.Source
	Detector   dictation.Detector
	Recognizer dictation.Recognizer
	// Final, where set, recognises each whole utterance (a Whisper model IT
	// supplies); else Recognizer does.
	Final dictation.Recognizer
	// StopAfter ends the dictation after this long without speech (settings); never
	// if 0.
	StopAfter time.Duration
	Events    dictation.Events
	// Via says how it was started, for the record: "hotkey", "window", "file".
	Via string
}

// modelDigester is a recognizer that names its model's digest.
type modelDigester interface{ ModelDigest() string }

// Dictate runs a dictation for the signed-in user, who must be one who writes notes.
// It is recorded as it starts (dictation.start) and as it ends (dictation.stop, or
// dictation.cancel when ctx was cancelled), with how long it listened, how much
// audio the microphone dropped, the recogniser's model digest and how many characters
// it produced: never audio, never text. The text goes to req.Events and the result, nowhere else.
func (a *App) Dictate(ctx context.Context, req DictationRequest) (dictation.Result, error) {
	if req.Recognizer == nil {
		return dictation.Result{}, dictation.ErrNoRecognizer
	}
	model := ""
	if d, ok := req.Recognizer.(modelDigester); ok {
		model = d.ModelDigest()
	}
	var w who
	if err := a.act(ctx, func(c *actor) error {
		sub, err := c.svc.Subject(ctx, &c.sess)
		if err != nil {
			return err
		}
		w = c.who()
		if err := c.authorize(ctx, access.NoteCreate, sub.Owner()); err != nil {
			return err
		}
		c.record(audit.DictationStart, audit.Object{Type: "dictation"}, "", map[string]string{"via": req.Via, "model": model})
		return nil
	}); err != nil {
		return dictation.Result{}, err
	}
	s := dictation.Session{Source: req.Source, Detector: req.Detector, Recognizer: req.Recognizer, Final: req.Final,
		StopAfter: req.StopAfter, Events: req.Events}
	res, err := s.Run(ctx)
	action := audit.DictationStop
	if res.Stopped == "cancel" {
		action = audit.DictationCancel
	}
	details := map[string]string{
		"via": req.Via, "model": model, "stopped": res.Stopped,
		"ms":         strconv.FormatInt(res.Audio.Milliseconds(), 10),
		"dropped_ms": strconv.FormatInt(res.Dropped.Milliseconds(), 10),
		"utterances": strconv.Itoa(res.Utterances),
		"characters": strconv.Itoa(utf8.RuneCountInString(res.Text)),
	}
	if err != nil {
		details["failed"] = "true" // the error's text stays out of the record
	}
	if rerr := a.recordAs(ctx, w, action, audit.Object{Type: "dictation"}, "", details); rerr != nil {
		return res, errors.Join(err, rerr)
	}
	return res, err
}
