//go:build llamacpp

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "_cgo_export.h"

static void *vellum_thread_main(void *arg) {
	(void)arg;
	vellumServe(); // never returns
	return NULL;
}

// vellum_start_thread starts the inference thread; 0 on success, else an errno.
int vellum_start_thread(void) {
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	// The stack of a main thread: the platform default is 512 KiB on macOS and
	// 128 KiB with musl, less than ggml and the GPU backends may use.
	pthread_attr_setstacksize(&attr, 8 << 20);
	int rc = pthread_create(&t, &attr, vellum_thread_main, NULL);
	pthread_attr_destroy(&attr);
	return rc;
}

// vellum_load_progress is llama.cpp's load progress callback; user_data points at the
// cgo.Handle of the Go function to call.
bool vellum_load_progress(float progress, void *user_data) {
	return vellumLoadProgress(progress, *(uintptr_t *)user_data);
}
