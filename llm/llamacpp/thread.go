//go:build llamacpp

package llamacpp

// #include <stdbool.h>
// #include <stdint.h>
// int vellum_start_thread(void);
import "C"

import (
	"fmt"
	"runtime/cgo"
	"sync"
)

// Every call into llama.cpp runs on one OS thread, started here in C, for three
// reasons, all measured on two cores:
//
//   - ggml's CPU backend uses OpenMP, and libgomp keeps a team of worker threads per
//     calling thread. Calls from goroutines that moved between threads grew new
//     teams, oversubscribed the cores and made the workers sleep instead of spin
//     between graph nodes: 20-30% slower.
//   - With the team's master a thread the Go runtime created (the OS thread a
//     goroutine is locked to), prompt processing ran about 6% slower than with a
//     thread created in C, for a cause not found (Go's own threads were ruled out:
//     they took 0.3% of the CPU time).
//   - The Go runtime keeps the process's main thread for the UI; a locked goroutine
//     started at init could take it.
//
// The thread runs a Go loop through a cgo callback, so the Go code between C calls
// runs there too. One thread for all engines also serialises inference, which shares
// the cores anyway.
var (
	llamaThread     = make(chan func())
	llamaThreadOnce sync.Once
)

//export vellumServe
func vellumServe() {
	for f := range llamaThread {
		f()
	}
}

// onLlamaThread runs f on the inference thread and waits for it. f must not call
// onLlamaThread itself (Generate's emit runs there: it must not start another
// generation).
func onLlamaThread(f func()) {
	llamaThreadOnce.Do(func() {
		if rc := C.vellum_start_thread(); rc != 0 {
			panic(fmt.Sprintf("llamacpp: cannot start the inference thread (errno %d)", int(rc)))
		}
	})
	done := make(chan struct{})
	llamaThread <- func() {
		defer close(done)
		f()
	}
	<-done
}

//export vellumLoadProgress
func vellumLoadProgress(done C.float, h C.uintptr_t) C.bool {
	return C.bool(cgo.Handle(h).Value().(func(float64) bool)(float64(done)))
}
