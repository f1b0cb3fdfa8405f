// Package synth makes language models with llama.cpp's real "llama" architecture, a
// real tokenizer and random weights, for the tests and benchmarks that need a model of a
// given size and shape when no trained weights of that size are at hand. A Spec gives
// the shape (Tiny for tests, Llama32_1B for Llama 3.2 1B's exact shape); Write streams
// a GGUF v3 file whose metadata, tensor names and tensor shapes are those llama.cpp's
// loader expects of a llama model, whose tokenizer is copied from a vocabulary-only
// GGUF that llama.cpp ships (models/ggml-vocab-llama-bpe.gguf for Llama 3), and whose
// chat template is Llama 3's; Quantize runs llama.cpp's llama-quantize on the result.
//
// What it guarantees: the file is a well-formed GGUF v3 file that models.ReadHeader
// accepts, every tensor aligned to 32 bytes; for a given Spec, vocabulary and seed the
// bytes are always the same, so a benchmark names its model by (spec, seed) and a
// test that fails once fails again. Weights are drawn from a normal distribution of
// standard deviation 0.02 (a fresh transformer's), norm weights are 1, so llama.cpp
// computes finite logits from it and quantizes it as it would a trained model.
// Generation streams: a model of any size is written in constant memory, and the 1B
// model takes seconds, bounded by the disk.
//
// What it does not do: make a model that says anything sensible — the output of a
// synthetic model is random tokens, and its file says so in general.description.
// Nor does it write anything but F32 and F16 tensors; other types come from Quantize.
// Its GGUF reader, ReadMetadata, reads all metadata including whole arrays (which
// models.ReadHeader skips), within limits against hostile sizes; it reads no tensors.
//
// The format is GGUF as specified in ggml's docs/gguf.md; the key names and tensor
// shapes are those of llama.cpp's src/llama-arch.cpp and src/models/llama.cpp.
package synth
