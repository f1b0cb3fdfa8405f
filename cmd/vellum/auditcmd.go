package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	vsync "github.com/vellumhealth/vellum/sync"
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

// deviceKeys are the public keys of the journal's devices, as its own
// audit.device_key_created records state them, checked against the key in the
// keychain for the current device.
func (e *env) deviceKeys(ctx context.Context) (map[string]ed25519.PublicKey, error) {
	devices, err := e.vault.AuditDevices(ctx)
	if err != nil {
		return nil, err
	}
	keys := map[string]ed25519.PublicKey{}
	for _, d := range devices {
		first, err := e.vault.AuditRecords(ctx, d, 0, 1)
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
	keys[e.audit.Device()] = e.auditPublic()
	return keys, nil
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
			if err := e.authorize(ctx, access.AuditView, ""); err != nil {
				return err
			}
			rows, firstErr, err := e.verifyChains(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				if err := e.printJSON(rows); err != nil {
					return err
				}
			} else {
				for _, r := range rows {
					state := "ok"
					if r.Error != "" {
						state = "FAILED: " + r.Error
					}
					fmt.Fprintf(e.stdout, "device %s: %d records, chain and signatures %s\n", r.Device, r.Records, state)
				}
			}
			return firstErr
		},
	}
}

// chainState is one device chain's verification.
type chainState struct {
	Device  string `json:"device"`
	Records int    `json:"records"`
	Last    uint64 `json:"last_seq"`
	Error   string `json:"error,omitempty"`
}

// verifyChains checks every device chain in the journal with its signatures; firstErr
// names the first bad record, err a failure to read.
func (e *env) verifyChains(ctx context.Context) (rows []chainState, firstErr, err error) {
	keys, err := e.deviceKeys(ctx)
	if err != nil {
		return nil, nil, err
	}
	devices, err := e.vault.AuditDevices(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range devices {
		recs, err := e.vault.AuditRecords(ctx, d, 0, 0)
		if err != nil {
			return nil, nil, err
		}
		heads, err := e.vault.AuditHeads(ctx, d, 0)
		if err != nil {
			return nil, nil, err
		}
		lines := make([][]byte, len(recs))
		for i, r := range recs {
			lines[i] = r.Line
		}
		pub, ok := keys[d]
		var v audit.Verified
		var verr error
		if !ok {
			verr = &audit.ChainError{Seq: 1, Reason: "no trustworthy public key for this device (its first record is not its key's creation)"}
		} else {
			v, verr = audit.Verify(pub, d, audit.Anchor{}, lines, heads)
		}
		r := chainState{Device: d, Records: v.Records, Last: v.Last.Seq}
		if verr != nil {
			r.Error = verr.Error()
			if firstErr == nil {
				firstErr = fmt.Errorf("device %s: %w", d, verr)
			}
		}
		rows = append(rows, r)
	}
	return rows, firstErr, nil
}

// recentRecords are the newest n records of this device's journal, oldest first.
func (e *env) recentRecords(ctx context.Context, n int) ([]audit.Stored, error) {
	dev := e.audit.Device()
	last, _, err := e.vault.AuditHead(ctx, dev)
	if err != nil {
		return nil, err
	}
	from := uint64(0)
	if last > uint64(n) {
		from = last - uint64(n)
	}
	return e.vault.AuditRecords(ctx, dev, from, n)
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
			if err := e.authorize(ctx, access.AuditView, ""); err != nil {
				return err
			}
			if n <= 0 {
				return usageError{"audit tail: -n must be positive"}
			}
			recs, err := e.recentRecords(ctx, n)
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
				obj := r.Object.Type
				if r.Object.ID != "" {
					obj += " " + r.Object.ID
				}
				fmt.Fprintf(e.stdout, "%6d  %s  %-22s %-8s %-22s %s %s\n", r.Seq, r.Time, r.Action, r.Outcome, r.User, r.Role, obj)
			}
			return nil
		},
	}
}

// uploader builds the delivery to the collector policy names.
func (e *env) uploader() (*vsync.Uploader, error) {
	snap, err := e.policy()
	if err != nil {
		return nil, err
	}
	url, ca := snap.String(policy.CollectorURL), snap.String(policy.CollectorCA)
	if url == "" || ca == "" {
		return nil, errNoCollector
	}
	client, err := vsync.ClientFor(ca)
	if err != nil {
		return nil, err
	}
	return &vsync.Uploader{Journal: e.vault, Device: e.audit.Device(), URL: url, Client: client}, nil
}

var errNoCollector = errors.New("no collector is configured (policy collector_url and collector_ca)")

// deliverAll delivers the journal of every device the vault holds records of — the
// current key's chain and any from keys lost with an old keychain (their records are
// signed, and the collector pinned their keys at enrollment) — and returns how many
// records were delivered and how many remain pending.
func (e *env) deliverAll(ctx context.Context) (sent int, pending uint64, err error) {
	up, err := e.uploader()
	if err != nil {
		return 0, 0, err
	}
	devices, err := e.vault.AuditDevices(ctx)
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

func auditEnroll() *command {
	return &command{
		name:    "enroll",
		summary: "register this device's signing key with the collector, with policy's one-time enrollment_token (admins)",
		example: "vellum audit enroll",
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := e.authorize(ctx, access.VaultAdmin, ""); err != nil {
				return err
			}
			up, err := e.uploader()
			if err != nil {
				return err
			}
			snap, _ := e.policy()
			tok := snap.String(policy.EnrollmentToken)
			if tok == "" {
				return errors.New("policy sets no enrollment_token")
			}
			if err := up.Enroll(ctx, tok, e.auditPublic()); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "device %s enrolled with %s\n", up.Device, up.URL)
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
			n, pending, err := e.deliverAll(ctx)
			if !errors.Is(err, errNoCollector) {
				fmt.Fprintf(e.stderr, "delivered %d records; %d pending\n", n, pending)
			}
			return err
		},
	}
}
