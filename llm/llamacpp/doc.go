// Package llamacpp is Vellum's cgo binding over llama.cpp's C API (llama.h), built
// from the pinned release of native/llama.cpp.sh and linked statically. It is the only
// cgo in inference: everything above it uses the llm.Engine interface. Without the
// llamacpp build tag it compiles to a stub whose Load returns llm.ErrNoEngine.
package llamacpp
