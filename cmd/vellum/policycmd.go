package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/vellumhealth/vellum/policy"
)

func policyCommand() *command {
	return &command{
		name:    "policy",
		summary: "show the effective settings and where each comes from",
		example: `vellum policy show
vellum policy show --json`,
		subs: []*command{policyShow()},
	}
}

func policyShow() *command {
	var asJSON bool
	return &command{
		name:    "show",
		summary: "print every setting, its value, its origin, and whether the organisation locked it",
		example: `vellum policy show`,
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(ctx context.Context, e *env, args []string) error {
			snap, err := e.policy()
			if err != nil {
				return err
			}
			if asJSON {
				type row struct {
					Key    policy.Key `json:"key"`
					Value  string     `json:"value"`
					Origin string     `json:"origin"`
					Source string     `json:"source,omitempty"`
					Locked bool       `json:"locked"`
				}
				var rows []row
				for _, st := range snap.All() {
					rows = append(rows, row{st.Def.Key, policy.Format(st), st.Origin.String(), st.Source, st.Locked()})
				}
				return e.printJSON(rows)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SETTING\tVALUE\tFROM\t")
			for _, st := range snap.All() {
				from := st.Origin.String()
				if st.Source != "" {
					from += " (" + st.Source + ")"
				}
				lock := ""
				if st.Locked() {
					lock = "managed by your organisation"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", st.Def.Key, policy.Format(st), from, lock)
			}
			return tw.Flush()
		},
	}
}
