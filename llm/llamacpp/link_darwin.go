//go:build llamacpp && darwin

package llamacpp

// macOS: ggml builds its Metal and BLAS (Accelerate) backends there by default, and
// Apple's compiler has no OpenMP, so the CPU backend uses ggml's own threads. Written
// from ggml's CMake; not built on this project's Linux machines.

// #cgo LDFLAGS: -lllama -lggml -lggml-metal -lggml-blas -lggml-cpu -lggml-base -lc++ -framework Foundation -framework Metal -framework MetalKit -framework Accelerate
import "C"

// gpuBuild says whether this link line has a GPU backend: the tests expect the
// model on the GPU when it does.
const gpuBuild = true
