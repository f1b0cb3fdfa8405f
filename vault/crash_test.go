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
)

// The kill test: a child process adds notes and prints each id once AddNote has
// returned; the parent kills it with SIGKILL at a random moment. Every printed note must
// be there, whole, and the database must pass integrity_check.

const crashChildEnv = "VELLUM_VAULT_CRASH_CHILD_DIR"

func crashBody(i int) string {
	return strings.Repeat(fmt.Sprintf("synthetic body line %d. ", i), 80)
}

// crashChild runs in the child process (TestMain dispatches to it).
func crashChild() {
	ctx := context.Background()
	v, err := Open(ctx, Options{Dir: os.Getenv(crashChildEnv)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		n, err := v.AddNote(ctx, NewNote{Title: fmt.Sprintf("crash %d", i), Body: crashBody(i), Author: "dr.synthetic"})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		fmt.Fprintf(out, "%s %d\n", n.ID, i)
		out.Flush()
	}
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
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+o.Dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after a random number of acknowledged notes: the child is then somewhere
		// inside its next AddNote, at a moment this process does not choose.
		killAfter := 1 + rng.IntN(40)
		sc := bufio.NewScanner(stdout)
		seen := 0
		for sc.Scan() {
			var id string
			var i int
			if _, err := fmt.Sscanf(sc.Text(), "%s %d", &id, &i); err != nil {
				t.Fatalf("child printed %q", sc.Text())
			}
			committed[id] = i
			if seen++; seen == killAfter {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		cmd.Wait()
		if seen < killAfter {
			t.Fatalf("round %d: child stopped by itself after %d notes: %s", round, seen, stderr.String())
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
	all, _ := v.Notes(ctx, 0)
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
