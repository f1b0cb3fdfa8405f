//go:build llamacpp && cuda && !darwin

package llamacpp

// The CUDA build (make GPU=cuda, tag cuda): ggml's CUDA backend beside the CPU one, and
// what ggml's own CMake links it with: the CUDA runtime and cuBLAS (shared, from the
// toolkit's lib64, which the Makefile adds to CGO_LDFLAGS) and the driver library, for
// ggml's virtual memory pool. The binary then needs an NVIDIA driver to start; the CPU
// build is the one for machines without one.

// #cgo LDFLAGS: -lllama -lggml -lggml-cuda -lggml-cpu -lggml-base -lcudart -lcublas -lcublasLt -lcuda -lstdc++ -lm -lgomp -lpthread -ldl -lrt
import "C"

// gpuBuild says whether this link line has a GPU backend: the tests expect the
// model on the GPU when it does.
const gpuBuild = true
