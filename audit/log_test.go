package audit_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/vault"
	"github.com/vellumhealth/vellum/vault/vaulttest"
)

func openLog(t testing.TB, v *vault.Vault) (*audit.Log, audit.DeviceKey) {
	key, _, err := audit.LoadDeviceKey(context.Background(), vault.SystemKeychain{}, v.ID(), vault.ErrKeyMissing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vault.SystemKeychain{}.Delete(context.Background(), audit.DeviceKeyAccount(v.ID())) })
	site := []byte("0123456789abcdef0123456789abcdef")
	l, err := audit.Open(context.Background(), v, key, func() []byte { return site }, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, key
}

func verifyAll(t testing.TB, v *vault.Vault, key audit.DeviceKey) audit.Verified {
	t.Helper()
	ctx := context.Background()
	recs, err := v.AuditRecords(ctx, key.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	heads, err := v.AuditHeads(ctx, key.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	lines := make([][]byte, len(recs))
	for i, r := range recs {
		lines[i] = r.Line
	}
	got, err := audit.Verify(key.Public(), key.ID, audit.Anchor{}, lines, heads)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestConcurrentAppendsAreDurableChainedAndSigned(t *testing.T) {
	ctx := context.Background()
	v := vaulttest.New(t, vault.Options{})
	l, key := openLog(t, v)
	const writers, each = 16, 50
	var wg sync.WaitGroup
	seen := sync.Map{}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				r, err := l.Append(ctx, audit.Entry{User: "u_w", Role: "physician", Action: audit.NoteView,
					Object: audit.Object{Type: "note", ID: fmt.Sprintf("n_%d_%d", w, i)}, MRN: "SYN-1", Outcome: audit.OK})
				if err != nil {
					t.Error(err)
					return
				}
				if _, dup := seen.LoadOrStore(r.Seq, true); dup {
					t.Errorf("seq %d handed out twice", r.Seq)
				}
			}
		}(w)
	}
	wg.Wait()
	got := verifyAll(t, v, key)
	if got.Records != writers*each {
		t.Fatalf("%d records verified, want %d", got.Records, writers*each)
	}
	heads, _ := v.AuditHeads(ctx, key.ID, 0)
	t.Logf("%d records in %d group commits", got.Records, len(heads))
	// A reopened log continues the chain.
	l.Close()
	l2, err := audit.Open(ctx, v, key, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	r, err := l2.Append(ctx, audit.Entry{Action: audit.PolicyChanged, Outcome: audit.OK})
	if err != nil || r.Seq != writers*each+1 {
		t.Fatalf("append after reopen: seq %d, %v", r.Seq, err)
	}
	verifyAll(t, v, key)
}

func TestEntriesThatCouldCarryPHIAreRefused(t *testing.T) {
	ctx := context.Background()
	v := vaulttest.New(t, vault.Options{})
	l, key := openLog(t, v)
	bad := []audit.Entry{
		{Action: audit.NoteView, Outcome: audit.OK, Details: map[string]string{"title": "Chest pain — Zebediah Quillfeather"}},
		{Action: audit.NoteView, Outcome: audit.OK, Details: map[string]string{"Chief complaint": "x"}},
		{Action: audit.NoteView, Outcome: audit.OK, Object: audit.Object{ID: strings.Repeat("x", 300)}},
	}
	for _, e := range bad {
		if _, err := l.Append(ctx, e); err == nil {
			t.Errorf("appended %+v", e)
		}
	}
	// The log goes on: the refused entries took no sequence numbers.
	r, err := l.Append(ctx, audit.Entry{Action: audit.NoteView, Outcome: audit.OK})
	if err != nil || r.Seq != 1 {
		t.Fatalf("after refusals: seq %d, %v", r.Seq, err)
	}
	verifyAll(t, v, key)
}

// The kill test, as the vault's: a child appends, printing each seq once Append has
// returned; the parent kills it at random moments. Every acknowledged record must be
// there and the chain must verify.
const childEnv = "VELLUM_AUDIT_KILL_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		killChild(dir)
		return
	}
	os.Exit(m.Run())
}

func killChild(dir string) {
	ctx := context.Background()
	v, err := vault.Open(ctx, vault.Options{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	key, _, err := audit.LoadDeviceKey(ctx, vault.SystemKeychain{}, v.ID(), vault.ErrKeyMissing)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	l, err := audit.Open(ctx, v, key, nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	for w := 0; w < 4; w++ {
		go func() {
			for {
				r, err := l.Append(ctx, audit.Entry{User: "u_k", Action: audit.NoteView, Outcome: audit.OK})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(4)
				}
				mu.Lock()
				fmt.Fprintln(out, r.Seq)
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	select {}
}

func TestKilledAppenderLosesNoAcknowledgedRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	v := vaulttest.New(t, vault.Options{Dir: filepath.Join(t.TempDir(), "p")})
	dir := v.Dir()
	v.Close()
	acked := uint64(0)
	rng := rand.New(rand.NewPCG(3, uint64(os.Getpid())))
	for round := 0; round < 50; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		n, stop := 0, 1+rng.IntN(60)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var s uint64
			fmt.Sscan(sc.Text(), &s)
			acked = max(acked, s)
			if n++; n == stop {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		cmd.Wait()
		if n < stop {
			t.Fatalf("round %d: child stopped by itself: %s", round, stderr.String())
		}
	}
	v2, err := vault.Open(context.Background(), vault.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	key, _, _ := audit.LoadDeviceKey(context.Background(), vault.SystemKeychain{}, v2.ID(), vault.ErrKeyMissing)
	defer vault.SystemKeychain{}.Delete(context.Background(), audit.DeviceKeyAccount(v2.ID()))
	got := verifyAll(t, v2, key)
	if got.Last.Seq < acked {
		t.Fatalf("acknowledged record %d lost: the journal ends at %d", acked, got.Last.Seq)
	}
	t.Logf("50 kills: %d records, every acknowledged one present, chain and signatures verify", got.Records)
	_ = time.Second
}

// TestTwoProcessesAppendToOneJournal: two logs over two handles of one vault (as a
// scheduled purge and an interactive command would be) append at once; every append
// succeeds and the journal is one verifiable chain.
func TestTwoProcessesAppendToOneJournal(t *testing.T) {
	ctx := context.Background()
	v1 := vaulttest.New(t, vault.Options{})
	l1, key := openLog(t, v1)
	v2, err := vault.Open(ctx, vault.Options{Dir: v1.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	l2, err := audit.Open(ctx, v2, key, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	var wg sync.WaitGroup
	for _, l := range []*audit.Log{l1, l2} {
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 25; i++ {
					if _, err := l.Append(ctx, audit.Entry{Action: audit.NoteView, Outcome: audit.OK}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	if got := verifyAll(t, v1, key); got.Records != 200 {
		t.Fatalf("%d records, want 200", got.Records)
	}
}
