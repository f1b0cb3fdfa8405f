package app

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/sync/delivery"
	"github.com/vellumhealth/vellum/vault"
)

// ChainState is one device chain's verification.
type ChainState struct {
	Device  string `json:"device"`
	Records int    `json:"records"`
	Last    uint64 `json:"last_seq"`
	Error   string `json:"error,omitempty"`
}

// authorized runs fn once the signed-in user may do action (no particular note).
func (a *App) authorized(ctx context.Context, action access.Action, fn func(c *actor) error) error {
	return a.act(ctx, func(c *actor) error {
		if err := c.authorize(ctx, action, ""); err != nil {
			return err
		}
		return fn(c)
	})
}

// VerifyChains checks every device chain in the journal with its signatures
// (auditors and admins). bad names the first bad record; err is a failure to read
// or a refusal.
func (a *App) VerifyChains(ctx context.Context) (rows []ChainState, bad, err error) {
	if err := a.authorized(ctx, access.AuditView, func(*actor) error { return nil }); err != nil {
		return nil, nil, err
	}
	v := a.v()
	if v == nil {
		return nil, nil, ErrNoVault
	}
	return a.verifyChains(ctx, v)
}

// verifyChains is VerifyChains without the question of who asks: its answer names
// devices and counts, nothing of a patient (vellum doctor asks it before anyone
// signs in).
func (a *App) verifyChains(ctx context.Context, v *vault.Vault) (rows []ChainState, bad, err error) {
	keys, err := a.deviceKeys(ctx, v)
	if err != nil {
		return nil, nil, err
	}
	devices, err := v.AuditDevices(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range devices {
		recs, err := v.AuditRecords(ctx, d, 0, 0)
		if err != nil {
			return nil, nil, err
		}
		heads, err := v.AuditHeads(ctx, d, 0)
		if err != nil {
			return nil, nil, err
		}
		lines := make([][]byte, len(recs))
		for i, r := range recs {
			lines[i] = r.Line
		}
		pub, ok := keys[d]
		var ok2 audit.Verified
		var verr error
		if !ok {
			verr = &audit.ChainError{Seq: 1, Reason: "no trustworthy public key for this device (its first record is not its key's creation)"}
		} else {
			ok2, verr = audit.Verify(pub, d, audit.Anchor{}, lines, heads)
		}
		r := ChainState{Device: d, Records: ok2.Records, Last: ok2.Last.Seq}
		if verr != nil {
			r.Error = verr.Error()
			if bad == nil {
				bad = fmt.Errorf("device %s: %w", d, verr)
			}
		}
		rows = append(rows, r)
	}
	return rows, bad, nil
}

// deviceKeys are the public keys of the journal's devices, as their own
// audit.device_key_created records state them, and the key in the keychain for the
// current device.
func (a *App) deviceKeys(ctx context.Context, v *vault.Vault) (map[string]ed25519.PublicKey, error) {
	devices, err := v.AuditDevices(ctx)
	if err != nil {
		return nil, err
	}
	keys := map[string]ed25519.PublicKey{}
	for _, d := range devices {
		first, err := v.AuditRecords(ctx, d, 0, 1)
		if err != nil || len(first) == 0 {
			continue
		}
		r, err := audit.Decode(first[0].Line)
		if err != nil || r.Action != audit.DeviceKeyCreated {
			continue
		}
		pub, err := hex.DecodeString(r.Details["public_key"])
		if err == nil && len(pub) == ed25519.PublicKeySize && audit.DeviceID(pub) == d {
			keys[d] = pub
		}
	}
	keys[a.Device()] = a.devKey
	return keys, nil
}

// RecentRecords are the newest n records of this device's journal, oldest first
// (auditors and admins). Records hold no note text.
func (a *App) RecentRecords(ctx context.Context, n int) ([]audit.Stored, error) {
	if err := a.authorized(ctx, access.AuditView, func(*actor) error { return nil }); err != nil {
		return nil, err
	}
	v := a.v()
	if v == nil {
		return nil, ErrNoVault
	}
	dev := a.Device()
	last, _, err := v.AuditHead(ctx, dev)
	if err != nil {
		return nil, err
	}
	from := uint64(0)
	if last > uint64(n) {
		from = last - uint64(n)
	}
	return v.AuditRecords(ctx, dev, from, n)
}

// ErrNoCollector: policy names no collector to deliver the journal to.
var ErrNoCollector = errors.New("no collector is configured (policy collector_url and collector_ca)")

// Uploader is the delivery of this device's journal to the collector policy names.
func (a *App) Uploader() (*delivery.Uploader, error) {
	v := a.v()
	if v == nil {
		return nil, ErrNoVault
	}
	return a.uploader(v, a.Device())
}

// uploader is Uploader for the open vault v and this device (inside a use case, which
// holds them open).
func (a *App) uploader(v *vault.Vault, device string) (*delivery.Uploader, error) {
	snap := a.Policy()
	url, ca := snap.String(policy.CollectorURL), snap.String(policy.CollectorCA)
	if url == "" || ca == "" {
		return nil, ErrNoCollector
	}
	client, err := delivery.ClientFor(ca)
	if err != nil {
		return nil, err
	}
	return &delivery.Uploader{Journal: v, Device: device, URL: url, Client: client}, nil
}

// Deliver sends every pending record to the collector now, as a signed-in user.
func (a *App) Deliver(ctx context.Context) (sent int, pending uint64, err error) {
	if err := a.act(ctx, func(*actor) error { return nil }); err != nil {
		return 0, 0, err
	}
	return a.deliverAll(ctx)
}

// deliverAll delivers the journal of every device the vault holds records of — the
// current key's chain and any from keys lost with an old keychain (their records are
// signed, and the collector pinned their keys at enrollment) — and returns how many
// records were delivered and how many remain pending.
func (a *App) deliverAll(ctx context.Context) (sent int, pending uint64, err error) {
	v := a.v()
	if v == nil {
		return 0, 0, ErrNoVault
	}
	up, err := a.Uploader()
	if err != nil {
		return 0, 0, err
	}
	devices, err := v.AuditDevices(ctx)
	if err != nil {
		return 0, 0, err
	}
	var errs []error
	for _, d := range devices {
		u := *up
		u.Device = d
		n, err := u.DeliverOnce(ctx)
		sent += n
		if err != nil {
			errs = append(errs, fmt.Errorf("device %s: %w", d, err))
		}
		p, err := u.Pending(ctx)
		if err != nil {
			errs = append(errs, err)
		}
		pending += p
	}
	return sent, pending, errors.Join(errs...)
}

// Enroll registers this device's signing key with the collector, with policy's
// one-time enrollment token (admins).
func (a *App) Enroll(ctx context.Context) (url string, err error) {
	if err := a.authorized(ctx, access.VaultAdmin, func(*actor) error { return nil }); err != nil {
		return "", err
	}
	up, err := a.Uploader()
	if err != nil {
		return "", err
	}
	tok := a.Policy().String(policy.EnrollmentToken)
	if tok == "" {
		return "", errors.New("policy sets no enrollment_token")
	}
	return up.URL, up.Enroll(ctx, tok, a.devKey)
}

// DeliveryStatus is how many records wait for delivery and when the last delivery
// was; ok is false where no collector is configured.
func (a *App) DeliveryStatus(ctx context.Context, up *delivery.Uploader) (pending uint64, last time.Time, ok bool) {
	if up == nil {
		return 0, time.Time{}, false
	}
	p, err := up.Pending(ctx)
	if err != nil {
		return 0, time.Time{}, false
	}
	last, _ = up.LastDelivery(ctx)
	return p, last, true
}

// deliverFirst: before a disposal (retention purge, shred), every pending record
// goes to the collector; where it cannot, policy must allow offline disposal.
func (a *App) deliverFirst(ctx context.Context, what string) (offline bool, err error) {
	_, pending, err := a.deliverAll(ctx)
	if err == nil && pending == 0 {
		return false, nil
	}
	if err == nil {
		err = fmt.Errorf("%d records still pending", pending)
	}
	if a.Policy().Bool(policy.AllowOfflineShred) {
		return true, nil
	}
	return false, fmt.Errorf("%w (%v), and policy %s does not allow the %s offline", ErrUndelivered, err, policy.AllowOfflineShred, what)
}

// ErrUndelivered: a disposal would destroy audit records the collector has not had.
var ErrUndelivered = errors.New("the audit records have not all reached the hospital's collector")
