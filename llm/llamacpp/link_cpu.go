//go:build llamacpp && !cuda && !darwin && !windows

package llamacpp

// The CPU build: ggml's CPU backend only, its threads from OpenMP. Each variant's link
// line sits in a file of its own because static libraries must be named in order (a
// library before those it calls), and cgo joins the flags of a package's files in the
// order of their names.

// #cgo LDFLAGS: -lllama -lggml -lggml-cpu -lggml-base -lstdc++ -lm -lgomp -lpthread
import "C"

// gpuBuild says whether this link line has a GPU backend: the tests expect the
// model on the GPU when it does.
const gpuBuild = false
