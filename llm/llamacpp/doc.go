// Package llamacpp is Vellum's cgo binding over llama.cpp's C API (llama.h), built
// from the pinned release of native/llama.cpp.sh and linked statically. It is the only
// cgo in inference: everything above it uses the llm.Engine interface. Without the
// llamacpp build tag it compiles to a stub whose Load returns llm.ErrNoEngine.
//
// Every call into llama.cpp runs on one OS thread started in C (thread.go says why).
// An engine keeps one context and remembers what its KV cache holds, so a prompt is
// computed only from where it differs from the last prompt and output.
//
// Sampling runs where the model runs. Without a grammar, the request's sampler
// chain is attached to the context (llama.cpp's backend sampling) and ends with a
// sampler of ours that drops the logits and probabilities once a token is chosen, so
// each decode hands back one token id; a grammar, or Options.SampleOnHost, samples
// on the host. Each generated token is one cgo crossing (vellum_next) and no Go
// allocation. llama.cpp's C API can let a C++ exception out (a re-plan of the compute
// graph that cannot allocate); guard.cpp catches it before it reaches cgo's frames,
// and the engine then fails for good with llm.ErrEngineFailed.
package llamacpp
