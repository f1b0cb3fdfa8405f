//go:build unix

package models

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAFIFOInTheFolderHangsNothing: a named pipe where a model should be is refused
// at once, not waited on.
func TestAFIFOInTheFolderHangsNothing(t *testing.T) {
	dir := t.TempDir()
	writeSpeech(t, dir, "m", map[string]string{"encoder.onnx": "e", "tokens.txt": "t"})
	if err := syscall.Mkfifo(filepath.Join(dir, SpeechDir, "m", "decoder.onnx"), 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.gguf"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &Catalog{Dir: dir, Allowlist: func() []string { return nil }}
	done := make(chan error, 1)
	go func() { done <- c.Scan(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the scan waits on a FIFO")
	}
	if m := speechByName(c)["m"]; m.Status != Malformed {
		t.Errorf("a model with a FIFO: %+v", m)
	}
	if _, err := OpenFile(filepath.Join(dir, "pipe.gguf"), nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("OpenFile of a FIFO: %v", err)
	}
}
