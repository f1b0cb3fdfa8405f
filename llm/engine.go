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
	// error, or ctx's end (honoured within one token). An engine keeps what it last
	// computed: a prompt that begins like the previous prompt and its output reuses
	// that much of the work (Result.CachedTokens).
	Generate(ctx context.Context, prompt string, p Sampling, emit func(piece string) error) (Result, error)
	// Chat formats messages with the model's own chat template (from the model file),
	// ending where the assistant's reply begins. It returns ErrNoChatTemplate when the
	// model has none, or one the engine cannot apply.
	Chat(msgs []Message) (string, error)
	// Info describes the loaded model and where it runs.
	Info() Info
	Close() error
}

// Message is one turn of a chat: Role is "system", "user" or "assistant".
type Message struct {
	Role    string
	Content string
}

// Info describes a loaded model, for the status bar and the audit record.
type Info struct {
	Model        string // llama.cpp's description: architecture, size, quantization
	Params       uint64
	Bytes        uint64
	Device       string // "CPU", or the GPU's name
	GPULayers    int    // layers offloaded to the GPU
	Context      int    // tokens
	Batch        int
	Threads      int
	FlashAttn    string // "auto", "on" or "off"
	ChatTemplate bool
}

// Sampling says how tokens are chosen. Temperature 0 is greedy: deterministic.
type Sampling struct {
	Temperature   float32
	TopP          float32 // 0: off
	RepeatPenalty float32 // 0 or 1: off
	Seed          uint32
	MaxTokens     int
	Stop          []string
	// Grammar, when set, constrains the output to a GBNF grammar (root rule "root"):
	// see JSONGrammar.
	Grammar string
	// Progress, when set, hears how far the prompt has been read: done of total
	// tokens, those reused from the cache counted as done. Reading a long prompt is
	// most of the wait before the first token on a CPU. It runs on the inference
	// thread, between batches: it must return at once and not call the engine.
	Progress func(done, total int)
}

// Result describes one generation.
type Result struct {
	PromptTokens int
	// CachedTokens of the prompt were already computed by an earlier call and reused.
	CachedTokens int
	Tokens       int
	// StopReason is "eog", "max_tokens", "stop_sequence" or "cancelled".
	StopReason string
}

var (
	// ErrNoEngine: this build has no inference engine (built without llama.cpp).
	ErrNoEngine = errors.New("this build of Vellum has no inference engine (build with `make build`, which includes llama.cpp)")
	// ErrNoChatTemplate: the model carries no chat template the engine can apply;
	// drafting then uses a plain-text frame.
	ErrNoChatTemplate = errors.New("the model has no usable chat template")
	// ErrEngineFailed: the engine hit an error it cannot recover from (llama.cpp
	// could not allocate as it planned its work); it refuses further requests, and
	// the model must be loaded again.
	ErrEngineFailed = errors.New("the inference engine failed; the model must be loaded again")
	// ErrGrammar: a grammar the engine could not parse.
	ErrGrammar = errors.New("the output grammar is not valid GBNF")
)
