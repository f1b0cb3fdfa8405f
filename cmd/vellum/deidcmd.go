package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"

	"github.com/vellumhealth/vellum/phi"
)

// maxDeidInput bounds what deid reads: a note is kilobytes; a stream without end is
// refused rather than held in memory.
const maxDeidInput = 64 << 20

func deidCommand() *command {
	var spans, asJSON, surrogate bool
	var shift int
	return &command{
		name: "deid",
		summary: "read text on stdin and write it with each HIPAA Safe Harbor identifier replaced by its type ([NAME], [DATE], [MRN]...); " +
			"--surrogate writes made-up values of the same kind instead (dates moved by one offset, so intervals stay true); " +
			"--spans prints where each is, in characters of the input. Opens no vault, and reads nothing else",
		example: `vellum deid < note.txt > note.redacted.txt
vellum deid --surrogate < note.txt
vellum deid --spans < note.txt`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&spans, "spans", false, `print a JSON array of {"start", "end", "type"} (character offsets) instead of the text`)
			fs.BoolVar(&asJSON, "json", false, "print JSON: the redacted text, the spans and a count per type")
			fs.BoolVar(&surrogate, "surrogate", false, "replace each identifier with a made-up one of its kind, under a key drawn for this run and not kept "+
				"(the same value gets the same surrogate within the run)")
			fs.IntVar(&shift, "shift", 0, "with --surrogate, move dates by this many days (default: a random 30 to 395 days back)")
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
			replace := phi.RedactSpans
			if surrogate {
				key := make([]byte, 32)
				if _, err := rand.Read(key); err != nil {
					return err
				}
				if shift == 0 {
					shift = phi.DateShift(key, "")
				}
				replace = phi.NewSurrogates(key, shift).Replace
			} else if shift != 0 {
				return usageError{"deid: --shift moves surrogate dates: use it with --surrogate"}
			}
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
				}{replace(text, found), chars, phi.Counts(found)})
			}
			_, err = io.WriteString(e.stdout, replace(text, found))
			return err
		},
	}
}
