// Package dictation will turn speech into text: the global hotkey, audio capture, voice
// activity detection and the recognizer, with a WAV source standing in for the
// microphone in tests. CGO backends will live in subpackages.
package dictation
