package vault

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"
)

// The kill test: a child process adds notes and prints each id once AddNote has
// returned; the parent kills it with SIGKILL at a random moment. Every printed note must
// be there, whole, and the database must pass integrity_check.

const crashChildEnv = "VELLUM_VAULT_CRASH_CHILD_DIR"

func crashBody(i int) string {
	return strings.Repeat(fmt.Sprintf("synthetic body line %d. ", i), 80)
}

// crashChild runs in the child process (TestMain dispatches to it). In "notes" mode it
// adds notes, in "rekey" mode it rekeys over and over, printing a line after each
// operation returns.
func crashChild() {
	ctx := context.Background()
	o := Options{Dir: os.Getenv(crashChildEnv), Recipient: os.Getenv(crashChildRecipientEnv)}
	v, err := Open(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		line := fmt.Sprintf("rekeyed %d", i)
		if o.Recipient != "" {
			err = v.Rekey(ctx)
		} else {
			var n Note
			n, err = v.AddNote(ctx, NewNote{Title: fmt.Sprintf("crash %d", i), Body: crashBody(i), Author: "dr.synthetic"})
			line = fmt.Sprintf("%s %d", n.ID, i)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		fmt.Fprintln(out, line)
		out.Flush()
	}
}

const crashChildRecipientEnv = "VELLUM_VAULT_CRASH_CHILD_RECIPIENT"

// killAfter starts the crash child and SIGKILLs it after it has acknowledged n
// operations: it is then somewhere inside the next one, at a moment the parent does not
// choose. It returns the acknowledged lines.
func killAfter(t *testing.T, env []string, n int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) == n {
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	cmd.Wait()
	if len(lines) < n {
		t.Fatalf("child stopped by itself after %d operations: %s", len(lines), stderr.String())
	}
	return lines
}

func TestKilledWriterLosesNoCommittedNote(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	ctx := context.Background()
	v, o := testVault(t, Options{})
	v.Close()
	committed := map[string]int{}
	rng := rand.New(rand.NewPCG(1, uint64(os.Getpid())))
	const rounds = 50
	for round := 0; round < rounds; round++ {
		for _, line := range killAfter(t, []string{crashChildEnv + "=" + o.Dir}, 1+rng.IntN(40)) {
			var id string
			var i int
			if _, err := fmt.Sscanf(line, "%s %d", &id, &i); err != nil {
				t.Fatalf("child printed %q", line)
			}
			committed[id] = i
		}
	}

	v, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	in, err := v.Check(ctx)
	if err != nil {
		t.Fatalf("after %d kills: %v", rounds, err)
	}
	for id, i := range committed {
		n, err := v.Note(ctx, id)
		if err != nil {
			t.Fatalf("acknowledged note %s lost: %v", id, err)
		}
		if n.Body != crashBody(i) {
			t.Fatalf("note %s is not whole", id)
		}
	}
	all, _ := v.Notes(ctx, Filter{})
	for _, n := range all {
		full, _ := v.Note(ctx, n.ID)
		var i int
		fmt.Sscanf(full.Title, "crash %d", &i)
		if full.Body != crashBody(i) {
			t.Fatalf("half-written note %s visible", n.ID)
		}
	}
	t.Logf("%d kills, %d acknowledged notes all present, %d notes in all, integrity %s", rounds, len(committed), in.Notes, in.Integrity)
}

// TestKilledRekeyLosesNothing kills a process in the middle of rekeying, 20 times: each
// time the next Open must settle the vault under one of the two keys, every note must
// be there, and the escrow must still recover the key that opens it.
func TestKilledRekeyLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	ctx := context.Background()
	id, rcpt := newIdentity(t)
	v, o := testVault(t, Options{Recipient: rcpt})
	notes := addNotes(t, v, 30)
	v.Close()
	rng := rand.New(rand.NewPCG(2, uint64(os.Getpid())))
	rekeys := 0
	for round := 0; round < 20; round++ {
		rekeys += len(killAfter(t, []string{crashChildEnv + "=" + o.Dir, crashChildRecipientEnv + "=" + rcpt}, 1+rng.IntN(3)))
		v, err := Open(ctx, o)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if _, err := v.Check(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for _, n := range notes {
			if got, err := v.Note(ctx, n.ID); err != nil || got.Body != n.Body {
				t.Fatalf("round %d: note %s: %v", round, n.ID, err)
			}
		}
		v.Close()
		// The escrow on disk recovers the key that opens the vault now.
		(SystemKeychain{}).Delete(ctx, keychainAccount(v.ID()))
		if err := Recover(ctx, o, []age.Identity{id}); err != nil {
			t.Fatalf("round %d: recover: %v", round, err)
		}
	}
	t.Logf("20 kills during rekey after %d completed rekeys: every note present, escrow current", rekeys)
}
