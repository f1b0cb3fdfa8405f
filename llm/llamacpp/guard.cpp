//go:build llamacpp

// A C++ exception must not unwind into cgo's C and Go frames: the process would
// terminate. llama.cpp's C API lets some through — llama_decode, when planning its
// compute graph again (after a sampler change) cannot allocate — so the calls that
// may throw go through vellum_guard.

#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>

extern "C" int32_t vellum_guard(int32_t (*f)(void *), void * arg, char * err, size_t n) {
	try {
		return f(arg);
	} catch (const std::exception & e) {
		std::strncpy(err, e.what(), n - 1);
	} catch (...) {
		std::strncpy(err, "an unknown C++ exception", n - 1);
	}
	err[n - 1] = 0;
	return -100;
}

// vellum_throw is for the tests: it throws as llama.cpp would.
extern "C" int32_t vellum_throw(void *) {
	throw std::runtime_error("failed to allocate compute buffers (test)");
}
