// Package models keeps the catalog of language models Vellum may load: a pure-Go GGUF
// header reader (architecture, name, parameters, quantization, context length, chat
// template, tokenizer, tensor table) that refuses truncated or hostile files with a
// clear error; the SHA-256 allowlist from policy; the managed models folder IT fills,
// watched so that a file appears once complete and verified and disappears when
// removed; and verified, resumable pulls.
//
// What it guarantees: a model is usable only if its SHA-256 is on the allowlist, and
// the digest checked is that of the bytes loaded — Open hashes through the file handle
// that the loader then reads (on Linux by /proc/self/fd), so the file cannot be
// swapped between check and load. A model in use stays readable while in use, even if
// IT removes it from the folder.
//
// What it does not do: run models (package llm), or judge a model's clinical fitness:
// that is the allowlist's job, which is IT's.
package models
