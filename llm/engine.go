package llm

import (
	"context"
	"errors"
)

// Engine runs one loaded model. The llama.cpp binding (llm/llamacpp) implements it;
// drafting code depends on this interface only.
type Engine interface {
	// Generate continues prompt, calling emit with each piece of text as it is
	// produced, until an end-of-generation token, MaxTokens, a stop sequence, emit's
	// error, or ctx's end (honoured within one token).
	Generate(ctx context.Context, prompt string, p Sampling, emit func(piece string) error) (Result, error)
	Close() error
}

// Sampling says how tokens are chosen. Temperature 0 is greedy: deterministic.
type Sampling struct {
	Temperature   float32
	TopP          float32 // 0: off
	RepeatPenalty float32 // 0 or 1: off
	Seed          uint32
	MaxTokens     int
	Stop          []string
}

// Result describes one generation.
type Result struct {
	PromptTokens int
	Tokens       int
	// StopReason is "eog", "max_tokens", "stop_sequence" or "cancelled".
	StopReason string
}

// ErrNoEngine: this build has no inference engine (built without llama.cpp).
var ErrNoEngine = errors.New("this build of Vellum has no inference engine (build with `make build`, which includes llama.cpp)")
