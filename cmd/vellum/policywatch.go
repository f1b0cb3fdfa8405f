package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/emersion/go-autostart"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

const policyStateName = "policy.fingerprints"

// recordPolicyChange compares the effective policy with the one last applied to this
// vault and records a policy.changed event naming what changed: the command line has no
// long-running process to watch files, so each run notices what changed since the last.
// Values are recorded with their origin, except secrets.
func (e *env) recordPolicyChange(ctx context.Context, v *vault.Vault) error {
	snap, err := e.policy()
	if err != nil {
		return err
	}
	now := snap.Fingerprints()
	prev := map[policy.Key]string{}
	old, seen, err := v.State(ctx, policyStateName)
	if err != nil {
		return err
	}
	if seen {
		if err := json.Unmarshal([]byte(old), &prev); err != nil {
			seen = false
		}
	}
	var changed []string
	detail := map[string]string{}
	for k, fp := range now {
		if prev[k] != fp {
			changed = append(changed, string(k))
			st := snap.Get(k)
			val := policy.Format(st)
			if st.Def.Secret {
				val = "(changed)"
			}
			detail[string(k)] = val + " from " + st.Origin.String()
		}
	}
	if seen && len(changed) == 0 {
		return nil
	}
	sort.Strings(changed)
	detail["keys"] = strings.Join(changed, ",")
	if !seen {
		detail = map[string]string{"keys": "(first policy applied to this vault)"}
	}
	for k, val := range detail {
		detail[k] = audit.Clean(val)
	}
	if err := e.record(ctx, audit.PolicyChanged, audit.Object{Type: "policy"}, "", detail, audit.OK); err != nil {
		return err
	}
	b, _ := json.Marshal(now)
	return v.SetState(ctx, policyStateName, string(b))
}

// applyLaunchAtLogin makes the OS start Vellum at sign-in exactly when policy says so
// (a per-user entry: XDG autostart, a macOS launch agent, a Windows Startup shortcut).
// Per-machine entries are the installers' job.
func (e *env) applyLaunchAtLogin() error {
	snap, err := e.policy()
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	app := &autostart.App{Name: "vellum", DisplayName: "Vellum", Exec: []string{exe}}
	want := snap.Bool(policy.LaunchAtLogin)
	switch {
	case want && !app.IsEnabled():
		if err := app.Enable(); err != nil {
			return fmt.Errorf("launch at login: %w", err)
		}
	case !want && app.IsEnabled():
		if err := app.Disable(); err != nil {
			return fmt.Errorf("launch at login: %w", err)
		}
	}
	return nil
}
