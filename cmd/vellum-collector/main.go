// Command vellum-collector is the hospital's central audit collector: an HTTPS server
// that enrolls devices, verifies and keeps their audit records in one append-only
// log, signs checkpoints, and answers auditors. Run `vellum-collector --help`.
package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/sync/collector"
	"github.com/vellumhealth/vellum/sync/delivery"
)

const usage = `vellum-collector — the hospital's audit collector

Usage:
  vellum-collector serve  [--data DIR] [--store postgres://...] [--addr :8443] [--tls-cert FILE --tls-key FILE]
                          [--origin NAME] [--silent-after 72h] [--alert-webhook URL] [--retention 52560h]
                          [--approve-devices]
  vellum-collector token  [--data DIR] [--store postgres://...] --role enroll|auditor|admin --name NAME [--expires 720h]
  vellum-collector token  [--data DIR] [--store ...] list   |   token [...] revoke ID
  vellum-collector approve-devices [--data DIR] [--store ...] on|off   every collector on the store holds new devices for approval
  vellum-collector approve [--data DIR] [--store ...] DEVICE   let a device awaiting approval deliver
  vellum-collector key    [--data DIR]                     print the checkpoint verifier key
  vellum-collector report [--url URL --ca FILE --token-file FILE] --site-key-file FILE --patient
                          reads the MRN from stdin, sends only its reference

With no flags it serves on :8443 from DIR (/var/lib/vellum-collector as root, else
~/.local/share/vellum-collector) with a self-signed certificate it makes there
(tls-cert.pem: give it to devices as policy collector_ca). The store is
DIR/collector.db (SQLite, encrypted under DIR/store.key, or the systemd credential
store-key; made on first use, readable by the collector's account alone), or
PostgreSQL with --store (several collectors behind a load balancer may share it: one
writer extends the log at a time; keep it on encrypted storage); the checkpoint signing
key is DIR/checkpoint.key. All hold ePHI-grade data (patient references are reversible
by anyone with the site key): readable by the collector's account alone.

Example:
  vellum-collector token --role enroll --name ws-0142 > /secure/ws-0142.token
  vellum-collector serve --tls-cert collector.pem --tls-key collector-key.pem
  vellum-collector serve                       # SQLite, self-signed certificate, :8443
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // systemd stops with SIGTERM
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		var u usageErr
		fmt.Fprintf(os.Stderr, "vellum-collector: %v\n", err)
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageErr struct{ error }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return usageErr{errors.New("which command?")}
		}
		return nil
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultData(), "data directory")
	storeURL := fs.String("store", "", "postgres://... for PostgreSQL (several collectors may share it); default SQLite in the data directory")
	switch args[0] {
	case "serve":
		addr := fs.String("addr", ":8443", "listen address")
		certFile := fs.String("tls-cert", "", "TLS certificate (PEM)")
		keyFile := fs.String("tls-key", "", "TLS key (PEM)")
		origin := fs.String("origin", "vellum-collector", "the log's name in its checkpoints")
		silent := fs.Duration("silent-after", 72*time.Hour, "alert on devices not heard from for this long")
		webhook := fs.String("alert-webhook", "", "POST every alert as JSON to this URL")
		retention := fs.Duration("retention", collector.Retention, "keep record content this long (hashes stay forever)")
		approveDevices := fs.Bool("approve-devices", false, "a device that enrolls waits for an admin's approval (vellum-collector approve) before it may deliver")
		sourceRate := fs.Float64("source-rate", collector.DefaultSourceLimits.Rate, "new connections a second one address (an IPv6 /64) may open; more wait their turn, up to 5 s; a refused request costs 10")
		sourceBurst := fs.Int("source-burst", collector.DefaultSourceLimits.Burst, "new connections one address may open at once after a quiet while")
		sourceOpen := fs.Int("source-max-open", collector.DefaultSourceLimits.MaxOpen, "connections one address may hold open at once (raise it for a terminal server of many sessions)")
		maxOpen := fs.Int("max-open", collector.DefaultSourceLimits.MaxOpenTotal, "connections open at once, all addresses together; keep it under the process's file limit (ulimit -n)")
		if err := fs.Parse(args[1:]); err != nil {
			return usageErr{err}
		}
		if (*certFile == "") != (*keyFile == "") {
			return usageErr{errors.New("serve: give both --tls-cert and --tls-key, or neither")}
		}
		if *certFile == "" {
			// No certificate given: a self-signed one of the collector's own, made once;
			// devices pin it as their collector_ca.
			var err error
			if *certFile, *keyFile, err = selfSigned(*data); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "vellum-collector: serving with the self-signed certificate %s; give devices its PEM as policy collector_ca\n", *certFile)
		}
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return err
		}
		store, signer, err := open(ctx, *data, *storeURL, *origin)
		if err != nil {
			return err
		}
		defer store.Close()
		log := slog.New(slog.NewJSONHandler(stderr, nil))
		if *sourceRate <= 0 || *sourceBurst < 1 || *sourceOpen < 1 || *maxOpen < 1 {
			return usageErr{errors.New("serve: --source-rate must be above 0, and --source-burst, --source-max-open and --max-open at least 1")}
		}
		col := &collector.Collector{Store: store, Signer: signer, SilentAfter: *silent, Log: log, Webhook: *webhook, ApproveDevices: *approveDevices}
		col.SourceLimits = collector.DefaultSourceLimits
		col.SourceLimits.Rate, col.SourceLimits.Burst, col.SourceLimits.MaxOpen = *sourceRate, *sourceBurst, *sourceOpen
		col.SourceLimits.MaxOpenTotal = *maxOpen
		go housekeeping(ctx, col, *retention, log)
		srv := collector.Server(*addr, col, cert, stderr)
		go func() {
			<-ctx.Done()
			// Requests under way get 30 s to finish (a batch being appended commits or
			// is redelivered); then every connection is closed.
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if srv.Shutdown(sctx) != nil {
				srv.Close()
			}
		}()
		log.Info("serving", "addr", *addr, "store", filepath.Join(*data, "collector.db"))
		l, err := col.Listen(*addr)
		if err != nil {
			return err
		}
		if err := srv.ServeTLS(l, "", ""); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case "token":
		role := fs.String("role", "", "enroll, auditor or admin")
		name := fs.String("name", "", "who or what the token is for")
		expires := fs.Duration("expires", 30*24*time.Hour, "the token is refused after this long (0: never)")
		if err := fs.Parse(args[1:]); err != nil {
			return usageErr{err}
		}
		if verb := fs.Arg(0); verb == "list" || verb == "revoke" {
			return tokenAdmin(ctx, *data, *storeURL, verb, fs.Args()[1:], stdout)
		}
		if *role != collector.RoleEnroll && *role != collector.RoleAuditor && *role != collector.RoleAdmin || *name == "" {
			return usageErr{errors.New("token: --role enroll|auditor|admin and --name are required")}
		}
		store, _, err := open(ctx, *data, *storeURL, "")
		if err != nil {
			return err
		}
		defer store.Close()
		b := make([]byte, 24)
		rand.Read(b)
		tok := "vct_" + hex.EncodeToString(b)
		t := collector.Token{Role: *role, Name: *name, Created: time.Now().UTC()}
		if *expires > 0 {
			t.Expires = t.Created.Add(*expires)
		}
		if err := store.AddToken(ctx, collector.TokenHash(tok), t); err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		return nil
	case "approve-devices":
		if err := fs.Parse(args[1:]); err != nil {
			return usageErr{err}
		}
		if v := fs.Arg(0); fs.NArg() != 1 || (v != "on" && v != "off") {
			return usageErr{errors.New("approve-devices: on or off")}
		}
		store, _, err := open(ctx, *data, *storeURL, "")
		if err != nil {
			return err
		}
		defer store.Close()
		if err := store.SetSetting(ctx, collector.SettingApproveDevices, fs.Arg(0)); err != nil {
			return err
		}
		return store.Note(ctx, "admin", "cli", "approve-devices "+fs.Arg(0), time.Now().UTC())
	case "approve":
		if err := fs.Parse(args[1:]); err != nil {
			return usageErr{err}
		}
		if fs.NArg() != 1 {
			return usageErr{errors.New("approve: name one device (d_...)")}
		}
		store, _, err := open(ctx, *data, *storeURL, "")
		if err != nil {
			return err
		}
		defer store.Close()
		if err := store.Approve(ctx, fs.Arg(0)); err != nil {
			return err
		}
		return store.Note(ctx, "admin", "cli", "approved "+fs.Arg(0), time.Now().UTC())
	case "key":
		if err := fs.Parse(args[1:]); err != nil {
			return usageErr{err}
		}
		vkey, err := os.ReadFile(filepath.Join(*data, "checkpoint.pub"))
		if err != nil {
			return fmt.Errorf("no checkpoint key yet (it is made by the first serve or token): %w", err)
		}
		fmt.Fprint(stdout, string(vkey))
		return nil
	case "report":
		url := fs.String("url", "", "collector URL")
		caFile := fs.String("ca", "", "CA certificate of the collector (PEM)")
		tokenFile := fs.String("token-file", "", "file holding an auditor token")
		siteFile := fs.String("site-key-file", "", "file holding the site key (64 hex digits)")
		patient := fs.Bool("patient", false, "report on one patient, MRN read from stdin")
		if err := fs.Parse(args[1:]); err != nil {
			return usageErr{err}
		}
		if !*patient || *url == "" || *caFile == "" || *tokenFile == "" || *siteFile == "" {
			return usageErr{errors.New("report: --patient, --url, --ca, --token-file and --site-key-file are required")}
		}
		return report(ctx, *url, *caFile, *tokenFile, *siteFile, stdin, stdout)
	default:
		return usageErr{fmt.Errorf("unknown command %q", args[0])}
	}
}

func defaultData() string {
	if d := os.Getenv("VELLUM_COLLECTOR_DATA"); d != "" {
		return d
	}
	if os.Geteuid() == 0 {
		return "/var/lib/vellum-collector"
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(filepath.Dir(d), ".local", "share", "vellum-collector")
	}
	return "vellum-collector-data"
}

// selfSigned makes (once) a self-signed ECDSA certificate for localhost and this
// host's name, valid two years, in dir.
func selfSigned(dir string) (certFile, keyFile string, err error) {
	certFile, keyFile = filepath.Join(dir, "tls-cert.pem"), filepath.Join(dir, "tls-key.pem")
	if _, err := os.Stat(certFile); err == nil {
		return certFile, keyFile, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	host, _ := os.Hostname()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "vellum-collector"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(2, 0, 0),
		DNSNames: []string{"localhost", host}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return "", "", err
	}
	return certFile, keyFile, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

// open opens the store and the checkpoint signing key, making both on first use.
// Collectors sharing a PostgreSQL store must share the signing key too (copy
// checkpoint.key to each).
func open(ctx context.Context, dir, storeURL, origin string) (collector.Store, note.Signer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	keyPath := filepath.Join(dir, "checkpoint.key")
	skey, err := os.ReadFile(keyPath)
	if errors.Is(err, os.ErrNotExist) {
		if origin == "" {
			origin = "vellum-collector"
		}
		s, v, err := note.GenerateKey(rand.Reader, origin)
		if err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(keyPath, []byte(s), 0o600); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "checkpoint.pub"), []byte(v+"\n"), 0o644); err != nil {
			return nil, nil, err
		}
		skey = []byte(s)
	} else if err != nil {
		return nil, nil, err
	}
	signer, err := note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint key %s: %w", keyPath, err)
	}
	if strings.HasPrefix(storeURL, "postgres://") || strings.HasPrefix(storeURL, "postgresql://") {
		store, err := collector.OpenPostgres(ctx, storeURL)
		return store, signer, err
	}
	if storeURL != "" {
		return nil, nil, fmt.Errorf("--store: want postgres://..., got %q", storeURL)
	}
	key, err := storeKey(dir)
	if err != nil {
		return nil, nil, err
	}
	store, err := collector.OpenSQLite(filepath.Join(dir, "collector.db"), key)
	if err != nil {
		return nil, nil, err
	}
	return store, signer, nil
}

// makeStoreKey writes a new key to path, durably and only if none is there: written
// to a temporary file and synced, linked into place (which fails if another process
// got there first: its key stands), and the folder synced, so that the store is never
// encrypted under a key a crash or a race could lose.
func makeStoreKey(path string) error {
	k := make([]byte, collector.StoreKeySize)
	if _, err := rand.Read(k); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".store.key.*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	_, err = tmp.WriteString(hex.EncodeToString(k) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("store key: %w", err)
	}
	if runtime.GOOS == "windows" {
		return nil // NTFS journals the link; a folder cannot be synced there
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// storeKey is the embedded store's key: the systemd credential store-key where the
// service runs with one (LoadCredential=store-key:...), else DIR/store.key, made on
// first use. Either must be readable by the collector's account alone: a key others
// can read is refused, not used.
func storeKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "store.key")
	if cd := os.Getenv("CREDENTIALS_DIRECTORY"); cd != "" {
		if _, err := os.Stat(filepath.Join(cd, "store-key")); err == nil {
			path = filepath.Join(cd, "store-key")
		}
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && filepath.Dir(path) == dir {
		if err := makeStoreKey(path); err != nil {
			return nil, err
		}
		b, err = os.ReadFile(path) // whichever process made it first: the one on disk
	}
	if err != nil {
		return nil, fmt.Errorf("store key: %w", err)
	}
	if st, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("store key %s is readable by others (mode %v): make it readable by the collector's account alone (chmod 600)", path, st.Mode().Perm())
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) != collector.StoreKeySize {
		return nil, fmt.Errorf("store key %s: want %d bytes as hex", path, collector.StoreKeySize)
	}
	return k, nil
}

// report hashes the MRN from stdin with the site key and asks for that reference's
// records, in the request body: the MRN never leaves this process.
func report(ctx context.Context, url, caFile, tokenFile, siteFile string, stdin io.Reader, stdout io.Writer) error {
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	tok, err := os.ReadFile(tokenFile)
	if err != nil {
		return err
	}
	siteHex, err := os.ReadFile(siteFile)
	if err != nil {
		return err
	}
	site, err := hex.DecodeString(strings.TrimSpace(string(siteHex)))
	if err != nil || len(site) != 32 {
		return errors.New("the site key file must hold 64 hex digits")
	}
	mrn, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && mrn == "" {
		return errors.New("no MRN on stdin")
	}
	ref := audit.PatientRef(site, strings.TrimSpace(mrn))
	if ref == "" {
		return errors.New("empty MRN")
	}
	client, err := delivery.ClientFor(string(ca))
	if err != nil {
		return err
	}
	resp, err := delivery.PostReport(ctx, client, url, strings.TrimSpace(string(tok)), ref)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d records for this patient (log size %d)\n", len(resp.Records), resp.TreeSize)
	for _, e := range resp.Records {
		r, err := audit.Decode([]byte(e.Record))
		if err != nil {
			return fmt.Errorf("record %d from the collector: %w", e.Index, err)
		}
		fmt.Fprintf(stdout, "%s  %-20s %-22s %-8s %s %s %s\n", r.Time, r.Device, r.Action, r.Outcome, r.User, r.Role, r.Object.ID)
	}
	fmt.Fprintf(stdout, "\n%s", resp.Checkpoint)
	return nil
}

// housekeeping alerts on silent devices every ten minutes and applies retention daily.
func housekeeping(ctx context.Context, col *collector.Collector, retention time.Duration, log *slog.Logger) {
	alerted := map[string]bool{}
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	lastPurge := time.Time{}
	for {
		if err := col.CheckSilent(ctx, alerted); err != nil {
			log.Error("silent-device check", "err", err)
		}
		if time.Since(lastPurge) > 24*time.Hour {
			if n, err := col.Purge(ctx, retention); err != nil {
				log.Error("retention purge", "err", err)
			} else {
				log.Info("retention purge", "records", n)
				lastPurge = time.Now()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// tokenAdmin lists the tokens (never the tokens themselves: ids, roles, names, times)
// or revokes one by id.
func tokenAdmin(ctx context.Context, data, storeURL, verb string, args []string, stdout io.Writer) error {
	store, _, err := open(ctx, data, storeURL, "")
	if err != nil {
		return err
	}
	defer store.Close()
	if verb == "revoke" {
		if len(args) != 1 {
			return usageErr{errors.New("token revoke: name one token id (token list shows them)")}
		}
		if err := store.RevokeToken(ctx, args[0]); err != nil {
			return err
		}
		return store.Note(ctx, "admin", "cli", "revoked token "+args[0], time.Now().UTC())
	}
	tokens, err := store.Tokens(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tNAME\tCREATED\tEXPIRES\tSTATE")
	for _, t := range tokens {
		state := "active"
		switch {
		case t.Revoked:
			state = "revoked"
		case t.Spent:
			state = "spent"
		case !t.Expires.IsZero() && !time.Now().Before(t.Expires):
			state = "expired"
		}
		exp := "never"
		if !t.Expires.IsZero() {
			exp = t.Expires.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Name, t.Created.Format(time.RFC3339), exp, state)
	}
	return tw.Flush()
}
