//go:build !llamacpp

package llamacpp

import "github.com/vellumhealth/vellum/llm"

// Load is unavailable in a build without llama.cpp.
func Load(path string, o Options) (llm.Engine, error) { return nil, llm.ErrNoEngine }
