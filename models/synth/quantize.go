package synth

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/vellumhealth/vellum/models"
)

// Quantize runs llama.cpp's llama-quantize (the binary at bin, which `make llama`
// puts in $VELLUM_LLAMA/bin) to convert the model at in to the type typ, as
// llama-quantize names types ("Q4_K_M", "Q8_0"), writing out. It checks that the
// result is a whole GGUF file of that type; out appears only then. The error of a
// failed run ends with the tail of llama-quantize's output, which says why.
func Quantize(ctx context.Context, bin, in, out, typ string) (err error) {
	tmp := out + ".tmp"
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	var log tail
	cmd := exec.CommandContext(ctx, bin, in, tmp, typ)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("quantize %s to %s: %w", in, typ, ctx.Err())
		}
		return fmt.Errorf("quantize %s to %s with %s: %w; it said:\n%s", in, typ, bin, err, log.String())
	}
	if err := checkType(tmp, typ); err != nil {
		return fmt.Errorf("quantize %s to %s: llama-quantize exited 0, but %w", in, typ, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("quantize %s to %s: %w", in, typ, err)
	}
	return nil
}

func checkType(path, typ string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	h, err := models.ReadHeader(f, fi.Size())
	if err != nil {
		return fmt.Errorf("the result is unreadable: %w", err)
	}
	if !strings.EqualFold(h.FileType, typ) {
		return fmt.Errorf("the result is of type %s", h.FileType)
	}
	return nil
}

// tail keeps the last bytes written to it: llama-quantize prints a line per tensor,
// and the reason it failed is at the end.
type tail struct{ b []byte }

const tailBytes = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*tailBytes {
		t.b = append(t.b[:0], t.b[len(t.b)-tailBytes:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	b := t.b
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
		if i := strings.IndexByte(string(b), '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return strings.TrimSpace(string(b))
}
