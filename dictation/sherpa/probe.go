package sherpa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// sherpa-onnx ends the process (abort, or exit) on a model file it cannot parse, or
// one of another kind than it was told; it does not return an error. A model on the
// allowlist is the file IT approved, byte for byte, but IT may have approved a
// broken one, and the desktop must not take a physician's unsaved work down with it.
// So a recogniser is first loaded in a child process — this binary again, started
// with probeEnv set — and loaded here only once that child has loaded it and exited
// cleanly.

const probeEnv = "VELLUM_SPEECH_PROBE"

// probeArg is the child's one argument: a binary that does not call RunProbe fails
// on it as an unknown command, rather than opening its window.
const probeArg = "__vellum-speech-probe"

// probeWait bounds a probe: loading a model takes seconds, not minutes.
const probeWait = 2 * time.Minute

type probeRequest struct {
	Transducer *TransducerConfig `json:",omitempty"`
	Whisper    *WhisperConfig    `json:",omitempty"`
}

// LoadTransducer is NewTransducer, once a child process has shown that sherpa-onnx
// loads the model without ending the process.
func LoadTransducer(ctx context.Context, cfg TransducerConfig) (*Transducer, error) {
	if err := probe(ctx, probeRequest{Transducer: &cfg}, cfg.Dir); err != nil {
		return nil, err
	}
	return NewTransducer(cfg)
}

// LoadWhisper is NewWhisper, once a child process has shown that sherpa-onnx loads
// the model without ending the process.
func LoadWhisper(ctx context.Context, cfg WhisperConfig) (*Whisper, error) {
	if err := probe(ctx, probeRequest{Whisper: &cfg}, cfg.Dir); err != nil {
		return nil, err
	}
	return NewWhisper(cfg)
}

func probe(ctx context.Context, req probeRequest, dir string) error {
	exe, err := os.Executable()
	if runtime.GOOS == "linux" {
		// The running binary itself, even if an upgrade has replaced its file since.
		exe, err = "/proc/self/exe", nil
	}
	if err != nil {
		return fmt.Errorf("%w: cannot check the model in a child process: %v", ErrModel, err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, probeWait)
	defer cancel()
	cmd := exec.CommandContext(pctx, exe, probeArg)
	cmd.Env = append(os.Environ(), probeEnv+"=1")
	cmd.Stdin = bytes.NewReader(body)
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: cannot start a child process to check the model: %v", ErrModel, err)
	}
	err = cmd.Wait()
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err() // the caller gave up
	}
	// The child's own words (a digest refused, a file missing) come first; else say
	// how it ended.
	if msg := strings.TrimSpace(out.String()); strings.HasPrefix(msg, ErrModel.Error()) {
		return fmt.Errorf("%w%s", ErrModel, strings.TrimPrefix(firstLine(msg), ErrModel.Error()))
	}
	how := "ended: " + err.Error()
	if errors.Is(pctx.Err(), context.DeadlineExceeded) {
		how = fmt.Sprintf("did not finish within %v", probeWait)
	}
	return fmt.Errorf("%w: sherpa-onnx cannot load the model in %s (a child process that tried to load it %s): a file may be corrupt, or the model is not of the kind its folder says", ErrModel, dir, how)
}

// RunProbe, where this process was started to check a model, loads the model named
// on stdin and exits: 0 if it loaded, 1 with the reason on stderr if it was refused,
// and however sherpa-onnx ends it if it could not. Elsewhere it returns at once. The
// binary calls it first thing in main (and a test binary in TestMain).
func RunProbe() {
	if os.Getenv(probeEnv) == "" || len(os.Args) != 2 || os.Args[1] != probeArg {
		return
	}
	var req probeRequest
	if err := json.NewDecoder(io.LimitReader(os.Stdin, 1<<20)).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "speech probe:", err)
		os.Exit(2)
	}
	var err error
	switch {
	case req.Transducer != nil:
		var t *Transducer
		if t, err = NewTransducer(*req.Transducer); err == nil {
			t.Close()
		}
	case req.Whisper != nil:
		var w *Whisper
		if w, err = NewWhisper(*req.Whisper); err == nil {
			w.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// limitedBuffer keeps the first 4 KiB a child writes: enough for its reason.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
