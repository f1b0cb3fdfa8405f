//go:build llamacpp && windows

package llamacpp

// The Windows build (make windows, MinGW-w64 with the POSIX thread model): ggml's CPU
// backend on its own thread pool (no OpenMP, whose DLL would have to ship), and the
// C++ runtime and winpthreads linked in statically, so that vellum.exe needs no MinGW
// DLL beside it.

// #cgo LDFLAGS: -lllama -lggml -lggml-cpu -lggml-base -Wl,-Bstatic -lstdc++ -lwinpthread -Wl,-Bdynamic -static-libgcc
import "C"

// gpuBuild says whether this link line has a GPU backend: the tests expect the
// model on the GPU when it does.
const gpuBuild = false
