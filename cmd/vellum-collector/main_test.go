package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestTheStoreKeyIsTheCollectorsAlone: the key is made on first use, readable by its
// owner alone, the same afterwards; a key others can read is refused; a systemd
// credential takes precedence.
func TestTheStoreKeyIsTheCollectorsAlone(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	k1, err := storeKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, "store.key"))
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("made with mode %v", st.Mode().Perm())
	}
	if k2, err := storeKey(dir); err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second read: %v", err)
	}
	if runtime.GOOS != "windows" {
		os.Chmod(filepath.Join(dir, "store.key"), 0o644)
		if _, err := storeKey(dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
			t.Fatalf("a key others can read: %v", err)
		}
	}
	cred := t.TempDir()
	os.WriteFile(filepath.Join(cred, "store-key"), []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	t.Setenv("CREDENTIALS_DIRECTORY", cred)
	if k, err := storeKey(dir); err != nil || k[0] != 0xab {
		t.Fatalf("the systemd credential: %x, %v", k, err)
	}
}

// TestTokensThroughTheCommand: a token is printed once, listed by id with its role and
// name (never the token), and revoked by id.
func TestTokensThroughTheCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	var out bytes.Buffer
	if err := run(ctx, []string{"token", "--data", dir, "--role", "auditor", "--name", "c.officer", "--expires", "24h"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	tok := strings.TrimSpace(out.String())
	out.Reset()
	if err := run(ctx, []string{"token", "--data", dir, "list"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	list := out.String()
	if strings.Contains(list, tok) || !strings.Contains(list, "c.officer") || !strings.Contains(list, "active") {
		t.Fatalf("token list:\n%s", list)
	}
	id := strings.Fields(strings.Split(list, "\n")[1])[0]
	if err := run(ctx, []string{"token", "--data", dir, "revoke", id}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	run(ctx, []string{"token", "--data", dir, "list"}, nil, &out, io.Discard)
	if !strings.Contains(out.String(), "revoked") {
		t.Fatalf("after revoke:\n%s", out.String())
	}
}
