package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/vellumhealth/vellum/app"
)

// errControlsFailed: doctor found a required control failing (exit status 1).
var errControlsFailed = errors.New("a required safeguard fails on this workstation (see above)")

func doctorCommand() *command {
	var asJSON bool
	return &command{
		name: "doctor",
		summary: "check each technical safeguard on this workstation and profile (encryption, key escrow, TLS to the collector, " +
			"the audit trail, automatic logoff, MFA, emergency access, models, memory dumps, disk space) with the HIPAA Security Rule " +
			"section it serves; exit status 1 when a required one fails",
		example: `vellum doctor
vellum doctor --json > compliance.json`,
		flags: func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(ctx context.Context, e *env, args []string) error {
			a, err := e.core()
			if err != nil {
				return err
			}
			defer e.closeVault()
			checks := a.Doctor(ctx, app.DoctorOptions{})
			if asJSON {
				err = e.printJSON(struct {
					Version int         `json:"version"`
					Checks  []app.Check `json:"checks"`
				}{1, checks})
			} else {
				err = printChecks(e, checks)
			}
			if err != nil {
				return err
			}
			if app.Failed(checks) {
				return errControlsFailed
			}
			return nil
		},
	}
}

func printChecks(e *env, checks []app.Check) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tCONTROL\t45 CFR\tEVIDENCE")
	for _, c := range checks {
		control := c.Control
		if !c.Required {
			control += " (advised)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", strings.ToUpper(string(c.State)), control, c.Rule, c.Evidence)
		if c.Fix != "" {
			fmt.Fprintf(tw, "\t\t\tfix: %s\n", c.Fix)
		}
	}
	return tw.Flush()
}
