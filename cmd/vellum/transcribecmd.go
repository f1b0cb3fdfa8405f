package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/dictation"
)

func transcribeCommand() *command {
	return &command{
		name: "transcribe",
		args: "FILE.wav",
		summary: "recognise the speech of a WAV file on this workstation, as dictation does, and print the text " +
			"(spoken commands applied: \"period\", \"new paragraph\", \"scratch that\"); recorded like a dictation, never its words",
		example: `vellum transcribe visit.wav > visit.txt`,
		vault:   existingVault,
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			wav, err := dictation.OpenWAV(args[0])
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			defer wav.Close()
			res, err := e.app.Dictate(ctx, app.DictationRequest{Source: wav, StopAfter: -1, Via: "file"})
			if err != nil {
				var we *dictation.WAVError
				if errors.As(err, &we) {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				return err
			}
			if res.Stopped == "cancel" {
				return errors.New("transcribe: interrupted; nothing printed")
			}
			_, err = fmt.Fprintln(e.stdout, res.Text)
			return err
		},
	}
}
