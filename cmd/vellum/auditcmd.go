package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
)

func auditCommand() *command {
	return &command{
		name:    "audit",
		summary: "verify and read this workstation's audit journal (auditors and admins)",
		example: `vellum audit verify
vellum audit tail -n 50
vellum audit enroll && vellum audit sync`,
		subs: []*command{auditVerify(), auditTail(), auditEnroll(), auditSync()},
	}
}

func auditVerify() *command {
	var asJSON bool
	return &command{
		name:    "verify",
		summary: "check the whole local chain and its signatures; name the first bad record",
		example: "vellum audit verify",
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			rows, bad, err := e.app.VerifyChains(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				if err := e.printJSON(rows); err != nil {
					return err
				}
			} else {
				for _, r := range rows {
					fmt.Fprintln(e.stdout, chainLine(r))
				}
			}
			return bad
		},
	}
}

// chainLine is one device chain's verification as a line of text.
func chainLine(r app.ChainState) string {
	state := "ok"
	if r.Error != "" {
		state = "FAILED: " + r.Error
	}
	return fmt.Sprintf("device %s: %d records, chain and signatures %s", r.Device, r.Records, state)
}

// recordLine is one journal record as a line of text: actions, users, objects; never
// note text (records hold none).
func recordLine(r audit.Record) string {
	obj := r.Object.Type
	if r.Object.ID != "" {
		obj += " " + r.Object.ID
	}
	return fmt.Sprintf("%6d  %s  %-22s %-8s %-22s %s %s", r.Seq, r.Time, r.Action, r.Outcome, r.User, r.Role, obj)
}

func auditTail() *command {
	var n int
	var asJSON bool
	return &command{
		name:    "tail",
		summary: "print the newest records of this device's journal",
		example: "vellum audit tail -n 20 --json",
		flags: func(fs *flag.FlagSet) {
			fs.IntVar(&n, "n", 20, "how many records")
			fs.BoolVar(&asJSON, "json", false, "print each record as its canonical JSON line")
		},
		vault: existingVault,
		auth:  true,
		run: func(ctx context.Context, e *env, args []string) error {
			if n <= 0 {
				return usageError{"audit tail: -n must be positive"}
			}
			recs, err := e.app.RecentRecords(ctx, n)
			if err != nil {
				return err
			}
			for _, s := range recs {
				if asJSON {
					fmt.Fprintf(e.stdout, "%s\n", s.Line)
					continue
				}
				var r audit.Record
				if err := json.Unmarshal(s.Line, &r); err != nil {
					return errors.New("unreadable record")
				}
				fmt.Fprintln(e.stdout, recordLine(r))
			}
			return nil
		},
	}
}

func auditEnroll() *command {
	return &command{
		name:    "enroll",
		summary: "register this device's signing key with the collector, with policy's one-time enrollment_token (admins)",
		example: "vellum audit enroll",
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			url, err := e.app.Enroll(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "device %s enrolled with %s\n", e.app.Device(), url)
			return nil
		},
	}
}

func auditSync() *command {
	return &command{
		name:    "sync",
		summary: "deliver every pending audit record to the collector now",
		example: "vellum audit sync",
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			n, pending, err := e.app.Deliver(ctx)
			if !errors.Is(err, app.ErrNoCollector) {
				fmt.Fprintf(e.stderr, "delivered %d records; %d pending\n", n, pending)
			}
			return err
		},
	}
}
