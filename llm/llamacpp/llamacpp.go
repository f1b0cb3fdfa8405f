//go:build llamacpp

package llamacpp

/*
#cgo CFLAGS: -fexceptions
#include <stdlib.h>
#include <llama.h>
#include <ggml-backend.h>
#include <ggml-cpu.h>

static void vellum_quiet_log(enum ggml_log_level level, const char * text, void * user_data) {}
static void vellum_quiet(void) { llama_log_set(vellum_quiet_log, NULL); }

// Greedy choice straight from the logits: the same token llama.cpp's greedy sampler
// picks (the first of equal maxima) without building its candidate array of the whole
// vocabulary each token (1.5 MB for Llama 3's), about 2% of a token on a 1B model.
static llama_token vellum_argmax(struct llama_context * ctx, int32_t n_vocab) {
	const float * l = llama_get_logits_ith(ctx, -1);
	int32_t best = 0;
	for (int32_t i = 1; i < n_vocab; i++) if (l[i] > l[best]) best = i;
	return best;
}

bool vellum_load_progress(float progress, void *user_data);

// vellum_guard (guard.cpp) calls f(arg), turning a C++ exception into -100 and its
// message in err. These C frames sit between it and llama.cpp's C++: -fexceptions
// above gives them what unwinding needs.
int32_t vellum_guard(int32_t (*f)(void *), void * arg, char * err, size_t n);
int32_t vellum_throw(void *);
static char vellum_err[256];
static const char * vellum_error(void) { return vellum_err; }
// vellum_fail_next makes the next decode throw, as llama.cpp would: for the tests.
static int vellum_fail_next;
static void vellum_fail_next_decode(void) { vellum_fail_next = 1; }

struct vellum_decode_args { struct llama_context * ctx; struct llama_batch batch; };
static int32_t vellum_decode_call(void * p) {
	struct vellum_decode_args * a = p;
	if (vellum_fail_next) { vellum_fail_next = 0; return vellum_throw(NULL); }
	return llama_decode(a->ctx, a->batch);
}
// vellum_decode is llama_decode, with -100 for an exception (vellum_error says which).
static int32_t vellum_decode(struct llama_context * ctx, struct llama_batch batch) {
	struct vellum_decode_args a = { ctx, batch };
	return vellum_guard(vellum_decode_call, &a, vellum_err, sizeof vellum_err);
}

struct vellum_set_sampler_args { struct llama_context * ctx; struct llama_sampler * smpl; };
static int32_t vellum_set_sampler_call(void * p) {
	struct vellum_set_sampler_args * a = p;
	return llama_set_sampler(a->ctx, 0, a->smpl) ? 1 : 0;
}
// vellum_set_sampler is llama_set_sampler for seq 0: 1 attached (or detached, for
// NULL), 0 not attachable, -100 an exception.
static int32_t vellum_set_sampler(struct llama_context * ctx, struct llama_sampler * smpl) {
	struct vellum_set_sampler_args a = { ctx, smpl };
	return vellum_guard(vellum_set_sampler_call, &a, vellum_err, sizeof vellum_err);
}

// vellum_step is one generated token as vellum_next leaves it, in C memory so that
// the loop allocates nothing and a batch may point at tok.
typedef struct {
	llama_token tok;     // in: the token to decode; out: the token chosen next
	bool        eog;     // out: tok ends the generation
	int32_t     n_piece; // out: bytes of tok's text in piece, or minus the room it needs
	char        piece[256];
} vellum_step;

// vellum_next is one token of generation in one cgo crossing: it decodes s->tok when
// decode is set, then chooses the next token — read back already sampled when smpl is
// the chain attached to the context (sampled on the device), sampled by smpl on the
// host otherwise, or the argmax when smpl is NULL — and writes its text. It returns
// llama_decode's status; non-zero leaves s->tok as it was.
static int32_t vellum_next(struct llama_context * ctx, struct llama_sampler * smpl,
		const struct llama_vocab * vocab, int32_t n_vocab, bool decode, vellum_step * s) {
	if (decode) {
		int32_t rc = vellum_decode(ctx, llama_batch_get_one(&s->tok, 1));
		if (rc != 0) return rc;
	}
	s->tok = smpl != NULL ? llama_sampler_sample(smpl, ctx, -1) : vellum_argmax(ctx, n_vocab);
	s->eog = llama_vocab_is_eog(vocab, s->tok);
	s->n_piece = s->eog ? 0 : llama_token_to_piece(vocab, s->tok, s->piece, sizeof s->piece, 0, false);
	return 0;
}

// vellum_decode_prompt decodes n tokens of a prompt; only the last of them is an output,
// and only when last is set: the chunks before the prompt's end compute no logits and
// do not run the device sampler (whose random draws would otherwise depend on how the
// prompt was split, and so on what was cached).
static int32_t vellum_decode_prompt(struct llama_context * ctx, llama_token * toks, int8_t * out, int32_t n, bool last) {
	struct llama_batch b = llama_batch_get_one(toks, n);
	for (int32_t i = 0; i < n; i++) out[i] = 0;
	out[n-1] = last;
	b.logits = out;
	return vellum_decode(ctx, b);
}

// vellum_token_only ends every chain attached to the context. Once the samplers
// before it have chosen a token on the device, it drops the logits, probabilities and
// candidates they leave as outputs, which llama.cpp would otherwise copy back for
// every token (the vocabulary's row, 0.5 MB for Llama 3's, twice when the draw is
// random): one token id comes back. On the host it does nothing.
static const char * vellum_token_only_name(const struct llama_sampler * s) { (void) s; return "vellum-token-only"; }
static void vellum_token_only_apply(struct llama_sampler * s, llama_token_data_array * cur) { (void) s; (void) cur; }
static bool vellum_token_only_init(struct llama_sampler * s, ggml_backend_buffer_type_t buft, uint32_t n) {
	(void) s; (void) buft; (void) n;
	return true;
}
static void vellum_token_only_backend_apply(struct llama_sampler * s, struct ggml_context * ctx,
		struct ggml_cgraph * gf, struct llama_sampler_data * d) {
	(void) s; (void) ctx; (void) gf;
	if (d->sampled != NULL) {
		d->logits = NULL;
		d->probs = NULL;
		d->candidates = NULL;
	}
}
static struct llama_sampler_i vellum_token_only_i = {
	vellum_token_only_name, NULL, vellum_token_only_apply, NULL, NULL, NULL,
	vellum_token_only_init, NULL, vellum_token_only_backend_apply, NULL, NULL, NULL,
};
static struct llama_sampler * vellum_token_only(void) { return llama_sampler_init(&vellum_token_only_i, NULL); }

// vellum_token_only_came_back says whether the last output came back as a token id
// alone, sampled on the device: for the tests.
static bool vellum_token_only_came_back(struct llama_context * ctx) {
	return llama_get_sampled_token_ith(ctx, -1) != LLAMA_TOKEN_NULL &&
		llama_get_sampled_logits_ith(ctx, -1) == NULL && llama_get_sampled_probs_ith(ctx, -1) == NULL;
}

// vellum_attach gives seq 0's sampling to chain on the device, at context creation:
// llama_set_sampler later would have llama.cpp plan the compute graph again.
static void vellum_attach(struct llama_context_params * cp, struct llama_sampler * chain, struct llama_sampler_seq_config * cfg) {
	cfg->seq_id = 0;
	cfg->sampler = chain;
	cp->samplers = cfg;
	cp->n_samplers = 1;
}

// The context's abort callback: ggml checks it between the operations of a graph, so
// that Stop ends a long prompt batch within a fraction of a second, not at its end.
static bool vellum_stopped(void * flag) { return __atomic_load_n((int *) flag, __ATOMIC_RELAXED) != 0; }
static void vellum_stop(int * flag, int v) { __atomic_store_n(flag, v, __ATOMIC_RELAXED); }
static void vellum_watch_stop(struct llama_context * ctx, int * flag) { llama_set_abort_callback(ctx, vellum_stopped, flag); }

// The first GPU device's description, or NULL when there is none.
static const char * vellum_gpu_name(void) {
	for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
		ggml_backend_dev_t d = ggml_backend_dev_get(i);
		if (ggml_backend_dev_type(d) == GGML_BACKEND_DEVICE_TYPE_GPU) return ggml_backend_dev_description(d);
	}
	return NULL;
}
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime/cgo"
	"strings"
	"sync"
	"unsafe"

	"github.com/vellumhealth/vellum/llm"
)

var initOnce sync.Once

// initBackend silences llama.cpp's log and initialises its backends, once.
func initBackend() {
	initOnce.Do(func() {
		C.vellum_quiet()
		C.llama_backend_init()
	})
}

// engine is one model and one context; Generate calls are serialised. It remembers
// which tokens the context's KV cache holds (seq 0), so that a prompt sharing a prefix
// with the last one — the template's system part, or the whole previous prompt and
// output on Regenerate and on the next section — is computed only from where it differs.
type engine struct {
	mu     sync.Mutex
	model  *C.struct_llama_model
	ctx    *C.struct_llama_context
	pool   *C.struct_ggml_threadpool
	vocab  *C.struct_llama_vocab
	tmpl   string
	info   llm.Info
	cached []C.llama_token
	// buf holds tokens being decoded in C memory: llama.cpp may keep a batch's
	// pointer after llama_decode returns; outputs is the batch's output flags.
	buf     *C.llama_token
	outputs *C.int8_t
	// step is the generation loop's token and its text, in C memory.
	step *C.vellum_step
	// stop is the abort callback's flag, in C memory: non-zero stops llama_decode.
	stop *C.int
	// device is the sampler chain attached to the context for seq 0, which llama.cpp
	// runs on the backend as part of each decode, and deviceFor the sampling it was
	// made for; nil when sampling runs on the host.
	device    *C.struct_llama_sampler
	deviceFor samplerKey
	// hostOnly keeps sampling on the host (Options.SampleOnHost).
	hostOnly bool
	// failed, once set, is the answer to every request: llama.cpp threw, and the
	// context's state is unknown.
	failed error
	// orphans are sampler chains the context may still point at after a failure,
	// freed with it.
	orphans []*C.struct_llama_sampler
}

// samplerKey is what a sampler chain depends on: two requests with the same key can
// share one chain, reset between them.
type samplerKey struct {
	temperature, topP, repeatPenalty float32
	seed                             uint32
}

func keyOf(p llm.Sampling) samplerKey {
	k := samplerKey{temperature: max(p.Temperature, 0)}
	if p.RepeatPenalty > 0 && p.RepeatPenalty != 1 {
		k.repeatPenalty = p.RepeatPenalty
	}
	if k.temperature > 0 {
		k.seed = p.Seed
		if p.TopP > 0 && p.TopP < 1 {
			k.topP = p.TopP
		}
	}
	return k
}

// Load loads the GGUF model at path. Open the model through models.Open and pass its
// LoadPath, so that the bytes loaded are the bytes verified.
func Load(path string, o Options) (e llm.Engine, err error) {
	if err := CheckCPU(); err != nil {
		return nil, err
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	onLlamaThread(func() { e, err = loadModel(path, o) })
	return e, err
}

func loadModel(path string, o Options) (llm.Engine, error) {
	initBackend()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))

	// All layers on the GPU unless told otherwise; when they do not fit, halve until
	// they do (or none are offloaded).
	layers := -1
	switch {
	case o.CPUOnly || !bool(C.llama_supports_gpu_offload()):
		layers = 0
	case o.GPULayers > 0:
		layers = o.GPULayers
	}
	var model *C.struct_llama_model
	var cancelled bool
	var progress *C.uintptr_t
	if o.Progress != nil {
		h := cgo.NewHandle(func(done float64) bool {
			cancelled = !o.Progress(done)
			return !cancelled
		})
		defer h.Delete()
		// C memory holds the handle: llama.cpp keeps the pointer for the load.
		progress = (*C.uintptr_t)(C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0)))))
		defer C.free(unsafe.Pointer(progress))
		*progress = C.uintptr_t(h)
	}
	for {
		mp := C.llama_model_default_params()
		mp.n_gpu_layers = C.int32_t(layers)
		if progress != nil {
			mp.progress_callback = C.llama_progress_callback(C.vellum_load_progress)
			mp.progress_callback_user_data = unsafe.Pointer(progress)
		}
		model = C.llama_model_load_from_file(cpath, mp)
		if cancelled {
			if model != nil {
				C.llama_model_free(model)
			}
			return nil, ErrLoadCancelled
		}
		if model != nil || layers == 0 || o.GPULayers > 0 {
			break
		}
		if layers < 0 {
			layers = 64
		}
		layers /= 2
	}
	if model == nil {
		return nil, fmt.Errorf("llama.cpp could not load %s (not a model it supports, or out of memory)", path)
	}
	e := &engine{model: model, vocab: C.llama_model_get_vocab(model), hostOnly: o.SampleOnHost}
	if t := C.llama_model_chat_template(model, nil); t != nil {
		e.tmpl = C.GoString(t)
	}

	cp := C.llama_context_default_params()
	n := o.Context
	if n <= 0 {
		n = min(int(C.llama_model_n_ctx_train(model)), DefaultContextCap)
	}
	batch := o.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	batch = min(batch, n)
	threads := o.Threads
	if threads <= 0 {
		threads = PhysicalCores()
	}
	cp.n_ctx = C.uint32_t(n)
	cp.n_batch = C.uint32_t(batch)
	cp.n_ubatch = C.uint32_t(batch)
	cp.n_threads = C.int32_t(threads)
	cp.n_threads_batch = C.int32_t(threads)
	cp.flash_attn_type = map[string]C.enum_llama_flash_attn_type{
		"": C.LLAMA_FLASH_ATTN_TYPE_AUTO, "auto": C.LLAMA_FLASH_ATTN_TYPE_AUTO,
		"on": C.LLAMA_FLASH_ATTN_TYPE_ENABLED, "off": C.LLAMA_FLASH_ATTN_TYPE_DISABLED,
	}[o.FlashAttention]
	// One output per batch (the prompt's last token, or the token just generated) is
	// all Generate asks for; the device's repetition penalty needs it so.
	cp.n_outputs_max_per_seq = 1
	// Greedy decoding, the drafts' default, sampled on the device from the start.
	if !e.hostOnly {
		cfg := (*C.struct_llama_sampler_seq_config)(C.malloc(C.size_t(unsafe.Sizeof(C.struct_llama_sampler_seq_config{}))))
		defer C.free(unsafe.Pointer(cfg))
		e.device, _ = e.deviceSampler(llm.Sampling{})
		e.deviceFor = samplerKey{}
		C.vellum_attach(&cp, e.device, cfg)
	}
	e.ctx = C.llama_init_from_model(model, cp)
	if e.ctx == nil {
		if e.device != nil {
			C.llama_sampler_free(e.device)
		}
		C.llama_model_free(model)
		return nil, fmt.Errorf("llama.cpp could not create a context of %d tokens (out of memory? lower inference_context)", n)
	}
	// A threadpool that lives as long as the context, as llama.cpp's own tools attach:
	// without one, ggml makes and frees one for every token.
	tpp := C.ggml_threadpool_params_default(C.int(threads))
	e.pool = C.ggml_threadpool_new(&tpp)
	if e.pool != nil {
		C.llama_attach_threadpool(e.ctx, e.pool, e.pool)
	}
	e.buf = (*C.llama_token)(C.malloc(C.size_t(batch) * C.size_t(unsafe.Sizeof(C.llama_token(0)))))
	e.outputs = (*C.int8_t)(C.malloc(C.size_t(batch)))
	e.step = (*C.vellum_step)(C.calloc(1, C.size_t(unsafe.Sizeof(C.vellum_step{}))))
	e.stop = (*C.int)(C.calloc(1, C.size_t(unsafe.Sizeof(C.int(0)))))
	C.vellum_watch_stop(e.ctx, e.stop)

	desc := make([]byte, 256)
	dn := C.llama_model_desc(model, (*C.char)(unsafe.Pointer(&desc[0])), C.size_t(len(desc)))
	nLayer := int(C.llama_model_n_layer(model))
	offloaded := 0
	device := "CPU"
	if layers != 0 && bool(C.llama_supports_gpu_offload()) {
		offloaded = nLayer
		if layers > 0 {
			offloaded = min(layers, nLayer)
		}
		if g := C.vellum_gpu_name(); g != nil {
			device = C.GoString(g)
		} else {
			device = "GPU"
		}
	}
	fa := o.FlashAttention
	if fa == "" {
		fa = "auto"
	}
	e.info = llm.Info{
		Model:        string(desc[:max(0, min(int(dn), len(desc)))]),
		Params:       uint64(C.llama_model_n_params(model)),
		Bytes:        uint64(C.llama_model_size(model)),
		Device:       device,
		GPULayers:    offloaded,
		Context:      int(C.llama_n_ctx(e.ctx)),
		Batch:        int(C.llama_n_batch(e.ctx)),
		Threads:      threads,
		FlashAttn:    fa,
		ChatTemplate: e.tmpl != "",
	}
	e.cached = make([]C.llama_token, 0, e.info.Context) // never grown while generating
	return e, nil
}

func (e *engine) Info() llm.Info { return e.info }

// sampledOnDevice says whether the last token chosen was sampled by llama.cpp's
// backend and came back alone (no logits, no probabilities): for the tests.
func (e *engine) sampledOnDevice() (yes bool) {
	onLlamaThread(func() { yes = bool(C.vellum_token_only_came_back(e.ctx)) })
	return yes
}

// failNextDecode makes the next llama_decode throw as llama.cpp does when it cannot
// allocate: for the tests.
func (e *engine) failNextDecode() { onLlamaThread(func() { C.vellum_fail_next_decode() }) }

// SystemInfo is llama.cpp's account of the CPU features its build uses ("AVX2 = 1 |
// FMA = 1 | ..."): the proof that the static baseline build is not a scalar one.
func SystemInfo() string {
	initBackend()
	return C.GoString(C.llama_print_system_info())
}

func (e *engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	onLlamaThread(e.free)
	return nil
}

func (e *engine) free() {
	if e.ctx != nil {
		C.llama_free(e.ctx)
		e.ctx = nil
	}
	if e.pool != nil {
		C.ggml_threadpool_free(e.pool)
		e.pool = nil
	}
	if e.device != nil { // after the context that used it
		C.llama_sampler_free(e.device)
		e.device = nil
	}
	for _, c := range e.orphans {
		C.llama_sampler_free(c)
	}
	e.orphans = nil
	if e.model != nil {
		C.llama_model_free(e.model)
		e.model = nil
	}
	for _, p := range []unsafe.Pointer{unsafe.Pointer(e.buf), unsafe.Pointer(e.outputs), unsafe.Pointer(e.step), unsafe.Pointer(e.stop)} {
		C.free(p) // free(NULL) does nothing
	}
	e.buf, e.outputs, e.step, e.stop = nil, nil, nil, nil
	e.cached = nil
}

func (e *engine) tokenize(text string) ([]C.llama_token, error) {
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	buf := make([]C.llama_token, len(text)+8)
	n := C.llama_tokenize(e.vocab, ctext, C.int32_t(len(text)), &buf[0], C.int32_t(len(buf)), C.bool(true), C.bool(true))
	if n < 0 {
		return nil, errors.New("tokenize: the text is too long")
	}
	toks := buf[:n]
	// A chat template writes the BOS token's text itself; tokenizing adds one too.
	bos := C.llama_vocab_bos(e.vocab)
	if len(toks) > 1 && toks[0] == bos && toks[1] == bos {
		toks = toks[1:]
	}
	return toks, nil
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

func (e *engine) Chat(msgs []llm.Message) (string, error) {
	if e.tmpl == "" {
		return "", llm.ErrNoChatTemplate
	}
	cmsgs := (*C.struct_llama_chat_message)(C.malloc(C.size_t(len(msgs)+1) * C.size_t(unsafe.Sizeof(C.struct_llama_chat_message{}))))
	defer C.free(unsafe.Pointer(cmsgs))
	list := unsafe.Slice(cmsgs, len(msgs)+1)
	total := 0
	for i, m := range msgs {
		list[i].role = C.CString(m.Role)
		list[i].content = C.CString(m.Content)
		total += len(m.Role) + len(m.Content)
		defer C.free(unsafe.Pointer(list[i].role))
		defer C.free(unsafe.Pointer(list[i].content))
	}
	ctmpl := C.CString(e.tmpl)
	defer C.free(unsafe.Pointer(ctmpl))
	size := 2*total + 1024
	for {
		out := make([]byte, size)
		n := int(C.llama_chat_apply_template(ctmpl, cmsgs, C.size_t(len(msgs)), C.bool(true), (*C.char)(unsafe.Pointer(&out[0])), C.int32_t(len(out))))
		if n < 0 {
			return "", fmt.Errorf("%w: llama.cpp does not know the model's template", llm.ErrNoChatTemplate)
		}
		if n <= len(out) {
			return string(out[:n]), nil
		}
		size = n
	}
}

func (e *engine) sampler(p llm.Sampling) (*C.struct_llama_sampler, error) {
	chain := C.llama_sampler_chain_init(C.llama_sampler_chain_default_params())
	if p.Grammar != "" {
		g, root := C.CString(p.Grammar), C.CString("root")
		defer C.free(unsafe.Pointer(g))
		defer C.free(unsafe.Pointer(root))
		gs := C.llama_sampler_init_grammar(e.vocab, g, root)
		if gs == nil {
			C.llama_sampler_free(chain)
			return nil, llm.ErrGrammar
		}
		C.llama_sampler_chain_add(chain, gs)
	}
	if p.RepeatPenalty > 0 && p.RepeatPenalty != 1 {
		C.llama_sampler_chain_add(chain, C.llama_sampler_init_penalties(C.llama_vocab_n_tokens(e.vocab), 64, C.float(p.RepeatPenalty), 0, 0))
	}
	if p.Temperature <= 0 {
		C.llama_sampler_chain_add(chain, C.llama_sampler_init_greedy())
		return chain, nil
	}
	if p.TopP > 0 && p.TopP < 1 {
		C.llama_sampler_chain_add(chain, C.llama_sampler_init_top_p(C.float(p.TopP), 1))
	}
	C.llama_sampler_chain_add(chain, C.llama_sampler_init_temp(C.float(p.Temperature)))
	C.llama_sampler_chain_add(chain, C.llama_sampler_init_dist(C.uint32_t(p.Seed)))
	return chain, nil
}

// deviceSampler is sampler's chain for p, ended by vellum_token_only.
func (e *engine) deviceSampler(p llm.Sampling) (*C.struct_llama_sampler, error) {
	chain, err := e.sampler(p)
	if err == nil {
		C.llama_sampler_chain_add(chain, C.vellum_token_only())
	}
	return chain, err
}

// decode runs toks, the rest of a prompt, through the model, at most n_batch at a
// time, and records them as cached; the prompt's last token is the one output.
// progress, when set, hears how many of toks are done before each batch and at the
// end. When ctx ends, the batch in progress stops within a fraction of a second (the
// abort callback).
func (e *engine) decode(ctx context.Context, toks []C.llama_token, progress func(done, total int)) error {
	nBatch := e.info.Batch
	buf := unsafe.Slice(e.buf, nBatch)
	for i := 0; i < len(toks); i += nBatch {
		if progress != nil {
			progress(i, len(toks))
		}
		n := copy(buf, toks[i:min(len(toks), i+nBatch)])
		rc := C.vellum_decode_prompt(e.ctx, e.buf, e.outputs, C.int32_t(n), C.bool(i+n == len(toks)))
		if err := e.decoded(ctx, rc, toks[i:i+n]); err != nil {
			return err
		}
	}
	if progress != nil {
		progress(len(toks), len(toks))
	}
	return nil
}

// decoded accounts for a llama_decode of toks that returned rc. Aborted (ctx ended),
// what was cached before it stays; on any other failure the cache's state is unknown,
// so it is cleared.
func (e *engine) decoded(ctx context.Context, rc C.int32_t, toks []C.llama_token) error {
	if rc == -100 {
		return e.fail()
	}
	if rc == 2 && ctx.Err() != nil {
		// The batches processed remain in the KV cache; keep only those e.cached
		// accounts for.
		if !C.llama_memory_seq_rm(C.llama_get_memory(e.ctx), 0, C.llama_pos(len(e.cached)), -1) {
			e.forget()
		}
		return ctx.Err()
	}
	if rc != 0 {
		e.forget()
		return fmt.Errorf("llama.cpp decode failed (%d)", int(rc))
	}
	e.cached = append(e.cached, toks...)
	return ctx.Err()
}

// fail records that llama.cpp threw (vellum_error says what) and returns the error
// every later request gets.
func (e *engine) fail() error {
	e.failed = fmt.Errorf("%w (llama.cpp: %s)", llm.ErrEngineFailed, C.GoString(C.vellum_error()))
	return e.failed
}

// samplerFor is the sampler chain for p, and release, to call when the generation is
// done. Without a grammar the chain is attached to the context, where llama.cpp runs
// it within each decode on the model's device and hands back one token, not the
// vocabulary's logits; the chain stays attached for the next request with the same
// settings (changing it has llama.cpp plan its compute graph again). A grammar, which
// the backends cannot run, or Options.SampleOnHost, samples on the host: plain
// greedy decoding by argmax (nil), anything else by the chain.
func (e *engine) samplerFor(p llm.Sampling) (smpl *C.struct_llama_sampler, release func(), err error) {
	release = func() {}
	if !e.hostOnly && p.Grammar == "" {
		k := keyOf(p)
		if e.device != nil && e.deviceFor == k {
			C.llama_sampler_reset(e.device) // a fresh seed and no penalty history
			return e.device, release, nil
		}
		chain, err := e.deviceSampler(p)
		if err != nil {
			return nil, release, err
		}
		rc := C.vellum_set_sampler(e.ctx, chain) // replaces e.device there
		if rc == -100 {
			// Whether the context kept the old chain or took the new is unknown: both
			// live until Close.
			e.orphans = append(e.orphans, chain)
			return nil, release, e.fail()
		}
		if e.device != nil {
			C.llama_sampler_free(e.device)
			e.device = nil
		}
		if rc == 1 {
			e.device, e.deviceFor = chain, k
			return chain, release, nil
		}
		return chain, func() { C.llama_sampler_free(chain) }, nil
	}
	if e.device != nil {
		if C.vellum_set_sampler(e.ctx, nil) == -100 {
			return nil, release, e.fail()
		}
		C.llama_sampler_free(e.device)
		e.device = nil
	}
	if p.Temperature <= 0 && p.Grammar == "" && keyOf(p).repeatPenalty == 0 {
		return nil, release, nil
	}
	if smpl, err = e.sampler(p); err != nil {
		return nil, release, err
	}
	return smpl, func() { C.llama_sampler_free(smpl) }, nil
}

// watchStop sets the abort flag when ctx ends, until the returned function is called;
// that function returns only once the watcher has finished, so the flag's memory is
// never written after Generate returns.
func (e *engine) watchStop(ctx context.Context) (done func()) {
	if ctx.Err() != nil {
		C.vellum_stop(e.stop, 1)
		return func() {}
	}
	C.vellum_stop(e.stop, 0)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
			C.vellum_stop(e.stop, 1)
		case <-quit:
		}
	}()
	return func() { close(quit); wg.Wait() }
}

func (e *engine) forget() {
	C.llama_memory_clear(C.llama_get_memory(e.ctx), C.bool(true))
	e.cached = e.cached[:0]
}

// reuse keeps the cached tokens toks begins with, dropping the rest from the KV cache,
// and returns how many were kept. At least the last prompt token is always decoded
// again: sampling reads its logits.
func (e *engine) reuse(toks []C.llama_token) int {
	keep := 0
	for keep < len(e.cached) && keep < len(toks)-1 && e.cached[keep] == toks[keep] {
		keep++
	}
	if keep < len(e.cached) {
		if !C.llama_memory_seq_rm(C.llama_get_memory(e.ctx), 0, C.llama_pos(keep), -1) {
			e.forget()
			return 0
		}
		e.cached = e.cached[:keep]
	}
	return keep
}

func (e *engine) Generate(ctx context.Context, prompt string, p llm.Sampling, emit func(string) error) (res llm.Result, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	onLlamaThread(func() { res, err = e.generate(ctx, prompt, p, emit) })
	return res, err
}

func (e *engine) generate(ctx context.Context, prompt string, p llm.Sampling, emit func(string) error) (llm.Result, error) {
	if e.ctx == nil {
		return llm.Result{}, errors.New("the engine is closed")
	}
	if e.failed != nil {
		return llm.Result{}, e.failed
	}
	toks, err := e.tokenize(prompt)
	if err != nil {
		return llm.Result{}, err
	}
	nCtx := e.info.Context
	res := llm.Result{PromptTokens: len(toks)}
	if len(toks) == 0 || len(toks) >= nCtx {
		return res, fmt.Errorf("the prompt is %d tokens; the context holds %d", len(toks), nCtx)
	}
	smpl, release, err := e.samplerFor(p)
	if err != nil {
		return res, err
	}
	defer release()
	nVocab := C.llama_vocab_n_tokens(e.vocab)
	maxTokens := p.MaxTokens
	if maxTokens <= 0 || maxTokens > nCtx-len(toks) {
		maxTokens = nCtx - len(toks)
	}
	if err := ctx.Err(); err != nil {
		// Ended already: keep the cache as it is for the next call.
		res.StopReason = "cancelled"
		return res, err
	}
	res.CachedTokens = e.reuse(toks)
	defer e.watchStop(ctx)()
	var progress func(done, total int)
	if p.Progress != nil {
		cached := res.CachedTokens
		progress = func(done, _ int) { p.Progress(cached+done, len(toks)) }
	}
	if err := e.decode(ctx, toks[res.CachedTokens:], progress); err != nil {
		if ctx.Err() != nil {
			res.StopReason = "cancelled"
		}
		return res, err
	}
	// One cgo crossing a token, no allocation: the token and its text come back in
	// C memory, the text goes straight into the builder, and emit is handed the
	// builder's own bytes (a strings.Builder never changes what it has written).
	var text strings.Builder
	step := e.step
	for decodeNext := false; ; decodeNext = true {
		prev := step.tok
		rc := C.vellum_next(e.ctx, smpl, e.vocab, nVocab, C.bool(decodeNext), step)
		if decodeNext {
			one := [1]C.llama_token{prev}
			if err := e.decoded(ctx, rc, one[:]); err != nil {
				if ctx.Err() != nil {
					res.StopReason = "cancelled"
				}
				return res, err
			}
		}
		if step.eog {
			res.StopReason = "eog"
			return res, nil
		}
		from := text.Len()
		if n := int(step.n_piece); n >= 0 {
			text.Write(unsafe.Slice((*byte)(unsafe.Pointer(&step.piece[0])), n))
		} else {
			text.WriteString(e.piece(step.tok)) // longer than step.piece holds
		}
		res.Tokens++
		if err := emit(text.String()[from:]); err != nil {
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
	}
}
