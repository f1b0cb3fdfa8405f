package llamacpp

import (
	"errors"
	"fmt"
)

// Options configure a load; zero values mean automatic.
type Options struct {
	// Threads: 0 uses the physical cores.
	Threads int
	// Context in tokens: 0 uses the model's trained context, capped at DefaultContextCap.
	Context int
	// Batch: prompt tokens decoded per step; 0 uses DefaultBatch.
	Batch int
	// GPULayers: 0 offloads every layer that fits; n offloads n. CPUOnly offloads none.
	GPULayers int
	CPUOnly   bool
	// FlashAttention: "auto" (or empty), "on" or "off".
	FlashAttention string
	// SampleOnHost samples on the CPU even where llama.cpp could sample on the model's
	// device (every request without a grammar): for comparison, and as a way out
	// should the device sampler misbehave. Greedy output is the same token for token.
	SampleOnHost bool
	// Progress, when set, is called as the weights load with the fraction done (0 to
	// 1); returning false cancels the load, and Load returns ErrLoadCancelled. It runs
	// on the inference thread: it must return quickly and not call into this package.
	Progress func(done float64) bool
}

// ErrLoadCancelled: Options.Progress asked to stop the load.
var ErrLoadCancelled = errors.New("model load cancelled")

const (
	// DefaultContextCap bounds the automatic context: 8,192 tokens hold a long
	// dictation, the template and the note, and the KV cache of a 1-3B model for it
	// fits a workstation GPU or RAM beside everything else the physician runs.
	DefaultContextCap = 8192
	// DefaultBatch is llama.cpp's own default physical batch.
	DefaultBatch = 512
)

func (o Options) check() error {
	switch o.FlashAttention {
	case "", "auto", "on", "off":
	default:
		return fmt.Errorf("flash attention %q: want auto, on or off", o.FlashAttention)
	}
	if o.Threads < 0 || o.Context < 0 || o.Batch < 0 || o.GPULayers < 0 {
		return fmt.Errorf("inference options must not be negative: %+v", o)
	}
	return nil
}
