// Package llm will hold the Engine interface and drafting — note templates, prompt
// building, streaming, cancellation and the grounding check. The cgo binding to
// llama.cpp will live alone in llm/llamacpp. It arrives with the local-inference issue.
package llm
