package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/vellumhealth/vellum/phi"
)

// maxDeidInput bounds what deid reads: a note is kilobytes; a stream without end is
// refused rather than held in memory.
const maxDeidInput = 64 << 20

func deidCommand() *command {
	var spans, asJSON bool
	return &command{
		name: "deid",
		summary: "read text on stdin and write it with each HIPAA Safe Harbor identifier replaced by its type ([NAME], [DATE], [MRN]...); " +
			"--spans prints where each is instead, in characters of the input. Opens no vault, and reads nothing else",
		example: `vellum deid < note.txt > note.redacted.txt
vellum deid --spans < note.txt`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&spans, "spans", false, `print a JSON array of {"start", "end", "type"} (character offsets) instead of the text`)
			fs.BoolVar(&asJSON, "json", false, "print JSON: the redacted text, the spans and a count per type")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			b, err := io.ReadAll(io.LimitReader(e.stdin, maxDeidInput+1))
			if err != nil {
				return fmt.Errorf("deid: reading stdin: %w", err)
			}
			if len(b) > maxDeidInput {
				return fmt.Errorf("deid: the input is over %d MB; split it", maxDeidInput>>20)
			}
			text := string(b)
			found := phi.Find(text)
			chars := phi.CharSpans(text, found)
			if chars == nil {
				chars = []phi.Span{} // [] for a script, not null
			}
			switch {
			case spans:
				return e.printJSON(chars)
			case asJSON:
				return e.printJSON(struct {
					Text   string           `json:"text"`
					Spans  []phi.Span       `json:"spans"`
					Counts map[phi.Type]int `json:"counts"`
				}{phi.RedactSpans(text, found), chars, phi.Counts(found)})
			}
			_, err = io.WriteString(e.stdout, phi.RedactSpans(text, found))
			return err
		},
	}
}
