package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
)

// openAudit opens the device's audit log in the vault. A device key made now (first
// run, or a keychain that lost it) is the first thing recorded.
func (e *env) openAudit(ctx context.Context) error {
	snap, err := e.policy()
	if err != nil {
		return err
	}
	key, created, err := audit.LoadDeviceKey(ctx, vault.SystemKeychain{}, e.vault.ID(), vault.ErrKeyMissing)
	if err != nil {
		return err
	}
	site := func() []byte {
		b, _ := hex.DecodeString(snap.String(policy.SiteKey)) // validated by policy
		return b
	}
	e.auditKey = key.Public()
	l, err := audit.Open(ctx, e.vault, key, site, nil)
	if err != nil {
		return err
	}
	e.audit = l
	if created {
		_, err := l.Append(ctx, audit.Entry{Action: audit.DeviceKeyCreated, Object: audit.Object{Type: "device", ID: key.ID},
			Details: map[string]string{"public_key": hex.EncodeToString(key.Public())}, Outcome: audit.OK})
		return err
	}
	return nil
}

// record appends an audit record for the signed-in user (if any) and returns once it
// is durable: commands call it before they show PHI or report an action done.
func (e *env) record(ctx context.Context, a audit.Action, obj audit.Object, mrn string, details map[string]string, out audit.Outcome) error {
	entry := audit.Entry{Action: a, Object: obj, MRN: mrn, Details: details, Outcome: out}
	if e.sess != nil {
		entry.User, entry.Role = e.user.ID, string(e.user.Role)
		if e.sess.BreakGlassOn(time.Now()) {
			if entry.Details == nil {
				entry.Details = map[string]string{}
			}
			entry.Details["break_glass"] = "true"
		}
	}
	if _, err := e.audit.Append(ctx, entry); err != nil {
		return fmt.Errorf("record %s: %w", a, err)
	}
	return nil
}

// recordShown records one entry per note shown (list, search) before they are shown:
// each carries its note and patient reference, so a per-patient report finds the
// listing too. An empty result is one record.
func (e *env) recordShown(ctx context.Context, a audit.Action, notes []vault.Note) error {
	base := audit.Entry{Action: a, Object: audit.Object{Type: "note"}, Details: map[string]string{"results": fmt.Sprint(len(notes))}, Outcome: audit.OK}
	if e.sess != nil {
		base.User, base.Role = e.user.ID, string(e.user.Role)
		if e.sess.BreakGlassOn(time.Now()) {
			base.Details["break_glass"] = "true"
		}
	}
	entries := []audit.Entry{base}
	if len(notes) > 0 {
		entries = entries[:0]
		for _, n := range notes {
			en := base
			en.Object, en.MRN = noteObject(n.ID), n.PatientRef
			entries = append(entries, en)
		}
	}
	if err := e.audit.AppendAll(ctx, entries); err != nil {
		return fmt.Errorf("record %s: %w", a, err)
	}
	return nil
}

// auditSink hands access's events to the audit log.
type auditSink struct{ log *audit.Log }

func (s auditSink) Record(ctx context.Context, ev access.Event) error {
	entry := audit.Entry{User: ev.UserID, Role: string(ev.Role), Action: audit.Action(ev.Kind), Outcome: audit.OK, Details: ev.Detail}
	switch ev.Kind {
	case access.EventSignInFailed, access.EventLockedOut:
		entry.Outcome = audit.Failed
	case access.EventDenied:
		entry.Outcome = audit.DeniedOutcome
		entry.Details = map[string]string{"action": ev.Subject}
	case access.EventUserAdded, access.EventUserDisabled, access.EventUserEnabled, access.EventTOTPReset, access.EventScribeApproved:
		entry.Object = audit.Object{Type: "user", ID: ev.Subject}
	}
	if id := ev.Detail["session"]; id != "" {
		entry.Object = audit.Object{Type: "session", ID: id}
	}
	_, err := s.log.Append(ctx, entry)
	return err
}

func (e *env) auditPublic() ed25519.PublicKey { return e.auditKey }
