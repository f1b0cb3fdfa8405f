//go:build !llamacpp

package llamacpp

import "github.com/vellumhealth/vellum/llm"

// Options configure a load.
type Options struct {
	Threads   int
	Context   int
	GPULayers int
}

// Load is unavailable in a build without llama.cpp.
func Load(path string, o Options) (llm.Engine, error) { return nil, llm.ErrNoEngine }
