package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

const policyStateName = "policy.fingerprints"

// recordPolicyChange compares the effective policy with the one last applied to this
// vault and records a policy.changed event naming what changed, with the new
// fingerprints in the same transaction: the command line has no long-running process
// to watch files, so each run notices what changed since the last. Values are
// recorded with their origin, except secrets; a change of the escrow recipient is one
// of them.
func (a *App) recordPolicyChange(ctx context.Context) error {
	snap := a.Policy()
	now := snap.Fingerprints()
	return a.update(ctx, func(tx *vault.Tx, _ *access.Service) error {
		prev := map[policy.Key]string{}
		old, seen, err := tx.State(ctx, policyStateName)
		if err != nil {
			return err
		}
		if seen && json.Unmarshal([]byte(old), &prev) != nil {
			seen = false
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
				detail[string(k)] = audit.Clean(val + " from " + st.Origin.String())
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
		entry := audit.Entry{Action: audit.PolicyChanged, Object: audit.Object{Type: "policy"}, Details: detail, Outcome: audit.OK}
		if tok := a.currentToken(); tok != "" {
			if s, err := tx.SessionByToken(ctx, access.TokenHash(tok)); err == nil {
				if u, err := tx.User(ctx, s.UserID); err == nil {
					entry.User, entry.Role = u.ID, string(u.Role)
				}
			}
		}
		tx.Record(entry)
		b, _ := json.Marshal(now)
		return tx.SetState(ctx, policyStateName, string(b))
	})
}

// ApplyPolicy puts a changed policy into force: access control, retention, exports
// and the idle lock follow at once; a model no longer allowed (or no longer the
// chosen one) is unloaded once the draft in progress is done; launch at login
// follows through the OS; and the change is recorded. The window applies what it
// shows (theme, tray) itself.
func (a *App) ApplyPolicy(ctx context.Context, snap policy.Snapshot) error {
	old := a.Policy()
	a.snap.Store(&snap)
	if !slices.Equal(old.Strings(policy.ModelAllowlist), snap.Strings(policy.ModelAllowlist)) ||
		old.String(policy.ModelsFolder) != snap.String(policy.ModelsFolder) ||
		old.String(policy.DefaultModel) != snap.String(policy.DefaultModel) ||
		old.Bool(policy.AllowTestModel) != snap.Bool(policy.AllowTestModel) {
		a.retireModel()
	}
	a.applyLaunchAtLogin()
	if a.v() == nil {
		return nil
	}
	return a.recordPolicyChange(ctx)
}

// SetPreference stores a user preference in the profile's prefs.json (refused where
// policy sets the value), and applies and records it as any policy change.
func (a *App) SetPreference(ctx context.Context, key policy.Key, value string) error {
	if err := policy.SetPreference(a.sources, a.Policy(), key, value); err != nil {
		return err
	}
	snap, warning, err := policy.Current(a.sources)
	if err != nil {
		return err
	}
	if warning != nil {
		a.warn(warning)
	}
	return a.ApplyPolicy(ctx, snap)
}

// applyLaunchAtLogin makes the OS start Vellum at sign-in exactly when policy says so
// (a per-user entry: XDG autostart, a macOS launch agent, a Windows Startup shortcut),
// unless an installer's entry already starts it for every account (autostart.go).
// A failure is a warning: it stops no use case.
func (a *App) applyLaunchAtLogin() {
	exe, err := os.Executable()
	if err != nil {
		a.warn(fmt.Errorf("launch at login: %w", err))
		return
	}
	entry := userAutostart(exe)
	want := a.Policy().Bool(policy.LaunchAtLogin)
	if e, ok := machineAutostart(); ok && e.Broken == "" {
		want = false
	}
	switch {
	case want && !entry.IsEnabled():
		if err := entry.Enable(); err != nil {
			a.warn(fmt.Errorf("launch at login: %w", err))
		}
	case !want && entry.IsEnabled():
		if err := entry.Disable(); err != nil {
			a.warn(fmt.Errorf("launch at login: %w", err))
		}
	}
}
