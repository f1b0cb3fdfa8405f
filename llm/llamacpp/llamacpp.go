//go:build llamacpp

package llamacpp

/*
#cgo LDFLAGS: -lllama -lggml -lggml-cpu -lggml-base -lstdc++ -lm -lgomp -lpthread
#include <stdlib.h>
#include <llama.h>

static void vellum_quiet_log(enum ggml_log_level level, const char * text, void * user_data) {}
static void vellum_quiet(void) { llama_log_set(vellum_quiet_log, NULL); }
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/vellumhealth/vellum/llm"
)

// Options configure a load; zero values mean automatic (physical cores, the model's
// context capped at 8192, every layer on the GPU that fits).
type Options struct {
	Threads   int
	Context   int
	GPULayers int
}

var initOnce sync.Once

// engine is one model and one context; Generate calls are serialised.
type engine struct {
	mu    sync.Mutex
	model *C.struct_llama_model
	ctx   *C.struct_llama_context
	vocab *C.struct_llama_vocab
	nCtx  int
}

// Load loads the GGUF model at path. Open the model through models.Open and pass its
// LoadPath, so that the bytes loaded are the bytes verified.
func Load(path string, o Options) (llm.Engine, error) {
	if err := CheckCPU(); err != nil {
		return nil, err
	}
	initOnce.Do(func() {
		C.vellum_quiet()
		C.llama_backend_init()
	})
	mp := C.llama_model_default_params()
	mp.n_gpu_layers = C.int32_t(999)
	if o.GPULayers > 0 {
		mp.n_gpu_layers = C.int32_t(o.GPULayers)
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	model := C.llama_model_load_from_file(cpath, mp)
	if model == nil {
		return nil, fmt.Errorf("llama.cpp could not load %s (not a model it supports, or out of memory)", path)
	}
	e := &engine{model: model, vocab: C.llama_model_get_vocab(model)}
	cp := C.llama_context_default_params()
	n := o.Context
	if n <= 0 {
		n = int(C.llama_model_n_ctx_train(model))
		n = min(n, 8192)
	}
	threads := o.Threads
	if threads <= 0 {
		threads = max(1, runtime.NumCPU())
	}
	cp.n_ctx = C.uint32_t(n)
	cp.n_batch = C.uint32_t(n)
	cp.n_threads = C.int32_t(threads)
	cp.n_threads_batch = C.int32_t(threads)
	e.ctx = C.llama_init_from_model(model, cp)
	if e.ctx == nil {
		C.llama_model_free(model)
		return nil, errors.New("llama.cpp could not create a context (out of memory?)")
	}
	e.nCtx = int(C.llama_n_ctx(e.ctx))
	return e, nil
}

func (e *engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ctx != nil {
		C.llama_free(e.ctx)
		e.ctx = nil
	}
	if e.model != nil {
		C.llama_model_free(e.model)
		e.model = nil
	}
	return nil
}

func (e *engine) tokenize(text string, addSpecial bool) ([]C.llama_token, error) {
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	buf := make([]C.llama_token, len(text)+8)
	n := C.llama_tokenize(e.vocab, ctext, C.int32_t(len(text)), &buf[0], C.int32_t(len(buf)), C.bool(addSpecial), C.bool(true))
	if n < 0 {
		return nil, errors.New("tokenize: the text is too long")
	}
	return buf[:n], nil
}

func (e *engine) piece(tok C.llama_token) string {
	buf := make([]byte, 256)
	n := C.llama_token_to_piece(e.vocab, tok, (*C.char)(unsafe.Pointer(&buf[0])), C.int32_t(len(buf)), 0, C.bool(false))
	if n < 0 {
		buf = make([]byte, -n)
		n = C.llama_token_to_piece(e.vocab, tok, (*C.char)(unsafe.Pointer(&buf[0])), C.int32_t(len(buf)), 0, C.bool(false))
	}
	return string(buf[:max(0, int(n))])
}

func (e *engine) sampler(p llm.Sampling) *C.struct_llama_sampler {
	chain := C.llama_sampler_chain_init(C.llama_sampler_chain_default_params())
	if p.RepeatPenalty > 0 && p.RepeatPenalty != 1 {
		C.llama_sampler_chain_add(chain, C.llama_sampler_init_penalties(C.llama_vocab_n_tokens(e.vocab), 64, C.float(p.RepeatPenalty), 0, 0))
	}
	if p.Temperature <= 0 {
		C.llama_sampler_chain_add(chain, C.llama_sampler_init_greedy())
		return chain
	}
	if p.TopP > 0 && p.TopP < 1 {
		C.llama_sampler_chain_add(chain, C.llama_sampler_init_top_p(C.float(p.TopP), 1))
	}
	C.llama_sampler_chain_add(chain, C.llama_sampler_init_temp(C.float(p.Temperature)))
	C.llama_sampler_chain_add(chain, C.llama_sampler_init_dist(C.uint32_t(p.Seed)))
	return chain
}

func (e *engine) Generate(ctx context.Context, prompt string, p llm.Sampling, emit func(string) error) (llm.Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ctx == nil {
		return llm.Result{}, errors.New("the engine is closed")
	}
	toks, err := e.tokenize(prompt, true)
	if err != nil {
		return llm.Result{}, err
	}
	res := llm.Result{PromptTokens: len(toks)}
	if len(toks) == 0 || len(toks) >= e.nCtx {
		return res, fmt.Errorf("the prompt is %d tokens; the context holds %d", len(toks), e.nCtx)
	}
	C.llama_memory_clear(C.llama_get_memory(e.ctx), C.bool(true))
	smpl := e.sampler(p)
	defer C.llama_sampler_free(smpl)
	maxTokens := p.MaxTokens
	if maxTokens <= 0 || maxTokens > e.nCtx-len(toks) {
		maxTokens = e.nCtx - len(toks)
	}
	// The prompt goes in chunks of at most n_batch tokens (llama.cpp aborts the process
	// on a larger batch), checking for cancellation between chunks. Tokens live in C
	// memory: llama.cpp may keep a batch's pointer after llama_decode returns.
	nBatch := int(C.llama_n_batch(e.ctx))
	ctoks := (*[1 << 30]C.llama_token)(C.malloc(C.size_t(len(toks)+1) * C.size_t(unsafe.Sizeof(C.llama_token(0)))))[: len(toks)+1 : len(toks)+1]
	defer C.free(unsafe.Pointer(&ctoks[0]))
	copy(ctoks, toks)
	for i := 0; i < len(toks)-1; i += nBatch {
		n := min(nBatch, len(toks)-1-i)
		if rc := C.llama_decode(e.ctx, C.llama_batch_get_one(&ctoks[i], C.int32_t(n))); rc != 0 {
			return res, fmt.Errorf("llama.cpp decode failed (%d)", int(rc))
		}
		if err := ctx.Err(); err != nil {
			res.StopReason = "cancelled"
			return res, err
		}
	}
	// The last prompt token is decoded with the generated ones, so that sampling reads
	// its logits.
	one := ctoks[len(toks) : len(toks)+1]
	one[0] = toks[len(toks)-1]
	batch := C.llama_batch_get_one(&one[0], 1)
	var text strings.Builder
	for {
		if rc := C.llama_decode(e.ctx, batch); rc != 0 {
			return res, fmt.Errorf("llama.cpp decode failed (%d)", int(rc))
		}
		if err := ctx.Err(); err != nil {
			res.StopReason = "cancelled"
			return res, err
		}
		tok := C.llama_sampler_sample(smpl, e.ctx, -1)
		if C.llama_vocab_is_eog(e.vocab, tok) {
			res.StopReason = "eog"
			return res, nil
		}
		piece := e.piece(tok)
		res.Tokens++
		text.WriteString(piece)
		if err := emit(piece); err != nil {
			return res, err
		}
		for _, s := range p.Stop {
			if s != "" && strings.HasSuffix(text.String(), s) {
				res.StopReason = "stop_sequence"
				return res, nil
			}
		}
		if res.Tokens >= maxTokens {
			res.StopReason = "max_tokens"
			return res, nil
		}
		one[0] = tok
		batch = C.llama_batch_get_one(&one[0], 1)
	}
}
