// Package delivery carries a workstation's audit journal to the hospital's collector:
// Uploader reads the undelivered records of the local journal (package audit, in the
// vault) in batches that end on a signed head, sends them over TLS (1.3 preferred, 1.2
// minimum, the collector's CA pinned from policy), and advances its delivered mark
// only on the collector's acknowledgement. Sending is idempotent on (device, seq): a
// batch sent twice is accepted once. The wire format is package api's (API.md).
package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/sync/api"
)

// Journal is what the uploader reads and marks on the device: the vault.
type Journal interface {
	AuditHead(ctx context.Context, device string) (uint64, string, error)
	AuditRecords(ctx context.Context, device string, after uint64, limit int) ([]audit.Stored, error)
	AuditHeadAtOrBefore(ctx context.Context, device string, seq uint64) (audit.Head, bool, error)
	AuditHeadAfter(ctx context.Context, device string, seq uint64) (audit.Head, bool, error)
	State(ctx context.Context, name string) (string, bool, error)
	SetState(ctx context.Context, name, value string) error
}

// ClientFor makes the device's HTTPS client: the collector's CA pinned (the system
// roots are not consulted), TLS 1.2 at least.
func ClientFor(caPEM string) (*http.Client, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(caPEM)) {
		return nil, errors.New("collector_ca holds no PEM certificate")
	}
	return &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
	}, nil
}

// Uploader delivers one device's journal.
type Uploader struct {
	Journal Journal
	Device  string
	URL     string // the collector's base URL, https://...
	Client  *http.Client
	// Batch is the most records per request; zero means 1000.
	Batch int
}

func deliveredKey(device string) string { return "audit.delivered/" + device }

func deliveredAtKey(device string) string { return "audit.delivered_at/" + device }

// CheckpointState names the vault state that holds the latest checkpoint the
// collector handed this device.
const CheckpointState = "audit.checkpoint"

// Delivered is the last seq the collector acknowledged.
func (u *Uploader) Delivered(ctx context.Context) (uint64, error) {
	s, ok, err := u.Journal.State(ctx, deliveredKey(u.Device))
	if err != nil || !ok {
		return 0, err
	}
	return strconv.ParseUint(s, 10, 64)
}

// LastDelivery is when the collector last acknowledged records of this device; zero
// when it never has.
func (u *Uploader) LastDelivery(ctx context.Context) (time.Time, error) {
	s, ok, err := u.Journal.State(ctx, deliveredAtKey(u.Device))
	if err != nil || !ok {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339, s)
}

// Pending counts records the collector has not acknowledged.
func (u *Uploader) Pending(ctx context.Context) (uint64, error) {
	head, _, err := u.Journal.AuditHead(ctx, u.Device)
	if err != nil {
		return 0, err
	}
	done, err := u.Delivered(ctx)
	if err != nil {
		return 0, err
	}
	return head - min(done, head), nil
}

