package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/dictation"
	"github.com/vellumhealth/vellum/policy"
)

// DictationRequest is a dictation to run: where its audio comes from, what cuts it
// into utterances and what hears them. Each part left nil is the workstation's: the
// microphone policy names (dictation_device), the Silero voice activity detector,
// and the speech models of the models folder (SpeechModels).
type DictationRequest struct {
	Source     dictation.Source
	Detector   dictation.Detector
	Recognizer dictation.Recognizer
	// Final, where set, recognises each whole utterance (a Whisper model IT
	// supplies); else Recognizer does. Used only with Recognizer.
	Final dictation.Recognizer
	// StopAfter ends the dictation after this long without speech: policy's
	// dictation_stop_after if 0, never if negative (a file is heard to its end).
	StopAfter time.Duration
	Events    dictation.Events
	// Stop, once closed, ends the dictation keeping its text, the utterance under
	// way included (Stop, push-to-talk's release); cancelling ctx drops it (Esc).
	Stop <-chan struct{}
	// Via says how it was started, for the record: "hotkey", "window", "file".
	Via string
}

// modelDigester is a recognizer that names its model's digest.
type modelDigester interface{ ModelDigest() string }

func digestOf(r dictation.Recognizer) string {
	if d, ok := r.(modelDigester); ok {
		return d.ModelDigest()
	}
	return ""
}

// Dictate runs a dictation for the signed-in user, who must be one who writes notes;
// the microphone opens only once they are known, after the models have loaded. It is
// recorded as it starts (dictation.start) and as it ends (dictation.stop, or
// dictation.cancel when ctx was cancelled), with how long it listened, how much
// audio the microphone dropped, the recognisers' model digests and how many
// characters it produced: never audio, never text. The text goes to req.Events and
// the result, nowhere else.
func (a *App) Dictate(ctx context.Context, req DictationRequest) (dictation.Result, error) {
	authorize := func(c *actor) error {
		sub, err := c.svc.Subject(ctx, &c.sess)
		if err != nil {
			return err
		}
		return c.authorize(ctx, access.NoteCreate, sub.Owner())
	}
	// Asked first, so that a user who may not dictate loads nothing.
	if err := a.act(ctx, authorize); err != nil {
		return dictation.Result{}, err
	}
	if req.Recognizer == nil {
		r, release, err := a.useRecognizers(ctx)
		if err != nil {
			return dictation.Result{}, err
		}
		defer release()
		req.Recognizer, req.Final = r.live, r.final
	}
	b := a.speechBackend()
	if req.Detector == nil {
		d, err := b.Detector()
		if err != nil {
			return dictation.Result{}, fmt.Errorf("voice activity detection: %w", err)
		}
		defer d.Close()
		req.Detector = d
	}
	stopAfter := req.StopAfter
	if stopAfter == 0 {
		stopAfter = a.Policy().Duration(policy.DictationStopAfter)
	}
	stopAfter = max(stopAfter, 0)
	model, final := digestOf(req.Recognizer), digestOf(req.Final)
	start := map[string]string{"via": req.Via, "model": model}
	if final != "" {
		start["final_model"] = final
	}
	// Asked again, with the start recorded in the same transaction: a load takes
	// seconds, and the session may have been locked or ended meanwhile.
	var w who
	if err := ctx.Err(); err != nil {
		return dictation.Result{}, err
	}
	if err := a.act(ctx, func(c *actor) error {
		if err := authorize(c); err != nil {
			return err
		}
		w = c.who()
		c.record(audit.DictationStart, audit.Object{Type: "dictation"}, "", start)
		return nil
	}); err != nil {
		return dictation.Result{}, err
	}
	var res dictation.Result
	var err error
	if req.Source == nil {
		req.Source, err = b.Microphone(a.Policy().String(policy.DictationDevice))
		if err == nil {
			defer req.Source.Close()
		}
	}
	if err == nil {
		s := dictation.Session{Source: req.Source, Detector: req.Detector, Recognizer: req.Recognizer, Final: req.Final,
			StopAfter: stopAfter, Events: req.Events, Stop: req.Stop}
		res, err = s.Run(ctx)
	} else {
		res.Stopped = "error"
	}
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
	if final != "" {
		details["final_model"] = final
	}
	if err != nil {
		details["failed"] = "true" // the error's text stays out of the record
	}
	if rerr := a.recordAs(ctx, w, action, audit.Object{Type: "dictation"}, "", details); rerr != nil {
		return res, errors.Join(err, rerr)
	}
	return res, err
}
