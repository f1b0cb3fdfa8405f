// Package models will keep the model catalog: a pure-Go GGUF header reader, the SHA-256
// allowlist, the managed models folder watched with fsnotify, and verified pulls. It
// arrives with the local-inference issue.
package models