// DeliverOnce sends every pending record, batch by batch, and returns how many the
// collector accepted. Memory is bounded by one batch. An error leaves the mark at the
// last acknowledged record: nothing is lost, and a resend duplicates nothing.
func (u *Uploader) DeliverOnce(ctx context.Context) (int, error) {
	batch := u.Batch
	if batch <= 0 {
		batch = 1000
	}
	sent := 0
	for {
		done, err := u.Delivered(ctx)
		if err != nil {
			return sent, err
		}
		recs, err := u.Journal.AuditRecords(ctx, u.Device, done, batch)
		if err != nil || len(recs) == 0 {
			return sent, err
		}
		// End the batch on a signed head, so the collector can verify all of it with
		// one signature: the highest head inside the batch, or — one commit larger
		// than a batch — the first head after it.
		last := recs[len(recs)-1].Seq
		head, ok, err := u.Journal.AuditHeadAtOrBefore(ctx, u.Device, last)
		if err != nil {
			return sent, err
		}
		if !ok || head.Seq <= done {
			if head, ok, err = u.Journal.AuditHeadAfter(ctx, u.Device, done); err != nil || !ok {
				return sent, err // nothing signed yet
			}
			if recs, err = u.Journal.AuditRecords(ctx, u.Device, done, int(head.Seq-done)); err != nil {
				return sent, err
			}
		}
		cut := head.Seq
		mine, _, err := u.Journal.AuditHead(ctx, u.Device)
		if err != nil {
			return sent, err
		}
		req := api.IngestRequest{Device: u.Device, Heads: []audit.Head{head}, DeviceHead: mine}
		for _, r := range recs {
			if r.Seq > cut {
				break
			}
			req.Records = append(req.Records, string(r.Line))
		}
		var resp api.IngestResponse
		if err := u.post(ctx, api.PathIngest, req, &resp); err != nil {
			return sent, err
		}
		// The device keeps the latest checkpoint, to ask later for proof that its
		// records are in the log and that the log only grew. It is kept before the
		// mark, so that records counted as delivered always have one (a stop in
		// between only resends).
		if resp.Checkpoint != "" {
			if err := u.Journal.SetState(ctx, CheckpointState, resp.Checkpoint); err != nil {
				return sent, err
			}
		}
		if resp.AcceptedThrough > done {
			if err := u.Journal.SetState(ctx, deliveredKey(u.Device), strconv.FormatUint(resp.AcceptedThrough, 10)); err != nil {
				return sent, err
			}
			if err := u.Journal.SetState(ctx, deliveredAtKey(u.Device), time.Now().UTC().Format(time.RFC3339)); err != nil {
				return sent, err
			}
		}
		sent += resp.Accepted
		if resp.Rejected != "" {
			return sent, fmt.Errorf("the collector refused records: %s", resp.Rejected)
		}
		if resp.AcceptedThrough < cut {
			return sent, fmt.Errorf("the collector acknowledged only up to %d of %d", resp.AcceptedThrough, cut)
		}
	}
}

// Run delivers until ctx ends: after each pass it waits every (a minute by default),
// and after a failure backs off exponentially with jitter (1 s doubling to 10 min), so
// a workstation offline for days delivers everything when it is back.
func (u *Uploader) Run(ctx context.Context, every time.Duration, onErr func(error)) {
	if every == 0 {
		every = time.Minute
	}
	backoff := time.Second
	for {
		_, err := u.DeliverOnce(ctx)
		wait := every
		if err != nil {
			if onErr != nil {
				onErr(err)
			}
			wait = backoff/2 + time.Duration(rand.Int64N(int64(backoff)))
			backoff = min(backoff*2, 10*time.Minute)
		} else {
			backoff = time.Second
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Enroll registers the device's public key with a one-time token.
func (u *Uploader) Enroll(ctx context.Context, token string, pub []byte) error {
	var resp api.EnrollResponse
	return u.post(ctx, api.PathEnroll, api.EnrollRequest{Token: token, Device: u.Device, PublicKey: hex.EncodeToString(pub)}, &resp)
}

// DeviceKey asks the collector whether pub is an enrolled (and approved) device's
// key, and whether that device is revoked.
func (u *Uploader) DeviceKey(ctx context.Context, pub []byte) (enrolled, revoked bool, err error) {
	var resp api.DeviceKeyResponse
	if err := u.post(ctx, api.PathDeviceKey, api.DeviceKeyRequest{PublicKey: hex.EncodeToString(pub)}, &resp); err != nil {
		return false, false, err
	}
	return resp.Enrolled, resp.Revoked, nil
}

func (u *Uploader) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(u.URL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := u.Client.Do(req)
	if err != nil {
		return fmt.Errorf("collector %s: %w", u.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, api.MaxBody))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e api.ErrorResponse
		json.Unmarshal(b, &e)
		return fmt.Errorf("collector %s: %s: %s", u.URL, resp.Status, e.Error)
	}
	return json.Unmarshal(b, out)
}

// PostReport asks the collector for one patient reference's records with an auditor
// token; the reference travels in the body.
func PostReport(ctx context.Context, client *http.Client, url, token, ref string) (api.ReportResponse, error) {
	body, _ := json.Marshal(api.ReportRequest{PatientRef: ref})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(url, "/")+api.PathReport, bytes.NewReader(body))
	if err != nil {
		return api.ReportResponse{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return api.ReportResponse{}, err
	}
	defer resp.Body.Close()
	var out api.ReportResponse
	if resp.StatusCode != http.StatusOK {
		var e api.ErrorResponse
		json.NewDecoder(resp.Body).Decode(&e)
		return out, fmt.Errorf("collector: %s: %s", resp.Status, e.Error)
	}
	return out, json.NewDecoder(io.LimitReader(resp.Body, api.MaxBody)).Decode(&out)
}
